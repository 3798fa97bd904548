"""Compact JWS for OB 2.0 signed badges and VC-JWT credentials (reference §1.5, §2.3, §3.8).

Signatures are checked with ``cryptography`` key objects built here, with the algorithm
pinned from a fixed allow-list and matched to the key type, never chosen by the token:
``alg: none``, HMAC (an RSA public key used as an HMAC secret) and algorithm confusion
are refused before any key is touched.
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from credentials.formats.dates import parse_datetime
from credentials.verification.context import VerificationContext
from credentials.verification.fetcher import FetchError
from credentials.verification.keys import (
    KeyInvalid,
    KeyProblem,
    ResolvedKey,
    check_binding,
    public_key_from_jwk,
    resolve_verification_method,
)
from credentials.verification.result import CheckResult
from credentials.vocabulary import CheckId, Outcome

logger = logging.getLogger(__name__)

# Tokens above this are refused before decoding (reference §7.6).
MAX_TOKEN_CHARS = 512 * 1024
MIN_RSA_BITS = 2048
COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey


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


# --- VC-JWT ---------------------------------------------------------------------------

ALLOWED_ALGS = frozenset({"RS256", "ES256", "ES384", "EdDSA"})
# JWT registered claims: the envelope of shapes (b)/(c), not JSON-LD terms of the credential.
REGISTERED_CLAIMS = ("iss", "sub", "jti", "nbf", "exp", "iat", "aud")
VC1_CONTEXT = "https://www.w3.org/2018/credentials/v1"


@dataclass(frozen=True, slots=True)
class JwtProof:
    """What the JWT proves. ``credential`` is the VC the token carries (``None`` when it
    carries none); ``checks`` holds one PROOF and one ISSUER result."""

    credential: dict[str, Any] | None
    checks: tuple[CheckResult, ...]
    issuer_id: str
    retryable: bool = False


class _KeyFailure(Exception):
    def __init__(self, result: CheckResult, *, retryable: bool = False) -> None:
        super().__init__(result.code)
        self.result = result
        self.retryable = retryable


@dataclass(frozen=True, slots=True)
class _Key:
    public_key: PublicKey
    label: str  # the kid, or "the token header" for a jwk-only token
    binding: CheckResult  # the ISSUER result


def _issuer_of(credential: Mapping[str, Any]) -> str:
    issuer = credential.get("issuer")
    if isinstance(issuer, str):
        return issuer
    if isinstance(issuer, Mapping) and isinstance(issuer.get("id"), str):
        return str(issuer["id"])
    return ""


def _subject_ids(credential: Mapping[str, Any]) -> list[str]:
    subjects = credential.get("credentialSubject")
    subjects = subjects if isinstance(subjects, list) else [subjects]
    return [s["id"] for s in subjects if isinstance(s, Mapping) and isinstance(s.get("id"), str)]


def _date_fields(credential: Mapping[str, Any]) -> tuple[str, str]:
    context = credential.get("@context")
    first = context[0] if isinstance(context, list) and context else context
    if first == VC1_CONTEXT:
        return "issuanceDate", "expirationDate"
    return "validFrom", "validUntil"


def _iso(seconds: Any) -> str:
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        return ""
    try:
        moment = datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return ""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def credential_from_payload(payload: Any) -> dict[str, Any] | None:
    """The credential a VC-JWT payload carries (reference §3.8).

    Shape (a): the ``vc`` claim, with registered claims filled in where the credential
    leaves the field out. Shapes (b)/(c): the payload itself, without the JWT envelope
    claims (JSON-LD contexts do not define ``iss``/``nbf``/…; the JWT signature covers them).
    """
    if not isinstance(payload, dict):
        return None
    vc = payload.get("vc")
    if isinstance(vc, dict):
        credential = copy.deepcopy(vc)
        start_field, end_field = _date_fields(credential)
        if isinstance(payload.get("iss"), str):
            if isinstance(credential.get("issuer"), dict):
                credential["issuer"].setdefault("id", payload["iss"])
            else:
                credential.setdefault("issuer", payload["iss"])
        if isinstance(payload.get("jti"), str):
            credential.setdefault("id", payload["jti"])
        if isinstance(payload.get("sub"), str) and isinstance(
            credential.get("credentialSubject"), dict
        ):
            credential["credentialSubject"].setdefault("id", payload["sub"])
        for claim, field_name in (("nbf", start_field), ("exp", end_field)):
            if _iso(payload.get(claim)):
                credential.setdefault(field_name, _iso(payload[claim]))
        return credential
    if "@context" in payload and "type" in payload:
        return {k: copy.deepcopy(v) for k, v in payload.items() if k not in REGISTERED_CLAIMS}
    return None


def claim_mismatch(payload: Mapping[str, Any], credential: Mapping[str, Any]) -> tuple[str, str]:
    """(claim, field) of the first registered claim that disagrees with the body, or ("", "")."""
    if "iss" in payload and payload["iss"] != _issuer_of(credential):
        return "iss", "issuer"
    subjects = _subject_ids(credential)
    if "sub" in payload and subjects and payload["sub"] not in subjects:
        return "sub", "credentialSubject.id"
    if "jti" in payload and "id" in credential and payload["jti"] != credential["id"]:
        return "jti", "id"
    start_field, end_field = _date_fields(credential)
    for claim, field_name in (("nbf", start_field), ("exp", end_field)):
        if claim not in payload or field_name not in credential:
            continue
        stated = parse_datetime(credential[field_name])
        seconds = payload[claim]
        if (
            stated is None
            or isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or int(stated.timestamp()) != int(seconds)
        ):
            return claim, field_name
    return "", ""


def _same_key(a: PublicKey, b: PublicKey) -> bool:
    spki = (Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return a.public_bytes(*spki) == b.public_bytes(*spki)


def _did_jwk_key(did: str) -> PublicKey:
    """``did:jwk:<base64url JWK>`` → its key (the DID document is derived, nothing to fetch)."""
    try:
        jwk = json.loads(b64url_decode(did.split("#", 1)[0][len("did:jwk:") :]))
    except (JoseError, UnicodeDecodeError, ValueError) as exc:
        raise KeyInvalid("key_encoding_invalid", detail="did:jwk is not a base64url JWK") from exc
    if not isinstance(jwk, dict):
        raise KeyInvalid("key_encoding_invalid", detail="did:jwk is not a JWK")
    return public_key_from_jwk(jwk)[1]


def _problem_failure(problem: KeyProblem, *, kid: str) -> _KeyFailure:
    """A key that could not be had: the credential's fault → PROOF failed; else unverifiable.

    The key resolver's own message code is kept: it already says what went wrong in words.
    """
    params = {"key": kid[:300], **problem.params}
    outcome = Outcome.FAILED if problem.is_credential_fault else Outcome.UNVERIFIABLE
    result = CheckResult(CheckId.PROOF, outcome, problem.code, params)
    return _KeyFailure(result, retryable=problem.retryable and outcome == Outcome.UNVERIFIABLE)


def _not_bound(issuer_id: str, why: str, *, kid: str = "") -> CheckResult:
    """ISSUER failed: ``why`` is "not_listed", "other_identifier" or "self_asserted"."""
    return CheckResult(
        CheckId.ISSUER,
        Outcome.FAILED,
        f"jwt_key_{why}",
        {"issuer": issuer_id or "?", "key": kid[:300]},
    )


def _bound(kid: str, issuer_id: str) -> CheckResult:
    return CheckResult(
        CheckId.ISSUER, Outcome.PASSED, "jwt_key_bound", {"key": kid[:300], "issuer": issuer_id}
    )


def _resolved_binding(resolved: ResolvedKey, *, kid: str, issuer_id: str) -> CheckResult:
    try:
        check_binding(resolved, issuer_id=issuer_id)
    except KeyInvalid as exc:
        return CheckResult(CheckId.ISSUER, Outcome.FAILED, exc.code, dict(exc.params))
    return _bound(kid, issuer_id)


def _listed_by_profile(profile: Mapping[str, Any], kid: str) -> bool:
    for name in ("assertionMethod", "verificationMethod", "publicKey"):
        value = profile.get(name)
        for entry in value if isinstance(value, list) else [value]:
            entry_id = entry.get("id") if isinstance(entry, Mapping) else entry
            if entry_id == kid:
                return True
    return False


def _fetch_object(url: str, ctx: VerificationContext, *, kid: str) -> dict[str, Any]:
    try:
        response = ctx.fetcher.get(url, accept="application/jwk+json, application/json")
    except FetchError as exc:
        code = "jwt_key_unreachable" if exc.retryable else "jwt_key_unresolvable"
        params = {"key": kid, "reason": exc.reason or exc.code}
        result = CheckResult(CheckId.PROOF, Outcome.UNVERIFIABLE, code, params)
        raise _KeyFailure(result, retryable=exc.retryable) from exc
    try:
        document = json.loads(response.body) if response.status == 200 else None
    except (ValueError, RecursionError):
        document = None
    if not isinstance(document, dict):
        raise _KeyFailure(
            CheckResult(
                CheckId.PROOF,
                Outcome.UNVERIFIABLE,
                "jwt_key_unresolvable",
                {"key": kid, "reason": f"HTTP {response.status} or not JSON"},
            )
        )
    return document


def _bare_jwk_key(kid: str, issuer_id: str, ctx: VerificationContext) -> _Key:
    """``kid`` is an HTTPS URL of a bare JWK (OB 3.0 allows it). It proves nothing unless the
    issuer's own profile, on the same origin, lists that URL (reference §3.8 step 2)."""
    document = _fetch_object(kid.split("#", 1)[0], ctx, kid=kid)
    if "kty" not in document:
        raise _KeyFailure(
            CheckResult(
                CheckId.PROOF,
                Outcome.FAILED,
                "jwt_key_unresolvable",
                {"key": kid, "reason": "not a key document"},
            )
        )
    try:
        public_key = public_key_from_jwk(document)[1]
    except KeyProblem as exc:
        raise _problem_failure(exc, kid=kid) from exc
    same_origin = urlsplit(kid).netloc.lower() == urlsplit(issuer_id).netloc.lower()
    if not issuer_id.startswith(("https://", "http://")) or not same_origin:
        return _Key(public_key, kid, _not_bound(issuer_id, "not_listed", kid=kid))
    profile = _fetch_object(issuer_id.split("#", 1)[0], ctx, kid=issuer_id)
    if profile.get("id") != issuer_id or not _listed_by_profile(profile, kid):
        return _Key(public_key, kid, _not_bound(issuer_id, "not_listed", kid=kid))
    return _Key(public_key, kid, _bound(kid, issuer_id))


