"""SHACL shapes: every shape is documented, valid against SHACL-SHACL, and tested on data.

Shape tests are data (``tests/shapes/``): each case file is a Turtle snippet, and
``tests/shapes/expected.json`` lists, for each case, the shapes it tests and the exact set of
results those shapes must give, as (focus node, result path, constraint component, source
shape, severity) tuples. Messages are never compared. Results of shapes a case does not test
are ignored, so a snippet only needs what its shapes look at.

A case lists shapes by name; a node shape stands for itself and every shape it uses
(``sh:property``, ``sh:node``, ``sh:or``, ``sh:not``, ``sh:qualifiedValueShape``), so listing
``pgs:MembershipShape`` tests all its property shapes. Every named shape must appear in at
least one *valid* case (no results expected) and one *invalid* case (a result it is
responsible for is expected): adding a shape without cases fails
``test_every_shape_has_a_valid_and_an_invalid_case``.

The ontology and its SKOS schemes are passed to pyshacl as ``ont_graph``, with no inference,
as ``ptce_graph.check.validate`` does. This module does not import ``ptce_graph``.
"""

from __future__ import annotations

import csv
import importlib.resources
import json
import random
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import NamedTuple

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS, XSD

ROOT = Path(__file__).resolve().parents[2]
SHAPES_DIR = ROOT / "shapes"
ONTOLOGY_DIR = ROOT / "ontology"
CASES_DIR = ROOT / "tests" / "shapes" / "cases"
EXPECTED_FILE = ROOT / "tests" / "shapes" / "expected.json"
GEO_REFERENCE = ROOT / "data" / "reference" / "geo"

PGS = Namespace("https://w3id.org/ptce-graph/shapes#")
PTCE_NS = "https://w3id.org/ptce-graph/ontology#"
PGC_NS = "https://w3id.org/ptce-graph/concept/"

#: Severities allowed in each shapes file (STYLE.md point 4).
SEVERITIES_BY_FILE = {
    "core.ttl": {SH.Violation},
    "legal.ttl": {SH.Warning},
    "recommended.ttl": {SH.Warning, SH.Info},
}

#: The only shapes allowed to use SHACL-SPARQL: pyshacl parses their query once per focus
#: node, so each one must be justified (see shapes/README.md) and target few nodes.
SPARQL_SHAPES = {PGS["SirenLuhnShape"], PGS["SiretLuhnShape"], PGS["PeriodOrderShape"], PGS["LegalPTCE-otherPerson"]}
#: SPARQL constraints reached through a shape that targets PTCEs (one run per PTCE, a few hundred at
#: most): "member or partner" needs a union of two paths, which SHACL Core paths cannot say here.
PER_PTCE_SPARQL = {PGS["LegalPTCE-otherPerson"]}

#: Shape-to-shape references, and the constraint component a failure through each shows as.
REFERENCES = {
    SH.node: {SH.NodeConstraintComponent},
    SH.qualifiedValueShape: {SH.QualifiedMinCountConstraintComponent, SH.QualifiedMaxCountConstraintComponent},
    SH["not"]: {SH.NotConstraintComponent},
}
LIST_REFERENCES = {
    SH["or"]: {SH.OrConstraintComponent},
    SH["and"]: {SH.AndConstraintComponent},
    SH.xone: {SH.XoneConstraintComponent},
}

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


class Result(NamedTuple):
    """One validation result, reduced to what the tests compare."""

    focus: URIRef
    path: URIRef | None
    component: URIRef
    shape: URIRef
    severity: URIRef


# --------------------------------------------------------------------------------------------
# Loading


@cache
def shapes_graph() -> Graph:
    graph = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        graph.parse(path)
    return graph


@cache
def ontology_graph() -> Graph:
    files = [ONTOLOGY_DIR / "ptce.ttl", *sorted((ONTOLOGY_DIR / "schemes").glob("*.ttl"))]
    graph = Graph()
    for path in files:
        graph.parse(path)
    return graph


