from datetime import date, timedelta

import pytest
from django.utils import translation

from portal.statistics import selectors
from portal.statistics.cubes import refresh_rollup
from portal.statistics.selectors import Scope, live, source_for

from .conftest import World, make_decision


@pytest.fixture(autouse=True)
def _english() -> None:
    with translation.override("en"):
        yield


def rows_by_label(table: selectors.Table) -> dict[str, tuple[object, ...]]:
    return {str(row[0]): row[1:] for row in table.rows}


def test_employer_funnel_counts_shown_used_and_shown_not_used(world: World):
    table = selectors.employer_funnel(live(Scope()))

    rows = rows_by_label(table)
    # (employers, % of employers, survey %)
    assert rows["All employers"] == (4, 100.0, 100)
    assert rows["Shown at least one credential"] == (3, 75.0, 26)  # A, B, C (withdrawn share)
    assert rows["Used one in an HR decision"] == (1, 25.0, 11)  # B's "used" was corrected
    assert rows["Shown one but did not use it"] == (2, 50.0, 15)
    assert rows["Not shown one yet"] == (1, 25.0, 74)
    assert "35%" in table.notes[0]


def test_credential_funnel_follows_presented_verified_considered_used(world: World):
    table = selectors.credential_funnel(live(Scope()))

    assert [row[1:] for row in table.rows] == [
        (4, 100.0),  # four shares, the withdrawn one included
        (2, 50.0),  # cred1 and cred2 were verified at least once
        (3, 75.0),  # s1 used, s2 and s3 considered (s3 after its correction)
        (1, 25.0),  # only s1: the superseded "used" on s3 does not count
    ]


def test_superseded_decisions_are_left_out_of_every_breakdown(world: World):
    scope = Scope()

    level = rows_by_label(selectors.by_level(live(scope)))
    stage = rows_by_label(selectors.by_stage(live(scope)))
    issuer = rows_by_label(selectors.by_issuer(live(scope)))

    # (records, used, considered not used, not considered, used %)
    assert level == {
        "EQF 5": (1, 1, 0, 0, 100.0),
        "EQF 6": (1, 0, 1, 0, 0.0),
        "Not stated": (1, 0, 1, 0, 0.0),
    }
    assert stage == {"Screening": (2, 0, 2, 0, 0.0), "Interview": (1, 1, 0, 0, 100.0)}
    assert issuer["Uni Z"] == (1, 0, 1, 0, 0.0)


def test_stages_are_listed_in_hiring_order(world: World):
    labels = [row[0] for row in selectors.by_stage(live(Scope())).rows]

    assert labels == ["Screening", "Interview"]


def test_format_breakdown_uses_the_format_labels(world: World):
    rows = rows_by_label(selectors.by_format(live(Scope())))

    assert rows == {
        "Open Badges 3.0": (1, 1, 0, 0, 100.0),
        "Open Badges 2.0": (1, 0, 1, 0, 0.0),
        "Verifiable Credential (JWT)": (1, 0, 1, 0, 0.0),
    }


def test_status_breakdown_uses_each_presented_credentials_current_status(world: World):
    rows = rows_by_label(selectors.by_status(live(Scope())))

    assert rows == {
        "Not checked yet": (1, 25.0),
        "Verified": (1, 25.0),
        "Failed verification": (1, 25.0),
        "Revoked by the issuer": (1, 25.0),
    }


def test_reasons_are_counted_per_influence(world: World):
    rows = rows_by_label(selectors.by_reason(live(Scope())))

    # (used, % of used, considered not used, % of considered not used)
    assert rows["Evidence of skills or ability"] == (1, 100.0, 0, 0.0)  # not the corrected row
    assert rows["Evidence of eagerness to learn"] == (0, 0.0, 1, 50.0)
    assert rows["Fit for this specific posting"] == (1, 100.0, 0, 0.0)
    assert rows["Other reason"] == (0, 0.0, 1, 50.0)


def test_month_breakdown_puts_shares_and_decisions_in_their_own_months(world: World):
    table = selectors.by_month(live(Scope()))

    assert table.rows == (
        ("2025-03", 2, 1, 1),
        ("2025-04", 2, 1, 0),  # the share at 23:30 on 30 April Tokyo time is April's
        ("2025-05", 0, 1, 0),
    )


def test_verification_time_buckets_and_percentiles(world: World):
    table = selectors.verification_time(live(Scope()))

    rows = rows_by_label(table)
    assert rows["Under 1 minute"] == (1, 50.0)
    assert rows["1 to 24 hours"] == (1, 50.0)
    assert rows["More than a day"] == (0, 0.0)
    histogram = selectors.verification_histogram(live(Scope()))
    assert selectors.verification_percentile(histogram, 0.5) == timedelta(seconds=30)
    assert selectors.verification_percentile(histogram, 0.9) == timedelta(hours=2)
    assert "at most 30 s" in table.notes[0]
    assert "at most 2 h 0 min" in table.notes[0]


def test_date_range_includes_the_whole_end_day_in_site_time(world: World):
    april = Scope(start=date(2025, 4, 1), end=date(2025, 4, 30))

    funnel = [row[1] for row in selectors.credential_funnel(live(april)).rows]
    employers = rows_by_label(selectors.employer_funnel(live(april)))
    stage = rows_by_label(selectors.by_stage(live(april)))

    assert funnel == [2, 0, 1, 0]  # s3 and s4; s3 considered (its decision is dated May)
    assert employers["Shown at least one credential"][0] == 3  # A by decision, B, C by share
    assert employers["Used one in an HR decision"][0] == 0
    assert stage == {"Screening": (1, 0, 1, 0, 0.0)}  # only A's April decision


