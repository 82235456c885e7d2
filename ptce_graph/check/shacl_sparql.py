"""SHACL shapes compiled to whole-graph SPARQL queries, run on the embedded Oxigraph store.

pyshacl evaluates every constraint of every shape once per focus node in Python, and parses
a SHACL-SPARQL constraint's query again for each of them: about 16 s for 100 k triples with
the project's shapes, and 30 minutes at a million (``docs/performance.md``). This module
gives the *same results* by asking Oxigraph one question per constraint: "which focus nodes
(and values) break it?". Each SHACL Core constraint component is written as a SPARQL
condition on a value node, following its definition in the SHACL specification and pyshacl's
reading of it where the two could differ (``sh:languageIn`` matching, ``sh:datatype`` and
ill-typed literals); nested shapes (``sh:node``, ``sh:or``, ``sh:not``,
``sh:qualifiedValueShape``, property shapes inside them) become nested ``EXISTS`` conditions;
a SHACL-SPARQL constraint's own ``SELECT`` runs once for all its focus nodes.

Only the features the project's shapes use are compiled (listed in :data:`SUPPORTED`);
:func:`compile_shapes` raises :class:`Unsupported` for anything else, naming the feature:
there is no silent fallback, the caller chooses pyshacl (``validate(..., engine="pyshacl")``)
and the report says which engine ran. The results are checked
against pyshacl's by the tests, on the shipped data, on synthetic data with injected errors,
and on every valid and invalid case of ``tests/shapes``.

The data graph is what pyshacl validates: the data plus the ontology's RDFS/OWL axioms as
pyshacl copies them ("inoculation", :func:`inoculated_ontology`), no inference.
"""

from __future__ import annotations

import itertools
import os
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from ptce_graph.errors import InputError
from ptce_graph.model.namespaces import curie

__all__ = ["SUPPORTED", "CompiledShapes", "Finding", "Unsupported", "compile_shapes", "inoculated_ontology"]

#: Shape predicates this engine understands; any other ``sh:`` predicate makes it refuse.
SUPPORTED = frozenset(
    {
        SH.targetClass,
        SH.targetNode,
        SH.targetSubjectsOf,
        SH.targetObjectsOf,
        SH.property,
        SH.path,
        SH.node,
        SH["or"],
        SH["and"],
        SH["not"],
        SH["class"],
        SH.datatype,
        SH.nodeKind,
        SH.minCount,
        SH.maxCount,
        SH["in"],
        SH.pattern,
        SH.flags,
        SH.languageIn,
        SH.uniqueLang,
        SH.minInclusive,
        SH.maxInclusive,
        SH.minExclusive,
        SH.maxExclusive,
        SH.minLength,
        SH.maxLength,
        SH.qualifiedValueShape,
        SH.qualifiedMinCount,
        SH.qualifiedMaxCount,
        SH.sparql,
        SH.severity,
        SH.message,
        SH.name,
        SH.description,
        SH.deactivated,
        SH.order,
        SH.group,
        SH.declare,
        SH.prefixes,
        SH.prefix,
        SH.namespace,
        SH.select,
    }
)

#: Constraint parameters that test each value node on its own.
_VALUE_PARAMETERS = frozenset(
    {
        SH["class"],
        SH.datatype,
        SH.nodeKind,
        SH["in"],
        SH.pattern,
        SH.languageIn,
        SH.minInclusive,
        SH.maxInclusive,
        SH.minExclusive,
        SH.maxExclusive,
        SH.minLength,
        SH.maxLength,
        SH.node,
        SH["not"],
        SH["or"],
        SH["and"],
    }
)
#: Constraint parameters that only a property shape has (they look at all its values together).
_PROPERTY_PARAMETERS = frozenset({SH.minCount, SH.maxCount, SH.uniqueLang, SH.qualifiedValueShape})

_RDF_TYPE = str(RDF.type)
_SUBCLASS = str(RDFS.subClassOf)
_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)
#: Datatypes whose lexical forms rdflib checks, so that pyshacl reports ill-typed literals.
_CHECKED = {str(XSD[name]) for name in ("integer", "decimal", "float", "double", "boolean", "date", "time", "dateTime")}


