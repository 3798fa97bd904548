"""Writes for the applicant's credentials: intake, verification runs, re-checks, deletion.

Views, tasks, the demo loader and tests all call these functions; none reads a request.
"""

from __future__ import annotations

import hashlib
import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from credentials.exceptions import (
    CredentialLimitReached,
    CredentialStorageFull,
    InvalidLink,
    NotALearningCredential,
    UnsupportedFileType,
    UploadEmpty,
    UploadTooLarge,
)
from credentials.explanation.stored import explanation_version, stored_explanations
from credentials.formats.detect import ExtractionError, classify
from credentials.formats.kinds import uploaded_non_credential_kind
from credentials.formats.record import CredentialRecord
from credentials.frameworks.catalogue import framework
from credentials.frameworks.levels import detect_level
from credentials.models import Credential, Trigger, VerificationRun
from credentials.registries.lookup import DatabaseRegistry
from credentials.sniff import CONTENT_TYPES
from credentials.verification import engine
from credentials.verification.answers import answers_from_checks
from credentials.verification.context import VerificationContext
from credentials.verification.fetcher import SafeFetcher
from credentials.verification.registry import IssuerRegistry
from credentials.verification.result import CheckResult, VerificationReport
from credentials.vocabulary import CheckId, CredentialFormat, Outcome, Status
from users.models import User

logger = logging.getLogger(__name__)

# Retries of an issuer that could not be reached: 10 s, 20 s, 40 s, 80 s, 160 s (each
# scaled by a random 50-100 % so a host that comes back is not hit by every retry at once).
RETRY_BASE_SECONDS = 10
RETRY_MAX_SECONDS = 600
# After the retries run out, the re-check sweep tries an unverifiable credential again
# this much later rather than waiting the full CREDENTIAL_RECHECK_DAYS.
UNVERIFIABLE_RECHECK = timedelta(hours=6)
# How long a worker holds a credential: past the hard task time limit, so a claim only
# runs out once the task that made it is certainly dead.
CLAIM_MARGIN = timedelta(seconds=5)
MAX_LINK_LENGTH = 2000  # Credential.source_url
# How long a sent task holds its credential against the sweeps (every 2 and 5 minutes):
# a task waiting in a backed-up queue is sent again once per lease, not once per sweep.
QUEUE_LEASE = timedelta(minutes=15)
# A manual re-check this soon after the last one would only repeat its answer.
RECHECK_COOLDOWN = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Submission:
    credential: Credential
    created: bool  # False when the applicant had already added this exact file or link


@dataclass(frozen=True, slots=True)
class RunOutcome:
    ran: bool  # False when another worker held the credential or it was not due
    status: Status | None = None
    retry_in: float | None = None  # seconds, when the task should retry


def submit_upload(*, applicant: User, data: bytes, filename: str) -> Submission:
    """Keep the applicant's file byte for byte and queue its first verification."""
    filename = filename[:255]
    if not data:
        raise UploadEmpty(filename=filename)
    if len(data) > settings.CREDENTIAL_MAX_UPLOAD_BYTES:
        raise UploadTooLarge(filename=filename, limit=settings.CREDENTIAL_MAX_UPLOAD_BYTES)
    # The engine's own classifier: what it would call unreadable for its kind or size is
    # refused here, with a message the applicant can act on, rather than kept as malformed.
    try:
        container = classify(data)
    except ExtractionError as error:
        if error.code == "input_too_large":
            raise UploadTooLarge(filename=filename, limit=int(error.params["limit"])) from None
        if error.code == "input_empty":
            raise UploadEmpty(filename=filename) from None
        raise UnsupportedFileType(filename=filename) from None
    if kind := uploaded_non_credential_kind(data):
        raise NotALearningCredential(filename=filename, kind=kind)
    content_type = CONTENT_TYPES[container]
    digest = hashlib.sha256(data).hexdigest()
    existing = Credential.objects.filter(owner=applicant, sha256=digest).first()
    if existing is not None:
        return Submission(credential=existing, created=False)
    try:
        with transaction.atomic():
            _check_caps(applicant, adding_bytes=len(data))
            credential = Credential.objects.create(
                owner=applicant,
                sha256=digest,
                original_name=filename,
                content_type=content_type,
                size=len(data),
                queued_until=timezone.now() + QUEUE_LEASE,
            )
            # ".bin" whatever the type, so no storage or web server ever serves it as SVG.
            credential.original.save(f"{digest}.bin", ContentFile(data), save=True)
    except IntegrityError:
        # The same file sent twice at once: the other request created it.
        return Submission(
            credential=Credential.objects.get(owner=applicant, sha256=digest), created=False
        )
    queue_verification(credential.pk, Trigger.UPLOAD)
    return Submission(credential=credential, created=True)


