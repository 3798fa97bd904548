"""Open Badges 2.0 hosted verification (reference §2.2).

The copy at the assertion's own URL is the truth, not the copy in the file (anyone can
edit a baked file); the presented copy must agree with it. Policies chosen here:

- A hosted assertion answering 404 is ``failed``, not retried: the issuer's own address
  says the badge does not exist. 5xx, timeouts and DNS failures are ``unverifiable``
  and retried. 410 Gone is how a hosted assertion says "revoked".
- A presented copy that differs from the hosted one in recipient, badge, issue or expiry
  date is ``failed``: the applicant presented an altered badge.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from credentials.formats.ob2 import (
    Ob2FormatError,
    node_id,
    ob2_version,
    parse_ob2_datetime,
    recipient_identity,
    verification_type,
)
from credentials.verification.ob2_checks import (
    Ob2Checks,
    Unavailable,
    as_list,
    is_web_url,
    json_object,
    load_json,
    unavailable_http,
)
from credentials.vocabulary import CheckId, Outcome


def prepare_hosted(checks: Ob2Checks, url: str, presented: Mapping[str, Any] | None) -> bool:
    """Fetch the hosted copy and what it names; False when there is nothing to check
    (a legacy version: PARSE says so)."""
    if presented is not None:
        checks.assertion = presented
        checks.build_record()  # provisional, replaced by the hosted copy
    if not is_web_url(url):
        checks.add(CheckId.PARSE, Outcome.PASSED, "ob2_parsed")
        checks.add(CheckId.SCHEMA, Outcome.FAILED, "ob2_hosted_id_not_web", {"id": url[:200]})
        return True
    try:
        # Check the assertion against the copy at its own id, not the copy in the file.
        response = checks.fetch(url, check=CheckId.PROOF)
        if response.status == 410:
            _parsed(checks)
            _gone(checks, url, response.body, presented)
            return True
        if response.status == 404:
            _parsed(checks)
            checks.add(CheckId.PROOF, Outcome.FAILED, "ob2_hosted_not_found", {"url": url})
            checks.schema_checked = False
            return True
        if response.status != 200:
            raise unavailable_http(url, response, check=CheckId.PROOF)
        hosted = json_object(response.body, url=url, check=CheckId.PROOF)
    except Unavailable as problem:
        _parsed(checks)
        checks.add_unavailable(problem, CheckId.PROOF)
        checks.schema_checked = False
        return True
    version = ob2_version(hosted)
    if version and version != "2.0":
        checks.legacy(version)
        return False
    _parsed(checks)
    if not version:
        checks.add(CheckId.PROOF, Outcome.UNVERIFIABLE, "issuer_document_unreadable", {"url": url})
        checks.schema_checked = False
        return True
    checks.assertion = hosted
    checks.fetch_badge_and_issuer()
    checks.build_record()
    checks.prove = lambda: _prove(checks, url, presented)
    checks.revoke = lambda: _revocation(checks)
    return True


def _parsed(checks: Ob2Checks) -> None:
    checks.add(CheckId.PARSE, Outcome.PASSED, "ob2_parsed")


def _prove(checks: Ob2Checks, url: str, presented: Mapping[str, Any] | None) -> None:
    hosted = checks.assertion
    hosted_id = node_id(hosted)
    if hosted_id != url:
        checks.add(
            CheckId.PROOF,
            Outcome.FAILED,
            "ob2_hosted_id_mismatch",
            {"url": url, "found": hosted_id},
        )
    elif verification_type(hosted) != "hosted":
        checks.add(CheckId.PROOF, Outcome.FAILED, "ob2_hosted_wrong_verification", {"url": url})
    elif presented is not None and (field := _differing_field(presented, hosted)):
        checks.add(CheckId.PROOF, Outcome.FAILED, "ob2_hosted_copy_differs", {"field": field})
    else:
        checks.add(CheckId.PROOF, Outcome.PASSED, "ob2_hosted_ok", {"url": url})
    issuer = checks.issuer
    if issuer is None:
        return  # fetch_badge_and_issuer recorded why
    issuer_id = node_id(issuer)
    if not is_web_url(issuer_id):
        checks.add(CheckId.ISSUER, Outcome.FAILED, "ob2_issuer_not_web", {"issuer": issuer_id})
    elif _scope_problem(url, issuer):
        checks.add(
            CheckId.ISSUER, Outcome.FAILED, "ob2_out_of_scope", {"url": url, "issuer": issuer_id}
        )
    else:
        checks.add(CheckId.ISSUER, Outcome.PASSED, "ob2_issuer_ok", {"issuer": issuer_id})


def _revocation(checks: Ob2Checks) -> None:
    if checks.assertion.get("revoked") is True:
        checks.revoked("ob2_revoked_flag", checks.assertion.get("revocationReason"))
    else:
        checks.add(CheckId.REVOCATION, Outcome.PASSED, "ob2_not_revoked_hosted")


def _gone(checks: Ob2Checks, url: str, body: bytes, presented: Mapping[str, Any] | None) -> None:
    """410 Gone: the issuer withdrew the assertion (its body may say why)."""
    reason: Any = None
    try:
        gone = load_json(body)
    except Ob2FormatError:
        gone = None
    if isinstance(gone, dict):
        reason = gone.get("revocationReason")
        if presented is None and ob2_version(gone) == "2.0":
            checks.assertion = gone
            checks.build_record()
    checks.assertion = presented or {}
    checks.schema_checked = False
    checks.revoked("ob2_revoked_gone", reason)
    # The issuer's own server answered for this assertion: that answer is authentic.
    checks.add(CheckId.PROOF, Outcome.PASSED, "ob2_hosted_gone", {"url": url})
    checks.add(CheckId.ISSUER, Outcome.NOT_APPLICABLE, "ob2_hosted_gone", {"url": url})


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


def _authority(url: str) -> str:
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return ""


def _scope_problem(assertion_id: str, issuer: Mapping[str, Any]) -> bool:
    """Is the hosted assertion's URL outside the issuer's VerificationObject scope (§2.2.7)?"""
    policy = issuer.get("verification")
    policy = policy if isinstance(policy, Mapping) else {}
    starts = [s for s in as_list(policy.get("startsWith")) if isinstance(s, str)]
    origins = [o.lower() for o in as_list(policy.get("allowedOrigins")) if isinstance(o, str)]
    if not starts and not origins:
        origins = [_authority(node_id(issuer))]
    if starts and not any(assertion_id.startswith(prefix) for prefix in starts):
        return True
    return bool(origins) and _authority(assertion_id) not in origins
