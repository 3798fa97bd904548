"""Adoption statistics, counted in the database with aggregate queries.

Units and rules (the page and the CSV say the same):

- An employer "was shown" a credential when an applicant shared one with it (a
  ``SharedCredential``) or it recorded a decision about one. A share the applicant later
  withdrew still counts as presented: the employer saw it, which is what the national survey
  asked about, and the decision records keep their own snapshot after a withdrawal.
- Only current decision records count: a correction supersedes the row it corrects, so rows
  with ``superseded_by`` set are left out everywhere.
- The date range filters each event by its own time: shares by ``shared_at``, decisions by
  ``recorded_at``, uploads by the credential's ``created_at``. Dates are calendar days in the
  site's time zone; the end date is included.
- Level, issuer, field, format and stage breakdowns use the credential facts copied into the
  decision when it was recorded; the status breakdown uses each presented credential's
  current status.

- Upload-to-verification times are counted in a histogram (``cubes.VERIFICATION_BOUNDS``);
  the median and 90th percentile are given as the bound of the bucket they fall in ("at
  most 30 s"), so the rollup and live counts give the same answer on SQLite and PostgreSQL.

The database does the counting (``cubes``: one GROUP BY query per cube); the functions here
only add up those grouped cells, never individual records.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from credentials.vocabulary import CredentialFormat, Status
from employers.models import Employer, Influence, Stage
from portal.statistics.cubes import (
    CUBES,
    PER_EMPLOYER_CUBES,
    REASONS,
    VERIFICATION_BOUNDS,
    Cell,
    Rollup,
    cached_rollup,
    live_cells,
)

# The 2025 national employer survey (1,228 Japanese firms), in percent of firms; see
# /work/shared/DESIGN.md. "Would use depending on content" is a share of the firms that had
# not been shown one; the portal cannot measure intentions, so it has no portal figure.
SURVEY_FIRMS = 1228
SURVEY_SHOWN_PERCENT = 26
SURVEY_USED_PERCENT = 11
SURVEY_SHOWN_NOT_USED_PERCENT = 15
SURVEY_WOULD_USE_PERCENT_OF_REST = 35

# Issuers and fields of study are open-ended; the page shows the most frequent ones and the
# CSV export has them all.
PAGE_ROW_LIMIT = 20

# Buckets for "time from upload to verification": (upper bound, label).
VERIFICATION_BUCKETS: tuple[tuple[timedelta | None, Promise], ...] = (
    (timedelta(minutes=1), _("Under 1 minute")),
    (timedelta(minutes=10), _("1 to 10 minutes")),
    (timedelta(hours=1), _("10 to 60 minutes")),
    (timedelta(days=1), _("1 to 24 hours")),
    (None, _("More than a day")),
)


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose data and which days. ``employer_id`` None means every employer (site admins)."""

    employer_id: int | None = None
    start: date | None = None
    end: date | None = None  # included

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """The range as aware datetimes: [start 00:00, day after end 00:00) in site time."""
        after_end = self.end + timedelta(days=1) if self.end else None
        return _day_start(self.start), _day_start(after_end)


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str | Promise
    is_number: bool = True


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """Which columns of a table to draw, and how."""

    kind: str  # "bar" or "line"
    series: tuple[str, ...]  # column keys plotted against the first column
    horizontal: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    slug: str
    title: str | Promise
    description: str | Promise
    columns: tuple[Column, ...]
    rows: tuple[tuple[object, ...], ...]
    chart: ChartSpec | None = None
    truncated_from: int | None = None  # total row count when the page shows only the top rows
    notes: tuple[str, ...] = field(default_factory=tuple)

    def chart_data(self) -> dict[str, object] | None:
        """Labels and series for static/js/statistics.js (passed through json_script)."""
        if self.chart is None or not self.rows:
            return None
        keys = [column.key for column in self.columns]
        return {
            "kind": self.chart.kind,
            "horizontal": self.chart.horizontal,
            "labels": [str(row[0]) for row in self.rows],
            "datasets": [
                {
                    "label": str(self.columns[keys.index(key)].label),
                    "data": [row[keys.index(key)] or 0 for row in self.rows],
                }
                for key in self.chart.series
            ],
        }


