"""Compact JWS as OB 2.0 signed badges and VC-JWTs use it (reference §1.5, §2.3, §3.8).

Signatures are checked with ``cryptography`` key objects built here, with the algorithm
pinned from a fixed allow-list and matched to the key type, never chosen by the token:
``alg: none``, HMAC (an RSA public key used as an HMAC secret) and algorithm confusion
are refused before any key is touched.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from credentials.verification.key_material import PublicKey

# Tokens above this are refused before decoding (reference §7.6).
MAX_TOKEN_CHARS = 512 * 1024
MIN_RSA_BITS = 2048
COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")


class JoseError(ValueError):
    """A token or key that cannot be used; ``reason`` is plain English for the detail."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def looks_like_compact_jws(text: str) -> bool:
    return len(text) <= MAX_TOKEN_CHARS and COMPACT_JWS.fullmatch(text) is not None


def b64url_decode(segment: str) -> bytes:
    """Strict unpadded base64url (RFC 7515 §2); raises ``JoseError``."""
    if not re.fullmatch(r"[A-Za-z0-9_-]*", segment) or len(segment) % 4 == 1:
        raise JoseError("a token segment is not base64url")
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as exc:
        raise JoseError("a token segment is not base64url") from exc


def _json_segment(segment: str, what: str) -> Any:
    try:
        return json.loads(b64url_decode(segment).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise JoseError(f"the token {what} is not JSON") from exc


def split_compact_jws(token: str) -> tuple[dict[str, Any], Any, bytes, bytes]:
    """(header, payload, signing input, signature) of a compact JWS, not yet verified."""
    token = token.strip()
    if len(token) > MAX_TOKEN_CHARS:
        raise JoseError("the token is too large")
    parts = token.split(".")
    if len(parts) == 5:
        raise JoseError("the token is encrypted (JWE), not signed")
    if len(parts) != 3:
        raise JoseError("the token does not have three parts")
    header = _json_segment(parts[0], "header")
    if not isinstance(header, dict):
        raise JoseError("the token header is not a JSON object")
    if not parts[1]:
        raise JoseError("the token has a detached or empty payload")
    payload = _json_segment(parts[1], "payload")
    signature = b64url_decode(parts[2])
    return header, payload, f"{parts[0]}.{parts[1]}".encode("ascii"), signature


def header_refusal(header: dict[str, Any]) -> str:
    """The header parameter whose processing rule cannot be honoured, or ""."""
    if header.get("b64") is False:
        return "b64"
    if header.get("crit") is not None:
        return "crit"
    return ""


def key_refusal(key: PublicKey, alg: str) -> str:
    """Why ``key`` cannot verify ``alg`` (type mismatch, weak RSA), or ""."""
    if alg.startswith("RS"):
        if not isinstance(key, rsa.RSAPublicKey):
            return "type"
        if key.key_size < MIN_RSA_BITS:
            return "weak"
        return ""
    expected_curve = {"ES256": ec.SECP256R1, "ES384": ec.SECP384R1}.get(alg)
    if expected_curve is not None:
        is_match = isinstance(key, ec.EllipticCurvePublicKey) and isinstance(
            key.curve, expected_curve
        )
        return "" if is_match else "type"
    if alg == "EdDSA":
        return "" if isinstance(key, ed25519.Ed25519PublicKey) else "type"
    return "type"


def signature_is_valid(key: PublicKey, alg: str, signing_input: bytes, signature: bytes) -> bool:
    """Verify with ``alg`` pinned. Call ``key_refusal`` first; a mismatch here is False."""
    try:
        if alg == "RS256" and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
            return True
        if alg in ("ES256", "ES384") and isinstance(key, ec.EllipticCurvePublicKey):
            # JWS carries ECDSA as fixed-length r‖s (RFC 7518 §3.4); cryptography wants DER.
            size = 32 if alg == "ES256" else 48
            if len(signature) != 2 * size:
                return False
            der = encode_dss_signature(
                int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
            )
            digest = hashes.SHA256() if alg == "ES256" else hashes.SHA384()
            key.verify(der, signing_input, ec.ECDSA(digest))
            return True
        if alg == "EdDSA" and isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(signature, signing_input)
            return True
    except (InvalidSignature, ValueError):
        return False
    return False
