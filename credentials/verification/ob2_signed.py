"""Open Badges 2.0 signed verification (reference §2.3): RS256 only, with a key the issuer's
Profile lists, and the Profile's revocation list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from credentials.formats.ob2 import node_id, ob2_version, verification_type
from credentials.verification.jws import (
    MIN_RSA_BITS,
    JoseError,
    header_refusal,
    signature_is_valid,
    split_compact_jws,
)
from credentials.verification.ob2_checks import Ob2Checks, Unavailable, as_list
from credentials.vocabulary import CheckId, CredentialFormat, Outcome


class _WeakKey(JoseError):
    def __init__(self, bits: int) -> None:
        super().__init__(f"RSA key of {bits} bits")
        self.bits = bits


def prepare_signed(checks: Ob2Checks, token: str) -> bool:
    """Read the token and fetch what it names; False when PARSE already says everything
    (unreadable, or a legacy version)."""
    try:
        header, assertion, signing_input, signature = split_compact_jws(token)
    except JoseError as exc:
        checks.unreadable(exc.reason)
        return False
    if not isinstance(assertion, dict) or not ob2_version(assertion):
        checks.run.format = CredentialFormat.UNKNOWN
        checks.unreadable("the signed payload is not an Open Badges assertion")
        return False
    version = ob2_version(assertion)
    if version != "2.0":
        checks.legacy(version)
        return False
    checks.add(CheckId.PARSE, Outcome.PASSED, "ob2_parsed")
    checks.assertion = assertion
    checks.build_record()

    alg = header.get("alg")
    if alg != "RS256":
        # Pinned: `none`, HS256 keyed with the public key, or any other swap is a forgery route.
        checks.add(CheckId.PROOF, Outcome.FAILED, "ob2_alg_not_allowed", {"alg": str(alg)[:20]})
        checks.schema_checked = False
        return True
    refusal = header_refusal(header)
    if refusal:
        checks.add(CheckId.PROOF, Outcome.FAILED, "jwt_header_refused", {"header": refusal})
        checks.schema_checked = False
        return True
    checks.fetch_badge_and_issuer()
    checks.build_record()
    checks.prove = lambda: _prove(checks, signing_input, signature)
    checks.revoke = lambda: _check_revocation_list(checks)
    return True


def _prove(checks: Ob2Checks, signing_input: bytes, signature: bytes) -> None:
    if verification_type(checks.assertion) != "signed":
        checks.add(CheckId.PROOF, Outcome.FAILED, "ob2_signed_wrong_verification")
    if checks.issuer is None:
        checks.add(CheckId.PROOF, Outcome.NOT_APPLICABLE, "jwt_issuer_not_checked")
        return
    _check_signed_key(checks, checks.issuer, signing_input, signature)


def _load_rsa_key(document: Mapping[str, Any]) -> rsa.RSAPublicKey:
    pem = document.get("publicKeyPem")
    if not isinstance(pem, str):
        raise JoseError("it has no publicKeyPem")
    try:
        key = load_pem_public_key(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError, TypeError) as exc:
        raise JoseError("its PEM cannot be read") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise JoseError("it is not an RSA key")
    if key.key_size < MIN_RSA_BITS:
        raise _WeakKey(key.key_size)
    return key


def _check_signed_key(
    checks: Ob2Checks, issuer: Mapping[str, Any], signing_input: bytes, signature: bytes
) -> None:
    issuer_id = node_id(issuer)
    listed = {node_id(k): k for k in as_list(issuer.get("publicKey")) if node_id(k)}
    verification = checks.assertion.get("verification")
    creator = node_id(verification.get("creator")) if isinstance(verification, Mapping) else ""
    candidates = [creator] if creator else list(listed)
    if not candidates:
        checks.add(CheckId.PROOF, Outcome.FAILED, "ob2_no_key", {"issuer": issuer_id})
        return
    if creator and creator not in listed:
        # Still check the signature below, so HR sees "genuine signature, wrong signer".
        checks.add(
            CheckId.ISSUER,
            Outcome.FAILED,
            "ob2_key_not_listed",
            {"key": creator, "issuer": issuer_id},
        )
    for key_id in candidates:
        try:
            document = checks.node(listed.get(key_id, key_id), check=CheckId.PROOF)
        except Unavailable as problem:
            checks.add_unavailable(problem, CheckId.PROOF)
            return
        owner = node_id(document.get("owner"))
        if owner and owner != issuer_id:
            checks.add(
                CheckId.ISSUER,
                Outcome.FAILED,
                "ob2_key_owner_mismatch",
                {"key": key_id, "owner": owner, "issuer": issuer_id},
            )
        try:
            key = _load_rsa_key(document)
        except JoseError as exc:
            params = {"key": key_id, "reason": exc.reason}
            if isinstance(exc, _WeakKey):
                params["bits"] = str(exc.bits)
            code = "ob2_key_too_weak" if isinstance(exc, _WeakKey) else "ob2_key_unusable"
            checks.add(CheckId.PROOF, Outcome.FAILED, code, params)
            return
        if signature_is_valid(key, "RS256", signing_input, signature):
            checks.add(CheckId.PROOF, Outcome.PASSED, "ob2_signature_valid", {"key": key_id})
            checks.add(CheckId.ISSUER, Outcome.PASSED, "ob2_issuer_ok", {"issuer": issuer_id})
            return
    checks.add(CheckId.PROOF, Outcome.FAILED, "ob2_signature_invalid")


def _check_revocation_list(checks: Ob2Checks) -> None:
    issuer = checks.issuer or {}
    reference = issuer.get("revocationList")
    if reference is None:
        checks.add(CheckId.REVOCATION, Outcome.NOT_APPLICABLE, "ob2_no_revocation_list")
        return
    url = node_id(reference)
    try:
        revocations = checks.node(reference, check=CheckId.REVOCATION)
    except Unavailable as problem:
        checks.add_unavailable(problem, CheckId.REVOCATION)
        return
    entries = revocations.get("revokedAssertions")
    if not isinstance(entries, list):
        checks.add(
            CheckId.REVOCATION, Outcome.UNVERIFIABLE, "ob2_revocation_list_unreadable", {"url": url}
        )
        return
    assertion_id = node_id(checks.assertion)
    uid = checks.assertion.get("uid")
    for entry in entries:
        if entry == assertion_id:
            checks.revoked("ob2_revoked_listed", None)
            return
        if isinstance(entry, Mapping) and (
            entry.get("id") == assertion_id or (uid is not None and entry.get("uid") == uid)
        ):
            checks.revoked("ob2_revoked_listed", entry.get("revocationReason"))
            return
    checks.add(CheckId.REVOCATION, Outcome.PASSED, "ob2_not_revoked_list")
