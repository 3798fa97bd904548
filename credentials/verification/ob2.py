"""Verify an Open Badges 2.0 assertion: hosted or signed (reference §2).

Hosted: the copy at the assertion's own URL is the truth, not the copy in the file
(anyone can edit a baked file); the presented copy must agree with it. Signed: RS256
only, with a key the issuer's Profile lists, and the Profile's revocation list.

Policies chosen here (the reference leaves them open):
- A hosted assertion answering 404 is ``failed``, not retried: the issuer's own address
  says the badge does not exist. 5xx, timeouts and DNS failures are ``unverifiable``
  and retried.
- A presented copy that differs from the hosted one in recipient, badge, issue or expiry
  date is ``failed``: the applicant presented an altered badge.
- An embedded BadgeClass or Profile inside an authenticated assertion is used as is;
  only IRIs are fetched.
- Legacy Open Badges (0.5, 1.0, 1.1) are ``unverifiable`` ("legacy Open Badges version").
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from credentials.formats.ob2 import (
    Ob2FormatError,
    node_id,
    ob2_version,
    parse_ob2,
    parse_ob2_datetime,
    recipient_identity,
    schema_problem,
    verification_type,
)
from credentials.formats.record import CredentialRecord
from credentials.verification.context import VerificationContext
from credentials.verification.fetcher import FetchRefused, IssuerUnreachable
from credentials.verification.jose import (
    MIN_RSA_BITS,
    JoseError,
    header_refusal,
    looks_like_compact_jws,
    signature_is_valid,
    split_compact_jws,
)
from credentials.verification.recipient import check_recipient
from credentials.verification.registry import check_registry
from credentials.verification.result import ENGINE_VERSION, CheckResult, VerificationReport
from credentials.verification.verdict import status_from_checks
from credentials.vocabulary import CheckId, Container, CredentialFormat, Outcome, Status

logger = logging.getLogger(__name__)

MAX_DOCUMENT_BYTES = 1_000_000
MAX_JSON_DEPTH = 64
MAX_JSON_NODES = 50_000
# Issuers' clocks differ a little from ours; an assertion "issued" a minute ahead is fine.
CLOCK_SKEW = timedelta(minutes=5)
# Responses worth retrying besides 5xx (which the fetcher raises as IssuerUnreachable).
_RETRYABLE_HTTP = frozenset({408, 425, 429})
_AUTHENTICITY = (CheckId.PROOF, CheckId.ISSUER)
_AFTER_AUTHENTICITY = (CheckId.VALIDITY, CheckId.REVOCATION, CheckId.RECIPIENT)
_ORDER = {check: index for index, check in enumerate(CheckId)}


class _Unavailable(Exception):
    """A document the verification needs could not be had; the check result says why."""

    def __init__(self, result: CheckResult, *, retryable: bool = False) -> None:
        super().__init__(result.code)
        self.result = result
        self.retryable = retryable


def load_json(data: bytes | str) -> Any:
    """JSON with a size cap, a depth cap and a node cap (reference §7.5); ``Ob2FormatError``."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise Ob2FormatError("the document is too large")
    try:
        value = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise Ob2FormatError("the document is not valid JSON") from exc
    stack: list[tuple[Any, int]] = [(value, 1)]
    nodes = 0
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if depth > MAX_JSON_DEPTH or nodes > MAX_JSON_NODES:
            raise Ob2FormatError("the document is nested too deeply or is too large")
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
    return value


def _authority(url: str) -> str:
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return ""


def _is_web_url(value: str) -> bool:
    return value.startswith(("https://", "http://"))


