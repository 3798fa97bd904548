"""The rendered HTML of the candidate page's credential cards, read from the cache in one
round trip per page.

``{% cache %}`` fetches each fragment on its own: fifty cards were fifty Redis round trips,
which on a busy machine cost more than rendering the page (bench/load.py). Here the page asks
for all its cards at once (``get_many``); a card not found is rendered and stored by the
``{% cached_card %}`` tag (employers/templatetags/candidate_cards.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.core.cache import cache

CARD_SECONDS = 86_400


class CardCache:
    def __init__(self, versions: Iterable[str], *, language: str) -> None:
        self.language = language
        keys = {version: self._key(version) for version in versions}
        found = cache.get_many(list(keys.values())) if keys else {}
        self._html = {version: found[key] for version, key in keys.items() if key in found}

    def _key(self, version: str) -> str:
        # A card version names the credential, its latest run and the explanation wording.
        digest = hashlib.sha256(f"{self.language}:{version}".encode()).hexdigest()[:32]
        return f"candidate-card:{digest}"

    def get(self, version: str) -> str | None:
        return self._html.get(version)

    def put(self, version: str, html: str) -> None:
        self._html[version] = html
        cache.set(self._key(version), html, CARD_SECONDS)
