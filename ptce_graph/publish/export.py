"""Write a graph to a file or to bytes, in any RDF format of :mod:`ptce_graph.io.formats`.

The writers themselves are in :mod:`ptce_graph.io.serialize` (and :mod:`ptce_graph.io.framing`
for framed JSON-LD); this module takes any graph value (:class:`~ptce_graph.graph.PtceGraph`,
an rdflib graph, sorted lines) and writes it atomically. An export says what it wrote
(:class:`Exported`): how many triples, how many of them are the ontology's, and the named
graphs of an N-Quads or TriG file (the data in ``…/id/graph/data``, the ontology in
``…/id/graph/ontology``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph

from ptce_graph.errors import InputError
from ptce_graph.graph import PtceGraph
from ptce_graph.io.atomic import atomic_write
from ptce_graph.io.formats import format_names, format_of_path
from ptce_graph.io.ntriples import NTriples
from ptce_graph.io.serialize import EXPORT_FORMATS, json_document, serialize_lines, write_lines, writer_of
from ptce_graph.store import LocalStore

if TYPE_CHECKING:
    from ptce_graph.publish.gogocarto import GoGoCartoExport
    from ptce_graph.publish.murmurations import MurmurationsExport

__all__ = [
    "BUILD_FORMATS",
    "EXPORT_FORMATS",
    "LAYER_GRAPHS",
    "NAMED_GRAPHS",
    "Exported",
    "as_ntriples",
    "export",
    "export_graph",
    "export_layers",
    "export_profiles",
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


#: The named graphs of an N-Quads or TriG export: the data, and the ontology when it is included.
NAMED_GRAPHS = {
    "data": "https://w3id.org/ptce-graph/id/graph/data",
    "ontology": "https://w3id.org/ptce-graph/id/graph/ontology",
}


@dataclass(frozen=True)
class Exported:
    """What an export wrote: the file, its format, and the triples in it.

    ``triples`` is the number of distinct triples the file holds (read back, it is that many),
    ``ontology`` how many of them are the ontology's and its code lists' (0 when it was not
    included), ``graphs`` the named graphs of an N-Quads or TriG file, ``documents`` the
    top-level objects of a framed JSON-LD file.
    """

    path: Path
    format: str
    triples: int
    ontology: int = 0
    graphs: tuple[str, ...] = ()
    documents: int | None = None
    frame: str | None = None

    @property
    def data(self) -> int:
        """The triples that are not the ontology's."""
        return self.triples - self.ontology

    def summary(self) -> str:
        """One line for the terminal, with counts that match the file.

        Examples
        --------
        >>> print(Exported(Path("ptce.trig"), "trig", 120, 20, ("urn:data", "urn:ontology")).summary())
        wrote ptce.trig: 120 triples (data 100, ontology 20), in named graphs <urn:data> and <urn:ontology>
        >>> print(Exported(Path("ptce.ttl"), "ttl", 100).summary())
        wrote ptce.ttl: 100 triples (data 100, no ontology)
        """
        ontology = f"ontology {self.ontology}" if self.ontology else "no ontology"
        text = f"wrote {self.path}: {self.triples} triples (data {self.data}, {ontology})"
        if self.documents is not None:
            text = (
                f"wrote {self.path}: {self.documents} documents framed by '{self.frame}', "
                f"{self.triples} triples of the graph (data {self.data}, {ontology})"
            )
        if self.graphs:
            text += ", in named graphs " + " and ".join(f"<{g}>" for g in self.graphs)
        return text


def _ontology_lines(nt: NTriples) -> set[str]:
    from ptce_graph.graph import ontology_lines

    return set(ontology_lines().lines).intersection(nt.lines)


def named_quads(nt: NTriples) -> list[str]:
    """The triples as sorted N-Quads lines: the ontology's in its named graph, the others in the data's.

    Examples
    --------
    >>> from ptce_graph.graph import open_graph
    >>> quads = named_quads(open_graph(with_ontology=True).ntriples)
    >>> sorted({q.rsplit(" ", 2)[-2] for q in quads})
    ['<https://w3id.org/ptce-graph/id/graph/data>', '<https://w3id.org/ptce-graph/id/graph/ontology>']
    """
    ontology = _ontology_lines(nt)
    data, onto = f"<{NAMED_GRAPHS['data']}> .", f"<{NAMED_GRAPHS['ontology']}> ."
    return sorted(f"{line[:-1]}{onto if line in ontology else data}" for line in nt.lines)


