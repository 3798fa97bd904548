"""How fast hostile input is refused: figures the test suite bounds by work, not seconds.

    .venv/bin/python bench/hostile.py

- a JSON bomb nested 50,000 levels deep (within the byte cap): time to ``malformed``;
- the same past the byte cap: time to ``input_too_large``;
- an issuer host that accepts the connection and never answers, with a 0.3 s fetch timeout:
  time until the fetcher gives up (goal: about the timeout, never the server's pace).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# Run as a script, Python puts bench/ first on the path, where bench/statistics.py would
# shadow the standard library module of that name; the project root goes there instead.
sys.path[0] = str(Path(__file__).resolve().parent.parent)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from credentials.verification.context import VerificationContext  # noqa: E402
from credentials.verification.engine import verify_bytes  # noqa: E402
from credentials.verification.fetcher import IssuerUnreachable  # noqa: E402
from credentials.verification.safe_fetcher import SafeFetcher  # noqa: E402
from tests.fetchers import StaticFetcher  # noqa: E402

TIMEOUT_SECONDS = 0.3


def timed(label: str, function: Callable[[], object], rounds: int = 5) -> None:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        outcome = function()
        best = min(best, time.perf_counter() - started)
    print(f"  {label:<44} {1000 * best:8.1f} ms (best of {rounds})  -> {outcome}")


def main() -> None:
    ctx = VerificationContext(fetcher=StaticFetcher())
    within = b'{"a":' * 50_000 + b"1" + b"}" * 50_000
    beyond = b'{"a":' * 200_000 + b"1" + b"}" * 200_000
    print(f"hostile input (load average {' '.join(f'{x:.2f}' for x in os.getloadavg())})")
    timed("JSON nested 50,000 deep (300 kB)", lambda: verify_bytes(within, ctx=ctx).checks[0].code)
    timed("JSON nested 200,000 deep (1.2 MB)", lambda: verify_bytes(beyond, ctx=ctx).checks[0].code)

    release = threading.Event()

    class Silent(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            release.wait(timeout=30)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Silent)
    server.daemon_threads = True
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fetcher = SafeFetcher(
        allowed_private_hosts=[f"127.0.0.1:{port}"],
        timeout_seconds=TIMEOUT_SECONDS,
        cache_ttl_seconds=0,
    )

    def give_up() -> str:
        try:
            fetcher.get(f"http://127.0.0.1:{port}/slow.json")
        except IssuerUnreachable as exc:
            return f"unreachable ({exc.reason})"
        return "answered?"

    timed(f"issuer that never answers, timeout {TIMEOUT_SECONDS} s", give_up, rounds=3)
    release.set()
    server.shutdown()


if __name__ == "__main__":
    main()
