"""Celery entry points: thin wrappers around credentials.services."""

import logging
from datetime import timedelta

from celery import Task, shared_task
from django.conf import settings
from django.utils import timezone

from credentials import services
from credentials.models import Trigger
from credentials.registries.services import refresh_all_registries
from credentials.verification.fetcher import SafeFetcher

logger = logging.getLogger(__name__)

MAX_RETRIES = 5
# A credential still pending this long after upload lost its task (broker outage, a
# worker killed before it claimed the row); the sweep queues it again.
STUCK_PENDING_AFTER = timedelta(minutes=5)
SWEEP_BATCH = 200


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    # The claim in run_verification lasts CELERY_TASK_TIME_LIMIT, so the same limits here.
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    ignore_result=True,
)
def verify_credential_task(self: Task, credential_id: int, trigger: str = Trigger.UPLOAD) -> None:
    attempt = self.request.retries
    outcome = services.run_verification(
        credential_id=credential_id,
        trigger=Trigger.RETRY if attempt else Trigger(trigger),
        attempt=attempt,
        final_attempt=attempt >= MAX_RETRIES,
    )
    if not outcome.ran:
        # Gone, already checked by an earlier delivery, or held by another worker.
        logger.info("credential %s: nothing to verify now", credential_id)
        return
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)


@shared_task(ignore_result=True)
def recheck_due_credentials_task() -> int:
    """Beat: check settled credentials again so revocations and expiries are noticed."""
    ids = services.credentials_due_for_recheck(now=timezone.now(), limit=SWEEP_BATCH)
    for credential_id in ids:
        verify_credential_task.delay(credential_id, str(Trigger.RECHECK))
    return len(ids)


@shared_task(ignore_result=True)
def requeue_stuck_pending_task() -> int:
    """Beat: queue again the credentials whose first check never ran."""
    ids = services.credentials_stuck_pending(
        now=timezone.now(), older_than=STUCK_PENDING_AFTER, limit=SWEEP_BATCH
    )
    for credential_id in ids:
        verify_credential_task.delay(credential_id, str(Trigger.UPLOAD))
    if ids:
        logger.warning("re-queued %d credentials stuck in pending", len(ids))
    return len(ids)


@shared_task(
    acks_late=True,
    ignore_result=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def refresh_issuer_registries_task() -> dict[str, str]:
    """Beat: fetch every enabled registry again from its address (each import is atomic,
    so running twice or being killed half-way leaves every registry whole)."""
    return refresh_all_registries(fetcher=SafeFetcher.from_settings())
