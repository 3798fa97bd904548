"""Every read of employer-side data. HR reads take the acting ``member`` and return only that
employer's rows, so another employer's object is a 404 wherever it is asked for; applicant
reads take the ``applicant`` and return only their own rows."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import NamedTuple

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.shortcuts import get_object_or_404
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from credentials.artwork import has_artwork_source
from credentials.explanation import Explanation, explain
from credentials.explanation.markup import explanation_html
from credentials.explanation.result import ExplanationText
from credentials.explanation.stored import explanation_text, explanation_version
from credentials.formats.record import CredentialRecord
from credentials.models import Credential, VerificationRun
from credentials.verification.reasons import plain_reason
from credentials.verification.result import CheckResult
from credentials.vocabulary import STATUS_MEANINGS, CheckId, Outcome, Status
from employers.models import (
    Application,
    CandidateView,
    Decision,
    Employer,
    Influence,
    Invitation,
    Membership,
    Opening,
    SharedCredential,
    Stage,
    StageOutcome,
)
from users.models import User

# Statuses HR must not miss: the credential is not (or no longer) good evidence.
ALERT_STATUSES = frozenset(
    {Status.REVOKED, Status.EXPIRED, Status.FAILED, Status.RECIPIENT_MISMATCH}
)
# The candidate summary's order: problems first (the alerts, and files that are no
# credential), then what could not be checked yet, then what checked out.
PROBLEM_STATUSES = ALERT_STATUSES | {Status.MALFORMED}
UNSURE_STATUSES = frozenset({Status.PENDING, Status.UNVERIFIABLE})

CANDIDATE_SORTS: dict[str, tuple[str, ...]] = {
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
    "alerts": ("-alert_count", "-created_at", "-pk"),
    "verified": ("-verified_count", "-created_at", "-pk"),
    "credentials": ("-credential_count", "-created_at", "-pk"),
}


# --- memberships -------------------------------------------------------------------------


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("employer", "user")
        .order_by("employer__name", "pk")
    )


def current_membership(*, user: User, employer_id: int | None) -> Membership | None:
    """The membership for the employer chosen in the session, else the user's first one."""
    memberships = memberships_of(user=user)
    if employer_id is not None:
        chosen = memberships.filter(employer_id=employer_id).first()
        if chosen is not None:
            return chosen
    return memberships.first()


def members_of(*, member: Membership) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(employer_id=member.employer_id)
        .select_related("user")
        .order_by("role", "user__email")
    )


def membership_for(*, member: Membership, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user"), pk=pk, employer_id=member.employer_id
    )


def pending_invitations(*, member: Membership) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        employer_id=member.employer_id, accepted_at__isnull=True
    ).order_by("-created_at")


# --- openings and candidate lists ----------------------------------------------------------


def openings_of(*, member: Membership) -> QuerySet[Opening]:
    return Opening.objects.filter(employer_id=member.employer_id).annotate(
        candidate_count=Count("applications", filter=Q(applications__withdrawn_at__isnull=True))
    )


def opening_for(*, member: Membership, pk: int) -> Opening:
    return get_object_or_404(Opening, pk=pk, employer_id=member.employer_id)


def general_share_count(*, member: Membership) -> int:
    return Application.objects.filter(
        employer_id=member.employer_id, opening__isnull=True, withdrawn_at__isnull=True
    ).count()


@dataclass(frozen=True, slots=True)
class CandidateFilters:
    status: str = ""
    level: str = ""
    issuer: str = ""
    sort: str = "newest"


def _active_shares() -> QuerySet[SharedCredential]:
    return SharedCredential.objects.filter(application=OuterRef("pk"), withdrawn_at__isnull=True)


