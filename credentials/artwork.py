"""Badge artwork as a small PNG made by the portal, never the applicant's bytes.

A baked badge is an image, and HR recognise a badge by its picture first (Credly, Badgr and
Europass all lead with it). The uploaded file is untrusted: a PNG can be a decompression
bomb or carry text chunks (the baked credential itself, an e-mail address), an SVG can hold
scripts, external references and entity bombs. So the picture is always re-drawn: PNGs are
decoded by Pillow under a pixel budget and re-encoded as a fresh RGBA thumbnail (no chunks
copied), SVGs are rasterised by CairoSVG with entities, external files and network fetches
refused. What comes out is a PNG of at most ``THUMBNAIL_SIZE`` pixels a side.

CairoSVG needs the cairo C library. Where it is missing (a bare `make run` machine), SVG
artwork is simply not shown; PNG artwork still is.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import logging
import warnings
from typing import Any

from defusedxml import ElementTree as SafeElementTree
from django.core.cache import cache
from django.http import Http404, HttpResponse
from PIL import Image, UnidentifiedImageError

logger = logging.getLogger(__name__)

try:  # pragma: no cover - depends on the machine's C libraries
    from cairosvg.surface import PNGSurface
except (ImportError, OSError):  # OSError: cairocffi found no libcairo
    PNGSurface = None

THUMBNAIL_SIZE = 160
# A badge picture is a few hundred pixels a side; 25 megapixels is far beyond any real one and
# small enough that decoding it cannot exhaust a web worker (Pillow's own bomb limit is ~89M).
MAX_SOURCE_PIXELS = 25_000_000
# Real badge SVGs are a few kilobytes to a few hundred (with an embedded PNG); parsing and
# drawing cost grow with size and element count, so both are capped before cairo sees them.
MAX_SVG_BYTES = 1_000_000
MAX_SVG_ELEMENTS = 5_000
# An SVG may embed its raster picture as a data: URI; nothing else is fetched.
MAX_EMBEDDED_BYTES = 1_000_000
# Bump when the drawing changes, so cached thumbnails are redrawn.
VERSION = 1
CACHE_SECONDS = 7 * 24 * 3600
_NO_ARTWORK = b""

PNG_TYPES = {"image/png", "image/apng"}
SVG_TYPES = {"image/svg+xml"}


class ArtworkRefused(Exception):
    """The bytes are not a picture the portal will draw (too big, broken, not an image)."""


def svg_supported() -> bool:
    return PNGSurface is not None


def has_artwork_source(content_type: str) -> bool:
    """Whether a credential of this sniffed type can have artwork at all (no I/O)."""
    return content_type in PNG_TYPES or (content_type in SVG_TYPES and svg_supported())


def thumbnail_from_png(data: bytes) -> bytes:
    """A fresh PNG thumbnail of a raster image: decoded under a pixel budget, re-encoded
    with no metadata (the baked credential and any text chunks are left behind)."""
    try:
        with warnings.catch_warnings():
            # Pillow warns (rather than refuses) between its two bomb limits; refuse instead.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width <= 0 or height <= 0 or width * height > MAX_SOURCE_PIXELS:
                    raise ArtworkRefused(f"{width}x{height} pixels is over the budget")
                image.draft("RGBA", (THUMBNAIL_SIZE, THUMBNAIL_SIZE))
                image.seek(0)  # an animated PNG shows its first frame
                frame = image.convert("RGBA")
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,  # Pillow raises it for some broken chunk structures
        ValueError,
        EOFError,
    ) as error:
        raise ArtworkRefused(str(error)) from error
    frame.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # convert() made a new image whose info dict is empty, and no pnginfo is passed: no
    # tEXt/iTXt/zTXt/eXIf chunk of the original is written.
    frame.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _embedded_only(url: str, resource_type: str) -> bytes:
    """CairoSVG's URL fetcher: only data: URIs of raster images, bounded; everything else
    (http, file, relative paths, nested SVG) is drawn as nothing."""
    empty = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>'
    if not url.startswith("data:image/"):
        return empty
    header, _, payload = url.partition(",")
    if len(payload) > MAX_EMBEDDED_BYTES * 4 // 3 + 4 or "svg" in header:
        return empty
    try:
        raw = base64.b64decode(payload, validate=False) if ";base64" in header else b""
    except (binascii.Error, ValueError):
        return empty
    try:
        # Redrawn through Pillow too, so an embedded bomb meets the same budget.
        return thumbnail_from_png(raw)
    except ArtworkRefused:
        return empty


def thumbnail_from_svg(data: bytes) -> bytes:
    """A PNG thumbnail of an SVG drawn by CairoSVG with no scripts (cairo has no script
    engine), no entities, no external files or network."""
    if PNGSurface is None:
        raise ArtworkRefused("CairoSVG (libcairo) is not installed")
    if len(data) > MAX_SVG_BYTES:
        raise ArtworkRefused(f"{len(data)} bytes is over the SVG budget")
    try:
        root = SafeElementTree.fromstring(data, forbid_dtd=True)
    except Exception as error:  # defusedxml raises several unrelated types for hostile XML
        raise ArtworkRefused(f"not a safe SVG document: {error}") from error
    if sum(1 for _ in root.iter()) > MAX_SVG_ELEMENTS:
        raise ArtworkRefused("too many SVG elements")
    try:
        # Both sides fixed: a viewBox keeps its aspect ratio (xMidYMid meet), and a drawing
        # that claims to be 1 x 100,000 pixels cannot make cairo allocate that.
        png: Any = PNGSurface.convert(
            bytestring=data,
            unsafe=False,
            url_fetcher=_embedded_only,
            output_width=THUMBNAIL_SIZE,
            output_height=THUMBNAIL_SIZE,
        )
    except Exception as error:  # cairo and its parser raise many types for broken drawings
        raise ArtworkRefused(f"CairoSVG could not draw it: {error}") from error
    # Redraw cairo's output through Pillow: one encoder, one size rule, no metadata.
    return thumbnail_from_png(png)


def make_thumbnail(*, data: bytes, content_type: str) -> bytes | None:
    """The thumbnail for a credential's original bytes, or None when it has no picture the
    portal will draw."""
    try:
        if content_type in PNG_TYPES:
            return thumbnail_from_png(data)
        if content_type in SVG_TYPES:
            return thumbnail_from_svg(data)
    except ArtworkRefused as refusal:
        logger.info("artwork not drawn: %s", refusal)
    return None


def thumbnail_for(credential: Any) -> bytes | None:
    """The cached thumbnail of a credential (by the hash of its bytes), drawn on first use.

    A refusal is cached too, so a hostile file is parsed once, not on every page view."""
    if not credential.original or not has_artwork_source(credential.content_type):
        return None
    kind = hashlib.sha256(credential.content_type.encode()).hexdigest()[:8]
    key = f"artwork:v{VERSION}:{credential.sha256}:{kind}"
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    try:
        with credential.original.open("rb") as handle:
            data = handle.read(max(MAX_SVG_BYTES, 10_000_000) + 1)
    except OSError as error:
        logger.warning("credential %s: original unreadable for artwork: %s", credential.pk, error)
        return None
    thumbnail = make_thumbnail(data=data, content_type=credential.content_type)
    cache.set(key, thumbnail or _NO_ARTWORK, CACHE_SECONDS)
    return thumbnail


def artwork_response(thumbnail: bytes | None) -> HttpResponse:
    """A thumbnail as an image response that no browser will treat as anything but a PNG;
    404 when there is none. The caller has already checked who may see it."""
    if thumbnail is None:
        raise Http404
    response = HttpResponse(thumbnail, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
