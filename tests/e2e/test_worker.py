import pytest

from portal.models import WorkerHeartbeat
from portal.tasks import record_worker_heartbeat_task
from tests.conftest import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_real_worker_runs_a_task_sent_through_the_broker(celery_worker_process):
    WorkerHeartbeat.objects.all().delete()

    record_worker_heartbeat_task.delay()

    beat = wait_for(
        lambda: WorkerHeartbeat.objects.filter(hostname__startswith="test-").first(),
        message=f"no heartbeat written; worker log:\n{celery_worker_process.output()[-2000:]}",
    )
    assert celery_worker_process.queue in beat.hostname
    assert "record_worker_heartbeat_task" in celery_worker_process.output()


def test_healthz_reports_the_live_worker(client, celery_worker_process):
    record_worker_heartbeat_task.delay()
    wait_for(lambda: WorkerHeartbeat.objects.exists())

    response = client.get("/healthz", secure=True)

    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["checks"]["workers"]["count"] >= 1
