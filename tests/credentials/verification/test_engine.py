"""The engine's entry points: dispatch, never raising, verdict precedence, URLs and paths."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from credentials.formats.ob3 import parse_ob3
from credentials.verification import engine, vc
from credentials.verification.context import VerificationContext
from credentials.verification.engine import verify_bytes, verify_input, verify_url
from credentials.verification.fetcher import FetchResponse
from credentials.verification.registry import RegistryEntry, StaticRegistry
from credentials.verification.result import ENGINE_VERSION, CheckResult
from credentials.verification.verdict import status_from_checks
from credentials.vocabulary import CheckId, Container, CredentialFormat, Outcome, Status
from tests.credentials.issuers.dataintegrity import Issuer, bake_png, ob3_credential, sign
from tests.fetchers import StaticFetcher

ROOT = Path(__file__).resolve().parents[3]
EDC_FIXTURE = (
    ROOT
    / "tests"
    / "credentials"
    / "explanation"
    / "fixtures"
    / "edc-microcredential-ects-eqf6.json"
)
P, F, N, U = Outcome.PASSED, Outcome.FAILED, Outcome.NOT_APPLICABLE, Outcome.UNVERIFIABLE


def _signed(**kwargs: Any) -> bytes:
    issuer = Issuer.did_key()
    return json.dumps(sign(ob3_credential(issuer, **kwargs), issuer)).encode()


def _checks(**outcomes: Outcome) -> list[CheckResult]:
    return [CheckResult(CheckId(name), outcome, "x") for name, outcome in outcomes.items()]


@pytest.mark.parametrize(
    ("outcomes", "status"),
    [
        (
            {"parse": P, "schema": P, "proof": P, "issuer": P, "validity": P, "revocation": N},
            Status.VERIFIED,
        ),
        ({"parse": F}, Status.MALFORMED),
        ({"parse": P, "schema": F, "proof": N}, Status.MALFORMED),
        ({"parse": P, "schema": P, "proof": F, "validity": F, "revocation": F}, Status.FAILED),
        ({"parse": P, "schema": P, "proof": P, "issuer": F, "validity": F}, Status.FAILED),
        (
            {"parse": P, "schema": P, "proof": P, "issuer": P, "validity": F, "revocation": F},
            Status.REVOKED,
        ),
        (
            {"parse": P, "schema": P, "proof": P, "issuer": P, "validity": F, "recipient": F},
            Status.EXPIRED,
        ),
        (
            {"parse": P, "schema": P, "proof": P, "issuer": P, "recipient": F, "revocation": U},
            Status.RECIPIENT_MISMATCH,
        ),
        ({"parse": P, "schema": P, "proof": P, "issuer": P, "revocation": U}, Status.UNVERIFIABLE),
        # Unauthenticated data never decides "expired" or "revoked" (reference §8.2) ...
        ({"parse": P, "schema": P, "proof": U, "issuer": U, "validity": F}, Status.UNVERIFIABLE),
        ({"parse": P, "schema": P, "proof": P, "issuer": U, "revocation": F}, Status.UNVERIFIABLE),
        # ... and without a passed proof nothing is verified.
        ({"parse": P, "schema": P, "proof": N, "validity": P}, Status.UNVERIFIABLE),
        ({"parse": P, "schema": P, "proof": P, "issuer": P, "registry": F}, Status.VERIFIED),
        ({}, Status.MALFORMED),
    ],
)
def test_status_precedence(outcomes: dict[str, Outcome], status: Status) -> None:
    assert status_from_checks(_checks(**outcomes)) == status


def test_checks_are_reported_in_order(now: datetime) -> None:
    report = verify_bytes(_signed(), ctx=VerificationContext(fetcher=StaticFetcher(), now=now))
    assert [c.check for c in report.checks] == list(CheckId)
    assert report.engine_version == ENGINE_VERSION


def test_a_crashing_check_is_could_not_be_checked_and_others_still_run(
    now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(vc, "check_status", explode)
    report = verify_bytes(_signed(), ctx=VerificationContext(fetcher=StaticFetcher(), now=now))
    outcomes = {c.check: (c.outcome, c.code) for c in report.checks}
    assert outcomes[CheckId.REVOCATION] == (Outcome.UNVERIFIABLE, "unexpected_error")
    assert outcomes[CheckId.PROOF] == (Outcome.PASSED, "signature_valid")
    assert outcomes[CheckId.VALIDITY][0] == Outcome.PASSED
    # A bug is not retried at once: it would fail the same way on every retry.
    assert (report.status, report.retryable) == (Status.UNVERIFIABLE, False)


def test_a_crashing_proof_check_does_not_escape(
    now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vc, "verify_proofs", lambda *a, **k: 1 / 0)
    report = verify_bytes(_signed(), ctx=VerificationContext(fetcher=StaticFetcher(), now=now))
    assert report.status == Status.UNVERIFIABLE
    assert {c.code for c in report.checks if c.check in (CheckId.PROOF, CheckId.ISSUER)} == {
        "unexpected_error"
    }


def test_a_crash_anywhere_still_gives_a_report(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "extract", lambda data: 1 / 0)
    report = verify_bytes(b"{}", ctx=VerificationContext(fetcher=StaticFetcher()))
    assert (report.status, report.retryable) == (Status.UNVERIFIABLE, False)


def test_registry_is_reported_but_never_changes_the_status(now: datetime) -> None:
    issuer = Issuer.did_key()
    data = json.dumps(sign(ob3_credential(issuer), issuer)).encode()
    listed = verify_bytes(
        data,
        ctx=VerificationContext(
            fetcher=StaticFetcher(),
            now=now,
            issuer_registry=StaticRegistry.of([issuer.id], registry="Test"),
        ),
    )
    unlisted = verify_bytes(
        data,
        ctx=VerificationContext(
            fetcher=StaticFetcher(),
            now=now,
            issuer_registry=StaticRegistry.of(["did:web:x"], registry="Test"),
        ),
    )

    def registry(report: Any) -> Outcome:
        return next(c.outcome for c in report.checks if c.check == CheckId.REGISTRY)

    assert listed.status == unlisted.status == Status.VERIFIED
    # Not listed is not a failure: issuer identity is its own answer (DESIGN.md).
    assert (registry(listed), registry(unlisted)) == (Outcome.PASSED, Outcome.NOT_APPLICABLE)


def test_ob2_assertions_go_to_the_ob2_verifier(now: datetime) -> None:
    assertion = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://issuer.example.test/assertions/1",
        "verification": {"type": "HostedBadge"},
    }
    report = verify_bytes(
        json.dumps(assertion).encode(), ctx=VerificationContext(fetcher=StaticFetcher(), now=now)
    )
    assert report.format == CredentialFormat.OB2
    assert report.status == Status.UNVERIFIABLE  # the hosted copy cannot be fetched here


def test_european_digital_credentials_are_unverifiable_with_a_filled_record() -> None:
    report = verify_bytes(
        EDC_FIXTURE.read_bytes(), ctx=VerificationContext(fetcher=StaticFetcher())
    )
    assert (report.status, report.format) == (Status.UNVERIFIABLE, CredentialFormat.EDC)
    proof = next(c for c in report.checks if c.check == CheckId.PROOF)
    assert proof.code == "edc_seal_not_supported"
    assert "eIDAS" in proof.detail
    assert report.credential is not None
    assert report.credential.title


@pytest.mark.parametrize("shape", ["a", "b", "c"])
@pytest.mark.parametrize("alg", ["EdDSA", "ES256"])
def test_vc_jwt_runs_the_remaining_vc_checks(now: datetime, shape: str, alg: str) -> None:
    # Imported here: the JOSE helper imports the HTTP plugin module, which pytest wants
    # to load (and assert-rewrite) itself first.
    from tests.credentials.issuers import jose as jose_issuers

    issuer = jose_issuers.did_key_issuer(alg)
    token = issuer.token(shape)
    report = verify_bytes(token.encode(), ctx=VerificationContext(fetcher=StaticFetcher(), now=now))
    assert (report.status, report.format) == (Status.VERIFIED, CredentialFormat.VC_JWT)
    assert [c.check for c in report.checks] == list(CheckId)
    head, body, signature = token.split(".")
    forged = ".".join(
        [head, body, signature[:-4] + ("AAAA" if not signature.endswith("AAAA") else "BBBB")]
    )
    assert (
        verify_bytes(
            forged.encode(), ctx=VerificationContext(fetcher=StaticFetcher(), now=now)
        ).status
        == Status.FAILED
    )


def test_vc_jwt_past_its_expiry_is_expired(now: datetime) -> None:
    from tests.credentials.issuers import jose as jose_issuers

    issuer = jose_issuers.did_key_issuer("EdDSA")
    token = issuer.token("a", exp=int(datetime(2026, 1, 1).timestamp()))  # noqa: DTZ001 - a POSIX time
    assert (
        verify_bytes(
            token.encode(), ctx=VerificationContext(fetcher=StaticFetcher(), now=now)
        ).status
        == Status.EXPIRED
    )


def test_presentation_with_one_credential_is_verified_as_that_credential(now: datetime) -> None:
    issuer = Issuer.did_key()
    credential = sign(ob3_credential(issuer), issuer)
    presentation = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": [credential],
    }
    report = verify_bytes(
        json.dumps(presentation).encode(), ctx=VerificationContext(fetcher=StaticFetcher(), now=now)
    )
    assert report.status == Status.VERIFIED


def test_verify_url_fetches_and_detects_the_body(now: datetime) -> None:
    issuer = Issuer.did_key()
    signed = sign(ob3_credential(issuer), issuer)
    fetcher = StaticFetcher(
        {
            "https://wallet.example.test/c/1": json.dumps(signed),
            "https://wallet.example.test/c/1.png": FetchResponse(
                "x", 200, bake_png(signed), {"content-type": "image/png"}
            ),
            "https://wallet.example.test/gone": FetchResponse("x", 404, b""),
        }
    )
    ctx = VerificationContext(fetcher=fetcher, now=now)
    json_report = verify_url("https://wallet.example.test/c/1", ctx=ctx)
    png_report = verify_url("https://wallet.example.test/c/1.png", ctx=ctx)
    assert json_report.status == png_report.status == Status.VERIFIED
    assert json_report.credential is not None
    assert png_report.credential is not None
    assert (json_report.credential.container, png_report.credential.container) == (
        Container.URL,
        Container.PNG,
    )
    missing = verify_url("https://wallet.example.test/gone", ctx=ctx)
    down = verify_url("https://wallet.example.test/down", ctx=ctx)
    assert (missing.status, missing.retryable) == (Status.UNVERIFIABLE, False)
    assert (down.status, down.retryable) == (Status.UNVERIFIABLE, True)


def test_verify_input_takes_paths_and_urls(tmp_path: Path, now: datetime) -> None:
    path = tmp_path / "badge.bin"
    path.write_bytes(_signed())
    ctx = VerificationContext(fetcher=StaticFetcher(), now=now)
    assert verify_input(str(path), ctx=ctx).status == Status.VERIFIED
    assert verify_input(str(tmp_path / "nope.json"), ctx=ctx).checks[0].code == "input_not_found"
    assert verify_input(str(tmp_path), ctx=ctx).status == Status.MALFORMED
    assert verify_input("https://nowhere.example.test/x", ctx=ctx).status == Status.UNVERIFIABLE


def test_every_detail_renders_without_placeholders(interop_dir: Path, now: datetime) -> None:
    reports = [
        verify_bytes(p.read_bytes(), ctx=VerificationContext(fetcher=StaticFetcher(), now=now))
        for p in interop_dir.iterdir()
    ]
    reports.append(verify_bytes(b"garbage", ctx=VerificationContext(fetcher=StaticFetcher())))
    for report in reports:
        for check in report.checks:
            assert "%(" not in check.detail
            assert check.detail != check.code


def test_record_paths_point_into_the_document(interop_dir: Path) -> None:
    document = json.loads((interop_dir / "ob3-v2-eddsa-status-active.json").read_text())
    record = parse_ob3(document, container=Container.JSON)
    assert record.credits[0].amount == 3
    assert record.credits[0].system == ""
    assert record.alignments[0].target_code == "6"
    assert record.human_code == "DSA-301"
    assert record.recipients[0].identity == "hanako.yamada@example.jp"
    for field, path in record.paths.items():
        node: Any = document
        for part in path.replace("]", "").replace("[", ".").split("."):
            node = node[int(part)] if part.isdigit() else node[part]
        assert node not in (None, "", []), field


def test_an_uploaded_link_is_followed_once(now: datetime) -> None:
    issuer = Issuer.did_key()
    signed = sign(ob3_credential(issuer), issuer)
    fetcher = StaticFetcher(
        {
            "https://wallet.example.test/c/2": json.dumps(signed),
            "https://loop.example.test/a": "https://loop.example.test/b",
        }
    )
    ctx = VerificationContext(fetcher=fetcher, now=now)
    assert verify_bytes(b"https://wallet.example.test/c/2\n", ctx=ctx).status == Status.VERIFIED
    looped = verify_bytes(b"https://loop.example.test/a", ctx=ctx)
    assert looped.status != Status.VERIFIED
    assert fetcher.requested.count("https://loop.example.test/a") == 1


def test_claims_of_an_unauthenticated_credential_are_not_judged(now: datetime) -> None:
    """The one run's gate (reference §8.2): an expired credential whose key cannot be had
    is not called expired, nor its recipient judged: those claims are unproven."""
    issuer = Issuer.did_web("issuer.example.test", "issuers", "9")
    unsigned = ob3_credential(issuer, valid_until="2026-01-01T00:00:00Z", email="other@example.jp")
    data = json.dumps(sign(unsigned, issuer)).encode()
    ctx = VerificationContext(fetcher=StaticFetcher(), now=now, recipient_emails=("a@example.jp",))
    report = verify_bytes(data, ctx=ctx)
    outcomes = {c.check: (c.outcome, c.code) for c in report.checks}
    assert outcomes[CheckId.PROOF][0] == Outcome.UNVERIFIABLE  # the DID document is unreachable
    for check in (CheckId.VALIDITY, CheckId.REVOCATION, CheckId.RECIPIENT):
        assert outcomes[check] == (Outcome.NOT_APPLICABLE, "not_checked_unauthenticated")
    assert report.status == Status.UNVERIFIABLE
    # Signed by an issuer whose key is at hand, the same claims are judged.
    issuer = Issuer.did_key()
    unsigned = ob3_credential(issuer, valid_until="2026-01-01T00:00:00Z", email="other@example.jp")
    report = verify_bytes(json.dumps(sign(unsigned, issuer)).encode(), ctx=ctx)
    assert report.status == Status.EXPIRED


class RecordingRegistry:
    """An IssuerRegistry that lists one issuer and remembers what it was asked."""

    def __init__(self, issuer_id: str) -> None:
        self.issuer_id = issuer_id
        self.asked: list[tuple[str, str | None]] = []

    def lookup(self, issuer_id: str, key_id: str | None = None) -> RegistryEntry | None:
        self.asked.append((issuer_id, key_id))
        if issuer_id != self.issuer_id:
            return None
        return RegistryEntry(issuer_id=issuer_id, name="Academy", registry="Test registry")


def test_the_registry_is_asked_about_the_issuer_and_the_key_that_signed(now: datetime) -> None:
    issuer = Issuer.did_key()
    data = json.dumps(sign(ob3_credential(issuer), issuer)).encode()
    registry = RecordingRegistry(issuer.id)
    ctx = VerificationContext(fetcher=StaticFetcher(), now=now, issuer_registry=registry)
    report = verify_bytes(data, ctx=ctx)
    assert report.status == Status.VERIFIED
    assert registry.asked == [(issuer.id, issuer.method_id)]
    listed = next(c for c in report.checks if c.check == CheckId.REGISTRY)
    assert (listed.outcome, listed.params["registry"]) == (Outcome.PASSED, "Test registry")


def test_a_registry_that_fails_is_could_not_be_checked_and_changes_nothing(now: datetime) -> None:
    class BrokenRegistry:
        def lookup(self, issuer_id: str, key_id: str | None = None) -> RegistryEntry | None:
            raise ConnectionError("registry down")

    ctx = VerificationContext(fetcher=StaticFetcher(), now=now, issuer_registry=BrokenRegistry())
    report = verify_bytes(_signed(), ctx=ctx)
    registry = next(c for c in report.checks if c.check == CheckId.REGISTRY)
    assert (registry.outcome, registry.code) == (Outcome.UNVERIFIABLE, "unexpected_error")
    assert report.status == Status.VERIFIED
