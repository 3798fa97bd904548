"""JSON-LD processing over bundled contexts (``contexts``), plus the undefined-term
("safe mode") check.

``canonicalize`` expands a document once and uses that one expansion twice: to find the
properties and IRIs that expansion silently drops (reference §3.10, trap #7) and to produce
the RDFC-1.0 (URDNA2015) N-Quads that Data Integrity proofs hash. Running a separate probe
expansion doubled the cost of every proof check (see ``bench/verify.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pyld import jsonld
from pyld.canon import URDNA2015
from pyld.context_resolver import ContextResolver
from pyld.identifier_issuer import IdentifierIssuer

from credentials.verification.contexts import (
    BUNDLED,
    ContextLoader,
    ContextNotBundled,
    JsonLdProblem,
)

__all__ = ["BUNDLED", "Canonical", "ContextLoader", "ContextNotBundled", "JsonLdProblem"]

# RDFC-1.0 §"Dataset Poisoning": specially shaped blank-node graphs make canonicalisation
# exponential. A real OB 3.0 credential has well under 100 blank nodes and needs a handful
# of N-degree hashes; these bounds leave a wide margin while keeping the worst case short.
MAX_BLANK_NODES = 2_000
MAX_QUADS = 20_000
MAX_N_DEGREE_HASHES = 2_000


class TooComplex(JsonLdProblem):
    """The document's graph is beyond the canonicalisation budget."""


@dataclass(frozen=True, slots=True)
class Canonical:
    """The RDFC-1.0 N-Quads of a document and what expansion dropped from it."""

    nquads: str
    # Properties the contexts do not define, and IRIs that stay relative; none of these
    # reach the N-Quads, so none of them is covered by a signature.
    dropped: tuple[str, ...]


class _BudgetedURDNA2015(URDNA2015):
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


# pyld freezes finished active contexts (frozendict); half-built ones are plain dicts.
_FROZEN = type(jsonld.freeze({}))


class _Processor(jsonld.JsonLdProcessor):
    """pyld's processor with a cache for type- and property-scoped contexts.

    pyld caches a processed context per (context, active context id), but a scoped
    context that does not propagate (every OB 3.0 type-scoped context) is applied to a
    fresh clone with a fresh id, so its cache never hits: each verification re-processed
    about 110 term definitions and JCS-serialised each scoped context to find it again
    (measured: 60 % of a verification). Keyed on the frozen — hence immutable — active
    context that pyld itself caches by id, the result is the one pyld would compute.
    Only scoped contexts that are part of a context document the loader served are cached,
    in that loader.
    """

    def __init__(self, contexts: ContextLoader, *, on_property_dropped: Any) -> None:
        super().__init__(on_property_dropped=on_property_dropped)
        self.contexts = contexts

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
            or not self.contexts.owns(local_ctx)
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
        found = self.contexts.processed.get(key)
        # The entry pins ``local_ctx``, so its id cannot be reused by another object.
        if found is not None and found[0] is local_ctx:
            return found[1]
        result = super()._process_context(
            active_ctx, local_ctx, options, override_protected, propagate, validate_scoped
        )
        self.contexts.remember_processed(key, (local_ctx, result))
        return result


def _options(contexts: ContextLoader) -> dict[str, Any]:
    return {
        "documentLoader": contexts,
        "contextResolver": ContextResolver(contexts.resolved, contexts),
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


def canonicalize(document: Mapping[str, Any], *, contexts: ContextLoader = BUNDLED) -> Canonical:
    """RDFC-1.0 N-Quads of ``document`` plus the terms expansion dropped.

    Raises ``ContextNotBundled`` for a context ``contexts`` does not serve, ``TooComplex`` for a
    graph beyond the budget and ``JsonLdProblem`` for anything else pyld rejects.
    """
    dropped: list[str] = []

    def on_dropped(term: str | None) -> None:
        dropped.append(term or "(a term defined as null)")

    processor = _Processor(contexts, on_property_dropped=on_dropped)
    options = _options(contexts)
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


def normalize_reference(document: Mapping[str, Any], *, contexts: ContextLoader = BUNDLED) -> str:
    """pyld's own ``normalize`` with the loader: the yardstick for tests and issuers."""
    result: str = jsonld.normalize(
        document,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": contexts,
        },
    )
    return result
