import logging
import socket

from celery import shared_task
from celery.signals import worker_ready
from django.utils import timezone

from portal.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def record_heartbeat(hostname: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname[:255], defaults={"seen_at": timezone.now()}
    )


@shared_task(ignore_result=True, acks_late=False, expires=60)
def record_worker_heartbeat_task() -> str:
    """Scheduled by beat every HEALTH_HEARTBEAT_SECONDS; whichever worker runs it is alive."""
    hostname = record_worker_heartbeat_task.request.hostname or socket.gethostname()
    record_heartbeat(hostname)
    return hostname


@worker_ready.connect
def _heartbeat_on_start(sender: object = None, **kwargs: object) -> None:
    hostname = getattr(sender, "hostname", None) or socket.gethostname()
    try:
        record_heartbeat(hostname)
    except Exception:  # a worker must start even if the database is briefly unavailable
        logger.exception("could not record the start-up heartbeat of %s", hostname)
