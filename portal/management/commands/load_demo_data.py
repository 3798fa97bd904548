"""Demo people, an employer and sample badges for `make run`. Safe to run again."""

from django.core.management.base import BaseCommand
from django.db import transaction

from portal.demo import load_demo_data


class Command(BaseCommand):
    help = "Create the demo applicant, employer, HR users, admin and sample badges."

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            summary = load_demo_data()
        self.stdout.write(summary)