def _write_quads(quads: list[str], fmt: str, handle: IO[bytes]) -> None:
    data = ("\n".join(quads) + "\n").encode("utf-8") if quads else b""
    if fmt == "nq":
        handle.write(data)
        return
    from ptce_graph.io.serialize import write_prefixed_quads

    write_prefixed_quads(data, handle)


def export(
    graph: PtceGraph | Graph | NTriples, path: Path, fmt: str | None = None, *, frame: str | None = None
) -> Exported:
    """Write ``graph`` to ``path`` atomically and say what was written.

    The format defaults to the file extension. ``essglobal`` writes the ESSGLOBAL profile
    (:mod:`ptce_graph.publish.essglobal`). N-Quads and TriG put the data and the ontology
    (when the graph holds it) in two named graphs (:data:`NAMED_GRAPHS`); ``jsonld-framed``
    writes the documents of a shipped frame (``frame``, default ``ptce``; see
    :mod:`ptce_graph.io.framing`).

    Examples
    --------
    >>> import tempfile
    >>> from ptce_graph.graph import open_graph
    >>> folder = Path(tempfile.mkdtemp())
    >>> done = export(open_graph(with_ontology=True), folder / "ptce.nq")
    >>> done.ontology > 0, done.data > 0, len(done.graphs)
    (True, True, 2)
    >>> sum(1 for _ in (folder / "ptce.nq").open()) == done.triples
    True
    """
    fmt = fmt or format_from_path(path)
    if fmt == "essglobal":
        if frame is not None:
            raise InputError(f"--frame applies to the framed format (jsonld-framed), not {fmt}")
        from ptce_graph.publish.essglobal import export_essglobal

        return export_essglobal(graph, path)
    nt = as_ntriples(graph)
    ontology = len(_ontology_lines(nt))
    if fmt in format_names("framed"):
        from ptce_graph.io.framing import DEFAULT_FRAME, frame_document

        frame = frame or DEFAULT_FRAME
        document = frame_document(nt, frame)
        data = json_document(document)
        # what the file holds, read back: the framed part of the graph
        held = NTriples.from_triples(ox.parse(data, ox.RdfFormat.JSON_LD))
        with atomic_write(path) as handle:
            handle.write(data)
        return Exported(
            path, fmt, len(held), len(_ontology_lines(held)), documents=len(document["@graph"]), frame=frame
        )
    if frame is not None:
        raise InputError(f"--frame applies to the framed format (jsonld-framed), not {fmt}")
    if fmt in ("nq", "trig"):
        quads = named_quads(nt)
        with atomic_write(path) as handle:
            _write_quads(quads, fmt, handle)
        graphs = tuple(NAMED_GRAPHS[name] for name in ("data", "ontology") if name == "data" or ontology)
        return Exported(path, fmt, len(nt), ontology, graphs if nt.lines else ())
    writer = writer_of(fmt)
    with atomic_write(path) as handle:
        writer(nt, handle)
    return Exported(path, fmt, len(nt), ontology)


def export_graph(graph: PtceGraph | Graph | NTriples, path: Path, fmt: str | None = None) -> Path:
    """Write ``graph`` to ``path`` atomically (the format defaults to the file extension); see :func:`export`."""
    return export(graph, path, fmt).path


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
    with atomic_write(path) as handle:
        _write_quads(layered_quads(graph), fmt, handle)
    return path


def export_profiles(
    graph: PtceGraph | Graph | None, path: Path, fmt: str
) -> MurmurationsExport | GoGoCartoExport | Exported:
    """Write the organisations for another SSE tool: ``essglobal`` (Turtle, see :mod:`.essglobal`),
    ``murmurations`` (a folder of profiles, see :mod:`.murmurations`) or ``gogocarto`` (a file of
    elements, see :mod:`.gogocarto`)."""
    if fmt == "essglobal":
        from ptce_graph.graph import open_graph
        from ptce_graph.publish.essglobal import export_essglobal

        return export_essglobal(open_graph() if graph is None else graph, path)
    if fmt == "murmurations":
        from ptce_graph.publish.murmurations import write_murmurations

        return write_murmurations(graph, path)
    if fmt == "gogocarto":
        from ptce_graph.publish.gogocarto import write_gogocarto

        return write_gogocarto(graph, path)
    raise InputError(f"unknown profile format '{fmt}'; choose one of {', '.join(format_names('profile'))}")
