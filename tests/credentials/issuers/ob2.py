"""An Open Badges 2.0 issuer for tests: real RSA keys, real RS256 signatures, real documents.

``Ob2Issuer(server)`` publishes an issuer Profile, a BadgeClass, a CryptographicKey and a
RevocationList on a local ``IssuerServer`` and makes hosted and signed assertions.
``bake_png`` / ``bake_svg`` put an assertion (JSON or JWS) into a badge image the way the
OB 2.0 baking specification says.
"""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import hmac
import json
import struct
import uuid
import zlib
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.credentials.issuers.http import IssuerServer

OB2_CONTEXT = "https://w3id.org/openbadges/v2"


@functools.cache
def rsa_key(index: int = 0, bits: int = 2048) -> rsa.RSAPrivateKey:
    """Deterministic per index within a test session (generating RSA keys is slow)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def compact_jws(header: dict[str, Any], payload: Any, key: rsa.RSAPrivateKey | None) -> str:
    """RS256 compact JWS; ``key=None`` gives an empty signature (for ``alg: none``)."""
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}"
    signature = b""
    if key is not None:
        signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64url(signature)}"


def hs256_with_public_key(payload: Any, key: rsa.RSAPrivateKey) -> str:
    """The algorithm-confusion forgery: HMAC keyed with the issuer's public PEM."""
    header = {"alg": "HS256", "typ": "JWT"}
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}"
    mac = hmac.new(public_pem(key).encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(mac)}"


def hashed_email(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email + salt).encode()).hexdigest()


class Ob2Issuer:
    """One OB 2.0 issuer hosted under ``prefix`` on ``server``."""

    def __init__(
        self,
        server: IssuerServer,
        *,
        prefix: str = "/ob2",
        name: str = "Example University",
        key_index: int = 0,
        verification: dict[str, Any] | None = None,
    ) -> None:
        self.server = server
        self.prefix = prefix
        self.private_key = rsa_key(key_index)
        self.profile_id = server.url(f"{prefix}/issuer.json")
        self.badge_id = server.url(f"{prefix}/badges/python.json")
        self.key_id = server.url(f"{prefix}/keys/1.json")
        self.revocation_list_id = server.url(f"{prefix}/revocations.json")
        self.profile: dict[str, Any] = {
            "@context": OB2_CONTEXT,
            "type": "Profile",
            "id": self.profile_id,
            "name": name,
            "url": server.url("/"),
            "email": "badges@example.ac.jp",
            "publicKey": self.key_id,
            "revocationList": self.revocation_list_id,
        }
        if verification is not None:
            self.profile["verification"] = verification
        self.badge: dict[str, Any] = {
            "@context": OB2_CONTEXT,
            "type": "BadgeClass",
            "id": self.badge_id,
            "name": "Python Programming Fundamentals",
            "description": "Writes, tests and debugs small Python programs.",
            "image": server.url(f"{prefix}/badges/python.png"),
            "criteria": {
                "id": server.url(f"{prefix}/badges/python/criteria"),
                "narrative": "Passed a 3-hour practical exam.",
            },
            "issuer": self.profile_id,
            "tags": ["python", "programming"],
            "alignment": [
                {
                    "targetName": "Software development",
                    "targetUrl": "https://example.org/frameworks/sd",
                    "targetFramework": "Example Skills Framework",
                    "targetCode": "SD-1",
                }
            ],
        }
        self.key_document: dict[str, Any] = {
            "@context": OB2_CONTEXT,
            "type": "CryptographicKey",
            "id": self.key_id,
            "owner": self.profile_id,
            "publicKeyPem": public_pem(self.private_key),
        }
        self.revocation_list: dict[str, Any] = {
            "@context": OB2_CONTEXT,
            "type": "RevocationList",
            "id": self.revocation_list_id,
            "issuer": self.profile_id,
            "revokedAssertions": [],
        }
        self.publish()

    def publish(self) -> None:
        """(Re)serve the issuer's documents; call after changing them."""
        for document in (self.profile, self.badge, self.key_document, self.revocation_list):
            self.server.add_json(self.path_of(document["id"]), document)

    def path_of(self, url: str) -> str:
        return url.removeprefix(self.server.origin)

    def assertion(
        self,
        *,
        hosted: bool = True,
        slug: str = "",
        email: str = "hanako@example.jp",
        salt: str = "nacl",
        hashed: bool = True,
        issued_on: str = "2025-04-01T09:00:00+09:00",
        expires: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        slug = slug or uuid.uuid4().hex[:12]
        assertion: dict[str, Any] = {
            "@context": OB2_CONTEXT,
            "type": "Assertion",
            "id": (
                self.server.url(f"{self.prefix}/assertions/{slug}.json")
                if hosted
                else f"urn:uuid:{uuid.uuid4()}"
            ),
            "recipient": {
                "type": "email",
                "hashed": hashed,
                "salt": salt,
                "identity": hashed_email(email, salt) if hashed else email,
            },
            "badge": self.badge_id,
            "issuedOn": issued_on,
            "verification": (
                {"type": "HostedBadge"}
                if hosted
                else {"type": "SignedBadge", "creator": self.key_id}
            ),
            "evidence": {"id": self.server.url("/portfolio/1"), "narrative": "Final project."},
        }
        if not hashed:
            assertion["recipient"].pop("salt")
        if expires is not None:
            assertion["expires"] = expires
        assertion.update(extra)
        return assertion

    def host(self, assertion: dict[str, Any], *, status: int = 200) -> str:
        """Serve ``assertion`` at its own id; returns the URL."""
        return self.server.add_json(self.path_of(assertion["id"]), assertion, status=status)

    def sign(
        self,
        assertion: dict[str, Any],
        *,
        key: rsa.RSAPrivateKey | None = None,
        header: dict[str, Any] | None = None,
    ) -> str:
        return compact_jws(
            header or {"alg": "RS256"}, assertion, key if key is not None else self.private_key
        )

    def revoke(self, assertion_id: str, reason: str = "Issued in error") -> None:
        self.revocation_list["revokedAssertions"].append(
            {"id": assertion_id, "revocationReason": reason}
        )
        self.publish()

    def embedded(self, assertion: dict[str, Any]) -> dict[str, Any]:
        """The assertion with BadgeClass and Profile embedded instead of named by IRI."""
        document = copy.deepcopy(assertion)
        badge = copy.deepcopy(self.badge)
        badge["issuer"] = copy.deepcopy(self.profile)
        document["badge"] = badge
        return document


# --- baking ---------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def bake_png(payload: str, *, keyword: str = "openbadges") -> bytes:
    """A 1×1 PNG with ``payload`` in an uncompressed iTXt chunk (OB 2.0 baking)."""
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00\x00")
    itxt = keyword.encode("latin-1") + b"\x00\x00\x00" + b"\x00" + b"\x00" + payload.encode()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"iTXt", itxt)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def bake_svg(payload: str) -> bytes:
    """An SVG with ``<openbadges:assertion>``: JWS or URL in ``verify``, JSON in CDATA."""
    is_json = payload.lstrip().startswith("{")
    verify = "" if is_json else f' verify="{payload}"'
    body = f"<![CDATA[{payload}]]>" if is_json else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org" '
        'width="10" height="10">'
        f"<openbadges:assertion{verify}>{body}</openbadges:assertion>"
        '<rect width="10" height="10" fill="#3366cc"/></svg>'
    ).encode()
