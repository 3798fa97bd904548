"""A test issuer that signs real Open Badges 3.0 credentials with Data Integrity proofs.

Keys are generated per issuer; signatures are made over pyld's own ``jsonld.normalize``
output (not the verifier's faster path), so the corpus checks the verifier against an
independent canonicalisation. Supports eddsa-rdfc-2022, eddsa-2022, Ed25519Signature2020
and ecdsa-rdfc-2019 (P-256, P-384); did:key, did:web and HTTPS-profile issuers; signed
BitstringStatusList / StatusList2021 credentials with chosen bits set; baked PNG and SVG.
"""

from __future__ import annotations

import base64
import copy
import gzip
import hashlib
import json
import struct
import uuid
import zlib
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote

import base58
import rfc8785
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from credentials.verification.jsonld import normalize_reference

VC_V1 = "https://www.w3.org/2018/credentials/v1"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ED25519_2020_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
STATUS_2021_CONTEXT = "https://w3id.org/vc/status-list/2021/v1"
CREATED = "2025-01-01T00:00:00Z"

KeyKind = Literal["ed25519", "p256", "p384"]
Suite = Literal[
    "eddsa-rdfc-2022",
    "eddsa-2022",
    "Ed25519Signature2020",
    "ecdsa-rdfc-2019",
    "eddsa-jcs-2022",
    "ecdsa-jcs-2019",
]
_PREFIX = {"ed25519": b"\xed\x01", "p256": b"\x80\x24", "p384": b"\x81\x24"}


@dataclass(frozen=True)
class KeyPair:
    kind: KeyKind
    private_key: Any

    @classmethod
    def generate(cls, kind: KeyKind = "ed25519") -> KeyPair:
        if kind == "ed25519":
            return cls(kind, ed25519.Ed25519PrivateKey.generate())
        curve = ec.SECP256R1() if kind == "p256" else ec.SECP384R1()
        return cls(kind, ec.generate_private_key(curve))

    @property
    def multikey(self) -> str:
        public = self.private_key.public_key()
        if self.kind == "ed25519":
            raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
        else:
            raw = public.public_bytes(Encoding.X962, PublicFormat.CompressedPoint)
        return "z" + base58.b58encode(_PREFIX[self.kind] + raw).decode()

    @property
    def did_key(self) -> str:
        return f"did:key:{self.multikey}"

    def public_jwk(self) -> dict[str, str]:
        public = self.private_key.public_key()

        def b64(data: bytes) -> str:
            return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

        if self.kind == "ed25519":
            raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
            return {"kty": "OKP", "crv": "Ed25519", "x": b64(raw)}
        numbers = public.public_numbers()
        size = 32 if self.kind == "p256" else 48
        return {
            "kty": "EC",
            "crv": "P-256" if self.kind == "p256" else "P-384",
            "x": b64(numbers.x.to_bytes(size, "big")),
            "y": b64(numbers.y.to_bytes(size, "big")),
        }

    def sign(self, data: bytes) -> bytes:
        if self.kind == "ed25519":
            return self.private_key.sign(data)
        algorithm = hashes.SHA256() if self.kind == "p256" else hashes.SHA384()
        r, s = decode_dss_signature(self.private_key.sign(data, ec.ECDSA(algorithm)))
        size = 32 if self.kind == "p256" else 48
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")


@dataclass(frozen=True)
class Issuer:
    """Who signs: the issuer id, the key, and the verification method id to name."""

    id: str
    key: KeyPair
    method_id: str

    @classmethod
    def did_key(cls, kind: KeyKind = "ed25519") -> Issuer:
        key = KeyPair.generate(kind)
        return cls(key.did_key, key, f"{key.did_key}#{key.multikey}")

    @classmethod
    def did_web(cls, authority: str, *path: str, kind: KeyKind = "ed25519") -> Issuer:
        did = ":".join(["did:web", quote(authority, safe=""), *path])
        return cls(did, KeyPair.generate(kind), f"{did}#key-1")

    @classmethod
    def https(cls, profile_url: str, kind: KeyKind = "ed25519") -> Issuer:
        key = KeyPair.generate(kind)
        return cls(profile_url, key, f"{profile_url}#{key.multikey}")

    def did_web_url(self) -> str:
        specific = self.id[len("did:web:") :].split(":")
        host = specific[0].replace("%3A", ":")
        tail = "/".join(specific[1:]) if len(specific) > 1 else ".well-known"
        return f"https://{host}/{tail}/did.json"

    def controller_document(
        self, *, relationships: tuple[str, ...] = ("assertionMethod",), jwk: bool = False
    ) -> dict[str, Any]:
        """The DID document / issuer profile that publishes this issuer's key."""
        method: dict[str, Any] = {"id": self.method_id, "controller": self.id}
        if jwk:
            method.update(type="JsonWebKey2020", publicKeyJwk=self.key.public_jwk())
        else:
            method.update(type="Multikey", publicKeyMultibase=self.key.multikey)
        document: dict[str, Any] = {
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": self.id,
            "verificationMethod": [method],
        }
        for relationship in relationships:
            document[relationship] = [self.method_id]
        return document