def submit_link(*, applicant: User, url: str) -> Submission:
    """Record a link to a hosted credential; the task fetches it through the safe fetcher."""
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise InvalidLink() from None
    if len(url) > MAX_LINK_LENGTH:
        raise InvalidLink()
    # One credential per link and applicant; the prefix keeps a link apart from a file
    # whose bytes happen to be the same text.
    digest = hashlib.sha256(b"url:" + url.encode()).hexdigest()
    existing = Credential.objects.filter(owner=applicant, sha256=digest).first()
    if existing is not None:
        return Submission(credential=existing, created=False)
    try:
        with transaction.atomic():
            _check_caps(applicant, adding_bytes=0)
            credential = Credential.objects.create(
                owner=applicant,
                sha256=digest,
                source_url=url,
                queued_until=timezone.now() + QUEUE_LEASE,
            )
    except IntegrityError:
        return Submission(
            credential=Credential.objects.get(owner=applicant, sha256=digest), created=False
        )
    queue_verification(credential.pk, Trigger.UPLOAD)
    return Submission(credential=credential, created=True)


def request_recheck(*, applicant: User, credential: Credential) -> bool:
    """Check one of the applicant's credentials again now. False (and nothing queued) when
    it was checked in the last minute, or a check is already due, queued or running: a
    button pressed repeatedly must not fill the queue."""
    now = timezone.now()
    accepted = (
        Credential.objects.filter(pk=credential.pk, owner=applicant, next_check_at__gt=now)
        .exclude(last_checked_at__gt=now - RECHECK_COOLDOWN)
        .filter(_not_queued(now))
        .update(next_check_at=now, queued_until=now + QUEUE_LEASE)
    )
    if accepted:
        queue_verification(credential.pk, Trigger.MANUAL)
    return bool(accepted)


def recheck_after_new_address(*, applicant: User) -> int:
    """A newly verified e-mail address may be the one a credential was issued to."""
    now = timezone.now()
    ids = Credential.objects.filter(owner=applicant, status=Status.RECIPIENT_MISMATCH).values_list(
        "pk", flat=True
    )
    Credential.objects.filter(pk__in=ids).update(next_check_at=now)
    queued = _mark_queued(list(ids), now=now)
    for pk in queued:
        queue_verification(pk, Trigger.MANUAL)
    return len(queued)


def delete_credential(*, applicant: User, credential: Credential) -> None:
    """Delete the credential, its runs and its file. Shares with employers go with it;
    decisions HR recorded keep their own snapshot (their link is set to null)."""
    with transaction.atomic():
        deleted, _ = Credential.objects.filter(pk=credential.pk, owner=applicant).delete()
    name = credential.original.name
    if deleted and name:
        transaction.on_commit(partial(credential.original.storage.delete, name), robust=True)


def retry_delay(attempt: int) -> float:
    """Seconds before retry number ``attempt + 1``: exponential backoff with jitter."""
    ceiling = min(RETRY_BASE_SECONDS * 2**attempt, RETRY_MAX_SECONDS)
    return ceiling * random.uniform(0.5, 1.0)  # noqa: S311 — jitter, not security


