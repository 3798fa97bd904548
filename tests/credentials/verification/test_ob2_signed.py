"""OB 2.0 signed badges: RS256 JWS, keys the issuer lists, the issuer's revocation list."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from credentials.verification.context import VerificationContext
from credentials.verification.ob2 import verify_ob2
from credentials.vocabulary import CheckId, Container, CredentialFormat, Outcome, Status
from tests.credentials.issuers.ob2 import (
    Ob2Issuer,
    b64url,
    compact_jws,
    hs256_with_public_key,
    public_pem,
    rsa_key,
)
from tests.fetchers import StaticFetcher

pytest_plugins = ["tests.credentials.issuers.http"]

NOW = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture
def issuer(issuer_server):
    return Ob2Issuer(issuer_server)


def context(server, **kwargs) -> VerificationContext:
    kwargs.setdefault("recipient_emails", ("hanako@example.jp",))
    return VerificationContext(fetcher=server.fetcher(), now=NOW, **kwargs)


def check(report, check_id: CheckId):
    (found,) = [c for c in report.checks if c.check == check_id]
    return found


def test_signed_badge_is_verified(issuer, issuer_server):
    token = issuer.sign(issuer.assertion(hosted=False))

    report = verify_ob2(token, container=Container.JWS, ctx=context(issuer_server))

    assert report.status == Status.VERIFIED
    assert report.format == CredentialFormat.OB2
    assert check(report, CheckId.PROOF).params == {"key": issuer.key_id}
    assert check(report, CheckId.REVOCATION).code == "ob2_not_revoked_list"
    assert report.credential.spec_version == "2.0"
    assert report.credential.title == "Python Programming Fundamentals"


def test_without_creator_the_profile_keys_are_used(issuer, issuer_server):
    assertion = issuer.assertion(hosted=False)
    assertion["verification"] = {"type": "SignedBadge"}
    report = verify_ob2(issuer.sign(assertion), container=Container.PNG, ctx=context(issuer_server))
    assert report.status == Status.VERIFIED


def test_a_key_the_profile_does_not_list_fails(issuer, issuer_server):
    # The attacker publishes a key document naming the issuer as owner and signs with it.
    attacker = rsa_key(1)
    rogue_id = issuer_server.add_json(
        "/ob2/keys/rogue.json",
        {
            "@context": "https://w3id.org/openbadges/v2",
            "type": "CryptographicKey",
            "id": issuer_server.url("/ob2/keys/rogue.json"),
            "owner": issuer.profile_id,
            "publicKeyPem": public_pem(attacker),
        },
    )
    assertion = issuer.assertion(hosted=False)
    assertion["verification"]["creator"] = rogue_id

    report = verify_ob2(
        issuer.sign(assertion, key=attacker), container=Container.JWS, ctx=context(issuer_server)
    )

    assert report.status == Status.FAILED
    assert check(report, CheckId.PROOF).outcome == Outcome.PASSED  # genuine signature…
    issuer_check = check(report, CheckId.ISSUER)  # …by someone else's key
    assert issuer_check.code == "ob2_key_not_listed"
    assert issuer_check.params["key"] == rogue_id


def test_a_key_owned_by_someone_else_fails(issuer, issuer_server):
    issuer.key_document["owner"] = issuer_server.url("/other/issuer.json")
    issuer.publish()
    report = verify_ob2(
        issuer.sign(issuer.assertion(hosted=False)),
        container=Container.JWS,
        ctx=context(issuer_server),
    )
    assert report.status == Status.FAILED
    assert check(report, CheckId.ISSUER).code == "ob2_key_owner_mismatch"


def test_signed_with_another_key_fails(issuer, issuer_server):
    token = issuer.sign(issuer.assertion(hosted=False), key=rsa_key(2))
    report = verify_ob2(token, container=Container.JWS, ctx=context(issuer_server))
    assert report.status == Status.FAILED
    assert check(report, CheckId.PROOF).code == "ob2_signature_invalid"


def test_a_tampered_payload_fails(issuer, issuer_server):
    import json

    assertion = issuer.assertion(hosted=False)
    header, _payload, signature = issuer.sign(assertion).split(".")
    assertion["expires"] = "2099-01-01T00:00:00Z"
    forged = f"{header}.{b64url(json.dumps(assertion).encode())}.{signature}"

    report = verify_ob2(forged, container=Container.SVG, ctx=context(issuer_server))

    assert report.status == Status.FAILED
    assert check(report, CheckId.PROOF).code == "ob2_signature_invalid"
    assert check(report, CheckId.VALIDITY).outcome == Outcome.NOT_APPLICABLE


def test_alg_none_fails(issuer, issuer_server):
    token = compact_jws({"alg": "none"}, issuer.assertion(hosted=False), None)
    report = verify_ob2(token, container=Container.JWS, ctx=context(issuer_server))
    assert report.status == Status.FAILED
    assert check(report, CheckId.PROOF).params == {"alg": "none"}


def test_hs256_keyed_with_the_public_key_fails(issuer, issuer_server):
    token = hs256_with_public_key(issuer.assertion(hosted=False), issuer.private_key)
    report = verify_ob2(token, container=Container.JWS, ctx=context(issuer_server))
    assert report.status == Status.FAILED
    assert check(report, CheckId.PROOF).code == "ob2_alg_not_allowed"
    assert issuer_server.hits == []  # refused before fetching anything


def test_unknown_critical_header_fails(issuer, issuer_server):
    token = issuer.sign(issuer.assertion(hosted=False), header={"alg": "RS256", "crit": ["exp"]})
    report = verify_ob2(token, container=Container.JWS, ctx=context(issuer_server))
    assert report.status == Status.FAILED
    assert check(report, CheckId.PROOF).code == "jwt_header_refused"


def test_a_weak_rsa_key_fails(issuer_server):
    weak = Ob2Issuer(issuer_server, prefix="/weak")
    weak.private_key = rsa_key(3, 1024)
    weak.key_document["publicKeyPem"] = public_pem(weak.private_key)
    weak.publish()
    report = verify_ob2(
        weak.sign(weak.assertion(hosted=False)), container=Container.JWS, ctx=context(issuer_server)
    )
    assert report.status == Status.FAILED
    assert check(report, CheckId.PROOF).code == "ob2_key_too_weak"
    assert check(report, CheckId.PROOF).params["bits"] == "1024"
    assert "1024" in check(report, CheckId.PROOF).detail


def test_listed_on_the_revocation_list_means_revoked(issuer, issuer_server):
    assertion = issuer.assertion(hosted=False)
    issuer.revoke(assertion["id"], "Duplicate award")

    report = verify_ob2(issuer.sign(assertion), container=Container.JWS, ctx=context(issuer_server))

    assert report.status == Status.REVOKED
    assert check(report, CheckId.REVOCATION).params == {"reason": "Duplicate award"}


def test_listed_by_plain_id_string_means_revoked(issuer, issuer_server):
    assertion = issuer.assertion(hosted=False)
    issuer.revocation_list["revokedAssertions"].append(assertion["id"])
    issuer.publish()
    report = verify_ob2(issuer.sign(assertion), container=Container.JWS, ctx=context(issuer_server))
    assert report.status == Status.REVOKED
    assert check(report, CheckId.REVOCATION).code == "ob2_revoked_listed"


def test_an_unreachable_revocation_list_is_unverifiable(issuer, issuer_server):
    issuer_server.add(issuer.path_of(issuer.revocation_list_id), "down", status=503)
    report = verify_ob2(
        issuer.sign(issuer.assertion(hosted=False)),
        container=Container.JWS,
        ctx=context(issuer_server),
    )
    assert report.status == Status.UNVERIFIABLE
    assert report.retryable is True
    assert check(report, CheckId.REVOCATION).code == "issuer_unreachable"


def test_an_issuer_without_revocation_list_is_verified(issuer, issuer_server):
    del issuer.profile["revocationList"]
    issuer.publish()
    report = verify_ob2(
        issuer.sign(issuer.assertion(hosted=False)),
        container=Container.JWS,
        ctx=context(issuer_server),
    )
    assert report.status == Status.VERIFIED
    assert check(report, CheckId.REVOCATION).outcome == Outcome.NOT_APPLICABLE


def test_an_expired_signed_badge_is_expired(issuer, issuer_server):
    token = issuer.sign(issuer.assertion(hosted=False, expires="2026-05-31T23:59:59Z"))
    report = verify_ob2(token, container=Container.JWS, ctx=context(issuer_server))
    assert report.status == Status.EXPIRED


def test_a_signed_assertion_without_its_signature_is_malformed(issuer):
    report = verify_ob2(
        issuer.assertion(hosted=False),
        container=Container.JSON,
        ctx=VerificationContext(fetcher=StaticFetcher(), now=NOW),
    )
    assert report.status == Status.MALFORMED
    assert check(report, CheckId.PARSE).code == "ob2_unsigned"


@pytest.mark.parametrize(
    "payload",
    ["", "hello", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30.", "{not json", "[1, 2]", "{}"],
)
def test_unreadable_input_is_malformed(payload):
    report = verify_ob2(
        payload, container=Container.JSON, ctx=VerificationContext(fetcher=StaticFetcher(), now=NOW)
    )
    assert report.status == Status.MALFORMED
    assert check(report, CheckId.PARSE).outcome == Outcome.FAILED


def test_a_jws_wrapping_a_legacy_assertion_is_unverifiable():
    token = compact_jws(
        {"alg": "RS256"}, {"uid": "x", "verify": {"type": "signed", "url": "https://k"}}, rsa_key(0)
    )
    report = verify_ob2(
        token, container=Container.JWS, ctx=VerificationContext(fetcher=StaticFetcher(), now=NOW)
    )
    assert report.status == Status.UNVERIFIABLE
    assert check(report, CheckId.PARSE).code == "ob2_legacy_version"
