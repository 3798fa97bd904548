"""Detection from bytes and extraction from baked images, including hostile input."""

from __future__ import annotations

import contextlib
import json
import struct
import zlib
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credentials.formats import detect
from credentials.formats.detect import ExtractionError, extract
from credentials.verification.context import VerificationContext
from credentials.verification.engine import verify_bytes
from credentials.vocabulary import CheckId, Container, Outcome, Status
from tests.credentials.issuers.dataintegrity import png_with_text
from tests.fetchers import StaticFetcher

DOC = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]}


def _code(data: bytes) -> str:
    with pytest.raises(ExtractionError) as caught:
        extract(data)
    return caught.value.code


def test_detection_ignores_names_and_reads_bytes() -> None:
    text = json.dumps(DOC)
    assert extract(text.encode()).container == Container.JSON
    assert extract(b"\xef\xbb\xbf  " + text.encode()).kind == "json"
    assert extract(b"eyJhbGciOiJFUzI1NiJ9.eyJ2YyI6e319.c2ln").kind == "jws"
    assert (
        extract(png_with_text((b"iTXt", b"openbadgecredential", text))).container == Container.PNG
    )


def test_png_with_ob2_text_url_is_a_hosted_link() -> None:
    found = extract(png_with_text((b"tEXt", b"openbadges", "https://issuer.example/a/1")))
    assert (found.container, found.kind, found.text) == (
        Container.PNG,
        "url",
        "https://issuer.example/a/1",
    )


def test_png_without_badge_data_is_malformed() -> None:
    assert _code(png_with_text()) == "png_no_badge"


def test_png_with_two_different_payloads_is_ambiguous() -> None:
    data = png_with_text(
        (b"iTXt", b"openbadgecredential", json.dumps(DOC)),
        (b"iTXt", b"openbadges", json.dumps(DOC | {"name": "other"})),
    )
    assert _code(data) == "baked_ambiguous"


def test_png_with_the_same_payload_twice_is_fine() -> None:
    text = json.dumps(DOC)
    data = png_with_text(
        (b"iTXt", b"openbadgecredential", text), (b"iTXt", b"openbadgecredential", text)
    )
    assert extract(data).document == DOC


def test_truncated_png_is_malformed() -> None:
    data = png_with_text((b"iTXt", b"openbadgecredential", json.dumps(DOC)))
    assert _code(data[:60]) == "png_invalid"


def test_png_with_a_bad_checksum_is_malformed() -> None:
    data = bytearray(png_with_text((b"iTXt", b"openbadgecredential", json.dumps(DOC))))
    data[40] ^= 0xFF
    assert _code(bytes(data)) == "png_invalid"


def test_png_chunk_claiming_gigabytes_is_refused_without_reading() -> None:
    chunk = struct.pack(">I", 0x7FFFFFFF) + b"iTXt" + b"x" * 16
    assert _code(b"\x89PNG\r\n\x1a\n" + chunk) == "png_invalid"


def test_giant_png_is_refused() -> None:
    assert _code(b"\x89PNG\r\n\x1a\n" + bytes(6 * 1024 * 1024)) == "input_too_large"


def test_compressed_itxt_bomb_is_refused() -> None:
    bomb = zlib.compress(b"{" + b" " * (8 * 1024 * 1024))
    body = b"openbadgecredential\x00\x01\x00\x00\x00" + bomb
    chunk = (
        struct.pack(">I", len(body))
        + b"iTXt"
        + body
        + struct.pack(">I", zlib.crc32(b"iTXt" + body))
    )
    head = png_with_text()
    data = head[:-12] + chunk + head[-12:]
    assert _code(data) == "png_invalid"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&lol3;</text></svg>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">
<openbadges:credential>&xxe;</openbadges:credential></svg>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, XXE])
def test_svg_entities_are_refused(data: bytes) -> None:
    assert _code(data) == "svg_forbidden_xml"


def test_svg_doctype_without_entities_is_accepted_and_matched_by_namespace() -> None:
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="https://purl.imsglobal.org/ob/v3p0">'
        b"<ob:credential><![CDATA[" + json.dumps(DOC).encode() + b"]]></ob:credential></svg>"
    )
    assert extract(data).document == DOC


