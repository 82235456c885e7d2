"""``ptce-graph init``: a folder that builds as it is, whose README examples build, never overwriting."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from ptce_graph.cli import main
from ptce_graph.io.ingest import TABLES
from ptce_graph.io.layers import CORRECTION_COLUMNS, CORRECTIONS


def _snippets(readme: Path) -> dict[str, list[str]]:
    """The README's example snippets: file name -> lines (the header, then the example rows)."""
    text = readme.read_text(encoding="utf-8")
    found = re.findall(r"`([a-z_]+\.csv)` \(exemple fictif\)\n\n```csv\n(.*?)```", text, flags=re.S)
    return {name: body.splitlines(keepends=True) for name, body in found}


def test_init_writes_one_header_only_file_per_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "fieldwork"
    assert main(["init", str(folder)]) == 0
    assert f"ptce-graph build --data {folder} --include-shipped" in capsys.readouterr().err
    for name, columns in {**TABLES, CORRECTIONS: CORRECTION_COLUMNS}.items():
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            assert list(csv.reader(handle)) == [list(columns)], name
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for name in (*TABLES, CORRECTIONS):
        assert f"| `{name}` |" in readme, name
    for topic in ("`|`", "YYYY-MM-DD", "`sources`", "--include-shipped", "docs/own-data.md",
                  "ptce-graph build --data fieldwork --include-shipped --out build"):
        assert topic in readme, topic


def test_the_new_folder_builds_and_validates_unchanged(tmp_path: Path) -> None:
    folder = tmp_path / "fieldwork"
    assert main(["init", str(folder)]) == 0
    out = tmp_path / "build"
    assert main(["build", "--data", str(folder), "--include-shipped", "--out", str(out), "-q"]) == 0
    assert (out / "ptce.ttl").stat().st_size > 0
    assert main(["validate", str(folder), "--include-shipped"]) == 0


def test_the_readme_examples_pasted_into_the_files_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "fieldwork"
    assert main(["init", str(folder)]) == 0
    snippets = _snippets(folder / "README.md")
    assert list(snippets) == [*TABLES, CORRECTIONS]
    for name, (header, *rows) in snippets.items():
        path = folder / name
        assert path.read_text(encoding="utf-8") == header, name
        assert len(rows) == 1 and "exemple fictif" in rows[0].lower(), name
        with path.open("a", encoding="utf-8", newline="") as handle:
            handle.writelines(rows)
    out = tmp_path / "build"
    capsys.readouterr()
    assert main(["build", "--data", str(folder), "--include-shipped", "--out", str(out), "-q"]) == 0
    assert "likely duplicates" not in capsys.readouterr().out
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [(c["kind"], c["row"]) for c in summary["changes"]] == [("correction", "tetris-evaleco-member")]
    built = (out / "ptce.nt").read_text(encoding="utf-8")
    for node in ("ptce/exemple-pole", "actor/exemple-cooperative", "membership/exemple-tetris-membre",
                 "laureateship/exemple-ami-2023-laureat", "mutualised/exemple-locaux", "territory/other/exemple-pays"):
        assert f"<https://w3id.org/ptce-graph/id/{node}>" in built, node


@pytest.mark.parametrize("kind", ["non-empty folder", "file"])
def test_an_existing_non_empty_folder_or_a_file_is_refused_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    target = tmp_path / "fieldwork"
    if kind == "file":
        target.write_text("mine\n", encoding="utf-8")
    else:
        target.mkdir()
        (target / "notes.txt").write_text("mine\n", encoding="utf-8")
    assert main(["init", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"error: {target}: " in err and "nothing was written" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["fieldwork", "notes.txt"][: 1 if kind == "file" else 2]


def test_an_existing_empty_folder_is_used(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path)]) == 0
    assert (tmp_path / "corrections.csv").is_file()


def test_the_docs_page_commands_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/own-data.md, "Start a folder": its commands succeed in an empty folder."""
    import shlex

    page = (Path(__file__).resolve().parents[2] / "docs" / "own-data.md").read_text(encoding="utf-8")
    section = page.split("## Start a folder", 1)[1]
    commands = re.findall(r"```console\n(.*?)```", section, flags=re.S)[0].strip().splitlines()
    monkeypatch.chdir(tmp_path)
    assert [line.split()[1] for line in commands] == ["init", "build"]
    for line in commands:
        assert main([*shlex.split(line)[1:], *(["-q"] if " build " in line else [])]) == 0, line
    assert (tmp_path / "build" / "ptce.ttl").is_file()
