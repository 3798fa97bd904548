"""The one verification run every format feeds (DESIGN.md "The credential pipeline").

A format module reads its input and hands the run a ``Checks`` object: one method per check
after parsing. ``run_checks`` calls them in the fixed order

    parse · schema · proof · issuer · validity · revocation · recipient · registry

and applies the gates of reference §8.2 in one place:

- a schema that failed leaves proof … recipient "not checked, the structure is broken",
  unless the problem leaves them checkable (``CHECKABLE_SCHEMA_PROBLEMS``);
- validity, revocation and recipient are judged only on authenticated data (PROOF and
  ISSUER passed): dates, status URLs and recipients in an unauthenticated document are
  whatever the attacker wrote;
- registry is always asked and never changes the status (``verdict``).

A format may record a check before the run reaches it (an OB 2.0 hosted assertion knows its
PROOF once it has been fetched); the first result recorded for a check stands, and the run
then skips that step. A step that crashes is "could not be checked" (``unexpected_error``)
and the other checks still run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Protocol

from credentials.formats.record import CredentialRecord
from credentials.verification.context import VerificationContext
from credentials.verification.fetcher import FetchError
from credentials.verification.registry import check_registry
from credentials.verification.result import (
    ENGINE_VERSION,
    CheckResult,
    Found,
    ProofChecks,
    VerificationReport,
)
from credentials.verification.verdict import status_from_checks
from credentials.vocabulary import CheckId, CredentialFormat, Outcome, Status

logger = logging.getLogger(__name__)

_ORDER = {check: index for index, check in enumerate(CheckId)}
# Checks that read the credential's own claims, judged only once it is authenticated.
_AFTER_AUTHENTICITY = (CheckId.VALIDITY, CheckId.REVOCATION, CheckId.RECIPIENT)
_AFTER_SCHEMA = (CheckId.PROOF, CheckId.ISSUER, *_AFTER_AUTHENTICITY)
# Structure problems that leave the proof, issuer, dates and status checkable: they are
# reported as a failed structure check (so never `verified`) and the other checks run anyway,
# so HR can tell a forged credential from a genuine one that merely names no recipient.
CHECKABLE_SCHEMA_PROBLEMS = frozenset(
    {"schema_recipient_missing", "schema_achievement_missing", "schema_ob3_context_missing"}
)


class Run:
    """One verification as it is made: one result per check, then the report."""

    def __init__(self, *, credential_format: CredentialFormat = CredentialFormat.UNKNOWN) -> None:
        self.results: dict[CheckId, CheckResult] = {}
        self.retryable = False
        self.record: CredentialRecord | None = None
        self.format = credential_format

    def add(self, result: CheckResult, *, retryable: bool = False) -> None:
        """Record ``result``; the first result recorded for a check stands."""
        if result.check in self.results:
            return
        self.results[result.check] = result
        if retryable and result.outcome == Outcome.UNVERIFIABLE:
            self.retryable = True

    def add_found(self, found: Found) -> None:
        self.add(found.result, retryable=found.retryable)

    def step(self, check: CheckId, function: Callable[[], CheckResult | Found | None]) -> None:
        """Run one check unless it is already decided; a crash is "could not be checked".
        ``None`` from ``function`` means the format has no such check."""
        if check in self.results:
            return
        try:
            outcome = function()
        except Exception as exc:
            logger.exception("check %s crashed", check)
            # Only network trouble may pass if retried soon; a bug fails the same way every
            # time (the re-check sweep still tries again hours later, perhaps on a fixed engine).
            retry = isinstance(exc, FetchError) and exc.retryable
            outcome = Found(CheckResult(check, Outcome.UNVERIFIABLE, "unexpected_error"), retry)
        if isinstance(outcome, CheckResult):
            self.add(outcome)
        elif outcome is not None:
            self.add_found(outcome)

    def outcome(self, check: CheckId) -> Outcome | None:
        result = self.results.get(check)
        return result.outcome if result else None

    def passed(self, check: CheckId) -> bool:
        return self.outcome(check) == Outcome.PASSED

    @property
    def authenticated(self) -> bool:
        return self.passed(CheckId.PROOF) and self.passed(CheckId.ISSUER)

    def skip(self, checks: tuple[CheckId, ...], code: str) -> None:
        for check in checks:
            self.add(CheckResult(check, Outcome.NOT_APPLICABLE, code))

    def report(self) -> VerificationReport:
        checks = tuple(sorted(self.results.values(), key=lambda c: _ORDER[c.check]))
        status = status_from_checks(checks)
        chosen_format = self.format
        if chosen_format == CredentialFormat.UNKNOWN and self.record is not None:
            chosen_format = self.record.format
        return VerificationReport(
            status=status,
            format=chosen_format,
            checks=checks,
            credential=self.record,
            engine_version=ENGINE_VERSION,
            retryable=self.retryable and status == Status.UNVERIFIABLE,
        )


def malformed(code: str, params: Mapping[str, str] | None = None) -> VerificationReport:
    """The report for input that holds no credential the portal can read."""
    return unreadable(CheckResult(CheckId.PARSE, Outcome.FAILED, code, dict(params or {})))


def unreadable(*results: CheckResult) -> VerificationReport:
    """The report of input that never reached the checks: only these results."""
    run = Run()
    for result in results:
        run.add(result)
    return run.report()


def crashed(
    record: CredentialRecord | None = None,
    *,
    credential_format: CredentialFormat = CredentialFormat.UNKNOWN,
) -> VerificationReport:
    """The report when verification itself crashed. Not retryable: only network trouble
    (FetchError) is; a bug would loop in the queue."""
    run = Run(credential_format=credential_format)
    run.record = record
    run.add(CheckResult(CheckId.PARSE, Outcome.UNVERIFIABLE, "unexpected_error"))
    return run.report()


class Checks(Protocol):
    """What a format hands the run once it has parsed its input (PARSE is recorded).

    Each method makes one check; ``None`` means the format has no such check. Methods
    are called in check order and only when the gates allow it, so ``validity`` may
    trust the dates it reads: the proof covering them has passed.
    """

    def schema(self) -> CheckResult | Found | None: ...

    def proof(self) -> ProofChecks | None:
        """PROOF and ISSUER; None when the format has recorded them in the run itself."""
        ...

    def validity(self) -> CheckResult | Found | None: ...

    def revocation(self) -> CheckResult | Found | None: ...

    def recipient(self) -> CheckResult | Found | None: ...

    def issuer_id(self) -> str:
        """The issuer the registry is asked about ("" when unknown)."""
        ...


def run_checks(checks: Checks, *, run: Run, ctx: VerificationContext) -> VerificationReport:
    """Schema · proof · issuer · validity · revocation · recipient · registry, gated."""
    run.step(CheckId.SCHEMA, checks.schema)
    method_id = ""
    schema = run.results.get(CheckId.SCHEMA)
    if schema and schema.outcome == Outcome.FAILED and schema.code not in CHECKABLE_SCHEMA_PROBLEMS:
        run.skip(_AFTER_SCHEMA, "check_skipped_malformed")
    else:
        method_id = _proof_step(checks, run)
        if run.authenticated:
            run.step(CheckId.VALIDITY, checks.validity)
            run.step(CheckId.REVOCATION, checks.revocation)
            run.step(CheckId.RECIPIENT, checks.recipient)
        else:
            run.skip(_AFTER_AUTHENTICITY, "not_checked_unauthenticated")
    run.step(
        CheckId.REGISTRY,
        lambda: check_registry(
            checks.issuer_id(), registry=ctx.issuer_registry, key_id=method_id or None
        ),
    )
    return run.report()


def _proof_step(checks: Checks, run: Run) -> str:
    if CheckId.PROOF in run.results and CheckId.ISSUER in run.results:
        return ""
    try:
        found = checks.proof()
    except Exception as exc:
        logger.exception("proof check crashed")
        retry = isinstance(exc, FetchError) and exc.retryable
        for check in (CheckId.PROOF, CheckId.ISSUER):
            run.add(CheckResult(check, Outcome.UNVERIFIABLE, "unexpected_error"), retryable=retry)
        return ""
    if found is None:
        return ""
    run.add(found.proof, retryable=found.retryable)
    if found.issuer is not None:
        run.add(found.issuer, retryable=found.retryable)
    return found.method_id