MonthSpan = tuple[str | None, str | None]  # "YYYY-MM" first and last, None: open
DaySpan = tuple[date | None, date | None]  # start included, end excluded; None: open


@dataclass(frozen=True, slots=True)
class CellSource:
    """Where a page's counts come from. With a cached rollup, the whole months inside the
    range come from it and any partial months at either end are counted live; without
    one, the whole range is counted live. Cells are sums, so the parts simply add up."""

    scope: Scope
    rollup: Rollup | None = None
    # Cells already read for this page; several tables share a cube.
    memo: dict[tuple[str, bool], list[Cell]] = field(default_factory=dict, compare=False)

    @property
    def built_at(self) -> datetime | None:
        return self.rollup.built_at if self.rollup is not None else None

    def plan(
        self,
    ) -> tuple[tuple[str | None, str | None] | None, list[tuple[date | None, date | None]]]:
        """The rollup's month span (None: no rollup part) and the day ranges counted live
        (start included, end excluded)."""
        start, end = self.scope.start, self.scope.end
        after_end = end + timedelta(days=1) if end is not None else None
        if self.rollup is None:
            return None, [(start, after_end)]
        first = start if start is None or start.day == 1 else _next_month(start)
        stop = after_end.replace(day=1) if after_end is not None else None
        if first is not None and stop is not None and first >= stop:
            return None, [(start, after_end)]
        edges: list[DaySpan] = []
        if start is not None and first is not None and start < first:
            edges.append((start, first))
        if after_end is not None and stop is not None and stop < after_end:
            edges.append((stop, after_end))
        last = (stop - timedelta(days=1)).strftime("%Y-%m") if stop is not None else None
        return (first.strftime("%Y-%m") if first else None, last), edges

    def cells(self, cube: str, *, by_employer: bool = False) -> list[Cell]:
        key = (cube, by_employer)
        if key not in self.memo:
            if (
                not by_employer
                and self.scope.employer_id is None
                and self.rollup is None
                and (cube in PER_EMPLOYER_CUBES)
            ):
                # Each share and decision belongs to one employer, so the live totals are the
                # employer funnel's per-employer cells added up: one query instead of two.
                self.memo[key] = [
                    (None, month, value, measures)
                    for _employer, month, value, measures in self.cells(cube, by_employer=True)
                ]
            else:
                self.memo[key] = self._cells(cube, by_employer=by_employer)
        return self.memo[key]

    def _cells(self, cube: str, *, by_employer: bool) -> list[Cell]:
        if self.rollup is None or by_employer:
            return self._live(cube, live(self.scope).plan()[1], by_employer=by_employer)
        months, edges = self.plan()
        cells: list[Cell] = []
        if months is not None:
            from_rollup = self.rollup.select(
                cube, employer_id=self.scope.employer_id, first=months[0], last=months[1]
            )
            if from_rollup is None:  # evicted from the cache: count the whole range live
                return self._live(cube, live(self.scope).plan()[1], by_employer=False)
            cells += from_rollup
        if self.scope.employer_id is None:
            # Part months over every employer: the rollup's daily totals.
            daily = [
                self.rollup.select_days(cube, first=str(start), last=str(stop - ONE_DAY))
                for start, stop in edges
                if start is not None and stop is not None
            ]
            if all(part is not None for part in daily):
                # Daily cells are filed under their month, like every other cell.
                return cells + [
                    (employer, day[:7], value, measures)
                    for part in daily
                    if part is not None
                    for employer, day, value, measures in part
                ]
        return cells + self._live(cube, edges, by_employer=False)

    def _live(self, cube: str, spans: list[DaySpan], *, by_employer: bool) -> list[Cell]:
        cells: list[Cell] = []
        for start, stop in spans:
            cells += live_cells(
                CUBES[cube],
                employer_id=self.scope.employer_id,
                lower=_day_start(start),
                upper=_day_start(stop),
                by_employer=by_employer,
            )
        return cells

    def active_employers(self) -> tuple[set[int], set[int]]:
        """Employers shown at least one credential in the range, and those where one
        informed a decision. Recording a decision implies having been shown the credential,
        so the second set is inside the first, as in the survey."""
        if self.rollup is not None:
            start, end = self.scope.start, self.scope.end
            active = self.rollup.active_employers(
                employer_id=self.scope.employer_id,
                first=start.isoformat() if start else None,
                last=end.isoformat() if end else None,
            )
            if active is not None:
                return active
        decision_cells = self.cells("decisions", by_employer=True)
        shown = {cell[0] for cell in self.cells("shares", by_employer=True) if cell[3][0]}
        shown |= {cell[0] for cell in decision_cells if cell[3][0]}
        used = {cell[0] for cell in decision_cells if cell[3][1]}
        return {e for e in shown if e is not None}, {e for e in used if e is not None}

    def totals(self, cube: str) -> dict[str, int]:
        """The cube's measures summed over every cell."""
        names = CUBES[cube].measure_names()
        sums = [0] * len(names)
        for *_key, measures in self.cells(cube):
            sums = [a + b for a, b in zip(sums, measures, strict=True)]
        return dict(zip(names, sums, strict=True))

    def by_value(self, cube: str) -> dict[object, dict[str, int]]:
        names = CUBES[cube].measure_names()
        sums: dict[object, list[int]] = {}
        for _employer, _month, value, measures in self.cells(cube):
            current = sums.setdefault(value, [0] * len(names))
            sums[value] = [a + b for a, b in zip(current, measures, strict=True)]
        return {value: dict(zip(names, row, strict=True)) for value, row in sums.items()}


