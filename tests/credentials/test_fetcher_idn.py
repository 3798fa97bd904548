"""Internationalised host names in links (review M3): encoded for DNS, Host and SNI, and a
name that cannot be encoded is the link's fault, not a host that may come back."""

from __future__ import annotations

import httpx
import pytest

from credentials.verification import engine
from credentials.verification.context import VerificationContext
from credentials.verification.fetcher import FetchRefused
from credentials.verification.safe_fetcher import SafeFetcher
from credentials.vocabulary import Status
from tests.fetchers import StaticFetcher

PUBLIC_IP = "93.184.215.14"


def _fetcher(seen: list[httpx.Request], resolved: list[str]) -> SafeFetcher:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(404, content=b"not here")

    def resolve(host: str, port: int) -> list[str]:
        resolved.append(host)
        return [PUBLIC_IP]

    return SafeFetcher(transport=httpx.MockTransport(handler), resolver=resolve)


def test_an_idn_host_is_looked_up_and_sent_in_its_ascii_form() -> None:
    seen: list[httpx.Request] = []
    resolved: list[str] = []
    response = _fetcher(seen, resolved).get("https://例え.jp/badge")
    assert response.status == 404
    assert resolved == ["xn--r8jz45g.jp"]
    assert seen[0].headers["host"] == "xn--r8jz45g.jp"
    assert seen[0].extensions["sni_hostname"] == "xn--r8jz45g.jp"
    assert seen[0].url.host == PUBLIC_IP


@pytest.mark.parametrize("host", ["\u0301abc.jp", "a" * 70 + "例.jp"])
def test_a_host_idna_cannot_encode_is_refused(host: str) -> None:
    seen: list[httpx.Request] = []
    resolved: list[str] = []
    with pytest.raises(FetchRefused) as caught:
        _fetcher(seen, resolved).get(f"https://{host}/badge")
    assert caught.value.retryable is False
    assert (seen, resolved) == ([], [])


def test_an_unencodable_link_is_a_final_result_not_a_retry_loop() -> None:
    seen: list[httpx.Request] = []
    ctx = VerificationContext(fetcher=_fetcher(seen, []))
    report = engine.verify_url("https://\u0301abc.jp/badge", ctx=ctx)
    assert report.status == Status.UNVERIFIABLE
    assert report.retryable is False
    assert [c.code for c in report.checks] == ["url_unreachable"]


def test_a_crash_inside_the_engine_is_not_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(url: str, *, ctx: VerificationContext) -> None:
        raise UnicodeEncodeError("ascii", "例", 0, 1, "ordinal not in range")

    monkeypatch.setattr(engine, "_verify_url", explode)
    report = engine.verify_url(
        "https://example.org/badge", ctx=VerificationContext(fetcher=StaticFetcher())
    )
    assert (report.status, report.retryable) == (Status.UNVERIFIABLE, False)
