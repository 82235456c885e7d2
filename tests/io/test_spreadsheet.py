"""The spreadsheet writer: typed .xlsx cells that never run, same bytes every time, and CSV for French Excel."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from ptce_graph.errors import InputError
from ptce_graph.io import spreadsheet
from ptce_graph.io.spreadsheet import Sheet, about_sheet, excel_csv, workbook_date, xlsx_bytes

COLUMNS = ("text", "count", "share", "amount", "flag", "day", "moment", "empty")
ROWS = [
    ("Pôle Énergie", 3, 0.25, Decimal("1250.50"), True, dt.date(2014, 1, 10), dt.datetime(2020, 5, 1, 9, 30), None),
    ("=HYPERLINK(\"http://evil.example\",\"x\")", -2, -0.18, Decimal("-3"), False, dt.date(1890, 7, 14),
     dt.datetime(2020, 5, 1, 9, 30, tzinfo=dt.UTC), None),
]


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_cells_are_typed_and_read_back_as_written() -> None:
    sheet = _book(xlsx_bytes([Sheet("results", COLUMNS, ROWS)]))["results"]
    rows = list(sheet.values)
    assert rows[0] == COLUMNS
    assert rows[1] == ("Pôle Énergie", 3, 0.25, 1250.5, True, dt.datetime(2014, 1, 10), dt.datetime(2020, 5, 1, 9, 30),
                       None)
    # before 1900 Excel has no date, and it has no time zone: those stay ISO text
    assert rows[2][4:7] == (False, "1890-07-14", "2020-05-01T09:30:00+00:00")
    assert [sheet.cell(2, c).data_type for c in range(1, 8)] == ["s", "n", "n", "n", "b", "d", "d"]
    assert sheet["F2"].number_format == "yyyy-mm-dd" and sheet["G2"].number_format == "yyyy-mm-dd hh:mm:ss"


def test_header_is_bold_frozen_filtered_and_columns_fit() -> None:
    sheet = _book(xlsx_bytes([Sheet("results", COLUMNS, ROWS)]))["results"]
    assert all(cell.font.bold for cell in sheet[1]) and not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:H3"
    # the widest value of column A is the HYPERLINK text (35 characters), plus a margin of 2
    assert sheet.column_dimensions["A"].width == len(ROWS[1][0]) + 2
    long = _book(xlsx_bytes([Sheet("t", ("a",), [("x" * 500,)])]))["t"]
    assert long.column_dimensions["A"].width == 62  # at most 60 characters wide


@pytest.mark.parametrize("text", ["=1+1", "+33 4 75 00 00 00", "-x", "@SUM(A1)", "\tcmd", "=cmd|' /C calc'!A0"])
def test_formula_like_text_stays_text(text: str) -> None:
    data = xlsx_bytes([Sheet("t", ("a",), [(text,)])])
    cell = _book(data)["t"]["A2"]
    assert cell.value == text and cell.data_type == "s" and cell.quotePrefix  # unchanged, marked as text
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no formula element at all


@pytest.mark.parametrize("text", ["#N/A", "#DIV/0!", "#REF!"])
def test_error_codes_stay_text(text: str) -> None:
    cell = _book(xlsx_bytes([Sheet("t", ("a",), [(text,)])]))["t"]["A2"]
    assert cell.value == text and cell.data_type == "s"  # not an error cell


def test_plain_text_and_signed_numbers_get_no_quote_prefix() -> None:
    sheet = _book(xlsx_bytes([Sheet("t", ("a", "b"), [("Pôle", -0.18)])]))["t"]
    assert not sheet["A2"].quotePrefix and sheet["B2"].value == -0.18 and sheet["B2"].data_type == "n"


def test_values_excel_cannot_hold_are_written_as_text() -> None:
    rows = [(10**15, float("nan"), Decimal("Infinity"), "a\x1b[31mb\x00", 10**15 - 1)]
    sheet = _book(xlsx_bytes([Sheet("t", tuple("abcde"), rows)]))["t"]
    assert [c.value for c in sheet[2]] == ["1000000000000000", "nan", "Infinity", "a\\x1b[31mb\\x00", 10**15 - 1]


def test_limits_of_excel_are_errors_not_cut_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match=r"sheet 't', row 3, column 'b': a text of 32768 characters"):
        xlsx_bytes([Sheet("t", ("a", "b"), [("x", "y"), ("x", "y" * 32_768)])])
    xlsx_bytes([Sheet("t", ("a",), [("y" * 32_767,)])])  # exactly the limit is fine
    monkeypatch.setattr(spreadsheet, "EXCEL_MAX_ROWS", 3)
    xlsx_bytes([Sheet("t", ("a",), [(1,), (2,)])])
    with pytest.raises(InputError, match=r"sheet 't': 3 rows, more than an Excel sheet holds \(2 under its header\)"):
        xlsx_bytes([Sheet("t", ("a",), [(1,), (2,), (3,)])])


def test_same_table_same_bytes_whatever_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    sheets = [Sheet("results", COLUMNS, ROWS), about_sheet({"query": "q"})]
    monkeypatch.setattr(time, "time", lambda: 1_000_000_000.0)
    first = xlsx_bytes(sheets)
    monkeypatch.setattr(time, "time", lambda: 1_900_000_000.0)
    second = xlsx_bytes(sheets)
    assert first == second
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    core = archive.read("docProps/core.xml").decode()
    assert re.findall(r"<dcterms:(created|modified)[^>]*>([^<]+)<", core) == [
        ("created", "1980-01-01T00:00:00Z"),
        ("modified", "1980-01-01T00:00:00Z"),
    ]
    assert _book(first).properties.creator == "ptce-graph"


def test_source_date_epoch_dates_the_workbook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    data = xlsx_bytes([Sheet("t", ("a",), [(1,)])])
    book = _book(data)
    assert book.properties.created == book.properties.modified == dt.datetime(2026, 1, 1)
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(data)).infolist()} == {(2026, 1, 1, 0, 0, 0)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(InputError, match="SOURCE_DATE_EPOCH must be a whole number"):
        xlsx_bytes([Sheet("t", ("a",), [(1,)])])
    assert workbook_date({"SOURCE_DATE_EPOCH": "0"}) == dt.datetime(1980, 1, 1)  # a zip cannot date 1970


def test_sheets_keep_their_order_and_the_about_sheet_its_fields() -> None:
    book = _book(xlsx_bytes([Sheet("metrics", ("a",), []), about_sheet({"view": "ptce", "note": "=x"})]))
    assert book.sheetnames == ["metrics", "about"]
    assert list(book["metrics"].values) == [("a",)]  # an empty table is its header
    assert list(book["about"].values) == [("field", "value"), ("view", "ptce"), ("note", "=x")]
    with pytest.raises(ValueError, match="not an Excel sheet title"):
        Sheet("a/b", ("a",), [])


def test_excel_csv_bytes() -> None:
    text = excel_csv(COLUMNS, ROWS)
    data = text.encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel reads the accents
    lines = data[3:].split(b"\r\n")
    assert lines[-1] == b"" and len(lines) == 4 and b"\n" not in b"".join(lines)  # CRLF, no bare LF
    assert lines[1].decode() == "Pôle Énergie;3;0,25;1250,5;true;2014-01-10;2020-05-01 09:30:00;"
    # the formula gets the apostrophe; its quotes are doubled and the cell quoted
    assert lines[2].decode() == (
        "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\";-2;-0,18;-3;false;1890-07-14;2020-05-01T09:30:00+00:00;"
    )


def test_excel_csv_numbers_are_written_out_with_a_decimal_comma() -> None:
    text = excel_csv(("x",), [(1e-07,), (123456789.125,), (1e21,), (Decimal("0.000"),), (float("nan"),), ("1.5",)])
    assert text.split("\r\n")[1:-1] == ["0,0000001", "123456789,125", "1000000000000000000000", "0", "nan", "1.5"]


def test_excel_csv_reads_back_with_pandas_as_french_excel_would() -> None:
    pd = pytest.importorskip("pandas")
    text = excel_csv(("label", "share", "count"), [("a; b", 0.25, 3), ("Élan", -1.5, None)])
    frame = pd.read_csv(io.BytesIO(text.encode("utf-8")), sep=";", decimal=",", encoding="utf-8-sig")
    assert frame["label"].tolist() == ["a; b", "Élan"]
    assert frame["share"].tolist() == [0.25, -1.5] and frame["count"].tolist()[0] == 3