ONE_DAY = timedelta(days=1)


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _day_start(day: date | None) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def live(scope: Scope) -> CellSource:
    return CellSource(scope)


def source_for(scope: Scope) -> CellSource:
    return CellSource(scope, cached_rollup())


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _influence_columns(first: Column) -> tuple[Column, ...]:
    return (
        first,
        Column("recorded", _("Decision records")),
        Column("used", _("Informed the decision")),
        Column("considered_not_used", _("Considered, not used")),
        Column("not_considered", _("Not considered")),
        Column("used_percent", _("Informed the decision (%)")),
    )


def _influence_row(label: object, counts: dict[str, int]) -> tuple[object, ...]:
    return (
        label,
        counts["recorded"],
        counts["used"],
        counts["considered_not_used"],
        counts["not_considered"],
        _percent(counts["used"], counts["recorded"]),
    )


def employer_funnel(source: CellSource) -> Table:
    """The survey's funnel over employers on the portal, with the survey figures beside it."""
    scope = source.scope
    employers = Employer.objects.all()
    if scope.employer_id is not None:
        employers = employers.filter(pk=scope.employer_id)
    _lower, upper = scope.bounds()
    if upper is not None:
        employers = employers.filter(created_at__lt=upper)
    total = employers.count()
    shown_ids, used_ids = source.active_employers()
    shown, used = len(shown_ids), len(used_ids)
    not_shown = total - shown
    return Table(
        slug="employer-funnel",
        title=_("Employers: shown a credential, and used one"),
        description=_(
            "Employers on the portal, set beside the 2025 national survey of 1,228 Japanese "
            "firms. The survey column gives the survey's own figures, not the portal's."
        ),
        columns=(
            Column("measure", _("Measure"), is_number=False),
            Column("employers", _("Employers on the portal")),
            # xgettext:no-python-format
            Column("percent", _("Portal (% of employers)")),
            # xgettext:no-python-format
            Column("survey_percent", _("National survey 2025 (% of firms)")),
        ),
        rows=(
            (gettext("All employers"), total, _percent(total, total), 100),
            (
                gettext("Shown at least one credential"),
                shown,
                _percent(shown, total),
                SURVEY_SHOWN_PERCENT,
            ),
            (
                gettext("Used one in an HR decision"),
                used,
                _percent(used, total),
                SURVEY_USED_PERCENT,
            ),
            (
                gettext("Shown one but did not use it"),
                shown - used,
                _percent(shown - used, total),
                SURVEY_SHOWN_NOT_USED_PERCENT,
            ),
            (
                gettext("Not shown one yet"),
                not_shown,
                _percent(not_shown, total),
                100 - SURVEY_SHOWN_PERCENT,
            ),
        ),
        chart=ChartSpec("bar", ("percent", "survey_percent")),
        notes=(
            gettext(
                "In the survey, about %(percent)d%% of the firms that had not been shown one "
                "said they would use one depending on its content. The portal cannot measure "
                "intentions, so it has no figure for this."
            )
            % {"percent": SURVEY_WOULD_USE_PERCENT_OF_REST},
        ),
    )