def run_verification(
    *, credential_id: int, trigger: Trigger, attempt: int = 0, final_attempt: bool = True
) -> RunOutcome:
    """Verify one credential if it is due and no other worker holds it; record the run."""
    now = timezone.now()
    claim_until = now + timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + CLAIM_MARGIN
    claimed = (
        Credential.objects.filter(pk=credential_id)
        .filter(Q(next_check_at__isnull=True) | Q(next_check_at__lte=now))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=claim_until)
    )
    if not claimed:
        return RunOutcome(ran=False)
    credential = Credential.objects.select_related("owner").get(pk=credential_id)
    started_at = timezone.now()
    report = _verify(credential)
    answers = answers_from_checks(report.checks, report.credential).as_json()
    finished_at = timezone.now()

    retry_in = None
    if report.status == Status.UNVERIFIABLE:
        if report.retryable and not final_attempt:
            retry_in = retry_delay(attempt)
            next_check_at = finished_at + timedelta(seconds=retry_in)
        else:
            next_check_at = finished_at + UNVERIFIABLE_RECHECK
    else:
        next_check_at = finished_at + timedelta(days=settings.CREDENTIAL_RECHECK_DAYS)

    with transaction.atomic():
        # Lock the row for the insert below: a credential deleted while the engine ran
        # must not get a run pointing at it (an IntegrityError at commit).
        if not Credential.objects.select_for_update().filter(pk=credential_id).exists():
            logger.info("credential %s was deleted while it was verified", credential_id)
            return RunOutcome(ran=False)
        VerificationRun.objects.create(
            credential_id=credential_id,
            trigger=trigger,
            attempt=attempt,
            started_at=started_at,
            finished_at=finished_at,
            status=report.status,
            format=report.format,
            engine_version=report.engine_version,
            retryable=report.retryable,
            checks=[check.as_json() for check in report.checks],
            record=report.credential.as_json() if report.credential else {},
            answers=answers,
        )
        changes = _mirror_fields(credential, report, finished_at)
        changes["answers"] = answers
        Credential.objects.filter(pk=credential_id).update(
            **changes, next_check_at=next_check_at, claimed_until=None, queued_until=None
        )
    return RunOutcome(ran=True, status=report.status, retry_in=retry_in)


def credentials_due_for_recheck(*, now: datetime, limit: int) -> list[int]:
    """Settled credentials whose next check time has passed and that no task holds, now
    marked as queued: the caller sends one task for each id returned."""
    candidates = (
        Credential.objects.filter(next_check_at__lte=now)
        .exclude(status=Status.PENDING)
        .filter(_not_queued(now))
        .order_by("next_check_at")
        .values_list("pk", flat=True)[:limit]
    )
    return _mark_queued(list(candidates), now=now)


def credentials_stuck_pending(*, now: datetime, older_than: timedelta, limit: int) -> list[int]:
    """Credentials still pending well after upload whose task was lost (its lease ran out),
    now marked as queued: the caller sends one task for each id returned."""
    candidates = (
        Credential.objects.filter(status=Status.PENDING, created_at__lt=now - older_than)
        .filter(_not_queued(now))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return _mark_queued(list(candidates), now=now)


def _not_queued(now: datetime) -> Q:
    """No task is waiting for the credential or running on it."""
    return (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)) & (
        Q(queued_until__isnull=True) | Q(queued_until__lt=now)
    )


def _mark_queued(ids: list[int], *, now: datetime) -> list[int]:
    """The ids this call marked as queued, one conditional update each: two sweeps that
    overlap (or a sweep and a re-check) never both send a task for the same credential."""
    lease = now + QUEUE_LEASE
    return [
        pk
        for pk in ids
        if Credential.objects.filter(pk=pk).filter(_not_queued(now)).update(queued_until=lease)
    ]


def _check_caps(applicant: User, *, adding_bytes: int) -> None:
    """Refuse a credential past the applicant's count or byte cap. Call inside the
    transaction that inserts it: the lock on the applicant's row makes two uploads at once
    count one after the other instead of both passing a check made before either insert."""
    User.objects.select_for_update().filter(pk=applicant.pk).values_list("pk").first()
    mine = Credential.objects.filter(owner=applicant).aggregate(count=Count("pk"), size=Sum("size"))
    if mine["count"] >= settings.CREDENTIAL_MAX_PER_APPLICANT:
        raise CredentialLimitReached(limit=settings.CREDENTIAL_MAX_PER_APPLICANT)
    if (
        adding_bytes
        and (mine["size"] or 0) + adding_bytes > settings.CREDENTIAL_MAX_BYTES_PER_APPLICANT
    ):
        raise CredentialStorageFull(limit=settings.CREDENTIAL_MAX_BYTES_PER_APPLICANT)


