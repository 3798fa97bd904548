"""Failed-login limits: per (client address, account) and per account, with the client
address taken from the trusted proxy, so nobody can lock out people who share an address."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.credentials.applicants import applicant

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def _fresh_counts(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


def login(email: str, password: str, *, address: str, proxy: str | None = None) -> bool:
    """One login attempt from a fresh browser; True when it signed in."""
    browser = Client()
    headers = {"REMOTE_ADDR": proxy or address}
    if proxy:
        headers["HTTP_X_FORWARDED_FOR"] = address
    browser.post(
        reverse("account_login"), {"login": email, "password": password}, secure=True, **headers
    )
    return "_auth_user_id" in browser.session


def test_a_guessing_address_is_stopped_for_that_account_only():
    applicant("victim@example.jp")
    for _ in range(5):
        assert not login("victim@example.jp", "wrong", address="203.0.113.9")
    # The guesser is stopped even with the right password now ...
    assert not login("victim@example.jp", PASSWORD, address="203.0.113.9")
    # ... while the account's owner, elsewhere, signs in.
    assert login("victim@example.jp", PASSWORD, address="198.51.100.20")


def test_wrong_passwords_from_a_shared_office_address_do_not_lock_out_colleagues():
    office = "192.0.2.50"
    applicant("colleague@example.jp")
    for n in range(12):
        applicant(f"typo{n}@example.jp")
        assert not login(f"typo{n}@example.jp", "wrong", address=office)
    assert login("colleague@example.jp", PASSWORD, address=office)


def test_behind_the_proxy_the_forwarded_client_address_is_counted(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    applicant("victim@example.jp")
    for _ in range(5):
        assert not login("victim@example.jp", "wrong", address="203.0.113.9", proxy=proxy)
    # Every request arrives from the proxy, yet only the guessing client is stopped.
    assert login("victim@example.jp", PASSWORD, address="198.51.100.20", proxy=proxy)
    assert not login("victim@example.jp", PASSWORD, address="203.0.113.9", proxy=proxy)


def test_many_addresses_guessing_one_account_hit_the_account_limit(settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed_account": "8/1h/key",
    }
    applicant("target@example.jp")
    for n in range(8):
        assert not login("target@example.jp", "wrong", address=f"203.0.113.{n + 1}")
    assert not login("target@example.jp", PASSWORD, address="198.51.100.20")
    # Other accounts are untouched.
    applicant("other@example.jp")
    assert login("other@example.jp", PASSWORD, address="203.0.113.1")


def test_a_correct_password_does_not_use_up_the_allowance():
    applicant("owner@example.jp")
    for _ in range(8):
        assert login("owner@example.jp", PASSWORD, address="198.51.100.20")
    for _ in range(4):
        assert not login("owner@example.jp", "wrong", address="198.51.100.20")
    assert login("owner@example.jp", PASSWORD, address="198.51.100.20")
