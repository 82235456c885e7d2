"""SHACL validation with pyshacl: the report is a value, in plain language, never an exception."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Literal as TypingLiteral

from pyshacl import validate as pyshacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SH
from rdflib.term import Node

from .namespaces import PREFIXES, bind_prefixes
from .rdfio import parse_rdf_file
from .resources import shape_files
from .vocabulary import ontology_graph

__all__ = ["Severity", "ValidationResult", "ValidationReport", "validate", "shapes_graph"]

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


def _curie(node: Node | None) -> str | None:
    if node is None:
        return None
    text = str(node)
    if isinstance(node, URIRef):
        for prefix, iri in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if text.startswith(iri) and prefix not in ("rdf",):
                return f"{prefix}:{text[len(iri):]}"
    return text


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
    ``passes(fail_on)`` is what the command line uses for its exit code.
    """

    conforms: bool
    results: tuple[ValidationResult, ...]
    graph: Graph = field(repr=False, compare=False)

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
        return (f"{self.violations} violation(s), {self.warnings} warning(s), {self.infos} info(s)"
                + (" - conforms" if self.conforms else ""))

    def to_text(self, *, language: str = "en") -> str:
        """The report in plain language, one result per line, most severe first."""
        lines = [self.summary()]
        for r in self.results:
            message = r.message_fr if language == "fr" else r.message_en
            label = f" ({r.focus_label})" if r.focus_label else ""
            where = f" [{r.path}]" if r.path else ""
            value = f" value: {r.value}" if r.value is not None else ""
            lines.append(f"{r.severity:9} {r.focus}{label}{where}: {message}{value}  <{r.shape}>")
        return "\n".join(lines)

    def to_json(self) -> str:
        """The report as JSON: counts and the list of results."""
        return json.dumps({
            "conforms": self.conforms,
            "violations": self.violations,
            "warnings": self.warnings,
            "infos": self.infos,
            "results": [asdict(r) for r in self.results],
        }, ensure_ascii=False, indent=2)

    def to_turtle(self) -> str:
        """The SHACL validation report graph, in Turtle."""
        return bind_prefixes(self.graph).serialize(format="turtle")


def _messages(report: Graph, result: Node) -> tuple[str, str]:
    by_lang: dict[str | None, str] = {}
    for message in report.objects(result, SH.resultMessage):
        if isinstance(message, Literal):
            by_lang.setdefault(message.language, str(message))
    english = by_lang.get("en") or by_lang.get(None) or next(iter(by_lang.values()), "")
    french = by_lang.get("fr") or english
    return english, french


def validate(graph: Graph, *, shapes: Graph | None = None, ontology: Graph | None = None) -> ValidationReport:
    """Validate ``graph`` against the shapes, with the ontology and code lists as background.

    The user's graph is never modified (pyshacl works on a copy when the ontology is mixed
    in). No inference is run: ``sh:class`` follows the ``rdfs:subClassOf`` triples of the
    ontology.

    Examples
    --------
    >>> from ptce_graph import load
    >>> report = validate(load())
    >>> report.violations, report.passes()
    (0, True)
    """
    conforms, report_graph, _ = pyshacl_validate(
        graph,
        shacl_graph=shapes if shapes is not None else _shapes(),
        ont_graph=ontology if ontology is not None else ontology_graph(),
        inference="none",
        advanced=True,
        allow_warnings=False,
        allow_infos=False,
    )
    results = []
    for result in report_graph.subjects(SH.resultSeverity, None):
        severity = report_graph.value(result, SH.resultSeverity)
        focus = report_graph.value(result, SH.focusNode)
        label = graph.value(focus, RDFS.label) if focus is not None else None
        english, french = _messages(report_graph, result)
        name = str(severity).rsplit("#", 1)[-1]
        results.append(ValidationResult(
            severity=name if name in _SEVERITY_ORDER else "Violation",  # type: ignore[arg-type]
            focus=_curie(focus) or "",
            path=_curie(report_graph.value(result, SH.resultPath)),
            shape=_curie(report_graph.value(result, SH.sourceShape)) or "",
            component=_curie(report_graph.value(result, SH.sourceConstraintComponent)) or "",
            value=_curie(report_graph.value(result, SH.value)),
            focus_label=str(label) if label is not None else None,
            message_en=english,
            message_fr=french,
        ))
    results.sort(key=lambda r: (_SEVERITY_ORDER[r.severity], r.focus, r.path or "", r.shape, r.value or ""))
    return ValidationReport(conforms=bool(conforms), results=tuple(dict.fromkeys(results)), graph=report_graph)
