"""The counts behind every statistics table, as "cubes" of cells: (employer, month, value)
→ measures, each cell one GROUP BY row of an aggregate query.

Two sources give the same cells:

- live: the aggregate queries run for the page's exact scope (any day range);
- the monthly rollup: the same queries over all data, grouped by employer and month, run by
  a periodic task (``refresh_rollup``) and kept in the cache. A page whose range is whole
  months (or all time) sums rollup cells instead of scanning the tables, which keeps it
  fast at a million decision records (see bench/statistics.py).
"""

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from credentials.models import Credential
from employers.models import Decision, Influence, SharedCredential

# (employer id or None for "every employer", "YYYY-MM", value or None, measures)
Cell = tuple[int | None, str, object, tuple[int, ...]]

ROLLUP_CACHE_KEY = "statistics:rollup:v1"
# The refresh task runs every few minutes; an hour-old rollup is dropped so a stopped beat
# makes the page fall back to live counts rather than show stale ones for ever.
ROLLUP_MAX_AGE_SECONDS = 3600

# Upper bounds for the upload-to-verification histogram; percentiles are reported as the
# bound of the bucket they fall in, so rollup and live counts agree.
VERIFICATION_BOUNDS: tuple[timedelta, ...] = tuple(
    timedelta(seconds=seconds)
    for seconds in (
        5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 450, 600, 900, 1200, 1800, 2700,
        3600, 5400, 7200, 10_800, 14_400, 21_600, 28_800, 43_200, 64_800, 86_400,
        129_600, 172_800, 259_200, 432_000, 604_800, 1_209_600,
    )
)  # fmt: skip


def _current_decisions() -> QuerySet[Decision]:
    # A correction supersedes the row it corrects; only rows nobody superseded count.
    return Decision.objects.filter(superseded_by__isnull=True)


def _influence_measures() -> dict[str, Count]:
    return {
        "recorded": Count("pk"),
        "used": Count("pk", filter=Q(influence=Influence.USED)),
        "considered_not_used": Count("pk", filter=Q(influence=Influence.CONSIDERED_NOT_USED)),
        "not_considered": Count("pk", filter=Q(influence=Influence.NOT_CONSIDERED)),
    }


REASONS = {
    "skills": Q(reason_skills=True),
    "eagerness": Q(reason_eagerness=True),
    "fit": Q(reason_fit=True),
    "other": ~Q(reason_other=""),
}


def _decision_measures() -> dict[str, Count]:
    measures = _influence_measures()
    for reason, condition in REASONS.items():
        for influence in (Influence.USED, Influence.CONSIDERED_NOT_USED):
            measures[f"{influence}_{reason}"] = Count(
                "pk", filter=condition & Q(influence=influence)
            )
    return measures


def _share_measures() -> dict[str, Count]:
    decisions = _current_decisions().filter(
        application_id=OuterRef("application_id"), credential_id=OuterRef("credential_id")
    )
    considered = decisions.filter(influence__in=[Influence.USED, Influence.CONSIDERED_NOT_USED])
    return {
        "presented": Count("pk"),
        "verified": Count("pk", filter=Q(credential__first_verified_at__isnull=False)),
        "considered": Count("pk", filter=Exists(considered)),
        "used": Count("pk", filter=Exists(decisions.filter(influence=Influence.USED))),
    }


def _verification_bucket() -> Case:
    return Case(
        *(
            When(first_verified_at__lte=F("created_at") + bound, then=Value(index))
            for index, bound in enumerate(VERIFICATION_BOUNDS)
        ),
        default=Value(len(VERIFICATION_BOUNDS)),
    )


def _shared_with(queryset: QuerySet, employer_id: int) -> QuerySet:
    return queryset.filter(
        pk__in=SharedCredential.objects.filter(application__employer_id=employer_id).values(
            "credential_id"
        )
    )


@dataclass(frozen=True, slots=True)
class Cube:
    name: str
    rows: Callable[[], QuerySet]
    time_field: str
    employer_field: str
    measures: Callable[[], dict[str, Count]]
    value: Callable[[], object] | None = None
    # How to keep one employer's rows, when it is not a plain filter on employer_field.
    for_employer: Callable[[QuerySet, int], QuerySet] | None = None

    def measure_names(self) -> tuple[str, ...]:
        return tuple(self.measures())


def _snapshot_cube(name: str, field_name: str) -> Cube:
    return Cube(
        name=name,
        rows=_current_decisions,
        time_field="recorded_at",
        employer_field="employer_id",
        measures=_influence_measures,
        value=lambda: F(field_name),
    )


