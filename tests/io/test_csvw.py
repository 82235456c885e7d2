"""The CSVW description of the templates: generated from the code, and csvwvalidate agrees with the reader."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from ptce_graph.errors import InputError
from ptce_graph.io.csvw import COLUMNS, METADATA, REGENERATE, metadata, metadata_text
from ptce_graph.io.ingest import TABLES, load_folders, read_folders
from ptce_graph.io.layers import MULTI_VALUED
from ptce_graph.io.templates import EXAMPLES, REQUIRED, TEMPLATES, write_templates
from ptce_graph.model.namespaces import PG
from ptce_graph.resources import shipped_data_dir

REPO = Path(__file__).resolve().parents[2]
CSVWVALIDATE = Path(sys.executable).with_name("csvwvalidate")


def _csvwvalidate(metadata_file: Path) -> tuple[int, str]:
    """Run the csvw package's command on ``metadata_file``: its exit code and its output."""
    env = {**os.environ, "NO_COLOR": "1", "ANSI_COLORS_DISABLED": "1"}
    done = subprocess.run(
        [str(CSVWVALIDATE), "--verbose", str(metadata_file)], capture_output=True, text=True, env=env, timeout=120
    )
    return done.returncode, done.stdout + done.stderr


def test_the_shipped_metadata_is_what_the_code_generates() -> None:
    shipped = (shipped_data_dir() / METADATA).read_text(encoding="utf-8")
    assert shipped == metadata_text(tables=tuple(TABLES), shipped=True), (
        f"data/{METADATA} differs from the templates in the code; regenerate it with: {REGENERATE}"
    )


def test_every_template_column_is_described_with_its_requirement_and_separator() -> None:
    group = metadata()
    assert [t["url"] for t in group["tables"]] == list(TEMPLATES)
    for table in group["tables"]:
        name, columns = table["url"], table["tableSchema"]["columns"]
        assert [c["name"] for c in columns] == list(TEMPLATES[name]), name
        assert [c["titles"] for c in columns] == list(TEMPLATES[name]), name
        assert [c["name"] for c in columns if c.get("required")] == [c for c in TEMPLATES[name] if c in REQUIRED[name]]
        assert {c["name"] for c in columns if c.get("separator") == "|"} == set(TEMPLATES[name]) & MULTI_VALUED, name
        assert table["tableSchema"]["primaryKey"] == "id"
        assert all(c["dc:description"] for c in columns), name
    for name, described in COLUMNS.items():  # no description of a column the template lost
        assert set(described) <= set(TEMPLATES[name]), name


def test_the_foreign_keys_are_the_references_to_one_table() -> None:
    keys = {
        (t["url"], k["columnReference"]): k["reference"]["resource"]
        for t in metadata()["tables"]
        for k in t["tableSchema"].get("foreignKeys", [])
    }
    assert keys[("laureates.csv", "laureate")] == "ptce.csv"
    assert keys[("fundings.csv", "programme")] == "support_schemes.csv"
    assert keys[("memberships.csv", "date_sources")] == "sources.csv"
    assert all(keys[(name, "sources")] == "sources.csv" for name in TEMPLATES if name != "sources.csv")
    # an id of ptce.csv or actors.csv: a CSVW foreign key names one table, so none, and a note says so
    assert ("memberships.csv", "organisation") not in keys
    notes = next(t for t in metadata()["tables"] if t["url"] == "memberships.csv")["rdfs:comment"]
    assert any(n.startswith("member, organisation: ids of actors.csv or ptce.csv") for n in notes)


def test_csvwvalidate_passes_on_the_shipped_tables() -> None:
    code, output = _csvwvalidate(shipped_data_dir() / METADATA)
    assert (code, output.strip()) == (0, "OK")


def test_the_csvw_api_reads_every_shipped_row() -> None:
    from csvw import CSVW

    checked = CSVW(str(shipped_data_dir() / METADATA), validate=True)
    assert checked.is_valid, [str(w.message) for w in checked.warnings]
    counts = {t.url.string: sum(1 for _ in t.iterdicts()) for t in checked.tables}
    for name in TABLES:
        with (shipped_data_dir() / name).open(encoding="utf-8", newline="") as handle:
            assert counts[name] == sum(1 for _ in csv.DictReader(handle)), name


