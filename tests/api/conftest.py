import pytest
from rest_framework.test import APIClient

from employers.api.tokens import create_api_token
from employers.models import ApiScope, Role
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
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    # Throttle counters live in the cache; each test starts with a fresh budget.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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


def token_client(member, scope=ApiScope.READ) -> APIClient:
    issued = create_api_token(member=member, name="ATS", scope=scope)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    client.token = issued.token
    client.secret = issued.secret
    return client


@pytest.fixture
def read_api(owner):
    return token_client(owner, ApiScope.READ)


@pytest.fixture
def write_api(owner):
    return token_client(owner, ApiScope.READ_WRITE)


@pytest.fixture
def outsider_api(outsider):
    return token_client(outsider, ApiScope.READ_WRITE)
