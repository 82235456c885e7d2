"""Cells written where they could act: CSV and TSV files that spreadsheets open, and terminals.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken as a
formula by Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)`` can leak data or run a
command): such a cell gets a leading apostrophe, the mark spreadsheets read as "this is text"
(OWASP's advice on CSV injection). Numbers (``-0.18``, ``+3``) are left as they are, so signed
measures stay numbers for every reader.

A terminal acts on control characters: ``ESC [`` sequences recolour, move the cursor, rewrite
the title or hide text, and bidirectional overrides reorder what is shown. Text from files
(names, cells, values in messages) is shown with those characters escaped
(:func:`printable`), so what a user reads is what the file holds.

XML 1.0 cannot carry some characters at all, not even as character references: the C0 controls
but tab, line feed and carriage return, the surrogates, U+FFFE and U+FFFF. RDF literals may hold
them, so a graph read from an RDF file can. A data file in an XML format (RDF/XML, GraphML,
GEXF) that holds one is refused (:func:`check_xml_text`) rather than written malformed or
altered; a display (a spreadsheet cell, a label in a picture) shows it escaped (:func:`xml_text`).

Examples
--------
>>> printable("evil\\x1b[31mred.ttl")
'evil\\\\x1b[31mred.ttl'
>>> [safe_cell(v) for v in ("=HYPERLINK(\\"x\\")", "+1+1", "@SUM(1)", "-2+3", "-0.18", "+3", "Pôle", "")]
['\\'=HYPERLINK("x")', "'+1+1", "'@SUM(1)", "'-2+3", '-0.18', '+3', 'Pôle', '']
>>> xml_text("TETRIS\\x01\\ufffe")
'TETRIS\\\\x01\\\\ufffe'
"""

from __future__ import annotations

import re
from decimal import Decimal

from ptce_graph.errors import InputError

__all__ = ["NOT_XML", "check_xml_text", "plain_number", "printable", "safe_cell", "xml_text"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# C0 and C1 controls, DEL, and the marks that reorder text (bidi embeddings, overrides, isolates)
_MARKS = r"\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(rf"[\x00-\x1f{_MARKS}]")
_UNSAFE_KEEPING_LINES = re.compile(rf"[\x00-\x08\x0b-\x1f{_MARKS}]")


def safe_cell(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet runs as a formula (see the module docstring)."""
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def plain_number(number: float | Decimal) -> str:
    """A finite number written out in full: no exponent (which spreadsheets may misread), no
    trailing zeros.

    Examples
    --------
    >>> [plain_number(v) for v in (2500000.0, 3.5, 1e-05, Decimal("2.50"))]
    ['2500000', '3.5', '0.00001', '2.5']
    """
    text = format(number if isinstance(number, Decimal) else Decimal(repr(number)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def printable(text: str, *, keep_lines: bool = False) -> str:
    """``text`` with the characters a terminal would act on written as escapes (``\\x1b``).

    ``keep_lines`` keeps line breaks and tabs (multi-line messages); otherwise they are
    escaped too (a cell of a table stays on its line).

    Examples
    --------
    >>> printable("a\\tb\\nc\\u202e")
    'a\\\\tb\\\\nc\\\\u202e'
    >>> printable("line 1\\nline 2", keep_lines=True)
    'line 1\\nline 2'
    """
    pattern = _UNSAFE_KEEPING_LINES if keep_lines else _UNSAFE
    return pattern.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


#: Characters XML 1.0 cannot carry, even as character references (its ``Char`` production).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape", "backslashreplace").decode("ascii")


def xml_text(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot carry written as escapes (``\\x01``): for
    what is shown, not for data."""
    return NOT_XML.sub(_escape, text)


def check_xml_text(text: str, where: str, fmt: str) -> None:
    """Refuse ``text`` when it holds a character XML 1.0 cannot carry.

    Raises
    ------
    InputError
        Naming ``where`` the text is (a node and its property), the character and what to do.

    Examples
    --------
    >>> check_xml_text("Pôle\\tSud", "pg:ptce/x rdfs:label", "RDF/XML")
    >>> check_xml_text("TETRIS\\x01", "pg:ptce/x rdfs:label", "RDF/XML")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ptce_graph.errors.InputError: pg:ptce/x rdfs:label: 'TETRIS\\x01' holds U+0001, a character XML 1.0 ...
    """
    found = NOT_XML.search(text)
    if found is not None:
        shown = printable(text if len(text) <= 60 else text[:57] + "...")
        raise InputError(
            f"{where}: '{shown}' holds U+{ord(found.group()):04X}, a character XML 1.0 cannot carry, so "
            f"{fmt} cannot be written; remove it from the data, or write a format without XML "
            "(Turtle, N-Triples, JSON-LD, CSV)"
        )