def credential_funnel(source: CellSource) -> Table:
    """Each presented credential (one share with one employer): verified, considered, used."""
    counts = source.totals("shares")
    presented = counts["presented"]
    steps = (
        ("presented", gettext("Presented (shared with an employer)")),
        ("verified", gettext("Verified by the portal at least once")),
        ("considered", gettext("Considered in a decision")),
        ("used", gettext("Informed the decision")),
    )
    return Table(
        slug="credential-funnel",
        title=_("Credentials: presented, verified, considered, used"),
        description=_(
            "Each credential an applicant shared with an employer counts once per employer. "
            "Shares the applicant later withdrew are included, because the employer saw them."
        ),
        columns=(
            Column("step", _("Step"), is_number=False),
            Column("credentials", _("Credentials")),
            # xgettext:no-python-format
            Column("percent", _("% of presented")),
        ),
        rows=tuple((label, counts[key], _percent(counts[key], presented)) for key, label in steps),
        chart=ChartSpec("bar", ("credentials",), horizontal=True),
    )


def by_month(source: CellSource) -> Table:
    merged: dict[str, list[int]] = {}
    for _employer, month, _value, measures in source.cells("shares"):
        merged.setdefault(month, [0, 0, 0])[0] += measures[0]
    for _employer, month, _value, measures in source.cells("decisions"):
        counts = merged.setdefault(month, [0, 0, 0])
        counts[1] += measures[0]
        counts[2] += measures[1]
    return Table(
        slug="month",
        title=_("By month"),
        description=_(
            "Credentials presented by the month they were shared; decision records by the "
            "month they were recorded."
        ),
        columns=(
            Column("month", _("Month"), is_number=False),
            Column("presented", _("Credentials presented")),
            Column("recorded", _("Decision records")),
            Column("used", _("Informed the decision")),
        ),
        rows=tuple((month, *counts) for month, counts in sorted(merged.items())),
        chart=ChartSpec("line", ("presented", "recorded", "used")),
    )


def by_status(source: CellSource) -> Table:
    counts = {value: row["presented"] for value, row in source.by_value("status").items()}
    total = sum(counts.values())
    return Table(
        slug="status",
        title=_("By verification status"),
        description=_("Presented credentials by their current verification status."),
        columns=(
            Column("status", _("Verification status"), is_number=False),
            Column("presented", _("Credentials presented")),
            # xgettext:no-python-format
            Column("percent", _("% of presented")),
        ),
        rows=tuple(
            (str(status.label), counts[status.value], _percent(counts[status.value], total))
            for status in Status
            if counts.get(status.value)
        ),
        chart=ChartSpec("bar", ("presented",)),
    )


def _by_snapshot(
    source: CellSource,
    *,
    cube: str,
    title: Promise,
    description: Promise,
    first: Column,
    label: Callable[[str], str],
    limit: int | None,
    order: Sequence[str] | None = None,
) -> Table:
    grouped = source.by_value(cube)
    keys: list[object]
    if order is not None:
        keys = [key for key in order if key in grouped]
    else:
        keys = sorted(grouped, key=lambda key: (-grouped[key]["recorded"], str(key)))
    shown = keys[:limit] if limit is not None else keys
    return Table(
        slug=cube,
        title=title,
        description=description,
        columns=_influence_columns(first),
        rows=tuple(_influence_row(label(str(key)), grouped[key]) for key in shown),
        chart=ChartSpec("bar", ("used", "considered_not_used", "not_considered"), horizontal=True),
        truncated_from=len(keys) if len(shown) < len(keys) else None,
    )


