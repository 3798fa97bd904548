"""The JSON-LD contexts the engine may use: bundled files only, never the network.

Every context a supported credential may name is a file in ``contexts/`` listed in
``contexts/manifest.json`` with its source and SHA-256 (reference §6). A ``ContextLoader``
serves those files and nothing else, so JSON-LD processing never touches the network
(reference trap #1) and the canonical form does not drift with what a server returns.

``BUNDLED`` is the loader of production. A caller that must accept more (a test replaying
the W3C vectors, which name the W3C examples context) builds its own loader with
``BUNDLED.with_documents(...)`` and passes it in the ``VerificationContext``: nothing is
ever added to ``BUNDLED`` itself.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cachetools import LRUCache
from pyld import jsonld

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"
MANIFEST_PATH = CONTEXTS_DIR / "manifest.json"
# Processed scoped contexts a loader keeps (see jsonld._Processor).
MAX_PROCESSED_CONTEXTS = 512


class JsonLdProblem(Exception):
    """The document cannot be processed as JSON-LD (a credential problem, not the portal's)."""


class ContextNotBundled(JsonLdProblem):
    """The document names a context URL this portal does not carry."""

    def __init__(self, url: str) -> None:
        super().__init__(f"JSON-LD context not bundled: {url}")
        self.url = url


@dataclass(frozen=True, slots=True)
class BundledContext:
    url: str
    path: Path
    sha256: str
    source: str


@cache
def bundled_contexts() -> Mapping[str, BundledContext]:
    """URL → bundled context, from the manifest."""
    manifest = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
    return {
        entry["url"]: BundledContext(
            url=entry["url"],
            path=CONTEXTS_DIR / entry["file"],
            sha256=entry["sha256"],
            source=entry["source"],
        )
        for entry in manifest["contexts"]
    }


def context_sha256(url: str) -> str:
    """The SHA-256 of the bundled file for ``url`` (recorded with each verification)."""
    return hashlib.sha256(bundled_contexts()[url].path.read_bytes()).hexdigest()


class ContextLoader:
    """A pyld document loader over a fixed set of context documents, with the caches that
    make repeated verifications cheap (each loader has its own, so a loader with extra
    documents cannot change what another one computes)."""

    def __init__(self, documents: Mapping[str, dict[str, Any]] | None = None) -> None:
        # Documents given here besides the bundled files; parsed bundled files are added
        # on first use. The same parsed object is served every time, so its scoped
        # contexts keep their identity for the processed-context cache.
        self._extra = dict(documents or {})
        self._loaded: dict[str, dict[str, Any]] = {}
        # Every object inside a loaded context document, by id (the values pin the objects
        # so an id cannot be reused). Only scoped contexts found here are cached in
        # ``processed``: scoped contexts from a credential's own inline context are not,
        # so uploads cannot fill the cache with objects of their choosing.
        self._nodes: dict[int, Any] = {}
        # pyld's resolved remote contexts, and scoped contexts processed by jsonld._Processor
        # keyed by (active context id, scoped context object, flags).
        self.resolved: LRUCache[Any, Any] = LRUCache(maxsize=jsonld.RESOLVED_CONTEXT_CACHE_MAX_SIZE)
        self.processed: dict[tuple[str, int, bool, bool, bool], tuple[Any, Any]] = {}

    def with_documents(self, documents: Mapping[str, dict[str, Any]]) -> ContextLoader:
        """A new loader serving ``documents`` as well as everything this one serves."""
        return ContextLoader({**self._extra, **documents})

    def is_known(self, url: str) -> bool:
        return url in self._extra or url in bundled_contexts()

    def owns(self, node: Any) -> bool:
        """Is ``node`` (by identity) part of a context document this loader served?"""
        return self._nodes.get(id(node)) is node

    def document(self, url: str) -> dict[str, Any]:
        found = self._loaded.get(url)
        if found is None:
            if url in self._extra:
                found = self._extra[url]
            elif url in bundled_contexts():
                found = json.loads(bundled_contexts()[url].path.read_bytes())
            else:
                raise ContextNotBundled(url)
            self._remember_nodes(found)
            self._loaded[url] = found
        return found

    def __call__(self, url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The pyld document loader interface."""
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            # pyld writes into a loaded context only to make relative context URLs absolute;
            # the bundled contexts have none, so it never changes them.
            "document": self.document(url),
            # pyld keeps a resolved remote context in its cache only when the loader tags
            # it; without a tag every operation re-processed every context (measured:
            # about a third of the time of a verification).
            "tag": "static",
        }

    def unknown_context(self, document: Any) -> str:
        """The first context URL the document names that this loader does not serve, or ""."""
        for url in context_urls(document):
            if not self.is_known(url):
                return url
        return ""

    def remember_processed(self, key: tuple[str, int, bool, bool, bool], value: Any) -> None:
        if len(self.processed) >= MAX_PROCESSED_CONTEXTS:
            self.processed.clear()
        self.processed[key] = value

    def _remember_nodes(self, document: Any) -> None:
        stack = [document]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                self._nodes[id(node)] = node
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)


BUNDLED = ContextLoader()
# A forgotten ``documentLoader`` option anywhere must not fall back to pyld's network loader.
jsonld.set_document_loader(BUNDLED)


def context_urls(document: Any) -> Iterator[str]:
    """Every context URL a document names, including inside inline and scoped contexts."""
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    for entry in value if isinstance(value, list) else [value]:
                        if isinstance(entry, str):
                            yield entry
                        else:
                            stack.append(entry)
                elif isinstance(value, dict | list):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
