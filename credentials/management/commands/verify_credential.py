"""``manage.py verify_credential INPUT... [--json] [--recipient EMAIL]`` — a contract.

INPUT is a file path (any supported format) or an http(s) URL. Needs no database and no
broker. ``--json`` prints exactly one JSON object per input, one per line, in input order:
``{"input", "status", "format", "checks": [{"id", "status", "detail", …}], "credential"}``.
Exit status 0 when it ran, whatever the verdicts; 2 on usage errors (argparse).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from credentials.verification.context import VerificationContext
from credentials.verification.engine import report_as_json, verify_input
from credentials.verification.fetcher import SafeFetcher


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

    def handle(self, *args: Any, **options: Any) -> None:
        ctx = VerificationContext(
            fetcher=SafeFetcher.from_settings(),
            recipient_emails=tuple(options["recipient"]),
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
