"""Broker down at upload time and a worker killed mid-batch: after restart nothing uploaded
is lost, every credential reaches a final status, and none is verified twice."""

import hashlib
import signal
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from credentials import tasks
from credentials.models import Credential
from credentials.vocabulary import Status
from tests.conftest import start_worker, wait_for
from tests.credentials.applicants import applicant, interop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The valid credential with a different (ignored) trailing newline count: distinct files,
# all verifiable, so every one must end "verified".
VALID = interop("ob3-v2-eddsa-valid.json")


def variant(n: int) -> bytes:
    return VALID + b"\n" * (n + 1)


def upload(client, names_and_data) -> int:
    response = client.post(
        reverse("credentials:upload"),
        {"badges": [SimpleUploadedFile(name, data) for name, data in names_and_data]},
    )
    return response.status_code


def test_nothing_is_lost_when_the_broker_is_down_or_the_worker_dies(
    client, monkeypatch, celery_worker_process, tmp_path
):
    client.force_login(applicant())
    # This test stops and replaces the session's worker; the replacement is handed back to
    # the fixture at the end so later tests (and its teardown) use it.
    session_worker = celery_worker_process
    session_worker.process.terminate()
    session_worker.process.wait(timeout=15)
    queue = session_worker.queue

    # 1. The broker is down while five files are uploaded: the uploads still succeed.
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to the broker. Connection refused.")

    with monkeypatch.context() as outage:
        outage.setattr(tasks.verify_credential_task, "delay", broker_down)
        assert upload(client, [(f"outage-{n}.json", variant(n)) for n in range(5)]) == 302
    assert Credential.objects.filter(status=Status.PENDING).count() == 5

    # 2. Twenty more are uploaded with the broker up; the worker is killed mid-batch.
    assert upload(client, [(f"batch-{n}.json", variant(n + 5)) for n in range(20)]) == 302
    # A short time limit keeps the claim of the killed worker's task short (limit + 5 s).
    worker_env = {"CELERY_TASK_TIME_LIMIT": "3", "CELERY_TASK_SOFT_TIME_LIMIT": "2"}
    first = start_worker(queue=queue, log=tmp_path / "first.log", extra_env=worker_env)
    wait_for(
        lambda: Credential.objects.exclude(status=Status.PENDING).exists(),
        message=first.output()[-2000:],
    )
    first.process.send_signal(signal.SIGKILL)
    first.process.wait(timeout=10)
    in_flight = Credential.objects.filter(status=Status.PENDING, original_name__startswith="batch")
    assert in_flight.exists(), "the worker finished the batch before it was killed"

    # 3. A new worker starts; the stuck-pending sweep (beat) sends the lost ones again.
    second = start_worker(queue=queue, log=tmp_path / "second.log", extra_env=worker_env)
    session_worker.process, session_worker.log = second.process, second.log

    def all_settled() -> bool:
        pending = Credential.objects.filter(status=Status.PENDING)
        if pending.exists():
            # Stand in for the queue lease running out (QUEUE_LEASE, 15 minutes), after which
            # the sweep may send a lost task again.
            pending.update(queued_until=timezone.now() - timedelta(seconds=1))
            tasks.requeue_stuck_pending_task.apply()
            return False
        return True

    wait_for(all_settled, timeout=60, interval=1.0, message=second.output()[-3000:])

    credentials = list(Credential.objects.all())
    assert len(credentials) == 25
    assert {c.status for c in credentials} == {Status.VERIFIED}
    for credential in credentials:
        with credential.original.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == credential.sha256
        assert credential.runs.count() == 1, f"{credential.original_name} was verified twice"
