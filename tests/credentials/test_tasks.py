from datetime import timedelta

import pytest
from django.utils import timezone

from credentials import services, tasks
from credentials.models import Credential, Trigger
from credentials.vocabulary import Status
from tests.credentials.applicants import applicant, json_bytes, report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def sent(monkeypatch):
    """Messages the task code sends to the broker, as (credential id, trigger)."""
    messages: list[tuple[int, str]] = []
    monkeypatch.setattr(
        services, "queue_verification", lambda pk, trigger: messages.append((pk, str(trigger)))
    )
    monkeypatch.setattr(tasks.verify_credential_task, "delay", lambda *args: messages.append(args))
    return messages


def new_credential(n: int = 1) -> Credential:
    return services.submit_upload(
        applicant=applicant(f"user{n}@example.jp"), data=json_bytes(n), filename=f"{n}.json"
    ).credential


def test_task_run_twice_verifies_once(sent, monkeypatch):
    credential = new_credential()
    calls = []
    monkeypatch.setattr(
        services, "_verify", lambda c: calls.append(c.pk) or report(Status.VERIFIED)
    )

    tasks.verify_credential_task.apply(args=[credential.pk, "upload"]).get()
    tasks.verify_credential_task.apply(args=[credential.pk, "upload"]).get()

    assert calls == [credential.pk]
    assert credential.runs.count() == 1


def test_task_for_a_deleted_row_logs_and_returns(monkeypatch, caplog):
    monkeypatch.setattr(services, "_verify", lambda c: pytest.fail("nothing to verify"))
    result = tasks.verify_credential_task.apply(args=[424242, "upload"])
    assert result.successful()
    assert "424242" in caplog.text


def test_unreachable_issuer_is_retried_on_a_widening_schedule_then_left_for_the_recheck(
    sent, monkeypatch
):
    credential = new_credential()
    monkeypatch.setattr(services, "_verify", lambda c: report(Status.UNVERIFIABLE, retryable=True))
    delays = []
    real_delay = services.retry_delay
    monkeypatch.setattr(
        services, "retry_delay", lambda attempt: delays.append(real_delay(attempt)) or 0.0
    )

    tasks.verify_credential_task.apply(args=[credential.pk, "upload"])
    for _ in range(services.MAX_UNREACHABLE_RETRIES):
        # The retry is due (retry_delay gave 0 s): the sweep sends it as a re-check.
        sent.clear()
        assert tasks.recheck_due_credentials_task.apply().get() == 1
        tasks.verify_credential_task.apply(args=[credential.pk, sent[0][1]])

    runs = list(credential.runs.order_by("attempt"))
    assert [run.attempt for run in runs] == list(range(services.MAX_UNREACHABLE_RETRIES + 1))
    assert [run.trigger for run in runs] == ["upload"] + [
        "retry"
    ] * services.MAX_UNREACHABLE_RETRIES
    # Seconds at first, then up to an hour; never one jump of hours after a few minutes.
    assert len(delays) == services.MAX_UNREACHABLE_RETRIES
    assert delays[0] <= 10
    assert max(delays) <= services.RETRY_MAX_SECONDS
    assert sum(delays) >= 12 * 3600  # the retries go on for (about) a day
    credential.refresh_from_db()
    assert credential.status == Status.UNVERIFIABLE
    assert credential.next_check_at > timezone.now() + timedelta(hours=5)


# Transactional: the task closes broken connections, which inside the test's transaction
# would be the test's own.
@pytest.mark.django_db(transaction=True)
def test_a_database_error_mid_task_is_retried_and_the_claim_taken_back(sent, monkeypatch):
    from django.db import OperationalError

    credential = new_credential()
    failures = []

    def verify_once_the_database_is_back(c):
        if not failures:
            failures.append(c.pk)
            raise OperationalError("terminating connection due to administrator command")
        return report(Status.VERIFIED)

    monkeypatch.setattr(services, "_verify", verify_once_the_database_is_back)
    # Eager mode runs the retry at once, with the same task id: it must not wait for the
    # claim its first try left behind.
    result = tasks.verify_credential_task.apply(args=[credential.pk, "upload"])

    assert result.successful()
    assert failures == [credential.pk]
    credential.refresh_from_db()
    assert credential.status == Status.VERIFIED
    assert credential.claimed_until is None
    assert credential.runs.count() == 1


