"""JSON-LD processing with bundled contexts only, plus the undefined-term ("safe mode") check.

Every context a supported credential may name is a file in ``contexts/`` listed in
``contexts/manifest.json`` with its source and SHA-256 (reference §6). The document loader
serves those files and nothing else, so JSON-LD processing never touches the network
(reference trap #1) and the canonical form does not drift with what a server returns.

``canonicalize`` expands a document once and uses that one expansion twice: to find the
properties and IRIs that expansion silently drops (reference §3.10, trap #7) and to produce
the RDFC-1.0 (URDNA2015) N-Quads that Data Integrity proofs hash. Running a separate probe
expansion doubled the cost of every proof check (see ``bench/verify.py``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pyld import jsonld
from pyld.canon import URDNA2015
from pyld.context_resolver import ContextResolver
from pyld.identifier_issuer import IdentifierIssuer

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"
MANIFEST_PATH = CONTEXTS_DIR / "manifest.json"

# RDFC-1.0 §"Dataset Poisoning": specially shaped blank-node graphs make canonicalisation
# exponential. A real OB 3.0 credential has well under 100 blank nodes and needs a handful
# of N-degree hashes; these bounds leave a wide margin while keeping the worst case short.
MAX_BLANK_NODES = 2_000
MAX_QUADS = 20_000
MAX_N_DEGREE_HASHES = 2_000


class JsonLdProblem(Exception):
    """The document cannot be processed as JSON-LD (a credential problem, not the portal's)."""


class ContextNotBundled(JsonLdProblem):
    """The document names a context URL this portal does not carry."""

    def __init__(self, url: str) -> None:
        super().__init__(f"JSON-LD context not bundled: {url}")
        self.url = url


class TooComplex(JsonLdProblem):
    """The document's graph is beyond the canonicalisation budget."""


@dataclass(frozen=True, slots=True)
class BundledContext:
    url: str
    path: Path
    sha256: str
    source: str


@dataclass(frozen=True, slots=True)
class Canonical:
    """The RDFC-1.0 N-Quads of a document and what expansion dropped from it."""

    nquads: str
    # Properties the contexts do not define, and IRIs that stay relative; none of these
    # reach the N-Quads, so none of them is covered by a signature.
    dropped: tuple[str, ...]


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


@cache
def _context_document(url: str) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(bundled_contexts()[url].path.read_bytes())
    _remember_nodes(parsed)
    return parsed


# Every object inside a loaded context document, by id (the values pin the objects so
# an id cannot be reused). Only scoped contexts found here are cached in _PROCESSED:
# scoped contexts from a credential's own inline context are not, so uploads cannot
# fill the cache with objects of their choosing.
_CONTEXT_NODES: dict[int, Any] = {}


def _remember_nodes(document: Any) -> None:
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            _CONTEXT_NODES[id(node)] = node
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def context_sha256(url: str) -> str:
    """The SHA-256 of the bundled file for ``url`` (recorded with each verification)."""
    return hashlib.sha256(bundled_contexts()[url].path.read_bytes()).hexdigest()


# Extra documents tests may register (e.g. the W3C examples context the spec vectors
# use); production never adds any.
_extra_documents: dict[str, dict[str, Any]] = {}


def register_test_context(url: str, document: dict[str, Any]) -> None:
    """Serve ``document`` for ``url`` too. For tests that replay published vectors only."""
    _extra_documents[url] = document
    _remember_nodes(document)
    _clear_caches()


def unregister_test_context(url: str) -> None:
    _extra_documents.pop(url, None)
    _clear_caches()


def _clear_caches() -> None:
    jsonld._resolved_context_cache.clear()
    _PROCESSED.clear()


def is_known_context(url: str) -> bool:
    return url in bundled_contexts() or url in _extra_documents


def document_loader(url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The pyld document loader: bundled contexts only, never the network."""
    if url in _extra_documents:
        document = _extra_documents[url]
    elif url in bundled_contexts():
        document = _context_document(url)
    else:
        raise ContextNotBundled(url)
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        # The same parsed object every time, so its scoped contexts keep their identity
        # for _PROCESSED. pyld writes into a loaded context only to make relative context
        # URLs absolute; the bundled contexts have none, so it never changes them.
        "document": document,
        # pyld keeps a resolved remote context in its shared cache only when the loader
        # tags it; without a tag every operation re-processed every context (measured:
        # about a third of the time of a verification).
        "tag": "static",
    }


# A forgotten ``documentLoader`` option anywhere must not fall back to pyld's network loader.
jsonld.set_document_loader(document_loader)


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


def unknown_context(document: Any) -> str:
    """The first context URL the document names that is not bundled, or ""."""
    for url in context_urls(document):
        if not is_known_context(url):
            return url
    return ""


class _BudgetedURDNA2015(URDNA2015):  # type: ignore[misc]  # pyld is untyped
    def __init__(self) -> None:
        super().__init__()
        self._n_degree_calls = 0

    def hash_n_degree_quads(self, id_: str, issuer: IdentifierIssuer) -> dict[str, Any]:
        self._n_degree_calls += 1
        if self._n_degree_calls > MAX_N_DEGREE_HASHES:
            raise TooComplex("blank-node graph too complex to canonicalise")
        result: dict[str, Any] = super().hash_n_degree_quads(id_, issuer)
        return result

    def modify_first_degree_component(
        self, id_: str, component: dict[str, Any], key: str
    ) -> dict[str, Any]:
        # pyld deep-copies the component first; a blank-node term is only type and value.
        if component["type"] != "blank node":
            return component
        return {"type": "blank node", "value": "_:a" if component["value"] == id_ else "_:z"}


# Processed scoped contexts, keyed by (active context id, scoped context object, flags).
_PROCESSED: dict[tuple[str, int, bool, bool, bool], tuple[Any, Any]] = {}
# pyld freezes finished active contexts (frozendict); half-built ones are plain dicts.
_FROZEN = type(jsonld.freeze({}))
MAX_PROCESSED_CONTEXTS = 512


class _Processor(jsonld.JsonLdProcessor):  # type: ignore[misc]  # pyld is untyped
    """pyld's processor with a cache for type- and property-scoped contexts.

    pyld caches a processed context per (context, active context id), but a scoped
    context that does not propagate (every OB 3.0 type-scoped context) is applied to a
    fresh clone with a fresh id, so its cache never hits: each verification re-processed
    about 110 term definitions and JCS-serialised each scoped context to find it again
    (measured: 60 % of a verification). Keyed on the frozen — hence immutable — active
    context that pyld itself caches by id, the result is the one pyld would compute.
    Only scoped contexts that are part of a bundled context document are cached.
    """

    def _process_context(
        self,
        active_ctx: Any,
        local_ctx: Any,
        options: dict[str, Any],
        override_protected: bool = False,
        propagate: bool = True,
        validate_scoped: bool = True,
        cycles: Any = None,
    ) -> Any:
        # Only expansion-time calls on finished (frozen) contexts; context definition
        # itself (``cycles`` given, a half-built mutable context) goes straight through.
        if (
            cycles is not None
            or not isinstance(active_ctx, _FROZEN)
            or _CONTEXT_NODES.get(id(local_ctx)) is not local_ctx
        ):
            return super()._process_context(
                active_ctx,
                local_ctx,
                options,
                override_protected,
                propagate,
                validate_scoped,
                cycles,
            )
        key = (active_ctx["_uuid"], id(local_ctx), override_protected, propagate, validate_scoped)
        found = _PROCESSED.get(key)
        # The entry pins ``local_ctx``, so its id cannot be reused by another object.
        if found is not None and found[0] is local_ctx:
            return found[1]
        result = super()._process_context(
            active_ctx, local_ctx, options, override_protected, propagate, validate_scoped
        )
        if len(_PROCESSED) >= MAX_PROCESSED_CONTEXTS:
            _PROCESSED.clear()
        _PROCESSED[key] = (local_ctx, result)
        return result


def _options() -> dict[str, Any]:
    return {
        "documentLoader": document_loader,
        "contextResolver": ContextResolver(jsonld._resolved_context_cache, document_loader),
        "base": "",
        "extractAllScripts": True,
        "processingMode": "json-ld-1.1",
        "produceGeneralizedRdf": False,
        "isFrame": False,
        "keepFreeFloatingNodes": False,
    }


def _unwrap(exc: BaseException) -> JsonLdProblem:
    """pyld wraps loader errors several levels deep; find the reason that matters."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, JsonLdProblem):
            return seen
        seen = seen.__cause__ or seen.__context__
    return JsonLdProblem(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)


def _relative_iris(expanded: Any) -> Iterator[str]:
    """IRIs in node ids, object references and types that were relative in the document.

    A credential has no base IRI, so an undefined type name or a relative ``@id`` has no
    meaning the issuer can have signed: jsonld.js drops such triples, pyld invents a base.
    """
    stack = [expanded]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if "@value" in node:
                continue
            node_id = node.get("@id")
            if isinstance(node_id, str) and not _is_absolute_or_blank(node_id):
                yield node_id.removeprefix(jsonld.DEFAULT_BASE_IRI)
            for type_iri in node.get("@type", ()):
                if isinstance(type_iri, str) and not _is_absolute_or_blank(type_iri):
                    yield type_iri.removeprefix(jsonld.DEFAULT_BASE_IRI)
            for key, value in node.items():
                if key not in ("@id", "@type", "@value"):
                    stack.append(value)


def _is_absolute_or_blank(iri: str) -> bool:
    # With no document base, pyld 3.3 resolves relative IRIs against its placeholder
    # base instead of leaving them relative (jsonld.js leaves them and drops the
    # triples); either way they are not data the issuer can have meant to sign.
    if iri.startswith(jsonld.DEFAULT_BASE_IRI):
        return False
    return iri.startswith("_:") or ":" in iri


def canonicalize(document: Mapping[str, Any]) -> Canonical:
    """RDFC-1.0 N-Quads of ``document`` plus the terms expansion dropped.

    Raises ``ContextNotBundled`` for a context outside the bundle, ``TooComplex`` for a
    graph beyond the budget and ``JsonLdProblem`` for anything else pyld rejects.
    """
    dropped: list[str] = []

    def on_dropped(term: str | None) -> None:
        dropped.append(term or "(a term defined as null)")

    processor = _Processor(on_property_dropped=on_dropped)
    options = _options()
    try:
        # JsonLdProcessor.expand (pyld 3.3.0) minus its defensive deep copy of the input:
        # expansion builds new objects and never writes to the document (a test checks).
        expanded = processor._expand(
            processor._get_initial_context(options), None, document, options, inside_list=False
        )
        if isinstance(expanded, dict) and "@graph" in expanded and len(expanded) == 1:
            expanded = expanded["@graph"]
        expanded = jsonld.JsonLdProcessor.arrayify([] if expanded is None else expanded)
        dropped.extend(_relative_iris(expanded))
        # The rest of JsonLdProcessor.to_rdf (pyld 3.3.0), run on the expansion we
        # already have instead of expanding a second time.
        issuer = IdentifierIssuer("_:b")
        node_map: dict[str, Any] = {"@default": {}}
        processor._create_node_map(expanded, node_map, "@default", issuer)
        dataset: dict[str, Any] = {}
        for graph_name, graph in sorted(node_map.items()):
            if graph_name == "@default" or jsonld._is_absolute_iri(graph_name):
                dataset[graph_name] = processor._graph_to_rdf(graph, issuer, options)
    except JsonLdProblem:
        raise
    except RecursionError as exc:
        raise TooComplex("document nested too deeply") from exc
    except Exception as exc:  # pyld raises JsonLdError and plain errors alike
        raise _unwrap(exc) from exc
    _check_size(dataset)
    try:
        nquads: str = _BudgetedURDNA2015().main(dataset, {"format": "application/n-quads"})
    except JsonLdProblem:
        raise
    except RecursionError as exc:
        raise TooComplex("blank-node graph too deep to canonicalise") from exc
    return Canonical(nquads=nquads, dropped=tuple(dict.fromkeys(dropped)))


def _check_size(dataset: Mapping[str, list[dict[str, Any]]]) -> None:
    quads = sum(len(triples) for triples in dataset.values())
    if quads > MAX_QUADS:
        raise TooComplex(f"{quads} statements")
    blank = {
        term["value"]
        for triples in dataset.values()
        for triple in triples
        for term in (triple["subject"], triple["object"])
        if term["type"] == "blank node"
    }
    if len(blank) > MAX_BLANK_NODES:
        raise TooComplex(f"{len(blank)} blank nodes")


def normalize_reference(document: Mapping[str, Any]) -> str:
    """pyld's own ``normalize`` with the bundled loader: the yardstick for tests."""
    result: str = jsonld.normalize(
        document,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": document_loader,
        },
    )
    return result
