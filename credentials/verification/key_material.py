"""Public keys from the encodings credentials use (multikey, JWK), and why a key cannot
be used (reference §4.1). No fetching here: ``keys`` finds the documents."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

import base58
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

PublicKey = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey

# Multicodec prefixes (unsigned varints) of the public key types we accept, with the
# exact length of the key bytes that must follow (reference §4.1).
_ED25519_PREFIX = b"\xed\x01"
_P256_PREFIX = b"\x80\x24"
_P384_PREFIX = b"\x81\x24"
_MULTICODEC = {
    _ED25519_PREFIX: ("Ed25519", 32),
    _P256_PREFIX: ("P-256", 33),
    _P384_PREFIX: ("P-384", 49),
}
_CURVES: dict[str, ec.EllipticCurve] = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1()}
_JWK_PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})


class KeyProblem(Exception):
    """Why a key could not be used. ``code`` is a message code; ``params`` fill it.

    ``is_credential_fault`` separates "the credential or issuer data is wrong" (→ failed)
    from "could not be checked" (→ unverifiable); ``retryable`` marks network trouble.
    """

    is_credential_fault = True
    retryable = False

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


class KeyInvalid(KeyProblem):
    """Bad key encoding, a document that contradicts itself, a key not in its document."""


class KeyUnavailable(KeyProblem):
    """The key's document could not be fetched or uses something not supported."""

    is_credential_fault = False

    def __init__(self, code: str, *, retryable: bool = False, **params: str) -> None:
        super().__init__(code, **params)
        self.retryable = retryable


def decode_multikey(value: str) -> tuple[str, PublicKey]:
    """``z6Mk…``/``zDn…``/``z82…`` → (key type, public key). Raises ``KeyInvalid``."""
    if not isinstance(value, str) or not value.startswith("z"):
        raise KeyInvalid("key_encoding_invalid", detail="not base58btc multibase")
    try:
        raw = base58.b58decode(value[1:])
    except ValueError as exc:
        raise KeyInvalid("key_encoding_invalid", detail="bad base58") from exc
    for prefix, (key_type, length) in _MULTICODEC.items():
        if raw.startswith(prefix):
            body = raw[len(prefix) :]
            if len(body) != length:
                raise KeyInvalid("key_encoding_invalid", detail=f"{key_type} key length")
            return key_type, _load_raw_key(key_type, body)
    raise KeyUnavailable("key_type_unsupported", key_type=raw[:2].hex())


def _load_raw_key(key_type: str, body: bytes) -> PublicKey:
    try:
        if key_type == "Ed25519":
            return ed25519.Ed25519PublicKey.from_public_bytes(body)
        return ec.EllipticCurvePublicKey.from_encoded_point(_CURVES[key_type], body)
    except ValueError as exc:
        raise KeyInvalid("key_encoding_invalid", detail=f"not a valid {key_type} point") from exc


def _b64url(value: Any) -> bytes:
    if not isinstance(value, str):
        raise KeyInvalid("key_encoding_invalid", detail="JWK member is not a string")
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except ValueError as exc:
        raise KeyInvalid("key_encoding_invalid", detail="JWK member is not base64url") from exc


def public_key_from_jwk(jwk: Mapping[str, Any]) -> tuple[str, PublicKey]:
    """A public JWK → (key type, key). Private members are refused outright."""
    if _JWK_PRIVATE_MEMBERS & set(jwk):
        raise KeyInvalid("key_jwk_private")
    kty, crv = jwk.get("kty"), jwk.get("crv")
    try:
        if kty == "OKP" and crv == "Ed25519":
            return "Ed25519", ed25519.Ed25519PublicKey.from_public_bytes(_b64url(jwk.get("x")))
        if kty == "EC" and crv in _CURVES:
            size = 32 if crv == "P-256" else 48
            x, y = _b64url(jwk.get("x")), _b64url(jwk.get("y"))
            if len(x) != size or len(y) != size:
                raise KeyInvalid("key_encoding_invalid", detail=f"{crv} coordinate length")
            point = b"\x04" + x + y
            return str(crv), ec.EllipticCurvePublicKey.from_encoded_point(_CURVES[crv], point)
        if kty == "RSA":
            n = int.from_bytes(_b64url(jwk.get("n")), "big")
            e = int.from_bytes(_b64url(jwk.get("e")), "big")
            return "RSA", rsa.RSAPublicNumbers(e, n).public_key()
    except ValueError as exc:
        raise KeyInvalid("key_encoding_invalid", detail="invalid JWK") from exc
    raise KeyUnavailable("key_type_unsupported", key_type=f"{kty}/{crv}"[:100])


def jwk_of(public_key: PublicKey, key_type: str) -> dict[str, Any]:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    if isinstance(public_key, ed25519.Ed25519PublicKey):
        raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519", "x": b64(raw)}
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        numbers = public_key.public_numbers()
        size = (public_key.curve.key_size + 7) // 8
        return {
            "kty": "EC",
            "crv": key_type,
            "x": b64(numbers.x.to_bytes(size, "big")),
            "y": b64(numbers.y.to_bytes(size, "big")),
        }
    numbers_rsa = public_key.public_numbers()
    return {
        "kty": "RSA",
        "n": b64(numbers_rsa.n.to_bytes((numbers_rsa.n.bit_length() + 7) // 8, "big")),
        "e": b64(numbers_rsa.e.to_bytes((numbers_rsa.e.bit_length() + 7) // 8, "big")),
    }
