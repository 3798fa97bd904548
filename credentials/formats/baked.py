"""Badge data baked into PNG and SVG images (reference §1.2, §1.3).

PNG: a minimal chunk walker over ``iTXt``/``tEXt``/``zTXt`` with the keywords
``openbadges`` (OB 2.0; ``tEXt`` only as the hosted URL of OB 1.x) and
``openbadgecredential`` (OB 3.0). Pixels are never decoded.

SVG: parsed with defusedxml (entity declarations and external references refused);
the ``assertion`` element in ``http://openbadges.org`` and the ``credential`` element in
``https://purl.imsglobal.org/ob/v3p0`` are matched by namespace, never by prefix.

Both return the baked text; detect.py classifies it (JSON, compact JWS or URL) by content,
because issuers put OB 3.0 under the OB 2.0 keyword and the other way round.
"""

from __future__ import annotations

import struct
import zlib
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree
from defusedxml import DefusedXmlException

from credentials.formats.inflate import inflate_capped

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_PNG_BYTES = 5 * 1024 * 1024
MAX_PNG_CHUNK_BYTES = 2 * 1024 * 1024
MAX_PNG_CHUNKS = 10_000
MAX_SVG_BYTES = 2 * 1024 * 1024
MAX_BAKED_TEXT_BYTES = 1024 * 1024
PNG_KEYWORDS = frozenset({b"openbadges", b"openbadgecredential"})
SVG_ELEMENTS = (
    "{http://openbadges.org}assertion",
    "{https://purl.imsglobal.org/ob/v3p0}credential",
)


class BakedError(ValueError):
    """The image cannot yield badge data; ``code`` is a message code for the detail."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def extract_png(data: bytes) -> str:
    """The badge text baked into a PNG. Raises ``BakedError``."""
    if not data.startswith(PNG_SIGNATURE):
        raise BakedError("png_invalid", reason="signature")
    if len(data) > MAX_PNG_BYTES:
        raise BakedError("input_too_large", limit=str(MAX_PNG_BYTES))
    found: list[str] = []
    position = len(PNG_SIGNATURE)
    for _ in range(MAX_PNG_CHUNKS):
        if position + 8 > len(data):
            raise BakedError("png_invalid", reason="truncated")
        length, chunk_type = struct.unpack(">I4s", data[position : position + 8])
        end = position + 8 + length + 4
        if length > MAX_PNG_CHUNK_BYTES or end > len(data):
            raise BakedError("png_invalid", reason="chunk length")
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(chunk_type + body) != crc:
            raise BakedError("png_invalid", reason="checksum")
        if chunk_type in (b"iTXt", b"tEXt", b"zTXt"):
            text = _badge_text(chunk_type, body)
            if text is not None:
                found.append(text)
        if chunk_type == b"IEND":
            break
        position = end
    else:
        raise BakedError("png_invalid", reason="too many chunks")
    return _single(found, "png_no_badge")


def _badge_text(chunk_type: bytes, body: bytes) -> str | None:
    keyword, separator, rest = body.partition(b"\x00")
    if not separator or keyword not in PNG_KEYWORDS:
        return None
    if chunk_type == b"tEXt":
        # OB 1.x "pre-specified" baking: only the hosted assertion's URL, in Latin-1.
        if keyword != b"openbadges":
            return None
        return rest.decode("latin-1")
    if chunk_type == b"zTXt":
        # Non-conforming, but readable: compression method byte, then zlib data.
        return _inflate_text(rest[1:])
    if len(rest) < 2:
        raise BakedError("png_invalid", reason="iTXt header")
    compressed, _method = rest[0], rest[1]
    _language, _, rest = rest[2:].partition(b"\x00")
    _translated, _, text = rest.partition(b"\x00")
    if compressed:
        return _inflate_text(text)
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BakedError("png_invalid", reason="text encoding") from exc


def _inflate_text(data: bytes) -> str:
    try:
        return inflate_capped(data, max_bytes=MAX_BAKED_TEXT_BYTES).decode("utf-8")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BakedError("png_invalid", reason="compressed text") from exc


def _single(found: list[str], missing_code: str) -> str:
    distinct = list(dict.fromkeys(text.strip() for text in found))
    if not distinct:
        raise BakedError(missing_code)
    if len(distinct) > 1:
        # Two different payloads: picking one silently would let the image say two things.
        raise BakedError("baked_ambiguous")
    return distinct[0]


def extract_svg(data: bytes) -> str:
    """The badge text baked into an SVG. Raises ``BakedError``."""
    if len(data) > MAX_SVG_BYTES:
        raise BakedError("input_too_large", limit=str(MAX_SVG_BYTES))
    try:
        root = defusedxml.ElementTree.fromstring(data)
    except DefusedXmlException as exc:
        raise BakedError("svg_forbidden_xml", reason=type(exc).__name__) from exc
    except (ParseError, ValueError, UnicodeError, RecursionError) as exc:
        raise BakedError("svg_invalid") from exc
    elements: list[Element] = []
    for tag in SVG_ELEMENTS:
        elements.extend(root.iter(tag))
    if len(elements) > 1:
        raise BakedError("baked_ambiguous")
    if not elements:
        raise BakedError("svg_no_badge")
    element = elements[0]
    verify = element.get("verify")
    text = verify if verify is not None else (element.text or "")
    if len(text.encode("utf-8")) > MAX_BAKED_TEXT_BYTES:
        raise BakedError("input_too_large", limit=str(MAX_BAKED_TEXT_BYTES))
    return _single([text], "svg_no_badge")
