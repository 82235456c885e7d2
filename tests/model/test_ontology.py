"""Ontology hygiene: labels, definitions, version, and no undeclared project term anywhere."""

from __future__ import annotations

import json
import re

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

import ptce_graph
from ptce_graph.io.vocabulary import ontology_graph
from ptce_graph.model.namespaces import PGC, PREFIXES, PTCE
from ptce_graph.resources import jsonld_context_file, ontology_files, queries_dir, root, shape_files

NS = str(PTCE._NS)
ONTOLOGY = URIRef(NS.rstrip("#"))


@pytest.fixture(scope="module")
def onto() -> Graph:
    return ontology_graph()


def _declared(onto: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
    return {s for k in kinds for s in onto.subjects(RDF.type, k)
            if isinstance(s, URIRef) and str(s).startswith(NS)}


def test_every_term_has_labels_definitions_and_is_defined_by(onto: Graph) -> None:
    terms = _declared(onto)
    assert len(terms) > 60
    for term in sorted(terms):
        for predicate in (RDFS.label, SKOS.definition):
            langs = sorted(o.language for o in onto.objects(term, predicate))
            assert langs == ["en", "fr"], (term, predicate, langs)
        assert (term, RDFS.isDefinedBy, ONTOLOGY) in onto, term


def test_version_equals_package_version(onto: Graph) -> None:
    assert str(onto.value(ONTOLOGY, OWL.versionInfo)) == ptce_graph.__version__


def test_python_namespace_matches_the_ontology(onto: Graph) -> None:
    python_terms = {PTCE[name] for name in PTCE.__annotations__}
    assert python_terms == _declared(onto)


def test_required_class_names_exist(onto: Graph) -> None:
    for name in ("PTCE", "ESSEnterprise", "Enterprise", "LocalAuthority", "ResearchCentre",
                 "HigherEducationInstitution", "TrainingOrganisation", "Resource", "SupportScheme",
                 "Territory", "Membership", "Partnership", "Funding"):
        assert (PTCE[name], RDF.type, OWL.Class) in onto, name


def test_concepts_are_complete(onto: Graph) -> None:
    concepts = set(onto.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 100
    for c in concepts:
        assert str(c).startswith(str(PGC)), c
        scheme = onto.value(c, SKOS.inScheme)
        assert scheme is not None and str(c).startswith(str(scheme) + "/"), c
        assert str(onto.value(c, SKOS.notation)) == str(c).rsplit("/", 1)[-1], c
        assert sorted(o.language for o in onto.objects(c, SKOS.prefLabel)) == ["en", "fr"], c


def _project_terms(text: str) -> set[str]:
    return set(re.findall(r"ptce:([A-Za-z][A-Za-z0-9_]*)", text)) | {
        m for m in re.findall(re.escape(NS) + r"([A-Za-z][A-Za-z0-9_]*)", text)}


def test_terms_used_in_shapes_and_queries_are_declared(onto: Graph) -> None:
    declared = {str(t)[len(NS):] for t in _declared(onto)}
    for path in shape_files() + sorted(queries_dir().glob("*.rq")):
        used = _project_terms(path.read_text(encoding="utf-8"))
        assert used <= declared, (path.name, sorted(used - declared))


def test_concepts_used_in_shapes_and_queries_exist(onto: Graph) -> None:
    concepts = {str(c) for c in onto.subjects(RDF.type, SKOS.Concept)} | {
        str(s) for s in onto.subjects(RDF.type, SKOS.ConceptScheme)}
    for path in shape_files() + sorted(queries_dir().glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        used = {str(PGC) + m for m in re.findall(r"pgc:([\w/-]+)", text)}
        used |= set(re.findall(re.escape(str(PGC)) + r"[\w/-]+", text))
        used = {u for u in used if not u.endswith("/")}  # namespace prefixes, not concepts
        assert used <= concepts, (path.name, sorted(used - concepts))


def test_alignment_module_parses_and_is_separate() -> None:
    alignments = root() / "ontology" / "alignments.ttl"
    graph = Graph().parse(alignments)
    assert len(graph) > 10
    assert alignments not in ontology_files()


def test_jsonld_context_holds_the_prefix_map_and_terms_of_known_iris(onto: Graph) -> None:
    context = json.loads(jsonld_context_file().read_text(encoding="utf-8"))["@context"]
    assert {k: v for k, v in context.items() if isinstance(v, str) and "://" in v} == PREFIXES
    alignments = Graph().parse(root() / "ontology" / "alignments.ttl")
    declared = {str(s) for s in onto.subjects()} | {str(s) for s in alignments.subjects()}
    for term, definition in context.items():
        if term in PREFIXES:
            continue
        curie = definition if isinstance(definition, str) else definition["@id"]
        prefix, _, local = curie.partition(":")
        assert prefix in PREFIXES, term
        if prefix not in ("rdf", "rdfs", "owl", "void", "dcat"):  # the languages the ontology is written in
            assert PREFIXES[prefix] + local in declared, f"{term}: {curie} is not declared in ontology/"


def test_every_term_concept_and_scheme_is_labelled_and_defined_in_french_and_english(onto: Graph) -> None:
    """The HTML documentation shows each one in both languages: none may lack one."""
    terms = _declared(onto)
    skos = set(onto.subjects(RDF.type, SKOS.Concept)) | set(onto.subjects(RDF.type, SKOS.ConceptScheme))
    assert len(terms) >= 74 and len(skos) >= 143
    missing = []
    for subject in sorted(terms | skos):
        label = RDFS.label if subject in terms else SKOS.prefLabel
        labels = [o.language for o in onto.objects(subject, label)]
        definitions = {o.language for p in (RDFS.comment, SKOS.definition) for o in onto.objects(subject, p)}
        if sorted(labels) != ["en", "fr"]:
            missing.append((str(subject), "label", sorted(map(str, labels))))
        if not {"en", "fr"} <= definitions:
            missing.append((str(subject), "definition", sorted(map(str, definitions))))
    assert missing == []