@cache
def expected() -> dict:
    with EXPECTED_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def expand(curie: str | None) -> URIRef | None:
    """Expand a CURIE of expected.json (its own prefix map; the local part may contain '/')."""
    if curie is None:
        return None
    prefix, sep, local = curie.partition(":")
    prefixes = expected()["prefixes"]
    if sep and prefix in prefixes:
        return URIRef(prefixes[prefix] + local)
    return URIRef(curie)


def shorten(term: URIRef | None) -> str | None:
    """The CURIE of ``term`` in expected.json's prefix map (for readable failure messages)."""
    if term is None:
        return None
    best = str(term)
    for prefix, namespace in expected()["prefixes"].items():
        if str(term).startswith(namespace) and len(str(term)) - len(namespace) + len(prefix) + 1 < len(best):
            best = f"{prefix}:{str(term)[len(namespace):]}"
    return best


def case_ids() -> list[str]:
    return list(expected()["cases"])


def run_pyshacl(data: Graph) -> Graph:
    _, report, _ = pyshacl.validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
    )
    return report


def results_of(report: Graph) -> set[Result]:
    found = set()
    for report_node in report.subjects(RDF.type, SH.ValidationReport):
        for node in report.objects(report_node, SH.result):
            path = report.value(node, SH.resultPath)
            assert path is None or isinstance(path, URIRef), f"result with a complex path {path!r}"
            found.add(
                Result(
                    report.value(node, SH.focusNode),
                    path,
                    report.value(node, SH.sourceConstraintComponent),
                    report.value(node, SH.sourceShape),
                    report.value(node, SH.resultSeverity),
                )
            )
    return found


def expected_results(case: dict) -> set[Result]:
    return {Result(*(expand(part) for part in row)) for row in case["results"]}


def show(results: Iterable[Result]) -> str:
    rows = sorted(json.dumps([shorten(part) for part in result], ensure_ascii=False) for result in results)
    return "\n".join(rows) or "(none)"


# --------------------------------------------------------------------------------------------
# The structure of the shapes graph


def named_shapes() -> list[URIRef]:
    graph = shapes_graph()
    shapes = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(RDF.type, SH.PropertyShape))
    return sorted(shape for shape in shapes if isinstance(shape, URIRef))


def references(shape: URIRef, predicates: Iterable[URIRef] | None = None) -> set:
    """Shapes that ``shape`` uses directly, through the given predicates (default: all)."""
    graph = shapes_graph()
    wanted = set(predicates) if predicates is not None else {SH.property, *REFERENCES, *LIST_REFERENCES}
    found = set()
    for predicate in wanted:
        for value in graph.objects(shape, predicate):
            if predicate in LIST_REFERENCES:
                found.update(Collection(graph, value))
            else:
                found.add(value)
    return found


def closure(shapes: Iterable) -> set:
    """``shapes`` and every shape they use, transitively."""
    seen: set = set()
    todo = list(shapes)
    while todo:
        shape = todo.pop()
        if shape not in seen:
            seen.add(shape)
            todo.extend(references(shape))
    return seen


def containers(shape: URIRef) -> set[URIRef]:
    """The node shapes that hold ``shape`` through sh:property, transitively."""
    graph = shapes_graph()
    found: set[URIRef] = set()
    todo = [shape]
    while todo:
        for holder in graph.subjects(SH.property, todo.pop()):
            if holder not in found:
                found.add(holder)
                todo.append(holder)
    return found


def responsible(result: Result) -> set:
    """The shapes a result counts for: its source shape, the node shapes holding it, and the
    helper shapes whose failure it reports (e.g. the sh:node shape of a NodeConstraint)."""
    used = set()
    for predicate, components in {**REFERENCES, **LIST_REFERENCES}.items():
        if result.component in components:
            used |= references(result.shape, [predicate])
    return {result.shape} | containers(result.shape) | closure(used)


def has_targets(shape: URIRef) -> bool:
    return any(True for predicate in TARGETS for _ in shapes_graph().objects(shape, predicate))


# --------------------------------------------------------------------------------------------
# Focus nodes (to check that valid cases really exercise what they claim)


