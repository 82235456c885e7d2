"""Remote SPARQL 1.1 endpoints (queries) and Graph Store uploads, over :mod:`ptce_graph.io.http`.

SPARQLWrapper formulates each query as the SPARQL 1.1 Protocol wants it (``POST`` of a
URL-encoded form, the ``Accept`` header of the query form, the ``format`` parameters some
servers read); the request is then sent by :class:`~ptce_graph.io.http.HttpClient`, like the
Graph Store requests of :func:`push_graph`, and the answer is read here.

Credentials for HTTP basic authentication come from the environment variables
``PTCE_GRAPH_ENDPOINT_USER`` and ``PTCE_GRAPH_ENDPOINT_PASSWORD``, never from the command line.
Every failure (refused connection, timeout, HTTP error, a page that is not SPARQL results)
becomes an :class:`~ptce_graph.errors.EndpointError` naming the endpoint.

An endpoint that answers 429 (too many requests), 502, 503 or 504 is asked again, at most
:attr:`RetryPolicy.retries` times, after the delay its ``Retry-After`` header gives (in
seconds or as an HTTP date) or else after an exponential back-off; waiting never goes past
the overall ``timeout``. Other errors are not retried. HTML error pages (from a proxy, a
login form) are recognised and named by their title.
"""

from __future__ import annotations

import copy
import json
import urllib.parse
from collections.abc import Collection
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from SPARQLWrapper import JSON, POST, TURTLE, URLENCODED, SPARQLWrapper

from ptce_graph.errors import EndpointError, InputError
from ptce_graph.io.formats import formats, rdf_format
from ptce_graph.io.http import (
    DEFAULT_TIMEOUT,
    MAX_RESPONSE_BYTES,
    USER_AGENT,
    HttpClient,
    Request,
    Response,
    RetryPolicy,
    Transport,
    _excerpt,
    check_url,
    credentials_from_env,
    describe_body,
    require_type,
    retry_after_seconds,
)
from ptce_graph.io.ntriples import NTriples
from ptce_graph.io.rdf import parse_rdf_text
from ptce_graph.io.serialize import serialize_lines
from ptce_graph.model.namespaces import PREFIXES
from ptce_graph.query.text import prologue_for, strip_comments
from ptce_graph.store import LocalStore, SelectRows

__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_RESPONSE_BYTES",
    "RemoteStore",
    "RetryPolicy",
    "credentials_from_env",
    "describe_body",
    "push_graph",
    "retry_after_seconds",
    "sparql_request",
]

#: The RDF media types a CONSTRUCT or DESCRIBE answer may come in, from the one format table
#: (and ``application/turtle``, which some servers send).
_GRAPH_TYPES = {m: f for f in formats("rdf") for m in f.media_types} | {"application/turtle": rdf_format("ttl")}
#: What a JSON answer may be labelled (``text/json``: older servers).
_JSON_TYPES = ("application/sparql-results+json", "application/json", "text/json", "+json")
_TOO_LARGE = "add a LIMIT to the query"


def sparql_request(url: str, query: str, return_format: str = JSON) -> Request:
    """The SPARQL 1.1 Protocol request for ``query``, as SPARQLWrapper formulates it (not sent).

    A query (not an update) is sent by ``POST`` as a URL-encoded form, and marked as safe to
    repeat after a busy answer.

    Examples
    --------
    >>> request = sparql_request("http://127.0.0.1:7878/query", "ASK { ?s ?p ?o }")
    >>> request.method, request.headers["Content-Type"], request.may_retry
    ('POST', 'application/x-www-form-urlencoded', True)
    >>> request.headers["Accept"].split(",")[0]
    'application/sparql-results+json'
    >>> b"query=ASK+%7B+%3Fs+%3Fp+%3Fo+%7D" in request.body
    True
    """
    wrapper = SPARQLWrapper(url, agent=USER_AGENT)
    wrapper.setMethod(POST)
    wrapper.setRequestMethod(URLENCODED)
    wrapper.setQuery(query)
    wrapper.setReturnFormat(return_format)
    # SPARQLWrapper has no public way to build a request without sending it; it sends through
    # urllib, outside the deadline, retries and error mapping of ptce_graph.io.http
    built = wrapper._createRequest()
    headers = {name.title(): value for name, value in built.header_items()}
    data = built.data
    assert data is None or isinstance(data, bytes), "SPARQLWrapper encodes its form as bytes"
    return Request(built.get_method(), built.full_url, headers, data, retryable=not wrapper.isSparqlUpdateRequest())


