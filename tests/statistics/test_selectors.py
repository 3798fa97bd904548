from datetime import date, timedelta

import pytest
from django.utils import translation

from portal.statistics import selectors
from portal.statistics.selectors import Scope

from .conftest import World, make_decision


@pytest.fixture(autouse=True)
def _english() -> None:
    with translation.override("en"):
        yield


def rows_by_label(table: selectors.Table) -> dict[str, tuple[object, ...]]:
    return {str(row[0]): row[1:] for row in table.rows}


def test_employer_funnel_counts_shown_used_and_shown_not_used(world: World):
    table = selectors.employer_funnel(Scope())

    rows = rows_by_label(table)
    # (employers, % of employers, survey %)
    assert rows["All employers"] == (4, 100.0, 100)
    assert rows["Shown at least one credential"] == (3, 75.0, 26)  # A, B, C (withdrawn share)
    assert rows["Used one in an HR decision"] == (1, 25.0, 11)  # B's "used" was corrected
    assert rows["Shown one but did not use it"] == (2, 50.0, 15)
    assert rows["Not shown one yet"] == (1, 25.0, 74)
    assert "35%" in table.notes[0]


def test_credential_funnel_follows_presented_verified_considered_used(world: World):
    table = selectors.credential_funnel(Scope())

    assert [row[1:] for row in table.rows] == [
        (4, 100.0),  # four shares, the withdrawn one included
        (2, 50.0),  # cred1 and cred2 were verified at least once
        (3, 75.0),  # s1 used, s2 and s3 considered (s3 after its correction)
        (1, 25.0),  # only s1: the superseded "used" on s3 does not count
    ]


def test_superseded_decisions_are_left_out_of_every_breakdown(world: World):
    scope = Scope()

    level = rows_by_label(selectors.by_level(scope))
    stage = rows_by_label(selectors.by_stage(scope))
    issuer = rows_by_label(selectors.by_issuer(scope))

    # (records, used, considered not used, not considered, used %)
    assert level == {
        "EQF 5": (1, 1, 0, 0, 100.0),
        "EQF 6": (1, 0, 1, 0, 0.0),
        "Not stated": (1, 0, 1, 0, 0.0),
    }
    assert stage == {"Screening": (2, 0, 2, 0, 0.0), "Interview": (1, 1, 0, 0, 100.0)}
    assert issuer["Uni Z"] == (1, 0, 1, 0, 0.0)


def test_stages_are_listed_in_hiring_order(world: World):
    labels = [row[0] for row in selectors.by_stage(Scope()).rows]

    assert labels == ["Screening", "Interview"]


def test_format_breakdown_uses_the_format_labels(world: World):
    rows = rows_by_label(selectors.by_format(Scope()))

    assert rows == {
        "Open Badges 3.0": (1, 1, 0, 0, 100.0),
        "Open Badges 2.0": (1, 0, 1, 0, 0.0),
        "Verifiable Credential (JWT)": (1, 0, 1, 0, 0.0),
    }


def test_status_breakdown_uses_each_presented_credentials_current_status(world: World):
    rows = rows_by_label(selectors.by_status(Scope()))

    assert rows == {
        "Not checked yet": (1, 25.0),
        "Verified": (1, 25.0),
        "Failed verification": (1, 25.0),
        "Revoked by the issuer": (1, 25.0),
    }


def test_reasons_are_counted_per_influence(world: World):
    rows = rows_by_label(selectors.by_reason(Scope()))

    # (used, % of used, considered not used, % of considered not used)
    assert rows["Evidence of skills or ability"] == (1, 100.0, 0, 0.0)  # not the corrected row
    assert rows["Evidence of eagerness to learn"] == (0, 0.0, 1, 50.0)
    assert rows["Fit for this specific posting"] == (1, 100.0, 0, 0.0)
    assert rows["Other reason"] == (0, 0.0, 1, 50.0)


def test_month_breakdown_puts_shares_and_decisions_in_their_own_months(world: World):
    table = selectors.by_month(Scope())

    assert table.rows == (
        ("2025-03", 2, 1, 1),
        ("2025-04", 2, 1, 0),  # the share at 23:30 on 30 April Tokyo time is April's
        ("2025-05", 0, 1, 0),
    )


def test_verification_time_buckets_and_percentiles(world: World):
    table = selectors.verification_time(Scope())

    rows = rows_by_label(table)
    assert rows["Under 1 minute"] == (1, 50.0)
    assert rows["1 to 24 hours"] == (1, 50.0)
    assert rows["More than a day"] == (0, 0.0)
    uploads = selectors.verified_uploads(Scope())
    assert selectors.verification_percentiles(uploads, total=2) == (
        timedelta(seconds=30),
        timedelta(hours=2),
    )
    assert "30 s" in table.notes[0]
    assert "2 h 0 min" in table.notes[0]


def test_date_range_includes_the_whole_end_day_in_site_time(world: World):
    april = Scope(start=date(2025, 4, 1), end=date(2025, 4, 30))

    funnel = [row[1] for row in selectors.credential_funnel(april).rows]
    employers = rows_by_label(selectors.employer_funnel(april))
    stage = rows_by_label(selectors.by_stage(april))

    assert funnel == [2, 0, 1, 0]  # s3 and s4; s3 considered (its decision is dated May)
    assert employers["Shown at least one credential"][0] == 3  # A by decision, B, C by share
    assert employers["Used one in an HR decision"][0] == 0
    assert stage == {"Screening": (1, 0, 1, 0, 0.0)}  # only A's April decision


def test_one_employers_scope_sees_only_its_own_records(world: World):
    scope = Scope(employer_id=world.a.pk)

    funnel = [row[1] for row in selectors.credential_funnel(scope).rows]
    employers = rows_by_label(selectors.employer_funnel(scope))
    issuers = rows_by_label(selectors.by_issuer(scope))

    assert funnel == [2, 2, 2, 1]
    assert employers["All employers"][0] == 1
    assert set(issuers) == {"Uni X", "Uni Y"}


def test_open_ended_breakdowns_show_the_top_rows_and_export_all(world: World):
    for index in range(selectors.PAGE_ROW_LIMIT + 1):
        make_decision(world.a, world.s1, "used", stage="offer", credential_issuer=f"Issuer {index}")

    page = selectors.by_issuer(Scope())
    export = selectors.table_for_export(Scope(), "issuer")

    total = selectors.PAGE_ROW_LIMIT + 1 + 3  # three issuers in the base data
    assert len(page.rows) == selectors.PAGE_ROW_LIMIT
    assert page.truncated_from == total
    assert len(export.rows) == total
    assert export.truncated_from is None


def test_no_records_gives_empty_tables_not_errors(db: None):
    tables = selectors.statistics_for(Scope())

    by_slug = {table.slug: table for table in tables}
    assert list(by_slug) == list(selectors.TABLES)
    assert rows_by_label(by_slug["employer-funnel"])["All employers"] == (0, None, 100)
    assert by_slug["month"].rows == ()
    assert by_slug["month"].chart_data() is None


def test_chart_data_carries_the_table_numbers(world: World):
    data = selectors.credential_funnel(Scope()).chart_data()

    assert data is not None
    assert data["datasets"][0]["data"] == [4, 2, 3, 1]
    assert len(data["labels"]) == 4
