"""Verify an Open Badges 2.0 assertion: hosted (``ob2_hosted``) or signed (``ob2_signed``).

Both feed the one verification run; the checks shared by both are ``ob2_checks``. Legacy
Open Badges (0.5, 1.0, 1.1) are ``unverifiable`` ("legacy Open Badges version").
"""

from __future__ import annotations

import logging
from typing import Any

from credentials.formats.ob2 import Ob2FormatError, node_id, ob2_version, verification_type
from credentials.verification.context import VerificationContext
from credentials.verification.jws import looks_like_compact_jws
from credentials.verification.ob2_checks import Ob2Checks, is_web_url, load_json
from credentials.verification.ob2_hosted import prepare_hosted
from credentials.verification.ob2_signed import prepare_signed
from credentials.verification.result import VerificationReport
from credentials.verification.run import Run, crashed, run_checks
from credentials.vocabulary import CheckId, Container, CredentialFormat, Outcome

logger = logging.getLogger(__name__)


def verify_ob2(
    payload: dict[str, Any] | str, *, container: Container, ctx: VerificationContext
) -> VerificationReport:
    """Verify an OB 2.0 assertion given as a dict (baked or uploaded JSON), a compact JWS
    (signed badge) or the URL of a hosted assertion. Never raises."""
    run = Run(credential_format=CredentialFormat.OB2)
    try:
        return _verify(Ob2Checks(run, ctx=ctx, container=container), payload)
    except Exception:  # a bug must not lose the upload; report "could not be checked"
        logger.exception("OB 2.0 verification failed unexpectedly")
        return crashed(run.record, credential_format=CredentialFormat.OB2)


def _verify(checks: Ob2Checks, payload: dict[str, Any] | str) -> VerificationReport:
    run = checks.run
    if isinstance(payload, str):
        text = payload.strip()
        if text.startswith("{"):
            try:
                payload = load_json(text)
            except Ob2FormatError as exc:
                return _unreadable(checks, exc.reason)
        elif is_web_url(text):
            return _finish(checks, prepare_hosted(checks, text, None))
        elif looks_like_compact_jws(text):
            return _finish(checks, prepare_signed(checks, text))
        else:
            run.format = CredentialFormat.UNKNOWN
            return _unreadable(checks, "it is neither JSON, a signed badge nor a web address")
    if not isinstance(payload, dict):
        run.format = CredentialFormat.UNKNOWN
        return _unreadable(checks, "the document is not a JSON object")
    version = ob2_version(payload)
    if not version:
        run.format = CredentialFormat.UNKNOWN
        return _unreadable(checks, "the document is not an Open Badges assertion")
    if version != "2.0":
        checks.legacy(version)
        return run.report()
    kind = verification_type(payload)
    if kind == "hosted":
        return _finish(checks, prepare_hosted(checks, node_id(payload), payload))
    checks.assertion = payload
    checks.build_record()
    if kind == "signed":
        return _unreadable(checks, "signed badge without its signature", code="ob2_unsigned")
    # Neither hosted nor signed: the structure check says what is missing.
    checks.add(CheckId.PARSE, Outcome.PASSED, "ob2_parsed")
    badge = payload.get("badge")
    checks.badge = badge if isinstance(badge, dict) else None
    return _finish(checks, True)


def _finish(checks: Ob2Checks, has_checks: bool) -> VerificationReport:
    if not has_checks:
        return checks.run.report()
    return run_checks(checks, run=checks.run, ctx=checks.ctx)


def _unreadable(
    checks: Ob2Checks, reason: str, *, code: str = "ob2_unreadable"
) -> VerificationReport:
    checks.unreadable(reason, code=code)
    return checks.run.report()
