"""A verification report as the ``verify_credential --json`` contract prints it."""

from __future__ import annotations

from typing import Any

from credentials.verification.answers import answers_from_checks
from credentials.verification.result import VerificationReport
from credentials.vocabulary import Outcome


def report_as_json(report: VerificationReport) -> dict[str, Any]:
    """The CLI contract's object (without ``input``): status, format, checks, credential."""
    checks = []
    for check in report.checks:
        item: dict[str, Any] = {
            "id": str(check.check),
            # The contract has three values; "could not be checked" prints as failed
            # with the finer outcome beside it.
            "status": "failed" if check.outcome == Outcome.UNVERIFIABLE else str(check.outcome),
            "detail": check.detail,
            "code": check.code,
        }
        if check.outcome == Outcome.UNVERIFIABLE:
            item["outcome"] = "unverifiable"
        checks.append(item)
    return {
        "status": str(report.status),
        "answers": answers_from_checks(report.checks, report.credential).as_json(),
        "format": str(report.format),
        "checks": checks,
        "credential": report.credential.as_json() if report.credential else {},
        "retryable": report.retryable,
        "engine_version": report.engine_version,
    }
