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

Every function here returns aggregated numbers; rows are never loaded into Python.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from credentials.models import Credential
from credentials.vocabulary import CredentialFormat, Status
from employers.models import Decision, Employer, Influence, SharedCredential, Stage

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
        zone = timezone.get_current_timezone()
        lower = datetime.combine(self.start, time.min, tzinfo=zone) if self.start else None
        upper = (
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone)
            if self.end
            else None
        )
        return lower, upper


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


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _in_range(queryset: QuerySet, field_name: str, scope: Scope) -> QuerySet:
    lower, upper = scope.bounds()
    if lower is not None:
        queryset = queryset.filter(**{f"{field_name}__gte": lower})
    if upper is not None:
        queryset = queryset.filter(**{f"{field_name}__lt": upper})
    return queryset


def presented_shares(scope: Scope) -> QuerySet[SharedCredential]:
    shares = SharedCredential.objects.all()
    if scope.employer_id is not None:
        shares = shares.filter(application__employer_id=scope.employer_id)
    return _in_range(shares, "shared_at", scope)


def current_decisions(scope: Scope) -> QuerySet[Decision]:
    decisions = Decision.objects.filter(superseded_by__isnull=True)
    if scope.employer_id is not None:
        decisions = decisions.filter(employer_id=scope.employer_id)
    return _in_range(decisions, "recorded_at", scope)


def _influence_counts() -> dict[str, Count]:
    return {
        "recorded": Count("pk"),
        "used": Count("pk", filter=Q(influence=Influence.USED)),
        "considered_not_used": Count("pk", filter=Q(influence=Influence.CONSIDERED_NOT_USED)),
        "not_considered": Count("pk", filter=Q(influence=Influence.NOT_CONSIDERED)),
    }


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


def employer_funnel(scope: Scope) -> Table:
    """The survey's funnel over employers on the portal, with the survey figures beside it."""
    employers = Employer.objects.all()
    if scope.employer_id is not None:
        employers = employers.filter(pk=scope.employer_id)
    _lower, upper = scope.bounds()
    if upper is not None:
        employers = employers.filter(created_at__lt=upper)
    # Recording a decision implies having been shown the credential, so "used" is always a
    # subset of "shown", as in the survey.
    was_shown = Exists(
        presented_shares(Scope(None, scope.start, scope.end)).filter(
            application__employer_id=OuterRef("pk")
        )
    ) | Exists(
        current_decisions(Scope(None, scope.start, scope.end)).filter(employer=OuterRef("pk"))
    )
    used_one = Exists(
        current_decisions(Scope(None, scope.start, scope.end)).filter(
            employer=OuterRef("pk"), influence=Influence.USED
        )
    )
    counts = employers.aggregate(
        total=Count("pk"),
        shown=Count("pk", filter=was_shown),
        used=Count("pk", filter=used_one),
    )
    total, shown, used = counts["total"], counts["shown"], counts["used"]
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
            Column("percent", _("Portal (% of employers)")),
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


def credential_funnel(scope: Scope) -> Table:
    """Each presented credential (one share with one employer): verified, considered, used."""
    decisions = Decision.objects.filter(
        superseded_by__isnull=True,
        application_id=OuterRef("application_id"),
        credential_id=OuterRef("credential_id"),
    )
    considered = Exists(
        decisions.filter(influence__in=[Influence.USED, Influence.CONSIDERED_NOT_USED])
    )
    used = Exists(decisions.filter(influence=Influence.USED))
    counts = presented_shares(scope).aggregate(
        presented=Count("pk"),
        verified=Count("pk", filter=Q(credential__first_verified_at__isnull=False)),
        considered=Count("pk", filter=considered),
        used=Count("pk", filter=used),
    )
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
            Column("percent", _("% of presented")),
        ),
        rows=tuple((label, counts[key], _percent(counts[key], presented)) for key, label in steps),
        chart=ChartSpec("bar", ("credentials",), horizontal=True),
    )


def by_month(scope: Scope) -> Table:
    shares = (
        presented_shares(scope)
        .annotate(month=TruncMonth("shared_at"))
        .values("month")
        .annotate(presented=Count("pk"))
        .values_list("month", "presented")
    )
    decisions = (
        current_decisions(scope)
        .annotate(month=TruncMonth("recorded_at"))
        .values("month")
        .annotate(**_influence_counts())
        .values_list("month", "recorded", "used")
    )
    merged: dict[date, list[int]] = {}
    for month, presented in shares:
        merged.setdefault(month.date(), [0, 0, 0])[0] = presented
    for month, recorded, used in decisions:
        counts = merged.setdefault(month.date(), [0, 0, 0])
        counts[1], counts[2] = recorded, used
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
        rows=tuple((month.strftime("%Y-%m"), *counts) for month, counts in sorted(merged.items())),
        chart=ChartSpec("line", ("presented", "recorded", "used")),
    )


