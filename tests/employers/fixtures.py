"""The people and records most employer-side tests start from: an employer with an owner,
a reviewer and a viewer, an owner elsewhere, an applicant who applied with one credential.
Also the settings both suites run under (fast hashing, an empty cache, English pages).
Imported by tests/employers/conftest.py and tests/api/conftest.py."""

import pytest

from employers.models import Role
from tests.employers.factories import (
    ApplicationFactory,
    MembershipFactory,
    OpeningFactory,
    SharedCredentialFactory,
    UserFactory,
    VerificationRunFactory,
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The default PBKDF2 hasher takes a few hundred milliseconds per user on these machines.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    # The candidate page caches credential cards and the API keeps throttle counters in the
    # cache; each test starts without them.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _english_pages(settings):
    # Assertions read English text; the Japanese pages are checked in test_pages_in_japanese.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def owner(db):
    return MembershipFactory(role=Role.OWNER)


@pytest.fixture
def reviewer(owner):
    return MembershipFactory(employer=owner.employer, role=Role.REVIEWER)


@pytest.fixture
def viewer(owner):
    return MembershipFactory(employer=owner.employer, role=Role.VIEWER)


@pytest.fixture
def outsider(db):
    """An owner at another employer: must never see the first employer's data."""
    return MembershipFactory(role=Role.OWNER)


@pytest.fixture
def applicant(db):
    return UserFactory(display_name="山田 花子")


@pytest.fixture
def opening(owner):
    return OpeningFactory(employer=owner.employer, title="Data analyst")


@pytest.fixture
def application(opening, applicant):
    return ApplicationFactory(opening=opening, applicant=applicant)


@pytest.fixture
def share(application):
    share = SharedCredentialFactory(application=application)
    VerificationRunFactory(credential=share.credential)
    return share
