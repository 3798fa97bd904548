"""The portal as an operator runs it, for fault injection (not a test module).

A Redis server of its own on a random port (started, frozen with SIGSTOP and stopped by the
tests), gunicorn, a prefork Celery worker and beat, all on the test database, plus a plain
HTTP client that signs in with a real session cookie. Nothing here is mocked: the processes
are the ones the README's production section starts.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

from tests.conftest import ROOT, database_url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, *, timeout: float, interval: float = 0.2, what: str = "") -> float:
    """Poll ``condition``; the seconds it took. Fails (AssertionError) past ``timeout``."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)
    return time.monotonic() - start


class Process:
    """A child process in its own process group (so a kill takes its pool children too)."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.args, self.env, self.log = name, args, env, log
        self.popen: subprocess.Popen | None = None

    def start(self) -> Process:
        handle = self.log.open("a")
        self.popen = subprocess.Popen(
            self.args,
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal(self, sig: int) -> None:
        if self.alive():
            assert self.popen is not None
            os.killpg(self.popen.pid, sig)

    def kill(self) -> None:
        """SIGKILL the whole group: the machine or container died."""
        self.signal(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait(timeout=20)

    def stop(self) -> None:
        if not self.alive():
            return
        assert self.popen is not None
        self.signal(signal.SIGCONT)
        self.signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()


@dataclass
class Stack:
    tmp: Path
    db_settings: dict
    extra_env: dict[str, str] = field(default_factory=dict)
    redis_port: int = field(default_factory=free_port)
    web_port: int = field(default_factory=free_port)
    queue: str = field(default_factory=lambda: f"faults-{uuid.uuid4().hex[:8]}")
    processes: dict[str, Process] = field(default_factory=dict)

    # ---- environment -------------------------------------------------------------------
    def env(self, *, application_name: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
        redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        env.update(
            DJANGO_SETTINGS_MODULE="portal.settings",
            DATABASE_URL=f"{database_url(self.db_settings)}?application_name={application_name}",
            REDIS_URL=redis_url,
            CELERY_BROKER_URL=redis_url,
            CELERY_TASK_DEFAULT_QUEUE=self.queue,
            PORTAL_VAR_DIR=str(self.tmp / "var"),
            DEBUG="false",
            # The development key (as in the test process), so sessions the test makes
            # are valid in gunicorn; allowed because the hosts are local.
            SECRET_KEY="",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="false",
            SESSION_COOKIE_SECURE="false",
            CSRF_COOKIE_SECURE="false",
            SECURE_HSTS_SECONDS="0",
            STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
            # Short beats so a test sees the sweep and the heartbeat within seconds.
            VERIFICATION_SWEEP_SECONDS="2",
            HEALTH_HEARTBEAT_SECONDS="1",
            CELERY_TASK_TIME_LIMIT="20",
            CELERY_TASK_SOFT_TIME_LIMIT="15",
            LOG_LEVEL="INFO",
            **self.extra_env,
        )
        return env

    # ---- processes ---------------------------------------------------------------------
    def _process(self, name: str, args: list[str]) -> Process:
        process = Process(
            name, args, self.env(application_name=f"faults-{name}"), self.tmp / f"{name}.log"
        )
        self.processes[name] = process
        return process

    def start_redis(self) -> None:
        (self.tmp / "redis").mkdir(exist_ok=True)
        self._process(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",  # a restart loses every queued message: the worst case
                "--dir",
                str(self.tmp / "redis"),
            ],
        ).start()
        wait_until(self.redis_answers, timeout=15, what="redis-server")

    def redis_answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start_web(self) -> None:
        self._process(
            "web",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--timeout",
                "30",
            ],
        ).start()
        wait_until(lambda: self._get_ok("/"), timeout=60, what="gunicorn")

    def start_worker(self, name: str = "worker") -> Process:
        process = self._process(
            name,
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--concurrency=2",
                "-Q",
                self.queue,
                "--without-mingle",
                "--without-gossip",
                "--loglevel=INFO",
                f"--hostname={name}-{uuid.uuid4().hex[:6]}@%h",
            ],
        ).start()
        wait_until(lambda: "ready." in process.output(), timeout=60, what=f"celery {name}")
        return process

    def start_beat(self) -> None:
        self._process(
            "beat",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "beat",
                "--loglevel=INFO",
                "-s",
                str(self.tmp / "celerybeat-schedule"),
            ],
        ).start()

    def start_all(self) -> None:
        self.start_redis()
        self.start_web()
        self.start_worker()
        self.start_beat()

    def stop_all(self) -> None:
        for process in reversed(list(self.processes.values())):
            process.stop()

    def logs(self, *names: str, tail: int = 3000) -> str:
        chosen = names or tuple(self.processes)
        return "\n".join(
            f"--- {name} ---\n{self.processes[name].output()[-tail:]}"
            for name in chosen
            if name in self.processes
        )

    # ---- HTTP --------------------------------------------------------------------------
    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.web_port}{path}"

    def _get_ok(self, path: str) -> bool:
        try:
            return requests.get(self.url(path), timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def browser(self, session_key: str) -> requests.Session:
        """An HTTP client signed in with a session made by the test (sessions are in the
        database, so gunicorn accepts it), with a CSRF token for its POSTs."""
        browser = requests.Session()
        browser.cookies.set("sessionid", session_key, domain="127.0.0.1")
        page = browser.get(self.url("/credentials/"), timeout=30)
        assert page.url.endswith("/credentials/"), f"not signed in: {page.url}"
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert match, f"no CSRF token on /credentials/ ({page.status_code})"
        browser.headers["X-CSRFToken"] = match.group(1)
        return browser
