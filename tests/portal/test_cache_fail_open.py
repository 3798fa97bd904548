"""The Redis cache fails open: down or frozen, calls answer as a miss, log once, and the
process leaves Redis alone for a while; once Redis is back it is used again."""

import logging
import signal
import subprocess
import time

import pytest

from portal.cache import FailOpenRedisCache
from tests.faults.stack import free_port, wait_until


@pytest.fixture
def port():
    return free_port()


def cache_on(port: int, *, retry_after: float = 0.2) -> FailOpenRedisCache:
    return FailOpenRedisCache(
        f"redis://127.0.0.1:{port}/0",
        {
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
                "retry_after": retry_after,
            }
        },
    )


@pytest.fixture
def redis_server(port, tmp_path):
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    yield process
    process.send_signal(signal.SIGCONT)
    process.kill()
    process.wait(timeout=10)


def test_redis_down_answers_as_a_miss_and_logs_once(port, caplog):
    cache = cache_on(port, retry_after=60)
    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        assert cache.get("key", "default") == "default"
        assert cache.add("lock", 1) is True  # allauth's rate-limit lock must not spin
        cache.set("key", "value")
        assert cache.get_many(["a", "b"]) == {}
        assert cache.incr("counter", 3) == 3
        assert cache.delete("key") is False
    assert len([r for r in caplog.records if "cache unavailable" in r.message]) == 1
    with pytest.raises(Exception):  # noqa: B017, PT011 — /healthz reports whatever redis-py raises
        cache.ping()


def test_a_frozen_redis_times_out_then_is_skipped_and_a_recovered_one_is_used(port, redis_server):
    cache = cache_on(port)
    wait_until(lambda: cache.add("ready", 1, timeout=5) and cache.get("ready") == 1, timeout=15)
    cache.set("key", "kept")
    redis_server.send_signal(signal.SIGSTOP)
    assert cache.get("key", "default") == "default"  # the read timed out
    assert cache._cache.breaker.is_open()
    assert cache.get("key", "default") == "default"  # skipped, not waited for
    redis_server.send_signal(signal.SIGCONT)
    time.sleep(0.3)  # past retry_after
    assert cache.get("key") == "kept"
