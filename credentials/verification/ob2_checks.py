"""The checks of one Open Badges 2.0 assertion, hosted or signed, as the run calls them.

Fetching the BadgeClass and issuer Profile comes first (the structure check needs them);
a document that cannot be had is recorded against the check that needed it. Policies
chosen here (the reference leaves them open):

- An embedded BadgeClass or Profile inside an authenticated assertion is used as is;
  only IRIs are fetched.
- Responses worth retrying: 5xx, timeouts, DNS failures (``IssuerUnreachable``) and
  408/425/429.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from credentials.formats.ob2 import (
    Ob2FormatError,
    node_id,
    parse_ob2,
    parse_ob2_datetime,
    recipient_identity,
    schema_problem,
)
from credentials.verification.context import VerificationContext
from credentials.verification.fetcher import FetchRefused, FetchResponse, IssuerUnreachable
from credentials.verification.recipient import check_recipient
from credentials.verification.result import CheckResult
from credentials.verification.run import Run
from credentials.vocabulary import CheckId, Container, Outcome

MAX_DOCUMENT_BYTES = 1_000_000
MAX_JSON_DEPTH = 64
MAX_JSON_NODES = 50_000
# Issuers' clocks differ a little from ours; an assertion "issued" a minute ahead is fine.
CLOCK_SKEW = timedelta(minutes=5)
# Responses worth retrying besides 5xx (which the fetcher raises as IssuerUnreachable).
_RETRYABLE_HTTP = frozenset({408, 425, 429})


class Unavailable(Exception):
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


def is_web_url(value: str) -> bool:
    return value.startswith(("https://", "http://"))


def when(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC")


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def unavailable_http(url: str, response: FetchResponse, *, check: CheckId) -> Unavailable:
    return Unavailable(
        CheckResult(
            check,
            Outcome.UNVERIFIABLE,
            "issuer_document_http_error",
            {"url": url, "status": str(response.status)},
        ),
        retryable=response.status in _RETRYABLE_HTTP,
    )


class Ob2Checks:
    """One assertion's checks. ``assertion`` is the authoritative copy (the hosted one, or
    the signed payload); ``badge`` and ``issuer`` are set by ``fetch_badge_and_issuer``.
    ``schema_checked`` is False when the run stopped before the structure could be judged
    (the hosted copy could not be had, the signature algorithm was refused)."""

    def __init__(self, run: Run, *, ctx: VerificationContext, container: Container) -> None:
        self.run = run
        self.ctx = ctx
        self.container = container
        self.assertion: Mapping[str, Any] = {}
        self.badge: dict[str, Any] | None = None
        self.issuer: dict[str, Any] | None = None
        self.schema_checked = True
        self.prove: Callable[[], None] = lambda: None
        self.revoke: Callable[[], None] = lambda: None

    # --- recording ---------------------------------------------------------------------
    def add(
        self,
        check: CheckId,
        outcome: Outcome,
        code: str,
        params: Mapping[str, str] | None = None,
        *,
        retryable: bool = False,
    ) -> None:
        self.run.add(CheckResult(check, outcome, code, dict(params or {})), retryable=retryable)

    def add_unavailable(self, problem: Unavailable, check: CheckId) -> None:
        result = problem.result
        self.add(check, result.outcome, result.code, result.params, retryable=problem.retryable)

    def unreadable(self, reason: str, *, code: str = "ob2_unreadable") -> None:
        """The input is not an assertion the portal can read: PARSE failed."""
        self.add(CheckId.PARSE, Outcome.FAILED, code, {"reason": reason})

    def legacy(self, version: str) -> None:
        self.add(CheckId.PARSE, Outcome.UNVERIFIABLE, "ob2_legacy_version", {"version": version})

    def revoked(self, code: str, reason: Any) -> None:
        """Revoked, with the issuer's reason when it gave one (shown as the issuer wrote it)."""
        if isinstance(reason, str) and reason.strip():
            self.add(CheckId.REVOCATION, Outcome.FAILED, f"{code}_reason", {"reason": reason[:500]})
        else:
            self.add(CheckId.REVOCATION, Outcome.FAILED, code)

    # --- fetching ----------------------------------------------------------------------
    def fetch(self, url: str, *, check: CheckId) -> FetchResponse:
        if not is_web_url(url):
            raise Unavailable(
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
            raise Unavailable(
                CheckResult(check, Outcome.UNVERIFIABLE, "issuer_unreachable", {"url": url}),
                retryable=True,
            ) from exc
        except FetchRefused as exc:
            raise Unavailable(
                CheckResult(
                    check, Outcome.UNVERIFIABLE, "fetch_refused", {"url": url, "reason": exc.reason}
                )
            ) from exc

    def fetch_document(self, url: str, *, check: CheckId) -> dict[str, Any]:
        """A JSON object the issuer publishes at ``url``; raises ``Unavailable``."""
        response = self.fetch(url, check=check)
        if response.status != 200:
            raise unavailable_http(url, response, check=check)
        return json_object(response.body, url=url, check=check)

    def node(self, value: Any, *, check: CheckId) -> dict[str, Any]:
        """An embedded node as given, or the document its IRI names (whose id must match)."""
        if isinstance(value, dict):
            return value
        iri = value if isinstance(value, str) else ""
        document = self.fetch_document(iri, check=check)
        if node_id(document) != iri:
            raise Unavailable(
                CheckResult(check, Outcome.UNVERIFIABLE, "issuer_document_unreadable", {"url": iri})
            )
        return document

    def fetch_badge_and_issuer(self) -> None:
        try:
            self.badge = self.node(self.assertion.get("badge"), check=CheckId.ISSUER)
            self.issuer = self.node(self.badge.get("issuer"), check=CheckId.ISSUER)
        except Unavailable as problem:
            self.add_unavailable(problem, CheckId.ISSUER)

    def build_record(self) -> None:
        assertion = self.assertion
        kwargs: dict[str, Any] = {"badge": self.badge, "issuer": self.issuer}
        try:
            self.run.record = parse_ob2(assertion, container=self.container, **kwargs)
        except Ob2FormatError:
            # Unreadable dates: the schema check reports them; keep the rest readable for HR.
            readable = {k: v for k, v in assertion.items() if k not in ("issuedOn", "expires")}
            self.run.record = parse_ob2(readable, container=self.container, **kwargs)

    # --- the checks, as the run calls them ---------------------------------------------
    def issuer_id(self) -> str:
        if self.issuer is not None:
            return node_id(self.issuer)
        return self.run.record.issuer_id if self.run.record else ""

    def schema(self) -> CheckResult | None:
        if not self.schema_checked:
            return None
        problem, field_name = schema_problem(self.assertion, self.badge, self.issuer)
        if field_name == "badge" and CheckId.ISSUER in self.run.results:
            problem = ""  # the BadgeClass could not be fetched; the issuer check says why
        if problem:
            return CheckResult(
                CheckId.SCHEMA, Outcome.FAILED, f"ob2_schema_{problem}", {"field": field_name}
            )
        return CheckResult(CheckId.SCHEMA, Outcome.PASSED, "ob2_schema_ok")

    def proof(self) -> None:
        self.prove()  # hosted or signed records PROOF and ISSUER itself

    def validity(self) -> CheckResult:
        issued = parse_ob2_datetime(self.assertion.get("issuedOn"))
        expires = parse_ob2_datetime(self.assertion.get("expires"))
        now = self.ctx.now
        if issued is not None and issued > now + CLOCK_SKEW:
            return CheckResult(
                CheckId.VALIDITY, Outcome.FAILED, "ob2_issued_in_future", {"issued": when(issued)}
            )
        if expires is not None and expires <= now:
            return CheckResult(
                CheckId.VALIDITY, Outcome.FAILED, "ob2_expired", {"expires": when(expires)}
            )
        issued_text = when(issued) if issued else "?"
        if expires is not None:
            params = {"issued": issued_text, "expires": when(expires)}
            return CheckResult(CheckId.VALIDITY, Outcome.PASSED, "ob2_valid_until", params)
        return CheckResult(
            CheckId.VALIDITY, Outcome.PASSED, "ob2_valid_dates", {"issued": issued_text}
        )

    def revocation(self) -> None:
        self.revoke()

    def recipient(self) -> CheckResult:
        identity = recipient_identity(self.assertion)
        return check_recipient((identity,) if identity else (), self.ctx.recipient_emails)


def json_object(body: bytes, *, url: str, check: CheckId) -> dict[str, Any]:
    try:
        document = load_json(body)
    except Ob2FormatError as exc:
        raise Unavailable(
            CheckResult(check, Outcome.UNVERIFIABLE, "issuer_document_unreadable", {"url": url})
        ) from exc
    if not isinstance(document, dict):
        raise Unavailable(
            CheckResult(check, Outcome.UNVERIFIABLE, "issuer_document_unreadable", {"url": url})
        )
    return document
