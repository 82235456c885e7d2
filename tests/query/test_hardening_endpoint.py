"""Remote endpoints against local stand-ins: retries with back-off for 429/502/503/504
honouring Retry-After, no retry on other errors, HTML pages recognised, odd JSON survived."""

from __future__ import annotations

import email.utils
import json
import time

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from standins import standin

from ptce_graph.cli import main
from ptce_graph.errors import EndpointError
from ptce_graph.query.endpoint import RemoteStore, RetryPolicy, describe_body, push_graph, retry_after_seconds

SELECT = "SELECT ?n WHERE { ?s ?p ?n }"
RESULTS = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [
    {"n": {"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "7"}}]}}).encode()
OK = (200, RESULTS, {})
FAST = RetryPolicy(retries=3, backoff=0.05, max_backoff=0.2)


def test_503_with_retry_after_seconds_then_success() -> None:
    with standin(answers=[(503, b"busy", {"Retry-After": "1", "Content-Type": "text/plain"}), OK]) as (url, log):
        started = time.monotonic()
        _, rows = RemoteStore(url, timeout=10).select(SELECT)
        elapsed = time.monotonic() - started
    assert rows == [(Literal("7", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer")),)]
    assert len(log) == 2 and 1.0 <= elapsed < 5


def test_429_with_retry_after_http_date() -> None:
    when = email.utils.formatdate(time.time() + 1, usegmt=True)
    with standin(answers=[(429, b"slow down", {"Retry-After": when}), OK]) as (url, log):
        RemoteStore(url, timeout=10).select(SELECT)
    assert len(log) == 2


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_are_retried_with_back_off(status: int) -> None:
    with standin(answers=[(status, b"", {}), (status, b"", {}), OK]) as (url, log):
        RemoteStore(url, timeout=10, retry=FAST).select(SELECT)
    assert len(log) == 3


def test_retries_are_bounded(capsys: pytest.CaptureFixture[str]) -> None:
    with standin(status=503, body=b"still busy", content_type="text/plain") as (url, log):
        with pytest.raises(EndpointError, match=r"answered HTTP 503 .*after 4 attempts.*still busy"):
            RemoteStore(url, timeout=10, retry=FAST).select(SELECT)
        assert len(log) == 4
        # the command line: default policy, exit code 3, no traceback
        started = time.monotonic()
        assert main(["query", "--sparql", SELECT, "--endpoint", url, "--timeout", "20"]) == 3
        assert time.monotonic() - started < 10  # 0.5 + 1 + 2 s of back-off
    err = capsys.readouterr().err
    assert "HTTP 503" in err and "Traceback" not in err


def test_retry_after_past_the_timeout_fails_at_once() -> None:
    with standin(status=503, headers={"Retry-After": "3600"}) as (url, log):
        started = time.monotonic()
        with pytest.raises(EndpointError, match="asks to retry after 3600 s, past the 5 s timeout"):
            RemoteStore(url, timeout=5).select(SELECT)
        assert time.monotonic() - started < 2 and len(log) == 1


def test_waiting_never_goes_past_the_timeout() -> None:
    with standin(status=503, headers={"Retry-After": "1"}) as (url, log):
        started = time.monotonic()
        with pytest.raises(EndpointError):
            RemoteStore(url, timeout=2.5, retry=RetryPolicy(retries=10)).select(SELECT)
        assert time.monotonic() - started < 3.5 and 2 <= len(log) <= 3


@pytest.mark.parametrize("status", [400, 401, 403, 404, 500])
def test_other_errors_are_not_retried(status: int) -> None:
    with standin(status=status, body=b"no", content_type="text/plain") as (url, log):
        with pytest.raises(EndpointError, match=f"HTTP {status}"):
            RemoteStore(url, timeout=10, retry=FAST).select(SELECT)
    assert len(log) == 1


PROXY_PAGE = (b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title><style>body{}</style></head>"
              b"<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.25</center></body></html>")


@pytest.mark.parametrize("status", [500, 502, 404])
def test_html_error_pages_are_named_by_their_title(status: int) -> None:
    with standin(status=status, body=PROXY_PAGE, content_type="text/html") as (url, _):
        with pytest.raises(EndpointError) as info:
            RemoteStore(url, timeout=5, retry=RetryPolicy(retries=0)).select(SELECT)
    message = str(info.value)
    assert f"HTTP {status}" in message and "an HTML page titled '502 Bad Gateway'" in message
    assert "<center>" not in message


def test_html_login_page_with_200_is_not_results() -> None:
    page = b"<html><head><title>Connexion - Portail</title></head><body><form>login</form></body></html>"
    with standin(body=page, content_type="text/html; charset=utf-8") as (url, _):
        with pytest.raises(EndpointError, match=r"an HTML page titled 'Connexion - Portail'.*SPARQL endpoint's URL"):
            RemoteStore(url).select(SELECT)


def test_html_page_sent_as_json_is_recognised() -> None:
    with standin(body=PROXY_PAGE, content_type="application/sparql-results+json") as (url, _):
        with pytest.raises(EndpointError, match="malformed JSON: an HTML page titled '502 Bad Gateway'"):
            RemoteStore(url).select(SELECT)


def test_virtuoso_json_results_are_read() -> None:
    """Virtuoso sends ``typed-literal`` (SPARQL 1.0 drafts), language tags and blank nodes."""
    body = json.dumps({"head": {"link": [], "vars": ["n", "label", "b", "y"]}, "results": {
        "distinct": False, "ordered": True, "bindings": [
            {"n": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "23"},
             "label": {"type": "literal", "xml:lang": "fr", "value": "Pôle Sud"},
             "b": {"type": "bnode", "value": "nodeID://b10006"},
             "y": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#gYear", "value": "2015"}},
            {"n": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "4"}}]}})
    with standin(body=body.encode(), content_type="application/sparql-results+json; charset=UTF-8") as (url, _):
        columns, rows = RemoteStore(url).select(SELECT)
    assert columns == ["n", "label", "b", "y"]
    assert rows[0][1] == Literal("Pôle Sud", lang="fr") and isinstance(rows[0][2], BNode)
    assert rows[1][1:] == (None, None, None)


@pytest.mark.parametrize("document", [
    {"head": {"vars": ["n"]}, "results": {"bindings": ["not an object"]}},
    {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": "a string"}]}},
    {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": 5}}]}},
    {"head": {"vars": ["n"]}, "results": {"bindings": [
        {"n": {"type": "literal", "xml:lang": "not a tag!", "value": "x"}}]}},
    {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "triple", "value": {}}}]}},
    {"head": {"vars": ["n"]}, "results": {"bindings": {}}},
    {"head": "vars"},
    [1, 2, 3],
])
def test_malformed_json_results_give_endpoint_errors(document: object) -> None:
    with standin(body=json.dumps(document).encode()) as (url, _):
        with pytest.raises(EndpointError, match=url):
            RemoteStore(url).select(SELECT)


def test_oversized_answers_are_refused() -> None:
    with standin(body=b'{"head": {"vars": []}, "results": {"bindings": []}}' + b" " * 200_000) as (url, _):
        with pytest.raises(EndpointError, match="sent more than 100000 bytes"):
            RemoteStore(url, max_bytes=100_000).select(SELECT)


def test_push_retries_a_busy_store() -> None:
    graph = Graph()
    graph.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
    answers = [(503, b"", {"Retry-After": "0"}), (204, b"", {}),
               (200, b'<urn:a> <urn:p> "x" .\n', {"Content-Type": "application/n-triples"})]
    with standin(answers=answers) as (url, log):
        assert push_graph(graph, url + "/store", retry=FAST) == 1
    assert [entry.split()[0] for entry in log] == ["PUT", "PUT", "GET"]


def test_a_failed_read_back_says_the_upload_was_accepted() -> None:
    graph = Graph()
    graph.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
    with standin(answers=[(204, b"", {}), (404, b"no such graph", {})]) as (url, log):
        with pytest.raises(EndpointError) as raised:
            push_graph(graph, url + "/store", retry=FAST)
    assert [entry.split()[0] for entry in log] == ["PUT", "GET"]
    message = str(raised.value)
    assert "accepted the upload of 1 triples, but reading the graph back to check it failed" in message
    assert "404" in message and "cannot be reached" not in message


def test_retry_after_values() -> None:
    assert retry_after_seconds(None) is None and retry_after_seconds("-3") is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: at once
    assert describe_body(b"   <html><body>x</body></html>") == "an HTML page (x)"
