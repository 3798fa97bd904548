import json

import pytest
from django.utils.translation import override

from credentials import services
from credentials.explanation import explain
from credentials.explanation.markup import explanation_html
from credentials.explanation.stored import (
    explanation_version,
    stored_explanation,
    stored_explanations,
)
from credentials.formats.record import CredentialRecord
from credentials.models import Trigger
from credentials.vocabulary import Status
from tests.credentials.applicants import applicant, json_bytes, report

from . import credentials as samples
from .test_markup import SAMPLES


def _through_the_database(value):
    return json.loads(json.dumps(value))  # what a JSONField gives back


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.__name__)
def test_stored_text_equals_the_live_explanation_in_both_languages(sample):
    stored = _through_the_database(stored_explanations(sample()))
    for language in ("ja", "en"):
        with override(language):
            live = explain(sample())
            text = stored_explanation(stored, language)
            assert text is not None
            assert text.language == live.language == language
            assert text.headline == live.headline
            assert text.details == live.details
            assert text.completeness == live.completeness
            assert explanation_html(text) == explanation_html(live)


def test_japanese_and_english_are_stored_separately():
    stored = stored_explanations(samples.edc())
    with override("ja"):
        japanese = explain(samples.edc()).headline
    with override("en"):
        english = explain(samples.edc()).headline
    assert japanese != english
    assert stored["languages"]["ja"]["headline"] == japanese
    assert stored["languages"]["en"]["headline"] == english


def test_out_of_date_or_missing_text_is_not_used():
    stored = stored_explanations(samples.edc())
    assert stored["version"] == explanation_version()
    assert stored_explanation({**stored, "version": "older"}, "en") is None
    assert stored_explanation(stored, "fr") is None
    assert stored_explanation({}, "en") is None


@pytest.mark.django_db
def test_a_verification_run_stores_the_record_explained_in_every_language(monkeypatch):
    monkeypatch.setattr(services, "queue_verification", lambda pk, trigger: None)
    credential = services.submit_upload(
        applicant=applicant(), data=json_bytes(1), filename="a.json"
    ).credential
    monkeypatch.setattr(services, "_verify", lambda credential: report(Status.VERIFIED))

    services.run_verification(credential_id=credential.pk, trigger=Trigger.UPLOAD)

    credential.refresh_from_db()
    record = CredentialRecord.from_json(credential.record)
    for language in ("ja", "en"):
        with override(language):
            text = stored_explanation(credential.explanations, language)
            assert text is not None
            assert text.headline == explain(record).headline
            assert text.completeness == explain(record).completeness


def test_version_is_the_same_in_every_process_whatever_language_is_active():
    # The worker that stores the text and the web process that reads it must agree.
    import subprocess
    import sys

    def version_in_a_new_process(language):
        code = (
            "import django; django.setup(); from django.utils import translation; "
            f"translation.activate({language!r}); "
            "from credentials.explanation.stored import explanation_version; "
            "print(explanation_version())"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert version_in_a_new_process("ja") == version_in_a_new_process("en")
    # Computed afresh: a catalogue compiled since this test process started changes it.
    assert version_in_a_new_process("en") == explanation_version.__wrapped__()