class Unsupported(InputError):
    """The shapes use a feature this engine does not compile; pyshacl handles it.

    ``feature`` names it (``sh:closed (on shape <...>)``, for example). It is an input error
    (exit code 2): the user asked the compiled engine to check shapes it cannot check.

    Examples
    --------
    >>> error = Unsupported("sh:closed")
    >>> error.feature
    'sh:closed'
    >>> print(error)  # doctest: +NORMALIZE_WHITESPACE
    the oxigraph validation engine does not handle sh:closed: validate with engine="pyshacl"
    (command line: --engine pyshacl), the reference SHACL engine
    """

    def __init__(self, feature: str) -> None:
        self.feature = feature
        super().__init__(
            f"the oxigraph validation engine does not handle {feature}: validate with "
            'engine="pyshacl" (command line: --engine pyshacl), the reference SHACL engine'
        )


def _name(node: object) -> str:
    """A shapes-graph term as a reader knows it: ``sh:closed``, a project CURIE, or ``<iri>``."""
    text = str(node)
    if text.startswith(str(SH)):
        return "sh:" + text[len(str(SH)) :]
    if isinstance(node, URIRef):
        short = curie(text)
        return short if short != text else f"<{text}>"
    return text if isinstance(node, Literal) else f"the blank node {text}"


@dataclass(frozen=True)
class Finding:
    """One validation result, as pyshacl would report it (messages keep their language)."""

    focus: object
    path: str | None
    component: str
    shape: Node
    severity: str
    value: object | None
    messages: tuple[Literal, ...]


@cache
def inoculated_ontology(ontology_nt: bytes) -> bytes:
    """The ontology triples pyshacl copies into the data graph (its "inoculation"), as N-Triples.

    pyshacl does not validate the data graph with its ``ont_graph`` mixed in wholesale: it
    copies the RDFS and OWL axioms (classes, properties, ``rdfs:subClassOf``...) but not, for
    example, the SKOS concept schemes. This calls pyshacl's own function on the ontology.
    """
    from pyshacl.rdfutil.inoculate import inoculate

    ontology = Graph()
    ontology.parse(data=ontology_nt, format="nt")
    target = Graph()
    # pyshacl 0.40 annotates its DataGraph wrapper, yet inoculate only calls the rdflib Graph API
    # (namespace_manager, add) and fills the graph in place; older pyshacl annotates rdflib.Graph
    inoculate(target, ontology)  # type: ignore[arg-type, unused-ignore]
    return target.serialize(format="nt", encoding="utf-8")


