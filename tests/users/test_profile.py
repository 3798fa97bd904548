"""Applicants give their name; HR see it wherever they used to see an e-mail address."""

import pytest
from django.urls import reverse

from tests.employers.factories import ApplicationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_applicant_saves_family_and_given_name_with_furigana(client):
    user = UserFactory(display_name="")
    client.force_login(user)
    assert client.get(reverse("profile")).status_code == 200
    response = client.post(
        reverse("profile"),
        {
            "family_name": "山田",
            "given_name": "花子",
            "family_name_reading": "やまだ",
            "given_name_reading": "はなこ",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.name_reading) == ("山田 花子", "やまだ はなこ")


def test_hr_see_the_name_in_the_list_and_the_email_only_on_the_candidate_page(client):
    member = MembershipFactory()
    applicant = UserFactory(
        email="hanako.private@example.jp", display_name="", family_name="山田", given_name="花子"
    )
    application = ApplicationFactory(opening__employer=member.employer, applicant=applicant)
    client.force_login(member.user)
    listing = client.get(reverse("employers:candidates", args=[application.opening_id]))
    body = listing.content.decode()
    assert "山田 花子" in body
    assert "hanako.private@example.jp" not in body
    detail = client.get(reverse("employers:candidate", args=[application.pk])).content.decode()
    assert "<h1>山田 花子" in detail
    assert detail.count("hanako.private@example.jp") == 1


def test_an_applicant_who_gave_no_name_is_numbered_not_shown_by_email(client):
    member = MembershipFactory()
    applicant = UserFactory(email="anon@example.jp", display_name="")
    application = ApplicationFactory(opening__employer=member.employer, applicant=applicant)
    client.force_login(member.user)
    body = client.get(
        reverse("employers:candidates", args=[application.opening_id]),
        headers={"accept-language": "en"},
    ).content.decode()
    assert f"Applicant who gave no name (#{applicant.pk})" in body
    assert "anon@example.jp" not in body
