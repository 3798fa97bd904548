"""Key resolution: did:key, did:web (port and path), HTTPS key and controller documents."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

import pytest

from credentials.verification.context import VerificationContext
from credentials.verification.engine import verify_bytes
from credentials.verification.fetcher import FetchResponse
from credentials.verification.key_material import KeyInvalid, KeyUnavailable, decode_multikey
from credentials.verification.keys import check_binding, did_web_url, resolve_verification_method
from credentials.vocabulary import Status
from tests.credentials.issuers.dataintegrity import Issuer, KeyPair, ob3_credential, sign
from tests.fetchers import StaticFetcher

if TYPE_CHECKING:
    from tests.credentials.issuers.http import IssuerServer

pytest_plugins = ["tests.credentials.issuers.http"]


@pytest.mark.parametrize(
    ("did", "url"),
    [
        ("did:web:w3c-ccg.github.io", "https://w3c-ccg.github.io/.well-known/did.json"),
        ("did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"),
        ("did:web:example.com%3A3000", "https://example.com:3000/.well-known/did.json"),
        ("did:web:example.com%3A3000:a:b#key-1", "https://example.com:3000/a/b/did.json"),
    ],
)
def test_did_web_urls_follow_the_method_spec(did: str, url: str) -> None:
    assert did_web_url(did) == url


@pytest.mark.parametrize(
    "did",
    ["did:web:127.0.0.1", "did:web:example.com:..:etc", "did:web:user%40evil.example", "did:web:"],
)
def test_did_web_refuses_ip_literals_and_odd_paths(did: str) -> None:
    with pytest.raises(KeyInvalid):
        did_web_url(did)


@pytest.mark.parametrize(
    ("kind", "key_type"), [("ed25519", "Ed25519"), ("p256", "P-256"), ("p384", "P-384")]
)
def test_did_key_decodes_each_key_type(kind: str, key_type: str) -> None:
    pair = KeyPair.generate(kind)  # type: ignore[arg-type]
    key = resolve_verification_method(f"{pair.did_key}#{pair.multikey}", fetcher=StaticFetcher())
    assert key.key_type == key_type
    assert key.controller == pair.did_key
    assert "assertionMethod" in key.relationships
    assert key.jwk is not None


def test_did_key_with_a_different_fragment_is_refused() -> None:
    one, two = KeyPair.generate(), KeyPair.generate()
    with pytest.raises(KeyInvalid):
        resolve_verification_method(f"{one.did_key}#{two.multikey}", fetcher=StaticFetcher())


@pytest.mark.parametrize(
    "value",
    ["z", "zzzz", "abc", "z" + "1" * 40, "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK" + "1"],
)
def test_bad_multikeys_are_refused(value: str) -> None:
    with pytest.raises((KeyInvalid, KeyUnavailable)):
        decode_multikey(value)


def test_did_web_document_must_name_itself() -> None:
    issuer = Issuer.did_web("issuer.example.test")
    document = issuer.controller_document() | {"id": "did:web:other.example.test"}
    fetcher = StaticFetcher({issuer.did_web_url(): json.dumps(document)})
    with pytest.raises(KeyInvalid) as caught:
        resolve_verification_method(issuer.method_id, fetcher=fetcher)
    assert caught.value.code == "key_did_document_mismatch"


def test_did_web_unreachable_is_retryable_unavailable() -> None:
    issuer = Issuer.did_web("down.example.test")
    with pytest.raises(KeyUnavailable) as caught:
        resolve_verification_method(issuer.method_id, fetcher=StaticFetcher())
    assert caught.value.retryable is True


def test_did_web_404_is_unavailable_not_retryable() -> None:
    issuer = Issuer.did_web("gone.example.test")
    fetcher = StaticFetcher({issuer.did_web_url(): FetchResponse(issuer.did_web_url(), 404, b"")})
    with pytest.raises(KeyUnavailable) as caught:
        resolve_verification_method(issuer.method_id, fetcher=fetcher)
    assert caught.value.retryable is False


def test_profile_on_one_host_cannot_speak_for_another_issuer() -> None:
    victim = "https://university.example/issuer"
    attacker = Issuer.https("https://evil.example/profile")
    document = attacker.controller_document() | {"id": victim}
    fetcher = StaticFetcher({attacker.id: json.dumps(document)})
    with pytest.raises(KeyInvalid):
        resolve_verification_method(attacker.method_id, fetcher=fetcher)


def test_standalone_key_document_needs_its_controller_to_list_it() -> None:
    issuer = Issuer.https("https://issuer.example.test/profile")
    key_url = "https://issuer.example.test/keys/1"
    key_document = {
        "id": key_url,
        "type": "Multikey",
        "controller": issuer.id,
        "publicKeyMultibase": issuer.key.multikey,
    }
    profile = {"id": issuer.id, "assertionMethod": [key_url]}
    fetcher = StaticFetcher({key_url: json.dumps(key_document), issuer.id: json.dumps(profile)})
    key = resolve_verification_method(key_url, fetcher=fetcher)
    check_binding(key, issuer_id=issuer.id)
    unlisted = StaticFetcher(
        {key_url: json.dumps(key_document), issuer.id: json.dumps({"id": issuer.id})}
    )
    with pytest.raises(KeyInvalid):
        check_binding(resolve_verification_method(key_url, fetcher=unlisted), issuer_id=issuer.id)


def test_private_jwk_is_refused() -> None:
    issuer = Issuer.https("https://issuer.example.test/p", kind="p256")
    document = issuer.controller_document(jwk=True)
    document["verificationMethod"][0]["publicKeyJwk"]["d"] = "secret"
    with pytest.raises(KeyInvalid) as caught:
        resolve_verification_method(
            issuer.method_id, fetcher=StaticFetcher({issuer.id: json.dumps(document)})
        )
    assert caught.value.code == "key_jwk_private"


def test_unsupported_did_method_is_unavailable() -> None:
    with pytest.raises(KeyUnavailable) as caught:
        resolve_verification_method("did:ion:abc#key", fetcher=StaticFetcher())
    assert caught.value.params["method"] == "ion"


def test_did_web_with_port_and_path_over_the_real_fetcher(
    issuer_server: IssuerServer, now: datetime
) -> None:
    issuer = Issuer.did_web(issuer_server.authority, "issuers", "42")
    issuer_server.add_json("/issuers/42/did.json", issuer.controller_document())
    signed = sign(ob3_credential(issuer), issuer)
    ctx = VerificationContext(fetcher=issuer_server.fetcher(), now=now)
    report = verify_bytes(json.dumps(signed).encode(), ctx=ctx)
    assert report.status == Status.VERIFIED
    assert issuer_server.hits == ["/issuers/42/did.json"]
