"""Review L3 and M10: numbers and texts from forms are bounded before they reach the database."""

import pytest
from django.urls import reverse

from employers.forms import DecisionForm, SwitchEmployerForm
from employers.models import (
    DESCRIPTION_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    SKILLS_MAX_LENGTH,
    Application,
    Decision,
    Opening,
)
from employers.permissions import SESSION_EMPLOYER_KEY
from tests.employers.factories import CredentialFactory

TOO_BIG = str(2**63)  # one past the largest 64-bit id


def test_switching_to_a_huge_employer_id_is_ignored_not_a_server_error(client, owner):
    client.force_login(owner.user)
    response = client.post(reverse("employers:switch"), {"employer": TOO_BIG})
    assert response.status_code == 302
    assert SESSION_EMPLOYER_KEY not in client.session


@pytest.mark.parametrize(
    ("value", "valid"), [("1", True), (str(2**63 - 1), True), (TOO_BIG, False), ("0", False)]
)
def test_posted_ids_stay_within_the_database_integer_range(db, value, valid):
    assert SwitchEmployerForm({"employer": value}).is_valid() is valid
    form = DecisionForm(
        {"influence": "used", "stage": "screening", "outcome": "unknown", "supersedes": value}
    )
    assert form.is_valid() is valid


def test_a_huge_id_in_an_address_is_a_404(client, owner):
    client.force_login(owner.user)
    for url in [
        reverse("employers:candidate", args=[2**70]),
        reverse("employers:opening_edit", args=[2**70]),
        reverse("employers:my_application", args=[2**70]),
    ]:
        assert client.get(url).status_code == 404, url


def test_an_overlong_message_to_the_employer_is_refused(client, applicant, opening):
    badge = CredentialFactory(owner=applicant)
    client.force_login(applicant)
    response = client.post(
        reverse("employers:apply", args=[opening.pk]),
        {"credentials": [badge.pk], "message": "あ" * (MESSAGE_MAX_LENGTH + 1)},
    )
    assert response.status_code == 400
    assert f"at most {MESSAGE_MAX_LENGTH} characters" in response.content.decode()
    assert not Application.objects.filter(applicant=applicant).exists()

    response = client.post(
        reverse("employers:apply", args=[opening.pk]),
        {"credentials": [badge.pk], "message": "あ" * MESSAGE_MAX_LENGTH},
    )
    assert response.status_code == 302
    assert len(Application.objects.get(applicant=applicant).message) == MESSAGE_MAX_LENGTH


def test_an_overlong_opening_is_refused(client, reviewer):
    client.force_login(reviewer.user)
    too_long = {
        "title": "Analyst",
        "description": "x" * (DESCRIPTION_MAX_LENGTH + 1),
        "skills_sought": "y" * (SKILLS_MAX_LENGTH + 1),
        "is_open": "on",
    }
    response = client.post(reverse("employers:opening_new"), too_long)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"description", "skills_sought"}
    assert not Opening.objects.exists()

    at_limit = {
        **too_long,
        "description": "x" * DESCRIPTION_MAX_LENGTH,
        "skills_sought": "y" * SKILLS_MAX_LENGTH,
    }
    assert client.post(reverse("employers:opening_new"), at_limit).status_code == 302
    assert Opening.objects.get().description == at_limit["description"]


def test_an_overlong_decision_note_is_refused_and_nothing_is_recorded(
    client, reviewer, application, share
):
    client.force_login(reviewer.user)
    url = reverse("employers:record_decision", args=[application.pk, share.credential_id])
    decision = {"influence": "used", "stage": "screening", "outcome": "unknown"}
    response = client.post(url, {**decision, "note": "n" * (NOTE_MAX_LENGTH + 1)})
    assert response.status_code == 400
    assert not Decision.objects.exists()

    response = client.post(url, {**decision, "note": "n" * NOTE_MAX_LENGTH})
    assert response.status_code == 302
    assert len(Decision.objects.get().note) == NOTE_MAX_LENGTH
