"""The verification engine's entry points: bytes, a URL, or a CLI input → one report.

Pipeline (DESIGN.md "The credential pipeline"): detect and extract from the bytes, pick
the format by the payload, then run the checks in order — parse · schema · proof · issuer
· validity · revocation · recipient · registry — and take one status from
``verdict.status_from_checks``. Open Badges 2.0 goes to ``ob2.verify_ob2``, VC-JWT signatures
to ``jose.verify_jwt_proof``, European Digital Credentials to ``formats.edc``.

Nothing here raises: a check that crashes is reported as "could not be checked"
(``unexpected_error``) and the other checks still run; unreadable input is ``malformed``.
No database, no network except through ``ctx.fetcher``.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from credentials.formats.dates import parse_datetime
from credentials.formats.detect import (
    MAX_INPUT_BYTES,
    Extracted,
    ExtractionError,
    extract,
    parse_json_object,
)
from credentials.formats.edc import is_edc, parse_edc
from credentials.formats.kinds import non_credential_kind
from credentials.formats.ob2 import is_ob2_assertion
from credentials.formats.ob3 import OB3_TYPES, contexts, is_vc, issuer_id, parse_ob3, types_of
from credentials.formats.record import CredentialRecord
from credentials.verification.answers import answers_from_checks
from credentials.verification.context import VerificationContext
from credentials.verification.dataintegrity import verify_proofs
from credentials.verification.fetcher import FetchError
from credentials.verification.jose import verify_jwt_proof
from credentials.verification.ob2 import verify_ob2
from credentials.verification.recipient import check_recipient
from credentials.verification.registry import check_registry
from credentials.verification.result import ENGINE_VERSION, CheckResult, VerificationReport
from credentials.verification.statuslist import check_status
from credentials.verification.verdict import status_from_checks
from credentials.vocabulary import CheckId, Container, CredentialFormat, Outcome, Status

logger = logging.getLogger(__name__)

# Clock skew allowed between the issuer's clock and ours (reference §3.11).
CLOCK_SKEW = timedelta(minutes=5)
OB3_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/"
URL_ACCEPT = (
    "application/ld+json, application/json, application/vc+ld+json, application/jwt, "
    "image/png, image/svg+xml, text/plain;q=0.5"
)
VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
# Validity fields by data model (key: is VC 1.1).
_START_KEYS = {True: ("issuanceDate", "validFrom"), False: ("validFrom",)}
_END_KEYS = {True: ("expirationDate", "validUntil"), False: ("validUntil",)}
_CHECK_ORDER = {check: index for index, check in enumerate(CheckId)}
# Structure problems that leave the proof, issuer, dates and status checkable: they are
# reported as a failed structure check (so never `verified`) and the other checks run anyway,
# so HR can tell a forged credential from a genuine one that merely names no recipient.
CHECKABLE_SCHEMA_PROBLEMS = frozenset(
    {"schema_recipient_missing", "schema_achievement_missing", "schema_ob3_context_missing"}
)


# --- public entry points ----------------------------------------------------------------


def verify_bytes(data: bytes, *, ctx: VerificationContext) -> VerificationReport:
    """Verify an uploaded file (baked PNG/SVG, JSON, JWT/JWS) given as bytes. Never raises."""
    try:
        try:
            extracted = extract(data)
        except ExtractionError as exc:
            return _malformed(exc.code, exc.params)
        return _dispatch(extracted, ctx=ctx)
    except Exception:
        logger.exception("verification crashed")
        return _crashed()


def verify_url(url: str, *, ctx: VerificationContext) -> VerificationReport:
    """Fetch ``url`` through ``ctx.fetcher`` and verify what it serves. Never raises."""
    try:
        return _verify_url(url, ctx=ctx)
    except Exception:
        logger.exception("verification crashed")
        return _crashed()


def verify_input(value: str, *, ctx: VerificationContext) -> VerificationReport:
    """A file path or an http(s) URL (the ``verify_credential`` command's INPUT)."""
    if value.lower().startswith(("https://", "http://")):
        return verify_url(value, ctx=ctx)
    try:
        path = Path(value)
        if not path.is_file():
            return _malformed("input_not_found", {"path": value[:300]})
        with path.open("rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        return _malformed("input_not_readable", {"path": value[:300], "reason": exc.strerror or ""})
    return verify_bytes(data, ctx=ctx)


# --- dispatch ---------------------------------------------------------------------------


def _verify_url(url: str, *, ctx: VerificationContext) -> VerificationReport:
    try:
        response = ctx.fetcher.get(url, accept=URL_ACCEPT)
    except FetchError as exc:
        result = CheckResult(
            CheckId.PARSE,
            Outcome.UNVERIFIABLE,
            "url_unreachable",
            {"url": url[:300], "reason": (exc.reason or exc.code)[:200]},
        )
        return _report([result], record=None, retryable=exc.retryable)
    if response.status == 410:
        # "Gone" is how an OB 2.0 hosted assertion says "revoked"; that module decides.
        return verify_ob2(url, container=Container.URL, ctx=ctx)
    if response.status >= 400:
        return _report(
            [
                CheckResult(
                    CheckId.PARSE,
                    Outcome.UNVERIFIABLE,
                    "url_http_error",
                    {"url": url[:300], "status": str(response.status)},
                )
            ],
            record=None,
        )
    try:
        extracted = extract(response.body)
    except ExtractionError as exc:
        return _malformed(exc.code, exc.params)
    if extracted.kind == "json" and _is_ob2(extracted.document):
        # A hosted assertion: the copy at its own URL is the truth, fetched by verify_ob2.
        return verify_ob2(url, container=Container.URL, ctx=ctx)
    if extracted.kind == "url":
        return verify_ob2(extracted.text, container=Container.URL, ctx=ctx)
    if extracted.container in (Container.JSON, Container.JWS):
        extracted = Extracted(Container.URL, extracted.kind, extracted.text, extracted.document)
    return _dispatch(extracted, ctx=ctx)


def _is_ob2(document: Any) -> bool:
    return bool(is_ob2_assertion(document))


def _dispatch(extracted: Extracted, *, ctx: VerificationContext) -> VerificationReport:
    container = extracted.container
    if extracted.kind == "url" and container == Container.URL:
        # The upload is nothing but a link: follow it once, then detect what it serves.
        return verify_url(extracted.text, ctx=ctx)
    if extracted.kind == "url":
        # Only OB 1.x/2.0 hosted badges are baked as a link (reference §1.2); a fetched
        # document that is itself a link is treated the same, so links never chain.
        return verify_ob2(extracted.text, container=container, ctx=ctx)
    if extracted.kind == "jws":
        return _dispatch_jws(extracted.text, container=container, ctx=ctx)
    document = extracted.document or {}
    return _dispatch_document(document, container=container, ctx=ctx)


def _dispatch_document(
    document: dict[str, Any], *, container: Container, ctx: VerificationContext
) -> VerificationReport:
    if kind := non_credential_kind(document):
        # A status list is signed and current and names nobody: checked as a credential it
        # would read "verified". Say what it is instead.
        return _malformed(f"not_learning_{kind}", {})
    if _is_ob2(document):
        return verify_ob2(document, container=container, ctx=ctx)
    if is_edc(document):
        return _verify_edc(document, container=container)
    if "VerifiablePresentation" in types_of(document.get("type")):
        inner = document.get("verifiableCredential")
        inner_list = inner if isinstance(inner, list) else [inner]
        if len(inner_list) == 1 and isinstance(inner_list[0], dict):
            # The presentation's own proof says who handed it over, not whether the
            # credential inside is genuine; HR needs the latter (reference §1.4).
            return _dispatch_document(inner_list[0], container=container, ctx=ctx)
        return _malformed("presentation_not_single", {})
    if is_vc(document):
        return _verify_vc(document, container=container, ctx=ctx)
    return _malformed("not_a_credential", {})


def _jws_payload(token: str) -> Any:
    segment = token.split(".")[1]
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        return parse_json_object(raw)
    except (ValueError, ExtractionError):
        return None


def _dispatch_jws(
    token: str, *, container: Container, ctx: VerificationContext
) -> VerificationReport:
    payload = _jws_payload(token)
    if payload is None:
        return _malformed("jws_payload_invalid", {})
    if kind := non_credential_kind(payload):
        return _malformed(f"not_learning_{kind}", {})
    if _is_ob2(payload):
        return verify_ob2(token, container=container, ctx=ctx)
    if isinstance(payload.get("vc"), dict) or is_vc(payload):
        return _verify_vc_jwt(token, container=container, ctx=ctx)
    return _malformed("not_a_credential", {})


# --- the VC / OB 3.0 pipeline -----------------------------------------------------------


@dataclass
class _Run:
    """The checks of one VC verification as they are made."""

    checks: list[CheckResult] = field(default_factory=list)
    retryable: bool = False

    def run(
        self, check: CheckId, function: Callable[[], CheckResult | tuple[CheckResult, bool]]
    ) -> CheckResult:
        """Run one check; a crash becomes "could not be checked" and the others go on."""
        try:
            outcome = function()
        except Exception as exc:
            logger.exception("check %s crashed", check)
            # Only network trouble may pass if retried soon; a bug fails the same way every
            # time (the re-check sweep still tries again hours later, perhaps on a fixed engine).
            retry = isinstance(exc, FetchError) and exc.retryable
            outcome = (CheckResult(check, Outcome.UNVERIFIABLE, "unexpected_error"), retry)
        result, retryable = outcome if isinstance(outcome, tuple) else (outcome, False)
        self.add(result, retryable=retryable)
        return result

    def add(self, result: CheckResult, *, retryable: bool = False) -> None:
        self.checks.append(result)
        if retryable and result.outcome == Outcome.UNVERIFIABLE:
            self.retryable = True

    def outcome(self, check: CheckId) -> Outcome | None:
        return next((c.outcome for c in self.checks if c.check == check), None)


def _verify_vc(
    document: dict[str, Any],
    *,
    container: Container,
    ctx: VerificationContext,
    credential_format: CredentialFormat | None = None,
    jwt_checks: tuple[CheckResult, ...] | None = None,
    jwt_retryable: bool = False,
) -> VerificationReport:
    run = _Run()
    record = _parse_record(document, container=container, credential_format=credential_format)
    run.add(
        CheckResult(
            CheckId.PARSE,
            Outcome.PASSED,
            "parsed",
            {"format": str(record.format.label) if record else ""},
        )
    )
    schema = run.run(CheckId.SCHEMA, lambda: _check_schema(document, is_jwt=jwt_checks is not None))
    the_issuer = issuer_id(document)
    if schema.outcome != Outcome.PASSED and schema.code not in CHECKABLE_SCHEMA_PROBLEMS:
        for check in (
            CheckId.PROOF,
            CheckId.ISSUER,
            CheckId.VALIDITY,
            CheckId.REVOCATION,
            CheckId.RECIPIENT,
        ):
            run.add(CheckResult(check, Outcome.NOT_APPLICABLE, "check_skipped_malformed"))
    else:
        if jwt_checks is not None:
            for check_id in (CheckId.PROOF, CheckId.ISSUER):
                found = [c for c in jwt_checks if c.check == check_id]
                run.add(
                    found[0]
                    if found
                    else CheckResult(check_id, Outcome.UNVERIFIABLE, "issuer_key_not_checked"),
                    retryable=jwt_retryable,
                )
        else:
            _run_proofs(run, document, issuer=the_issuer, ctx=ctx)
        run.run(CheckId.VALIDITY, lambda: check_validity(document, now=ctx.now))
        authenticated = (
            run.outcome(CheckId.PROOF) == Outcome.PASSED
            and run.outcome(CheckId.ISSUER) == Outcome.PASSED
        )
        if authenticated:
            run.run(CheckId.REVOCATION, lambda: _status(document, issuer=the_issuer, ctx=ctx))
        else:
            # Status URLs in an unauthenticated document are attacker-chosen; fetching
            # them proves nothing and a "revoked" from them would mean nothing (§8.2).
            run.add(
                CheckResult(
                    CheckId.REVOCATION, Outcome.NOT_APPLICABLE, "status_skipped_unauthenticated"
                )
            )
        run.run(CheckId.RECIPIENT, lambda: _recipient(record, ctx=ctx))
    run.run(CheckId.REGISTRY, lambda: check_registry(the_issuer, registry=ctx.issuer_registry))
    return _report(run.checks, record=record, retryable=run.retryable)


def _verify_vc_jwt(
    token: str, *, container: Container, ctx: VerificationContext
) -> VerificationReport:
    proof = verify_jwt_proof(token, ctx=ctx)
    if proof.credential is None:
        checks = list(proof.checks) or [
            CheckResult(CheckId.PARSE, Outcome.FAILED, "jws_payload_invalid")
        ]
        return _report(
            checks,
            record=None,
            retryable=proof.retryable,
            credential_format=CredentialFormat.VC_JWT,
        )
    return _verify_vc(
        proof.credential,
        container=container,
        ctx=ctx,
        credential_format=CredentialFormat.VC_JWT,
        jwt_checks=tuple(proof.checks),
        jwt_retryable=proof.retryable,
    )


def _parse_record(
    document: Mapping[str, Any], *, container: Container, credential_format: CredentialFormat | None
) -> CredentialRecord | None:
    try:
        return parse_ob3(document, container=container, credential_format=credential_format)
    except Exception:
        logger.exception("OB 3.0 record could not be built")
        return None


def _run_proofs(
    run: _Run, document: Mapping[str, Any], *, issuer: str, ctx: VerificationContext
) -> None:
    try:
        proofs = verify_proofs(document, issuer_id=issuer, fetcher=ctx.fetcher, now=ctx.now)
    except Exception:
        logger.exception("proof check crashed")
        run.add(CheckResult(CheckId.PROOF, Outcome.UNVERIFIABLE, "unexpected_error"))
        run.add(CheckResult(CheckId.ISSUER, Outcome.UNVERIFIABLE, "unexpected_error"))
        return
    run.add(proofs.proof, retryable=proofs.retryable)
    run.add(proofs.issuer, retryable=proofs.retryable)


def _status(
    document: Mapping[str, Any], *, issuer: str, ctx: VerificationContext
) -> tuple[CheckResult, bool]:
    found = check_status(document, issuer_id=issuer, fetcher=ctx.fetcher, now=ctx.now)
    return found.result, found.retryable


def _recipient(record: CredentialRecord | None, *, ctx: VerificationContext) -> CheckResult:
    if record is None:
        return CheckResult(CheckId.RECIPIENT, Outcome.NOT_APPLICABLE, "recipient_not_checked")
    return check_recipient(record.recipients, ctx.recipient_emails, subject_id=record.subject_id)


def _check_schema(document: Mapping[str, Any], *, is_jwt: bool) -> CheckResult:
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
    # checks can still run (CHECKABLE_SCHEMA_PROBLEMS).
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


def _verify_edc(document: dict[str, Any], *, container: Container) -> VerificationReport:
    try:
        record: CredentialRecord | None = parse_edc(document, container=container)
    except Exception:
        logger.exception("EDC record could not be built")
        record = None
    checks = [
        CheckResult(
            CheckId.PARSE, Outcome.PASSED, "parsed", {"format": str(CredentialFormat.EDC.label)}
        ),
        # EDCs are sealed with eIDAS signatures (JAdES), not Data Integrity or VC-JWT.
        CheckResult(CheckId.PROOF, Outcome.UNVERIFIABLE, "edc_seal_not_supported"),
    ]
    return _report(checks, record=record, credential_format=CredentialFormat.EDC)


# --- reports ----------------------------------------------------------------------------


def _report(
    checks: list[CheckResult] | tuple[CheckResult, ...],
    *,
    record: CredentialRecord | None,
    retryable: bool = False,
    credential_format: CredentialFormat | None = None,
) -> VerificationReport:
    ordered = tuple(sorted(checks, key=lambda c: _CHECK_ORDER[c.check]))
    status = status_from_checks(ordered)
    chosen_format = credential_format or (record.format if record else CredentialFormat.UNKNOWN)
    return VerificationReport(
        status=status,
        format=chosen_format,
        checks=ordered,
        credential=record,
        engine_version=ENGINE_VERSION,
        retryable=retryable and status == Status.UNVERIFIABLE,
    )


def _malformed(code: str, params: Mapping[str, str]) -> VerificationReport:
    return _report([CheckResult(CheckId.PARSE, Outcome.FAILED, code, dict(params))], record=None)


def _crashed() -> VerificationReport:
    # Not retryable: only network trouble (FetchError) is; a bug would loop in the queue.
    return _report(
        [CheckResult(CheckId.PARSE, Outcome.UNVERIFIABLE, "unexpected_error")], record=None
    )


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
