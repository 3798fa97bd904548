"""Qualifications frameworks, levels, level mappings and credit systems, read from ``data/``.

The JSON files under ``data/`` are the single place where facts live; each framework,
level, qualification, mapping and credit system names its sources (ids in
``sources.json``) and how sure we are (frameworks.md §1). Loading validates that, so a
fact without a source cannot reach a page. Everything is loaded once per process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


class Confidence(StrEnum):
    VERIFIED = "verified"
    WIDELY_REPORTED = "widely_reported"
    UNVERIFIED = "unverified"


class Relation(StrEnum):
    OFFICIAL_REFERENCING = "official_referencing"
    JOINT_COMPARISON = "joint_comparison"
    SELF_CERTIFICATION = "self_certification"
    TYPICAL_QUALIFICATION_ANALOGY = "typical_qualification_analogy"
    NONE_EXISTS = "none_exists"


# Relations that an authority (not this portal) established.
OFFICIAL_RELATIONS = frozenset(
    {Relation.OFFICIAL_REFERENCING, Relation.JOINT_COMPARISON, Relation.SELF_CERTIFICATION}
)


class DataError(ValueError):
    """The framework data breaks a rule (missing source, unknown id, …)."""


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    url: str
    read_on: str = ""  # ISO date the source was read, where recorded


@dataclass(frozen=True, slots=True)
class Qualification:
    ja: str
    en: str
    short_ja: str
    short_en: str
    typical: bool
    note: str
    confidence: Confidence
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Level:
    framework_id: str
    code: str
    ordinal: float  # for sorting inside one framework only; never compare across frameworks
    uri: str
    label_en: str  # "" when the level is simply "level <code>"
    label_ja: str
    summary_en: str
    summary_ja: str
    qualifications: tuple[Qualification, ...]
    confidence: Confidence
    sources: tuple[str, ...]

    @property
    def typical_qualifications(self) -> tuple[Qualification, ...]:
        return tuple(q for q in self.qualifications if q.typical)


@dataclass(frozen=True, slots=True)
class Framework:
    id: str
    short_name: str
    name_en: str
    name_ja: str
    owner: str
    scope: str
    level_count: int
    uri_pattern: str
    has_official_descriptors: bool
    status_note: str
    aliases: tuple[str, ...]
    levels: tuple[Level, ...]
    confidence: Confidence
    sources: tuple[str, ...]

    def level(self, code: str) -> Level | None:
        return next((lv for lv in self.levels if lv.code == code), None)


@dataclass(frozen=True, slots=True)
class LevelMapping:
    from_framework: str
    from_code: str  # "*" for a statement about the whole framework
    to_framework: str
    to_code: str | None  # None: the source says there is no matching level
    relation: Relation
    authority: str
    document: str
    year: int | None
    note: str
    confidence: Confidence
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CreditSystem:
    id: str
    short_en: str
    short_ja: str
    name_en: str
    name_ja: str
    hours_min: float
    hours_max: float
    full_time_year_credits: int | None
    hours_basis: str
    concept_uris: tuple[str, ...]
    aliases: tuple[str, ...]
    note: str
    confidence: Confidence
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Catalogue:
    sources: dict[str, Source]
    frameworks: dict[str, Framework]
    mappings: tuple[LevelMapping, ...]
    credit_systems: dict[str, CreditSystem]


def _read(name: str) -> dict[str, Any]:
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def _provenance(
    raw: dict[str, Any], where: str, known: dict[str, Source], inherited: tuple[Any, ...] = ()
) -> tuple[Confidence, tuple[str, ...]]:
    """Confidence and sources of one fact, inherited from its parent only where documented."""
    parent_confidence, parent_sources = inherited or (None, ())
    sources = tuple(raw.get("sources") or parent_sources)
    confidence_raw = raw.get("confidence") or parent_confidence
    if not sources:
        raise DataError(f"{where}: no sources")
    if confidence_raw is None:
        raise DataError(f"{where}: no confidence")
    unknown = [s for s in sources if s not in known]
    if unknown:
        raise DataError(f"{where}: unknown source ids {unknown}")
    return Confidence(confidence_raw), sources


def _framework(raw: dict[str, Any], known: dict[str, Source]) -> Framework:
    fid = raw["id"]
    confidence, sources = _provenance(raw, f"framework {fid}", known)
    levels = []
    for lv in raw["levels"]:
        where = f"{fid}:{lv['code']}"
        lv_confidence, lv_sources = _provenance(lv, where, known)
        quals = []
        for q in lv["qualifications"]:
            q_confidence, q_sources = _provenance(
                q, f"{where} {q['en']}", known, (lv_confidence, lv_sources)
            )
            quals.append(
                Qualification(
                    ja=q["ja"],
                    en=q["en"],
                    short_ja=q.get("short_ja", q["ja"]),
                    short_en=q.get("short_en", q["en"]),
                    typical=bool(q.get("typical", False)),
                    note=q.get("note", ""),
                    confidence=q_confidence,
                    sources=q_sources,
                )
            )
        levels.append(
            Level(
                framework_id=fid,
                code=str(lv["code"]),
                ordinal=float(lv["ordinal"]),
                uri=lv.get("uri") or "",
                label_en=lv.get("label_en", ""),
                label_ja=lv.get("label_ja", ""),
                summary_en=lv.get("summary_en", ""),
                summary_ja=lv.get("summary_ja", ""),
                qualifications=tuple(quals),
                confidence=lv_confidence,
                sources=lv_sources,
            )
        )
    return Framework(
        id=fid,
        short_name=raw["short_name"],
        name_en=raw["name_en"],
        name_ja=raw["name_ja"],
        owner=raw["owner"],
        scope=raw["scope"],
        level_count=int(raw["level_count"]),
        uri_pattern=raw.get("uri_pattern") or "",
        has_official_descriptors=bool(raw["has_official_descriptors"]),
        status_note=raw.get("status_note", ""),
        aliases=tuple(raw.get("aliases", ())),
        levels=tuple(levels),
        confidence=confidence,
        sources=sources,
    )


def _split(ref: str) -> tuple[str, str | None]:
    """ "eqf:6" → ("eqf", "6"); a bare "eqf" means no level of that framework matches."""
    framework_id, _, code = ref.partition(":")
    return framework_id, code or None


def _mapping(
    raw: dict[str, Any], known: dict[str, Source], frameworks: dict[str, Framework]
) -> LevelMapping:
    where = f"mapping {raw['from']} -> {raw['to']}"
    confidence, sources = _provenance(raw, where, known)
    from_fw, from_code = _split(raw["from"])
    to_fw, to_code = _split(raw["to"])
    for fw_id, code in ((from_fw, from_code), (to_fw, to_code)):
        if not fw_id:
            continue
        framework = frameworks.get(fw_id)
        if framework is None:
            raise DataError(f"{where}: unknown framework {fw_id}")
        if code not in (None, "*") and framework.level(code) is None:
            raise DataError(f"{where}: {fw_id} has no level {code}")
    return LevelMapping(
        from_framework=from_fw,
        from_code=from_code or "*",
        to_framework=to_fw,
        to_code=to_code,
        relation=Relation(raw["relation"]),
        authority=raw.get("authority", ""),
        document=raw.get("document", ""),
        year=raw.get("year"),
        note=raw.get("note", ""),
        confidence=confidence,
        sources=sources,
    )


def _credit_system(raw: dict[str, Any], known: dict[str, Source]) -> CreditSystem:
    confidence, sources = _provenance(raw, f"credit system {raw['id']}", known)
    if not 0 < raw["hours_min"] <= raw["hours_max"]:
        raise DataError(f"credit system {raw['id']}: bad hours range")
    return CreditSystem(
        id=raw["id"],
        short_en=raw["short_en"],
        short_ja=raw["short_ja"],
        name_en=raw["name_en"],
        name_ja=raw["name_ja"],
        hours_min=float(raw["hours_min"]),
        hours_max=float(raw["hours_max"]),
        full_time_year_credits=raw.get("full_time_year_credits"),
        hours_basis=raw["hours_basis"],
        concept_uris=tuple(raw.get("concept_uris", ())),
        aliases=tuple(a.casefold() for a in raw.get("aliases", ())),
        note=raw.get("note", ""),
        confidence=confidence,
        sources=sources,
    )


@cache
def catalogue() -> Catalogue:
    """All framework data, validated; read from disk once per process."""
    sources = {s["id"]: Source(**s) for s in _read("sources.json")["sources"]}
    frameworks = {
        raw["id"]: _framework(raw, sources) for raw in _read("frameworks.json")["frameworks"]
    }
    mappings = tuple(
        _mapping(raw, sources, frameworks) for raw in _read("mappings.json")["mappings"]
    )
    credit_systems = {
        raw["id"]: _credit_system(raw, sources)
        for raw in _read("credit_systems.json")["credit_systems"]
    }
    return Catalogue(
        sources=sources, frameworks=frameworks, mappings=mappings, credit_systems=credit_systems
    )


def framework(framework_id: str) -> Framework | None:
    return catalogue().frameworks.get(framework_id)


def level(framework_id: str, code: str) -> Level | None:
    fw = framework(framework_id)
    return fw.level(code) if fw else None


def credit_system(system_id: str) -> CreditSystem | None:
    return catalogue().credit_systems.get(system_id)


def mappings_from(framework_id: str, code: str) -> tuple[LevelMapping, ...]:
    """Every mapping that starts at this level, or at the whole framework ("*")."""
    return tuple(
        m
        for m in catalogue().mappings
        if m.from_framework == framework_id and m.from_code in (code, "*")
    )


def official_eqf_mapping(framework_id: str, code: str) -> LevelMapping | None:
    """The authority-made link from a national level to the EQF, if one exists."""
    return next(
        (
            m
            for m in mappings_from(framework_id, code)
            if m.to_framework == "eqf" and m.relation in OFFICIAL_RELATIONS
        ),
        None,
    )


def jeqf_analogy(framework_id: str, code: str) -> LevelMapping | None:
    """Our by-typical-qualification reading of where this level sits in JEQF (never official)."""
    return next(
        (
            m
            for m in mappings_from(framework_id, code)
            if m.to_framework == "jeqf" and m.relation == Relation.TYPICAL_QUALIFICATION_ANALOGY
        ),
        None,
    )
