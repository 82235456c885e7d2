"""The ontology agrees with its shapes: the shipped graph conforms whatever the reasoner adds.

A domain or range that retypes a node wrongly shows up here: under RDFS inference the old
domain of ``ptce:publisherNote`` typed every source as a ``ptce:Resource``, and pySHACL then
reported 204 Violations (a resource without a title...). Each inference mode pySHACL offers is
run on the shipped build, with the ontology and its schemes as ``ont_graph``.
"""

from __future__ import annotations

import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import Graph
from rdflib.namespace import RDF, SH

from ptce_graph.namespaces import ORG, PTCE
from ptce_graph.resources import shape_files
from ptce_graph.vocabulary import ontology_graph


@pytest.fixture(scope="module")
def shapes() -> Graph:
    graph = Graph()
    for path in shape_files():
        graph.parse(path)
    return graph


@pytest.mark.parametrize("inference", ["none", "rdfs", "owlrl"])
def test_shipped_graph_conforms_under_inference(inference: str, shipped_graph: Graph, shapes: Graph) -> None:
    data = Graph()
    data += shipped_graph  # pyshacl's inference writes into a copy, but the fixture is shared: be sure
    _, report, _ = pyshacl_validate(data, shacl_graph=shapes, ont_graph=ontology_graph(), inference=inference,
                                    advanced=True, allow_warnings=True, allow_infos=True)
    violations = sorted(
        (str(report.value(r, SH.focusNode)), str(report.value(r, SH.sourceShape)))
        for r in report.subjects(SH.resultSeverity, SH.Violation))
    assert violations == [], f"{len(violations)} Violations under inference={inference}: {violations[:5]}"


def test_rdfs_inference_keeps_relations_apart_from_memberships(shipped_graph: Graph) -> None:
    """No domain or range makes a partner, funder or client a member once a reasoner has run."""
    import owlrl

    data = Graph()
    data += shipped_graph
    data += ontology_graph()
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics).expand(data)
    relations = set(data.subjects(RDF.type, PTCE.ExternalRelation))
    assert relations, "the shipped data has partners, funders and clients"
    assert not relations & set(data.subjects(RDF.type, ORG.Membership))
    sources = set(data.subjects(RDF.type, PTCE.Source))
    resources = set(shipped_graph.subjects(RDF.type, PTCE.Resource))
    assert set(data.subjects(RDF.type, PTCE.Resource)) & sources <= resources
