"""rdflib's SPARQL engine, with each query text parsed once per process (for the reference runs).

pyshacl hands every SHACL-SPARQL constraint to rdflib as a text, once per focus node, and rdflib
parses that text again each time: on the shipped data nine tenths of a pyshacl run is spent in
the SPARQL parser, re-reading the same few queries. :func:`install` makes ``Graph.query`` keep the
translated query of each (text, base, prefixes) and evaluate that, which is what rdflib's own
``prepareQuery`` is for: evaluation, bindings and results are untouched, so pyshacl and the naive
rdflib store stay the reference they are meant to be, only without the repeated parsing.

Only the test process (``conftest``) and the test's own child scripts install it: the command
line run in subprocesses is the real one.
"""

from __future__ import annotations

from typing import Any

from rdflib.plugins.sparql import processor
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery

_PREPARED: dict[tuple[str, str | None, tuple[tuple[str, str], ...]], Any] = {}


def install() -> None:
    """Make ``SPARQLProcessor.query`` reuse the translation of a query text it has seen (idempotent)."""
    original = processor.SPARQLProcessor.query
    if getattr(original, "_prepared_once", False):
        return

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((str(k), str(v)) for k, v in (initNs or {}).items())))
            prepared = _PREPARED.get(key)
            if prepared is None:  # a parse error propagates and nothing is kept
                prepared = _PREPARED[key] = translateQuery(parseQuery(strOrQuery), base, initNs)
            strOrQuery = prepared
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    query._prepared_once = True  # type: ignore[attr-defined]
    processor.SPARQLProcessor.query = query  # type: ignore[method-assign]
