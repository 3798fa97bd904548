"""The SSRF-safe fetcher: what it refuses, where it connects, its caps and its cache."""

from __future__ import annotations

import gzip
import socket
import threading
import zlib
from collections.abc import Iterator

import httpx
import pytest

from credentials.formats.inflate import inflate_capped
from credentials.verification.addresses import address_refusal
from credentials.verification.fetcher import FetchRefused, IssuerUnreachable
from credentials.verification.safe_fetcher import SafeFetcher

pytest_plugins = ["tests.credentials.issuers.http"]

PUBLIC_IP = "93.184.215.14"


def fixed_resolver(*addresses: str):
    calls: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        calls.append(host)
        return list(addresses)

    resolve.calls = calls  # type: ignore[attr-defined]
    return resolve


def mock_fetcher(handler, *, resolver=None, **kwargs) -> SafeFetcher:
    return SafeFetcher(
        transport=httpx.MockTransport(handler),
        resolver=resolver or fixed_resolver(PUBLIC_IP),
        **kwargs,
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/",
        "https://10.0.0.1/",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/",
        "https://[::ffff:127.0.0.1]/",
        "https://[fd00::1]/",
        "https://[fe80::1]/",
        "https://0.0.0.0/",
        "https://2130706433/",
        "https://0x7f000001/",
        "https://127.1/",
    ],
)
def test_ip_literal_hosts_are_refused(url):
    fetcher = SafeFetcher(resolver=fixed_resolver(PUBLIC_IP))
    with pytest.raises(FetchRefused):
        fetcher.get(url)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 - an address the fetcher must refuse, not a bind
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "::",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "fd00::1",
        "fe80::1",
        "ff02::1",
        "2002:7f00:1::1",  # 6to4 wrapping 127.0.0.1
        "2002:a00:1::1",  # 6to4 wrapping 10.0.0.1
        "64:ff9b::7f00:1",  # NAT64 wrapping 127.0.0.1
        "2001::1",  # Teredo
    ],
)
def test_a_name_resolving_to_a_non_public_address_is_refused(address):
    fetcher = mock_fetcher(lambda r: httpx.Response(200), resolver=fixed_resolver(address))
    with pytest.raises(FetchRefused, match="resolves to"):
        fetcher.get("https://issuer.example/badge.json")


def test_one_bad_address_among_good_ones_is_enough_to_refuse():
    fetcher = mock_fetcher(
        lambda r: httpx.Response(200), resolver=fixed_resolver(PUBLIC_IP, "10.0.0.7")
    )
    with pytest.raises(FetchRefused):
        fetcher.get("https://issuer.example/badge.json")


@pytest.mark.parametrize(
    "address", [PUBLIC_IP, "2606:4700::6810:84e5", "::ffff:93.184.215.14", "64:ff9b::5db8:d70e"]
)
def test_public_addresses_pass(address):
    assert address_refusal(address) == ""


@pytest.mark.parametrize(
    "url",
    [
        "http://issuer.example/badge.json",
        "file:///etc/passwd",
        "ftp://issuer.example/x",
        "gopher://issuer.example/",
        "https://user:secret@issuer.example/badge.json",
        "https:///nohost",
        "not a url",
    ],
)
def test_non_https_and_odd_urls_are_refused(url):
    fetcher = mock_fetcher(lambda r: httpx.Response(200, content=b"{}"))
    with pytest.raises(FetchRefused):
        fetcher.get(url)


def test_connects_to_the_checked_address_with_the_original_name():
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=b'{"ok": true}')

    # A rebinding resolver would answer 127.0.0.1 the second time; it is asked only once.
    answers = iter([[PUBLIC_IP], ["127.0.0.1"]])
    calls: list[str] = []

    def rebinding_resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return next(answers)

    fetcher = mock_fetcher(handler, resolver=rebinding_resolver)
    response = fetcher.get("https://issuer.example/badges/1.json?v=2")

    assert response.status == 200
    assert response.url == "https://issuer.example/badges/1.json?v=2"
    assert calls == ["issuer.example"]
    (request,) = seen
    assert request.url.host == PUBLIC_IP
    assert request.url.scheme == "https"
    assert request.url.raw_path == b"/badges/1.json?v=2"
    assert request.headers["host"] == "issuer.example"
    assert request.extensions["sni_hostname"] == "issuer.example"


def test_redirect_to_a_private_address_is_refused():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "https://internal.example/admin"})

    def resolver(host: str, port: int) -> list[str]:
        return ["10.0.0.5"] if host == "internal.example" else [PUBLIC_IP]

    fetcher = mock_fetcher(handler, resolver=resolver)
    with pytest.raises(FetchRefused, match=r"10\.0\.0\.5"):
        fetcher.get("https://issuer.example/badge.json")