# -- SPARQL text ------------------------------------------------------------------------------------
def _sparql_term(node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise Unsupported(f"{_name(node)} used as a constant")


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


class _Names:
    """Fresh SPARQL variable names."""

    def __init__(self) -> None:
        self._counter = itertools.count()

    def __call__(self, stem: str = "v") -> str:
        return f"?_{stem}{next(self._counter)}"


@dataclass
class _Shape:
    node: Node
    params: dict[URIRef, list[Node]] = field(default_factory=dict)

    def one(self, predicate: URIRef) -> Node | None:
        values = self.params.get(predicate, [])
        if len(values) > 1:
            raise Unsupported(f"several {_name(predicate)} on the shape {_name(self.node)}")
        return values[0] if values else None

    def all(self, predicate: URIRef) -> list[Node]:
        return self.params.get(predicate, [])

    @property
    def path(self) -> URIRef | None:
        path = self.one(SH.path)
        if path is not None and not isinstance(path, URIRef):
            raise Unsupported(f"a property path (sh:path other than one IRI) on the shape {_name(self.node)}")
        return path

    @property
    def deactivated(self) -> bool:
        value = self.one(SH.deactivated)
        return isinstance(value, Literal) and value.toPython() is True


@dataclass(frozen=True)
class _Check:
    """One compiled query: its rows are (focus, value) pairs that break one constraint."""

    shape: Node
    component: str
    query: str
    value_column: int | None  # which column holds sh:value (0: the focus node itself)
    path: str | None
    severity: str
    messages: tuple[Literal, ...]


class CompiledShapes:
    """A shapes graph compiled to SPARQL queries (:func:`compile_shapes`); :meth:`run` validates a store."""

    def __init__(self, shapes: Graph) -> None:
        self.graph = shapes
        self._shapes: dict[Node, _Shape] = {}
        self._names = _Names()
        self._classes: dict[str, str] = {}  # class IRI -> placeholder for its subclasses
        self._read()
        self.checks: tuple[_Check, ...] = tuple(self._compile())

    # -- reading the shapes graph -------------------------------------------------------------------
    def _read(self) -> None:
        g = self.graph
        candidates: set[Node] = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
        for predicate in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.path):
            candidates |= set(g.subjects(predicate, None))
        for predicate in (SH.property, SH.node, SH["not"], SH.qualifiedValueShape):
            candidates |= set(g.objects(None, predicate))
        for predicate in (SH["or"], SH["and"], SH.xone):
            for head in g.objects(None, predicate):
                candidates |= set(Collection(g, head))
        for node in candidates:
            if (node, RDF.type, RDFS.Class) in g or (node, RDF.type, OWL.Class) in g:
                raise Unsupported(f"an implicit class target (shape {_name(node)} is also a class)")
            shape = _Shape(node)
            for p, o in g.predicate_objects(node):
                if str(p).startswith(str(SH)):
                    if p not in SUPPORTED:
                        raise Unsupported(f"{_name(p)} (on the shape {_name(node)})")
                    shape.params.setdefault(p, []).append(o)  # type: ignore[arg-type]
            self._shapes[node] = shape
        if any(g.triples((None, SH.target, None))) or any(g.triples((None, SH.rule, None))):
            raise Unsupported("SHACL-AF targets or rules (sh:target, sh:rule)")

    def _subclasses(self, cls: Node) -> str:
        """A placeholder for the class and its subclasses, filled in from the data by :meth:`run`.

        The subclasses come from the data graph (with the ontology's axioms), as with
        ``rdf:type/rdfs:subClassOf*``, but are looked up once per class instead of once per node.
        """
        if not isinstance(cls, URIRef):
            raise Unsupported(f"sh:class {_name(cls)}, which is not an IRI")
        return self._classes.setdefault(str(cls), f"__SUBCLASSES_{len(self._classes)}__")

    def _shape(self, node: Node) -> _Shape:
        try:
            return self._shapes[node]
        except KeyError:
            raise Unsupported(f"a reference to {_name(node)}, which is not a shape it can read") from None

    def _list(self, head: Node) -> list[Node]:
        return list(Collection(self.graph, head))

    def _messages(self, shape: _Shape) -> tuple[Literal, ...]:
        messages = tuple(m for m in shape.all(SH.message) if isinstance(m, Literal))
        if not messages:
            raise Unsupported(f"a shape without sh:message ({_name(shape.node)}; pyshacl makes one up)")
        return messages

    def _severity(self, shape: _Shape) -> str:
        severity = shape.one(SH.severity)
        return str(severity) if severity is not None else str(SH.Violation)

    # -- conditions on one node ------------------------------------------------------------------------
    def _conforms(self, node: Node, var: str, stack: tuple[Node, ...] = ()) -> str:
        """A SPARQL expression, never an error, true when the term in ``var`` conforms to a shape."""
        if node in stack:
            raise Unsupported(f"a recursive shape ({_name(node)})")
        shape = self._shape(node)
        if shape.deactivated:
            return "true"
        if shape.all(SH.sparql):
            raise Unsupported(f"sh:sparql in a nested shape ({_name(node)})")
        stack = stack + (node,)
        parts: list[str] = []
        path = shape.path
        if path is None:
            _no_property_parameters(shape)
            for predicate, values in shape.params.items():
                if predicate in _VALUE_PARAMETERS:
                    for value in values:
                        parts.append(self._value_condition(shape, predicate, value, var, stack))
            for prop in shape.all(SH.property):
                parts.append(self._conforms(prop, var, stack))
        else:
            if shape.all(SH.property):
                raise Unsupported(f"sh:property on a property shape ({_name(shape.node)})")
            parts.extend(self._property_conditions(shape, path, var, stack))
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def _property_conditions(self, shape: _Shape, path: URIRef, focus: str, stack: tuple[Node, ...]) -> list[str]:
        p = f"<{path}>"
        parts: list[str] = []
        for predicate, values in shape.params.items():
            for value in values:
                if predicate == SH.minCount:
                    n = int(value)  # type: ignore[call-overload]
                    if n > 0:
                        parts.append(f"EXISTS {{ {self._distinct_values(focus, p, n)} }}")
                elif predicate == SH.maxCount:
                    n = int(value)  # type: ignore[call-overload]
                    parts.append(f"NOT EXISTS {{ {self._distinct_values(focus, p, n + 1)} }}")
                elif predicate == SH.uniqueLang:
                    if _true(value):
                        parts.append(f"NOT EXISTS {{ {self._same_language(focus, p)} }}")
                elif predicate == SH.qualifiedValueShape:
                    parts.extend(self._qualified(shape, value, focus, p, stack))
                elif predicate in _VALUE_PARAMETERS:
                    v = self._names()
                    condition = self._value_condition(shape, predicate, value, v, stack)
                    parts.append(f"NOT EXISTS {{ {focus} {p} {v} . FILTER(!{condition}) }}")
        return parts

    def _distinct_values(self, focus: str, p: str, n: int) -> str:
        names = [self._names() for _ in range(n)]
        pattern = " . ".join(f"{focus} {p} {v}" for v in names)
        different = [f"!sameTerm({a}, {b})" for a, b in itertools.combinations(names, 2)]
        return pattern + (f" FILTER({' && '.join(different)})" if different else "")

    def _same_language(self, focus: str, p: str) -> str:
        a, b = self._names(), self._names()
        return (
            f"{focus} {p} {a} . {focus} {p} {b} . FILTER(!sameTerm({a}, {b}) && isLiteral({a}) && "
            f'isLiteral({b}) && LANG({a}) != "" && LCASE(LANG({a})) = LCASE(LANG({b})))'
        )

    def _qualified(self, shape: _Shape, qualified: Node, focus: str, p: str, stack: tuple[Node, ...]) -> list[str]:
        parts = []
        low = shape.one(SH.qualifiedMinCount)
        high = shape.one(SH.qualifiedMaxCount)
        if low is not None and int(low) > 0:  # type: ignore[call-overload]
            parts.append(f"EXISTS {{ {self._qualified_values(qualified, focus, p, int(low), stack)} }}")  # type: ignore[call-overload]
        if high is not None:
            parts.append(f"NOT EXISTS {{ {self._qualified_values(qualified, focus, p, int(high) + 1, stack)} }}")  # type: ignore[call-overload]
        return parts

    def _qualified_values(self, qualified: Node, focus: str, p: str, n: int, stack: tuple[Node, ...]) -> str:
        names = [self._names() for _ in range(n)]
        pattern = " . ".join(f"{focus} {p} {v}" for v in names)
        conditions = [self._conforms(qualified, v, stack) for v in names]
        conditions += [f"!sameTerm({a}, {b})" for a, b in itertools.combinations(names, 2)]
        return f"{pattern} FILTER({' && '.join(conditions)})"

    def _value_condition(self, shape: _Shape, predicate: URIRef, value: Node, x: str, stack: tuple[Node, ...]) -> str:
        """A condition, never an error, true when the value node ``x`` meets one constraint."""
        if predicate == SH["class"]:
            t = self._names("type")
            return (
                f"(!isLiteral({x}) && EXISTS {{ {x} <{_RDF_TYPE}> {t} . VALUES {t} {{ {self._subclasses(value)} }} }})"
            )
        if predicate == SH.datatype:
            return _datatype_condition(str(value), x)
        if predicate == SH.nodeKind:
            return _node_kind_condition(value, x)
        if predicate == SH["in"]:
            members = self._list(value)
            if not members:
                return "false"
            return "(" + " || ".join(f"sameTerm({x}, {_sparql_term(m)})" for m in members) + ")"
        if predicate == SH.pattern:
            flags = shape.one(SH.flags)
            regex = f"REGEX(STR({x}), {_string(str(value))}" + (f", {_string(str(flags))})" if flags else ")")
            try:
                re.compile(str(value))
            except re.error as exc:
                raise Unsupported(
                    f"sh:pattern {_name(value)}, which Python's regular expressions refuse ({exc})"
                ) from exc
            return f"(!isBlank({x}) && COALESCE({regex}, false))"
        if predicate == SH.languageIn:
            tags = {str(t).lower() for t in self._list(value)}
            if "*" in tags:
                return f'COALESCE(LANG({x}) != "", false)'
            listed = ", ".join(_string(t) for t in sorted(tags))
            if not listed:
                return "false"
            return (
                f'COALESCE(LANG({x}) != "" && (LCASE(LANG({x})) IN ({listed}) || '
                f'LCASE(STRBEFORE(CONCAT(LANG({x}), "-"), "-")) IN ({listed})), false)'
            )
        if predicate in (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive):
            operator = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}[
                predicate
            ]
            if not isinstance(value, Literal):
                raise Unsupported(
                    f"{_name(predicate)} with a bound that is not a literal (on the shape {_name(shape.node)})"
                )
            return f"(isLiteral({x}) && COALESCE({x} {operator} {_sparql_term(value)}, false))"
        if predicate in (SH.minLength, SH.maxLength):
            operator = ">=" if predicate == SH.minLength else "<="
            return f"(!isBlank({x}) && COALESCE(STRLEN(STR({x})) {operator} {int(value)}, false))"  # type: ignore[call-overload]
        if predicate == SH.node:
            return self._conforms(value, x, stack)
        if predicate == SH["not"]:
            return f"!{self._conforms(value, x, stack)}"
        if predicate == SH["or"]:
            options = [self._conforms(m, x, stack) for m in self._list(value)]
            return "(" + " || ".join(options) + ")" if options else "false"
        if predicate == SH["and"]:
            options = [self._conforms(m, x, stack) for m in self._list(value)]
            return "(" + " && ".join(options) + ")" if options else "true"
        raise Unsupported(f"{_name(predicate)} as a value constraint (on the shape {_name(shape.node)})")

    # -- the top-level checks -----------------------------------------------------------------------
    def _targets(self, shape: _Shape) -> list[str]:
        patterns = []
        for cls in shape.all(SH.targetClass):
            t = self._names("type")
            patterns.append(f"VALUES {t} {{ {self._subclasses(cls)} }} ?this <{_RDF_TYPE}> {t} .")
        for node in shape.all(SH.targetNode):
            patterns.append(f"VALUES ?this {{ {_sparql_term(node)} }}")
        for prop in shape.all(SH.targetSubjectsOf):
            patterns.append(f"?this {_sparql_term(prop)} [] .")
        for prop in shape.all(SH.targetObjectsOf):
            patterns.append(f"[] {_sparql_term(prop)} ?this .")
        return patterns

    def _compile(self) -> Iterator[_Check]:
        # focus patterns of every shape evaluated at the top level: its own targets, and (for a
        # property shape) those of the node shapes holding it through sh:property
        focus: dict[Node, list[str]] = {}
        for node, shape in sorted(self._shapes.items(), key=lambda kv: str(kv[0])):
            own = self._targets(shape)
            if own and not shape.deactivated:
                focus.setdefault(node, []).extend(own)
        changed = True
        while changed:
            changed = False
            for node in list(focus):
                for prop in self._shape(node).all(SH.property):
                    if self._shape(prop).deactivated:
                        continue
                    known = focus.setdefault(prop, [])
                    for pattern in focus[node]:
                        if pattern not in known:
                            known.append(pattern)
                            changed = True
        for node in sorted(focus, key=str):
            shape = self._shape(node)
            union = " UNION ".join("{ " + p + " }" for p in focus[node])
            focus_pattern = f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"
            yield from self._checks(shape, focus_pattern)

    def _check(
        self,
        shape: _Shape,
        component: URIRef,
        query: str,
        *,
        value_column: int | None,
        messages: tuple[Literal, ...] | None = None,
    ) -> _Check:
        path = shape.path
        return _Check(
            shape.node,
            str(component),
            query,
            value_column,
            str(path) if path is not None else None,
            self._severity(shape),
            messages if messages is not None else self._messages(shape),
        )

    def _details(self, nested: Node, where: str, value: str, stack: tuple[Node, ...]) -> Iterator[_Check]:
        """The results of validating the values that fail ``sh:node nested`` against that shape.

        pyshacl attaches them to the sh:node result as ``sh:detail``; ptce-graph's reports
        have always listed them as results of their own, so this engine does too.
        """
        if nested in stack:
            raise Unsupported(f"a recursive shape ({_name(nested)})")
        shape = self._shape(nested)
        if shape.deactivated:
            return
        if shape.path is not None:
            raise Unsupported(f"sh:node pointing to a property shape ({_name(nested)})")
        parent = self._names("parent")  # the parent's focus variable, renamed inside the sub-select
        where = re.sub(r"\?this\b", parent, where)
        value = parent if value == "?this" else value
        focus = f"{{ SELECT DISTINCT ({value} AS ?this) WHERE {{ {where} }} }}"
        yield from self._checks(shape, focus, stack)
        for prop in shape.all(SH.property):
            if not self._shape(prop).deactivated:
                yield from self._checks(self._shape(prop), focus, stack + (nested,))

    def _checks(self, shape: _Shape, focus: str, outer: tuple[Node, ...] = ()) -> Iterator[_Check]:
        path = shape.path
        stack = outer + (shape.node,)
        if path is None:
            _no_property_parameters(shape)
            for predicate, values in sorted(shape.params.items()):
                if predicate not in _VALUE_PARAMETERS:
                    continue
                for value in values:
                    condition = self._value_condition(shape, predicate, value, "?this", stack)
                    where = f"{focus} FILTER(!{condition})"
                    yield self._check(shape, _component(predicate), f"SELECT ?this WHERE {{ {where} }}", value_column=0)
                    if predicate == SH.node:
                        yield from self._details(value, where, "?this", stack)
            for sparql in shape.all(SH.sparql):
                yield self._sparql_check(shape, sparql, focus)
            return
        p = f"<{path}>"
        for predicate, values in sorted(shape.params.items()):
            for value in values:
                if predicate == SH.minCount:
                    n = int(value)  # type: ignore[call-overload]
                    if n > 0:
                        yield self._check(
                            shape,
                            SH.MinCountConstraintComponent,
                            f"SELECT ?this WHERE {{ {focus} "
                            f"FILTER NOT EXISTS {{ {self._distinct_values('?this', p, n)} }} }}",
                            value_column=None,
                        )
                elif predicate == SH.maxCount:
                    n = int(value)  # type: ignore[call-overload]
                    yield self._check(
                        shape,
                        SH.MaxCountConstraintComponent,
                        f"SELECT ?this WHERE {{ {focus} "
                        f"?this {p} ?value }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {n})",
                        value_column=None,
                    )
                elif predicate == SH.uniqueLang:
                    if _true(value):
                        a, b = self._names(), self._names()
                        yield self._check(
                            shape,
                            SH.UniqueLangConstraintComponent,
                            f"SELECT DISTINCT ?this "
                            f"(LCASE(LANG({a})) AS ?language) WHERE {{ {focus} ?this {p} {a} . ?this {p} {b} . "
                            f"FILTER(!sameTerm({a}, {b}) && isLiteral({a}) && isLiteral({b}) && "
                            f'LANG({a}) != "" && LCASE(LANG({a})) = LCASE(LANG({b}))) }}',
                            value_column=None,
                        )
                elif predicate == SH.qualifiedValueShape:
                    low, high = shape.one(SH.qualifiedMinCount), shape.one(SH.qualifiedMaxCount)
                    if low is not None and int(low) > 0:  # type: ignore[call-overload]
                        inner = self._qualified_values(value, "?this", p, int(low), stack)  # type: ignore[call-overload]
                        yield self._check(
                            shape,
                            SH.QualifiedMinCountConstraintComponent,
                            f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ {inner} }} }}",
                            value_column=None,
                        )
                    if high is not None:
                        inner = self._qualified_values(value, "?this", p, int(high) + 1, stack)  # type: ignore[call-overload]
                        yield self._check(
                            shape,
                            SH.QualifiedMaxCountConstraintComponent,
                            f"SELECT ?this WHERE {{ {focus} FILTER EXISTS {{ {inner} }} }}",
                            value_column=None,
                        )
                elif predicate in _VALUE_PARAMETERS:
                    condition = self._value_condition(shape, predicate, value, "?value", stack)
                    where = f"{focus} ?this {p} ?value . FILTER(!{condition})"
                    yield self._check(
                        shape,
                        _component(predicate),
                        f"SELECT DISTINCT ?this ?value WHERE {{ {where} }}",
                        value_column=1,
                    )
                    if predicate == SH.node:
                        yield from self._details(value, where, "?value", stack)
        for prop in shape.all(SH.property):
            raise Unsupported(f"sh:property on a property shape ({_name(shape.node)} holds {_name(prop)})")
        for sparql in shape.all(SH.sparql):
            yield self._sparql_check(shape, sparql, focus)

    def _sparql_check(self, shape: _Shape, constraint: Node, focus: str) -> _Check:
        g = self.graph
        allowed = {RDF.type, SH.select, SH.message, SH.prefixes, SH.deactivated, RDFS.comment, RDFS.label}
        for p in g.predicates(constraint, None):
            if p not in allowed:
                raise Unsupported(f"{_name(p)} on a SPARQL constraint (of the shape {_name(shape.node)})")
        select = g.value(constraint, SH.select)
        if select is None:
            raise Unsupported(f"a SPARQL constraint without sh:select (on the shape {_name(shape.node)})")
        text = str(select)
        code = re.sub(r'"(?:[^"\\]|\\.)*"' + r"|'(?:[^'\\]|\\.)*'", '""', text)  # without its strings
        if re.search(r"\$(?!this\b|PATH\b)\w+", code) or re.search(
            r"\b(OPTIONAL|MINUS|SERVICE|VALUES|SELECT\s.*SELECT)\b", code, re.IGNORECASE | re.DOTALL
        ):
            raise Unsupported(
                "a SPARQL constraint with pre-bound variables other than $this and $PATH, OPTIONAL, MINUS, "
                f"SERVICE, VALUES or a sub-select (on the shape {_name(shape.node)})"
            )
        path = shape.path
        if "$PATH" in text:
            if path is None:
                raise Unsupported(f"$PATH in the SPARQL constraint of a node shape ({_name(shape.node)})")
            text = text.replace("$PATH", f"<{path}>")
        text = text.replace("$this", "?this")
        match = re.search(r"\bWHERE\s*\{", text, re.IGNORECASE)
        if match is None or not re.match(r"\s*SELECT\s+", text[: match.start()], re.IGNORECASE):
            raise Unsupported(
                f"a SPARQL constraint that is not a plain SELECT ... WHERE {{ }} (on the shape {_name(shape.node)})"
            )
        selects_value = bool(re.search(r"\?value\b", text[: match.start()]))  # a result may have no value
        body = text[match.end() :].rstrip()
        if not body.endswith("}"):
            raise Unsupported(
                f"a SPARQL constraint with modifiers after WHERE {{ }} (on the shape {_name(shape.node)})"
            )
        prologue = "".join(
            f"PREFIX {g.value(d, SH.prefix)}: <{g.value(d, SH.namespace)}>\n"
            for holder in g.objects(constraint, SH.prefixes)
            for d in g.objects(holder, SH.declare)
        )
        columns = "?this ?value" if selects_value else "?this"
        query = f"{prologue}SELECT DISTINCT {columns} WHERE {{ {focus} {{ {body} }}"
        messages = tuple(m for m in g.objects(constraint, SH.message) if isinstance(m, Literal))
        own = tuple(m for m in shape.all(SH.message) if isinstance(m, Literal))
        if not own and not messages:
            raise Unsupported(f"a SPARQL constraint without sh:message (on the shape {_name(shape.node)})")
        return self._check(
            shape,
            SH.SPARQLConstraintComponent,
            query,
            value_column=1 if selects_value else None,
            messages=own + tuple(m for m in messages if m not in own),
        )

    # -- running -----------------------------------------------------------------------------------------
    def run(
        self, store: ox.Store, *, threads: int | None = None, timings: list[tuple[float, _Check]] | None = None
    ) -> list[Finding]:
        """Every result of the shapes on the store's default graph.

        Parameters
        ----------
        store
            The data graph, with the ontology axioms pyshacl would mix in (see
            :func:`inoculated_ontology`).
        threads
            How many checks run at once (Oxigraph evaluates queries without holding
            Python's lock); default: the number of CPUs.
        timings
            If given, receives ``(seconds, check)`` for every check.

        Raises
        ------
        Unsupported
            If Oxigraph refuses a compiled query (for example a regular expression it does
            not support): pyshacl handles these shapes.
        """
        closure = {}
        for cls, placeholder in self._classes.items():
            rows = store.query(f"SELECT DISTINCT ?c WHERE {{ ?c <{_SUBCLASS}>* <{cls}> }}")
            assert isinstance(rows, ox.QuerySolutions)
            closure[placeholder] = " ".join(str(row[0]) for row in rows if isinstance(row[0], ox.NamedNode))
        marker = re.compile(r"__SUBCLASSES_\d+__")

        def one(check: _Check) -> tuple[float, list[Finding]]:
            query = marker.sub(lambda m: closure[m.group(0)], check.query)
            started = time.perf_counter()
            try:
                solutions = store.query(query)
                assert isinstance(solutions, ox.QuerySolutions)
                rows = list(solutions)
            except (SyntaxError, OSError, ValueError) as exc:
                raise Unsupported(
                    f"a constraint of the shape {_name(check.shape)} that Oxigraph cannot run ({exc})"
                ) from exc
            found = [
                Finding(
                    row[0],
                    check.path,
                    check.component,
                    check.shape,
                    check.severity,
                    None if check.value_column is None else row[check.value_column],
                    check.messages,
                )
                for row in rows
            ]
            return time.perf_counter() - started, found

        workers = max(1, threads if threads is not None else (os.cpu_count() or 1))
        # the slowest checks first, so that the threads finish together; results keep check order
        order = sorted(range(len(self.checks)), key=lambda i: -_cost(self.checks[i]))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            done = dict(zip(order, pool.map(one, (self.checks[i] for i in order))))
        findings: list[Finding] = []
        for index, check in enumerate(self.checks):
            seconds, found = done[index]
            findings.extend(found)
            if timings is not None:
                timings.append((seconds, check))
        return findings


