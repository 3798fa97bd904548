"""The applicant's own credentials over the API (session auth)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from credentials.models import Credential, Trigger
from credentials.services import run_verification
from tests.credentials.applicants import applicant as make_applicant
from tests.credentials.applicants import interop, json_bytes
from tests.employers.factories import CredentialFactory, UserFactory

LIST = "/api/v1/me/credentials/"


@pytest.fixture
def hanako(db):
    return make_applicant()


@pytest.fixture
def api(hanako):
    client = APIClient()
    client.force_login(hanako)
    return client


def _upload(api, data, name="badge.json"):
    return api.post(LIST, {"file": SimpleUploadedFile(name, data)}, format="multipart")


def test_upload_verify_read_and_delete(api, hanako):
    created = _upload(api, interop("ob3-v2-eddsa-valid.json"))
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "pending"
    assert body["is_being_checked"] is True
    assert _upload(api, interop("ob3-v2-eddsa-valid.json")).status_code == 200  # same file

    run_verification(credential_id=body["id"], trigger=Trigger.UPLOAD)
    detail = api.get(f"{LIST}{body['id']}/")
    assert detail.status_code == 200
    data = detail.json()
    assert data["status"] == "verified"
    assert data["status_meaning"].startswith("Unchanged")
    # The did:key issuer is self-asserted: intact, but never "genuine".
    assert data["answers"] == {
        "intact": "yes",
        "issuer_identity": "not_confirmed",
        "issuer_identity_basis": "self_asserted",
        "issuer_identity_source": None,
        "recipient": "applicant",
        "current": "current",
        "current_date": None,
    }
    assert "genuine" not in data["headline"].lower()
    assert "identity is not confirmed" in data["headline"]
    assert {c["check"] for c in data["checks"]} >= {"parse", "proof", "recipient"}
    assert all(c["detail"] for c in data["checks"])
    assert data["explanation"]["headline"]

    listed = api.get(LIST).json()
    assert [c["id"] for c in listed["results"]] == [body["id"]]

    assert api.delete(f"{LIST}{body['id']}/").status_code == 204
    assert not Credential.objects.filter(owner=hanako).exists()
    assert api.get(f"{LIST}{body['id']}/").status_code == 404


def test_add_by_link(api):
    response = api.post(LIST, {"url": "https://badges.example.jp/assertions/1"})
    assert response.status_code == 201
    assert response.json()["source_url"] == "https://badges.example.jp/assertions/1"


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"url": "javascript:alert(1)"}, "invalid_link"),
        ({"url": "not a link"}, "invalid_link"),
        ({}, "invalid"),
    ],
)
def test_bad_links_are_400(api, payload, code):
    response = api.post(LIST, payload)
    assert response.status_code == 400
    assert response.json()["code"] == code


def test_file_and_link_together_is_400(api):
    response = api.post(
        LIST,
        {"file": SimpleUploadedFile("a.json", json_bytes(1)), "url": "https://example.jp/b"},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_unsupported_and_empty_files_are_400(api):
    assert _upload(api, b"%PDF-1.7 ...", "cv.pdf").json()["code"] == "unsupported_file_type"
    empty = api.post(LIST, {"file": SimpleUploadedFile("e.json", b"")}, format="multipart")
    assert empty.status_code == 400


def test_file_over_the_credential_limit_is_413(api, settings):
    settings.CREDENTIAL_MAX_UPLOAD_BYTES = 1_000
    response = _upload(api, b"{" + b" " * 2_000 + b"}")
    assert response.status_code == 413
    assert response.json()["code"] == "upload_too_large"
    assert not Credential.objects.exists()


def test_huge_body_is_413_before_it_is_parsed(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = _upload(api, b"{" + b" " * 50_000 + b"}")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert not Credential.objects.exists()


def test_another_applicants_credential_is_404(api):
    theirs = CredentialFactory(owner=UserFactory())
    assert api.get(f"{LIST}{theirs.pk}/").status_code == 404
    assert api.delete(f"{LIST}{theirs.pk}/").status_code == 404
    assert Credential.objects.filter(pk=theirs.pk).exists()


def test_list_filters_by_status_and_updated_since(api, hanako):
    old = CredentialFactory(owner=hanako, created_at=timezone.now() - timedelta(days=3))
    fresh = CredentialFactory(owner=hanako, status="revoked")
    since = (timezone.now() - timedelta(days=1)).isoformat()
    ids = [c["id"] for c in api.get(LIST, {"updated_since": since}).json()["results"]]
    assert ids == [fresh.pk]
    old.status_changed_at = timezone.now()
    old.save()
    ids = {c["id"] for c in api.get(LIST, {"updated_since": since}).json()["results"]}
    assert ids == {fresh.pk, old.pk}
    ids = [c["id"] for c in api.get(LIST, {"status": "revoked"}).json()["results"]]
    assert ids == [fresh.pk]
    assert api.get(LIST, {"status": "nope"}).status_code == 400


def test_anonymous_is_refused(db):
    response = APIClient().get(LIST)
    assert response.status_code == 403
    assert response.json()["code"] == "not_authenticated"


def test_list_queries_do_not_grow(api, hanako, django_assert_num_queries):
    for _ in range(50):
        CredentialFactory(owner=hanako)
    # session, user, count, page
    with django_assert_num_queries(4):
        response = api.get(LIST)
    assert len(response.json()["results"]) == 50


def test_session_post_needs_the_csrf_token(hanako):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(hanako)
    response = client.post(LIST, {"url": "https://badges.example.jp/a"})
    assert response.status_code == 403
    assert not Credential.objects.exists()
