import pytest
from django.test import Client

from employers.models import Decision, Role
from tests.employers.factories import (
    ApplicationFactory,
    MembershipFactory,
    OpeningFactory,
    SharedCredentialFactory,
    UserFactory,
    VerificationRunFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_hr_user_records_that_a_credential_was_used_at_screening(live_server, page):
    member = MembershipFactory(role=Role.REVIEWER)
    application = ApplicationFactory(
        opening=OpeningFactory(employer=member.employer), applicant=UserFactory()
    )
    share = SharedCredentialFactory(application=application, credential__title="SQL for analysts")
    VerificationRunFactory(credential=share.credential)
    _log_in(page, live_server, member.user)

    page.goto(f"{live_server.url}/employer/openings/{application.opening_id}/")
    page.click(f"a[href='/employer/candidates/{application.pk}/']")
    card = page.locator(f"#credential-{share.credential_id}")
    card.get_by_role("heading", name="SQL for analysts", exact=True).wait_for()

    detail = card.locator("details.checks li").filter(has_text="checked.recipient@example.jp")
    assert not detail.is_visible()
    card.locator("details.cred-row__more > summary").click()  # the summary row opens first
    card.locator("details.checks summary").click()
    assert detail.is_visible()

    assert card.locator("form.decision-form").count() == 0  # shown when asked for
    card.locator("a.record-link").click()
    card.locator("input[name=influence][value=used]").check()
    card.locator("select[name=stage]").select_option("screening")
    card.locator("input[name=reason_skills]").check()
    card.locator("form.decision-form button[type=submit]").click()

    history = card.locator(".decision-history li")
    history.first.wait_for()
    assert "Screening" in history.first.inner_text()
    assert "evidence of skills or ability" in history.first.inner_text()
    # htmx swapped the fragment in place: no page load, so no flash message.
    assert page.locator(".messages").count() == 0
    decision = Decision.objects.get()
    assert (decision.influence, decision.stage, decision.reason_skills) == (
        "used",
        "screening",
        True,
    )
