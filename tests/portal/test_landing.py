"""Signing in leads each person to their own start page, and the menu puts it first."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from employers.models import Role
from tests.employers.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _login(client, user):
    return client.post(
        reverse("account_login"), {"login": user.email, "password": "a-long-test-password"}
    )


def test_hr_staff_land_on_their_openings_and_see_employer_menu_items_first(client):
    member = MembershipFactory(role=Role.REVIEWER)
    response = _login(client, member.user)
    assert client.get(response["Location"])["Location"] == reverse("employers:home")
    page = client.get(reverse("employers:home"), headers={"accept-language": "en"})
    nav = page.content.decode().split('class="site-nav"')[1].split("</nav>")[0]
    assert nav.index("Openings") < nav.index("My own credentials")
    assert "My applications" not in nav


def test_applicants_land_on_their_credentials(client):
    user = UserFactory()
    response = _login(client, user)
    assert client.get(response["Location"])["Location"] == reverse("credentials:list")
    page = client.get(reverse("credentials:list"), headers={"accept-language": "en"})
    nav = page.content.decode().split('class="site-nav"')[1].split("</nav>")[0]
    assert nav.index("My credentials") < nav.index("My applications")
    assert "Shared with us" not in nav


def test_site_admins_land_on_the_statistics(client):
    admin = UserFactory(is_staff=True)
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={})
    client.force_login(admin)
    assert client.get(reverse("landing"))["Location"] == reverse("statistics:overview")
