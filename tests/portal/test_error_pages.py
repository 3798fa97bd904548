"""Styled, translated error pages instead of Django's bare English ones."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from employers.models import Role
from tests.employers.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "text"), [("en", "Page not found"), ("ja", "ページが見つかりません")]
)
def test_404_is_a_styled_page_in_the_visitors_language(client, language, text):
    response = client.get("/no-such-page/", headers={"accept-language": language})
    assert response.status_code == 404
    body = response.content.decode()
    assert text in body
    assert 'class="site-header' in body
    assert "css/portal.css" in body


def test_403_is_a_styled_page_that_says_what_to_do(client):
    viewer = MembershipFactory(role=Role.VIEWER)
    client.force_login(viewer.user)
    # A read-only member opening an owner-only page.
    response = client.get("/employer/members/", headers={"accept-language": "en"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "You do not have access to this page" in body
    assert "Forbidden" not in body


def test_a_csrf_failure_is_explained(client):
    client.handler.enforce_csrf_checks = True
    response = client.post(
        "/accounts/login/",
        {"login": "a@example.jp", "password": "x"},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 403
    assert "The form had expired" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "text"), [("en", "Something went wrong"), ("ja", "問題が発生しました")]
)
def test_500_page_renders_without_a_request_context(language, text):
    with translation.override(language):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert text in response.content.decode()
