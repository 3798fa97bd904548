"""Badge artwork is redrawn by the portal: bounded, stripped of metadata, never the original."""

import io
import zlib
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from credentials import artwork

DEMO_BAKED = (
    Path(__file__).resolve().parents[2] / "demo" / "badges" / "ob3-v2-eddsa-valid-baked.png"
)


def _png(size: tuple[int, int], text: dict[str, str] | None = None) -> bytes:
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_itxt(key, value)
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def _chunks(png: bytes) -> list[bytes]:
    names, offset = [], 8
    while offset < len(png):
        length = int.from_bytes(png[offset : offset + 4], "big")
        names.append(png[offset + 4 : offset + 8])
        offset += 12 + length
    return names


def test_baked_badge_thumbnail_is_a_bounded_png_without_the_baked_credential():
    original = DEMO_BAKED.read_bytes()
    assert b"iTXtopenbadge" in original  # the credential is baked into an iTXt chunk
    thumbnail = artwork.make_thumbnail(data=original, content_type="image/png")
    assert thumbnail is not None
    assert thumbnail != original
    assert b"openbadge" not in thumbnail
    assert set(_chunks(thumbnail)) <= {b"IHDR", b"IDAT", b"IEND"}
    with Image.open(io.BytesIO(thumbnail)) as image:
        assert image.format == "PNG"
        assert max(image.size) <= artwork.THUMBNAIL_SIZE


def test_text_chunks_such_as_an_email_address_are_not_copied():
    original = _png((400, 200), {"Author": "hanako@example.jp"})
    thumbnail = artwork.make_thumbnail(data=original, content_type="image/png")
    assert b"hanako@example.jp" not in thumbnail
    with Image.open(io.BytesIO(thumbnail)) as image:
        assert image.size == (artwork.THUMBNAIL_SIZE, artwork.THUMBNAIL_SIZE // 2)


def _bomb_png(width: int, height: int) -> bytes:
    """A valid PNG header claiming a huge canvas, with a tiny compressed body."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body).to_bytes(4, "big")
        return len(body).to_bytes(4, "big") + kind + body + crc

    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    row = b"\x00" + b"\x00" * width
    body = zlib.compress(row * 4, 9)  # far too little data: it never gets that far
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def test_a_decompression_bomb_is_refused_before_decoding():
    assert artwork.make_thumbnail(data=_bomb_png(30_000, 30_000), content_type="image/png") is None


@pytest.mark.parametrize(
    "junk", [b"", b"\x89PNG\r\n\x1a\n", b"not an image at all", b"\x89PNG" * 1000]
)
def test_broken_pngs_give_no_artwork_rather_than_an_error(junk):
    assert artwork.make_thumbnail(data=junk, content_type="image/png") is None


def test_json_credentials_have_no_artwork():
    assert artwork.make_thumbnail(data=b"{}", content_type="application/json") is None


needs_cairo = pytest.mark.skipif(not artwork.svg_supported(), reason="libcairo is not installed")

SVG_BADGE = b"""<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300"
viewBox="0 0 300 300">
<circle cx="150" cy="150" r="140" fill="#1f4e8c"/></svg>"""


@needs_cairo
def test_an_svg_badge_is_rasterised_to_a_png():
    thumbnail = artwork.make_thumbnail(data=SVG_BADGE, content_type="image/svg+xml")
    with Image.open(io.BytesIO(thumbnail)) as image:
        assert image.format == "PNG"
        assert image.size == (artwork.THUMBNAIL_SIZE, artwork.THUMBNAIL_SIZE)
        centre = image.convert("RGBA").getpixel((80, 80))
    assert centre[:3] == (0x1F, 0x4E, 0x8C)


@needs_cairo
def test_svg_external_images_and_files_are_never_fetched(tmp_path, monkeypatch):
    secret = tmp_path / "secret.png"
    secret.write_bytes(_png((10, 10)))
    fetched: list[str] = []
    real = artwork._embedded_only

    def spy(url, resource_type):
        fetched.append(url)
        return real(url, resource_type)

    monkeypatch.setattr(artwork, "_embedded_only", spy)
    hostile = f"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
      width="100" height="100"><script>alert(1)</script>
      <image href="http://127.0.0.1:9/track.png" width="50" height="50"/>
      <image xlink:href="file://{secret}" width="50" height="50"/>
      <image href="{secret}" width="50" height="50"/></svg>""".encode()
    thumbnail = artwork.make_thumbnail(data=hostile, content_type="image/svg+xml")
    assert thumbnail is not None  # drawn, with the references left out
    with Image.open(io.BytesIO(thumbnail)) as image:
        assert image.convert("RGBA").getextrema()[3] == (0, 0)  # fully transparent: nothing drawn
    assert len(fetched) == 3
    assert not any(url.startswith("data:") for url in fetched)


@needs_cairo
def test_svg_entity_bombs_and_oversized_documents_are_refused():
    bomb = b"""<?xml version="1.0"?>
    <!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>
    <svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>"""
    assert artwork.make_thumbnail(data=bomb, content_type="image/svg+xml") is None
    many = b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g/>" * 6000 + b"</svg>"
    assert artwork.make_thumbnail(data=many, content_type="image/svg+xml") is None
    big = b'<svg xmlns="http://www.w3.org/2000/svg"><!--' + b"x" * 1_000_001 + b"--></svg>"
    assert artwork.make_thumbnail(data=big, content_type="image/svg+xml") is None


@needs_cairo
def test_an_embedded_png_is_drawn_through_the_same_budget():
    import base64

    small = base64.b64encode(_png((20, 20))).decode()
    bomb = base64.b64encode(_bomb_png(30_000, 30_000)).decode()
    for payload, drawn in ((small, True), (bomb, False)):
        svg = f"""<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">
        <image href="data:image/png;base64,{payload}" width="20" height="20"/></svg>""".encode()
        thumbnail = artwork.make_thumbnail(data=svg, content_type="image/svg+xml")
        with Image.open(io.BytesIO(thumbnail)) as image:
            alpha_max = image.convert("RGBA").getextrema()[3][1]
        assert (alpha_max > 0) is drawn
