"""Embedded Data Integrity proofs: eddsa-rdfc-2022 (and eddsa-2022), Ed25519Signature2020,
ecdsa-rdfc-2019 with P-256 and P-384 (reference §3.3–§3.7).

One skeleton for all four: canonicalise the proof configuration (the proof without
``proofValue``, under the document's ``@context``) and the document without ``proof``,
hash both, and verify the signature over ``proof-config hash ‖ document hash`` — in that
order (reference trap #3).

Proof sets follow the strict policy of §3.3: any supported proof that fails makes the
credential fail; it passes when at least one supported proof verifies and none fails.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from credentials.formats.dates import parse_datetime
from credentials.verification import jsonld
from credentials.verification.fetcher import Fetcher
from credentials.verification.keys import (
    KeyProblem,
    ResolvedKey,
    check_binding,
    resolve_verification_method,
)
from credentials.verification.result import CheckResult
from credentials.vocabulary import CheckId, Outcome

EDDSA_SUITES = frozenset({"eddsa-rdfc-2022", "eddsa-2022"})
ECDSA_SUITES = frozenset({"ecdsa-rdfc-2019"})
# More proofs than any issuer adds; each costs a canonicalisation and maybe a fetch.
MAX_PROOFS = 8


@dataclass(frozen=True, slots=True)
class ProofChecks:
    """The PROOF and ISSUER results for a document, and whether retrying may help."""

    proof: CheckResult
    issuer: CheckResult
    retryable: bool = False
    method_id: str = ""


@dataclass(frozen=True, slots=True)
class _Single:
    outcome: Outcome  # PASSED, FAILED or UNVERIFIABLE for this one proof
    code: str
    params: Mapping[str, str]
    issuer: CheckResult | None = None
    retryable: bool = False
    method_id: str = ""


def suite_of(proof: Mapping[str, Any]) -> str:
    """A readable name of the proof's suite ("DataIntegrityProof/eddsa-rdfc-2022")."""
    proof_type = str(proof.get("type", "?"))
    cryptosuite = proof.get("cryptosuite")
    return f"{proof_type}/{cryptosuite}" if cryptosuite else proof_type


def is_supported(proof: Mapping[str, Any]) -> bool:
    proof_type = proof.get("type")
    if proof_type == "Ed25519Signature2020":
        return "cryptosuite" not in proof
    if proof_type == "DataIntegrityProof":
        return proof.get("cryptosuite") in EDDSA_SUITES | ECDSA_SUITES
    return False


def verify_proofs(
    document: Mapping[str, Any],
    *,
    issuer_id: str,
    fetcher: Fetcher,
    now: datetime,
) -> ProofChecks:
    """Verify every ``assertionMethod`` proof embedded in ``document`` (strict policy)."""
    raw = document.get("proof")
    raw_list: list[Any] = raw if isinstance(raw, list) else [raw]
    proofs: list[dict[str, Any]] = [p for p in raw_list if isinstance(p, dict)]
    if not proofs or len(proofs) != len(raw_list):
        return _same(Outcome.FAILED, "proof_malformed", {})
    if len(proofs) > MAX_PROOFS:
        return _same(Outcome.FAILED, "proof_too_many", {"count": str(len(proofs))})
    relevant = [p for p in proofs if p.get("proofPurpose") == "assertionMethod"]
    if not relevant:
        return _same(Outcome.UNVERIFIABLE, "proof_no_assertion_purpose", {})
    if any("previousProof" in p for p in relevant):
        # Proof chains need the referenced proofs inside the hashed document.
        return _same(Outcome.UNVERIFIABLE, "proof_chain_unsupported", {})
    supported = [p for p in relevant if is_supported(p)]
    if not supported:
        return _same(
            Outcome.UNVERIFIABLE,
            "proof_unsupported",
            {"suite": ", ".join(suite_of(p) for p in relevant)[:200]},
        )
    unknown = jsonld.unknown_context(document)
    if unknown:
        return _same(Outcome.UNVERIFIABLE, "context_unknown", {"url": unknown[:300]})

    unsecured = {k: v for k, v in document.items() if k != "proof"}
    try:
        canonical = jsonld.canonicalize(unsecured)
    except jsonld.ContextNotBundled as exc:
        return _same(Outcome.UNVERIFIABLE, "context_unknown", {"url": exc.url[:300]})
    except jsonld.TooComplex:
        return _same(Outcome.UNVERIFIABLE, "proof_too_complex", {})
    except jsonld.JsonLdProblem as exc:
        return _same(Outcome.FAILED, "jsonld_invalid", {"reason": str(exc)[:200]})
    if canonical.dropped:
        return _same(
            Outcome.FAILED, "undefined_terms", {"terms": ", ".join(canonical.dropped)[:300]}
        )

    results = [
        _verify_one(p, unsecured, canonical.nquads, issuer_id=issuer_id, fetcher=fetcher, now=now)
        for p in supported
    ]
    return _combine(results)


