"""Cells written to CSV and TSV files that spreadsheets must not run as formulas.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken as a
formula by Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)`` can leak data or run a
command): such a cell gets a leading apostrophe, the mark spreadsheets read as "this is text"
(OWASP's advice on CSV injection). Numbers (``-0.18``, ``+3``) are left as they are, so signed
measures stay numbers for every reader.

Examples
--------
>>> [safe_cell(v) for v in ("=HYPERLINK(\\"x\\")", "+1+1", "@SUM(1)", "-2+3", "-0.18", "+3", "Pôle", "")]
['\\'=HYPERLINK("x")', "'+1+1", "'@SUM(1)", "'-2+3", '-0.18', '+3', 'Pôle', '']
"""

from __future__ import annotations

import re

__all__ = ["safe_cell"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def safe_cell(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet runs as a formula (see the module docstring)."""
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text
