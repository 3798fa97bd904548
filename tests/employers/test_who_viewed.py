"""Review L5: applicants see who at an employer looked, but never an HR person's e-mail."""

from django.urls import reverse

from employers.models import CandidateView


def _viewed_by(client, member, applicant, application):
    client.force_login(member.user)
    assert client.get(reverse("employers:candidate", args=[application.pk])).status_code == 200
    client.force_login(applicant)
    return client.get(reverse("employers:who_viewed")).content.decode()


def test_hr_staff_without_a_name_are_shown_by_employer_not_by_email(
    client, reviewer, applicant, application, share
):
    reviewer.user.display_name = ""
    reviewer.user.save(update_fields=["display_name"])
    html = _viewed_by(client, reviewer, applicant, application)
    assert reviewer.user.email not in html
    assert f"HR staff at {reviewer.employer.name}" in html


def test_hr_staff_with_a_name_are_shown_by_name_and_employer(
    client, reviewer, applicant, application, share
):
    reviewer.user.display_name = "佐藤 一郎"
    reviewer.user.save(update_fields=["display_name"])
    html = _viewed_by(client, reviewer, applicant, application)
    assert reviewer.user.email not in html
    assert f"佐藤 一郎 (HR staff at {reviewer.employer.name})" in html


def test_a_view_by_a_deleted_account_still_names_the_employer(
    client, reviewer, applicant, application, share
):
    _viewed_by(client, reviewer, applicant, application)
    reviewer.user.delete()
    assert CandidateView.objects.get().viewer is None
    html = client.get(reverse("employers:who_viewed")).content.decode()
    assert f"HR staff at {reviewer.employer.name}" in html
