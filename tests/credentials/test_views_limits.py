"""The applicant's pages under load: upload body caps, one poll per page with back-off,
pagination, stored headlines, the re-check throttle, the run history cap (review H1, H3,
L2, M6)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from credentials import services, views
from credentials.explanation.stored import stored_explanations
from credentials.models import Credential, Trigger, VerificationRun
from credentials.vocabulary import Status
from tests.credentials.applicants import json_bytes, report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def handlers_fed(monkeypatch):
    """Bytes of each file that reached Django's own upload handlers (memory or disk)."""
    fed: dict[str, int] = {}
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        original = handler.receive_data_chunk

        def spy(self, raw_data, start, original=original):
            fed[self.file_name] = fed.get(self.file_name, 0) + len(raw_data)
            return original(self, raw_data, start)

        monkeypatch.setattr(handler, "receive_data_chunk", spy)
    return fed


def upload(client, *files):
    return client.post(
        reverse("credentials:upload"),
        {"badges": [SimpleUploadedFile(name, data) for name, data in files]},
    )


def settle(*credentials: Credential, **fields) -> None:
    """As after a finished run: checked, next check in a week, no task queued."""
    now = timezone.now()
    values = {
        "status": Status.VERIFIED,
        "last_checked_at": now - timedelta(hours=1),
        "next_check_at": now + timedelta(days=7),
        "queued_until": None,
        **fields,
    }
    Credential.objects.filter(pk__in=[c.pk for c in credentials]).update(**values)


# --- H1: the upload body ----------------------------------------------------------------


def test_a_body_larger_than_any_valid_upload_is_a_413_before_it_is_read(
    client, hanako, queued, settings, handlers_fed
):
    settings.CREDENTIAL_MAX_UPLOAD_BYTES = 1000
    settings.CREDENTIAL_MAX_FILES_PER_UPLOAD = 2
    response = upload(client, ("huge.json", b"{" + b" " * 1_100_000 + b"}"))
    body = response.content.decode()
    assert response.status_code == 413
    assert "too large together" in body
    assert "at most 2 files at a time" in body
    assert handlers_fed == {}  # nothing buffered or spooled
    assert not Credential.objects.exists()


def test_a_file_over_the_cap_is_dropped_before_it_is_buffered(
    client, hanako, queued, settings, handlers_fed
):
    settings.CREDENTIAL_MAX_UPLOAD_BYTES = 1000
    response = upload(client, ("big.json", b"{" + b" " * 5000 + b"}"), ("ok.json", json_bytes(1)))
    body = response.content.decode()
    assert response.status_code == 413
    assert "The file “big.json” is over 0.001 MB" in body
    assert "big.json" not in handlers_fed
    assert list(Credential.objects.values_list("original_name", flat=True)) == ["ok.json"]


def test_only_files_over_the_cap_say_so_not_choose_a_file(client, hanako, queued, settings):
    settings.CREDENTIAL_MAX_UPLOAD_BYTES = 1000
    response = upload(client, ("big.json", b"{" + b" " * 5000 + b"}"))
    body = response.content.decode()
    assert response.status_code == 413
    assert "big.json" in body
    assert "This field is required" not in body


def test_the_upload_still_needs_the_csrf_token(hanako, queued):
    client = Client(enforce_csrf_checks=True)
    client.force_login(hanako)
    response = upload(client, ("ok.json", json_bytes(1)))
    assert response.status_code == 403
    assert not Credential.objects.exists()


# --- L2: no file ------------------------------------------------------------------------


def test_an_upload_with_no_file_says_a_file_is_needed(client, hanako, queued):
    response = client.post(reverse("credentials:upload"), {})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


# --- H3: polling and the list -----------------------------------------------------------


def test_a_due_but_unqueued_credential_is_not_polled(client, hanako, queued):
    credential = services.submit_upload(
        applicant=hanako, data=json_bytes(1), filename="a"
    ).credential
    settle(credential, next_check_at=timezone.now() - timedelta(minutes=1))
    assert not Credential.objects.get().is_being_checked
    for url in (reverse("credentials:list"), reverse("credentials:detail", args=[credential.pk])):
        assert "hx-get" not in client.get(url).content.decode()