def _same(outcome: Outcome, code: str, params: Mapping[str, str]) -> ProofChecks:
    """A proof result reached before any key was looked at; the issuer key is "not
    checked": not applicable when the proof already failed, could-not-check otherwise."""
    issuer_outcome = Outcome.NOT_APPLICABLE if outcome == Outcome.FAILED else Outcome.UNVERIFIABLE
    return ProofChecks(
        proof=CheckResult(CheckId.PROOF, outcome, code, dict(params)),
        issuer=CheckResult(CheckId.ISSUER, issuer_outcome, "issuer_key_not_checked"),
    )


def _combine(results: Sequence[_Single]) -> ProofChecks:
    for wanted in (Outcome.FAILED, Outcome.UNVERIFIABLE, Outcome.PASSED):
        chosen = [r for r in results if r.outcome == wanted]
        if not chosen:
            continue
        first = chosen[0]
        issuer = first.issuer or CheckResult(
            CheckId.ISSUER,
            Outcome.UNVERIFIABLE if wanted == Outcome.UNVERIFIABLE else Outcome.NOT_APPLICABLE,
            "issuer_key_not_checked",
        )
        # A proof that failed by someone else's key: report the key, the issuer check
        # carries the failure; otherwise the issuer check of a passing proof.
        if wanted == Outcome.PASSED:
            failed_issuer = [
                r.issuer for r in results if r.issuer and r.issuer.outcome == Outcome.FAILED
            ]
            issuer = failed_issuer[0] if failed_issuer else issuer
        return ProofChecks(
            proof=CheckResult(CheckId.PROOF, wanted, first.code, dict(first.params)),
            issuer=issuer,
            retryable=any(r.retryable for r in chosen) and wanted == Outcome.UNVERIFIABLE,
            method_id=first.method_id,
        )
    raise AssertionError("no proof results")  # verify_proofs passes at least one proof


