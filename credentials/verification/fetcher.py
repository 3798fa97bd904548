"""The one way the engine reaches the network.

Every fetch (hosted assertions, issuer profiles, DID documents, key documents, status
lists) goes through the ``Fetcher`` of the ``VerificationContext``. Production uses
``safe_fetcher.SafeFetcher`` (SSRF guard, size and time caps, cache); whoever builds the
context may give another (tests play the remote hosts with one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


class FetchError(Exception):
    """A fetch that produced no usable response.

    ``retryable`` says whether trying later can help.
    """

    code = "fetch_error"
    retryable = False

    def __init__(self, url: str, reason: str = "") -> None:
        super().__init__(f"{url}: {reason}" if reason else url)
        self.url = url
        self.reason = reason


class FetchRefused(FetchError):
    """The portal refused to fetch: not HTTPS, a private address, too large, too many redirects."""

    code = "fetch_refused"


class IssuerUnreachable(FetchError):
    """DNS failure, timeout, connection error or a 5xx: the issuer's host may recover."""

    code = "issuer_unreachable"
    retryable = True


@dataclass(frozen=True, slots=True)
class FetchResponse:
    url: str  # the final URL after redirects
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


class Fetcher(Protocol):
    def get(
        self, url: str, *, accept: str = "application/ld+json, application/json"
    ) -> FetchResponse:
        """GET ``url``. Returns any 2xx/3xx-resolved/4xx response; raises ``FetchRefused``
        for policy refusals and ``IssuerUnreachable`` for network errors and 5xx."""
        ...
