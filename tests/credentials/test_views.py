from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from credentials import services
from credentials.models import Credential, Trigger
from credentials.vocabulary import Status
from tests.credentials.applicants import XXE_SVG, applicant, interop, json_bytes, plain_png, report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, *files):
    return client.post(
        reverse("credentials:upload"),
        {"badges": [SimpleUploadedFile(name, data) for name, data in files]},
    )


def test_anonymous_visitor_is_sent_to_log_in(client):
    for url in (reverse("credentials:list"), reverse("credentials:detail", args=[1])):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_list_shows_the_forms_and_status(client, hanako, queued):
    services.submit_upload(applicant=hanako, data=json_bytes(1), filename="first.json")
    response = client.get(reverse("credentials:list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'type="file"' in body
    assert "multiple" in body
    assert "first.json" in body
    assert 'data-status="pending"' in body
    assert "hx-get" in body  # pending rows poll for their result


def test_several_files_in_one_upload(client, hanako, queued):
    response = upload(
        client,
        ("badge.png", interop("ob3-v2-eddsa-valid-baked.png")),
        ("badge.json", interop("ob3-v2-eddsa-valid.json")),
    )
    assert response.status_code == 302
    assert Credential.objects.filter(owner=hanako).count() == 2
    assert len(queued) == 2


def test_duplicate_upload_says_so(client, hanako, queued):
    upload(client, ("badge.json", json_bytes(1)))
    response = upload(client, ("again.json", json_bytes(1)))
    assert response.status_code == 302
    page = client.get(reverse("credentials:list")).content.decode()
    assert "already added" in page
    assert Credential.objects.count() == 1


def test_empty_file_is_a_400_with_a_message(client, hanako, queued):
    response = upload(client, ("empty.json", b""))
    assert response.status_code == 400
    assert "empty.json" in response.content.decode()
    assert "is empty" in response.content.decode()


def test_too_large_file_is_a_413_and_the_good_one_is_still_added(client, hanako, queued, settings):
    settings.CREDENTIAL_MAX_UPLOAD_BYTES = 1000
    response = upload(client, ("big.json", b"{" + b" " * 5000 + b"}"), ("ok.json", json_bytes(1)))
    assert response.status_code == 413
    assert "big.json" in response.content.decode()
    assert list(Credential.objects.values_list("original_name", flat=True)) == ["ok.json"]


def test_too_many_files_at_once(client, hanako, queued, settings):
    settings.CREDENTIAL_MAX_FILES_PER_UPLOAD = 2
    response = upload(client, *[(f"{n}.json", json_bytes(n)) for n in range(3)])
    assert response.status_code == 400
    assert not Credential.objects.exists()


def test_unknown_file_type_is_a_400(client, hanako, queued):
    response = upload(client, ("cv.pdf", b"%PDF-1.7"))
    assert response.status_code == 400
    assert "cv.pdf" in response.content.decode()


def test_bad_link_is_a_400_and_a_good_one_goes_to_its_page(client, hanako, queued):
    bad = client.post(reverse("credentials:link"), {"url": "file:///etc/passwd"})
    assert bad.status_code == 400
    assert not Credential.objects.exists()

    good = client.post(reverse("credentials:link"), {"url": "http://169.254.169.254/latest"})
    credential = Credential.objects.get()
    assert good.status_code == 302
    assert good["Location"] == reverse("credentials:detail", args=[credential.pk])


def test_another_users_credential_is_a_404_everywhere(client, hanako, queued):
    other = applicant("taro@example.jp")
    credential = services.submit_upload(
        applicant=other, data=plain_png(), filename="taro.png"
    ).credential
    for name in ("detail", "download", "image", "delete"):
        assert client.get(reverse(f"credentials:{name}", args=[credential.pk])).status_code == 404
    for name in ("recheck", "delete"):
        assert client.post(reverse(f"credentials:{name}", args=[credential.pk])).status_code == 404
    assert Credential.objects.filter(pk=credential.pk).exists()


def test_original_is_always_a_download_never_inline(client, hanako, queued):
    credential = services.submit_upload(applicant=hanako, data=XXE_SVG, filename="x.svg").credential
    response = client.get(reverse("credentials:download", args=[credential.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == XXE_SVG


def test_artwork_is_redrawn_by_the_portal_and_hostile_svg_is_not_shown(client, hanako, queued):
    png = services.submit_upload(applicant=hanako, data=plain_png(), filename="a.png").credential
    svg = services.submit_upload(applicant=hanako, data=XXE_SVG, filename="x.svg").credential

    shown = client.get(reverse("credentials:image", args=[png.pk]))
    assert shown.status_code == 200
    assert shown["Content-Type"] == "image/png"
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert shown.content.startswith(b"\x89PNG")
    assert shown.content != plain_png()
    assert client.get(reverse("credentials:image", args=[svg.pk])).status_code == 404
    assert (
        'class="badge-image"'
        not in client.get(reverse("credentials:detail", args=[svg.pk])).content.decode()
    )


def test_detail_shows_every_check_and_the_history(client, hanako, queued, monkeypatch):
    credential = services.submit_upload(
        applicant=hanako, data=json_bytes(1), filename="a"
    ).credential
    monkeypatch.setattr(services, "_verify", lambda c: report(Status.VERIFIED))
    services.run_verification(credential_id=credential.pk, trigger=Trigger.UPLOAD)

    response = client.get(reverse("credentials:detail", args=[credential.pk]))
    body = response.content.decode()
    assert 'data-status="verified"' in body
    assert 'data-check="parse"' in body
    assert "First check after upload" in body
    assert "hx-get" not in body  # a final status stops the polling


def test_htmx_gets_only_the_fragment(client, hanako, queued):
    credential = services.submit_upload(
        applicant=hanako, data=json_bytes(1), filename="a"
    ).credential
    for url in (reverse("credentials:detail", args=[credential.pk]), reverse("credentials:list")):
        response = client.get(url, headers={"HX-Request": "true"})
        body = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in body
        assert 'type="file"' not in body
        assert 'data-status="pending"' in body
        assert 'hx-trigger="every 2s"' in body


def test_mismatch_note_points_to_the_email_page(client, hanako, queued):
    credential = services.submit_upload(
        applicant=hanako, data=json_bytes(1), filename="a"
    ).credential
    Credential.objects.filter(pk=credential.pk).update(status=Status.RECIPIENT_MISMATCH)
    body = client.get(reverse("credentials:list")).content.decode()
    assert reverse("account_email") in body.split("<main", 1)[1].split("<table", 1)[0]


def test_recheck_and_delete_through_the_pages(client, hanako, queued):
    credential = services.submit_upload(
        applicant=hanako, data=json_bytes(1), filename="a"
    ).credential
    Credential.objects.filter(pk=credential.pk).update(  # checked an hour ago
        status=Status.VERIFIED,
        last_checked_at=timezone.now() - timedelta(hours=1),
        next_check_at=timezone.now() + timedelta(days=7),
        queued_until=None,
    )
    queued.clear()
    assert client.post(reverse("credentials:recheck", args=[credential.pk])).status_code == 302
    assert queued == [(credential.pk, "manual")]

    assert client.get(reverse("credentials:delete", args=[credential.pk])).status_code == 200
    assert Credential.objects.exists()  # GET only asks
    assert client.post(reverse("credentials:delete", args=[credential.pk])).status_code == 302
    assert not Credential.objects.exists()


def test_list_queries_do_not_grow_with_fifty_credentials(
    client, hanako, queued, django_assert_num_queries
):
    for n in range(50):
        services.submit_upload(applicant=hanako, data=json_bytes(n), filename=f"{n}.json")
    record = report(Status.VERIFIED).credential.as_json()
    Credential.objects.filter(pk__lte=Credential.objects.order_by("pk")[24].pk).update(
        status=Status.VERIFIED, record=record, next_check_at=timezone.now() + timedelta(days=7)
    )
    # session, user, recipient-mismatch exists(), count for the pages, the page's
    # credentials, whether the user is HR (the menu: portal.navigation); headlines come from
    # each row's own record, so they add none
    with django_assert_num_queries(6):
        response = client.get(reverse("credentials:list"))
    body = response.content.decode()
    assert body.count('data-status="pending"') == 25
    assert body.count('data-status="verified"') == 25
    assert body.count('class="explanation__headline"') == 25