def _break(folder: Path, table: str, row_id: str, column: str, value: str) -> None:
    """Set one cell of the row ``row_id`` of ``folder/table`` (a copy of the shipped data)."""
    path = folder / table
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    (row,) = [r for r in rows[1:] if r[0] == row_id]
    row[header.index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


@pytest.mark.parametrize(
    ("table", "row_id", "column", "value", "csvw_says", "reader_says"),
    [
        # a wrong datatype: a month 13, an amount with a decimal comma, an unknown code, a bad id
        ("ptce.csv", "tetris", "founded", "2020-13", "founded: invalid lexical value", "is not a calendar date"),
        ("fundings.csv", "feder-realis-building", "amount_eur", "12,5", "amount_eur: invalid lexical value",
         "is not a plain decimal number"),
        ("ptce.csv", "tetris", "sectors", "food|mobility", "sectors: invalid lexical value", "unknown sector code"),
        # a missing required cell
        ("fundings.csv", "feder-realis-building", "sources", "", "sources: required column value is missing",
         "every row needs at least one source id"),
        # dangling foreign keys, one of them an item of a list
        ("fundings.csv", "feder-realis-building", "programme", "no-such-scheme",
         "not found in table support_schemes.csv", "is not an id of support_schemes"),
        ("laureates.csv", "aap-2013-culture-et-cooperation", "sources",
         "src-juanico-ptce-culture-coop|src-nowhere", "not found in table sources.csv", "is not an id of sources"),
    ],
)  # fmt: skip
def test_csvwvalidate_fails_on_a_broken_copy_where_the_reader_does(
    tmp_path: Path, table: str, row_id: str, column: str, value: str, csvw_says: str, reader_says: str
) -> None:
    folder = tmp_path / "data"
    shutil.copytree(shipped_data_dir(), folder, ignore=shutil.ignore_patterns("reference"))
    _break(folder, table, row_id, column, value)
    with pytest.raises(InputError) as raised:
        read_folders([folder], shipped=True)
    (problem,) = [p for p in raised.value.problems if reader_says in p.message]
    assert (Path(problem.file).name, problem.column) == (table, column)
    code, output = _csvwvalidate(folder / METADATA)
    assert code != 0 and "FAIL" in output
    assert csvw_says in output
    assert f"{table}:{problem.line}" in output  # the same file and line as the reader's message


def test_a_duplicate_id_fails_csvwvalidate(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(shipped_data_dir(), folder, ignore=shutil.ignore_patterns("reference"))
    _break(folder, "ptce.csv", "tetris", "id", "pole-sud")
    code, output = _csvwvalidate(folder / METADATA)
    assert code != 0 and "duplicate primary key: pole-sud" in output


def _expected_objects(column: dict[str, object], value: str) -> list[str]:
    cells = value.split("|") if column.get("separator") else [value]
    return [c.strip() for c in cells if c.strip()]


def _matches(graph: Graph, subject: URIRef, prop: URIRef, column: dict[str, object], cell: str) -> bool:
    template = column.get("valueUrl")
    for obj in graph.objects(subject, prop):
        if isinstance(template, str):
            if obj == URIRef(
                template.replace("{+" + str(column["name"]) + "}", cell).replace("{" + str(column["name"]) + "}", cell)
            ):
                return True
        elif isinstance(obj, Literal) and obj.language == column.get("lang"):
            datatype = column["datatype"]
            base = datatype.get("base") if isinstance(datatype, dict) else datatype
            if base in ("decimal", "integer"):
                if Decimal(str(obj)) == Decimal(cell.replace(" ", "")):
                    return True
            elif str(obj) == cell:
                return True
    return False


def test_about_property_and_value_urls_give_triples_the_build_makes() -> None:
    """For every shipped row, each column with a propertyUrl gives a triple of the built graph."""
    graph = load_folders([shipped_data_dir()], shipped=True)
    group = json.loads((shipped_data_dir() / METADATA).read_text(encoding="utf-8"))
    checked: dict[tuple[str, str], int] = {}
    for table in group["tables"]:
        schema = table["tableSchema"]
        columns = [c for c in schema["columns"] if "propertyUrl" in c]
        with (shipped_data_dir() / table["url"]).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        for row in rows:
            if "aboutUrl" in schema:
                subjects = [URIRef(schema["aboutUrl"].replace("{id}", row["id"]))]
            else:  # memberships: a membership or a relation, as the role decides
                subjects = [PG[f"membership/{row['id']}"], PG[f"relation/{row['id']}"]]
            (subject,) = [s for s in subjects if (s, None, None) in graph]
            for column in columns:
                for cell in _expected_objects(column, row[column["name"]]):
                    prop = URIRef(column["propertyUrl"])
                    assert _matches(graph, subject, prop, column, cell), (table["url"], row["id"], column["name"])
                    key = (table["url"], column["name"])
                    checked[key] = checked.get(key, 0) + 1
    assert sum(checked.values()) > 3000
    filled = {(t, c) for t in TABLES for c in _filled_columns(t)}
    mapped = {(t["url"], c["name"]) for t in group["tables"] for c in t["tableSchema"]["columns"] if "propertyUrl" in c}
    assert set(checked) == mapped & filled  # every mapped column the shipped data fills was checked
    assert len(checked) > 40


def _filled_columns(table: str) -> set[str]:
    with (shipped_data_dir() / table).open(encoding="utf-8", newline="") as handle:
        return {c for row in csv.DictReader(handle) for c, v in row.items() if v.strip()}


def test_a_new_folder_validates_and_reports_the_shipped_ids_it_points_at(tmp_path: Path) -> None:
    folder = tmp_path / "fieldwork"
    write_templates(folder)
    assert _csvwvalidate(folder / METADATA) == (0, "OK\n")
    for name, columns in TEMPLATES.items():  # the README's fictitious rows, one per file
        with (folder / name).open("a", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerow([EXAMPLES[name].get(c, "") for c in columns])
    code, output = _csvwvalidate(folder / METADATA)
    # the laureate row names the shipped call ami-2023: without the shipped data it is missing
    assert code != 0 and "laureates.csv:2 Key `ami-2023` not found in table support_schemes.csv" in output


def test_the_readme_csvw_commands_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ptce_graph.cli import main

    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### CSV on the Web (CSVW)", 1)[1].split("\n##", 1)[0]
    block = section.split("```console\n", 1)[1].split("```", 1)[0]
    commands = [line.split() for line in block.strip().splitlines()]
    assert [c[0] for c in commands] == ["csvwvalidate", "ptce-graph", "csvwvalidate"]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").symlink_to(shipped_data_dir())
    for command in commands:
        if command[0] == "ptce-graph":
            assert main(command[1:]) == 0
        else:
            assert _csvwvalidate(tmp_path / command[1]) == (0, "OK\n"), command
