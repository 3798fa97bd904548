"""Every proof suite × issuer kind × status, issued here with real signatures.

Credentials are signed by ``tests.credentials.issuers.dataintegrity`` over pyld's own
``jsonld.normalize``; the verifier uses its one-expansion path, so both agree or fail.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime
from typing import Any

import pytest

from credentials.verification.context import VerificationContext
from credentials.verification.engine import verify_bytes
from credentials.verification.result import VerificationReport
from credentials.vocabulary import CheckId, Outcome, Status
from tests.credentials.issuers.dataintegrity import (
    DATA_INTEGRITY_V2,
    ED25519_2020_CONTEXT,
    Issuer,
    bake_png,
    bake_svg,
    ob3_credential,
    sign,
    status_entry,
    status_list,
)
from tests.fetchers import StaticFetcher

EMAIL = "hanako.yamada@example.jp"
WEB_HOST = "issuer.example.test"
LIST_URL = f"https://{WEB_HOST}/status/1"

# (suite, key kind, VC version, extra contexts the VC version needs for the suite)
SUITES = [
    ("eddsa-rdfc-2022", "ed25519", "v2", ()),
    ("eddsa-2022", "ed25519", "v2", ()),
    ("ecdsa-rdfc-2019", "p256", "v2", ()),
    ("ecdsa-rdfc-2019", "p384", "v2", ()),
    ("Ed25519Signature2020", "ed25519", "v1", (ED25519_2020_CONTEXT,)),
    ("eddsa-rdfc-2022", "ed25519", "v1", (DATA_INTEGRITY_V2,)),
]
ISSUER_KINDS = ["did:key", "did:web", "https"]


def _issuer(kind: str, key_kind: str) -> tuple[Issuer, dict[str, bytes]]:
    """An issuer and the documents its web host serves."""
    if kind == "did:key":
        return Issuer.did_key(key_kind), {}  # type: ignore[arg-type]
    if kind == "did:web":
        issuer = Issuer.did_web(WEB_HOST, "issuers", "7", kind=key_kind)  # type: ignore[arg-type]
        return issuer, {issuer.did_web_url(): json.dumps(issuer.controller_document()).encode()}
    issuer = Issuer.https(f"https://{WEB_HOST}/issuers/7", kind=key_kind)  # type: ignore[arg-type]
    return issuer, {issuer.id: json.dumps(issuer.controller_document()).encode()}


def _verify(
    document: dict[str, Any] | bytes,
    documents: dict[str, bytes],
    now: datetime,
    **kwargs: Any,
) -> VerificationReport:
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    ctx = VerificationContext(fetcher=StaticFetcher(documents), now=now, **kwargs)
    return verify_bytes(data, ctx=ctx)


def _check(report: VerificationReport, check: CheckId) -> tuple[Outcome, str]:
    found = next(c for c in report.checks if c.check == check)
    return found.outcome, found.code


@pytest.mark.parametrize(("suite", "key_kind", "version", "contexts"), SUITES)
@pytest.mark.parametrize("issuer_kind", ISSUER_KINDS)
def test_signed_credential_verifies_and_any_change_fails(
    now: datetime,
    suite: str,
    key_kind: str,
    version: str,
    contexts: tuple[str, ...],
    issuer_kind: str,
) -> None:
    issuer, documents = _issuer(issuer_kind, key_kind)
    unsigned = ob3_credential(issuer, version=version, extra_contexts=contexts)  # type: ignore[arg-type]
    signed = sign(unsigned, issuer, suite=suite)  # type: ignore[arg-type]
    report = _verify(signed, documents, now, recipient_emails=(EMAIL,))
    assert report.status == Status.VERIFIED, report.checks
    assert _check(report, CheckId.ISSUER) == (Outcome.PASSED, "issuer_key_bound")

    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["creditsAvailable"] = 30
    assert _verify(tampered, documents, now).status == Status.FAILED


@pytest.mark.parametrize("container", ["png", "svg"])
def test_baked_credentials_verify(now: datetime, container: str) -> None:
    issuer = Issuer.did_key()
    signed = sign(ob3_credential(issuer), issuer)
    data = bake_png(signed) if container == "png" else bake_svg(signed)
    report = _verify(data, {}, now)
    assert report.status == Status.VERIFIED
    assert report.credential is not None
    assert str(report.credential.container) == container


def test_signature_by_a_key_that_is_not_the_issuers_fails(now: datetime) -> None:
    issuer = Issuer.did_key()
    stranger = Issuer.did_key()
    # Signed by the stranger's own did:key while naming the issuer: valid maths, wrong key.
    forged = sign(ob3_credential(issuer), stranger)
    report = _verify(forged, {}, now)
    assert report.status == Status.FAILED
    assert _check(report, CheckId.PROOF) == (Outcome.PASSED, "signature_valid")
    assert _check(report, CheckId.ISSUER) == (Outcome.FAILED, "key_not_issuers")


def test_url_issuer_with_key_in_fragment_needs_the_issuer_document(now: datetime) -> None:
    """Reference trap #4: ``<issuer URL>#z6Mk…`` proves nothing without the issuer's document."""
    issuer = Issuer.https("https://university.example/issuers/1")
    signed = sign(ob3_credential(issuer), issuer)
    assert _verify(signed, {}, now).status == Status.UNVERIFIABLE

    attacker = Issuer.https("https://university.example/issuers/1")  # same URL, own key
    forged = sign(ob3_credential(issuer), attacker)
    served = {issuer.id: json.dumps(issuer.controller_document()).encode()}
    report = _verify(forged, served, now)
    assert report.status == Status.FAILED
    assert _check(report, CheckId.PROOF)[1] == "key_not_in_document"