def test_recheck_sweep_queues_due_credentials(sent):
    due, later = new_credential(1), new_credential(2)
    # Both were checked once, which released the queue lease taken at upload.
    Credential.objects.filter(pk=due.pk).update(
        status=Status.VERIFIED,
        next_check_at=timezone.now() - timedelta(seconds=1),
        queued_until=None,
    )
    Credential.objects.filter(pk=later.pk).update(
        status=Status.VERIFIED, next_check_at=timezone.now() + timedelta(days=3), queued_until=None
    )
    sent.clear()
    assert tasks.recheck_due_credentials_task.apply().get() == 1
    assert sent == [(due.pk, str(Trigger.RECHECK))]
    # The next sweep, while that task still waits in the queue, sends nothing more.
    assert tasks.recheck_due_credentials_task.apply().get() == 0
    assert len(sent) == 1


def test_stuck_pending_sweep_requeues_old_pending_uploads(sent):
    stuck, fresh = new_credential(1), new_credential(2)
    # Its task was lost: the queue lease taken at upload has run out.
    Credential.objects.filter(pk=stuck.pk).update(
        queued_until=timezone.now() - timedelta(seconds=1),
    )
    sent.clear()
    assert tasks.requeue_stuck_pending_task.apply().get() == 1
    assert sent == [(stuck.pk, str(Trigger.UPLOAD))]
    assert fresh.pk not in [pk for pk, _ in sent]


def test_an_upload_whose_task_could_not_be_sent_is_sent_by_the_next_sweep(
    monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    def broker_down(*args):
        raise OperationalError("Error 111 connecting to the broker. Connection refused.")

    monkeypatch.setattr(tasks.verify_credential_task, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        credential = new_credential()
    credential.refresh_from_db()
    assert credential.status == Status.PENDING
    assert credential.queued_until is None  # known not to be queued

    sent = []
    monkeypatch.setattr(tasks.verify_credential_task, "delay", lambda *args: sent.append(args))
    assert tasks.requeue_stuck_pending_task.apply().get() == 1
    assert sent == [(credential.pk, str(Trigger.UPLOAD))]


def test_a_lost_message_is_sent_again_once_the_queue_is_empty(sent, monkeypatch):
    credential = new_credential()
    sent.clear()
    # Sent a minute ago and never started; the broker's queue holds nothing (Redis restarted).
    Credential.objects.filter(pk=credential.pk).update(
        queued_until=timezone.now() + services.QUEUE_LEASE - timedelta(minutes=1)
    )
    monkeypatch.setattr(tasks, "broker_queue_is_empty", lambda: False)
    assert tasks.requeue_stuck_pending_task.apply().get() == 0  # it may still be waiting
    monkeypatch.setattr(tasks, "broker_queue_is_empty", lambda: True)
    assert tasks.requeue_stuck_pending_task.apply().get() == 1
    assert sent == [(credential.pk, str(Trigger.UPLOAD))]


def test_a_dead_worker_s_claims_are_released_and_a_live_one_s_kept(sent):
    held_by_dead, held_by_live = new_credential(1), new_credential(2)
    later = timezone.now() + timedelta(minutes=2)
    Credential.objects.filter(pk=held_by_dead.pk).update(
        claimed_until=later, claimed_by="w1@host/dead0000 task-1"
    )
    Credential.objects.filter(pk=held_by_live.pk).update(
        claimed_until=later, claimed_by="w2@host/live0000 task-2"
    )
    released = services.release_claims_of_dead_workers(
        alive=["w2@host/live0000"], now=timezone.now()
    )
    assert released == 1
    held_by_dead.refresh_from_db()
    held_by_live.refresh_from_db()
    assert held_by_dead.claimed_until is None
    assert held_by_dead.queued_until is None
    assert held_by_live.claimed_until == later
    sent.clear()
    assert tasks.requeue_stuck_pending_task.apply().get() == 1
    assert sent == [(held_by_dead.pk, str(Trigger.UPLOAD))]


def test_verifying_a_new_address_rechecks_mismatched_credentials(sent):
    from allauth.account.models import EmailAddress
    from allauth.account.signals import email_confirmed

    credential = new_credential()
    Credential.objects.filter(pk=credential.pk).update(
        status=Status.RECIPIENT_MISMATCH,
        next_check_at=timezone.now() + timedelta(days=7),
        queued_until=None,
    )
    address = EmailAddress.objects.create(
        user=credential.owner, email="other@example.jp", verified=True
    )
    sent.clear()

    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)

    assert sent == [(credential.pk, str(Trigger.MANUAL))]
    credential.refresh_from_db()
    assert credential.next_check_at <= timezone.now()  # due, so the task may claim it
