"""Review L6: the invitation link comes from SITE_URL, never from the request's Host."""

import hashlib
import re

from django.core import mail
from django.urls import reverse

from employers.models import Invitation


def test_the_invitation_link_uses_site_url_whatever_host_the_request_named(
    client, owner, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://portal.example.jp/"
    settings.ALLOWED_HOSTS = ["portal.example.jp", "attacker.example"]
    client.force_login(owner.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("employers:invite"),
            {"email": "new.member@example.jp", "role": "reviewer"},
            HTTP_HOST="attacker.example",
        )
    assert response.status_code == 302
    body = mail.outbox[0].body
    assert "attacker.example" not in body
    link = re.search(r"https://portal\.example\.jp/employer/invitations/([^/\s]+)/", body)
    assert link is not None, body
    token = link.group(1)
    invitation = Invitation.objects.get(email="new.member@example.jp")
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
