"""Small, careful edits of SPARQL text: find keywords outside comments, strings and IRIs.

A keyword search must skip comments, string literals and IRIs, and also the escapes a
prefixed name may hold (``ex:a\\#b``, ``ex:a\\'b``): a scanner that took ``\\#`` for a
comment or ``\\'`` for the start of a string would miss a ``SERVICE`` later on the line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping

from ptce_graph.model.namespaces import PREFIXES

__all__ = ["code_spans", "find_keyword", "insert_after_where", "prologue_for", "query_form", "strip_comments"]

_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_SPECIAL = re.compile(r"[\\#\"'<]")
_KEYWORD_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
_UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD")


def code_spans(text: str) -> Iterator[tuple[int, int]]:
    r"""Spans of ``text`` that are SPARQL code: not comments, string literals or IRIs.

    Examples
    --------
    >>> q = 'SELECT * { ?s ex:a\\#b "#x" } # note'
    >>> [q[a:b] for a, b in code_spans(q)]
    ['SELECT * { ?s ex:a\\#b ', ' } ', '']
    """
    i, start, n = 0, 0, len(text)
    while i < n:
        special = _SPECIAL.search(text, i)  # jump to the next character that can open a non-code span
        if special is None:
            break
        i = special.start()
        char = text[i]
        if char == "\\":  # an escape in a prefixed name (PN_LOCAL_ESC): part of the code
            i += 2
            continue
        if char == "#":
            yield start, i
            end = text.find("\n", i)
            i = start = n if end < 0 else end
            continue
        if char in "\"'":
            yield start, i
            quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else char
            j = i + len(quote)
            while j < n:
                if text[j] == "\\":
                    j += 2
                    continue
                if text.startswith(quote, j):
                    j += len(quote)
                    break
                j += 1
            i = start = min(j, n)
            continue
        if char == "<":
            match = _IRI.match(text, i)
            if match:
                yield start, i
                i = start = match.end()
                continue
        i += 1
    yield start, n


def find_keyword(text: str, keyword: str) -> int:
    """Position of the first ``keyword`` (a regex) in SPARQL code, or -1.

    Examples
    --------
    >>> find_keyword('SELECT * { ?s ex:a\\\\#b ?o . SERVICE <http://x/> { ?s ?p ?o } }', r"SERVICE\\b")
    27
    >>> find_keyword('SELECT * { ?s ?p "SERVICE <http://x/>" }', r"SERVICE\\b")
    -1
    """
    pattern = re.compile(rf"(?<![\w?$:\\]){keyword}", re.IGNORECASE)
    for start, end in _cached_spans(text):
        match = pattern.search(text, start, end)
        if match:
            return match.start()
    return -1


@functools.lru_cache(maxsize=256)
def _cached_spans(text: str) -> tuple[tuple[int, int], ...]:
    """:func:`code_spans` of a text, remembered: the same query text is scanned for many keywords,
    and canned queries are run again and again."""
    return tuple(code_spans(text))


def query_form(text: str) -> str:
    """The form of a SPARQL request: SELECT, CONSTRUCT, DESCRIBE, ASK, or UPDATE.

    Examples
    --------
    >>> query_form("PREFIX a: <urn:select:> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    >>> query_form("DROP ALL")
    'UPDATE'
    """
    position = find_keyword(text, _ANY_FORM)
    if position < 0:
        return "UNKNOWN"
    form = _FORM_WORD.match(text, position).group(0).upper()  # type: ignore[union-attr]
    return "UPDATE" if form in _UPDATE_KEYWORDS else form


#: The first of these keywords in the code names the form of the request.
_ANY_FORM = rf"(?:{'|'.join(_KEYWORD_FORMS + _UPDATE_KEYWORDS)})\b"
_FORM_WORD = re.compile(r"\w+")


def insert_after_where(text: str, block: str) -> str:
    """Insert ``block`` right after the first ``WHERE {`` of the query (its top-level group).

    Examples
    --------
    >>> insert_after_where("SELECT ?x WHERE { ?x ?p ?o }", "VALUES ?x { <urn:a> }")
    'SELECT ?x WHERE {\\n  VALUES ?x { <urn:a> }\\n ?x ?p ?o }'
    """
    position = find_keyword(text, r"WHERE\s*\{")
    if position < 0:
        position = find_keyword(text, r"\{")
        if position < 0:
            raise ValueError("the query has no WHERE clause")
        brace = position
    else:
        brace = text.index("{", position)
    return f"{text[: brace + 1]}\n  {block}\n{text[brace + 1 :]}"


def prologue_for(text: str, prefixes: Mapping[str, str] | None = None) -> str:
    """``PREFIX`` lines for the project prefixes (or ``prefixes``) the query uses but does not declare."""
    lines = []
    for prefix, iri in (prefixes or PREFIXES).items():
        declared = find_keyword(text, rf"PREFIX\s+{prefix}:") >= 0
        if not declared and re.search(rf"(?<![\w:<]){re.escape(prefix)}:", text):
            lines.append(f"PREFIX {prefix}: <{iri}>")
    return "\n".join(lines) + ("\n" if lines else "")


def strip_comments(text: str) -> str:
    r"""The query without its ``#`` comments (strings and IRIs holding ``#`` are kept).

    Some clients guess the query form from the text and are misled by words in comments.

    Examples
    --------
    >>> strip_comments('# add a note\nSELECT * WHERE { ?s <urn:a#b> "#x" } # end')
    '\nSELECT * WHERE { ?s <urn:a#b> "#x" } '
    """
    pieces, last = [], 0
    spans = list(code_spans(text))
    for index, (_start, end) in enumerate(spans):
        pieces.append(text[last:end])
        following = spans[index + 1][0] if index + 1 < len(spans) else len(text)
        gap = text[end:following]
        if gap.startswith("#"):
            newline = gap.find("\n")
            last = end + (len(gap) if newline < 0 else newline)
        else:
            last = end
    pieces.append(text[last:])
    return "".join(pieces)
