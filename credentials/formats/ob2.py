"""Open Badges 2.0: assertion (+ BadgeClass + issuer Profile) → ``CredentialRecord``.

The assertion may embed its BadgeClass and Profile or name them by IRI; the verifier
fetches IRIs and passes the documents in. ``document`` of the record is the assertion with
the BadgeClass and Profile embedded, so every path in ``paths`` resolves inside it.
Spec: Open Badges v2.0 (https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from credentials.formats.record import Alignment, CredentialRecord, Evidence, Identity
from credentials.vocabulary import Container, CredentialFormat

OB2_CONTEXTS = frozenset(
    {"https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json"}
)
OB1_CONTEXT_MARK = "openbadges/v1"
HOSTED_TYPES = frozenset({"hostedbadge", "hosted"})
SIGNED_TYPES = frozenset({"signedbadge", "signed"})


class Ob2FormatError(ValueError):
    """The document is not a usable OB 2.0 object; ``reason`` is plain English for the detail."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _contexts(document: Mapping[str, Any]) -> list[str]:
    context = document.get("@context")
    if isinstance(context, str):
        return [context]
    if isinstance(context, list):
        return [c for c in context if isinstance(c, str)]
    return []


def _types(document: Mapping[str, Any]) -> tuple[str, ...]:
    value = document.get("type", document.get("@type"))
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def ob2_version(document: Mapping[str, Any]) -> str:
    """ "2.0" for an OB 2.0 assertion, "1.1"/"1.0"/"0.5" for legacy ones, "" otherwise."""
    contexts = _contexts(document)
    if any(c.rstrip("/") in OB2_CONTEXTS for c in contexts):
        return "2.0"
    if any(OB1_CONTEXT_MARK in c for c in contexts):
        return "1.1"
    if "verify" in document and "uid" in document:
        return "1.0"
    if isinstance(document.get("recipient"), str) and isinstance(document.get("badge"), Mapping):
        return "0.5"
    if "Assertion" in _types(document) and not contexts:
        return "2.0"
    return ""


def is_ob2_assertion(document: Any) -> bool:
    """Any Open Badges assertion, 2.0 or legacy (the verifier answers for legacy ones)."""
    return isinstance(document, Mapping) and bool(ob2_version(document))


def verification_type(assertion: Mapping[str, Any]) -> str:
    """ "hosted", "signed" or "" from the assertion's VerificationObject."""
    verification = assertion.get("verification")
    kind = verification.get("type") if isinstance(verification, Mapping) else None
    if isinstance(kind, str):
        if kind.lower() in HOSTED_TYPES:
            return "hosted"
        if kind.lower() in SIGNED_TYPES:
            return "signed"
    return ""


def parse_ob2_datetime(value: Any) -> datetime | None:
    """An OB 2.0 DateTime (ISO 8601 or Unix seconds) as an aware UTC datetime.

    A value without a time zone is read as UTC (OB 2.0 examples omit it sometimes).
    Raises ``Ob2FormatError`` for anything else; ``None`` stays ``None``.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise Ob2FormatError(f"{value!r} is not a date")
    try:
        if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
            return datetime.fromtimestamp(float(value), tz=UTC)
        if isinstance(value, str):
            parsed = datetime.fromisoformat(value.strip())
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            return parsed.astimezone(UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise Ob2FormatError(f"{str(value)[:40]!r} is not a date") from exc
    raise Ob2FormatError(f"{str(value)[:40]!r} is not a date")


def node_id(value: Any) -> str:
    """The IRI of a node given as an IRI string or as an embedded object with ``id``."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("id"), str):
        return str(value["id"])
    return ""


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _web_url(value: Any) -> str:
    url = node_id(value)
    return url if url.startswith(("https://", "http://")) else ""


def recipient_identity(assertion: Mapping[str, Any]) -> Identity | None:
    recipient = assertion.get("recipient")
    if not isinstance(recipient, Mapping) or not isinstance(recipient.get("identity"), str):
        return None
    hashed = recipient.get("hashed")
    return Identity(
        type=_text(recipient.get("type")) or "email",
        identity=recipient["identity"],
        hashed=hashed is True or (isinstance(hashed, str) and hashed.lower() == "true"),
        salt=_text(recipient.get("salt")),
    )


def schema_problem(
    assertion: Mapping[str, Any], badge: Mapping[str, Any] | None, issuer: Mapping[str, Any] | None
) -> tuple[str, str]:
    """The first way the documents break the OB 2.0 data model, as (problem, field).

    problem is "" (conforms), "missing" (a required field is absent or empty), "invalid"
    (a value cannot be read) or "expires_before_issued"; field is the JSON path.
    """
    if not _text(assertion.get("id")):
        return "missing", "id"
    if "Assertion" not in _types(assertion):
        return "invalid", "type"
    if recipient_identity(assertion) is None:
        return "missing", "recipient"
    if not verification_type(assertion):
        return "missing", "verification"
    if assertion.get("issuedOn") is None:
        return "missing", "issuedOn"
    dates: dict[str, datetime | None] = {}
    for key in ("issuedOn", "expires"):
        try:
            dates[key] = parse_ob2_datetime(assertion.get(key))
        except Ob2FormatError:
            return "invalid", key
    issued, expires = dates["issuedOn"], dates["expires"]
    if issued and expires and expires < issued:
        return "expires_before_issued", "expires"
    if badge is None:
        return "missing", "badge"
    for key in ("name", "description"):
        if not _text(badge.get(key)):
            return "missing", f"badge.{key}"
    if badge.get("criteria") is None:
        return "missing", "badge.criteria"
    if not node_id(badge.get("issuer")):
        return "missing", "badge.issuer"
    if issuer is not None and not node_id(issuer):
        return "missing", "badge.issuer.id"
    return "", ""


