"""JAdES-sealed credentials: the JWS JSON serialization European Digital Credentials use.

A European Digital Credential (ELM 3) from Europass is sealed with an eIDAS electronic
seal in the JAdES format (ETSI TS 119 182-1): a JWS in JSON serialization (RFC 7515 §7.2,
general ``{"payload", "signatures": [...]}`` or flattened ``{"payload", "protected",
"signature"}``), often with an unencoded payload (``b64: false``, RFC 7797), an RSA or
ECDSA algorithm and the seal certificate chain in ``x5c``.

What this module establishes, and what it does not:

- *Intact*: every signature verifies with the public key of the first ``x5c``
  certificate, the chain's certificates sign each other in order, and each was valid at
  the time the seal claims (``sigT``; without it, now). That proves the payload is what
  the holder of that certificate sealed.
- *Who the holder is*: the leaf certificate's subject (organisation, country,
  organisationIdentifier). Anyone can make a certificate with any subject, so the holder
  is confirmed only when the chain reaches a certificate from a configured EU trust-list
  snapshot. Without one the answer is "seal intact; qualification not confirmed".

Nothing here fetches anything; ``x5u``, ``jku`` and ``sigD`` (detached payloads) are never
followed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtensionOID, NameOID

from credentials.verification.result import CheckResult
from credentials.vocabulary import CheckId, Outcome

MAX_SIGNATURES = 5
MAX_CHAIN = 10
MAX_CERTIFICATE_BYTES = 16_384
MAX_HEADER_BYTES = 32_768
MIN_RSA_BITS = 2048
# A seal claimed a few minutes ahead of our clock is clock skew, not a forgery.
CLOCK_SKEW = timedelta(minutes=5)

# RFC 7518 §3.1 digital-signature algorithms; HMAC and "none" are never a seal.
_DIGESTS: dict[str, type[hashes.HashAlgorithm]] = {
    "256": hashes.SHA256,
    "384": hashes.SHA384,
    "512": hashes.SHA512,
}
_CURVES: dict[str, tuple[type[ec.EllipticCurve], int]] = {
    "ES256": (ec.SECP256R1, 32),
    "ES384": (ec.SECP384R1, 48),
    "ES512": (ec.SECP521R1, 66),
}
ALLOWED_ALGS = frozenset(
    {f"{family}{bits}" for family in ("RS", "PS") for bits in _DIGESTS} | set(_CURVES)
)
# Header parameters a JAdES baseline signature may list in ``crit`` (ETSI TS 119 182-1
# §5.1, §5.2) that do not change what is signed, plus RFC 7797's ``b64``. ``sigD``
# (a detached payload found elsewhere) is deliberately not here.
_UNDERSTOOD_CRITICAL = frozenset(
    {
        "b64",
        "sigT",
        "x5t#o",
        "sigX5ts",
        "srCms",
        "srAts",
        "sigPl",
        "sigPId",
        "adoTst",
        "cty",
    }
)
ORGANIZATION_IDENTIFIER = x509.ObjectIdentifier("2.5.4.97")
QC_STATEMENTS = x509.ObjectIdentifier("1.3.6.1.5.5.7.1.3")
# DER encodings of ETSI EN 319 412-5 QcCompliance (0.4.0.1862.1.1) and QcType e-seal
# (0.4.0.1862.1.6.2): what a certificate *claims* about itself.
_QC_COMPLIANCE = bytes.fromhex("060604008e460101")
_QC_TYPE_ESEAL = bytes.fromhex("060704008e46010602")


class JadesFormatError(ValueError):
    """Not a well-formed JWS JSON serialization (the upload is malformed)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class SealCertificate:
    """One certificate of the seal's chain, as HR and the technical details show it."""

    subject: str  # RFC 4514
    issuer: str  # RFC 4514
    common_name: str
    organisation: str
    country: str
    organisation_identifier: str
    not_before: datetime
    not_after: datetime
    sha256: str  # hex fingerprint of the DER bytes
    claims_qualified: bool  # carries the QcCompliance statement
    claims_eseal: bool  # carries QcType e-seal

    @property
    def holder(self) -> str:
        return self.organisation or self.common_name or self.subject