def instances(data: Graph, cls: URIRef) -> set:
    classes = {cls}
    todo = [cls]
    while todo:
        for sub in data.subjects(RDFS.subClassOf, todo.pop()):
            if sub not in classes:
                classes.add(sub)
                todo.append(sub)
    return {node for c in classes for node in data.subjects(RDF.type, c)}


def focus_nodes(shape: URIRef, data: Graph) -> set:
    graph = shapes_graph()
    nodes: set = set()
    for cls in graph.objects(shape, SH.targetClass):
        nodes |= instances(data, cls)
    for node in graph.objects(shape, SH.targetNode):
        nodes.add(node)
    for prop in graph.objects(shape, SH.targetSubjectsOf):
        nodes |= set(data.subjects(prop, None))
    for prop in graph.objects(shape, SH.targetObjectsOf):
        nodes |= set(data.objects(None, prop))
    for holder in graph.subjects(SH.property, shape):
        nodes |= focus_nodes(holder, data)
    return nodes


# --------------------------------------------------------------------------------------------
# The cases


@pytest.mark.parametrize("case_file", case_ids())
def test_case(case_file: str) -> None:
    case = expected()["cases"][case_file]
    tested = closure(expand(name) for name in case["shapes"])
    data = Graph().parse(CASES_DIR / case_file)
    actual = {r for r in results_of(run_pyshacl(data)) if r.shape in tested}
    wanted = expected_results(case)
    assert actual == wanted, (
        f"\nmissing:\n{show(wanted - actual)}\nunexpected:\n{show(actual - wanted)}"
    )


def test_expected_json_and_case_files_agree() -> None:
    listed = set(case_ids())
    on_disk = {p.relative_to(CASES_DIR).as_posix() for p in CASES_DIR.rglob("*.ttl")}
    assert on_disk == listed, f"not in expected.json: {on_disk - listed}; missing files: {listed - on_disk}"
    shapes = set(named_shapes())
    for name, case in expected()["cases"].items():
        assert case.get("description"), f"{name}: no description"
        tested = closure(expand(s) for s in case["shapes"])
        for shape in case["shapes"]:
            assert expand(shape) in shapes, f"{name}: unknown shape {shape}"
        for row in case["results"]:
            assert len(row) == 5, f"{name}: {row} is not [focus, path, component, shape, severity]"
            result = Result(*(expand(part) for part in row))
            assert result.shape in tested, f"{name}: {row} comes from a shape the case does not test"
            assert result.severity in {SH.Violation, SH.Warning, SH.Info}, f"{name}: {row}"


def test_every_shape_has_a_valid_and_an_invalid_case() -> None:
    valid: set = set()
    invalid: set = set()
    for case in expected()["cases"].values():
        tested = closure(expand(name) for name in case["shapes"])
        results = expected_results(case)
        if results:
            for result in results:
                invalid |= responsible(result) & tested
        else:
            valid |= tested
    shapes = set(named_shapes())
    assert not shapes - valid, f"shapes without a valid case: {sorted(map(shorten, shapes - valid))}"
    assert not shapes - invalid, f"shapes without an invalid case: {sorted(map(shorten, shapes - invalid))}"


def test_valid_cases_exercise_their_shapes() -> None:
    """In a valid case, each targeted shape has focus nodes, and each property shape sees values."""
    graph = shapes_graph()
    idle = []
    for name, case in expected()["cases"].items():
        if case["results"]:
            continue
        data = Graph().parse(CASES_DIR / name) + ontology_graph()
        for shape in closure(expand(s) for s in case["shapes"]):
            reachable = has_targets(shape) or any(has_targets(h) for h in containers(shape))
            if not reachable:
                continue  # a helper: exercised through the shapes that use it
            nodes = focus_nodes(shape, data)
            path = graph.value(shape, SH.path)
            if not nodes:
                idle.append(f"{name}: {shorten(shape)} has no focus node")
            elif isinstance(path, URIRef) and not any(data.value(n, path) is not None for n in nodes):
                idle.append(f"{name}: {shorten(shape)} sees no value of {shorten(path)}")
    assert not idle, "\n".join(idle)


# --------------------------------------------------------------------------------------------
# The shapes themselves