def queue_verification(credential_id: int, trigger: Trigger) -> None:
    """Send the verification task once the current transaction commits.

    Like ``delay_on_commit``, but robust: if the broker is down the upload still succeeds
    and the credential stays pending until requeue_stuck_pending_task sends it again.
    """
    from credentials.tasks import verify_credential_task  # tasks import this module

    transaction.on_commit(
        partial(verify_credential_task.delay, credential_id, str(trigger)), robust=True
    )


def _issuer_registry() -> IssuerRegistry | None:
    """The registries the portal keeps (entries by hand and imported ones); None while it
    keeps none, so the registry check can say there is nothing to compare with."""
    registry = DatabaseRegistry()
    return registry if registry.has_entries() else None


def _verify(credential: Credential) -> VerificationReport:
    context = VerificationContext(
        fetcher=SafeFetcher.from_settings(),
        issuer_registry=_issuer_registry(),
        recipient_emails=tuple(
            EmailAddress.objects.filter(user=credential.owner, verified=True).values_list(
                "email", flat=True
            )
        ),
    )
    try:
        if credential.source_url and not credential.original:
            return engine.verify_url(credential.source_url, ctx=context)
        with credential.original.open("rb") as handle:
            data = handle.read()
        return engine.verify_bytes(data, ctx=context)
    except Exception:
        # The engine promises not to raise; if it does anyway, the credential must still
        # leave "pending" and be tried again hours later (not retryable), rather than loop
        # in the queue.
        logger.exception("the engine failed on credential %s", credential.pk)
        return VerificationReport(
            status=Status.UNVERIFIABLE,
            format=CredentialFormat(credential.format),
            checks=(CheckResult(CheckId.PARSE, Outcome.UNVERIFIABLE, "unexpected_error"),),
            credential=None,
            engine_version=engine.ENGINE_VERSION,
            retryable=False,
        )


def _mirror_fields(
    credential: Credential, report: VerificationReport, checked_at: datetime
) -> dict[str, object]:
    record = report.credential or CredentialRecord()
    changes: dict[str, object] = {
        "status": report.status,
        "format": report.format,
        "title": record.title[:500],
        "issuer_name": record.issuer_name[:500],
        "issuer_id": record.issuer_id[:2000],
        "level": _level_of(record)[:100],
        "field_of_study": record.field_of_study[:300],
        "issued_at": record.issued_at,
        "valid_until": record.valid_until,
        "record": record.as_json() if report.credential else {},
        "explanations": stored_explanations(record) if report.credential else {},
        "last_checked_at": checked_at,
    }
    if report.status != credential.status:
        changes["status_changed_at"] = checked_at
    if report.status == Status.VERIFIED and credential.first_verified_at is None:
        changes["first_verified_at"] = checked_at
    return changes


def _level_of(record: CredentialRecord) -> str:
    """The level the credential states, as "EQF 5" or "AQF 7"; "" when it states none."""
    statement = detect_level(record).primary
    if statement is None or not statement.framework_id:
        return ""
    known = framework(statement.framework_id)
    name = known.short_name if known else statement.framework_id.upper()
    return f"{name} {statement.code}"


def refresh_stale_explanations(*, batch_size: int = 500) -> int:
    """Re-explain every credential whose stored explanation was written by other wording,
    framework data or catalogues (after a deploy). No network: the record is already stored.
    Returns how many credentials were rewritten."""
    current = explanation_version()
    stale = (
        Credential.objects.exclude(record={})
        .exclude(explanations__version=current)
        .only("pk", "record")
        .order_by("pk")
    )
    rewritten = 0
    last_pk = 0
    while batch := list(stale.filter(pk__gt=last_pk)[:batch_size]):
        for credential in batch:
            credential.explanations = stored_explanations(
                CredentialRecord.from_json(credential.record)
            )
        Credential.objects.bulk_update(batch, ["explanations"])
        rewritten += len(batch)
        last_pk = batch[-1].pk
    return rewritten
