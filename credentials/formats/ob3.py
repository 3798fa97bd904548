"""Open Badges 3.0 / W3C Verifiable Credential JSON → ``CredentialRecord``.

Reads VC Data Model 1.1 and 2.0 alike (OB 3.0 appears on both, reference §3.1). Every
field that lands in the record also lands in ``paths`` with the JSON path it came from,
so an explanation can point at its source. Parsing never raises on odd shapes: a field
that is not where or what OB 3.0 says is left empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from credentials.formats.dates import parse_datetime
from credentials.formats.record import Alignment, CredentialRecord, Credits, Evidence, Identity
from credentials.vocabulary import Container, CredentialFormat

VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB3_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential", "EndorsementCredential"})
# Alignment target types that name what the learner can do (OB 3.0 AlignmentTargetType
# plus the "ext:" forms issuers use).
_OUTCOME_TARGET_TYPES = ("LearningOutcome", "Competency", "Skill", "CFItem")


def contexts(document: Mapping[str, Any]) -> list[str]:
    value = document.get("@context")
    items = value if isinstance(value, list) else [value]
    return [c for c in items if isinstance(c, str)]


def types_of(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(t for t in items if isinstance(t, str))


def vc_version(document: Mapping[str, Any]) -> str:
    """ "vc1.1", "vc2.0" or "" from the first context (reference §3.1)."""
    first = contexts(document)[:1]
    if first == [VC_V1_CONTEXT]:
        return "vc1.1"
    if first == [VC_V2_CONTEXT]:
        return "vc2.0"
    return ""


def is_vc(document: Any) -> bool:
    return isinstance(document, Mapping) and bool(vc_version(document))


def issuer_id(document: Mapping[str, Any]) -> str:
    issuer = document.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else ""


def _text(value: Any) -> str:
    """A plain string from a string or a language map / value object."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        if isinstance(value.get("@value"), str):
            return str(value["@value"])
        for item in value.values():
            if isinstance(item, str):
                return item
    if isinstance(value, list) and value:
        return _text(value[0])
    return ""


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else ([] if value is None else [value])


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _image_url(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("id"), str):
        return str(value["id"])
    return ""


