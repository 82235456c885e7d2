"""Tables for spreadsheets: ``.xlsx`` workbooks of typed cells, and CSV as French Excel reads it.

One home for both, used by query results and metric tables. A table is its column names and
rows of Python values; the value's type decides the cell:

============================  ======================================================================
value                         ``.xlsx`` cell
============================  ======================================================================
``int``                       a number (text past 15 digits, which Excel would round)
``float``, ``Decimal``        a number (NaN and infinities as text: Excel has no such number)
``bool``                      a logical value (TRUE/FALSE)
``date``                      a date shown ``yyyy-mm-dd`` (text before 1900, which Excel cannot date)
``datetime``                  a date and time; text when it has a time zone (Excel has none)
``str``                       text, never a formula (``""`` an empty cell)
``None``                      an empty cell
============================  ======================================================================

A text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return stays text: the
cell is written as a string, never as a formula, and marked with Excel's quote prefix so that
editing it does not turn it into one (the ``.xlsx`` form of the apostrophe that
:func:`~ptce_graph.io.cells.safe_cell` puts in CSV); its value is unchanged. Control characters,
which an ``.xlsx`` file cannot hold, are written as escapes (``\\x1b``). A text longer than Excel's
cell limit, or more rows than a sheet holds, is an :class:`~ptce_graph.errors.InputError`.

The workbook has a bold, frozen header row with a filter, column widths fitted to the values
(at most 60 characters), and the same bytes for the same table: its dates (document
properties and the zip entries) are ``SOURCE_DATE_EPOCH`` when set, else 1980-01-01, the
first date a zip file can hold (:func:`workbook_date`).

Examples
--------
>>> import io, openpyxl, datetime as dt
>>> data = xlsx_bytes([Sheet("results", ("name", "n", "day"), [("=1+1", 3, dt.date(2020, 5, 1))])])
>>> sheet = openpyxl.load_workbook(io.BytesIO(data))["results"]
>>> [cell.value for cell in sheet[2]], sheet["A2"].data_type, sheet.freeze_panes
(['=1+1', 3, datetime.datetime(2020, 5, 1, 0, 0)], 's', 'A2')
>>> print(excel_csv(("name", "share"), [("Pôle; Énergie", 0.25), ("=cmd", None)]).encode("utf-8"))
b'\\xef\\xbb\\xbfname;share\\r\\n"P\\xc3\\xb4le; \\xc3\\x89nergie";0,25\\r\\n\\'=cmd;\\r\\n'
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ptce_graph.errors import InputError
from ptce_graph.io.cells import plain_number, safe_cell, xml_text

__all__ = [
    "EXCEL_MAX_ROWS",
    "EXCEL_MAX_TEXT",
    "CellValue",
    "Sheet",
    "about_sheet",
    "excel_csv",
    "workbook_date",
    "xlsx_bytes",
]

#: What a cell can be given: the types the module docstring maps to cells.
CellValue = str | int | float | Decimal | bool | dt.date | dt.datetime | None

#: Rows of one Excel sheet, header included.
EXCEL_MAX_ROWS = 1_048_576
#: Characters of one Excel cell.
EXCEL_MAX_TEXT = 32_767
#: The date of a workbook without ``SOURCE_DATE_EPOCH``: the first a zip entry can hold.
_FIXED_DATE = dt.datetime(1980, 1, 1)
#: Integers Excel keeps exactly (it shows 15 significant digits).
_EXACT_INTEGER = 10**15
_WIDEST = 60
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE = re.compile(r"[^\[\]:*?/\\]{1,31}")
#: A value written as it is: no formula start, no line break, not an error code (they start with #).
_PLAIN = re.compile(r"[^=+\-@\t\r#][^\n]*", re.S)


@dataclass(frozen=True)
class Sheet:
    """One sheet: its title (1-31 characters, none of ``[]:*?/\\``), column names and rows."""

    title: str
    columns: tuple[str, ...]
    rows: Sequence[Sequence[CellValue]]

    def __post_init__(self) -> None:
        if not _SHEET_TITLE.fullmatch(self.title):
            raise ValueError(f"not an Excel sheet title: {self.title!r}")


def about_sheet(items: Mapping[str, str], *, title: str = "about") -> Sheet:
    """A two-column sheet of ``field`` and ``value``: what a table is and where it comes from.

    Examples
    --------
    >>> about_sheet({"query": "ptce_members"}).rows
    [('query', 'ptce_members')]
    """
    return Sheet(title, ("field", "value"), [(key, value) for key, value in items.items()])


def workbook_date(environ: Mapping[str, str] | None = None) -> dt.datetime:
    """The date written into workbooks: ``SOURCE_DATE_EPOCH`` (UTC) when set, else 1980-01-01.

    A date before 1980 is taken as 1980-01-01 (a zip entry cannot hold it).

    Raises
    ------
    InputError
        If ``SOURCE_DATE_EPOCH`` is not a whole number of seconds.

    Examples
    --------
    >>> workbook_date({}), workbook_date({"SOURCE_DATE_EPOCH": "1767225600"})
    (datetime.datetime(1980, 1, 1, 0, 0), datetime.datetime(2026, 1, 1, 0, 0))
    """
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return _FIXED_DATE
    if not re.fullmatch(r"[0-9]{1,12}", epoch.strip()):
        raise InputError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01, not {epoch!r}")
    when = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).replace(tzinfo=None)
    return max(when, _FIXED_DATE)


def _text(value: str, sheet: str, row: int, column: str) -> str:
    text = xml_text(value)
    if len(text) > EXCEL_MAX_TEXT:
        raise InputError(
            f"sheet '{sheet}', row {row}, column '{column}': a text of {len(text)} characters, "
            f"more than an Excel cell holds ({EXCEL_MAX_TEXT}); use --format csv or json"
        )
    return text


def _cell_value(value: CellValue) -> tuple[Any, str | None]:
    """The value an .xlsx cell gets, and its number format (``None``: text or General)."""
    if isinstance(value, bool):
        return value, None
    if isinstance(value, int):
        return (value, None) if abs(value) < _EXACT_INTEGER else (str(value), None)
    if isinstance(value, (float, Decimal)):
        number = float(value)
        return (number, None) if math.isfinite(number) else (str(value), None)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None or value.year < 1900:
            return value.isoformat(), None
        return value, "yyyy-mm-dd hh:mm:ss"
    if isinstance(value, dt.date):
        return (value, "yyyy-mm-dd") if value.year >= 1900 else (value.isoformat(), None)
    return value, None


def _shown_width(value: Any) -> int:
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    if isinstance(value, dt.datetime):
        return 19
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, float):
        return min(len(repr(value)), 12)
    return len(str(value))


def _add_sheet(book: Any, sheet: Sheet) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    if len(sheet.rows) + 1 > EXCEL_MAX_ROWS:
        raise InputError(
            f"sheet '{sheet.title}': {len(sheet.rows)} rows, more than an Excel sheet holds "
            f"({EXCEL_MAX_ROWS - 1} under its header); use --format csv or json"
        )
    ws = book.create_sheet(sheet.title)
    header = [_text(name, sheet.title, 1, name) for name in sheet.columns]
    # converted once: the widths and the cells come from the same values
    rows = [[_cell_value(value) for value in row] for row in sheet.rows]
    widths = [len(name) for name in header]
    for number, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise ValueError(f"sheet {sheet.title!r}, row {number}: {len(row)} cells for {len(header)} columns")
        for index, (value, _) in enumerate(row):
            if isinstance(value, str):
                value = _text(value, sheet.title, number, header[index])
                row[index] = (value, None)
            if value is not None:
                widths[index] = max(widths[index], _shown_width(value))
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = min(width, _WIDEST) + 2
    ws.freeze_panes = "A2"
    if header:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    bold = Font(bold=True)
    top = Alignment(vertical="top", wrap_text=True)

    def cell(value: Any, number_format: str | None, *, title: bool = False) -> Any:
        if value is None or value == "":
            return None
        if number_format is None and not title and _PLAIN.fullmatch(str(value)):
            return value  # a number, or a text openpyxl writes as a string: no cell object (3x faster)
        made = WriteOnlyCell(ws, value)
        if isinstance(value, str):
            # openpyxl takes a text starting with "=" for a formula, and "#N/A" for an error
            made.data_type = "s"
            if value.startswith(_FORMULA_START):
                made.quotePrefix = True
            if "\n" in value:
                made.alignment = top
        if number_format is not None:
            made.number_format = number_format
        if title:
            made.font = bold
        return made

    ws.append([cell(name, None, title=True) for name in header])
    for row in rows:
        ws.append([cell(value, fmt) for value, fmt in row])


def xlsx_bytes(sheets: Iterable[Sheet], *, when: dt.datetime | None = None, creator: str = "ptce-graph") -> bytes:
    """An ``.xlsx`` workbook of ``sheets``, in order, as bytes (see the module docstring).

    Parameters
    ----------
    sheets
        The sheets; the first is the one Excel opens on.
    when
        The workbook's creation and modification date, and the date of its zip entries
        (default: :func:`workbook_date`).
    creator
        The workbook's author property.

    Raises
    ------
    InputError
        If a text is longer than an Excel cell, or a sheet has more rows than Excel's limit.

    Examples
    --------
    >>> sheet = Sheet("t", ("a",), [(1,)])
    >>> xlsx_bytes([sheet]) == xlsx_bytes([sheet]), xlsx_bytes([sheet])[:2]
    (True, b'PK')
    """
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    when = workbook_date() if when is None else when.replace(tzinfo=None, microsecond=0)
    book = Workbook(write_only=True)
    book.properties.creator = creator
    book.properties.created = when
    book.properties.modified = when
    for sheet in sheets:
        _add_sheet(book, sheet)
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(book, archive).write_data()
    return _stamped(raw.getvalue(), when)


def _stamped(data: bytes, when: dt.datetime) -> bytes:
    """The zip ``data`` with every entry dated ``when``: openpyxl dates them with the clock."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.create_system = 3  # the same bytes on every system (Windows would write 0)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(entry))
    return out.getvalue()


