"""CSV and TSV outputs never hand a spreadsheet a formula (a cell is data, not code)."""

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
