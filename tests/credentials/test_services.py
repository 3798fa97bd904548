import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from credentials import services
from credentials.exceptions import (
    CredentialLimitReached,
    InvalidLink,
    UnsupportedFileType,
    UploadEmpty,
    UploadTooLarge,
)
from credentials.models import Credential, Trigger, VerificationRun
from credentials.sniff import JSON, PNG, SVG
from credentials.vocabulary import Status
from tests.credentials.applicants import (
    XXE_SVG,
    applicant,
    interop,
    json_bytes,
    plain_png,
    report,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def engine_says(monkeypatch):
    """Make the engine give the reports in ``replies`` in turn, recording each call."""
    calls: list[int] = []

    def install(*replies):
        pending = list(replies)

        def fake(credential):
            calls.append(credential.pk)
            return pending.pop(0) if len(pending) > 1 else pending[0]

        monkeypatch.setattr(services, "_verify", fake)
        return calls

    return install


def test_upload_keeps_the_bytes_exactly_with_hash_size_and_sniffed_type(queued, settings):
    hanako = applicant()
    data = interop("ob3-v2-eddsa-valid-baked.png")

    submission = services.submit_upload(applicant=hanako, data=data, filename="badge.json")

    credential = submission.credential
    assert submission.created
    assert credential.sha256 == hashlib.sha256(data).hexdigest()
    assert credential.size == len(data)
    assert credential.content_type == PNG  # from the bytes, not from the ".json" name
    assert credential.original_name == "badge.json"
    assert credential.original.name.endswith(".bin")
    with credential.original.open("rb") as handle:
        assert handle.read() == data
    assert credential.status == Status.PENDING


def test_upload_queues_verification_only_after_commit(
    django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(
        "credentials.tasks.verify_credential_task.delay",
        lambda pk, trigger: sent.append((pk, trigger)),
    )
    hanako = applicant()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        credential = services.submit_upload(
            applicant=hanako, data=json_bytes(1), filename="a.json"
        ).credential
    assert sent == []
    for callback in callbacks:
        callback()
    assert sent == [(credential.pk, "upload")]


def test_same_file_twice_returns_the_existing_credential(queued):
    hanako = applicant()
    first = services.submit_upload(applicant=hanako, data=json_bytes(1), filename="a.json")
    again = services.submit_upload(applicant=hanako, data=json_bytes(1), filename="copy.json")

    assert not again.created
    assert again.credential.pk == first.credential.pk
    assert Credential.objects.count() == 1
    assert len(queued) == 1


def test_same_file_from_two_applicants_is_two_credentials(queued):
    services.submit_upload(applicant=applicant(), data=json_bytes(1), filename="a.json")
    services.submit_upload(
        applicant=applicant("taro@example.jp"), data=json_bytes(1), filename="a.json"
    )
    assert Credential.objects.count() == 2


def test_empty_file_is_refused_with_its_name(queued):
    with pytest.raises(UploadEmpty, match=r"empty\.json"):
        services.submit_upload(applicant=applicant(), data=b"", filename="empty.json")
    assert not Credential.objects.exists()
    assert queued == []


def test_fifty_megabyte_file_is_refused_before_anything_is_stored(queued):
    with pytest.raises(UploadTooLarge) as raised:
        services.submit_upload(applicant=applicant(), data=b"{" * 50_000_000, filename="big.json")
    assert raised.value.http_status == 413
    assert "5 MB" in str(raised.value)
    assert not Credential.objects.exists()


def test_file_that_is_no_credential_type_is_refused(queued):
    with pytest.raises(UnsupportedFileType):
        services.submit_upload(applicant=applicant(), data=b"%PDF-1.7\n...", filename="cv.pdf")
    assert not Credential.objects.exists()


def test_png_without_a_badge_and_xxe_svg_are_kept_for_the_engine_to_judge(queued):
    hanako = applicant()
    png = services.submit_upload(applicant=hanako, data=plain_png(), filename="photo.png")
    svg = services.submit_upload(applicant=hanako, data=XXE_SVG, filename="evil.svg")
    assert png.credential.content_type == PNG
    assert svg.credential.content_type == SVG
    assert len(queued) == 2


def test_per_applicant_cap(queued, settings):
    settings.CREDENTIAL_MAX_PER_APPLICANT = 2
    hanako = applicant()
    services.submit_upload(applicant=hanako, data=json_bytes(1), filename="1.json")
    services.submit_link(applicant=hanako, url="https://badges.example.org/a/1")
    with pytest.raises(CredentialLimitReached, match="2"):
        services.submit_upload(applicant=hanako, data=json_bytes(3), filename="3.json")
    # A duplicate is not a new credential, so it is still answered.
    assert not services.submit_upload(
        applicant=hanako, data=json_bytes(1), filename="1.json"
    ).created


@pytest.mark.parametrize(
    "url",
    [
        "",
        "not a url",
        "ftp://badges.example.org/a.json",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "https://" + "a" * 2000 + ".example.org/",
    ],
)
def test_link_must_be_a_web_address(queued, url):
    with pytest.raises(InvalidLink):
        services.submit_link(applicant=applicant(), url=url)
    assert not Credential.objects.exists()


def test_link_is_recorded_without_fetching_and_deduplicated(queued):
    hanako = applicant()
    first = services.submit_link(applicant=hanako, url=" https://badges.example.org/a/1 ")
    again = services.submit_link(applicant=hanako, url="https://badges.example.org/a/1")
    assert first.created
    assert not again.created
    assert first.credential.source_url == "https://badges.example.org/a/1"
    assert not first.credential.original
    assert queued == [(first.credential.pk, "upload")]


def test_run_records_history_and_mirrors_the_verdict(queued, engine_says):
    credential = services.submit_upload(
        applicant=applicant(), data=json_bytes(1), filename="a.json"
    ).credential
    engine_says(report(Status.VERIFIED))

    outcome = services.run_verification(credential_id=credential.pk, trigger=Trigger.UPLOAD)

    credential.refresh_from_db()
    assert outcome.ran
    assert outcome.status == Status.VERIFIED
    assert credential.status == Status.VERIFIED
    assert credential.title == "Data Analysis"
    assert credential.issuer_name == "Example University"
    assert credential.first_verified_at == credential.last_checked_at
    assert credential.status_changed_at == credential.last_checked_at
    assert credential.claimed_until is None
    days = (credential.next_check_at - credential.last_checked_at).days
    assert days == 7
    run = VerificationRun.objects.get(credential=credential)
    assert run.status == Status.VERIFIED
    assert run.trigger == Trigger.UPLOAD
    assert run.checks[0]["id"] == "parse"
    assert run.record["title"] == "Data Analysis"


def test_status_change_time_moves_only_when_the_status_changes(queued, engine_says):
    credential = services.submit_upload(
        applicant=applicant(), data=json_bytes(1), filename="a.json"
    ).credential
    engine_says(report(Status.VERIFIED), report(Status.VERIFIED), report(Status.REVOKED))
    services.run_verification(credential_id=credential.pk, trigger=Trigger.UPLOAD)
    credential.refresh_from_db()
    changed = credential.status_changed_at
    first_verified = credential.first_verified_at

    Credential.objects.filter(pk=credential.pk).update(next_check_at=timezone.now())
    services.run_verification(credential_id=credential.pk, trigger=Trigger.RECHECK)
    credential.refresh_from_db()
    assert credential.status_changed_at == changed

    Credential.objects.filter(pk=credential.pk).update(next_check_at=timezone.now())
    services.run_verification(credential_id=credential.pk, trigger=Trigger.RECHECK)
    credential.refresh_from_db()
    assert credential.status == Status.REVOKED
    assert credential.status_changed_at > changed
    assert credential.first_verified_at == first_verified
    assert credential.runs.count() == 3


def test_second_delivery_of_the_same_task_does_nothing(queued, engine_says):
    credential = services.submit_upload(
        applicant=applicant(), data=json_bytes(1), filename="a.json"
    ).credential
    calls = engine_says(report(Status.VERIFIED))

    first = services.run_verification(credential_id=credential.pk, trigger=Trigger.UPLOAD)
    second = services.run_verification(credential_id=credential.pk, trigger=Trigger.UPLOAD)

    assert first.ran
    assert not second.ran
    assert len(calls) == 1
    assert credential.runs.count() == 1


def test_a_credential_held_by_another_worker_is_left_alone(queued, engine_says):
    credential = services.submit_upload(
        applicant=applicant(), data=json_bytes(1), filename="a.json"
    ).credential
    calls = engine_says(report(Status.VERIFIED))
    Credential.objects.filter(pk=credential.pk).update(
        claimed_until=timezone.now() + timedelta(minutes=1)
    )
    assert not services.run_verification(credential_id=credential.pk, trigger=Trigger.UPLOAD).ran
    # A claim that ran out (its worker died) no longer blocks.
    Credential.objects.filter(pk=credential.pk).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert services.run_verification(credential_id=credential.pk, trigger=Trigger.UPLOAD).ran
    assert len(calls) == 1


def test_missing_row_is_not_an_error(engine_says):
    calls = engine_says(report(Status.VERIFIED))
    assert not services.run_verification(credential_id=987654, trigger=Trigger.UPLOAD).ran
    assert calls == []


def test_retryable_unverifiable_schedules_a_retry_until_the_last_attempt(queued, engine_says):
    credential = services.submit_upload(
        applicant=applicant(), data=json_bytes(1), filename="a.json"
    ).credential
    engine_says(report(Status.UNVERIFIABLE, retryable=True))

    outcome = services.run_verification(credential_id=credential.pk, trigger=Trigger.UPLOAD)
    credential.refresh_from_db()
    assert outcome.status == Status.UNVERIFIABLE
    wait = (outcome.next_check_at - credential.last_checked_at).total_seconds()
    assert 5 <= wait <= 10  # the first retry: 10 s, jittered down to half at most

    # The run before was the last retry allowed: the next is the periodic re-check.
    credential.runs.update(attempt=services.MAX_UNREACHABLE_RETRIES - 1)
    Credential.objects.filter(pk=credential.pk).update(next_check_at=timezone.now())
    last = services.run_verification(credential_id=credential.pk, trigger=Trigger.RECHECK)
    credential.refresh_from_db()
    assert last.ran
    assert credential.runs.first().trigger == Trigger.RETRY
    assert credential.status == Status.UNVERIFIABLE
    # Left for the periodic re-check, hours rather than days later.
    wait = credential.next_check_at - credential.last_checked_at
    assert timedelta(hours=1) < wait < timedelta(days=1)


def test_unverifiable_that_cannot_improve_is_not_retried(queued, engine_says):
    credential = services.submit_upload(
        applicant=applicant(), data=json_bytes(1), filename="a.json"
    ).credential
    engine_says(report(Status.UNVERIFIABLE, retryable=False))
    outcome = services.run_verification(credential_id=credential.pk, trigger=Trigger.UPLOAD)
    assert outcome.next_check_at - timezone.now() > timedelta(hours=1)


def test_retry_delays_grow_and_stop_at_the_ceiling():
    assert services.retry_delay(0) <= 10
    assert 40 <= services.retry_delay(3) <= 80
    assert services.RETRY_MAX_SECONDS / 2 <= services.retry_delay(20) <= services.RETRY_MAX_SECONDS


def test_sweeps_find_due_and_stuck_credentials(queued):
    hanako = applicant()
    now = timezone.now()
    stuck = services.submit_upload(applicant=hanako, data=json_bytes(1), filename="1").credential
    fresh = services.submit_upload(applicant=hanako, data=json_bytes(2), filename="2").credential
    due = services.submit_upload(applicant=hanako, data=json_bytes(3), filename="3").credential
    later = services.submit_upload(applicant=hanako, data=json_bytes(4), filename="4").credential
    # The stuck upload's task was sent half an hour ago and its queue lease has run out.
    Credential.objects.filter(pk=stuck.pk).update(
        created_at=now - timedelta(minutes=30), queued_until=now - timedelta(minutes=15)
    )
    Credential.objects.filter(pk=due.pk).update(
        status=Status.VERIFIED, next_check_at=now - timedelta(minutes=1), queued_until=None
    )
    Credential.objects.filter(pk=later.pk).update(
        status=Status.VERIFIED, next_check_at=now + timedelta(days=1), queued_until=None
    )

    assert services.credentials_due_for_recheck(now=now, limit=10) == [due.pk]
    assert services.credentials_stuck_pending(now=now, limit=10) == [stuck.pk]
    assert fresh.pk not in services.credentials_stuck_pending(now=now, limit=10)


def test_sweeps_do_not_queue_the_same_credential_again_while_it_waits(queued):
    hanako = applicant()
    now = timezone.now()
    due = services.submit_upload(applicant=hanako, data=json_bytes(1), filename="1").credential
    stuck = services.submit_upload(applicant=hanako, data=json_bytes(2), filename="2").credential
    Credential.objects.filter(pk=due.pk).update(
        status=Status.VERIFIED, next_check_at=now - timedelta(minutes=1), queued_until=None
    )
    Credential.objects.filter(pk=stuck.pk).update(
        created_at=now - timedelta(minutes=30), queued_until=None
    )

    for _sweep in range(3):  # every sweep while the first task still waits in the queue
        later = now + _sweep * timedelta(minutes=5)
        due_ids = services.credentials_due_for_recheck(now=later, limit=10)
        stuck_ids = services.credentials_stuck_pending(now=later, limit=10)
        assert (due_ids, stuck_ids) == (([due.pk], [stuck.pk]) if _sweep == 0 else ([], []))

    # Past the lease, a task the broker lost is sent once more.
    after_lease = now + services.QUEUE_LEASE + timedelta(seconds=1)
    assert services.credentials_due_for_recheck(now=after_lease, limit=10) == [due.pk]


def test_a_finished_run_releases_the_queue_lease(queued, engine_says):
    hanako = applicant()
    credential = services.submit_upload(
        applicant=hanako, data=json_bytes(1), filename="1"
    ).credential
    assert Credential.objects.get(pk=credential.pk).queued_until is not None
    engine_says(report(Status.VERIFIED))
    services.run_verification(credential_id=credential.pk, trigger=Trigger.UPLOAD)
    assert Credential.objects.get(pk=credential.pk).queued_until is None


def test_new_verified_address_rechecks_mismatched_credentials(queued):
    hanako = applicant()
    mismatch = services.submit_upload(applicant=hanako, data=json_bytes(1), filename="1").credential
    broken = services.submit_upload(applicant=hanako, data=json_bytes(2), filename="2").credential
    # Both were checked: their first tasks ran and released the queue lease.
    Credential.objects.filter(pk=mismatch.pk).update(
        status=Status.RECIPIENT_MISMATCH, queued_until=None
    )
    Credential.objects.filter(pk=broken.pk).update(status=Status.MALFORMED, queued_until=None)
    queued.clear()

    assert services.recheck_after_new_address(applicant=hanako) == 1
    assert queued == [(mismatch.pk, "manual")]


def test_delete_removes_the_row_the_runs_and_the_file(
    queued, engine_says, django_capture_on_commit_callbacks
):
    hanako = applicant()
    credential = services.submit_upload(
        applicant=hanako, data=json_bytes(1), filename="1"
    ).credential
    engine_says(report(Status.VERIFIED))
    services.run_verification(credential_id=credential.pk, trigger=Trigger.UPLOAD)
    storage, name = credential.original.storage, credential.original.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_credential(applicant=hanako, credential=credential)

    assert not Credential.objects.filter(pk=credential.pk).exists()
    assert not VerificationRun.objects.exists()
    assert not storage.exists(name)


def test_someone_else_cannot_delete_a_credential(queued):
    credential = services.submit_upload(
        applicant=applicant(), data=json_bytes(1), filename="1"
    ).credential
    services.delete_credential(applicant=applicant("taro@example.jp"), credential=credential)
    assert Credential.objects.filter(pk=credential.pk).exists()


def test_intake_knows_the_five_kinds_and_nothing_else():
    from credentials.formats.detect import ExtractionError, classify
    from credentials.sniff import CONTENT_TYPES, JWT, URI_LIST

    def sniffed(data: bytes) -> str | None:
        try:
            return CONTENT_TYPES[classify(data)]
        except ExtractionError:
            return None

    assert sniffed(interop("ob3-v2-eddsa-valid-baked.png")) == PNG
    assert sniffed(interop("ob3-v2-eddsa-valid-baked.svg")) == SVG
    assert sniffed(b'\xef\xbb\xbf  {"a": 1}') == JSON
    assert sniffed(b"eyJhbGciOiJFUzI1NiJ9.eyJ2YyI6e319.c2ln\n") == JWT
    assert sniffed(b"https://badges.example.org/assertions/1\n") == URI_LIST
    assert sniffed(XXE_SVG) == SVG
    assert sniffed(b"GIF89a") is None
    assert sniffed(b"hello <svg> in text") is None
