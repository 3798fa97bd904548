"""Concurrent load on gunicorn: the HR candidate page and the application API, 50 credentials.

Goal (issue 16), with gunicorn 4 workers and 20 clients on the 2-core machine: candidate page
≥ 50 req/s and application API ≥ 50 req/s, p95 ≤ 500 ms, 0 errors.

    .venv/bin/python bench/load.py                       # 20 clients × 60 s per endpoint
    .venv/bin/python bench/load.py --clients 20 --seconds 30 --workers 4
    REDIS_URL=redis://127.0.0.1:6379/9 .venv/bin/python bench/load.py   # the cache on Redis

It creates a throwaway database on 127.0.0.1:5432 (user postgres, trust auth), migrates and
seeds it as bench/candidate_page.py does (one application, 50 credentials with stored
explanations, two runs and a decision each), creates an HR reviewer session and a read API
token, starts `gunicorn portal.wsgi --workers N` on a free port with production settings
(DEBUG off, the Redis cache when REDIS_URL is set), warms it, then runs each endpoint for
--seconds with --clients threads, each sending one request after another. It prints, per
endpoint: requests, errors (non-200 or no answer), req/s, p50/p95/p99 in ms, and the machine's
1-minute load average before and after. The clients share the machine with the server (and,
here, with other people's work): the load average says how much CPU was really there.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Python puts this script's folder first on the path, where bench/statistics.py would shadow
# the standard library's `statistics`.
sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

import requests  # noqa: E402

PG = ["-h", "127.0.0.1", "-U", "postgres"]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def candidate_page_seed():  # bench/candidate_page.py's seed, without importing it as a module name
    spec = importlib.util.spec_from_file_location(
        "bench_candidate_page", ROOT / "bench" / "candidate_page.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.seed


def run(url: str, headers: dict[str, str], cookies: dict[str, str], clients: int, seconds: float):
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client() -> None:
        session = requests.Session()
        session.headers.update(headers)
        for name, value in cookies.items():
            session.cookies.set(name, value, domain="127.0.0.1")
        while time.monotonic() < stop_at:
            start = time.perf_counter()
            try:
                response = session.get(url, timeout=30)
                ok = response.status_code == 200
                problem = f"HTTP {response.status_code}"
            except requests.RequestException as error:
                ok, problem = False, type(error).__name__
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(problem)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--credentials", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    args = parser.parse_args()

    name = f"bench_load_{os.getpid()}"
    subprocess.run(["createdb", *PG, name], check=True)
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": f"bench-only-{os.urandom(16).hex()}",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "API_THROTTLE_RATE": "100000/minute",  # measure the work, not the throttle's 429s
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    server = None
    try:
        import django

        django.setup()
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore
        from django.core.management import call_command
        from django.db import connection
        from django.urls import reverse

        from employers.api.tokens import create_api_token
        from employers.models import ApiScope, Membership, Role
        from users.models import User

        call_command("migrate", verbosity=0)
        reviewer, application_pk = candidate_page_seed()(args.credentials)
        owner = Membership.objects.create(
            user=User.objects.create_user("hr.owner@sakura-trading.example.jp", None),
            employer=Membership.objects.get(user=reviewer).employer,
            role=Role.OWNER,
        )
        token = create_api_token(member=owner, name="bench", scope=ApiScope.READ).secret
        session = SessionStore()
        session[SESSION_KEY] = str(reviewer.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = reviewer.get_session_auth_hash()
        session.create()
        connection.close()

        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "--workers",
                str(args.workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "30",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        endpoints = [
            (
                "candidate page",
                base + reverse("employers:candidate", args=[application_pk]),
                {"Accept-Language": "ja"},
                {"sessionid": session.session_key},
            ),
            (
                "application API",
                base + f"/api/v1/applications/{application_pk}/?lang=ja",
                {"Authorization": f"Bearer {token}"},
                {},
            ),
        ]
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(base + "/", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.2)
        cache = "Redis" if env.get("REDIS_URL") else "local memory (per worker)"
        print(
            f"gunicorn {args.workers} workers, {args.clients} clients × {args.seconds:.0f} s per "
            f"endpoint, {args.credentials} credentials, cache: {cache}, {os.cpu_count()} CPUs"
        )
        for label, url, headers, cookies in endpoints:
            run(url, headers, cookies, clients=4, seconds=3)  # warm every worker
            before = os.getloadavg()[0]
            latencies, errors, took = run(url, headers, cookies, args.clients, args.seconds)
            after = os.getloadavg()[0]
            kinds = sorted(set(errors))
            failed = f"{len(errors)} errors{kinds if kinds else ''}"
            quantiles = "  ".join(
                f"p{round(q * 100)} {percentile(latencies, q):6.0f} ms" for q in (0.5, 0.95, 0.99)
            )
            print(
                f"{label:16s} {len(latencies):6d} requests  {failed}  "
                f"{len(latencies) / took:6.1f} req/s  {quantiles}  "
                f"load average {before:.1f} → {after:.1f}"
            )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not args.keep:
            from django.db import connections

            connections.close_all()
            subprocess.run(["dropdb", *PG, "--if-exists", name], check=False)


if __name__ == "__main__":
    main()
