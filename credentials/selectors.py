from django.db.models import QuerySet

from credentials.models import Credential
from portal.models import User


def credentials_owned_by(*, applicant: User) -> QuerySet[Credential]:
    return Credential.objects.filter(owner=applicant)
