"""`make run`: migrate, load demo data, then run the web server, a Celery worker, beat and
the demo issuer (the issuers' websites the demo credentials point at, on loopback).

Everything runs on embedded defaults (SQLite under var/, the filesystem broker), so no
server is needed. Ctrl-C stops them all.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")


def main() -> int:
    env = dict(os.environ)
    env.setdefault("DEBUG", "true")
    env.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    # The demo issuer (portal.demo_issuer) plays the issuers' websites on loopback; the
    # fetcher reaches it only because these exact host:port pairs are allowed.
    issuer_port = env.setdefault("DEMO_ISSUER_PORT", "8765")
    allowed = [h for h in env.get("VERIFIER_ALLOWED_PRIVATE_HOSTS", "").split(",") if h]
    for host in (f"localhost:{issuer_port}", f"127.0.0.1:{issuer_port}"):
        if host not in allowed:
            allowed.append(host)
    env["VERIFIER_ALLOWED_PRIVATE_HOSTS"] = ",".join(allowed)
    var = Path(env.get("PORTAL_VAR_DIR", ROOT / "var"))
    for folder in (var / "media",):
        folder.mkdir(parents=True, exist_ok=True)

    manage = [PYTHON, str(ROOT / "manage.py")]
    # Started first, so it listens before the worker checks the demo credentials.
    issuer = subprocess.Popen([PYTHON, "-m", "portal.demo_issuer"], cwd=ROOT, env=env)
    for step in (["migrate", "--noinput", "-v", "0"], ["load_demo_data"], ["refresh_explanations"]):
        if subprocess.call([*manage, *step], cwd=ROOT, env=env) != 0:
            issuer.terminate()
            return 1

    celery = [PYTHON, "-m", "celery", "-A", "portal"]
    processes = [
        issuer,
        subprocess.Popen([*manage, "runserver", f"{HOST}:{PORT}", "--noreload"], cwd=ROOT, env=env),
        subprocess.Popen(
            [
                *celery,
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                "--without-mingle",
                "--without-gossip",
                "--hostname=local@%h",
            ],
            cwd=ROOT,
            env=env,
        ),
        subprocess.Popen([*celery, "beat", "--loglevel=WARNING"], cwd=ROOT, env=env),
    ]
    time.sleep(1.5)
    print(
        f"\n  Credential Portal is running at http://{HOST}:{PORT}/\n"
        "  Demo logins (password for all: demo-pass-2026):\n"
        "    applicant      hanako.yamada@example.jp\n"
        "    HR (owner)     hr.owner@sakura-trading.example.jp\n"
        "    HR (reviewer)  hr.reviewer@sakura-trading.example.jp\n"
        "    site admin     admin@example.jp\n"
        f"  Demo issuer (did:web, status list, OB 2.0 hosted badge) on localhost:{issuer_port}\n"
        "  Ctrl-C stops the web server, the worker, beat and the demo issuer.\n",
        flush=True,
    )

    def stop(*_: object) -> None:
        for process in processes:
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
