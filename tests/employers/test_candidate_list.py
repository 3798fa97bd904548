from django.urls import reverse

from employers.models import Application
from tests.employers.factories import (
    ApplicationFactory,
    SharedCredentialFactory,
    UserFactory,
)


def _list(client, member, opening, **params):
    client.force_login(member.user)
    return client.get(reverse("employers:candidates", args=[opening.pk]), params)


def test_filters_by_status_level_and_issuer(client, reviewer, opening):
    revoked = SharedCredentialFactory(
        application__opening=opening, credential__status="revoked", credential__level="EQF 4"
    ).application
    other_issuer = SharedCredentialFactory(
        application__opening=opening, credential__issuer_name="Osaka Tech"
    ).application
    plain = SharedCredentialFactory(application__opening=opening).application

    def pks(**params):
        return {a.pk for a in _list(client, reviewer, opening, **params).context["candidates"]}

    assert pks() == {revoked.pk, other_issuer.pk, plain.pk}
    assert pks(status="revoked") == {revoked.pk}
    assert pks(level="EQF 4") == {revoked.pk}
    assert pks(issuer="Osaka Tech") == {other_issuer.pk}
    assert pks(status="verified", issuer="Tokyo Data Academy") == {plain.pk}


def test_withdrawn_shares_do_not_count_for_filters(client, reviewer, opening):
    share = SharedCredentialFactory(application__opening=opening, credential__status="revoked")
    from employers.services import withdraw_share

    withdraw_share(applicant=share.application.applicant, share=share)
    response = _list(client, reviewer, opening, status="revoked")
    assert list(response.context["candidates"]) == []
    assert "revoked" not in [v for v, _ in response.context["form"].fields["status"].choices][:1]


def test_problems_first_sort_puts_alerts_on_top(client, reviewer, opening):
    SharedCredentialFactory(application__opening=opening)
    alert = SharedCredentialFactory(application__opening=opening, credential__status="expired")
    SharedCredentialFactory(application__opening=opening)
    rows = list(_list(client, reviewer, opening, sort="alerts").context["candidates"])
    assert rows[0].pk == alert.application_id
    assert rows[0].alert_count == 1
    assert b"row--alert" in _list(client, reviewer, opening).content


def test_general_shares_are_listed_separately(client, reviewer, opening):
    general = Application.objects.create(
        applicant=UserFactory(), employer=reviewer.employer, opening=None
    )
    SharedCredentialFactory(application=general)
    SharedCredentialFactory(application__opening=opening)
    client.force_login(reviewer.user)
    response = client.get(reverse("employers:general_candidates"))
    assert [a.pk for a in response.context["candidates"]] == [general.pk]


def test_candidate_list_queries_stay_constant_with_200_applicants(
    client, reviewer, opening, django_assert_num_queries
):
    for _ in range(200):
        application = ApplicationFactory(opening=opening)
        SharedCredentialFactory(application=application)
    client.force_login(reviewer.user)
    url = reverse("employers:candidates", args=[opening.pk])
    # session, user, current membership (+ employer, user), opening, levels and issuers for
    # the filter choices, applications with their counts (+ applicant): 6.
    with django_assert_num_queries(6):
        response = client.get(url, {"sort": "verified", "status": "verified"})
    assert response.status_code == 200
    assert response.content.decode().count('href="/employer/candidates/') == 200