def _decimal_comma(number: float | Decimal) -> str:
    """A finite number written out in full, with a decimal comma (no exponent, which Excel may misread)."""
    return plain_number(number).replace(".", ",")


def _csv_text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, Decimal)):
        return _decimal_comma(value) if math.isfinite(value) else str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat() if value.tzinfo is not None else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return safe_cell(value)


def excel_csv(columns: Sequence[str], rows: Iterable[Sequence[CellValue]]) -> str:
    """CSV as Excel reads it in France: a byte-order mark, ``;`` separators, CRLF, decimal commas.

    Excel opens a CSV file with the separator and decimal mark of the system's regional
    settings: in French (and German, Spanish, Italian...) settings, ``;`` and ``,``. A file in
    that form, with a byte-order mark so that Excel reads it as UTF-8 rather than Windows-1252,
    opens in columns, with accents, and with numbers as numbers (``0,25``), by a double click.
    Only numbers get the decimal comma (written out in full, without exponent); texts are as
    they are (a text holding ``;`` is quoted), dates are ISO (``2020-05-01``, which Excel reads
    as a date), logical values ``true``/``false``. Cells that would act as formulas get the
    apostrophe of :func:`~ptce_graph.io.cells.safe_cell`. The text starts with U+FEFF: write it
    as UTF-8.

    Examples
    --------
    >>> excel_csv(("x", "y"), [(1.5e-05, -2), (Decimal("12.50"), True)])
    '\\ufeffx;y\\r\\n0,000015;-2\\r\\n12,5;true\\r\\n'
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in columns])
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    return "\ufeff" + buffer.getvalue()
