"""The bundled JSON-LD contexts: every one is recorded with its source and checksum, loads
without the network, and the contexts real credentials name are among them."""

from __future__ import annotations

import hashlib
import json

import pytest
from pyld import jsonld as pyld_jsonld

from credentials.verification import contexts, jsonld

MANIFEST = json.loads(contexts.MANIFEST_PATH.read_text(encoding="utf-8"))
URLS = [entry["url"] for entry in MANIFEST["contexts"]]


def test_urls_are_unique_and_sources_recorded() -> None:
    assert len(URLS) == len(set(URLS))
    for entry in MANIFEST["contexts"]:
        assert entry["source"].strip(), entry["url"]
        assert len(entry["sha256"]) == 64, entry["url"]
        data = (contexts.CONTEXTS_DIR / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["url"]


@pytest.mark.parametrize("url", URLS)
def test_every_bundled_context_expands_a_document_offline(url: str) -> None:
    """A context that pyld cannot process (or one importing an unbundled URL) fails here."""
    expanded = pyld_jsonld.expand(
        {"@context": url, "@id": "urn:example:1", "http://schema.org/name": "x"},
        {"documentLoader": contexts.BUNDLED},
    )
    assert expanded[0]["@id"] == "urn:example:1"


@pytest.mark.parametrize(
    ("url", "term", "iri"),
    [
        # Older DCC credentials (verifier-core fixtures, LCW) name this context.
        (
            "https://w3id.org/dcc/v1",
            "LearningCredential",
            "https://w3id.org/dcc/v1#LearningCredential",
        ),
        ("https://www.w3.org/ns/credentials/examples/v2", "AlumniCredential", None),
        ("https://www.w3.org/2018/credentials/examples/v1", "UniversityDegreeCredential", None),
        ("https://w3id.org/security/suites/ed25519-2018/v1", "Ed25519Signature2018", None),
        ("https://w3id.org/vc-revocation-list-2020/v1", "RevocationList2020Status", None),
        ("https://w3id.org/security/suites/x25519-2020/v1", "X25519KeyAgreementKey2020", None),
        (
            "https://w3c-ccg.github.io/vc-ed/plugfest-1-2022/jff-vc-edu-plugfest-1-context.json",
            "OpenBadgeCredential",
            None,
        ),
    ],
)
def test_contexts_used_in_the_wild_define_their_terms(url: str, term: str, iri: str | None) -> None:
    assert contexts.BUNDLED.is_known(url)
    expanded = pyld_jsonld.expand(
        {"@context": url, "@id": "urn:example:1", "@type": term},
        {"documentLoader": contexts.BUNDLED},
    )
    found = expanded[0]["@type"][0]
    assert found.startswith(("http://", "https://", "urn:")), found
    if iri:
        assert found == iri


def test_a_dcc_v1_credential_has_no_undefined_terms() -> None:
    credential = {
        "@context": ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/dcc/v1"],
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential", "LearningCredential"],
        "issuer": {"id": "did:key:z6Mkexample", "name": "Example University"},
        "issuanceDate": "2021-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:example:learner",
            "name": "A Learner",
            "hasCredential": {"type": ["Course"], "name": "Course 1", "numberOfCredits": 3},
        },
    }
    assert jsonld.canonicalize(credential).dropped == ()
