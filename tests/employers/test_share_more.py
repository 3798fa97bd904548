"""Review M7: a double submit on "share more" must not reach `share_unique` as a 500."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from employers.exceptions import NotAllowed
from employers.models import Application, SharedCredential
from employers.services import apply, share_more
from tests.employers.factories import CredentialFactory


@pytest.fixture
def badges(applicant):
    return [CredentialFactory(owner=applicant, title=f"My badge {i}") for i in range(3)]


@pytest.fixture
def applied(applicant, opening, badges):
    return apply(
        applicant=applicant,
        employer=opening.employer,
        opening=opening,
        credential_ids=[badges[0].pk],
    )


def test_share_more_locks_the_application_before_its_shares(
    applicant, applied, badges, monkeypatch
):
    # A lock on share rows that do not exist yet locks nothing (PostgreSQL); the application
    # row exists, so locking it is what makes the second of two requests wait.
    locked: list[tuple[type, bool]] = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append((self.model, connection.in_atomic_block))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    share_more(applicant=applicant, application=applied, credential_ids=[badges[1].pk])
    assert locked[:1] == [(Application, True)]


def test_a_share_written_by_a_concurrent_request_is_not_an_error(applicant, applied, badges):
    # Stand-in for the second of two concurrent requests: right after this request first
    # touches the shares table, the other request's row for the same credential appears.
    state = {"inserted": False}

    def concurrent_insert(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not state["inserted"] and "employers_sharedcredential" in sql:
            state["inserted"] = True
            if not SharedCredential.objects.filter(
                application=applied, credential=badges[1]
            ).exists():
                SharedCredential.objects.create(application=applied, credential=badges[1])
        return result

    with connection.execute_wrapper(concurrent_insert):
        share_more(applicant=applicant, application=applied, credential_ids=[badges[1].pk])
    assert state["inserted"]
    assert SharedCredential.objects.filter(application=applied, credential=badges[1]).count() == 1


def test_sharing_a_credential_again_keeps_its_share(applicant, applied, badges):
    first = applied.shares.get(credential=badges[0])
    share_more(
        applicant=applicant, application=applied, credential_ids=[badges[0].pk, badges[1].pk]
    )
    assert applied.shares.get(credential=badges[0]).shared_at == first.shared_at
    assert set(applied.shares.values_list("credential_id", flat=True)) == {
        badges[0].pk,
        badges[1].pk,
    }


def test_a_withdrawn_credential_shared_again_is_visible_again(applicant, applied, badges):
    earlier = timezone.now() - timedelta(days=1)
    applied.shares.filter(credential=badges[0]).update(withdrawn_at=earlier, shared_at=earlier)
    share_more(applicant=applicant, application=applied, credential_ids=[badges[0].pk])
    share = applied.shares.get(credential=badges[0])
    assert share.withdrawn_at is None
    assert share.shared_at > earlier
    assert share.status_at_share == badges[0].status


def test_an_application_withdrawn_meanwhile_gets_no_new_shares(applicant, applied, badges):
    stale = Application.objects.get(pk=applied.pk)  # the page loaded before the withdrawal
    Application.objects.filter(pk=applied.pk).update(withdrawn_at=timezone.now())
    with pytest.raises(NotAllowed):
        share_more(applicant=applicant, application=stale, credential_ids=[badges[1].pk])
    assert not applied.shares.filter(credential=badges[1]).exists()


def test_a_double_submit_of_the_share_form_shares_once(client, applicant, applied, badges):
    client.force_login(applicant)
    url = reverse("employers:my_application_share", args=[applied.pk])
    answers = [client.post(url, {"credentials": [badges[1].pk]}) for _ in range(2)]
    assert [a.status_code for a in answers] == [302, 302]
    assert applied.shares.filter(credential=badges[1]).count() == 1
