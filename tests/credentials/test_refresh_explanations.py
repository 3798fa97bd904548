import pytest
from django.core.management import call_command

from credentials.explanation.stored import explanation_version
from credentials.models import Credential, Trigger
from credentials.services import run_verification, submit_upload
from tests.credentials.applicants import applicant, interop

pytestmark = pytest.mark.django_db


def test_stale_stored_explanations_are_rewritten_and_current_ones_left(capsys):
    owner = applicant()
    ids = []
    for name in ("ob3-v2-eddsa-valid.json", "ob3-v2-eddsa-expired.json"):
        credential = submit_upload(applicant=owner, data=interop(name), filename=name).credential
        run_verification(credential_id=credential.pk, trigger=Trigger.UPLOAD)
        ids.append(credential.pk)
    Credential.objects.filter(pk=ids[0]).update(explanations={"version": "old", "languages": {}})

    call_command("refresh_explanations")

    assert "1 stored explanations rewritten." in capsys.readouterr().out
    refreshed = Credential.objects.get(pk=ids[0]).explanations
    assert refreshed["version"] == explanation_version()
    assert refreshed["languages"]["ja"]["headline"]
    assert refreshed["languages"]["en"]["headline"]
