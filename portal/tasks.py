"""Worker liveness (heartbeats for /healthz and for the sweep) and the verification sweep."""

import logging
import socket
import threading
from datetime import timedelta

from celery import Task, shared_task
from celery.signals import worker_ready, worker_shutdown
from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from credentials import services as credential_services
from credentials import tasks as credential_tasks
from portal.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# Heartbeats older than this are forgotten (a worker that stopped for good).
FORGET_WORKERS_AFTER = timedelta(days=1)


def record_heartbeat(hostname: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname[:255], defaults={"seen_at": timezone.now()}
    )


def live_workers() -> list[str]:
    """Workers whose heartbeat is recent: three beats missed is a dead worker."""
    since = timezone.now() - timedelta(seconds=settings.HEALTH_HEARTBEAT_SECONDS * 3)
    return list(
        WorkerHeartbeat.objects.filter(seen_at__gte=since).values_list("hostname", flat=True)
    )


@shared_task(ignore_result=True, acks_late=False, expires=60)
def record_worker_heartbeat_task() -> str:
    """Whichever worker runs it is alive (the worker's own heartbeat thread does the same
    every HEALTH_HEARTBEAT_SECONDS; this one also shows the broker delivers)."""
    hostname = credential_tasks.worker_name(
        record_worker_heartbeat_task.request.hostname or socket.gethostname()
    )
    record_heartbeat(hostname)
    return hostname


@shared_task(bind=True, ignore_result=True, acks_late=False, expires=30)
def sweep_verifications_task(self: Task) -> dict[str, int]:
    """Beat, every VERIFICATION_SWEEP_SECONDS: free the credentials of workers that died,
    then send what has no task on the way (lost uploads, due re-checks and retries)."""
    now = timezone.now()
    alive = live_workers()
    released = 0
    # The worker running this sweep is alive: if its own heartbeat looks stale, heartbeats
    # are lagging (the database was away) and every worker would look dead.
    if credential_tasks.worker_name(self.request.hostname) in alive or not self.request.hostname:
        released = credential_services.release_claims_of_dead_workers(alive=alive, now=now)
    WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_WORKERS_AFTER).delete()
    return {
        "released": released,
        "pending": credential_tasks.requeue_stuck_pending_task(),
        "due": credential_tasks.recheck_due_credentials_task(),
    }


class _Heartbeat(threading.Thread):
    """Writes this worker's heartbeat every HEALTH_HEARTBEAT_SECONDS from its main process,
    whatever its pool is doing, so a killed worker is noticed within seconds."""

    def __init__(self, name: str) -> None:
        super().__init__(name="portal-heartbeat", daemon=True)
        self.worker = name
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            # Drops this thread's connection when it broke or grew older than CONN_MAX_AGE.
            close_old_connections()
            try:
                record_heartbeat(self.worker)
            except Exception:  # the database is away: the next beat tries a new connection
                logger.warning("could not record the heartbeat of %s", self.worker, exc_info=True)
            self.stopping.wait(settings.HEALTH_HEARTBEAT_SECONDS)


_heartbeat: _Heartbeat | None = None


@worker_ready.connect
def _start_heartbeat(sender: object = None, **kwargs: object) -> None:
    global _heartbeat
    name = credential_tasks.worker_name(getattr(sender, "hostname", None) or socket.gethostname())
    _heartbeat = _Heartbeat(name)
    _heartbeat.start()


@worker_shutdown.connect
def _stop_heartbeat(**kwargs: object) -> None:
    if _heartbeat is not None:
        _heartbeat.stopping.set()