def candidates_for(
    *, member: Membership, opening: Opening | None, filters: CandidateFilters
) -> QuerySet[Application]:
    """Live applications to ``opening`` (general shares when None), one row per applicant,
    with counts of the credentials they still share. One query whatever the size."""
    active = Q(shares__withdrawn_at__isnull=True)
    applications = (
        Application.objects.filter(employer_id=member.employer_id, withdrawn_at__isnull=True)
        .filter(Q(opening=opening) if opening is not None else Q(opening__isnull=True))
        .select_related("applicant")
        .annotate(
            credential_count=Count("shares", filter=active),
            verified_count=Count(
                "shares", filter=active & Q(shares__credential__status=Status.VERIFIED)
            ),
            alert_count=Count(
                "shares", filter=active & Q(shares__credential__status__in=ALERT_STATUSES)
            ),
        )
    )
    if filters.status:
        applications = applications.filter(
            Exists(_active_shares().filter(credential__status=filters.status))
        )
    if filters.level:
        applications = applications.filter(
            Exists(_active_shares().filter(credential__level=filters.level))
        )
    if filters.issuer:
        applications = applications.filter(
            Exists(_active_shares().filter(credential__issuer_name=filters.issuer))
        )
    return applications.order_by(*CANDIDATE_SORTS.get(filters.sort, CANDIDATE_SORTS["newest"]))


def candidate_filter_choices(
    *, member: Membership, opening: Opening | None
) -> tuple[list[str], list[str]]:
    """The levels and issuers present among the credentials shared for ``opening``."""
    opening_q = (
        Q(shares__application__opening=opening)
        if opening is not None
        else Q(shares__application__opening__isnull=True)
    )
    rows = (
        Credential.objects.filter(
            opening_q,
            shares__application__employer_id=member.employer_id,
            shares__application__withdrawn_at__isnull=True,
            shares__withdrawn_at__isnull=True,
        )
        .values_list("level", "issuer_name")
        .distinct()
    )
    levels: set[str] = set()
    issuers: set[str] = set()
    for level, issuer in rows:
        if level:
            levels.add(level)
        if issuer:
            issuers.add(issuer)
    return sorted(levels), sorted(issuers)


# --- the candidate page -------------------------------------------------------------------


class CheckLine(NamedTuple):
    """One check as the candidate page lists it, its words already in the reader's language
    (a tuple, so the template unpacks it instead of resolving attribute chains)."""

    outcome: str  # slug, for the CSS class
    outcome_label: str
    check_label: str
    detail: str  # one plain sentence: identifiers and error text are in ``technical``
    technical: tuple[tuple[str, str], ...] = ()


class HistoryLine(NamedTuple):
    """One decision record as the candidate page lists it, with its choices' labels."""

    decision: Decision
    influence: str
    stage: str
    outcome: str
    is_superseded: bool


@dataclass(frozen=True, slots=True)
class _Labels:
    statuses: dict[str, str]
    meanings: dict[str, str]
    outcomes: dict[str, str]
    checks: dict[str, str]
    influences: dict[str, str]
    stages: dict[str, str]
    stage_outcomes: dict[str, str]


@cache
def _labels(language: str) -> _Labels:
    """Choice labels in ``language``, which must be the active one, translated once per
    process. ``get_FOO_display()`` and ``.label`` translate every label of the field on each
    call: with fifty credentials, eight checks each, that was a tenth of the page's time."""
    return _Labels(
        statuses={str(value): str(label) for value, label in Status.choices},
        meanings={str(status): str(meaning) for status, meaning in STATUS_MEANINGS.items()},
        outcomes={str(value): str(label) for value, label in Outcome.choices},
        checks={str(value): str(label) for value, label in CheckId.choices},
        influences={str(value): str(label) for value, label in Influence.choices},
        stages={str(value): str(label) for value, label in Stage.choices},
        stage_outcomes={str(value): str(label) for value, label in StageOutcome.choices},
    )


def _page_labels() -> _Labels:
    return _labels(get_language() or "")


class StoredExplanations:
    """The explanations stored with a page's credentials, in the reader's language, read in
    one query the first time a card needs one. A page whose cards are all cached reads none:
    decoding both languages for fifty credentials took a quarter of that page's time, and
    the objects it made set off most of its garbage collections."""

    def __init__(self, credential_ids: list[int]) -> None:
        self._credential_ids = credential_ids
        self._rows: dict[str, dict[int, tuple[str | None, str | None]]] = {}  # by language

    def get(self, credential_id: int) -> ExplanationText | None:
        language = get_language()
        if not language:  # translations deactivated: no stored text is in "no language"
            return None
        if language not in self._rows:
            rows = (
                Credential.objects.filter(pk__in=self._credential_ids)
                .annotate(
                    stored_version=KT("explanations__version"),
                    stored_json=KT(f"explanations__languages__{language}"),
                )
                .values_list("pk", "stored_version", "stored_json")
            )
            self._rows[language] = {pk: (version, text) for pk, version, text in rows}
        version, text = self._rows[language].get(credential_id, (None, None))
        # Kept as JSON text and decoded card by card, so the objects live only while their
        # card is rendered (fewer objects alive, fewer garbage collections).
        return explanation_text(version, json.loads(text)) if text else None


