"""Upload → the real engine → the recorded verdict, without a worker (run_verification)."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress

from credentials import services
from credentials.models import Trigger
from credentials.vocabulary import Status
from tests.credentials.applicants import HANAKO, XXE_SVG, applicant, interop, plain_png

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_queue(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("credentials.services.queue_verification", lambda *args: None)


def verdict(user, data: bytes, name: str = "upload"):
    credential = services.submit_upload(applicant=user, data=data, filename=name).credential
    services.run_verification(credential_id=credential.pk, trigger=Trigger.UPLOAD)
    credential.refresh_from_db()
    return credential


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("ob3-v2-eddsa-valid.json", Status.VERIFIED),
        ("ob3-v2-eddsa-valid-baked.png", Status.VERIFIED),
        ("ob3-v2-eddsa-valid-baked.svg", Status.VERIFIED),
        ("ob3-v2-eddsa-tampered.json", Status.FAILED),
        ("ob3-v2-eddsa-expired.json", Status.EXPIRED),
        ("not-a-credential.json", Status.MALFORMED),
    ],
)
def test_interop_fixtures_get_their_expected_status(name, status):
    credential = verdict(applicant(), interop(name), name)
    assert credential.status == status
    run = credential.runs.get()
    assert run.engine_version
    assert {check["id"] for check in run.checks} >= {"parse"}


def test_verified_credential_mirrors_title_issuer_and_dates():
    credential = verdict(applicant(), interop("ob3-v2-eddsa-valid.json"))
    assert credential.title
    assert credential.issuer_id.startswith("did:key:")
    assert credential.issued_at is not None
    assert credential.record["title"] == credential.title


def test_png_without_a_badge_is_malformed():
    assert verdict(applicant(), plain_png(), "photo.png").status == Status.MALFORMED


def test_svg_with_an_xxe_payload_is_malformed_and_reads_no_file():
    credential = verdict(applicant(), XXE_SVG, "evil.svg")
    assert credential.status == Status.MALFORMED
    assert "root:" not in str(credential.runs.get().checks)


def test_only_verified_addresses_count_for_the_recipient():
    # The fixtures are issued to hanako.yamada@example.jp; Taro added it but never verified it.
    taro = applicant("taro@example.jp")
    EmailAddress.objects.create(user=taro, email=HANAKO, verified=False)
    credential = verdict(taro, interop("ob3-v2-eddsa-valid.json"))
    assert credential.status == Status.RECIPIENT_MISMATCH

    EmailAddress.objects.filter(user=taro, email=HANAKO).update(verified=True)
    # What confirming the address does (credentials.receivers).
    assert services.recheck_after_new_address(applicant=taro) == 1
    services.run_verification(credential_id=credential.pk, trigger=Trigger.MANUAL)
    credential.refresh_from_db()
    assert credential.status == Status.VERIFIED


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "HTTPS"),
        ("https://169.254.169.254/latest/meta-data/", "IP addresses"),
    ],
)
def test_link_to_the_metadata_address_is_refused_not_fetched(url, reason):
    credential = services.submit_link(applicant=applicant(), url=url).credential
    outcome = services.run_verification(credential_id=credential.pk, trigger=Trigger.UPLOAD)
    credential.refresh_from_db()
    assert credential.status == Status.UNVERIFIABLE
    # A refusal will not change by trying again: no quick retry.
    assert outcome.next_check_at - credential.last_checked_at > timedelta(hours=1)
    (check,) = credential.runs.get().checks
    assert check["code"] == "url_unreachable"
    assert reason in check["params"]["reason"]


def test_detail_page_explains_a_verified_credential(client):
    user = applicant()
    credential = verdict(user, interop("ob3-v2-eddsa-valid.json"))
    client.force_login(user)
    body = client.get(f"/credentials/{credential.pk}/", headers={"Accept-Language": "en"})
    html = body.content.decode()
    assert 'class="explanation' in html
    assert 'data-check="proof"' in html
    assert credential.title in html
