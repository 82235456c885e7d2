"""Requests that would make this machine call other addresses are refused on their parse tree.

Each shape below reached a loopback listener through the old text check. They are sent
through the Python API, the command line and ``serve`` (real worker processes); a private
listener must see no connection, while pyoxigraph alone does call it (the shapes are real).
"""

from __future__ import annotations

import contextlib
import io
import urllib.parse
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from rdflib import Graph
from standins import Canary

from ptce_graph.cli import main
from ptce_graph.query.catalog import load_catalog
from ptce_graph.query.guard import MAX_NESTING, RefusedQuery, check_query, nesting_depth
from ptce_graph.query.run import run_query
from ptce_graph.serve.server import QueryPool, SparqlApp

#: (shape, reason): ``{url}`` is the listener's address.
OUTBOUND = [
    ("PREFIX : <{url}/> SELECT * WHERE {{ FILTER(1<2)SERVICE:sparql#>\n {{ ?s ?p ?o }} }}", "service"),
    ("PREFIX : <{url}/> SELECT * WHERE {{ FILTER(1<2)SERVICE :sparql {{ ?s ?p ?o }} }}", "service"),
    ("SELECT * WHERE {{ 1SERVICE <{url}/digit> {{ ?s ?p ?o }} }}", "syntax"),
    ("SELECT * WHERE {{ ?s ?p \"x\"SERVICE SILENT <{url}/glued> {{ ?s ?p ?o }} }}", "service"),
    ("ASK {{ SERVICE <{url}/ask> {{ ?s ?p ?o }} }}", "service"),
    ("SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE <{url}/optional> {{ ?s ?p ?o }} }} }}", "service"),
    ("SELECT * WHERE {{ ?a ?b ?c MINUS {{ SERVICE <{url}/minus> {{ ?s ?p ?o }} }} }}", "service"),
    ("SELECT * WHERE {{ ?a ?b ?c FILTER EXISTS {{ SERVICE <{url}/exists> {{ ?s ?p ?o }} }} }}", "service"),
    ("SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}/sub> {{ ?s ?p ?o }} }} }} }}", "service"),
    ("SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ sErViCe SILENT <{url}/case> {{ ?s ?p ?o }} }} }}", "service"),
    ("SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{url}/graph> {{ ?s ?p ?o }} }} }}", "service"),
    ("SELECT * WHERE {{ VALUES ?svc {{ <{url}/var> }} SERVICE ?svc {{ ?s ?p ?o }} }}", "service"),
    ("SELECT * WHERE {{ \\u0053ERVICE <{url}/escape> {{ ?s ?p ?o }} }}", "service"),
    ("CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/construct> {{ ?s ?p ?o }} }}", "service"),
    ("DESCRIBE ?s WHERE {{ SERVICE <{url}/describe> {{ ?s ?p ?o }} }}", "service"),
    # rdflib's grammar does not read the escape \# of a prefixed name: refused as unreadable
    ("PREFIX ex: <urn:ex:> SELECT * WHERE {{ {{ ?s ex:a\\#b ?o }} UNION {{ SERVICE <{url}/hash> {{ ?s ?p ?o }} }} }}",
     "syntax"),
    ("PREFIX ex: <urn:ex:> SELECT * WHERE {{ {{ ?s ex:a\\'b ?o }} UNION {{ SERVICE <{url}/quote> {{ ?s ?p ?o }} }} }}"
     " #'", "service"),
    ("SELECT * WHERE {{ ?s ?p 'it\\'s' . SERVICE <{url}/string> {{ ?s ?p ?o }} }}", "service"),
    ("SELECT * WHERE {{ ?s ?p '''a''b''' . SERVICE <{url}/long> {{ ?s ?p ?o }} }}", "service"),
    ("SELECT * WHERE {{ ?s ?p ?o # }} \n SERVICE <{url}/comment> {{ ?s ?p ?o }} }}", "service"),
    ("SELECT * FROM <{url}/from> WHERE {{ ?s ?p ?o }}", "dataset"),
    ("SELECT * FROM NAMED <{url}/named> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", "dataset"),
    ("LOAD <{url}/load>", "update"),
    ("INSERT {{ <urn:a> <urn:b> ?o }} WHERE {{ SERVICE <{url}/insert> {{ ?s ?p ?o }} }}", "update"),
    ("CLEAR ALL", "update"),
]
IDS = [f"{reason}-{index}" for index, (_, reason) in enumerate(OUTBOUND)]


@pytest.fixture()
def listener() -> Iterator[Canary]:
    canary = Canary()  # private: a regression here must not be confused with other tests
    yield canary
    canary.close()