@dataclass(frozen=True)
class CandidateCredential:
    """One shared credential as HR sees it, with its latest checks and decision history."""

    share: SharedCredential
    credential: Credential
    latest_run_id: int | None
    checks: tuple[CheckResult, ...]
    decisions: tuple[Decision, ...]  # newest first, superseded ones included
    stored_explanations: StoredExplanations | None = field(default=None, compare=False)

    @cached_property
    def explanation(self) -> Explanation:
        # Lazy: the page caches each credential's card, and a cached card needs no explanation.
        return explain(CredentialRecord.from_json(self.credential.record or {}))

    @cached_property
    def explanation_text(self) -> Explanation | ExplanationText:
        """The explanation's sentences in the active language: the text stored at
        verification when it is there and up to date, else ``explain`` now."""
        stored = self.stored_explanations
        text = stored.get(self.credential.pk) if stored is not None else None
        return text if text is not None else self.explanation

    @cached_property
    def explanation_html(self) -> SafeString:
        """The explanation as ``credentials/_explanation.html`` shows it, in the active
        language. Built without the template engine (fifty of those templates were a quarter
        of the page's render time) from the text stored at verification, when it is there and
        up to date; else from ``explain``."""
        stored = self.stored_explanations
        text = stored.get(self.credential.pk) if stored is not None else None
        if text is not None:
            return explanation_html(text)
        # Not kept in ``self.explanation``: fifty explanations alive until the page is done
        # set off full garbage collections (p95 +60 ms when none is stored).
        return explanation_html(explain(CredentialRecord.from_json(self.credential.record or {})))

    @cached_property
    def _summary_details(self) -> dict[str, str]:
        """The level and learning-time sentences for the summary row, from the stored
        explanation when there is one (no ``explain`` run)."""
        stored = self.stored_explanations
        text = stored.get(self.credential.pk) if stored is not None else None
        explanation = text or explain(CredentialRecord.from_json(self.credential.record or {}))
        details = explanation.details
        return {d.key: d.text for d in details if d.stated and d.key in ("level", "hours")}

    @property
    def level_text(self) -> str:
        return self._summary_details.get("level", "")

    @property
    def hours_text(self) -> str:
        return self._summary_details.get("hours", "")

    @property
    def registry_name(self) -> str:
        """The trusted-issuer registry that lists the issuer, when that is how its identity
        was confirmed (the four answers' issuer identity basis)."""
        answers = self.credential.answers or {}
        if answers.get("issuer_identity_basis") == "registry":
            return str(answers.get("issuer_identity_source") or "")
        return ""

    @property
    def has_artwork(self) -> bool:
        return has_artwork_source(self.credential.content_type) and bool(self.credential.original)

    @property
    def tier(self) -> str:
        status = self.credential.status
        if status in PROBLEM_STATUSES:
            return "problem"
        return "unsure" if status in UNSURE_STATUSES else "fine"

    @property
    def current_decision_line(self) -> HistoryLine | None:
        """The newest record not corrected since: the row's decision state."""
        return next((line for line in self.history if not line.is_superseded), None)

    @cached_property
    def status_label(self) -> str:
        status = str(self.credential.status)
        return _page_labels().statuses.get(status, status)

    @cached_property
    def status_meaning(self) -> str:
        return _page_labels().meanings.get(str(self.credential.status), "")

    @cached_property
    def check_lines(self) -> tuple[CheckLine, ...]:
        labels = _page_labels()
        lines = []
        for check in self.checks:
            reason = plain_reason(check)
            lines.append(
                CheckLine(
                    outcome=str(check.outcome),
                    outcome_label=labels.outcomes[str(check.outcome)],
                    check_label=labels.checks[str(check.check)],
                    detail=reason.sentence,
                    technical=reason.technical,
                )
            )
        return tuple(lines)

    @cached_property
    def history(self) -> tuple[HistoryLine, ...]:
        """The decision records, newest first, superseded ones included and marked."""
        return _history(self.decisions)

    @property
    def card_version(self) -> str:
        """Changes whenever anything the credential's card shows can change: a new
        verification run (new status, record, checks), the share being renewed, or a release
        that words explanations differently."""
        credential = self.credential
        checked = credential.last_checked_at.timestamp() if credential.last_checked_at else 0
        return (
            f"{credential.pk}.{self.latest_run_id}.{credential.status}.{checked}."
            f"{self.share.pk}.{self.share.status_at_share}.{explanation_version()}"
        )

    @property
    def is_alert(self) -> bool:
        return self.credential.status in ALERT_STATUSES

    @property
    def superseded_ids(self) -> frozenset[int]:
        return frozenset(d.supersedes_id for d in self.decisions if d.supersedes_id)

    @property
    def current_decisions(self) -> tuple[Decision, ...]:
        superseded = self.superseded_ids
        return tuple(d for d in self.decisions if d.pk not in superseded)


