"""Documents that are about credentials but are not one: told apart before any checks run.

Applicants upload them by mistake (a status list saved from the issuer's site, a DID
document, an issuer profile, a badge's description, an empty presentation). Verifying them
as credentials gives nonsense — a status list is signed, current and names no recipient,
so it read as "verified" — so intake refuses them with a message that says what the file
is, and the engine reports them as not a learning credential.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from credentials.formats.detect import ExtractionError, extract, parse_json_object
from credentials.formats.ob3 import types_of

STATUS_LIST_TYPES = frozenset(
    {
        "BitstringStatusListCredential",
        "StatusList2021Credential",
        "RevocationList2020Credential",
        "RevocationList2021Credential",
        "SuspensionList2021Credential",
        "RevocationList",  # Open Badges 2.0
    }
)
PROFILE_TYPES = frozenset({"Profile", "Issuer", "Organization"})
DEFINITION_TYPES = frozenset({"BadgeClass", "Achievement", "EndorsementProfile"})
KEY_TYPES = frozenset(
    {"CryptographicKey", "Multikey", "JsonWebKey2020", "JsonWebKey", "Ed25519VerificationKey2020"}
)
DID_CONTEXTS = frozenset({"https://www.w3.org/ns/did/v1", "https://w3id.org/did/v1"})
_DID_KEYS = ("verificationMethod", "assertionMethod", "authentication", "publicKey", "service")
# What marks a document as issued to someone (a credential or an OB 2.0 assertion).
_AWARD_KEYS = ("credentialSubject", "recipient", "verifiableCredential", "badge")

# The kinds, in the order they are tested; each has an upload message and an engine code.
KINDS = (
    "status_list",
    "empty_presentation",
    "several_in_presentation",
    "did_document",
    "key_document",
    "issuer_profile",
    "achievement_definition",
)


def non_credential_kind(document: Any) -> str | None:
    """The kind of not-a-credential ``document`` is (one of ``KINDS``), or None."""
    if not isinstance(document, Mapping):
        return None
    inner = document.get("vc")
    if isinstance(inner, Mapping):  # a VC-JWT payload
        document = inner
    types = set(types_of(document.get("type")))
    if types & STATUS_LIST_TYPES:
        return "status_list"
    if "VerifiablePresentation" in types:
        held = document.get("verifiableCredential")
        items = held if isinstance(held, list) else [] if held is None else [held]
        if not items:
            return "empty_presentation"
        return "several_in_presentation" if len(items) > 1 else None
    if any(key in document for key in _AWARD_KEYS):
        return None
    context = document.get("@context")
    context_list = context if isinstance(context, list) else [context]
    identifier = document.get("id")
    is_did = isinstance(identifier, str) and identifier.startswith("did:")
    if (is_did or DID_CONTEXTS.intersection(c for c in context_list if isinstance(c, str))) and (
        any(key in document for key in _DID_KEYS)
    ):
        return "did_document"
    if types & KEY_TYPES or "publicKeyPem" in document or "kty" in document:
        return "key_document"
    if isinstance(document.get("keys"), list) and not types:  # a JWK set
        return "key_document"
    if types & PROFILE_TYPES:
        return "issuer_profile"
    if types & DEFINITION_TYPES:
        return "achievement_definition"
    return None


def uploaded_non_credential_kind(data: bytes) -> str | None:
    """``non_credential_kind`` of an uploaded file's payload (JSON, baked, or a JWT's
    payload). Unreadable files give None: the engine reports what is wrong with them."""
    try:
        extracted = extract(data)
    except ExtractionError:
        return None
    if extracted.kind == "json":
        return non_credential_kind(extracted.document)
    if extracted.kind == "jws":
        segments = extracted.text.split(".")
        if len(segments) != 3:
            return None
        try:
            raw = base64.urlsafe_b64decode(segments[1] + "=" * (-len(segments[1]) % 4))
            return non_credential_kind(parse_json_object(raw))
        except (ValueError, ExtractionError):
            return None
    return None
