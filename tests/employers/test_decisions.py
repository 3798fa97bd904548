import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from employers.exceptions import AlreadySuperseded, NotAllowed, ShareNotActive
from employers.models import Decision, Influence, Stage
from employers.services import record_decision, withdraw_share

USED_AT_SCREENING = {
    "influence": "used",
    "stage": "screening",
    "reason_skills": "on",
    "outcome": "unknown",
    "note": "Shows SQL skills",
}


def _url(application, share):
    return reverse("employers:record_decision", args=[application.pk, share.credential_id])


def test_recording_without_javascript_redirects_back_to_the_candidate(
    client, reviewer, application, share
):
    client.force_login(reviewer.user)
    response = client.post(_url(application, share), USED_AT_SCREENING)
    assert response.status_code == 302
    assert response.url.startswith(reverse("employers:candidate", args=[application.pk]))
    decision = Decision.objects.get()
    assert (decision.influence, decision.stage, decision.reason_skills) == (
        "used",
        "screening",
        True,
    )
    assert decision.recorded_by == reviewer.user
    assert decision.employer_id == reviewer.employer_id
    page = client.get(response.url)
    assert "Shows SQL skills" in page.content.decode()
    assert f"Recorded by {reviewer.user} on " in page.content.decode()


def test_recording_with_htmx_returns_the_history_fragment(client, reviewer, application, share):
    client.force_login(reviewer.user)
    response = client.post(
        _url(application, share), USED_AT_SCREENING, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(
        f'<section class="decisions" id="decisions-{share.credential_id}"'
    )
    assert "Shows SQL skills" in html
    assert "<html" not in html


def test_an_invalid_decision_shows_errors_and_records_nothing(client, reviewer, application, share):
    client.force_login(reviewer.user)
    response = client.post(_url(application, share), {"stage": "screening", "outcome": "unknown"})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not Decision.objects.exists()


def test_decision_snapshots_the_credential(reviewer, application, share):
    credential = share.credential
    decision = record_decision(
        member=reviewer,
        application=application,
        credential=credential,
        influence=Influence.USED,
        stage=Stage.INTERVIEW,
        reason_fit=True,
    )
    credential.status = "revoked"
    credential.level = "EQF 7"
    credential.save()
    decision.refresh_from_db()
    assert decision.credential_status == "verified"
    assert decision.credential_level == "EQF 5"
    assert decision.credential_issuer == "Tokyo Data Academy"
    assert decision.credential_format == "ob3"
    assert decision.credential_field == "Data analysis"


def test_a_correction_is_a_new_record_and_the_old_one_stays(client, reviewer, application, share):
    client.force_login(reviewer.user)
    client.post(_url(application, share), USED_AT_SCREENING)
    first = Decision.objects.get()
    correction = {**USED_AT_SCREENING, "influence": "considered_not_used", "supersedes": first.pk}
    client.post(_url(application, share), correction)

    assert Decision.objects.count() == 2
    first.refresh_from_db()
    assert first.influence == "used"  # never edited
    newest = Decision.objects.exclude(pk=first.pk).get()
    assert newest.supersedes_id == first.pk
    html = client.get(reverse("employers:candidate", args=[application.pk])).content.decode()
    assert "decision--superseded" in html
    assert "corrected by a later record" in html


def test_correcting_a_record_twice_is_refused(reviewer, application, share):
    first = record_decision(
        member=reviewer,
        application=application,
        credential=share.credential,
        influence=Influence.USED,
        stage=Stage.SCREENING,
    )
    record_decision(
        member=reviewer,
        application=application,
        credential=share.credential,
        influence=Influence.NOT_CONSIDERED,
        stage=Stage.SCREENING,
        supersedes=first,
    )
    with pytest.raises(AlreadySuperseded):
        record_decision(
            member=reviewer,
            application=application,
            credential=share.credential,
            influence=Influence.CONSIDERED_NOT_USED,
            stage=Stage.SCREENING,
            supersedes=first,
        )
    assert Decision.objects.count() == 2


def test_a_superseded_record_cannot_be_deleted(reviewer, application, share):
    first = record_decision(
        member=reviewer,
        application=application,
        credential=share.credential,
        influence=Influence.USED,
        stage=Stage.SCREENING,
    )
    record_decision(
        member=reviewer,
        application=application,
        credential=share.credential,
        influence=Influence.USED,
        stage=Stage.OFFER,
        supersedes=first,
    )
    with pytest.raises(ProtectedError):
        first.delete()


def test_correction_form_is_prefilled_from_the_record(client, reviewer, application, share):
    first = record_decision(
        member=reviewer,
        application=application,
        credential=share.credential,
        influence=Influence.USED,
        stage=Stage.OFFER,
        note="first note",
    )
    client.force_login(reviewer.user)
    response = client.get(
        reverse("employers:candidate", args=[application.pk]), {"correct": first.pk}
    )
    values = response.context["rows"][0].values
    assert values["supersedes"] == first.pk
    assert values["stage"] == "offer"
    assert "You are correcting an earlier record" in response.content.decode()


def test_viewer_cannot_record_through_the_service(viewer, application, share):
    with pytest.raises(NotAllowed):
        record_decision(
            member=viewer,
            application=application,
            credential=share.credential,
            influence=Influence.USED,
            stage=Stage.SCREENING,
        )


def test_no_decision_on_a_withdrawn_credential(client, reviewer, application, share):
    withdraw_share(applicant=application.applicant, share=share)
    with pytest.raises(ShareNotActive):
        record_decision(
            member=reviewer,
            application=application,
            credential=share.credential,
            influence=Influence.USED,
            stage=Stage.SCREENING,
        )
    client.force_login(reviewer.user)
    assert client.post(_url(application, share), USED_AT_SCREENING).status_code == 404


def test_an_invalid_htmx_post_returns_the_fragment_with_errors_and_keeps_the_input(
    client, reviewer, application, share
):
    client.force_login(reviewer.user)
    response = client.post(
        _url(application, share),
        {"stage": "interview", "outcome": "unknown", "note": "kept text"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps only 2xx answers
    assert 'class="errorlist"' in html
    assert "kept text" in html
    assert '<option value="interview" selected>' in html
    assert not Decision.objects.exists()


def test_the_form_is_shown_on_request_with_and_without_javascript(
    client, reviewer, application, share
):
    client.force_login(reviewer.user)
    page_url = reverse("employers:candidate", args=[application.pk])
    assert "decision-form" not in client.get(page_url).content.decode()
    assert "decision-form" in client.get(page_url, {"record": share.credential_id}).content.decode()
    fragment = client.get(_url(application, share), headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.content.decode().lstrip().startswith('<section class="decisions"')
    assert 'name="influence"' in fragment.content.decode()
    plain = client.get(_url(application, share))
    assert plain.status_code == 302
    assert plain.url == f"{page_url}?record={share.credential_id}#decisions-{share.credential_id}"
