"""The one HTTP layer, mostly without sockets: a MockTransport plays the server and a fake
clock the time, so retries, deadlines, sizes, authentication and error messages are checked
exactly and at once. The last tests send real bytes on loopback (proxy, trickling server)."""

from __future__ import annotations

import base64
import dataclasses
import email.utils
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from rdflib import Graph, Literal, URIRef
from standins import standin

from ptce_graph.errors import EndpointError, InputError
from ptce_graph.io.http import HttpClient, MockTransport, Request, Response, RetryPolicy, StdlibTransport
from ptce_graph.query.endpoint import RemoteStore, push_graph, sparql_request

URL = "http://sparql.example/query"
SELECT = "SELECT ?n WHERE { ?s ?p ?n }"
JSON_TYPE = {"Content-Type": "application/sparql-results+json"}
RESULTS = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [
    {"n": {"type": "literal", "value": "7"}}]}}).encode()
OK = Response(200, JSON_TYPE, RESULTS)


class FakeTime:
    """A clock that moves only when the code under test sleeps or the fake server works."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def server(*answers: Response | BaseException, took: float = 0.0,
           time: FakeTime | None = None) -> MockTransport:
    """A transport giving ``answers`` in turn (the last one repeats), each taking ``took`` seconds."""
    queue = list(answers)

    def handle(request: Request) -> Response:
        if time is not None:
            time.now += took
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, BaseException):
            raise answer
        return answer

    return MockTransport(handle)


def client(transport: MockTransport, fake: FakeTime, **options: object) -> HttpClient:
    return HttpClient(transport=transport, sleep=fake.sleep, clock=fake.clock, **options)  # type: ignore[arg-type]


def store(transport: MockTransport, fake: FakeTime | None = None, **options: object) -> RemoteStore:
    endpoint = RemoteStore(URL, transport=transport, **options)  # type: ignore[arg-type]
    if fake is not None:  # the same client, on the fake clock
        endpoint.client = dataclasses.replace(endpoint.client, sleep=fake.sleep, clock=fake.clock)
    return endpoint


# retries


def test_retry_after_in_seconds_is_honoured() -> None:
    fake = FakeTime()
    transport = server(Response(503, {"Retry-After": "2"}, b"busy"), OK)
    _, rows = store(transport, fake, timeout=10).select(SELECT)
    assert rows == [(Literal("7"),)]
    assert fake.sleeps == [2.0] and len(transport.requests) == 2


def test_retry_after_as_an_http_date_is_honoured() -> None:
    fake = FakeTime()
    when = email.utils.formatdate(time.time() + 60, usegmt=True)
    transport = server(Response(429, {"Retry-After": when}), OK)
    client(transport, fake, timeout=120).send(Request("GET", URL))
    assert len(fake.sleeps) == 1 and 55 < fake.sleeps[0] <= 60


def test_back_off_doubles_without_retry_after() -> None:
    fake = FakeTime()
    transport = server(Response(502), Response(504), Response(503), OK)
    client(transport, fake, timeout=30).send(Request("GET", URL))
    assert fake.sleeps == [0.5, 1.0, 2.0] and len(transport.requests) == 4


def test_retries_are_bounded_and_counted() -> None:
    fake = FakeTime()
    transport = server(Response(503, {"Content-Type": "text/plain"}, b"still busy"))
    with pytest.raises(EndpointError, match=r"answered HTTP 503 Service Unavailable \(after 4 attempts\): still busy"):
        client(transport, fake, timeout=30).send(Request("GET", URL))
    assert len(transport.requests) == 4


def test_a_post_is_not_retried_unless_it_says_so() -> None:
    fake = FakeTime()
    transport = server(Response(503), OK)
    with pytest.raises(EndpointError, match="HTTP 503"):
        client(transport, fake).send(Request("POST", URL, body=b"update=..."))
    assert len(transport.requests) == 1 and fake.sleeps == []
    transport = server(Response(503), OK)
    client(transport, fake).send(Request("POST", URL, body=b"query=...", retryable=True))
    assert len(transport.requests) == 2 and fake.sleeps == [0.5]


def test_queries_and_uploads_are_retryable() -> None:
    assert sparql_request(URL, SELECT).may_retry
    assert Request("PUT", URL).may_retry and Request("GET", URL).may_retry


@pytest.mark.parametrize("status", [400, 401, 403, 404, 500])
def test_other_statuses_are_not_retried(status: int) -> None:
    transport = server(Response(status, {"Content-Type": "text/plain"}, b"no"))
    with pytest.raises(EndpointError, match=f"HTTP {status}"):
        store(transport, FakeTime()).select(SELECT)
    assert len(transport.requests) == 1


# the deadline


class SlowBusyServer:
    """A :class:`~ptce_graph.io.http.Transport` that takes 0.2 s to say 503, and honours the time it is given."""

    def __init__(self, fake: FakeTime) -> None:
        self.fake = fake
        self.calls: list[tuple[float, float]] = []

    def send(self, request: Request, *, timeout: float, max_bytes: int) -> Response:
        self.calls.append((self.fake.now, timeout))
        if timeout < 0.2:
            self.fake.now += timeout
            raise TimeoutError("timed out")
        self.fake.now += 0.2
        return Response(503, {"Retry-After": "1"})


def test_waits_and_attempts_never_pass_the_deadline() -> None:
    fake = FakeTime()
    started = fake.now
    busy = SlowBusyServer(fake)
    with pytest.raises(EndpointError, match=r"did not answer within 2.5 s \(timeout\)"):
        HttpClient(timeout=2.5, retry=RetryPolicy(retries=10), transport=busy, sleep=fake.sleep,
                   clock=fake.clock).send(Request("GET", URL))
    assert fake.now - started == pytest.approx(2.5)
    # attempts at 0, 1.2 and 2.4 s, the last one given only the 0.1 s left
    assert [round(at - started, 6) for at, _ in busy.calls] == [0, 1.2, 2.4]
    assert all(at + timeout <= started + 2.5 + 1e-9 for at, timeout in busy.calls)
    assert fake.sleeps == [1.0, 1.0]


def test_retry_after_past_the_deadline_fails_at_once() -> None:
    fake = FakeTime()
    transport = server(Response(503, {"Retry-After": "3600"}, b"later"))
    with pytest.raises(EndpointError, match="asks to retry after 3600 s, past the 5 s timeout: later"):
        client(transport, fake, timeout=5).send(Request("GET", URL))
    assert fake.sleeps == [] and len(transport.requests) == 1


def test_back_off_past_the_deadline_says_so() -> None:
    fake = FakeTime()
    transport = server(Response(503), took=0.1, time=fake)
    with pytest.raises(EndpointError, match=r"after 2 attempts\); the next retry, in 1 s, would pass the 0.75 s timeout"):
        client(transport, fake, timeout=0.75).send(Request("GET", URL))
    assert fake.sleeps == [0.5]


def test_a_slow_server_times_out_with_fractions_of_a_second() -> None:
    transport = server(TimeoutError("timed out"))
    with pytest.raises(EndpointError, match=r"endpoint http://sparql.example/query did not answer within 0.5 s \(timeout\)"):
        RemoteStore(URL, timeout=0.5, transport=transport).select(SELECT)


@pytest.mark.parametrize("timeout", [0, -1.0])
def test_the_timeout_must_be_positive(timeout: float) -> None:
    with pytest.raises(InputError, match="positive number of seconds"):
        RemoteStore(URL, timeout=timeout)


# what comes back


PROXY_PAGE = (b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title><style>body{}</style></head>"
              b"<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.25</center></body></html>")


def test_html_error_pages_are_named_by_their_title() -> None:
    transport = server(Response(502, {"Content-Type": "text/html"}, PROXY_PAGE))
    with pytest.raises(EndpointError) as info:
        store(transport, FakeTime(), retry=RetryPolicy(retries=0)).select(SELECT)
    assert str(info.value) == (f"endpoint {URL} answered HTTP 502 Bad Gateway: "
                               "an HTML page titled '502 Bad Gateway' (nginx/1.25)")


def test_oversized_answers_are_refused() -> None:
    transport = server(Response(200, JSON_TYPE, b" " * 1001))
    with pytest.raises(EndpointError, match=f"endpoint {URL} sent more than 1000 bytes: answer refused "
                                            r"\(add a LIMIT to the query\)"):
        RemoteStore(URL, max_bytes=1000, transport=transport).select(SELECT)
    RemoteStore(URL, max_bytes=len(RESULTS), transport=server(OK)).select(SELECT)  # the bound itself is fine


@pytest.mark.parametrize(("headers", "body", "message"), [
    ({"Content-Type": "text/html; charset=utf-8"}, b"<html><head><title>Connexion</title></head><form>login</form></html>",
     re.escape("did not answer with SPARQL JSON results (Content-Type text/html): an HTML page titled "
               "'Connexion' (login) - is this the SPARQL endpoint's URL?")),
    ({"Content-Type": "text/plain"}, b"Virtuoso 37000 Error", r"\(Content-Type text/plain\): Virtuoso 37000 Error$"),
    ({}, b"", r"\(Content-Type missing\)"),
    (JSON_TYPE, PROXY_PAGE, "malformed JSON: an HTML page titled '502 Bad Gateway'"),
    (JSON_TYPE, b"[1, 2]", "sent JSON that is not SPARQL results"),
    (JSON_TYPE, b'{"head": {}}', "sent JSON that is not SELECT results"),
])
def test_answers_that_are_not_sparql_results(headers: dict[str, str], body: bytes, message: str) -> None:
    with pytest.raises(EndpointError, match=message):
        RemoteStore(URL, transport=server(Response(200, headers, body))).select(SELECT)


def test_json_answers_under_other_json_types_are_read() -> None:
    for kind in ("application/json", "application/sparql-results+json; charset=UTF-8"):
        assert RemoteStore(URL, transport=server(Response(200, {"content-type": kind}, RESULTS))).select(SELECT)


def test_a_construct_answer_that_is_not_rdf() -> None:
    with pytest.raises(EndpointError, match="did not answer with RDF"):
        RemoteStore(URL, transport=server(OK)).graph_query("CONSTRUCT WHERE { ?s ?p ?o }")


def test_redirects_are_reported_not_followed() -> None:
    transport = server(Response(301, {"Location": "https://sparql.example/query"}))
    with pytest.raises(EndpointError, match=re.escape("HTTP 301 Moved Permanently: redirects to https://sparql.example/query")):
        RemoteStore(URL, transport=transport).select(SELECT)
    assert len(transport.requests) == 1


@pytest.mark.parametrize(("error", "message"), [
    (ConnectionRefusedError(111, "Connection refused"), f"cannot reach endpoint {URL}: .*Connection refused"),
    (socket.gaierror(-2, "Name or service not known"), f"cannot reach endpoint {URL}: .*Name or service not known"),
    (TimeoutError(), f"endpoint {URL} did not answer within 30 s"),
])
def test_connection_failures_name_the_endpoint(error: BaseException, message: str) -> None:
    with pytest.raises(EndpointError, match=message) as info:
        RemoteStore(URL, transport=server(error)).select(SELECT)
    assert info.value.__cause__ is error


# what is sent


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_credentials_go_in_a_basic_authorization_header() -> None:
    transport = server(OK)
    RemoteStore(URL, credentials=("alice", "s3cret"), transport=transport).select(SELECT)
    sent = transport.requests[0]
    assert sent.headers["Authorization"] == _basic("alice", "s3cret")
    assert sent.headers["User-Agent"].startswith("ptce-graph/")


def test_credentials_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTCE_GRAPH_ENDPOINT_USER", "dba")
    monkeypatch.delenv("PTCE_GRAPH_ENDPOINT_PASSWORD", raising=False)  # an empty password is still sent
    transport = server(Response(204), Response(200, {"Content-Type": "application/n-triples"}, b""))
    push_graph(Graph(), "http://store.example/store", transport=transport)
    assert [r.headers["Authorization"] for r in transport.requests] == [_basic("dba", "")] * 2
    monkeypatch.delenv("PTCE_GRAPH_ENDPOINT_USER")
    transport = server(OK)
    RemoteStore(URL, transport=transport).select(SELECT)
    assert "Authorization" not in transport.requests[0].headers


def test_credentials_in_the_url_are_refused() -> None:
    with pytest.raises(InputError, match="credentials in it"):
        RemoteStore("http://alice:s3cret@sparql.example/query")


def test_a_query_is_a_urlencoded_post_built_by_sparqlwrapper() -> None:
    transport = server(Response(200, {"Content-Type": "text/turtle"}, b"<urn:a> <urn:p> 1 ."))
    graph = RemoteStore(URL, transport=transport).graph_query("CONSTRUCT WHERE { ?s ?p ?o }")
    sent = transport.requests[0]
    assert len(graph) == 1 and sent.method == "POST" and sent.url == URL
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert "text/turtle" in sent.headers["Accept"].split(",") and sent.body and sent.body.startswith(b"query=")


def test_push_sends_put_then_get_and_checks_the_count() -> None:
    graph = Graph()
    graph.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
    transport = server(Response(503, {"Retry-After": "0"}), Response(204),
                       Response(200, {"Content-Type": "application/n-triples"}, b""))
    with pytest.raises(EndpointError, match="holds 0 triples in that graph after the upload, 1 were sent"):
        push_graph(graph, "http://store.example/store", "https://example.org/g", transport=transport)
    assert [(r.method, r.url) for r in transport.requests] == [
        ("PUT", "http://store.example/store?graph=https%3A%2F%2Fexample.org%2Fg")] * 2 + [
        ("GET", "http://store.example/store?graph=https%3A%2F%2Fexample.org%2Fg")]
    assert transport.requests[0].headers["Content-Type"] == "application/n-triples"


def test_no_request_goes_through_sparqlwrapper(monkeypatch: pytest.MonkeyPatch) -> None:
    """SPARQLWrapper formulates; it never sends (its urlopen would escape deadline and errors)."""
    import SPARQLWrapper.Wrapper

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("SPARQLWrapper opened a URL")

    monkeypatch.setattr(SPARQLWrapper.Wrapper, "urlopener", refuse)
    with standin(body=RESULTS) as (url, log):
        assert RemoteStore(url).select(SELECT)[1] == [(Literal("7"),)]
    assert log == ["POST /"]


# the standard-library transport, on loopback


def test_proxies_from_the_environment_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("no_proxy", "NO_PROXY", "HTTP_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with standin(body=RESULTS) as (proxy, log):
        monkeypatch.setenv("http_proxy", proxy)
        assert RemoteStore(URL).select(SELECT)[1] == [(Literal("7"),)]
    assert log == [f"POST {URL}"]  # the proxy was asked for the absolute URL


@pytest.fixture
def trickler() -> Iterator[Callable[[], str]]:
    """A server that sends its headers, then one byte of body every 0.1 s, for ever."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)
                try:
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                                 b"Content-Length: 1000000\r\n\r\n")
                    while not stop.wait(0.1):
                        conn.sendall(b" ")
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield lambda: f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    stop.set()
    thread.join(5)
    listener.close()


def test_a_trickling_answer_does_not_pass_the_deadline(trickler: Callable[[], str]) -> None:
    """Each byte comes before any per-read timeout would fire; only an overall deadline stops it."""
    started = time.monotonic()
    with pytest.raises(EndpointError, match=r"did not answer within 0.8 s \(timeout\)"):
        HttpClient(timeout=0.8).send(Request("GET", trickler()))
    assert time.monotonic() - started < 1.5


def test_the_stdlib_transport_reads_at_most_one_byte_past_the_bound() -> None:
    with standin(body=b"x" * 100_000) as (url, _):
        answer = StdlibTransport().send(Request("GET", url), timeout=5, max_bytes=10)
    assert answer.status == 200 and len(answer.body) == 11
