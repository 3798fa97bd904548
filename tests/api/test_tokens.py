"""API tokens: the owners' page, hashing at rest, revocation, and what a token may do."""

import hashlib

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from employers.api.tokens import revoke_api_token
from employers.exceptions import NotAllowed
from employers.models import ApiScope, ApiToken, Membership
from tests.api.conftest import token_client

OPENINGS = "/api/v1/openings/"


def test_owner_creates_a_token_shown_once_and_stored_only_as_its_hash(client, owner):
    client.force_login(owner.user)
    response = client.post(reverse("api:tokens"), {"name": "Our ATS", "scope": "read_write"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(employer=owner.employer)
    secret = response.context["issued"].secret
    assert secret.encode() in response.content
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.name, token.prefix, token.token_hash}
    assert secret.startswith(token.prefix)
    assert token.scope == ApiScope.READ_WRITE
    assert token.created_by == owner.user

    again = client.get(reverse("api:tokens"))
    assert secret.encode() not in again.content
    assert token.prefix.encode() in again.content


@pytest.mark.parametrize("role_fixture", ["reviewer", "viewer"])
def test_only_owners_reach_the_token_page(client, request, role_fixture):
    member = request.getfixturevalue(role_fixture)
    client.force_login(member.user)
    assert client.get(reverse("api:tokens")).status_code == 403
    assert client.post(reverse("api:tokens"), {"name": "x", "scope": "read"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_revoked_token_gets_401(client, owner):
    api = token_client(owner)
    assert api.get(OPENINGS).status_code == 200
    client.force_login(owner.user)
    client.post(reverse("api:token_revoke", args=[api.token.pk]))
    api.token.refresh_from_db()
    assert api.token.revoked_at is not None
    response = api.get(OPENINGS)
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_owner_cannot_revoke_another_employers_token(client, owner, outsider):
    theirs = token_client(outsider)
    client.force_login(owner.user)
    response = client.post(reverse("api:token_revoke", args=[theirs.token.pk]))
    assert response.status_code == 404
    assert theirs.get(OPENINGS).status_code == 200


def test_reviewer_cannot_revoke_through_the_service(owner, reviewer):
    api = token_client(owner)
    with pytest.raises(NotAllowed):
        revoke_api_token(member=reviewer, pk=api.token.pk)


@pytest.mark.parametrize(
    "header",
    [
        "Bearer cpt_not-a-real-token",
        "Bearer not-even-our-prefix",
        "Bearer",
        "Bearer two parts",
        "bearer cpt_\xe9",
    ],
)
def test_wrong_tokens_get_401_with_the_same_body(db, header):
    client = APIClient()
    response = client.get(OPENINGS, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"
    assert set(response.json()) == {"code", "detail"}


def test_no_credentials_at_all_is_401_not_authenticated(db):
    response = APIClient().get(OPENINGS)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_token_stops_working_when_its_creator_leaves_the_employer(owner):
    api = token_client(owner)
    Membership.objects.filter(pk=owner.pk).delete()
    assert api.get(OPENINGS).status_code == 401


def test_use_is_recorded_at_most_once_a_minute(owner, django_assert_num_queries):
    api = token_client(owner)
    assert api.token.last_used_at is None
    api.get(OPENINGS)
    api.token.refresh_from_db()
    first = api.token.last_used_at
    assert first is not None
    api.get(OPENINGS)
    api.token.refresh_from_db()
    assert api.token.last_used_at == first


def test_read_token_cannot_post(read_api, share):
    response = read_api.post(
        f"/api/v1/applications/{share.application_id}/decisions/",
        {"credential": share.credential_id, "influence": "used", "stage": "screening"},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "token_read_only"


def test_token_does_not_open_applicant_endpoints(read_api):
    response = read_api.get("/api/v1/me/credentials/")
    assert response.status_code == 403
    assert response.json()["code"] == "not_authenticated"