class _Builder:
    """Collects record fields together with their JSON paths."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.paths: dict[str, str] = {}

    def set(self, name: str, value: Any, path: str) -> None:
        if value in ("", None, ()) or name in self.values:
            return
        self.values[name] = value
        self.paths[name] = path


def parse_ob3(
    document: Mapping[str, Any],
    *,
    container: Container,
    credential_format: CredentialFormat | None = None,
) -> CredentialRecord:
    """The normalized record of an OB 3.0 / VC credential document."""
    record = _Builder()
    version = vc_version(document)
    types = types_of(document.get("type"))
    if credential_format is None:
        credential_format = (
            CredentialFormat.OB3 if OB3_TYPES.intersection(types) else CredentialFormat.VC
        )
    subject_value = document.get("credentialSubject")
    subject_path = "credentialSubject"
    if isinstance(subject_value, list) and subject_value:
        subject_value, subject_path = subject_value[0], "credentialSubject[0]"
    subject = _mapping(subject_value)
    achievement = _mapping(subject.get("achievement"))
    achievement_path = f"{subject_path}.achievement"
    issuer = _mapping(document.get("issuer"))

    record.set("id", _text(document.get("id")), "id")
    record.set("title", _text(document.get("name")), "name")
    record.set("title", _text(achievement.get("name")), f"{achievement_path}.name")
    record.set("description", _text(document.get("description")), "description")
    record.set(
        "description", _text(achievement.get("description")), f"{achievement_path}.description"
    )
    record.set("achievement_id", _text(achievement.get("id")), f"{achievement_path}.id")
    record.set(
        "achievement_type",
        _text(achievement.get("achievementType")),
        f"{achievement_path}.achievementType",
    )

    record.set("issuer_id", issuer_id(document), "issuer.id" if issuer else "issuer")
    record.set("issuer_name", _text(issuer.get("name")), "issuer.name")
    record.set("issuer_url", _text(issuer.get("url")), "issuer.url")
    record.set("issuer_email", _text(issuer.get("email")), "issuer.email")
    address = _mapping(issuer.get("address"))
    for key in ("addressCountryCode", "addressCountry"):
        record.set("issuer_country", _text(address.get(key)), f"issuer.address.{key}")

    recipients: list[Identity] = []
    for index, identifier in enumerate(_items(subject.get("identifier"))):
        if not isinstance(identifier, Mapping):
            continue
        identity = Identity(
            type=_text(identifier.get("identityType")),
            identity=_text(identifier.get("identityHash")),
            hashed=identifier.get("hashed") is True,
            salt=_text(identifier.get("salt")),
        )
        recipients.append(identity)
        if identity.type == "name" and not identity.hashed:
            record.set(
                "subject_name",
                identity.identity,
                f"{subject_path}.identifier[{index}].identityHash",
            )
    record.set("recipients", tuple(recipients), f"{subject_path}.identifier")
    record.set("subject_id", _text(subject.get("id")), f"{subject_path}.id")
    record.set("subject_name", _text(subject.get("name")), f"{subject_path}.name")

    starts, ends = (
        ("issuanceDate", "expirationDate") if version == "vc1.1" else ("validFrom", "validUntil")
    )
    record.set("valid_from", parse_datetime(document.get(starts)), starts)
    record.set("valid_until", parse_datetime(document.get(ends)), ends)
    record.set("issued_at", parse_datetime(document.get("awardedDate")), "awardedDate")
    record.set("issued_at", parse_datetime(document.get(starts)), starts)

    criteria = achievement.get("criteria")
    if isinstance(criteria, Mapping):
        record.set(
            "criteria_narrative",
            _text(criteria.get("narrative")),
            f"{achievement_path}.criteria.narrative",
        )
        record.set("criteria_url", _text(criteria.get("id")), f"{achievement_path}.criteria.id")

    alignments: list[Alignment] = []
    outcomes: list[str] = []
    for index, item in enumerate(_items(achievement.get("alignment"))):
        if not isinstance(item, Mapping):
            continue
        path = f"{achievement_path}.alignment[{index}]"
        alignment = Alignment(
            target_name=_text(item.get("targetName")),
            target_url=_text(item.get("targetUrl")),
            target_code=_text(item.get("targetCode")),
            target_framework=_text(item.get("targetFramework")),
            target_type=_text(item.get("targetType")),
            target_description=_text(item.get("targetDescription")),
            path=path,
        )
        alignments.append(alignment)
        if alignment.target_name and alignment.target_type.endswith(_OUTCOME_TARGET_TYPES):
            outcomes.append(alignment.target_name)
    record.set("alignments", tuple(alignments), f"{achievement_path}.alignment")
    record.set("outcomes", tuple(outcomes), f"{achievement_path}.alignment")

    credits: list[Credits] = []
    for owner, path in ((achievement, achievement_path), (subject, subject_path)):
        for key in ("creditsAvailable", "creditsEarned"):
            amount = _number(owner.get(key))
            if amount is not None:
                # OB 3.0 gives no unit for credits; the explanation layer says so.
                credits.append(Credits(amount=amount, system="", path=f"{path}.{key}"))
    record.set("credits", tuple(credits), credits[0].path if credits else "")

    assessment: list[str] = []
    for index, item in enumerate(_items(achievement.get("resultDescription"))):
        if isinstance(item, Mapping) and _text(item.get("name")):
            kind = _text(item.get("resultType"))
            assessment.append(f"{_text(item['name'])} ({kind})" if kind else _text(item["name"]))
            if index == 0:
                record.paths.setdefault("assessment", f"{achievement_path}.resultDescription")
    for item in _items(subject.get("result")):
        if isinstance(item, Mapping) and _text(item.get("value")):
            assessment.append(_text(item.get("value")))
            record.paths.setdefault("assessment", f"{subject_path}.result")
    if assessment:
        record.values["assessment"] = "; ".join(assessment)

    for name, key in (
        ("field_of_study", "fieldOfStudy"),
        ("specialization", "specialization"),
        ("human_code", "humanCode"),
        ("language", "inLanguage"),
    ):
        record.set(name, _text(achievement.get(key)), f"{achievement_path}.{key}")
    record.set("language", _text(document.get("inLanguage")), "inLanguage")
    tags = tuple(t for t in _items(achievement.get("tag")) if isinstance(t, str))
    record.set("tags", tags, f"{achievement_path}.tag")

    evidence: list[Evidence] = []
    for item in _items(document.get("evidence")):
        if isinstance(item, Mapping):
            evidence.append(
                Evidence(
                    name=_text(item.get("name")),
                    description=_text(item.get("description")),
                    narrative=_text(item.get("narrative")),
                    url=_text(item.get("id")),
                )
            )
    record.set("evidence", tuple(evidence), "evidence")

    record.set("image_url", _image_url(achievement.get("image")), f"{achievement_path}.image")
    record.set("image_url", _image_url(document.get("image")), "image")

    return CredentialRecord(
        format=credential_format,
        container=container,
        spec_version=version,
        types=types,
        paths=record.paths,
        document=dict(document),
        **record.values,
    )
