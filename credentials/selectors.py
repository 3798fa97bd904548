"""Reads for the applicant's own credentials. Another person's credential is a 404."""

from collections.abc import Collection

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


def waiting_for_the_broker(*, applicant: User, credential_ids: Collection[int]) -> int:
    """How many of these pending credentials wait for the broker (their task could not be
    sent; the sweep sends it once the broker answers): what the upload page tells the
    applicant, so "checking now" is only said when it is true."""
    return Credential.objects.filter(
        owner=applicant, pk__in=credential_ids, status=Status.PENDING, queued_until__isnull=True
    ).count()
