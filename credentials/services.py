"""Writes for the applicant's credentials: intake, verification runs, re-checks, deletion.

Views, tasks, the demo loader and tests all call these functions; none reads a request.
"""

from __future__ import annotations

import hashlib
import logging
import random
from collections.abc import Collection
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
from credentials.verification.registry import IssuerRegistry
from credentials.verification.result import ENGINE_VERSION, CheckResult, VerificationReport
from credentials.verification.safe_fetcher import SafeFetcher
from credentials.vocabulary import CheckId, CredentialFormat, Outcome, Status
from users.models import User

logger = logging.getLogger(__name__)

# Retries of an issuer that could not be reached, on a widening schedule: 10 s, 20 s,
# 40 s … doubling up to an hour, then hourly, for about a day (each delay scaled by a random
# 50-100 % so a host that comes back is not hit by every retry at once). A host down for
# minutes is checked again minutes after it is back, not hours. The schedule lives in
# next_check_at, which the sweep (credentials.tasks) reads every few seconds; no task
# waits in the broker for its countdown (a countdown longer than the broker's visibility
# timeout would be delivered again and again).
RETRY_BASE_SECONDS = 10
RETRY_MAX_SECONDS = 3600
MAX_UNREACHABLE_RETRIES = 32  # 10 s … 2,560 s (≈ 1.4 h), then 23 hourly: about a day
# After the retries run out, the sweep tries an unverifiable credential again this much
# later rather than waiting the full CREDENTIAL_RECHECK_DAYS.
UNVERIFIABLE_RECHECK = timedelta(hours=6)
# How long a worker holds a credential: past the hard task time limit, so a claim only
# runs out once the task that made it is certainly dead.
CLAIM_MARGIN = timedelta(seconds=5)
MAX_LINK_LENGTH = 2000  # Credential.source_url
# How long a sent task holds its credential against the sweeps: a task waiting in a
# backed-up queue is sent again once per lease, not once per sweep.
QUEUE_LEASE = timedelta(minutes=15)
# When the broker's queue is empty, a task sent this long ago that has not started was lost
# (a Redis restart without persistence, a worker killed with it reserved): sent again then,
# not when its lease runs out. Longer than the longest countdown (INFRASTRUCTURE_RETRY cap).
LOST_AFTER = timedelta(seconds=45)
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
    next_check_at: datetime | None = None


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


def run_verification(*, credential_id: int, trigger: Trigger, claimed_by: str = "") -> RunOutcome:
    """Verify one credential if it is due and no other worker holds it; record the run.

    ``claimed_by`` ("<worker> <task id>") names the holder of the claim; a claim this same
    holder made before (a retry after a database error) is taken back rather than waited out.
    """
    now = timezone.now()
    claim_until = now + timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + CLAIM_MARGIN
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    if claimed_by:
        free |= Q(claimed_by=claimed_by)
    claimed = (
        Credential.objects.filter(pk=credential_id)
        .filter(Q(next_check_at__isnull=True) | Q(next_check_at__lte=now))
        .filter(free)
        .update(claimed_until=claim_until, claimed_by=claimed_by[:255])
    )
    if not claimed:
        return RunOutcome(ran=False)
    credential = Credential.objects.select_related("owner").get(pk=credential_id)
    # Retries of an unreachable issuer count on from the run before: the schedule widens.
    previous = (
        VerificationRun.objects.filter(credential_id=credential_id)
        .order_by("-finished_at", "-pk")
        .values("status", "retryable", "attempt")
        .first()
    )
    attempt = 0
    if previous and previous["status"] == Status.UNVERIFIABLE and previous["retryable"]:
        attempt = previous["attempt"] + 1
        if trigger == Trigger.RECHECK:
            trigger = Trigger.RETRY
    started_at = timezone.now()
    report = _verify(credential)
    answers = answers_from_checks(report.checks, report.credential).as_json()
    finished_at = timezone.now()

    if report.status == Status.UNVERIFIABLE:
        if report.retryable and attempt < MAX_UNREACHABLE_RETRIES:
            next_check_at = finished_at + timedelta(seconds=retry_delay(attempt))
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
            **changes,
            next_check_at=next_check_at,
            claimed_until=None,
            claimed_by="",
            queued_until=None,
        )
    return RunOutcome(ran=True, status=report.status, next_check_at=next_check_at)


