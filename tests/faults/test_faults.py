"""Fault injection against the portal as deployed: gunicorn, a prefork Celery worker, beat,
PostgreSQL and a Redis of the test's own (cache, rate limits and broker).

Each scenario injects one fault while applicants upload, then ends it, and asserts: nothing
uploaded is lost, no request answered 5xx (or hung past gunicorn's timeout), and every
credential reaches its final status within RECOVERY_GOAL_SECONDS of the fault ending. The
goal is a bound on the wait, not a speed measurement: the figures are printed for the report.
"""

from __future__ import annotations

import itertools
import signal
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.urls import reverse

from credentials.models import Credential
from credentials.vocabulary import Status
from tests.credentials.applicants import applicant, interop
from tests.employers.factories import MembershipFactory, SharedCredentialFactory
from tests.faults.stack import Stack, free_port, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

RECOVERY_GOAL_SECONDS = 60
# Issued to HANAKO, whom applicant() signs up: every upload of it must end "verified".
VALID = interop("ob3-v2-eddsa-valid.json")


_distinct = itertools.count(1)


def variant(tag: str) -> bytes:
    """The valid credential with its own number of trailing newlines (ignored by the
    parser): distinct files, every one verifiable."""
    return VALID + b"\n" * next(_distinct)


def session_for(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


class Requests:
    """Every answer the portal gave during a scenario, to assert none was an error."""

    def __init__(self) -> None:
        self.answers: list[tuple[str, int]] = []

    def record(self, what: str, call) -> requests.Response | None:
        try:
            response = call()
        except requests.RequestException as error:
            # No answer at all (gunicorn killed the worker, the connection hung): as bad as 5xx.
            self.answers.append((f"{what}: {type(error).__name__}", 599))
            return None
        self.answers.append((what, response.status_code))
        return response

    def not_ok(self) -> list[tuple[str, int]]:
        """Answers other than success or a redirect (a 404 means the test asked wrongly)."""
        return [(what, code) for what, code in self.answers if code >= 400]


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("faults")
    with django_db_blocker.unblock():
        running = Stack(tmp=tmp, db_settings=dict(connection.settings_dict))
    issuer_port = free_port()
    running.extra_env["VERIFIER_ALLOWED_PRIVATE_HOSTS"] = (
        f"localhost:{issuer_port},127.0.0.1:{issuer_port}"
    )
    running.issuer_port = issuer_port  # type: ignore[attr-defined]
    running.start_all()
    yield running
    running.stop_all()


def upload(stack: Stack, browser: requests.Session, log: Requests, tags: list[str]):
    files = [("badges", (f"{tag}.json", variant(tag), "application/json")) for tag in tags]
    return log.record(
        f"upload {tags[0]}…",
        lambda: browser.post(stack.url("/credentials/upload/"), files=files, timeout=40),
    )


def all_final(names_prefix: str, expected: int) -> bool:
    mine = Credential.objects.filter(original_name__startswith=names_prefix)
    return mine.count() == expected and not mine.filter(status=Status.PENDING).exists()


def assert_each_verified_once(prefix: str, expected: int) -> None:
    credentials = list(Credential.objects.filter(original_name__startswith=prefix))
    assert len(credentials) == expected, "an upload was lost"
    assert {c.status for c in credentials} == {Status.VERIFIED}
    for credential in credentials:
        assert credential.runs.count() == 1, f"{credential.original_name} verified twice"


def test_a_killed_worker_s_credentials_are_verified_soon_after_a_new_worker_starts(stack):
    user = applicant()
    browser, log = stack.browser(session_for(user)), Requests()
    for batch in range(3):
        upload(stack, browser, log, [f"kill-{batch}-{n}" for n in range(10)])
    wait_until(
        lambda: Credential.objects.filter(owner=user).exclude(status=Status.PENDING).exists(),
        timeout=60,
        what="the first verification",
    )
    stack.processes["worker"].kill()
    assert Credential.objects.filter(owner=user, status=Status.PENDING).exists(), (
        "the worker finished everything before it was killed"
    )

    stack.start_worker("worker")  # the fault ends: a worker is back
    took = wait_until(
        lambda: all_final("kill-", 30),
        timeout=RECOVERY_GOAL_SECONDS,
        what=stack.logs("worker", "beat"),
    )
    print(f"\nworker killed: all final {took:.1f} s after the new worker started")
    assert_each_verified_once("kill-", 30)
    assert log.not_ok() == []


def test_terminated_database_connections_are_retried_not_lost(stack):
    user = applicant()
    browser, log = stack.browser(session_for(user)), Requests()
    for batch in range(2):
        upload(stack, browser, log, [f"pgterm-{batch}-{n}" for n in range(10)])
    worker = stack.processes["worker"]
    for _ in range(30):
        # The worker's and beat's connections, wherever they are in a task; rounds go on
        # until one has hit a task mid-way (the worker logs its retry).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name IN ('faults-worker', 'faults-beat')"
            )
        log.record("list", lambda: browser.get(stack.url("/credentials/"), timeout=40))
        if "OperationalError" in worker.output() and "retrying in" in worker.output():
            break
        time.sleep(0.2)
    assert "retrying in" in worker.output(), "no round hit a task mid-way"
    took = wait_until(
        lambda: all_final("pgterm-", 20), timeout=RECOVERY_GOAL_SECONDS, what=stack.logs("worker")
    )
    print(f"\ndatabase connections terminated: all final {took:.1f} s after the last round")
    assert_each_verified_once("pgterm-", 20)
    assert log.not_ok() == []


