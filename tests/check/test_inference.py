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
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = str(Path(__file__).parents[1])  # where rdflib_prepared lives

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
from ptce_graph.io.vocabulary import ontology_graph
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
from ptce_graph.model.namespaces import ORG, PTCE
from ptce_graph.io.vocabulary import ontology_graph
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


def _start(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _answer(child: subprocess.Popen[str]) -> object:
    stdout, stderr = child.communicate(timeout=900)
    assert child.returncode == 0, stderr[-2000:]
    return json.loads(stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def children(request: pytest.FixtureRequest) -> Iterator[dict[str, subprocess.Popen[str]]]:
    """The selected reasoner runs, started together (each alone in its process, as before) so
    that they share the machine's cores instead of waiting for one another."""
    wanted = {item.callspec.params["inference"] if hasattr(item, "callspec") else "closure"
              for item in request.session.items if getattr(item, "module", None) is request.module}
    started = {mode: _start(_VALIDATE, mode, TESTS) for mode in INFERENCE if mode in wanted}
    if "closure" in wanted:
        started["closure"] = _start(_CLOSURE)
    try:
        yield started
    finally:
        for child in started.values():
            if child.poll() is None:
                child.kill()
                child.communicate()


INFERENCE = ["none", "rdfs", "owlrl"]


@pytest.mark.slow
@pytest.mark.parametrize("inference", INFERENCE)
def test_shipped_graph_conforms_under_inference(inference: str, children) -> None:
    violations = _answer(children[inference])
    assert violations == [], f"{len(violations)} Violations under inference={inference}: {violations[:5]}"


@pytest.mark.slow
def test_rdfs_inference_keeps_relations_apart_from_memberships(children) -> None:
    """No domain or range makes a partner, funder or client a member once a reasoner has run."""
    found = _answer(children["closure"])
    assert found["relations"] > 0, "the shipped data has partners, funders and clients"
    assert found["relations_typed_membership"] == 0
    assert found["sources_retyped_resource"] == 0
