"""Read the CSV templates of ``data/``: encodings, separators and row-level problems.

Spreadsheets export CSV with a byte-order mark, ``;`` separators or in Windows-1252; all
three are accepted (UTF-16, the "Unicode text" of some spreadsheets, is refused with a
message saying how to save the file, and so is a file mixing Windows-1252 and UTF-8 rows).
Every cell is stripped and normalised to Unicode NFC; a cell holding a control character or
U+FFFD (a character lost by an earlier conversion) is a problem. Nothing is dropped silently:
each unusable row or value becomes a :class:`~ptce_graph.errors.Problem` naming the file, the
line and the column.
"""

from __future__ import annotations

import csv
import io
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ptce_graph.errors import Problem, shown

__all__ = ["Row", "Table", "nfc", "read_table", "table_from_records"]

_SEPARATORS = (",", ";", "\t")
_MAX_FILE_BYTES = 64 * 1024 * 1024
csv.field_size_limit(16 * 1024 * 1024)
#: Characters no cell may hold: C0 and C1 controls (but tab and line breaks), and U+FFFD.
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
#: The first line of a text, as ``str.splitlines`` ends it (without splitting the whole text).
_FIRST_LINE = re.compile("[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]*")
#: A well-formed UTF-8 sequence of two to four bytes (RFC 3629: no overlong form, no surrogate).
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]"
    rb"|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def nfc(text: str) -> str:
    """Strip ``text`` and normalise it to Unicode NFC.

    Examples
    --------
    >>> nfc(" Coope\u0301rative ") == "Coopérative"
    True
    """
    return unicodedata.normalize("NFC", text.strip())


@dataclass(frozen=True)
class Row:
    """One data row: the file it came from, its line number, and its cells by column name."""

    file: str
    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        """The stripped NFC text of ``column``, ``""`` when empty or absent."""
        return self.cells.get(column, "")

    def problem(self, column: str | None, message: str) -> Problem:
        """A problem located at this row (and column)."""
        return Problem(self.file, message, line=self.line, column=column)


@dataclass
class Table:
    """The rows of one CSV file (or workbook sheet), the encoding and separator detected, and its problems."""

    path: Path
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    encoding: str = "utf-8"
    separator: str = ","
    #: Whether the file was refused as a whole (its encoding, size, header or rows): none of its rows was read.
    refused: bool = False
    #: How many rows the file has when they are more than ``read_table``'s ``max_rows`` (then none is kept).
    overflow: int = 0


def _refused(table: Table) -> Table:
    table.refused = True
    return table


def _decode(raw: bytes, path: Path, table: Table) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        table.problems.append(
            Problem(str(path), 'UTF-16 text: save the table as "CSV UTF-8" (or CSV) instead of Unicode text', line=1)
        )
        return None
    if b"\x00" in raw:
        table.problems.append(Problem(str(path), "binary content (NUL bytes): not a CSV text file"))
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        table.encoding = "utf-8-sig"
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        line = raw[: utf8_error.start].count(b"\n") + 1
        table.problems.append(
            Problem(str(path), f"neither UTF-8 nor Windows-1252 text (byte 0x{raw[utf8_error.start]:02x})", line=line)
        )
        return None
    mixed = _utf8_text(raw)
    if mixed is not None:  # read as Windows-1252, its UTF-8 rows would become mojibake (SociÃ©tÃ©)
        start, char = mixed
        byte = raw[utf8_error.start]
        cp1252_line, utf8_line = raw[: utf8_error.start].count(b"\n") + 1, raw[:start].count(b"\n") + 1
        table.problems.append(
            Problem(
                str(path),
                f"mixed encodings: this line is Windows-1252 (byte 0x{byte:02x}, {bytes([byte]).decode('cp1252')!r}) "
                f"but line {utf8_line} is UTF-8 ({char!r} as bytes {char.encode().hex(' ')}), "
                'as when rows are pasted from different spreadsheets: save the file as "CSV UTF-8" '
                "and check the accents of those rows",
                line=cp1252_line,
            )
        )
        return None
    table.encoding = "cp1252"
    return text


