"""The standard verifier (VC-API / W3C VCALM ``/credentials/verify`` and
``/presentations/verify``) as plain functions: request body in, VC-API result out.

The same engine, trusted-issuer registry and SSRF-safe fetcher as uploads verify a
credential here; the result says what the engine found, in VC-API's shape:
``verified``, the ``checks`` that passed, ``warnings`` and ``errors`` as RFC 9457 problem
details (``type``, ``title``, ``detail``, plus the portal's ``code`` and ``check``).

``verified`` is exactly the engine's ``verified`` status: intact, signed by a key the
issuer controls, within its validity period and not revoked. A valid signature by a key
that is not the issuer's is not verified (the portal never vouches for a stranger's key).

Nothing here raises for bad input: every malformed body gets a result with errors.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from django.utils import translation
from django.utils.translation import gettext

from credentials.formats.ob3 import types_of
from credentials.verification import engine
from credentials.verification.answers import answers_from_checks
from credentials.verification.context import VerificationContext
from credentials.verification.dataintegrity import verify_proofs
from credentials.verification.messages import render_message
from credentials.verification.result import CheckResult, VerificationReport
from credentials.vocabulary import CheckId, Outcome, Status

SECURITY = "https://w3id.org/security#"
VCDM = "https://www.w3.org/TR/vc-data-model#"
STATUS_LIST = "https://www.w3.org/ns/credentials/status-list#"
VC_CONTEXTS = ("https://www.w3.org/2018/credentials/v1", "https://www.w3.org/ns/credentials/v2")
# The answer must come within 10 s; key and status fetches share what is left of it.
TIME_BUDGET_SECONDS = 9.0
MAX_CREDENTIALS_PER_PRESENTATION = 20
_JWT = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_ENVELOPE_PREFIXES = ("data:application/vc+jwt,", "data:application/vc+sd-jwt,")
# One pool per process: a verification that outlives its budget finishes here, bounded
# by the fetcher's own timeouts, while the client already has its answer.
_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="vcapi")


@dataclass
class VcApiResult:
    verified: bool
    checks: list[str] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    # For a presentation: one result per credential inside it, in order.
    credential_results: list[VcApiResult] | None = None
    # The four answers (DESIGN.md) for a credential the engine read.
    answers: dict[str, str | None] | None = None

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "verified": self.verified,
            "checks": self.checks,
            "warnings": self.warnings,
            "errors": self.errors,
        }
        if self.answers is not None:
            body["answers"] = self.answers
        if self.credential_results is not None:
            body["credentialResults"] = [r.as_json() for r in self.credential_results]
        return body


def problem(
    type_: str, code: str, detail: str, *, check: str = "", title: str = ""
) -> dict[str, Any]:
    """An RFC 9457 problem detail, with the portal's code (and check) as extensions."""
    body: dict[str, Any] = {"type": type_, "title": title or code, "detail": detail, "code": code}
    if check:
        body["check"] = check
    return body


def request_error(code: str, detail: str, *, type_: str = VCDM + "PARSING_ERROR") -> VcApiResult:
    return VcApiResult(verified=False, errors=[problem(type_, code, detail)])


# --- entry points ---------------------------------------------------------------------


def verify_credential_request(body: Any, *, ctx: VerificationContext) -> VcApiResult:
    """``POST /credentials/verify``: ``{"verifiableCredential": …, "options": {…}}``."""
    if not isinstance(body, dict):
        return request_error("body_not_object", gettext("The request body must be a JSON object."))
    options_problem = _options_problem(body.get("options"))
    if options_problem:
        return options_problem
    if "verifiableCredential" not in body:
        return request_error(
            "credential_missing",
            gettext("The request has no verifiableCredential to verify."),
        )
    return _within_budget(lambda: _verify_credential_value(body["verifiableCredential"], ctx=ctx))


def verify_presentation_request(body: Any, *, ctx: VerificationContext) -> VcApiResult:
    """``POST /presentations/verify``: ``{"verifiablePresentation": …, "options":
    {"domain": …, "challenge": …}}``."""
    if not isinstance(body, dict):
        return request_error("body_not_object", gettext("The request body must be a JSON object."))
    options = body.get("options")
    options_problem = _options_problem(options)
    if options_problem:
        return options_problem
    presentation = body.get("verifiablePresentation")
    if not isinstance(presentation, dict):
        return request_error(
            "presentation_missing",
            gettext("The request has no verifiablePresentation object to verify."),
        )
    requirements = requirements_from_options(options or {})
    return _within_budget(
        lambda: verify_presentation(presentation, requirements=requirements, ctx=ctx)
    )


