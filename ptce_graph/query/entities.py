"""Check that a parameter names an entity of the graph queried, resolve bare ids, suggest close ones.

A typo in an IRI parameter (``pg:ptce/tetrisx``) would otherwise give 0 rows and success.
Each check is a query on the store being queried (embedded or remote), with the IRI and the
classes bound as RDF terms in a ``VALUES`` block (:func:`~ptce_graph.query.run.render_query`),
never pasted into the text. An entity is known when it has one of the parameter's classes
(or a subclass of one, as far as the graph holds the ontology); a parameter with no class
accepts any subject of the graph. When the graph holds no instance of the classes at all (a
file of your own without the code lists, say), an IRI that occurs anywhere in it is accepted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Node

from ptce_graph.errors import InputError
from ptce_graph.model.namespaces import PREFIXES, curie
from ptce_graph.query.catalog import CannedQuery, Param
from ptce_graph.query.run import bind_parameters, render_query
from ptce_graph.store import SparqlStore
from ptce_graph.suggest import suggest

__all__ = ["Candidate", "candidates", "check_entity_params", "describe_entity", "is_bare_id", "resolve_bare_id"]

_BARE_ID = re.compile(r"[\w.-]+(?:/[\w.-]+)*")

_TYPED = """ASK WHERE {
  ?entity a ?type .
  ?type rdfs:subClassOf* ?class .
}"""
_SUBJECT = "ASK WHERE { ?entity ?p ?o . }"
_ANYWHERE = "ASK WHERE { { ?entity ?p ?o } UNION { ?s ?p ?entity } }"
_ANY_OF_CLASS = "ASK WHERE { ?x a ?type . ?type rdfs:subClassOf* ?class . }"
_OF_CLASS = """SELECT DISTINCT ?entity ?label WHERE {
  ?entity a ?type .
  ?type rdfs:subClassOf* ?class .
  FILTER(isIRI(?entity) && STRSTARTS(STR(?entity), ?start) && STRENDS(STR(?entity), ?end))
  OPTIONAL { ?entity rdfs:label ?label }
}"""
_SUBJECTS = """SELECT DISTINCT ?entity ?label WHERE {
  ?entity ?p ?o .
  FILTER(isIRI(?entity) && STRSTARTS(STR(?entity), ?start) && STRENDS(STR(?entity), ?end))
  OPTIONAL { ?entity rdfs:label ?label }
}"""


@dataclass(frozen=True)
class Candidate:
    """An entity a value may have meant: its IRI and its labels."""

    iri: str
    labels: tuple[str, ...] = ()

    @property
    def short(self) -> str:
        """The IRI as the project's CURIE (``pg:ptce/tetris``), or the IRI."""
        return curie(self.iri)

    @property
    def id(self) -> str:
        """The local id: the IRI after its last ``/`` or ``#``."""
        return re.split(r"[/#]", self.iri)[-1]


def is_bare_id(text: str) -> bool:
    """Whether ``text`` is an id without prefix or scheme (``tetris``, ``ptce/tetris``).

    Examples
    --------
    >>> is_bare_id("tetris"), is_bare_id("ptce/tetris"), is_bare_id("pg:ptce/tetris"), is_bare_id("a b")
    (True, True, False, False)
    """
    return bool(_BARE_ID.fullmatch(text))


def _class_terms(classes: Sequence[str]) -> list[Node]:
    return [URIRef(PREFIXES[c.partition(":")[0]] + c.partition(":")[2]) for c in classes]


def _ask(store: SparqlStore, text: str, bindings: Mapping[str, Sequence[Node]]) -> bool:
    return store.ask(render_query(text, bindings))


