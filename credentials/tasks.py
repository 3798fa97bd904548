"""Celery entry points: thin wrappers around credentials.services."""

import logging
import uuid

from celery import Task, current_app, shared_task
from celery.exceptions import Reject
from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from credentials import services
from credentials.models import Trigger
from credentials.registries.services import refresh_all_registries
from credentials.verification.safe_fetcher import SafeFetcher

logger = logging.getLogger(__name__)

SWEEP_BATCH = 200
# This worker's process tree: made when the worker's main process imports the tasks, before
# its pool forks, so every child process shares it; a restarted worker gets a new one even
# under the same host name. Heartbeats (portal.tasks) and claims name workers this way.
WORKER_INSTANCE = uuid.uuid4().hex[:12]
# The database or the broker went away mid-task (a restart, a failover, a terminated
# connection): retried quickly, 1 s doubling to 30 s, for about two minutes.
INFRASTRUCTURE_ERRORS = (OperationalError, InterfaceError, BrokerError)
INFRASTRUCTURE_RETRIES = 8
INFRASTRUCTURE_RETRY_MAX_SECONDS = 30


def worker_name(nodename: str | None) -> str:
    """How heartbeats and claims name this worker: its node name and instance."""
    return f"{nodename or 'worker'}/{WORKER_INSTANCE}"


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=INFRASTRUCTURE_RETRIES,
    # The claim in run_verification lasts CELERY_TASK_TIME_LIMIT, so the same limits here.
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    ignore_result=True,
)
def verify_credential_task(self: Task, credential_id: int, trigger: str = Trigger.UPLOAD) -> None:
    holder = f"{worker_name(self.request.hostname)} {self.request.id}"
    try:
        outcome = services.run_verification(
            credential_id=credential_id, trigger=Trigger(trigger), claimed_by=holder
        )
    except INFRASTRUCTURE_ERRORS as error:
        # The connection is unusable now; the retry opens a new one.
        close_old_connections()
        countdown = min(2**self.request.retries, INFRASTRUCTURE_RETRY_MAX_SECONDS)
        logger.warning(
            "credential %s: %s (%s); retrying in %d s",
            credential_id,
            type(error).__name__,
            error,
            countdown,
        )
        try:
            raise self.retry(exc=error, countdown=countdown) from error
        except (*INFRASTRUCTURE_ERRORS, Reject):
            # Out of retries (the error again), or the retry could not be sent (Reject):
            # let the sweep take it over.
            _release_quietly(credential_id)
            raise
    if not outcome.ran:
        # Gone, already checked by an earlier delivery, or held by another worker.
        logger.info("credential %s: nothing to verify now", credential_id)


def _release_quietly(credential_id: int) -> None:
    try:
        services.release_credential(credential_id)
    except INFRASTRUCTURE_ERRORS:
        logger.warning("credential %s: left for its claim to run out", credential_id)


def broker_queue_is_empty() -> bool:
    """No message waits in the verification queue (False when the broker cannot say)."""
    try:
        with current_app.connection_for_read() as connection:
            declared = connection.default_channel.queue_declare(
                queue=current_app.conf.task_default_queue, durable=True, auto_delete=False
            )
    except Exception:  # kombu transports raise their own errors; "don't know" is not empty
        return False
    return int(declared.message_count) == 0


def _send_all(ids: list[int], trigger: Trigger) -> int:
    """Send one task per id; on the first that cannot be sent, stop and leave the rest for
    the next sweep (marked as not queued), rather than wait on a broker that is down."""
    for sent, credential_id in enumerate(ids):
        if not services.send_verification(credential_id, trigger):
            for rest in ids[sent + 1 :]:
                services.release_credential(rest)
            return sent
    return len(ids)


@shared_task(ignore_result=True)
def recheck_due_credentials_task() -> int:
    """Beat: check settled credentials again whose next check is due: the retries of an
    unreachable issuer, and the periodic re-checks that notice revocations and expiries."""
    ids = services.credentials_due_for_recheck(
        now=timezone.now(), limit=SWEEP_BATCH, queue_empty=broker_queue_is_empty()
    )
    return _send_all(ids, Trigger.RECHECK)


@shared_task(ignore_result=True)
def requeue_stuck_pending_task() -> int:
    """Beat: queue again the credentials whose first check has no task on the way."""
    ids = services.credentials_stuck_pending(
        now=timezone.now(), limit=SWEEP_BATCH, queue_empty=broker_queue_is_empty()
    )
    if ids:
        logger.warning("re-queueing %d credentials stuck in pending", len(ids))
    return _send_all(ids, Trigger.UPLOAD)


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
