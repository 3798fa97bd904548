"""The published formats of trusted-issuer registries, read into one shape.

- **DCC legacy registry** (Digital Credentials Consortium community/sandbox/member
  registries, ``registry.json``): ``{"meta": {"created", "updated"}, "registry":
  {"<DID>": {"name", "location", "url"[, "legalName"]}}}``.
- **EBSI Trusted Issuers Registry v5**, ``GET /trusted-issuers-registry/v5/issuers``: a
  page ``{"self", "items": [{"did", "href"}], "total", "pageSize", "links": {"next", …}}``;
  an issuer's own document ``{"did", "attributes": [{"issuerType", "tao", "rootTao",
  "body", "hash"}]}`` may appear as an item too. Issuers whose every attribute is of
  type ``Revoked`` are not listed. The listing names no organisation: the entry's name
  stays empty and pages say only "listed by <registry>".

No network and no database here: bytes in, entries out. Anything else is refused with
``RegistryFormatError`` (a clear message for the admin, never a half-import).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_REGISTRY_BYTES = 20_000_000
MAX_ENTRIES = 100_000
MAX_TEXT = 500


class RegistryFormat(models.TextChoices):
    DCC_LEGACY = "dcc_legacy", gettext_lazy("DCC registry (registry.json)")
    EBSI_TIR_V5 = "ebsi_tir_v5", gettext_lazy("EBSI Trusted Issuers Registry v5")


class RegistryFormatError(ValueError):
    """The data is not a registry in a format the portal reads."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ListedIssuer:
    """One issuer as a registry publishes it (the registry's own words, not the credential's)."""

    issuer_id: str
    name: str = ""
    location: str = ""
    url: str = ""
    legal_name: str = ""
    # EBSI: "RootTAO" / "TAO" / "TI"; DCC: empty.
    issuer_type: str = ""
    record: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RegistryPage:
    format: str
    issuers: tuple[ListedIssuer, ...]
    # EBSI pages link to the next one; a DCC registry is one document.
    next_url: str = ""
    updated_at: datetime | None = None


def _text(value: Any) -> str:
    return value.strip()[:MAX_TEXT] if isinstance(value, str) else ""


def _identifier(value: Any) -> str:
    """A DID or URL as listed; anything else is not an issuer identifier."""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if len(value) > 2000 or not value.startswith(("did:", "https://", "http://")):
        return ""
    return value


def _datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def load_registry_json(data: bytes) -> Any:
    if len(data) > MAX_REGISTRY_BYTES:
        raise RegistryFormatError(
            _("it is larger than %(mb)d MB") % {"mb": MAX_REGISTRY_BYTES // 1_000_000}
        )
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise RegistryFormatError(_("it is not JSON")) from exc


def detect_format(document: Any) -> str:
    if isinstance(document, Mapping):
        if isinstance(document.get("registry"), Mapping):
            return RegistryFormat.DCC_LEGACY
        if isinstance(document.get("items"), list) or (
            isinstance(document.get("did"), str) and "attributes" in document
        ):
            return RegistryFormat.EBSI_TIR_V5
    raise RegistryFormatError(
        _(
            "it is neither a DCC registry (registry.json) nor an EBSI Trusted Issuers "
            "Registry listing"
        )
    )


def parse_registry(data: bytes, *, expected: str = "") -> RegistryPage:
    """Read a registry document (or one EBSI page). ``expected`` pins the format."""
    document = load_registry_json(data)
    found = detect_format(document)
    if expected and found != expected:
        raise RegistryFormatError(_("it is in another registry format than the one expected"))
    if found == RegistryFormat.DCC_LEGACY:
        return _parse_dcc(document)
    return _parse_ebsi(document)


def _parse_dcc(document: Mapping[str, Any]) -> RegistryPage:
    registry = document["registry"]
    if len(registry) > MAX_ENTRIES:
        raise RegistryFormatError(
            _("it lists more than %(count)d issuers") % {"count": MAX_ENTRIES}
        )
    issuers = []
    for did, record in registry.items():
        issuer_id = _identifier(did)
        if not issuer_id or not isinstance(record, Mapping):
            continue  # one broken entry does not discard the registry's other issuers
        issuers.append(
            ListedIssuer(
                issuer_id=issuer_id,
                name=_text(record.get("name")),
                location=_text(record.get("location")),
                url=_text(record.get("url")),
                legal_name=_text(record.get("legalName")),
                record={k: v for k, v in record.items() if isinstance(v, str | int | bool)},
            )
        )
    meta = document.get("meta")
    updated = _datetime(meta.get("updated")) if isinstance(meta, Mapping) else None
    return RegistryPage(RegistryFormat.DCC_LEGACY, tuple(issuers), updated_at=updated)


def _ebsi_issuer(item: Mapping[str, Any]) -> ListedIssuer | None:
    issuer_id = _identifier(item.get("did"))
    if not issuer_id:
        return None
    attributes = [a for a in item.get("attributes") or [] if isinstance(a, Mapping)]
    types = [_text(a.get("issuerType")) for a in attributes]
    if types and all(t == "Revoked" for t in types):
        return None
    # The strongest accreditation the issuer holds, for the record HR sees.
    issuer_type = next((t for t in ("RootTAO", "TAO", "TI") if t in types), "")
    return ListedIssuer(
        issuer_id=issuer_id,
        issuer_type=issuer_type,
        url=_text(item.get("href")),
        record={
            "did": issuer_id,
            "href": _text(item.get("href")),
            "issuerTypes": [t for t in types if t],
        },
    )


def _parse_ebsi(document: Mapping[str, Any]) -> RegistryPage:
    items = document.get("items") if "items" in document else [document]
    if not isinstance(items, list) or len(items) > MAX_ENTRIES:
        raise RegistryFormatError(_("its items are not a list of issuers"))
    issuers = [i for i in (_ebsi_issuer(x) for x in items if isinstance(x, Mapping)) if i]
    links = document.get("links")
    next_url = _text(links.get("next")) if isinstance(links, Mapping) else ""
    if next_url == _text(document.get("self")):
        next_url = ""  # the last page links "next" to itself: the end, not a loop
    return RegistryPage(RegistryFormat.EBSI_TIR_V5, tuple(issuers), next_url=next_url)
