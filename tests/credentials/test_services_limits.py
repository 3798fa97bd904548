"""Services under load and races: the byte quota, the applicant lock around the caps, a
credential deleted mid-run, the manual re-check throttle (review H2, L4, M4, M6)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone, translation

from credentials import services
from credentials.exceptions import CredentialStorageFull
from credentials.models import Credential, Trigger, VerificationRun
from credentials.vocabulary import Status
from tests.credentials.applicants import applicant, json_bytes, report
from users.models import User


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):  # assertions read the English texts
        yield


@pytest.mark.django_db
def test_uploads_past_the_byte_quota_are_refused_with_a_clear_message(queued, settings):
    hanako = applicant()
    first, second = b'{"a": "' + b"x" * 80 + b'"}', b'{"b": "' + b"y" * 80 + b'"}'
    settings.CREDENTIAL_MAX_BYTES_PER_APPLICANT = len(first) + len(second) - 1
    services.submit_upload(applicant=hanako, data=first, filename="first.json")

    with pytest.raises(CredentialStorageFull) as refused:
        services.submit_upload(applicant=hanako, data=second, filename="second.json")
    assert refused.value.http_status == 413
    assert "Delete files you no longer need" in str(refused.value)
    assert Credential.objects.filter(owner=hanako).count() == 1
    # Links take no space, so they are still accepted.
    assert services.submit_link(applicant=hanako, url="https://badges.example.org/1").created


@pytest.mark.django_db
def test_the_caps_are_checked_under_a_lock_on_the_applicant_in_the_inserting_transaction(
    queued, monkeypatch
):
    hanako = applicant()
    locked: list[tuple[type, bool]] = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append((self.model, connection.in_atomic_block))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    services.submit_upload(applicant=hanako, data=json_bytes(1), filename="1.json")
    services.submit_link(applicant=hanako, url="https://badges.example.org/1")
    assert locked == [(User, True), (User, True)]


@pytest.mark.django_db(transaction=True)
def test_a_credential_deleted_while_it_is_verified_gets_no_run(queued, monkeypatch):
    hanako = applicant()
    credential = services.submit_upload(
        applicant=hanako, data=json_bytes(1), filename="1.json"
    ).credential

    def delete_then_report(row: Credential):
        services.delete_credential(applicant=hanako, credential=row)
        return report(Status.VERIFIED)

    monkeypatch.setattr(services, "_verify", delete_then_report)
    outcome = services.run_verification(credential_id=credential.pk, trigger=Trigger.UPLOAD)
    assert outcome.ran is False
    assert not Credential.objects.exists()
    assert not VerificationRun.objects.exists()


def _checked(credential: Credential, *, minutes_ago: float) -> None:
    now = timezone.now()
    Credential.objects.filter(pk=credential.pk).update(
        status=Status.VERIFIED,
        last_checked_at=now - timedelta(minutes=minutes_ago),
        next_check_at=now + timedelta(days=7),
        queued_until=None,
        claimed_until=None,
    )


@pytest.mark.django_db
def test_a_recheck_right_after_a_check_is_ignored(queued):
    hanako = applicant()
    credential = services.submit_upload(
        applicant=hanako, data=json_bytes(1), filename="1"
    ).credential
    _checked(credential, minutes_ago=0.5)
    queued.clear()
    assert services.request_recheck(applicant=hanako, credential=credential) is False
    assert queued == []


@pytest.mark.django_db
def test_a_recheck_is_queued_once_however_often_it_is_asked(queued):
    hanako = applicant()
    credential = services.submit_upload(
        applicant=hanako, data=json_bytes(1), filename="1"
    ).credential
    _checked(credential, minutes_ago=5)
    queued.clear()
    answers = [services.request_recheck(applicant=hanako, credential=credential) for _ in range(3)]
    assert answers == [True, False, False]
    assert queued == [(credential.pk, Trigger.MANUAL)]
    assert Credential.objects.get(pk=credential.pk).is_being_checked


@pytest.mark.django_db
def test_a_recheck_of_a_credential_still_pending_is_ignored(queued):
    hanako = applicant()
    credential = services.submit_upload(
        applicant=hanako, data=json_bytes(1), filename="1"
    ).credential
    queued.clear()
    assert services.request_recheck(applicant=hanako, credential=credential) is False
    assert queued == []