def by_status(scope: Scope) -> Table:
    rows = (
        presented_shares(scope)
        .values("credential__status")
        .annotate(presented=Count("pk"))
        .values_list("credential__status", "presented")
    )
    counts = dict(rows)
    total = sum(counts.values())
    return Table(
        slug="status",
        title=_("By verification status"),
        description=_("Presented credentials by their current verification status."),
        columns=(
            Column("status", _("Verification status"), is_number=False),
            Column("presented", _("Credentials presented")),
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
    scope: Scope,
    *,
    field_name: str,
    slug: str,
    title: Promise,
    description: Promise,
    first: Column,
    label: Callable[[str], str],
    limit: int | None,
    order: Sequence[str] | None = None,
) -> Table:
    grouped = (
        current_decisions(scope)
        .values(field_name)
        .annotate(**_influence_counts())
        .order_by("-recorded", field_name)
    )
    if order is not None:
        by_key = {row[field_name]: row for row in grouped}
        rows = [by_key[key] for key in order if key in by_key]
        total_rows = len(rows)
    else:
        total_rows = grouped.count() if limit is not None else None
        rows = list(grouped[:limit] if limit is not None else grouped)
    return Table(
        slug=slug,
        title=title,
        description=description,
        columns=_influence_columns(first),
        rows=tuple(_influence_row(label(row[field_name]), row) for row in rows),
        chart=ChartSpec("bar", ("used", "considered_not_used", "not_considered"), horizontal=True),
        truncated_from=total_rows if total_rows and limit and total_rows > limit else None,
    )


def by_level(scope: Scope, *, limit: int | None = None) -> Table:
    return _by_snapshot(
        scope,
        field_name="credential_level",
        slug="level",
        title=_("By level"),
        description=_(
            "Decision records by the credential's level on a qualifications framework, as "
            "recorded with the decision."
        ),
        first=Column("level", _("Level"), is_number=False),
        label=lambda value: value or gettext("Not stated"),
        limit=limit,
    )


def by_issuer(scope: Scope, *, limit: int | None = PAGE_ROW_LIMIT) -> Table:
    return _by_snapshot(
        scope,
        field_name="credential_issuer",
        slug="issuer",
        title=_("By issuer"),
        description=_("Decision records by the credential's issuer."),
        first=Column("issuer", _("Issuer"), is_number=False),
        label=lambda value: value or gettext("Not stated"),
        limit=limit,
    )


def by_field(scope: Scope, *, limit: int | None = PAGE_ROW_LIMIT) -> Table:
    return _by_snapshot(
        scope,
        field_name="credential_field",
        slug="field",
        title=_("By field of study"),
        description=_("Decision records by the credential's field of study."),
        first=Column("field", _("Field of study"), is_number=False),
        label=lambda value: value or gettext("Not stated"),
        limit=limit,
    )


def _format_label(value: str) -> str:
    return str(CredentialFormat(value).label) if value in CredentialFormat.values else value


def by_format(scope: Scope, *, limit: int | None = None) -> Table:
    return _by_snapshot(
        scope,
        field_name="credential_format",
        slug="format",
        title=_("By format"),
        description=_("Decision records by the kind of credential (Open Badges, VC, EDC)."),
        first=Column("format", _("Format"), is_number=False),
        label=lambda value: _format_label(value) if value else gettext("Not stated"),
        limit=limit,
    )


def by_stage(scope: Scope, *, limit: int | None = None) -> Table:
    return _by_snapshot(
        scope,
        field_name="stage",
        slug="stage",
        title=_("By decision stage"),
        description=_("Decision records by the hiring or promotion stage they were made at."),
        first=Column("stage", _("Stage"), is_number=False),
        label=lambda value: str(Stage(value).label),
        limit=limit,
        order=Stage.values,
    )


def by_reason(scope: Scope) -> Table:
    """How often each reason was given; one decision can give several reasons."""
    reasons = {
        "skills": Q(reason_skills=True),
        "eagerness": Q(reason_eagerness=True),
        "fit": Q(reason_fit=True),
        "other": ~Q(reason_other=""),
    }
    influences = {"used": Influence.USED, "considered_not_used": Influence.CONSIDERED_NOT_USED}
    aggregates: dict[str, Count] = {
        f"{influence_key}_total": Count("pk", filter=Q(influence=influence))
        for influence_key, influence in influences.items()
    }
    for reason_key, condition in reasons.items():
        for influence_key, influence in influences.items():
            aggregates[f"{influence_key}_{reason_key}"] = Count(
                "pk", filter=condition & Q(influence=influence)
            )
    counts = current_decisions(scope).aggregate(**aggregates)
    labels = {
        "skills": gettext("Evidence of skills or ability"),
        "eagerness": gettext("Evidence of eagerness to learn"),
        "fit": gettext("Fit for this specific posting"),
        "other": gettext("Other reason"),
    }
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
            Column("used_percent", _("% of records where it informed the decision")),
            Column("considered_not_used", _("Considered, not used")),
            Column("considered_percent", _("% of records where it was considered, not used")),
        ),
        rows=tuple(
            (
                label,
                counts[f"used_{key}"],
                _percent(counts[f"used_{key}"], counts["used_total"]),
                counts[f"considered_not_used_{key}"],
                _percent(counts[f"considered_not_used_{key}"], counts["considered_not_used_total"]),
            )
            for key, label in labels.items()
        ),
        chart=ChartSpec("bar", ("used", "considered_not_used"), horizontal=True),
    )


