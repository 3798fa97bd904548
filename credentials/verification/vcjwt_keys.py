"""The key that signed a VC-JWT and whether it is the issuer's (reference §3.8 step 2).

``kid`` names a DID URL or an HTTPS key; ``jwk`` in the header is self-asserted and binds
only when the issuer's identifier *is* that key (did:jwk, did:key). ``jku``/``x5u`` are never
followed: they would let the token choose where its key comes from.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from credentials.verification.context import VerificationContext
from credentials.verification.fetcher import FetchError
from credentials.verification.jws import JoseError, b64url_decode
from credentials.verification.key_material import (
    KeyInvalid,
    KeyProblem,
    PublicKey,
    public_key_from_jwk,
)
from credentials.verification.keys import ResolvedKey, check_binding, resolve_verification_method
from credentials.verification.result import CheckResult
from credentials.vocabulary import CheckId, Outcome


class KeyFailure(Exception):
    def __init__(self, result: CheckResult, *, retryable: bool = False) -> None:
        super().__init__(result.code)
        self.result = result
        self.retryable = retryable


@dataclass(frozen=True, slots=True)
class JwtKey:
    public_key: PublicKey
    label: str  # the kid, or "the token header" for a jwk-only token
    binding: CheckResult  # the ISSUER result


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


def _problem_failure(problem: KeyProblem, *, kid: str) -> KeyFailure:
    """A key that could not be had: the credential's fault → PROOF failed; else unverifiable.

    The key resolver's own message code is kept: it already says what went wrong in words.
    """
    params = {"key": kid[:300], **problem.params}
    outcome = Outcome.FAILED if problem.is_credential_fault else Outcome.UNVERIFIABLE
    result = CheckResult(CheckId.PROOF, outcome, problem.code, params)
    return KeyFailure(result, retryable=problem.retryable and outcome == Outcome.UNVERIFIABLE)


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
        raise KeyFailure(result, retryable=exc.retryable) from exc
    try:
        document = json.loads(response.body) if response.status == 200 else None
    except (ValueError, RecursionError):
        document = None
    if not isinstance(document, dict):
        raise KeyFailure(
            CheckResult(
                CheckId.PROOF,
                Outcome.UNVERIFIABLE,
                "jwt_key_unresolvable",
                {"key": kid, "reason": f"HTTP {response.status} or not JSON"},
            )
        )
    return document


def _bare_jwk_key(kid: str, issuer_id: str, ctx: VerificationContext) -> JwtKey:
    """``kid`` is an HTTPS URL of a bare JWK (OB 3.0 allows it). It proves nothing unless the
    issuer's own profile, on the same origin, lists that URL (reference §3.8 step 2)."""
    document = _fetch_object(kid.split("#", 1)[0], ctx, kid=kid)
    if "kty" not in document:
        raise KeyFailure(
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
        return JwtKey(public_key, kid, _not_bound(issuer_id, "not_listed", kid=kid))
    profile = _fetch_object(issuer_id.split("#", 1)[0], ctx, kid=issuer_id)
    if profile.get("id") != issuer_id or not _listed_by_profile(profile, kid):
        return JwtKey(public_key, kid, _not_bound(issuer_id, "not_listed", kid=kid))
    return JwtKey(public_key, kid, _bound(kid, issuer_id))


def key_for(header: Mapping[str, Any], issuer_id: str, ctx: VerificationContext) -> JwtKey:
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
        return JwtKey(public_key, kid, binding)
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
        return JwtKey(resolved.public_key, kid, binding)
    if isinstance(jwk, dict):
        # Self-asserted: integrity only, unless the issuer's identifier *is* this key.
        try:
            public_key = public_key_from_jwk(jwk)[1]
        except KeyProblem as exc:
            raise _problem_failure(exc, kid="jwk") from exc
        return JwtKey(public_key, "jwk", _jwk_binding(public_key, issuer_id, ctx))
    if issuer_id.startswith(("did:key:", "did:jwk:")):
        return key_for({"kid": _own_method(issuer_id)}, issuer_id, ctx)
    raise KeyFailure(CheckResult(CheckId.PROOF, Outcome.FAILED, "jwt_no_key"))


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
