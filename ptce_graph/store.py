"""Where queries run: the embedded Oxigraph store, or (see :mod:`endpoint`) a remote endpoint.

Both implement :class:`SparqlStore`, the one seam between the query layer and a store.
"""

from __future__ import annotations

from typing import Protocol

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from .errors import InputError
from .namespaces import PREFIXES, bind_prefixes
from .rdfio import ox_to_rdflib

__all__ = ["SparqlStore", "SelectRows", "LocalStore"]

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
    """An in-memory Oxigraph store holding a graph (and, by default, the ontology).

    Examples
    --------
    >>> from ptce_graph import load
    >>> store = LocalStore(load())
    >>> cols, rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?p a ptce:PTCE }")
    >>> int(rows[0][0].toPython()) >= 23
    True
    """

    name = "embedded Oxigraph store"

    def __init__(self, graph: Graph, *, with_ontology: bool = True) -> None:
        self._store = ox.Store()
        payload = graph.serialize(format="nt", encoding="utf-8")
        self._store.bulk_load(payload, ox.RdfFormat.N_TRIPLES)
        if with_ontology:
            from .vocabulary import ontology_graph

            self._store.bulk_load(ontology_graph().serialize(format="nt", encoding="utf-8"),
                                  ox.RdfFormat.N_TRIPLES)

    def _run(self, query: str) -> object:
        try:
            return self._store.query(query, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise InputError(f"invalid SPARQL: {exc}") from exc
        except OSError as exc:
            raise InputError(f"query failed: {exc}") from exc

    def select(self, query: str) -> SelectRows:
        solutions = self._run(query)
        if not isinstance(solutions, ox.QuerySolutions):
            raise InputError("not a SELECT query")
        columns = [v.value for v in solutions.variables]
        rows = [tuple(None if s[c] is None else ox_to_rdflib(s[c]) for c in columns) for s in solutions]
        return columns, rows

    def ask(self, query: str) -> bool:
        answer = self._run(query)
        if not isinstance(answer, ox.QueryBoolean):
            raise InputError("not an ASK query")
        return bool(answer)

    def graph_query(self, query: str) -> Graph:
        triples = self._run(query)
        if not isinstance(triples, ox.QueryTriples):
            raise InputError("not a CONSTRUCT or DESCRIBE query")
        graph = bind_prefixes(Graph(bind_namespaces="none"))
        for t in triples:
            graph.add((ox_to_rdflib(t.subject), ox_to_rdflib(t.predicate), ox_to_rdflib(t.object)))
        return graph
