"""Fetchers that play the remote hosts for engine tests (the engine reaches the network
only through ``VerificationContext.fetcher``)."""

from __future__ import annotations

from collections.abc import Mapping

from credentials.verification.fetcher import FetchResponse, IssuerUnreachable


class StaticFetcher:
    """Plays remote hosts from a mapping of URL → body (or full response). Unknown URLs are
    unreachable, so a test that forgets a document sees ``unverifiable``, never the network."""

    def __init__(self, documents: Mapping[str, bytes | str | FetchResponse] | None = None) -> None:
        self.documents = dict(documents or {})
        self.requested: list[str] = []

    def get(
        self, url: str, *, accept: str = "application/ld+json, application/json"
    ) -> FetchResponse:
        self.requested.append(url)
        found = self.documents.get(url)
        if found is None:
            raise IssuerUnreachable(url, "no such document in the static fetcher")
        if isinstance(found, FetchResponse):
            return found
        body = found.encode() if isinstance(found, str) else found
        return FetchResponse(
            url=url, status=200, body=body, headers={"content-type": "application/json"}
        )