def _utf8_text(raw: bytes) -> tuple[int, str] | None:
    r"""Where ``raw``, which is not UTF-8, still holds UTF-8 text: the offset and the character.

    Windows-1252 text and UTF-8 text pasted into one file make a file that is not UTF-8, read as
    Windows-1252, in which every accent of the UTF-8 rows becomes two characters (``SociÃ©tÃ©``).
    Such a row shows as a well-formed UTF-8 sequence that decodes to a character Windows-1252
    also has: what the same spreadsheet would have written in that encoding (é, œ, €, ’...).
    Genuine Windows-1252 text does not hold one: it would take an ``Â``, ``Ã``, ``Å``, ``Æ``
    or ``Ë`` followed by a symbol, or ``â€`` followed by one. The accidental sequences of
    French text, an accented capital or ``é`` before a closing quote or a no-break space
    (``É”``, ``é »``), decode to characters Windows-1252 lacks (IPA letters, CJK ideographs),
    and are not counted; neither are the sequences of four bytes, which only decode to
    characters outside the Basic Multilingual Plane.

    Examples
    --------
    >>> _utf8_text("Société A\n".encode("cp1252") + "Société B\n".encode("utf-8"))
    (14, 'é')
    >>> _utf8_text("« L’ÉTÉ\xa0» coûte 5 € – œuvre\n".encode("cp1252")) is None
    True
    """
    for match in _UTF8_SEQUENCE.finditer(raw):
        char = match.group().decode("utf-8")
        if len(match.group()) < 4:
            try:
                char.encode("cp1252")
            except UnicodeEncodeError:
                continue
            return match.start(), char
    return None


def _separator(header_line: str) -> str:
    """The separator of a header line: the most frequent of ``,`` ``;`` and tab."""
    counts = {sep: header_line.count(sep) for sep in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_table(
    path: Path, columns: tuple[str, ...], *, required: tuple[str, ...] = ("id",), max_rows: int | None = None
) -> Table:
    r"""Read one CSV template file.

    Parameters
    ----------
    path
        The CSV file.
    columns
        Every column the template knows; any other header is a problem.
    required
        Columns the header must contain.
    max_rows
        The most rows to keep. Past it the rest of the file is only counted, and the table keeps
        no row and no problem of a row: ``overflow`` holds the number of rows, ``refused`` is
        set, and the caller says why the file is refused.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_bytes("\ufeffid;label\r\na;Pôle Énergie\r\n".encode("utf-8"))
    >>> t = read_table(p, ("id", "label"))
    >>> t.separator, t.rows[0].line, t.rows[0].get("label")
    (';', 2, 'Pôle Énergie')
    """
    table = Table(path)
    where = str(path)
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would hang the read, a device never end it
            table.problems.append(Problem(where, "not a regular file (a pipe, a device or a socket)"))
            return _refused(table)
        size = path.stat().st_size
        if size > _MAX_FILE_BYTES:
            table.problems.append(Problem(where, f"file too large ({size} bytes; limit {_MAX_FILE_BYTES})"))
            return _refused(table)
        raw = path.read_bytes()
    except OSError as exc:
        table.problems.append(Problem(where, f"cannot read file: {exc.strerror or exc}"))
        return _refused(table)
    text = _decode(raw, path, table)
    del raw  # the text alone is needed from here: a 64 MiB file is held once, not twice
    if text is None:
        return _refused(table)
    if not text.strip():
        table.problems.append(Problem(where, "empty file: a header row is required", line=1))
        return _refused(table)
    first_line = _FIRST_LINE.match(text.lstrip("\r\n")).group()  # type: ignore[union-attr]  # matches any text
    table.separator = _separator(first_line)
    if max_rows is not None and text.count("\n") > max_rows:
        # more lines than rows allowed (a row takes one line or more, the header one): count the
        # rows before making any, so that a table of a million rows is refused in seconds and in
        # the memory of its text (the reader below copies the text, at 4 bytes a character)
        count = _count_rows(csv.reader(_lines(text), delimiter=table.separator)) - 1
        if count > max_rows:
            table.overflow = count
            return _refused(table)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=table.separator, strict=True)
    try:
        record: list[str] = []
        while not any(cell.strip() for cell in record):
            record = next(reader)
        header = [nfc(h) for h in record]
    except csv.Error as exc:
        table.problems.append(Problem(where, f"unreadable header: {exc}", line=reader.line_num or 1))
        return _refused(table)
    header_line = reader.line_num
    if not _check_header(table, where, header, header_line, columns, required):
        return _refused(table)
    line = reader.line_num + 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            table.problems.append(Problem(where, f"unreadable row: {exc}", line=line))
            return table
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            table.problems.append(
                Problem(
                    where,
                    f"{len(record)} cells where the header has {len(header)} "
                    f"(separator '{table.separator}'): row skipped",
                    line=start,
                )
            )
            continue
        if max_rows is not None and len(table.rows) >= max_rows:
            # counting the rest is cheap (no Row, no check): the message can give the file's size in rows
            table.overflow = len(table.rows) + 1 + _count_rows(reader)
            table.rows.clear()
            table.problems.clear()
            return _refused(table)
        _add_row(table, where, start, header, record)
    return table


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their ends, one at a time (a StringIO would copy the text, at 4 bytes a character)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start) + 1 or len(text)
        yield text[start:end]
        start = end


