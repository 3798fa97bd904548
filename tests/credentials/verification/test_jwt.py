"""VC-JWT proofs: three shapes × RS256/ES256/EdDSA, key binding to the issuer, forgeries."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from credentials.verification.context import VerificationContext
from credentials.verification.vcjwt import JwtProof, verify_jwt_proof
from credentials.vocabulary import CheckId
from tests.credentials.issuers.jose import (
    CREDENTIAL_ID,
    SUBJECT,
    JwtIssuer,
    b64url,
    did_jwk,
    did_key_issuer,
    did_web_issuer,
    hs256_with_public_key,
    https_issuer,
    private_key,
    public_jwk,
    sign_compact,
    vc_payload,
)
from tests.credentials.issuers.ob2 import rsa_key
from tests.fetchers import StaticFetcher

pytest_plugins = ["tests.credentials.issuers.http"]

NOW = datetime(2026, 6, 1, tzinfo=UTC)
SHAPES = ("a", "b", "c")


def ctx_for(server=None) -> VerificationContext:
    fetcher = server.fetcher() if server is not None else StaticFetcher()
    return VerificationContext(fetcher=fetcher, now=NOW)


def outcomes(proof: JwtProof) -> tuple[str, str]:
    by_check = {c.check: c for c in (proof.checks.proof, proof.checks.issuer) if c}
    assert set(by_check) == {CheckId.PROOF, CheckId.ISSUER}
    return str(by_check[CheckId.PROOF].outcome), str(by_check[CheckId.ISSUER].outcome)


def result(proof: JwtProof, check: CheckId):
    return next(c for c in (proof.checks.proof, proof.checks.issuer) if c and c.check == check)


def issuer_for(kind: str, alg: str, server) -> JwtIssuer:
    if kind == "did:web":
        return did_web_issuer(server, alg)
    if kind == "https":
        return https_issuer(server, alg)
    return did_key_issuer(alg)


# RSA has no did:key form here, so RS256 issuers publish their key on a (local) website.
ISSUER_KINDS = [
    ("RS256", "did:web"),
    ("RS256", "https"),
    ("ES256", "did:key"),
    ("ES256", "did:web"),
    ("EdDSA", "did:key"),
    ("EdDSA", "https"),
]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(("alg", "kind"), ISSUER_KINDS)
def test_every_shape_and_algorithm_verifies(issuer_server, shape, alg, kind):
    issuer = issuer_for(kind, alg, issuer_server)

    proof = verify_jwt_proof(issuer.token(shape), ctx=ctx_for(issuer_server))

    assert outcomes(proof) == ("passed", "passed"), proof.checks
    assert proof.issuer_id == issuer.issuer_id
    assert proof.checks.retryable is False
    credential = proof.credential
    assert credential["id"] == CREDENTIAL_ID
    assert credential["credentialSubject"]["id"] == SUBJECT
    assert credential["credentialSubject"]["achievement"]["name"] == "Data Analysis with SQL"
    assert "iss" not in credential
    assert "nbf" not in credential
    if shape == "a":
        assert credential["issuanceDate"] == "2025-04-01T00:00:00Z"
        assert credential["issuer"]["id"] == issuer.issuer_id
    else:
        assert credential["validFrom"] == "2025-04-01T00:00:00Z"


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("alg", ["ES256", "EdDSA"])
def test_a_tampered_payload_fails(shape, alg):
    issuer = did_key_issuer(alg)
    header, _payload, signature = issuer.token(shape).split(".")
    payload = vc_payload(shape, issuer.issuer_id)
    target = payload["vc"] if shape == "a" else payload
    target["credentialSubject"]["achievement"]["name"] = "Doctor of Medicine"
    forged = f"{header}.{b64url(json.dumps(payload).encode())}.{signature}"

    proof = verify_jwt_proof(forged, ctx=ctx_for())

    assert outcomes(proof)[0] == "failed"
    assert result(proof, CheckId.PROOF).code == "jwt_signature_invalid"


@pytest.mark.parametrize("alg", ["RS256", "ES256", "EdDSA"])
def test_signed_with_a_key_other_than_the_one_named_fails(issuer_server, alg):
    issuer = did_web_issuer(issuer_server, alg)
    impostor = JwtIssuer(issuer.issuer_id, issuer.kid, alg, private_key(alg, 1))
    proof = verify_jwt_proof(impostor.token("b"), ctx=ctx_for(issuer_server))
    assert outcomes(proof)[0] == "failed"
    assert result(proof, CheckId.PROOF).code == "jwt_signature_invalid"


def test_a_foreign_jwk_only_token_is_not_the_issuers(issuer_server):
    real = did_web_issuer(issuer_server, "ES256")
    attacker = private_key("ES256", 1)
    token = sign_compact(
        {"alg": "ES256", "jwk": public_jwk(attacker)}, vc_payload("b", real.issuer_id), attacker
    )

    proof = verify_jwt_proof(token, ctx=ctx_for(issuer_server))

    assert outcomes(proof) == ("passed", "failed")  # intact, but not signed by the issuer
    binding = result(proof, CheckId.ISSUER)
    assert binding.code == "jwt_key_self_asserted"
    assert binding.params["issuer"] == real.issuer_id


@pytest.mark.parametrize("alg", ["ES256", "EdDSA"])
def test_a_jwk_only_token_from_a_did_key_issuer_of_that_key_is_bound(alg):
    issuer = did_key_issuer(alg)
    token = issuer.token("c", header={"kid": None, "jwk": public_jwk(issuer.key)})
    assert outcomes(verify_jwt_proof(token, ctx=ctx_for())) == ("passed", "passed")


def test_a_jwk_only_token_claiming_someone_elses_did_key_fails():
    victim = did_key_issuer("EdDSA")
    attacker = private_key("EdDSA", 1)
    token = sign_compact(
        {"alg": "EdDSA", "jwk": public_jwk(attacker)}, vc_payload("c", victim.issuer_id), attacker
    )
    proof = verify_jwt_proof(token, ctx=ctx_for())
    assert outcomes(proof) == ("passed", "failed")


def test_did_jwk_issuer_verifies_and_foreign_did_jwk_kid_does_not():
    key = private_key("ES256", 2)
    did = did_jwk(key)
    own = JwtIssuer(did, f"{did}#0", "ES256", key)
    assert outcomes(verify_jwt_proof(own.token("c"), ctx=ctx_for())) == ("passed", "passed")
    other = did_key_issuer("ES256")
    foreign = JwtIssuer(other.issuer_id, f"{did}#0", "ES256", key)
    proof = verify_jwt_proof(foreign.token("c"), ctx=ctx_for())
    assert outcomes(proof) == ("passed", "failed")
    assert result(proof, CheckId.ISSUER).code == "jwt_key_other_identifier"


def test_a_kid_of_another_did_is_not_the_issuers():
    victim = did_key_issuer("EdDSA")
    attacker = did_key_issuer("EdDSA", 1)
    token = JwtIssuer(victim.issuer_id, attacker.kid, "EdDSA", attacker.key).token("b")
    proof = verify_jwt_proof(token, ctx=ctx_for())
    assert outcomes(proof) == ("passed", "failed")
    assert result(proof, CheckId.ISSUER).code == "key_not_issuers"


def test_alg_none_fails():
    issuer = did_key_issuer("EdDSA")
    token = sign_compact(
        {"alg": "none", "kid": issuer.kid}, vc_payload("b", issuer.issuer_id), None
    )
    proof = verify_jwt_proof(token, ctx=ctx_for())
    assert outcomes(proof) == ("failed", "not_applicable")
    assert result(proof, CheckId.PROOF).code == "jwt_alg_not_allowed"


def test_hs256_with_the_public_key_as_secret_fails(issuer_server):
    issuer = did_web_issuer(issuer_server, "RS256")
    token = hs256_with_public_key(vc_payload("b", issuer.issuer_id), issuer.key, issuer.kid)
    proof = verify_jwt_proof(token, ctx=ctx_for(issuer_server))
    assert outcomes(proof)[0] == "failed"
    assert result(proof, CheckId.PROOF).params == {"alg": "HS256"}
    assert issuer_server.hits == []  # refused before any key was fetched


def test_algorithm_confusion_between_key_types_fails():
    # The header says ES256 but the issuer's key is Ed25519: refuse, whatever the signature.
    issuer = did_key_issuer("EdDSA")
    token = sign_compact(
        {"alg": "ES256", "kid": issuer.kid},
        vc_payload("b", issuer.issuer_id),
        private_key("ES256", 3),
    )
    proof = verify_jwt_proof(token, ctx=ctx_for())
    assert result(proof, CheckId.PROOF).code == "jwt_key_alg_mismatch"


def test_a_short_rsa_key_fails(issuer_server):
    issuer = did_web_issuer(issuer_server, "RS256")
    weak = rsa_key(30, 1024)
    doc_issuer = JwtIssuer(issuer.issuer_id, issuer.kid, "RS256", weak)
    issuer_server.add_json(
        "/.well-known/did.json",
        {
            "id": issuer.issuer_id,
            "verificationMethod": [
                {
                    "id": issuer.kid,
                    "type": "JsonWebKey2020",
                    "controller": issuer.issuer_id,
                    "publicKeyJwk": public_jwk(weak),
                }
            ],
            "assertionMethod": [issuer.kid],
        },
    )
    proof = verify_jwt_proof(doc_issuer.token("b"), ctx=ctx_for(issuer_server))
    assert result(proof, CheckId.PROOF).code == "jwt_key_too_weak"
    assert result(proof, CheckId.PROOF).params == {"bits": "1024"}


@pytest.mark.parametrize(
    ("claims", "claim"),
    [
        ({"iss": "did:example:someone-else"}, "iss"),
        ({"sub": "did:example:taro"}, "sub"),
        ({"jti": "urn:uuid:another"}, "jti"),
        ({"nbf": 1700000000}, "nbf"),
        ({"exp": 1900000000}, "exp"),
    ],
)
def test_registered_claims_must_agree_with_the_body(claims, claim):
    issuer = did_key_issuer("EdDSA")
    payload = vc_payload("b", issuer.issuer_id, **claims)
    if claim == "exp":
        payload["validUntil"] = "2030-01-01T00:00:00Z"
    token = sign_compact({"alg": "EdDSA", "kid": issuer.kid}, payload, issuer.key)
    proof = verify_jwt_proof(token, ctx=ctx_for())
    assert outcomes(proof)[0] == "failed"
    assert result(proof, CheckId.PROOF).params["claim"] == claim


def test_shape_a_fills_missing_fields_from_claims_and_checks_present_ones():
    issuer = did_key_issuer("ES256")
    payload = vc_payload("a", issuer.issuer_id, exp=1900000000)
    token = sign_compact({"alg": "ES256", "kid": issuer.kid}, payload, issuer.key)
    proof = verify_jwt_proof(token, ctx=ctx_for())
    assert outcomes(proof) == ("passed", "passed")
    assert proof.credential["expirationDate"] == "2030-03-17T17:46:40Z"
    payload["vc"]["id"] = "urn:uuid:different"
    token = sign_compact({"alg": "ES256", "kid": issuer.kid}, payload, issuer.key)
    assert result(verify_jwt_proof(token, ctx=ctx_for()), CheckId.PROOF).params["claim"] == "jti"


def test_an_expired_token_is_not_judged_here():
    issuer = did_key_issuer("EdDSA")
    payload = vc_payload("b", issuer.issuer_id, exp=1700000000)
    payload["validUntil"] = "2023-11-14T22:13:20Z"
    token = sign_compact({"alg": "EdDSA", "kid": issuer.kid}, payload, issuer.key)
    assert outcomes(verify_jwt_proof(token, ctx=ctx_for())) == ("passed", "passed")


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ({"b64": False, "crit": ["b64"]}, "jwt_header_refused"),
        ({"crit": ["exp"]}, "jwt_header_refused"),
    ],
)
def test_unsupported_header_rules_fail(header, code):
    issuer = did_key_issuer("EdDSA")
    proof = verify_jwt_proof(issuer.token("c", header=header), ctx=ctx_for())
    assert result(proof, CheckId.PROOF).code == code
    assert outcomes(proof)[0] == "failed"


def test_an_unsupported_algorithm_is_unverifiable_not_failed():
    issuer = did_key_issuer("EdDSA")
    _header, payload, signature = issuer.token("c").split(".")
    token = (
        f"{b64url(json.dumps({'alg': 'PS512', 'kid': issuer.kid}).encode())}.{payload}.{signature}"
    )
    proof = verify_jwt_proof(token, ctx=ctx_for())
    assert outcomes(proof)[0] == "unverifiable"
    assert proof.checks.retryable is False


def test_an_unreachable_did_web_is_unverifiable_and_retryable(issuer_server):
    issuer = did_web_issuer(issuer_server, "ES256")
    issuer_server.add("/.well-known/did.json", "down", status=503)
    proof = verify_jwt_proof(issuer.token("b"), ctx=ctx_for(issuer_server))
    assert outcomes(proof)[0] == "unverifiable"
    assert proof.checks.retryable is True


def test_a_bare_jwk_url_listed_by_the_issuer_profile_is_bound(issuer_server):
    key = private_key("ES256", 4)
    kid = issuer_server.add_json("/jwt/keys/1.jwk", public_jwk(key))
    profile_id = issuer_server.add_json(
        "/jwt/bare-issuer.json",
        {
            "id": issuer_server.url("/jwt/bare-issuer.json"),
            "type": "Profile",
            "assertionMethod": [kid],
        },
    )
    token = JwtIssuer(profile_id, kid, "ES256", key).token("b")
    assert outcomes(verify_jwt_proof(token, ctx=ctx_for(issuer_server))) == ("passed", "passed")


def test_a_bare_jwk_url_the_issuer_does_not_list_is_not_bound(issuer_server):
    key = private_key("ES256", 4)
    kid = issuer_server.add_json("/jwt/keys/stray.jwk", public_jwk(key))
    profile_id = issuer_server.add_json(
        "/jwt/bare-issuer.json",
        {"id": issuer_server.url("/jwt/bare-issuer.json"), "type": "Profile"},
    )
    token = JwtIssuer(profile_id, kid, "ES256", key).token("b")
    proof = verify_jwt_proof(token, ctx=ctx_for(issuer_server))
    assert outcomes(proof) == ("passed", "failed")
    assert result(proof, CheckId.ISSUER).code == "jwt_key_not_listed"


def test_a_token_without_any_key_reference_fails(issuer_server):
    issuer = https_issuer(issuer_server, "EdDSA")
    proof = verify_jwt_proof(issuer.token("b", header={"kid": None}), ctx=ctx_for(issuer_server))
    assert result(proof, CheckId.PROOF).code == "jwt_no_key"


@pytest.mark.parametrize(
    "token",
    ["", "abc", "a.b", "a.b.c.d.e", "e30.e30.", "eyJhbGciOiJFUzI1NiJ9..sig", "!!!.???.###"],
)
def test_unreadable_tokens_fail_without_raising(token):
    proof = verify_jwt_proof(token, ctx=ctx_for())
    assert proof.credential is None
    assert outcomes(proof)[0] == "failed"


def test_a_jwt_that_carries_no_credential_is_reported():
    token = sign_compact({"alg": "EdDSA"}, {"iss": "x", "hello": "world"}, private_key("EdDSA"))
    proof = verify_jwt_proof(token, ctx=ctx_for())
    assert result(proof, CheckId.PROOF).code == "jwt_not_a_credential"
    assert proof.credential is None
