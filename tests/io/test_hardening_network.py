"""No network unless the user names an endpoint: remote contexts, FROM, SERVICE and XML
entities are refused, and the session's network canary sees no connection."""

from __future__ import annotations

import re
import socket
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import rdflib.plugins.sparql
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDFS
from standins import Canary

from ptce_graph.check.validate import validate
from ptce_graph.errors import InputError
from ptce_graph.io.offline import NetworkRefused, network_refused, no_network
from ptce_graph.io.rdf import parse_rdf_file, parse_rdf_text
from ptce_graph.query.run import run_query


def test_the_canary_counts_every_connection() -> None:
    """The mechanism the session relies on: a private canary sees a request made to it."""
    canary = Canary()
    try:
        urllib.request.urlopen(canary.url + "/probe", timeout=5).read()
        with socket.create_connection(("127.0.0.1", int(canary.url.rsplit(":", 1)[1])), timeout=5) as s:
            s.sendall(b"hello\r\n")
            s.recv(10)
    finally:
        canary.close()
    assert len(canary.hits) == 2 and "GET /probe" in canary.hits[0]


def test_the_session_canary_is_exported(network_canary: Canary) -> None:
    import os

    assert os.environ["PTCE_TEST_CANARY_URL"] == network_canary.url


def test_no_network_refuses_python_level_connections(network_canary: Canary) -> None:
    host, port = "127.0.0.1", int(network_canary.url.rsplit(":", 1)[1])
    assert not network_refused()
    with no_network():
        assert network_refused()
        with pytest.raises(NetworkRefused, match="network access refused while reading input"):
            urllib.request.urlopen(network_canary.url + "/urllib", timeout=2)
        with pytest.raises(NetworkRefused):
            socket.create_connection((host, port), timeout=2)
        with pytest.raises(NetworkRefused):
            socket.getaddrinfo("example.org", 80)
    assert not network_refused()
    assert network_canary.hits == []


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib: Dataset.default_context
def test_rdflib_sparql_does_not_load_from_graphs(network_canary: Canary, monkeypatch: pytest.MonkeyPatch) -> None:
    """rdflib fetches graphs named in FROM unless SPARQL_LOAD_GRAPHS is False: validating with
    pySHACL (which runs SHACL-SPARQL on rdflib's engine) sets it."""
    from ptce_graph.check.validate import validate

    monkeypatch.setattr(rdflib.plugins.sparql, "SPARQL_LOAD_GRAPHS", True)
    validate(Graph(), engine="pyshacl")
    assert rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS is False
    from rdflib import Dataset

    dataset = Dataset()
    list(dataset.query(f"SELECT * FROM <{network_canary.url}/from> WHERE {{ ?s ?p ?o }}"))
    list(dataset.query(f"SELECT * FROM NAMED <{network_canary.url}/named> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"))
    assert network_canary.hits == []


@pytest.mark.parametrize("document", [
    '{{"@context": "{url}/ctx", "@id": "urn:a", "urn:p": "x"}}',
    '{{"@context": [{{"@vocab": "urn:v#"}}, "{url}/ctx"], "@id": "urn:a", "p": "x"}}',
    '{{"@context": {{"@import": "{url}/import"}}, "@id": "urn:a", "urn:p": "x"}}',
    '{{"@context": {{"t": {{"@id": "urn:t", "@context": "{url}/scoped"}}}}, "@id": "urn:a", "t": {{"urn:p": "x"}}}}',
    '{{"@id": "urn:a", "urn:p": {{"@context": "{url}/nested", "@id": "urn:b"}}}}',
    '{{"@context": {{"@base": "{url}/"}}, "@id": "urn:a", "urn:p": {{"@id": "urn:b"}}}}',
])
def test_jsonld_never_fetches(document: str, network_canary: Canary) -> None:
    text = document.format(url=network_canary.url)
    try:
        parse_rdf_text(text, "jsonld", where="doc.jsonld")
    except InputError as exc:
        assert "refused" in str(exc) and "doc.jsonld" in str(exc)
    assert network_canary.hits == []


def test_rdfxml_entities_are_refused_before_any_parser(network_canary: Canary, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("s3cr3t", encoding="utf-8")
    for entity in (f"file://{secret}", f"{network_canary.url}/entity"):
        text = ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY e SYSTEM "' + entity + '">]>\n'
                '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                '<rdf:Description rdf:about="urn:a"><rdf:value>&e;</rdf:value></rdf:Description></rdf:RDF>\n')
        with pytest.raises(InputError, match=re.escape("x.rdf:2: RDF/XML with entity declarations")) as info:
            parse_rdf_text(text, "rdfxml", where="x.rdf")
        assert "s3cr3t" not in str(info.value)
    assert network_canary.hits == []


def test_urls_in_data_are_never_dereferenced(network_canary: Canary, tmp_path: Path) -> None:
    """owl:imports, rdfs:seeAlso and IRIs in data stay data: loading and validating fetches nothing."""
    path = tmp_path / "links.ttl"
    path.write_text(f"<urn:a> <{OWL.imports}> <{network_canary.url}/ontology> ;\n"
                    f"  <{RDFS.seeAlso}> <{network_canary.url}/see> .\n", encoding="utf-8")
    graph = parse_rdf_file(path)
    assert (URIRef("urn:a"), OWL.imports, URIRef(f"{network_canary.url}/ontology")) in graph
    validate(graph)
    run_query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", graph=graph)
    assert network_canary.hits == []
