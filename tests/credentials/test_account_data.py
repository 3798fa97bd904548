import io
import json
import os
import tracemalloc
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from credentials import services
from credentials.models import Credential, Trigger, VerificationRun
from credentials.vocabulary import Status
from employers.models import Application, Decision, Employer, Influence, SharedCredential, Stage
from portal.account_data import export_account_data
from tests.credentials.applicants import XXE_SVG, applicant, interop, report
from users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(services, "queue_verification", lambda *args: None)


@pytest.fixture
def hanako_with_data(monkeypatch):
    user = applicant()
    png = services.submit_upload(
        applicant=user, data=interop("ob3-v2-eddsa-valid-baked.png"), filename="../../etc/x.png"
    ).credential
    services.submit_upload(applicant=user, data=XXE_SVG, filename="evil.svg")
    monkeypatch.setattr(services, "_verify", lambda c: report(Status.VERIFIED))
    services.run_verification(credential_id=png.pk, trigger=Trigger.UPLOAD)
    employer = Employer.objects.create(name="Sakura Trading")
    application = Application.objects.create(applicant=user, employer=employer)
    SharedCredential.objects.create(application=application, credential=png)
    Decision.objects.create(
        employer=employer,
        application=application,
        credential=png,
        influence=Influence.USED,
        stage=Stage.SCREENING,
        credential_status=Status.VERIFIED,
    )
    return user


def test_export_has_every_original_byte_for_byte_and_the_records(hanako_with_data):
    archive = zipfile.ZipFile(export_account_data(user=hanako_with_data))
    names = archive.namelist()
    data = json.loads(archive.read("data.json"))

    assert data["account"]["email"] == "hanako.yamada@example.jp"
    assert len(data["credentials"]) == 2
    for entry in data["credentials"]:
        assert entry["file"] in names
        assert entry["file"].startswith("originals/")
        assert ".." not in entry["file"]
    by_name = {c["original_name"]: c for c in data["credentials"]}
    png = by_name["../../etc/x.png"]
    assert archive.read(png["file"]) == interop("ob3-v2-eddsa-valid-baked.png")
    assert archive.read(by_name["evil.svg"]["file"]) == XXE_SVG
    assert png["verification_runs"][0]["status"] == "verified"
    (application,) = data["applications"]
    assert application["employer"] == "Sakura Trading"
    assert application["shared_credentials"][0]["credential_id"] == png["id"]


def test_export_page_gives_a_zip_to_its_owner_only(client, hanako_with_data):
    assert client.get(reverse("account_export")).status_code == 302  # anonymous → log in
    client.force_login(hanako_with_data)
    response = client.get(reverse("account_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response.streaming  # sent in blocks from a temporary file, not built in memory
    body = b"".join(response.streaming_content)
    assert zipfile.ZipFile(io.BytesIO(body)).testzip() is None


def test_export_is_written_to_a_file_without_holding_the_originals_in_memory(settings):
    settings.CREDENTIAL_MAX_UPLOAD_BYTES = 5_000_000
    user = applicant()
    # Incompressible bytes behind a PNG signature: 4 MB that deflate cannot shrink.
    data = b"\x89PNG\r\n\x1a\n" + os.urandom(4_000_000)
    services.submit_upload(applicant=user, data=data, filename="big.png")

    tracemalloc.start()
    try:
        exported = export_account_data(user=user)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    with exported:
        assert exported.fileno() >= 0  # a real file
        archive = zipfile.ZipFile(exported)
        (name,) = [n for n in archive.namelist() if n.startswith("originals/")]
        assert archive.read(name) == data
    assert peak < 1_000_000, peak


def test_delete_needs_the_email_typed_and_keeps_hr_decisions(
    client, hanako_with_data, django_capture_on_commit_callbacks
):
    client.force_login(hanako_with_data)
    files = [c.original for c in Credential.objects.all()]

    refused = client.post(reverse("account_delete"), {"email": "someone@example.jp"})
    assert refused.status_code == 400
    assert User.objects.filter(pk=hanako_with_data.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("account_delete"), {"email": "Hanako.Yamada@example.jp"})
    assert done.status_code == 302
    assert not User.objects.filter(pk=hanako_with_data.pk).exists()
    assert not Credential.objects.exists()
    assert not VerificationRun.objects.exists()
    assert not EmailAddress.objects.exists()
    assert not Application.objects.exists()
    decision = Decision.objects.get()
    assert decision.credential is None
    assert decision.credential_status == Status.VERIFIED
    for file in files:
        assert not file.storage.exists(file.name)
    assert client.get(reverse("credentials:list")).status_code == 302  # logged out
