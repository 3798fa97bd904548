"""Review L3 and M10: numbers and texts from forms are bounded before they reach the database."""

import pytest
from django.urls import reverse

from employers.forms import DecisionForm, SwitchEmployerForm
from employers.permissions import SESSION_EMPLOYER_KEY

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
