"""Where queries run: the embedded Oxigraph store, or (see :mod:`endpoint`) a remote endpoint.

Both implement :class:`SparqlStore`, the one seam between the query layer and a store.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from ptce_graph.errors import InputError
from ptce_graph.gcpause import paused_gc
from ptce_graph.io.ntriples import NTriples
from ptce_graph.io.rdf import ox_to_rdflib_loud, quiet_rdflib
from ptce_graph.model.namespaces import PREFIXES

__all__ = ["LocalStore", "SelectRows", "SparqlStore", "rdflib_rows"]

#: Column names and rows of terms (``None`` where a variable is unbound).
SelectRows = tuple[list[str], list[tuple[Node | None, ...]]]


class SparqlStore(Protocol):
    """Anything that answers SPARQL 1.1 queries."""

    name: str

    def select(self, query: str) -> SelectRows:
        """Run a SELECT query."""
        ...

    def ask(self, query: str) -> bool:
        """Run an ASK query."""
        ...

    def graph_query(self, query: str) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query."""
        ...


class LocalStore:
    """An in-memory Oxigraph store holding a graph (and the ontology when asked).

    Parameters
    ----------
    graph
        An rdflib graph, or the sorted N-Triples lines of one (:class:`~.ntriples.NTriples`,
        what :func:`~ptce_graph.io.ingest.read_folders` gives): lines load in bulk, without
        building rdflib terms.
    with_ontology
        Also load the ontology and its concept schemes (a graph's own triples only by default:
        :func:`~ptce_graph.graph.open_graph` is where the ontology joins a graph).

    Examples
    --------
    >>> lines = NTriples.from_lines(['<urn:p> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
    ...                              '<https://w3id.org/ptce-graph/ontology#PTCE> .'])
    >>> cols, rows = LocalStore(lines).select("SELECT (COUNT(*) AS ?n) WHERE { ?p a ptce:PTCE }")
    >>> cols, int(rows[0][0].toPython())
    (['n'], 1)
    >>> len(LocalStore(lines, with_ontology=True)) > 2000
    True
    """

    name = "embedded Oxigraph store"

    def __init__(self, graph: Graph | NTriples | None = None, *, with_ontology: bool = False) -> None:
        self._store = ox.Store()
        self._default_graph: ox.NamedNode | None = None
        self._prefixes: dict[str, str] = PREFIXES
        if isinstance(graph, NTriples):
            self._load(graph.data(), ox.RdfFormat.N_TRIPLES, "the graph")
        elif graph is not None:
            self._load(NTriples.from_graph(graph).data(), ox.RdfFormat.N_TRIPLES, "the graph")
        if with_ontology:
            from ptce_graph.io.vocabulary import ontology_ntriples

            self._store.bulk_load(ontology_ntriples(), ox.RdfFormat.N_TRIPLES)

    @classmethod
    def wrap(cls, store: ox.Store, *, default_graph: str | None = None) -> LocalStore:
        """A :class:`LocalStore` over a pyoxigraph store that already holds the data.

        ``default_graph`` names the named graph queries see as their default graph (to keep
        a query to one layer of a layered export); by default, the store's default graph.
        """
        local = cls()
        local._store = store
        local._default_graph = ox.NamedNode(default_graph) if default_graph else None
        return local

    def with_prefixes(self, extra: dict[str, str]) -> LocalStore:
        """The same store, its queries also given the prefixes ``extra`` (the project's are always)."""
        local = LocalStore.wrap(self._store)
        local._default_graph = self._default_graph
        local._prefixes = {**PREFIXES, **extra}
        return local

    def _load(self, data: bytes, fmt: ox.RdfFormat, where: str) -> None:
        try:
            self._store.load(data, fmt)
        except SyntaxError as exc:
            raise InputError(f"{where} is not valid RDF: {exc}") from exc

    def __len__(self) -> int:
        """The number of triples."""
        return len(self._store)

    @property
    def store(self) -> ox.Store:
        """The pyoxigraph store itself."""
        return self._store

    def query(self, query: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run any query; pyoxigraph's answer as it is (solutions, a boolean or triples)."""
        try:
            if self._default_graph is not None:
                return self._store.query(query, prefixes=self._prefixes, default_graph=self._default_graph)
            return self._store.query(query, prefixes=self._prefixes)
        except SyntaxError as exc:
            raise InputError(f"invalid SPARQL: {exc}") from exc
        except OSError as exc:
            raise InputError(f"query failed: {exc}") from exc

    def select(self, query: str) -> SelectRows:
        columns, solutions = self.solutions(query)
        return columns, list(rdflib_rows(solutions))

    def solutions(
        self, query: str
    ) -> tuple[list[str], list[tuple[ox.NamedNode | ox.BlankNode | ox.Literal | None, ...]]]:
        """Run a SELECT query; its rows as pyoxigraph terms (:meth:`select` gives rdflib terms)."""
        solutions = self.query(query)
        if not isinstance(solutions, ox.QuerySolutions):
            raise InputError("not a SELECT query")
        columns = [v.value for v in solutions.variables]
        with paused_gc():
            return columns, [tuple(solution) for solution in solutions]

    def ask(self, query: str) -> bool:
        answer = self.query(query)
        if not isinstance(answer, ox.QueryBoolean):
            raise InputError("not an ASK query")
        return bool(answer)

    def graph_query(self, query: str) -> Graph:
        return self.construct(query).to_graph()

    def construct(self, query: str) -> NTriples:
        """Run a CONSTRUCT or DESCRIBE query; its triples as sorted N-Triples lines.

        The triples are written by pyoxigraph's serialiser, without building rdflib terms
        (:meth:`graph_query` gives an rdflib graph).
        """
        triples = self.query(query)
        if not isinstance(triples, ox.QueryTriples):
            raise InputError("not a CONSTRUCT or DESCRIBE query")
        data = triples.serialize(format=ox.RdfFormat.N_TRIPLES)
        assert data is not None  # without an output, serialize returns the bytes
        return NTriples.from_oxigraph(data)


def rdflib_rows(rows: Iterable[Iterable[object]]) -> tuple[tuple[Node | None, ...], ...]:
    """Rows of pyoxigraph terms as rows of rdflib terms (rdflib terms and ``None`` are kept).

    Examples
    --------
    >>> rdflib_rows([(ox.NamedNode("urn:a"), None)])
    ((rdflib.term.URIRef('urn:a'), None),)
    """
    convert = _Converter()
    with paused_gc(), quiet_rdflib():
        return tuple(tuple(map(convert, row)) for row in rows)


class _Converter:
    """pyoxigraph terms to rdflib terms, each distinct term converted once (results repeat them).

    Use it inside :func:`~.rdfio.quiet_rdflib` (rdflib warns about ill-typed literals)."""

    def __init__(self) -> None:
        self._known: dict[object, Node] = {}

    def __call__(self, term: object) -> Node | None:
        if term is None or isinstance(term, Node):
            return term
        known = self._known.get(term)
        if known is None:
            known = self._known[term] = ox_to_rdflib_loud(term)
        return known
