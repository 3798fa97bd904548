"""``manage.py import_issuer_registry`` — keep the trusted-issuer registries the portal uses.

    import_issuer_registry NAME --file registry.json     # import (or re-import) from a file
    import_issuer_registry NAME --url https://…/registry.json [--governance-url URL]
    import_issuer_registry --known known-did-registries.json   # add DCC's legacy registries
    import_issuer_registry --all                          # refresh every registry with a URL

The format (DCC ``registry.json`` or an EBSI Trusted Issuers Registry v5 ``issuers``
listing) is recognised from the content unless ``--format`` pins it. URLs are fetched
through the portal's SSRF-safe fetcher. An import replaces that registry's entries; a
registry that cannot be read keeps its old ones. Exit status 1 when an import failed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from credentials.models import TrustedIssuerRegistry
from credentials.registries.exceptions import RegistryImportError
from credentials.registries.formats import (
    RegistryFormat,
    RegistryFormatError,
    detect_format,
    load_registry_json,
)
from credentials.registries.services import (
    import_registry,
    refresh_all_registries,
    refresh_registry,
)
from credentials.verification.safe_fetcher import SafeFetcher

FORMATS = (RegistryFormat.DCC_LEGACY, RegistryFormat.EBSI_TIR_V5)


class Command(BaseCommand):
    help = "Import or refresh trusted-issuer registries (DCC registry.json, EBSI TIR v5)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="the registry's name, as HR will read it")
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--file", type=Path, help="a registry file to import")
        source.add_argument("--url", help="the registry's HTTPS address (kept for refreshes)")
        source.add_argument("--all", action="store_true", help="refresh every registry with a URL")
        source.add_argument(
            "--known", type=Path, metavar="FILE", help="DCC's list of known registries"
        )
        parser.add_argument("--format", choices=FORMATS, help="the registry's format")
        parser.add_argument("--governance-url", default="", help="what a listing means")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"]:
            self._refresh_all()
        elif options["known"]:
            self._add_known(options["known"])
        elif options["name"] and (options["file"] or options["url"]):
            self._import_one(options)
        else:
            raise CommandError(
                _("Give a registry NAME with --file or --url, or --all, or --known.")
            )

    def _import_one(self, options: dict[str, Any]) -> None:
        name: str = options["name"].strip()[:200]
        data = b""
        if options["file"]:
            try:
                data = options["file"].read_bytes()
            except OSError as exc:
                raise CommandError(
                    _("%(path)s cannot be read (%(why)s).")
                    % {"path": options["file"], "why": exc.strerror}
                ) from exc
        registry_format = options["format"] or (self._detect(data) if data else "")
        registry = TrustedIssuerRegistry.objects.filter(name=name).first() or (
            TrustedIssuerRegistry(name=name, format=registry_format or RegistryFormat.DCC_LEGACY)
        )
        if registry_format:
            registry.format = registry_format
        if options["url"] is not None:
            registry.url = options["url"]
        if options["governance_url"]:
            registry.governance_url = options["governance_url"]
        self._save(registry)
        try:
            if data:
                count = import_registry(registry=registry, pages=[data])
            else:
                count = refresh_registry(registry=registry, fetcher=SafeFetcher.from_settings())
        except RegistryImportError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_imported(registry.name, count))

    @staticmethod
    def _save(registry: TrustedIssuerRegistry) -> None:
        try:
            registry.full_clean()
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        registry.save()

    def _detect(self, data: bytes) -> str:
        try:
            return detect_format(load_registry_json(data))
        except RegistryFormatError as exc:
            raise CommandError(
                _("This is not a registry file the portal reads: %(why)s.") % {"why": exc.reason}
            ) from exc

    def _refresh_all(self) -> None:
        outcome = refresh_all_registries(fetcher=SafeFetcher.from_settings())
        failed = False
        for name, result in outcome.items():
            if result.isdigit():
                self.stdout.write(_imported(name, int(result)))
            else:
                failed = True
                self.stderr.write(result)
        if failed:
            raise CommandError(_("Some registries were not refreshed; they keep their entries."))

    def _add_known(self, path: Path) -> None:
        """Add each registry of DCC's known-registries list that the portal can read."""
        try:
            known = json.loads(path.read_bytes())
        except (OSError, ValueError) as exc:
            raise CommandError(
                _("%(path)s is not a JSON list of registries.") % {"path": path}
            ) from exc
        if not isinstance(known, list):
            raise CommandError(_("%(path)s is not a JSON list of registries.") % {"path": path})
        for item in known:
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                continue
            name = item["name"].strip()[:200]
            if item.get("type") != "dcc-legacy" or not isinstance(item.get("url"), str):
                self.stdout.write(
                    _(
                        "%(name)s: skipped (an OpenID Federation registry; the portal reads DCC "
                        "registry files and EBSI listings)."
                    )
                    % {"name": name}
                )
                continue
            if TrustedIssuerRegistry.objects.filter(name=name).exists():
                self.stdout.write(_("%(name)s: already kept.") % {"name": name})
                continue
            self._save(
                TrustedIssuerRegistry(
                    name=name,
                    format=RegistryFormat.DCC_LEGACY,
                    url=item["url"][:2000],
                    governance_url=str(item.get("governanceUrl") or "")[:2000],
                )
            )
            self.stdout.write(_("%(name)s: added; run --all to fetch it.") % {"name": name})


def _imported(name: str, count: int) -> str:
    return ngettext(
        "%(name)s: %(count)d issuer imported.", "%(name)s: %(count)d issuers imported.", count
    ) % {"name": name, "count": count}