def _within_budget(work: Callable[[], VcApiResult]) -> VcApiResult:
    language = translation.get_language()

    def in_request_language() -> VcApiResult:
        # The active language is per thread: the pool's thread takes the request's.
        with translation.override(language):
            return work()

    future = _POOL.submit(in_request_language)
    try:
        return future.result(timeout=TIME_BUDGET_SECONDS)
    except FutureTimeout:
        return request_error(
            "verification_timeout",
            gettext(
                "The verification took too long (the issuer's website did not answer in "
                "time). Try again later."
            ),
            type_=SECURITY + "PROOF_VERIFICATION_ERROR",
        )


def _options_problem(options: Any) -> VcApiResult | None:
    """Unknown options are ignored; known ones must have their documented types."""
    if options is None:
        return None
    if not isinstance(options, dict):
        return request_error(
            "options_invalid",
            gettext("options must be a JSON object."),
            type_=VCDM + "MALFORMED_VALUE_ERROR",
        )
    challenge = options.get("challenge")
    domain = options.get("domain")
    domain_ok = (
        domain is None
        or isinstance(domain, str)
        or (isinstance(domain, list) and all(isinstance(d, str) for d in domain))
    )
    if (challenge is not None and not isinstance(challenge, str)) or not domain_ok:
        return request_error(
            "options_invalid",
            gettext(
                "options.challenge must be a string and options.domain a string or list of strings."
            ),
            type_=VCDM + "MALFORMED_VALUE_ERROR",
        )
    return None


@dataclass(frozen=True, slots=True)
class ProofRequirements:
    """What every proof of a presentation must carry ("Verify Proof" domain, challenge)."""

    domain: frozenset[str] | None = None
    challenge: str | None = None


def requirements_from_options(options: Mapping[str, Any]) -> ProofRequirements:
    domain = options.get("domain")
    return ProofRequirements(
        domain=None
        if domain is None
        else frozenset([domain] if isinstance(domain, str) else domain),
        challenge=options.get("challenge"),
    )


def _option_problems(
    presentation: Mapping[str, Any], wanted: ProofRequirements
) -> list[dict[str, Any]]:
    """Data Integrity "Verify Proof": each proof's domain and challenge as asked for."""
    raw = presentation.get("proof")
    proofs = [p for p in (raw if isinstance(raw, list) else [raw]) if isinstance(p, dict)]
    problems = []
    for proof in proofs:
        domain = proof.get("domain")
        given = {domain} if isinstance(domain, str) else set(domain or ())
        if wanted.domain is not None and given != wanted.domain:
            problems.append(
                problem(
                    SECURITY + "INVALID_DOMAIN_ERROR",
                    "proof_domain_mismatch",
                    gettext(
                        "The presentation was made for a different website or service (its "
                        "domain does not match the one asked for)."
                    ),
                    check="proof",
                )
            )
        if wanted.challenge is not None and proof.get("challenge") != wanted.challenge:
            problems.append(
                problem(
                    SECURITY + "INVALID_CHALLENGE_ERROR",
                    "proof_challenge_mismatch",
                    gettext(
                        "The presentation does not answer the challenge it was asked for: it "
                        "may be a copy of an older presentation."
                    ),
                    check="proof",
                )
            )
    return problems


def _signer_of(presentation: Mapping[str, Any]) -> str:
    """The DID of the key that signed a presentation naming no holder."""
    raw = presentation.get("proof")
    proof = raw[0] if isinstance(raw, list) and raw else raw
    method = proof.get("verificationMethod") if isinstance(proof, dict) else None
    if isinstance(method, dict):
        method = method.get("id")
    return method.split("#", 1)[0] if isinstance(method, str) else ""


# --- credentials ----------------------------------------------------------------------


