"""The four answers as HR reads them in Chromium: the tampered card shows the untrusted-content
banner and greys its claims, the someone-else + expired card says both, and a did:key
issuer's card never says 本物 / genuine. The credentials are the interop fixtures, verified by
the real engine (no stored verdict is made up)."""

import pytest
from django.test import Client

from credentials import services
from credentials.models import Credential, Trigger
from employers.models import Role
from tests.credentials.applicants import applicant, interop
from tests.employers.factories import (
    ApplicationFactory,
    MembershipFactory,
    OpeningFactory,
    SharedCredentialFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(services, "queue_verification", lambda *args: None)


def _verified(owner, name: str) -> Credential:
    credential = services.submit_upload(
        applicant=owner, data=interop(name), filename=name
    ).credential
    services.run_verification(credential_id=credential.pk, trigger=Trigger.UPLOAD)
    credential.refresh_from_db()
    return credential


def _log_in(page, live_server, user, language):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            },
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )


@pytest.mark.parametrize("language", ["ja", "en"])
def test_hr_reads_each_answer_on_the_cards(live_server, page, language):
    # Taro is not the recipient the fixtures name (hanako.yamada@example.jp).
    taro = applicant("taro.suzuki@example.jp")
    member = MembershipFactory(role=Role.REVIEWER)
    application = ApplicationFactory(
        opening=OpeningFactory(employer=member.employer), applicant=taro
    )
    cards = {}
    for name in (
        "ob3-v2-eddsa-tampered.json",
        "ob3-v2-eddsa-expired.json",
        "ob3-v2-eddsa-valid.json",
    ):
        credential = _verified(taro, name)
        SharedCredentialFactory(application=application, credential=credential)
        cards[name] = credential
    assert cards["ob3-v2-eddsa-expired.json"].status == "expired"

    _log_in(page, live_server, member.user, language)
    page.goto(f"{live_server.url}/employer/candidates/{application.pk}/")

    tampered = page.locator(f"#credential-{cards['ob3-v2-eddsa-tampered.json'].pk}")
    banner = tampered.locator("[data-untrusted-banner]")
    banner.wait_for()
    assert banner.is_visible()
    # Greyed (grayscale, muted text) but still readable: the contrast stays at AA, so no
    # opacity (the browser walk's axe check fails faded text).
    claims = tampered.locator(".claims--unverified")
    assert claims.count() >= 1
    assert "grayscale" in claims.first.evaluate("e => getComputedStyle(e).filter")
    expected_banner = "信頼できません" if language == "ja" else "cannot be trusted"
    assert expected_banner in banner.inner_text()

    expired = page.locator(f"#credential-{cards['ob3-v2-eddsa-expired.json'].pk}")
    headline = expired.locator("[data-answers-headline]").inner_text()
    if language == "ja":
        assert "別の人に発行された" in headline
        assert "2025年6月30日に有効期限が切れています" in headline
    else:
        assert "issued to someone else" in headline
        assert "expired on June 30, 2025" in headline
    chips = {
        chip.get_attribute("data-answer"): chip.get_attribute("data-tone")
        for chip in expired.locator("[data-answer]").all()
    }
    assert chips == {
        "intact": "ok",
        "issuer_identity": "warn",
        "recipient": "bad",
        "current": "bad",
    }
    assert expired.locator("[data-untrusted-banner]").count() == 0

    # Identifiers and error text are only in the (closed) technical details.
    assert "did:key:" not in expired.inner_text()
    expired.locator("details.cred-row__more > summary").click()  # the row's details first
    assert "did:key:" not in expired.inner_text()
    expired.locator("details.checks > summary").click()
    assert "did:key:" not in expired.locator("details.checks").inner_text()
    expired.locator("details.checks details.technical summary").first.click()
    assert "did:key:" in expired.locator("details.checks").inner_text()

    for card in (expired, page.locator(f"#credential-{cards['ob3-v2-eddsa-valid.json'].pk}")):
        text = card.inner_text()
        assert "本物" not in text
        assert "genuine" not in text.lower()
        assert card.locator("[data-answers]").get_attribute("data-genuine") == "false"
