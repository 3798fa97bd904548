"""The four answers per format: Data Integrity (did:key, did:web, HTTPS profile), VC-JWT
(did:key, did:web, jwk header), OB 2.0 (hosted, signed), and the interop fixtures."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from credentials.verification.answers import (
    Answers,
    Currency,
    IdentityBasis,
    Intact,
    IssuerIdentity,
    Recipient,
    answers_from_checks,
)
from credentials.verification.context import VerificationContext
from credentials.verification.engine import verify_bytes
from credentials.verification.headline import answers_view
from credentials.verification.registry import StaticRegistry
from credentials.verification.report_json import report_as_json
from credentials.verification.result import VerificationReport
from credentials.vocabulary import Status
from tests.credentials.issuers import jose
from tests.credentials.issuers.dataintegrity import Issuer, ob3_credential, sign
from tests.credentials.issuers.ob2 import Ob2Issuer
from tests.fetchers import StaticFetcher

pytest_plugins = ["tests.credentials.issuers.http"]

NOW = datetime(2026, 6, 1, tzinfo=UTC)
HANAKO = "hanako.yamada@example.jp"
STATUS_LIST_URL = "https://status.example.test/status/1"


def verify(
    data: bytes | dict[str, Any] | str, fetcher: Any = None, **ctx: Any
) -> VerificationReport:
    raw = json.dumps(data).encode() if isinstance(data, dict) else data
    raw = raw.encode() if isinstance(raw, str) else raw
    context = VerificationContext(fetcher=fetcher or StaticFetcher(), now=NOW, **ctx)
    return verify_bytes(raw, ctx=context)


def answers_of(report: VerificationReport) -> Answers:
    return answers_from_checks(report.checks, report.credential)


def headline_in(language: str, report: VerificationReport) -> str:
    with translation.override(language):
        return answers_view(answers_of(report), status=report.status).headline


# --- Data Integrity ---------------------------------------------------------------------


def test_did_key_issuer_is_intact_but_self_asserted() -> None:
    issuer = Issuer.did_key()
    report = verify(sign(ob3_credential(issuer), issuer), recipient_emails=(HANAKO,))
    answers = answers_of(report)
    assert report.status == Status.VERIFIED
    assert (answers.intact, answers.issuer_identity, answers.issuer_identity_basis) == (
        Intact.YES,
        IssuerIdentity.NOT_CONFIRMED,
        IdentityBasis.SELF_ASSERTED,
    )
    assert answers.issuer_identity_source is None
    assert (answers.recipient, answers.current) == (Recipient.APPLICANT, Currency.CURRENT)
    assert not answers.is_genuine


def test_did_web_issuer_is_confirmed_by_its_domain(issuer_server: Any) -> None:
    issuer = Issuer.did_web(issuer_server.authority)
    issuer_server.add_json("/.well-known/did.json", issuer.controller_document())
    report = verify(sign(ob3_credential(issuer), issuer), issuer_server.fetcher())
    answers = answers_of(report)
    assert (answers.issuer_identity, answers.issuer_identity_basis) == (
        IssuerIdentity.CONFIRMED,
        IdentityBasis.DOMAIN,
    )
    assert answers.issuer_identity_source == issuer_server.authority
    assert answers.is_genuine


def test_https_profile_issuer_is_confirmed_by_its_domain(issuer_server: Any) -> None:
    issuer = Issuer.https(issuer_server.url("/issuers/1"))
    issuer_server.add_json("/issuers/1", issuer.controller_document())
    report = verify(sign(ob3_credential(issuer), issuer), issuer_server.fetcher())
    answers = answers_of(report)
    assert answers.issuer_identity_basis == IdentityBasis.DOMAIN
    assert answers.issuer_identity_source == issuer_server.authority


def test_a_registry_listing_confirms_even_a_did_key_issuer() -> None:
    issuer = Issuer.did_key()
    signed = sign(ob3_credential(issuer), issuer)
    report = verify(signed, issuer_registry=StaticRegistry.of([issuer.id], registry="DCC Registry"))
    answers = answers_of(report)
    assert (answers.issuer_identity, answers.issuer_identity_basis) == (
        IssuerIdentity.CONFIRMED,
        IdentityBasis.REGISTRY,
    )
    assert answers.issuer_identity_source == "DCC Registry"
    assert headline_in("ja", report).startswith("本物です。発行者が署名しており")
    assert "「DCC Registry」" in headline_in("ja", report)


def test_a_registry_listing_does_not_confirm_an_altered_credential() -> None:
    issuer = Issuer.did_key()
    signed = sign(ob3_credential(issuer), issuer)
    signed["name"] = "Something else"
    report = verify(signed, issuer_registry=StaticRegistry.of([issuer.id], registry="DCC Registry"))
    answers = answers_of(report)
    assert (answers.intact, answers.issuer_identity) == (Intact.NO, IssuerIdentity.NOT_CONFIRMED)
    assert (answers.recipient, answers.current) == (Recipient.NOT_CHECKED, Currency.UNKNOWN)


def test_key_of_another_controller_is_intact_but_not_the_issuers(issuer_server: Any) -> None:
    issuer = Issuer.https(issuer_server.url("/issuers/1"))
    impostor = Issuer.did_key()
    signed = sign(ob3_credential(issuer), impostor)
    report = verify(signed, issuer_server.fetcher())
    answers = answers_of(report)
    assert report.status == Status.FAILED
    assert (answers.intact, answers.issuer_identity, answers.issuer_identity_basis) == (
        Intact.YES,
        IssuerIdentity.NOT_CONFIRMED,
        None,
    )
    with translation.override("en"):
        view = answers_view(answers, status=report.status)
    assert view.untrusted_content
    assert "not shown to belong to the issuer it names" in view.headline


@pytest.mark.parametrize(
    ("emails", "recipient"),
    [
        ((HANAKO,), Recipient.APPLICANT),
        (("taro@example.jp",), Recipient.SOMEONE_ELSE),
        ((), Recipient.NOT_CHECKED),
    ],
)
def test_recipient_answer(emails: tuple[str, ...], recipient: Recipient) -> None:
    issuer = Issuer.did_key()
    report = verify(sign(ob3_credential(issuer), issuer), recipient_emails=emails)
    assert answers_of(report).recipient == recipient


def test_expired_carries_its_date_and_someone_else_is_said_too() -> None:
    issuer = Issuer.did_key()
    document = ob3_credential(issuer, valid_until="2025-06-30T00:00:00Z")
    report = verify(sign(document, issuer), recipient_emails=("taro@example.jp",))
    answers = answers_of(report)
    assert report.status == Status.EXPIRED
    assert (answers.recipient, answers.current, answers.current_date) == (
        Recipient.SOMEONE_ELSE,
        Currency.EXPIRED,
        "2025-06-30",
    )
    japanese = headline_in("ja", report)
    assert "別の人に発行された" in japanese
    assert "2025年6月30日" in japanese
    assert "本物" not in japanese
    english = headline_in("en", report)
    assert "someone else" in english
    assert "June 30, 2025" in english
    assert "genuine" not in english.lower()


def test_not_yet_valid_carries_its_start_date() -> None:
    issuer = Issuer.did_key()
    document = ob3_credential(issuer, valid_from="2027-07-01T00:00:00Z")
    answers = answers_of(verify(sign(document, issuer)))
    assert (answers.current, answers.current_date) == (Currency.NOT_YET_VALID, "2027-07-01")


def test_current_with_an_expiry_names_it() -> None:
    issuer = Issuer.did_key()
    document = ob3_credential(issuer, valid_until="2030-03-31T00:00:00Z")
    answers = answers_of(verify(sign(document, issuer)))
    assert (answers.current, answers.current_date) == (Currency.CURRENT, "2030-03-31")


# --- VC-JWT -------------------------------------------------------------------------------


def test_jwt_with_only_its_own_jwk_header_is_intact_and_identity_not_confirmed(
    issuer_server: Any,
) -> None:
    key = jose.private_key("ES256")
    issuer_id = issuer_server.url("/jwt/issuer.json")
    token = jose.sign_compact(
        {"alg": "ES256", "jwk": jose.public_jwk(key)}, jose.vc_payload("c", issuer_id), key
    )
    report = verify(token, issuer_server.fetcher())
    answers = answers_of(report)
    assert (answers.intact, answers.issuer_identity, answers.issuer_identity_basis) == (
        Intact.YES,
        IssuerIdentity.NOT_CONFIRMED,
        IdentityBasis.SELF_ASSERTED,
    )
    english = headline_in("en", report)
    assert "The signature is valid and the content is unchanged." in english
    assert "altered" not in english
    assert "anyone could have made it" in english
    with translation.override("ja"):
        assert not answers_view(answers, status=report.status).untrusted_content


def test_jwt_did_web_issuer_is_confirmed_by_its_domain(issuer_server: Any) -> None:
    issuer = jose.did_web_issuer(issuer_server, "ES256")
    answers = answers_of(verify(issuer.token("c"), issuer_server.fetcher()))
    assert (answers.intact, answers.issuer_identity_basis, answers.issuer_identity_source) == (
        Intact.YES,
        IdentityBasis.DOMAIN,
        issuer_server.authority,
    )


def test_jwt_did_key_issuer_is_self_asserted() -> None:
    issuer = jose.did_key_issuer("EdDSA")
    answers = answers_of(verify(issuer.token("b")))
    assert (answers.intact, answers.issuer_identity_basis) == (
        Intact.YES,
        IdentityBasis.SELF_ASSERTED,
    )


def test_jwt_with_a_broken_signature_is_not_intact() -> None:
    issuer = jose.did_key_issuer("EdDSA")
    header, payload, signature = issuer.token("b").split(".")
    answers = answers_of(verify(f"{header}.{payload}.{signature[:-4]}AAAA"))
    assert answers.intact == Intact.NO


# --- Open Badges 2.0 ----------------------------------------------------------------------


def test_ob2_hosted_assertion_is_confirmed_by_the_issuers_host(issuer_server: Any) -> None:
    ob2 = Ob2Issuer(issuer_server)
    assertion = ob2.assertion(email="hanako@example.jp")
    ob2.host(assertion)
    report = verify(assertion, issuer_server.fetcher(), recipient_emails=("hanako@example.jp",))
    answers = answers_of(report)
    assert report.status == Status.VERIFIED
    assert (answers.intact, answers.issuer_identity, answers.issuer_identity_basis) == (
        Intact.YES,
        IssuerIdentity.CONFIRMED,
        IdentityBasis.DOMAIN,
    )
    assert answers.issuer_identity_source == issuer_server.authority
    assert (answers.recipient, answers.current) == (Recipient.APPLICANT, Currency.CURRENT)
    assert headline_in("ja", report).startswith("本物です。")


def test_ob2_signed_assertion_is_confirmed_by_the_key_hosts_domain(issuer_server: Any) -> None:
    ob2 = Ob2Issuer(issuer_server)
    token = ob2.sign(ob2.assertion(hosted=False))
    answers = answers_of(verify(token, issuer_server.fetcher(), recipient_emails=("x@example.jp",)))
    assert (answers.intact, answers.issuer_identity_basis, answers.issuer_identity_source) == (
        Intact.YES,
        IdentityBasis.DOMAIN,
        issuer_server.authority,
    )
    assert answers.recipient == Recipient.SOMEONE_ELSE


def test_ob2_revoked_on_its_list_is_revoked(issuer_server: Any) -> None:
    ob2 = Ob2Issuer(issuer_server)
    assertion = ob2.assertion(hosted=False)
    ob2.revoke(assertion["id"])
    answers = answers_of(verify(ob2.sign(assertion), issuer_server.fetcher()))
    assert answers.current == Currency.REVOKED


def test_ob2_hosted_copy_that_differs_is_not_intact(issuer_server: Any) -> None:
    ob2 = Ob2Issuer(issuer_server)
    assertion = ob2.assertion()
    ob2.host(assertion)
    altered = {**assertion, "issuedOn": "2020-01-01T00:00:00Z"}
    answers = answers_of(verify(altered, issuer_server.fetcher()))
    assert answers.intact == Intact.NO


# --- the interop fixtures -----------------------------------------------------------------

INTEROP_ANSWERS = {
    "ob3-v2-eddsa-valid.json": ("yes", "not_confirmed", "applicant", "current"),
    "ob3-v2-eddsa-valid-baked.png": ("yes", "not_confirmed", "applicant", "current"),
    "ob3-v2-eddsa-valid-baked.svg": ("yes", "not_confirmed", "applicant", "current"),
    "ob3-v2-eddsa-status-active.json": ("yes", "not_confirmed", "applicant", "current"),
    "ob3-v2-eddsa-revoked.json": ("yes", "not_confirmed", "applicant", "revoked"),
    "ob3-v2-eddsa-tampered.json": ("no", "not_confirmed", "not_checked", "unknown"),
    "ob3-v2-eddsa-expired.json": ("yes", "not_confirmed", "applicant", "expired"),
    "ob3-v1-ed25519sig2020-valid.json": ("yes", "not_confirmed", "applicant", "current"),
    "not-a-credential.json": ("unknown", "unknown", "not_checked", "unknown"),
}


@pytest.mark.parametrize("name", sorted(INTEROP_ANSWERS))
def test_interop_fixture_answers(interop_dir: Path, name: str) -> None:
    fetcher = StaticFetcher({STATUS_LIST_URL: (interop_dir / "status-list-1.json").read_bytes()})
    report = verify((interop_dir / name).read_bytes(), fetcher, recipient_emails=(HANAKO,))
    data = report_as_json(report)["answers"]
    got = (data["intact"], data["issuer_identity"], data["recipient"], data["current"])
    assert got == INTEROP_ANSWERS[name]
    for language in ("ja", "en"):
        text = headline_in(language, report)
        assert "本物" not in text
        assert "genuine" not in text.lower()


# --- the JSON form ------------------------------------------------------------------------


def test_answers_round_trip_and_unknown_values_read_as_not_checked() -> None:
    answers = Answers(
        intact=Intact.YES,
        issuer_identity=IssuerIdentity.CONFIRMED,
        issuer_identity_basis=IdentityBasis.REGISTRY,
        issuer_identity_source="DCC Community Registry",
        recipient=Recipient.APPLICANT,
        current=Currency.EXPIRED,
        current_date="2025-06-30",
    )
    assert Answers.from_json(answers.as_json()) == answers
    assert set(answers.as_json()) == {
        "intact",
        "issuer_identity",
        "issuer_identity_basis",
        "issuer_identity_source",
        "recipient",
        "current",
        "current_date",
    }
    junk = Answers.from_json({"intact": "maybe", "current_date": "yesterday", "recipient": 3})
    assert junk == Answers()


# --- structure problems that leave the other checks checkable -----------------------------


def _no_recipient(issuer: Issuer, **kwargs: Any) -> dict[str, Any]:
    document = ob3_credential(issuer, **kwargs)
    del document["credentialSubject"]["identifier"]
    return document


def test_ob3_subject_without_recipient_is_checked_anyway_and_never_verified() -> None:
    issuer = Issuer.did_key()
    report = verify(sign(_no_recipient(issuer), issuer), recipient_emails=(HANAKO,))
    by_id = {str(c.check): c for c in report.checks}
    assert report.status == Status.MALFORMED
    assert (by_id["schema"].outcome, by_id["schema"].code) == ("failed", "schema_recipient_missing")
    assert by_id["proof"].outcome == "passed"
    assert by_id["issuer"].outcome == "passed"
    assert by_id["validity"].outcome == "passed"
    assert by_id["revocation"].code == "status_none"
    answers = answers_of(report)
    assert (answers.intact, answers.recipient, answers.current) == (
        Intact.YES,
        Recipient.NONE_NAMED,
        Currency.CURRENT,
    )
    english = headline_in("en", report)
    assert "not counted as verified" in english
    assert "names no recipient" in english
    assert "not a credential the portal can read" not in english


def test_a_forged_credential_without_recipient_reads_as_altered() -> None:
    issuer = Issuer.did_key()
    signed = sign(_no_recipient(issuer), issuer)
    signed["name"] = "Doctor of Everything"
    report = verify(signed)
    answers = answers_of(report)
    assert report.status == Status.MALFORMED
    assert (answers.intact, answers.recipient) == (Intact.NO, Recipient.NONE_NAMED)
    with translation.override("en"):
        assert answers_view(answers, status=report.status).untrusted_content


def test_an_expired_credential_without_recipient_says_expired(now: datetime) -> None:
    issuer = Issuer.did_key()
    document = _no_recipient(issuer, valid_until="2025-06-30T00:00:00Z")
    answers = answers_of(verify(sign(document, issuer)))
    assert (answers.current, answers.current_date) == (Currency.EXPIRED, "2025-06-30")