def _verify_credential_value(value: Any, *, ctx: VerificationContext) -> VcApiResult:
    """A credential object, an enveloped one (``data:application/vc+jwt,…``), or a VC-JWT."""
    if isinstance(value, str):
        if _JWT.fullmatch(value.strip()):
            return result_from_report(engine.verify_bytes(value.strip().encode(), ctx=ctx))
        # Data Integrity "Verify Proof" step 2: a secured document that is not a map.
        return request_error(
            "credential_not_object",
            gettext(
                "verifiableCredential must be a credential object (or a VC-JWT), not a string "
                "holding JSON."
            ),
        )
    if not isinstance(value, dict):
        return request_error(
            "credential_not_object", gettext("verifiableCredential must be a credential object.")
        )
    if "EnvelopedVerifiableCredential" in types_of(value.get("type")):
        token = _envelope_token(value.get("id"))
        if token is None:
            return request_error(
                "envelope_unsupported",
                gettext("The enveloped credential is not a VC-JWT data: URL the portal can read."),
            )
        return result_from_report(engine.verify_bytes(token.encode(), ctx=ctx))
    if "VerifiableCredential" not in types_of(value.get("type")):
        return request_error(
            "not_a_credential",
            gettext(
                "verifiableCredential is not a credential: its type lacks VerifiableCredential."
            ),
            type_=VCDM + "MALFORMED_VALUE_ERROR",
        )
    data = json.dumps(value, ensure_ascii=False).encode("utf-8")
    return result_from_report(engine.verify_bytes(data, ctx=ctx))


