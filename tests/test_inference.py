"""The ontology agrees with its shapes: the shipped graph conforms whatever the reasoner adds.

A domain or range that retypes a node wrongly shows up here: under RDFS inference the old
domain of ``ptce:publisherNote`` typed every source as a ``ptce:Resource``, and pySHACL then
reported 204 Violations (a resource without a title...). Each inference mode pySHACL offers is
run on the shipped build, with the ontology and its schemes as ``ont_graph``.

The reasoning runs in a child process: OWL-RL changes how rdflib converts typed literals for the
whole interpreter, which would change what later tests see.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = str(Path(__file__).parent)

_VALIDATE = """
import json, sys
sys.path.insert(0, sys.argv[2])
import rdflib_prepared
rdflib_prepared.install()  # each SHACL-SPARQL query parsed once, not once per focus node
from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import SH
from ptce_graph import load
from ptce_graph.resources import shape_files
from ptce_graph.vocabulary import ontology_graph
shapes = Graph()
for path in shape_files():
    shapes.parse(path)
_, report, _ = validate(load(), shacl_graph=shapes, ont_graph=ontology_graph(), inference=sys.argv[1],
                        advanced=True, allow_warnings=True, allow_infos=True)
print(json.dumps(sorted((str(report.value(r, SH.focusNode)), str(report.value(r, SH.sourceShape)))
                        for r in report.subjects(SH.resultSeverity, SH.Violation))))
"""

_CLOSURE = """
import json
import owlrl
from rdflib import Graph
from rdflib.namespace import RDF
from ptce_graph import load
from ptce_graph.namespaces import ORG, PTCE
from ptce_graph.vocabulary import ontology_graph
shipped = load()
data = Graph()
data += shipped
data += ontology_graph()
owlrl.DeductiveClosure(owlrl.RDFS_Semantics).expand(data)
relations = set(data.subjects(RDF.type, PTCE.ExternalRelation))
sources = set(data.subjects(RDF.type, PTCE.Source))
print(json.dumps({
    "relations": len(relations),
    "relations_typed_membership": len(relations & set(data.subjects(RDF.type, ORG.Membership))),
    "sources_retyped_resource": len((set(data.subjects(RDF.type, PTCE.Resource)) & sources)
                                    - set(shipped.subjects(RDF.type, PTCE.Resource))),
}))
"""


def _child(script: str, *args: str) -> object:
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("inference", ["none", "rdfs", "owlrl"])
def test_shipped_graph_conforms_under_inference(inference: str) -> None:
    violations = _child(_VALIDATE, inference, TESTS)
    assert violations == [], f"{len(violations)} Violations under inference={inference}: {violations[:5]}"


def test_rdfs_inference_keeps_relations_apart_from_memberships() -> None:
    """No domain or range makes a partner, funder or client a member once a reasoner has run."""
    found = _child(_CLOSURE)
    assert found["relations"] > 0, "the shipped data has partners, funders and clients"
    assert found["relations_typed_membership"] == 0
    assert found["sources_retyped_resource"] == 0
