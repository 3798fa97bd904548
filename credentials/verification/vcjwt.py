"""VC-JWT (reference §3.8): the credential a signed token carries, the key that signed it,
and whether that key is the issuer's. The checks of the credential itself are ``vc``'s.
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from credentials.formats.dates import parse_datetime
from credentials.verification.context import VerificationContext
from credentials.verification.fetcher import FetchError
from credentials.verification.jws import (
    JoseError,
    PublicKey,
    b64url_decode,
    header_refusal,
    key_refusal,
    signature_is_valid,
    split_compact_jws,
)
from credentials.verification.keys import (
    KeyInvalid,
    KeyProblem,
    ResolvedKey,
    check_binding,
    public_key_from_jwk,
    resolve_verification_method,
)
from credentials.verification.result import CheckResult, ProofChecks, VerificationReport
from credentials.verification.run import Run
from credentials.verification.vc import verify_vc
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