def test_key_listed_only_for_authentication_may_not_sign(now: datetime) -> None:
    issuer = Issuer.https(f"https://{WEB_HOST}/issuers/9")
    served = {
        issuer.id: json.dumps(
            issuer.controller_document(relationships=("authentication",))
        ).encode()
    }
    report = _verify(sign(ob3_credential(issuer), issuer), served, now)
    assert report.status == Status.FAILED
    assert _check(report, CheckId.ISSUER) == (Outcome.FAILED, "key_not_authorised")


def test_json_web_key_in_controller_document_verifies(now: datetime) -> None:
    issuer = Issuer.https(f"https://{WEB_HOST}/issuers/jwk", kind="p256")
    served = {issuer.id: json.dumps(issuer.controller_document(jwk=True)).encode()}
    report = _verify(sign(ob3_credential(issuer), issuer, suite="ecdsa-rdfc-2019"), served, now)
    assert report.status == Status.VERIFIED


def test_ed25519_key_cannot_make_an_ecdsa_proof(now: datetime) -> None:
    issuer = Issuer.did_key()
    signed = sign(ob3_credential(issuer), issuer, suite="ecdsa-rdfc-2019")
    report = _verify(signed, {}, now)
    assert report.status == Status.FAILED
    assert _check(report, CheckId.PROOF)[1] == "proof_key_type_mismatch"


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "status", "code"),
    [
        ("2024-01-01T00:00:00Z", "2025-06-30T00:00:00Z", Status.EXPIRED, "expired"),
        ("2027-01-01T00:00:00Z", None, Status.EXPIRED, "not_yet_valid"),
        ("2024-01-01T00:00:00Z", "2030-01-01T00:00:00Z", Status.VERIFIED, "valid_until"),
    ],
)
@pytest.mark.parametrize("version", ["v1", "v2"])
def test_validity_period_for_both_data_models(
    now: datetime, version: str, valid_from: str, valid_until: str | None, status: Status, code: str
) -> None:
    issuer = Issuer.did_key()
    contexts = (ED25519_2020_CONTEXT,) if version == "v1" else ()
    unsigned = ob3_credential(
        issuer,
        version=version,
        valid_from=valid_from,
        valid_until=valid_until,
        extra_contexts=contexts,  # type: ignore[arg-type]
    )
    suite = "Ed25519Signature2020" if version == "v1" else "eddsa-rdfc-2022"
    report = _verify(sign(unsigned, issuer, suite=suite), {}, now)  # type: ignore[arg-type]
    assert report.status == status
    assert _check(report, CheckId.VALIDITY)[1] == code


def test_vc1_credential_with_both_date_pairs_uses_the_narrower_window(now: datetime) -> None:
    """VC 1.1's context defines validUntil as well as expirationDate: the earlier end counts."""
    issuer = Issuer.did_key()
    unsigned = ob3_credential(
        issuer,
        version="v1",
        valid_until="2030-01-01T00:00:00Z",
        extra_contexts=(ED25519_2020_CONTEXT,),
    )
    unsigned["validUntil"] = "2026-01-01T00:00:00Z"
    report = _verify(sign(unsigned, issuer, suite="Ed25519Signature2020"), {}, now)
    assert report.status == Status.EXPIRED
    assert (
        next(c for c in report.checks if c.check == CheckId.VALIDITY)
        .params["date"]
        .startswith("2026-01-01")
    )


def test_vc1_date_names_on_a_vc2_credential_are_undefined_and_fail(now: datetime) -> None:
    """Reference trap #12 the other way round: VC 2.0 does not define expirationDate."""
    issuer = Issuer.did_key()
    unsigned = ob3_credential(issuer)
    unsigned["expirationDate"] = "2020-01-01T00:00:00Z"
    report = _verify(sign(unsigned, issuer), {}, now)
    assert report.status == Status.FAILED
    assert _check(report, CheckId.PROOF)[1] == "undefined_terms"


