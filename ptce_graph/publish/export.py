"""Write a graph to a file or to bytes, in any RDF format of :mod:`ptce_graph.io.formats`.

The writers themselves are in :mod:`ptce_graph.io.serialize`; this module takes any graph
value (:class:`~ptce_graph.graph.PtceGraph`, an rdflib graph, sorted lines) and writes it
atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

import pyoxigraph as ox
from rdflib import Graph

from ptce_graph.errors import InputError
from ptce_graph.graph import PtceGraph
from ptce_graph.io.atomic import atomic_write
from ptce_graph.io.formats import format_of_path
from ptce_graph.io.ntriples import NTriples
from ptce_graph.io.serialize import EXPORT_FORMATS, TURTLE_PREFIXES, serialize_lines, write_lines, writer_of
from ptce_graph.store import LocalStore

__all__ = [
    "BUILD_FORMATS",
    "EXPORT_FORMATS",
    "as_ntriples",
    "export_graph",
    "format_from_path",
    "serialize",
    "write",
]

#: What ``ptce-graph build`` writes.
BUILD_FORMATS = ("ttl", "jsonld", "nt")


def as_ntriples(graph: PtceGraph | Graph | NTriples) -> NTriples:
    """The sorted N-Triples lines of a graph (the graph itself if it already is lines)."""
    if isinstance(graph, PtceGraph):
        return graph.ntriples
    return graph if isinstance(graph, NTriples) else NTriples.from_graph(graph)


def format_from_path(path: Path) -> str:
    """The export format a file name asks for.

    Examples
    --------
    >>> format_from_path(Path("out/ptce.jsonld"))
    'jsonld'
    """
    found = format_of_path(path, "rdf")
    if found is not None:
        return found.name
    raise InputError.at(
        path, f"cannot tell the format from '{path.suffix}': use --format ({', '.join(EXPORT_FORMATS)})"
    )


def write(graph: PtceGraph | Graph | NTriples, fmt: str, out: IO[bytes]) -> None:
    """Write ``graph`` in ``fmt`` to a binary stream (see :func:`serialize`)."""
    write_lines(as_ntriples(graph), fmt, out)


def serialize(graph: PtceGraph | Graph | NTriples, fmt: str) -> bytes:
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
    return serialize_lines(as_ntriples(graph), fmt)


def export_graph(graph: PtceGraph | Graph | NTriples, path: Path, fmt: str | None = None) -> Path:
    """Write ``graph`` to ``path`` atomically (the format defaults to the file extension)."""
    writer = writer_of(fmt or format_from_path(path))
    nt = as_ntriples(graph)
    with atomic_write(path) as handle:
        writer(nt, handle)
    return path


#: The named graphs of a layered export: what the ontology, the shipped data and the user's own
#: folders and files hold.
LAYER_GRAPHS = {
    "ontology": "https://w3id.org/ptce-graph/id/graph/ontology",
    "shipped": "https://w3id.org/ptce-graph/id/graph/shipped",
    "own": "https://w3id.org/ptce-graph/id/graph/own",
}


def layered_quads(graph: PtceGraph) -> list[str]:
    """The graph's triples as sorted N-Quads lines, each in the named graph of its layer.

    A triple of the ontology goes to ``LAYER_GRAPHS["ontology"]``, one the shipped data alone
    gives to ``"shipped"``, and every other one (what your folders and files add, including a
    shipped row you enriched or corrected, which reads differently) to ``"own"``; a retracted
    shipped fact is in none. Loaded into a store (``oxigraph load``, ``push`` one graph at a
    time), ``GRAPH <…/graph/own> { … }`` restricts a query to your own facts.

    Examples
    --------
    >>> from ptce_graph.graph import open_graph
    >>> quads = layered_quads(open_graph(with_ontology=False))
    >>> {q.rsplit(" ", 2)[-2] for q in quads}
    {'<https://w3id.org/ptce-graph/id/graph/shipped>'}
    """
    from ptce_graph.graph import ontology_lines, open_graph

    ontology = set(ontology_lines().lines)
    shipped = set(open_graph(with_ontology=False).ntriples.lines) if graph.layers and any(
        layer.name.startswith("shipped data") for layer in graph.layers) else set()  # fmt: skip
    quads = []
    for line in graph.ntriples.lines:
        layer = "ontology" if line in ontology else "shipped" if line in shipped else "own"
        quads.append(f"{line[:-1]}<{LAYER_GRAPHS[layer]}> .")
    return sorted(quads)


def layer_store(graph: PtceGraph, layer: str) -> LocalStore:
    """A store whose queries see one layer of ``graph`` (``ontology``, ``shipped`` or ``own``).

    Examples
    --------
    >>> from ptce_graph.graph import open_graph
    >>> store = layer_store(open_graph(), "ontology")
    >>> rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?p a ptce:PTCE }")[1]
    >>> int(rows[0][0])
    0
    """
    if layer not in LAYER_GRAPHS:
        raise InputError(f"unknown layer '{layer}'; choose one of {', '.join(LAYER_GRAPHS)}")
    store = ox.Store()
    store.bulk_load(("\n".join(layered_quads(graph)) + "\n").encode("utf-8"), ox.RdfFormat.N_QUADS)
    return LocalStore.wrap(store, default_graph=LAYER_GRAPHS[layer])


def export_layers(graph: PtceGraph, path: Path, fmt: str | None = None) -> Path:
    """Write ``graph`` to ``path`` with each layer as a named graph (``nq`` or ``trig``), atomically."""
    fmt = fmt or format_from_path(path)
    if fmt not in ("nq", "trig"):
        raise InputError(f"layers are named graphs: write them as nq or trig, not {fmt}")
    data = ("\n".join(layered_quads(graph)) + "\n").encode("utf-8")
    with atomic_write(path) as handle:
        if fmt == "nq":
            handle.write(data)
        else:
            quads = ox.parse(data, ox.RdfFormat.N_QUADS)
            ox.serialize(quads, handle, ox.RdfFormat.TRIG, prefixes=TURTLE_PREFIXES)
    return path
