"""The EU 2022 micro-credential checklist: which standard elements a credential states.

Council Recommendation 2022/C 243/02, Annex I (S6; list also in S7, optional elements in
S8): 11 mandatory elements are scored, element 8 (level) only "if applicable"; the five
optional elements are shown but never lower the score (frameworks.md §8.4). Text-only
presence counts, but is marked as such and never as structured.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from credentials.explanation.result import ChecklistItem, Completeness, ElementStatus
from credentials.formats.record import CredentialRecord
from credentials.frameworks.hours import HoursFinding
from credentials.frameworks.levels import LevelFinding


@dataclass(frozen=True, slots=True)
class Element:
    id: str
    label: Promise
    mandatory: bool
    conditional: bool
    sources: tuple[str, ...]
    confidence: str


ELEMENTS: tuple[Element, ...] = (
    Element("1", _("Identification of the learner"), True, False, ("S6", "S7"), "verified"),
    Element("2", _("Title of the micro-credential"), True, False, ("S6", "S7"), "verified"),
    Element("3", _("Country or region of the issuer"), True, False, ("S6", "S7"), "verified"),
    Element("4", _("Awarding body"), True, False, ("S6", "S7"), "verified"),
    Element("5", _("Date of issuing"), True, False, ("S6", "S7"), "verified"),
    Element("6", _("Learning outcomes"), True, False, ("S6", "S7"), "verified"),
    Element(
        "7", _("Notional workload (in ECTS where possible)"), True, False, ("S6", "S7"), "verified"
    ),
    Element(
        "8", _("Level (EQF and/or QF-EHEA), if applicable"), True, True, ("S6", "S7"), "verified"
    ),
    Element("9", _("Type of assessment"), True, False, ("S6", "S8"), "verified"),
    Element("10", _("Form of participation"), True, False, ("S6", "S8"), "verified"),
    Element("11", _("Type of quality assurance"), True, False, ("S6", "S7"), "verified"),
    Element("O1", _("Prerequisites to enrol"), False, False, ("S6", "S8"), "verified"),
    Element(
        "O2",
        _("Supervision and identity verification during assessment"),
        False,
        False,
        ("S6", "S8"),
        "verified",
    ),
    Element("O3", _("Grade achieved"), False, False, ("S6", "S8"), "verified"),
    Element("O4", _("Integration or stackability options"), False, False, ("S6", "S8"), "verified"),
    Element("O5", _("Further information"), False, False, ("S6", "S8"), "widely_reported"),
)

# Words that show an element is described in prose. A match only ever gives
# "stated in free text", never "stated".
TEXT_CUES: dict[str, re.Pattern[str]] = {
    key: re.compile(pattern, re.I)
    for key, pattern in {
        "outcomes": r"learning outcomes?|will be able to|are able to|can now|学習成果|到達目標"
        r"|できるようになる|習得",
        "assessment": r"exam|assess|\btest|quiz|portfolio|graded|proctor|capstone|assignment"
        r"|試験|評価|課題|レポート|テスト",
        "participation": r"online|on-?site|in[- ]person|blended|hybrid|face-to-face|classroom"
        r"|e-?learning|self-paced|オンライン|対面|ハイブリッド|集合研修|eラーニング|オンデマンド",
        "quality_assurance": r"accredit|quality[- ]assur|recogni[sz]ed by|approved by|認証評価"
        r"|質保証|文部科学大臣認定|文部科学(?:大臣|省)[^。]{0,40}認定",
        "prerequisites": r"prerequisite|entry requirement|required prior|受講要件|受講資格"
        r"|前提知識",
        "supervision": r"proctor|supervised|invigilat|identity verif|\bID check|試験監督|本人確認",
        "stackability": r"stackable|counts? towards|credit towards|part of (?:a|the) "
        r"(?:degree|programme|program|qualification)|積み上げ|単位互換|単位認定",
    }.items()
}
_DEGREE_TYPES = frozenset(
    {
        "associatedegree",
        "bachelordegree",
        "degree",
        "doctoraldegree",
        "masterdegree",
        "professionaldoctorate",
        "researchdoctorate",
        "secondaryschooldiploma",
        "qualification",
    }
)


def find_in_text(record: CredentialRecord, cue: str) -> tuple[str, str] | None:
    """(JSON path, the matching words) where the credential's prose mentions ``cue``."""
    pattern = TEXT_CUES[cue]
    for field_name in ("description", "criteria_narrative", "title"):
        text = getattr(record, field_name)
        match = pattern.search(text) if text else None
        if match:
            return record.paths.get(field_name, field_name), _snippet(text, match.start())
    return None


