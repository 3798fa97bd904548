"""The employer audit log: every kind of entry, filters, CSV, and tenant scoping."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from employers import services
from employers.api.tokens import create_api_token, revoke_api_token
from employers.exceptions import AlreadyMember
from employers.models import ApiScope, AuditEvent, AuditKind, Influence, Role, Stage
from portal.account_data import delete_account
from tests.employers.factories import ApplicationFactory, SharedCredentialFactory, UserFactory

URL = reverse("employers:audit_log")


def _everything_happens(owner, reviewer, share):
    """One of each entry, through the services people use."""
    services.log_candidate_view(member=reviewer, application=share.application)
    first = services.record_decision(
        member=reviewer,
        application=share.application,
        credential=share.credential,
        influence=Influence.USED,
        stage=Stage.SCREENING,
        reason_skills=True,
    )
    services.record_decision(
        member=reviewer,
        application=share.application,
        credential=share.credential,
        influence=Influence.CONSIDERED_NOT_USED,
        stage=Stage.SCREENING,
        supersedes=first,
    )
    invitation_email = "new.hire@example.jp"
    services.invite_member(member=owner, email=invitation_email, role=Role.VIEWER)
    services.change_member_role(member=owner, membership=reviewer, role=Role.VIEWER)
    issued = create_api_token(member=owner, name="ATS", scope=ApiScope.READ)
    revoke_api_token(member=owner, pk=issued.token.pk)
    services.set_require_mfa(member=owner, required=True)
    services.set_require_mfa(member=owner, required=False)
    services.remove_member(member=owner, membership=reviewer)


def test_every_kind_of_change_is_recorded_with_who_did_it(owner, reviewer, share):
    _everything_happens(owner, reviewer, share)
    kinds = list(AuditEvent.objects.order_by("pk").values_list("kind", "actor_id"))
    assert kinds == [
        (AuditKind.CANDIDATE_VIEWED, reviewer.user_id),
        (AuditKind.DECISION_RECORDED, reviewer.user_id),
        (AuditKind.DECISION_CORRECTED, reviewer.user_id),
        (AuditKind.INVITATION_SENT, owner.user_id),
        (AuditKind.MEMBER_ROLE_CHANGED, owner.user_id),
        (AuditKind.TOKEN_CREATED, owner.user_id),
        (AuditKind.TOKEN_REVOKED, owner.user_id),
        (AuditKind.MFA_POLICY_CHANGED, owner.user_id),
        (AuditKind.MFA_POLICY_CHANGED, owner.user_id),
        (AuditKind.MEMBER_REMOVED, owner.user_id),
    ]


def test_revoking_a_token_twice_is_logged_once(owner):
    issued = create_api_token(member=owner, name="ATS", scope=ApiScope.READ)
    revoke_api_token(member=owner, pk=issued.token.pk)
    revoke_api_token(member=owner, pk=issued.token.pk)
    assert AuditEvent.objects.filter(kind=AuditKind.TOKEN_REVOKED).count() == 1


def test_the_page_lists_the_entries_in_plain_words(client, owner, reviewer, share):
    _everything_happens(owner, reviewer, share)
    client.force_login(owner.user)
    body = client.get(URL).content.decode()
    assert "Decision corrected" in body
    assert f"“{share.credential.title}”: Considered, not used" in body
    assert "new.hire@example.jp as Viewer" in body
    assert "HR reviewer → Viewer" in body
    assert "Two-factor authentication is now required" in body
    assert reverse("employers:candidate", args=[share.application_id]) in body


def test_another_employers_entries_never_appear(client, owner, reviewer, share, outsider):
    _everything_happens(owner, reviewer, share)
    elsewhere = ApplicationFactory(opening__employer=outsider.employer)
    other = SharedCredentialFactory(application=elsewhere, credential__title="Other tenant badge")
    services.log_candidate_view(member=outsider, application=elsewhere)
    services.invite_member(member=outsider, email="theirs@example.jp", role=Role.VIEWER)
    client.force_login(outsider.user)
    body = client.get(URL).content.decode()
    assert "theirs@example.jp" in body
    assert share.credential.title not in body
    assert "new.hire@example.jp" not in body
    exported = client.get(URL, {"format": "csv"}).content.decode("utf-8-sig")
    assert "new.hire@example.jp" not in exported
    assert "theirs@example.jp" in exported
    # Naming the first employer's member in the filter shows nothing of theirs either.
    filtered = client.get(URL, {"actor": owner.user_id}).content.decode()
    assert "new.hire@example.jp" not in filtered
    assert other.credential.title not in filtered


def test_reviewers_and_viewers_cannot_read_the_log(client, reviewer, viewer):
    for member in (reviewer, viewer):
        client.force_login(member.user)
        assert client.get(URL).status_code == 403


def test_filters_by_kind_person_and_dates(client, owner, reviewer, share):
    _everything_happens(owner, reviewer, share)
    AuditEvent.objects.filter(kind=AuditKind.CANDIDATE_VIEWED).update(
        created_at=timezone.now() - timedelta(days=40)
    )
    client.force_login(owner.user)
    kinds = lambda response: [row.event.kind for row in response.context["rows"]]  # noqa: E731
    assert set(kinds(client.get(URL, {"kind": "token_created"}))) == {"token_created"}
    assert set(kinds(client.get(URL, {"actor": reviewer.user_id}))) == {
        "candidate_viewed",
        "decision_recorded",
        "decision_corrected",
    }
    recent = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert "candidate_viewed" not in kinds(client.get(URL, {"start": recent}))
    old = (timezone.localdate() - timedelta(days=39)).isoformat()
    assert kinds(client.get(URL, {"end": old})) == ["candidate_viewed"]


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2026-13-45"},
        {"kind": "nonsense"},
        {"actor": "x"},
        {"start": "2026-05-02", "end": "2026-05-01"},
    ],
)
def test_bad_filters_are_form_errors_not_500(client, owner, reviewer, share, query):
    _everything_happens(owner, reviewer, share)
    client.force_login(owner.user)
    response = client.get(URL, query)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert len(response.context["rows"]) == AuditEvent.objects.count()  # unfiltered


def test_csv_has_a_header_every_row_and_defuses_formulas(client, owner, reviewer, share):
    share.credential.title = '=HYPERLINK("https://evil.example/","x")'
    share.credential.save()
    _everything_happens(owner, reviewer, share)
    client.force_login(owner.user)
    response = client.get(URL, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["When", "What happened", "Who", "Candidate", "Details"]
    assert len(rows) == 1 + AuditEvent.objects.count()
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_the_log_page_queries_do_not_grow(
    client, owner, reviewer, share, django_assert_num_queries
):
    for _ in range(60):
        services.log_candidate_view(member=reviewer, application=share.application)
    client.force_login(owner.user)
    # session, user, membership (+ employer), actors for the filter, count, the page's events
    # with their actor, application, applicant, opening and decision
    with django_assert_num_queries(6):
        response = client.get(URL)
    assert len(response.context["rows"]) == 60


def test_inviting_someone_who_is_already_a_member_says_so(client, owner, reviewer):
    with pytest.raises(AlreadyMember):
        services.invite_member(member=owner, email=reviewer.user.email.upper(), role=Role.VIEWER)
    client.force_login(owner.user)
    response = client.post(
        reverse("employers:invite"), {"email": reviewer.user.email, "role": Role.VIEWER}
    )
    assert (
        "is already a member of this employer. No invitation was sent." in response.content.decode()
    )
    assert not AuditEvent.objects.filter(kind=AuditKind.INVITATION_SENT).exists()


def test_an_applicant_who_deletes_their_account_leaves_no_name_in_the_log(
    client, owner, reviewer, share
):
    services.log_candidate_view(member=reviewer, application=share.application)
    applicant = share.application.applicant
    name, email = applicant.display_name, applicant.email
    delete_account(user=applicant)
    client.force_login(owner.user)
    body = client.get(URL).content.decode()
    assert "an applicant who has deleted their account" in body
    assert email not in body
    assert name not in body
    assert UserFactory._meta.model.objects.filter(email=email).count() == 0
