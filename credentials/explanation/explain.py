"""Turn a normalized credential into the plain-language explanation HR staff read.

``explain`` is pure: no database, no network, framework data already in memory. It writes
in the active Django language; the caller activates ``ja`` or ``en``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from credentials.explanation.completeness import completeness, find_in_text
from credentials.explanation.programmes import (
    guideline_detail,
    headline_hours_floor,
    headline_kind,
    programme_detail,
)
from credentials.explanation.result import Detail, Explanation
from credentials.explanation.sentences import join_sentences
from credentials.explanation.wording import (
    headline_hours,
    headline_level,
    hours_sentences,
    level_sentences,
)
from credentials.formats.record import CredentialRecord
from credentials.frameworks.hours import HoursFinding, estimate_hours
from credentials.frameworks.levels import LevelFinding, detect_level
from credentials.frameworks.programmes import ProgrammeFinding, recognise_programmes

HEADLINE_ASSESSMENT_CHARS = 80

# One complete sentence per combination of what is known, so that a translation can put
# every part where its language wants it (STYLE.md §14). Key: (date, level, hours,
# assessment) known.
_HEADLINES: dict[tuple[bool, bool, bool, bool], Promise] = {
    (True, True, True, True): _(
        "Issued by %(issuer)s on %(date)s: %(kind)s at %(level)s — %(hours)s, assessed by "
        "“%(assessment)s”."
    ),
    (True, True, True, False): _(
        "Issued by %(issuer)s on %(date)s: %(kind)s at %(level)s — %(hours)s."
    ),
    (True, True, False, True): _(
        "Issued by %(issuer)s on %(date)s: %(kind)s at %(level)s, assessed by “%(assessment)s”."
    ),
    (True, True, False, False): _("Issued by %(issuer)s on %(date)s: %(kind)s at %(level)s."),
    (True, False, True, True): _(
        "Issued by %(issuer)s on %(date)s: %(kind)s — %(hours)s, assessed by “%(assessment)s”."
    ),
    (True, False, True, False): _("Issued by %(issuer)s on %(date)s: %(kind)s — %(hours)s."),
    (True, False, False, True): _(
        "Issued by %(issuer)s on %(date)s: %(kind)s, assessed by “%(assessment)s”."
    ),
    (True, False, False, False): _("Issued by %(issuer)s on %(date)s: %(kind)s."),
    (False, True, True, True): _(
        "Issued by %(issuer)s: %(kind)s at %(level)s — %(hours)s, assessed by “%(assessment)s”."
    ),
    (False, True, True, False): _("Issued by %(issuer)s: %(kind)s at %(level)s — %(hours)s."),
    (False, True, False, True): _(
        "Issued by %(issuer)s: %(kind)s at %(level)s, assessed by “%(assessment)s”."
    ),
    (False, True, False, False): _("Issued by %(issuer)s: %(kind)s at %(level)s."),
    (False, False, True, True): _(
        "Issued by %(issuer)s: %(kind)s — %(hours)s, assessed by “%(assessment)s”."
    ),
    (False, False, True, False): _("Issued by %(issuer)s: %(kind)s — %(hours)s."),
    (False, False, False, True): _("Issued by %(issuer)s: %(kind)s, assessed by “%(assessment)s”."),
    (False, False, False, False): _("Issued by %(issuer)s: %(kind)s."),
}

# OB 3.0 achievementType (S11) and ELM specification types → what to call the credential.
_KINDS: dict[str, Promise] = {
    "course": _("a course"),
    "learningprogram": _("a learning programme"),
    "microcredential": _("a micro-credential"),
    "badge": _("a badge"),
    "certificate": _("a certificate"),
    "certificateofcompletion": _("a certificate of completion"),
    "certification": _("a certification"),
    "license": _("a licence"),
    "assessment": _("an assessment"),
    "award": _("an award"),
    "competency": _("a competency"),
    "diploma": _("a diploma"),
    "associatedegree": _("an associate degree"),
    "bachelordegree": _("a bachelor's degree"),
    "masterdegree": _("a master's degree"),
    "doctoraldegree": _("a doctoral degree"),
    "researchdoctorate": _("a doctoral degree"),
    "professionaldoctorate": _("a doctoral degree"),
    "degree": _("a degree"),
    "qualification": _("a qualification"),
    "learningachievementspecification": _("a learning achievement"),
}
_DEFAULT_KIND = _("a credential")

_LABELS: dict[str, Promise] = {
    "level": _("Level"),
    "hours": _("Learning time"),
    "outcomes": _("Learning outcomes"),
    "assessment": _("Assessment"),
    "participation": _("Form of participation"),
    "quality_assurance": _("Quality assurance"),
    "prerequisites": _("Prerequisites"),
    "supervision": _("Supervision and identity check"),
    "grade": _("Grade"),
    "stackability": _("Stackability"),
    "field": _("Field of study"),
    "achievement_type": _("Type"),
}


def explain(record: CredentialRecord) -> Explanation:
    level = detect_level(record)
    hours = estimate_hours(record)
    programmes = recognise_programmes(record)
    checklist = completeness(record, level, hours)
    details = _details(record, level, hours)
    programme = programme_detail(record, programmes, hours)
    guideline = guideline_detail(record, programmes, checklist.items)
    return Explanation(
        language=get_language() or "",
        headline=_headline(record, level, hours, programmes),
        details=(
            *((programme,) if programme else ()),
            *details,
            *((guideline,) if guideline else ()),
        ),
        completeness=checklist,
        level=level,
        hours=hours,
    )


def kind_of(record: CredentialRecord) -> str:
    key = record.achievement_type.removeprefix("ext:").casefold()
    return str(_KINDS.get(key, _DEFAULT_KIND))


def _headline(
    record: CredentialRecord, level: LevelFinding, hours: HoursFinding, programmes: ProgrammeFinding
) -> str:
    issued = record.issued_at or record.valid_from
    level_phrase = headline_level(level)
    # A programme kind with a legal minimum says "at least 60 hours" when none are stated.
    hours_phrase = headline_hours(hours) or headline_hours_floor(programmes, hours, issued)
    assessment = record.assessment.split(";")[0].strip()
    if len(assessment) > HEADLINE_ASSESSMENT_CHARS:
        assessment = assessment[: HEADLINE_ASSESSMENT_CHARS - 1].rstrip() + "…"
    template = _HEADLINES[(bool(issued), bool(level_phrase), bool(hours_phrase), bool(assessment))]
    return str(template) % {
        "issuer": record.issuer_name or gettext("an issuer that does not give its name"),
        "date": _date(issued) if issued else "",
        "kind": headline_kind(programmes) or kind_of(record),
        "level": level_phrase,
        "hours": hours_phrase,
        "assessment": assessment,
    }


def _date(value: datetime) -> str:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATE_FORMAT")


def _details(
    record: CredentialRecord, level: LevelFinding, hours: HoursFinding
) -> tuple[Detail, ...]:
    paths = record.paths
    labels = _labels(get_language() or "")
    level_statement = level.primary
    details = [
        Detail(
            key="level",
            label=labels["level"],
            text=level_sentences(level),
            source=level_statement.path if level_statement else "",
            inferred=bool(level_statement and level_statement.inferred),
            stated=level_statement is not None,
        ),
        Detail(
            key="hours",
            label=labels["hours"],
            text=hours_sentences(hours),
            source=", ".join(
                dict.fromkeys(
                    p
                    for p in (
                        hours.duration.path if hours.duration else "",
                        hours.stated_path,
                        *(c.path for c in hours.credits),
                    )
                    if p
                )
            ),
            inferred=hours.best_inferred,
            stated=hours.is_stated,
        ),
        _outcomes(record, level),
        _as_stated(record, "assessment", record.assessment),
        _as_stated(record, "participation", record.participation),
        _as_stated(record, "quality_assurance", record.quality_assurance),
        _as_stated(record, "prerequisites", record.prerequisites),
        _as_stated(record, "supervision", record.supervision),
        _as_stated(record, "grade", record.grade),
        _stackability(record),
        _as_stated(
            record,
            "field_of_study",
            " — ".join(t for t in (record.field_of_study, record.specialization) if t),
            key="field",
        ),
        _achievement_type(record, paths),
    ]
    return tuple(details)


@dataclass(frozen=True, slots=True)
class _Wording:
    stated: Promise  # with the credential's words as %(text)s
    missing: Promise
    text_only: Promise | None  # None: free text is not searched for this element


# Lazy and translated only when chosen: translating all three for each of seven fields cost
# a tenth of ``explain``'s time.
_AS_STATED: dict[str, _Wording] = {
    "assessment": _Wording(
        _("How it was assessed, as the credential states it: “%(text)s”."),
        _("The credential does not say how it was assessed."),
        _(
            "The credential does not state its assessment as structured data; its text "
            "mentions: “%(text)s” (inferred)."
        ),
    ),
    "participation": _Wording(
        _("Form of participation, as stated: “%(text)s”."),
        _("The credential does not state whether the learning was online, onsite or blended."),
        _(
            "The form of participation is not stated as structured data; the text mentions: "
            "“%(text)s” (inferred)."
        ),
    ),
    "quality_assurance": _Wording(
        _("Quality assurance, as stated: “%(text)s”."),
        _("The credential does not state how its quality is assured."),
        _(
            "Quality assurance is not stated as structured data; the text mentions: "
            "“%(text)s” (inferred)."
        ),
    ),
    "prerequisites": _Wording(
        _("Prerequisites, as stated: “%(text)s”."),
        _("The credential does not state any prerequisites."),
        _(
            "Prerequisites are not stated as structured data; the text mentions: "
            "“%(text)s” (inferred)."
        ),
    ),
    "supervision": _Wording(
        _("Supervision during assessment, as stated: “%(text)s”."),
        _(
            "The credential does not say whether the assessment was supervised. This is an "
            "optional element."
        ),
        _(
            "Supervision is not stated as structured data; the text mentions: “%(text)s” "
            "(inferred)."
        ),
    ),
    "grade": _Wording(
        _("Grade, as stated: “%(text)s”."),
        _("No grade is stated. This is an optional element."),
        None,
    ),
    "field_of_study": _Wording(
        _("Field of study, as stated: “%(text)s”."),
        _("The credential does not state its field of study."),
        None,
    ),
}


@cache
def _labels(language: str) -> dict[str, str]:
    """The detail labels in ``language``, which must be the active one; translated once."""
    return {key: str(label) for key, label in _LABELS.items()}


def _as_stated(record: CredentialRecord, field_name: str, value: str, *, key: str = "") -> Detail:
    key = key or field_name
    label = _labels(get_language() or "")[key]
    wording = _AS_STATED[field_name]
    if value:
        return Detail(
            key=key,
            label=label,
            text=str(wording.stated) % {"text": value},
            source=record.paths.get(field_name, field_name),
        )
    found = find_in_text(record, field_name) if wording.text_only is not None else None
    if found is not None:
        path, snippet = found
        return Detail(
            key=key,
            label=label,
            text=str(wording.text_only) % {"text": snippet},
            source=path,
            inferred=True,
        )
    return Detail(key=key, label=label, text=str(wording.missing), stated=False)


def _outcomes(record: CredentialRecord, level: LevelFinding) -> Detail:
    label = _labels(get_language() or "")["outcomes"]
    level_paths = {s.path for s in (level.primary, *level.others) if s is not None}
    # Parsers may already list competency alignments as outcomes; count those once.
    skills = [
        a
        for index, a in enumerate(record.alignments)
        if (a.path or f"alignment[{index}]") not in level_paths
        and a.target_name not in record.outcomes
    ]
    sentences = []
    if record.outcomes:
        sentences.append(
            ngettext(
                "The credential lists %(n)d learning outcome.",
                "The credential lists %(n)d learning outcomes.",
                len(record.outcomes),
            )
            % {"n": len(record.outcomes)}
        )
    if skills:
        frameworks = sorted({a.target_framework for a in skills if a.target_framework})
        if frameworks:
            sentences.append(
                ngettext(
                    "It is linked to %(n)d skill in %(frameworks)s.",
                    "It is linked to %(n)d skills in %(frameworks)s.",
                    len(skills),
                )
                % {"n": len(skills), "frameworks": ", ".join(frameworks)}
            )
        else:
            sentences.append(
                ngettext(
                    "It is linked to %(n)d skill or competency in an external framework.",
                    "It is linked to %(n)d skills or competencies in external frameworks.",
                    len(skills),
                )
                % {"n": len(skills)}
            )
    if sentences:
        source = record.paths.get("outcomes", "") if record.outcomes else skills[0].path
        items = record.outcomes + tuple(a.target_name for a in skills)
        return Detail(
            key="outcomes",
            label=label,
            text=join_sentences(sentences),
            items=items,
            source=source,
        )
    found = find_in_text(record, "outcomes")
    if found is not None:
        return Detail(
            key="outcomes",
            label=label,
            text=gettext(
                "The credential does not list learning outcomes as structured data; its text "
                "describes what was learned: “%(text)s” (inferred)."
            )
            % {"text": found[1]},
            source=found[0],
            inferred=True,
        )
    return Detail(
        key="outcomes",
        label=label,
        text=gettext("The credential does not state its learning outcomes."),
        stated=False,
    )


def _stackability(record: CredentialRecord) -> Detail:
    label = _labels(get_language() or "")["stackability"]
    source = record.paths.get("stackability", "stackability")
    if record.stackability == "true":
        text = gettext("It is part of a larger qualification (stated as structured data).")
    elif record.stackability == "false":
        text = gettext("It is a stand-alone qualification, not part of a larger one.")
    elif record.stackability:
        text = gettext("Stackability, as stated: “%(text)s”.") % {"text": record.stackability}
    else:
        found = find_in_text(record, "stackability")
        if found is None:
            return Detail(
                key="stackability",
                label=label,
                text=gettext(
                    "The credential does not say whether it counts towards a larger "
                    "qualification. This is an optional element."
                ),
                stated=False,
            )
        return Detail(
            key="stackability",
            label=label,
            text=gettext(
                "Stackability is not stated as structured data; the text mentions: "
                "“%(text)s” (inferred)."
            )
            % {"text": found[1]},
            source=found[0],
            inferred=True,
        )
    return Detail(key="stackability", label=label, text=text, source=source)


def _achievement_type(record: CredentialRecord, paths: dict[str, str]) -> Detail:
    label = _labels(get_language() or "")["achievement_type"]
    if not record.achievement_type:
        return Detail(
            key="achievement_type",
            label=label,
            text=gettext("The credential does not state what kind of achievement it is."),
            stated=False,
        )
    return Detail(
        key="achievement_type",
        label=label,
        text=gettext("Type, as stated: “%(type)s”. A type on its own does not show a level.")
        % {"type": record.achievement_type},
        source=paths.get("achievement_type", "achievement_type"),
    )