def test_shapes_conform_to_shacl_shacl() -> None:
    """The shapes graph against the SHACL-SHACL shapes bundled with pyshacl (what meta_shacl=True does)."""
    shacl_shacl = Graph().parse(str(importlib.resources.files("pyshacl") / "assets" / "shacl-shacl.ttl"))
    conforms, _, text = pyshacl.validate(shapes_graph(), shacl_graph=shacl_shacl, inference="none")
    assert conforms, text


def test_no_blank_node_shapes() -> None:
    graph = shapes_graph()
    blank = {s for s in graph.subjects(RDF.type, SH.NodeShape) if isinstance(s, BNode)}
    blank |= {s for s in graph.subjects(RDF.type, SH.PropertyShape) if isinstance(s, BNode)}
    blank |= {s for s in graph.subjects(SH.path, None) if isinstance(s, BNode)}
    used: set = set()
    for shape in named_shapes():
        used |= references(shape)
    blank |= {s for s in used if isinstance(s, BNode)}
    assert not blank, f"{len(blank)} blank-node shapes"
    untyped = {s for s in used if s not in set(named_shapes())}
    assert not untyped, f"shapes used but not typed sh:NodeShape or sh:PropertyShape: {untyped}"


@pytest.mark.parametrize("shape", named_shapes(), ids=lambda s: shorten(s) or str(s))
def test_every_shape_is_documented(shape: URIRef) -> None:
    graph = shapes_graph()

    def languages(predicate: URIRef) -> list[str | None]:
        return [o.language for o in graph.objects(shape, predicate) if isinstance(o, Literal)]

    for predicate in (SH.message, SH.name, SH.description):
        langs = languages(predicate)
        assert sorted(filter(None, langs)) == ["en", "fr"] and len(langs) == 2, (
            f"{shorten(shape)}: {shorten(predicate)} must be given once in @fr and once in @en, got {langs}"
        )
    severities = list(graph.objects(shape, SH.severity))
    assert len(severities) == 1 and severities[0] in {SH.Violation, SH.Warning, SH.Info}, (
        f"{shorten(shape)}: needs exactly one explicit sh:severity, got {severities}"
    )


@pytest.mark.parametrize("file_name", sorted(SEVERITIES_BY_FILE))
def test_severities_match_the_file(file_name: str) -> None:
    graph = Graph().parse(SHAPES_DIR / file_name)
    found = {(s, o) for s, o in graph.subject_objects(SH.severity)}
    assert found, f"no shape in {file_name}"
    wrong = {(shorten(s), shorten(o)) for s, o in found if o not in SEVERITIES_BY_FILE[file_name]}
    assert not wrong, f"{file_name}: {sorted(wrong)}"


def test_shapes_files_are_the_known_ones() -> None:
    assert {p.name for p in SHAPES_DIR.glob("*.ttl")} == set(SEVERITIES_BY_FILE)


def test_sparql_is_used_only_where_justified() -> None:
    graph = shapes_graph()
    users = set(graph.subjects(SH.sparql, None))
    assert users == SPARQL_SHAPES
    for shape in users - PER_PTCE_SPARQL:
        # targets must be the subjects of one property: never a whole class
        assert list(graph.objects(shape, SH.targetSubjectsOf)), shorten(shape)
        assert not list(graph.objects(shape, SH.targetClass)), shorten(shape)
    for shape in PER_PTCE_SPARQL:
        parents = set(graph.subjects(SH.property, shape))
        assert parents and all(set(graph.objects(p, SH.targetClass)) == {URIRef(PTCE_NS + "PTCE")} for p in parents)


def test_year_datatypes_have_a_pattern() -> None:
    """rdflib does not check xsd:gYear / xsd:gYearMonth lexical forms: sh:pattern must."""
    graph = shapes_graph()
    for shape in graph.subjects(SH.datatype, None):
        if graph.value(shape, SH.datatype) in {XSD.gYear, XSD.gYearMonth}:
            assert graph.value(shape, SH.pattern) is not None, shorten(shape)


def test_no_string_enumeration_with_sh_in() -> None:
    """sh:in compares terms: it would reject "CC"^^xsd:string for "CC". Use sh:pattern."""
    graph = shapes_graph()
    for shape, members in graph.subject_objects(SH["in"]):
        assert all(isinstance(m, URIRef) for m in Collection(graph, members)), shorten(shape)


