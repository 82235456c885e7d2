"""Outputs never hand a spreadsheet a formula, nor a terminal an escape sequence (a cell is data)."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from ptce_graph.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "own-data"
HOSTILE = ['=HYPERLINK("http://127.0.0.1:9/?leak")', "+1+1", "@SUM(1)", "-2+3"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The worked example, with actors whose labels are formulas, members of TETRIS."""
    root = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(EXAMPLE, root)
    actors = (root / "actors.csv").read_text(encoding="utf-8").rstrip("\n").splitlines()
    memberships = (root / "memberships.csv").read_text(encoding="utf-8").rstrip("\n").splitlines()
    for index, label in enumerate(HOSTILE):
        quoted = '"' + label.replace('"', '""') + '"'
        actors.append(f"hostile-{index},{quoted},,ess-enterprise,,,,,,,,,,,,,,,exemple-entretien")
        memberships.append(f"hostile-{index}-m,tetris,hostile-{index},member,,,,,,,exemple-entretien")
    (root / "actors.csv").write_text("\n".join(actors) + "\n", encoding="utf-8")
    (root / "memberships.csv").write_text("\n".join(memberships) + "\n", encoding="utf-8")
    return root


def _cells(text: str, delimiter: str = ",") -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


@pytest.mark.parametrize("fmt, delimiter", [("csv", ","), ("tsv", "\t")])
def test_query_results(folder: Path, fmt: str, delimiter: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["query", "ptce_members", "--param", "ptce=pg:ptce/tetris", "--format", fmt]
    assert main([*args, "--data", str(folder), "--include-shipped"]) == 0
    cells = _cells(capsys.readouterr().out, delimiter)
    for label in HOSTILE:
        assert "'" + label in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)


def test_metrics_and_edge_lists(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data", str(folder), "--include-shipped"]
    assert main(["metrics", "--format", "csv", *data]) == 0
    cells = _cells(capsys.readouterr().out)
    assert "'@SUM(1)" in cells and not any(c.startswith(("=", "+", "@")) for c in cells)
    out = tmp_path / "edges.csv"
    assert main(["export", "--format", "edges-csv", "--view", "membership", "--out", str(out), *data]) == 0
    edges = _cells(out.read_text(encoding="utf-8"))
    assert "'+1+1" in edges and not any(c.startswith(("=", "+", "@")) for c in edges)


def test_signed_numbers_stay_numbers() -> None:
    from ptce_graph.io.cells import safe_cell

    assert [safe_cell(v) for v in ("-0.1839", "+2", "-3e-4", "-", "-x")] == ["-0.1839", "+2", "-3e-4", "'-", "'-x"]


ESC = "\x1b[2J\x1b]0;owned\x07"  # clear the screen, set the window title
RLO = "\u202e"  # shows the rest of the line right to left


def test_printable_escapes_what_a_terminal_acts_on() -> None:
    from ptce_graph.io.cells import printable

    assert printable(f"a{ESC}b") == "a\\x1b[2J\\x1b]0;owned\\x07b"
    assert printable(f"fdp.{RLO}txt") == "fdp.\\u202etxt"
    assert printable("\u0085\x7f\x00") == "\\x85\\x7f\\x00"
    assert printable("Pôle «Sud» — 2015 €") == "Pôle «Sud» — 2015 €"
    assert printable("a\nb\tc", keep_lines=True) == "a\nb\tc"
    assert printable("a\nb\rc") == "a\\nb\\rc"


def test_file_names_in_messages_are_shown_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / f"evil{ESC}.ttl"
    bad.write_text("not turtle\n", encoding="utf-8")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert "evil\\x1b[2J\\x1b]0;owned\\x07.ttl:1: invalid Turtle" in err


def test_table_cells_are_shown_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    graph = tmp_path / "labels.ttl"
    graph.write_text(
        '<https://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "red\\u001B[31m alert\\u202Efdp" .\n',
        encoding="utf-8",
    )
    query = "SELECT ?label WHERE { ?s ?p ?label }"
    assert main(["query", "--sparql", query, "--graph", str(graph)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and RLO not in out
    assert "red\\x1b[31m alert\\u202efdp" in out
    # machine formats keep the value exactly
    assert main(["query", "--sparql", query, "--graph", str(graph), "--format", "json"]) == 0
    assert "red\\u001b[31m alert\u202efdp" in capsys.readouterr().out.replace("\\u001B", "\\u001b")


def test_metric_tables_show_cells_escaped() -> None:
    from ptce_graph.network.table import MetricTable

    table = MetricTable(("node", "degree"), [{"node": f"x{ESC}", "degree": 1}])
    text = table.to_text()
    assert "\x1b" not in text and "x\\x1b[2J" in text
