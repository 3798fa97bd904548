"""Tenant isolation and roles for every HR URL: another employer's member gets 404 for this
employer's objects, an applicant gets 403, anonymous users go to the login page, a viewer
writing gets 403."""

import pytest
from django.urls import reverse

from employers.models import Decision, Membership, Opening

DECISION = {"influence": "used", "stage": "screening", "reason_skills": "on", "outcome": "unknown"}
OPENING = {"title": "Changed", "description": "", "skills_sought": "", "is_open": "on"}

# (url name, how to build its args from the fixtures, method, POST data)
OBJECT_URLS = [
    ("employers:candidates", lambda f: [f["opening"].pk], "get", None),
    ("employers:opening_edit", lambda f: [f["opening"].pk], "get", None),
    ("employers:opening_edit", lambda f: [f["opening"].pk], "post", OPENING),
    ("employers:candidate", lambda f: [f["application"].pk], "get", None),
    (
        "employers:record_decision",
        lambda f: [f["application"].pk, f["share"].credential_id],
        "post",
        DECISION,
    ),
    (
        "employers:record_decision",
        lambda f: [f["application"].pk, f["share"].credential_id],
        "get",
        None,
    ),
    ("employers:member_role", lambda f: [f["reviewer"].pk], "post", {"role": "viewer"}),
    ("employers:member_remove", lambda f: [f["reviewer"].pk], "post", {}),
]
PLAIN_URLS = [
    ("employers:home", lambda f: [], "get", None),
    ("employers:members", lambda f: [], "get", None),
    ("employers:invite", lambda f: [], "post", {"email": "new@example.jp", "role": "viewer"}),
    ("employers:mfa_policy", lambda f: [], "post", {"require_mfa": "on"}),
    ("employers:opening_new", lambda f: [], "get", None),
    ("employers:opening_new", lambda f: [], "post", OPENING),
    ("employers:general_candidates", lambda f: [], "get", None),
]
ALL_URLS = OBJECT_URLS + PLAIN_URLS


@pytest.fixture
def objects(opening, application, share, reviewer):
    return {"opening": opening, "application": application, "share": share, "reviewer": reviewer}


def _call(client, name, args, method, data):
    url = reverse(name, args=args)
    return client.post(url, data) if method == "post" else client.get(url)


def _ids(urls):
    return [f"{method} {name}" for name, _, method, _ in urls]


@pytest.mark.parametrize(("name", "args", "method", "data"), OBJECT_URLS, ids=_ids(OBJECT_URLS))
def test_other_employers_member_gets_404(client, outsider, objects, name, args, method, data):
    client.force_login(outsider.user)
    response = _call(client, name, args(objects), method, data)
    assert response.status_code == 404
    assert not Decision.objects.exists()
    assert Membership.objects.filter(pk=objects["reviewer"].pk, role="reviewer").exists()
    assert Opening.objects.get(pk=objects["opening"].pk).title == "Data analyst"


@pytest.mark.parametrize(("name", "args", "method", "data"), ALL_URLS, ids=_ids(ALL_URLS))
def test_applicant_without_membership_gets_403(
    client, applicant, objects, name, args, method, data
):
    client.force_login(applicant)
    response = _call(client, name, args(objects), method, data)
    assert response.status_code == 403
    assert not Decision.objects.exists()


@pytest.mark.parametrize(("name", "args", "method", "data"), ALL_URLS, ids=_ids(ALL_URLS))
def test_anonymous_is_sent_to_login(client, objects, name, args, method, data):
    response = _call(client, name, args(objects), method, data)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


WRITE_FORMS = {"employers:record_decision", "employers:opening_edit", "employers:opening_new"}
WRITES = [u for u in ALL_URLS if u[2] == "post" or u[0] in WRITE_FORMS]


@pytest.mark.parametrize(("name", "args", "method", "data"), WRITES, ids=_ids(WRITES))
def test_viewer_writing_gets_403(client, viewer, objects, name, args, method, data):
    client.force_login(viewer.user)
    response = _call(client, name, args(objects), method, data)
    assert response.status_code == 403
    assert not Decision.objects.exists()
    assert Opening.objects.count() == 1


def test_viewer_can_read_the_candidate_page_but_gets_no_decision_form(client, viewer, objects):
    client.force_login(viewer.user)
    response = client.get(reverse("employers:candidate", args=[objects["application"].pk]))
    assert response.status_code == 200
    assert b"decision-form" not in response.content


@pytest.mark.parametrize("name", ["employers:members", "employers:invite"])
def test_reviewer_cannot_manage_members(client, reviewer, objects, name):
    client.force_login(reviewer.user)
    response = client.post(reverse(name), {"email": "x@example.jp", "role": "owner"})
    assert response.status_code in (403, 405)


def test_member_of_two_employers_sees_only_the_current_ones_candidates(
    client, owner, outsider, objects
):
    """Switching employer changes the tenant; the other employer's objects are then 404."""
    Membership.objects.create(user=outsider.user, employer=owner.employer, role="viewer")
    client.force_login(outsider.user)
    url = reverse("employers:candidate", args=[objects["application"].pk])
    client.post(reverse("employers:switch"), {"employer": outsider.employer_id})
    assert client.get(url).status_code == 404
    client.post(reverse("employers:switch"), {"employer": owner.employer_id})
    assert client.get(url).status_code == 200


def test_switching_to_an_employer_you_do_not_belong_to_is_ignored(client, owner, outsider):
    client.force_login(outsider.user)
    client.post(reverse("employers:switch"), {"employer": owner.employer_id})
    response = client.get(reverse("employers:home"))
    assert response.context["member"].employer_id == outsider.employer_id


def test_withdrawn_application_is_404_for_hr(client, reviewer, objects):
    from employers.services import withdraw_application

    application = objects["application"]
    withdraw_application(applicant=application.applicant, application=application)
    client.force_login(reviewer.user)
    assert client.get(reverse("employers:candidate", args=[application.pk])).status_code == 404
