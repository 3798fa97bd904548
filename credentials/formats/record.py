"""The one normalized record every format parser produces.

Parsers (OB 2.0, OB 3.0 / VC, VC-JWT, EDC) fill it from the credential document; the
explanation layer reads only this record. ``paths`` says where each field came from in
``document`` (dotted JSON path, e.g. ``credentialSubject.achievement.alignment[0]``), so
an explanation can show its source. Adding a field: give it a default, never rename one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any

from credentials.vocabulary import Container, CredentialFormat


@dataclass(frozen=True, slots=True)
class Identity:
    """A recipient identity as the credential states it (OB2 IdentityObject / OB3 identifier)."""

    type: str  # "email", "url", "telephone", "id", "did", …
    identity: str  # plaintext, or "sha256$<hex>" / "md5$<hex>" when hashed
    hashed: bool = False
    salt: str = ""


@dataclass(frozen=True, slots=True)
class Alignment:
    """An alignment to a node in an external framework (OB2/OB3 ``alignment[]``)."""

    target_name: str
    target_url: str = ""
    target_code: str = ""
    target_framework: str = ""
    target_type: str = ""
    target_description: str = ""
    path: str = ""


@dataclass(frozen=True, slots=True)
class Evidence:
    name: str = ""
    description: str = ""
    narrative: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class Credits:
    """Credits as stated. ``system`` is "" when the credential does not name one."""

    amount: float
    system: str = ""  # free text or concept URI as stated ("ECTS", "http://data.europa.eu/snb/education-credit/6fcec5c5af")
    path: str = ""


@dataclass(frozen=True, slots=True)
class CredentialRecord:
    format: CredentialFormat = CredentialFormat.UNKNOWN
    container: Container = Container.UNKNOWN
    spec_version: str = ""  # "2.0", "vc1.1", "vc2.0", …
    id: str = ""
    types: tuple[str, ...] = ()
    title: str = ""
    description: str = ""
    achievement_id: str = ""
    achievement_type: str = ""  # OB3 achievementType ("Certificate", "MicroCredential", …)
    issuer_id: str = ""
    issuer_name: str = ""
    issuer_url: str = ""
    issuer_email: str = ""
    issuer_country: str = ""
    recipients: tuple[Identity, ...] = ()
    subject_id: str = ""
    subject_name: str = ""
    issued_at: datetime | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    criteria_narrative: str = ""
    criteria_url: str = ""
    outcomes: tuple[str, ...] = ()  # learning outcomes, as stated
    credits: tuple[Credits, ...] = ()  # creditsAvailable / creditsEarned / ELM creditPoint
    volume_of_learning: str = ""  # ISO 8601 duration as stated ("PT60H")
    alignments: tuple[Alignment, ...] = ()
    assessment: str = ""  # how it was assessed, as stated
    participation: str = ""  # online / onsite / blended, as stated
    quality_assurance: str = ""
    prerequisites: str = ""
    field_of_study: str = ""
    specialization: str = ""
    human_code: str = ""
    language: str = ""
    tags: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    image_url: str = ""
    # EU 2022 optional elements (Council Recommendation 2022/C 243/02 Annex I), as stated.
    grade: str = ""  # grade or result achieved
    supervision: str = ""  # supervision and identity verification during assessment
    stackability: str = ""  # stand-alone, or part of / stackable towards a larger credential
    extensions: dict[str, Any] = field(default_factory=dict)  # known issuer extensions, raw
    paths: dict[str, str] = field(default_factory=dict)  # record field → JSON path in document
    document: dict[str, Any] = field(default_factory=dict)  # the credential JSON as checked

    def as_json(self, *, include_document: bool = False) -> dict[str, Any]:
        """A JSON-serialisable dict (datetimes as ISO 8601 strings)."""
        data = asdict(self)
        if not include_document:
            data.pop("document")
        for key in ("issued_at", "valid_from", "valid_until"):
            value = data[key]
            data[key] = value.isoformat() if value else None
        data["format"] = str(self.format)
        data["container"] = str(self.container)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CredentialRecord:
        """The inverse of ``as_json`` (unknown keys are ignored, so old rows stay readable)."""
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
        for key in ("issued_at", "valid_from", "valid_until"):
            if values.get(key):
                values[key] = datetime.fromisoformat(values[key])
        values["format"] = CredentialFormat(values.get("format") or CredentialFormat.UNKNOWN)
        values["container"] = Container(values.get("container") or Container.UNKNOWN)
        values["recipients"] = tuple(Identity(**i) for i in values.get("recipients") or ())
        values["alignments"] = tuple(Alignment(**a) for a in values.get("alignments") or ())
        values["evidence"] = tuple(Evidence(**e) for e in values.get("evidence") or ())
        values["credits"] = tuple(Credits(**c) for c in values.get("credits") or ())
        for key in ("types", "outcomes", "tags"):
            values[key] = tuple(values.get(key) or ())
        return cls(**values)