def test_redirect_from_https_to_plain_http_is_refused():
    fetcher = mock_fetcher(
        lambda r: httpx.Response(301, headers={"Location": "http://issuer.example/x"})
    )
    with pytest.raises(FetchRefused, match="HTTPS"):
        fetcher.get("https://issuer.example/badge.json")


def test_a_body_without_declared_length_is_cut_at_the_cap():
    def handler(request: httpx.Request) -> httpx.Response:
        def chunks() -> Iterator[bytes]:
            for _ in range(100):
                yield b"x" * 1000

        return httpx.Response(200, content=chunks())

    fetcher = mock_fetcher(handler, max_bytes=10_000)
    with pytest.raises(FetchRefused, match="larger than 10000"):
        fetcher.get("https://issuer.example/huge.json")


def test_dns_failure_is_retryable():
    def failing(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    fetcher = SafeFetcher(resolver=failing)
    with pytest.raises(IssuerUnreachable) as caught:
        fetcher.get("https://gone.example/badge.json")
    assert caught.value.retryable is True


def test_allowed_host_is_fetched_over_plain_http_even_for_https_urls(issuer_server):
    issuer_server.add_json("/assertion.json", {"id": "a"})
    url = issuer_server.url("/assertion.json")
    assert url.startswith("https://localhost:")

    response = issuer_server.fetcher().get(url)

    assert response.status == 200
    assert response.body == b'{"id": "a"}'
    assert response.url == url
    assert response.content_type == "application/ld+json"
    assert issuer_server.hits == ["/assertion.json"]


def test_allowed_host_by_ip_and_plain_http_url(issuer_server):
    issuer_server.add("/plain", "hello")
    response = issuer_server.fetcher().get(f"http://127.0.0.1:{issuer_server.port}/plain")
    assert response.body == b"hello"


def test_the_test_door_opens_only_the_listed_port(issuer_server):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        other_port = probe.getsockname()[1]
    with pytest.raises(FetchRefused):
        issuer_server.fetcher().get(f"https://localhost:{other_port}/")
    with pytest.raises(FetchRefused):
        issuer_server.fetcher().get(f"http://localhost:{other_port}/")


def test_the_test_door_never_reaches_link_local_addresses(settings):
    settings.VERIFIER_ALLOWED_PRIVATE_HOSTS = ["metadata.internal:80"]
    fetcher = SafeFetcher(
        allowed_private_hosts=settings.VERIFIER_ALLOWED_PRIVATE_HOSTS,
        resolver=fixed_resolver("169.254.169.254"),
    )
    with pytest.raises(FetchRefused, match="link-local"):
        fetcher.get("http://metadata.internal/latest/meta-data/")


def test_up_to_three_redirects_are_followed(issuer_server):
    issuer_server.redirect("/r1", "/r2")
    issuer_server.redirect("/r2", "/r3", status=301)
    issuer_server.redirect("/r3", issuer_server.url("/final"), status=307)
    issuer_server.add("/final", "done")

    response = issuer_server.fetcher().get(issuer_server.url("/r1"))

    assert response.body == b"done"
    assert response.url == issuer_server.url("/final")
    assert issuer_server.hits == ["/r1", "/r2", "/r3", "/final"]


def test_a_fourth_redirect_is_refused(issuer_server):
    for n in range(1, 5):
        issuer_server.redirect(f"/r{n}", f"/r{n + 1}")
    issuer_server.add("/r5", "never")
    with pytest.raises(FetchRefused, match="more than 3 redirects"):
        issuer_server.fetcher().get(issuer_server.url("/r1"))
    assert "/r5" not in issuer_server.hits


def test_a_redirect_from_an_allowed_host_to_the_metadata_address_is_refused(issuer_server):
    issuer_server.redirect("/hop", "http://169.254.169.254/latest/meta-data/")
    with pytest.raises(FetchRefused):
        issuer_server.fetcher().get(issuer_server.url("/hop"))


def test_a_declared_body_over_the_cap_is_refused(issuer_server, settings):
    settings.VERIFIER_FETCH_MAX_BYTES = 1000
    issuer_server.add("/big.json", b"x" * 1001)
    issuer_server.add("/small.json", b"x" * 1000)
    fetcher = issuer_server.fetcher()
    assert fetcher.max_bytes == 1000
    with pytest.raises(FetchRefused, match="larger than 1000"):
        fetcher.get(issuer_server.url("/big.json"))
    assert len(fetcher.get(issuer_server.url("/small.json")).body) == 1000


def test_a_slow_issuer_times_out_as_unreachable(issuer_server, settings):
    """The timeout setting is honoured: the server answers only after the test is done
    with it, so the only way out of ``get`` is the fetcher giving up on its own."""
    settings.VERIFIER_FETCH_TIMEOUT_SECONDS = 0.3
    release = threading.Event()

    def slow():
        release.wait(timeout=30)
        return 200, {}, b"{}"

    issuer_server.routes["/slow.json"] = slow
    fetcher = issuer_server.fetcher()
    assert fetcher.timeout_seconds == 0.3
    try:
        with pytest.raises(IssuerUnreachable) as caught:
            fetcher.get(issuer_server.url("/slow.json"))
    finally:
        release.set()
    assert caught.value.retryable is True
    assert caught.value.reason == "timed out"
    assert issuer_server.hits == ["/slow.json"]  # one request, no retry inside the fetch


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_unreachable(issuer_server, status):
    issuer_server.add("/broken.json", "oops", status=status)
    with pytest.raises(IssuerUnreachable, match=f"HTTP {status}"):
        issuer_server.fetcher().get(issuer_server.url("/broken.json"))


@pytest.mark.parametrize("status", [404, 410])
def test_client_errors_are_returned_for_the_caller_to_judge(issuer_server, status):
    issuer_server.add("/gone.json", '{"revoked": true}', status=status)
    response = issuer_server.fetcher().get(issuer_server.url("/gone.json"))
    assert response.status == status
    assert response.body == b'{"revoked": true}'


def test_a_closed_port_is_unreachable(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    fetcher = SafeFetcher(allowed_private_hosts=[f"localhost:{port}"], timeout_seconds=2)
    with pytest.raises(IssuerUnreachable, match="connection failed"):
        fetcher.get(f"https://localhost:{port}/x.json")


def test_repeated_fetches_are_served_from_the_cache(issuer_server):
    issuer_server.add_json("/profile.json", {"id": "p"})
    fetcher = issuer_server.fetcher()
    first = fetcher.get(issuer_server.url("/profile.json"))
    second = fetcher.get(issuer_server.url("/profile.json"))
    assert first == second
    assert issuer_server.hits == ["/profile.json"]


def test_cached_responses_expire_after_their_ttl(issuer_server):
    now = [1000.0]
    fetcher = SafeFetcher(
        allowed_private_hosts=[issuer_server.authority],
        cache_ttl_seconds=60,
        clock=lambda: now[0],
    )
    issuer_server.add("/list.json", "v1")
    assert fetcher.get(issuer_server.url("/list.json")).body == b"v1"
    issuer_server.add("/list.json", "v2")
    now[0] += 59
    assert fetcher.get(issuer_server.url("/list.json")).body == b"v1"
    now[0] += 2
    assert fetcher.get(issuer_server.url("/list.json")).body == b"v2"
    assert issuer_server.hits == ["/list.json", "/list.json"]


def test_the_cache_is_bounded():
    fetcher = mock_fetcher(lambda r: httpx.Response(200, content=r.url.path.encode()))
    for n in range(300):
        fetcher.get(f"https://issuer.example/{n}")
    assert len(fetcher.cache._entries) == 256
    assert (
        fetcher.cache.get(("https://issuer.example/0", "application/ld+json, application/json"))
        is None
    )


def test_from_settings_shares_one_fetcher_per_configuration(settings):
    settings.VERIFIER_ALLOWED_PRIVATE_HOSTS = ["demo-issuer:8000"]
    settings.VERIFIER_FETCH_TIMEOUT_SECONDS = 4.0
    settings.VERIFIER_FETCH_MAX_BYTES = 12345
    fetcher = SafeFetcher.from_settings()
    assert fetcher is SafeFetcher.from_settings()
    assert fetcher.allowed_private_hosts == {"demo-issuer:8000"}
    assert fetcher.timeout_seconds == 4.0
    assert fetcher.max_bytes == 12345
    assert fetcher.cache.ttl == settings.VERIFIER_FETCH_CACHE_SECONDS
    settings.VERIFIER_FETCH_CACHE_SECONDS = 0
    assert SafeFetcher.from_settings() is not fetcher  # new settings, a fresh fetcher
    assert SafeFetcher.from_settings().cache.ttl == 0


@pytest.mark.parametrize("compress", [gzip.compress, zlib.compress])
def test_inflate_capped_round_trips_gzip_and_zlib(compress):
    data = bytes(range(256)) * 64
    assert inflate_capped(compress(data), max_bytes=len(data)) == data


def test_inflate_capped_refuses_a_decompression_bomb():
    bomb = gzip.compress(b"\0" * 50_000_000)
    assert len(bomb) < 100_000
    with pytest.raises(ValueError, match="more than"):
        inflate_capped(bomb, max_bytes=16_000_000)


@pytest.mark.parametrize(
    "data",
    [b"", b"not compressed", gzip.compress(b"x" * 1000, mtime=0)[:-12]],
    ids=["empty", "plain", "truncated"],
)
def test_inflate_capped_refuses_corrupt_or_truncated_streams(data):
    with pytest.raises(ValueError, match=r"truncated|not a gzip"):
        inflate_capped(data, max_bytes=1_000_000)
