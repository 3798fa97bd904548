"""Asking the trusted-issuer registries the portal keeps (its database).

It answers the engine's ``IssuerRegistry`` protocol with the registry's *own* record of
the issuer (its name, legal name, location and web address as the registry publishes
them), so the portal can show who vouches for an issuer in that registry's words rather
than in the credential's self-description.
"""

from __future__ import annotations

from django.db.models import F, Q

from credentials.models import TrustedIssuer
from credentials.verification.registry import RegistryEntry

# The name a listing kept by hand (no imported registry) is shown under.
OWN_LIST_NAME = "Credential Portal trusted-issuer list"


def _in_use() -> Q:
    return Q(registry__isnull=True) | Q(registry__enabled=True)


class DatabaseRegistry:
    """Entries kept by hand, then those of enabled imported registries (by registry name)."""

    def has_entries(self) -> bool:
        return TrustedIssuer.objects.filter(_in_use()).exists()

    def lookup(self, issuer_id: str, key_id: str | None = None) -> RegistryEntry | None:
        entry = (
            TrustedIssuer.objects.filter(issuer_id=issuer_id)
            .filter(_in_use())
            .select_related("registry")
            .order_by(F("registry_id").asc(nulls_first=True), "registry__name")
            .first()
        )
        if entry is None:
            return None
        return RegistryEntry(
            issuer_id=entry.issuer_id,
            name=entry.name,
            registry=entry.registry.name if entry.registry else OWN_LIST_NAME,
            country=entry.country,
            legal_name=entry.legal_name,
            location=entry.location,
            url=entry.url,
        )
