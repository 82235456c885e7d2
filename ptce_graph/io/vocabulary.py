"""The ontology and its SKOS code lists, read from `ontology/` once per process (the namespaces and
terms they use are in :mod:`ptce_graph.model`)."""

from __future__ import annotations

from functools import cache

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from ptce_graph.io.rdf import parse_rdf_file
from ptce_graph.model.namespaces import PGC, PTCE, bind_prefixes

__all__ = ["codes", "kind_classes", "membership_roles", "ontology_graph", "ontology_ntriples"]


@cache
def _ontology() -> Graph:
    from ptce_graph.resources import ontology_files

    graph = bind_prefixes(Graph(bind_namespaces="none"))
    for path in ontology_files():
        graph += parse_rdf_file(path)
    return graph


def ontology_graph() -> Graph:
    """A fresh copy of the ontology with its concept schemes (safe to modify).

    Examples
    --------
    >>> g = ontology_graph()
    >>> (PTCE.PTCE, None, None) in g
    True
    """
    copy = bind_prefixes(Graph(bind_namespaces="none"))
    copy += _ontology()
    return copy


@cache
def ontology_ntriples() -> bytes:
    """The ontology and its concept schemes as sorted N-Triples (for the embedded store).

    Examples
    --------
    >>> b"<https://w3id.org/ptce-graph/ontology#PTCE>" in ontology_ntriples()
    True
    """
    from ptce_graph.io.ntriples import NTriples, stable_blank_nodes
    from ptce_graph.io.rdf import read_rdf_file
    from ptce_graph.resources import ontology_files

    # the files' blank nodes (unions, lists) get the same names on every run: same export bytes
    triples = stable_blank_nodes(t for path in ontology_files() for t in read_rdf_file(path))
    return NTriples.from_triples(triples).data()


@cache
def codes(scheme: str) -> frozenset[str]:
    """The codes (``skos:notation``) of the concepts of one scheme.

    Examples
    --------
    >>> sorted(codes("cooperation-mode"))
    ['cooperation', 'mutualisation', 'partnership']
    """
    graph = _ontology()
    scheme_iri = PGC[scheme]
    return frozenset(
        str(graph.value(c, SKOS.notation))
        for c in graph.subjects(SKOS.inScheme, scheme_iri)
        if graph.value(c, SKOS.notation) is not None
    )


@cache
def kind_classes() -> dict[str, URIRef]:
    """Actor-kind codes and the class each one stands for.

    Examples
    --------
    >>> kind_classes()["ess-enterprise"]
    rdflib.term.URIRef('https://w3id.org/ptce-graph/ontology#ESSEnterprise')
    """
    graph = _ontology()
    result: dict[str, URIRef] = {}
    for c in graph.subjects(SKOS.inScheme, PGC["actor-kind"]):
        cls = graph.value(c, PTCE.correspondingClass)
        code = graph.value(c, SKOS.notation)
        if isinstance(cls, URIRef) and code is not None:
            result[str(code)] = cls
    return result


@cache
def membership_roles() -> frozenset[str]:
    """Codes of the roles that make an actor a member of a PTCE (``ptce:impliesMembership true``).

    The other roles of ``pgc:role`` (partner, funder, client...) describe a relation with the
    PTCE, not a membership.

    Examples
    --------
    >>> sorted(membership_roles())
    ['animator', 'associate', 'carrying-structure', 'founder', 'initiator', 'member']
    >>> "partner" in membership_roles()
    False
    """
    graph = _ontology()
    return frozenset(
        str(graph.value(c, SKOS.notation))
        for c in graph.subjects(SKOS.inScheme, PGC["role"])
        if graph.value(c, PTCE.impliesMembership) is not None
        and graph.value(c, PTCE.impliesMembership).toPython() is True  # type: ignore[union-attr]
    )
