"""Find the qualifications-framework level a credential states, in a fixed order of trust.

Priority (frameworks.md §9.3), highest first:

1. explicit framework fields: ELM ``eqfLevel`` / ``nqfLevel`` (the EDC parser turns them
   into alignments with ``target_type`` ``elm:eqfLevel`` / ``elm:nqfLevel``), or an
   ``eqfLevel`` key in ``extensions``;
2. alignments: an EQF concept URI in ``targetUrl``/``targetCode``, ``targetType``
   ``ext:EQFLevel``, or a ``targetFramework`` naming a known framework plus a level value;
3. known issuer extensions (Edubadges OB2 ``EQFExtension``);
4. free text in the title, description, criteria or tags — always labelled inferred.

A level is never derived from ``achievementType`` or from the issuer being a university:
a "Certificate" can be anything. When statements disagree, the highest one wins and the
others are reported as conflicts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from functools import cache
from typing import Any

from credentials.formats.record import Alignment, CredentialRecord
from credentials.frameworks.catalogue import Framework, catalogue, official_eqf_mapping

EQF_URI = re.compile(r"data\.europa\.eu/snb/eqf/([1-8])(?![0-9])")
ELM_EQF_LEVEL = "elm:eqfLevel"
ELM_NQF_LEVEL = "elm:nqfLevel"
EQF_LEVEL_TYPES = frozenset({"ext:eqflevel", "eqflevel", "elm:eqflevel"})


class Origin(StrEnum):
    """Where a fact was found (frameworks.md §1.5)."""

    STRUCTURED_FIELD = "structured_field"
    ALIGNMENT = "alignment"
    EXTENSION = "extension"
    FREE_TEXT = "free_text"


class _Rank(IntEnum):
    STRUCTURED_FIELD = 1
    ALIGNMENT = 2
    EXTENSION = 3
    FREE_TEXT = 4


@dataclass(frozen=True, slots=True)
class LevelStatement:
    """One statement of a level. ``framework_id`` is "" for a framework we do not know."""

    framework_id: str
    code: str
    origin: Origin
    path: str
    quote: str  # the words as the credential has them ("Level 6", "EQF level 5")

    @property
    def inferred(self) -> bool:
        return self.origin == Origin.FREE_TEXT

    @property
    def eqf_code(self) -> str | None:
        """The EQF level this statement means, directly or through an official link."""
        if self.framework_id == "eqf":
            return self.code
        if not self.framework_id:
            return None
        mapping = official_eqf_mapping(self.framework_id, self.code)
        return mapping.to_code if mapping else None


@dataclass(frozen=True, slots=True)
class LevelFinding:
    primary: LevelStatement | None
    others: tuple[LevelStatement, ...] = ()  # lower-priority statements, agreeing or not
    conflicts: tuple[LevelStatement, ...] = ()  # those among ``others`` that disagree


def detect_level(record: CredentialRecord) -> LevelFinding:
    statements = sorted(
        _dedupe(_statements(record)), key=lambda s: _Rank[s.origin.name].value
    )  # sorted() is stable: within one rank, document order is kept
    if not statements:
        return LevelFinding(primary=None)
    primary, *others = statements
    conflicts = tuple(s for s in others if _disagree(primary, s))
    return LevelFinding(primary=primary, others=tuple(others), conflicts=conflicts)


def _disagree(a: LevelStatement, b: LevelStatement) -> bool:
    if a.framework_id and a.framework_id == b.framework_id:
        return a.code != b.code
    eqf_a, eqf_b = a.eqf_code, b.eqf_code
    return eqf_a is not None and eqf_b is not None and eqf_a != eqf_b


def _dedupe(statements: Iterator[LevelStatement]) -> Iterator[LevelStatement]:
    seen: set[tuple[str, str, Origin]] = set()
    for s in statements:
        key = (s.framework_id, s.code, s.origin)
        if key not in seen:
            seen.add(key)
            yield s


def _statements(record: CredentialRecord) -> Iterator[LevelStatement]:
    for index, alignment in enumerate(record.alignments):
        path = alignment.path or f"alignment[{index}]"
        statement = _from_alignment(alignment, path)
        if statement is not None:
            yield statement
    yield from _from_extensions(record)
    for path, text in _free_texts(record):
        for framework_id, code, quote in find_levels_in_text(text):
            yield LevelStatement(framework_id, code, Origin.FREE_TEXT, path, quote)


def _from_alignment(alignment: Alignment, path: str) -> LevelStatement | None:
    target_type = alignment.target_type.casefold()
    quote = alignment.target_name or alignment.target_code or alignment.target_url
    structured = alignment.target_type in (ELM_EQF_LEVEL, ELM_NQF_LEVEL)
    origin = Origin.STRUCTURED_FIELD if structured else Origin.ALIGNMENT
    for value in (alignment.target_url, alignment.target_code):
        match = EQF_URI.search(value)
        if match:
            return LevelStatement("eqf", match.group(1), origin, path, quote)
    if target_type in EQF_LEVEL_TYPES:
        code = _level_code(catalogue().frameworks["eqf"], alignment.target_code) or _level_code(
            catalogue().frameworks["eqf"], alignment.target_name
        )
        if code:
            return LevelStatement("eqf", code, origin, path, quote)
    framework = _framework_named(alignment.target_framework)
    if framework is not None:
        code = _level_code(framework, alignment.target_code) or _level_code(
            framework, alignment.target_name
        )
        if code:
            return LevelStatement(framework.id, code, origin, path, quote)
    for text in (alignment.target_name, alignment.target_code):
        for framework_id, code, _quote in find_levels_in_text(text):
            return LevelStatement(framework_id, code, origin, path, quote)
    if alignment.target_type == ELM_NQF_LEVEL:
        # A national level whose framework we do not know ("MECU Level 7"): show it as
        # stated, but it maps to nothing.
        match = re.search(r"(\d+(?:\.\d)?)\s*$", alignment.target_name)
        if match:
            return LevelStatement("", match.group(1), origin, path, alignment.target_name)
    return None


def extension_items(record: CredentialRecord) -> Iterator[tuple[str, str, Any]]:
    """(lower-case extension name, JSON path, value) for each issuer extension.

    Parsers may copy extensions into ``record.extensions``; when they have not, OB 2.0
    ``extensions:*`` keys are read from the assertion, its badge class and an OB 3.0
    achievement in ``document``.
    """
    if record.extensions:
        base = record.paths.get("extensions", "extensions")
        for key, value in record.extensions.items():
            yield key.rsplit(":", 1)[-1].casefold(), f"{base}.{key}", value
        return
    document = record.document
    subject = document.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    for node, base in (
        (document, ""),
        (document.get("badge"), "badge"),
        (achievement, "credentialSubject.achievement"),
    ):
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            if key.startswith("extensions:"):
                path = f"{base}.{key}" if base else key
                yield key.rsplit(":", 1)[-1].casefold(), path, value


def _from_extensions(record: CredentialRecord) -> Iterator[LevelStatement]:
    eqf = catalogue().frameworks["eqf"]
    for name, path, value in extension_items(record):
        if name == "eqflevel":
            code = _concept_level(value, eqf)
            if code:
                yield LevelStatement("eqf", code, Origin.STRUCTURED_FIELD, path, str(code))
        elif name == "eqfextension" and isinstance(value, dict):
            # Edubadges (OB2): {"type": ["Extension", "extensions:EQFExtension"], "EQF": 6}
            raw = value.get("EQF", value.get("eqf", value.get("eqfLevel")))
            code = _level_code(eqf, str(raw)) if raw is not None else None
            if code:
                yield LevelStatement("eqf", code, Origin.EXTENSION, f"{path}.EQF", f"EQF {raw}")


def _concept_level(value: object, eqf: Framework) -> str | None:
    if isinstance(value, dict):
        value = value.get("id") or value.get("prefLabel") or ""
    text = str(value)
    match = EQF_URI.search(text)
    return match.group(1) if match else _level_code(eqf, text)


def _free_texts(record: CredentialRecord) -> Iterator[tuple[str, str]]:
    for field_name in ("title", "description", "criteria_narrative"):
        text = getattr(record, field_name)
        if text:
            yield record.paths.get(field_name, field_name), text
    base = record.paths.get("tags", "tags")
    for index, tag in enumerate(record.tags):
        yield f"{base}[{index}]", tag


def _framework_named(name: str) -> Framework | None:
    folded = name.casefold().strip()
    if not folded:
        return None
    for framework in catalogue().frameworks.values():
        for alias in framework.aliases:
            if re.search(rf"(?<![a-z]){re.escape(alias.casefold())}(?![a-z])", folded):
                return framework
    return None


def _level_code(framework: Framework, text: str) -> str | None:
    """The level code in a short value such as "6", "Level 6", "EQF 6" or "Entry 3"."""
    match = re.search(rf"(?<!\d)(?<!\d\.)({_code_pattern(framework.id)})(?!\d|\.\d)", text, re.I)
    if not match:
        return None
    return _canonical_code(framework, match.group(1))


def _canonical_code(framework: Framework, found: str) -> str | None:
    for level in framework.levels:
        if level.code.casefold() == re.sub(r"\s+", " ", found).casefold():
            return level.code
    return None


@cache
def _code_pattern(framework_id: str) -> str:
    codes = [lv.code for lv in catalogue().frameworks[framework_id].levels]
    # Longest first, so "10" wins over "1" and "4.5" over "4".
    ordered = sorted(codes, key=len, reverse=True)
    return "|".join(re.escape(c).replace(r"\ ", r"\s*") for c in ordered)


@cache
def _text_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    patterns = []
    level_word = r"(?:level|niveau|stufe|nivel|livello|レベル|lv\.?)"
    for framework in catalogue().frameworks.values():
        aliases = "|".join(re.escape(a) for a in sorted(framework.aliases, key=len, reverse=True))
        codes = _code_pattern(framework.id)
        before = (
            rf"(?<![A-Za-z])(?:{aliases})(?:\s*[（(][A-Za-z-]+[)）])?\s*[-–]?\s*{level_word}?"
            rf"\s*[:：]?\s*(?P<code>{codes})(?!\d|\.\d)"
        )
        after = (
            rf"{level_word}\s*(?P<code>{codes})(?!\d|\.\d)\s*(?:of|on|in|at)?\s*(?:the\s+)?"
            rf"[（(]?(?:{aliases})(?![A-Za-z])"
        )
        for pattern in (before, after):
            patterns.append((framework.id, re.compile(pattern, re.I)))
    return tuple(patterns)


@cache
def _any_alias() -> re.Pattern[str]:
    aliases = {a for framework in catalogue().frameworks.values() for a in framework.aliases}
    return re.compile("|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True)), re.I)


def find_levels_in_text(text: str) -> list[tuple[str, str, str]]:
    """(framework id, level code, quoted words) for each framework level named in ``text``."""
    found: list[tuple[str, str, str]] = []
    # Every pattern needs one of its framework's names: one search over all the names skips
    # the ~30 patterns for most texts (half the cost of level detection).
    if not _any_alias().search(text):
        return found
    for framework_id, pattern in _text_patterns():
        for match in pattern.finditer(text):
            framework = catalogue().frameworks[framework_id]
            code = _canonical_code(framework, match.group("code"))
            if code and (framework_id, code) not in {(f, c) for f, c, _ in found}:
                found.append((framework_id, code, match.group(0).strip()))
    return found
