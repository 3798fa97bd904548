"""European Digital Credentials: the record, and a proof the portal cannot check yet.

EDCs are sealed with eIDAS electronic seals (JAdES), not Data Integrity or VC-JWT; until a
seal verifier is plugged into ``EdcChecks.proof`` the credential is "could not be checked",
with everything it says still shown to HR as the issuer wrote it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from credentials.formats.edc import parse_edc
from credentials.formats.record import CredentialRecord
from credentials.verification.context import VerificationContext
from credentials.verification.result import CheckResult, ProofChecks, VerificationReport
from credentials.verification.run import Run, run_checks
from credentials.vocabulary import CheckId, Container, CredentialFormat, Outcome

logger = logging.getLogger(__name__)


class EdcChecks:
    def __init__(self, document: Mapping[str, Any], *, record: CredentialRecord | None) -> None:
        self.document = document
        self.record = record

    def issuer_id(self) -> str:
        return self.record.issuer_id if self.record else ""

    def schema(self) -> None:
        return None

    def proof(self) -> ProofChecks:
        return ProofChecks(
            proof=CheckResult(CheckId.PROOF, Outcome.UNVERIFIABLE, "edc_seal_not_supported"),
            issuer=CheckResult(CheckId.ISSUER, Outcome.UNVERIFIABLE, "issuer_key_not_checked"),
        )

    # Only reached once a seal verifier authenticates the credential.
    def validity(self) -> None:
        return None

    def revocation(self) -> None:
        return None

    def recipient(self) -> None:
        return None


def verify_edc(
    document: dict[str, Any], *, container: Container, ctx: VerificationContext
) -> VerificationReport:
    run = Run(credential_format=CredentialFormat.EDC)
    try:
        run.record = parse_edc(document, container=container)
    except Exception:
        logger.exception("EDC record could not be built")
    run.add(
        CheckResult(
            CheckId.PARSE, Outcome.PASSED, "parsed", {"format": str(CredentialFormat.EDC.label)}
        )
    )
    return run_checks(EdcChecks(document, record=run.record), run=run, ctx=ctx)