@dataclass(frozen=True, slots=True)
class Seal:
    """An opened JAdES envelope: the sealed bytes and what the seal proves about them."""

    payload: bytes
    alg: str
    signed_at: datetime | None
    chain: tuple[SealCertificate, ...]
    # The PROOF check: passed only when every signature and the chain check out.
    proof: CheckResult
    # True when the chain reaches a certificate of the configured trust-list snapshot.
    trust_listed: bool = False

    @property
    def holder(self) -> SealCertificate | None:
        return self.chain[0] if self.chain else None


def is_jades(document: Any) -> bool:
    """Is this JSON object a JWS JSON serialization (general or flattened)?"""
    if not isinstance(document, Mapping) or not isinstance(document.get("payload"), str):
        return False
    if isinstance(document.get("signatures"), list):
        return True
    return isinstance(document.get("protected"), str) and isinstance(document.get("signature"), str)


def _b64url(value: str, what: str) -> bytes:
    if not isinstance(value, str) or any(c in value for c in "+/="):
        raise JadesFormatError(f"{what} is not base64url")
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as exc:
        raise JadesFormatError(f"{what} is not base64url") from exc


def _signature_entries(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    if "signatures" in document:
        if any(key in document for key in ("protected", "signature")):
            # RFC 7515 §7.2.1: general and flattened members must not be mixed.
            raise JadesFormatError("general and flattened members are mixed")
        entries = document["signatures"]
    else:
        entries = [document]
    if not entries or len(entries) > MAX_SIGNATURES:
        raise JadesFormatError("it has no signature, or too many")
    if not all(isinstance(e, Mapping) for e in entries):
        raise JadesFormatError("a signature entry is not an object")
    return entries


def _protected_header(entry: Mapping[str, Any]) -> dict[str, Any]:
    raw = entry.get("protected")
    if not isinstance(raw, str) or len(raw) > MAX_HEADER_BYTES:
        raise JadesFormatError("a signature has no protected header")
    try:
        header = json.loads(_b64url(raw, "the protected header"))
    except (ValueError, RecursionError) as exc:
        raise JadesFormatError("the protected header is not JSON") from exc
    if not isinstance(header, dict):
        raise JadesFormatError("the protected header is not a JSON object")
    unprotected = entry.get("header")
    if unprotected is not None and not isinstance(unprotected, Mapping):
        raise JadesFormatError("the unprotected header is not a JSON object")
    if isinstance(unprotected, Mapping) and set(unprotected) & set(header):
        # RFC 7515 §7.2.1: the two headers must be disjoint.
        raise JadesFormatError("a header parameter is both protected and unprotected")
    return header


def _payload_bytes(payload: str, *, encoded: bool) -> bytes:
    if encoded:
        return _b64url(payload, "the payload")
    return payload.encode("utf-8")


def _load_chain(header: Mapping[str, Any]) -> list[x509.Certificate]:
    values = header.get("x5c")
    if not isinstance(values, list) or not values:
        return []
    if len(values) > MAX_CHAIN:
        raise JadesFormatError("the certificate chain is too long")
    chain = []
    for value in values:
        # RFC 7515 §4.1.6: x5c entries are standard base64 (not base64url) DER.
        if not isinstance(value, str) or len(value) > MAX_CERTIFICATE_BYTES * 2:
            raise JadesFormatError("a certificate in x5c is not a base64 string")
        try:
            der = base64.b64decode(value, validate=True)
            chain.append(x509.load_der_x509_certificate(der))
        except (binascii.Error, ValueError) as exc:
            raise JadesFormatError("a certificate in x5c cannot be read") from exc
    return chain


def _name_attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    value = values[0].value if values else ""
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def describe_certificate(certificate: x509.Certificate) -> SealCertificate:
    try:
        qc = certificate.extensions.get_extension_for_oid(QC_STATEMENTS).value
        qc_der = qc.value if isinstance(qc, x509.UnrecognizedExtension) else b""
    except x509.ExtensionNotFound:
        qc_der = b""
    subject = certificate.subject
    return SealCertificate(
        subject=subject.rfc4514_string(),
        issuer=certificate.issuer.rfc4514_string(),
        common_name=_name_attribute(subject, NameOID.COMMON_NAME),
        organisation=_name_attribute(subject, NameOID.ORGANIZATION_NAME),
        country=_name_attribute(subject, NameOID.COUNTRY_NAME),
        organisation_identifier=_name_attribute(subject, ORGANIZATION_IDENTIFIER),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        sha256=certificate.fingerprint(hashes.SHA256()).hex(),
        claims_qualified=_QC_COMPLIANCE in qc_der,
        claims_eseal=_QC_TYPE_ESEAL in qc_der,
    )


def signature_is_valid(
    certificate: x509.Certificate, alg: str, signing_input: bytes, signature: bytes
) -> bool:
    """RFC 7518 §3.3–3.5 with ``alg`` pinned to the key type; a mismatch is False."""
    key = certificate.public_key()
    digest = _DIGESTS[alg[2:]]()
    try:
        if alg.startswith("RS") and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, signing_input, padding.PKCS1v15(), digest)
            return True
        if alg.startswith("PS") and isinstance(key, rsa.RSAPublicKey):
            # RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash output.
            pss = padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size)
            key.verify(signature, signing_input, pss, digest)
            return True
        if alg in _CURVES and isinstance(key, ec.EllipticCurvePublicKey):
            curve, size = _CURVES[alg]
            if not isinstance(key.curve, curve) or len(signature) != 2 * size:
                return False
            # JWS carries ECDSA as fixed-length r‖s (RFC 7518 §3.4); cryptography wants DER.
            der = encode_dss_signature(
                int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
            )
            key.verify(der, signing_input, ec.ECDSA(digest))
            return True
    except (InvalidSignature, ValueError):
        return False
    return False


