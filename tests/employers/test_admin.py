import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from credentials.models import TrustedIssuer
from tests.employers.factories import DecisionFactory
from users.models import User


def _site_admin() -> User:
    """A superuser with an authenticator: the admin refuses staff without one."""
    admin = User.objects.create_superuser("root@example.jp", "pw")
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={})
    return admin


@pytest.mark.parametrize(
    "model",
    ["employer", "membership", "invitation", "opening", "application", "decision"],
)
def test_site_admin_lists_employer_models_with_filters_and_search(client, share, reviewer, model):
    DecisionFactory(application=share.application, credential=share.credential)
    admin = _site_admin()
    client.force_login(admin)
    url = reverse(f"admin:employers_{model}_changelist")
    response = client.get(url, {"q": "example"})
    assert response.status_code == 200
    assert response.context["cl"].has_filters


def test_site_admin_lists_the_trusted_issuer_registry(client, db):
    TrustedIssuer.objects.create(issuer_id="https://academy.example.jp/issuer", name="Academy")
    admin = _site_admin()
    client.force_login(admin)
    response = client.get(reverse("admin:credentials_trustedissuer_changelist"), {"q": "academy"})
    assert response.status_code == 200
    assert response.context["cl"].has_filters
    assert [issuer.name for issuer in response.context["cl"].result_list] == ["Academy"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/admin/portal/user/", "/admin/users/user/"),
        ("/admin/portal/user/7/change/?x=1", "/admin/users/user/7/change/?x=1"),
        ("/admin/employers/trustedissuer/", "/admin/credentials/trustedissuer/"),
    ],
)
def test_admin_bookmarks_of_moved_models_redirect(client, db, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_site_admin_searches_users(client, reviewer):
    admin = _site_admin()
    client.force_login(admin)
    response = client.get(reverse("admin:users_user_changelist"), {"q": reviewer.user.email})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [reviewer.user]
    add = client.post(
        reverse("admin:users_user_add"),
        {
            "email": "added@example.jp",
            "password1": "a-long-pass-2026",
            "password2": "a-long-pass-2026",
        },
    )
    assert add.status_code == 302
    assert User.objects.filter(email="added@example.jp").exists()


def test_decision_records_are_read_only_in_the_admin(client, share):
    decision = DecisionFactory(application=share.application, credential=share.credential)
    admin = _site_admin()
    client.force_login(admin)
    url = reverse("admin:employers_decision_delete", args=[decision.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert type(decision).objects.filter(pk=decision.pk).exists()
