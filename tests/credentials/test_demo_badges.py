import pytest

from credentials import services
from credentials.models import Credential, Trigger
from credentials.vocabulary import Status
from portal.demo import load_demo_data

pytestmark = pytest.mark.django_db


def test_demo_applicant_gets_badges_in_several_states(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    queued = []
    monkeypatch.setattr(services, "queue_verification", lambda pk, trigger: queued.append(pk))

    load_demo_data()
    load_demo_data()  # `make run` loads it on every start

    credentials = Credential.objects.filter(owner__email="hanako.yamada@example.jp")
    assert credentials.count() == 6
    assert sorted(queued) == sorted(credentials.values_list("pk", flat=True))
    offline = credentials.exclude(original_name="ob3-v2-eddsa-revoked.json")
    for credential in offline:
        services.run_verification(credential_id=credential.pk, trigger=Trigger.UPLOAD)
    assert set(offline.values_list("status", flat=True)) == {
        Status.VERIFIED,
        Status.EXPIRED,
        Status.FAILED,
        Status.MALFORMED,
    }