def verified_uploads(scope: Scope) -> QuerySet[Credential]:
    credentials = Credential.objects.filter(first_verified_at__isnull=False)
    if scope.employer_id is not None:
        credentials = credentials.filter(
            pk__in=SharedCredential.objects.filter(
                application__employer_id=scope.employer_id
            ).values("credential_id")
        )
    return _in_range(credentials, "created_at", scope)


def _duration_at(queryset: QuerySet[Credential], index: int) -> timedelta | None:
    """The ``index``-th shortest upload-to-verification time, sorted by the database."""
    return (
        queryset.annotate(
            waited=ExpressionWrapper(F("first_verified_at") - F("created_at"), DurationField())
        )
        .order_by("waited")
        .values_list("waited", flat=True)[index : index + 1]
        .first()
    )


def verification_percentiles(
    uploads: QuerySet[Credential], *, total: int
) -> tuple[timedelta | None, timedelta | None]:
    """Median and 90th percentile by nearest rank: the same answer on SQLite and PostgreSQL."""
    if not total:
        return None, None
    median_rank = (total + 1) // 2  # 1-based ranks
    p90_rank = -(-total * 9 // 10)
    return _duration_at(uploads, median_rank - 1), _duration_at(uploads, p90_rank - 1)


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


def verification_time(scope: Scope) -> Table:
    """Upload to first successful verification: buckets, median and 90th percentile."""
    uploads = verified_uploads(scope)
    aggregates: dict[str, Count] = {"total": Count("pk")}
    lower_bound: timedelta | None = None
    for index, (upper_bound, _label) in enumerate(VERIFICATION_BUCKETS):
        condition = Q()
        if lower_bound is not None:
            condition &= Q(first_verified_at__gte=F("created_at") + lower_bound)
        if upper_bound is not None:
            condition &= Q(first_verified_at__lt=F("created_at") + upper_bound)
        aggregates[f"bucket_{index}"] = Count("pk", filter=condition)
        lower_bound = upper_bound
    counts = uploads.aggregate(**aggregates)
    total = counts["total"]
    median, p90 = verification_percentiles(uploads, total=total)
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
            Column("percent", _("% of verified uploads")),
        ),
        rows=tuple(
            (str(label), counts[f"bucket_{index}"], _percent(counts[f"bucket_{index}"], total))
            for index, (_bound, label) in enumerate(VERIFICATION_BUCKETS)
        ),
        chart=ChartSpec("bar", ("credentials",)),
        notes=(
            gettext("Median: %(median)s. 90th percentile: %(p90)s.")
            % {"median": _format_duration(median), "p90": _format_duration(p90)},
        ),
    )


# Every table, in page order. ``page`` builds the on-page version (top rows only for the
# open-ended ones); the CSV export calls the same function with ``limit=None``.
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


def statistics_for(scope: Scope) -> list[Table]:
    return [build(scope) for build in TABLES.values()]


def table_for_export(scope: Scope, slug: str) -> Table:
    """One whole table (no row limit); KeyError for an unknown slug."""
    build = TABLES[slug]
    return build(scope, limit=None) if slug in LIMITED_TABLES else build(scope)
