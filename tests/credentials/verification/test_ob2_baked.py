"""Baked OB 2.0 badges: PNG iTXt and SVG <openbadges:assertion>, through the shared extractor."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from credentials.formats.detect import extract
from credentials.verification.context import VerificationContext
from credentials.verification.ob2 import verify_ob2
from credentials.vocabulary import CheckId, Container, Status
from tests.credentials.issuers.ob2 import Ob2Issuer, bake_png, bake_svg

pytest_plugins = ["tests.credentials.issuers.http"]

NOW = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture
def issuer(issuer_server):
    return Ob2Issuer(issuer_server)


def verify_file(data: bytes, server):
    extracted = extract(data)
    payload = extracted.document if extracted.kind == "json" else extracted.text
    ctx = VerificationContext(
        fetcher=server.fetcher(), now=NOW, recipient_emails=("hanako@example.jp",)
    )
    return extracted, verify_ob2(payload, container=extracted.container, ctx=ctx)


@pytest.mark.parametrize("bake", [bake_png, bake_svg])
def test_baked_hosted_assertion_is_verified(issuer, issuer_server, bake):
    assertion = issuer.assertion()
    issuer.host(assertion)

    extracted, report = verify_file(bake(json.dumps(assertion)), issuer_server)

    assert extracted.container in (Container.PNG, Container.SVG)
    assert report.status == Status.VERIFIED
    assert report.credential.container == extracted.container


@pytest.mark.parametrize("bake", [bake_png, bake_svg])
def test_baked_signed_badge_is_verified(issuer, issuer_server, bake):
    token = issuer.sign(issuer.assertion(hosted=False))
    _extracted, report = verify_file(bake(token), issuer_server)
    assert report.status == Status.VERIFIED
    assert report.credential.title == "Python Programming Fundamentals"


@pytest.mark.parametrize("bake", [bake_png, bake_svg])
def test_baked_url_is_fetched(issuer, issuer_server, bake):
    url = issuer.host(issuer.assertion())
    extracted, report = verify_file(bake(url), issuer_server)
    assert extracted.kind == "url"
    assert report.status == Status.VERIFIED


@pytest.mark.parametrize("bake", [bake_png, bake_svg])
def test_an_edited_baked_copy_of_a_hosted_badge_fails(issuer, issuer_server, bake):
    assertion = issuer.assertion(expires="2026-12-31T00:00:00Z")
    issuer.host(assertion)
    edited = dict(assertion, expires="2036-12-31T00:00:00Z")

    _extracted, report = verify_file(bake(json.dumps(edited)), issuer_server)

    assert report.status == Status.FAILED
    proof = next(c for c in report.checks if c.check == CheckId.PROOF)
    assert proof.params == {"field": "expires"}