def _snippet(text: str, at: int, width: int = 60) -> str:
    start = max(0, at - width // 3)
    end = min(len(text), start + width)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def claims_formal_education(record: CredentialRecord) -> bool:
    """Level is "applicable" when the credential presents itself as formal education."""
    if record.achievement_type.casefold() in _DEGREE_TYPES:
        return True
    setting = record.participation.casefold()
    return "formal" in setting and "non-formal" not in setting and "informal" not in setting


def assess(
    record: CredentialRecord, level: LevelFinding, hours: HoursFinding
) -> tuple[ChecklistItem, ...]:
    paths = record.paths

    def field(name: str, value: object, cue: str | None = None) -> Callable[[], _Found]:
        def check() -> _Found:
            if value:
                return _Found(ElementStatus.PRESENT_STRUCTURED, paths.get(name, name))
            found = find_in_text(record, cue) if cue else None
            if found:
                return _Found(ElementStatus.PRESENT_TEXT_ONLY, found[0], inferred=True)
            return _Found(ElementStatus.ABSENT)

        return check

    def learner() -> _Found:
        if record.recipients:
            return _Found(ElementStatus.PRESENT_STRUCTURED, paths.get("recipients", "recipients"))
        if record.subject_id or record.subject_name:
            key = "subject_name" if record.subject_name else "subject_id"
            return _Found(ElementStatus.PRESENT_STRUCTURED, paths.get(key, key))
        return _Found(ElementStatus.ABSENT)

    def date() -> _Found:
        key = "issued_at" if record.issued_at else "valid_from"
        return field(key, record.issued_at or record.valid_from)()

    def outcomes() -> _Found:
        if record.outcomes:
            return _Found(ElementStatus.PRESENT_STRUCTURED, paths.get("outcomes", "outcomes"))
        # Alignments to skills or competencies (anything but the level itself) state
        # outcomes as structured data too.
        level_paths = {s.path for s in (level.primary, *level.others) if s is not None}
        skill_paths = [a.path or f"alignment[{index}]" for index, a in enumerate(record.alignments)]
        skills = [p for p in skill_paths if p not in level_paths]
        if skills:
            return _Found(ElementStatus.PRESENT_STRUCTURED, skills[0])
        return field("outcomes", "", "outcomes")()

    def workload() -> _Found:
        if hours.stated_hours is not None and not hours.stated_inferred:
            return _Found(ElementStatus.PRESENT_STRUCTURED, hours.stated_path)
        structured = [c for c in hours.credits if not c.inferred or c.system_inferred]
        if structured:
            return _Found(ElementStatus.PRESENT_STRUCTURED, structured[0].path)
        if hours.duration is not None:
            return _Found(ElementStatus.PRESENT_STRUCTURED, hours.duration.path)
        if hours.stated_hours is not None or hours.credits:
            path = hours.stated_path or hours.credits[0].path
            return _Found(ElementStatus.PRESENT_TEXT_ONLY, path, inferred=True)
        return _Found(ElementStatus.ABSENT)

    def level_element() -> _Found:
        statement = level.primary
        if statement is not None and not statement.inferred:
            return _Found(ElementStatus.PRESENT_STRUCTURED, statement.path)
        if statement is not None:
            return _Found(ElementStatus.PRESENT_TEXT_ONLY, statement.path, inferred=True)
        if claims_formal_education(record):
            return _Found(ElementStatus.ABSENT)
        return _Found(ElementStatus.NOT_APPLICABLE)

    def further() -> _Found:
        if record.criteria_url:
            return _Found(
                ElementStatus.PRESENT_STRUCTURED, paths.get("criteria_url", "criteria_url")
            )
        if record.evidence:
            return _Found(ElementStatus.PRESENT_STRUCTURED, paths.get("evidence", "evidence"))
        return _Found(ElementStatus.ABSENT)

    checks: dict[str, Callable[[], _Found]] = {
        "1": learner,
        "2": field("title", record.title),
        "3": field("issuer_country", record.issuer_country),
        "4": field("issuer_name", record.issuer_name or record.issuer_id),
        "5": date,
        "6": outcomes,
        "7": workload,
        "8": level_element,
        "9": field("assessment", record.assessment, "assessment"),
        "10": field("participation", record.participation, "participation"),
        "11": field("quality_assurance", record.quality_assurance, "quality_assurance"),
        "O1": field("prerequisites", record.prerequisites, "prerequisites"),
        "O2": field("supervision", record.supervision, "supervision"),
        "O3": field("grade", record.grade),
        "O4": field("stackability", record.stackability, "stackability"),
        "O5": further,
    }
    words = _words(get_language() or "")
    items = []
    for element in ELEMENTS:
        found = checks[element.id]()
        items.append(
            ChecklistItem(
                element=element.id,
                label=words.labels[element.id],
                mandatory=element.mandatory,
                status=found.status,
                status_label=_status_label(found.status, element, words),
                source=found.source,
                inferred=found.inferred,
            )
        )
    return tuple(items)


@dataclass(frozen=True, slots=True)
class _Found:
    status: ElementStatus
    source: str = ""
    inferred: bool = False


_NOT_STATED_LEVEL = gettext_lazy("Not stated (applies only to formal education)")


@dataclass(frozen=True, slots=True)
class _Words:
    labels: dict[str, str]  # element id → label
    statuses: dict[ElementStatus, str]
    not_stated_level: str


@cache
def _words(language: str) -> _Words:
    """The checklist's labels in ``language``, which must be the active one. Translated once
    per language and process: 32 lookups per credential were a fifth of ``explain``'s time."""
    return _Words(
        labels={element.id: str(element.label) for element in ELEMENTS},
        statuses={status: str(status.label) for status in ElementStatus},
        not_stated_level=str(_NOT_STATED_LEVEL),
    )


def _status_label(status: ElementStatus, element: Element, words: _Words) -> str:
    if status == ElementStatus.NOT_APPLICABLE and element.conditional:
        return words.not_stated_level
    return words.statuses[status]


def completeness(
    record: CredentialRecord, level: LevelFinding, hours: HoursFinding
) -> Completeness:
    items = assess(record, level, hours)
    mandatory = [i for i in items if i.mandatory]
    present = [
        i
        for i in mandatory
        if i.status in (ElementStatus.PRESENT_STRUCTURED, ElementStatus.PRESENT_TEXT_ONLY)
    ]
    text_only = sum(1 for i in present if i.status == ElementStatus.PRESENT_TEXT_ONLY)
    applicable = sum(1 for i in mandatory if i.status != ElementStatus.NOT_APPLICABLE)
    values = {"present": len(present), "total": applicable, "text_only": text_only}
    score = gettext("%(present)d of %(total)d") % values
    if text_only:
        summary = (
            gettext(
                "The credential states %(present)d of the %(total)d required elements of the EU "
                "standard (%(text_only)d of them only in free text)."
            )
            % values
        )
    else:
        summary = (
            gettext(
                "The credential states %(present)d of the %(total)d required elements of the EU "
                "standard."
            )
            % values
        )
    return Completeness(
        items=items,
        present=len(present),
        text_only=text_only,
        applicable=applicable,
        score=score,
        summary=summary,
    )
