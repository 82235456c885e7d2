"""The readable serialisations: Turtle with the prefixes it uses, JSON-LD with the context's terms."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from ptce_graph.graph import open_graph
from ptce_graph.io.ntriples import NTriples
from ptce_graph.io.rdf import ox_to_rdflib
from ptce_graph.io.serialize import serialize_lines, turtle_prefixes

PG = "https://w3id.org/ptce-graph/id/"


@pytest.fixture(scope="module")
def shipped() -> NTriples:
    """The shipped data with the ontology (its IRIs are not all under pg:)."""
    return open_graph(with_ontology=True).ntriples


def _oxigraph(data: bytes, fmt: ox.RdfFormat) -> Graph:
    graph = Graph()
    for s in ox.parse(data, fmt):
        graph.add((ox_to_rdflib(s.subject), ox_to_rdflib(s.predicate), ox_to_rdflib(s.object)))
    return graph


def _subject_lines(turtle: str) -> list[str]:
    return [line for line in turtle.splitlines() if line and not line[0].isspace() and not line.startswith("@")]


def test_turtle_writes_prefixed_names_for_the_shipped_data(shipped: NTriples) -> None:
    text = serialize_lines(shipped, "ttl").decode("utf-8")
    subjects = _subject_lines(text)
    full = [line for line in subjects if line.startswith("<")]
    # the ontology's own IRI and two vann: terms have no prefix; the data has none left
    assert len(full) <= 3, full[:5]
    assert not [line for line in full if line.startswith(f"<{PG}")]
    assert "pg-ptce:pole-sud a " in text or "pg-ptce:pole-sud dct:source" in text
    header = [line for line in text.splitlines() if line.startswith("@prefix ")]
    assert header == sorted(header)
    declared = re.findall(r"^@prefix ([\w-]*): ", text, flags=re.M)
    assert set(declared) == set(turtle_prefixes(shipped))
    for name in declared:  # every declared prefix is used
        assert re.search(rf"(^|[\s,;(\[]){re.escape(name)}:", text.split("\n", len(declared))[-1], flags=re.M), name


@pytest.mark.parametrize("fmt", ["ttl", "trig", "jsonld"])
def test_round_trip_is_isomorphic_for_rdflib_and_pyoxigraph(shipped: NTriples, fmt: str) -> None:
    data = serialize_lines(shipped, fmt)
    source = shipped.to_graph()
    rdflib_format = {"ttl": "turtle", "trig": "trig", "jsonld": "json-ld"}[fmt]
    oxigraph_format = {"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    assert isomorphic(Graph().parse(data=data, format=rdflib_format), source)
    assert isomorphic(_oxigraph(data, oxigraph_format), source)
    assert serialize_lines(shipped, fmt) == data  # same graph, same bytes


def test_a_local_name_turtle_cannot_write_falls_back_to_a_full_iri() -> None:
    graph = Graph()
    names = ["tetris", "a.b", "x#period", "«guillemets»", "·x", "o'k", "(a)"]
    for name in names:
        graph.add((URIRef(f"{PG}actor/{name}"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal(name)))
    nt = NTriples.from_graph(graph)
    text = serialize_lines(nt, "ttl").decode("utf-8")
    subjects = _subject_lines(text)
    assert "pg-actor:tetris rdfs:label" in text
    assert f"<{PG}actor/«guillemets»> rdfs:label" in text
    assert sum(line.startswith("<") for line in subjects) == 2  # « and a leading middle dot
    assert isomorphic(_oxigraph(text.encode("utf-8"), ox.RdfFormat.TURTLE), graph)
    assert isomorphic(Graph().parse(data=text, format="turtle"), graph)


def test_jsonld_uses_the_contexts_terms() -> None:
    nt = open_graph(with_ontology=False).ntriples
    document = json.loads(serialize_lines(nt, "jsonld"))
    nodes = {node["@id"]: node for node in document["@graph"]}
    pole = nodes["pg:ptce/pole-sud"]
    assert pole["label"] == {"fr": "Pôle Sud (Groupe Archer)"}
    assert pole["foundingDate"] == {"@type": "xsd:gYear", "@value": "2007"}
    assert "pg:actor/groupe-archer" in pole["hasMember"]
    membership = nodes["pg:membership/pole-sud-cress-rhone-alpes-initiator"]
    assert membership["member"] == "pg:actor/cress-rhone-alpes"
    assert membership["role"] == "pgc:role/initiator"
    assert membership["memberDuring"] == "pg:membership/pole-sud-cress-rhone-alpes-initiator#period"
    keys = {key for node in document["@graph"] for key in node}
    assert not [key for key in keys if ":" in key], "every property of the data has a term"
