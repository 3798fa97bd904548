from django.urls import reverse

from credentials.vocabulary import STATUS_MEANINGS, Status
from employers.models import CandidateView, Decision
from employers.services import withdraw_share
from tests.employers.factories import (
    DecisionFactory,
    SharedCredentialFactory,
    VerificationRunFactory,
)


def _page(client, member, application):
    client.force_login(member.user)
    return client.get(reverse("employers:candidate", args=[application.pk]))


def test_candidate_page_shows_status_meaning_issuer_and_check_details(
    client, reviewer, application, share
):
    response = _page(client, reviewer, application)
    html = response.content.decode()
    assert response.status_code == 200
    assert share.credential.title in html
    assert str(STATUS_MEANINGS[Status.VERIFIED]) in html
    assert "Tokyo Data Academy" in html
    assert "Write SQL queries" in html  # learning outcome from the record
    # The check detail is there, inside a <details> element (shown on demand).
    details = html[html.index('<details class="checks">') :]
    assert "checked.recipient@example.jp" in details[: details.index("</details>")]


def test_revoked_and_expired_credentials_come_first_with_an_alert(client, reviewer, application):
    fine = SharedCredentialFactory(application=application, credential__title="Fine badge")
    revoked = SharedCredentialFactory(
        application=application, credential__title="Revoked badge", credential__status="revoked"
    )
    expired = SharedCredentialFactory(
        application=application, credential__title="Expired badge", credential__status="expired"
    )
    response = _page(client, reviewer, application)
    html = response.content.decode()
    alert = html[html.index('role="alert"') :]
    alert = alert[: alert.index("</div>")]
    assert "Revoked badge" in alert
    assert "Expired badge" in alert
    assert "Fine badge" not in alert
    items = response.context["page"].credentials
    assert [i.credential.pk for i in items] == [
        revoked.credential_id,
        expired.credential_id,
        fine.credential_id,
    ]
    assert html.count("cred-row--problem") == 2


def test_every_view_of_the_candidate_page_is_logged(client, reviewer, application, share):
    _page(client, reviewer, application)
    _page(client, reviewer, application)
    views = CandidateView.objects.filter(application=application)
    assert views.count() == 2
    assert {v.viewer_id for v in views} == {reviewer.user_id}
    assert {v.employer_id for v in views} == {reviewer.employer_id}


def test_withdrawn_share_disappears_from_hr_pages_but_its_decisions_remain(
    client, reviewer, application, share
):
    kept = SharedCredentialFactory(application=application, credential__title="Still shared")
    DecisionFactory(application=application, credential=share.credential, recorded_by=reviewer.user)
    withdraw_share(applicant=application.applicant, share=share)

    response = _page(client, reviewer, application)
    html = response.content.decode()
    # Its card is gone; only the decision's own record of it stays (tests/employers/
    # test_evidence_trail.py has the rest).
    shared_part, gone_part = html.split("Decisions on credentials no longer shared")
    assert share.credential.title not in shared_part
    assert share.credential.title in gone_part
    assert "Still shared" in shared_part
    assert Decision.objects.filter(credential=share.credential).count() == 1
    list_page = client.get(reverse("employers:candidates", args=[application.opening_id]))
    row = next(a for a in list_page.context["candidates"] if a.pk == application.pk)
    assert row.credential_count == 1
    assert kept.credential_id != share.credential_id


def test_candidate_page_queries_stay_constant_with_50_credentials(
    client, reviewer, application, django_assert_num_queries
):
    for _ in range(50):
        share = SharedCredentialFactory(application=application)
        VerificationRunFactory(credential=share.credential)
        VerificationRunFactory(credential=share.credential)  # history: only the latest is read
        DecisionFactory(application=application, credential=share.credential)
    client.force_login(reviewer.user)
    url = reverse("employers:candidate", args=[application.pk])
    # session, user, current membership (+ employer, user), application (+ applicant,
    # opening), active shares (+ credential, latest run id by subquery), latest runs' checks,
    # decisions (+ recorded_by), the stored explanations (cards not cached yet), inserts of
    # the CandidateView row and its audit log entry: 10.
    with django_assert_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["page"].credentials) == 50
    assert response.content.decode().count("checked.recipient@example.jp") == 50
    # Every card cached now: the stored explanations are not read at all.
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.content.decode().count("checked.recipient@example.jp") == 50


def test_candidate_page_reads_all_its_cards_in_one_cache_round_trip(
    client, reviewer, application, monkeypatch
):
    from django.core.cache import cache

    for _ in range(50):
        share = SharedCredentialFactory(application=application)
        VerificationRunFactory(credential=share.credential)
    client.force_login(reviewer.user)
    url = reverse("employers:candidate", args=[application.pk])
    client.get(url)  # renders and stores the 50 cards
    reads: list[str] = []
    inside_get_many = []  # the local-memory cache's get_many calls its own get()
    original_get, original_get_many = cache.get, cache.get_many

    def counted_get(*args, **kwargs):
        if not inside_get_many:
            reads.append("get")
        return original_get(*args, **kwargs)

    def counted_get_many(*args, **kwargs):
        reads.append("get_many")
        inside_get_many.append(True)
        try:
            return original_get_many(*args, **kwargs)
        finally:
            inside_get_many.pop()

    monkeypatch.setattr(cache, "get", counted_get)
    monkeypatch.setattr(cache, "get_many", counted_get_many)
    response = client.get(url)
    assert response.content.decode().count("checked.recipient@example.jp") == 50
    # The cards: one get_many. Other cache reads on the page (none today) would show here too.
    assert reads.count("get_many") == 1
    assert reads.count("get") <= 1


def test_candidate_page_shows_the_plain_language_explanation(client, reviewer, application, share):
    from html import escape

    from credentials.explanation import explain
    from credentials.formats.record import CredentialRecord

    explanation = explain(CredentialRecord.from_json(share.credential.record))
    html = _page(client, reviewer, application).content.decode()
    assert escape(explanation.headline) in html
    assert explanation.completeness.score in html


def test_candidate_page_renders_in_japanese(client, reviewer, application, share, settings):
    from django.utils import translation

    settings.LANGUAGE_CODE = "ja"
    html = _page(client, reviewer, application).content.decode()
    with translation.override("ja"):
        status_label = str(Status.VERIFIED.label)
        meaning = str(STATUS_MEANINGS[Status.VERIFIED])
    assert '<html lang="ja">' in html
    assert status_label in html
    assert meaning in html


def test_a_new_verification_run_shows_at_once_despite_the_card_cache(
    client, reviewer, application, share
):
    from django.utils import timezone

    assert "Revoked by the issuer" not in _page(client, reviewer, application).content.decode()
    credential = share.credential
    credential.status = Status.REVOKED
    credential.last_checked_at = timezone.now()
    credential.save()
    VerificationRunFactory(credential=credential)
    html = _page(client, reviewer, application).content.decode()
    card = html[html.index(f'id="credential-{credential.pk}"') :]
    assert "Revoked by the issuer" in card[: card.index("cred-row__facts")]
