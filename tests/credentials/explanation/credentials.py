"""Real-shaped credentials from several sources, as raw documents run through the parsers."""

import copy
import json
from pathlib import Path

from credentials.formats.edc import parse_edc
from credentials.formats.ob2 import parse_ob2
from credentials.formats.ob3 import parse_ob3
from credentials.formats.record import CredentialRecord
from credentials.vocabulary import Container

FIXTURES = Path(__file__).parent / "fixtures"
OB3_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def edc_document() -> dict:
    return json.loads((FIXTURES / "edc-microcredential-ects-eqf6.json").read_text("utf-8"))


def edc() -> CredentialRecord:
    return parse_edc(edc_document(), container=Container.JSON)


def edc_with_only_activity_duration() -> CredentialRecord:
    """The EU sample's quirk: no volume on the qualification, P60M on the activity."""
    document = copy.deepcopy(edc_document())
    del document["credentialSubject"]["hasClaim"][0]["specifiedBy"]["volumeOfLearning"]
    return parse_edc(document, container=Container.JSON)


def _ob3(achievement: dict, *, issuer: dict, valid_from: str, subject_extra: dict | None = None):
    return {
        "@context": OB3_CONTEXT,
        "id": "urn:uuid:4a6e1c0e-8f31-4a4b-9a56-0d6c6a0f2b11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"type": ["Profile"], **issuer},
        "validFrom": valid_from,
        "name": achievement["name"],
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": "sha256$c8f5e4a0b1d6f0e5b7a8d9c0e1f2a3b4"
                    "c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0",
                    "salt": "d3adbeef",
                }
            ],
            "achievement": {
                "id": "https://example.org/achievements/1",
                "type": ["Achievement"],
                **achievement,
            },
            **(subject_extra or {}),
        },
    }


def ob3_with_eqf_alignment() -> CredentialRecord:
    document = _ob3(
        {
            "name": "Cloud Security Fundamentals",
            "achievementType": "Course",
            "description": "A short course on securing cloud workloads, about 40 hours of "
            "learning, delivered online.",
            "criteria": {
                "narrative": "Complete all eight modules and pass the proctored final exam "
                "with at least 70%."
            },
            "alignment": [
                {
                    "type": ["Alignment"],
                    "targetName": "EQF Level 5",
                    "targetUrl": "http://data.europa.eu/snb/eqf/5",
                    "targetFramework": "European Qualifications Framework",
                },
                {
                    "type": ["Alignment"],
                    "targetName": "Manage cloud security controls",
                    "targetUrl": "https://example.org/competencies/cloud-security-controls",
                    "targetType": "ceasn:Competency",
                },
            ],
            "resultDescription": [
                {
                    "id": "urn:uuid:result-1",
                    "type": ["ResultDescription"],
                    "name": "Proctored final exam",
                    "resultType": "Percent",
                }
            ],
        },
        issuer={
            "id": "https://academy.example.de/issuer",
            "name": "Example Cloud Academy",
            "address": {
                "type": ["Address"],
                "addressCountry": "Germany",
                "addressCountryCode": "DE",
            },
        },
        valid_from="2024-03-15T10:00:00Z",
    )
    return parse_ob3(document, container=Container.JSON)


def ob3_with_unitless_credits() -> CredentialRecord:
    document = _ob3(
        {
            "name": "Foundations of Accounting",
            "achievementType": "Certificate",
            "description": "Introductory accounting certificate.",
            "criteria": {"narrative": "Earned the certificate."},
            "creditsAvailable": 3,
        },
        issuer={"id": "did:web:learn.example.edu", "name": "Example Community College"},
        valid_from="2023-12-01T00:00:00Z",
        subject_extra={"creditsEarned": 3},
    )
    return parse_ob3(document, container=Container.JSON)


def ob2_with_only_a_description() -> CredentialRecord:
    issuer = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Issuer",
        "id": "https://badges.example.com/issuer.json",
        "name": "Example Training Co.",
        "url": "https://badges.example.com",
    }
    badge = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "BadgeClass",
        "id": "https://badges.example.com/badges/pm-workshop.json",
        "name": "Project Management Workshop",
        "description": "Awarded for attending a two-day in-person workshop on project "
        "management basics.",
        "image": "https://badges.example.com/badges/pm-workshop.png",
        "criteria": "https://badges.example.com/badges/pm-workshop.html",
        "issuer": issuer,
    }
    assertion = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://badges.example.com/assertions/123.json",
        "recipient": {"type": "email", "hashed": False, "identity": "hanako@example.jp"},
        "badge": badge,
        "verification": {"type": "hosted"},
        "issuedOn": "2022-11-08T09:00:00+09:00",
    }
    return parse_ob2(assertion, badge=badge, issuer=issuer, container=Container.JSON)


def japanese_university_badge() -> CredentialRecord:
    document = _ob3(
        {
            "name": "データサイエンス入門",
            "achievementType": "Course",
            "description": "本科目を修了し、期末試験に合格した者に2単位を認定する。"
            "学習時間は90時間(授業30時間と自習60時間)。対面授業。",
            "criteria": {"narrative": "全15回の授業に出席し、期末試験で60点以上を取ること。"},
            "creditsAvailable": 2,
            "fieldOfStudy": "情報科学",
            "inLanguage": "ja",
        },
        issuer={
            "id": "https://www.mirai-u.example.ac.jp/issuer",
            "name": "東京未来大学",
            "address": {"type": ["Address"], "addressCountry": "日本", "addressCountryCode": "JP"},
        },
        valid_from="2025-03-25T00:00:00+09:00",
    )
    return parse_ob3(document, container=Container.JSON)


def _japanese_ob2(name: str) -> CredentialRecord:
    """OB 2.0 badges as Japanese universities fill them (fixtures/jp, see its README)."""
    return parse_ob2(json.loads((FIXTURES / "jp" / name).read_text("utf-8")))


def japanese_certificate_programme_badge() -> CredentialRecord:
    return _japanese_ob2("rishu-shomei-no-hours.json")


def japanese_mdash_badge() -> CredentialRecord:
    return _japanese_ob2("mdash-literacy.json")


def japanese_bp_badge() -> CredentialRecord:
    return _japanese_ob2("bp-rishu-shomei-64h.json")