def _key_for(header: Mapping[str, Any], issuer_id: str, ctx: VerificationContext) -> _Key:
    """The verification key and whether it is bound to the issuer. ``jku``/``x5u`` are
    never followed: they would let the token choose where its key comes from."""
    kid = header.get("kid")
    jwk = header.get("jwk")
    if isinstance(kid, str) and kid.startswith("#") and issuer_id.startswith("did:"):
        kid = issuer_id + kid  # a fragment relative to the issuer's DID
    if isinstance(kid, str) and kid.startswith("did:jwk:"):
        try:
            public_key = _did_jwk_key(kid)
        except KeyProblem as exc:
            raise _problem_failure(exc, kid=kid) from exc
        did = kid.split("#", 1)[0]
        binding = (
            _bound(kid, issuer_id)
            if did == issuer_id
            else _not_bound(issuer_id, "other_identifier", kid=kid)
        )
        return _Key(public_key, kid, binding)
    if isinstance(kid, str) and kid.startswith(("did:", "https://", "http://")):
        try:
            resolved = resolve_verification_method(kid, fetcher=ctx.fetcher)
        except KeyInvalid as exc:
            if kid.startswith(("https://", "http://")) and exc.code == "key_did_document_mismatch":
                return _bare_jwk_key(kid, issuer_id, ctx)
            raise _problem_failure(exc, kid=kid) from exc
        except KeyProblem as exc:
            raise _problem_failure(exc, kid=kid) from exc
        binding = _resolved_binding(resolved, kid=kid, issuer_id=issuer_id)
        return _Key(resolved.public_key, kid, binding)
    if isinstance(jwk, dict):
        # Self-asserted: integrity only, unless the issuer's identifier *is* this key.
        try:
            public_key = public_key_from_jwk(jwk)[1]
        except KeyProblem as exc:
            raise _problem_failure(exc, kid="jwk") from exc
        return _Key(public_key, "jwk", _jwk_binding(public_key, issuer_id, ctx))
    if issuer_id.startswith(("did:key:", "did:jwk:")):
        return _key_for({"kid": _own_method(issuer_id)}, issuer_id, ctx)
    raise _KeyFailure(CheckResult(CheckId.PROOF, Outcome.FAILED, "jwt_no_key"))


