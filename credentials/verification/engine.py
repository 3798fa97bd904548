"""The verification engine's entry points: bytes, a URL, or a CLI input → one report.

Pipeline (DESIGN.md "The credential pipeline"): detect and extract from the bytes, pick
the format by the payload, and hand it to that format's module, which feeds the one
verification run (``run.run_checks``): Open Badges 2.0 to ``ob2.verify_ob2``, VCs and
OB 3.0 to ``vc.verify_vc``, VC-JWT to ``vcjwt.verify_vc_jwt``, European Digital
Credentials to ``edc.verify_edc``.

Nothing here raises: a check that crashes is reported as "could not be checked"
(``unexpected_error``) and the other checks still run; unreadable input is ``malformed``.
No database, no network except through ``ctx.fetcher``.
"""

from __future__ import annotations

import base64
import logging
from pathlib import Path
from typing import Any

from credentials.formats.detect import (
    MAX_INPUT_BYTES,
    Extracted,
    ExtractionError,
    extract,
    parse_json_object,
)
from credentials.formats.edc import is_edc
from credentials.formats.kinds import non_credential_kind
from credentials.formats.ob2 import is_ob2_assertion
from credentials.formats.ob3 import is_vc, types_of
from credentials.verification.context import VerificationContext
from credentials.verification.edc import verify_edc
from credentials.verification.fetcher import FetchError
from credentials.verification.ob2 import verify_ob2
from credentials.verification.result import CheckResult, VerificationReport
from credentials.verification.run import Run, crashed, malformed, unreadable
from credentials.verification.vc import verify_vc
from credentials.verification.vcjwt import verify_vc_jwt
from credentials.vocabulary import CheckId, Container, Outcome

logger = logging.getLogger(__name__)

URL_ACCEPT = (
    "application/ld+json, application/json, application/vc+ld+json, application/jwt, "
    "image/png, image/svg+xml, text/plain;q=0.5"
)


# --- public entry points ----------------------------------------------------------------


def verify_bytes(data: bytes, *, ctx: VerificationContext) -> VerificationReport:
    """Verify an uploaded file (baked PNG/SVG, JSON, JWT/JWS) given as bytes. Never raises."""
    try:
        try:
            extracted = extract(data)
        except ExtractionError as exc:
            return malformed(exc.code, exc.params)
        return _dispatch(extracted, ctx=ctx)
    except Exception:
        logger.exception("verification crashed")
        return crashed()


def verify_url(url: str, *, ctx: VerificationContext) -> VerificationReport:
    """Fetch ``url`` through ``ctx.fetcher`` and verify what it serves. Never raises."""
    try:
        return _verify_url(url, ctx=ctx)
    except Exception:
        logger.exception("verification crashed")
        return crashed()


def verify_input(value: str, *, ctx: VerificationContext) -> VerificationReport:
    """A file path or an http(s) URL (the ``verify_credential`` command's INPUT)."""
    if value.lower().startswith(("https://", "http://")):
        return verify_url(value, ctx=ctx)
    try:
        path = Path(value)
        if not path.is_file():
            return malformed("input_not_found", {"path": value[:300]})
        with path.open("rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        return malformed("input_not_readable", {"path": value[:300], "reason": exc.strerror or ""})
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
        run = Run()
        run.add(result, retryable=exc.retryable)
        return run.report()
    if response.status == 410:
        # "Gone" is how an OB 2.0 hosted assertion says "revoked"; that module decides.
        return verify_ob2(url, container=Container.URL, ctx=ctx)
    if response.status >= 400:
        return unreadable(
            CheckResult(
                CheckId.PARSE,
                Outcome.UNVERIFIABLE,
                "url_http_error",
                {"url": url[:300], "status": str(response.status)},
            )
        )
    try:
        extracted = extract(response.body)
    except ExtractionError as exc:
        return malformed(exc.code, exc.params)
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
        return malformed(f"not_learning_{kind}", {})
    if _is_ob2(document):
        return verify_ob2(document, container=container, ctx=ctx)
    if is_edc(document):
        return verify_edc(document, container=container, ctx=ctx)
    if "VerifiablePresentation" in types_of(document.get("type")):
        inner = document.get("verifiableCredential")
        inner_list = inner if isinstance(inner, list) else [inner]
        if len(inner_list) == 1 and isinstance(inner_list[0], dict):
            # The presentation's own proof says who handed it over, not whether the
            # credential inside is genuine; HR needs the latter (reference §1.4).
            return _dispatch_document(inner_list[0], container=container, ctx=ctx)
        return malformed("presentation_not_single", {})
    if is_vc(document):
        return verify_vc(document, container=container, ctx=ctx)
    return malformed("not_a_credential", {})


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
        return malformed("jws_payload_invalid", {})
    if kind := non_credential_kind(payload):
        return malformed(f"not_learning_{kind}", {})
    if _is_ob2(payload):
        return verify_ob2(token, container=container, ctx=ctx)
    if isinstance(payload.get("vc"), dict) or is_vc(payload):
        return verify_vc_jwt(token, container=container, ctx=ctx)
    return malformed("not_a_credential", {})