CUBES: dict[str, Cube] = {
    cube.name: cube
    for cube in (
        Cube(
            name="shares",
            rows=SharedCredential.objects.all,
            time_field="shared_at",
            employer_field="application__employer_id",
            measures=_share_measures,
        ),
        Cube(
            name="status",
            rows=SharedCredential.objects.all,
            time_field="shared_at",
            employer_field="application__employer_id",
            measures=lambda: {"presented": Count("pk")},
            value=lambda: F("credential__status"),
        ),
        Cube(
            name="decisions",
            rows=_current_decisions,
            time_field="recorded_at",
            employer_field="employer_id",
            measures=_decision_measures,
        ),
        _snapshot_cube("level", "credential_level"),
        _snapshot_cube("issuer", "credential_issuer"),
        _snapshot_cube("field", "credential_field"),
        _snapshot_cube("format", "credential_format"),
        _snapshot_cube("stage", "stage"),
        Cube(
            name="verification",
            rows=lambda: Credential.objects.filter(first_verified_at__isnull=False),
            time_field="created_at",
            employer_field="shares__application__employer_id",
            # Distinct: grouped by employer, an upload shared in two applications to the
            # same employer joins twice.
            measures=lambda: {"credentials": Count("pk", distinct=True)},
            value=_verification_bucket,
            for_employer=_shared_with,
        ),
    )
}


def grouped_cells(
    cube: Cube,
    queryset: QuerySet,
    *,
    by_employer: bool,
    employer_id: int | None = None,
    daily: bool = False,
) -> list[Cell]:
    """One aggregate query: the cube's measures grouped by month (or day) (, employer)
    (, value). Months are "YYYY-MM", days "YYYY-MM-DD", both in the site's time zone."""
    period = TruncDate(cube.time_field) if daily else TruncMonth(cube.time_field)
    keys: dict[str, object] = {"cube_month": period}
    if by_employer:
        keys["cube_employer"] = F(cube.employer_field)
    if cube.value is not None:
        keys["cube_value"] = cube.value()
    measures = cube.measures()
    rows = queryset.annotate(**keys).values(*keys).annotate(**measures).order_by()
    return [
        (
            row["cube_employer"] if by_employer else employer_id,
            row["cube_month"].strftime("%Y-%m-%d" if daily else "%Y-%m"),
            row.get("cube_value"),
            tuple(row[name] for name in measures),
        )
        for row in rows
    ]


def live_cells(
    cube: Cube,
    *,
    employer_id: int | None,
    lower: datetime | None,
    upper: datetime | None,
    by_employer: bool = False,
) -> list[Cell]:
    rows = cube.rows()
    if employer_id is not None:
        if cube.for_employer is not None:
            rows = cube.for_employer(rows, employer_id)
        else:
            rows = rows.filter(**{cube.employer_field: employer_id})
    if lower is not None:
        rows = rows.filter(**{f"{cube.time_field}__gte": lower})
    if upper is not None:
        rows = rows.filter(**{f"{cube.time_field}__lt": upper})
    return grouped_cells(cube, rows, by_employer=by_employer, employer_id=employer_id)


# Every share and decision belongs to exactly one employer, so these cubes' totals are the
# sum of their per-employer cells (not so for uploads, which can be shared with several).
PER_EMPLOYER_CUBES = frozenset({"shares", "decisions"})
# Employers' monthly cells are spread over this many entries per cube: a page unpickles one
# shard (a sixteenth of the cube) and the whole rollup stays under 200 cache entries, inside
# the local-memory cache's default limit of 300.
EMPLOYER_SHARDS = 16

# employer id → (days it was shown a credential, days one informed a decision), sorted.
Activity = dict[int, tuple[tuple[str, ...], tuple[str, ...]]]


def _entry_key(stamp: str, cube: str, part: str) -> str:
    return f"statistics:rollup:{stamp}:{cube}:{part}"


def _part(employer: int | None) -> str:
    return "all" if employer is None else f"shard-{employer % EMPLOYER_SHARDS}"


def _within(day: str, first: str | None, last: str | None) -> bool:
    return (first is None or day >= first) and (last is None or day <= last)


def _any_within(days: tuple[str, ...], first: str | None, last: str | None) -> bool:
    index = bisect.bisect_left(days, first) if first is not None else 0
    return index < len(days) and (last is None or days[index] <= last)


