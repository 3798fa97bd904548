"""Japanese programme kinds (履修証明プログラム, MDASH, BP, …) a credential says it belongs to.

The facts live in ``data/jp_programmes.json``; each names its sources and how sure we are,
and loading refuses a fact without them (as ``catalogue`` does for frameworks). A kind is
recognised, in this order of trust:

1. from structured fields: an alignment naming the programme or pointing at its official
   page, ``achievementType``, ``educationalCredentialAwarded``, a tag, or the issuer's or
   criteria's address (JV-Campus);
2. from the credential's name, description or criteria text — always labelled inferred,
   with the words quoted.

Only a programme's full name or its legal reference counts: 「履修」 is not a
履修証明プログラム, 「認定」 is not MDASH, "BP" is not a BP, a preparation course for
ITパスポート is not a pass. Which words count is data (``patterns``), tested for
look-alikes in ``tests/credentials/frameworks/test_programmes.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from credentials.formats.record import CredentialRecord
from credentials.frameworks.catalogue import (
    Confidence,
    DataError,
    Source,
    _provenance,
    _read,
    catalogue,
)
from credentials.frameworks.levels import Origin

# Facts marked unverified stay in the data (so the gap is visible) but never reach a page
# (frameworks.md, confidence markers).
SHOWN_CONFIDENCE = frozenset({Confidence.VERIFIED, Confidence.WIDELY_REPORTED})
JAPAN = ZoneInfo("Asia/Tokyo")
QUOTE_CONTEXT = 20  # characters of the credential's text quoted either side of a match

_RANK = {Origin.STRUCTURED_FIELD: 1, Origin.ALIGNMENT: 2, Origin.EXTENSION: 3, Origin.FREE_TEXT: 4}


@dataclass(frozen=True, slots=True)
class Fact:
    key: str
    ja: str
    en: str
    confidence: Confidence
    sources: tuple[str, ...]

    @property
    def shown(self) -> bool:
        return self.confidence in SHOWN_CONFIDENCE


@dataclass(frozen=True, slots=True)
class Variant:
    """A level of a programme (MDASH リテラシーレベル) or one examination of a family."""

    id: str
    name_ja: str
    name_en: str
    fact: Fact
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True, slots=True)
class HoursFloor:
    """The legal minimum of hours for a programme kind, and the one before it changed."""

    hours: int
    since: date | None
    before_hours: int | None
    confidence: Confidence
    sources: tuple[str, ...]
    before_sources: tuple[str, ...]

    @property
    def shown(self) -> bool:
        return self.confidence in SHOWN_CONFIDENCE

    def hours_for(self, issued: datetime | None) -> int:
        """The minimum that applied when the credential was issued (the current one if the
        date is unknown: the lower minimum is the claim we can stand behind)."""
        if issued is not None and self.since and self.before_hours:
            # Japanese law changes at midnight in Japan, not in UTC.
            day = issued.astimezone(JAPAN).date() if issued.tzinfo else issued.date()
            if day < self.since:
                return self.before_hours
        return self.hours


@dataclass(frozen=True, slots=True)
class Programme:
    id: str
    name_ja: str
    name_en: str
    kind_ja: str
    kind_en: str
    legal_basis: Fact | None
    facts: tuple[Fact, ...]
    levels: tuple[Variant, ...]
    plus: Variant | None
    hours_floor: HoursFloor | None
    patterns: tuple[re.Pattern[str], ...]
    url_fragments: tuple[str, ...]
    requires: tuple[re.Pattern[str], ...]  # words that must appear too ("合格" for an exam)
    confidence: Confidence
    sources: tuple[str, ...]

    def level(self, level_id: str) -> Variant | None:
        return next((v for v in self.levels if v.id == level_id), None)

    @property
    def shown_floor(self) -> HoursFloor | None:
        floor = self.hours_floor
        return floor if floor is not None and floor.shown else None


@dataclass(frozen=True, slots=True)
class GuidelineElement:
    id: str
    ja: str
    en: str
    eu_element: str  # the EU 2022 checklist element that reads the same fact


@dataclass(frozen=True, slots=True)
class Guideline:
    name_ja: str
    name_en: str
    elements: tuple[GuidelineElement, ...]
    confidence: Confidence
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class JapaneseProgrammes:
    programmes: tuple[Programme, ...]
    guideline: Guideline

    def programme(self, programme_id: str) -> Programme | None:
        return next((p for p in self.programmes if p.id == programme_id), None)


@dataclass(frozen=True, slots=True)
class ProgrammeStatement:
    """One programme kind, where the credential says it and in which words."""

    programme_id: str
    origin: Origin
    path: str
    quote: str
    level_id: str = ""
    level_path: str = ""
    level_inferred: bool = False
    plus: bool = False

    @property
    def inferred(self) -> bool:
        return self.origin == Origin.FREE_TEXT

    @property
    def programme(self) -> Programme:
        found = japanese_programmes().programme(self.programme_id)
        if found is None:  # only ids from the data are ever stated
            raise DataError(f"unknown programme {self.programme_id}")
        return found

    @property
    def level(self) -> Variant | None:
        return self.programme.level(self.level_id) if self.level_id else None


@dataclass(frozen=True, slots=True)
class ProgrammeFinding:
    statements: tuple[ProgrammeStatement, ...] = ()  # one per kind, the lead one first

    @property
    def primary(self) -> ProgrammeStatement | None:
        return self.statements[0] if self.statements else None

    def hours_floor(self) -> tuple[ProgrammeStatement, HoursFloor] | None:
        """The first recognised kind whose legal minimum of hours may be shown."""
        for statement in self.statements:
            floor = statement.programme.shown_floor
            if floor is not None:
                return statement, floor
        return None


# --- loading ---------------------------------------------------------------------------


def _compile(patterns: list[str], where: str) -> tuple[re.Pattern[str], ...]:
    try:
        return tuple(re.compile(p, re.I) for p in patterns)
    except re.error as exc:
        raise DataError(f"{where}: bad pattern: {exc}") from exc


def _fact(raw: dict[str, Any], where: str, known: dict[str, Source]) -> Fact:
    confidence, sources = _provenance(raw, where, known)
    if not raw.get("ja") or not raw.get("en"):
        raise DataError(f"{where}: a fact needs both Japanese and English")
    return Fact(raw.get("key", ""), raw["ja"], raw["en"], confidence, sources)


def _variant(raw: dict[str, Any], where: str, known: dict[str, Source]) -> Variant:
    if not raw.get("patterns"):
        raise DataError(f"{where}: no patterns")
    return Variant(
        id=raw.get("id", "plus"),
        name_ja=raw.get("name_ja", ""),
        name_en=raw.get("name_en", ""),
        fact=_fact(raw, where, known),
        patterns=_compile(raw["patterns"], where),
    )


def _floor(raw: dict[str, Any], where: str, known: dict[str, Source]) -> HoursFloor:
    confidence, sources = _provenance(raw, where, known)
    before_sources = tuple(raw.get("before_sources") or ())
    if raw.get("before_hours") and not before_sources:
        raise DataError(f"{where}: the earlier minimum has no sources")
    unknown = [s for s in before_sources if s not in known]
    if unknown:
        raise DataError(f"{where}: unknown source ids {unknown}")
    return HoursFloor(
        hours=int(raw["hours"]),
        since=date.fromisoformat(raw["since"]) if raw.get("since") else None,
        before_hours=int(raw["before_hours"]) if raw.get("before_hours") else None,
        confidence=confidence,
        sources=sources,
        before_sources=before_sources,
    )


def _programme(raw: dict[str, Any], known: dict[str, Source]) -> Programme:
    pid = raw["id"]
    confidence, sources = _provenance(raw, f"programme {pid}", known)
    if not raw.get("patterns"):
        raise DataError(f"programme {pid}: no patterns")
    return Programme(
        id=pid,
        name_ja=raw["name_ja"],
        name_en=raw["name_en"],
        kind_ja=raw["kind_ja"],
        kind_en=raw["kind_en"],
        legal_basis=(
            _fact(raw["legal_basis"], f"{pid} legal basis", known)
            if raw.get("legal_basis")
            else None
        ),
        facts=tuple(_fact(f, f"{pid} fact {f.get('key')}", known) for f in raw.get("facts", ())),
        levels=tuple(
            _variant(v, f"{pid} level {v.get('id')}", known) for v in raw.get("levels", ())
        ),
        plus=_variant(raw["plus"], f"{pid} plus", known) if raw.get("plus") else None,
        hours_floor=(
            _floor(raw["hours_floor"], f"{pid} hours floor", known)
            if raw.get("hours_floor")
            else None
        ),
        patterns=_compile(raw["patterns"], pid),
        url_fragments=tuple(u.casefold() for u in raw.get("url_fragments", ())),
        requires=_compile(raw.get("requires", []), pid),
        confidence=confidence,
        sources=sources,
    )


def _guideline(raw: dict[str, Any], known: dict[str, Source]) -> Guideline:
    confidence, sources = _provenance(raw, "jp_guideline", known)
    return Guideline(
        name_ja=raw["name_ja"],
        name_en=raw["name_en"],
        elements=tuple(
            GuidelineElement(e["id"], e["ja"], e["en"], e["eu_element"]) for e in raw["elements"]
        ),
        confidence=confidence,
        sources=sources,
    )


@cache
def japanese_programmes() -> JapaneseProgrammes:
    """The programme data, validated; read from disk once per process."""
    data = _read("jp_programmes.json")
    known = catalogue().sources
    return JapaneseProgrammes(
        programmes=tuple(_programme(p, known) for p in data["programmes"]),
        guideline=_guideline(data["jp_guideline"], known),
    )


# --- recognising -----------------------------------------------------------------------


def _field_texts(record: CredentialRecord) -> Iterator[tuple[Origin, str, str]]:
    """(origin, JSON path, text) for every field that may name a programme, most trusted first."""
    paths = record.paths
    for index, alignment in enumerate(record.alignments):
        path = alignment.path or f"alignment[{index}]"
        for value in (
            alignment.target_name,
            alignment.target_framework,
            alignment.target_code,
            alignment.target_description,
        ):
            if value:
                yield Origin.ALIGNMENT, path, value
    if record.achievement_type:
        yield (
            Origin.STRUCTURED_FIELD,
            paths.get("achievement_type", "achievementType"),
            record.achievement_type,
        )
    for path, value in _credential_awarded(record.document):
        yield Origin.STRUCTURED_FIELD, path, value
    base = paths.get("tags", "tags")
    for index, tag in enumerate(record.tags):
        yield Origin.STRUCTURED_FIELD, f"{base}[{index}]", tag
    for field_name in ("title", "description", "criteria_narrative"):
        text = getattr(record, field_name)
        if text:
            yield Origin.FREE_TEXT, paths.get(field_name, field_name), text


def _field_urls(record: CredentialRecord) -> Iterator[tuple[Origin, str, str]]:
    paths = record.paths
    for index, alignment in enumerate(record.alignments):
        if alignment.target_url:
            yield Origin.ALIGNMENT, alignment.path or f"alignment[{index}]", alignment.target_url
    for field_name in ("issuer_id", "issuer_url", "criteria_url", "achievement_id"):
        value = getattr(record, field_name)
        if value:
            yield Origin.STRUCTURED_FIELD, paths.get(field_name, field_name), value


def _credential_awarded(document: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """schema.org / CTDL ``educationalCredentialAwarded``, where issuers put it: on the
    OB 2.0 badge class, the OB 3.0 achievement, or the document itself."""
    subject = document.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    for node, base in (
        (document, ""),
        (document.get("badge"), "badge."),
        (achievement, "credentialSubject.achievement."),
    ):
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            if key.rsplit(":", 1)[-1] != "educationalCredentialAwarded":
                continue
            for index, item in enumerate(value if isinstance(value, list) else [value]):
                text = item.get("name") if isinstance(item, dict) else item
                if isinstance(text, str) and text:
                    suffix = f"[{index}]" if isinstance(value, list) else ""
                    yield f"{base}{key}{suffix}", text


def _quote(text: str, start: int, end: int) -> str:
    left = max(0, start - QUOTE_CONTEXT)
    right = min(len(text), end + QUOTE_CONTEXT)
    snippet = " ".join(text[left:right].split())
    return ("…" if left else "") + snippet + ("…" if right < len(text) else "")


def _first_match(patterns: tuple[re.Pattern[str], ...], text: str) -> re.Match[str] | None:
    matches = [m for m in (p.search(text) for p in patterns) if m is not None]
    return min(matches, key=lambda m: m.start()) if matches else None


def _variant_in(
    variants: tuple[Variant, ...], fields: list[tuple[Origin, str, str]]
) -> tuple[Variant, str, Origin] | None:
    """The variant named first, searching the fields in order of trust."""
    for origin, path, text in fields:
        found = [(m.start(), v) for v in variants if (m := _first_match(v.patterns, text))]
        if found:
            return min(found, key=lambda pair: pair[0])[1], path, origin
    return None


@cache
def _any_programme() -> re.Pattern[str]:
    """Every programme's names in one pattern: most credentials name none, and one search
    per field skips the seven programmes' patterns for them."""
    patterns = (
        p.pattern for programme in japanese_programmes().programmes for p in programme.patterns
    )
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.I)


