"""No network unless the user names an endpoint: remote contexts, FROM, SERVICE and XML
entities are refused, and the session's network canary sees no connection."""

from __future__ import annotations

import io
import socket
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import rdflib.plugins.sparql
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDFS

from ptce_graph.errors import InputError
from ptce_graph.offline import NetworkRefused, network_refused, no_network
from ptce_graph.query import run_query
from ptce_graph.rdfio import parse_rdf_file, parse_rdf_text
from ptce_graph.sparql_text import find_keyword as find_code_keyword, outbound_clause
from ptce_graph.validate import validate
from standins import Canary


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
def test_rdflib_sparql_does_not_load_from_graphs(network_canary: Canary) -> None:
    """rdflib fetches graphs named in FROM unless SPARQL_LOAD_GRAPHS is False (ptce_graph sets it)."""
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
        parse_rdf_text(text, "json-ld", where="doc.jsonld")
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
        with pytest.raises(InputError, match="x.rdf:2: RDF/XML with entity declarations") as info:
            parse_rdf_text(text, "xml", where="x.rdf")
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


def test_embedded_store_refuses_service_and_fetches_no_from(network_canary: Canary) -> None:
    graph = Graph()
    with pytest.raises(InputError, match="SERVICE clauses are refused"):
        run_query(f"SELECT * WHERE {{ SERVICE <{network_canary.url}/svc> {{ ?s ?p ?o }} }}", graph=graph)
    for query in (f"SELECT * FROM <{network_canary.url}/from> WHERE {{ ?s ?p ?o }}",
                  f"SELECT * FROM NAMED <{network_canary.url}/named> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"):
        try:  # the embedded store holds one default graph: FROM finds nothing (or is refused)
            assert run_query(query, graph=graph).rows == ()
        except InputError as exc:
            assert "FROM" in str(exc)
    assert network_canary.hits == []


ESCAPED_SERVICE = [
    # a backslash escape in a prefixed name (PN_LOCAL_ESC) must not hide what follows it
    "PREFIX ex: <urn:ex:> SELECT * WHERE {{ {{ ?s ex:a\\#b ?o }} UNION {{ SERVICE <{url}/hash> {{ ?s ?p ?o }} }} }}",
    "PREFIX ex: <urn:ex:> SELECT * WHERE {{ {{ ?s ex:a\\'b ?o }} UNION {{ SERVICE <{url}/quote> {{ ?s ?p ?o }} }} }}"
    " #'",
    "SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ sErViCe SILENT <{url}/case> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ ?s ?p 'it\\'s' . SERVICE <{url}/string> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p '''a''b''' . SERVICE <{url}/long> {{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("template", ESCAPED_SERVICE)
def test_guard_finds_service_behind_escapes(template: str, network_canary: Canary) -> None:
    query = template.format(url=network_canary.url)
    assert outbound_clause(query) == "SERVICE"


def test_guard_ignores_keywords_in_strings_comments_and_names() -> None:
    assert outbound_clause('SELECT * WHERE { ?s ?p "SERVICE <http://x/>" } # FROM <http://y/>') is None
    assert outbound_clause("SELECT ?from ?service WHERE { ?from <urn:SERVICE> ?service }") is None
    assert outbound_clause("SELECT * WHERE { ?s <urn:from#FROM> ?o }") is None
    assert find_code_keyword("SELECT * FROM NAMED <urn:g> { ?s ?p ?o }", r"FROM\s+NAMED\b") == 9


@pytest.mark.parametrize("template", ESCAPED_SERVICE)
def test_embedded_store_refuses_escaped_service(template: str) -> None:
    canary = Canary()  # a private listener: a regression here must not be confused with other tests
    try:
        with pytest.raises(InputError, match="SERVICE"):
            run_query(template.format(url=canary.url), graph=Graph())
    finally:
        canary.close()


def test_server_refuses_service_behind_escapes_and_from(network_canary: Canary) -> None:
    from ptce_graph.server import SparqlApp

    class NoPool:
        def run(self, text: str, accept: str) -> tuple[int, str, bytes]:  # pragma: no cover - must not run
            raise AssertionError(f"query reached the pool: {text}")

    app = SparqlApp(NoPool(), catalog={})  # type: ignore[arg-type]
    for template in ESCAPED_SERVICE:
        status, _ = _call(app, template.format(url=network_canary.url))
        assert status.startswith("403"), template
    for query in (f"SELECT * FROM <{network_canary.url}/g> WHERE {{ ?s ?p ?o }}",
                  f"SELECT * FROM NAMED <{network_canary.url}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"):
        status, body = _call(app, query)
        assert status.startswith("400") and b"not supported" in body
    assert network_canary.hits == []


def _call(app, query: str) -> tuple[str, bytes]:
    body = urllib.parse.urlencode({"query": query}).encode()
    seen: dict[str, str] = {}
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/sparql", "QUERY_STRING": "",
               "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": "application/x-www-form-urlencoded",
               "wsgi.input": io.BytesIO(body), "HTTP_ACCEPT": ""}
    chunks = app(environ, lambda status, headers: seen.update(status=status))
    return seen["status"], b"".join(chunks)
