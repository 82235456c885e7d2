"""Remote SPARQL 1.1 endpoints (queries through SPARQLWrapper) and Graph Store uploads.

Credentials for HTTP basic authentication come from the environment variables
``PTCE_GRAPH_ENDPOINT_USER`` and ``PTCE_GRAPH_ENDPOINT_PASSWORD``, never from the command line.
Every failure (refused connection, timeout, HTTP error, a page that is not SPARQL results)
becomes an :class:`~ptce_graph.errors.EndpointError` naming the endpoint.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from SPARQLWrapper import JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from . import __version__
from .errors import EndpointError, InputError
from .export import serialize
from .rdfio import parse_rdf_text
from .sparql_text import prologue_for, strip_comments
from .store import SelectRows

__all__ = ["RemoteStore", "push_graph", "credentials_from_env", "DEFAULT_TIMEOUT"]

DEFAULT_TIMEOUT = 30.0
_USER_AGENT = f"ptce-graph/{__version__}"
_GRAPH_TYPES = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "nt",
    "text/plain": "nt", "application/rdf+xml": "xml", "application/ld+json": "json-ld",
}


def credentials_from_env() -> tuple[str, str] | None:
    """``(user, password)`` from ``PTCE_GRAPH_ENDPOINT_USER``/``_PASSWORD``, or ``None``."""
    user = os.environ.get("PTCE_GRAPH_ENDPOINT_USER")
    if not user:
        return None
    return user, os.environ.get("PTCE_GRAPH_ENDPOINT_PASSWORD", "")


def _excerpt(body: bytes | str, limit: int = 300) -> str:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = " ".join(text.split())
    return text[:limit] + ("..." if len(text) > limit else "")


def _is_timeout(exc: BaseException) -> bool:
    reason = getattr(exc, "reason", None)
    return isinstance(exc, (TimeoutError, socket.timeout)) or isinstance(reason, (TimeoutError, socket.timeout))


def _failure(url: str, exc: BaseException, timeout: float) -> EndpointError:
    if _is_timeout(exc):
        return EndpointError(f"endpoint {url} did not answer within {timeout:g} s (timeout)")
    if isinstance(exc, urllib.error.HTTPError):
        try:
            body = exc.read()
        except Exception:  # noqa: BLE001 - the body is only for the message
            body = b""
        return EndpointError(f"endpoint {url} answered HTTP {exc.code} {exc.reason}: {_excerpt(body)}")
    if isinstance(exc, urllib.error.URLError):
        return EndpointError(f"cannot reach endpoint {url}: {exc.reason}")
    if isinstance(exc, SPARQLWrapperException):
        return EndpointError(f"endpoint {url} refused the request: {_excerpt(str(exc))}")
    return EndpointError(f"endpoint {url} failed: {exc}")


def _term(binding: dict[str, Any]) -> Node:
    kind, value = binding.get("type"), binding.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in binding:
            return Literal(value, lang=binding["xml:lang"])
        if "datatype" in binding:
            return Literal(value, datatype=URIRef(binding["datatype"]))
        return Literal(value)
    raise EndpointError(f"unknown term type {kind!r} in SPARQL JSON results")


class RemoteStore:
    """A remote SPARQL 1.1 Protocol endpoint.

    Parameters
    ----------
    url
        The query endpoint (e.g. ``http://127.0.0.1:7878/query`` for Oxigraph,
        ``http://127.0.0.1:8890/sparql`` for Virtuoso, ``http://host:3030/ds/sparql`` for Fuseki).
    timeout
        Seconds to wait for an answer before giving up with an :class:`EndpointError`.
    """

    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT,
                 credentials: tuple[str, str] | None = None) -> None:
        if not url.startswith(("http://", "https://")):
            raise InputError(f"endpoint '{url}' is not an http(s) URL")
        self.url = url
        self.name = f"endpoint {url}"
        self.timeout = timeout
        self.credentials = credentials if credentials is not None else credentials_from_env()

    def _wrapper(self, query: str, return_format: str) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.url, agent=_USER_AGENT)
        wrapper.setTimeout(int(max(1, round(self.timeout))))
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setQuery(prologue_for(query) + strip_comments(query))
        wrapper.setReturnFormat(return_format)
        if self.credentials:
            wrapper.setCredentials(*self.credentials)
        return wrapper

    def _fetch(self, query: str, return_format: str) -> tuple[str, bytes]:
        wrapper = self._wrapper(query, return_format)
        try:
            response = wrapper.query().response
            content_type = response.headers.get("Content-Type", "")
            body = response.read()
        except Exception as exc:  # noqa: BLE001 - mapped to one error type with the details
            raise _failure(self.url, exc, self.timeout) from exc
        return content_type.split(";")[0].strip().lower(), body

    def _json(self, query: str) -> dict[str, Any]:
        content_type, body = self._fetch(query, JSON)
        if "json" not in content_type:
            raise EndpointError(f"endpoint {self.url} did not answer with SPARQL JSON results "
                                f"(Content-Type {content_type or 'missing'}): {_excerpt(body)}")
        try:
            document: dict[str, Any] = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise EndpointError(f"endpoint {self.url} sent malformed JSON: {_excerpt(body)}") from exc
        return document

    def select(self, query: str) -> SelectRows:
        document = self._json(query)
        try:
            columns = list(document["head"]["vars"])
            rows = [tuple(_term(b[c]) if c in b else None for c in columns)
                    for b in document["results"]["bindings"]]
        except (KeyError, TypeError) as exc:
            raise EndpointError(f"endpoint {self.url} sent JSON that is not SELECT results: "
                                f"{_excerpt(json.dumps(document))}") from exc
        return columns, rows

    def ask(self, query: str) -> bool:
        document = self._json(query)
        if not isinstance(document.get("boolean"), bool):
            raise EndpointError(f"endpoint {self.url} sent JSON that is not an ASK answer")
        return bool(document["boolean"])

    def graph_query(self, query: str) -> Graph:
        content_type, body = self._fetch(query, TURTLE)
        fmt = _GRAPH_TYPES.get(content_type)
        if fmt is None:
            raise EndpointError(f"endpoint {self.url} did not answer with RDF "
                                f"(Content-Type {content_type or 'missing'}): {_excerpt(body)}")
        try:
            return parse_rdf_text(body.decode("utf-8"), fmt, where=self.url)
        except (InputError, UnicodeDecodeError) as exc:
            raise EndpointError(f"endpoint {self.url} sent unreadable RDF: {exc}") from exc


def _request(url: str, method: str, *, data: bytes | None = None, headers: dict[str, str],
             timeout: float, credentials: tuple[str, str] | None) -> tuple[int, bytes]:
    headers = {"User-Agent": _USER_AGENT, **headers}
    if credentials:
        token = base64.b64encode(f"{credentials[0]}:{credentials[1]}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) checked
            return response.status, response.read()
    except Exception as exc:  # noqa: BLE001 - mapped to one error type with the details
        raise _failure(url, exc, timeout) from exc


def push_graph(graph: Graph, store_url: str, graph_iri: str | None = None, *,
               timeout: float = DEFAULT_TIMEOUT, credentials: tuple[str, str] | None = None) -> int:
    """Replace one graph of a remote store with ``graph`` (SPARQL 1.1 Graph Store HTTP Protocol).

    Sends ``PUT STORE?graph=IRI`` (or ``?default``) with N-Triples, then reads the graph back
    with ``GET`` and checks that the store holds as many triples as were sent.

    Returns
    -------
    int
        The number of triples now in that graph of the store.
    """
    if not store_url.startswith(("http://", "https://")):
        raise InputError(f"store '{store_url}' is not an http(s) URL")
    credentials = credentials if credentials is not None else credentials_from_env()
    separator = "&" if "?" in store_url else "?"
    target = (f"{store_url}{separator}graph={urllib.parse.quote(graph_iri, safe='')}" if graph_iri
              else f"{store_url}{separator}default")
    payload = serialize(graph, "nt")
    _request(target, "PUT", data=payload, headers={"Content-Type": "application/n-triples"},
             timeout=timeout, credentials=credentials)
    _, body = _request(target, "GET", headers={"Accept": "application/n-triples"},
                       timeout=timeout, credentials=credentials)
    stored = len(parse_rdf_text(body.decode("utf-8"), "nt", where=target))
    if stored != len(graph):
        raise EndpointError(f"store {store_url} holds {stored} triples in that graph after the upload, "
                            f"{len(graph)} were sent")
    return stored
