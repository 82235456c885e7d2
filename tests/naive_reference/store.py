"""rdflib's SPARQL engine behind the :class:`~ptce_graph.store.SparqlStore` seam (test oracle)."""

from __future__ import annotations

from rdflib import Graph

from ptce_graph.errors import InputError
from ptce_graph.model.namespaces import PREFIXES, bind_prefixes
from ptce_graph.store import SelectRows

__all__ = ["RdflibStore"]


class RdflibStore:
    """Answers SPARQL with rdflib's own engine on an in-memory rdflib graph (with the ontology)."""

    name = "rdflib memory store"

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def select(self, query: str) -> SelectRows:
        result = self.graph.query(query, initNs=PREFIXES)
        if result.type != "SELECT":
            raise InputError("not a SELECT query")
        columns = [str(v) for v in result.vars or []]
        return columns, [tuple(row) for row in result]

    def ask(self, query: str) -> bool:
        return bool(self.graph.query(query, initNs=PREFIXES).askAnswer)

    def graph_query(self, query: str) -> Graph:
        out = bind_prefixes(Graph(bind_namespaces="none"))
        for triple in self.graph.query(query, initNs=PREFIXES):
            out.add(triple)  # type: ignore[arg-type]
        return out