@dataclass(frozen=True, slots=True)
class Rollup:
    """One build of the rollup, kept in the cache in a few entries per cube:

    - monthly cells per employer (in shards) and over every employer;
    - daily cells over every employer, for the part months at the ends of a date range;
    - each employer's active days, for the employer funnel.
    """

    built_at: datetime
    stamp: str

    def select(
        self, cube: str, *, employer_id: int | None, first: str | None, last: str | None
    ) -> list[Cell] | None:
        """Monthly cells ("YYYY-MM" bounds, included), or None when the cache lost them."""
        cells: tuple[Cell, ...] | None = cache.get(_entry_key(self.stamp, cube, _part(employer_id)))
        if cells is None:
            return None
        return [
            cell
            for cell in cells
            if (employer_id is None or cell[0] == employer_id) and _within(cell[1], first, last)
        ]

    def select_days(self, cube: str, *, first: str, last: str) -> list[Cell] | None:
        """Every employer's daily cells ("YYYY-MM-DD" bounds, included), or None if lost."""
        cells: tuple[Cell, ...] | None = cache.get(_entry_key(self.stamp, cube, "daily"))
        if cells is None:
            return None
        return [cell for cell in cells if _within(cell[1], first, last)]

    def active_employers(
        self, *, employer_id: int | None, first: str | None, last: str | None
    ) -> tuple[set[int], set[int]] | None:
        """Employers shown a credential, and those where one informed a decision, between
        two days (included); None if the cache lost the entry."""
        activity: Activity | None = cache.get(_entry_key(self.stamp, "employers", "activity"))
        if activity is None:
            return None
        shown, used = set(), set()
        for employer, (shown_days, used_days) in activity.items():
            if employer_id is not None and employer != employer_id:
                continue
            if _any_within(shown_days, first, last):
                shown.add(employer)
            if _any_within(used_days, first, last):
                used.add(employer)
        return shown, used


def _activity() -> Activity:
    """Two GROUP BY queries: the days each employer received a share or recorded decisions."""
    shown: dict[int, set[str]] = {}
    used: dict[int, set[str]] = {}
    shares = (
        SharedCredential.objects.annotate(
            cube_employer=F("application__employer_id"), cube_day=TruncDate("shared_at")
        )
        .values_list("cube_employer", "cube_day")
        .distinct()
        .order_by()
    )
    for employer, day in shares:
        shown.setdefault(employer, set()).add(day.isoformat())
    decisions = (
        _current_decisions()
        .annotate(cube_day=TruncDate("recorded_at"))
        .values("employer_id", "cube_day")
        .annotate(used=Count("pk", filter=Q(influence=Influence.USED)))
        .values_list("employer_id", "cube_day", "used")
        .order_by()
    )
    for employer, day, used_count in decisions:
        # Recording a decision implies having been shown the credential.
        shown.setdefault(employer, set()).add(day.isoformat())
        if used_count:
            used.setdefault(employer, set()).add(day.isoformat())
    return {
        employer: (tuple(sorted(days)), tuple(sorted(used.get(employer, ()))))
        for employer, days in shown.items()
    }


def refresh_rollup() -> Rollup:
    """Every cube over all data: by month per employer and over every employer, by day over
    every employer; and each employer's active days."""
    built_at = timezone.now()
    rollup = Rollup(built_at=built_at, stamp=built_at.strftime("%Y%m%d%H%M%S%f"))
    entries: dict[str, object] = {}
    for cube in CUBES.values():
        # Uploads never shared with anyone belong to no employer; the totals count them.
        per_employer = [
            cell for cell in grouped_cells(cube, cube.rows(), by_employer=True) if cell[0]
        ]
        shards: dict[str, list[Cell]] = {_part(n): [] for n in range(EMPLOYER_SHARDS)}
        for cell in per_employer:
            shards[_part(cell[0])].append(cell)
        for part, cells in shards.items():
            entries[_entry_key(rollup.stamp, cube.name, part)] = tuple(cells)
        # Totals come from their own queries: a credential shared with two employers is one
        # upload in the verification cube, not two.
        everyone = grouped_cells(cube, cube.rows(), by_employer=False)
        entries[_entry_key(rollup.stamp, cube.name, "all")] = tuple(everyone)
        daily = grouped_cells(cube, cube.rows(), by_employer=False, daily=True)
        entries[_entry_key(rollup.stamp, cube.name, "daily")] = tuple(daily)
    entries[_entry_key(rollup.stamp, "employers", "activity")] = _activity()
    previous = cached_rollup()
    # The pointer to this build is written after its entries, so a page never reads half of
    # a build; the previous build's entries go once nothing points at them.
    cache.set_many(entries, timeout=ROLLUP_MAX_AGE_SECONDS + 300)
    cache.set(ROLLUP_CACHE_KEY, rollup, timeout=ROLLUP_MAX_AGE_SECONDS)
    if previous is not None and previous.stamp != rollup.stamp:
        cache.delete_many([key.replace(rollup.stamp, previous.stamp) for key in entries])
    return rollup


def cached_rollup() -> Rollup | None:
    rollup = cache.get(ROLLUP_CACHE_KEY)
    return rollup if isinstance(rollup, Rollup) else None
