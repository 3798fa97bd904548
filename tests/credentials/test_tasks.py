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


def test_unreachable_issuer_is_retried_then_left_for_the_recheck(sent, monkeypatch):
    credential = new_credential()
    monkeypatch.setattr(services, "_verify", lambda c: report(Status.UNVERIFIABLE, retryable=True))
    delays = []
    monkeypatch.setattr(services, "retry_delay", lambda attempt: delays.append(attempt) or 0.0)

    # Eager mode runs each retry at once, so the whole policy plays out here.
    tasks.verify_credential_task.apply(args=[credential.pk, "upload"])

    runs = list(credential.runs.order_by("attempt"))
    assert [run.attempt for run in runs] == list(range(tasks.MAX_RETRIES + 1))
    assert [run.trigger for run in runs] == ["upload"] + ["retry"] * tasks.MAX_RETRIES
    assert delays == list(range(tasks.MAX_RETRIES))
    credential.refresh_from_db()
    assert credential.status == Status.UNVERIFIABLE
    assert credential.next_check_at > timezone.now() + timedelta(hours=1)


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
        created_at=timezone.now() - tasks.STUCK_PENDING_AFTER - timedelta(seconds=1),
        queued_until=timezone.now() - timedelta(seconds=1),
    )
    sent.clear()
    assert tasks.requeue_stuck_pending_task.apply().get() == 1
    assert sent == [(stuck.pk, str(Trigger.UPLOAD))]
    assert fresh.pk not in [pk for pk, _ in sent]


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