def _history(decisions: tuple[Decision, ...]) -> tuple[HistoryLine, ...]:
    labels = _page_labels()
    superseded = frozenset(d.supersedes_id for d in decisions if d.supersedes_id)
    return tuple(
        HistoryLine(
            decision=d,
            influence=labels.influences.get(str(d.influence), d.influence),
            stage=labels.stages.get(str(d.stage), d.stage),
            outcome=labels.stage_outcomes.get(str(d.outcome), d.outcome),
            is_superseded=d.pk in superseded,
        )
        for d in decisions
    )


@dataclass(frozen=True, slots=True)
class GoneCredential:
    """A credential HR recorded a decision on that is no longer shared: withdrawn by the
    applicant, or deleted. Shown from the decisions' own snapshot, never from the credential
    (HR may no longer read it)."""

    title: str
    issuer: str
    status_label: str
    is_deleted: bool
    decisions: tuple[Decision, ...]  # newest first

    @property
    def history(self) -> tuple[HistoryLine, ...]:
        return _history(self.decisions)


@dataclass(frozen=True, slots=True)
class CandidatePage:
    application: Application
    credentials: tuple[CandidateCredential, ...]  # problems first, then in the order shared
    gone: tuple[GoneCredential, ...] = ()

    @property
    def alerts(self) -> tuple[CandidateCredential, ...]:
        return tuple(c for c in self.credentials if c.is_alert)

    @property
    def problems(self) -> tuple[CandidateCredential, ...]:
        return tuple(c for c in self.credentials if c.tier == "problem")

    def item_for(self, credential_id: int) -> CandidateCredential | None:
        return next((c for c in self.credentials if c.credential.pk == credential_id), None)


def application_for(*, member: Membership, pk: int) -> Application:
    """A live application to ``member``'s employer, else 404 (withdrawn ones included)."""
    return get_object_or_404(
        Application.objects.select_related("applicant", "opening"),
        pk=pk,
        employer_id=member.employer_id,
        withdrawn_at__isnull=True,
    )


def shared_credential_for(
    *, member: Membership, application_pk: int, credential_pk: int
) -> Credential:
    """A credential actively shared in a live application to ``member``'s employer, else
    404: another employer's, a withdrawn share or application look the same as none."""
    share = get_object_or_404(
        SharedCredential.objects.select_related("credential"),
        application_id=application_pk,
        application__employer_id=member.employer_id,
        application__withdrawn_at__isnull=True,
        credential_id=credential_pk,
        withdrawn_at__isnull=True,
    )
    return share.credential


