"""Validation: our report agrees with an independent pyshacl run; bad data gives violations;
the two engines give the same results, the report names the one that ran, and the compiled
engine refuses, by name, a feature it does not handle."""

from __future__ import annotations

import json
from pathlib import Path

import pyshacl
import pytest
from conftest import MINI, write_folder
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from ptce_graph import validate
from ptce_graph.check.validate import DEFAULT_ENGINE, ENGINES, Unsupported, shapes_graph
from ptce_graph.cli import main
from ptce_graph.errors import EXIT_INPUT, InputError
from ptce_graph.io.ingest import load_folders
from ptce_graph.model.namespaces import PG, PTCE
from ptce_graph.resources import ontology_files, shape_files


def _independent(data: Graph) -> set[tuple[str, str, str]]:
    shapes, ontology = Graph(), Graph()
    for path in shape_files():
        shapes.parse(path)
    for path in ontology_files():
        ontology.parse(path)
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True)
    return {(str(report.value(r, SH.focusNode)), str(report.value(r, SH.sourceShape)),
             str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1])
            for r in report.subjects(SH.resultSeverity, None)}


def _ours(data: Graph) -> set[tuple[str, str, str]]:
    from ptce_graph.model.namespaces import PREFIXES

    def expand(curie: str) -> str:
        prefix, _, rest = curie.partition(":")
        return PREFIXES[prefix] + rest if prefix in PREFIXES else curie

    return {(expand(r.focus), expand(r.shape), r.severity) for r in validate(data).results}


@pytest.fixture(scope="module")
def shipped_slice(shipped_graph) -> Graph:
    """A small piece of the shipped data (about 600 triples): three PTCEs, what points to them
    (memberships, laureateships...) and what those point to, two links deep. The links cut at
    the edge give results of several components and severities."""
    ptces = sorted(shipped_graph.subjects(RDF.type, PTCE.PTCE))[:3]
    keep = set(ptces)
    for ptce in ptces:
        keep |= set(shipped_graph.subjects(None, ptce))
    frontier = set(keep)
    for _ in range(2):
        reached = {o for s in frontier for o in shipped_graph.objects(s, None)
                   if isinstance(o, (URIRef, BNode)) and o not in keep and (o, None, None) in shipped_graph}
        keep |= reached
        frontier = reached
    piece = Graph()
    for subject in keep:
        for triple in shipped_graph.triples((subject, None, None)):
            piece.add(triple)
    return piece


def _compared(report) -> list[tuple[str, str | None, str, str, str, str | None]]:
    """What the shape tests compare: focus, path, component, shape, severity (and the value)."""
    return [(r.focus, r.path, r.component, r.shape, r.severity, r.value) for r in report.results]


def test_shipped_data_has_no_violation(tmp_path: Path, shipped_graph) -> None:
    report = validate(shipped_graph)
    assert report.violations == 0, report.to_text()
    assert report.engine == DEFAULT_ENGINE == "oxigraph"
    out = tmp_path / "ptce.ttl"
    assert main(["export", "--format", "ttl", "--out", str(out)]) == 0
    assert _compared(validate(Graph().parse(out))) == _compared(report)


def test_a_slice_of_the_shipped_data_agrees_with_an_independent_pyshacl_run(shipped_slice: Graph) -> None:
    assert _ours(shipped_slice) == _independent(shipped_slice)


def test_both_engines_give_the_same_results_on_a_slice_of_the_shipped_data(shipped_slice: Graph) -> None:
    reports = {engine: validate(shipped_slice, engine=engine) for engine in ENGINES}
    assert {engine: report.engine for engine, report in reports.items()} == {"oxigraph": "oxigraph",
                                                                            "pyshacl": "pyshacl"}
    compiled, reference = reports["oxigraph"], reports["pyshacl"]
    assert _compared(compiled) == _compared(reference)
    assert compiled.violations > 0 and compiled.warnings > 0 and compiled.infos > 0  # the test can fail
    assert len({r.component for r in compiled.results}) >= 3
    assert compiled == reference  # the same results make equal reports, whichever engine made them


def test_the_report_names_its_engine_in_text_and_json(shipped_slice: Graph) -> None:
    for engine in ENGINES:
        report = validate(shipped_slice, engine=engine)
        assert report.to_text().splitlines()[1] == f"engine: {engine}"
        assert report.to_text(language="fr").splitlines()[1] == f"engine: {engine}"
        assert json.loads(report.to_json())["engine"] == engine


def _closed_shapes() -> Graph:
    shapes = shapes_graph()
    shapes.add((URIRef("https://w3id.org/ptce-graph/shapes#PTCEShape"), SH.closed, Literal(True)))
    return shapes


def test_a_feature_the_compiled_engine_lacks_is_an_error_that_names_it(shipped_slice: Graph) -> None:
    """No silent fallback to pyshacl: the error names the feature and the engine to use."""
    with pytest.raises(Unsupported) as raised:
        validate(shipped_slice, shapes=_closed_shapes())
    error = raised.value
    assert isinstance(error, InputError) and error.exit_code == EXIT_INPUT
    assert error.feature == "sh:closed (on the shape pgs:PTCEShape)"
    assert str(error).startswith("the oxigraph validation engine does not handle sh:closed")
    assert 'engine="pyshacl"' in str(error)
    with pytest.raises(Unsupported, match="sh:closed"):
        validate(shipped_slice, shapes=_closed_shapes(), engine="oxigraph")
    report = validate(shipped_slice, shapes=_closed_shapes(), engine="pyshacl")
    assert report.engine == "pyshacl"
    assert any(r.component == "sh:ClosedConstraintComponent" or r.component.endswith("#ClosedConstraintComponent")
               for r in report.results)


@pytest.mark.parametrize("engine", ["auto", "rdflib", ""])
def test_an_unknown_engine_is_an_input_error(engine: str) -> None:
    with pytest.raises(InputError, match=r"unknown validation engine .*choose one of oxigraph, pyshacl"):
        validate(Graph(), engine=engine)  # type: ignore[arg-type]


def test_a_bad_siren_in_turtle_is_a_violation(tmp_path: Path) -> None:
    g = load_folders([write_folder(tmp_path / "m", MINI)])
    g.set((PG["actor/agglo"], PTCE.siren, Literal("200068782")))
    report = validate(g)
    assert report.violations >= 1
    assert any(r.focus == "pg:actor/agglo" and r.severity == "Violation" for r in report.results)
    assert _ours(g) == _independent(g)
    path = tmp_path / "bad.ttl"
    g.serialize(path, format="turtle")
    assert main(["validate", str(path)]) == 1
    assert main(["validate", str(path), "--format", "json"]) == 1


def test_validation_does_not_modify_the_users_graph(tmp_path: Path) -> None:
    g = load_folders([write_folder(tmp_path / "m", MINI)])
    before = set(g)
    validate(g)
    assert set(g) == before
