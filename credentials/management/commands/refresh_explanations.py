"""Run after a deploy: rewrite stored explanations made by older wording or catalogues, so
HR pages need not explain credentials again while they render."""

from django.core.management.base import BaseCommand

from credentials.services import refresh_stale_explanations


class Command(BaseCommand):
    help = "Re-explain credentials whose stored explanation is out of date (no network)."

    def handle(self, *args: object, **options: object) -> None:
        count = refresh_stale_explanations()
        self.stdout.write(f"{count} stored explanations rewritten.")
