"""One status from the individual check results, for every format (OB 2.0 uses it too)."""

from __future__ import annotations

from collections.abc import Sequence

from credentials.verification.result import CheckResult
from credentials.vocabulary import CheckId, Outcome, Status

# Checks that authenticate the credential (reference §8.2, gate 2).
_AUTHENTICITY = (CheckId.PROOF, CheckId.ISSUER)
# A failed check of this kind gives this status, strongest first.
_FAILURE_STATUS: tuple[tuple[tuple[CheckId, ...], Status], ...] = (
    ((CheckId.PARSE, CheckId.SCHEMA), Status.MALFORMED),
    ((CheckId.PROOF, CheckId.ISSUER), Status.FAILED),
    ((CheckId.REVOCATION,), Status.REVOKED),
    ((CheckId.VALIDITY,), Status.EXPIRED),
    ((CheckId.RECIPIENT,), Status.RECIPIENT_MISMATCH),
)


def status_from_checks(checks: Sequence[CheckResult]) -> Status:
    """The credential's status; precedence

    ``malformed > failed > revoked > expired > recipient_mismatch > unverifiable > verified``

    with two rules that keep unauthenticated data from deciding anything (reference §8):

    - ``revoked``, ``expired`` and ``recipient_mismatch`` need PROOF passed and ISSUER
      passed or not applicable. When either could not be checked, the status is
      ``unverifiable`` even if, say, the (unsigned) expiry date has passed — such a
      credential must neither read as verified nor be called expired on unproven data.
    - ``verified`` needs PROOF passed (a hosted OB 2.0 assertion reports its re-fetch
      as PROOF). Every other check must be passed or not applicable; any UNVERIFIABLE
      outcome (status list unreachable, say) gives ``unverifiable`` — fail closed.

    ``registry`` never changes the status. No checks at all → ``malformed``.
    """
    counted = [c for c in checks if c.check != CheckId.REGISTRY]
    if not counted:
        return Status.MALFORMED
    failed = {c.check for c in counted if c.outcome == Outcome.FAILED}
    for kinds, status in _FAILURE_STATUS[:2]:
        if failed.intersection(kinds):
            return status
    authenticated = any(
        c.check == CheckId.PROOF and c.outcome == Outcome.PASSED for c in counted
    ) and not any(c.check in _AUTHENTICITY and c.outcome == Outcome.UNVERIFIABLE for c in counted)
    if not authenticated:
        return Status.UNVERIFIABLE
    for kinds, status in _FAILURE_STATUS[2:]:
        if failed.intersection(kinds):
            return status
    if any(c.outcome == Outcome.UNVERIFIABLE for c in counted):
        return Status.UNVERIFIABLE
    return Status.VERIFIED
