"""Upload through the web form; a real worker on the real broker gives the verdict."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credentials.models import Credential
from credentials.vocabulary import FINAL_STATUSES, Status
from tests.conftest import wait_for
from tests.credentials.applicants import XXE_SVG, applicant, interop, plain_png

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def settled(credential_id: int) -> Credential | None:
    credential = Credential.objects.get(pk=credential_id)
    return credential if credential.status != Status.PENDING else None


def test_uploaded_badge_becomes_verified_with_no_manual_step(client, celery_worker_process):
    client.force_login(applicant())

    response = client.post(
        reverse("credentials:upload"),
        {"badges": [SimpleUploadedFile("badge.json", interop("ob3-v2-eddsa-valid.json"))]},
    )

    assert response.status_code == 302
    credential = Credential.objects.get()
    done = wait_for(
        lambda: settled(credential.pk),
        message=f"still pending; worker log:\n{celery_worker_process.output()[-3000:]}",
    )
    assert done.status == Status.VERIFIED
    assert done.runs.count() == 1
    assert "verify_credential_task" in celery_worker_process.output()


def test_worker_survives_hostile_uploads_and_still_verifies(client, celery_worker_process):
    client.force_login(applicant())
    hostile = [
        ("evil.svg", XXE_SVG),
        ("photo.png", plain_png()),
        ("not-a-credential.json", interop("not-a-credential.json")),
        # Nested objects: a JSON array is refused at upload (one badge per file).
        ("deep.json", b'{"a":' * 100_000 + b"1" + b"}" * 100_000),
    ]
    response = client.post(
        reverse("credentials:upload"),
        {"badges": [SimpleUploadedFile(name, data) for name, data in hostile]},
    )
    assert response.status_code == 302
    client.post(reverse("credentials:link"), {"url": "http://169.254.169.254/latest/meta-data/"})
    client.post(
        reverse("credentials:upload"),
        {"badges": [SimpleUploadedFile("good.png", interop("ob3-v2-eddsa-valid-baked.png"))]},
    )

    ids = list(Credential.objects.values_list("pk", flat=True))
    assert len(ids) == 6
    wait_for(
        lambda: all(settled(pk) for pk in ids),
        timeout=40,
        message=f"not all settled; worker log:\n{celery_worker_process.output()[-3000:]}",
    )
    statuses = dict(Credential.objects.values_list("original_name", "status"))
    assert statuses["evil.svg"] == Status.MALFORMED
    assert statuses["photo.png"] == Status.MALFORMED
    assert statuses["not-a-credential.json"] == Status.MALFORMED
    assert statuses["deep.json"] in FINAL_STATUSES
    assert statuses["good.png"] == Status.VERIFIED
    assert Credential.objects.get(original_name="").status == Status.UNVERIFIABLE
    assert celery_worker_process.is_alive()
