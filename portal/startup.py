"""Turn configuration mistakes into one clear line instead of a traceback wall."""

import sys
from urllib.parse import urlsplit


def _database_location() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return str(db["NAME"])
    return f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{db.get('NAME')}"


def run_management_command(argv: list[str]) -> None:
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:
        sys.exit(f"Configuration error: {exc}")
    except OperationalError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        sys.exit(
            f"Cannot use the database at {_database_location()}: {first_line}. "
            "Check DATABASE_URL and that the server is running."
        )
    except ConnectionRefusedError as exc:
        sys.exit(f"Cannot reach a required service: {exc}. Check CELERY_BROKER_URL and REDIS_URL.")


def redacted(url: str) -> str:
    """A URL with its password hidden, for messages and /healthz."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url
