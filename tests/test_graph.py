"""The one loader (``open_graph``) and the one graph value (``PtceGraph``), and every command on it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from ptce_graph.cli import main
from ptce_graph.errors import InputError
from ptce_graph.graph import PtceGraph, as_graph, open_graph
from ptce_graph.io.ntriples import NTriples

CORPUS = Path(__file__).parent / "corpus"
_MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
_CASES = _MANIFEST["cases"] if isinstance(_MANIFEST, dict) else _MANIFEST
#: Malformed RDF files of the hardening corpus that ``validate`` refuses (exit 2).
MALFORMED = [c for c in _CASES if c["input"].startswith("rdf/") and c["command"] == "validate"
             and c["exit"] == 2 and "generate" not in c]


def test_a_file_holds_what_it_holds(tmp_path: Path) -> None:
    path = tmp_path / "two.ttl"
    path.write_text('<urn:a> <urn:p> "x" . <urn:a> <urn:p> "x" . <urn:b> <urn:p> <urn:a> .', encoding="utf-8")
    graph = open_graph(path)
    assert len(graph) == 2 and [layer.name for layer in graph.layers] == [str(path)]
    rows = graph.store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[1]
    assert int(rows[0][0]) == 2, "no ontology triple is added to a file"
    with_ontology = open_graph(path, with_ontology=True)
    assert len(with_ontology) > 2000 and with_ontology.layers[-1].name == "ontology and code lists"


def test_the_shipped_base_comes_with_the_ontology() -> None:
    graph = open_graph()
    data = open_graph(with_ontology=False)
    assert [layer.name for layer in graph.layers] == ["shipped data", "ontology and code lists"]
    assert len(graph) == len(data) + graph.layers[1].triples
    assert set(data.ntriples.lines) <= set(graph.ntriples.lines)


def test_blank_nodes_of_two_files_never_meet(tmp_path: Path) -> None:
    one, two = tmp_path / "one.nt", tmp_path / "two.nt"
    one.write_text('_:b0 <urn:p> "one" .\n', encoding="utf-8")
    two.write_text('_:b0 <urn:p> "two" .\n', encoding="utf-8")
    graph = open_graph(one, two)
    subjects = {row[0] for row in graph.store.select("SELECT ?s WHERE { ?s <urn:p> ?o }")[1]}
    assert len(graph) == 2 and len(subjects) == 2
    assert len(open_graph(one)) == 1 and open_graph(one).ntriples.lines == ('_:b0 <urn:p> "one" .',)


def test_named_graphs_are_merged(tmp_path: Path) -> None:
    path = tmp_path / "data.nq"
    path.write_text('<urn:a> <urn:p> "x" <urn:g1> .\n<urn:a> <urn:p> "x" <urn:g2> .\n<urn:b> <urn:p> "y" .\n',
                    encoding="utf-8")
    graph = open_graph(path)
    assert graph.ntriples.lines == ('<urn:a> <urn:p> "x" .', '<urn:b> <urn:p> "y" .')
    assert len(graph.store) == 2


def test_sources_of_every_kind_mix(tmp_path: Path) -> None:
    rdflib_graph = Graph()
    rdflib_graph.add((URIRef("urn:c"), URIRef("urn:p"), Literal("z")))
    lines = NTriples.from_lines(['<urn:d> <urn:p> "w" .'])
    path = tmp_path / "a.jsonld"
    path.write_text('{"@id": "urn:a", "urn:p": "x"}', encoding="utf-8")
    graph = open_graph(path, rdflib_graph, lines)
    assert len(graph) == 3
    assert open_graph(graph, with_ontology=False).ntriples == graph.ntriples
    assert as_graph(graph) is graph and isinstance(as_graph(rdflib_graph), PtceGraph)
    assert {str(s) for s, _, _ in graph.to_rdflib()} == {"urn:a", "urn:c", "urn:d"}


def test_a_missing_path_is_named() -> None:
    with pytest.raises(InputError, match="no-such-folder: data folder not found"):
        open_graph("no-such-folder")
    with pytest.raises(InputError, match=re.escape("missing.ttl: file not found")):
        open_graph("missing.ttl")


def test_folders_and_files_read_together(tmp_path: Path) -> None:
    """A data folder and an RDF file in one graph: the folder's triples and the file's."""
    from ptce_graph.resources import shipped_data_dir

    extra = tmp_path / "extra.ttl"
    extra.write_text("<https://w3id.org/ptce-graph/id/ptce/tetris> <urn:note> \"vu\" .", encoding="utf-8")
    graph = open_graph(shipped_data_dir(), extra, with_ontology=False)
    assert len(graph) == len(open_graph(with_ontology=False)) + 1
    assert [layer.name for layer in graph.layers] == ["shipped data", str(extra)]


@pytest.mark.parametrize("command", ["validate", "query", "export", "metrics", "plot", "push", "serve"])
@pytest.mark.parametrize("case", MALFORMED, ids=[c["id"] for c in MALFORMED])
def test_a_file_validate_refuses_every_command_refuses(command: str, case: dict, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """The same reader for every command: the same exit code and the same message."""
    source = CORPUS / case["input"]
    args = {
        "validate": ["validate", str(source)],
        "query": ["query", "ptce_overview", "--graph", str(source)],
        "export": ["export", "--graph", str(source), "--out", str(tmp_path / "out.nt")],
        "metrics": ["metrics", "--graph", str(source)],
        "plot": ["plot", "--graph", str(source), "--out", str(tmp_path / "out.html")],
        "push": ["push", "--graph", str(source), "--store", "http://127.0.0.1:9/store"],
        "serve": ["serve", "--graph", str(source), "--port", "9"],
    }[command]
    assert main(args) == 2
    err = capsys.readouterr().err
    for fragment in case["message"]:
        assert fragment in err, (case["id"], command, err)
    assert not (tmp_path / "out.nt").exists() and not (tmp_path / "out.html").exists()


def test_commands_say_what_they_loaded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "g.ttl"
    path.write_text('<urn:a> <urn:p> "x" .', encoding="utf-8")
    assert main(["query", "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--graph", str(path),
                 "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == ["n", "1"]
    assert f"loaded 1 triples: {path} (1 triples)" in err
    assert main(["query", "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--graph", str(path),
                 "--with-ontology", "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert int(out.splitlines()[1]) > 2000 and "ontology and code lists" in err


def test_a_graph_without_ptce_is_said_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A wrong file gives empty tables: the line saying what was loaded warns of it."""
    path = tmp_path / "other.ttl"
    path.write_text('<urn:a> <urn:p> "x" .', encoding="utf-8")
    assert main(["metrics", "--graph", str(path), "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 1  # the header alone
    assert f"loaded 1 triples: {path} (1 triples); no ptce:PTCE in them" in err
    assert main(["query", "ptce_by_region", "--format", "csv"]) == 0
    assert "no ptce:PTCE" not in capsys.readouterr().err
