"""A local issuer host for tests: a threaded HTTP server on 127.0.0.1 with a random port.

Use the ``issuer_server`` fixture (add ``"tests.credentials.issuers.http"`` to
``pytest_plugins``, or import the fixture). It serves a dict of path → (status, headers,
body); ``issuer_server.fetcher()`` is a ``SafeFetcher`` whose ``allowed_private_hosts`` are
this server (``localhost:<port>`` and ``127.0.0.1:<port>``), with the timeout and size cap
of the settings when first asked for. It hands out ``https://localhost:<port>`` URLs, which
the fetcher's door for allowed hosts fetches over plain HTTP. The server is also added to
``VERIFIER_ALLOWED_PRIVATE_HOSTS`` for code that builds its fetcher from the settings.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings

from credentials.verification.safe_fetcher import SafeFetcher

Response = tuple[int, Mapping[str, str], bytes]
Route = Response | Callable[[], Response]


@dataclass
class IssuerServer:
    host: str
    port: int
    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    _fetcher: SafeFetcher | None = None

    @property
    def authority(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def origin(self) -> str:
        """The https origin credentials should name (fetched over HTTP by the test door)."""
        return f"https://{self.authority}"

    @property
    def did_web(self) -> str:
        """``did:web`` for the server root (port percent-encoded as the did:web spec says)."""
        return f"did:web:{quote(self.authority, safe='')}"

    def url(self, path: str) -> str:
        return f"{self.origin}{path}"

    def http_url(self, path: str) -> str:
        return f"http://{self.authority}{path}"

    def add(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> str:
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = (status, dict(headers or {}), data)
        return self.url(path)

    def add_json(self, path: str, document: Any, *, status: int = 200) -> str:
        return self.add(
            path,
            json.dumps(document),
            status=status,
            headers={"Content-Type": "application/ld+json"},
        )

    def redirect(self, path: str, location: str, *, status: int = 302) -> str:
        return self.add(path, status=status, headers={"Location": location})

    def fetcher(self) -> SafeFetcher:
        """The production fetcher, let through to this server only, with a cache of its
        own (ports are reused between tests; a shared cache would leak responses)."""
        if self._fetcher is None:
            self._fetcher = SafeFetcher(
                allowed_private_hosts=(f"localhost:{self.port}", f"127.0.0.1:{self.port}"),
                timeout_seconds=django_settings.VERIFIER_FETCH_TIMEOUT_SECONDS,
                max_bytes=django_settings.VERIFIER_FETCH_MAX_BYTES,
            )
        return self._fetcher


def _handler_for(server: IssuerServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server.hits.append(self.path)
            route = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
            if route is None:
                status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
            else:
                status, headers, body = route() if callable(route) else route
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if not any(name.lower() == "content-length" for name in headers):
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the fetcher hung up on purpose (size cap, timeout)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def issuer_server(settings: Any) -> Iterator[IssuerServer]:
    """A running local issuer host, allowed through the fetcher's test door for this test."""
    issuer = IssuerServer(host="localhost", port=0)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(issuer))
    httpd.daemon_threads = True
    issuer.port = httpd.server_address[1]
    settings.VERIFIER_ALLOWED_PRIVATE_HOSTS = [
        *settings.VERIFIER_ALLOWED_PRIVATE_HOSTS,
        f"localhost:{issuer.port}",
        f"127.0.0.1:{issuer.port}",
    ]
    # Code that builds its fetcher from the settings gets one that caches nothing: ports
    # are reused between tests, and a response cached for an earlier one must not leak.
    settings.VERIFIER_FETCH_CACHE_SECONDS = 0
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield issuer
    finally:
        httpd.shutdown()
        httpd.server_close()
