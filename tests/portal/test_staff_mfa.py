"""Site admins and staff need two-factor authentication for /admin/ and /statistics/."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> User:
    return User.objects.create_user("staff@example.jp", "a-long-pass-2026", is_staff=True)


@pytest.mark.parametrize("url", ["/admin/", "/admin/users/user/", "/statistics/"])
def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, staff, url):
    client.force_login(staff)
    response = client.get(url, headers={"accept-language": "en"})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    page = client.get(response["Location"], headers={"accept-language": "en"})
    assert "Site administration and the statistics need two-factor" in page.content.decode()


def test_a_post_to_the_admin_is_refused_too(client, staff):
    client.force_login(staff)
    response = client.post(reverse("admin:users_user_add"), {"email": "x@example.jp"})
    assert response.status_code == 302
    assert not User.objects.filter(email="x@example.jp").exists()


def test_superusers_who_are_not_staff_are_held_to_the_same_rule(client):
    root = User.objects.create_user("root@example.jp", is_superuser=True)
    client.force_login(root)
    assert client.get("/statistics/")["Location"] == reverse("mfa_index")


def test_with_an_authenticator_staff_reach_the_admin_and_statistics(client, staff):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    assert client.get("/statistics/").status_code == 200


def test_the_admin_password_form_is_replaced_by_the_login_that_asks_for_the_code(client):
    response = client.get("/admin/login/?next=/admin/portal/user/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fadmin%2Fportal%2Fuser%2F"
    # Posting a password straight to Django's admin form cannot bypass the second step.
    User.objects.create_user("staff@example.jp", "a-long-pass-2026", is_staff=True)
    posted = client.post(
        "/admin/login/", {"username": "staff@example.jp", "password": "a-long-pass-2026"}
    )
    assert posted.status_code == 302
    assert "_auth_user_id" not in client.session


def test_ordinary_users_are_not_affected(client):
    user = User.objects.create_user("hanako@example.jp")
    client.force_login(user)
    assert client.get(reverse("credentials:list")).status_code == 200
