"""What a Japanese programme kind means, in the reader's language (issue 17).

The facts and their sources come from ``credentials.frameworks.programmes``; this module
only frames them: whether the credential states the kind or its text suggests it (then
quoted and labelled inferred), the legal basis, the level, the legal minimum of hours when
hours are not stated, credits, and which elements of the Japanese guideline are stated.
It never says more than was checked: approval schemes are the issuer's statement, since
the portal does not read the Ministry's lists.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import get_language, gettext, ngettext

from credentials.explanation.result import ChecklistItem, Detail, ElementStatus
from credentials.explanation.sentences import join_sentences
from credentials.formats.record import CredentialRecord
from credentials.frameworks.catalogue import Confidence, catalogue
from credentials.frameworks.hours import HoursFinding
from credentials.frameworks.programmes import (
    Fact,
    HoursFloor,
    ProgrammeFinding,
    ProgrammeStatement,
    japanese_programmes,
    looks_japanese,
)

# Kinds whose meaning is an approval by the Minister: the portal reports the issuer's claim.
_APPROVAL_SCHEMES = frozenset({"mdash", "bp", "career-keisei"})
_JP_CREDIT_SYSTEMS = frozenset({"jp-tani", "jp-tani-kosen"})


def _ja() -> bool:
    return (get_language() or "").startswith("ja")


def _text(fact: Fact) -> str:
    return fact.ja if _ja() else fact.en


def _name(statement: ProgrammeStatement) -> str:
    programme = statement.programme
    return programme.name_ja if _ja() else programme.name_en


def headline_kind(finding: ProgrammeFinding) -> str:
    """What to call the credential in the headline, or "" when no kind is recognised."""
    statement = finding.primary
    if statement is None:
        return ""
    programme = statement.programme
    kind = programme.kind_ja if _ja() else programme.kind_en
    level = statement.level
    if level is not None:
        level_name = level.name_ja if _ja() else level.name_en
        if statement.plus:
            level_name = gettext("%(level)s Plus") % {"level": level_name}
        kind = gettext("%(kind)s, %(level)s") % {"kind": kind, "level": level_name}
    if statement.inferred:
        kind = gettext("%(kind)s (inferred from the text)") % {"kind": kind}
    return kind


def headline_hours_floor(
    finding: ProgrammeFinding, hours: HoursFinding, issued: datetime | None
) -> str:
    """ "at least 60 hours of learning" when the credential states no hours but its kind
    has a legal minimum; "" otherwise (stated hours always win)."""
    if hours.best is not None:
        return ""
    found = finding.hours_floor()
    if found is None:
        return ""
    statement, floor = found
    minimum = floor.hours_for(issued)
    phrase = ngettext(
        "at least %(hours)d hour of learning (the legal minimum)",
        "at least %(hours)d hours of learning (the legal minimum)",
        minimum,
    ) % {"hours": minimum}
    if statement.inferred:
        phrase = gettext("%(hours)s (inferred)") % {"hours": phrase}
    return phrase


def programme_detail(
    record: CredentialRecord, finding: ProgrammeFinding, hours: HoursFinding
) -> Detail | None:
    """The "Japanese programme" detail, or None when the credential names none."""
    if not finding.statements:
        return None
    sentences: list[str] = []
    source_ids: list[str] = []
    for statement in finding.statements:
        sentences.extend(_statement_sentences(record, statement, hours, source_ids))
    primary = finding.statements[0]
    sources = catalogue().sources
    items = tuple(
        gettext("Source: %(title)s — %(url)s (read on %(date)s)")
        % {"title": sources[s].title, "url": sources[s].url, "date": sources[s].read_on}
        if sources[s].read_on
        else gettext("Source: %(title)s — %(url)s")
        % {"title": sources[s].title, "url": sources[s].url}
        for s in dict.fromkeys(source_ids)
    )
    return Detail(
        key="programme",
        label=gettext("Japanese programme"),
        text=join_sentences(sentences),
        items=items,
        source=", ".join(dict.fromkeys(s.path for s in finding.statements)),
        inferred=primary.inferred,
    )


def _statement_sentences(
    record: CredentialRecord,
    statement: ProgrammeStatement,
    hours: HoursFinding,
    source_ids: list[str],
) -> list[str]:
    programme = statement.programme
    values = {"name": _name(statement), "quote": statement.quote}
    sentences = []
    if statement.inferred:
        sentences.append(
            gettext(
                "The credential's text mentions “%(quote)s”, so it is probably a %(name)s "
                "(inferred: not stated as structured data)."
            )
            % values
        )
    else:
        sentences.append(
            gettext("The credential states in its data that it is a %(name)s (“%(quote)s”).")
            % values
        )
    shown = [f for f in programme.facts if f.shown]
    if shown:
        sentences.append(_text(shown[0]))
        source_ids.extend(shown[0].sources)
    if programme.legal_basis is not None and programme.legal_basis.shown:
        sentences.append(
            gettext("Legal basis: %(basis)s.") % {"basis": _text(programme.legal_basis)}
        )
        source_ids.extend(programme.legal_basis.sources)
    sentences.extend(_level_sentences(statement, source_ids))
    for fact in shown[1:]:
        sentences.append(_text(fact))
        source_ids.extend(fact.sources)
    floor = programme.shown_floor
    if floor is not None:
        sentences.extend(_floor_sentences(record, statement, floor, hours, source_ids))
    if programme.id == "rishu-shomei":
        sentences.append(_credits_sentence(hours))
    if _any_widely_reported(statement):
        sentences.append(
            gettext(
                "Some of these facts are widely reported rather than read in the official "
                "text itself; the sources are listed below."
            )
        )
    if programme.id in _APPROVAL_SCHEMES:
        sentences.append(
            gettext(
                "That the programme is approved is the issuer's statement: the portal has "
                "not checked the Ministry's list of approved programmes."
            )
        )
    return sentences


def _any_widely_reported(statement: ProgrammeStatement) -> bool:
    """Whether a fact said for this kind rests on secondary sources (frameworks.md [W])."""
    programme = statement.programme
    facts = [f for f in programme.facts if f.shown]
    if programme.legal_basis is not None and programme.legal_basis.shown:
        facts.append(programme.legal_basis)
    level = statement.level
    if level is not None and level.fact.shown:
        facts.append(level.fact)
    floor = programme.shown_floor
    return any(f.confidence == Confidence.WIDELY_REPORTED for f in facts) or (
        floor is not None and floor.confidence == Confidence.WIDELY_REPORTED
    )


def _level_sentences(statement: ProgrammeStatement, source_ids: list[str]) -> list[str]:
    programme = statement.programme
    if not programme.levels:
        return []
    level = statement.level
    if level is None:
        names = (
            "・".join(v.name_ja for v in programme.levels)
            if _ja()
            else " / ".join(v.name_en for v in programme.levels)
        )
        return [
            gettext("The credential does not say which level it is (%(levels)s).")
            % {"levels": names}
        ]
    sentences = []
    if level.fact.shown:
        sentences.append(_text(level.fact))
        source_ids.extend(level.fact.sources)
    if statement.level_inferred and not statement.inferred:
        sentences.append(gettext("The level is read from the credential's text (inferred)."))
    if statement.plus and programme.plus is not None and programme.plus.fact.shown:
        sentences.append(_text(programme.plus.fact))
        source_ids.extend(programme.plus.fact.sources)
    return sentences


def _floor_sentences(
    record: CredentialRecord,
    statement: ProgrammeStatement,
    floor: HoursFloor,
    hours: HoursFinding,
    source_ids: list[str],
) -> list[str]:
    issued = record.issued_at or record.valid_from
    minimum = floor.hours_for(issued)
    source_ids.extend(floor.sources)
    values = {"name": _name(statement), "hours": minimum}
    earlier = minimum != floor.hours
    if earlier:
        source_ids.extend(floor.before_sources)
    best = hours.best
    if best is None:
        if earlier:
            sentence = gettext(
                "The credential does not state its hours, but it was issued before April "
                "2019, when a %(name)s had to total at least %(hours)d hours of learning."
            )
        else:
            sentence = gettext(
                "The credential does not state its hours, but by law a %(name)s totals at "
                "least %(hours)d hours of learning."
            )
        sentences = [sentence % values]
        if statement.programme_id == "rishu-shomei":
            sentences.append(
                gettext("Its certificate is meant to state the total hours; this one does not.")
            )
        return sentences
    if best.high < minimum:
        return [
            gettext(
                "The stated learning time is below the legal minimum of %(hours)d hours for "
                "a %(name)s; ask the issuer which is right."
            )
            % values
        ]
    return [
        gettext("The stated learning time meets the legal minimum of %(hours)d hours.") % values
    ]


def _credits_sentence(hours: HoursFinding) -> str:
    japanese = [c for c in hours.credits if c.system_id in _JP_CREDIT_SYSTEMS]
    if japanese:
        amount = japanese[0].amount
        return ngettext(
            "It states %(amount)s university credit (単位).",
            "It states %(amount)s university credits (単位).",
            1 if amount == 1 else 2,
        ) % {"amount": f"{amount:g}"}
    return gettext("It does not say that university credits (単位) were awarded.")


def guideline_detail(
    record: CredentialRecord, finding: ProgrammeFinding, items: tuple[ChecklistItem, ...]
) -> Detail | None:
    """Which elements of the JV-Campus / JMOOC guideline 3.0 the credential states, read
    from the same checks as the EU checklist. Shown for credentials that look Japanese."""
    if not looks_japanese(record, finding):
        return None
    guideline = japanese_programmes().guideline
    by_element = {i.element: i for i in items}
    lines = []
    stated = text_only = 0
    for element in guideline.elements:
        item = by_element.get(element.eu_element)
        status = item.status if item is not None else ElementStatus.ABSENT
        label = element.ja if _ja() else element.en
        if status == ElementStatus.PRESENT_STRUCTURED:
            stated += 1
            lines.append(gettext("%(element)s: stated") % {"element": label})
        elif status == ElementStatus.PRESENT_TEXT_ONLY:
            stated += 1
            text_only += 1
            lines.append(gettext("%(element)s: stated in free text only") % {"element": label})
        else:
            lines.append(gettext("%(element)s: not stated") % {"element": label})
    values = {
        "stated": stated,
        "total": len(guideline.elements),
        "text_only": text_only,
        "guideline": guideline.name_ja if _ja() else guideline.name_en,
    }
    if text_only:
        summary = gettext(
            "Of the %(total)d elements that the %(guideline)s names in its summary, the "
            "credential states %(stated)d (%(text_only)d of them only in free text)."
        )
    else:
        summary = gettext(
            "Of the %(total)d elements that the %(guideline)s names in its summary, the "
            "credential states %(stated)d."
        )
    sentences = [
        summary % values,
        gettext(
            "The guideline's full list of descriptors could not be read, so only these are checked."
        ),
    ]
    sources = catalogue().sources
    source_lines = tuple(
        gettext("Source: %(title)s — %(url)s (read on %(date)s)")
        % {"title": sources[s].title, "url": sources[s].url, "date": sources[s].read_on}
        for s in guideline.sources
    )
    return Detail(
        key="jp_guideline",
        label=gettext("Japanese micro-credential guideline"),
        text=join_sentences(sentences),
        items=(*lines, *source_lines),
        stated=stated > 0,
    )