@pytest.mark.parametrize("hashed", [False, True])
def test_recipient_mismatch_and_match(now: datetime, hashed: bool) -> None:
    issuer = Issuer.did_key()
    unsigned = ob3_credential(issuer, hashed_email_salt="pepper" if hashed else None)
    signed = sign(unsigned, issuer)
    assert _verify(signed, {}, now, recipient_emails=(EMAIL,)).status == Status.VERIFIED
    mismatch = _verify(signed, {}, now, recipient_emails=("someone@example.jp",))
    assert mismatch.status == Status.RECIPIENT_MISMATCH


def test_unknown_context_is_unverifiable_naming_the_url(now: datetime) -> None:
    issuer = Issuer.did_key()
    unknown = "https://contexts.example.test/mystery/v1"
    signed = sign(ob3_credential(issuer), issuer)
    signed["@context"].append(unknown)
    report = _verify(signed, {unknown: b"{}"}, now)
    assert report.status == Status.UNVERIFIABLE
    proof = next(c for c in report.checks if c.check == CheckId.PROOF)
    assert proof.code == "context_unknown"
    assert proof.params["url"] == unknown
    assert unknown in proof.detail


def test_undefined_term_added_after_signing_fails(now: datetime) -> None:
    """Reference §3.10: a dropped property leaves the canonical form (and signature) intact."""
    issuer = Issuer.did_key()
    signed = sign(ob3_credential(issuer), issuer)
    signed["credentialSubject"]["achievement"]["hoursOfLearning"] = 400
    report = _verify(signed, {}, now)
    assert report.status == Status.FAILED
    proof = next(c for c in report.checks if c.check == CheckId.PROOF)
    assert proof.code == "undefined_terms"
    assert "hoursOfLearning" in proof.params["terms"]


def test_undefined_term_signed_by_the_issuer_still_fails(now: datetime) -> None:
    issuer = Issuer.did_key()
    unsigned = ob3_credential(issuer)
    unsigned["credentialSubject"]["achievement"]["hoursOfLearning"] = 400
    assert _verify(sign(unsigned, issuer), {}, now).status == Status.FAILED


def test_undefined_type_is_caught_too(now: datetime) -> None:
    issuer = Issuer.did_key()
    unsigned = ob3_credential(issuer)
    unsigned["credentialSubject"]["achievement"]["type"] = ["Achievement", "HonoursBadge"]
    report = _verify(sign(unsigned, issuer), {}, now)
    assert _check(report, CheckId.PROOF) == (Outcome.FAILED, "undefined_terms")


def test_unsupported_proof_is_unverifiable(now: datetime) -> None:
    issuer = Issuer.did_key()
    signed = sign(ob3_credential(issuer), issuer)
    signed["proof"]["type"] = "RsaSignature2018"
    del signed["proof"]["cryptosuite"]
    report = _verify(signed, {}, now)
    assert report.status == Status.UNVERIFIABLE
    assert _check(report, CheckId.PROOF) == (Outcome.UNVERIFIABLE, "proof_unsupported")


def test_no_proof_is_malformed(now: datetime) -> None:
    report = _verify(ob3_credential(Issuer.did_key()), {}, now)
    assert report.status == Status.MALFORMED
    assert _check(report, CheckId.SCHEMA) == (Outcome.FAILED, "schema_unsigned")


def test_proof_set_with_one_bad_proof_fails(now: datetime) -> None:
    issuer = Issuer.did_key()
    other = Issuer.did_key(kind="p256")
    both = sign(sign(ob3_credential(issuer), issuer), issuer, suite="eddsa-2022")
    assert _verify(both, {}, now).status == Status.VERIFIED
    broken = copy.deepcopy(both)
    broken["proof"][1]["proofValue"] = broken["proof"][0]["proofValue"]
    assert _verify(broken, {}, now).status == Status.FAILED
    # A valid proof plus one by a stranger's key: the stranger's proof must not pass unseen.
    mixed = sign(sign(ob3_credential(issuer), issuer), other, suite="ecdsa-rdfc-2019")
    assert _verify(mixed, {}, now).status == Status.FAILED


def test_proof_set_with_an_unsupported_extra_proof_still_verifies(now: datetime) -> None:
    issuer = Issuer.did_key()
    signed = sign(ob3_credential(issuer), issuer)
    extra = {**signed["proof"], "type": "BbsBlsSignature2020"}
    del extra["cryptosuite"]
    signed["proof"] = [signed["proof"], extra]
    assert _verify(signed, {}, now).status == Status.VERIFIED


