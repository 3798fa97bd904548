"""What the engine returns: one report per credential, one result per check.

Check details are stored as a message ``code`` plus ``params`` and translated when shown
(``CheckResult.detail``), so a report made by a worker in English reads in Japanese later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from credentials.formats.record import CredentialRecord
from credentials.verification.messages import render_message
from credentials.vocabulary import CheckId, CredentialFormat, Outcome, Status

# Bumped whenever a change can alter a verdict, so stored results can be re-run.
ENGINE_VERSION = "2026.11.1"


@dataclass(frozen=True, slots=True)
class CheckResult:
    check: CheckId
    outcome: Outcome
    code: str  # a key of credentials.verification.messages.MESSAGES
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def detail(self) -> str:
        return render_message(self.code, self.params)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": str(self.check),
            "outcome": str(self.outcome),
            "code": self.code,
            "params": dict(self.params),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CheckResult:
        return cls(
            check=CheckId(data["id"]),
            outcome=Outcome(data["outcome"]),
            code=str(data["code"]),
            params=dict(data.get("params") or {}),
        )


@dataclass(frozen=True, slots=True)
class VerificationReport:
    status: Status
    format: CredentialFormat
    checks: tuple[CheckResult, ...]
    credential: CredentialRecord | None
    engine_version: str
    # True when the status is `unverifiable` because of something that may pass later
    # (issuer host down); the task layer retries those.
    retryable: bool = False


@dataclass(frozen=True, slots=True)
class Found:
    """A check result and whether trying again later may change it (network trouble)."""

    result: CheckResult
    retryable: bool = False


@dataclass(frozen=True, slots=True)
class ProofChecks:
    """The PROOF and ISSUER results of a credential, made together: who signed is only
    known once the key that verifies the signature is. ``method_id`` is that key.
    ``issuer`` is None when the key was never reached and the format reports no ISSUER."""

    proof: CheckResult
    issuer: CheckResult | None
    retryable: bool = False
    method_id: str = ""