def test_project_terms_used_in_shapes_are_declared() -> None:
    ontology = ontology_graph()
    declared = set(ontology.subjects())
    used = {t for triple in shapes_graph() for t in triple if isinstance(t, URIRef) and str(t).startswith(PTCE_NS)}
    assert not used - declared, f"not in ontology/: {sorted(used - declared)}"
    concepts = {
        t for triple in shapes_graph() for t in triple if isinstance(t, URIRef) and str(t).startswith(PGC_NS)
    }
    assert not concepts - declared, f"not in ontology/schemes/: {sorted(concepts - declared)}"


def concept_helpers() -> list[URIRef]:
    graph = shapes_graph()
    return [s for s in named_shapes() if graph.value(s, SH["in"]) is not None and str(s).endswith("Concept")]


@pytest.mark.parametrize("helper", concept_helpers(), ids=lambda s: shorten(s) or str(s))
def test_concept_lists_equal_the_schemes(helper: URIRef) -> None:
    graph = shapes_graph()
    listed = set(Collection(graph, graph.value(helper, SH["in"])))
    scheme = graph.value(helper, RDFS.seeAlso)
    assert scheme is not None and str(scheme).startswith(PGC_NS), shorten(helper)
    if (scheme, RDF.type, SKOS.Collection) in ontology_graph():  # a part of a scheme, e.g. belonging roles
        in_scheme = set(ontology_graph().objects(scheme, SKOS.member))
    else:
        assert (scheme, RDF.type, SKOS.ConceptScheme) in ontology_graph()
        in_scheme = set(ontology_graph().subjects(SKOS.inScheme, scheme))
    assert listed == in_scheme, (
        f"{shorten(helper)} vs {shorten(scheme)}: only in shapes {sorted(map(shorten, listed - in_scheme))}, "
        f"only in ontology {sorted(map(shorten, in_scheme - listed))}"
    )


def test_concept_properties_of_the_ontology_are_all_checked() -> None:
    """Every object property whose range is skos:Concept (or a scheme) has a shape using it."""
    ontology = ontology_graph()
    graph = shapes_graph()
    paths = set(graph.objects(None, SH.path))
    candidates = {
        p
        for p in ontology.subjects(RDF.type, OWL.ObjectProperty)
        if str(p).startswith(PTCE_NS) and ontology.value(p, RDFS.range) == SKOS.Concept
    }
    assert not candidates - paths, f"concept-valued properties without a shape: {sorted(candidates - paths)}"


# --------------------------------------------------------------------------------------------
# Identifier formats against independent checks and the shipped reference files


def luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def siret_ok(digits: str) -> bool:
    """Luhn, or for La Poste (SIREN 356000000) a digit sum that is a multiple of 5: only La
    Poste's head office, 35600000000048, passes Luhn."""
    return luhn(digits) or (digits.startswith("356000000") and sum(map(int, digits)) % 5 == 0)


def sparql_of(constraint: URIRef, path: URIRef) -> str:
    """The query of a SPARQL constraint as pyshacl runs it, but for every focus node at once."""
    graph = shapes_graph()
    prologue = "".join(
        f"PREFIX {graph.value(d, SH.prefix)}: <{graph.value(d, SH.namespace)}>\n"
        for holder in graph.objects(constraint, SH.prefixes)
        for d in graph.objects(holder, SH.declare)
    )
    return prologue + str(graph.value(constraint, SH.select)).replace("$PATH", path.n3())


def flagged_by(constraint: str, path: URIRef, data: Graph) -> set:
    return {row[0] for row in data.query(sparql_of(PGS[constraint], path))}