# --- revocation -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["bitstring", "2021"])
@pytest.mark.parametrize(
    ("index", "purpose", "status", "code"),
    [
        (3, "revocation", Status.VERIFIED, "status_not_revoked"),
        (7, "revocation", Status.REVOKED, "status_revoked"),
        (7, "suspension", Status.REVOKED, "status_suspended"),
    ],
)
def test_status_lists_of_both_kinds(
    now: datetime, kind: str, index: int, purpose: str, status: Status, code: str
) -> None:
    issuer = Issuer.did_key()
    version = "v2" if kind == "bitstring" else "v1"
    contexts = (
        ()
        if kind == "bitstring"
        else (ED25519_2020_CONTEXT, "https://w3id.org/vc/status-list/2021/v1")
    )
    entry = status_entry(LIST_URL, index, purpose=purpose, kind=kind)  # type: ignore[arg-type]
    unsigned = ob3_credential(issuer, version=version, status=entry, extra_contexts=contexts)  # type: ignore[arg-type]
    suite = "eddsa-rdfc-2022" if kind == "bitstring" else "Ed25519Signature2020"
    signed = sign(unsigned, issuer, suite=suite)  # type: ignore[arg-type]
    listing = status_list(LIST_URL, issuer, set_bits={7, 100_000}, purpose=purpose, kind=kind)  # type: ignore[arg-type]
    report = _verify(signed, {LIST_URL: json.dumps(listing).encode()}, now)
    assert report.status == status
    assert _check(report, CheckId.REVOCATION)[1] == code


def test_1edtech_revocation_list_on_the_issuers_host(now: datetime) -> None:
    issuer, documents = _issuer("https", "ed25519")
    list_url = f"https://{WEB_HOST}/revocations"
    entry = {"id": list_url, "type": "1EdTechRevocationList"}
    contexts = ("https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",)
    listed = sign(ob3_credential(issuer, status=entry, extra_contexts=contexts, serial=5), issuer)
    clear = sign(ob3_credential(issuer, status=entry, extra_contexts=contexts, serial=9), issuer)
    revocations = {
        "revokedCredentials": [{"id": listed["id"], "revocationReason": "Issued in error"}]
    }
    served = {**documents, list_url: json.dumps(revocations).encode()}
    revoked = _verify(listed, served, now)
    assert revoked.status == Status.REVOKED
    assert (
        next(c for c in revoked.checks if c.check == CheckId.REVOCATION).params["reason"]
        == "Issued in error"
    )
    assert _verify(clear, served, now).status == Status.VERIFIED


def test_1edtech_revocation_list_elsewhere_cannot_speak_for_the_issuer(now: datetime) -> None:
    issuer, documents = _issuer("https", "ed25519")
    entry = {"id": "https://elsewhere.example.test/list", "type": "1EdTechRevocationList"}
    contexts = ("https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",)
    signed = sign(ob3_credential(issuer, status=entry, extra_contexts=contexts), issuer)
    served = {**documents, "https://elsewhere.example.test/list": b'{"revokedCredentials": []}'}
    report = _verify(signed, served, now)
    assert report.status == Status.UNVERIFIABLE
    assert _check(report, CheckId.REVOCATION)[1] == "revocation_list_not_issuers"


def test_status_on_an_unauthenticated_credential_is_not_fetched(now: datetime) -> None:
    issuer = Issuer.did_key()
    signed = sign(ob3_credential(issuer, status=status_entry(LIST_URL, 7)), issuer)
    signed["name"] = "Tampered title"
    fetcher = StaticFetcher({})
    report = verify_bytes(
        json.dumps(signed).encode(), ctx=VerificationContext(fetcher=fetcher, now=now)
    )
    assert report.status == Status.FAILED
    assert fetcher.requested == []


@pytest.mark.parametrize("container", ["json", "png", "svg"])
@pytest.mark.parametrize(
    ("case", "status"),
    [
        ("valid", Status.VERIFIED),
        ("tampered", Status.FAILED),
        ("expired", Status.EXPIRED),
        ("revoked", Status.REVOKED),
        ("someone_else", Status.RECIPIENT_MISMATCH),
        ("unsigned", Status.MALFORMED),
    ],
)
def test_every_container_carries_every_status(
    now: datetime, container: str, case: str, status: Status
) -> None:
    issuer = Issuer.did_key()
    entry = status_entry(LIST_URL, 7) if case == "revoked" else None
    valid_until = "2025-06-30T00:00:00Z" if case == "expired" else None
    document = ob3_credential(issuer, status=entry, valid_until=valid_until)
    if case != "unsigned":
        document = sign(document, issuer)
    if case == "tampered":
        document["name"] = "Advanced Data Analysis"
    data = {
        "json": lambda d: json.dumps(d).encode(),
        "png": bake_png,
        "svg": bake_svg,
    }[container](document)
    listing = status_list(LIST_URL, issuer, set_bits={7})
    emails = ("someone@example.jp",) if case == "someone_else" else (EMAIL,)
    report = _verify(data, {LIST_URL: json.dumps(listing).encode()}, now, recipient_emails=emails)
    assert report.status == status
