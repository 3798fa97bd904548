"""JAdES seals (JWS JSON serialization with an x5c e-seal chain), made with our own CA."""

from __future__ import annotations

import base64
import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from credentials.verification.jades import (
    JadesFormatError,
    holder_is_issuer,
    is_jades,
    open_seal,
)
from credentials.vocabulary import Outcome
from tests.credentials.issuers.jades import (
    SealChain,
    b64url,
    ec_private_key,
    rsa_private_key,
    seal,
    seal_chain,
)

NOW = datetime(2026, 1, 15, tzinfo=UTC)
EDC = Path(__file__).parents[1] / "explanation" / "fixtures" / "edc-microcredential-ects-eqf6.json"


@pytest.fixture(scope="module")
def credential() -> dict[str, Any]:
    return json.loads(EDC.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def chain() -> SealChain:
    return seal_chain()


@pytest.mark.parametrize("b64", [False, True])
@pytest.mark.parametrize("flattened", [False, True])
@pytest.mark.parametrize("alg", ["RS256", "PS256", "RS512"])
def test_rsa_seals_in_every_serialization_are_intact(
    credential: dict[str, Any], chain: Any, alg: str, b64: bool, flattened: bool
) -> None:
    envelope = seal(credential, chain, alg=alg, b64=b64, flattened=flattened)
    assert is_jades(envelope)
    opened = open_seal(envelope, now=NOW)
    assert opened.proof.outcome == Outcome.PASSED, opened.proof
    assert opened.proof.code == "seal_intact_qualification_unconfirmed"
    assert json.loads(opened.payload) == credential
    holder = opened.holder
    assert holder is not None
    assert holder.organisation == "University College Dublin"
    assert holder.country == "IE"
    assert holder.organisation_identifier == "VATIE-1234567X"
    assert holder.claims_qualified
    assert holder.claims_eseal
    assert [c.common_name for c in opened.chain] == [
        "University College Dublin eSeal",
        "Test Qualified eSeal CA",
        "Test Trust Service Root CA",
    ]
    assert opened.proof.params["holder"] == "University College Dublin"
    assert opened.signed_at == datetime(2025, 5, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("alg", "curve"), [("ES256", "P-256"), ("ES384", "P-384"), ("ES512", "P-521")]
)
def test_ecdsa_seals_are_intact(credential: dict[str, Any], alg: str, curve: str) -> None:
    chain = seal_chain(key=ec_private_key(curve, 1))
    opened = open_seal(seal(credential, chain, alg=alg), now=NOW)
    assert opened.proof.outcome == Outcome.PASSED, opened.proof


def test_a_changed_payload_breaks_the_seal(credential: dict[str, Any], chain: Any) -> None:
    envelope = seal(credential, chain)
    envelope["payload"] = envelope["payload"].replace("Data Protection", "Data Science")
    opened = open_seal(envelope, now=NOW)
    assert opened.proof.outcome == Outcome.FAILED
    assert opened.proof.code == "seal_signature_invalid"


def test_a_base64url_payload_changed_after_sealing_breaks_the_seal(
    credential: dict[str, Any], chain: Any
) -> None:
    envelope = seal(credential, chain, b64=True)
    altered = copy.deepcopy(credential)
    altered["issuer"]["legalName"]["en"] = "Someone Else"
    envelope["payload"] = b64url(json.dumps(altered).encode())
    assert open_seal(envelope, now=NOW).proof.code == "seal_signature_invalid"


def test_a_certificate_swapped_for_the_attackers_is_refused(credential: dict[str, Any]) -> None:
    """Signed by one key, presented with a chain for another: x5t#S256 and the key disagree."""
    genuine = seal_chain()
    forger = seal_chain(key=rsa_private_key(9))
    envelope = seal(credential, forger, x5c=genuine.x5c)
    opened = open_seal(envelope, now=NOW)
    assert opened.proof.outcome == Outcome.FAILED
    assert opened.proof.code == "seal_certificate_reference_mismatch"


def test_a_chain_whose_ca_did_not_sign_the_leaf_is_broken(credential: dict[str, Any]) -> None:
    chain = seal_chain()
    # The next certificate is a CA, but not the one that issued the leaf.
    chain.intermediate = chain.root
    opened = open_seal(seal(credential, chain), now=NOW)
    assert opened.proof.outcome == Outcome.FAILED
    assert opened.proof.code == "seal_chain_broken"


def test_an_intermediate_that_is_not_a_ca_breaks_the_chain(credential: dict[str, Any]) -> None:
    chain = seal_chain(intermediate_is_ca=False)
    assert open_seal(seal(credential, chain), now=NOW).proof.code == "seal_chain_not_a_ca"


def test_a_certificate_expired_before_the_seal_was_made_fails(credential: dict[str, Any]) -> None:
    chain = seal_chain(leaf_not_after=datetime(2025, 1, 1, tzinfo=UTC))
    opened = open_seal(seal(credential, chain), now=NOW)
    assert opened.proof.outcome == Outcome.FAILED
    assert opened.proof.code == "seal_certificate_expired"
    assert opened.proof.params["date"] == "2025-01-01 00:00 UTC"


def test_a_certificate_that_expired_after_sealing_still_proves_the_seal(
    credential: dict[str, Any],
) -> None:
    """The seal is judged at its signing time (sigT), as the EU DSS validator does."""
    chain = seal_chain(leaf_not_after=datetime(2025, 12, 31, tzinfo=UTC))
    assert open_seal(seal(credential, chain), now=NOW).proof.outcome == Outcome.PASSED


def test_a_seal_dated_in_the_future_fails(credential: dict[str, Any], chain: Any) -> None:
    envelope = seal(credential, chain, signed_at=datetime(2027, 1, 1, tzinfo=UTC))
    assert open_seal(envelope, now=NOW).proof.code == "seal_signed_in_future"


def test_a_key_not_meant_for_signing_fails(credential: dict[str, Any]) -> None:
    chain = seal_chain(key_usage="encipherment")
    assert open_seal(seal(credential, chain), now=NOW).proof.code == "seal_key_usage_wrong"


@pytest.mark.parametrize("alg", ["none", "HS256", "EdDSA"])
def test_algorithms_outside_the_allow_list_cannot_be_checked(
    credential: dict[str, Any], chain: Any, alg: str
) -> None:
    envelope = seal(credential, chain)
    header = json.loads(_unb64(envelope["signatures"][0]["protected"]))
    header["alg"] = alg
    envelope["signatures"][0]["protected"] = b64url(json.dumps(header).encode())
    opened = open_seal(envelope, now=NOW)
    assert opened.proof.outcome == Outcome.UNVERIFIABLE
    assert opened.proof.code == "seal_alg_unsupported"


def test_an_unknown_critical_header_cannot_be_checked(
    credential: dict[str, Any], chain: Any
) -> None:
    envelope = seal(credential, chain, extra_header={"crit": ["sigT", "b64", "exp"], "exp": 1})
    assert open_seal(envelope, now=NOW).proof.code == "seal_header_unsupported"


def test_unencoded_payload_not_marked_critical_is_refused(
    credential: dict[str, Any], chain: Any
) -> None:
    envelope = seal(credential, chain, extra_header={"crit": ["sigT"]})
    assert open_seal(envelope, now=NOW).proof.code == "seal_header_unsupported"


def test_a_detached_payload_is_not_followed(credential: dict[str, Any], chain: Any) -> None:
    envelope = seal(
        credential,
        chain,
        extra_header={
            "sigD": {"mId": "http://uri.etsi.org/19182/ObjectIdByURI", "pars": ["https://x"]},
            "crit": ["sigT", "b64", "sigD"],
        },
    )
    assert open_seal(envelope, now=NOW).proof.code == "seal_header_unsupported"


def test_a_seal_without_its_certificate_cannot_be_checked(
    credential: dict[str, Any], chain: Any
) -> None:
    opened = open_seal(seal(credential, chain, x5c=[]), now=NOW)
    assert opened.proof.outcome == Outcome.UNVERIFIABLE
    assert opened.proof.code == "seal_certificate_missing"


def test_a_second_broken_signature_is_not_hidden(credential: dict[str, Any], chain: Any) -> None:
    good = seal(credential, chain)
    bad = copy.deepcopy(good["signatures"][0])
    bad["signature"] = b64url(b"\0" * 256)
    good["signatures"].append(bad)
    assert open_seal(good, now=NOW).proof.code == "seal_signature_invalid"


def test_the_configured_trust_list_confirms_the_chain(
    credential: dict[str, Any], chain: Any
) -> None:
    envelope = seal(credential, chain)
    opened = open_seal(envelope, now=NOW, trust_anchors=[chain.root])
    assert opened.trust_listed
    assert opened.proof.code == "seal_intact_trust_listed"
    # A CA the chain neither contains nor was issued by confirms nothing.
    stranger = seal_chain(key=rsa_private_key(5))
    stranger.root = seal_chain(key=rsa_private_key(6)).leaf
    elsewhere = open_seal(envelope, now=NOW, trust_anchors=[stranger.root])
    assert not elsewhere.trust_listed
    assert elsewhere.proof.code == "seal_intact_qualification_unconfirmed"


@pytest.mark.parametrize(
    "envelope",
    [
        {"payload": "x", "signatures": []},
        {"payload": "x", "signatures": ["no"]},
        {"payload": "x", "signatures": [{"protected": "!!", "signature": "x"}]},
        {"payload": "x", "signatures": [{"protected": b64url(b"[1]"), "signature": "x"}]},
        {"payload": "x", "protected": b64url(b"{}"), "signature": "x", "signatures": []},
        {
            "payload": "x",
            "signatures": [
                {"protected": b64url(b'{"alg":"RS256","x5c":["%%%"]}'), "signature": "x"}
            ],
        },
    ],
)
def test_broken_envelopes_are_malformed(envelope: dict[str, Any]) -> None:
    with pytest.raises(JadesFormatError):
        open_seal(envelope, now=NOW)


def test_holder_is_issuer_by_identifier_or_name(chain: Any) -> None:
    holder = open_seal(seal({"a": 1}, chain), now=NOW).holder
    assert holder is not None
    assert holder_is_issuer(holder, names=[], identifiers=["IE1234567X"])
    assert holder_is_issuer(holder, names=[], identifiers=["VATIE-1234567X"])
    assert holder_is_issuer(holder, names=["university  college dublin"], identifiers=[])
    assert not holder_is_issuer(holder, names=["Trinity College"], identifiers=["IE999"])


def _unb64(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