def _stated(value: str) -> str:
    """A snapshot value as shown: empty means the credential did not state it."""
    return value or gettext("Not stated")


def by_level(source: CellSource, *, limit: int | None = None) -> Table:
    return _by_snapshot(
        source,
        cube="level",
        title=_("By level"),
        description=_(
            "Decision records by the credential's level on a qualifications framework, as "
            "recorded with the decision."
        ),
        first=Column("level", _("Level"), is_number=False),
        label=_stated,
        limit=limit,
    )


def by_issuer(source: CellSource, *, limit: int | None = PAGE_ROW_LIMIT) -> Table:
    return _by_snapshot(
        source,
        cube="issuer",
        title=_("By issuer"),
        description=_("Decision records by the credential's issuer."),
        first=Column("issuer", _("Issuer"), is_number=False),
        label=_stated,
        limit=limit,
    )


def by_field(source: CellSource, *, limit: int | None = PAGE_ROW_LIMIT) -> Table:
    return _by_snapshot(
        source,
        cube="field",
        title=_("By field of study"),
        description=_("Decision records by the credential's field of study."),
        first=Column("field", _("Field of study"), is_number=False),
        label=_stated,
        limit=limit,
    )


def _format_label(value: str) -> str:
    if not value:
        return gettext("Not stated")
    return str(CredentialFormat(value).label) if value in CredentialFormat.values else value


def by_format(source: CellSource, *, limit: int | None = None) -> Table:
    return _by_snapshot(
        source,
        cube="format",
        title=_("By format"),
        description=_("Decision records by the kind of credential (Open Badges, VC, EDC)."),
        first=Column("format", _("Format"), is_number=False),
        label=_format_label,
        limit=limit,
    )


def by_stage(source: CellSource, *, limit: int | None = None) -> Table:
    return _by_snapshot(
        source,
        cube="stage",
        title=_("By decision stage"),
        description=_("Decision records by the hiring or promotion stage they were made at."),
        first=Column("stage", _("Stage"), is_number=False),
        label=lambda value: str(Stage(value).label),
        limit=limit,
        order=Stage.values,
    )


def by_reason(source: CellSource) -> Table:
    """How often each reason was given; one decision can give several reasons."""
    counts = source.totals("decisions")
    labels = {
        "skills": gettext("Evidence of skills or ability"),
        "eagerness": gettext("Evidence of eagerness to learn"),
        "fit": gettext("Fit for this specific posting"),
        "other": gettext("Other reason"),
    }
    used, considered = Influence.USED, Influence.CONSIDERED_NOT_USED
    return Table(
        slug="reason",
        title=_("By reason"),
        description=_(
            "Reasons HR staff gave. One decision record can give several reasons, so the "
            "percentages can add up to more than 100."
        ),
        columns=(
            Column("reason", _("Reason"), is_number=False),
            Column("used", _("Informed the decision")),
            # xgettext:no-python-format
            Column("used_percent", _("% of records where it informed the decision")),
            Column("considered_not_used", _("Considered, not used")),
            # xgettext:no-python-format
            Column("considered_percent", _("% of records where it was considered, not used")),
        ),
        rows=tuple(
            (
                label,
                counts[f"{used}_{key}"],
                _percent(counts[f"{used}_{key}"], counts["used"]),
                counts[f"{considered}_{key}"],
                _percent(counts[f"{considered}_{key}"], counts["considered_not_used"]),
            )
            for key, label in labels.items()
            if key in REASONS
        ),
        chart=ChartSpec("bar", ("used", "considered_not_used"), horizontal=True),
    )


def verification_histogram(source: CellSource) -> list[int]:
    """Verified uploads per VERIFICATION_BOUNDS bucket (the last one: longer than all)."""
    counts = [0] * (len(VERIFICATION_BOUNDS) + 1)
    for value, row in source.by_value("verification").items():
        counts[int(str(value))] += row["credentials"]
    return counts


