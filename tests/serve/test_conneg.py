"""``ptce-graph serve`` answers the project's IRIs by content negotiation: the WSGI app in
process, then one real request over loopback."""

from __future__ import annotations

import base64
import hashlib
import http.client
import io
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import MINI, write_folder
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from standins import free_port

from ptce_graph.io.ingest import load_folders
from ptce_graph.io.rdf import CONTEXT_IRI
from ptce_graph.io.vocabulary import ontology_ntriples
from ptce_graph.resources import jsonld_context_file
from ptce_graph.serve import linked
from ptce_graph.serve.server import QueryPool, SparqlApp, host_names

BASE = "https://w3id.org/ptce-graph/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
#: rdflib's parser name for each media type offered.
PARSERS = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}
#: A blank node under the PTCE, so that the description must follow it.
EXTRA = (
    f"<{BASE}id/ptce/pole-test> <urn:x:geometry> _:g .\n"
    '_:g <urn:x:wkt> "POINT(4.9 45.0)" .\n_:g <urn:x:part> _:h .\n_:h <urn:x:note> "nested" .\n'
)


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    """The MINI data, the ontology and its code lists, and one blank-node structure."""
    data = load_folders([write_folder(tmp_path_factory.mktemp("d") / "mini", MINI)])
    whole = Graph()
    whole.parse(data=data.serialize(format="nt", encoding="utf-8"), format="nt")
    whole.parse(data=ontology_ntriples(), format="nt")
    whole.parse(data=EXTRA, format="nt")
    return whole


@pytest.fixture(scope="module")
def app(graph: Graph):
    pool = QueryPool(graph.serialize(format="nt", encoding="utf-8"), workers=1, timeout=10)
    yield SparqlApp(pool, catalog={})
    pool.close()


def call(app: SparqlApp, path: str, *, accept: str = "", language: str = "", method: str = "GET",
         host: str = "127.0.0.1:7878", raw: str | None = None,
         if_none_match: str | None = None) -> tuple[str, dict[str, str], bytes]:
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "",
               "CONTENT_LENGTH": "0", "wsgi.input": io.BytesIO(b""), "HTTP_ACCEPT": accept, "HTTP_HOST": host,
               "HTTP_ACCEPT_LANGUAGE": language}
    if if_none_match is not None:
        environ["HTTP_IF_NONE_MATCH"] = if_none_match
    if raw is not None:
        environ["REQUEST_URI"] = raw
    seen: dict[str, object] = {}
    chunks = app(environ, lambda status, headers: seen.update(status=status, headers=dict(headers)))
    return str(seen["status"]), dict(seen["headers"]), b"".join(chunks)  # type: ignore[arg-type]


def expected(graph: Graph, iri: str) -> Graph:
    """The description, computed here independently: rdflib's concise bounded description of
    the IRI and of each IRI of the same document (``iri#...``) it reaches."""
    found = Graph()
    todo, seen = [URIRef(iri)], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        part = graph.cbd(node)
        found += part
        todo += [o for o in part.objects() if isinstance(o, URIRef) and str(o).startswith(iri + "#")]
    return found


@pytest.mark.parametrize("path", ["/id/ptce/pole-test", "/id/membership/m1", "/id/actor/agglo",
                                  "/concept/role/founder", "/id/territory/departement/2B"])
@pytest.mark.parametrize("media", sorted(PARSERS))
def test_each_rdf_type_gives_the_description(app: SparqlApp, graph: Graph, path: str, media: str) -> None:
    status, headers, body = call(app, path, accept=media)
    assert status == "200 OK", body
    assert headers["Content-Type"] == f"{media}; charset=utf-8"
    got = Graph().parse(data=body, format=PARSERS[media])
    want = expected(graph, BASE + path[1:])
    assert len(want) > 3 and isomorphic(got, want)


