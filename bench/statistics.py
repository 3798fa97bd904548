"""Render the statistics page against a large PostgreSQL database and print its p95.

Target (issue 8): with 1,000,000 decision records the page renders in under 300 ms at p95.

    createdb -h 127.0.0.1 -U postgres bench_stats
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_stats
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/statistics.py --decisions 1000000   # seeds what is missing
    dropdb -h 127.0.0.1 -U postgres bench_stats

Set REDIS_URL (e.g. redis://127.0.0.1:6379/13) to keep the rollup in Redis as production
does; without it the rollup sits in this process's local-memory cache.

The page is rendered in-process through Django's test client (the whole view, template and
middleware; no network), as a site admin over every employer (the heaviest scope), then as
an employer owner and with a one-quarter date range.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402 — settings module first

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from employers.models import Decision, Employer, Membership, Role  # noqa: E402
from portal.statistics import selectors  # noqa: E402
from portal.statistics.cubes import refresh_rollup  # noqa: E402
from portal.statistics.seeding import seed_statistics  # noqa: E402
from users.models import User  # noqa: E402

TARGET_P95_MS = 300.0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def time_page(client: Client, params: dict[str, str], requests: int) -> list[float]:
    url = reverse("statistics:overview")
    for _ in range(3):  # warm caches: connection, templates, translations, PostgreSQL buffers
        assert client.get(url, params, secure=True).status_code == 200
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url, params, secure=True)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return timings


def report(name: str, timings: list[float]) -> float:
    p95 = percentile(timings, 0.95)
    print(
        f"{name:<34} n={len(timings):<3} p50={percentile(timings, 0.5):7.1f} ms  "
        f"p95={p95:7.1f} ms  max={max(timings):7.1f} ms"
    )
    return p95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=1_000_000)
    parser.add_argument("--employers", type=int, default=300)
    parser.add_argument("--applicants", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        print("Set DATABASE_URL to a PostgreSQL database; the target is for PostgreSQL.")
        return 2
    # The bench renders templates without collectstatic and talks to no proxy.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ALLOWED_HOSTS = ["*"]

    existing = Decision.objects.count()
    if existing < args.decisions:
        started = time.perf_counter()
        summary = seed_statistics(
            employers=args.employers,
            applicants=args.applicants,
            decisions=args.decisions - existing,
        )
        print(f"seeded {summary} in {time.perf_counter() - started:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    current = Decision.objects.filter(superseded_by__isnull=True).count()
    print(f"decision records: {Decision.objects.count():,} (current, not superseded: {current:,})")

    started = time.perf_counter()
    refresh_rollup()
    print(f"monthly rollup refreshed in {time.perf_counter() - started:.1f} s (periodic task)")

    source = selectors.source_for(selectors.Scope())
    for table in (selectors.employer_funnel(source), selectors.credential_funnel(source)):
        print("  " + "; ".join(f"{row[0]}: {row[1]:,}" for row in table.rows))

    admin, _ = User.objects.get_or_create(
        email="bench-admin@example.jp", defaults={"is_staff": True}
    )
    busiest = (
        Employer.objects.annotate(records=Count("decisions"))
        .order_by("-records")
        .values_list("pk", flat=True)
        .first()
    )
    assert busiest is not None
    owner, _ = User.objects.get_or_create(email="bench-owner@example.jp")
    Membership.objects.get_or_create(user=owner, employer_id=busiest, defaults={"role": Role.OWNER})

    admin_client, owner_client = Client(), Client()
    admin_client.force_login(admin)
    owner_client.force_login(owner)

    # Whole months come from the rollup; the part months at either end of a range are
    # counted live, so those pages are slower and are reported on their own.
    whole_months = [
        report("admin, all employers, all time", time_page(admin_client, {}, args.requests)),
        report("owner, own employer, all time", time_page(owner_client, {}, args.requests)),
        report(
            "admin, all, Oct-Dec 2025",
            time_page(admin_client, {"start": "2025-10-01", "end": "2025-12-31"}, args.requests),
        ),
    ]
    part_months = [
        report(
            "owner, own, 10 Oct-20 Dec 2025",
            time_page(owner_client, {"start": "2025-10-10", "end": "2025-12-20"}, args.requests),
        ),
        report(
            "admin, all, 10 Oct-20 Dec 2025",
            time_page(admin_client, {"start": "2025-10-10", "end": "2025-12-20"}, 10),
        ),
    ]
    worst = max(whole_months)
    verdict = "meets" if worst < TARGET_P95_MS else "misses"
    print(f"statistics page p95, whole-month ranges: {worst:.1f} ms, {verdict} the 300 ms target")
    print(
        f"statistics page p95, ranges cutting months: owner {part_months[0]:.1f} ms, "
        f"admin over every employer {part_months[1]:.1f} ms"
    )
    return 0 if worst < TARGET_P95_MS else 1


if __name__ == "__main__":
    sys.exit(main())
