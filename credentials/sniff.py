"""Say what an upload is from its bytes, never from its name or the browser's claim."""

import re

PNG = "image/png"
SVG = "image/svg+xml"
JSON = "application/json"
JWT = "application/jwt"

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Compact JWS: three base64url parts; the header always starts with '{"' → "eyJ".
_COMPACT_JWS = re.compile(rb"^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$")
# An SVG may open with a BOM, an XML declaration, comments or a DOCTYPE before <svg.
_SVG_ROOT = re.compile(rb"<svg[\s>]", re.IGNORECASE)


def sniff_content_type(data: bytes) -> str | None:
    """The content type of a credential upload, or None when it is none of ours."""
    if data.startswith(_PNG_SIGNATURE):
        return PNG
    text = data.removeprefix(b"\xef\xbb\xbf").strip()
    if text[:1] in (b"{", b"["):
        return JSON
    if _COMPACT_JWS.match(text):
        return JWT
    # Only the start of the file decides, so a JSON or text file quoting "<svg" is not one.
    if text.startswith(b"<") and _SVG_ROOT.search(text[:4096]):
        return SVG
    return None