def ob3_credential(
    issuer: Issuer | str,
    *,
    version: Literal["v1", "v2"] = "v2",
    email: str = "hanako.yamada@example.jp",
    hashed_email_salt: str | None = None,
    name: str = "Applied Data Analysis with Python",
    valid_from: str = "2025-04-01T00:00:00Z",
    valid_until: str | None = None,
    status: dict[str, Any] | list[dict[str, Any]] | None = None,
    extra_contexts: tuple[str, ...] = (),
    serial: int | None = None,
) -> dict[str, Any]:
    """An unsigned OB 3.0 AchievementCredential, distinct per ``serial``."""
    issuer_id = issuer if isinstance(issuer, str) else issuer.id
    serial = uuid.uuid4().int % 10**9 if serial is None else serial
    if hashed_email_salt is None:
        identifier = {
            "type": "IdentityObject",
            "identityHash": email,
            "identityType": "emailAddress",
            "hashed": False,
        }
    else:
        digest = hashlib.sha256((email + hashed_email_salt).encode()).hexdigest()
        identifier = {
            "type": "IdentityObject",
            "identityHash": f"sha256${digest}",
            "identityType": "emailAddress",
            "hashed": True,
            "salt": hashed_email_salt,
        }
    base = VC_V1 if version == "v1" else VC_V2
    document: dict[str, Any] = {
        "@context": [base, OB3_CONTEXT, *extra_contexts],
        "id": f"urn:uuid:{uuid.UUID(int=serial)}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": issuer_id,
            "type": ["Profile"],
            "name": "Example Institute of Technology",
            "url": "https://example.edu",
            "address": {"type": ["Address"], "addressCountry": "Japan", "addressCountryCode": "JP"},
        },
        "name": name,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [identifier],
            "achievement": {
                "id": f"urn:uuid:{uuid.UUID(int=serial + 1)}",
                "type": ["Achievement"],
                "achievementType": "MicroCredential",
                "name": name,
                "description": f"Course number {serial}: data cleaning, statistics, charts.",
                "criteria": {"narrative": "Complete six graded projects."},
                "creditsAvailable": 3,
                "fieldOfStudy": "Data Science",
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": "EQF level 6",
                        "targetUrl": "https://europa.eu/europass/en/description-eight-eqf-levels",
                        "targetFramework": "European Qualifications Framework",
                        "targetCode": "6",
                        "targetType": "ext:Level",
                    }
                ],
            },
        },
    }
    if version == "v1":
        document["issuanceDate"] = valid_from
        if valid_until:
            document["expirationDate"] = valid_until
    else:
        document["validFrom"] = valid_from
        if valid_until:
            document["validUntil"] = valid_until
    if status is not None:
        document["credentialStatus"] = status
    return document


def sign(
    document: dict[str, Any],
    issuer: Issuer,
    *,
    suite: Suite = "eddsa-rdfc-2022",
    method_id: str | None = None,
    created: str = CREATED,
    proof_purpose: str = "assertionMethod",
    proof_id: str | None = None,
    previous_proof: str | list[str] | None = None,
    domain: str | None = None,
    challenge: str | None = None,
) -> dict[str, Any]:
    """A copy of ``document`` with one more proof (a proof set when one exists already;
    a chain when ``previous_proof`` names earlier proofs by id)."""
    signed = copy.deepcopy(document)
    existing = signed.pop("proof", None)
    earlier = [] if existing is None else existing if isinstance(existing, list) else [existing]
    proof: dict[str, Any] = {
        "type": "Ed25519Signature2020" if suite == "Ed25519Signature2020" else "DataIntegrityProof",
        "created": created,
        "verificationMethod": method_id or issuer.method_id,
        "proofPurpose": proof_purpose,
    }
    if suite != "Ed25519Signature2020":
        proof["cryptosuite"] = suite
    for name, value in (
        ("id", proof_id),
        ("previousProof", previous_proof),
        ("domain", domain),
        ("challenge", challenge),
    ):
        if value is not None:
            proof[name] = value
    covered = dict(signed)
    if previous_proof is not None:
        names = [previous_proof] if isinstance(previous_proof, str) else previous_proof
        covered["proof"] = [p for p in earlier if p.get("id") in names]
    algorithm = "sha384" if issuer.key.kind == "p384" else "sha256"
    if suite.endswith("-jcs-2022") or suite.endswith("-jcs-2019"):
        # The JCS suites hash the JSON itself; the proof keeps the document's context.
        proof["@context"] = signed["@context"]
        hash_data = (
            hashlib.new(algorithm, rfc8785.dumps(proof)).digest()
            + hashlib.new(algorithm, rfc8785.dumps(covered)).digest()
        )
    else:
        config = dict(proof, **{"@context": signed["@context"]})

        def digest(value: dict[str, Any]) -> bytes:
            return hashlib.new(algorithm, normalize_reference(value).encode()).digest()

        hash_data = digest(config) + digest(covered)
    proof["proofValue"] = "z" + base58.b58encode(issuer.key.sign(hash_data)).decode()
    signed["proof"] = proof if existing is None else [*earlier, proof]
    return signed


