"""``manage.py verify_credential INPUT... [--json] [--recipient EMAIL] [--registry FILE]``.

INPUT is a file path (any supported format) or an http(s) URL. Needs no database and no
broker. ``--json`` prints exactly one JSON object per input, one per line, in input order:
``{"input", "status", "format", "checks": [{"id", "status", "detail", …}], "credential"}``.
Exit status 0 when it ran, whatever the verdicts; 2 on usage errors (argparse).

``--registry FILE`` confirms issuers from a trusted-issuer registry file (a DCC
``registry.json`` or an EBSI TIR v5 ``issuers`` page), still with no database: the
registry check then names the registry, as the portal does with the registries it keeps.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from credentials.registries.files import registry_from_file
from credentials.registries.formats import RegistryFormatError
from credentials.verification.context import VerificationContext
from credentials.verification.engine import verify_input
from credentials.verification.report_json import report_as_json
from credentials.verification.safe_fetcher import SafeFetcher


class Command(BaseCommand):
    help = "Verify credentials (files or URLs) and print each verdict with its checks."
    # Verification touches no database; skipping the checks lets it run without one.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("inputs", nargs="+", metavar="INPUT", help="file path or http(s) URL")
        parser.add_argument("--json", action="store_true", help="one JSON object per input")
        parser.add_argument(
            "--recipient",
            action="append",
            default=[],
            metavar="EMAIL",
            help="the applicant's e-mail address for the recipient check (repeatable)",
        )
        parser.add_argument(
            "--registry",
            type=Path,
            metavar="FILE",
            help="a trusted-issuer registry file (DCC registry.json or an EBSI issuers page)",
        )
        parser.add_argument(
            "--registry-name",
            default="",
            metavar="NAME",
            help="the registry's name in the output (default: the file name)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        registry = None
        if options["registry"] is not None:
            try:
                registry = registry_from_file(options["registry"], name=options["registry_name"])
            except RegistryFormatError as exc:
                raise CommandError(
                    _("%(path)s is not a registry file the portal reads: %(why)s.")
                    % {"path": options["registry"], "why": exc.reason}
                ) from exc
        ctx = VerificationContext(
            fetcher=SafeFetcher.from_settings(),
            recipient_emails=tuple(options["recipient"]),
            issuer_registry=registry,
        )
        for value in options["inputs"]:
            report = verify_input(value, ctx=ctx)
            data = {"input": value, **report_as_json(report)}
            if options["json"]:
                self.stdout.write(json.dumps(data, ensure_ascii=False))
            else:
                self._write_table(data)

    def _write_table(self, data: dict[str, Any]) -> None:
        self.stdout.write(f"{data['input']}")
        self.stdout.write(
            _("  status: %(status)s   format: %(format)s")
            % {"status": data["status"], "format": data["format"]}
        )
        width = max(len(check["id"]) for check in data["checks"]) if data["checks"] else 0
        for check in data["checks"]:
            status = check.get("outcome", check["status"])
            self.stdout.write(f"  {check['id']:<{width}}  {status:<14}  {check['detail']}")
        self.stdout.write("")
