"""One graph value and one way to open it: :class:`PtceGraph` and :func:`open_graph`.

Every command and the Python API open their sources here: data folders in the CSV templates,
workbooks with one sheet per template (:mod:`~ptce_graph.io.workbooks`), the shipped base, RDF
files in any format of :mod:`~ptce_graph.io.formats` (Turtle, N-Triples, N-Quads, TriG, JSON-LD,
RDF/XML) and rdflib graphs. Files are read by one reader
(:func:`~ptce_graph.io.rdf.read_rdf_file`) with the same checks whatever the command, so a file
that ``validate`` refuses as malformed is refused by every command.

A graph holds what its sources hold. The ontology and its code lists join it when asked
(``with_ontology=True``), and by default when the shipped base is among the sources (its
canned queries and pushes are meant to run with them). Named graphs of N-Quads and TriG files
are merged into the one graph (their union); blank nodes of different files never meet.

There is no size limit but memory: about 0.1 GiB per million triples for the sorted lines,
as much again for the Oxigraph store, which is built once, when first asked for.

Examples
--------
>>> graph = open_graph()                 # the shipped base, with the ontology
>>> len(graph) > 6000, [layer.name for layer in graph.layers]
(True, ['shipped data', 'ontology and code lists'])
>>> rows = graph.store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[1]
>>> int(rows[0][0]) == len(graph)
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import chain
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ptce_graph.errors import InputError, Problem
from ptce_graph.io.formats import format_of_path
from ptce_graph.io.ingest import DEFAULT_BASE, FileRead, ReadReport, read_folders
from ptce_graph.io.layers import Change
from ptce_graph.io.ntriples import NTriples
from ptce_graph.io.rdf import read_rdf_file
from ptce_graph.io.workbooks import is_workbook
from ptce_graph.resources import shipped_data_dir
from ptce_graph.store import LocalStore

__all__ = ["Layer", "PtceGraph", "Source", "as_graph", "open_graph"]

_Part = NTriples | tuple[ox.Quad, ...]


@dataclass(frozen=True)
class Layer:
    """One source of a graph, as it was read: its name and how many statements it gave (a
    statement repeated in a file counts each time; ``len()`` of the graph counts distinct ones)."""

    name: str
    triples: int

    def __str__(self) -> str:
        return f"{self.name} ({self.triples} triples)"


class PtceGraph:
    """An immutable RDF graph: its sorted N-Triples lines, its layers, and an Oxigraph store.

    Made by :func:`open_graph`. The lines (:attr:`ntriples`) and the store (:attr:`store`)
    are each made once, when first asked for, from whatever the sources gave (files are
    parsed straight into pyoxigraph triples, folders into lines); ``len()`` is the number of
    distinct triples.

    Examples
    --------
    >>> g = open_graph(Graph())
    >>> len(g), g.ntriples.lines
    (0, ())
    """

    __slots__ = ("__dict__", "_parts", "changes", "files", "layers", "notices")

    def __init__(self, parts: Sequence[_Part], layers: Sequence[Layer], report: ReadReport | None = None) -> None:
        report = report or ReadReport()
        self._parts: tuple[_Part, ...] = tuple(parts)
        #: The sources, in the order they were read.
        self.layers: tuple[Layer, ...] = tuple(layers)
        #: What later data folders enriched, corrected or retracted in earlier ones.
        self.changes: tuple[Change, ...] = tuple(report.changes)
        #: Warnings of the read: values repaired, cells that look wrong.
        self.notices: tuple[Problem, ...] = tuple(report.notices)
        #: Each table file read, with its encoding and separator.
        self.files: tuple[FileRead, ...] = tuple(report.files)

    @cached_property
    def ntriples(self) -> NTriples:
        """The sorted, duplicate-free N-Triples lines (what every writer starts from)."""
        if len(self._parts) == 1 and isinstance(self._parts[0], NTriples):
            return self._parts[0]
        return NTriples.from_lines(
            chain.from_iterable(
                part.lines if isinstance(part, NTriples) else NTriples.from_triples(part).lines for part in self._parts
            )
        )

    @cached_property
    def store(self) -> LocalStore:
        """The embedded Oxigraph store holding exactly this graph (built on first use)."""
        store = ox.Store()
        for part in self._parts:
            if isinstance(part, NTriples):
                if part.lines:
                    store.bulk_load(part.data(), ox.RdfFormat.N_TRIPLES)
            else:
                store.bulk_extend(part)
        return LocalStore.wrap(store)

    def __len__(self) -> int:
        if "ntriples" in self.__dict__ or "store" not in self.__dict__:
            return len(self.ntriples)
        return len(self.store)

    def data(self) -> bytes:
        """The graph as an N-Triples document (sorted, UTF-8)."""
        return self.ntriples.data()

    def to_rdflib(self) -> Graph:
        """A new rdflib graph with these triples (for users who work with rdflib)."""
        return self.ntriples.to_graph()

    def describe(self) -> str:
        """One line saying what was loaded, for the terminal; it warns when the triples hold no
        PTCE (a wrong file gives empty tables otherwise, with no other sign).

        Examples
        --------
        >>> open_graph(Graph()).describe()
        'loaded 0 triples: rdflib graph (0 triples)'
        >>> open_graph(NTriples.from_lines(["<urn:a> <urn:p> <urn:b> ."])).describe()  # doctest: +ELLIPSIS
        'loaded 1 triples: N-Triples lines (1 triples); no ptce:PTCE in them: ...'
        """
        text = f"loaded {len(self)} triples: " + ", ".join(str(layer) for layer in self.layers)
        if len(self) and not self.holds_ptce():
            text += (
                "; no ptce:PTCE in them: queries, views and exports about PTCEs will be empty "
                "(a data folder is read with --data, RDF files with --graph)"
            )
        return text

    def holds_ptce(self) -> bool:
        """Whether some node is typed ``ptce:PTCE``.

        Examples
        --------
        >>> typed = "<urn:x> " + _PTCE_TYPED.strip()[2:]
        >>> open_graph(NTriples.from_lines([typed])).holds_ptce(), open_graph(Graph()).holds_ptce()
        (True, False)
        """
        return _PTCE_TYPED in self.ntriples.text()

    def __repr__(self) -> str:
        return f"<PtceGraph {len(self)} triples from {', '.join(layer.name for layer in self.layers)}>"


#: The end of a line typing a node as a PTCE.
_PTCE_TYPED = "> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/ptce-graph/ontology#PTCE> .\n"

#: What :func:`open_graph` reads: a data folder or RDF file path, an rdflib graph, the sorted
#: lines of one, or another :class:`PtceGraph`.
Source = str | Path | Graph | NTriples | PtceGraph


def _quiet(_: str) -> None:
    return None


@cache
def ontology_lines() -> NTriples:
    """The ontology and its code lists as sorted lines (made once per process)."""
    from ptce_graph.io.vocabulary import ontology_ntriples

    return NTriples.from_oxigraph(ontology_ntriples())


def open_graph(
    *sources: Source,
    include_shipped: bool = False,
    with_ontology: bool | None = None,
    base: str = DEFAULT_BASE,
    progress: Callable[[str], None] = _quiet,
) -> PtceGraph:
    """Open data folders, RDF files and graphs as one :class:`PtceGraph`: the only loader.

    Parameters
    ----------
    sources
        Data folders in the CSV templates of ``data/README.md`` or workbooks (``.xlsx``,
        ``.ods``) with one sheet per template, read together and stacked in the order given (a
        folder's rows may point at another's ids; see :mod:`~ptce_graph.io.layers`), RDF files
        (format from the extension, see :mod:`~ptce_graph.io.formats`), rdflib graphs,
        :class:`~ptce_graph.io.ntriples.NTriples` or other :class:`PtceGraph` values. None at
        all: the shipped base.
    include_shipped
        Also read the shipped data folder (a researcher's rows may then point at shipped ids).
    with_ontology
        Add the ontology and its code lists. Default: when the shipped base is read.
    base
        The IRI the rows of data folders are minted under.
    progress
        Called with a short message before each long stage.

    Raises
    ------
    InputError
        For a missing, unreadable or malformed source, naming the file and the line.

    Examples
    --------
    >>> from ptce_graph.resources import root
    >>> g = open_graph(root() / "ontology" / "schemes" / "role.ttl")
    >>> g.layers[0].name.endswith('role.ttl'), len(g) > 50
    (True, True)
    """
    shipped = shipped_data_dir()
    paths = [Path(s) for s in sources if isinstance(s, (str, Path))]
    for path in paths:
        if not path.exists() and is_workbook(path):
            raise InputError.at(path, "workbook not found")
        if not path.exists() and format_of_path(path, "rdf") is None:
            raise InputError.at(path, "data folder not found (nor an RDF file: no such path)")
    # data folders and workbooks are layers stacked in the order given
    folders = [p for p in paths if p.is_dir() or (p.is_file() and is_workbook(p))]
    if not sources:
        folders = [shipped]
    if include_shipped and shipped not in folders:
        folders.insert(0, shipped)
    has_shipped = shipped in folders
    parts: list[_Part] = []
    report = ReadReport()
    layers: list[Layer] = []
    if folders:
        progress("reading data folders")
        lines = read_folders(folders, shipped=has_shipped, base=base, progress=progress, report=report)
        parts.append(lines)
        names = ["shipped data" if f == shipped else str(f) for f in folders]
        layers.append(Layer(", ".join(names), len(lines)))
    files = [s for s in sources if not (isinstance(s, (str, Path)) and Path(s) in folders)]
    merge = len(files) + bool(folders) > 1
    for index, source in enumerate(files):
        if isinstance(source, PtceGraph):
            parts.extend(source._parts)
            layers.extend(source.layers)
            report.changes.extend(source.changes)
            report.notices.extend(source.notices)
            report.files.extend(source.files)
        elif isinstance(source, NTriples):
            parts.append(source)
            layers.append(Layer("N-Triples lines", len(source)))
        elif isinstance(source, Graph):
            lines = NTriples.from_graph(source)
            parts.append(lines)
            layers.append(Layer("rdflib graph", len(lines)))
        else:
            progress(f"reading {source}")
            triples = tuple(read_rdf_file(Path(source), blank_prefix=f"f{index}_" if merge else None))
            parts.append(triples)
            layers.append(Layer(str(source), len(triples)))
    if with_ontology is None:
        with_ontology = has_shipped
    if with_ontology:
        ontology = ontology_lines()
        parts.append(ontology)
        layers.append(Layer("ontology and code lists", len(ontology)))
    return PtceGraph(parts, layers, report)


def as_graph(source: Source | None = None) -> PtceGraph:
    """``source`` as a :class:`PtceGraph` (itself if it is one; ``None``: the shipped base).

    Examples
    --------
    >>> g = open_graph(Graph())
    >>> as_graph(g) is g
    True
    """
    if isinstance(source, PtceGraph):
        return source
    return open_graph() if source is None else open_graph(source)