def encode_bits(set_bits: set[int], *, entries: int = 131_072, multibase: bool = True) -> str:
    """A gzip'd bitstring, MSB first (index 0 = top bit of byte 0), base64url."""
    data = bytearray(entries // 8)
    for index in set_bits:
        data[index // 8] |= 0x80 >> (index % 8)
    encoded = base64.urlsafe_b64encode(gzip.compress(bytes(data))).rstrip(b"=").decode()
    return ("u" if multibase else "") + encoded


def status_entry(
    list_url: str,
    index: int,
    *,
    purpose: str = "revocation",
    kind: Literal["bitstring", "2021"] = "bitstring",
) -> dict[str, Any]:
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry" if kind == "bitstring" else "StatusList2021Entry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def status_list(
    list_url: str,
    issuer: Issuer,
    *,
    set_bits: set[int] = frozenset(),  # type: ignore[assignment]
    purpose: str = "revocation",
    kind: Literal["bitstring", "2021"] = "bitstring",
    encoded: str | None = None,
    sign_it: bool = True,
) -> dict[str, Any]:
    """A signed status list credential (VC 2.0 Bitstring or VC 1.1 StatusList2021)."""
    bitstring = kind == "bitstring"
    document: dict[str, Any] = {
        "@context": [VC_V2] if bitstring else [VC_V1, STATUS_2021_CONTEXT, DATA_INTEGRITY_V2],
        "id": list_url,
        "type": [
            "VerifiableCredential",
            "BitstringStatusListCredential" if bitstring else "StatusList2021Credential",
        ],
        "issuer": issuer.id,
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList" if bitstring else "StatusList2021",
            "statusPurpose": purpose,
            "encodedList": encoded
            if encoded is not None
            else encode_bits(set(set_bits), multibase=bitstring),
        },
    }
    document["validFrom" if bitstring else "issuanceDate"] = "2025-01-01T00:00:00Z"
    return sign(document, issuer) if sign_it else document


def revocation_list_1edtech(credential_ids: list[str]) -> dict[str, Any]:
    return {
        "id": "list",
        "revokedCredentials": [
            {"id": i, "revocationReason": "Issued in error"} for i in credential_ids
        ],
    }


# --- baking -----------------------------------------------------------------------------


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_with_text(*texts: tuple[bytes, bytes, str]) -> bytes:
    """A 1×1 PNG with extra text chunks: (chunk type, keyword, text)."""
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    pixels = _chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    extra = b""
    for chunk_type, keyword, text in texts:
        if chunk_type == b"iTXt":
            body = keyword + b"\x00\x00\x00" + b"\x00" + b"\x00" + text.encode()
        else:
            body = keyword + b"\x00" + text.encode("latin-1")
        extra += _chunk(chunk_type, body)
    return b"\x89PNG\r\n\x1a\n" + header + extra + pixels + _chunk(b"IEND", b"")


def bake_png(document: dict[str, Any] | str, *, keyword: bytes = b"openbadgecredential") -> bytes:
    text = document if isinstance(document, str) else json.dumps(document)
    return png_with_text((b"iTXt", keyword, text))


def bake_svg(document: dict[str, Any] | str, *, verify_attribute: bool = False) -> bytes:
    text = document if isinstance(document, str) else json.dumps(document)
    if verify_attribute:
        element = f'<openbadges:credential verify="{text}"/>'
    else:
        element = f"<openbadges:credential><![CDATA[{text}]]></openbadges:credential>"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" width="10" height="10">'
        f"{element}<circle r='4'/></svg>"
    ).encode()
