"""Workbooks as data: one sheet per template, read like a folder of CSV files."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest

from ptce_graph.cli import main
from ptce_graph.errors import InputError
from ptce_graph.graph import open_graph
from ptce_graph.io.ingest import TABLES
from ptce_graph.io.layers import CORRECTION_COLUMNS, CORRECTIONS
from ptce_graph.io.workbooks import cell_text, read_workbook

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "own-data"
TEMPLATES = {**TABLES, CORRECTIONS: CORRECTION_COLUMNS}
REQUIRED = {CORRECTIONS: ("id", "table", "row")}


def _csv_rows(folder: Path) -> dict[str, list[list[str]]]:
    """The rows (header first) of each CSV file of ``folder``, by sheet name."""
    sheets = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            sheets[path.stem] = list(csv.reader(handle))
    return sheets


def _typed(cell: str) -> object:
    """A cell as a researcher's spreadsheet would hold it: whole numbers typed as numbers."""
    return int(cell) if cell.isdigit() and not cell.startswith("0") else (cell or None)


def _xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _ods_cell(value: object) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, int):
        return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
    if isinstance(value, dt.date):
        return f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}"><text:p>{value}</text:p></table:table-cell>'
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def _ods(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A minimal OpenDocument spreadsheet (what LibreOffice writes, without styles)."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    tables = "".join(
        f'<table:table table:name="{name}">'
        + "".join("<table:table-row>" + "".join(_ods_cell(c) for c in row) + "</table:table-row>" for row in rows)
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest)
    return path


def _example_sheets() -> dict[str, list[list[object]]]:
    return {name: [rows[0], *([_typed(c) for c in r] for r in rows[1:])] for name, rows in _csv_rows(EXAMPLE).items()}


@pytest.fixture(scope="module")
def folder_graph():
    return open_graph(EXAMPLE, include_shipped=True)


@pytest.mark.parametrize("write", [_xlsx, _ods], ids=["xlsx", "ods"])
def test_a_workbook_gives_the_graph_of_its_folder(tmp_path: Path, folder_graph, write) -> None:
    book = write(tmp_path / f"fieldwork.{write.__name__[1:]}", _example_sheets())
    graph = open_graph(book, include_shipped=True)
    assert graph.ntriples == folder_graph.ntriples
    assert [(c.kind, c.table, c.row, c.column) for c in graph.changes] == [
        (c.kind, c.table, c.row, c.column) for c in folder_graph.changes
    ]
    assert graph.changes[0].where == f"{book}#ptce:2"
    assert graph.layers[0].name == f"shipped data, {book}"


def test_sheets_may_be_named_like_the_files(tmp_path: Path, folder_graph) -> None:
    book = _xlsx(tmp_path / "fieldwork.xlsx", {f"{k}.csv": v for k, v in _example_sheets().items()})
    assert open_graph(book, include_shipped=True).ntriples == folder_graph.ntriples


def test_a_workbook_inside_a_folder_is_read_with_its_csv_files(tmp_path: Path, folder_graph) -> None:
    folder = tmp_path / "own-data"
    shutil.copytree(EXAMPLE, folder)
    sheets = _example_sheets()
    for name in ("memberships", "corrections"):  # these two move from CSV files into a workbook
        (folder / f"{name}.csv").unlink()
    _xlsx(folder / "fieldwork.xlsx", {"memberships": sheets["memberships"], "corrections": sheets["corrections"]})
    (folder / "~$fieldwork.xlsx").write_bytes(b"\x00lock")  # Excel's lock file while the book is open
    assert open_graph(folder, include_shipped=True).ntriples == folder_graph.ntriples


def test_workbooks_stack_in_order_like_folders(tmp_path: Path, folder_graph) -> None:
    sheets = _example_sheets()
    first = _xlsx(tmp_path / "first.xlsx", {k: v for k, v in sheets.items() if k != "corrections"})
    second = _xlsx(tmp_path / "second.xlsx", {"corrections": sheets["corrections"]})
    graph = open_graph(first, second, include_shipped=True)
    assert graph.ntriples == folder_graph.ntriples
    assert graph.layers[0].name == f"shipped data, {first}, {second}"


def test_numbers_and_dates_read_as_csv_text(tmp_path: Path) -> None:
    rows = [
        ["id", "organisation", "member", "role", "start", "end", "sources"],
        ["m-1", "tetris", "coop", "member", dt.datetime(2021, 3, 4), 2024, "src"],
        [None, None, None, None, None, None, None],  # an empty row is skipped
        ["  m-2 ", "tetris", "coop", "member", 2021.0, dt.date(2022, 1, 31), "src"],
    ]
    book = read_workbook(_xlsx(tmp_path / "b.xlsx", {"memberships": rows}), TEMPLATES, REQUIRED)
    assert not book.problems
    [(name, table)] = book.tables
    assert name == "memberships.csv"
    assert [(r.file, r.line, r.get("id"), r.get("start"), r.get("end")) for r in table.rows] == [
        (f"{tmp_path / 'b.xlsx'}#memberships", 2, "m-1", "2021-03-04", "2024"),
        (f"{tmp_path / 'b.xlsx'}#memberships", 4, "m-2", "2021", "2022-01-31"),
    ]
    assert [cell_text(v) for v in (75056, 7.5, 0.1, dt.datetime(2021, 3, 4, 9, 30), True, "")] == [
        "75056",
        "7.5",
        "0.1",
        "2021-03-04T09:30:00",
        "true",
        "",
    ]


