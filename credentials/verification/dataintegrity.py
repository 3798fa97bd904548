"""Embedded Data Integrity proofs: which of a credential's proofs count and how their
results combine (reference §3.3). Each proof is verified by its suite (``suites``).

Proof sets follow the strict policy of §3.3: any supported proof that fails makes the
credential fail; it passes when at least one supported proof verifies and none fails.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from credentials.verification.context import VerificationContext
from credentials.verification.result import CheckResult, ProofChecks
from credentials.verification.suites import suite_for
from credentials.verification.suites.base import SecuredDocument, SuiteResult, suite_name
from credentials.vocabulary import CheckId, Outcome

# More proofs than any issuer adds; each costs a canonicalisation and maybe a fetch.
MAX_PROOFS = 8


def verify_proofs(
    document: Mapping[str, Any],
    *,
    issuer_id: str,
    ctx: VerificationContext,
    purpose: str = "assertionMethod",
) -> ProofChecks:
    """Verify every ``purpose`` proof embedded in ``document`` (strict policy): the
    issuer's ``assertionMethod`` for a credential; a presentation's holder signs for
    ``authentication``."""
    raw = document.get("proof")
    raw_list: list[Any] = raw if isinstance(raw, list) else [raw]
    proofs: list[dict[str, Any]] = [p for p in raw_list if isinstance(p, dict)]
    if not proofs or len(proofs) != len(raw_list):
        return _same(Outcome.FAILED, "proof_malformed", {})
    if len(proofs) > MAX_PROOFS:
        return _same(Outcome.FAILED, "proof_too_many", {"count": str(len(proofs))})
    relevant = [p for p in proofs if p.get("proofPurpose") == purpose]
    if not relevant:
        return _same(Outcome.UNVERIFIABLE, "proof_no_assertion_purpose", {})
    if any("previousProof" in p for p in relevant):
        # Proof chains need the referenced proofs inside the hashed document.
        return _same(Outcome.UNVERIFIABLE, "proof_chain_unsupported", {})
    supported = [(p, suite) for p in relevant if (suite := suite_for(p)) is not None]
    if not supported:
        return _same(
            Outcome.UNVERIFIABLE,
            "proof_unsupported",
            {"suite": ", ".join(suite_name(p) for p in relevant)[:200]},
        )
    unknown = ctx.contexts.unknown_context(document)
    if unknown:
        return _same(Outcome.UNVERIFIABLE, "context_unknown", {"url": unknown[:300]})
    secured = SecuredDocument(document, issuer_id=issuer_id, ctx=ctx, purpose=purpose)
    return _combine([suite.verify(proof, secured) for proof, suite in supported])


def _same(outcome: Outcome, code: str, params: Mapping[str, str]) -> ProofChecks:
    """A proof result reached before any key was looked at; the issuer key is "not
    checked": not applicable when the proof already failed, could-not-check otherwise."""
    issuer_outcome = Outcome.NOT_APPLICABLE if outcome == Outcome.FAILED else Outcome.UNVERIFIABLE
    return ProofChecks(
        proof=CheckResult(CheckId.PROOF, outcome, code, dict(params)),
        issuer=CheckResult(CheckId.ISSUER, issuer_outcome, "issuer_key_not_checked"),
    )


def _combine(results: Sequence[SuiteResult]) -> ProofChecks:
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
