"""From a verification method id to a public key and who controls it (reference §4).

Supported: ``did:key`` (Ed25519 ``z6Mk``, P-256 ``zDn``, P-384 ``z82``), ``did:web`` (with
port and path) and HTTPS-hosted key or controller documents (``Multikey``,
``Ed25519VerificationKey2020``, ``JsonWebKey2020``/``JsonWebKey``).

The key is always taken from a document its controller publishes: for
``https://issuer.example/profile#z6Mk…`` the profile is fetched and the key looked up by
id, never decoded from the fragment (reference trap #4). Whether the key belongs to the
credential's issuer is decided by ``check_binding``, which callers run with the issuer id.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from credentials.verification.fetcher import Fetcher, FetchError
from credentials.verification.key_material import (
    KeyInvalid,
    KeyUnavailable,
    PublicKey,
    decode_multikey,
    jwk_of,
    public_key_from_jwk,
)

RELATIONSHIPS = (
    "assertionMethod",
    "authentication",
    "capabilityInvocation",
    "capabilityDelegation",
    "keyAgreement",
)
MAX_DOCUMENT_BYTES = 512_000
ACCEPT = "application/did+json, application/did+ld+json, application/ld+json, application/json"


@dataclass(frozen=True, slots=True)
class ResolvedKey:
    public_key: PublicKey
    key_type: str  # "Ed25519", "P-256", "P-384", "RSA"
    controller: str
    method_id: str
    method_type: str = ""
    # Verification relationships the controller document grants this method.
    relationships: frozenset[str] = frozenset()
    jwk: Mapping[str, Any] | None = None
    # The URL the key came from ("" for did:key, which needs no fetch).
    document_url: str = ""
    extras: Mapping[str, str] = field(default_factory=dict)


def resolve_verification_method(vm_id: str, *, fetcher: Fetcher) -> ResolvedKey:
    """The public key ``vm_id`` names and the document that controls it.

    Raises ``KeyInvalid`` or ``KeyUnavailable`` (both ``KeyProblem``).
    """
    if not isinstance(vm_id, str) or not vm_id:
        raise KeyInvalid("key_method_missing")
    if vm_id.startswith("did:key:"):
        return _resolve_did_key(vm_id)
    if vm_id.startswith("did:web:"):
        return _resolve_did_web(vm_id, fetcher=fetcher)
    if vm_id.startswith("did:"):
        method = vm_id.split(":", 2)[1]
        raise KeyUnavailable("key_did_method_unsupported", method=method)
    if vm_id.startswith("https://") or vm_id.startswith("http://"):
        return _resolve_http(vm_id, fetcher=fetcher)
    raise KeyUnavailable("key_scheme_unsupported", method_id=vm_id[:200])


def check_binding(key: ResolvedKey, *, issuer_id: str, purpose: str = "assertionMethod") -> None:
    """Raise ``KeyInvalid`` unless the issuer controls ``key`` and authorised it for ``purpose``.

    A valid signature by someone else's key proves nothing about the issuer.
    """
    if key.controller != issuer_id:
        raise KeyInvalid("key_not_issuers", controller=key.controller, issuer=issuer_id)
    if purpose not in key.relationships:
        raise KeyInvalid("key_not_authorised", method_id=key.method_id, purpose=purpose)


# --- did:key ----------------------------------------------------------------------------


def _resolve_did_key(vm_id: str) -> ResolvedKey:
    did, _, fragment = vm_id.partition("#")
    encoded = did[len("did:key:") :]
    if fragment and fragment != encoded:
        # did:key:A#B with A ≠ B names a key the DID does not contain.
        raise KeyInvalid("key_did_key_mismatch", method_id=vm_id[:300])
    key_type, public_key = decode_multikey(encoded)
    return ResolvedKey(
        public_key=public_key,
        key_type=key_type,
        controller=did,
        method_id=f"{did}#{encoded}",
        method_type="Multikey",
        # The derived did:key document lists its one key under every relationship.
        relationships=frozenset(RELATIONSHIPS) - {"keyAgreement"},
        jwk=jwk_of(public_key, key_type),
    )


# --- did:web ----------------------------------------------------------------------------


def did_web_url(did: str) -> str:
    """The HTTPS URL of a did:web DID document (did:web spec, "Read (Resolve)")."""
    specific = did[len("did:web:") :].split("#", 1)[0].split("?", 1)[0]
    segments = specific.split(":")
    host = unquote(segments[0])
    if not host or "/" in host or "@" in host:
        raise KeyInvalid("key_did_web_invalid", did=did[:300])
    hostname = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    if hostname.replace(".", "").isdigit() or hostname.startswith("["):
        raise KeyInvalid("key_did_web_invalid", did=did[:300])  # names only, no IP literals
    path = [unquote(segment) for segment in segments[1:]]
    if any(not segment or "/" in segment or segment in (".", "..") for segment in path):
        raise KeyInvalid("key_did_web_invalid", did=did[:300])
    return f"https://{host}/{'/'.join(path) if path else '.well-known'}/did.json"


def _resolve_did_web(vm_id: str, *, fetcher: Fetcher) -> ResolvedKey:
    did = vm_id.split("#", 1)[0]
    url = did_web_url(did)
    document = _fetch_json(url, fetcher=fetcher, what=did)
    if document.get("id") != did:
        raise KeyInvalid("key_did_document_mismatch", did=did, url=url)
    return _key_from_controller_document(vm_id, document, base=did, document_url=url)


# --- HTTPS key and controller documents -------------------------------------------------


def _resolve_http(vm_id: str, *, fetcher: Fetcher) -> ResolvedKey:
    url = vm_id.split("#", 1)[0]
    document = _fetch_json(url, fetcher=fetcher, what=url)
    if _absolute(document.get("id"), url) == vm_id and _has_key_material(document):
        # (a) a key document on its own: its controller's document must list it.
        controller = document.get("controller")
        if not isinstance(controller, str) or not controller:
            raise KeyInvalid("key_controller_missing", method_id=vm_id)
        controller_document = _controller_document(controller, fetcher=fetcher, seen=url)
        relationships = _relationships(controller_document, vm_id, base=controller)
        key_type, public_key, jwk = _key_material(document)
        return ResolvedKey(
            public_key=public_key,
            key_type=key_type,
            controller=controller,
            method_id=vm_id,
            method_type=str(document.get("type", "")),
            relationships=relationships,
            jwk=jwk,
            document_url=url,
        )
    # (b) a controller document (issuer profile) listing the method. It speaks for the
    # URL it was fetched from only: a document on one host claiming another's id proves
    # nothing about that other issuer.
    if document.get("id") != url:
        raise KeyInvalid("key_did_document_mismatch", did=str(document.get("id"))[:300], url=url)
    return _key_from_controller_document(vm_id, document, base=url, document_url=url)


def _controller_document(controller: str, *, fetcher: Fetcher, seen: str) -> dict[str, Any]:
    if controller.startswith("did:web:"):
        document = _fetch_json(did_web_url(controller), fetcher=fetcher, what=controller)
    elif controller.startswith("https://") or controller.startswith("http://"):
        document = _fetch_json(controller.split("#", 1)[0], fetcher=fetcher, what=controller)
    else:
        raise KeyUnavailable("key_did_method_unsupported", method=controller.split(":")[:2][-1])
    if document.get("id") != controller:
        raise KeyInvalid("key_did_document_mismatch", did=controller, url=seen)
    return document


def _key_from_controller_document(
    vm_id: str, document: Mapping[str, Any], *, base: str, document_url: str
) -> ResolvedKey:
    method = _find_method(document, vm_id, base=base)
    if method is None:
        # The issuer no longer publishes this key (rotation) or never did.
        raise KeyInvalid("key_not_in_document", method_id=vm_id, url=document_url)
    document_id = str(document.get("id", base))
    controller = method.get("controller", document_id)
    if not isinstance(controller, str):
        raise KeyInvalid("key_controller_missing", method_id=vm_id)
    # Relationships in this document speak for this document's subject only.
    relationships = (
        _relationships(document, vm_id, base=base) if controller == document_id else frozenset()
    )
    key_type, public_key, jwk = _key_material(method)
    return ResolvedKey(
        public_key=public_key,
        key_type=key_type,
        controller=controller,
        method_id=vm_id,
        method_type=str(method.get("type", "")),
        relationships=relationships,
        jwk=jwk,
        document_url=document_url,
    )


def _absolute(value: Any, base: str) -> str:
    if not isinstance(value, str):
        return ""
    if value.startswith("#"):
        return base.split("#", 1)[0] + value
    if value.startswith("did:"):
        return value
    return urljoin(base, value)


def _find_method(document: Mapping[str, Any], vm_id: str, *, base: str) -> dict[str, Any] | None:
    candidates: list[Any] = []
    for key in ("verificationMethod", "publicKey", *RELATIONSHIPS):
        value = document.get(key)
        candidates.extend(value if isinstance(value, list) else [value])
    for entry in candidates:
        if isinstance(entry, dict) and _absolute(entry.get("id"), base) == vm_id:
            return entry
    return None


def _relationships(document: Mapping[str, Any], vm_id: str, *, base: str) -> frozenset[str]:
    granted = set()
    for relationship in RELATIONSHIPS:
        value = document.get(relationship)
        for entry in value if isinstance(value, list) else [value]:
            entry_id = entry.get("id") if isinstance(entry, dict) else entry
            if _absolute(entry_id, base) == vm_id:
                granted.add(relationship)
    return frozenset(granted)


def _has_key_material(document: Mapping[str, Any]) -> bool:
    return any(k in document for k in ("publicKeyMultibase", "publicKeyJwk"))


def _key_material(method: Mapping[str, Any]) -> tuple[str, PublicKey, dict[str, Any] | None]:
    if "publicKeyMultibase" in method:
        key_type, public_key = decode_multikey(method["publicKeyMultibase"])
        return key_type, public_key, jwk_of(public_key, key_type)
    jwk = method.get("publicKeyJwk")
    if isinstance(jwk, dict):
        key_type, public_key = public_key_from_jwk(jwk)
        return key_type, public_key, dict(jwk)
    raise KeyUnavailable("key_type_unsupported", key_type=str(method.get("type", "?"))[:100])


def _fetch_json(url: str, *, fetcher: Fetcher, what: str) -> dict[str, Any]:
    if urlsplit(url).scheme not in ("https", "http"):
        raise KeyUnavailable("key_scheme_unsupported", method_id=url[:200])
    try:
        response = fetcher.get(url, accept=ACCEPT)
    except FetchError as exc:
        raise KeyUnavailable(
            "key_document_unreachable",
            retryable=exc.retryable,
            url=url,
            reason=exc.reason or exc.code,
        ) from exc
    if response.status >= 400:
        raise KeyUnavailable("key_document_unreachable", url=url, reason=f"HTTP {response.status}")
    if len(response.body) > MAX_DOCUMENT_BYTES:
        raise KeyInvalid("key_document_invalid", url=url)
    try:
        document = json.loads(response.body)
    except (ValueError, RecursionError) as exc:
        raise KeyInvalid("key_document_invalid", url=url) from exc
    if not isinstance(document, dict):
        raise KeyInvalid("key_document_invalid", url=url)
    return document
