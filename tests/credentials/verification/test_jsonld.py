"""Bundled contexts, the network-free loader, the one-expansion canonicaliser and W3C vectors."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

import pytest
from pyld import jsonld as pyld_jsonld

from credentials.verification import contexts, jsonld
from credentials.verification.context import VerificationContext
from credentials.verification.engine import verify_bytes
from credentials.vocabulary import Status
from tests.fetchers import StaticFetcher

EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
EXTRA = "https://contexts.example.test/extra/v1"
# Published in w3c/vc-di-eddsa TestVectors/eddsa-rdfc-2022/signedDataInt.json and
# combinedHashDataInt.txt (same commit): proof-config hash ‖ document hash.
EDDSA_VECTOR = {
    "@context": ["https://www.w3.org/ns/credentials/v2", EXAMPLES_V2],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
    "proof": {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2023-02-24T23:36:38Z",
        "verificationMethod": "https://vc.example/issuers/5678#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        "proofPurpose": "assertionMethod",
        "proofValue": (
            "z21EVs3eXERqTn4acNHT9viboqgzUaQ3kTmhPT3eA8qrVPE7CrQq78WkzctnMX5W4CrzcKnHw8V6dvy5pgWYCU5e9"
        ),
    },
}
EDDSA_COMBINED_HASH = (
    "4c4d3890a157f8d611b13c265c2c22f39aa0a567c7c7dd9ba3e45cd579784eeb"
    "517744132ae165a5349155bef0bb0cf2258fff99dfe1dbd914b938d775a36017"
)
# vc-di-ecdsa ecdsa-rdfc-2019 P-384 vector: the same document hashed with SHA-384 (the
# last 48 bytes of its combinedHashECDSAP384.txt). Its proof-config half was computed with
# an earlier draft of the VC 2.0 context and no longer reproduces with the final one.
P384_DOCUMENT_HASH = (
    "8bf6e01df72c5b62f91b685231915ac4b8c58ea95f002c6b8f6bfafa1b251df4"
    "76b56b8e01518e317dab099d3ecbff96"
)


@pytest.fixture
def extra_contexts() -> contexts.ContextLoader:
    """A loader serving one more context than the bundle, passed in where it is needed."""
    return contexts.BUNDLED.with_documents(
        {EXTRA: {"@context": {"@vocab": "https://contexts.example.test/vocab#"}}}
    )


def test_a_loader_with_extra_documents_leaves_the_bundled_one_alone(
    extra_contexts: contexts.ContextLoader,
) -> None:
    document = {"@context": EXTRA, "@id": "urn:example:1", "name": "x"}
    assert extra_contexts.is_known(EXTRA)
    assert (
        "contexts.example.test/vocab#name"
        in jsonld.canonicalize(document, contexts=extra_contexts).nquads
    )
    assert not contexts.BUNDLED.is_known(EXTRA)
    with pytest.raises(jsonld.ContextNotBundled):
        jsonld.canonicalize(document)


def test_every_bundled_context_matches_its_manifest_checksum() -> None:
    manifest = json.loads(contexts.MANIFEST_PATH.read_text())
    assert len(manifest["contexts"]) >= 20
    for entry in manifest["contexts"]:
        data = (contexts.CONTEXTS_DIR / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["url"]
        assert entry["source"]
        assert "@context" in json.loads(data)


def test_every_context_file_is_listed_in_the_manifest() -> None:
    listed = {e["file"] for e in json.loads(contexts.MANIFEST_PATH.read_text())["contexts"]}
    present = {p.name for p in contexts.CONTEXTS_DIR.iterdir() if p.name != "manifest.json"}
    assert present == listed


def test_ob3_303_is_the_specification_repository_copy() -> None:
    """Reference §6.3: the spec repo's latest copy, not the 1EdTech validator's variant."""
    url = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
    assert (
        contexts.context_sha256(url)
        == "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://www.w3.org/2018/credentials/v1",
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
        "https://w3id.org/security/data-integrity/v1",
        "https://w3id.org/security/data-integrity/v2",
        "https://w3id.org/security/suites/ed25519-2020/v1",
        "https://w3id.org/security/multikey/v1",
        "https://w3id.org/vc/status-list/2021/v1",
        "https://www.w3.org/ns/credentials/status/v1",
        "https://www.w3.org/ns/did/v1",
        "https://w3id.org/security/suites/jws-2020/v1",
        "https://w3id.org/openbadges/v2",
    ],
)
def test_required_contexts_are_bundled_and_load(url: str) -> None:
    loaded = contexts.BUNDLED(url, {})
    assert loaded["documentUrl"] == url
    assert "@context" in loaded["document"]


def test_unknown_context_is_refused_without_any_network_use() -> None:
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://evil.example/ctx"],
        "name": "x",
    }
    assert contexts.BUNDLED.unknown_context(document) == "https://evil.example/ctx"
    with pytest.raises(jsonld.ContextNotBundled) as caught:
        jsonld.canonicalize(document)
    assert caught.value.url == "https://evil.example/ctx"


def test_pyld_default_loader_is_ours() -> None:
    """A call that forgets ``documentLoader`` still cannot reach the network."""
    with pytest.raises(pyld_jsonld.JsonLdError):
        pyld_jsonld.expand({"@context": "https://evil.example/ctx", "a": 1})


def test_scoped_context_urls_are_found() -> None:
    document = {
        "@context": [{"x": {"@id": "https://e.example/x", "@context": "https://nested.example/c"}}]
    }
    assert list(contexts.context_urls(document)) == ["https://nested.example/c"]


def test_canonical_form_equals_pyld_normalize(interop_dir: Path) -> None:
    for name in (
        "ob3-v2-eddsa-valid.json",
        "ob3-v1-ed25519sig2020-valid.json",
        "status-list-1.json",
    ):
        document = json.loads((interop_dir / name).read_text())
        document.pop("proof")
        assert jsonld.canonicalize(document).nquads == jsonld.normalize_reference(document)


def test_w3c_eddsa_vector_hashes() -> None:
    document = json.loads(json.dumps(EDDSA_VECTOR))
    proof = document.pop("proof")
    config = {k: v for k, v in proof.items() if k != "proofValue"} | {
        "@context": document["@context"]
    }
    config_nquads = jsonld.canonicalize(config).nquads
    document_nquads = jsonld.canonicalize(document).nquads
    combined = hashlib.sha256(config_nquads.encode()).hexdigest()
    combined += hashlib.sha256(document_nquads.encode()).hexdigest()
    assert combined == EDDSA_COMBINED_HASH


def test_w3c_p384_vector_document_hash() -> None:
    document = {k: v for k, v in EDDSA_VECTOR.items() if k != "proof"}
    nquads = jsonld.canonicalize(document).nquads
    assert hashlib.sha384(nquads.encode()).hexdigest() == P384_DOCUMENT_HASH


def test_w3c_eddsa_vector_verifies_once_the_issuer_publishes_the_key(
    now: datetime,
) -> None:
    method = EDDSA_VECTOR["proof"]["verificationMethod"]  # type: ignore[index]
    issuer = "https://vc.example/issuers/5678"
    controller = {
        "id": issuer,
        "verificationMethod": [
            {
                "id": method,
                "type": "Multikey",
                "controller": issuer,
                "publicKeyMultibase": method.split("#")[1],
            }
        ],
        "assertionMethod": [method],
    }
    data = json.dumps(EDDSA_VECTOR).encode()
    served = VerificationContext(fetcher=StaticFetcher({issuer: json.dumps(controller)}), now=now)
    assert verify_bytes(data, ctx=served).status == Status.VERIFIED
    # Without the issuer's document the key in the fragment proves nothing (trap #4).
    unserved = VerificationContext(fetcher=StaticFetcher(), now=now)
    assert verify_bytes(data, ctx=unserved).status == Status.UNVERIFIABLE


def test_dropped_terms_are_reported_by_name() -> None:
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "credentialSubject": {"id": "did:example:1", "extraHours": 40},
        "image": "relative/path.png",
    }
    dropped = jsonld.canonicalize(document).dropped
    assert "extraHours" in dropped


def test_blank_node_bomb_is_refused() -> None:
    nodes = [
        {"knows": [{"@id": f"_:b{(i + j) % 40}"} for j in range(1, 4)], "@id": f"_:b{i}"}
        for i in range(40)
    ]
    document = {
        "@context": {"knows": {"@id": "https://e.example/knows", "@type": "@id"}},
        "@graph": nodes,
    }
    with pytest.raises(jsonld.TooComplex):
        jsonld.canonicalize(document)


def test_canonicalisation_leaves_the_document_untouched_and_matches_pyld() -> None:
    """The fast path skips pyld's defensive copy; it must neither write to the input nor
    differ from pyld's own ``normalize`` (the issuer helper signs with the latter)."""
    from tests.credentials.issuers.dataintegrity import (
        ED25519_2020_CONTEXT,
        Issuer,
        ob3_credential,
        sign,
        status_entry,
    )

    issuer = Issuer.did_key()
    documents = [
        ob3_credential(issuer, status=[status_entry("https://s.example.test/1", 4)], serial=1),
        ob3_credential(issuer, version="v1", extra_contexts=(ED25519_2020_CONTEXT,), serial=2),
        sign(ob3_credential(issuer, serial=3), issuer)["proof"]
        | {"@context": ob3_credential(issuer)["@context"]},
    ]
    for document in documents:
        before = json.dumps(document, sort_keys=True)
        first = jsonld.canonicalize(document).nquads
        second = jsonld.canonicalize(document).nquads
        assert json.dumps(document, sort_keys=True) == before
        assert first == second == jsonld.normalize_reference(document)


def test_scoped_contexts_from_uploads_are_not_cached() -> None:
    """Only the bundled contexts' scoped contexts enter the processed-context cache."""
    base = [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    inline_scoped = []
    for serial in range(20):
        scoped = {"x": f"https://e.example/x{serial}"}
        inline_scoped.append(scoped)
        inline = {"Thing": {"@id": f"https://e.example/T{serial}", "@context": scoped}}
        document = {
            "@context": [*base, inline],
            "type": ["VerifiableCredential", "Thing"],
            "x": "1",
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "achievement": {"type": ["Achievement"]},
            },
        }
        jsonld.canonicalize(document)
    pinned = [local for local, _ in contexts.BUNDLED.processed.values()]
    assert pinned  # the bundled OB 3.0 scoped contexts were cached ...
    assert all(contexts.BUNDLED.owns(local) for local in pinned)
    assert not any(local is scoped for local in pinned for scoped in inline_scoped)  # ... these not
    assert len(pinned) <= contexts.MAX_PROCESSED_CONTEXTS