def _parse_signing_time(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise JadesFormatError("sigT is not a date")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise JadesFormatError("sigT is not a date") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _day(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC")


def _chain_problem(
    chain: Sequence[x509.Certificate], *, at: datetime
) -> tuple[str, dict[str, str]] | None:
    """Why the chain does not hold together at ``at``; None when it does."""
    for position, certificate in enumerate(chain):
        subject = certificate.subject.rfc4514_string()[:300]
        if certificate.not_valid_before_utc > at + CLOCK_SKEW:
            return "seal_certificate_not_yet_valid", {
                "subject": subject,
                "date": _day(certificate.not_valid_before_utc),
            }
        if certificate.not_valid_after_utc < at - CLOCK_SKEW:
            return "seal_certificate_expired", {
                "subject": subject,
                "date": _day(certificate.not_valid_after_utc),
            }
        if position > 0:
            try:
                constraints = certificate.extensions.get_extension_for_oid(
                    ExtensionOID.BASIC_CONSTRAINTS
                ).value
                is_ca = isinstance(constraints, x509.BasicConstraints) and constraints.ca
            except x509.ExtensionNotFound:
                is_ca = False
            if not is_ca:
                return "seal_chain_not_a_ca", {"subject": subject}
        if position + 1 < len(chain):
            try:
                certificate.verify_directly_issued_by(chain[position + 1])
            except (ValueError, TypeError, InvalidSignature):
                return "seal_chain_broken", {"subject": subject}
    return None


def _leaf_problem(leaf: x509.Certificate) -> tuple[str, dict[str, str]] | None:
    key = leaf.public_key()
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < MIN_RSA_BITS:
        return "seal_key_too_weak", {"bits": str(key.key_size)}
    try:
        usage = leaf.extensions.get_extension_for_oid(ExtensionOID.KEY_USAGE).value
    except x509.ExtensionNotFound:
        return None
    if isinstance(usage, x509.KeyUsage) and not (
        usage.digital_signature or usage.content_commitment
    ):
        return "seal_key_usage_wrong", {"subject": leaf.subject.rfc4514_string()[:300]}
    return None


def _reaches_trust_list(
    chain: Sequence[x509.Certificate], trust_anchors: Sequence[x509.Certificate]
) -> bool:
    anchors = {anchor.fingerprint(hashes.SHA256()) for anchor in trust_anchors}
    for certificate in chain:
        if certificate.fingerprint(hashes.SHA256()) in anchors:
            return True
    last = chain[-1]
    for anchor in trust_anchors:
        try:
            last.verify_directly_issued_by(anchor)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return True
    return False


def _verify_entry(
    entry: Mapping[str, Any], payload_member: str
) -> tuple[dict[str, Any], list[x509.Certificate], bytes, tuple[str, dict[str, str]] | None]:
    """(header, chain, payload bytes, problem) for one signature; problem None = it verifies."""
    header = _protected_header(entry)
    encoded = header.get("b64", True)
    if not isinstance(encoded, bool):
        raise JadesFormatError("b64 is not a boolean")
    payload = _payload_bytes(payload_member, encoded=encoded)
    alg = header.get("alg")
    if not isinstance(alg, str) or alg not in ALLOWED_ALGS:
        return header, [], payload, ("seal_alg_unsupported", {"alg": str(alg)[:20]})
    critical = header.get("crit", [])
    if not isinstance(critical, list) or not all(isinstance(c, str) for c in critical):
        raise JadesFormatError("crit is not a list of names")
    not_understood = [c for c in critical if c not in _UNDERSTOOD_CRITICAL or c not in header]
    if not encoded and "b64" not in critical:
        # RFC 7797 §6: b64 must be listed in crit, or other verifiers would read it wrongly.
        not_understood.append("b64")
    if not_understood:
        return header, [], payload, ("seal_header_unsupported", {"header": not_understood[0]})
    if "sigD" in header:
        return header, [], payload, ("seal_detached_unsupported", {})
    chain = _load_chain(header)
    if not chain:
        return header, chain, payload, ("seal_certificate_missing", {})
    thumbprint = header.get("x5t#S256")
    if thumbprint is not None:
        expected = base64.urlsafe_b64encode(
            hashlib.sha256(chain[0].public_bytes(Encoding.DER)).digest()
        ).rstrip(b"=")
        if not isinstance(thumbprint, str) or thumbprint.encode() != expected:
            return header, chain, payload, ("seal_certificate_reference_mismatch", {})
    signature = _b64url(str(entry.get("signature") or ""), "the signature")
    signing_input = str(entry["protected"]).encode("ascii") + b"." + payload_member.encode("utf-8")
    if not signature_is_valid(chain[0], alg, signing_input, signature):
        return header, chain, payload, ("seal_signature_invalid", {})
    return header, chain, payload, None


# Problems that say "this verifier cannot check it", not "the seal is wrong".
_UNSUPPORTED = frozenset(
    {
        "seal_alg_unsupported",
        "seal_header_unsupported",
        "seal_detached_unsupported",
        "seal_certificate_missing",
    }
)


def _time_problem(
    header: Mapping[str, Any], chain: Sequence[x509.Certificate], *, now: datetime
) -> tuple[str, dict[str, str]] | None:
    """The seal's claimed time, its leaf key and its chain at that time."""
    signed_at = _parse_signing_time(header.get("sigT"))
    if signed_at is not None and signed_at > now + CLOCK_SKEW:
        return "seal_signed_in_future", {"date": _day(signed_at)}
    return _leaf_problem(chain[0]) or _chain_problem(chain, at=signed_at or now)


def open_seal(
    document: Mapping[str, Any],
    *,
    now: datetime,
    trust_anchors: Sequence[x509.Certificate] = (),
) -> Seal:
    """Verify every signature of a JAdES envelope and return what it seals.

    Raises ``JadesFormatError`` when the envelope itself is unreadable (malformed
    upload). Every other problem is in ``Seal.proof``: ``failed`` when the seal does not
    match or its certificates do not hold together, ``unverifiable`` when it uses
    something this verifier does not support.
    """
    if not is_jades(document):
        raise JadesFormatError("it is not a JWS JSON serialization")
    payload_member: str = document["payload"]
    entries = _signature_entries(document)
    # Every signature must hold (a second, broken one is not hidden behind a good one);
    # the first names the seal's holder.
    sealed = [_verify_entry(entry, payload_member) for entry in entries]
    for header, chain, payload, problem in sealed:
        if problem is None:
            problem = _time_problem(header, chain, now=now)
        if problem is not None:
            code, params = problem
            outcome = Outcome.UNVERIFIABLE if code in _UNSUPPORTED else Outcome.FAILED
            return _seal(header, chain, payload, CheckResult(CheckId.PROOF, outcome, code, params))
    header, chain, payload, _ = sealed[0]
    signed_at = _parse_signing_time(header.get("sigT"))
    trusted = bool(trust_anchors) and _reaches_trust_list(chain, trust_anchors)
    holder = describe_certificate(chain[0])
    params = {
        "holder": holder.holder[:300],
        "country": holder.country[:10],
        "organisation_identifier": holder.organisation_identifier[:100],
        "certificate_issuer": (chain[0].issuer.rfc4514_string())[:300],
        "chain": " ← ".join(c.subject.rfc4514_string()[:200] for c in chain),
        "signed_at": _day(signed_at) if signed_at else "",
        "alg": str(header["alg"]),
    }
    code = "seal_intact_trust_listed" if trusted else "seal_intact_qualification_unconfirmed"
    result = CheckResult(CheckId.PROOF, Outcome.PASSED, code, params)
    return _seal(header, chain, payload, result, trusted=trusted)


def _seal(
    header: Mapping[str, Any],
    chain: Sequence[x509.Certificate],
    payload: bytes,
    proof: CheckResult,
    *,
    trusted: bool = False,
) -> Seal:
    try:
        signed_at = _parse_signing_time(header.get("sigT"))
    except JadesFormatError:
        signed_at = None
    return Seal(
        payload=payload,
        alg=str(header.get("alg") or ""),
        signed_at=signed_at,
        chain=tuple(describe_certificate(c) for c in chain),
        proof=proof,
        trust_listed=trusted,
    )


def holder_is_issuer(
    holder: SealCertificate, *, names: Sequence[str], identifiers: Sequence[str]
) -> bool:
    """Is the seal's holder the organisation the credential names as its issuer?

    Its organisationIdentifier (ETSI EN 319 412-1 §5.1.4: a 3-letter scheme, the country,
    "-", the number, e.g. ``VATBE-0123456789``) against the issuer's identifiers, then
    its organisation name against the issuer's names, ignoring case and spacing.
    """
    own = _compact(holder.organisation_identifier)
    if own:
        forms = {own}
        if len(own) > 6 and own[5] == "-":
            forms |= {own[3:5] + own[6:], own[6:]}  # "be0123456789", "0123456789"
        if any(_compact(i) in forms for i in identifiers if i):
            return True
    own_names = {_normal(holder.organisation), _normal(holder.common_name)} - {""}
    return any(_normal(name) in own_names for name in names if name)


def _normal(value: str) -> str:
    return " ".join(value.casefold().split())


def _compact(value: str) -> str:
    return "".join(value.casefold().split())