def candidates(store: SparqlStore, classes: Sequence[str], *, start: str = "", end: str = "") -> list[Candidate]:
    """The entities of ``classes`` (any subject when empty) whose IRI starts with ``start`` and
    ends with ``end``, sorted by IRI.

    Examples
    --------
    >>> from ptce_graph.graph import open_graph
    >>> [c.short for c in candidates(open_graph().store, ["ptce:PTCE"], end="/tetris")]
    ['pg:ptce/tetris']
    """
    bindings: dict[str, list[Node]] = {"start": [Literal(start)], "end": [Literal(end)]}
    if classes:
        bindings["class"] = _class_terms(classes)
    _, rows = store.select(render_query(_OF_CLASS if classes else _SUBJECTS, bindings))
    labels: dict[str, list[str]] = {}
    for entity, label in rows:
        found = labels.setdefault(str(entity), [])
        if label is not None and str(label) not in found:
            found.append(str(label))
    return [Candidate(iri, tuple(sorted(found))) for iri, found in sorted(labels.items())]


def _what(param: Param) -> str:
    names = [c.partition(":")[2] for c in param.classes]
    return " or ".join(names) if names else "entity"


def _closest(text: str, found: Sequence[Candidate]) -> list[str]:
    """CURIEs of the candidates closest to ``text``, by CURIE, IRI, local id or label."""
    keys: dict[str, str] = {}
    for candidate in found:
        for key in (candidate.short, candidate.iri, candidate.id, *candidate.labels):
            keys.setdefault(key, candidate.short)
    tail = re.split(r"[/#:]", text)[-1]
    out: list[str] = []
    for word in (text, tail):
        for key in suggest(word, keys):
            if keys[key] not in out:
                out.append(keys[key])
    return out[:3]


def _hint(close: Sequence[str]) -> str:
    if not close:
        return ""
    return "; did you mean " + (close[0] if len(close) == 1 else ", ".join(close[:-1]) + " or " + close[-1]) + "?"


def resolve_bare_id(store: SparqlStore, param: Param, text: str, *, given: str = "") -> URIRef:
    """The one entity of the parameter's classes whose IRI ends with ``/text``; else an error
    listing the ones it may mean.

    Examples
    --------
    >>> from ptce_graph.graph import open_graph
    >>> from ptce_graph.query.catalog import get_query
    >>> resolve_bare_id(open_graph().store, get_query("ptce_members").param("ptce"), "tetris")
    rdflib.term.URIRef('https://w3id.org/ptce-graph/id/ptce/tetris')
    """
    exact = candidates(store, param.classes, end=f"/{text}")
    if len(exact) == 1:
        return URIRef(exact[0].iri)
    given = given or f"parameter {param.name}={text}"
    if exact:
        listed = ", ".join(c.short for c in exact[:10]) + (" ..." if len(exact) > 10 else "")
        raise InputError(f"{given}: {len(exact)} entities have this id ({listed}); give one of them")
    close = _closest(text, candidates(store, param.classes))
    raise InputError(f"{given}: no {_what(param)} with this id in the graph{_hint(close)}")


def _parse_iri(param: Param, text: str) -> URIRef:
    """``text`` as an IRI (a CURIE expanded), checked as a value of ``param`` is when bound."""
    alone = CannedQuery("check", Path("check.rq"), "", "", (), (replace(param, required=False),), (), "", "SELECT")
    (iri,) = bind_parameters(alone, {param.name: text})[param.name]
    assert isinstance(iri, URIRef)
    return iri


def _check_iri(store: SparqlStore, param: Param, iri: URIRef, given: str, *, label: str = "") -> None:
    bound: dict[str, list[Node]] = {"entity": [iri]}
    if param.classes:
        bound["class"] = _class_terms(param.classes)
        if _ask(store, _TYPED, bound):
            return
        if not _ask(store, _ANY_OF_CLASS, {"class": bound["class"]}) and _ask(store, _ANYWHERE, {"entity": [iri]}):
            return  # the graph types nothing with these classes: an IRI it holds is all that can be checked
        found = candidates(store, param.classes)
    else:
        if _ask(store, _SUBJECT, bound):
            return
        namespace = str(iri).rsplit("/", 1)[0] + "/" if "/" in str(iri) else ""
        found = candidates(store, (), start=namespace)
    close = _closest(given, found)
    label = label or f"parameter {param.name}={given}"
    raise InputError(f"{label}: no {_what(param)} with this IRI in the graph{_hint(close)}")


