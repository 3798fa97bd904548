from django.db.models import QuerySet

from employers.models import Membership
from portal.models import User


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("employer").order_by("employer__name")
