"""XML Schema dateTime values as credentials write them (reference §3.1 "Date parsing")."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

_DATETIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<time>\d{2}:\d{2}:\d{2})(?:\.(?P<fraction>\d+))?"
    r"(?P<zone>[Zz]|[+-]\d{2}:\d{2})?"
)


def parse_datetime(value: Any) -> datetime | None:
    """An aware UTC datetime, or None when ``value`` is not a dateTime string.

    A value without a zone is read as UTC (the specs require a zone; issuers omit it).
    Fractions beyond microseconds are cut, not rounded.
    """
    if not isinstance(value, str) or len(value) > 64:
        return None
    match = _DATETIME.fullmatch(value.strip())
    if match is None:
        return None
    fraction = (match["fraction"] or "")[:6].ljust(6, "0")
    zone = match["zone"] or "+00:00"
    zone = "+00:00" if zone in ("Z", "z") else zone
    try:
        parsed = datetime.fromisoformat(f"{match['date']}T{match['time']}.{fraction}{zone}")
    except ValueError:
        return None
    return parsed.astimezone(UTC)