def candidate_page(*, member: Membership, application_pk: int) -> CandidatePage:
    """Everything the candidate page shows, in four queries whatever the number of
    credentials: the application, its active shares with their credentials (and the id of
    each one's latest verification run), those runs' checks, and the decision history. A
    fifth reads the explanations stored at verification, once, if a card needs one; those
    missing or out of date are computed from the record."""
    application = application_for(member=member, pk=application_pk)
    latest_run = VerificationRun.objects.filter(credential=OuterRef("credential_id")).order_by(
        "-finished_at", "-pk"
    )
    shares = list(
        SharedCredential.objects.filter(application=application, withdrawn_at__isnull=True)
        .select_related("credential")
        .defer("credential__explanations")  # read by StoredExplanations only when needed
        .annotate(latest_run_id=Subquery(latest_run.values("pk")[:1]))
    )
    run_ids = [s.latest_run_id for s in shares if s.latest_run_id]  # type: ignore[attr-defined]
    checks_by_run = dict(VerificationRun.objects.filter(pk__in=run_ids).values_list("pk", "checks"))
    credential_ids = [s.credential_id for s in shares]
    decisions: dict[int, list[Decision]] = {}
    gone: dict[tuple[int | None, str], list[Decision]] = {}
    # Every decision on this application, in the same one query: those on credentials no
    # longer shared (withdrawn, or deleted: credential_id is NULL then) stay on the page.
    for decision in Decision.objects.filter(application=application).select_related("recorded_by"):
        if decision.credential_id in credential_ids:
            decisions.setdefault(decision.credential_id, []).append(decision)
        else:
            # Deleted credentials (no id left) are told apart by their snapshot title.
            title = "" if decision.credential_id else decision.credential_title
            key = (decision.credential_id, title)
            gone.setdefault(key, []).append(decision)

    stored_explanations = StoredExplanations(credential_ids)
    items = [
        CandidateCredential(
            share=share,
            credential=share.credential,
            latest_run_id=share.latest_run_id,  # type: ignore[attr-defined]
            checks=tuple(
                CheckResult.from_json(c)
                for c in checks_by_run.get(share.latest_run_id, [])  # type: ignore[attr-defined]
            ),
            decisions=tuple(decisions.get(share.credential_id, ())),
            stored_explanations=stored_explanations,
        )
        for share in shares
    ]
    order = {"problem": 0, "unsure": 1, "fine": 2}
    items.sort(key=lambda item: order[item.tier])  # stable: shared order within each group
    labels = _page_labels()
    gone_items = tuple(
        GoneCredential(
            title=records[0].credential_title or gettext("a credential"),
            issuer=records[0].credential_issuer,
            status_label=labels.statuses.get(records[0].credential_status, ""),
            is_deleted=credential_id is None,
            decisions=tuple(records),
        )
        for (credential_id, _title), records in gone.items()
    )
    return CandidatePage(application=application, credentials=tuple(items), gone=gone_items)


# --- applicant side -----------------------------------------------------------------------


def open_openings() -> QuerySet[Opening]:
    return Opening.objects.filter(is_open=True).select_related("employer")


def open_openings_for(*, applicant: User) -> QuerySet[Opening]:
    """The open openings, each with the id of ``applicant``'s application to it (None when
    they have not applied), so the list can say "already applied"."""
    mine = Application.objects.filter(
        applicant=applicant, opening=OuterRef("pk"), withdrawn_at__isnull=True
    )
    return open_openings().annotate(my_application_id=Subquery(mine.values("pk")[:1]))


def live_application_to(
    *, applicant: User, opening: Opening | None, employer: Employer
) -> Application | None:
    """The applicant's application to this opening (or general share with this employer)
    that is not withdrawn, if there is one."""
    return (
        Application.objects.filter(
            applicant=applicant, employer=employer, opening=opening, withdrawn_at__isnull=True
        )
        .order_by("pk")
        .first()
    )


def opening_open_for_applicants(*, pk: int) -> Opening:
    return get_object_or_404(Opening.objects.select_related("employer"), pk=pk, is_open=True)


def employers_for_sharing() -> QuerySet[Employer]:
    return Employer.objects.all()


def employer_for_sharing(*, pk: int) -> Employer:
    return get_object_or_404(Employer, pk=pk)


def applications_of(*, applicant: User) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant=applicant)
        .select_related("employer", "opening")
        .annotate(credential_count=Count("shares", filter=Q(shares__withdrawn_at__isnull=True)))
    )


def application_of(*, applicant: User, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.select_related("employer", "opening"), pk=pk, applicant=applicant
    )


def active_shares_of(*, application: Application) -> QuerySet[SharedCredential]:
    return application.shares.filter(withdrawn_at__isnull=True).select_related("credential")


def views_of(*, applicant: User) -> QuerySet[CandidateView]:
    """Who at which employer opened the applicant's candidate pages, newest first."""
    return CandidateView.objects.filter(application__applicant=applicant).select_related(
        "viewer", "employer", "application__opening"
    )
