"""The employer's audit log: who did what, when — decisions, corrections, candidate views,
invitations, member and token changes. Rows are written by the services, inside their own
transactions, through ``record_event``; the page and its CSV read through ``events_for``,
which is scoped to the member's employer like every other selector."""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from employers.models import (
    Application,
    AuditEvent,
    AuditKind,
    Decision,
    Influence,
    Membership,
    Role,
)

if TYPE_CHECKING:
    from users.models import User


def record_event(
    *,
    employer_id: int,
    kind: AuditKind,
    actor: "User | None",
    application: Application | None = None,
    decision: Decision | None = None,
    target: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        employer_id=employer_id,
        kind=kind,
        actor=actor,
        application=application,
        decision=decision,
        target=target[:300],
        data=data or {},
    )


@dataclass(frozen=True, slots=True)
class AuditFilter:
    kind: str = ""
    actor_id: int | None = None
    start: date | None = None
    end: date | None = None  # inclusive


def events_for(*, member: Membership, filters: AuditFilter) -> QuerySet[AuditEvent]:
    """The member's employer's log, newest first; another employer's rows never appear."""
    events = AuditEvent.objects.filter(employer_id=member.employer_id).select_related(
        "actor", "application__applicant", "application__opening", "decision"
    )
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.actor_id:
        events = events.filter(actor_id=filters.actor_id)
    zone = timezone.get_current_timezone()
    if filters.start:
        events = events.filter(created_at__gte=datetime.combine(filters.start, time.min, zone))
    if filters.end:
        after = datetime.combine(filters.end + timedelta(days=1), time.min, zone)
        events = events.filter(created_at__lt=after)
    return events


def actor_choices(*, member: Membership) -> list[tuple[int, str]]:
    """Everyone who has an entry in the log (former members too), for the filter."""
    ids = (
        AuditEvent.objects.filter(employer_id=member.employer_id, actor__isnull=False)
        .values_list("actor_id", flat=True)
        .distinct()
    )
    people = get_user_model().objects.filter(pk__in=ids).order_by("email")
    return [(person.pk, str(person)) for person in people]


def candidate_label(application: Application | None) -> str:
    """The candidate as HR know them; an account deleted since leaves no name behind."""
    if application is None:
        return gettext("an applicant who has deleted their account")
    return application.applicant.hr_name


def describe(event: AuditEvent) -> str:
    """One sentence about the entry in the reader's language (built at display time)."""
    data = event.data
    if event.kind in (AuditKind.DECISION_RECORDED, AuditKind.DECISION_CORRECTED):
        decision = event.decision
        influence = Influence(decision.influence).label if decision else data.get("influence", "")
        title = decision.credential_title if decision else ""
        text = gettext("“%(title)s”: %(influence)s") % {
            "title": title or gettext("a credential"),
            "influence": influence,
        }
        if decision is not None and decision.used_unverified:
            text += " " + gettext("(used although the portal had not verified it)")
        return text
    if event.kind == AuditKind.MEMBER_ROLE_CHANGED:
        return gettext("%(who)s: %(old)s → %(new)s") % {
            "who": event.target,
            "old": _role_label(data.get("from", "")),
            "new": _role_label(data.get("to", "")),
        }
    if event.kind == AuditKind.MFA_POLICY_CHANGED:
        return (
            gettext("Two-factor authentication is now required")
            if data.get("required")
            else gettext("Two-factor authentication is no longer required")
        )
    if event.kind in (AuditKind.INVITATION_SENT, AuditKind.INVITATION_ACCEPTED):
        return gettext("%(who)s as %(role)s") % {
            "who": event.target,
            "role": _role_label(data.get("role", "")),
        }
    return event.target


def _role_label(value: str) -> str:
    return str(Role(value).label) if value in Role.values else value


@dataclass(frozen=True, slots=True)
class AuditRow:
    event: AuditEvent
    when: str
    kind: str
    actor: str
    candidate: str
    application_id: int | None
    what: str


def rows_of(events: Iterable[AuditEvent]) -> Iterator[AuditRow]:
    for event in events:
        has_candidate = event.kind in (
            AuditKind.DECISION_RECORDED,
            AuditKind.DECISION_CORRECTED,
            AuditKind.CANDIDATE_VIEWED,
        )
        yield AuditRow(
            event=event,
            when=date_format(timezone.localtime(event.created_at), "Y-m-d H:i"),
            kind=str(AuditKind(event.kind).label),
            actor=str(event.actor) if event.actor else gettext("a former member"),
            candidate=candidate_label(event.application) if has_candidate else "",
            application_id=event.application_id,
            what=describe(event),
        )


def _cell(value: str) -> str:
    """Spreadsheets run a cell that starts with = + - @ (or a tab/CR) as a formula; a
    credential title is applicant-controlled, so such cells get a leading apostrophe."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def write_csv(out: Any, events: Iterable[AuditEvent]) -> None:
    writer = csv.writer(out)
    writer.writerow(
        [
            gettext("When"),
            gettext("What happened"),
            gettext("Who"),
            gettext("Candidate"),
            gettext("Details"),
        ]
    )
    for row in rows_of(events):
        writer.writerow(
            [
                _cell(row.when),
                _cell(row.kind),
                _cell(row.actor),
                _cell(row.candidate),
                _cell(row.what),
            ]
        )
