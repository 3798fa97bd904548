"""Trusted-issuer registries as the engine sees them: something to ask, not a table to read.

The engine imports no ORM. Whoever builds the ``VerificationContext`` hands it an
``IssuerRegistry``; the portal's database-backed one lives in the ``credentials`` app,
outside the engine, and a registry file (DCC, EBSI) or a test builds a ``StaticRegistry``.

Being listed or not is reported by the ``registry`` check and never changes a credential's
status: an issuer missing from every list is not a failure, because issuer identity is its
own answer (DESIGN.md "four questions"). A listing names the registry, so the portal can say
*who* vouches for the issuer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from credentials.verification.result import CheckResult
from credentials.vocabulary import CheckId, Outcome


@dataclass(frozen=True, slots=True)
class RegistryEntry:
    """One issuer as a registry lists it."""

    issuer_id: str  # the URL or DID the registry lists
    name: str  # the issuer's name as the registry gives it
    registry: str  # which registry lists it, as shown to HR ("Digital Credentials Consortium")
    country: str = ""  # ISO 3166-1 alpha-2, when the registry says
    # The rest of the registry's own record of the issuer, shown instead of the
    # credential's self-description (DCC registries: legalName, location, url).
    legal_name: str = ""
    location: str = ""
    url: str = ""


class IssuerRegistry(Protocol):
    """The trusted-issuer lookup the ``registry`` check (and issuer identity) use."""

    def lookup(self, issuer_id: str, key_id: str | None = None) -> RegistryEntry | None:
        """The entry listing ``issuer_id``, or ``None``.

        ``key_id`` is the verification method that signed the credential, when known; a
        registry that lists keys (EBSI does) may require it to match. Must not raise for
        an unknown issuer; may raise for its own failures (the check then reads "could
        not be checked").
        """
        ...


class StaticRegistry:
    """A registry held in memory: from a registry file, a fixed list, or a test."""

    def __init__(self, entries: Iterable[RegistryEntry] = ()) -> None:
        self._entries: Mapping[str, RegistryEntry] = {e.issuer_id: e for e in entries}

    @classmethod
    def of(cls, issuer_ids: Iterable[str], *, registry: str) -> StaticRegistry:
        """Issuer ids without names (the name is left empty)."""
        return cls(RegistryEntry(issuer_id=i, name="", registry=registry) for i in issuer_ids)

    def lookup(self, issuer_id: str, key_id: str | None = None) -> RegistryEntry | None:
        return self._entries.get(issuer_id)

    def __len__(self) -> int:
        return len(self._entries)


def check_registry(
    issuer: str, *, registry: IssuerRegistry | None, key_id: str | None = None
) -> CheckResult:
    """Is the issuer on the trusted-issuer registry? Informational: never changes the status,
    and an issuer the registry does not list is not a failure (issuer identity is its own
    answer)."""
    if registry is None:
        return CheckResult(CheckId.REGISTRY, Outcome.NOT_APPLICABLE, "registry_none")
    entry = registry.lookup(issuer, key_id) if issuer else None
    if entry is None:
        return CheckResult(
            CheckId.REGISTRY,
            Outcome.NOT_APPLICABLE,
            "registry_not_listed",
            {"issuer": issuer[:300] or "?"},
        )
    record = {
        "name": entry.name[:300],
        "legal_name": entry.legal_name[:300],
        "location": entry.location[:300],
        "url": entry.url[:300],
        "country": entry.country[:10],
    }
    return CheckResult(
        CheckId.REGISTRY,
        Outcome.PASSED,
        "registry_listed",
        {
            "issuer": issuer[:300],
            "registry": entry.registry[:200],
            # Only what the registry says; empty fields are left out of the record.
            **{f"listed_{key}": value for key, value in record.items() if value},
        },
    )
