"""Read spreadsheet workbooks (``.xlsx``, ``.ods``) as data: one sheet per CSV template.

A workbook holds the tables of one data folder: the sheet ``ptce`` (or ``ptce.csv``) is the
table ``ptce.csv``, its first non-empty row the header. Each cell becomes the text a CSV cell
would give (:func:`cell_text`): a whole number has no ``.0``, a date is ``YYYY-MM-DD``, an empty
cell is empty, and the text is stripped and normalised to NFC by the same checks as a CSV file
(:func:`~ptce_graph.io.tables.table_from_records`). Every problem names the workbook, the
sheet and the row (``fieldwork.xlsx#memberships:4``).

``.xlsx`` is read by openpyxl (read-only, the values cached by the spreadsheet rather than
formulas), ``.ods`` by python-calamine; both are imported only when a workbook is read. A
workbook is refused, as a problem and never a traceback, when it cannot be opened (not a zip
archive, damaged, password-protected), when it is larger than a CSV file may be (64 MiB on
disk, 1 GiB unpacked, 64 Mi characters of cell text), or when a sheet goes past the
spreadsheet limits of 1,048,576 rows or 16,384 columns.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
import zipfile
from collections.abc import Generator, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ptce_graph.errors import Problem
from ptce_graph.io.cells import plain_number
from ptce_graph.io.tables import Table, table_from_records

__all__ = ["MAX_COLUMNS", "MAX_ROWS", "WORKBOOK_SUFFIXES", "Workbook", "cell_text", "is_workbook", "read_workbook"]

#: The workbook formats read, by file extension.
WORKBOOK_SUFFIXES = (".xlsx", ".ods")
#: The rows and columns a sheet may have (those of a spreadsheet application).
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
#: The same bound on disk as a CSV file; the unpacked parts and the cell text are bounded too.
_MAX_FILE_BYTES = 64 * 1024 * 1024
_MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
_MAX_CELL_CHARACTERS = 64 * 1024 * 1024
#: The first bytes of an OLE2 compound file: an encrypted (password) workbook, or an old .xls.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


#: The sheets of a workbook as they are read: each name with its numbered rows of values.
_Sheets = Generator[tuple[str, Iterator[tuple[int, tuple[object, ...]]]], None, None]


class _TooLarge(Exception):
    """A sheet refused before its rows are read."""


@dataclass
class Workbook:
    """The tables of one workbook, one per sheet (template file name, table), and its problems."""

    path: Path
    tables: list[tuple[str, Table]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def is_workbook(path: Path) -> bool:
    """Whether ``path`` names a workbook (by extension; ``~$`` lock files of Excel are not).

    Examples
    --------
    >>> is_workbook(Path("fieldwork.XLSX")), is_workbook(Path("~$fieldwork.xlsx")), is_workbook(Path("a.csv"))
    (True, False, False)
    """
    return path.suffix.lower() in WORKBOOK_SUFFIXES and not path.name.startswith("~$")


def cell_text(value: object) -> str:
    """The text a CSV cell would hold for a spreadsheet cell's value.

    Examples
    --------
    >>> import datetime as dt
    >>> [cell_text(v) for v in (None, 2015, 2500000.0, 3.5, 1e-05, dt.datetime(2014, 1, 10), " Pôle ")]
    ['', '2015', '2500000', '3.5', '0.00001', '2014-01-10', ' Pôle ']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer():
            return str(int(value))
        return plain_number(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(timespec="seconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _column_letter(index: int) -> str:
    """The spreadsheet name of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _template(sheet: str, templates: Mapping[str, tuple[str, ...]]) -> str | None:
    """The template a sheet name stands for (``ptce``, ``PTCE`` or ``ptce.csv``), if any."""
    name = sheet.strip().casefold().removesuffix(".csv") + ".csv"
    return name if name in templates else None


def _unopenable(path: Path) -> str | None:
    """Why ``path`` cannot be opened as a workbook (size, not a zip, encrypted), or ``None``."""
    try:
        size = path.stat().st_size
        if size > _MAX_FILE_BYTES:
            return f"workbook too large ({size} bytes; limit {_MAX_FILE_BYTES})"
        with path.open("rb") as handle:
            magic = handle.read(8)
    except OSError as exc:
        return f"cannot read workbook: {exc.strerror or exc}"
    if magic == _OLE2:
        return (
            "an encrypted (password-protected) workbook or an old .xls file: "
            f"save it without a password as {path.suffix.lower()}"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            unpacked = sum(part.file_size for part in parts)
            if unpacked > _MAX_UNPACKED_BYTES:
                return f"workbook too large unpacked ({unpacked} bytes; limit {_MAX_UNPACKED_BYTES})"
            names = {part.filename for part in parts}
            if "META-INF/manifest.xml" in names and b"encryption-data" in archive.read("META-INF/manifest.xml"):
                return "a password-protected workbook: save it without a password"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        return f"not a {path.suffix.lower()} workbook: not a zip archive, or a damaged one ({exc})"
    return None


def _xlsx_sheets(path: Path) -> _Sheets:
    """Each worksheet of an ``.xlsx`` workbook: its name and its rows with their numbers."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # styles openpyxl does not know: the values are still read
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # the stored size may be wrong: read the rows as they are
            rows = sheet.iter_rows(values_only=True)
            yield sheet.title, ((number, tuple(row)) for number, row in enumerate(rows, start=1))
    finally:
        book.close()


def _ods_sheets(path: Path) -> _Sheets:
    """Each worksheet of an ``.ods`` workbook: its name and its rows with their numbers."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    book = CalamineWorkbook.from_path(str(path))
    try:
        for meta in book.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            end = sheet.end
            if end is None:
                yield meta.name, iter(())
                continue
            height, width = end[0] + 1, end[1] + 1
            if height > MAX_ROWS or width > MAX_COLUMNS or height * width > _MAX_CELL_CHARACTERS:
                # the rows are read whole: refuse them before reading them
                raise _TooLarge(
                    f"sheet '{meta.name}' too large ({height} rows, {width} columns; "
                    f"limit {MAX_ROWS} rows, {MAX_COLUMNS} columns, {_MAX_CELL_CHARACTERS} cells)"
                )
            rows = sheet.to_python(skip_empty_area=False)
            yield meta.name, ((number, tuple(row)) for number, row in enumerate(rows, start=1))
    finally:
        book.close()


def _records(
    where: str,
    rows: Iterator[tuple[int, tuple[object, ...]]],
    problems: list[Problem],
    budget: list[int],
) -> Iterator[tuple[int, list[str]]]:
    """The non-empty rows of a sheet as text cells: the header (trailing empty cells dropped),
    then each row cut or padded to the header's width. Bounds and stray cells are problems."""
    width: int | None = None
    for number, values in rows:
        if number > MAX_ROWS or len(values) > MAX_COLUMNS:
            size = f"row {number}" if number > MAX_ROWS else f"{len(values)} columns"
            problems.append(
                Problem(where, f"sheet too large ({size}; limit {MAX_ROWS} rows, {MAX_COLUMNS} columns)", line=number)
            )
            return
        cells = [cell_text(v) for v in values]
        budget[0] -= sum(len(c) + 1 for c in cells)
        if budget[0] < 0:
            problems.append(
                Problem(
                    where, f"workbook too large (more than {_MAX_CELL_CHARACTERS} characters of cells)", line=number
                )
            )
            return
        if not any(c.strip() for c in cells):
            continue
        if width is None:
            while cells and not cells[-1].strip():
                cells.pop()
            width = len(cells)
        elif len(cells) > width:
            stray = [i for i in range(width, len(cells)) if cells[i].strip()]
            if stray:
                problems.append(
                    Problem(
                        where,
                        f"a value in column {_column_letter(stray[0])}, right of the header's last column: "
                        "name the column in the header row or clear the cell",
                        line=number,
                    )
                )
            cells = cells[:width]
        yield number, cells + [""] * (width - len(cells))


def read_workbook(
    path: Path, templates: Mapping[str, tuple[str, ...]], required: Mapping[str, tuple[str, ...]]
) -> Workbook:
    """Read every sheet of a workbook as the table its name stands for.

    Parameters
    ----------
    path
        An ``.xlsx`` or ``.ods`` file.
    templates
        The template file names (``ptce.csv``) and their columns; a sheet named otherwise is a
        problem naming them.
    required
        The columns each template's header must contain.

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> book = openpyxl.Workbook()
    >>> book.active.title = "ptce"
    >>> book.active.append(["id", "founded"])
    >>> book.active.append(["pole-sud", 2015])
    >>> path = Path(tempfile.mkdtemp()) / "fieldwork.xlsx"
    >>> book.save(path)
    >>> [(name, t.rows[0].file, t.rows[0].line, t.rows[0].cells) for name, t in  # doctest: +ELLIPSIS
    ...  read_workbook(path, {"ptce.csv": ("id", "founded")}, {"ptce.csv": ("id",)}).tables]
    [('ptce.csv', '...fieldwork.xlsx#ptce', 2, {'id': 'pole-sud', 'founded': '2015'})]
    """
    book = Workbook(path)
    reason = _unopenable(path)
    if reason is not None:
        book.problems.append(Problem(str(path), reason))
        return book
    sheets = _ods_sheets(path) if path.suffix.lower() == ".ods" else _xlsx_sheets(path)
    budget = [_MAX_CELL_CHARACTERS]
    seen: dict[str, str] = {}
    expected = ", ".join(t.removesuffix(".csv") for t in templates)
    try:
        for sheet, rows in sheets:
            where = f"{path}#{sheet}"
            name = _template(sheet, templates)
            if name is None:
                book.problems.append(
                    Problem(where, f"unknown sheet '{sheet}'; name each sheet after its template: one of {expected}")
                )
                continue
            if name in seen:
                book.problems.append(Problem(where, f"a second sheet for {name} (the first is '{seen[name]}')"))
                continue
            seen[name] = sheet
            table = Table(path)
            table_from_records(table, where, _records(where, rows, book.problems, budget), templates[name],
                               required=required.get(name, ("id",)))  # fmt: skip
            book.tables.append((name, table))
            if budget[0] < 0:
                break
    except _TooLarge as exc:
        book.tables.clear()
        book.problems.append(Problem(str(path), str(exc)))
    except Exception as exc:
        # The readers parse untrusted bytes and fail in many ways (zip, XML, values): every
        # failure is the workbook's, named with its cause, and nothing half-read is used.
        book.tables.clear()
        book.problems.append(Problem(str(path), f"unreadable workbook ({type(exc).__name__}: {exc})"))
    finally:
        sheets.close()
    return book
