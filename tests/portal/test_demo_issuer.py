"""The `make run` demo issuer: served over real HTTP on loopback and reached through the safe
fetcher's allowed-hosts door, its credentials show each answer honestly — identity confirmed by
domain (did:web, OB 2.0 hosted), by the trusted-issuer list, revoked by its status list."""

import threading

import pytest

from credentials.verification.answers import answers_from_checks
from credentials.verification.context import VerificationContext
from credentials.verification.engine import verify_bytes
from credentials.verification.registry import StaticRegistry
from credentials.verification.safe_fetcher import SafeFetcher
from credentials.vocabulary import Status
from portal import demo_issuer


@pytest.fixture
def running_issuer(monkeypatch, settings):
    server = demo_issuer.make_server(0)
    port = server.server_address[1]
    monkeypatch.setenv("DEMO_ISSUER_PORT", str(port))
    settings.VERIFIER_ALLOWED_PRIVATE_HOSTS = [f"localhost:{port}", f"127.0.0.1:{port}"]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


EXPECTED = {
    "demo-did-web.json": (Status.VERIFIED, "confirmed", "domain", "current"),
    "demo-did-web-revoked.json": (Status.REVOKED, "confirmed", "domain", "revoked"),
    "demo-ob2-hosted.json": (Status.VERIFIED, "confirmed", "domain", "current"),
    "demo-registry-listed.json": (Status.VERIFIED, "confirmed", "registry", "current"),
    "jp-ob2-mdash-literacy.json": (Status.VERIFIED, "confirmed", "domain", "current"),
    "jp-ob2-rishu-shomei.json": (Status.VERIFIED, "confirmed", "domain", "current"),
}


def test_each_demo_credential_gets_its_answers_over_http(running_issuer):
    registry = StaticRegistry.of([demo_issuer.registry_did()], registry="Demo list")
    ctx = VerificationContext(
        fetcher=SafeFetcher.from_settings(),
        recipient_emails=(demo_issuer.RECIPIENT,),
        issuer_registry=registry,
    )
    got = {}
    for name, data in demo_issuer.demo_credentials().items():
        report = verify_bytes(data, ctx=ctx)
        answers = answers_from_checks(report.checks, report.credential)
        got[name] = (
            report.status,
            answers.issuer_identity,
            answers.issuer_identity_basis,
            answers.current,
        )
        assert answers.intact == "yes"
        assert answers.recipient == "applicant"
        if answers.issuer_identity_basis == "domain":
            assert answers.issuer_identity_source == demo_issuer.authority()
    assert got == EXPECTED


def test_without_the_allowed_hosts_door_nothing_is_fetched(running_issuer, settings):
    settings.VERIFIER_ALLOWED_PRIVATE_HOSTS = []
    data = demo_issuer.demo_credentials()["demo-did-web.json"]
    report = verify_bytes(data, ctx=VerificationContext(fetcher=SafeFetcher.from_settings()))
    assert report.status == Status.UNVERIFIABLE
