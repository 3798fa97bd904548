"""Chromium: upload a baked PNG, watch its status change without a reload, open it."""

import pytest

from credentials.models import Credential
from tests.credentials.applicants import INTEROP, applicant

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", "hanako.yamada@example.jp")
    page.fill("input[name=password]", "a-long-test-password")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base_url}/credentials/")  # where applicants land


def test_upload_a_baked_png_and_watch_it_verify_live(live_server, page, celery_worker_process):
    applicant()
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/credentials/")

    page.set_input_files("input[type=file]", str(INTEROP / "ob3-v2-eddsa-valid-baked.png"))
    page.click("form[data-upload-form] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/credentials/")
    # Mark this page load; a reload would lose the mark.
    page.evaluate("window.__sameLoad = true")
    credential = Credential.objects.get()

    status = page.locator(f"#credential-{credential.pk}-status [data-status]")
    status.and_(page.locator("[data-status=verified]")).wait_for(timeout=30_000)

    assert page.evaluate("window.__sameLoad === true")
    page.click(f"a[href='/credentials/{credential.pk}/']")
    page.wait_for_url(f"{live_server.url}/credentials/{credential.pk}/")
    assert page.locator("#credential-verdict [data-status=verified]").count() == 1
    assert page.locator("ul.checks li").count() >= 5
    assert page.locator("img.badge-image").evaluate("img => img.naturalWidth") > 0