def check_entity_params(
    query: CannedQuery, values: Mapping[str, Sequence[str]], store: SparqlStore
) -> dict[str, list[str | Node]]:
    """The values of ``query``'s parameters with every entity checked on ``store``.

    A bare id (``tetris``) of an ``iri`` parameter becomes the IRI of the one entity of the
    parameter's classes with that id; an IRI or CURIE must name an entity the store holds.
    Other values are returned as given (their types are checked when they are bound).

    Raises
    ------
    InputError
        When a value names no such entity (with the closest ones it may have meant), or a
        bare id several.

    Examples
    --------
    >>> from ptce_graph.graph import open_graph
    >>> from ptce_graph.query.catalog import get_query
    >>> store = open_graph().store
    >>> check_entity_params(get_query("ptce_members"), {"ptce": ["tetris"]}, store)
    {'ptce': [rdflib.term.URIRef('https://w3id.org/ptce-graph/id/ptce/tetris')]}
    >>> check_entity_params(get_query("ptce_members"), {"ptce": ["pg:ptce/tetrisx"]}, store)
    Traceback (most recent call last):
    ...
    ptce_graph.errors.InputError: parameter ptce=pg:ptce/tetrisx: no PTCE or EuropeanCooperativeCluster with \
this IRI in the graph; did you mean pg:ptce/tetris?
    """
    out: dict[str, list[str | Node]] = {}
    for name, given in values.items():
        param = query.param(name)
        if param.type != "iri":
            out[name] = list(given)
            continue
        items = [part.strip() for item in given for part in (item.split(",") if param.multiple else [item])]
        terms: list[str | Node] = []
        for item in items:
            if not item:
                continue
            if is_bare_id(item):
                terms.append(resolve_bare_id(store, param, item))
                continue
            iri = _parse_iri(param, item)
            _check_iri(store, param, iri, item)
            terms.append(iri)
        out[name] = terms
    return out


_ANY = Param(name="entity", type="iri")
_TERM = re.compile(r"<([^<>\"{}|^`\\\x00-\x20]*)>|([A-Za-z][\w.-]*:\S+)")


def describe_entity(store: SparqlStore, text: str) -> str | None:
    """A ``DESCRIBE`` query of the entity ``text`` names when it is only an IRI (``<...>`` or
    absolute), a CURIE of the project (``pg:ptce/tetris``) or a bare id (``tetris``), with the IRI
    bound; ``None`` for any other text (a query).

    Raises
    ------
    InputError
        When the text names no subject of the graph (with the closest ones), or a bare id several.

    Examples
    --------
    >>> from ptce_graph.graph import open_graph
    >>> print(describe_entity(open_graph().store, "tetris"))
    DESCRIBE ?entity WHERE {
      VALUES ?entity { <https://w3id.org/ptce-graph/id/ptce/tetris> }
     }
    >>> describe_entity(open_graph().store, "SELECT * WHERE { ?s ?p ?o }") is None
    True
    """
    token = text.strip()
    label = f"--sparql {token}"
    if is_bare_id(token):
        iri = resolve_bare_id(store, _ANY, token, given=label)
    else:
        match = _TERM.fullmatch(token)
        if match is None or (match.group(2) and match.group(2).partition(":")[0].lower() in ("select", "ask")):
            return None
        value = match.group(1) if match.group(1) is not None else token
        iri = _parse_iri(_ANY, value)
        _check_iri(store, _ANY, iri, token, label=label)
    return render_query("DESCRIBE ?entity WHERE { }", {"entity": [iri]})
