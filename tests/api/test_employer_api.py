"""The employer endpoints: tenant scoping, content, filters, decisions, errors."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from credentials.vocabulary import Status
from employers.models import CandidateView, Decision, Employer
from tests.employers.factories import (
    ApplicationFactory,
    OpeningFactory,
    SharedCredentialFactory,
    VerificationRunFactory,
)


def _decisions_url(application_id):
    return f"/api/v1/applications/{application_id}/decisions/"


def _decision(share, **extra):
    return {
        "credential": share.credential_id,
        "influence": "used",
        "stage": "screening",
        **extra,
    }


# --- openings ------------------------------------------------------------------------------


def test_openings_list_only_the_tokens_employer(read_api, opening, outsider):
    OpeningFactory(employer=outsider.employer, title="Someone else's")
    ApplicationFactory(opening=opening)
    response = read_api.get("/api/v1/openings/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["title"] == "Data analyst"
    assert body["results"][0]["candidate_count"] == 1


def test_openings_filter_by_is_open(read_api, owner, opening):
    OpeningFactory(employer=owner.employer, title="Closed", is_open=False)
    titles = [o["title"] for o in read_api.get("/api/v1/openings/?is_open=false").json()["results"]]
    assert titles == ["Closed"]
    response = read_api.get("/api/v1/openings/?is_open=maybe")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "is_open" in response.json()["fields"]


def test_another_employers_opening_is_404(read_api, outsider):
    theirs = OpeningFactory(employer=outsider.employer)
    for url in (f"/api/v1/openings/{theirs.pk}/", f"/api/v1/openings/{theirs.pk}/applications/"):
        response = read_api.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"


# --- application lists ----------------------------------------------------------------------


def test_applications_of_an_opening_with_counts(read_api, opening, share):
    SharedCredentialFactory(application=share.application, credential__status=Status.REVOKED)
    ApplicationFactory(opening=opening, withdrawn_at=timezone.now())  # not listed
    response = read_api.get(f"/api/v1/openings/{opening.pk}/applications/")
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["id"] == share.application_id
    assert row["applicant_name"] == "山田 花子"
    assert (row["credential_count"], row["verified_count"], row["alert_count"]) == (2, 1, 1)


def test_application_list_filters_by_credential_status(read_api, opening, share):
    other = ApplicationFactory(opening=opening)
    SharedCredentialFactory(application=other, credential__status=Status.REVOKED)
    url = f"/api/v1/openings/{opening.pk}/applications/"
    ids = [r["id"] for r in read_api.get(url + "?status=revoked").json()["results"]]
    assert ids == [other.pk]
    assert read_api.get(url + "?status=bogus").status_code == 400
    assert read_api.get(url + "?sort=bogus").status_code == 400


def test_general_shares_list_only_shares_without_opening(read_api, owner, share):
    general = ApplicationFactory(opening=None, employer=owner.employer)
    SharedCredentialFactory(application=general)
    ids = [r["id"] for r in read_api.get("/api/v1/general-shares/").json()["results"]]
    assert ids == [general.pk]


def test_updated_since_reports_a_revocation_found_later(read_api, opening, share):
    url = f"/api/v1/openings/{opening.pk}/applications/"
    polled_at = timezone.now()
    assert read_api.get(url, {"updated_since": polled_at.isoformat()}).json()["count"] == 0

    credential = share.credential
    credential.status = Status.REVOKED
    credential.status_changed_at = polled_at + timedelta(seconds=5)
    credential.save()
    body = read_api.get(url, {"updated_since": polled_at.isoformat()}).json()
    assert [r["id"] for r in body["results"]] == [share.application_id]
    assert body["results"][0]["alert_count"] == 1


def test_updated_since_reports_a_withdrawn_credential(read_api, opening, share):
    url = f"/api/v1/openings/{opening.pk}/applications/"
    polled_at = timezone.now()
    share.withdrawn_at = polled_at + timedelta(seconds=1)
    share.save()
    body = read_api.get(url, {"updated_since": polled_at.isoformat()}).json()
    assert [r["id"] for r in body["results"]] == [share.application_id]
    assert body["results"][0]["credential_count"] == 0


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "2026-13-45T00:00:00Z",
        "1",
        "0001-01-01T00:00:00+14:00",  # readable, but before year 1 in UTC
        "9999-12-31T23:59:59-14:00",  # after year 9999 in UTC
    ],
)
def test_unreadable_updated_since_is_400(read_api, opening, value):
    response = read_api.get(
        f"/api/v1/openings/{opening.pk}/applications/", {"updated_since": value}
    )
    assert response.status_code == 400
    assert "updated_since" in response.json()["fields"]


# --- application detail ------------------------------------------------------------------


def test_application_detail_has_status_checks_and_explanation(read_api, share):
    response = read_api.get(f"/api/v1/applications/{share.application_id}/")
    assert response.status_code == 200
    (item,) = response.json()["credentials"]
    assert item["credential"]["id"] == share.credential_id
    assert item["credential"]["status"] == "verified"
    assert item["credential"]["status_meaning"].startswith("Unchanged, signed")
    checks = {c["check"]: c for c in item["checks"]}
    assert checks["recipient"]["outcome"] == "passed"
    assert "checked.recipient@example.jp" in checks["recipient"]["detail"]
    assert item["explanation"]["headline"]
    assert item["explanation"]["language"] == "en"
    assert "score" in item["explanation"]["completeness"]
    assert CandidateView.objects.filter(application=share.application).count() == 1


def test_polling_the_detail_logs_one_view_an_hour(read_api, share):
    for _ in range(3):
        assert read_api.get(f"/api/v1/applications/{share.application_id}/").status_code == 200
    (view,) = CandidateView.objects.filter(application=share.application)
    assert view.viewer == read_api.token.created_by


def test_application_detail_in_japanese(read_api, share):
    english = read_api.get(f"/api/v1/applications/{share.application_id}/").json()
    japanese = read_api.get(f"/api/v1/applications/{share.application_id}/?lang=ja")
    assert japanese["Content-Language"] == "ja"
    item_ja = japanese.json()["credentials"][0]
    item_en = english["credentials"][0]
    assert item_ja["explanation"]["language"] == "ja"
    assert item_ja["credential"]["status_label"] != item_en["credential"]["status_label"]
    assert item_ja["checks"][1]["detail"] != item_en["checks"][1]["detail"]
    by_header = read_api.get(
        f"/api/v1/applications/{share.application_id}/", HTTP_ACCEPT_LANGUAGE="ja"
    ).json()
    assert (
        by_header["credentials"][0]["credential"]["status_label"]
        == (item_ja["credential"]["status_label"])
    )


def test_withdrawn_credentials_are_not_in_the_detail(read_api, share):
    share.withdrawn_at = timezone.now()
    share.save()
    response = read_api.get(f"/api/v1/applications/{share.application_id}/")
    assert response.json()["credentials"] == []


def test_another_employers_application_is_404(outsider_api, share):
    for url in (
        f"/api/v1/applications/{share.application_id}/",
        _decisions_url(share.application_id),
    ):
        assert outsider_api.get(url).status_code == 404
    response = outsider_api.post(
        _decisions_url(share.application_id), _decision(share), format="json"
    )
    assert response.status_code == 404
    assert not Decision.objects.exists()
    assert not CandidateView.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/applications/999999/",
        "/api/v1/openings/999999/",
        "/api/v1/applications/99999999999999999999999/",  # past a 64-bit integer
        "/api/v1/applications/-1/",
        "/api/v1/no-such-thing/",
        "/api/v1/general-shares/?page=99",
    ],
)
def test_unknown_ids_and_addresses_are_json_404(read_api, db, url):
    response = read_api.get(url)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# --- decisions -----------------------------------------------------------------------------


def test_write_token_records_a_decision_attributed_to_its_creator(write_api, owner, share):
    response = write_api.post(
        _decisions_url(share.application_id),
        _decision(share, reason_skills=True, note="Strong SQL"),
        format="json",
    )
    assert response.status_code == 201, response.json()
    decision = Decision.objects.get()
    assert decision.recorded_by == owner.user
    assert decision.employer == owner.employer
    assert decision.credential_status == "verified"
    assert response.json()["id"] == decision.pk
    assert response.json()["is_current"] is True

    listed = write_api.get(_decisions_url(share.application_id)).json()
    assert [d["id"] for d in listed["results"]] == [decision.pk]


def test_correction_supersedes_and_the_old_record_stays(write_api, share):
    url = _decisions_url(share.application_id)
    first = write_api.post(url, _decision(share), format="json").json()
    second = write_api.post(
        url, _decision(share, influence="not_considered", supersedes=first["id"]), format="json"
    )
    assert second.status_code == 201
    listed = {d["id"]: d for d in write_api.get(url).json()["results"]}
    assert listed[first["id"]]["is_current"] is False
    assert listed[second.json()["id"]]["is_current"] is True
    assert listed[second.json()["id"]]["supersedes"] == first["id"]

    again = write_api.post(url, _decision(share, supersedes=first["id"]), format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "already_superseded"
    assert Decision.objects.count() == 2


def test_superseding_an_unknown_record_is_400(write_api, share):
    response = write_api.post(
        _decisions_url(share.application_id), _decision(share, supersedes=424242), format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "corrected_record_missing"


def test_decision_for_a_credential_not_in_the_application_is_400(write_api, owner, share):
    elsewhere = SharedCredentialFactory(application__opening__employer=owner.employer)
    response = write_api.post(
        _decisions_url(share.application_id),
        _decision(share, credential=elsewhere.credential_id),
        format="json",
    )
    assert response.status_code == 400
    assert "credential" in response.json()["fields"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"influence": "maybe"}, "influence"),
        ({"stage": ""}, "stage"),
        ({"infuence": "used"}, "infuence"),
        ({"credential": "abc"}, "credential"),
        ({"note": "x" * 5001}, "note"),
    ],
)
def test_bad_decision_fields_are_400_with_field_messages(write_api, share, payload, field):
    response = write_api.post(
        _decisions_url(share.application_id), {**_decision(share), **payload}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["fields"]


def test_malformed_json_is_400(write_api, share):
    response = write_api.post(
        _decisions_url(share.application_id), b"{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_request"


def test_json_that_is_not_an_object_is_400(write_api, share):
    response = write_api.post(_decisions_url(share.application_id), [1, 2], format="json")
    assert response.status_code == 400


def test_form_encoded_body_is_415(write_api, share):
    response = write_api.post(
        _decisions_url(share.application_id),
        "a=b",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_decision_on_a_withdrawn_share_is_refused(write_api, share):
    share.withdrawn_at = timezone.now()
    share.save()
    response = write_api.post(_decisions_url(share.application_id), _decision(share), format="json")
    assert response.status_code == 400
    assert "credential" in response.json()["fields"]


# --- session access -------------------------------------------------------------------------


def test_member_session_reads_and_viewer_session_cannot_write(viewer, share):
    client = APIClient()
    client.force_login(viewer.user)
    assert client.get(f"/api/v1/applications/{share.application_id}/").status_code == 200
    response = client.post(_decisions_url(share.application_id), _decision(share), format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"


def test_reviewer_session_records_a_decision(reviewer, share):
    client = APIClient()
    client.force_login(reviewer.user)
    response = client.post(_decisions_url(share.application_id), _decision(share), format="json")
    assert response.status_code == 201
    assert Decision.objects.get().recorded_by == reviewer.user


def test_session_without_membership_is_403(applicant):
    client = APIClient()
    client.force_login(applicant)
    response = client.get("/api/v1/openings/")
    assert response.status_code == 403
    assert response.json()["code"] == "not_a_member"


def test_session_of_employer_requiring_mfa_is_403_without_mfa(reviewer):
    Employer.objects.filter(pk=reviewer.employer_id).update(require_mfa=True)
    client = APIClient()
    client.force_login(reviewer.user)
    response = client.get("/api/v1/openings/")
    assert response.status_code == 403
    assert response.json()["code"] == "mfa_required"


# --- throttling -----------------------------------------------------------------------------


def test_requests_over_the_rate_get_429_per_token(settings, owner):
    from tests.api.conftest import token_client

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "3/minute"},
    }
    first, second = token_client(owner), token_client(owner)
    statuses = [first.get("/api/v1/openings/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = first.get("/api/v1/openings/")
    assert refused.json()["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0
    assert second.get("/api/v1/openings/").status_code == 200


# --- query counts ---------------------------------------------------------------------------


def _rows(opening, n):
    for _ in range(n):
        share = SharedCredentialFactory(application__opening=opening)
        VerificationRunFactory(credential=share.credential)


def test_list_queries_do_not_grow_with_rows(read_api, owner, opening, django_assert_num_queries):
    _rows(opening, 50)
    for _ in range(50):
        OpeningFactory(employer=owner.employer)
    read_api.get("/api/v1/openings/")  # last_used_at is written on the first use only
    # token (1), count (1), page (1)
    with django_assert_num_queries(3):
        response = read_api.get("/api/v1/openings/")
    assert response.json()["count"] == 51
    # token, opening, count, page (with the share counts and updated_at in one query)
    with django_assert_num_queries(4):
        response = read_api.get(f"/api/v1/openings/{opening.pk}/applications/")
    assert len(response.json()["results"]) == 50


def test_a_new_verification_run_shows_in_the_api_at_once_despite_the_cache(read_api, application):

    share = SharedCredentialFactory(application=application)
    VerificationRunFactory(credential=share.credential)
    url = f"/api/v1/applications/{application.pk}/"
    (item,) = read_api.get(url).json()["credentials"]
    assert item["credential"]["status"] == "verified"
    assert item["explanation"]["headline"]
    credential = share.credential
    credential.status = Status.REVOKED
    credential.last_checked_at = timezone.now()
    credential.save()
    VerificationRunFactory(credential=credential)
    (item,) = read_api.get(url).json()["credentials"]
    assert item["credential"]["status"] == "revoked"
    assert item["is_alert"] is True


def test_detail_and_decision_queries_do_not_grow(
    write_api, owner, application, django_assert_num_queries
):
    for _ in range(30):
        share = SharedCredentialFactory(application=application)
        VerificationRunFactory(credential=share.credential)
        write_api.post(_decisions_url(application.pk), _decision(share), format="json")
    # token, application, shares + latest run ids, checks, decisions, the explanations
    # stored at verification (the credentials are not in the cache yet), view log insert
    # and its audit log entry
    with django_assert_num_queries(8):
        response = write_api.get(f"/api/v1/applications/{application.pk}/")
    assert len(response.json()["credentials"]) == 30
    # the same without the view log, within the hour, and each credential's part from the
    # cache: no stored explanations read
    with django_assert_num_queries(5):
        write_api.get(f"/api/v1/applications/{application.pk}/")
    # token, application, shares, checks, decisions (with who recorded them)
    with django_assert_num_queries(5):
        response = write_api.get(_decisions_url(application.pk))
    assert response.json()["count"] == 30