def _own_method(did: str) -> str:
    """The verification method a did:key / did:jwk implies (``#<key>`` / ``#0``)."""
    if did.startswith("did:key:"):
        return f"{did}#{did[len('did:key:') :]}"
    return f"{did}#0"


def _jwk_binding(public_key: PublicKey, issuer_id: str, ctx: VerificationContext) -> CheckResult:
    if issuer_id.startswith("did:jwk:"):
        try:
            if _same_key(_did_jwk_key(issuer_id), public_key):
                return _bound("jwk", issuer_id)
        except KeyProblem:
            pass
        return _not_bound(issuer_id, "other_identifier")
    if issuer_id.startswith("did:key:"):
        try:
            resolved = resolve_verification_method(_own_method(issuer_id), fetcher=ctx.fetcher)
        except KeyProblem:
            return _not_bound(issuer_id, "other_identifier")
        if _same_key(resolved.public_key, public_key):
            return _bound(_own_method(issuer_id), issuer_id)
        return _not_bound(issuer_id, "other_identifier")
    return _not_bound(issuer_id, "self_asserted")


def _proof(
    credential: dict[str, Any] | None,
    issuer_id: str,
    proof: CheckResult,
    issuer: CheckResult | None = None,
    *,
    retryable: bool = False,
) -> JwtProof:
    issuer = issuer or CheckResult(CheckId.ISSUER, Outcome.NOT_APPLICABLE, "jwt_issuer_not_checked")
    return JwtProof(credential, (proof, issuer), issuer_id, retryable)