def credentials_due_for_recheck(
    *, now: datetime, limit: int, queue_empty: bool = False
) -> list[int]:
    """Settled credentials whose next check time has passed (a re-check, or the next retry
    of an unreachable issuer) and that no task holds, now marked as queued: the caller
    sends one task for each id returned. ``queue_empty``: the broker's queue holds nothing,
    so a task sent more than LOST_AFTER ago that never started was lost."""
    candidates = (
        Credential.objects.filter(next_check_at__lte=now)
        .exclude(status=Status.PENDING)
        .filter(_not_queued(now, queue_empty=queue_empty))
        .order_by("next_check_at")
        .values_list("pk", flat=True)[:limit]
    )
    return _mark_queued(list(candidates), now=now, queue_empty=queue_empty)


def credentials_stuck_pending(*, now: datetime, limit: int, queue_empty: bool = False) -> list[int]:
    """Pending credentials with no task on the way (the send failed, the broker lost it, or
    its lease ran out), now marked as queued: the caller sends one task for each id."""
    candidates = (
        Credential.objects.filter(status=Status.PENDING)
        .filter(_not_queued(now, queue_empty=queue_empty))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return _mark_queued(list(candidates), now=now, queue_empty=queue_empty)


def release_claims_of_dead_workers(*, alive: Collection[str], now: datetime) -> int:
    """Free the credentials held by workers not in ``alive`` (their heartbeat stopped: the
    process was killed), so the sweep sends them again now instead of when the claim runs
    out. Claims made outside a worker (``claimed_by`` empty) are left to run out."""
    held = Credential.objects.filter(claimed_until__gt=now).exclude(claimed_by="")
    for worker in alive:
        held = held.exclude(claimed_by__startswith=f"{worker} ")
    ids = list(held.values_list("pk", flat=True)[:1000])
    if ids:
        logger.warning("releasing %d credentials held by workers that stopped", len(ids))
    return Credential.objects.filter(pk__in=ids).update(
        claimed_until=None, claimed_by="", queued_until=None
    )


def release_credential(credential_id: int) -> None:
    """Nothing holds or waits for this credential any more (its task gave up or could not be
    sent): the next sweep sends it again."""
    Credential.objects.filter(pk=credential_id).update(
        claimed_until=None, claimed_by="", queued_until=None
    )


def _not_queued(now: datetime, *, queue_empty: bool = False) -> Q:
    """No task is waiting for the credential or running on it."""
    lease_ended = now + QUEUE_LEASE - LOST_AFTER if queue_empty else now
    return (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)) & (
        Q(queued_until__isnull=True) | Q(queued_until__lt=lease_ended)
    )


def _mark_queued(ids: list[int], *, now: datetime, queue_empty: bool = False) -> list[int]:
    """The ids this call marked as queued, one conditional update each: two sweeps that
    overlap (or a sweep and a re-check) never both send a task for the same credential."""
    lease = now + QUEUE_LEASE
    not_queued = _not_queued(now, queue_empty=queue_empty)
    return [
        pk
        for pk in ids
        if Credential.objects.filter(pk=pk).filter(not_queued).update(queued_until=lease)
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

    Like ``delay_on_commit``, but a broker that is down or frozen neither fails nor holds
    up the request (the broker's socket timeouts bound the send): the credential is kept,
    marked as not queued, and the sweep sends it once the broker answers again.
    """
    transaction.on_commit(partial(send_verification, credential_id, trigger), robust=True)


def send_verification(credential_id: int, trigger: Trigger) -> bool:
    """Publish the verification task now; False (and the credential left for the sweep)
    when the broker cannot take it."""
    from credentials.tasks import verify_credential_task  # tasks import this module

    try:
        verify_credential_task.delay(credential_id, str(trigger))
    except Exception as error:  # kombu and redis-py raise many kinds of connection errors
        logger.warning(
            "could not queue credential %s (%s: %s); the sweep will send it",
            credential_id,
            type(error).__name__,
            error,
        )
        Credential.objects.filter(pk=credential_id).update(queued_until=None)
        return False
    return True


def _issuer_registry() -> IssuerRegistry | None:
    """The registries the portal keeps (entries by hand and imported ones); None while it
    keeps none, so the registry check can say there is nothing to compare with."""
    registry = DatabaseRegistry()
    return registry if registry.has_entries() else None


def verification_context(*, recipient_emails: tuple[str, ...] = ()) -> VerificationContext:
    """The fetcher and registry every verification uses: uploads and the public verifier
    (which has no applicant, so no recipient is checked)."""
    return VerificationContext(
        fetcher=SafeFetcher.from_settings(),
        issuer_registry=_issuer_registry(),
        recipient_emails=recipient_emails,
    )


def _verify(credential: Credential) -> VerificationReport:
    context = verification_context(
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
            engine_version=ENGINE_VERSION,
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
