import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse

from employers.exceptions import LastOwner
from employers.models import Invitation, Membership, Role
from employers.services import change_member_role, remove_member
from tests.employers.factories import UserFactory


def _invite(client, owner, email="new.member@example.jp", role="reviewer"):
    client.force_login(owner.user)
    with_callbacks = client.post(reverse("employers:invite"), {"email": email, "role": role})
    assert with_callbacks.status_code == 302
    return Invitation.objects.get(email=email)


def test_invitation_link_lets_the_invited_address_join(
    client, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(client, owner)
    assert len(mail.outbox) == 1
    token = re.search(r"/employer/invitations/([^/\s]+)/", mail.outbox[0].body).group(1)
    assert invitation.token_hash != token  # only the hash is stored
    assert len(invitation.token_hash) == 64

    newcomer = UserFactory(email="new.member@example.jp")
    client.force_login(newcomer)
    url = reverse("employers:invitation", args=[token])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    assert (membership.employer_id, membership.role) == (owner.employer_id, Role.REVIEWER)
    assert client.post(url).status_code == 404  # used once


def test_invitation_refuses_another_address(client, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, owner)
    token = re.search(r"/employer/invitations/([^/\s]+)/", mail.outbox[0].body).group(1)
    stranger = UserFactory(email="someone.else@example.jp")
    client.force_login(stranger)
    response = client.post(reverse("employers:invitation", args=[token]))
    assert response.status_code == 400
    assert "new.member@example.jp" in response.content.decode()
    assert not Membership.objects.filter(user=stranger).exists()


def test_unverified_invited_address_does_not_count(
    client, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, owner)
    token = re.search(r"/employer/invitations/([^/\s]+)/", mail.outbox[0].body).group(1)
    user = UserFactory()
    EmailAddress.objects.create(user=user, email="new.member@example.jp", verified=False)
    client.force_login(user)
    assert client.post(reverse("employers:invitation", args=[token])).status_code == 400
    assert not Membership.objects.filter(user=user).exists()


def test_unknown_token_is_404(client, applicant):
    client.force_login(applicant)
    assert client.get(reverse("employers:invitation", args=["not-a-token"])).status_code == 404


def test_owner_changes_a_role_and_removes_a_member(client, owner, reviewer):
    client.force_login(owner.user)
    client.post(reverse("employers:member_role", args=[reviewer.pk]), {"role": "viewer"})
    reviewer.refresh_from_db()
    assert reviewer.role == Role.VIEWER
    client.post(reverse("employers:member_remove", args=[reviewer.pk]))
    assert not Membership.objects.filter(pk=reviewer.pk).exists()


def test_the_last_owner_cannot_leave_or_be_demoted(owner):
    with pytest.raises(LastOwner):
        change_member_role(member=owner, membership=owner, role=Role.VIEWER)
    with pytest.raises(LastOwner):
        remove_member(member=owner, membership=owner)
    assert Membership.objects.get(pk=owner.pk).role == Role.OWNER


def test_members_without_mfa_are_sent_to_set_it_up(client, owner, reviewer, share):
    client.force_login(owner.user)
    client.post(reverse("employers:mfa_policy"), {"require_mfa": "on"})
    owner.employer.refresh_from_db()
    assert owner.employer.require_mfa

    client.force_login(reviewer.user)
    response = client.get(reverse("employers:candidate", args=[share.application_id]))
    assert response.status_code == 302
    assert response.url == reverse("mfa_index")

    Authenticator.objects.create(user=reviewer.user, type=Authenticator.Type.TOTP, data={})
    response = client.get(reverse("employers:candidate", args=[share.application_id]))
    assert response.status_code == 200


def test_home_lists_openings_and_lets_a_member_of_two_employers_switch(
    client, owner, outsider, opening
):
    Membership.objects.create(user=owner.user, employer=outsider.employer, role=Role.VIEWER)
    client.force_login(owner.user)
    response = client.get(reverse("employers:home"))
    assert "Data analyst" in response.content.decode()
    assert response.content.decode().count('name="employer"') == 1  # the other employer's button
    client.post(reverse("employers:switch"), {"employer": outsider.employer_id})
    response = client.get(reverse("employers:home"))
    assert response.context["member"].employer_id == outsider.employer_id
    assert "Data analyst" not in response.content.decode()


def test_reviewer_creates_and_edits_an_opening(client, reviewer):
    client.force_login(reviewer.user)
    response = client.post(
        reverse("employers:opening_new"),
        {
            "title": "Sales analyst",
            "description": "Dashboards",
            "skills_sought": "SQL",
            "is_open": "on",
        },
    )
    opening = reviewer.employer.openings.get()
    assert response.url == reverse("employers:candidates", args=[opening.pk])
    client.post(
        reverse("employers:opening_edit", args=[opening.pk]),
        {"title": "Senior sales analyst", "description": "", "skills_sought": ""},
    )
    opening.refresh_from_db()
    assert (opening.title, opening.is_open) == ("Senior sales analyst", False)