def verify_jwt_proof(token: str, *, ctx: VerificationContext) -> JwtProof:
    """Verify a VC-JWT's signature and that its key belongs to the credential's issuer.

    Validity dates are not judged here (the credential's validity check does that); the
    registered claims must only agree with the body. Never raises.
    """
    try:
        return _verify_jwt(token, ctx)
    except Exception:  # a bug must not lose the upload; report "could not be checked"
        logger.exception("JWT verification failed unexpectedly")
        proof = CheckResult(CheckId.PROOF, Outcome.UNVERIFIABLE, "unexpected_error")
        return _proof(None, "", proof, retryable=True)


def _verify_jwt(token: str, ctx: VerificationContext) -> JwtProof:
    try:
        header, payload, signing_input, signature = split_compact_jws(token)
    except JoseError as exc:
        unreadable = CheckResult(
            CheckId.PROOF, Outcome.FAILED, "jwt_unreadable", {"reason": exc.reason}
        )
        return _proof(None, "", unreadable)
    credential = credential_from_payload(payload)
    if credential is None:
        return _proof(None, "", CheckResult(CheckId.PROOF, Outcome.FAILED, "jwt_not_a_credential"))
    issuer_id = _issuer_of(credential)
    alg = header.get("alg")
    alg_text = str(alg)[:20]
    if not isinstance(alg, str) or alg.lower() == "none" or alg.upper().startswith("HS"):
        refused = CheckResult(
            CheckId.PROOF, Outcome.FAILED, "jwt_alg_not_allowed", {"alg": alg_text}
        )
        return _proof(credential, issuer_id, refused)
    if alg not in ALLOWED_ALGS:
        unsupported = CheckResult(
            CheckId.PROOF, Outcome.UNVERIFIABLE, "jwt_alg_unsupported", {"alg": alg_text}
        )
        return _proof(credential, issuer_id, unsupported)
    refusal = header_refusal(header)
    if refusal:
        refused = CheckResult(
            CheckId.PROOF, Outcome.FAILED, "jwt_header_refused", {"header": refusal}
        )
        return _proof(credential, issuer_id, refused)
    try:
        key = _key_for(header, issuer_id, ctx)
    except _KeyFailure as failure:
        return _proof(credential, issuer_id, failure.result, retryable=failure.retryable)
    problem = key_refusal(key.public_key, alg)
    if problem == "weak" and isinstance(key.public_key, rsa.RSAPublicKey):
        weak = CheckResult(
            CheckId.PROOF,
            Outcome.FAILED,
            "jwt_key_too_weak",
            {"bits": str(key.public_key.key_size)},
        )
        return _proof(credential, issuer_id, weak, key.binding)
    if problem:
        mismatch = CheckResult(CheckId.PROOF, Outcome.FAILED, "jwt_key_alg_mismatch", {"alg": alg})
        return _proof(credential, issuer_id, mismatch, key.binding)
    if not signature_is_valid(key.public_key, alg, signing_input, signature):
        invalid = CheckResult(CheckId.PROOF, Outcome.FAILED, "jwt_signature_invalid")
        return _proof(credential, issuer_id, invalid, key.binding)
    claim, field_name = claim_mismatch(payload, credential)
    if claim:
        disagree = CheckResult(
            CheckId.PROOF,
            Outcome.FAILED,
            "jwt_claim_mismatch",
            {"claim": claim, "field": field_name},
        )
        return _proof(credential, issuer_id, disagree, key.binding)
    valid = CheckResult(CheckId.PROOF, Outcome.PASSED, "jwt_signature_valid", {"alg": alg})
    return _proof(credential, issuer_id, valid, key.binding)
