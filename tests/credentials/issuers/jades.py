"""A JAdES sealer for tests: a root CA, an intermediate CA and an e-seal certificate made
with ``cryptography``, and seals in JWS JSON serialization (general or flattened, with or
without ``b64: false``) as Europass seals European Digital Credentials.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

ORGANIZATION_IDENTIFIER = x509.ObjectIdentifier("2.5.4.97")
QC_STATEMENTS = x509.ObjectIdentifier("1.3.6.1.5.5.7.1.3")
SEALED_AT = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@functools.cache
def rsa_private_key(index: int) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@functools.cache
def ec_private_key(curve_name: str, index: int) -> ec.EllipticCurvePrivateKey:
    curve = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1(), "P-521": ec.SECP521R1()}
    return ec.generate_private_key(curve[curve_name])


def _name(
    common_name: str, organisation: str = "", country: str = "", org_id: str = ""
) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    if org_id:
        attributes.append(x509.NameAttribute(ORGANIZATION_IDENTIFIER, org_id))
    if country:
        attributes.append(x509.NameAttribute(NameOID.COUNTRY_NAME, country))
    return x509.Name(attributes)


def certificate(
    *,
    subject: x509.Name,
    key: PrivateKey,
    issuer: x509.Name | None = None,
    issuer_key: PrivateKey | None = None,
    ca: bool = False,
    not_before: datetime = datetime(2024, 1, 1, tzinfo=UTC),
    not_after: datetime = datetime(2030, 1, 1, tzinfo=UTC),
    qualified: bool = False,
    key_usage: str = "seal",
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer or subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    builder = builder.add_extension(
        x509.KeyUsage(
            digital_signature=not ca and key_usage == "seal",
            content_commitment=not ca and key_usage == "seal",
            key_encipherment=key_usage == "encipherment",
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=ca,
            crl_sign=ca,
            encipher_only=False,
            decipher_only=False,
        ),
        critical=True,
    )
    if qualified:
        builder = builder.add_extension(
            x509.UnrecognizedExtension(QC_STATEMENTS, _qc_statements()), critical=False
        )
    return builder.sign(issuer_key or key, hashes.SHA256())


def _qc_statements() -> bytes:
    """qcStatements (ETSI EN 319 412-5), DER by hand: QcCompliance, and QcType = e-seal."""
    compliance = _sequence(bytes.fromhex("060604008e460101"))
    qc_type = _sequence(
        bytes.fromhex("060604008e460106") + _sequence(bytes.fromhex("060704008e46010602"))
    )
    return _sequence(compliance + qc_type)


def _sequence(content: bytes) -> bytes:
    if len(content) >= 128:
        raise ValueError("short-form DER lengths only")
    return bytes([0x30, len(content)]) + content


@dataclass
class SealChain:
    """Root → intermediate → e-seal certificate of one organisation."""

    key: PrivateKey
    leaf: x509.Certificate
    intermediate: x509.Certificate
    root: x509.Certificate
    extra: list[x509.Certificate] = field(default_factory=list)

    @property
    def x5c(self) -> list[str]:
        return [
            base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode()
            for c in (self.leaf, self.intermediate, self.root, *self.extra)
        ]


def seal_chain(
    *,
    organisation: str = "University College Dublin",
    country: str = "IE",
    org_id: str = "VATIE-1234567X",
    key: PrivateKey | None = None,
    leaf_not_after: datetime = datetime(2030, 1, 1, tzinfo=UTC),
    qualified: bool = True,
    key_usage: str = "seal",
    intermediate_is_ca: bool = True,
) -> SealChain:
    root_key = rsa_private_key(1)
    intermediate_key = rsa_private_key(2)
    root_name = _name("Test Trust Service Root CA", "Test Trust Services", "BE")
    intermediate_name = _name("Test Qualified eSeal CA", "Test Trust Services", "BE")
    root = certificate(subject=root_name, key=root_key, ca=True)
    intermediate = certificate(
        subject=intermediate_name,
        key=intermediate_key,
        issuer=root_name,
        issuer_key=root_key,
        ca=intermediate_is_ca,
    )
    leaf_key = key or rsa_private_key(3)
    leaf = certificate(
        subject=_name(f"{organisation} eSeal", organisation, country, org_id),
        key=leaf_key,
        issuer=intermediate_name,
        issuer_key=intermediate_key,
        not_after=leaf_not_after,
        qualified=qualified,
        key_usage=key_usage,
    )
    return SealChain(key=leaf_key, leaf=leaf, intermediate=intermediate, root=root)


def _sign(key: PrivateKey, alg: str, data: bytes) -> bytes:
    digest = {"256": hashes.SHA256(), "384": hashes.SHA384(), "512": hashes.SHA512()}[alg[2:]]
    if alg.startswith("RS") and isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), digest)
    if alg.startswith("PS") and isinstance(key, rsa.RSAPrivateKey):
        return key.sign(
            data, padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size), digest
        )
    if alg.startswith("ES") and isinstance(key, ec.EllipticCurvePrivateKey):
        size = {"ES256": 32, "ES384": 48, "ES512": 66}[alg]
        r, s = decode_dss_signature(key.sign(data, ec.ECDSA(digest)))
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    raise ValueError(f"cannot sign {alg} with {type(key).__name__}")


def seal(
    credential: dict[str, Any] | bytes,
    chain: SealChain,
    *,
    alg: str = "RS256",
    b64: bool = False,
    flattened: bool = False,
    signed_at: datetime | None = SEALED_AT,
    extra_header: dict[str, Any] | None = None,
    x5c: list[str] | None = None,
) -> dict[str, Any]:
    """A JAdES baseline-B enveloping seal of ``credential`` in JWS JSON serialization."""
    payload = (
        credential
        if isinstance(credential, bytes)
        else json.dumps(credential, ensure_ascii=False, indent=2).encode()
    )
    leaf_der = chain.leaf.public_bytes(serialization.Encoding.DER)
    header: dict[str, Any] = {
        "alg": alg,
        "cty": "application/json",
        "x5t#S256": b64url(hashlib.sha256(leaf_der).digest()),
        "x5c": x5c if x5c is not None else chain.x5c,
    }
    critical = []
    if signed_at is not None:
        header["sigT"] = signed_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        critical.append("sigT")
    if not b64:
        header["b64"] = False
        critical.append("b64")
    if critical:
        header["crit"] = critical
    header.update(extra_header or {})
    protected = b64url(json.dumps(header).encode())
    payload_member = b64url(payload) if b64 else payload.decode()
    signature = b64url(_sign(chain.key, alg, f"{protected}.".encode() + payload_member.encode()))
    entry = {"protected": protected, "signature": signature}
    if flattened:
        return {"payload": payload_member, **entry}
    return {"payload": payload_member, "signatures": [entry]}
