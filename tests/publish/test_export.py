"""What ``export`` writes and says: named graphs, the ontology counted apart, counts that match the file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from ptce_graph.cli import main
from ptce_graph.graph import ontology_lines, open_graph
from ptce_graph.publish.export import NAMED_GRAPHS, export

FORMATS = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".ttl": ox.RdfFormat.TURTLE,
           ".nt": ox.RdfFormat.N_TRIPLES, ".jsonld": ox.RdfFormat.JSON_LD}  # fmt: skip


def _read(path: Path) -> list[ox.Quad]:
    return list(ox.Dataset(ox.parse(path=str(path), format=FORMATS[path.suffix])))


@pytest.mark.parametrize("name", ["ptce.trig", "ptce.nq"])
def test_data_and_ontology_are_two_named_graphs(tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / name
    assert main(["export", "--with-ontology", "--out", str(path)]) == 0
    err = capsys.readouterr().err
    quads = _read(path)
    by_graph: dict[str, int] = {}
    for quad in quads:
        by_graph[quad.graph_name.value] = by_graph.get(quad.graph_name.value, 0) + 1
    ontology = len(ontology_lines())
    assert by_graph[NAMED_GRAPHS["ontology"]] == ontology
    assert set(by_graph) == set(NAMED_GRAPHS.values())
    data = by_graph[NAMED_GRAPHS["data"]]
    assert f"wrote {path}: {len(quads)} triples (data {data}, ontology {ontology})" in err


@pytest.mark.parametrize("name", ["ptce.ttl", "ptce.nt", "ptce.jsonld", "ptce.nq"])
def test_the_count_printed_is_what_the_file_holds(tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / name
    assert main(["export", "--out", str(path)]) == 0
    err = capsys.readouterr().err
    held = len(_read(path))
    assert f"wrote {path}: {held} triples (data {held}, no ontology)" in err


def test_framed_export_through_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ptces.jsonld"
    assert main(["export", "--format", "jsonld-framed", "--frame", "ptce", "--out", str(path)]) == 0
    err = capsys.readouterr().err
    document = json.loads(path.read_text(encoding="utf-8"))
    held = len(_read(path))
    match = re.search(r"(\d+) documents framed by 'ptce', (\d+) triples of the graph", err)
    assert match is not None, err
    assert int(match.group(1)) == len(document["@graph"]) > 100
    assert int(match.group(2)) == held
    assert open_graph(path, with_ontology=False).ntriples.lines  # our own reader takes it too


def test_frame_only_with_the_framed_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--frame", "ptce", "--out", str(tmp_path / "x.ttl")]) == 2
    assert "--frame applies to the framed format (jsonld-framed), not ttl" in capsys.readouterr().err
    assert main(["export", "--frame", "ptce", "--by-layer", "--out", str(tmp_path / "x.nq")]) == 2
    assert "--frame and --by-layer do not go together" in capsys.readouterr().err


def test_export_reports_the_ontology_it_finds(tmp_path: Path) -> None:
    done = export(open_graph(with_ontology=True), tmp_path / "ptce.ttl")
    assert done.ontology == len(ontology_lines())
    assert done.data + done.ontology == done.triples == len(_read(tmp_path / "ptce.ttl"))
    assert done.graphs == ()


def test_the_ontology_exports_the_same_bytes_in_every_process(tmp_path: Path) -> None:
    """The ontology's blank nodes (unions, lists) are named from their content, not afresh by
    the parser of each run: two processes write the same file."""
    import subprocess
    import sys

    outputs = []
    for run in ("a", "b"):
        out = tmp_path / f"{run}.nt"
        subprocess.run(
            [sys.executable, "-m", "ptce_graph", "export", "--format", "nt", "--with-ontology", "--out", str(out)],
            check=True,
            capture_output=True,
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"\n_:") + outputs[0].startswith(b"_:") > 0  # the ontology has blank nodes
