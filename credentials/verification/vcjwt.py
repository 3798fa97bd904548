"""VC-JWT (reference §3.8): the credential a signed token carries, the key that signed it,
and whether that key is the issuer's. The checks of the credential itself are ``vc``'s.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa

from credentials.formats.dates import parse_datetime
from credentials.verification.context import VerificationContext
from credentials.verification.jws import (
    JoseError,
    header_refusal,
    key_refusal,
    signature_is_valid,
    split_compact_jws,
)
from credentials.verification.result import CheckResult, ProofChecks, VerificationReport
from credentials.verification.run import Run
from credentials.verification.vc import verify_vc
from credentials.verification.vcjwt_keys import KeyFailure, key_for
from credentials.vocabulary import CheckId, Container, CredentialFormat, Outcome

logger = logging.getLogger(__name__)


ALLOWED_ALGS = frozenset({"RS256", "ES256", "ES384", "EdDSA"})
# JWT registered claims: the envelope of shapes (b)/(c), not JSON-LD terms of the credential.
REGISTERED_CLAIMS = ("iss", "sub", "jti", "nbf", "exp", "iat", "aud")
VC1_CONTEXT = "https://www.w3.org/2018/credentials/v1"


@dataclass(frozen=True, slots=True)
class JwtProof:
    """What the JWT proves. ``credential`` is the VC the token carries (``None`` when it
    carries none); ``checks`` are its PROOF and ISSUER results."""

    credential: dict[str, Any] | None
    checks: ProofChecks
    issuer_id: str


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


def _proof(
    credential: dict[str, Any] | None,
    issuer_id: str,
    proof: CheckResult,
    issuer: CheckResult | None = None,
    *,
    retryable: bool = False,
    method_id: str = "",
) -> JwtProof:
    issuer = issuer or CheckResult(CheckId.ISSUER, Outcome.NOT_APPLICABLE, "jwt_issuer_not_checked")
    return JwtProof(credential, ProofChecks(proof, issuer, retryable, method_id), issuer_id)


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
        key = key_for(header, issuer_id, ctx)
    except KeyFailure as failure:
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
    method_id = key.label if key.label != "jwk" else ""  # a bare jwk names no method
    return _proof(credential, issuer_id, valid, key.binding, method_id=method_id)


def verify_vc_jwt(
    token: str, *, container: Container, ctx: VerificationContext
) -> VerificationReport:
    """Verify a VC-JWT: its signature is the credential's proof; the rest is ``vc``'s."""
    proof = verify_jwt_proof(token, ctx=ctx)
    if proof.credential is None:
        run = Run(credential_format=CredentialFormat.VC_JWT)
        for result in (proof.checks.proof, proof.checks.issuer):
            if result is not None:
                run.add(result, retryable=proof.checks.retryable)
        return run.report()
    return verify_vc(
        proof.credential,
        container=container,
        ctx=ctx,
        credential_format=CredentialFormat.VC_JWT,
        jwt_proof=proof.checks,
    )