def test_svg_with_the_wrong_namespace_has_no_badge() -> None:
    data = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/spec/ob/v3p0">'
        b"<openbadges:credential>{}</openbadges:credential></svg>"
    )
    assert _code(data) == "svg_no_badge"


def test_ob2_svg_verify_attribute_is_the_payload() -> None:
    data = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        b'<openbadges:assertion verify="https://issuer.example/assertions/1"/></svg>'
    )
    found = extract(data)
    assert (found.container, found.kind) == (Container.SVG, "url")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "input_unknown_format"),
        (b'{"a":' * 100 + b"1" + b"}" * 100, "json_too_deep"),
        (b'{"a": 1, "a": 2}', "json_duplicate_key"),
        (b'{"n": ' + b"9" * 10_000 + b"}", "json_invalid"),
        (b'{"a": [' + b"0," * 60_000 + b"0]}", "json_too_large"),
        (b"{" + b" " * (2 * 1024 * 1024) + b"}", "input_too_large"),
        (b"\x00\x01\x02garbage", "input_unknown_format"),
        (b"", "input_empty"),
    ],
)
def test_hostile_or_odd_input_is_refused_with_a_reason(data: bytes, code: str) -> None:
    assert _code(data) == code


def test_deeply_nested_json_is_refused_and_parsing_is_bounded_by_the_byte_cap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The parser never sees more than ``MAX_JSON_BYTES``: a bomb within the cap is refused
    for its depth, one past the cap before any byte of it is parsed. (Its speed is
    ``bench/``'s business; what a test can hold is the work it may cause.)"""
    parsed: list[int] = []
    real_loads = json.loads

    def counting_loads(text: str | bytes, **kwargs: Any) -> Any:
        parsed.append(len(text))
        return real_loads(text, **kwargs)

    monkeypatch.setattr(detect, "json", SimpleNamespace(loads=counting_loads))
    within = b'{"a":' * 50_000 + b"1" + b"}" * 50_000
    assert len(within) <= detect.MAX_JSON_BYTES
    assert _code(within) == "json_too_deep"
    assert parsed
    assert max(parsed) <= detect.MAX_JSON_BYTES

    parsed.clear()
    beyond = b'{"a":' * 200_000 + b"1" + b"}" * 200_000
    report = verify_bytes(beyond, ctx=VerificationContext(fetcher=StaticFetcher()))
    assert report.status == Status.MALFORMED
    assert report.checks[0].code == "input_too_large"
    assert parsed == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_extract_never_raises_anything_but_extraction_errors(data: bytes) -> None:
    with contextlib.suppress(ExtractionError):
        extract(data)


_json_leaf = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
)
_json = st.recursive(
    _json_leaf,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
_credentialish = st.fixed_dictionaries(
    {
        "@context": st.sampled_from(
            [
                ["https://www.w3.org/ns/credentials/v2"],
                ["https://www.w3.org/2018/credentials/v1"],
                "x",
                [{}],
            ]
        ),
        "type": st.sampled_from(
            [["VerifiableCredential", "OpenBadgeCredential"], "Assertion", ["X"]]
        ),
    },
    optional={
        "issuer": _json,
        "credentialSubject": _json,
        "proof": _json,
        "validFrom": _json,
        "credentialStatus": _json,
        "badge": _json,
        "recipient": _json,
    },
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300), _credentialish.map(lambda d: json.dumps(d).encode())))
def test_verify_bytes_never_raises_and_always_gives_a_status(data: bytes) -> None:
    report = verify_bytes(
        data, ctx=VerificationContext(fetcher=StaticFetcher(), now=datetime(2026, 1, 1, tzinfo=UTC))
    )
    assert report.status in set(Status)
    assert report.checks
    for check in report.checks:
        assert check.code != "unexpected_error", check


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200))
def test_png_walker_never_raises_on_garbage_after_the_signature(tail: bytes) -> None:
    report = verify_bytes(
        b"\x89PNG\r\n\x1a\n" + tail, ctx=VerificationContext(fetcher=StaticFetcher())
    )
    parse = next(c for c in report.checks if c.check == CheckId.PARSE)
    assert parse.outcome == Outcome.FAILED
