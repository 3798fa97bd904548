"""The production fetcher: HTTPS only, public addresses only, bounded, cached."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings

from credentials.verification.addresses import (
    Resolver,
    address_refusal,
    allowed_host_refusal,
    ascii_host,
    is_ip_literal,
    resolve_host,
)
from credentials.verification.fetcher import FetchRefused, FetchResponse, IssuerUnreachable

USER_AGENT = "credential-portal-verifier/1.0 (+badge verification)"
MAX_REDIRECTS = 3
# Connect and per-read limits inside the overall per-document deadline (settings).
CONNECT_TIMEOUT_SECONDS = 3.0
READ_TIMEOUT_SECONDS = 5.0
CACHE_TTL_SECONDS = 300.0
CACHE_MAX_ENTRIES = 256
# Bound on cached body bytes in one process, so the cache cannot grow to
# CACHE_MAX_ENTRIES x VERIFIER_FETCH_MAX_BYTES.
CACHE_MAX_BYTES = 32_000_000
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class _ResponseCache:
    """A small thread-safe LRU of responses with a time-to-live, bounded in entries and bytes."""

    def __init__(
        self, *, ttl: float, max_entries: int, max_bytes: int, clock: Callable[[], float]
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.clock = clock
        self._entries: OrderedDict[tuple[str, str], tuple[float, FetchResponse]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> FetchResponse | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            expires_at, response = found
            if expires_at <= self.clock():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return response

    def put(self, key: tuple[str, str], response: FetchResponse) -> None:
        if self.ttl <= 0 or len(response.body) > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (self.clock() + self.ttl, response)
            self._bytes += len(response.body)
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _drop(self, key: tuple[str, str]) -> None:
        _, response = self._entries.pop(key)
        self._bytes -= len(response.body)


@dataclass(frozen=True, slots=True)
class _Target:
    """A URL vetted for fetching: where to connect and what to tell the server."""

    url: str  # as the credential names it; responses and redirects are relative to it
    connect_url: str  # scheme://<vetted IP>:port/path?query
    host_header: str
    sni_hostname: str | None


class SafeFetcher:
    """The production fetcher: HTTPS only, public addresses only, bounded, cached.

    Rules (reference §7.1): no credentials in URLs, no IP-literal hosts, every resolved
    address must be public, the connection goes to the address that was checked (so DNS
    cannot rebind between check and connect), at most ``MAX_REDIRECTS`` redirects each
    re-checked, a byte cap while streaming, connect/read timeouts and an overall deadline.

    ``allowed_private_hosts`` (``host:port``) is the test and demo door: those exact
    hosts may be on loopback or a private network and are fetched over plain HTTP, even
    when the URL says ``https`` (so did:web and issuer URLs in fixtures keep their form).
    """

    def __init__(
        self,
        *,
        allowed_private_hosts: Sequence[str] = (),
        timeout_seconds: float = 10.0,
        max_bytes: int = 2_000_000,
        resolver: Resolver = resolve_host,
        transport: httpx.BaseTransport | None = None,
        cache_ttl_seconds: float = CACHE_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.allowed_private_hosts = frozenset(h.strip().lower() for h in allowed_private_hosts)
        self.timeout_seconds = timeout_seconds
        self.max_bytes = max_bytes
        self.resolver = resolver
        self.clock = clock
        self.cache = _ResponseCache(
            ttl=cache_ttl_seconds,
            max_entries=CACHE_MAX_ENTRIES,
            max_bytes=CACHE_MAX_BYTES,
            clock=clock,
        )
        self._client = httpx.Client(
            transport=transport,
            follow_redirects=False,
            trust_env=False,  # a proxy from the environment would bypass address pinning
            timeout=httpx.Timeout(
                timeout_seconds,
                connect=min(CONNECT_TIMEOUT_SECONDS, timeout_seconds),
                read=min(READ_TIMEOUT_SECONDS, timeout_seconds),
            ),
            # No keep-alive: a pooled connection to one IP, checked against one name's
            # certificate, must not carry a request for another name on the same IP.
            limits=httpx.Limits(max_keepalive_connections=0),
        )

    # One fetcher per process for the current settings (settings do not change in
    # production; when a test changes them, the next call builds a fresh fetcher).
    _shared: ClassVar[tuple[tuple[object, ...], SafeFetcher] | None] = None
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def from_settings(cls) -> SafeFetcher:
        """The process-wide fetcher for the current settings (shared, so its cache is too)."""
        allowed = tuple(settings.VERIFIER_ALLOWED_PRIVATE_HOSTS)
        key = (
            allowed,
            settings.VERIFIER_FETCH_TIMEOUT_SECONDS,
            settings.VERIFIER_FETCH_MAX_BYTES,
            settings.VERIFIER_FETCH_CACHE_SECONDS,
        )
        with cls._shared_lock:
            if cls._shared is None or cls._shared[0] != key:
                fetcher = cls(
                    allowed_private_hosts=allowed,
                    timeout_seconds=settings.VERIFIER_FETCH_TIMEOUT_SECONDS,
                    max_bytes=settings.VERIFIER_FETCH_MAX_BYTES,
                    cache_ttl_seconds=settings.VERIFIER_FETCH_CACHE_SECONDS,
                )
                cls._shared = (key, fetcher)
            return cls._shared[1]

    def get(
        self, url: str, *, accept: str = "application/ld+json, application/json"
    ) -> FetchResponse:
        key = (url, accept)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        deadline = self.clock() + self.timeout_seconds
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            target = self._vet(current)
            status, headers, body = self._request(target, accept=accept, deadline=deadline)
            if status in _REDIRECT_STATUSES and headers.get("location"):
                current = urljoin(current, headers["location"])
                continue
            if status >= 500:
                raise IssuerUnreachable(current, f"HTTP {status}")
            response = FetchResponse(url=current, status=status, body=body, headers=headers)
            self.cache.put(key, response)
            return response
        raise FetchRefused(url, f"more than {MAX_REDIRECTS} redirects")

    def _vet(self, url: str) -> _Target:
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise FetchRefused(url, "not a valid URL") from exc
        scheme = parts.scheme.lower()
        if scheme not in ("https", "http"):
            raise FetchRefused(url, f"scheme {scheme or '(none)'} is not allowed")
        host = ascii_host(url, parts.hostname or "")
        if not host:
            raise FetchRefused(url, "no host")
        if parts.username is not None or parts.password is not None:
            raise FetchRefused(url, "credentials in the URL")
        port = port or (443 if scheme == "https" else 80)
        authority = f"{host}:{port}"
        if ":" in host:  # an IPv6 literal needs brackets in host:port
            authority = f"[{host}]:{port}"
        is_allowed = authority in self.allowed_private_hosts
        if not is_allowed:
            if scheme != "https":
                raise FetchRefused(url, "only HTTPS is allowed")
            if is_ip_literal(host):
                raise FetchRefused(url, "IP addresses are not accepted as hosts")
        try:
            addresses = list(self.resolver(host.strip("[]"), port))
        except (OSError, UnicodeError) as exc:
            raise IssuerUnreachable(url, f"DNS lookup failed: {exc}") from exc
        if not addresses:
            raise IssuerUnreachable(url, "DNS lookup returned no address")
        for address in addresses:
            reason = allowed_host_refusal(address) if is_allowed else address_refusal(address)
            if reason:
                raise FetchRefused(url, f"{host} resolves to {address} ({reason})")
        # IPv4 first: many issuer hosts (and containers) answer on IPv4 only.
        pinned = sorted(addresses, key=lambda a: ":" in a)[0]
        pinned_host = f"[{pinned}]" if ":" in pinned else pinned
        path = parts.path or "/"
        if parts.query:
            path = f"{path}?{parts.query}"
        # The test door fetches https URLs of allowed hosts over plain HTTP.
        connect_scheme = "http" if is_allowed else "https"
        default_port = 80 if connect_scheme == "http" else 443
        host_header = host if port == default_port or parts.port is None else authority
        return _Target(
            url=url,
            connect_url=f"{connect_scheme}://{pinned_host}:{port}{path}",
            host_header=host_header,
            sni_hostname=host if connect_scheme == "https" else None,
        )

    def _request(
        self, target: _Target, *, accept: str, deadline: float
    ) -> tuple[int, dict[str, str], bytes]:
        extensions = {"sni_hostname": target.sni_hostname} if target.sni_hostname else {}
        request_headers = {
            "Host": target.host_header,
            "Accept": accept,
            # Compressed transfer would let a small response inflate past the cap unseen.
            "Accept-Encoding": "identity",
            "User-Agent": USER_AGENT,
        }
        try:
            with self._client.stream(
                "GET", target.connect_url, headers=request_headers, extensions=extensions
            ) as response:
                headers = {k.lower(): v for k, v in response.headers.items()}
                declared = headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchRefused(target.url, f"response larger than {self.max_bytes} bytes")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchRefused(
                            target.url, f"response larger than {self.max_bytes} bytes"
                        )
                    if self.clock() > deadline:
                        raise IssuerUnreachable(target.url, "the response took too long")
                    chunks.append(chunk)
                return response.status_code, headers, b"".join(chunks)
        except httpx.TimeoutException as exc:
            raise IssuerUnreachable(target.url, "timed out") from exc
        except (httpx.TransportError, httpx.DecodingError) as exc:
            raise IssuerUnreachable(target.url, f"connection failed: {exc}") from exc
        except httpx.HTTPError as exc:
            raise FetchRefused(target.url, f"request refused: {exc}") from exc