def recognise_programmes(record: CredentialRecord) -> ProgrammeFinding:
    fields = list(_field_texts(record))
    urls = list(_field_urls(record))
    fragments = [
        f for programme in japanese_programmes().programmes for f in programme.url_fragments
    ]
    if not any(_any_programme().search(text) for _o, _p, text in fields) and not any(
        fragment in url.casefold() for _o, _p, url in urls for fragment in fragments
    ):
        return ProgrammeFinding()
    statements = []
    for programme in japanese_programmes().programmes:
        statement = _statement(programme, fields, urls)
        if statement is not None:
            statements.append(statement)
    # Stable sort: within one rank the data's order of precedence stands.
    statements.sort(key=lambda s: _RANK[s.origin])
    return ProgrammeFinding(statements=tuple(statements))


def _statement(
    programme: Programme,
    fields: list[tuple[Origin, str, str]],
    urls: list[tuple[Origin, str, str]],
) -> ProgrammeStatement | None:
    best: tuple[Origin, str, str] | None = None  # origin, path, quote
    mentioning: list[tuple[Origin, str, str]] = []
    for origin, path, text in fields:
        match = _first_match(programme.patterns, text)
        if match is None:
            continue
        if programme.requires and _first_match(programme.requires, text) is None:
            continue
        mentioning.append((origin, path, text))
        if best is None or _RANK[origin] < _RANK[best[0]]:
            best = (origin, path, _quote(text, match.start(), match.end()))
    for origin, path, url in urls:
        folded = url.casefold()
        named = any(fragment in folded for fragment in programme.url_fragments)
        if named and (best is None or _RANK[origin] < _RANK[best[0]]):
            best = (origin, path, url)
    if best is None:
        return None
    origin, path, quote = best
    # Levels are read where the programme is named, most trusted field first; an exam
    # family needs one (a pass in "the examination" names no examination).
    level = (
        (_variant_in(programme.levels, mentioning) or _variant_in(programme.levels, fields))
        if programme.levels
        else None
    )
    plus = _variant_in((programme.plus,), mentioning) if programme.plus else None
    if programme.requires and level is None:
        return None
    return ProgrammeStatement(
        programme_id=programme.id,
        origin=origin,
        path=path,
        quote=quote,
        level_id=level[0].id if level else "",
        level_path=level[1] if level else "",
        level_inferred=bool(level and level[2] == Origin.FREE_TEXT),
        plus=plus is not None,
    )


def looks_japanese(record: CredentialRecord, finding: ProgrammeFinding) -> bool:
    """Whether the Japanese guideline's checklist is worth showing for this credential."""
    if finding.statements:
        return True
    country = record.issuer_country.strip().upper()
    if country in ("JP", "JPN", "JAPAN") or country.endswith("/JPN"):
        return True
    if record.language.casefold().startswith("ja"):
        return True
    text = " ".join((record.title, record.description, record.criteria_narrative))
    return _JAPANESE_SCRIPT.search(text) is not None


# Kana only: kanji alone would take Chinese credentials for Japanese ones.
_JAPANESE_SCRIPT = re.compile(r"[\u3040-\u30ff]")
