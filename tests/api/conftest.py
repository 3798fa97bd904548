import pytest
from rest_framework.test import APIClient

from employers.api.tokens import create_api_token
from employers.models import ApiScope
from tests.employers.fixtures import (  # noqa: F401 — fixtures
    _empty_cache,
    _english_pages,
    _fast_password_hashing,
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
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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