def _envelope_token(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    for prefix in _ENVELOPE_PREFIXES:
        if value.startswith(prefix):
            token = unquote(value[len(prefix) :]).strip()
            return token if _JWT.fullmatch(token) else None
    return None


# --- presentations --------------------------------------------------------------------


def holder_of(presentation: Mapping[str, Any]) -> str:
    holder = presentation.get("holder")
    if isinstance(holder, dict):
        holder = holder.get("id")
    return holder if isinstance(holder, str) else ""


def verify_presentation(
    presentation: Mapping[str, Any],
    *,
    requirements: ProofRequirements,
    ctx: VerificationContext,
) -> VcApiResult:
    """The presentation's own proof (authentication, domain, challenge, the holder's key)
    and every credential inside it; verified only when all of them are."""
    structure = _presentation_structure_problem(presentation)
    if structure:
        return structure
    proofs = verify_proofs(
        presentation,
        issuer_id=holder_of(presentation) or _signer_of(presentation),
        ctx=ctx,
        purpose="authentication",
    )
    result = VcApiResult(verified=True)
    option_problems = _option_problems(presentation, requirements)
    if option_problems:
        result.verified = False
        result.errors.extend(option_problems)
    issuer = proofs.issuer or CheckResult(
        CheckId.ISSUER, Outcome.UNVERIFIABLE, "issuer_key_not_checked"
    )
    for check in (proofs.proof, issuer):
        _add_check(result, check, name={CheckId.PROOF: "proof", CheckId.ISSUER: "holder"})
    inner = presentation.get("verifiableCredential")
    credentials = [] if inner is None else inner if isinstance(inner, list) else [inner]
    result.credential_results = [_verify_credential_value(c, ctx=ctx) for c in credentials]
    failing = [i for i, r in enumerate(result.credential_results) if not r.verified]
    if failing:
        result.verified = False
        for index in failing:
            result.errors.append(
                problem(
                    SECURITY + "PROOF_VERIFICATION_ERROR",
                    "presentation_credential_not_verified",
                    gettext("Credential %(index)s in the presentation is not verified.")
                    % {"index": index + 1},
                    check="credentials",
                )
            )
    elif credentials:
        result.checks.append("credentials")
    return result


def _presentation_structure_problem(presentation: Mapping[str, Any]) -> VcApiResult | None:
    context = presentation.get("@context")
    first = context[0] if isinstance(context, list) and context else context
    if first not in VC_CONTEXTS:
        return request_error(
            "presentation_context_invalid",
            gettext("The presentation's first @context must be the W3C credentials context."),
            type_=VCDM + "MALFORMED_VALUE_ERROR",
        )
    if "VerifiablePresentation" not in types_of(presentation.get("type")):
        return request_error(
            "presentation_type_invalid",
            gettext("The presentation's type must include VerifiablePresentation."),
            type_=VCDM + "MALFORMED_VALUE_ERROR",
        )
    holder = presentation.get("holder")
    if holder is not None and not holder_of(presentation):
        return request_error(
            "presentation_holder_invalid",
            gettext("The presentation's holder must be a URL or an object with an id."),
            type_=VCDM + "MALFORMED_VALUE_ERROR",
        )
    inner = presentation.get("verifiableCredential")
    items = [] if inner is None else inner if isinstance(inner, list) else [inner]
    if not all(isinstance(item, dict) for item in items):
        return request_error(
            "presentation_credential_not_object",
            gettext("Every verifiableCredential in a presentation must be a credential object."),
            type_=VCDM + "MALFORMED_VALUE_ERROR",
        )
    if len(items) > MAX_CREDENTIALS_PER_PRESENTATION:
        return request_error(
            "presentation_too_many",
            gettext("The presentation holds more than %(limit)s credentials.")
            % {"limit": MAX_CREDENTIALS_PER_PRESENTATION},
        )
    if "proof" not in presentation:
        return request_error(
            "presentation_unsigned",
            gettext("The presentation is not signed, so it does not show who presented it."),
            type_=SECURITY + "PROOF_VERIFICATION_ERROR",
        )
    return None


# --- from the engine's report to VC-API -----------------------------------------------

# Problem type by the check that did not pass; codes with a type of their own win.
_TYPE_BY_CHECK = {
    CheckId.PARSE: VCDM + "PARSING_ERROR",
    CheckId.SCHEMA: VCDM + "MALFORMED_VALUE_ERROR",
    CheckId.PROOF: SECURITY + "PROOF_VERIFICATION_ERROR",
    CheckId.ISSUER: SECURITY + "PROOF_VERIFICATION_ERROR",
    CheckId.VALIDITY: VCDM + "RANGE_ERROR",
    CheckId.REVOCATION: STATUS_LIST + "STATUS_VERIFICATION_ERROR",
    CheckId.RECIPIENT: VCDM + "MALFORMED_VALUE_ERROR",
}
_TYPE_BY_CODE = {
    "undefined_terms": SECURITY + "DATA_LOSS_DETECTION_ERROR",
    "proof_domain_mismatch": SECURITY + "INVALID_DOMAIN_ERROR",
    "proof_challenge_mismatch": SECURITY + "INVALID_CHALLENGE_ERROR",
    "proof_malformed": SECURITY + "PROOF_VERIFICATION_ERROR",
}
# Checks whose NOT_APPLICABLE is worth a warning (the result claims less than it may seem).
_WARN_CODES = frozenset({"registry_not_listed", "registry_none"})


def result_from_report(report: VerificationReport) -> VcApiResult:
    result = VcApiResult(
        verified=report.status == Status.VERIFIED,
        answers=answers_from_checks(report.checks, report.credential).as_json(),
    )
    for check in report.checks:
        _add_check(result, check)
    if not result.verified and not result.errors:
        # Not verified without a failing check cannot happen; say so rather than lie.
        result.errors.append(
            problem(SECURITY + "PROOF_VERIFICATION_ERROR", str(report.status), str(report.status))
        )
    return result


def _add_check(
    result: VcApiResult, check: CheckResult, *, name: Mapping[CheckId, str] | None = None
) -> None:
    label = (name or {}).get(check.check, str(check.check))
    if check.outcome == Outcome.PASSED:
        result.checks.append(label)
        if check.code == "signatures_valid_some_unchecked":
            result.warnings.append(_problem_for(check, label))
        return
    if check.outcome == Outcome.NOT_APPLICABLE:
        if check.code in _WARN_CODES:
            result.warnings.append(_problem_for(check, label))
        return
    result.verified = False
    result.errors.append(_problem_for(check, label))


def _problem_for(check: CheckResult, label: str) -> dict[str, Any]:
    type_ = _TYPE_BY_CODE.get(check.code) or _TYPE_BY_CHECK.get(check.check, "about:blank")
    title = f"{check.check.label}: {Outcome(check.outcome).label}"
    return problem(
        type_, check.code, render_message(check.code, check.params), check=label, title=title
    )
