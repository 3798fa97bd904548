"""allauth's e-mails name the portal and link to SITE_URL, never the request's Host."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.employers.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_confirmation_email_names_the_portal_and_links_to_site_url(client, settings):
    settings.SITE_URL = "https://portal.example.jp"
    settings.ALLOWED_HOSTS = ["evil.example", "testserver"]
    client.post(
        reverse("account_signup"),
        {
            "email": "new@example.jp",
            "password1": "a-long-pass-2026",
            "password2": "a-long-pass-2026",
        },
        headers={"host": "evil.example", "accept-language": "en"},
    )
    (message,) = mail.outbox
    assert message.subject.startswith("[Credential Portal] ")
    assert "Hello from Credential Portal!" in message.body
    assert "evil.example" not in message.body
    assert "https://portal.example.jp/accounts/confirm-email/" in message.body


def test_the_password_reset_link_points_at_site_url(client, settings):
    settings.SITE_URL = "https://portal.example.jp"
    settings.ALLOWED_HOSTS = ["evil.example", "testserver"]
    user = UserFactory()
    client.post(
        reverse("account_reset_password"), {"email": user.email}, headers={"host": "evil.example"}
    )
    (message,) = mail.outbox
    assert "evil.example" not in message.body
    assert "https://portal.example.jp/accounts/password/reset/key/" in message.body
