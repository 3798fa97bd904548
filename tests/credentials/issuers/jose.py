"""VC-JWT issuers for tests: real RS256 / ES256 / EdDSA signatures in all three shapes.

Shapes (reference §3.8): "a" = VC DM 1.1 with the credential in the ``vc`` claim,
"b" = OB 3.0 JWT (credential plus ``iss``/``jti``/``nbf``/``sub``), "c" = VC DM 2.0
VC-JOSE-COSE (the payload is the credential, ``typ: vc+jwt``). Issuers are ``did:key``
(Ed25519, P-256), ``did:web`` or an HTTPS profile on a local ``IssuerServer``. Also the
forgeries a verifier must refuse: ``alg: none``, HS256 keyed with the public key, and
tokens carrying only a self-asserted ``jwk``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

import base58
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from tests.credentials.issuers.http import IssuerServer
from tests.credentials.issuers.ob2 import rsa_key

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey

VC1 = "https://www.w3.org/2018/credentials/v1"
VC2 = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
SUBJECT = "did:example:hanako"
CREDENTIAL_ID = "urn:uuid:7f1c6d2e-5b1a-4c8e-9d0f-2a3b4c5d6e7f"
VALID_FROM = 1743465600  # 2025-04-01T00:00:00Z
ALGS = ("RS256", "ES256", "EdDSA")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@functools.cache
def private_key(alg: str, index: int = 0) -> PrivateKey:
    if alg == "RS256":
        return rsa_key(10 + index)
    if alg == "ES256":
        return ec.generate_private_key(ec.SECP256R1())
    if alg == "ES384":
        return ec.generate_private_key(ec.SECP384R1())
    return ed25519.Ed25519PrivateKey.generate()


def public_jwk(key: PrivateKey) -> dict[str, str]:
    public = key.public_key()
    if isinstance(public, ed25519.Ed25519PublicKey):
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}
    if isinstance(public, ec.EllipticCurvePublicKey):
        numbers = public.public_numbers()
        size = (public.curve.key_size + 7) // 8
        crv = "P-256" if size == 32 else "P-384"
        return {
            "kty": "EC",
            "crv": crv,
            "x": b64url(numbers.x.to_bytes(size, "big")),
            "y": b64url(numbers.y.to_bytes(size, "big")),
        }
    numbers_rsa = public.public_numbers()
    return {
        "kty": "RSA",
        "n": b64url(numbers_rsa.n.to_bytes((numbers_rsa.n.bit_length() + 7) // 8, "big")),
        "e": b64url(numbers_rsa.e.to_bytes(3, "big")),
    }


def did_key(key: PrivateKey) -> str:
    """did:key of an Ed25519 (``z6Mk…``) or P-256 (``zDn…``) key."""
    public = key.public_key()
    if isinstance(public, ed25519.Ed25519PublicKey):
        raw = b"\xed\x01" + public.public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
    elif isinstance(public, ec.EllipticCurvePublicKey):
        raw = b"\x80\x24" + public.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
        )
    else:
        raise ValueError("did:key here covers Ed25519 and P-256 only")
    return "did:key:z" + base58.b58encode(raw).decode()


def did_jwk(key: PrivateKey) -> str:
    return "did:jwk:" + b64url(json.dumps(public_jwk(key)).encode())


def sign_compact(header: dict[str, Any], payload: Any, key: PrivateKey | None) -> str:
    """A compact JWS signed as ``header['alg']`` says (``key=None`` → empty signature)."""
    signing_input = (
        f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}".encode()
    )
    alg = header.get("alg")
    if key is None:
        signature = b""
    elif alg == "RS256" and isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    elif alg in ("ES256", "ES384") and isinstance(key, ec.EllipticCurvePrivateKey):
        digest = hashes.SHA256() if alg == "ES256" else hashes.SHA384()
        r, s = decode_dss_signature(key.sign(signing_input, ec.ECDSA(digest)))
        size = 32 if alg == "ES256" else 48
        signature = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    elif isinstance(key, ed25519.Ed25519PrivateKey):
        signature = key.sign(signing_input)
    else:
        raise ValueError(f"cannot sign {alg} with {type(key).__name__}")
    return f"{signing_input.decode()}.{b64url(signature)}"


def hs256_with_public_key(payload: Any, key: PrivateKey, kid: str) -> str:
    """Algorithm confusion: HMAC keyed with the issuer's public key PEM."""
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "kid": kid}
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}"
    mac = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(mac)}"


