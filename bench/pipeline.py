"""Time from upload commit to final status, for 100 uploads with a real Celery worker.

    .venv/bin/python bench/pipeline.py                 # filesystem broker (the `make run` default)
    .venv/bin/python bench/pipeline.py --broker redis  # a private redis-server on a free port
    .venv/bin/python bench/pipeline.py --burst         # all 100 at once instead of 10 per second

Everything runs in a temporary PORTAL_VAR_DIR (fresh SQLite database, media, broker folder),
so it never touches var/. The uploads are local-file credentials (JSON, baked PNG, baked
SVG from the interop fixtures) that need no network, so the figure is the pipeline's own:
commit → broker → worker → engine → result row. "Final" is seen by polling the database
every 5 ms, as the status fragment on the page would (minus its 1 s htmx interval).

Measured on the 2-core development machine (100 uploads, worker --concurrency=2):

    broker                                   mode     p50       p95
    filesystem, as configured today          10/s     20.5 s    38.6 s
    filesystem, polling_interval 0.05        10/s     100 ms    106 ms
    redis                                    10/s     100 ms    117 ms
    redis                                    burst    528 ms    895 ms

kombu's filesystem transport sleeps its polling_interval (1 s by default) whenever a worker
process is busy or the queue is empty, which caps it near one task per second per process;
"polling_interval": 0.05 in CELERY_BROKER_TRANSPORT_OPTIONS removes that.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/statistics.py would shadow the standard library's statistics module (which Django's
# SQLite backend imports) for any script run from this folder.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
INTEROP = ROOT.parent / "shared" / "fixtures" / "interop"
SAMPLES = (
    "ob3-v2-eddsa-valid.json",
    "ob3-v2-eddsa-valid-baked.png",
    "ob3-v2-eddsa-valid-baked.svg",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--broker", choices=["filesystem", "redis"], default="filesystem")
    parser.add_argument("--burst", action="store_true", help="submit all uploads at once")
    parser.add_argument("--rate", type=float, default=10.0, help="uploads per second")
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    processes: list[subprocess.Popen[bytes]] = []
    os.environ.update(PORTAL_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="portal.settings")
    if args.broker == "redis":
        port = free_port()
        processes.append(
            subprocess.Popen(
                ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
                stdout=subprocess.DEVNULL,
            )
        )
        os.environ["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{port}/0"
        time.sleep(0.5)
    for folder in ("broker/queue", "broker/processed", "broker/control", "media"):
        (var / folder).mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, check=True)
        worker_log = (var / "worker.log").open("w")
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--loglevel=WARNING",
                f"--concurrency={args.concurrency}",
                "--without-mingle",
                "--without-gossip",
                "--hostname=bench@%h",
            ],
            cwd=ROOT,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
        )
        processes.append(worker)
        return run(args, worker)
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(var, ignore_errors=True)


def run(args: argparse.Namespace, worker: subprocess.Popen[bytes]) -> int:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from allauth.account.models import EmailAddress

    from credentials.models import Credential
    from credentials.services import submit_upload
    from credentials.vocabulary import Status
    from users.models import User

    user = User.objects.create_user("hanako.yamada@example.jp", "bench-password")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    samples = [(INTEROP / name).read_bytes() for name in SAMPLES]

    # Let the worker finish starting so its start-up is not in the first upload's time.
    warm = submit_upload(applicant=user, data=samples[0] + b"\n" * 999, filename="warm-up")
    while Credential.objects.get(pk=warm.credential.pk).status == Status.PENDING:
        time.sleep(0.05)

    committed: dict[int, float] = {}
    settled: dict[int, float] = {}
    interval = 0.0 if args.burst else 1.0 / args.rate
    started = time.monotonic()
    for n in range(args.count):
        data = samples[n % len(samples)]
        # Trailing whitespace makes each file distinct (no dedupe) and leaves it valid.
        submission = submit_upload(applicant=user, data=data + b"\n" * (n + 1), filename=f"{n}")
        committed[submission.credential.pk] = time.monotonic()  # the task is sent after commit
        poll(committed, settled, Status)
        wait = started + (n + 1) * interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
    deadline = time.monotonic() + 120
    while len(settled) < len(committed) and time.monotonic() < deadline:
        poll(committed, settled, Status)
        time.sleep(0.005)
    if worker.poll() is not None:
        print("the worker died", file=sys.stderr)
        return 1

    statuses = set(Credential.objects.filter(pk__in=committed).values_list("status", flat=True))
    latencies = sorted(settled[pk] - committed[pk] for pk in settled)
    mode = "burst" if args.burst else f"{args.rate:g}/s"
    print(
        f"broker={args.broker} uploads={args.count} mode={mode} worker concurrency="
        f"{args.concurrency}"
    )
    print(f"settled {len(settled)}/{len(committed)}; statuses seen: {sorted(statuses)}")
    if latencies:
        p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
        print(
            f"commit → final status: p50 {statistics.median(latencies) * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
        )
    return 0 if len(settled) == len(committed) else 1


def poll(committed: dict[int, float], settled: dict[int, float], status: type) -> None:
    from credentials.models import Credential

    waiting = [pk for pk in committed if pk not in settled]
    if not waiting:
        return
    done = Credential.objects.filter(pk__in=waiting).exclude(status=status.PENDING)
    now = time.monotonic()
    for pk in done.values_list("pk", flat=True):
        settled[pk] = now


if __name__ == "__main__":
    sys.exit(main())
