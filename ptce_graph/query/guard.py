"""Decide whether a SPARQL request may run here, from its parse tree rather than its text.

A text scan cannot tell ``<`` the operator from ``<`` the start of an IRI: ``FILTER(1<2)SERVICE
:sparql#>`` reads as one IRI to a scanner and as a ``SERVICE`` call to the engine. So the
request is parsed by rdflib's SPARQL 1.1 grammar and the tree is walked: a ``SERVICE`` pattern,
a ``FROM`` / ``FROM NAMED`` clause or any update is refused, and so is a request the grammar
cannot read (the check fails closed: what cannot be checked does not run).

Bounds, checked before the engine sees the text: :data:`MAX_NESTING` levels of ``{``, ``(`` or
``[`` (a deeply nested request crashes engines on their stack), and whatever the parser can
read within :data:`PARSER_RECURSION` Python frames (about 100 nested groups, or some hundreds
of triple patterns in one block).
"""

from __future__ import annotations

import functools
import sys
import threading
from typing import Literal

from pyparsing import ParseException, ParseResults

from ptce_graph.errors import InputError
from ptce_graph.query.text import code_spans, query_form

__all__ = ["MAX_NESTING", "PARSER_RECURSION", "RefusedQuery", "check_query", "load_grammar", "nesting_depth"]

#: Deepest nesting of ``{``, ``(`` and ``[`` a request may have.
MAX_NESTING = 64
#: Python frames rdflib's recursive-descent parser may use while reading one request.
PARSER_RECURSION = 6000

Reason = Literal["update", "service", "dataset", "nesting", "syntax"]
_FORMS = {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE", "AskQuery": "ASK"}
_RECURSION_LOCK = threading.Lock()


class RefusedQuery(InputError):
    """A request that may not run: ``reason`` says why (update, service, dataset, nesting, syntax).

    ``update`` and ``service`` are refusals of principle (HTTP 403 on ``serve``); the others
    are requests this tool cannot serve as written (HTTP 400).
    """

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self.reason: Reason = reason


def nesting_depth(text: str) -> int:
    """The deepest nesting of ``{``, ``(`` and ``[`` in the code of a request.

    Brackets inside string literals and comments do not count.

    Examples
    --------
    >>> nesting_depth('SELECT * WHERE { FILTER((?x > 1)) ?s ?p "{{{" }')
    3
    """
    depth = deepest = 0
    for start, end in code_spans(text):
        for char in text[start:end]:
            if char in "{([":
                depth += 1
                deepest = max(deepest, depth)
            elif char in "})]":
                depth -= 1
    return deepest


def check_query(text: str, *, local: bool = True) -> str:
    """The form of a request that may run (SELECT, CONSTRUCT, DESCRIBE or ASK), or refuse it.

    Parameters
    ----------
    text
        The SPARQL request as the user wrote it.
    local
        True when it runs on the embedded store or on ``serve``: ``SERVICE`` and ``FROM`` are
        refused too, since they would make this machine call other addresses. A remote
        endpoint decides those for itself, so only updates are refused there.

    Raises
    ------
    RefusedQuery
        With ``reason`` ``update``, ``service``, ``dataset`` (``FROM``), ``nesting`` or
        ``syntax`` (the grammar cannot read it, so it cannot be checked).

    Examples
    --------
    >>> check_query("ASK { ?s ?p ?o }")
    'ASK'
    >>> check_query("SELECT * WHERE { FILTER(1<2) SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ptce_graph.query.guard.RefusedQuery: SERVICE is refused: ptce-graph makes no network calls unless you ...
    >>> check_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", local=False)
    'SELECT'
    """
    return _check(text, local)


@functools.lru_cache(maxsize=512)
def _check(text: str, local: bool) -> str:
    depth = nesting_depth(text)
    if depth > MAX_NESTING:
        raise RefusedQuery("nesting", f"the query nests {depth} levels of brackets; the limit is {MAX_NESTING}")
    try:
        tree = _parse(text)
    except ParseException as exc:
        if _is_update(text):
            raise RefusedQuery("update", "SPARQL updates are refused: ptce-graph only reads") from None
        if not local and query_form(text) in _FORMS.values():
            return query_form(text)  # a remote engine may accept syntax beyond SPARQL 1.1: its call
        raise RefusedQuery("syntax", f"invalid SPARQL (line {exc.lineno}, column {exc.col}): {exc.msg}") from None
    except RecursionError:
        raise RefusedQuery(
            "nesting",
            f"the query is too deeply nested or too long to be checked (limit: {PARSER_RECURSION} parser frames)",
        ) from None
    if local:
        names = _node_names(tree, set())
        if "ServiceGraphPattern" in names:
            raise RefusedQuery(
                "service", "SERVICE is refused: ptce-graph makes no network calls unless you name an endpoint"
            )
        if _has_dataset_clause(tree[1]):
            raise RefusedQuery(
                "dataset", "FROM and FROM NAMED are refused: the store holds one default graph and loads nothing else"
            )
    return _FORMS[tree[1].name]


def load_grammar() -> None:
    """Import the SPARQL grammar now (about 70 ms, once), so that a process forked to check a
    query (:mod:`~ptce_graph.query.bounded`) shares it instead of importing it again."""
    import rdflib.plugins.sparql.parser  # noqa: F401


def _parse(text: str) -> ParseResults:
    from rdflib.plugins.sparql.parser import parseQuery

    with _RECURSION_LOCK:  # the limit is global to the interpreter: raise it for this parse only
        previous = sys.getrecursionlimit()
        sys.setrecursionlimit(max(previous, PARSER_RECURSION))
        try:
            return parseQuery(text)
        finally:
            sys.setrecursionlimit(previous)


def _is_update(text: str) -> bool:
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        with _RECURSION_LOCK:
            parseUpdate(text)
    except (ParseException, RecursionError):
        return query_form(text) == "UPDATE"
    return True


def _node_names(node: object, found: set[str]) -> set[str]:
    """Names of every parse-tree node under ``node`` (``ServiceGraphPattern``, ``SelectQuery``...)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            found.add(item.name)
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, ParseResults)):
            stack.extend(item)
    return found


def _has_dataset_clause(query: object) -> bool:
    if not hasattr(query, "get"):
        return False
    clauses = query.get("datasetClause")
    return bool(clauses) and any(getattr(c, "name", "") == "DatasetClause" for c in clauses)
