from allauth.mfa.models import Authenticator
from django.urls import reverse

from employers.permissions import mfa_setup_required


def test_no_mfa_setup_is_asked_for_when_the_employer_does_not_require_it(owner):
    assert mfa_setup_required(membership=owner) is False


def test_a_member_without_mfa_must_set_it_up_when_the_employer_requires_it(owner, reviewer):
    owner.employer.require_mfa = True
    owner.employer.save(update_fields=["require_mfa"])
    reviewer.refresh_from_db()
    assert mfa_setup_required(membership=reviewer) is True

    Authenticator.objects.create(user=reviewer.user, type=Authenticator.Type.TOTP, data={})
    assert mfa_setup_required(membership=reviewer) is False


def test_owners_bar_links_to_statistics_and_api_tokens_others_do_not(client, owner, reviewer):
    client.force_login(owner.user)
    owner_page = client.get(reverse("employers:home"), secure=True).content.decode()
    client.force_login(reviewer.user)
    reviewer_page = client.get(reverse("employers:home"), secure=True).content.decode()

    for target in (reverse("statistics:overview"), reverse("api:tokens")):
        assert target in owner_page
        assert target not in reviewer_page
