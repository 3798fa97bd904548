"""Files that are about credentials but are none (status lists, DID documents, issuer
profiles, badge descriptions, empty presentations) are refused at upload — web form and API —
with a message that says what the file is; nothing is stored. The engine (CLI, links) calls
them not a learning credential rather than verifying them."""

import base64
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from credentials import services
from credentials.exceptions import NotALearningCredential
from credentials.formats.kinds import non_credential_kind
from credentials.models import Credential
from credentials.verification.context import VerificationContext
from credentials.verification.engine import verify_bytes
from credentials.vocabulary import CheckId, Outcome, Status
from tests.credentials.applicants import applicant, interop
from tests.credentials.issuers.dataintegrity import bake_png
from tests.fetchers import StaticFetcher

pytestmark = pytest.mark.django_db

DID_DOCUMENT = {
    "@context": ["https://www.w3.org/ns/did/v1"],
    "id": "did:web:issuer.example.ac.jp",
    "verificationMethod": [{"id": "did:web:issuer.example.ac.jp#key-1", "type": "Multikey"}],
    "assertionMethod": ["did:web:issuer.example.ac.jp#key-1"],
}
OB3_PROFILE = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ],
    "id": "https://issuer.example.ac.jp/profile",
    "type": ["Profile"],
    "name": "Example University",
}
OB2_BADGE_CLASS = {
    "@context": "https://w3id.org/openbadges/v2",
    "type": "BadgeClass",
    "id": "https://issuer.example.ac.jp/badges/1",
    "name": "Python",
    "issuer": "https://issuer.example.ac.jp/issuer",
}
EMPTY_PRESENTATION = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiablePresentation"],
    "holder": "did:example:holder",
}


def _jwt(payload: dict) -> bytes:
    def b64(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{b64({'alg': 'EdDSA'})}.{b64(payload)}.c2lnbmF0dXJl".encode()


CASES = {
    "status_list": interop("status-list-1.json"),
    "did_document": json.dumps(DID_DOCUMENT).encode(),
    "issuer_profile": json.dumps(OB3_PROFILE).encode(),
    "achievement_definition": json.dumps(OB2_BADGE_CLASS).encode(),
    "empty_presentation": json.dumps(EMPTY_PRESENTATION).encode(),
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("kind", sorted(CASES))
def test_service_refuses_with_the_kind_and_stores_nothing(kind, queued):
    with translation.override("en"), pytest.raises(NotALearningCredential) as caught:
        services.submit_upload(applicant=applicant(), data=CASES[kind], filename="file.json")
    assert caught.value.kind == kind
    assert "“file.json”" in str(caught.value)
    assert not Credential.objects.exists()
    assert queued == []


def test_a_status_list_baked_into_an_image_or_a_jwt_payload_is_refused_too(queued):
    status_list = json.loads(interop("status-list-1.json"))
    someone = applicant()
    for data in (bake_png(status_list), _jwt({"iss": "did:example:1", "vc": status_list})):
        with pytest.raises(NotALearningCredential):
            services.submit_upload(applicant=someone, data=data, filename="x")
    assert not Credential.objects.exists()


def test_web_form_says_what_the_file_is(client, hanako, queued):
    response = client.post(
        reverse("credentials:upload"),
        {"badges": [SimpleUploadedFile("status.json", CASES["status_list"])]},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "status list" in body
    assert "not a credential issued to you" in body
    assert not Credential.objects.exists()


def test_web_form_in_japanese(client, hanako, queued):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ja"
    response = client.post(
        reverse("credentials:upload"),
        {"badges": [SimpleUploadedFile("did.json", CASES["did_document"])]},
    )
    assert response.status_code == 400
    assert "DIDドキュメント" in response.content.decode()


def test_api_refuses_with_a_400_and_a_code(hanako, queued):
    api = APIClient()
    api.force_login(hanako)
    response = api.post(
        "/api/v1/me/credentials/",
        {"file": SimpleUploadedFile("p.json", CASES["empty_presentation"])},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "not_a_learning_credential"
    assert "presentation that holds no credential" in response.json()["detail"]
    assert not Credential.objects.exists()


def test_real_credentials_are_not_mistaken_for_non_credentials():
    for name in (
        "ob3-v2-eddsa-valid.json",
        "ob3-v1-ed25519sig2020-valid.json",
        "ob3-v2-eddsa-revoked.json",
    ):
        assert non_credential_kind(json.loads(interop(name))) is None
    held = json.loads(interop("ob3-v2-eddsa-valid.json"))
    assert non_credential_kind({**EMPTY_PRESENTATION, "verifiableCredential": [held]}) is None


@pytest.mark.parametrize("kind", sorted(CASES))
def test_engine_reports_them_as_not_a_learning_credential(kind):
    report = verify_bytes(CASES[kind], ctx=VerificationContext(fetcher=StaticFetcher()))
    assert report.status == Status.MALFORMED
    (parse,) = report.checks
    assert (parse.check, parse.outcome, parse.code) == (
        CheckId.PARSE,
        Outcome.FAILED,
        f"not_learning_{kind}",
    )
    assert parse.detail.startswith("This ")
