"""The command line: exit codes, messages without tracebacks, help texts and their examples."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI, write_folder

from ptce_graph.cli import main, parser


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m ptce_graph`` in a subprocess (to see exactly what a user sees)."""
    return subprocess.run([sys.executable, "-m", "ptce_graph", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


@pytest.mark.parametrize("args, fragment", [
    (["validate", "missing.ttl"], "missing.ttl: file not found"),
    (["build", "--data", "no-such-folder"], "no-such-folder: data folder not found"),
    (["export", "--out", "x.unknown"], "cannot tell the format"),
    (["query", "no_such_query"], "no canned query 'no_such_query'"),
])
def test_user_mistakes_exit_2_without_traceback(tmp_path: Path, args: list[str], fragment: str) -> None:
    done = run_cli(*args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert fragment in done.stderr
    assert "Traceback" not in done.stderr


def test_malformed_turtle_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <urn:ex:> .\nex:a ex:b ex:c .\nex:d ex:e "oops .\n', encoding="utf-8")
    done = run_cli("validate", str(bad))
    assert done.returncode == 2
    assert f"{bad}:3: invalid Turtle" in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_csv_row_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    actors = MINI["actors.csv"].replace("200068781,,,,,epci", "200068782,,,,,epci")
    folder = write_folder(tmp_path / "data", {**MINI, "actors.csv": actors})
    out = tmp_path / "out"
    done = run_cli("build", "--data", str(folder), "--out", str(out))
    assert done.returncode == 2
    assert "actors.csv:4: column 'siren'" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_build_with_violations_exits_1_and_keeps_earlier_outputs(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "data", MINI)
    out = tmp_path / "out"
    assert main(["build", "--data", str(folder), "--out", str(out), "-q"]) == 0
    before = (out / "ptce.ttl").read_bytes()
    # a membership whose member is the PTCE itself's source-less twin: remove the label -> violation
    (folder / "extra.ttl").write_text(
        "@prefix ptce: <https://w3id.org/ptce-graph/ontology#> .\n"
        "<https://w3id.org/ptce-graph/id/ptce/ghost> a ptce:PTCE .\n", encoding="utf-8")
    assert main(["build", "--data", str(folder), "--out", str(out), "-q"]) == 1
    assert (out / "ptce.ttl").read_bytes() == before


def test_researcher_folder_with_shipped_data(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "mine", {
        "sources.csv": MINI["sources.csv"].replace("src-a", "my-src"),
        "memberships.csv": "id,organisation,member,role,start,end,confidence,confidence_note,note,sources\n"
                           "my-m1,tetris,groupe-archer,partner,2030,,low,,hypothetical test row,my-src\n",
    })
    out = tmp_path / "out"
    assert main(["build", "--data", str(folder), "--include-shipped", "--out", str(out), "-q"]) == 0
    assert "my-m1" in (out / "ptce.nt").read_text(encoding="utf-8")


def _subparsers():
    top = parser()
    action = next(a for a in top._actions if a.__class__.__name__ == "_SubParsersAction")
    return action.choices


def test_every_command_has_help_with_an_example() -> None:
    for name, sub in _subparsers().items():
        text = sub.format_help()
        assert "example" in text, name
        assert "exit codes" in text, name


def test_help_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every example of a --help text runs (except push, which needs a store: tested elsewhere)."""
    monkeypatch.chdir(tmp_path)
    write_folder(tmp_path / "my-data", MINI)
    for name, sub in _subparsers().items():
        if name in ("push", "serve"):
            continue
        for line in sub.epilog.splitlines():
            line = line.strip().removeprefix("example:").strip()
            if line.startswith("ptce-graph "):
                args = shlex.split(line, comments=True)[1:]
                if name == "validate" and not Path("build/ptce.ttl").exists():
                    assert main(["build", "-q"]) == 0
                assert main(args) in (0, 1), line


@pytest.mark.parametrize("value", ["inf", "nan", "0", "-1", "soon"])
def test_timeouts_are_positive_finite_seconds(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--endpoint", "http://127.0.0.1:9/q", "--sparql", "ASK {}", "--timeout", value]) == 2
    assert "not a positive, finite number of seconds" in capsys.readouterr().err


def test_the_parser_loads_no_heavy_library() -> None:
    """``--help`` and usage errors answer at once: building the parser imports no RDF, SHACL,
    network, plotting or spreadsheet library (each command imports what it needs when it runs)."""
    heavy = ("rdflib", "pyshacl", "networkx", "igraph", "matplotlib", "pandas", "openpyxl", "pyld")
    code = (
        "import sys, ptce_graph.cli as cli; cli.parser(); "
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
