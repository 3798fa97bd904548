"""What ``explain`` returns: finished sentences in the active language, each with its source."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from credentials.frameworks.hours import HoursFinding
from credentials.frameworks.levels import LevelFinding


class ElementStatus(models.TextChoices):
    """How a credential states one EU 2022 element (frameworks.md §1.6, §8.4)."""

    PRESENT_STRUCTURED = "present_structured", _("Stated")
    PRESENT_TEXT_ONLY = "present_text_only", _("Stated in free text only")
    ABSENT = "absent", _("Not stated")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


@dataclass(frozen=True, slots=True)
class Detail:
    """One fact about the credential, as a sentence for HR staff."""

    key: str  # stable slug: "level", "hours", "outcomes", …
    label: str
    text: str
    items: tuple[str, ...] = ()  # e.g. the learning outcomes, as written in the credential
    source: str = ""  # JSON path(s) in the credential, "" when nothing was found
    inferred: bool = False  # read from free text (or guessed), not from a structured field
    stated: bool = True  # False when the text says the credential does not state it


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    element: str  # "1"…"11" mandatory, "O1"…"O5" optional
    label: str
    mandatory: bool
    status: ElementStatus
    status_label: str
    source: str = ""
    inferred: bool = False


@dataclass(frozen=True, slots=True)
class Completeness:
    items: tuple[ChecklistItem, ...]
    present: int  # mandatory elements stated (structured or only in text)
    text_only: int  # of those, how many only in free text
    applicable: int  # mandatory elements that apply (11 minus not applicable)
    score: str  # "8 of 11"
    summary: str  # one sentence

    @property
    def mandatory(self) -> tuple[ChecklistItem, ...]:
        return tuple(i for i in self.items if i.mandatory)

    @property
    def optional(self) -> tuple[ChecklistItem, ...]:
        return tuple(i for i in self.items if not i.mandatory)


@dataclass(frozen=True, slots=True)
class Explanation:
    language: str  # the Django language the sentences were produced in
    headline: str
    details: tuple[Detail, ...]
    completeness: Completeness
    level: LevelFinding
    hours: HoursFinding

    def detail(self, key: str) -> Detail | None:
        return next((d for d in self.details if d.key == key), None)


@dataclass(frozen=True, slots=True)
class ExplanationText:
    """An explanation's sentences in one language, without the findings behind them: what
    ``credentials.explanation.stored`` keeps with the credential for pages to show."""

    language: str
    headline: str
    details: tuple[Detail, ...]
    completeness: Completeness
