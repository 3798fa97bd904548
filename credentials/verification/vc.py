"""W3C Verifiable Credentials and Open Badges 3.0: the checks of one credential document.

The same checks serve a credential with embedded Data Integrity proofs and one that came
inside a VC-JWT; only the proof step differs (``dataintegrity.verify_proofs`` or the
JWT's signature, already verified by ``vcjwt``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from credentials.formats.dates import parse_datetime
from credentials.formats.ob3 import OB3_TYPES, contexts, issuer_id, parse_ob3, types_of
from credentials.formats.record import CredentialRecord
from credentials.verification.context import VerificationContext
from credentials.verification.dataintegrity import verify_proofs
from credentials.verification.recipient import check_recipient
from credentials.verification.result import CheckResult, Found, ProofChecks, VerificationReport
from credentials.verification.run import Run, run_checks
from credentials.verification.statuslist import check_status
from credentials.vocabulary import CheckId, Container, CredentialFormat, Outcome

logger = logging.getLogger(__name__)

# Clock skew allowed between the issuer's clock and ours (reference §3.11).
CLOCK_SKEW = timedelta(minutes=5)
OB3_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/"
VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
# Validity fields by data model (key: is VC 1.1).
_START_KEYS = {True: ("issuanceDate", "validFrom"), False: ("validFrom",)}
_END_KEYS = {True: ("expirationDate", "validUntil"), False: ("validUntil",)}


class VcChecks:
    """The checks of one VC document. ``jwt_proof`` is given when the document came out of
    a VC-JWT, whose signature is its proof."""

    def __init__(
        self,
        document: Mapping[str, Any],
        *,
        record: CredentialRecord | None,
        ctx: VerificationContext,
        jwt_proof: ProofChecks | None = None,
    ) -> None:
        self.document = document
        self.record = record
        self.ctx = ctx
        self.jwt_proof = jwt_proof
        self.issuer = issuer_id(document)

    def issuer_id(self) -> str:
        return self.issuer

    def schema(self) -> CheckResult:
        return check_schema(self.document, is_jwt=self.jwt_proof is not None)

    def proof(self) -> ProofChecks:
        if self.jwt_proof is not None:
            return self.jwt_proof
        return verify_proofs(self.document, issuer_id=self.issuer, ctx=self.ctx)

    def validity(self) -> CheckResult:
        return check_validity(self.document, now=self.ctx.now)

    def revocation(self) -> Found:
        return check_status(self.document, issuer_id=self.issuer, ctx=self.ctx)

    def recipient(self) -> CheckResult:
        if self.record is None:
            return CheckResult(CheckId.RECIPIENT, Outcome.NOT_APPLICABLE, "recipient_not_checked")
        return check_recipient(
            self.record.recipients, self.ctx.recipient_emails, subject_id=self.record.subject_id
        )


def verify_vc(
    document: Mapping[str, Any],
    *,
    container: Container,
    ctx: VerificationContext,
    credential_format: CredentialFormat | None = None,
    jwt_proof: ProofChecks | None = None,
    run: Run | None = None,
) -> VerificationReport:
    """Verify a VC document (from JSON, or the credential a VC-JWT carries)."""
    run = run or Run()
    run.record = _parse_record(document, container=container, credential_format=credential_format)
    if credential_format is not None:
        run.format = credential_format
    label = str(run.record.format.label) if run.record else ""
    run.add(CheckResult(CheckId.PARSE, Outcome.PASSED, "parsed", {"format": label}))
    checks = VcChecks(document, record=run.record, ctx=ctx, jwt_proof=jwt_proof)
    return run_checks(checks, run=run, ctx=ctx)


def _parse_record(
    document: Mapping[str, Any], *, container: Container, credential_format: CredentialFormat | None
) -> CredentialRecord | None:
    try:
        return parse_ob3(document, container=container, credential_format=credential_format)
    except Exception:
        logger.exception("OB 3.0 record could not be built")
        return None


def check_schema(document: Mapping[str, Any], *, is_jwt: bool) -> CheckResult:
    """Structure before cryptography (reference §3.2). Broken shapes → malformed."""

    def problem(code: str, **params: str) -> CheckResult:
        return CheckResult(CheckId.SCHEMA, Outcome.FAILED, code, params)

    types = types_of(document.get("type"))
    if "VerifiableCredential" not in types:
        return problem("schema_type_missing")
    is_ob3 = bool(OB3_TYPES.intersection(types))
    the_issuer = issuer_id(document)
    if not the_issuer or not (the_issuer.startswith(("did:", "https://", "http://", "urn:"))):
        return problem("schema_issuer_invalid")
    subjects = document.get("credentialSubject")
    raw_subjects: list[Any] = subjects if isinstance(subjects, list) else [subjects]
    subject_list: list[dict[str, Any]] = [s for s in raw_subjects if isinstance(s, dict)]
    if not subject_list or len(subject_list) != len(raw_subjects):
        return problem("schema_subject_missing")
    if not is_jwt and "proof" not in document:
        return problem("schema_unsigned")
    version_v1 = contexts(document)[:1] == [VC_V1_CONTEXT]
    if version_v1 and "issuanceDate" not in document:
        return problem("schema_date_missing", field="issuanceDate")
    for key in (*_START_KEYS[version_v1], *_END_KEYS[version_v1]):
        if key in document and parse_datetime(document[key]) is None:
            return problem("schema_date_invalid", field=key)
    (start_key, start), (end_key, end) = validity_window(document)
    if start is not None and end is not None and end < start:
        return problem("schema_dates_reversed", start=start_key, end=end_key)
    # Last, so that when one of these is reported no problem above exists: the other
    # checks can still run (run.CHECKABLE_SCHEMA_PROBLEMS).
    if is_ob3 and not any(c.startswith(OB3_CONTEXT_PREFIX) for c in contexts(document)):
        return problem("schema_ob3_context_missing")
    if is_ob3 and "EndorsementCredential" not in types:
        subject = subject_list[0]
        if not isinstance(subject.get("achievement"), dict):
            return problem("schema_achievement_missing")
        if "id" not in subject and "identifier" not in subject:
            return problem("schema_recipient_missing")
    return CheckResult(CheckId.SCHEMA, Outcome.PASSED, "schema_ok")


def validity_window(
    document: Mapping[str, Any],
) -> tuple[tuple[str, datetime | None], tuple[str, datetime | None]]:
    """((start field, start), (end field, end)) — the narrowest window the document states.

    VC 2.0 has ``validFrom``/``validUntil``. VC 1.1 has ``issuanceDate``/``expirationDate``
    (reference trap #12), but its context defines ``validFrom``/``validUntil`` too, so a
    signed VC 1.1 credential may carry both pairs: the later start and earlier end count.
    """
    version_v1 = contexts(document)[:1] == [VC_V1_CONTEXT]
    starts = [(k, parse_datetime(document.get(k))) for k in _START_KEYS[version_v1]]
    ends = [(k, parse_datetime(document.get(k))) for k in _END_KEYS[version_v1]]
    known_starts = [(k, v) for k, v in starts if v is not None]
    known_ends = [(k, v) for k, v in ends if v is not None]
    start = max(known_starts, key=lambda kv: kv[1]) if known_starts else (starts[0][0], None)
    end = min(known_ends, key=lambda kv: kv[1]) if known_ends else (ends[0][0], None)
    return start, end


def check_validity(document: Mapping[str, Any], *, now: datetime) -> CheckResult:
    """Is ``now`` inside the credential's validity window (with ``CLOCK_SKEW``)?"""
    (_, start), (_, end) = validity_window(document)
    if start is not None and now < start - CLOCK_SKEW:
        return CheckResult(CheckId.VALIDITY, Outcome.FAILED, "not_yet_valid", {"date": _day(start)})
    if end is not None and now > end + CLOCK_SKEW:
        return CheckResult(CheckId.VALIDITY, Outcome.FAILED, "expired", {"date": _day(end)})
    if end is not None:
        return CheckResult(CheckId.VALIDITY, Outcome.PASSED, "valid_until", {"date": _day(end)})
    return CheckResult(CheckId.VALIDITY, Outcome.PASSED, "valid_no_expiry")


def _day(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC")