def test_description_follows_blank_nodes_and_the_documents_hash_iris(app: SparqlApp) -> None:
    got = Graph().parse(data=call(app, "/id/ptce/pole-test", accept="text/turtle")[2], format="turtle")
    assert Literal("nested") in set(got.objects())
    assert any(isinstance(s, BNode) for s in got.subjects())
    got = Graph().parse(data=call(app, "/id/membership/m1", accept="text/turtle")[2], format="turtle")
    assert URIRef(BASE + "id/membership/m1#period") in set(got.subjects())


def test_json_ld_uses_the_project_context(app: SparqlApp) -> None:
    body = call(app, "/id/ptce/pole-test", accept="application/ld+json")[2].decode()
    assert '"@context"' in body and '"pg:ptce/pole-test"' in body and '"label"' in body


def test_html_for_a_browser_with_label_links_and_sources(app: SparqlApp) -> None:
    status, headers, body = call(app, "/id/ptce/pole-test", accept=BROWSER)
    page = body.decode()
    assert status == "200 OK" and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<title>Pôle Test</title>" in page and "<h1>Pôle Test</h1>" in page
    assert 'href="../../id/actor/coop-a">Coop A</a>' in page  # a linked resource, on this server, by its label
    assert 'href="../../id/source/src-a">Page A</a>' in page  # the sources
    assert 'href="../../ontology#PTCE">' in page  # the type, on this server's ontology page
    assert 'href="../../id/membership/m1">' in page  # a resource pointing here
    assert "POINT(4.9 45.0)" in page and "nested" in page  # blank nodes, nested
    assert "<script" not in page


def test_html_is_french_when_preferred_and_links_are_relative(app: SparqlApp) -> None:
    _, headers, body = call(app, "/id/membership/m1", accept="text/html", language="fr-FR,fr;q=0.9,en;q=0.5")
    page = body.decode()
    assert headers["Content-Language"] == "fr" and '<html lang="fr">' in page
    # relative, so that a reverse proxy may serve the pages under a prefix of its own
    assert 'href="../../id/ptce/pole-test">Pôle Test</a>' in page
    assert 'id="period"' in page  # the hash IRI's anchor: ...m1#period lands on its section
    assert "Adhésion" in page  # the type's French label, from the ontology