def verification_percentile(histogram: Sequence[int], fraction: float) -> timedelta | None:
    """The bucket bound under which the nearest-rank percentile falls; None when no data,
    and the last bound when the percentile is beyond it."""
    total = sum(histogram)
    if not total:
        return None
    rank = max(1, -(-int(total * fraction * 1000) // 1000))
    seen = 0
    for index, count in enumerate(histogram):
        seen += count
        if seen >= rank:
            return VERIFICATION_BOUNDS[min(index, len(VERIFICATION_BOUNDS) - 1)]
    return VERIFICATION_BOUNDS[-1]


def _format_duration(value: timedelta | None) -> str:
    if value is None:
        return "—"
    seconds = max(int(value.total_seconds()), 0)
    if seconds < 60:
        return gettext("%(seconds)d s") % {"seconds": seconds}
    if seconds < 3600:
        return gettext("%(minutes)d min %(seconds)d s") % {
            "minutes": seconds // 60,
            "seconds": seconds % 60,
        }
    return gettext("%(hours)d h %(minutes)d min") % {
        "hours": seconds // 3600,
        "minutes": seconds % 3600 // 60,
    }


def verification_time(source: CellSource) -> Table:
    """Upload to first successful verification: buckets, median and 90th percentile."""
    histogram = verification_histogram(source)
    total = sum(histogram)
    cumulative_counts = []
    for upper_bound, label in VERIFICATION_BUCKETS:
        count = sum(
            histogram[index]
            for index in range(len(histogram))
            if _fine_bucket_inside(index, upper_bound)
        )
        cumulative_counts.append((str(label), count))
    # Coarse buckets take the fine buckets below their bound not taken by an earlier one.
    coarse = []
    taken = 0
    for bucket, cumulative in cumulative_counts:
        coarse.append((bucket, cumulative - taken, _percent(cumulative - taken, total)))
        taken = cumulative
    median = verification_percentile(histogram, 0.5)
    p90 = verification_percentile(histogram, 0.9)
    return Table(
        slug="verification-time",
        title=_("Time from upload to verification"),
        description=_(
            "Credentials uploaded in the period and verified at least once: how long the first "
            "successful check took."
        ),
        columns=(
            Column("bucket", _("Time to verification"), is_number=False),
            Column("credentials", _("Credentials")),
            # xgettext:no-python-format
            Column("percent", _("% of verified uploads")),
        ),
        rows=tuple(coarse),
        chart=ChartSpec("bar", ("credentials",)),
        notes=(
            gettext("Median: at most %(median)s. 90th percentile: at most %(p90)s.")
            % {"median": _format_duration(median), "p90": _format_duration(p90)},
        ),
    )


def _fine_bucket_inside(index: int, upper_bound: timedelta | None) -> bool:
    """Whether fine bucket ``index`` lies wholly under ``upper_bound`` (None: no bound)."""
    if upper_bound is None:
        return True
    return index < len(VERIFICATION_BOUNDS) and VERIFICATION_BOUNDS[index] <= upper_bound


# Every table, in page order. The open-ended ones show their top rows on the page; the CSV
# export calls the same function with ``limit=None``.
TABLES: dict[str, Callable[..., Table]] = {
    "employer-funnel": employer_funnel,
    "credential-funnel": credential_funnel,
    "month": by_month,
    "status": by_status,
    "level": by_level,
    "issuer": by_issuer,
    "field": by_field,
    "format": by_format,
    "stage": by_stage,
    "reason": by_reason,
    "verification-time": verification_time,
}
LIMITED_TABLES = frozenset({"issuer", "field"})


def statistics_for(source: CellSource) -> list[Table]:
    return [build(source) for build in TABLES.values()]


def table_for_export(source: CellSource, slug: str) -> Table:
    """One whole table (no row limit); KeyError for an unknown slug."""
    build = TABLES[slug]
    return build(source, limit=None) if slug in LIMITED_TABLES else build(source)
