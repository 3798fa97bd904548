"""A registry file as the engine's ``IssuerRegistry`` (``verify_credential --registry``).

No database: the file is read once into a ``StaticRegistry`` whose entries carry the
registry's own record of each issuer.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from credentials.registries.formats import RegistryFormatError, parse_registry
from credentials.verification.registry import RegistryEntry, StaticRegistry


def registry_from_file(path: Path, *, name: str = "") -> StaticRegistry:
    """A registry file (DCC ``registry.json`` or an EBSI issuers page) as a registry.

    Raises ``RegistryFormatError`` when the file is not one (the command says why).
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RegistryFormatError(_("it cannot be read")) from exc
    page = parse_registry(data)
    registry_name = name or path.name
    return StaticRegistry(
        RegistryEntry(
            issuer_id=issuer.issuer_id,
            name=issuer.name or issuer.legal_name,
            registry=registry_name,
            legal_name=issuer.legal_name,
            location=issuer.location,
            url=issuer.url,
        )
        for issuer in page.issuers
    )
