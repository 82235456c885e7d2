"""SHACL validation: the report is a value, in plain language, never an exception.

Two engines give the same results (the tests check it), and the caller chooses one:

* ``oxigraph`` (the default): the shapes compiled to SPARQL and run on the embedded Oxigraph
  store (:mod:`.shacl_sparql`): seconds for a million triples;
* ``pyshacl``: the reference SHACL engine, about 250 times slower on the project's shapes.

There is no automatic choice between them. The compiled engine handles the SHACL features
the shipped shapes use; given shapes with another one (``sh:closed``, a property path...),
it raises :class:`~.shacl_sparql.Unsupported`, which names the feature and says to use
``engine="pyshacl"``. Falling back silently would make the same command run seconds or
hours, and report with one engine or the other, depending on the shapes; a third ``auto``
engine would only move that choice out of sight. The report names the engine that ran
(``ValidationReport.engine``, and in its text and JSON).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Literal as TypingLiteral

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from ptce_graph.check.engines import DEFAULT_ENGINE, ENGINES, Engine
from ptce_graph.check.shacl_sparql import CompiledShapes, Finding, Unsupported, compile_shapes, inoculated_ontology
from ptce_graph.errors import InputError
from ptce_graph.graph import PtceGraph
from ptce_graph.io.ntriples import NTriples
from ptce_graph.io.offline import keep_rdflib_sparql_offline
from ptce_graph.io.rdf import ox_to_rdflib, parse_rdf_file
from ptce_graph.io.vocabulary import ontology_graph, ontology_ntriples
from ptce_graph.model.namespaces import bind_prefixes, curie
from ptce_graph.resources import shape_files

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "Engine",
    "Severity",
    "Unsupported",
    "ValidationReport",
    "ValidationResult",
    "shapes_graph",
    "validate",
]

Severity = TypingLiteral["Violation", "Warning", "Info"]
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@cache
def _shapes() -> Graph:
    graph = bind_prefixes(Graph(bind_namespaces="none"))
    for path in shape_files():
        graph += parse_rdf_file(path)
    return graph


def shapes_graph() -> Graph:
    """A copy of every shape of ``shapes/`` in one graph."""
    copy = bind_prefixes(Graph(bind_namespaces="none"))
    copy += _shapes()
    return copy


@cache
def _compiled_shipped() -> CompiledShapes:
    return compile_shapes(_shapes())


def _curie(node: Node | None) -> str | None:
    if node is None:
        return None
    return curie(str(node)) if isinstance(node, URIRef) else str(node)


@dataclass(frozen=True, order=True)
class ValidationResult:
    """One SHACL result, with everything needed to find and fix it."""

    severity: Severity
    focus: str
    path: str | None
    shape: str
    component: str
    value: str | None
    focus_label: str | None
    message_en: str
    message_fr: str

    def __str__(self) -> str:
        label = f" ({self.focus_label})" if self.focus_label else ""
        path = f" {self.path}:" if self.path else ":"
        return f"[{self.severity}] {self.focus}{label}{path} {self.message_en}"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating a graph against ``shapes/`` with the ontology.

    ``conforms`` follows SHACL: true only when there is no result of any severity.
    ``passes(fail_on)`` is what the command line uses for its exit code. ``graph`` is the
    SHACL validation report as an RDF graph (made when first asked for). ``engine`` is the
    engine that ran (:data:`ENGINES`); two reports with the same results are equal whichever
    engine made them.
    """

    conforms: bool
    results: tuple[ValidationResult, ...]
    report_graph: Graph | Callable[[], Graph] | None = field(default=None, repr=False, compare=False)
    engine: Engine = field(default=DEFAULT_ENGINE, compare=False)

    @property
    def graph(self) -> Graph:
        """The SHACL validation report graph (``sh:ValidationReport`` and its results)."""
        made = self.report_graph
        if callable(made):
            made = made()
            object.__setattr__(self, "report_graph", made)
        if made is None:
            made = _report_graph(self.conforms, ())
            object.__setattr__(self, "report_graph", made)
        return made

    def count(self, severity: Severity) -> int:
        """How many results have this severity."""
        return sum(1 for r in self.results if r.severity == severity)

    @property
    def violations(self) -> int:
        """Number of Violation-level results."""
        return self.count("Violation")

    @property
    def warnings(self) -> int:
        """Number of Warning-level results."""
        return self.count("Warning")

    @property
    def infos(self) -> int:
        """Number of Info-level results."""
        return self.count("Info")

    def passes(self, fail_on: Severity = "Violation") -> bool:
        """Whether no result is at least as severe as ``fail_on``."""
        limit = _SEVERITY_ORDER[fail_on]
        return all(_SEVERITY_ORDER[r.severity] > limit for r in self.results)

    def summary(self) -> str:
        """One line: the counts per severity."""
        return f"{self.violations} violation(s), {self.warnings} warning(s), {self.infos} info(s)" + (
            " - conforms" if self.conforms else ""
        )

    def to_text(self, *, language: str = "en") -> str:
        """The report in plain language: the counts, the engine, then one result per line, most
        severe first."""
        lines = [self.summary(), f"engine: {self.engine}"]
        for r in self.results:
            message = r.message_fr if language == "fr" else r.message_en
            label = f" ({r.focus_label})" if r.focus_label else ""
            where = f" [{r.path}]" if r.path else ""
            value = f" value: {r.value}" if r.value is not None else ""
            lines.append(f"{r.severity:9} {r.focus}{label}{where}: {message}{value}  <{r.shape}>")
        return "\n".join(lines)

    def to_json(self) -> str:
        """The report as JSON: the engine, the counts and the list of results."""
        return json.dumps(
            {
                "engine": self.engine,
                "conforms": self.conforms,
                "violations": self.violations,
                "warnings": self.warnings,
                "infos": self.infos,
                "results": [asdict(r) for r in self.results],
            },
            ensure_ascii=False,
            indent=2,
        )

    def to_turtle(self) -> str:
        """The SHACL validation report graph, in Turtle."""
        return bind_prefixes(self.graph).serialize(format="turtle")


