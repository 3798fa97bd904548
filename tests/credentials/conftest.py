"""Fixtures shared by the credential tests: the interop fixture folder, a fixed clock, the
verification tasks a test queued, and a signed-in applicant."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.credentials.applicants import applicant

ROOT = Path(__file__).resolve().parents[2]
INTEROP_DIR = ROOT.parent / "shared" / "fixtures" / "interop"


@pytest.fixture
def interop_dir() -> Path:
    if not INTEROP_DIR.is_dir():
        pytest.fail(f"the shared interop fixtures are missing at {INTEROP_DIR}")
    return INTEROP_DIR


@pytest.fixture
def now() -> datetime:
    """A fixed "now" after every fixture's issuance and before its expiry dates."""
    return datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str]]:
    """The (credential id, trigger) pairs sent to the verification task, instead of sending."""
    sent: list[tuple[int, str]] = []
    monkeypatch.setattr(
        "credentials.services.queue_verification",
        lambda pk, trigger: sent.append((pk, trigger)),
    )
    return sent


@pytest.fixture
def hanako(client):
    """The demo applicant, signed in, reading the English pages."""
    user = applicant()
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # assertions read the English texts
    return user
