"""OB 2.0 hosted assertions against a local issuer host: the hosted copy is the truth."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest
from django.utils import translation

from credentials.verification.context import VerificationContext
from credentials.verification.ob2 import verify_ob2
from credentials.verification.registry import StaticRegistry
from credentials.verification.safe_fetcher import SafeFetcher
from credentials.vocabulary import CheckId, Container, CredentialFormat, Outcome, Status
from tests.credentials.issuers.ob2 import Ob2Issuer
from tests.fetchers import StaticFetcher

pytest_plugins = ["tests.credentials.issuers.http"]

NOW = datetime(2026, 6, 1, tzinfo=UTC)
EMAIL = "hanako@example.jp"


@pytest.fixture
def issuer(issuer_server):
    return Ob2Issuer(issuer_server)


def context(server, **kwargs) -> VerificationContext:
    kwargs.setdefault("recipient_emails", (EMAIL,))
    return VerificationContext(fetcher=server.fetcher(), now=NOW, **kwargs)


def outcomes(report) -> dict[str, str]:
    return {str(c.check): str(c.outcome) for c in report.checks}


def check(report, check_id: CheckId):
    (found,) = [c for c in report.checks if c.check == check_id]
    return found


def test_hosted_assertion_by_url_is_verified(issuer, issuer_server):
    url = issuer.host(issuer.assertion())

    report = verify_ob2(url, container=Container.URL, ctx=context(issuer_server))

    assert report.status == Status.VERIFIED
    assert report.format == CredentialFormat.OB2
    assert report.retryable is False
    assert outcomes(report) == {
        "parse": "passed",
        "schema": "passed",
        "proof": "passed",
        "issuer": "passed",
        "validity": "passed",
        "revocation": "passed",
        "recipient": "passed",
        "registry": "not_applicable",
    }
    record = report.credential
    assert record.title == "Python Programming Fundamentals"
    assert record.issuer_id == issuer.profile_id
    assert record.issuer_name == "Example University"
    assert record.container == Container.URL
    assert record.issued_at == datetime(2025, 4, 1, 0, 0, tzinfo=UTC)


def test_presented_copy_is_checked_against_the_hosted_one(issuer, issuer_server):
    assertion = issuer.assertion()
    issuer.host(assertion)

    report = verify_ob2(
        copy.deepcopy(assertion), container=Container.JSON, ctx=context(issuer_server)
    )

    assert report.status == Status.VERIFIED
    assert check(report, CheckId.PROOF).code == "ob2_hosted_ok"
    assert issuer.path_of(assertion["id"]) in issuer_server.hits


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("recipient", {"type": "email", "hashed": False, "identity": "mallory@example.jp"}),
        ("issuedOn", "2024-01-01T00:00:00Z"),
        ("expires", "2099-01-01T00:00:00Z"),
        ("badge", "https://elsewhere.example/badge.json"),
    ],
)
def test_a_baked_copy_that_differs_from_the_hosted_one_fails(issuer, issuer_server, field, value):
    assertion = issuer.assertion()
    issuer.host(assertion)
    altered = copy.deepcopy(assertion)
    altered[field] = value

    report = verify_ob2(altered, container=Container.PNG, ctx=context(issuer_server))

    assert report.status == Status.FAILED
    proof = check(report, CheckId.PROOF)
    assert proof.code == "ob2_hosted_copy_differs"
    assert proof.params == {"field": field}
    # Nothing read from an unconfirmed copy may decide expiry or recipient.
    assert check(report, CheckId.RECIPIENT).outcome == Outcome.NOT_APPLICABLE


def test_the_record_comes_from_the_hosted_copy_not_the_file(issuer, issuer_server):
    assertion = issuer.assertion()
    issuer.host(assertion)
    report = verify_ob2(
        issuer.embedded(assertion), container=Container.JSON, ctx=context(issuer_server)
    )
    assert report.status == Status.VERIFIED
    assert report.credential.document["badge"]["id"] == issuer.badge_id


def test_410_gone_means_revoked_with_the_reason(issuer, issuer_server):
    assertion = issuer.assertion()
    gone = {"id": assertion["id"], "revoked": True, "revocationReason": "Exam misconduct"}
    issuer.server.add_json(issuer.path_of(assertion["id"]), gone, status=410)

    report = verify_ob2(assertion["id"], container=Container.URL, ctx=context(issuer_server))

    assert report.status == Status.REVOKED
    revocation = check(report, CheckId.REVOCATION)
    assert revocation.outcome == Outcome.FAILED
    assert "Exam misconduct" in revocation.detail
    assert report.retryable is False


def test_revoked_true_on_the_hosted_copy_means_revoked(issuer, issuer_server):
    assertion = issuer.assertion(revoked=True, revocationReason="Withdrawn by the issuer")
    issuer.host(assertion)

    report = verify_ob2(assertion["id"], container=Container.URL, ctx=context(issuer_server))

    assert report.status == Status.REVOKED
    assert check(report, CheckId.REVOCATION).params == {"reason": "Withdrawn by the issuer"}
    assert check(report, CheckId.PROOF).outcome == Outcome.PASSED


def test_404_means_failed_and_is_not_retried(issuer, issuer_server):
    assertion = issuer.assertion()  # never hosted

    report = verify_ob2(assertion, container=Container.PNG, ctx=context(issuer_server))

    assert report.status == Status.FAILED
    assert check(report, CheckId.PROOF).code == "ob2_hosted_not_found"
    assert report.retryable is False
    assert report.credential.title == ""  # provisional record from the file, badge not fetched


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_are_unverifiable_and_retryable(issuer, issuer_server, status):
    assertion = issuer.assertion()
    issuer.host(assertion, status=status)

    report = verify_ob2(assertion, container=Container.JSON, ctx=context(issuer_server))

    assert report.status == Status.UNVERIFIABLE
    assert report.retryable is True
    assert check(report, CheckId.PROOF).code == "issuer_unreachable"
    assert check(report, CheckId.VALIDITY).outcome == Outcome.NOT_APPLICABLE


def test_an_unreachable_badge_class_is_unverifiable_and_retryable(issuer, issuer_server):
    assertion = issuer.assertion()
    issuer.host(assertion)
    issuer_server.add(issuer.path_of(issuer.badge_id), "down", status=502)

    report = verify_ob2(assertion["id"], container=Container.URL, ctx=context(issuer_server))

    assert report.status == Status.UNVERIFIABLE
    assert report.retryable is True
    assert check(report, CheckId.ISSUER).code == "issuer_unreachable"


def test_hosted_at_another_origin_than_the_issuer_is_out_of_scope(issuer, issuer_server):
    # Same server, different authority: the issuer lives on localhost:<port>, the assertion
    # claims 127.0.0.1:<port>. With no VerificationObject only the issuer's origin is allowed.
    assertion = issuer.assertion()
    assertion["id"] = f"https://127.0.0.1:{issuer_server.port}/ob2/assertions/x.json"
    issuer_server.add_json("/ob2/assertions/x.json", assertion)

    report = verify_ob2(assertion["id"], container=Container.URL, ctx=context(issuer_server))

    assert report.status == Status.FAILED
    assert check(report, CheckId.ISSUER).code == "ob2_out_of_scope"


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ({"allowedOrigins": ["badges.example.org"]}, Status.FAILED),
        ({"startsWith": ["https://badges.example.org/"]}, Status.FAILED),
        ({"startsWith": "{origin}/ob2/assertions/"}, Status.VERIFIED),
        ({"allowedOrigins": "{authority}"}, Status.VERIFIED),
    ],
)
def test_verification_scope_of_the_issuer(issuer_server, policy, expected):
    policy = {
        k: (
            [v.format(origin=issuer_server.origin, authority=issuer_server.authority) for v in v]
            if isinstance(v, list)
            else v.format(origin=issuer_server.origin, authority=issuer_server.authority)
        )
        for k, v in policy.items()
    }
    issuer = Ob2Issuer(issuer_server, verification={"type": "HostedBadge", **policy})
    url = issuer.host(issuer.assertion())

    report = verify_ob2(url, container=Container.URL, ctx=context(issuer_server))

    assert report.status == expected


def test_hosted_document_with_another_id_fails(issuer, issuer_server):
    assertion = issuer.assertion()
    other = dict(assertion, id=issuer_server.url("/ob2/assertions/someone-else.json"))
    issuer_server.add_json(issuer.path_of(assertion["id"]), other)

    report = verify_ob2(assertion["id"], container=Container.URL, ctx=context(issuer_server))

    assert report.status == Status.FAILED
    assert check(report, CheckId.PROOF).code == "ob2_hosted_id_mismatch"


def test_someone_elses_badge_is_a_recipient_mismatch(issuer, issuer_server):
    url = issuer.host(issuer.assertion(email="taro@example.jp"))
    report = verify_ob2(url, container=Container.URL, ctx=context(issuer_server))
    assert report.status == Status.RECIPIENT_MISMATCH


def test_without_an_applicant_email_the_recipient_is_not_checked(issuer, issuer_server):
    url = issuer.host(issuer.assertion(email="taro@example.jp"))
    report = verify_ob2(
        url, container=Container.URL, ctx=context(issuer_server, recipient_emails=())
    )
    assert report.status == Status.VERIFIED
    assert check(report, CheckId.RECIPIENT).outcome == Outcome.NOT_APPLICABLE


def test_an_expired_badge_is_expired(issuer, issuer_server):
    url = issuer.host(issuer.assertion(expires="2026-01-01T00:00:00Z"))
    report = verify_ob2(url, container=Container.URL, ctx=context(issuer_server))
    assert report.status == Status.EXPIRED
    assert "2026-01-01" in check(report, CheckId.VALIDITY).detail


def test_a_badge_issued_in_the_future_is_not_valid_yet(issuer, issuer_server):
    url = issuer.host(issuer.assertion(issued_on="2026-07-01T00:00:00Z"))
    report = verify_ob2(url, container=Container.URL, ctx=context(issuer_server))
    assert report.status == Status.EXPIRED
    assert check(report, CheckId.VALIDITY).code == "ob2_issued_in_future"


def test_expiry_before_issue_is_malformed(issuer, issuer_server):
    url = issuer.host(issuer.assertion(expires="2020-01-01T00:00:00Z"))
    report = verify_ob2(url, container=Container.URL, ctx=context(issuer_server))
    assert report.status == Status.MALFORMED
    assert check(report, CheckId.SCHEMA).outcome == Outcome.FAILED


def test_a_trusted_issuer_is_reported_but_changes_nothing(issuer, issuer_server):
    url = issuer.host(issuer.assertion())
    trusted = context(
        issuer_server, issuer_registry=StaticRegistry.of([issuer.profile_id], registry="Test")
    )
    listed = verify_ob2(url, container=Container.URL, ctx=trusted)
    unlisted = verify_ob2(url, container=Container.URL, ctx=context(issuer_server))
    assert check(listed, CheckId.REGISTRY).outcome == Outcome.PASSED
    assert check(unlisted, CheckId.REGISTRY).outcome == Outcome.NOT_APPLICABLE
    assert listed.status == unlisted.status == Status.VERIFIED


def test_a_hosted_url_on_a_private_address_is_refused_not_retried(settings):
    settings.VERIFIER_ALLOWED_PRIVATE_HOSTS = []
    ctx = VerificationContext(fetcher=SafeFetcher.from_settings(), now=NOW)
    report = verify_ob2(
        "https://169.254.169.254/latest/meta-data", container=Container.URL, ctx=ctx
    )
    assert report.status == Status.UNVERIFIABLE
    assert report.retryable is False
    assert check(report, CheckId.PROOF).code == "fetch_refused"


@pytest.mark.parametrize(
    ("document", "version"),
    [
        ({"@context": "https://w3id.org/openbadges/v1", "type": "Assertion", "uid": "1"}, "1.1"),
        ({"uid": "1", "verify": {"type": "hosted", "url": "https://x.example/a"}}, "1.0"),
        ({"recipient": "a@example.org", "badge": {"version": "0.5.0"}}, "0.5"),
    ],
)
def test_legacy_open_badges_are_unverifiable(document, version):
    report = verify_ob2(
        document,
        container=Container.JSON,
        ctx=VerificationContext(fetcher=StaticFetcher(), now=NOW),
    )
    assert report.status == Status.UNVERIFIABLE
    assert report.retryable is False
    parse = check(report, CheckId.PARSE)
    assert parse.code == "ob2_legacy_version"
    assert parse.params == {"version": version}
    with translation.override("en"):
        assert "legacy Open Badges version" in parse.detail


def test_hosted_assertion_with_a_non_web_id_is_malformed(issuer):
    assertion = issuer.assertion()
    assertion["id"] = "urn:uuid:1234"
    report = verify_ob2(
        assertion,
        container=Container.JSON,
        ctx=VerificationContext(fetcher=StaticFetcher(), now=NOW),
    )
    assert report.status == Status.MALFORMED