def _messages(report: Graph, result: Node, shapes: Graph | None = None) -> tuple[str, str]:
    by_lang: dict[str | None, str] = {}
    for message in report.objects(result, SH.resultMessage):
        if isinstance(message, Literal):
            by_lang.setdefault(message.language, str(message))
    if shapes is not None and set(by_lang) <= {None}:
        # pyshacl drops the language tags of SHACL-SPARQL results: take the shape's own messages
        for message in shapes.objects(report.value(result, SH.sourceShape), SH.message):
            if isinstance(message, Literal) and message.language:
                by_lang.setdefault(message.language, str(message))
    english = by_lang.get("en") or by_lang.get(None) or next(iter(by_lang.values()), "")
    french = by_lang.get("fr") or english
    return english, french


def _result_key(r: ValidationResult) -> tuple[int, str, str, str, str, str, str]:
    return (_SEVERITY_ORDER[r.severity], r.focus, r.path or "", r.shape, r.value or "", r.component, r.message_en)


def _label_rank(label: ox.Literal) -> tuple[int, str]:
    order = {"fr": 0, None: 1, "en": 2}
    return (order.get(label.language, 3), label.value)


def _preferred_label(graph: Graph, focus: Node | None) -> str | None:
    """The same choice as :func:`_labels`, on an rdflib graph."""
    if focus is None:
        return None
    candidates = [
        (_label_rank(ox.Literal(str(v), language=v.language) if v.language else ox.Literal(str(v))), str(v))
        for v in graph.objects(focus, RDFS.label)
        if isinstance(v, Literal)
    ]
    return min(candidates)[1] if candidates else None


def _labels(store: ox.Store, focus: set[object]) -> dict[object, str]:
    """The label of each focus node: its French ``rdfs:label``, else untagged, else English, else any."""
    best: dict[object, ox.Literal] = {}
    label = ox.NamedNode(str(RDFS.label))
    for quad in store.quads_for_pattern(None, label, None, ox.DefaultGraph()):
        subject, value = quad.subject, quad.object
        if subject in focus and isinstance(value, ox.Literal):
            known = best.get(subject)
            if known is None or (_label_rank(value), value.value) < (_label_rank(known), known.value):
                best[subject] = value
    return {node: literal.value for node, literal in best.items()}


def _report_graph(conforms: bool, findings: Iterable[Finding]) -> Graph:
    graph = bind_prefixes(Graph(bind_namespaces="none"))
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(conforms)))
    seen = set()
    for f in findings:
        key = (f.focus, f.path, f.component, f.shape, f.value)
        if key in seen:
            continue
        seen.add(key)
        node = BNode()
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, ox_to_rdflib(f.focus)))
        if f.path is not None:
            graph.add((node, SH.resultPath, URIRef(f.path)))
        if f.value is not None:
            graph.add((node, SH.value, ox_to_rdflib(f.value)))
        graph.add((node, SH.sourceShape, f.shape))
        graph.add((node, SH.sourceConstraintComponent, URIRef(f.component)))
        graph.add((node, SH.resultSeverity, URIRef(f.severity)))
        for message in f.messages:
            graph.add((node, SH.resultMessage, message))
    return graph


def _from_findings(findings: list[Finding], labels: dict[object, str]) -> tuple[ValidationResult, ...]:
    results = []
    for f in findings:
        by_lang: dict[str | None, str] = {}
        for message in f.messages:
            by_lang.setdefault(message.language, str(message))
        english = by_lang.get("en") or by_lang.get(None) or next(iter(by_lang.values()), "")
        name = f.severity.rsplit("#", 1)[-1]
        results.append(
            ValidationResult(
                severity=name if name in _SEVERITY_ORDER else "Violation",  # type: ignore[arg-type]
                focus=_curie(ox_to_rdflib(f.focus)) or "",
                path=_curie(URIRef(f.path)) if f.path is not None else None,
                shape=_curie(f.shape) or "",
                component=_curie(URIRef(f.component)) or "",
                value=_curie(ox_to_rdflib(f.value)) if f.value is not None else None,
                focus_label=labels.get(f.focus),
                message_en=english,
                message_fr=by_lang.get("fr") or english,
            )
        )
    results.sort(key=_result_key)
    return tuple(dict.fromkeys(results))


