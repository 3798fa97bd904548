"""Reachability of the database, the cache, the broker and at least one worker, for /healthz."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from portal.celery import app as celery_app
from portal.models import WorkerHeartbeat


def _database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True}
    except Exception as exc:  # any driver error means "not reachable"
        return {"ok": False, "error": type(exc).__name__}


def _cache() -> dict[str, Any]:
    ping = getattr(cache, "ping", None)
    if ping is None:  # the local-memory cache of a run without REDIS_URL is always there
        return {"ok": True}
    try:
        ping()
        return {"ok": True}
    except Exception as exc:  # redis-py raises connection and timeout errors
        return {"ok": False, "error": type(exc).__name__}


def _broker() -> dict[str, Any]:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"ok": True}
    except Exception as exc:  # kombu raises many transport-specific errors
        return {"ok": False, "error": type(exc).__name__}


def _workers() -> dict[str, Any]:
    # Heartbeats instead of a broadcast ping: the filesystem broker cannot broadcast.
    since = timezone.now() - timedelta(seconds=settings.HEALTH_HEARTBEAT_SECONDS * 3)
    try:
        alive = WorkerHeartbeat.objects.filter(seen_at__gte=since).count()
    except Exception as exc:  # the database being down is reported by _database
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": alive > 0, "count": alive}


def health_report() -> dict[str, Any]:
    checks = {
        "database": _database(),
        "cache": _cache(),
        "broker": _broker(),
        "workers": _workers(),
    }
    return {"ok": all(c["ok"] for c in checks.values()), "checks": checks}
