import logging

from celery import shared_task

from portal.statistics.cubes import refresh_rollup

logger = logging.getLogger(__name__)


# Idempotent: each run replaces the cached rollup with a fresh one. At a million decision
# records one run takes tens of seconds on PostgreSQL (see bench/statistics.py).
@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def refresh_statistics_rollup_task() -> None:
    rollup = refresh_rollup()
    logger.info("statistics rollup refreshed (built at %s)", rollup.built_at.isoformat())
