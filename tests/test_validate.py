"""Validation: our report agrees with an independent pyshacl run; bad data gives violations."""

from __future__ import annotations

from pathlib import Path

import pyshacl
from rdflib import Graph, Literal
from rdflib.namespace import SH

from conftest import MINI, write_folder
from ptce_graph import validate
from ptce_graph.cli import main
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


def test_shipped_data_has_no_violation_and_agrees_with_pyshacl(tmp_path: Path, shipped_graph) -> None:
    report = validate(shipped_graph)
    assert report.violations == 0, report.to_text()
    out = tmp_path / "ptce.ttl"
    assert main(["export", "--format", "ttl", "--out", str(out)]) == 0
    exported = Graph().parse(out)
    assert _ours(exported) == _independent(exported)


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
