import pytest
from allauth.account.models import EmailAddress

from users.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_applicant_logs_in_through_the_allauth_form(live_server, page):
    user = User.objects.create_user("hanako.yamada@example.jp", "a-long-demo-password")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "hanako.yamada@example.jp")
    page.fill("input[name=password]", "a-long-demo-password")
    page.click("main form button[type=submit]")

    # Applicants land on their credentials (portal.views.landing).
    page.wait_for_url(f"{live_server.url}/credentials/")
    assert page.locator("form[action='/accounts/logout/']").count() == 1


def test_wrong_password_is_refused_with_a_message(live_server, page):
    User.objects.create_user("taro@example.jp", "a-long-demo-password")

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "taro@example.jp")
    page.fill("input[name=password]", "not-the-password")
    page.click("main form button[type=submit]")

    assert page.locator(".errorlist, [role=alert], .alert").first.is_visible()
    assert page.url.endswith("/accounts/login/")
