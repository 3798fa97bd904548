"""Reads for the applicant's own credentials. Another person's credential is a 404."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from credentials.models import Credential, VerificationRun
from credentials.vocabulary import Status
from users.models import User


def credentials_owned_by(*, applicant: User) -> QuerySet[Credential]:
    return Credential.objects.filter(owner=applicant)


def credential_owned_by(*, applicant: User, pk: int) -> Credential:
    """The applicant's credential, or Http404 — whether or not someone else's exists."""
    return get_object_or_404(Credential, pk=pk, owner=applicant)


def runs_of(*, credential: Credential) -> QuerySet[VerificationRun]:
    return credential.runs.all()


def has_recipient_mismatch(*, applicant: User) -> bool:
    return Credential.objects.filter(owner=applicant, status=Status.RECIPIENT_MISMATCH).exists()