def people_at_work(stack: Stack, log: Requests, prefix: str) -> None:
    """What applicants and HR do while Redis is away: sign in, read, upload, use the API."""
    user = applicant()
    member = MembershipFactory()
    share = SharedCredentialFactory(application__opening__employer=member.employer)
    anonymous = requests.Session()
    log.record("login page", lambda: anonymous.get(stack.url("/accounts/login/"), timeout=40))
    token = anonymous.cookies.get("csrftoken", "")
    login = log.record(
        "login",
        lambda: anonymous.post(
            stack.url("/accounts/login/"),
            data={
                "login": user.email,
                "password": "a-long-test-password",
                "csrfmiddlewaretoken": token,
            },
            timeout=40,
            allow_redirects=False,
        ),
    )
    assert login is None or login.status_code == 302, "a correct login was refused"
    browser = stack.browser(session_for(user))
    hr = stack.browser(session_for(member.user))
    candidate_page = reverse("employers:candidate", args=[share.application_id])
    for n in range(2):
        log.record("dashboard", lambda: browser.get(stack.url("/credentials/"), timeout=40))
        log.record("api", lambda: browser.get(stack.url("/api/v1/me/credentials/"), timeout=40))
        log.record(
            "candidate page",
            lambda: hr.get(stack.url(candidate_page), timeout=40),
        )
        response = upload(stack, browser, log, [f"{prefix}-{n}-{m}" for m in range(3)])
        if response is not None and response.status_code < 400:
            # The applicant is told the truth: stored, checked once the service is back.
            assert (
                "checking will start" in response.text.lower() or "確認を始めます" in response.text
            )


@pytest.mark.parametrize("fault", ["stopped", "frozen"])
def test_redis_down_or_frozen_keeps_the_site_up_and_loses_no_upload(stack, fault):
    redis = stack.processes["redis"]
    log = Requests()
    if fault == "stopped":
        redis.stop()
    else:
        redis.signal(signal.SIGSTOP)
    try:
        people_at_work(stack, log, f"redis-{fault}")
        # /healthz is the one page meant to say 503 now, naming the part that is down.
        health = requests.get(stack.url("/healthz"), timeout=40)
        assert health.status_code == 503
        report = health.json()
        assert report["checks"]["cache"]["ok"] is False
        assert report["checks"]["database"]["ok"] is True
    finally:
        if fault == "stopped":
            stack.start_redis()
        else:
            redis.signal(signal.SIGCONT)
    prefix = f"redis-{fault}-"
    assert Credential.objects.filter(original_name__startswith=prefix).count() == 6, "lost"
    took = wait_until(
        lambda: all_final(prefix, 6),
        timeout=RECOVERY_GOAL_SECONDS,
        what=stack.logs("worker", "beat"),
    )
    print(f"\nredis {fault}: all final {took:.1f} s after Redis was back")
    assert_each_verified_once(prefix, 6)
    assert log.not_ok() == []


class _Issuer(BaseHTTPRequestHandler):
    body = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args) -> None:
        pass


def test_an_issuer_host_down_then_back_is_checked_again_soon_after(stack):
    user = applicant()
    browser, log = stack.browser(session_for(user)), Requests()
    port = stack.issuer_port  # type: ignore[attr-defined]
    links = [f"https://localhost:{port}/badges/{n}.json" for n in range(3)]
    for link in links:  # nothing listens on the port: the host is down
        log.record(
            "link",
            lambda link=link: browser.post(
                stack.url("/credentials/link/"), data={"url": link}, timeout=40
            ),
        )
    mine = Credential.objects.filter(owner=user)
    wait_until(
        lambda: mine.count() == 3 and not mine.filter(status=Status.PENDING).exists(),
        timeout=60,
        what="the first (failed) checks",
    )
    assert set(mine.values_list("status", flat=True)) == {Status.UNVERIFIABLE}
    page = log.record("list", lambda: browser.get(stack.url("/credentials/"), timeout=40))
    assert page is not None
    assert "次の確認" in page.text or "Next check" in page.text

    time.sleep(20)  # the outage goes on past the first quick retries
    _Issuer.body = VALID
    server = ThreadingHTTPServer(("127.0.0.1", port), _Issuer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        took = wait_until(
            lambda: set(mine.values_list("status", flat=True)) == {Status.VERIFIED},
            timeout=RECOVERY_GOAL_SECONDS,
            what=stack.logs("worker"),
        )
    finally:
        server.shutdown()
        server.server_close()
    print(f"\nissuer back: all verified {took:.1f} s after it came back")
    assert log.not_ok() == []