@pytest.mark.parametrize(("shape", "reason"), OUTBOUND, ids=IDS)
def test_api_refuses_outbound_requests(shape: str, reason: str, listener: Canary) -> None:
    with pytest.raises(RefusedQuery) as caught:
        run_query(shape.format(url=listener.url), graph=Graph())
    assert caught.value.reason == reason
    assert listener.hits == []


@pytest.mark.parametrize(("shape", "reason"), OUTBOUND[:6], ids=IDS[:6])
def test_command_line_refuses_outbound_requests(shape: str, reason: str, listener: Canary,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--sparql", shape.format(url=listener.url)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: ") and "Traceback" not in error
    assert listener.hits == []


@pytest.fixture(scope="module")
def pool() -> Iterator[QueryPool]:
    pool = QueryPool(b"<urn:a> <urn:b> <urn:c> .\n", workers=1, timeout=5)
    yield pool
    pool.close()


def _post(app: SparqlApp, query: str, *, content_type: str = "application/x-www-form-urlencoded",
          host: str = "127.0.0.1:7878") -> tuple[str, dict[str, str], bytes]:
    body = (urllib.parse.urlencode({"query": query}) if content_type.endswith("urlencoded") else query).encode()
    seen: dict[str, object] = {}
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/sparql", "QUERY_STRING": "", "HTTP_HOST": host,
               "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": content_type,
               "wsgi.input": io.BytesIO(body), "HTTP_ACCEPT": ""}
    chunks = app(environ, lambda status, headers: seen.update(status=status, headers=dict(headers)))
    return str(seen["status"]), dict(seen["headers"]), b"".join(chunks)  # type: ignore[call-overload]


@pytest.mark.parametrize(("shape", "reason"), OUTBOUND, ids=IDS)
def test_serve_refuses_outbound_requests(shape: str, reason: str, listener: Canary, pool: QueryPool) -> None:
    app = SparqlApp(pool, catalog={})
    for content_type in ("application/x-www-form-urlencoded", "application/sparql-query"):
        status, _, body = _post(app, shape.format(url=listener.url), content_type=content_type)
        expected = "403" if reason in ("service", "update") else "400"
        assert status.startswith(expected), (status, body)
    assert listener.hits == []


def test_the_shapes_are_real_bypasses(listener: Canary) -> None:
    """Without the check, the engine itself calls the listener: the tests above can fail."""
    store = ox.Store()
    shape = OUTBOUND[1][0].format(url=listener.url)
    # the listener's answer is not SPARQL results; the call is made all the same
    with contextlib.suppress(OSError, RuntimeError):
        list(store.query(shape))  # type: ignore[arg-type]
    assert listener.hits, "pyoxigraph did not call the listener: the shape no longer tests anything"


def test_ordinary_queries_pass() -> None:
    assert check_query("SELECT ?service WHERE { ?service ?p \"SERVICE <http://x/>\" } # FROM <http://y/>") == "SELECT"
    assert check_query("SELECT * WHERE { ?s <urn:from#FROM> ?o FILTER(?o < 2) }") == "SELECT"
    assert check_query("SELECT (COUNT(*) AS ?n) WHERE { ?p a ptce:PTCE }") == "SELECT"  # project prefixes
    assert check_query("CONSTRUCT WHERE { ?s ?p ?o }") == "CONSTRUCT"


def test_every_canned_query_passes_the_check() -> None:
    for query in load_catalog().values():
        assert check_query(query.text) == query.form, query.id


def test_nesting_is_bounded_before_parsing() -> None:
    deep = "SELECT * WHERE " + "{" * (MAX_NESTING + 1) + " ?s ?p ?o " + "}" * (MAX_NESTING + 1)
    with pytest.raises(RefusedQuery, match="nests 65 levels") as caught:
        check_query(deep)
    assert caught.value.reason == "nesting"
    assert nesting_depth('SELECT * { ?s ?p "((((" }') == 1
    crash = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000  # crashed the engine's stack
    with pytest.raises(RefusedQuery):
        run_query(crash, graph=Graph())


def test_a_long_block_that_cannot_be_checked_is_refused_not_crashed() -> None:
    long = "SELECT * WHERE { " + " . ".join(f"?s{i} <urn:p> {i}" for i in range(5000)) + " }"
    with pytest.raises(RefusedQuery) as caught:
        check_query(long)
    assert caught.value.reason == "nesting"


def test_remote_endpoints_decide_service_for_themselves() -> None:
    assert check_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", local=False) == "SELECT"
    with pytest.raises(RefusedQuery, match="updates are refused"):
        check_query("DELETE WHERE { ?s ?p ?o }", local=False)
