"""Fixtures shared by the credential tests: the interop fixture folder and a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

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
