"""The templates a researcher starts from: header-only files that read as no rows, and their README."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ptce_graph.errors import InputError
from ptce_graph.graph import open_graph
from ptce_graph.io.csvw import METADATA
from ptce_graph.io.ingest import _REQUIRED, TABLES
from ptce_graph.io.layers import CORRECTION_COLUMNS, CORRECTIONS
from ptce_graph.io.tables import read_table
from ptce_graph.io.templates import EXAMPLES, PURPOSES, README, REQUIRED, TEMPLATES, write_templates


def test_the_files_and_their_headers_are_the_templates(tmp_path: Path) -> None:
    folder = tmp_path / "fieldwork"
    written = write_templates(folder)
    assert [p.name for p in written] == [*TABLES, CORRECTIONS, METADATA, README]
    assert sorted(p.name for p in folder.iterdir()) == sorted([*TABLES, CORRECTIONS, METADATA, README])
    for name, columns in {**TABLES, CORRECTIONS: CORRECTION_COLUMNS}.items():
        raw = (folder / name).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), name
        assert list(csv.reader(raw.decode("utf-8").splitlines())) == [list(columns)], name


def test_every_template_has_a_purpose_required_columns_and_a_fictitious_example() -> None:
    assert list(TEMPLATES) == [*TABLES, CORRECTIONS]
    assert PURPOSES.keys() == EXAMPLES.keys() == REQUIRED.keys() == TEMPLATES.keys()
    for name, columns in TEMPLATES.items():
        assert set(REQUIRED[name]) <= set(columns), name
        if name in _REQUIRED:
            assert set(_REQUIRED[name]) <= set(REQUIRED[name]), name
        example = EXAMPLES[name]
        assert set(example) <= set(columns), name
        assert all(example.get(c) for c in REQUIRED[name]), name
        assert "exemple fictif" in example.get("note", "").lower(), name


@pytest.mark.parametrize("text", [
    "id,url,title,publisher,date,type,note\n",
    "id,url,title,publisher,date,type,note",
    "\ufeffid;url;title;publisher;date;type;note\r\n",
    "id,url,title,publisher,date,type,note\n\n\n",
])
def test_a_header_only_file_reads_as_no_rows_and_no_problems(tmp_path: Path, text: str) -> None:
    path = tmp_path / "sources.csv"
    path.write_bytes(text.encode("utf-8"))
    table = read_table(path, TABLES["sources.csv"], required=_REQUIRED["sources.csv"])
    assert (table.rows, table.problems) == ([], [])


def test_the_empty_folder_adds_nothing_to_the_shipped_data(tmp_path: Path) -> None:
    folder = tmp_path / "fieldwork"
    write_templates(folder)
    shipped = open_graph(include_shipped=True, with_ontology=False)
    stacked = open_graph(folder, include_shipped=True, with_ontology=False)
    assert len(stacked) == len(shipped)
    assert stacked.changes == ()


def test_an_existing_empty_folder_is_filled(tmp_path: Path) -> None:
    write_templates(tmp_path)
    assert (tmp_path / "ptce.csv").is_file()


@pytest.mark.parametrize("kind", ["non-empty folder", "file"])
def test_a_non_empty_folder_or_a_file_is_refused_and_left_untouched(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "fieldwork"
    if kind == "file":
        target.write_text("mine", encoding="utf-8")
        message = "not a folder"
    else:
        target.mkdir()
        (target / "ptce.csv").write_text("id,label\nmine,Mine\n", encoding="utf-8")
        message = "the folder is not empty"
    before = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(InputError, match=message) as error:
        write_templates(target)
    assert error.value.exit_code == 2
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    if kind != "file":
        assert (target / "ptce.csv").read_text(encoding="utf-8") == "id,label\nmine,Mine\n"
