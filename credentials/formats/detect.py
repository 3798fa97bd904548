"""What an upload is, decided from its bytes — never from its file name (reference §1.1).

``extract`` returns the badge payload and the container it came in: a JSON object, a
compact JWS/JWT, or a URL (OB 1.x/2.0 hosted badges baked as a link). It raises
``ExtractionError`` with a message code for anything unreadable; every cap (size, depth,
node count) is checked before the expensive step it protects.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Literal

from credentials.formats.baked import (
    MAX_SVG_BYTES,
    PNG_SIGNATURE,
    BakedError,
    extract_png,
    extract_svg,
)
from credentials.vocabulary import Container

MAX_INPUT_BYTES = 5 * 1024 * 1024  # the largest container we accept (baked PNG)
MAX_JSON_BYTES = 1024 * 1024
MAX_JWS_BYTES = 512 * 1024
MAX_URL_CHARS = 2_000
MAX_JSON_DEPTH = 64
MAX_JSON_NODES = 50_000
_BOM = "\ufeff"
_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*")
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
# An SVG file may open with an XML declaration, comments, processing instructions and a
# DOCTYPE (with an internal subset) before its <svg> root; how far to look for the root.
_SVG_HEAD_BYTES = 4096
_XML_PROLOG_ITEM = re.compile(
    rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!doctype\b[^\[>]*(?:\[.*?\])?\s*>)", re.IGNORECASE | re.DOTALL
)
_SVG_ROOT = re.compile(rb"\s*<svg[\s>/]", re.IGNORECASE)

PayloadKind = Literal["json", "jws", "url"]


class ExtractionError(ValueError):
    """The input holds no readable badge; ``code`` names the message, ``params`` fill it."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True, slots=True)
class Extracted:
    container: Container
    kind: PayloadKind
    text: str  # the JWS or URL; for JSON the source text
    document: dict[str, Any] | None = None  # the parsed object when kind == "json"


def extract(data: bytes) -> Extracted:
    """Find the badge payload in ``data``."""
    container = classify(data)
    try:
        if container == Container.PNG:
            return classify_text(extract_png(data), Container.PNG)
        if container == Container.SVG:
            return classify_text(extract_svg(data), Container.SVG)
    except BakedError as exc:
        raise ExtractionError(exc.code, **exc.params) from exc
    return classify_text(data.decode("utf-8"), Container.UNKNOWN)


def classify(data: bytes) -> Container:
    """The container ``data`` arrives in: PNG, SVG, or for text the payload it is (JSON
    object, compact JWS, URL). Reads only the first bytes and the size, so intake calls it on
    every upload and refuses at once, with the same ``ExtractionError`` codes, what
    ``extract`` would refuse for its kind or size."""
    if len(data) > MAX_INPUT_BYTES:
        raise ExtractionError("input_too_large", limit=str(MAX_INPUT_BYTES))
    if not data.strip():
        raise ExtractionError("input_empty")
    if data.startswith(PNG_SIGNATURE):
        return Container.PNG
    if _is_svg(data):
        if len(data) > MAX_SVG_BYTES:
            raise ExtractionError("input_too_large", limit=str(MAX_SVG_BYTES))
        return Container.SVG
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ExtractionError("input_unknown_format") from exc
    stripped = text.lstrip(_BOM).strip()
    kind = _payload_kind(stripped)
    if kind is None:
        raise ExtractionError("input_unknown_format")
    if kind == "json" and len(stripped) > MAX_JSON_BYTES:
        raise ExtractionError("input_too_large", limit=str(MAX_JSON_BYTES))
    return _TEXT_CONTAINERS[kind]


def _is_svg(data: bytes) -> bool:
    head = data[:_SVG_HEAD_BYTES].removeprefix(b"\xef\xbb\xbf")
    if head.lstrip(b" \t\r\n").lower().startswith((b"<?xml", b"<svg", b"<!doctype svg")):
        return True  # extract_svg says what is wrong with any XML that is not an SVG badge
    position = 0
    while (item := _XML_PROLOG_ITEM.match(head, position)) and item.end() > position:
        position = item.end()
    return _SVG_ROOT.match(head, position) is not None


def _payload_kind(stripped: str) -> PayloadKind | None:
    if stripped.startswith("{"):
        return "json"
    if len(stripped) <= MAX_JWS_BYTES and _JWS.fullmatch(stripped):
        return "jws"
    if len(stripped) <= MAX_URL_CHARS and _URL.fullmatch(stripped):
        return "url"
    return None


_TEXT_CONTAINERS: dict[PayloadKind, Container] = {
    "json": Container.JSON,
    "jws": Container.JWS,
    "url": Container.URL,
}


def classify_text(text: str, container: Container) -> Extracted:
    """JSON, compact JWS or URL — from the content. ``UNKNOWN`` container → by payload."""
    stripped = text.lstrip(_BOM).strip()
    kind = _payload_kind(stripped)
    if kind == "json":
        return Extracted(
            container=Container.JSON if container == Container.UNKNOWN else container,
            kind="json",
            text=stripped,
            document=parse_json_object(stripped),
        )
    if kind is not None:
        return Extracted(
            container=_TEXT_CONTAINERS[kind] if container == Container.UNKNOWN else container,
            kind=kind,
            text=stripped,
        )
    if container in (Container.PNG, Container.SVG):
        raise ExtractionError("baked_unreadable")
    raise ExtractionError("input_unknown_format")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            # What the signer saw and what a viewer shows could differ (reference §1.4).
            raise ExtractionError("json_duplicate_key", key=key[:100])
        result[key] = value
    return result


def parse_json_object(text: str | bytes) -> dict[str, Any]:
    """Parse a JSON object under the size, depth and node caps (reference §7.5)."""
    if len(text) > MAX_JSON_BYTES:
        raise ExtractionError("input_too_large", limit=str(MAX_JSON_BYTES))
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates)
    except RecursionError as exc:
        raise ExtractionError("json_too_deep", limit=str(MAX_JSON_DEPTH)) from exc
    except ValueError as exc:  # also Python's integer-digit limit for giant numbers
        if isinstance(exc, ExtractionError):
            raise
        raise ExtractionError("json_invalid") from exc
    if not isinstance(value, dict):
        raise ExtractionError("json_not_object")
    _check_shape(value)
    return value


def _check_shape(value: Any) -> None:
    stack: list[tuple[Any, int]] = [(value, 1)]
    nodes = 0
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if nodes > MAX_JSON_NODES:
            raise ExtractionError("json_too_large", limit=str(MAX_JSON_NODES))
        if depth > MAX_JSON_DEPTH:
            raise ExtractionError("json_too_deep", limit=str(MAX_JSON_DEPTH))
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