def test_check_digit_queries_agree_with_luhn() -> None:
    """The SIREN / SIRET queries against a plain Luhn, on 1,000 random numbers (one query run)."""
    rng = random.Random(20141231)
    sirens = ["".join(rng.choice("0123456789") for _ in range(9)) for _ in range(400)]
    sirens += ["356000000", "999999998", "000000000", "732829320", "732829321", "12345678", "A32829320"]
    sirets = ["".join(rng.choice("0123456789") for _ in range(14)) for _ in range(400)]
    sirets += ["356000000" + "".join(rng.choice("0123456789") for _ in range(5)) for _ in range(200)]
    sirets += ["73282932000074", "35600000000001", "35600000000002", "35600000000048", "35600000000049"]
    ptce = Namespace(PTCE_NS)
    data = Graph()
    nodes = {}
    for kind, values in (("siren", sirens), ("siret", sirets)):
        for i, value in enumerate(values):
            node = URIRef(f"https://w3id.org/ptce-graph/id/actor/{kind}-{i}")
            data.add((node, ptce[kind], Literal(value)))
            nodes[node] = (kind, value)
    well_formed = {n for n, (kind, v) in nodes.items() if v.isdigit() and len(v) == (9 if kind == "siren" else 14)}
    wanted = {n for n in well_formed if not (luhn if nodes[n][0] == "siren" else siret_ok)(nodes[n][1])}
    flagged = flagged_by("SirenLuhnConstraint", ptce.siren, data) | flagged_by("SiretLuhnConstraint", ptce.siret, data)
    assert 50 < len(wanted) < len(well_formed)
    assert flagged == wanted, [nodes[n] for n in flagged ^ wanted][:10]


def test_period_order_query_agrees_with_python() -> None:
    """The period order query against a plain comparison, on random periods of every precision."""
    rng = random.Random(9)
    forms = {
        XSD.gYear: lambda y, m, d: f"{y}",
        XSD.gYearMonth: lambda y, m, d: f"{y}-{m:02d}",
        XSD.date: lambda y, m, d: f"{y}-{m:02d}-{d:02d}",
    }
    dcat = Namespace("http://www.w3.org/ns/dcat#")
    data = Graph()
    wanted = set()
    for i in range(300):
        bounds = [(rng.choice(list(forms)), (rng.randint(2010, 2012), rng.randint(1, 12), rng.randint(1, 28))) for _ in "se"]
        if rng.random() < 0.7:
            bounds[1] = (bounds[0][0], bounds[1][1])  # mostly the same precision
        node = URIRef(f"https://w3id.org/ptce-graph/id/membership/m{i}#period")
        (start_type, start), (end_type, end) = bounds
        data.add((node, dcat.startDate, Literal(forms[start_type](*start), datatype=start_type)))
        data.add((node, dcat.endDate, Literal(forms[end_type](*end), datatype=end_type)))
        precision = {XSD.gYear: 1, XSD.gYearMonth: 2, XSD.date: 3}[start_type]
        if start_type != end_type or start[:precision] > end[:precision]:
            wanted.add(node)
    flagged = flagged_by("PeriodOrderConstraint", dcat.startDate, data)
    assert 20 < len(wanted) < 280
    assert flagged == wanted


def pattern(shape: str) -> re.Pattern[str]:
    value = shapes_graph().value(PGS[shape], SH.pattern)
    assert value is not None, shape
    return re.compile(str(value))


def reference_rows(name: str) -> Iterator[dict[str, str]]:
    with (GEO_REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


@pytest.mark.parametrize(
    ("shape", "file_name", "column"),
    [
        ("Region-code", "regions.csv", "REG"),
        ("Departement-code", "departements.csv", "DEP"),
        ("Commune-code", "communes.csv", "COM"),
        ("SirenShape", "epci_communes.csv", "siren"),
        ("EPCI-nature", "epci_communes.csv", "nature_juridique"),
    ],
)
def test_code_patterns_accept_the_official_reference(shape: str, file_name: str, column: str) -> None:
    regex = pattern(shape)
    values = {row[column] for row in reference_rows(file_name) if row.get(column)}
    assert values
    rejected = sorted(v for v in values if not regex.search(v))
    assert not rejected, f"{shape} rejects {len(rejected)} official codes, e.g. {rejected[:5]}"


def test_epci_sirens_of_the_reference_pass_the_check_digit() -> None:
    assert all(luhn(row["siren"]) for row in reference_rows("epci_communes.csv") if row.get("siren"))
