"""Every credential issued by Digital Bazaar's libraries gets its expected verdict."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from credentials.verification.context import VerificationContext
from credentials.verification.engine import verify_bytes
from credentials.vocabulary import CheckId, Outcome, Status
from tests.fetchers import StaticFetcher

STATUS_LIST_URL = "https://status.example.test/status/1"


def _context(interop_dir: Path, now: datetime, **kwargs: object) -> VerificationContext:
    fetcher = StaticFetcher({STATUS_LIST_URL: (interop_dir / "status-list-1.json").read_bytes()})
    return VerificationContext(fetcher=fetcher, now=now, **kwargs)  # type: ignore[arg-type]


def _expected(interop_dir: Path) -> dict[str, str]:
    return json.loads((interop_dir / "expected.json").read_text())


def test_every_interop_fixture_gets_its_expected_verdict(interop_dir: Path, now: datetime) -> None:
    expected = _expected(interop_dir)
    assert len(expected) >= 9
    got = {}
    for name in expected:
        report = verify_bytes((interop_dir / name).read_bytes(), ctx=_context(interop_dir, now))
        got[name] = str(report.status)
    assert got == expected


def test_revoked_fixture_is_revoked_by_its_status_bit(interop_dir: Path, now: datetime) -> None:
    data = (interop_dir / "ob3-v2-eddsa-revoked.json").read_bytes()
    report = verify_bytes(data, ctx=_context(interop_dir, now))
    revocation = next(c for c in report.checks if c.check == CheckId.REVOCATION)
    assert (revocation.outcome, revocation.code, revocation.params["index"]) == (
        Outcome.FAILED,
        "status_revoked",
        "7",
    )


def test_status_list_unreachable_is_unverifiable_and_retryable(
    interop_dir: Path, now: datetime
) -> None:
    data = (interop_dir / "ob3-v2-eddsa-status-active.json").read_bytes()
    report = verify_bytes(data, ctx=VerificationContext(fetcher=StaticFetcher(), now=now))
    assert report.status == Status.UNVERIFIABLE
    assert report.retryable is True


def test_interop_recipient_matches_the_named_applicant(interop_dir: Path, now: datetime) -> None:
    data = (interop_dir / "ob3-v2-eddsa-valid.json").read_bytes()
    mine = verify_bytes(
        data, ctx=_context(interop_dir, now, recipient_emails=("hanako.yamada@example.jp",))
    )
    other = verify_bytes(
        data, ctx=_context(interop_dir, now, recipient_emails=("taro@example.jp",))
    )
    assert (mine.status, other.status) == (Status.VERIFIED, Status.RECIPIENT_MISMATCH)


@pytest.mark.parametrize("name", ["ob3-v2-eddsa-valid-baked.png", "ob3-v2-eddsa-valid-baked.svg"])
def test_baked_fixtures_carry_the_same_record_as_the_json(
    interop_dir: Path, now: datetime, name: str
) -> None:
    baked = verify_bytes((interop_dir / name).read_bytes(), ctx=_context(interop_dir, now))
    plain = verify_bytes(
        (interop_dir / "ob3-v2-eddsa-valid.json").read_bytes(), ctx=_context(interop_dir, now)
    )
    assert baked.credential is not None
    assert plain.credential is not None
    assert baked.credential.title == plain.credential.title == "Applied Data Analysis with Python"
    assert str(baked.credential.container) == name.rsplit(".", 1)[1]