def test_html_policy_allows_only_its_own_style(app: SparqlApp) -> None:
    _, headers, body = call(app, "/id/ptce/pole-test", accept=BROWSER)
    policy = headers["Content-Security-Policy"]
    style = body.decode().split("<style>", 1)[1].split("</style>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert policy.startswith("default-src 'none'") and f"style-src 'sha256-{digest}'" in policy
    assert "script-src" not in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


def test_default_is_html_as_the_w3id_rules_do(app: SparqlApp) -> None:
    for accept in ("", "*/*", "text/*"):
        _, headers, _ = call(app, "/id/ptce/pole-test", accept=accept)
        assert headers["Content-Type"].startswith("text/html"), accept
    _, headers, _ = call(app, "/id/ptce/pole-test", accept="text/html;q=0.5, text/turtle")
    assert headers["Content-Type"].startswith("text/turtle")


def test_unknown_resource_is_404_and_no_acceptable_type_is_406(app: SparqlApp) -> None:
    status, headers, body = call(app, "/id/ptce/no-such-pole", accept="text/turtle")
    assert status.startswith("404") and b"no description of" in body
    assert headers["Content-Type"].startswith("text/plain")
    status, _, body = call(app, "/id/ptce/pole-test", accept="image/png, application/json")
    assert status.startswith("406") and b"text/turtle" in body
    status, _, _ = call(app, "/ontology", accept="text/csv")
    assert status.startswith("406")


@pytest.mark.parametrize("path, raw", [
    ("/id/ptce/../../etc/passwd", None),
    ("/id/./ptce/pole-test", None),
    ("/id/ptce/..", None),
    ("/id//ptce", None),
    ("/id/ptce/pole-test/", None),
    ("/id/", None),
    ("/id/ptce/a/b", "/id/ptce/a%2Fb"),  # an encoded slash, decoded by the server
    ("/id/ptce/pole-test", "/id/ptce/pole%2Dtest"),
    ("/id/ptce/" + "a" * 600, None),
    ("/id/ptce/p\u00c3\u00b4le", None),  # "pôle" as a WSGI server passes it (UTF-8 read as latin-1)
    ("/id/ptce/a b", None),
    ("/concept/role/founder;x", None),
])
def test_bad_paths_are_refused_with_400(app: SparqlApp, path: str, raw: str | None) -> None:
    status, headers, body = call(app, path, accept="text/turtle", raw=raw)
    assert status.startswith("400"), (path, status)
    assert body.startswith(b"not a resource path") and "Accept" in headers["Vary"]


def test_vary_security_headers_and_host_check_on_resource_paths(app: SparqlApp) -> None:
    for path, accept in (("/id/ptce/pole-test", "text/turtle"), ("/id/ptce/pole-test", BROWSER),
                         ("/id/ptce/none", ""), ("/ontology", "text/turtle"), ("/shapes", BROWSER)):
        _, headers, _ = call(app, path, accept=accept)
        assert headers["Vary"] == "Accept, Accept-Language", path
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "no-referrer" and "Access-Control-Allow-Origin" not in headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    guarded = SparqlApp(app.pool, catalog={}, allowed_hosts=host_names("127.0.0.1", 7878))
    for path in ("/id/ptce/pole-test", "/ontology", "/id/../x"):
        status, _, body = call(guarded, path, accept="text/turtle", host="evil.example:7878")
        assert status.startswith("403") and b"Host" in body
    assert call(guarded, "/id/ptce/pole-test", accept="text/turtle")[0] == "200 OK"
    shared = SparqlApp(app.pool, catalog={}, cors_origin="https://research.example.org")
    _, headers, _ = call(shared, "/id/ptce/pole-test", accept="text/turtle")
    assert headers["Vary"] == "Accept, Accept-Language, Origin"


def test_answers_carry_an_entity_tag_and_a_matching_one_gives_304(app: SparqlApp) -> None:
    for path, accept, language in (("/id/ptce/pole-test", "text/turtle", ""), ("/id/ptce/pole-test", BROWSER, "fr"),
                                   ("/ontology", "application/ld+json", "")):
        status, headers, body = call(app, path, accept=accept, language=language)
        tag = headers["ETag"]
        assert status == "200 OK" and tag == f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        assert headers["Cache-Control"] == "no-cache"
        assert call(app, path, accept=accept, language=language)[1]["ETag"] == tag, "same body, same tag"
        for if_none_match in (tag, f'W/{tag}', f'"other", {tag}', "*"):
            status, again, empty = call(app, path, accept=accept, language=language, if_none_match=if_none_match)
            assert status == "304 Not Modified" and empty == b"", if_none_match
            assert again["ETag"] == tag and again["Vary"] == "Accept, Accept-Language"
            assert again["Cache-Control"] == "no-cache" and "Content-Length" not in again
        status, _, again_body = call(app, path, accept=accept, language=language, if_none_match='"other"')
        assert status == "200 OK" and again_body == body
    # each representation has its own tag
    tags = {call(app, "/id/ptce/pole-test", accept=media)[1]["ETag"] for media in PARSERS if media != "application/x-turtle"}
    tags.add(call(app, "/id/ptce/pole-test", accept=BROWSER, language="fr")[1]["ETag"])
    tags.add(call(app, "/id/ptce/pole-test", accept=BROWSER, language="en")[1]["ETag"])
    assert len(tags) == 6
    # errors are not cached
    status, headers, _ = call(app, "/id/ptce/none", accept="text/turtle", if_none_match="*")
    assert status.startswith("404") and "ETag" not in headers


def test_concepts_resolve_from_the_ontology_when_the_served_graph_lacks_it(tmp_path: Path) -> None:
    data = load_folders([write_folder(tmp_path / "mini", MINI)]).serialize(format="nt", encoding="utf-8")
    pool = QueryPool(data, workers=1, timeout=10)
    try:
        bare = SparqlApp(pool, catalog={})
        status, headers, body = call(bare, "/concept/role/founder", accept="text/turtle")
        assert status == "200 OK" and headers["ETag"], body
        ontology = Graph().parse(data=ontology_ntriples(), format="nt")
        assert isomorphic(Graph().parse(data=body, format="turtle"), expected(ontology, f"{BASE}concept/role/founder"))
        page = call(bare, "/concept/role/founder", accept=BROWSER, language="fr")[2].decode()
        assert "Membre fondateur" in page
        # the data's own resources still come from the served graph, and nothing else is invented
        assert call(bare, "/id/ptce/pole-test", accept="text/turtle")[0] == "200 OK"
        for missing in ("/concept/role/no-such-role", "/id/ptce/tetris"):
            assert call(bare, missing, accept="text/turtle")[0].startswith("404"), missing
    finally:
        pool.close()


def test_the_json_ld_context_is_served_at_its_path(app: SparqlApp) -> None:
    for accept in ("application/ld+json", BROWSER, ""):
        status, headers, body = call(app, "/context.jsonld", accept=accept)
        assert status == "200 OK" and headers["Content-Type"] == "application/ld+json; charset=utf-8"
        assert body == jsonld_context_file().read_bytes() and headers["ETag"]
    # a document that names the context by its IRI expands through what was served
    from pyld import jsonld

    def loader(url: str, options: dict) -> dict:
        assert url == CONTEXT_IRI
        return {"contextUrl": None, "documentUrl": url, "document": json.loads(body)}

    named = {"@context": CONTEXT_IRI, "@id": "pg:ptce/x", "label": {"fr": "X"}}
    (node,) = jsonld.expand(named, {"documentLoader": loader})
    assert node["@id"] == BASE + "id/ptce/x"
    assert node["http://www.w3.org/2000/01/rdf-schema#label"] == [{"@value": "X", "@language": "fr"}]
    assert call(app, "/context.jsonld", method="POST")[0].startswith("405")


def test_head_and_other_methods(app: SparqlApp) -> None:
    _, got, body = call(app, "/id/ptce/pole-test", accept="text/turtle")
    status, headers, empty = call(app, "/id/ptce/pole-test", accept="text/turtle", method="HEAD")
    assert status == "200 OK" and empty == b"" and headers["Content-Length"] == str(len(body))
    assert headers["Content-Type"] == got["Content-Type"]
    status, headers, _ = call(app, "/id/ptce/pole-test", method="POST")
    assert status.startswith("405") and headers["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("path", ["/ontology", f"/ontology/{__import__('ptce_graph').__version__}"])
def test_ontology_as_rdf(app: SparqlApp, path: str) -> None:
    for media, parser in PARSERS.items():
        status, headers, body = call(app, path, accept=media)
        assert status == "200 OK" and headers["Content-Type"].startswith(media)
        got = Graph().parse(data=body, format=parser)
        assert isomorphic(got, Graph().parse(data=ontology_ntriples(), format="nt")), media


def test_shapes_and_alignments_as_rdf(app: SparqlApp) -> None:
    from ptce_graph.io.vocabulary import ontology_graph
    from ptce_graph.publish.ontology_docs import rdf_documents

    documents = rdf_documents(ontology_graph())
    for name in ("shapes", "alignments"):
        body = call(app, f"/{name}", accept="text/turtle")[2]
        assert isomorphic(Graph().parse(data=body, format="turtle"), documents[name]), name


def test_ontology_page_in_french_and_english_from_pylode(app: SparqlApp) -> None:
    pytest.importorskip("pylode")
    _, headers, body = call(app, "/ontology", accept=BROWSER, language="fr-CA,fr;q=0.9,en;q=0.8")
    page = body.decode()
    assert headers["Content-Language"] == "fr" and 'lang="fr"' in page and "Ressource mutualisée" in page
    assert 'id="MutualisedResource"' in page and 'id="concept/role/founder"' in page
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in headers["Content-Security-Policy"]
    assert "script-src" not in headers["Content-Security-Policy"]
    _, headers, body = call(app, "/ontology", accept=BROWSER, language="en-GB,fr;q=0.5")
    assert headers["Content-Language"] == "en" and "Mutualised resource" in body.decode()


def test_plain_pages_without_pylode(app: SparqlApp) -> None:
    plain = SparqlApp(app.pool, catalog={}, documents=linked.Documents(pylode=False))
    started = time.monotonic()
    _, headers, body = call(plain, "/ontology", accept=BROWSER, language="fr")
    page = body.decode()
    assert 'id="PTCE"' in page and 'id="concept/role/founder"' in page and "Membre fondateur" in page
    assert headers["Content-Security-Policy"] == linked.PAGE_POLICY and "<script" not in page
    assert time.monotonic() - started < 30
    _, _, body = call(plain, "/shapes", accept=BROWSER)
    assert b"<section id=" in body


def test_every_iri_of_the_shipped_graph_has_a_valid_path() -> None:
    """The path check refuses nothing the shipped data and code lists name."""
    from ptce_graph.graph import open_graph

    names = {str(t) for triple in open_graph().to_rdflib() for t in triple if isinstance(t, URIRef)}
    paths = {n[len(BASE) - 1 :].split("#", 1)[0] for n in names if n.startswith((BASE + "id/", BASE + "concept/"))}
    assert len(paths) > 1000
    for path in paths:
        assert linked.resource_iri(path) == BASE + path[1:]


def test_real_request_over_loopback(tmp_path: Path, graph: Graph) -> None:
    """``ptce-graph serve`` in another process: Turtle and HTML by Accept, 400 on an encoded slash."""
    folder = write_folder(tmp_path / "mini", MINI)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "ptce_graph", "serve", "--graph", str(folder),
                               "--port", str(port)], stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{url}/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        request = urllib.request.Request(f"{url}/id/ptce/pole-test", headers={"Accept": "text/turtle"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.headers["Content-Type"] == "text/turtle; charset=utf-8"
            assert answer.headers["Vary"] == "Accept, Accept-Language"
            got = Graph().parse(data=answer.read(), format="turtle")
        want = expected(graph, BASE + "id/ptce/pole-test")
        want.remove((None, URIRef("urn:x:geometry"), None))
        for node in [s for s in want.subjects() if isinstance(s, BNode)]:
            want.remove((node, None, None))
        assert isomorphic(got, want)
        request = urllib.request.Request(f"{url}/id/ptce/pole-test", headers={"Accept": BROWSER})
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert "<h1>Pôle Test</h1>" in answer.read().decode()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/id/ptce%2F..%2F..%2Fx", headers={"Accept": "text/turtle"})
        response = connection.getresponse()
        assert response.status == 400 and response.read().startswith(b"not a resource path")
        # a conditional request on the same connection: 304 with no body, and the connection still serves
        connection.request("GET", "/id/ptce/pole-test", headers={"Accept": "text/turtle"})
        response = connection.getresponse()
        tag, body = response.headers["ETag"], response.read()
        connection.request("GET", "/id/ptce/pole-test", headers={"Accept": "text/turtle", "If-None-Match": tag})
        response = connection.getresponse()
        assert response.status == 304 and response.read() == b"" and response.headers["ETag"] == tag
        connection.request("GET", "/id/ptce/pole-test", headers={"Accept": "text/turtle"})
        response = connection.getresponse()
        assert response.status == 200 and response.read() == body
        connection.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
