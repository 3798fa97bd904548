"""European Digital Credentials (ELM 3 JSON-LD) → the normalized record.

Reads the shapes of the EU sample micro-credential (frameworks.md §8.3, §9.2; S13): the
learner's achievement is ``credentialSubject.hasClaim``, what was achieved is its
``specifiedBy`` (a Qualification or LearningAchievementSpecification), how it was assessed
is ``provenBy``, how it was learned is ``influencedBy``. ELM allows one object or a list
almost everywhere, and language maps (``{"en": "…"}``) for text; both are accepted.

The EQF level becomes an ``Alignment`` with ``target_type`` ``elm:eqfLevel`` (and
``nqfLevel`` one with ``elm:nqfLevel``), so level detection treats it as an explicit
framework field. Nothing here verifies the eIDAS seal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from credentials.formats.record import Alignment, CredentialRecord, Credits
from credentials.vocabulary import Container, CredentialFormat

EDC_TYPES = frozenset({"EuropeanDigitalCredential", "EuropassCredential"})
EDC_CONTEXT_MARK = "data.europa.eu/snb/model/context/edc"
ECTS_CONCEPT = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
_PREFERRED_LANGUAGES = ("en", "en-GB", "en-US")
_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]+)*$")


def is_edc(doc: dict[str, Any]) -> bool:
    types = set(_strings(doc.get("type")))
    if types & EDC_TYPES:
        return True
    if any(EDC_CONTEXT_MARK in c for c in _strings(doc.get("@context"))):
        return True
    subject = _first(doc.get("credentialSubject"))
    return isinstance(subject, dict) and "hasClaim" in subject and "VerifiableCredential" in types


def parse_edc(doc: dict[str, Any], *, container: Container) -> CredentialRecord:
    paths: dict[str, str] = {"id": "id", "types": "type"}
    subject, subject_path = _node(doc, "credentialSubject", "credentialSubject")
    claim, claim_path = _claim(subject, subject_path)
    spec, spec_path = _node(claim, "specifiedBy", f"{claim_path}.specifiedBy")
    issuer, issuer_path = _node(doc, "issuer", "issuer")
    awarding, awarding_path = _node(claim, "awardedBy", f"{claim_path}.awardedBy")
    body, body_path = _node(awarding, "awardingBody", f"{awarding_path}.awardingBody")
    assessment, assessment_path = _node(claim, "provenBy", f"{claim_path}.provenBy")
    assessment_spec, _ = _node(assessment, "specifiedBy", f"{assessment_path}.specifiedBy")

    title = ""
    for node, path in (
        (claim, claim_path),
        (spec, spec_path),
        (_first(doc.get("displayParameter")) or {}, "displayParameter"),
        (doc, ""),
    ):
        title = _text(node.get("title"))
        if title:
            paths["title"] = _join(path, "title")
            break

    description = ""
    for node, path in ((claim, claim_path), (spec, spec_path), (doc, "")):
        description = _text(node.get("description"))
        if description:
            paths["description"] = _join(path, "description")
            break

    issuer_name = _text(issuer.get("legalName")) or _text(issuer.get("name"))
    if issuer_name:
        paths["issuer_name"] = f"{issuer_path}.legalName"
    else:
        issuer_name = _text(body.get("legalName"))
        if issuer_name:
            paths["issuer_name"] = f"{body_path}.legalName"
    issuer_country = ""
    for node, path in ((issuer, issuer_path), (body, body_path)):
        issuer_country, country_path = _country(node, path)
        if issuer_country:
            paths["issuer_country"] = country_path
            break

    issued_at = None
    for node, key, path in (
        (doc, "issuanceDate", "issuanceDate"),
        (doc, "issued", "issued"),
        (awarding, "awardingDate", f"{awarding_path}.awardingDate"),
        (doc, "validFrom", "validFrom"),
    ):
        issued_at = _datetime(node.get(key))
        if issued_at:
            paths["issued_at"] = path
            break
    valid_from = _datetime(doc.get("validFrom"))
    if valid_from:
        paths["valid_from"] = "validFrom"
    valid_until = _datetime(doc.get("expirationDate")) or _datetime(doc.get("validUntil"))
    if valid_until:
        paths["valid_until"] = "expirationDate" if doc.get("expirationDate") else "validUntil"

    subject_name = _text(subject.get("fullName")) or " ".join(
        n for n in (_text(subject.get("givenName")), _text(subject.get("familyName"))) if n
    )
    if subject.get("id"):
        paths["subject_id"] = f"{subject_path}.id"
    if subject_name:
        paths["subject_name"] = f"{subject_path}.fullName"

    outcomes, outcome_alignments = _outcomes(spec, spec_path)
    if outcomes:
        paths["outcomes"] = f"{spec_path}.learningOutcome"
    else:
        summary = _text(spec.get("learningOutcomeSummary"))
        if summary:
            outcomes = (summary,)
            paths["outcomes"] = f"{spec_path}.learningOutcomeSummary"

    credits = tuple(_credits(spec, spec_path))
    if credits:
        paths["credits"] = f"{spec_path}.creditPoint"

    volume = spec.get("volumeOfLearning")
    volume_path = f"{spec_path}.volumeOfLearning"
    if not volume:
        for activity, activity_path in _nodes(claim, "influencedBy", f"{claim_path}.influencedBy"):
            activity_spec, activity_spec_path = _node(
                activity, "specifiedBy", f"{activity_path}.specifiedBy"
            )
            volume = activity_spec.get("volumeOfLearning") or activity.get("volumeOfLearning")
            if volume:
                volume_path = (
                    f"{activity_spec_path}.volumeOfLearning"
                    if activity_spec.get("volumeOfLearning")
                    else f"{activity_path}.volumeOfLearning"
                )
                break
    volume_of_learning = volume if isinstance(volume, str) else ""
    if volume_of_learning:
        paths["volume_of_learning"] = volume_path

    level_alignments = tuple(_levels(spec, spec_path))
    if level_alignments:
        paths["alignments"] = level_alignments[0].path

    participation = _participation(spec, spec_path, claim, claim_path)
    if participation:
        paths["participation"] = participation[1]

    assessment_text = _join_texts(
        _text(assessment.get("title")),
        _text(assessment_spec.get("dcType")),
        _text(assessment_spec.get("mode")),
    )
    if assessment_text:
        paths["assessment"] = assessment_path

    grade = _text(assessment.get("grade"))
    if grade:
        paths["grade"] = f"{assessment_path}.grade"
    supervision = _text(assessment.get("idVerification"))
    if supervision:
        paths["supervision"] = f"{assessment_path}.idVerification"
    prerequisites = _text(spec.get("entryRequirement"))
    if prerequisites:
        paths["prerequisites"] = f"{spec_path}.entryRequirement"

    quality_assurance = ""
    for node, path in ((spec, spec_path), (body, body_path), (issuer, issuer_path)):
        quality_assurance, qa_path = _accreditation(node, path)
        if quality_assurance:
            paths["quality_assurance"] = qa_path
            break

    stackability = ""
    partial = spec.get("isPartialQualification")
    if isinstance(partial, bool):
        # Kept literally; the explanation turns it into a sentence in the reader's language.
        stackability = "true" if partial else "false"
        paths["stackability"] = f"{spec_path}.isPartialQualification"
    else:
        part_of = [_text(n.get("title")) for n, _ in _nodes(claim, "isPartOf", "")]
        if any(part_of):
            stackability = "; ".join(t for t in part_of if t)
            paths["stackability"] = f"{claim_path}.isPartOf"

    criteria_url = ""
    for key in ("homepage", "supplementaryDocument"):
        web, web_path = _node(spec, key, f"{spec_path}.{key}")
        criteria_url = str(web.get("contentURL") or "")
        if criteria_url:
            paths["criteria_url"] = f"{web_path}.contentURL"
            break

    homepage, homepage_path = _node(issuer, "homepage", f"{issuer_path}.homepage")
    if homepage.get("contentURL"):
        paths["issuer_url"] = f"{homepage_path}.contentURL"
    field_of_study = ""
    for key in ("ISCEDFCode", "thematicArea"):
        field_of_study = _text(spec.get(key))
        if field_of_study:
            paths["field_of_study"] = f"{spec_path}.{key}"
            break
    achievement_type = _text(spec.get("dcType"))
    type_key = "dcType"
    if not achievement_type:
        achievement_type, type_key = _first_string(spec.get("type")), "type"
    if achievement_type:
        paths["achievement_type"] = f"{spec_path}.{type_key}"

    return CredentialRecord(
        format=CredentialFormat.EDC,
        container=container,
        spec_version="elm3",
        id=str(doc.get("id") or ""),
        types=tuple(_strings(doc.get("type"))),
        title=title,
        description=description,
        achievement_id=str(spec.get("id") or ""),
        achievement_type=achievement_type,
        issuer_id=str(issuer.get("id") or body.get("id") or ""),
        issuer_name=issuer_name,
        issuer_url=str(homepage.get("contentURL") or ""),
        issuer_country=issuer_country,
        subject_id=str(subject.get("id") or ""),
        subject_name=subject_name,
        issued_at=issued_at,
        valid_from=valid_from,
        valid_until=valid_until,
        criteria_url=criteria_url,
        outcomes=outcomes,
        credits=credits,
        volume_of_learning=volume_of_learning,
        alignments=level_alignments + outcome_alignments,
        assessment=assessment_text,
        participation=participation[0] if participation else "",
        quality_assurance=quality_assurance,
        prerequisites=prerequisites,
        field_of_study=field_of_study,
        language=_text(spec.get("language")),
        grade=grade,
        supervision=supervision,
        stackability=stackability,
        paths=paths,
        document=doc,
    )


def _claim(subject: dict[str, Any], subject_path: str) -> tuple[dict[str, Any], str]:
    claims = list(_nodes(subject, "hasClaim", f"{subject_path}.hasClaim"))
    for claim, path in claims:
        if "LearningAchievement" in _strings(claim.get("type")):
            return claim, path
    return claims[0] if claims else ({}, f"{subject_path}.hasClaim")


def _outcomes(
    spec: dict[str, Any], spec_path: str
) -> tuple[tuple[str, ...], tuple[Alignment, ...]]:
    outcomes: list[str] = []
    skills: list[Alignment] = []
    for outcome, path in _nodes(spec, "learningOutcome", f"{spec_path}.learningOutcome"):
        text = _text(outcome.get("title"))
        if text:
            outcomes.append(text)
        for skill, skill_path in _nodes(outcome, "relatedESCOSkill", f"{path}.relatedESCOSkill"):
            name = _text(skill.get("prefLabel"))
            if name:
                skills.append(
                    Alignment(
                        target_name=name,
                        target_url=str(skill.get("id") or ""),
                        target_framework="ESCO",
                        target_type="ceasn:Competency",
                        path=skill_path,
                    )
                )
    return tuple(outcomes), tuple(skills)


def _credits(spec: dict[str, Any], spec_path: str) -> Iterator[Credits]:
    for credit, path in _nodes(spec, "creditPoint", f"{spec_path}.creditPoint"):
        try:
            amount = float(str(credit.get("point")).replace(",", "."))
        except ValueError:
            continue
        framework = _first(credit.get("framework"))
        system = ""
        if isinstance(framework, dict):
            system = str(framework.get("id") or "") or _text(framework.get("prefLabel"))
        elif isinstance(framework, str):
            system = framework
        yield Credits(amount=amount, system=system, path=f"{path}.point")


def _levels(spec: dict[str, Any], spec_path: str) -> Iterator[Alignment]:
    for key, target_type, framework_name in (
        ("eqfLevel", "elm:eqfLevel", "European Qualifications Framework"),
        ("nqfLevel", "elm:nqfLevel", ""),
    ):
        for concept, path in _nodes(spec, key, f"{spec_path}.{key}"):
            scheme = _first(concept.get("inScheme"))
            yield Alignment(
                target_name=_text(concept.get("prefLabel")) or str(concept.get("id") or ""),
                target_url=str(concept.get("id") or ""),
                target_code=str(concept.get("notation") or ""),
                target_framework=framework_name
                or (str(scheme.get("id") or "") if isinstance(scheme, dict) else ""),
                target_type=target_type,
                path=path,
            )


def _participation(
    spec: dict[str, Any], spec_path: str, claim: dict[str, Any], claim_path: str
) -> tuple[str, str] | None:
    modes = [_text(m) for m, _ in _nodes(spec, "mode", "")]
    setting = _text(spec.get("learningSetting"))
    activities = [
        _text(_node(a, "specifiedBy", "")[0].get("dcType"))
        for a, _ in _nodes(claim, "influencedBy", "")
    ]
    text = _join_texts(*modes, setting, *activities)
    if not text:
        return None
    if modes:
        path = f"{spec_path}.mode"
    elif setting:
        path = f"{spec_path}.learningSetting"
    else:
        path = f"{claim_path}.influencedBy"
    return text, path


def _accreditation(node: dict[str, Any], path: str) -> tuple[str, str]:
    for key in ("hasAccreditation", "accreditation"):
        for accreditation, acc_path in _nodes(node, key, f"{path}.{key}"):
            agent, _ = _node(accreditation, "accreditingAgent", "")
            text = _join_texts(
                _text(accreditation.get("title")),
                _text(accreditation.get("dcType")),
                _text(agent.get("legalName")),
            )
            if text:
                return text, acc_path
    return "", ""


def _country(node: dict[str, Any], path: str) -> tuple[str, str]:
    location, location_path = _node(node, "location", f"{path}.location")
    address, address_path = _node(location, "address", f"{location_path}.address")
    code_path = f"{address_path}.countryCode"
    code = _first(address.get("countryCode"))
    if isinstance(code, dict):
        concept_id = str(code.get("id") or "")
        # EU authority URI …/country/IRL → "IRL"; the label is the fallback.
        country = concept_id.rstrip("/").rsplit("/", 1)[-1] if concept_id else _text(code)
        return country, code_path
    return (code, code_path) if isinstance(code, str) else ("", "")


def _node(parent: dict[str, Any], key: str, path: str) -> tuple[dict[str, Any], str]:
    """The first object under ``key`` (ELM allows one or many) and its JSON path."""
    return next(_nodes(parent, key, path), ({}, path))


def _nodes(parent: dict[str, Any], key: str, path: str) -> Iterator[tuple[dict[str, Any], str]]:
    value = parent.get(key)
    if isinstance(value, dict):
        yield value, path
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield item, f"{path}[{index}]"


def _first(value: object) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _first_string(value: object) -> str:
    strings = _strings(value)
    return strings[0] if strings else ""


def _text(value: object) -> str:
    """Text from a plain string, a language map, a Note or a Concept's prefLabel."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return next((t for t in (_text(v) for v in value) if t), "")
    if not isinstance(value, dict):
        return ""
    for key in ("noteLiteral", "prefLabel", "@value"):
        if key in value:
            return _text(value[key])
    for language in _PREFERRED_LANGUAGES:
        if isinstance(value.get(language), str):
            return str(value[language]).strip()
    # Any other language of a language map; "id" and "type" are node keys, not languages.
    return next(
        (
            v.strip()
            for k, v in value.items()
            if isinstance(v, str) and k not in ("id", "type") and _LANGUAGE_TAG.match(k)
        ),
        "",
    )


def _join_texts(*texts: str) -> str:
    seen: list[str] = []
    for text in texts:
        if text and text not in seen:
            seen.append(text)
    return "; ".join(seen)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _datetime(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