def _count_rows(records: Iterable[list[str]]) -> int:
    """The number of non-empty records left in ``records`` (up to an unreadable one)."""
    count = 0
    try:
        for record in records:
            count += any(cell.strip() for cell in record)
    except csv.Error:
        pass  # the file is refused for its size all the same
    return count


def _check_header(
    table: Table, where: str, header: list[str], line: int, columns: tuple[str, ...], required: tuple[str, ...]
) -> bool:
    """Record the header's problems (duplicate, unknown or missing columns); whether it is usable."""
    seen: set[str] = set()
    for name in header:
        if name in seen:
            table.problems.append(Problem(where, f"duplicate column {shown(name)}", line=line))
        seen.add(name)
    unknown = [h for h in header if h not in columns]
    if unknown:
        hint = ""
        if len(header) == 1 and any(sep in header[0] for sep in "|:"):
            hint = " (the header reads as one column: separate columns with ',', ';' or a tab)"
        table.problems.append(
            Problem(
                where,
                f"unknown column(s) {', '.join(shown(u) for u in unknown)}; "
                f"expected some of: {', '.join(columns)}{hint}",
                line=line,
            )
        )
    missing = [c for c in required if c not in header]
    if missing:
        table.problems.append(Problem(where, f"missing required column(s) {', '.join(missing)}", line=line))
    return not (unknown or missing or len(seen) != len(header))


def _add_row(table: Table, where: str, line: int, header: list[str], record: list[str]) -> None:
    """Add one record (as many cells as the header) as a row; a bad character is a problem."""
    cells = {h: nfc(c) for h, c in zip(header, record, strict=True)}
    bad = [(h, c) for h, c in cells.items() if _BAD_CHARACTER.search(c)]
    for column, cell in bad:
        char = _BAD_CHARACTER.search(cell).group()  # type: ignore[union-attr]
        kind = "a character lost by an earlier conversion" if char == "\ufffd" else "a control character"
        table.problems.append(
            Problem(where, f"the cell holds the character U+{ord(char):04X} ({kind})", line=line, column=column)
        )
    table.rows.append(Row(where, line, cells))  # kept, so that references to its id still resolve


def table_from_records(
    table: Table,
    where: str,
    records: Iterable[tuple[int, list[str]]],
    columns: tuple[str, ...],
    *,
    required: tuple[str, ...] = ("id",),
) -> Table:
    """Fill ``table`` from records already split into cells (a spreadsheet's rows).

    ``records`` yields each non-empty row with its line number, the header first; every
    record after it has exactly as many cells as the header. The header and the cells are
    checked as those of a CSV file (:func:`read_table`).

    Examples
    --------
    >>> from pathlib import Path
    >>> t = table_from_records(Table(Path("b.xlsx")), "b.xlsx#ptce", [(1, ["id"]), (3, [" pole-sud "])], ("id",))
    >>> t.rows[0]
    Row(file='b.xlsx#ptce', line=3, cells={'id': 'pole-sud'})
    """
    iterator = iter(records)
    first = next(iterator, None)
    if first is None:
        table.problems.append(Problem(where, "empty sheet: a header row is required", line=1))
        return _refused(table)
    header_line, record = first
    header = [nfc(h) for h in record]
    if not _check_header(table, where, header, header_line, columns, required):
        return _refused(table)
    for line, record in iterator:
        _add_row(table, where, line, header, record)
    return table
