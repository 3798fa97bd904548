"""Joining finished sentences the way the reader's language writes them."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import get_language


def join_sentences(sentences: Iterable[str]) -> str:
    """Japanese runs sentences together after 「。」; English puts a space between them."""
    parts = [s.strip() for s in sentences if s and s.strip()]
    separator = "" if (get_language() or "").startswith("ja") else " "
    return separator.join(parts)