def embed(
    assertion: Mapping[str, Any], badge: Mapping[str, Any] | None, issuer: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The assertion with its BadgeClass and Profile embedded (a deep copy)."""
    document = copy.deepcopy(dict(assertion))
    if badge is not None:
        badge_copy = copy.deepcopy(dict(badge))
        if issuer is not None:
            badge_copy["issuer"] = copy.deepcopy(dict(issuer))
        document["badge"] = badge_copy
    return document


def parse_ob2(
    assertion: Mapping[str, Any],
    *,
    badge: Mapping[str, Any] | None = None,
    issuer: Mapping[str, Any] | None = None,
    container: Container = Container.JSON,
) -> CredentialRecord:
    """Normalise an OB 2.0 assertion. ``badge``/``issuer`` are fetched documents, if any.

    Tolerant of missing fields (they stay empty); raises ``Ob2FormatError`` only for
    dates that cannot be read, since a wrong date would mislead HR.
    """
    if badge is None and isinstance(assertion.get("badge"), Mapping):
        badge = assertion["badge"]
    if issuer is None and badge is not None and isinstance(badge.get("issuer"), Mapping):
        issuer = badge["issuer"]
    document = embed(assertion, badge, issuer)
    badge_doc: Mapping[str, Any] = badge or {}
    issuer_doc: Mapping[str, Any] = issuer or {}
    paths: dict[str, str] = {"id": "id", "types": "type"}

    criteria = badge_doc.get("criteria")
    criteria_url = _web_url(criteria)
    criteria_narrative = _text(criteria.get("narrative")) if isinstance(criteria, Mapping) else ""

    alignments = []
    for index, item in enumerate(_as_list(badge_doc.get("alignment"))):
        if isinstance(item, Mapping) and _text(item.get("targetName")):
            alignments.append(
                Alignment(
                    target_name=_text(item.get("targetName")),
                    target_url=_text(item.get("targetUrl")),
                    target_code=_text(item.get("targetCode")),
                    target_framework=_text(item.get("targetFramework")),
                    target_description=_text(item.get("targetDescription")),
                    path=f"badge.alignment[{index}]",
                )
            )

    evidence = []
    for item in _as_list(assertion.get("evidence")):
        if isinstance(item, str):
            evidence.append(Evidence(url=_web_url(item)))
        elif isinstance(item, Mapping):
            evidence.append(
                Evidence(
                    name=_text(item.get("name")),
                    description=_text(item.get("description")),
                    narrative=_text(item.get("narrative")),
                    url=_web_url(item),
                )
            )

    image_url = _web_url(assertion.get("image"))
    if image_url:
        paths["image_url"] = "image"
    else:
        image_url = _web_url(badge_doc.get("image"))
        if image_url:
            paths["image_url"] = "badge.image"

    identity = recipient_identity(assertion)
    issuer_id = node_id(issuer) if issuer is not None else node_id(badge_doc.get("issuer"))
    paths.update(
        {
            "title": "badge.name",
            "description": "badge.description",
            "achievement_id": "badge.id",
            "issuer_id": "badge.issuer.id",
            "issuer_name": "badge.issuer.name",
            "issuer_url": "badge.issuer.url",
            "issuer_email": "badge.issuer.email",
            "recipients": "recipient",
            "issued_at": "issuedOn",
            "valid_until": "expires",
            "criteria_url": "badge.criteria",
            "criteria_narrative": "badge.criteria.narrative",
            "alignments": "badge.alignment",
            "tags": "badge.tags",
            "evidence": "evidence",
        }
    )
    return CredentialRecord(
        format=CredentialFormat.OB2,
        container=container,
        spec_version="2.0",
        id=_text(assertion.get("id")),
        types=_types(assertion),
        title=_text(badge_doc.get("name")),
        description=_text(badge_doc.get("description")),
        achievement_id=node_id(badge_doc) or node_id(assertion.get("badge")),
        issuer_id=issuer_id,
        issuer_name=_text(issuer_doc.get("name")),
        issuer_url=_web_url(issuer_doc.get("url")),
        issuer_email=_text(issuer_doc.get("email")),
        recipients=(identity,) if identity else (),
        issued_at=parse_ob2_datetime(assertion.get("issuedOn")),
        valid_until=parse_ob2_datetime(assertion.get("expires")),
        criteria_narrative=criteria_narrative,
        criteria_url=criteria_url,
        alignments=tuple(alignments),
        tags=tuple(t for t in _as_list(badge_doc.get("tags")) if isinstance(t, str)),
        evidence=tuple(evidence),
        image_url=image_url,
        paths=paths,
        document=document,
    )