def _term(binding: Any, url: str) -> Node:
    if not isinstance(binding, dict):
        raise EndpointError(f"endpoint {url} sent a binding that is not a JSON object: {_excerpt(repr(binding))}")
    kind, value = binding.get("type"), binding.get("value", "")
    if not isinstance(value, str):
        raise EndpointError(f"endpoint {url} sent a term value that is not a string: {_excerpt(repr(binding))}")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):  # typed-literal: SPARQL 1.0 drafts, still sent by Virtuoso
        try:
            if binding.get("xml:lang"):
                return Literal(value, lang=binding["xml:lang"])
            if binding.get("datatype"):
                return Literal(value, datatype=URIRef(binding["datatype"]))
        except (ValueError, TypeError) as exc:
            raise EndpointError(f"endpoint {url} sent an unusable literal {_excerpt(repr(binding))}: {exc}") from exc
        return Literal(value)
    raise EndpointError(f"unknown term type {kind!r} in SPARQL JSON results from {url}")


class RemoteStore:
    """A remote SPARQL 1.1 Protocol endpoint.

    Parameters
    ----------
    url
        The query endpoint (e.g. ``http://127.0.0.1:7878/query`` for Oxigraph,
        ``http://127.0.0.1:8890/sparql`` for Virtuoso, ``http://host:3030/ds/sparql`` for Fuseki).
    timeout
        Seconds to wait for an answer, retries included, before giving up with an
        :class:`EndpointError`.
    credentials
        ``(user, password)`` for HTTP basic authentication; by default
        :func:`credentials_from_env`.
    retry
        When and how long to wait before asking a busy endpoint again.
    max_bytes
        The largest answer accepted.
    transport
        What sends the requests (by default the standard library; see :mod:`ptce_graph.io.http`).
    prefixes
        Prefixes declared (as a ``PREFIX`` prologue) in the queries that use them without
        declaring them, besides the project's (:data:`~ptce_graph.model.namespaces.PREFIXES`).

    Examples
    --------
    An endpoint played by a function, so no socket is opened:

    >>> from ptce_graph.io.http import MockTransport, Response
    >>> answer = b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "x"}}]}}'
    >>> json_type = {"Content-Type": "application/sparql-results+json"}
    >>> endpoint = MockTransport(lambda request: Response(200, json_type, answer))
    >>> RemoteStore("http://127.0.0.1:7878/query", transport=endpoint).select("SELECT ?n WHERE { ?s ?p ?n }")
    (['n'], [(rdflib.term.Literal('x'),)])
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        credentials: tuple[str, str] | None = None,
        retry: RetryPolicy | None = None,
        max_bytes: int = MAX_RESPONSE_BYTES,
        transport: Transport | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> None:
        self.url = check_url(url, "endpoint")
        self.prefixes = {**PREFIXES, **(prefixes or {})}
        self.name = f"endpoint {url}"
        self.timeout = timeout
        self.credentials = credentials if credentials is not None else credentials_from_env()
        self.retry = retry or RetryPolicy()
        self.max_bytes = max_bytes
        self.client = HttpClient(
            timeout=timeout, retry=self.retry, credentials=self.credentials, max_bytes=max_bytes, transport=transport
        )

    def with_prefixes(self, extra: dict[str, str]) -> RemoteStore:
        """The same endpoint, its queries also given the prefixes ``extra`` when they use them."""
        other = copy.copy(self)
        other.prefixes = {**self.prefixes, **extra}
        return other

    def _fetch(self, query: str, return_format: str, accepted: Collection[str], what: str) -> Response:
        request = sparql_request(self.url, prologue_for(query, self.prefixes) + strip_comments(query), return_format)
        response = self.client.send(request, name=self.name, too_large=_TOO_LARGE)
        require_type(response, accepted, name=self.name, what=what)
        return response

    def _json(self, query: str) -> dict[str, Any]:
        body = self._fetch(query, JSON, _JSON_TYPES, "SPARQL JSON results").body
        try:
            document = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
            raise EndpointError(f"endpoint {self.url} sent malformed JSON: {describe_body(body)}") from exc
        if not isinstance(document, dict):
            raise EndpointError(f"endpoint {self.url} sent JSON that is not SPARQL results: {_excerpt(body)}")
        return document

    def select(self, query: str) -> SelectRows:
        """Run a ``SELECT`` query; its column names and rows of rdflib terms (``None`` if unbound)."""
        document = self._json(query)
        try:
            columns = [str(c) for c in document["head"]["vars"]]
            bindings = document["results"]["bindings"]
            if not isinstance(bindings, list):
                raise TypeError("bindings")
            rows = [tuple(_term(b[c], self.url) if c in b else None for c in columns) for b in bindings]
        except (KeyError, TypeError) as exc:
            raise EndpointError(
                f"endpoint {self.url} sent JSON that is not SELECT results: {_excerpt(json.dumps(document))}"
            ) from exc
        return columns, rows

    def ask(self, query: str) -> bool:
        """Run an ``ASK`` query."""
        document = self._json(query)
        if not isinstance(document.get("boolean"), bool):
            raise EndpointError(f"endpoint {self.url} sent JSON that is not an ASK answer")
        return bool(document["boolean"])

    def graph_query(self, query: str) -> Graph:
        """Run a ``CONSTRUCT`` or ``DESCRIBE`` query; the graph it answers (asked as Turtle)."""
        response = self._fetch(query, TURTLE, _GRAPH_TYPES, "RDF")
        body, fmt = response.body, _GRAPH_TYPES[response.content_type]
        try:
            return parse_rdf_text(body.decode("utf-8"), fmt.name, where=self.url)
        except (InputError, UnicodeDecodeError) as exc:
            raise EndpointError(f"endpoint {self.url} sent unreadable RDF: {exc}") from exc


def push_graph(
    graph: Graph | LocalStore,
    store_url: str,
    graph_iri: str | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    credentials: tuple[str, str] | None = None,
    retry: RetryPolicy | None = None,
    transport: Transport | None = None,
) -> int:
    """Replace one graph of a remote store with ``graph`` (SPARQL 1.1 Graph Store HTTP Protocol).

    Sends ``PUT STORE?graph=IRI`` (or ``?default``) with N-Triples, then reads the graph back
    with ``GET`` and checks that the store holds as many triples as were sent. Both requests
    are idempotent, so a busy store (429/502/503/504) is asked again as for queries.

    ``graph`` is an rdflib graph or an embedded store (:class:`~ptce_graph.store.LocalStore`,
    for large graphs: its N-Triples are written by Oxigraph, and the answer is counted by
    pyoxigraph's parser, without making rdflib terms).

    ``timeout`` bounds each of the two requests, retries included; ``credentials`` default to
    :func:`credentials_from_env`; ``transport`` is as for :class:`RemoteStore`.

    Returns
    -------
    int
        The number of triples now in that graph of the store.

    Raises
    ------
    EndpointError
        When the store cannot be reached, refuses the upload, or holds another number of triples.

    Examples
    --------
    A store played by a function that keeps what it is sent:

    >>> from rdflib import Graph, Literal, URIRef
    >>> from ptce_graph.io.http import MockTransport, Response
    >>> held = {}
    >>> def store(request):
    ...     if request.method == "PUT":
    ...         held["body"] = request.body
    ...         return Response(204)
    ...     return Response(200, {"Content-Type": "application/n-triples"}, held["body"])
    >>> graph = Graph()
    >>> graph.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))  # doctest: +ELLIPSIS
    <Graph ...>
    >>> push_graph(graph, "http://127.0.0.1:7878/store", transport=MockTransport(store))
    1
    """
    check_url(store_url, "store")
    credentials = credentials if credentials is not None else credentials_from_env()
    client = HttpClient(timeout=timeout, retry=retry or RetryPolicy(), credentials=credentials, transport=transport)
    separator = "&" if "?" in store_url else "?"
    target = (
        f"{store_url}{separator}graph={urllib.parse.quote(graph_iri, safe='')}"
        if graph_iri
        else f"{store_url}{separator}default"
    )
    if isinstance(graph, LocalStore):
        dumped = graph.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        assert dumped is not None, "dump() without an output gives the bytes"
        payload = dumped
    else:
        payload = serialize_lines(graph if isinstance(graph, NTriples) else NTriples.from_graph(graph), "nt")
    sent, size = len(graph), len(payload)
    client.send(Request("PUT", target, {"Content-Type": "application/n-triples"}, payload))
    del payload
    # the answer is the graph just sent: allow it its size (and room for other escapes)
    try:
        response = client.send(
            Request("GET", target, {"Accept": "application/n-triples"}), max_bytes=max(MAX_RESPONSE_BYTES, 2 * size)
        )
    except EndpointError as exc:
        # the store took the upload: saying it cannot be reached would send the user looking
        # in the wrong place
        raise EndpointError(
            f"store {store_url} accepted the upload of {sent} triples, but reading the graph back to check it "
            f"failed: {exc}"
        ) from exc
    try:
        stored = sum(1 for _ in ox.parse(response.body, ox.RdfFormat.N_TRIPLES))
    except SyntaxError as exc:
        raise EndpointError(f"store {store_url} sent back unreadable N-Triples: {exc}") from exc
    if stored != sent:
        raise EndpointError(
            f"store {store_url} holds {stored} triples in that graph after the upload, {sent} were sent"
        )
    return stored