def _verify_one(
    proof: Mapping[str, Any],
    unsecured: Mapping[str, Any],
    document_nquads: str,
    *,
    issuer_id: str,
    fetcher: Fetcher,
    now: datetime,
) -> _Single:
    suite = suite_of(proof)
    method_id = proof.get("verificationMethod")
    if isinstance(method_id, dict):
        method_id = method_id.get("id")
    if not isinstance(method_id, str) or not method_id:
        return _Single(Outcome.FAILED, "proof_malformed", {"suite": suite})
    proof_value = proof.get("proofValue")
    if not isinstance(proof_value, str) or not proof_value.startswith("z"):
        return _Single(Outcome.FAILED, "proof_value_invalid", {"suite": suite})
    for field_name in ("created", "expires"):
        if field_name in proof and parse_datetime(proof[field_name]) is None:
            return _Single(Outcome.FAILED, "proof_malformed", {"suite": suite})
    expires = parse_datetime(proof.get("expires"))
    if expires is not None and expires < now:
        return _Single(Outcome.FAILED, "proof_expired", {"suite": suite})
    try:
        signature = base58.b58decode(proof_value[1:])
    except ValueError:
        return _Single(Outcome.FAILED, "proof_value_invalid", {"suite": suite})

    try:
        key = resolve_verification_method(method_id, fetcher=fetcher)
    except KeyProblem as exc:
        issuer = CheckResult(
            CheckId.ISSUER,
            Outcome.FAILED if exc.is_credential_fault else Outcome.UNVERIFIABLE,
            exc.code,
            dict(exc.params),
        )
        return _Single(
            Outcome.FAILED if exc.is_credential_fault else Outcome.UNVERIFIABLE,
            exc.code,
            dict(exc.params),
            issuer=issuer,
            retryable=exc.retryable,
            method_id=method_id,
        )

    algorithm = _hash_algorithm(proof, key)
    if algorithm is None:
        return _Single(
            Outcome.FAILED,
            "proof_key_type_mismatch",
            {"suite": suite, "key_type": key.key_type},
            method_id=method_id,
        )
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    config["@context"] = unsecured.get("@context")
    try:
        canonical_config = jsonld.canonicalize(config)
    except jsonld.ContextNotBundled as exc:
        return _Single(Outcome.UNVERIFIABLE, "context_unknown", {"url": exc.url[:300]})
    except jsonld.JsonLdProblem as exc:
        return _Single(Outcome.FAILED, "jsonld_invalid", {"reason": str(exc)[:200]})
    if canonical_config.dropped:
        return _Single(
            Outcome.FAILED,
            "undefined_terms",
            {"terms": ", ".join(canonical_config.dropped)[:300]},
        )
    hash_data = _digest(algorithm, canonical_config.nquads) + _digest(algorithm, document_nquads)
    if not _signature_valid(key, signature, hash_data, algorithm):
        return _Single(Outcome.FAILED, "signature_invalid", {"suite": suite}, method_id=method_id)
    try:
        check_binding(key, issuer_id=issuer_id)
    except KeyProblem as exc:
        issuer = CheckResult(CheckId.ISSUER, Outcome.FAILED, exc.code, dict(exc.params))
        return _Single(
            Outcome.PASSED,
            "signature_valid",
            {"suite": suite, "method_id": method_id[:300]},
            issuer=issuer,
            method_id=method_id,
        )
    issuer = CheckResult(
        CheckId.ISSUER, Outcome.PASSED, "issuer_key_bound", {"method_id": method_id[:300]}
    )
    return _Single(
        Outcome.PASSED,
        "signature_valid",
        {"suite": suite, "method_id": method_id[:300]},
        issuer=issuer,
        method_id=method_id,
    )


def _hash_algorithm(proof: Mapping[str, Any], key: ResolvedKey) -> str | None:
    """The hash the suite uses with this key, or None when the key cannot sign this suite."""
    if proof.get("type") == "Ed25519Signature2020" or proof.get("cryptosuite") in EDDSA_SUITES:
        return "sha256" if key.key_type == "Ed25519" else None
    if proof.get("cryptosuite") in ECDSA_SUITES:
        return {"P-256": "sha256", "P-384": "sha384"}.get(key.key_type)
    return None


def _digest(algorithm: str, text: str) -> bytes:
    return hashlib.new(algorithm, text.encode("utf-8")).digest()


def _signature_valid(key: ResolvedKey, signature: bytes, data: bytes, algorithm: str) -> bool:
    public_key = key.public_key
    try:
        if isinstance(public_key, ed25519.Ed25519PublicKey):
            if len(signature) != 64:
                return False
            public_key.verify(signature, data)
            return True
        if isinstance(public_key, ec.EllipticCurvePublicKey):
            # IEEE P1363 r ‖ s of exactly twice the curve size; a DER signature is refused.
            size = (public_key.curve.key_size + 7) // 8
            if len(signature) != 2 * size:
                return False
            r = int.from_bytes(signature[:size], "big")
            s = int.from_bytes(signature[size:], "big")
            chosen = hashes.SHA256() if algorithm == "sha256" else hashes.SHA384()
            public_key.verify(encode_dss_signature(r, s), data, ec.ECDSA(chosen))
            return True
    except (InvalidSignature, ValueError):
        return False
    return False
