"""Decisions stay visible to HR after the share is withdrawn, the credential deleted or the
applicant's account deleted; personal data goes with the account."""

import pytest
from django.urls import reverse

from credentials.services import delete_credential
from employers import services
from employers.models import AuditEvent, Decision, Influence, Stage
from employers.services import withdraw_application, withdraw_share
from portal.account_data import delete_account
from tests.employers.factories import SharedCredentialFactory


@pytest.fixture
def decided(reviewer, share):
    share.credential.title = "SQL for analysts"
    share.credential.issuer_name = "Tokyo Data Academy"
    share.credential.save()
    decision = services.record_decision(
        member=reviewer,
        application=share.application,
        credential=share.credential,
        influence=Influence.USED,
        stage=Stage.INTERVIEW,
        reason_skills=True,
        note="Strong SQL evidence",
    )
    return decision


def _page(client, member, application):
    client.force_login(member.user)
    return client.get(reverse("employers:candidate", args=[application.pk]))


def _gone_section(html: str) -> str:
    return html.split("Decisions on credentials no longer shared")[1]


def test_after_the_share_is_withdrawn_the_decision_is_shown_as_no_longer_shared(
    client, reviewer, share, decided
):
    withdraw_share(applicant=share.application.applicant, share=share)
    html = _page(client, reviewer, share.application).content.decode()
    gone = _gone_section(html)
    assert "SQL for analysts" in gone
    assert "No longer shared: the applicant withdrew this credential." in gone
    assert "Interview" in gone
    assert "Strong SQL evidence" in gone
    assert "Status when recorded: Verified." in gone
    # What the credential says is no longer HR's to read: no card, no artwork.
    assert f'id="credential-{share.credential_id}"' not in html
    artwork = reverse("employers:artwork", args=[share.application_id, share.credential_id])
    assert client.get(artwork).status_code == 404
    # No decision can be recorded on it any more.
    record = reverse("employers:record_decision", args=[share.application_id, share.credential_id])
    assert client.post(record, {"influence": "used", "stage": "screening"}).status_code == 404


def test_after_the_credential_is_deleted_the_decision_keeps_its_snapshot(
    client, reviewer, share, decided
):
    delete_credential(applicant=share.application.applicant, credential=share.credential)
    decided.refresh_from_db()
    assert decided.credential_id is None
    assert decided.credential_title == "SQL for analysts"
    html = _page(client, reviewer, share.application).content.decode()
    gone = _gone_section(html)
    assert "SQL for analysts" in gone
    assert "Tokyo Data Academy" in gone
    assert "No longer shared: the applicant deleted this credential." in gone


def test_corrections_of_a_withdrawn_credential_stay_together_with_the_original(
    client, reviewer, share, decided
):
    services.record_decision(
        member=reviewer,
        application=share.application,
        credential=share.credential,
        influence=Influence.CONSIDERED_NOT_USED,
        stage=Stage.INTERVIEW,
        supersedes=decided,
    )
    other = SharedCredentialFactory(application=share.application, credential__title="Excel")
    withdraw_share(applicant=share.application.applicant, share=share)
    page = _page(client, reviewer, share.application)
    (gone,) = page.context["page"].gone
    assert [line.is_superseded for line in gone.history] == [False, True]
    assert [item.credential.pk for item in page.context["page"].credentials] == [
        other.credential_id
    ]


def test_account_deletion_removes_personal_data_and_keeps_anonymous_evidence(
    client, owner, reviewer, share, decided
):
    applicant = share.application.applicant
    applicant.family_name, applicant.given_name = "山田", "花子"
    applicant.save()
    email = applicant.email
    delete_account(user=applicant)

    decision = Decision.objects.get(pk=decided.pk)
    assert decision.application_id is None
    assert decision.credential_id is None
    # The evidence: what was decided, on what kind of credential, by whom, when.
    assert (decision.influence, decision.stage, decision.reason_skills) == (
        "used",
        "interview",
        True,
    )
    assert decision.credential_title == "SQL for analysts"
    assert decision.recorded_by == reviewer.user
    # Nothing that names the applicant is left in the employer's records.
    stored = [str(row) for row in Decision.objects.values()]
    stored += [str(row) for row in AuditEvent.objects.values()]
    assert not [row for row in stored if email in row or "花子" in row]
    client.force_login(owner.user)
    log = client.get(reverse("employers:audit_log")).content.decode()
    assert "an applicant who has deleted their account" in log
    assert "“SQL for analysts”: Informed the decision" in log
    assert email not in log
    assert "花子" not in log


def test_withdrawing_the_whole_application_keeps_the_decisions_in_the_log(
    client, owner, share, decided
):
    withdraw_application(applicant=share.application.applicant, application=share.application)
    assert Decision.objects.filter(pk=decided.pk).exists()
    client.force_login(owner.user)
    log = client.get(reverse("employers:audit_log")).content.decode()
    assert "“SQL for analysts”: Informed the decision" in log