def credential_body(issuer_id: str, *, vc1: bool = False) -> dict[str, Any]:
    """An OB 3.0 AchievementCredential (without registered-claim duplicates for shape a)."""
    return {
        "@context": [VC1 if vc1 else VC2, OB3_CONTEXT],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": "Example Institute"},
        "name": "Data Analysis with SQL",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.ac.jp/achievements/sql",
                "type": ["Achievement"],
                "name": "Data Analysis with SQL",
                "description": "Queries and summarises relational data.",
                "criteria": {"narrative": "Completed 30 hours and a graded project."},
            },
        },
    }


def vc_payload(shape: str, issuer_id: str, **claims: Any) -> dict[str, Any]:
    registered = {"iss": issuer_id, "sub": SUBJECT, "jti": CREDENTIAL_ID, "nbf": VALID_FROM}
    registered.update(claims)
    if shape == "a":
        return {**registered, "vc": credential_body(issuer_id, vc1=True)}
    body = credential_body(issuer_id)
    body["id"] = CREDENTIAL_ID
    body["credentialSubject"]["id"] = SUBJECT
    body["validFrom"] = "2025-04-01T00:00:00Z"
    if shape == "b":
        return {**body, **registered}
    return body


@dataclass(frozen=True)
class JwtIssuer:
    issuer_id: str
    kid: str
    alg: str
    key: PrivateKey

    def token(self, shape: str, *, header: dict[str, Any] | None = None, **claims: Any) -> str:
        head = {"alg": self.alg, "kid": self.kid}
        if shape == "c":
            head["typ"] = "vc+jwt"
        head.update(header or {})
        head = {k: v for k, v in head.items() if v is not None}
        return sign_compact(head, vc_payload(shape, self.issuer_id, **claims), self.key)


def did_key_issuer(alg: str, index: int = 0) -> JwtIssuer:
    key = private_key(alg, index)
    did = did_key(key)
    return JwtIssuer(did, f"{did}#{did[len('did:key:') :]}", alg, key)


def _verification_method(controller: str, kid: str, key: PrivateKey) -> dict[str, Any]:
    return {
        "id": kid,
        "type": "JsonWebKey2020",
        "controller": controller,
        "publicKeyJwk": public_jwk(key),
    }


def did_web_issuer(server: IssuerServer, alg: str, index: int = 0) -> JwtIssuer:
    """did:web:localhost%3A<port> with the key in /.well-known/did.json (assertionMethod)."""
    key = private_key(alg, index)
    did = server.did_web
    kid = f"{did}#key-1"
    server.add_json(
        "/.well-known/did.json",
        {
            "@context": [
                "https://www.w3.org/ns/did/v1",
                "https://w3id.org/security/suites/jws-2020/v1",
            ],
            "id": did,
            "verificationMethod": [_verification_method(did, kid, key)],
            "assertionMethod": [kid],
        },
    )
    return JwtIssuer(did, kid, alg, key)


def https_issuer(server: IssuerServer, alg: str, index: int = 0) -> JwtIssuer:
    """An issuer profile at an HTTPS URL listing its key (controller-document style)."""
    key = private_key(alg, index)
    profile_id = server.url("/jwt/issuer.json")
    kid = f"{profile_id}#key-1"
    server.add_json(
        "/jwt/issuer.json",
        {
            "@context": [VC2],
            "id": profile_id,
            "type": ["Profile"],
            "name": "Example Institute",
            "verificationMethod": [_verification_method(profile_id, kid, key)],
            "assertionMethod": [kid],
        },
    )
    return JwtIssuer(profile_id, kid, alg, key)
