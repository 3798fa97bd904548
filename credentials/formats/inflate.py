"""Bounded decompression for data an issuer controls (baked PNG text, status lists)."""

from __future__ import annotations

import zlib


def inflate_capped(data: bytes, *, max_bytes: int) -> bytes:
    """Decompress gzip or zlib ``data`` without ever holding more than ``max_bytes`` of output.

    Status lists are gzip streams an issuer controls; a few kilobytes can inflate to
    gigabytes. Raises ``ValueError`` for corrupt, truncated or oversized streams.
    """
    # wbits 32 + 15: zlib detects a gzip or a zlib header by itself.
    inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 32)
    try:
        output = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise ValueError(f"not a gzip or zlib stream: {exc}") from exc
    if len(output) > max_bytes:
        raise ValueError(f"inflates to more than {max_bytes} bytes")
    if not inflater.eof:
        raise ValueError("truncated compressed stream")
    return output
