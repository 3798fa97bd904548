"""Reachability of the database, the broker and at least one worker, for /healthz."""

from typing import Any

from django.db import connection

from portal.celery import app as celery_app


def _database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True}
    except Exception as exc:  # any driver error means "not reachable"
        return {"ok": False, "error": type(exc).__name__}


def _broker() -> dict[str, Any]:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"ok": True}
    except Exception as exc:  # kombu raises many transport-specific errors
        return {"ok": False, "error": type(exc).__name__}


def _workers() -> dict[str, Any]:
    try:
        replies = celery_app.control.ping(timeout=1.0) or []
    except Exception as exc:  # the filesystem transport has no broadcast; others may be down
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": bool(replies), "count": len(replies)}


def health_report() -> dict[str, Any]:
    checks = {"database": _database(), "broker": _broker(), "workers": _workers()}
    return {"ok": all(c["ok"] for c in checks.values()), "checks": checks}