def test_one_employers_scope_sees_only_its_own_records(world: World):
    scope = Scope(employer_id=world.a.pk)

    funnel = [row[1] for row in selectors.credential_funnel(live(scope)).rows]
    employers = rows_by_label(selectors.employer_funnel(live(scope)))
    issuers = rows_by_label(selectors.by_issuer(live(scope)))

    assert funnel == [2, 2, 2, 1]
    assert employers["All employers"][0] == 1
    assert set(issuers) == {"Uni X", "Uni Y"}


def test_open_ended_breakdowns_show_the_top_rows_and_export_all(world: World):
    for index in range(selectors.PAGE_ROW_LIMIT + 1):
        make_decision(world.a, world.s1, "used", stage="offer", credential_issuer=f"Issuer {index}")

    page = selectors.by_issuer(live(Scope()))
    export = selectors.table_for_export(live(Scope()), "issuer")

    total = selectors.PAGE_ROW_LIMIT + 1 + 3  # three issuers in the base data
    assert len(page.rows) == selectors.PAGE_ROW_LIMIT
    assert page.truncated_from == total
    assert len(export.rows) == total
    assert export.truncated_from is None


def test_no_records_gives_empty_tables_not_errors(db: None):
    tables = selectors.statistics_for(live(Scope()))

    by_slug = {table.slug: table for table in tables}
    assert list(by_slug) == list(selectors.TABLES)
    assert rows_by_label(by_slug["employer-funnel"])["All employers"] == (0, None, 100)
    assert by_slug["month"].rows == ()
    assert by_slug["month"].chart_data() is None


def test_chart_data_carries_the_table_numbers(world: World):
    data = selectors.credential_funnel(live(Scope())).chart_data()

    assert data is not None
    assert data["datasets"][0]["data"] == [4, 2, 3, 1]
    assert len(data["labels"]) == 4


@pytest.mark.parametrize(
    "scope",
    [
        Scope(),
        Scope(start=date(2025, 4, 1), end=date(2025, 4, 30)),
        Scope(start=date(2025, 3, 1)),
        Scope(end=date(2025, 3, 31)),
        Scope(start=date(2025, 3, 15), end=date(2025, 5, 2)),
        Scope(start=date(2025, 3, 11), end=date(2025, 4, 30)),
        Scope(start=date(2025, 4, 11)),
        Scope(end=date(2025, 3, 19)),
    ],
    ids=[
        "all-time",
        "april",
        "from-march",
        "to-march",
        "mid-march-to-may-2",
        "march-11-to-april",
        "from-april-11",
        "to-march-19",
    ],
)
@pytest.mark.parametrize("employer", [None, "a", "b"])
def test_the_monthly_rollup_gives_the_same_tables_as_live_counts(
    world: World, scope: Scope, employer: str | None
):
    if employer is not None:
        scope = Scope(getattr(world, employer).pk, scope.start, scope.end)
    refresh_rollup()

    from_rollup = source_for(scope)
    assert from_rollup.rollup is not None
    for build in selectors.TABLES.values():
        assert build(from_rollup) == build(live(scope))


def test_a_range_that_cuts_months_reads_whole_months_from_the_rollup_and_edges_live(
    world: World,
):
    refresh_rollup()

    plan = source_for(Scope(start=date(2025, 3, 15), end=date(2025, 5, 2))).plan()
    inside_one_month = source_for(Scope(start=date(2025, 4, 2), end=date(2025, 4, 29))).plan()

    assert plan == (
        ("2025-04", "2025-04"),
        [(date(2025, 3, 15), date(2025, 4, 1)), (date(2025, 5, 1), date(2025, 5, 3))],
    )
    assert inside_one_month == (None, [(date(2025, 4, 2), date(2025, 4, 30))])


def test_the_rollup_is_only_used_until_it_is_refreshed(world: World):
    stale = refresh_rollup()
    make_decision(world.d, world.s1, "used", stage="offer")

    assert selectors.by_stage(source_for(Scope())) == selectors.by_stage(
        selectors.CellSource(Scope(), stale)
    )
    refresh_rollup()
    assert rows_by_label(selectors.by_stage(source_for(Scope())))["Offer"][0] == 1


def test_a_rollup_entry_lost_from_the_cache_is_counted_live_not_as_zero(world: World):
    from django.core.cache import cache

    rollup = refresh_rollup()
    cache.delete(f"statistics:rollup:{rollup.stamp}:shares:all")

    table = selectors.credential_funnel(source_for(Scope()))

    assert [row[1] for row in table.rows] == [4, 2, 3, 1]


def test_uploads_never_shared_count_in_the_totals_only(world: World):
    from .conftest import make_credential

    created = world.s1.credential.created_at
    make_credential(
        world.applicant,
        "unshared",
        status="verified",
        created_at=created,
        first_verified_at=created + timedelta(seconds=3),
    )
    refresh_rollup()

    everyone = selectors.verification_histogram(source_for(Scope()))
    employer_a = selectors.verification_histogram(source_for(Scope(employer_id=world.a.pk)))

    assert sum(everyone) == 3
    assert sum(employer_a) == 2
    assert everyone == selectors.verification_histogram(live(Scope()))
