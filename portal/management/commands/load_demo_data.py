"""Demo people, an employer and sample badges for `make run`. Safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from portal.demo import load_demo_data


class Command(BaseCommand):
    help = "Create the demo applicant, employer, HR users, admin and sample badges."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Load the demo data even with DEBUG off."
        )

    def handle(self, *args: object, **options: object) -> None:
        # The demo admin's password is in this repository: never create it on a real site.
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Demo data is for local runs (DEBUG=true); use --force to load it anyway."
            )
        with transaction.atomic():
            summary = load_demo_data()
        self.stdout.write(summary)
