"""The explanation kept with the credential: written when a verification run stores a new
record, in every language the portal speaks, so that a page listing fifty credentials reads
their sentences instead of running ``explain`` fifty times (20 ms on these machines).

What is stored is the text pages show (headline, details, checklist), not the level and
hours findings behind it. It carries a version: a hash of everything that shapes the text
(this package, the framework data, the message catalogues, the time zone, Django's version).
After a deploy that changes any of them, the stored text no longer matches and readers fall
back to ``explain`` until the credential's next verification run writes it again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.utils import translation

from credentials.explanation.explain import explain
from credentials.explanation.result import (
    ChecklistItem,
    Completeness,
    Detail,
    ElementStatus,
    Explanation,
    ExplanationText,
)
from credentials.formats.record import CredentialRecord

_CREDENTIALS = Path(__file__).resolve().parent.parent
# A dict lookup: calling the enum class took a quarter of the time to read an explanation.
_STATUSES = {str(status): status for status in ElementStatus}


@cache
def explanation_version() -> str:
    """Changes whenever the stored sentences for the same record could change."""
    digest = hashlib.sha256()
    inputs = [
        *sorted((_CREDENTIALS / "explanation").glob("*.py")),
        *sorted(p for p in (_CREDENTIALS / "frameworks").rglob("*") if p.is_file()),
        *sorted(
            Path(p) / f"{code}/LC_MESSAGES/django.mo"
            for p in settings.LOCALE_PATHS
            for code, _name in settings.LANGUAGES
        ),
    ]
    for path in inputs:
        if path.suffix == ".pyc" or not path.is_file():
            continue
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    # Codes only: the names are lazy, their text depends on the language active at the time.
    languages = ",".join(code for code, _name in settings.LANGUAGES)
    digest.update(f"{django.get_version()} {settings.TIME_ZONE} {languages}".encode())
    return digest.hexdigest()[:16]


def stored_explanations(record: CredentialRecord) -> dict[str, Any]:
    """The value for ``Credential.explanations``: ``record`` explained in every language."""
    languages = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            languages[code] = _as_json(explain(record))
    return {"version": explanation_version(), "languages": languages}


def stored_explanation(stored: Mapping[str, Any], language: str) -> ExplanationText | None:
    """The stored text in ``language``; None when there is none, or it is out of date."""
    return explanation_text(stored.get("version"), stored.get("languages", {}).get(language))


def explanation_text(version: str | None, data: Mapping[str, Any] | None) -> ExplanationText | None:
    """One language's part of a stored value (``stored["languages"][code]``) written under
    ``version`` (``stored["version"]``), for readers that fetch only those two keys; None
    when there is none, or it is out of date."""
    if data is None or version != explanation_version():
        return None
    completeness = data["completeness"]
    return ExplanationText(
        language=data["language"],
        headline=data["headline"],
        # Positional arguments: about twice as fast as merging the dicts into keywords.
        details=tuple(
            Detail(
                d["key"],
                d["label"],
                d["text"],
                tuple(d["items"]),
                d["source"],
                d["inferred"],
                d["stated"],
            )
            for d in data["details"]
        ),
        completeness=Completeness(
            items=tuple(
                ChecklistItem(
                    i["element"],
                    i["label"],
                    i["mandatory"],
                    _STATUSES[i["status"]],
                    i["status_label"],
                    i["source"],
                    i["inferred"],
                )
                for i in completeness["items"]
            ),
            present=completeness["present"],
            text_only=completeness["text_only"],
            applicable=completeness["applicable"],
            score=completeness["score"],
            summary=completeness["summary"],
        ),
    )


def _as_json(explanation: Explanation) -> dict[str, Any]:
    completeness = explanation.completeness
    return {
        "language": explanation.language,
        "headline": explanation.headline,
        "details": [
            {
                "key": d.key,
                "label": d.label,
                "text": d.text,
                "items": list(d.items),
                "source": d.source,
                "inferred": d.inferred,
                "stated": d.stated,
            }
            for d in explanation.details
        ],
        "completeness": {
            "items": [
                {
                    "element": i.element,
                    "label": i.label,
                    "mandatory": i.mandatory,
                    "status": str(i.status),
                    "status_label": i.status_label,
                    "source": i.source,
                    "inferred": i.inferred,
                }
                for i in completeness.items
            ],
            "present": completeness.present,
            "text_only": completeness.text_only,
            "applicable": completeness.applicable,
            "score": completeness.score,
            "summary": completeness.summary,
        },
    }
