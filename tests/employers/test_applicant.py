from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from employers.exceptions import CredentialNotYours
from employers.models import Application, CandidateView, SharedCredential
from employers.services import apply
from tests.employers.factories import CredentialFactory, OpeningFactory, UserFactory


@pytest.fixture
def badges(applicant):
    return [CredentialFactory(owner=applicant, title=f"My badge {i}") for i in range(3)]


def test_applicant_applies_with_chosen_credentials(client, applicant, opening, badges):
    client.force_login(applicant)
    assert "Data analyst" in client.get(reverse("employers:jobs")).content.decode()
    response = client.post(
        reverse("employers:apply", args=[opening.pk]),
        {"credentials": [badges[0].pk, badges[2].pk], "message": "Hello"},
    )
    application = Application.objects.get(applicant=applicant)
    assert response.url == reverse("employers:my_application", args=[application.pk])
    assert set(application.shares.values_list("credential_id", flat=True)) == {
        badges[0].pk,
        badges[2].pk,
    }
    assert application.shares.first().status_at_share == "verified"


def test_applicant_cannot_share_someone_elses_credential(applicant, opening):
    theirs = CredentialFactory(owner=UserFactory())
    with pytest.raises(CredentialNotYours):
        apply(
            applicant=applicant,
            employer=opening.employer,
            opening=opening,
            credential_ids=[theirs.pk],
        )
    assert not Application.objects.exists()


def test_form_offers_only_the_applicants_credentials(client, applicant, opening, badges):
    theirs = CredentialFactory(owner=UserFactory())
    client.force_login(applicant)
    response = client.post(
        reverse("employers:apply", args=[opening.pk]), {"credentials": [theirs.pk]}
    )
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_closed_opening_is_404(client, applicant, badges):
    closed = OpeningFactory(is_open=False)
    client.force_login(applicant)
    assert client.get(reverse("employers:apply", args=[closed.pk])).status_code == 404


def test_general_share_with_an_employer(client, applicant, owner, badges):
    client.force_login(applicant)
    client.post(
        reverse("employers:share", args=[owner.employer_id]), {"credentials": [badges[1].pk]}
    )
    application = Application.objects.get(applicant=applicant)
    assert application.opening is None
    assert application.employer_id == owner.employer_id


def test_add_and_withdraw_credentials_then_withdraw_the_application(
    client, applicant, opening, badges
):
    application = apply(
        applicant=applicant,
        employer=opening.employer,
        opening=opening,
        credential_ids=[badges[0].pk],
    )
    client.force_login(applicant)
    client.post(
        reverse("employers:my_application_share", args=[application.pk]),
        {"credentials": [badges[1].pk]},
    )
    assert application.shares.filter(withdrawn_at__isnull=True).count() == 2

    share = application.shares.get(credential=badges[0])
    client.post(reverse("employers:my_share_withdraw", args=[application.pk, share.pk]))
    share.refresh_from_db()
    assert share.withdrawn_at is not None

    client.post(reverse("employers:my_application_withdraw", args=[application.pk]))
    application.refresh_from_db()
    assert application.withdrawn_at is not None
    assert not SharedCredential.objects.filter(
        application=application, withdrawn_at__isnull=True
    ).exists()

    # Applying again reopens the same application.
    again = apply(
        applicant=applicant,
        employer=opening.employer,
        opening=opening,
        credential_ids=[badges[2].pk],
    )
    assert again.pk == application.pk
    assert again.withdrawn_at is None


def test_another_applicants_application_is_404(client, applicant, opening, badges):
    application = apply(
        applicant=applicant,
        employer=opening.employer,
        opening=opening,
        credential_ids=[badges[0].pk],
    )
    client.force_login(UserFactory())
    assert client.get(reverse("employers:my_application", args=[application.pk])).status_code == 404
    response = client.post(reverse("employers:my_application_withdraw", args=[application.pk]))
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.withdrawn_at is None


def test_applicant_sees_who_viewed_their_credentials(
    client, reviewer, applicant, application, share
):
    client.force_login(reviewer.user)
    client.get(reverse("employers:candidate", args=[application.pk]))
    client.force_login(applicant)
    response = client.get(reverse("employers:who_viewed"))
    html = response.content.decode()
    assert CandidateView.objects.count() == 1
    assert str(reviewer.user) in html
    assert reviewer.employer.name in html
    client.force_login(UserFactory())
    assert str(reviewer.user) not in client.get(reverse("employers:who_viewed")).content.decode()


def test_share_rows_tell_identical_courses_apart_by_file_and_date(client, applicant, opening):
    for n, days in ((1, 3), (2, 1)):
        CredentialFactory(
            owner=applicant,
            title="Applied Data Analysis with Python",
            original_name=f"python-{n}.png",
            created_at=timezone.now() - timedelta(days=days),
        )
    client.force_login(applicant)
    body = client.get(reverse("employers:apply", args=[opening.pk])).content.decode()
    assert "python-1.png, added" in body
    assert "python-2.png, added" in body
    assert body.count("Applied Data Analysis with Python") == 2


def test_an_opening_already_applied_to_says_so_instead_of_a_fresh_form(client, application):
    client.force_login(application.applicant)
    jobs = client.get(reverse("employers:jobs")).content.decode()
    assert "You have applied." in jobs
    assert reverse("employers:my_application", args=[application.pk]) in jobs
    response = client.get(reverse("employers:apply", args=[application.opening_id]), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "employers:my_application", args=[application.pk]
    )
    assert "You already applied on" in response.content.decode()