def test_a_date_cell_makes_a_date_in_the_graph(tmp_path: Path) -> None:
    sheets = _example_sheets()
    sheets["memberships"][1][4] = dt.date(2021, 3, 4)  # start, typed as a spreadsheet date
    folder = tmp_path / "own-data"
    shutil.copytree(EXAMPLE, folder)
    text = (folder / "memberships.csv").read_text(encoding="utf-8").replace(",member,2021,", ",member,2021-03-04,")
    (folder / "memberships.csv").write_text(text, encoding="utf-8")
    book = _xlsx(tmp_path / "fieldwork.xlsx", sheets)
    graph = open_graph(book, include_shipped=True)
    assert graph.ntriples == open_graph(folder, include_shipped=True).ntriples
    assert any('"2021-03-04"^^<http://www.w3.org/2001/XMLSchema#date>' in line for line in graph.ntriples.lines)


def test_problems_name_the_workbook_the_sheet_and_the_row(tmp_path: Path) -> None:
    sheets = _example_sheets()
    sheets["memberships"][1][3] = "membre"
    book = _xlsx(tmp_path / "fieldwork.xlsx", sheets)
    with pytest.raises(InputError) as caught:
        open_graph(book, include_shipped=True)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.column) == (f"{book}#memberships", 2, "role")


def test_an_unknown_sheet_names_the_expected_ones(tmp_path: Path) -> None:
    book = _xlsx(tmp_path / "fieldwork.xlsx", {"acteurs": [["id", "label"], ["a", "A"]]})
    with pytest.raises(InputError) as caught:
        open_graph(book)
    [problem] = caught.value.problems
    assert problem.file == f"{book}#acteurs"
    assert "unknown sheet 'acteurs'" in problem.message and "ptce, actors" in problem.message


def test_a_value_right_of_the_header_is_a_problem(tmp_path: Path) -> None:
    rows = [["id", "url"], ["s", "https://example.org", None, "stray"]]
    book = read_workbook(_xlsx(tmp_path / "b.xlsx", {"sources": rows}), TEMPLATES, REQUIRED)
    [problem] = book.problems
    assert (problem.line, "column D" in problem.message) == (2, True)


def test_two_sheets_for_one_template_are_refused(tmp_path: Path) -> None:
    rows = [["id", "url"], ["s", "https://example.org"]]
    book = read_workbook(_xlsx(tmp_path / "b.xlsx", {"sources": rows, "Sources.csv": rows}), TEMPLATES, REQUIRED)
    assert [p.message for p in book.problems] == ["a second sheet for sources.csv (the first is 'sources')"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bytes(range(256)) * 8, "not a .xlsx workbook: not a zip archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "password-protected"),
        (b"PK\x03\x04" + b"\x00" * 60, "not a .xlsx workbook"),
    ],
    ids=["random-bytes", "encrypted", "truncated-zip"],
)
def test_a_workbook_that_cannot_be_opened_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    bad = tmp_path / "fieldwork.xlsx"
    bad.write_bytes(content)
    assert main(["build", "--data", str(bad), "--out", str(tmp_path / "out"), "-q"]) == 2
    err = capsys.readouterr().err
    assert f"{bad}: " in err and message in err and "Traceback" not in err


def test_a_zip_that_is_no_workbook_is_a_problem_not_a_traceback(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "fieldwork.xlsx"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    assert main(["validate", str(bad)]) == 2
    assert "unreadable workbook" in capsys.readouterr().err


def test_a_damaged_ods_is_a_problem(tmp_path: Path) -> None:
    bad = tmp_path / "fieldwork.ods"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("content.xml", "<office:document-content")
    book = read_workbook(bad, TEMPLATES, REQUIRED)
    assert not book.tables and "unreadable workbook" in book.problems[0].message


def test_a_missing_workbook_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"fieldwork\.xlsx: workbook not found"):
        open_graph(tmp_path / "fieldwork.xlsx")


def test_the_cli_reads_a_workbook_given_as_graph_or_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = _xlsx(tmp_path / "fieldwork.xlsx", _example_sheets())
    query = ["query", "ptce_members", "--param", "ptce=pg:ptce/tetris", "--include-shipped", "--format", "csv"]
    assert main([*query, "--graph", str(book)]) == 0
    by_graph = capsys.readouterr().out
    assert "exemple-cooperative" in by_graph and "tedee" not in by_graph.lower()
    assert main([*query, "--data", str(book)]) == 0
    assert capsys.readouterr().out == by_graph
    assert main(["build", "--data", str(book), "--include-shipped", "--out", str(tmp_path / "out"), "-q"]) == 0
    assert f"{book}#corrections:2" in capsys.readouterr().out


def test_a_sheet_past_the_row_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ptce_graph.io.workbooks as workbooks

    monkeypatch.setattr(workbooks, "MAX_ROWS", 3)
    rows = [["id", "url"]] + [[f"s-{i}", "https://example.org"] for i in range(5)]
    for write, name in ((_xlsx, "b.xlsx"), (_ods, "b.ods")):
        book = read_workbook(write(tmp_path / name, {"sources": rows}), TEMPLATES, REQUIRED)
        assert any("too large" in p.message for p in book.problems), name


def test_the_docs_page_spreadsheet_commands_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """docs/own-data.md, "Spreadsheets": its commands run on the worked example as a workbook."""
    import re
    import shlex

    page = (EXAMPLE.parents[1] / "own-data.md").read_text(encoding="utf-8")
    section = page.split("## Spreadsheets", 1)[1]
    commands = re.findall(r"```console\n(.*?)```", section, flags=re.S)[0].strip().splitlines()
    _xlsx(tmp_path / "fieldwork.xlsx", _example_sheets())
    monkeypatch.chdir(tmp_path)
    assert [main(shlex.split(line)[1:]) for line in commands] == [0, 0]
    out = capsys.readouterr().out
    assert "changes to earlier folders: 4" in out and "exemple-cooperative" in out
