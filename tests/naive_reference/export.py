# Test oracle: rdflib's Turtle, JSON-LD and N-Triples serialisers, as ptce-graph used them at
# commit fec0978, before the fast path; the streaming writers must give the same bytes.
# Kept verbatim but for the imports. Not part of the package; do not fix or speed it up.
"""Deterministic serialisations of a graph (sorted, stable), written atomically."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rdflib import Graph

from ptce_graph.errors import InputError
from ptce_graph.io.atomic import atomic_write
from ptce_graph.model.namespaces import bind_prefixes
from ptce_graph.resources import jsonld_context_file

__all__ = ["EXPORT_FORMATS", "export_graph", "format_from_path", "serialize", "sorted_copy"]


def sorted_copy(graph: Graph) -> Graph:
    """A copy of ``graph`` whose triples were added in sorted order, with the project prefixes."""
    copy = bind_prefixes(Graph(bind_namespaces="none"))
    for triple in sorted(graph, key=lambda t: tuple(term.n3() for term in t)):
        copy.add(triple)
    return copy


def _turtle(graph: Graph) -> bytes:
    return sorted_copy(graph).serialize(format="turtle", encoding="utf-8")


def _ntriples(graph: Graph) -> bytes:
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted(line for line in text.splitlines() if line.strip())
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def _context() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(jsonld_context_file().read_text(encoding="utf-8"))["@context"]
    return loaded


def _sort_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sort_json(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        items = [_sort_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


def _jsonld(graph: Graph) -> bytes:
    context = _context()
    raw = sorted_copy(graph).serialize(format="json-ld", context=context, auto_compact=True)
    document = json.loads(raw)
    body = {key: value for key, value in document.items() if key != "@context"}
    ordered = {"@context": context, **_sort_json(body)}
    return (json.dumps(ordered, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


#: Output formats: name -> (file extension, serialiser).
EXPORT_FORMATS: dict[str, tuple[str, Callable[[Graph], bytes]]] = {
    "ttl": (".ttl", _turtle),
    "jsonld": (".jsonld", _jsonld),
    "nt": (".nt", _ntriples),
}


def format_from_path(path: Path) -> str:
    """The export format a file name asks for.

    Examples
    --------
    >>> format_from_path(Path("out/ptce.jsonld"))
    'jsonld'
    """
    for name, (suffix, _) in EXPORT_FORMATS.items():
        if path.suffix.lower() == suffix:
            return name
    raise InputError.at(path, f"cannot tell the format from '{path.suffix}': use --format "
                        f"({', '.join(EXPORT_FORMATS)})")


def serialize(graph: Graph, fmt: str) -> bytes:
    """The bytes of ``graph`` in ``fmt`` (``ttl``, ``jsonld`` or ``nt``); same graph, same bytes.

    Examples
    --------
    >>> from rdflib import URIRef, Literal
    >>> g = Graph(); _ = g.add((URIRef("urn:b"), URIRef("urn:p"), Literal("x")))
    >>> _ = g.add((URIRef("urn:a"), URIRef("urn:p"), Literal("y")))
    >>> print(serialize(g, "nt").decode(), end="")
    <urn:a> <urn:p> "y" .
    <urn:b> <urn:p> "x" .
    """
    try:
        _, serializer = EXPORT_FORMATS[fmt]
    except KeyError:
        raise InputError(f"unknown export format '{fmt}'; choose one of {', '.join(EXPORT_FORMATS)}") from None
    return serializer(graph)


def export_graph(graph: Graph, path: Path, fmt: str | None = None) -> Path:
    """Write ``graph`` to ``path`` atomically (the format defaults to the file extension)."""
    data = serialize(graph, fmt or format_from_path(path))
    with atomic_write(path) as handle:
        handle.write(data)
    return path
