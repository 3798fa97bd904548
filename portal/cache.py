"""A Redis cache that fails open: when Redis is down or frozen the site keeps serving.

Everything this site keeps in the cache can be lost: rendered cards and statistics are
recomputed, allauth's and DRF's rate-limit counters start again. So a cache error is logged
and answered as a miss (``get`` → default, ``add`` → stored, ``set`` → nothing), never
raised into a request. The socket timeouts (settings.CACHE_SOCKET_TIMEOUT_SECONDS) bound one
call; after a failure the process skips Redis for CACHE_RETRY_AFTER_SECONDS, so a page that
makes ten cache calls while Redis is frozen waits for one timeout, not ten.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class _Breaker:
    """Open for ``retry_after`` seconds after a failure: calls are skipped meanwhile."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        self._open_until = 0.0
        self._lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self._open_until

    def trip(self, operation: str, error: Exception) -> None:
        with self._lock:
            already_open = self.is_open()
            self._open_until = time.monotonic() + self.retry_after
        if not already_open:
            # One line per outage window and process, not one per cache call.
            logger.warning(
                "cache unavailable (%s during %s: %s); serving without it for %.0f s",
                type(error).__name__,
                operation,
                error,
                self.retry_after,
            )


def _fail_open(method: Callable[..., Any], fallback: Callable[[tuple[Any, ...]], Any]) -> Any:
    """``method`` of RedisCacheClient, answering ``fallback(args)`` when Redis fails."""

    @functools.wraps(method)
    def guarded(self: FailOpenRedisCacheClient, *args: Any) -> Any:
        if self.breaker.is_open():
            return fallback(args)
        try:
            return method(self, *args)
        except (RedisError, OSError) as error:
            self.breaker.trip(method.__name__, error)
            return fallback(args)

    return guarded


class FailOpenRedisCacheClient(RedisCacheClient):
    def __init__(self, servers: list[str], *, retry_after: float = 5.0, **options: Any) -> None:
        super().__init__(servers, **options)
        self.breaker = _Breaker(retry_after)

    # add() answers True: allauth's rate-limit lock spins on add() for a second and then
    # refuses the request, so "added" is what lets a login through while Redis is down.
    add = _fail_open(RedisCacheClient.add, lambda args: True)
    get = _fail_open(RedisCacheClient.get, lambda args: args[1])  # (key, default)
    set = _fail_open(RedisCacheClient.set, lambda args: None)
    touch = _fail_open(RedisCacheClient.touch, lambda args: False)
    delete = _fail_open(RedisCacheClient.delete, lambda args: False)
    get_many = _fail_open(RedisCacheClient.get_many, lambda args: {})
    has_key = _fail_open(RedisCacheClient.has_key, lambda args: False)
    incr = _fail_open(RedisCacheClient.incr, lambda args: args[1])  # (key, delta)
    set_many = _fail_open(RedisCacheClient.set_many, lambda args: None)
    delete_many = _fail_open(RedisCacheClient.delete_many, lambda args: None)
    clear = _fail_open(RedisCacheClient.clear, lambda args: False)

    def ping(self) -> None:
        """Raise if Redis does not answer within the socket timeout (for /healthz); the
        breaker is bypassed so a recovered Redis is reported at once."""
        self.get_client(write=True).ping()


class FailOpenRedisCache(RedisCache):
    """settings.CACHES backend: django's RedisCache with FailOpenRedisCacheClient.

    OPTIONS: ``retry_after`` (seconds to skip Redis after a failure) plus redis-py
    connection-pool options (``socket_connect_timeout``, ``socket_timeout``)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = FailOpenRedisCacheClient

    def ping(self) -> None:
        self._cache.ping()  # type: ignore[attr-defined]  # _cache is our client (__init__)