def _when(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class _Run:
    """One verification: collects check results, then makes the report."""

    def __init__(self, *, container: Container, ctx: VerificationContext) -> None:
        self.container = container
        self.ctx = ctx
        self.results: dict[CheckId, CheckResult] = {}
        self.retryable = False
        self.record: CredentialRecord | None = None
        self.format = CredentialFormat.OB2

    # --- recording -------------------------------------------------------------------
    def add(
        self,
        check: CheckId,
        outcome: Outcome,
        code: str,
        params: Mapping[str, str] | None = None,
        *,
        retryable: bool = False,
    ) -> None:
        """Record a result; the first result recorded for a check stands."""
        if check in self.results:
            return
        self.results[check] = CheckResult(check, outcome, code, dict(params or {}))
        if outcome == Outcome.UNVERIFIABLE and retryable:
            self.retryable = True

    def revoked(self, code: str, reason: Any) -> None:
        """Revoked, with the issuer's reason when it gave one (shown as the issuer wrote it)."""
        if isinstance(reason, str) and reason.strip():
            self.add(CheckId.REVOCATION, Outcome.FAILED, f"{code}_reason", {"reason": reason[:500]})
        else:
            self.add(CheckId.REVOCATION, Outcome.FAILED, code)

    def add_unavailable(self, problem: _Unavailable, check: CheckId) -> None:
        result = problem.result
        self.add(check, result.outcome, result.code, result.params, retryable=problem.retryable)

    def passed(self, check: CheckId) -> bool:
        result = self.results.get(check)
        return result is not None and result.outcome == Outcome.PASSED

    def report(self) -> VerificationReport:
        checks = tuple(sorted(self.results.values(), key=lambda c: _ORDER[c.check]))
        status = status_from_checks(checks)
        return VerificationReport(
            status=status,
            format=self.format,
            checks=checks,
            credential=self.record,
            engine_version=ENGINE_VERSION,
            retryable=self.retryable and status == Status.UNVERIFIABLE,
        )

    def malformed(self, reason: str, *, code: str = "ob2_unreadable") -> VerificationReport:
        self.add(CheckId.PARSE, Outcome.FAILED, code, {"reason": reason})
        return self.report()

    def legacy(self, version: str) -> VerificationReport:
        self.add(CheckId.PARSE, Outcome.UNVERIFIABLE, "ob2_legacy_version", {"version": version})
        return self.report()

    # --- fetching --------------------------------------------------------------------
    def fetch_document(self, url: str, *, check: CheckId) -> dict[str, Any]:
        """A JSON object the issuer publishes at ``url``; raises ``_Unavailable``."""
        response = self.fetch(url, check=check)
        if response.status != 200:
            raise _Unavailable(
                CheckResult(
                    check,
                    Outcome.UNVERIFIABLE,
                    "issuer_document_http_error",
                    {"url": url, "status": str(response.status)},
                ),
                retryable=response.status in _RETRYABLE_HTTP,
            )
        return self.json_object(response.body, url=url, check=check)

    def fetch(self, url: str, *, check: CheckId) -> Any:
        if not _is_web_url(url):
            raise _Unavailable(
                CheckResult(
                    check,
                    Outcome.UNVERIFIABLE,
                    "fetch_refused",
                    {"url": url, "reason": "not a web address"},
                )
            )
        try:
            return self.ctx.fetcher.get(url)
        except IssuerUnreachable as exc:
            raise _Unavailable(
                CheckResult(check, Outcome.UNVERIFIABLE, "issuer_unreachable", {"url": url}),
                retryable=True,
            ) from exc
        except FetchRefused as exc:
            raise _Unavailable(
                CheckResult(
                    check, Outcome.UNVERIFIABLE, "fetch_refused", {"url": url, "reason": exc.reason}
                )
            ) from exc

    @staticmethod
    def json_object(body: bytes, *, url: str, check: CheckId) -> dict[str, Any]:
        try:
            document = load_json(body)
        except Ob2FormatError as exc:
            raise _Unavailable(
                CheckResult(check, Outcome.UNVERIFIABLE, "issuer_document_unreadable", {"url": url})
            ) from exc
        if not isinstance(document, dict):
            raise _Unavailable(
                CheckResult(check, Outcome.UNVERIFIABLE, "issuer_document_unreadable", {"url": url})
            )
        return document

    def node(self, value: Any, *, check: CheckId) -> dict[str, Any]:
        """An embedded node as given, or the document its IRI names (whose id must match)."""
        if isinstance(value, dict):
            return value
        iri = value if isinstance(value, str) else ""
        document = self.fetch_document(iri, check=check)
        if node_id(document) != iri:
            raise _Unavailable(
                CheckResult(check, Outcome.UNVERIFIABLE, "issuer_document_unreadable", {"url": iri})
            )
        return document

    def badge_and_issuer(
        self, assertion: Mapping[str, Any]
    ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        try:
            badge = self.node(assertion.get("badge"), check=CheckId.ISSUER)
        except _Unavailable as problem:
            self.add_unavailable(problem, CheckId.ISSUER)
            return None, None
        try:
            issuer = self.node(badge.get("issuer"), check=CheckId.ISSUER)
        except _Unavailable as problem:
            self.add_unavailable(problem, CheckId.ISSUER)
            return badge, None
        return badge, issuer

    # --- the record --------------------------------------------------------------------
    def build_record(
        self,
        assertion: Mapping[str, Any],
        badge: Mapping[str, Any] | None,
        issuer: Mapping[str, Any] | None,
    ) -> None:
        try:
            self.record = parse_ob2(assertion, badge=badge, issuer=issuer, container=self.container)
        except Ob2FormatError:
            # Unreadable dates: the schema check reports them; keep the rest readable for HR.
            readable = {k: v for k, v in assertion.items() if k not in ("issuedOn", "expires")}
            self.record = parse_ob2(readable, badge=badge, issuer=issuer, container=self.container)

    def check_schema(
        self,
        assertion: Mapping[str, Any],
        badge: Mapping[str, Any] | None,
        issuer: Mapping[str, Any] | None,
    ) -> None:
        problem, field_name = schema_problem(assertion, badge, issuer)
        if field_name == "badge" and CheckId.ISSUER in self.results:
            problem = ""  # the BadgeClass could not be fetched; the issuer check says why
        if problem:
            code = f"ob2_schema_{problem}"
            self.add(CheckId.SCHEMA, Outcome.FAILED, code, {"field": field_name})
        else:
            self.add(CheckId.SCHEMA, Outcome.PASSED, "ob2_schema_ok")

    # --- after authenticity ------------------------------------------------------------
    def finish(
        self,
        assertion: Mapping[str, Any],
        issuer: Mapping[str, Any] | None,
        *,
        revocation: Callable[[], None],
    ) -> VerificationReport:
        """Dates, revocation, recipient and registry — only on authenticated data (§8.2)."""
        if all(self.passed(check) for check in _AUTHENTICITY) and self.passed(CheckId.SCHEMA):
            self.check_dates(assertion)
            revocation()
            identity = recipient_identity(assertion)
            self.results[CheckId.RECIPIENT] = check_recipient(
                (identity,) if identity else (), self.ctx.recipient_emails
            )
        for check in _AFTER_AUTHENTICITY:
            self.add(check, Outcome.NOT_APPLICABLE, "not_checked_unauthenticated")
        issuer_id = node_id(issuer) if issuer else (self.record.issuer_id if self.record else "")
        self.results.setdefault(
            CheckId.REGISTRY, check_registry(issuer_id, registry=self.ctx.issuer_registry)
        )
        return self.report()

    def check_dates(self, assertion: Mapping[str, Any]) -> None:
        issued = parse_ob2_datetime(assertion.get("issuedOn"))
        expires = parse_ob2_datetime(assertion.get("expires"))
        now = self.ctx.now
        if issued is not None and issued > now + CLOCK_SKEW:
            self.add(
                CheckId.VALIDITY, Outcome.FAILED, "ob2_issued_in_future", {"issued": _when(issued)}
            )
        elif expires is not None and expires <= now:
            self.add(CheckId.VALIDITY, Outcome.FAILED, "ob2_expired", {"expires": _when(expires)})
        elif expires is not None:
            params = {"issued": _when(issued) if issued else "?", "expires": _when(expires)}
            self.add(CheckId.VALIDITY, Outcome.PASSED, "ob2_valid_until", params)
        else:
            params = {"issued": _when(issued) if issued else "?"}
            self.add(CheckId.VALIDITY, Outcome.PASSED, "ob2_valid_dates", params)


# --- hosted ---------------------------------------------------------------------------


def _differing_field(presented: Mapping[str, Any], hosted: Mapping[str, Any]) -> str:
    """The first key field in which the presented copy differs from the hosted one."""
    if recipient_identity(presented) != recipient_identity(hosted):
        return "recipient"
    if node_id(presented.get("badge")) != node_id(hosted.get("badge")):
        return "badge"
    for key in ("issuedOn", "expires"):
        try:
            if parse_ob2_datetime(presented.get(key)) != parse_ob2_datetime(hosted.get(key)):
                return key
        except Ob2FormatError:
            return key
    return ""


def _scope_problem(assertion_id: str, issuer: Mapping[str, Any]) -> bool:
    """Is the hosted assertion's URL outside the issuer's VerificationObject scope (§2.2.7)?"""
    policy = issuer.get("verification")
    policy = policy if isinstance(policy, Mapping) else {}
    starts = [s for s in _as_list(policy.get("startsWith")) if isinstance(s, str)]
    origins = [o.lower() for o in _as_list(policy.get("allowedOrigins")) if isinstance(o, str)]
    if not starts and not origins:
        origins = [_authority(node_id(issuer))]
    if starts and not any(assertion_id.startswith(prefix) for prefix in starts):
        return True
    return bool(origins) and _authority(assertion_id) not in origins


def _verify_hosted(run: _Run, url: str, presented: Mapping[str, Any] | None) -> VerificationReport:
    if presented is not None:
        run.build_record(presented, None, None)  # provisional, replaced by the hosted copy
    if not _is_web_url(url):
        run.add(CheckId.PARSE, Outcome.PASSED, "ob2_parsed")
        run.add(CheckId.SCHEMA, Outcome.FAILED, "ob2_hosted_id_not_web", {"id": url[:200]})
        return run.report()
    try:
        # Check the assertion against the copy at its own id, not the copy in the file.
        response = run.fetch(url, check=CheckId.PROOF)
    except _Unavailable as problem:
        run.add(CheckId.PARSE, Outcome.PASSED, "ob2_parsed")
        run.add_unavailable(problem, CheckId.PROOF)
        return run.finish(presented or {}, None, revocation=lambda: None)
    if response.status == 410:
        return _hosted_gone(run, url, response.body, presented)
    if response.status == 404:
        run.add(CheckId.PARSE, Outcome.PASSED, "ob2_parsed")
        run.add(CheckId.PROOF, Outcome.FAILED, "ob2_hosted_not_found", {"url": url})
        return run.finish(presented or {}, None, revocation=lambda: None)
    try:
        if response.status != 200:
            raise _Unavailable(
                CheckResult(
                    CheckId.PROOF,
                    Outcome.UNVERIFIABLE,
                    "issuer_document_http_error",
                    {"url": url, "status": str(response.status)},
                ),
                retryable=response.status in _RETRYABLE_HTTP,
            )
        hosted = run.json_object(response.body, url=url, check=CheckId.PROOF)
    except _Unavailable as problem:
        run.add(CheckId.PARSE, Outcome.PASSED, "ob2_parsed")
        run.add_unavailable(problem, CheckId.PROOF)
        return run.finish(presented or {}, None, revocation=lambda: None)
    version = ob2_version(hosted)
    if version and version != "2.0":
        return run.legacy(version)
    if not version:
        run.add(CheckId.PARSE, Outcome.PASSED, "ob2_parsed")
        run.add(CheckId.PROOF, Outcome.UNVERIFIABLE, "issuer_document_unreadable", {"url": url})
        return run.finish(presented or {}, None, revocation=lambda: None)

    run.add(CheckId.PARSE, Outcome.PASSED, "ob2_parsed")
    badge, issuer = run.badge_and_issuer(hosted)
    run.build_record(hosted, badge, issuer)
    run.check_schema(hosted, badge, issuer)
    hosted_id = node_id(hosted)
    if hosted_id != url:
        run.add(
            CheckId.PROOF,
            Outcome.FAILED,
            "ob2_hosted_id_mismatch",
            {"url": url, "found": hosted_id},
        )
    elif verification_type(hosted) != "hosted":
        run.add(CheckId.PROOF, Outcome.FAILED, "ob2_hosted_wrong_verification", {"url": url})
    elif presented is not None and (field := _differing_field(presented, hosted)):
        run.add(CheckId.PROOF, Outcome.FAILED, "ob2_hosted_copy_differs", {"field": field})
    else:
        run.add(CheckId.PROOF, Outcome.PASSED, "ob2_hosted_ok", {"url": url})
    if issuer is not None:
        issuer_id = node_id(issuer)
        if not _is_web_url(issuer_id):
            run.add(CheckId.ISSUER, Outcome.FAILED, "ob2_issuer_not_web", {"issuer": issuer_id})
        elif _scope_problem(url, issuer):
            run.add(
                CheckId.ISSUER,
                Outcome.FAILED,
                "ob2_out_of_scope",
                {"url": url, "issuer": issuer_id},
            )
        else:
            run.add(CheckId.ISSUER, Outcome.PASSED, "ob2_issuer_ok", {"issuer": issuer_id})

    def revocation() -> None:
        if hosted.get("revoked") is True:
            run.revoked("ob2_revoked_flag", hosted.get("revocationReason"))
        else:
            run.add(CheckId.REVOCATION, Outcome.PASSED, "ob2_not_revoked_hosted")

    return run.finish(hosted, issuer, revocation=revocation)


def _hosted_gone(
    run: _Run, url: str, body: bytes, presented: Mapping[str, Any] | None
) -> VerificationReport:
    """410 Gone: the issuer withdrew the assertion (its body may say why)."""
    reason: Any = None
    try:
        gone = load_json(body)
    except Ob2FormatError:
        gone = None
    if isinstance(gone, dict):
        reason = gone.get("revocationReason")
        if presented is None and ob2_version(gone) == "2.0":
            run.build_record(gone, None, None)
    run.add(CheckId.PARSE, Outcome.PASSED, "ob2_parsed")
    run.revoked("ob2_revoked_gone", reason)
    # The issuer's own server answered for this assertion: that answer is authentic.
    run.add(CheckId.PROOF, Outcome.PASSED, "ob2_hosted_gone", {"url": url})
    run.add(CheckId.ISSUER, Outcome.NOT_APPLICABLE, "ob2_hosted_gone", {"url": url})
    return run.finish(presented or {}, None, revocation=lambda: None)


# --- signed ---------------------------------------------------------------------------


class _WeakKey(JoseError):
    def __init__(self, bits: int) -> None:
        super().__init__(f"RSA key of {bits} bits")
        self.bits = bits


def _load_rsa_key(document: Mapping[str, Any], key_id: str) -> rsa.RSAPublicKey:
    pem = document.get("publicKeyPem")
    if not isinstance(pem, str):
        raise JoseError("it has no publicKeyPem")
    try:
        key = load_pem_public_key(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError, TypeError) as exc:
        raise JoseError("its PEM cannot be read") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise JoseError("it is not an RSA key")
    if key.key_size < MIN_RSA_BITS:
        raise _WeakKey(key.key_size)
    return key


def _verify_signed(run: _Run, token: str) -> VerificationReport:
    try:
        header, assertion, signing_input, signature = split_compact_jws(token)
    except JoseError as exc:
        return run.malformed(exc.reason)
    if not isinstance(assertion, dict) or not ob2_version(assertion):
        run.format = CredentialFormat.UNKNOWN
        return run.malformed("the signed payload is not an Open Badges assertion")
    version = ob2_version(assertion)
    if version != "2.0":
        return run.legacy(version)
    run.add(CheckId.PARSE, Outcome.PASSED, "ob2_parsed")
    run.build_record(assertion, None, None)

    alg = header.get("alg")
    if alg != "RS256":
        # Pinned: `none`, HS256 keyed with the public key, or any other swap is a forgery route.
        run.add(CheckId.PROOF, Outcome.FAILED, "ob2_alg_not_allowed", {"alg": str(alg)[:20]})
        return run.finish(assertion, None, revocation=lambda: None)
    refusal = header_refusal(header)
    if refusal:
        run.add(CheckId.PROOF, Outcome.FAILED, "jwt_header_refused", {"header": refusal})
        return run.finish(assertion, None, revocation=lambda: None)

    badge, issuer = run.badge_and_issuer(assertion)
    run.build_record(assertion, badge, issuer)
    run.check_schema(assertion, badge, issuer)
    if verification_type(assertion) != "signed":
        run.add(CheckId.PROOF, Outcome.FAILED, "ob2_signed_wrong_verification")
    if issuer is None:
        run.add(CheckId.PROOF, Outcome.NOT_APPLICABLE, "jwt_issuer_not_checked")
        return run.finish(assertion, None, revocation=lambda: None)
    _check_signed_key(run, assertion, issuer, signing_input, signature)

    def revocation() -> None:
        _check_revocation_list(run, assertion, issuer)

    return run.finish(assertion, issuer, revocation=revocation)


def _check_signed_key(
    run: _Run,
    assertion: Mapping[str, Any],
    issuer: Mapping[str, Any],
    signing_input: bytes,
    signature: bytes,
) -> None:
    issuer_id = node_id(issuer)
    listed = {node_id(k): k for k in _as_list(issuer.get("publicKey")) if node_id(k)}
    verification = assertion.get("verification")
    creator = node_id(verification.get("creator")) if isinstance(verification, Mapping) else ""
    candidates = [creator] if creator else list(listed)
    if not candidates:
        run.add(CheckId.PROOF, Outcome.FAILED, "ob2_no_key", {"issuer": issuer_id})
        return
    if creator and creator not in listed:
        # Still check the signature below, so HR sees "genuine signature, wrong signer".
        run.add(
            CheckId.ISSUER,
            Outcome.FAILED,
            "ob2_key_not_listed",
            {"key": creator, "issuer": issuer_id},
        )
    for key_id in candidates:
        try:
            document = run.node(listed.get(key_id, key_id), check=CheckId.PROOF)
        except _Unavailable as problem:
            run.add_unavailable(problem, CheckId.PROOF)
            return
        owner = node_id(document.get("owner"))
        if owner and owner != issuer_id:
            run.add(
                CheckId.ISSUER,
                Outcome.FAILED,
                "ob2_key_owner_mismatch",
                {"key": key_id, "owner": owner, "issuer": issuer_id},
            )
        try:
            key = _load_rsa_key(document, key_id)
        except JoseError as exc:
            params = {"key": key_id, "reason": exc.reason}
            if isinstance(exc, _WeakKey):
                params["bits"] = str(exc.bits)
            code = "ob2_key_too_weak" if isinstance(exc, _WeakKey) else "ob2_key_unusable"
            run.add(CheckId.PROOF, Outcome.FAILED, code, params)
            return
        if signature_is_valid(key, "RS256", signing_input, signature):
            run.add(CheckId.PROOF, Outcome.PASSED, "ob2_signature_valid", {"key": key_id})
            run.add(CheckId.ISSUER, Outcome.PASSED, "ob2_issuer_ok", {"issuer": issuer_id})
            return
    run.add(CheckId.PROOF, Outcome.FAILED, "ob2_signature_invalid")


def _check_revocation_list(
    run: _Run, assertion: Mapping[str, Any], issuer: Mapping[str, Any]
) -> None:
    reference = issuer.get("revocationList")
    if reference is None:
        run.add(CheckId.REVOCATION, Outcome.NOT_APPLICABLE, "ob2_no_revocation_list")
        return
    url = node_id(reference)
    try:
        revocations = run.node(reference, check=CheckId.REVOCATION)
    except _Unavailable as problem:
        run.add_unavailable(problem, CheckId.REVOCATION)
        return
    entries = revocations.get("revokedAssertions")
    if not isinstance(entries, list):
        run.add(
            CheckId.REVOCATION, Outcome.UNVERIFIABLE, "ob2_revocation_list_unreadable", {"url": url}
        )
        return
    assertion_id = node_id(assertion)
    uid = assertion.get("uid")
    for entry in entries:
        if entry == assertion_id:
            run.revoked("ob2_revoked_listed", None)
            return
        if isinstance(entry, Mapping) and (
            entry.get("id") == assertion_id or (uid is not None and entry.get("uid") == uid)
        ):
            run.revoked("ob2_revoked_listed", entry.get("revocationReason"))
            return
    run.add(CheckId.REVOCATION, Outcome.PASSED, "ob2_not_revoked_list")


# --- entry point ----------------------------------------------------------------------


def verify_ob2(
    payload: dict[str, Any] | str, *, container: Container, ctx: VerificationContext
) -> VerificationReport:
    """Verify an OB 2.0 assertion given as a dict (baked or uploaded JSON), a compact JWS
    (signed badge) or the URL of a hosted assertion. Never raises."""
    run = _Run(container=container, ctx=ctx)
    try:
        return _verify(run, payload)
    except Exception:  # a bug must not lose the upload; report "could not be checked"
        logger.exception("OB 2.0 verification failed unexpectedly")
        failed = _Run(container=container, ctx=ctx)
        failed.record = run.record
        failed.add(CheckId.PARSE, Outcome.UNVERIFIABLE, "unexpected_error")
        return failed.report()


def _verify(run: _Run, payload: dict[str, Any] | str) -> VerificationReport:
    if isinstance(payload, str):
        text = payload.strip()
        if text.startswith("{"):
            try:
                payload = load_json(text)
            except Ob2FormatError as exc:
                return run.malformed(exc.reason)
        elif _is_web_url(text):
            return _verify_hosted(run, text, None)
        elif looks_like_compact_jws(text):
            return _verify_signed(run, text)
        else:
            run.format = CredentialFormat.UNKNOWN
            return run.malformed("it is neither JSON, a signed badge nor a web address")
    if not isinstance(payload, dict):
        run.format = CredentialFormat.UNKNOWN
        return run.malformed("the document is not a JSON object")
    version = ob2_version(payload)
    if not version:
        run.format = CredentialFormat.UNKNOWN
        return run.malformed("the document is not an Open Badges assertion")
    if version != "2.0":
        return run.legacy(version)
    kind = verification_type(payload)
    if kind == "hosted":
        return _verify_hosted(run, node_id(payload), payload)
    run.build_record(payload, None, None)
    if kind == "signed":
        return run.malformed("signed badge without its signature", code="ob2_unsigned")
    run.add(CheckId.PARSE, Outcome.PASSED, "ob2_parsed")
    run.check_schema(
        payload, payload.get("badge") if isinstance(payload.get("badge"), dict) else None, None
    )
    return run.report()
