"""The docs page and the owners' token page in a real browser, under the site's CSP."""

import pytest
from django.test import Client

from employers.models import ApiToken, Role
from tests.employers.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _csp_errors(page):
    errors = []
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return errors


def test_docs_page_renders_every_operation_without_csp_errors(live_server, page):
    errors = _csp_errors(page)
    page.goto(f"{live_server.url}/api/docs/")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() == 13  # and the 2 VC-API verifiers
    assert errors == []


def test_owner_creates_and_revokes_a_token(live_server, page):
    owner = MembershipFactory(role=Role.OWNER)
    client = Client()
    client.force_login(owner.user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    errors = _csp_errors(page)
    page.goto(f"{live_server.url}/api/tokens/")
    page.fill("input[name=name]", "Our ATS")
    page.select_option("select[name=scope]", "read_write")
    page.click("#create-token button[type=submit]")
    secret = page.locator("#new-token").input_value()
    assert secret.startswith("cpt_")

    page.goto(f"{live_server.url}/api/tokens/")
    assert page.locator("#new-token").count() == 0  # shown once
    page.click("form.revoke-token button[type=submit]")
    page.locator("text=was revoked").wait_for()
    assert ApiToken.objects.get().revoked_at is not None
    assert errors == []
