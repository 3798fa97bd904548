"""What every embedded-proof suite is given and returns, and the steps most of them share.

A suite verifies *one* proof of a credential. The proof-set policy (which proofs count, how
their results combine) is ``dataintegrity.verify_proofs``'s; which suite verifies a proof is
``suites.suite_for``'s. A suite returns a ``SuiteResult``: the outcome of this proof and, once
it knows the key, whether that key is the issuer's (the ISSUER check).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, Protocol

from credentials.formats.dates import parse_datetime
from credentials.verification import jsonld
from credentials.verification.context import VerificationContext
from credentials.verification.key_material import KeyProblem
from credentials.verification.keys import ResolvedKey, check_binding, resolve_verification_method
from credentials.verification.result import CheckResult
from credentials.vocabulary import CheckId, Outcome


@dataclass(frozen=True, slots=True)
class SuiteResult:
    outcome: Outcome  # PASSED, FAILED or UNVERIFIABLE for this one proof
    code: str
    params: Mapping[str, str] = field(default_factory=dict)
    issuer: CheckResult | None = None  # None: the key was never reached
    retryable: bool = False
    method_id: str = ""


class SecuredDocument:
    """The credential as every proof of it sees it. Work that does not depend on the proof
    (canonicalising the document without ``proof``) is done once and shared by its proofs."""

    def __init__(
        self,
        document: Mapping[str, Any],
        *,
        issuer_id: str,
        ctx: VerificationContext,
        purpose: str = "assertionMethod",
    ) -> None:
        self.unsecured = {k: v for k, v in document.items() if k != "proof"}
        self.issuer_id = issuer_id  # whose key a proof must be made with
        self.ctx = ctx
        self.purpose = purpose  # the verification relationship that key must have

    @cached_property
    def rdfc(self) -> jsonld.Canonical:
        """RDFC-1.0 of the unsecured document; raises ``jsonld.JsonLdProblem``."""
        return jsonld.canonicalize(self.unsecured, contexts=self.ctx.contexts)


class ProofSuite(Protocol):
    """One proof type (and cryptosuite). Registered in ``suites.SUITES``."""

    def verify(self, proof: Mapping[str, Any], document: SecuredDocument) -> SuiteResult: ...


def suite_name(proof: Mapping[str, Any]) -> str:
    """A readable name of the proof's suite ("DataIntegrityProof/eddsa-rdfc-2022")."""
    proof_type = str(proof.get("type", "?"))
    cryptosuite = proof.get("cryptosuite")
    return f"{proof_type}/{cryptosuite}" if cryptosuite else proof_type


def method_id_of(proof: Mapping[str, Any]) -> str:
    method_id = proof.get("verificationMethod")
    if isinstance(method_id, dict):
        method_id = method_id.get("id")
    return method_id if isinstance(method_id, str) else ""


def date_problem(proof: Mapping[str, Any], *, now: datetime) -> str:
    """ "proof_malformed" for unreadable ``created``/``expires``, "proof_expired", or ""."""
    for field_name in ("created", "expires"):
        if field_name in proof and parse_datetime(proof[field_name]) is None:
            return "proof_malformed"
    expires = parse_datetime(proof.get("expires"))
    return "proof_expired" if expires is not None and expires < now else ""


def canonical_problem(problem: jsonld.JsonLdProblem) -> SuiteResult:
    """A document or proof configuration that cannot be canonicalised."""
    if isinstance(problem, jsonld.ContextNotBundled):
        return SuiteResult(Outcome.UNVERIFIABLE, "context_unknown", {"url": problem.url[:300]})
    if isinstance(problem, jsonld.TooComplex):
        return SuiteResult(Outcome.UNVERIFIABLE, "proof_too_complex")
    return SuiteResult(Outcome.FAILED, "jsonld_invalid", {"reason": str(problem)[:200]})


def dropped_terms(canonical: jsonld.Canonical) -> SuiteResult | None:
    """Terms expansion dropped are not covered by the signature: the proof fails."""
    if not canonical.dropped:
        return None
    return SuiteResult(
        Outcome.FAILED, "undefined_terms", {"terms": ", ".join(canonical.dropped)[:300]}
    )


def resolve_key(method_id: str, document: SecuredDocument) -> ResolvedKey | SuiteResult:
    """The key ``method_id`` names, or the result saying why it cannot be had."""
    try:
        return resolve_verification_method(method_id, fetcher=document.ctx.fetcher)
    except KeyProblem as exc:
        outcome = Outcome.FAILED if exc.is_credential_fault else Outcome.UNVERIFIABLE
        issuer = CheckResult(CheckId.ISSUER, outcome, exc.code, dict(exc.params))
        return SuiteResult(
            outcome,
            exc.code,
            dict(exc.params),
            issuer=issuer,
            retryable=exc.retryable,
            method_id=method_id,
        )


def signature_valid(
    key: ResolvedKey, document: SecuredDocument, *, suite: str, method_id: str
) -> SuiteResult:
    """A verified signature by ``key`` (named ``method_id`` in the proof); the ISSUER result
    says whether the key is the issuer's."""
    params = {"suite": suite, "method_id": method_id[:300]}
    try:
        check_binding(key, issuer_id=document.issuer_id, purpose=document.purpose)
    except KeyProblem as exc:
        issuer = CheckResult(CheckId.ISSUER, Outcome.FAILED, exc.code, dict(exc.params))
    else:
        issuer = CheckResult(
            CheckId.ISSUER, Outcome.PASSED, "issuer_key_bound", {"method_id": method_id[:300]}
        )
    return SuiteResult(
        Outcome.PASSED, "signature_valid", params, issuer=issuer, method_id=method_id
    )