def test_the_list_polls_once_for_the_whole_page_with_back_off(client, hanako, queued):
    for n in range(3):
        services.submit_upload(applicant=hanako, data=json_bytes(n), filename=f"{n}")
    body = client.get(reverse("credentials:list")).content.decode()
    assert body.count("hx-get") == 1
    assert 'hx-trigger="every 2s"' in body

    fragment = client.get(
        reverse("credentials:list"), {"page": 1, "poll": 3}, headers={"HX-Request": "true"}
    ).content.decode()
    assert 'hx-trigger="every 8s"' in fragment
    assert "poll=4" in fragment

    last = client.get(
        reverse("credentials:list"),
        {"page": 1, "poll": len(views.POLL_INTERVALS)},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "hx-get" not in last
    assert "data-polling-stopped" in last


def test_the_detail_page_backs_off_and_stops(client, hanako, queued):
    credential = services.submit_upload(
        applicant=hanako, data=json_bytes(1), filename="a"
    ).credential
    url = reverse("credentials:detail", args=[credential.pk])
    intervals = []
    for poll in range(len(views.POLL_INTERVALS) + 1):
        body = client.get(url, {"poll": poll}, headers={"HX-Request": "true"}).content.decode()
        trigger = (
            body.split('hx-trigger="every ', 1)[1].split("s", 1)[0] if "hx-get" in body else None
        )
        intervals.append(trigger)
    assert intervals[:5] == ["2", "4", "6", "8", "10"]
    assert intervals[-1] is None
    assert 240 <= sum(int(i) for i in intervals if i) <= 360  # about five minutes


def test_the_list_is_paginated(client, hanako, queued):
    for n in range(views.CREDENTIALS_PER_PAGE + 1):
        services.submit_upload(applicant=hanako, data=json_bytes(n), filename=f"{n}.json")
    first = client.get(reverse("credentials:list")).content.decode()
    second = client.get(reverse("credentials:list"), {"page": 2}).content.decode()
    assert first.count("data-status=") == views.CREDENTIALS_PER_PAGE
    assert second.count("data-status=") == 1
    assert 'rel="next"' in first
    assert "0.json" in second  # oldest last


def test_list_headlines_come_from_the_stored_explanation(client, hanako, queued, monkeypatch):
    credentials = [
        services.submit_upload(applicant=hanako, data=json_bytes(n), filename=f"{n}").credential
        for n in range(3)
    ]
    record = report(Status.VERIFIED).credential
    settle(*credentials, record=record.as_json(), explanations=stored_explanations(record))

    def no_explain(*args, **kwargs):
        raise AssertionError("explain() ran for a row with a stored explanation")

    monkeypatch.setattr(views, "explain", no_explain)
    body = client.get(reverse("credentials:list")).content.decode()
    assert body.count('class="explanation__headline"') == 3


# --- M6: re-check and history -----------------------------------------------------------


def test_a_recheck_right_after_a_check_tells_the_applicant(client, hanako, queued):
    credential = services.submit_upload(
        applicant=hanako, data=json_bytes(1), filename="a"
    ).credential
    settle(credential, last_checked_at=timezone.now() - timedelta(seconds=10))
    queued.clear()
    response = client.post(reverse("credentials:recheck", args=[credential.pk]), follow=True)
    assert "less than a minute ago" in response.content.decode()
    assert queued == []


def test_the_detail_page_shows_the_last_twenty_runs(client, hanako, queued):
    credential = services.submit_upload(
        applicant=hanako, data=json_bytes(1), filename="a"
    ).credential
    now = timezone.now()
    VerificationRun.objects.bulk_create(
        VerificationRun(
            credential=credential,
            trigger=Trigger.RECHECK,
            started_at=now - timedelta(days=n),
            finished_at=now - timedelta(days=n),
            status=Status.VERIFIED,
            format="ob3",
            engine_version="test",
        )
        for n in range(25)
    )
    body = client.get(reverse("credentials:detail", args=[credential.pk])).content.decode()
    assert body.split('<table class="runs">', 1)[1].count("<tr>") == 21  # header + 20
    assert "Only the latest 20 checks are shown." in body


def test_a_declared_120_mb_body_is_refused_without_reading_it(hanako, queued):
    """At the real settings: 20 files of 5 MB (+1 MB) at most. The body given is empty,
    so any attempt to read the declared 120 MB (by the view, or by the CSRF middleware
    looking for its token) would fail the request."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(hanako)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.generic(
        "POST",
        reverse("credentials:upload"),
        data=b"",
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(120_000_000),
    )
    body = response.content.decode()
    assert response.status_code == 413
    assert "at most 20 files at a time, each under 5 MB" in body
    assert not Credential.objects.exists()
