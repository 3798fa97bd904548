"""The candidate page's words come from the explanation stored at verification when it is
up to date, and its labels are in the reader's language."""

from html import escape

from django.urls import reverse
from django.utils import translation

from credentials.explanation import explain
from credentials.explanation.stored import stored_explanations
from credentials.formats.record import CredentialRecord
from credentials.vocabulary import CheckId, Outcome
from employers.models import Influence, Stage, StageOutcome
from tests.employers.factories import DecisionFactory


def _page(client, member, application):
    client.force_login(member.user)
    return client.get(reverse("employers:candidate", args=[application.pk]))


def _live_headline(credential):
    with translation.override("en"):
        return explain(CredentialRecord.from_json(credential.record)).headline


def test_page_shows_the_explanation_stored_at_verification(client, reviewer, application, share):
    credential = share.credential
    stored = stored_explanations(CredentialRecord.from_json(credential.record))
    # A marker only the stored copy has: the page must be reading it, not explaining again.
    stored["languages"]["en"]["headline"] = "Stored headline <b>escaped</b>"
    credential.explanations = stored
    credential.save()

    html = _page(client, reviewer, application).content.decode()

    assert "Stored headline &lt;b&gt;escaped&lt;/b&gt;" in html
    assert escape(_live_headline(credential)) not in html


def test_page_explains_again_when_the_stored_text_is_out_of_date(
    client, reviewer, application, share
):
    credential = share.credential
    stored = stored_explanations(CredentialRecord.from_json(credential.record))
    stored["languages"]["en"]["headline"] = "Stored headline"
    stored["version"] = "written-by-an-older-release"
    credential.explanations = stored
    credential.save()

    html = _page(client, reviewer, application).content.decode()

    assert "Stored headline" not in html
    assert escape(_live_headline(credential)) in html


def test_check_and_decision_labels_are_in_the_readers_language(
    client, reviewer, application, share, settings
):
    DecisionFactory(
        application=application,
        credential=share.credential,
        recorded_by=reviewer.user,
        influence=Influence.CONSIDERED_NOT_USED,
        stage=Stage.INTERVIEW,
        outcome=StageOutcome.ADVANCED,
    )
    settings.LANGUAGE_CODE = "ja"
    html = _page(client, reviewer, application).content.decode()
    with translation.override("ja"):
        japanese = [
            str(Outcome.PASSED.label),
            str(CheckId.PARSE.label),
            str(Influence.CONSIDERED_NOT_USED.label),
            str(Stage.INTERVIEW.label),
            str(StageOutcome.ADVANCED.label),
        ]
    with translation.override("en"):
        english = str(Influence.CONSIDERED_NOT_USED.label)
    assert english not in html
    for label in japanese:
        assert escape(label) in html


def test_each_check_is_listed_with_its_outcome_and_escaped_detail(client, reviewer, application):
    from tests.employers.factories import SharedCredentialFactory, VerificationRunFactory

    share = SharedCredentialFactory(application=application)
    hostile = '<script>alert("x")</script>@example.jp'
    VerificationRunFactory(
        credential=share.credential,
        checks=[
            {"id": "parse", "outcome": "passed", "code": "ob2_parsed", "params": {}},
            {
                "id": "recipient",
                "outcome": "failed",
                "code": "recipient_matched",
                "params": {"email": hostile},
            },
        ],
    )

    html = _page(client, reviewer, application).content.decode()
    checks = html[html.index('<details class="checks">') :]
    checks = checks[: checks.index("</details>")]

    assert checks.count("<li>") == 2
    assert '<span class="outcome outcome--failed">Failed</span> <strong>Recipient</strong>: ' in (
        checks
    )
    assert "<script>" not in html
    assert escape(hostile) in checks


def test_a_release_that_words_explanations_differently_renders_the_cards_again(
    reviewer, application, share, monkeypatch
):
    from employers import selectors

    def card_version():
        page = selectors.candidate_page(member=reviewer, application_pk=application.pk)
        return page.credentials[0].card_version

    before = card_version()
    monkeypatch.setattr(selectors, "explanation_version", lambda: "a-later-release")
    assert card_version() != before


def test_stored_explanations_are_read_in_the_active_language(reviewer, application, share):
    from employers import selectors

    credential = share.credential
    credential.explanations = stored_explanations(CredentialRecord.from_json(credential.record))
    credential.save()
    page = selectors.candidate_page(member=reviewer, application_pk=application.pk)
    stored = page.credentials[0].stored_explanations

    with translation.override("ja"):
        japanese = stored.get(credential.pk)
    with translation.override("en"):
        english = stored.get(credential.pk)

    assert japanese is not None
    assert english is not None
    assert (japanese.language, english.language) == ("ja", "en")
    assert japanese.headline != english.headline
    assert english.headline == _live_headline(credential)
