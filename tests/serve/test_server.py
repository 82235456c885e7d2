"""``ptce-graph serve``: the WSGI app in process, then a real client over loopback."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import MINI, write_folder
from SPARQLWrapper import CSV, JSON, POST, XML, SPARQLWrapper
from standins import free_port

from ptce_graph.io.ingest import load_folders
from ptce_graph.serve.server import QueryPool, SparqlApp, host_names

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?m a <https://w3id.org/ptce-graph/ontology#Membership> }"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    graph = load_folders([write_folder(tmp_path_factory.mktemp("d") / "mini", MINI)])
    pool = QueryPool(graph.serialize(format="nt", encoding="utf-8"), workers=1, timeout=3)
    yield SparqlApp(pool)
    pool.close()


def call(app: SparqlApp, method: str, path: str, *, query: str = "", body: bytes = b"",
         content_type: str = "", accept: str = "", host: str = "127.0.0.1:7878") -> tuple[str, dict[str, str], bytes]:
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
               "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": content_type,
               "wsgi.input": io.BytesIO(body), "HTTP_ACCEPT": accept, "HTTP_HOST": host}
    seen: dict[str, object] = {}
    chunks = app(environ, lambda status, headers: seen.update(status=status, headers=dict(headers)))
    return str(seen["status"]), dict(seen["headers"]), b"".join(chunks)  # type: ignore[arg-type]


def test_get_json_and_csv(app: SparqlApp) -> None:
    from urllib.parse import urlencode

    status, headers, body = call(app, "GET", "/sparql", query=urlencode({"query": COUNT}))
    assert status == "200 OK"
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "3"
    status, headers, body = call(app, "GET", "/sparql", query=urlencode({"query": COUNT}), accept="text/csv")
    assert headers["Content-Type"].startswith("text/csv") and body.splitlines()[1] == b"3"


def test_post_direct_and_construct_negotiation(app: SparqlApp) -> None:
    status, _, body = call(app, "POST", "/sparql", body=COUNT.encode(), content_type="application/sparql-query",
                           accept="application/sparql-results+xml")
    assert status == "200 OK" and b"<sparql" in body
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/ptce-graph/ontology#PTCE> ; ?p ?o }"
    for accept, marker in (("text/turtle", b"ptce/pole-test>"), ("application/ld+json", b"@id"),
                           ("application/n-triples", b"> .")):
        status, headers, body = call(app, "POST", "/sparql", body=construct.encode(),
                                     content_type="application/sparql-query", accept=accept)
        assert status == "200 OK" and headers["Content-Type"].startswith(accept) and marker in body
    status, _, _ = call(app, "GET", "/sparql", query="query=" + COUNT, accept="image/png")
    assert status.startswith("406")


@pytest.mark.parametrize("method, kwargs", [
    ("POST", {"body": b"DROP ALL", "content_type": "application/sparql-update"}),
    ("POST", {"body": b"update=DROP%20ALL", "content_type": "application/x-www-form-urlencoded"}),
    ("GET", {"query": "query=INSERT%20DATA%20%7B%3Curn:a%3E%20%3Curn:b%3E%20%3Curn:c%3E%7D"}),
    ("GET", {"query": "query=SELECT%20*%20WHERE%20%7B%20SERVICE%20%3Chttp://127.0.0.1:9/%3E%20%7B%3Fs%20%3Fp%20%3Fo%7D%7D"}),
])
def test_updates_and_service_are_refused(app: SparqlApp, method: str, kwargs: dict) -> None:
    status, _, _ = call(app, method, "/sparql", **kwargs)
    assert status.startswith("403")


def test_runaway_query_is_stopped_and_the_pool_recovers(app: SparqlApp) -> None:
    runaway = ("SELECT (COUNT(*) AS ?n) WHERE { VALUES ?a { 1 2 3 4 5 6 7 8 9 10 } " +
               " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(6)) + " }")
    started = time.monotonic()
    status, _, body = call(app, "POST", "/sparql", body=runaway.encode(), content_type="application/sparql-query")
    assert status.startswith("503") and b"time limit" in body
    assert time.monotonic() - started < 10
    status, _, body = call(app, "GET", "/sparql", query="query=" + COUNT.replace(" ", "%20"))
    assert status == "200 OK"


def test_page_and_canned_queries(app: SparqlApp) -> None:
    status, _, body = call(app, "GET", "/")
    assert status == "200 OK" and b"canned" in body.lower()
    status, _, body = call(app, "GET", "/canned/no_such_query")
    assert status.startswith("404")


def test_security_headers_and_no_cors_by_default(app: SparqlApp) -> None:
    for path in ("/", "/sparql", "/canned/no_such_query"):
        _, headers, _ = call(app, "GET", path)
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "Access-Control-Allow-Origin" not in headers
    status, _, _ = call(app, "OPTIONS", "/sparql")
    assert status.startswith("405")


def test_page_policy_allows_exactly_its_own_script_and_style(app: SparqlApp) -> None:
    _, headers, body = call(app, "GET", "/")
    policy = headers["Content-Security-Policy"]
    page = body.decode()
    for tag in ("script", "style"):
        inline = page.split(f"<{tag}>", 1)[1].split(f"</{tag}>", 1)[0]
        digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
        assert f"{tag}-src 'sha256-{digest}'" in policy
    assert "connect-src 'self'" in policy and "unsafe-inline" not in policy


def test_cors_only_for_the_named_origin(app: SparqlApp) -> None:
    named = SparqlApp(app.pool, catalog={}, cors_origin="https://research.example.org")
    status, headers, _ = call(named, "OPTIONS", "/sparql")
    assert status.startswith("204")
    assert headers["Access-Control-Allow-Origin"] == "https://research.example.org"
    assert headers["Vary"] == "Origin"


def test_host_header_must_name_the_server(app: SparqlApp) -> None:
    guarded = SparqlApp(app.pool, catalog={}, allowed_hosts=host_names("127.0.0.1", 7878))
    for host in ("evil.example", "evil.example:7878", "127.0.0.1:80", ""):
        status, _, body = call(guarded, "GET", "/", host=host)
        assert status.startswith("403") and b"Host" in body, host
    for host in ("127.0.0.1:7878", "localhost:7878", "LOCALHOST:7878", "[::1]:7878"):
        assert call(guarded, "GET", "/", host=host)[0] == "200 OK", host


@pytest.mark.parametrize("argv", [["--port", "70000"], ["--port", "0x10"], ["--cors", "*"],
                                  ["--cors", "https://example.org/path"]])
def test_serve_options_are_checked(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    from ptce_graph.cli import main

    assert main(["serve", *argv]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_real_client_over_loopback(tmp_path: Path) -> None:
    """SPARQLWrapper against ``ptce-graph serve`` in another process: GET and POST, JSON/XML/CSV."""
    folder = write_folder(tmp_path / "mini", MINI)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "ptce_graph", "serve", "--graph", str(folder),
                               "--port", str(port)], stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        for method in ("GET", POST):
            client = SPARQLWrapper(url)
            client.setQuery(COUNT)
            if method == POST:
                client.setMethod(POST)
            client.setReturnFormat(JSON)
            assert client.query().convert()["results"]["bindings"][0]["n"]["value"] == "3"
            client.setReturnFormat(XML)
            assert client.query().convert().getElementsByTagName("literal")[0].firstChild.data == "3"
            client.setReturnFormat(CSV)
            assert client.query().convert().splitlines()[1] == b"3"
        update = SPARQLWrapper(url)
        update.setMethod(POST)
        update.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
        with pytest.raises(Exception) as info:
            update.query()
        assert "403" in str(info.value) or "Forbidden" in str(info.value) or "refused" in str(info.value)
        rebound = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": f"evil.example:{port}"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(rebound, timeout=5)
        assert refused.value.code == 403
    finally:
        server.terminate()
        server.wait(timeout=10)
