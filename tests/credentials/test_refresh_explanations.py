from pathlib import Path

import pytest
from django.core.management import call_command

from credentials.explanation.stored import explanation_version
from credentials.models import Credential, Trigger
from credentials.services import run_verification, submit_upload
from tests.credentials.applicants import applicant, interop

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "explanation" / "fixtures" / "jp"


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


def test_refresh_adds_the_japanese_programme_to_explanations_stored_before_it(capsys):
    """A badge explained before the programme data existed reads as a plain credential;
    after `refresh_explanations` its stored text names the programme and its legal basis."""
    owner = applicant()
    name = "rishu-shomei-no-hours.json"
    data = (FIXTURES / name).read_bytes()
    credential = submit_upload(applicant=owner, data=data, filename=name).credential
    run_verification(credential_id=credential.pk, trigger=Trigger.UPLOAD)
    stored = Credential.objects.get(pk=credential.pk).explanations
    assert stored["languages"]["ja"]["details"][0]["key"] == "programme"
    # What an older release stored: the same text without the programme detail.
    for language in stored["languages"].values():
        language["details"] = [d for d in language["details"] if d["key"] != "programme"]
    stored["version"] = "before-issue-17"
    Credential.objects.filter(pk=credential.pk).update(explanations=stored)

    call_command("refresh_explanations")

    assert "1 stored explanations rewritten." in capsys.readouterr().out
    refreshed = Credential.objects.get(pk=credential.pk).explanations
    for language, basis in (
        ("ja", "学校教育法第105条"),
        ("en", "School Education Act, Article 105"),
    ):
        detail = refreshed["languages"][language]["details"][0]
        assert detail["key"] == "programme"
        assert basis in detail["text"]