def _validate_compiled(data: bytes, compiled: CompiledShapes, ontology_nt: bytes) -> ValidationReport:
    store = ox.Store()
    try:
        store.bulk_load(data, ox.RdfFormat.N_TRIPLES)
    except SyntaxError as exc:
        raise InputError(f"the graph is not valid RDF: {exc}") from exc
    store.bulk_load(inoculated_ontology(ontology_nt), ox.RdfFormat.N_TRIPLES)
    findings = compiled.run(store)
    labels = _labels(store, {f.focus for f in findings})
    conforms = not findings
    return ValidationReport(
        conforms=conforms,
        results=_from_findings(findings, labels),
        report_graph=lambda: _report_graph(conforms, findings),
        engine="oxigraph",
    )


def _validate_pyshacl(graph: Graph, shapes: Graph, ontology: Graph) -> ValidationReport:
    from pyshacl import validate as pyshacl_validate

    keep_rdflib_sparql_offline()

    conforms, report_graph, _ = pyshacl_validate(
        graph,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=False,
        allow_infos=False,
    )
    results = []
    for result in report_graph.subjects(SH.resultSeverity, None):
        severity = report_graph.value(result, SH.resultSeverity)
        focus = report_graph.value(result, SH.focusNode)
        label = _preferred_label(graph, focus)
        english, french = _messages(report_graph, result, shapes)
        name = str(severity).rsplit("#", 1)[-1]
        results.append(
            ValidationResult(
                severity=name if name in _SEVERITY_ORDER else "Violation",  # type: ignore[arg-type]
                focus=_curie(focus) or "",
                path=_curie(report_graph.value(result, SH.resultPath)),
                shape=_curie(report_graph.value(result, SH.sourceShape)) or "",
                component=_curie(report_graph.value(result, SH.sourceConstraintComponent)) or "",
                value=_curie(report_graph.value(result, SH.value)),
                focus_label=str(label) if label is not None else None,
                message_en=english,
                message_fr=french,
            )
        )
    results.sort(key=_result_key)
    return ValidationReport(
        conforms=bool(conforms), results=tuple(dict.fromkeys(results)), report_graph=report_graph, engine="pyshacl"
    )


def validate(
    graph: PtceGraph | Graph | NTriples,
    *,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    engine: Engine = DEFAULT_ENGINE,
) -> ValidationReport:
    """Validate ``graph`` against the shapes, with the ontology and code lists as background.

    The user's graph is never modified. No inference is run: ``sh:class`` follows the
    ``rdfs:subClassOf`` triples of the ontology, which is mixed into (a copy of) the data
    graph the way pyshacl does it.

    Parameters
    ----------
    graph
        An rdflib graph, or the sorted N-Triples lines of one (what the build reads).
    shapes, ontology
        Other shapes or another ontology than the shipped ones.
    engine
        ``oxigraph`` (default): the shapes compiled to SPARQL on the embedded Oxigraph store;
        ``pyshacl``: pyshacl, the reference (slow on large graphs, but it handles all of
        SHACL Core and SHACL-SPARQL). Both give the same results on the shapes the compiled
        engine handles.

    Returns
    -------
    ValidationReport
        The results, with ``engine`` the engine that ran.

    Raises
    ------
    Unsupported
        With ``engine="oxigraph"``, when the shapes use a feature the compiled engine does not
        handle; the message names it (an :class:`~.errors.InputError`: exit code 2).
    InputError
        For an unknown engine, or data that is not valid RDF.

    Examples
    --------
    >>> from ptce_graph import load
    >>> report = validate(load())
    >>> report.violations, report.passes(), report.engine
    (0, True, 'oxigraph')
    >>> validate(Graph(), engine="auto")
    Traceback (most recent call last):
    ...
    ptce_graph.errors.InputError: unknown validation engine 'auto'; choose one of oxigraph, pyshacl
    """
    if isinstance(graph, PtceGraph):
        graph = graph.ntriples
    if engine not in ENGINES:
        raise InputError(f"unknown validation engine '{engine}'; choose one of {', '.join(ENGINES)}")
    if engine == "oxigraph":
        compiled = _compiled_shipped() if shapes is None else compile_shapes(shapes)
        data = graph.data() if isinstance(graph, NTriples) else NTriples.from_graph(graph).data()
        ontology_nt = ontology_ntriples() if ontology is None else NTriples.from_graph(ontology).data()
        return _validate_compiled(data, compiled, ontology_nt)
    rdf = graph.to_graph() if isinstance(graph, NTriples) else graph
    return _validate_pyshacl(
        rdf, shapes if shapes is not None else _shapes(), ontology if ontology is not None else ontology_graph()
    )
