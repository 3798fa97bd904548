import pytest

from tests.employers.fixtures import (  # noqa: F401 — fixtures
    applicant,
    application,
    opening,
    outsider,
    owner,
    reviewer,
    share,
    viewer,
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The default PBKDF2 hasher takes a few hundred milliseconds per user on these machines.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    # The candidate page caches credential cards; each test starts without them.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _english_pages(settings):
    # Assertions read English text; the Japanese pages are checked in test_pages_in_japanese.
    settings.LANGUAGE_CODE = "en"
