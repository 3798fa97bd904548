"""Fill the database with realistic volumes for the statistics page (benchmarks, demos)."""

import time

from django.core.management.base import BaseCommand, CommandParser

from portal.statistics.seeding import seed_statistics


class Command(BaseCommand):
    help = (
        "Add seeded employers, applicants, credentials, shares and decision records spread "
        "over the last two years, for benchmarking the statistics page."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--employers", type=int, default=50)
        parser.add_argument("--applicants", type=int, default=1000)
        parser.add_argument("--decisions", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=2025, help="random seed (repeatable)")
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args: object, **options: int) -> None:
        started = time.perf_counter()
        summary = seed_statistics(
            employers=options["employers"],
            applicants=options["applicants"],
            decisions=options["decisions"],
            seed=options["seed"],
            batch_size=options["batch_size"],
        )
        self.stdout.write(f"Seeded {summary} in {time.perf_counter() - started:.1f} s.")