def _cost(check: _Check) -> int:
    """A rough guess of how long a check takes (longer queries join more)."""
    return len(check.query)


def _no_property_parameters(shape: _Shape) -> None:
    for predicate in _PROPERTY_PARAMETERS:
        if shape.all(predicate):
            raise Unsupported(f"{_name(predicate)} on a node shape ({_name(shape.node)})")


def _true(value: Node) -> bool:
    return isinstance(value, Literal) and value.toPython() is True


def _component(predicate: URIRef) -> URIRef:
    name = str(predicate).rsplit("#", 1)[1]
    special = {"class": "Class", "in": "In", "or": "Or", "and": "And", "not": "Not", "node": "Node"}
    stem = special.get(name, name[0].upper() + name[1:])
    return SH[f"{stem}ConstraintComponent"]


def _datatype_condition(datatype: str, x: str) -> str:
    if datatype == str(RDFS.Literal):
        return f"isLiteral({x})"
    if datatype == _LANG_STRING:
        return f'(isLiteral({x}) && LANG({x}) != "")'
    if datatype == str(RDFS.Datatype):
        return f"isLiteral({x})"
    same = f"(isLiteral({x}) && sameTerm(DATATYPE({x}), <{datatype}>)"
    if datatype in _CHECKED:  # well-formed: the cast of its lexical form succeeds
        return same + f" && COALESCE(sameTerm(DATATYPE(<{datatype}>(STR({x}))), <{datatype}>), false))"
    return same + ")"


def _node_kind_condition(kind: Node, x: str) -> str:
    conditions = {
        SH.IRI: f"isIRI({x})",
        SH.Literal: f"isLiteral({x})",
        SH.BlankNode: f"isBlank({x})",
        SH.BlankNodeOrIRI: f"(isBlank({x}) || isIRI({x}))",
        SH.BlankNodeOrLiteral: f"(isBlank({x}) || isLiteral({x}))",
        SH.IRIOrLiteral: f"(isIRI({x}) || isLiteral({x}))",
    }
    try:
        return conditions[kind]  # type: ignore[index]
    except KeyError:
        raise Unsupported(f"sh:nodeKind {_name(kind)}") from None


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """Compile a shapes graph; raises :class:`Unsupported`, naming the feature, when one is not handled."""
    return CompiledShapes(shapes)
