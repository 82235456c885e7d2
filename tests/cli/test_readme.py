"""The README is tested: its Python example runs and its console examples succeed."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from ptce_graph.cli import main

README = Path(__file__).resolve().parents[2] / "README.md"


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_quickstart_is_two_commands_and_ci_runs_them() -> None:
    quickstart = _blocks("console")[0].strip().splitlines()
    assert len(quickstart) == 2
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    for command in quickstart:
        assert command.replace("python3 ", '"$PYTHON" ') in ci or command in ci, command


#: What the README's examples may write outside build/: the folder of ``ptce-graph init``.
_OUTSIDE_BUILD = {"fieldwork"}


def test_python_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every Python example runs, writes under build/ only, and prints something useful: the
    network example prints what the README shows under "It prints"."""
    monkeypatch.chdir(tmp_path)
    text = README.read_text(encoding="utf-8")
    shown = re.search(r"```python\n([^`]*actor_metrics[^`]*)```\n\nIt prints.*?```text\n(.*?)```", text, flags=re.S)
    assert shown, "the README's network example and its output"
    printed = {}
    for block in _blocks("python"):
        exec(compile(block, str(README), "exec"), {})
        printed[block] = capsys.readouterr().out
    assert (tmp_path / "build" / "ptce.jsonld").stat().st_size > 0
    assert (tmp_path / "build" / "membership.png").stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]  # examples write under build/ only
    assert "(9 rows)" in printed[_blocks("python")[0]]  # the members of TETRIS, as a table
    assert printed[shown.group(1)] == shown.group(2)
    lines = shown.group(2).splitlines()  # five nodes with a betweenness, then the count of PTCEs
    assert len(lines) == 6 and all(float(line.split()[0]) > 0 for line in lines[:5])


def test_console_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    ran = 0
    for block in _blocks("console")[1:]:
        for line in block.strip().splitlines():
            if line.startswith("ptce-graph "):
                assert main(shlex.split(line)[1:]) == 0, line
                ran += 1
    assert ran >= 5
    assert {p.name for p in tmp_path.iterdir()} <= {"build"} | _OUTSIDE_BUILD  # outputs under build/
    assert (tmp_path / "build" / "ptce-overview.xlsx").read_bytes()[:2] == b"PK"
    assert (tmp_path / "build" / "fundings.csv").read_bytes()[:3] == b"\xef\xbb\xbf"


def test_the_synopsis_lists_the_formats_of_the_format_table() -> None:
    """The README's synopsis names the RDF and network formats the one format table defines."""
    from ptce_graph.io.formats import format_names

    text = README.read_text(encoding="utf-8")
    assert f"export --format {'|'.join(format_names('rdf'))} " in text
    assert f"export --format {'|'.join(format_names('network'))} " in text
    assert f"export --format {'|'.join(format_names('framed'))} " in text
