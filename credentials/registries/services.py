"""Keeping trusted-issuer registries: import a published registry, refresh it from its URL.

An import replaces all of a registry's entries in one transaction, so a registry is
always either its old listing or its new one, never half of each; a registry that cannot
be read keeps its old entries and records why (``last_error``). Entries kept by hand
(no registry) are never touched here.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credentials.models import TrustedIssuer, TrustedIssuerRegistry
from credentials.registries.exceptions import RegistryImportError, RegistryUnreachable
from credentials.registries.formats import (
    MAX_ENTRIES,
    MAX_REGISTRY_BYTES,
    ListedIssuer,
    RegistryFormat,
    RegistryFormatError,
    parse_registry,
)
from credentials.verification.fetcher import Fetcher, FetchError

logger = logging.getLogger(__name__)

# EBSI answers 10–50 issuers a page; this bounds a registry at MAX_PAGES pages.
MAX_PAGES = 200
REGISTRY_ACCEPT = "application/json"


def import_registry(
    *,
    registry: TrustedIssuerRegistry,
    pages: list[bytes],
    fetched_at: datetime | None = None,
) -> int:
    """Replace the registry's entries with the issuers ``pages`` list. Returns their number.

    ``pages`` is one document (a DCC registry) or the pages of an EBSI listing in order.
    Raises ``RegistryImportError`` (and records it on the registry) when any page is not
    a registry of the registry's format; the old entries stay.
    """
    issuers: dict[str, ListedIssuer] = {}
    published_at = None
    try:
        for data in pages:
            page = parse_registry(data, expected=registry.format)
            published_at = published_at or page.updated_at
            for issuer in page.issuers:
                issuers.setdefault(issuer.issuer_id, issuer)
            if len(issuers) > MAX_ENTRIES:
                raise RegistryFormatError(
                    _("it lists more than %(count)d issuers") % {"count": MAX_ENTRIES}
                )
    except RegistryFormatError as exc:
        _record_failure(registry, exc.reason)
        raise RegistryImportError(registry=registry.name, reason=exc.reason) from exc
    now = fetched_at or timezone.now()
    with transaction.atomic():
        locked = TrustedIssuerRegistry.objects.select_for_update().get(pk=registry.pk)
        locked.entries.all().delete()
        TrustedIssuer.objects.bulk_create(
            TrustedIssuer(
                registry=locked,
                issuer_id=issuer.issuer_id,
                name=(issuer.name or issuer.legal_name or issuer.issuer_id)[:500],
                legal_name=issuer.legal_name,
                location=issuer.location,
                url=issuer.url[:2000],
                issuer_type=issuer.issuer_type,
                record=dict(issuer.record),
                fetched_at=now,
            )
            for issuer in issuers.values()
        )
        locked.fetched_at = now
        locked.published_at = published_at
        locked.entry_count = len(issuers)
        locked.last_error = ""
        locked.save(update_fields=["fetched_at", "published_at", "entry_count", "last_error"])
    registry.refresh_from_db()
    logger.info("registry %s imported: %d issuers", registry.name, len(issuers))
    return len(issuers)


def refresh_registry(*, registry: TrustedIssuerRegistry, fetcher: Fetcher) -> int:
    """Fetch the registry from its HTTPS URL (following EBSI pages) and import it."""
    if not registry.url:
        raise RegistryImportError(
            registry=registry.name, reason=_("it has no address to fetch it from")
        )
    pages: list[bytes] = []
    url = registry.url
    seen: set[str] = set()
    total = 0
    while url and len(pages) < MAX_PAGES and url not in seen:
        seen.add(url)
        try:
            response = fetcher.get(url, accept=REGISTRY_ACCEPT)
        except FetchError as exc:
            reason = _("its address could not be fetched (%(why)s)") % {
                "why": (exc.reason or exc.code)[:200]
            }
            _record_failure(registry, reason)
            raise RegistryUnreachable(registry=registry.name, reason=reason) from exc
        if response.status != 200:
            reason = _("its address answered HTTP %(status)s") % {"status": response.status}
            _record_failure(registry, reason)
            raise RegistryUnreachable(registry=registry.name, reason=reason)
        total += len(response.body)
        if total > MAX_REGISTRY_BYTES:
            reason = _("it is larger than the portal accepts")
            _record_failure(registry, reason)
            raise RegistryImportError(registry=registry.name, reason=reason)
        pages.append(response.body)
        url = ""
        if registry.format == RegistryFormat.EBSI_TIR_V5:
            try:
                url = parse_registry(response.body, expected=registry.format).next_url
            except RegistryFormatError:
                break  # import_registry reports the unreadable page
    return import_registry(registry=registry, pages=pages)


def refresh_all_registries(*, fetcher: Fetcher) -> dict[str, str]:
    """Refresh every enabled registry that has a URL; one failure does not stop the others.

    Returns registry name → "N issuers" or the reason it failed (for the command and logs).
    """
    outcome: dict[str, str] = {}
    for registry in TrustedIssuerRegistry.objects.filter(enabled=True).exclude(url=""):
        try:
            count = refresh_registry(registry=registry, fetcher=fetcher)
        except RegistryImportError as exc:
            logger.warning("registry %s not refreshed: %s", registry.name, exc.reason)
            outcome[registry.name] = str(exc)
        else:
            outcome[registry.name] = str(count)
    return outcome


def _record_failure(registry: TrustedIssuerRegistry, reason: str) -> None:
    TrustedIssuerRegistry.objects.filter(pk=registry.pk).update(last_error=reason[:1000])
    registry.last_error = reason[:1000]
