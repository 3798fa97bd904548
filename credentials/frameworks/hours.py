"""How much learning a credential stands for: stated hours, durations and credits.

Rules (frameworks.md §7.2): stated hours win over credits; credits turn into hours only
through a credit system that is stated (or inferred, and then labelled so), always as a
range; credits without a system stay unconverted. ISO 8601 durations are read literally:
``PT60H`` is 60 hours, ``P2W`` is two calendar weeks (a length of time, not hours of
learning) and ``P60M`` is 60 *months* — flagged as implausible, never "fixed".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from credentials.formats.record import CredentialRecord
from credentials.frameworks.catalogue import CreditSystem, catalogue, credit_system
from credentials.frameworks.levels import Origin, extension_items

# More than this many hours is not a plausible volume of learning for any credential we
# show (a four-year bachelor's is about 7,200 h at 1,800 h a year; a doctorate rarely
# states hours). Above it, the number is reported but flagged.
MAX_PLAUSIBLE_HOURS = 10_000

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_DURATION = re.compile(
    rf"^P(?!$)(?:{_NUMBER}Y)?(?:{_NUMBER}M)?(?:{_NUMBER}W)?(?:{_NUMBER}D)?"
    rf"(?:T(?=\d)(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?$",
    re.I,
)
_TEXT_HOURS = re.compile(
    rf"(?<![\d.,]){_NUMBER}\s*(?:hours?|hrs?\.?|clock hours|時間)"
    r"(?!\s*(?:per\b|a\s+(?:week|day|month)\b|/|毎))",  # not a rate ("3 hours a week")
    re.I,
)
# (pattern, credit system id). Order matters: the more specific names first.
_TEXT_CREDITS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"(?<![\d.,]){_NUMBER}\s*{pattern}", re.I), system)
    for pattern, system in (
        (r"(?:ECTS|European Credit Transfer)", "ects"),
        (r"単位", "jp-tani"),
        (r"(?:semester\s+(?:credit\s+)?hours?|semester\s+credits?)", "us-semester-hour"),
        (r"(?:quarter\s+(?:credit\s+)?hours?|quarter\s+credits?)", "us-quarter-hour"),
        (r"(?:CATS|UK)\s+(?:credits?|points?)", "uk-cats"),
        (r"(?:NZQA|NZQF|NZQCF)\s+credits?", "nz-credit"),
        (r"(?:SCQF)\s+(?:credit\s+)?points?", "uk-cats"),
        (r"NCrF\s+credits?", "in-ncrf-credit"),
        (r"(?:MQF|MQA)\s+credits?", "my-mqf-credit"),
    )
)
# Guesses by issuer country for credits whose system is not stated (§7.2 rule 6). Shown
# only as a labelled guess, never as the credential's own statement.
_COUNTRY_GUESS = {"US": "us-semester-hour", "USA": "us-semester-hour", "JP": "jp-tani"}
_COUNTRY_ALIASES = {"UNITED STATES": "US", "UNITED STATES OF AMERICA": "US", "JAPAN": "JP"}


@dataclass(frozen=True, slots=True)
class HoursRange:
    low: float
    high: float

    @property
    def is_exact(self) -> bool:
        return self.low == self.high


@dataclass(frozen=True, slots=True)
class CreditStatement:
    amount: float
    system_id: str  # "" when the credit system is unknown
    stated_system: str  # the system as the credential names it ("" when not named)
    origin: Origin
    path: str
    system_inferred: bool = False  # system read from free text, not from a field
    guessed_from_country: str = ""  # a country-based guess; system_id stays ""

    @property
    def inferred(self) -> bool:
        return self.origin == Origin.FREE_TEXT or self.system_inferred

    @property
    def system(self) -> CreditSystem | None:
        return credit_system(self.system_id) if self.system_id else None

    @property
    def hours(self) -> HoursRange | None:
        system = self.system
        if system is None:
            return None
        return HoursRange(self.amount * system.hours_min, self.amount * system.hours_max)

    @property
    def guessed_hours(self) -> HoursRange | None:
        system = credit_system(self.guessed_from_country) if self.guessed_from_country else None
        if system is None:
            return None
        return HoursRange(self.amount * system.hours_min, self.amount * system.hours_max)


@dataclass(frozen=True, slots=True)
class Duration:
    """An ISO 8601 duration as stated; ``hours`` only when it is a pure time amount."""

    raw: str
    path: str
    years: float = 0
    months: float = 0
    weeks: float = 0
    days: float = 0
    hours: float | None = None
    parse_error: bool = False

    @property
    def is_calendar_time(self) -> bool:
        return bool(self.years or self.months or self.weeks or self.days)

    @property
    def implausible(self) -> bool:
        """Months or years cannot be a number of hours of learning (the EU sample's P60M)."""
        return bool(self.years or self.months) or (
            self.hours is not None and self.hours > MAX_PLAUSIBLE_HOURS
        )


@dataclass(frozen=True, slots=True)
class HoursFinding:
    stated_hours: float | None = None  # hours the credential states, if any
    stated_origin: Origin | None = None
    stated_path: str = ""
    duration: Duration | None = None  # the ISO 8601 volume of learning, as parsed
    credits: tuple[CreditStatement, ...] = ()

    @property
    def stated_inferred(self) -> bool:
        return self.stated_origin == Origin.FREE_TEXT

    @property
    def convertible_credits(self) -> tuple[CreditStatement, ...]:
        return tuple(c for c in self.credits if c.hours is not None)

    @property
    def best_credit(self) -> CreditStatement | None:
        """The credits the headline uses, or None when stated hours are the better fact.

        Stated hours win (§7.2 rule 3), except hours read from free text against credits
        whose system a field states: a field outranks prose.
        """
        convertible = self.convertible_credits
        if not convertible:
            return None
        if self.stated_hours is None:
            return convertible[0]
        if self.stated_inferred:
            return next((c for c in convertible if not c.inferred), None)
        return None

    @property
    def best(self) -> HoursRange | None:
        credit = self.best_credit
        if credit is not None:
            return credit.hours
        if self.stated_hours is not None:
            return HoursRange(self.stated_hours, self.stated_hours)
        return None

    @property
    def best_inferred(self) -> bool:
        credit = self.best_credit
        if credit is not None:
            return credit.inferred
        return self.stated_inferred

    @property
    def best_path(self) -> str:
        credit = self.best_credit
        if credit is not None:
            return credit.path
        return self.stated_path

    @property
    def disagreement(self) -> CreditStatement | None:
        """Credits whose hour range does not contain the stated hours (§7.2 rule 4)."""
        if self.stated_hours is None:
            return None
        for credit in self.convertible_credits:
            hours = credit.hours
            if hours and not hours.low <= self.stated_hours <= hours.high:
                return credit
        return None

    @property
    def is_stated(self) -> bool:
        """Whether the credential states its workload at all (hours, duration or credits)."""
        return self.stated_hours is not None or self.duration is not None or bool(self.credits)


def parse_duration(raw: str, path: str = "") -> Duration:
    match = _DURATION.match(raw.strip())
    if not match:
        return Duration(raw=raw, path=path, parse_error=True)
    y, mo, w, d, h, mi, s = (float(g.replace(",", ".")) if g else 0.0 for g in match.groups())
    calendar = bool(y or mo or w or d)
    hours = None if calendar else h + mi / 60 + s / 3600
    return Duration(raw=raw, path=path, years=y, months=mo, weeks=w, days=d, hours=hours)


def resolve_credit_system(stated: str) -> str:
    """Our id for a credit system as a credential names it, or "" when we do not know it."""
    value = stated.strip()
    if not value:
        return ""
    folded = value.casefold()
    for system in catalogue().credit_systems.values():
        if value in system.concept_uris or folded == system.id or folded in system.aliases:
            return system.id
    return ""


def estimate_hours(record: CredentialRecord) -> HoursFinding:
    duration = None
    stated_hours: float | None = None
    stated_origin: Origin | None = None
    stated_path = ""
    if record.volume_of_learning:
        duration = parse_duration(
            record.volume_of_learning, record.paths.get("volume_of_learning", "volumeOfLearning")
        )
        if duration.hours is not None and not duration.implausible:
            stated_hours, stated_origin, stated_path = (
                duration.hours,
                Origin.STRUCTURED_FIELD,
                duration.path,
            )
    extension_hours = _extension_hours(record)
    if stated_hours is None and extension_hours is not None:
        stated_hours, stated_path = extension_hours
        stated_origin = Origin.EXTENSION
    text_credits = list(_credits_in_text(record))
    if stated_hours is None and duration is None:
        text_hours = next(_hours_in_text(record), None)
        if text_hours is not None:
            stated_hours, stated_path = text_hours
            stated_origin = Origin.FREE_TEXT
    credits = _structured_credits(record, text_credits)
    return HoursFinding(
        stated_hours=stated_hours,
        stated_origin=stated_origin,
        stated_path=stated_path,
        duration=duration,
        credits=credits,
    )


def _structured_credits(
    record: CredentialRecord, text_credits: list[CreditStatement]
) -> tuple[CreditStatement, ...]:
    country = _country_code(record.issuer_country)
    out: list[CreditStatement] = []
    seen: set[tuple[float, str]] = set()
    for index, credit in enumerate(record.credits):
        # OB 3.0 creditsAvailable and creditsEarned often repeat one number; say it once.
        if (credit.amount, credit.system) in seen:
            continue
        seen.add((credit.amount, credit.system))
        path = credit.path or f"{record.paths.get('credits', 'credits')}[{index}]"
        system_id = resolve_credit_system(credit.system)
        statement = CreditStatement(
            amount=credit.amount,
            system_id=system_id,
            stated_system=credit.system,
            origin=Origin.STRUCTURED_FIELD,
            path=path,
        )
        if not system_id and not credit.system:
            # The same number with a unit in the credential's own text ("2単位") names the
            # system; that is still an inference and is labelled so.
            twin = next((t for t in text_credits if t.amount == credit.amount), None)
            if twin is not None:
                text_credits.remove(twin)
                statement = CreditStatement(
                    amount=credit.amount,
                    system_id=twin.system_id,
                    stated_system="",
                    origin=Origin.STRUCTURED_FIELD,
                    path=path,
                    system_inferred=True,
                )
            elif country in _COUNTRY_GUESS:
                statement = CreditStatement(
                    amount=credit.amount,
                    system_id="",
                    stated_system="",
                    origin=Origin.STRUCTURED_FIELD,
                    path=path,
                    guessed_from_country=_COUNTRY_GUESS[country],
                )
        out.append(statement)
    out.extend(_extension_credits(record))
    known = {(c.amount, c.system_id) for c in out}
    out.extend(t for t in text_credits if (t.amount, t.system_id) not in known)
    return tuple(out)


def _number(value: object) -> float | None:
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        return None


def _extension_hours(record: CredentialRecord) -> tuple[float, str] | None:
    # Edubadges (OB2) StudyLoadExtension: {"StudyLoad": 28} — hours of study (S12).
    for name, path, value in extension_items(record):
        if name == "studyloadextension" and isinstance(value, dict):
            for key in ("StudyLoad", "studyLoad", "studyload"):
                number = _number(value.get(key)) if key in value else None
                if number is not None:
                    return number, f"{path}.{key}"
    return None


def _extension_credits(record: CredentialRecord) -> Iterator[CreditStatement]:
    # Edubadges (OB2) ECTSExtension: {"ECTS": 2.5} (S12).
    for name, path, value in extension_items(record):
        if name == "ectsextension" and isinstance(value, dict):
            number = _number(value.get("ECTS", value.get("ects", "")))
            if number is not None:
                yield CreditStatement(number, "ects", "ECTS", Origin.EXTENSION, f"{path}.ECTS")


def _free_texts(record: CredentialRecord) -> Iterator[tuple[str, str]]:
    for field_name in ("title", "description", "criteria_narrative"):
        text = getattr(record, field_name)
        if text:
            yield record.paths.get(field_name, field_name), text


def _hours_in_text(record: CredentialRecord) -> Iterator[tuple[float, str]]:
    for path, text in _free_texts(record):
        for match in _TEXT_HOURS.finditer(text):
            number = _number(match.group(1))
            if number is not None and 0 < number <= MAX_PLAUSIBLE_HOURS:
                yield number, path


def _credits_in_text(record: CredentialRecord) -> Iterator[CreditStatement]:
    seen: set[tuple[float, str]] = set()
    for path, text in _free_texts(record):
        for pattern, system_id in _TEXT_CREDITS:
            for match in pattern.finditer(text):
                number = _number(match.group(1))
                if number is None or (number, system_id) in seen:
                    continue
                seen.add((number, system_id))
                yield CreditStatement(
                    amount=number,
                    system_id=system_id,
                    stated_system=match.group(0),
                    origin=Origin.FREE_TEXT,
                    path=path,
                )


def _country_code(country: str) -> str:
    value = country.strip().upper()
    if value.startswith("HTTP"):  # EU authority URI …/country/USA
        value = value.rsplit("/", 1)[-1]
    return _COUNTRY_ALIASES.get(value, value)
