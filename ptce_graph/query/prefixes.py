"""The prefixes an ad-hoc query may use without declaring them, and a hint for ``pg:ptce/tetris``.

Every query is given the project's prefixes (:data:`~ptce_graph.model.namespaces.PREFIXES`:
``pg:``, ``ptce:``, ``skos:``...). A SPARQL prefixed name cannot hold an unescaped ``/``, so
``pg:ptce/tetris`` is not one; the per-collection prefixes Turtle exports declare
(``pg-ptce:tetris``, ``pgc-role:funder``, see
:func:`~ptce_graph.model.namespaces.collection_prefixes`) are, and they are declared too when a
query uses one: they come from the IRIs of the graph queried, since a collection's path cannot
be read back from its prefix (``pgc-ess-family`` may be ``ess-family/`` or ``ess/family/``).
Prefixes are handed to the engine with the parsed query (pyoxigraph's ``prefixes``, or a
``PREFIX`` prologue for an endpoint), built from the prefix map: nothing of the query is rewritten.
"""

from __future__ import annotations

import re

from ptce_graph.errors import InputError
from ptce_graph.model.namespaces import PREFIXES, collection_prefixes
from ptce_graph.query.text import code_spans, find_keyword
from ptce_graph.store import SparqlStore
from ptce_graph.suggest import did_you_mean

__all__ = ["collection_prefixes_used", "graph_collection_prefixes", "slash_hint"]

_COLLECTION_PREFIX = re.compile(r"(?<![\w:.\-?$\\])((?:pg|pgc)(?:-[a-z0-9]+)+):")
_SLASHED = re.compile(r"(?<![\w:.\-?$\\])((?:pg|pgc)):((?:[a-z0-9]+(?:-[a-z0-9]+)*/)+)([\w-]+)(?![\w:])")
_IRIS = """SELECT DISTINCT ?iri WHERE {
  { ?iri ?p ?o } UNION { ?s ?p ?iri }
  FILTER(isIRI(?iri) && (STRSTARTS(STR(?iri), STR(pg:)) || STRSTARTS(STR(?iri), STR(pgc:))))
}"""


def _used(text: str, pattern: re.Pattern[str]) -> list[re.Match[str]]:
    return [m for start, end in code_spans(text) for m in pattern.finditer(text, start, end)]


def graph_collection_prefixes(store: SparqlStore) -> dict[str, str]:
    """The per-collection prefixes of the IRIs ``store`` holds (``pg-ptce``, ``pgc-role``...).

    Examples
    --------
    >>> from ptce_graph.graph import open_graph
    >>> found = graph_collection_prefixes(open_graph().store)
    >>> found["pg-ptce"], found["pgc-role"]
    ('https://w3id.org/ptce-graph/id/ptce/', 'https://w3id.org/ptce-graph/concept/role/')
    """
    _, rows = store.select(_IRIS)
    return collection_prefixes(str(row[0]) for row in rows)


def collection_prefixes_used(text: str, store: SparqlStore) -> dict[str, str]:
    """The per-collection prefixes ``text`` uses without declaring them, as the graph of
    ``store`` defines them (the graph is read only when the query uses one).

    Raises
    ------
    InputError
        When the query uses such a prefix that no collection of the graph has.

    Examples
    --------
    >>> from ptce_graph.graph import open_graph
    >>> collection_prefixes_used("ASK { pg-ptce:tetris ?p ?o }", open_graph().store)
    {'pg-ptce': 'https://w3id.org/ptce-graph/id/ptce/'}
    >>> collection_prefixes_used("ASK { pg-ptc:tetris ?p ?o }", open_graph().store)
    Traceback (most recent call last):
    ...
    ptce_graph.errors.InputError: the query uses the prefix pg-ptc: that it does not declare and no \
collection of the graph has; did you mean pg-ptce?
    """
    names = sorted({m.group(1) for m in _used(text, _COLLECTION_PREFIX)})
    names = [n for n in names if find_keyword(text, rf"PREFIX\s+{re.escape(n)}:") < 0]
    if not names:
        return {}
    known = graph_collection_prefixes(store)
    for name in names:
        if name not in known:
            raise InputError(
                f"the query uses the prefix {name}: that it does not declare and no collection of the graph has"
                + did_you_mean(name, known)
            )
    return {name: known[name] for name in names}


def slash_hint(text: str) -> str:
    """A hint for a query whose syntax error may come from ``pg:ptce/tetris`` (a ``/`` in a
    prefixed name is a property path in SPARQL); ``""`` when it has none.

    Examples
    --------
    >>> slash_hint("SELECT * WHERE { pg:ptce/tetris ?p ?o }")
    '; pg:ptce/tetris is not a SPARQL prefixed name (a / there is a path): write pg-ptce:tetris, or \
<https://w3id.org/ptce-graph/id/ptce/tetris>'
    >>> slash_hint("SELECT * WHERE { ?s pg:a/pg:b ?o }")
    ''
    """
    for match in _used(text, _SLASHED):
        prefix, path, local = match.groups()
        short = f"{prefix}-{path.rstrip('/').replace('/', '-')}:{local}"
        return (
            f"; {match.group(0)} is not a SPARQL prefixed name (a / there is a path): write {short}, "
            f"or <{PREFIXES[prefix]}{path}{local}>"
        )
    return ""
