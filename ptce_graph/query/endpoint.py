"""Remote SPARQL 1.1 endpoints (queries through SPARQLWrapper) and Graph Store uploads.

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

import ast
import base64
import datetime as dt
import email.utils
import html
import json
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from SPARQLWrapper import JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from ptce_graph._version import __version__
from ptce_graph.errors import EndpointError, InputError
from ptce_graph.io.ntriples import NTriples
from ptce_graph.io.serialize import serialize_lines
from ptce_graph.io.formats import media_type_format
from ptce_graph.io.rdf import parse_rdf_text
from ptce_graph.query.text import prologue_for, strip_comments
from ptce_graph.store import LocalStore, SelectRows

__all__ = [
    "RemoteStore",
    "RetryPolicy",
    "push_graph",
    "credentials_from_env",
    "retry_after_seconds",
    "DEFAULT_TIMEOUT",
    "MAX_RESPONSE_BYTES",
]

DEFAULT_TIMEOUT = 30.0
#: The largest answer read from an endpoint or store (bytes).
MAX_RESPONSE_BYTES = 256 * 1024 * 1024
_USER_AGENT = f"ptce-graph/{__version__}"
#: Statuses that say "try again later".
_RETRY_STATUSES = frozenset({429, 502, 503, 504})
_WRAPPER_STATUS: dict[type[SPARQLWrapperException], tuple[int, str]] = {
    QueryBadFormed: (400, "Bad Request"), Unauthorized: (401, "Unauthorized"),
    EndPointNotFound: (404, "Not Found"), URITooLong: (414, "URI Too Long"),
    EndPointInternalError: (500, "Internal Server Error"),
}
T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait before asking a busy endpoint again.

    The ``n``-th retry waits ``Retry-After`` when the endpoint sends it, else
    ``min(max_backoff, backoff * 2**n)`` seconds; no wait goes past the overall timeout.
    """

    retries: int = 3
    backoff: float = 0.5
    max_backoff: float = 8.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before retry number ``attempt`` (0-based).

        Examples
        --------
        >>> [RetryPolicy().delay(n, None) for n in range(5)]
        [0.5, 1.0, 2.0, 4.0, 8.0]
        >>> RetryPolicy().delay(0, 3.0)
        3.0
        """
        if retry_after is not None:
            return retry_after
        return min(self.max_backoff, self.backoff * 2 ** attempt)


def retry_after_seconds(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """The delay a ``Retry-After`` header asks for, in seconds (``None`` if absent or unreadable).

    Examples
    --------
    >>> retry_after_seconds("2")
    2.0
    >>> now = dt.datetime(2026, 1, 1, 12, 0, 0, tzinfo=dt.timezone.utc)
    >>> retry_after_seconds("Thu, 01 Jan 2026 12:00:05 GMT", now=now)
    5.0
    >>> retry_after_seconds("soon") is None
    True
    """
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    now = now or dt.datetime.now(dt.timezone.utc)
    return max(0.0, (when - now).total_seconds())


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


def _looks_like_html(body: bytes | str) -> bool:
    head = (body[:512].decode("utf-8", "replace") if isinstance(body, bytes) else body[:512]).lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<head", "<body")) or "<html" in head


def describe_body(body: bytes | str, content_type: str = "") -> str:
    """A short description of a response body for an error message; HTML pages by their title.

    Examples
    --------
    >>> describe_body(b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>")
    "an HTML page titled '502 Bad Gateway' (nginx)"
    >>> describe_body(b"Virtuoso 37000 Error SP030")
    'Virtuoso 37000 Error SP030'
    """
    if "html" in content_type.lower() or _looks_like_html(body):
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
        content = re.sub(r"<script.*?</script>|<style.*?</style>", " ", text, flags=re.IGNORECASE | re.DOTALL)
        content = html.unescape(re.sub(r"<[^>]+>", " ", content))
        named = " ".join(html.unescape(title.group(1)).split())[:120] if title else ""
        rest = " ".join(content.split())
        if named and rest.startswith(named):
            rest = rest[len(named):].strip()
        detail = f" ({_excerpt(rest, 160)})" if rest else ""
        return (f"an HTML page titled '{named}'" if named else "an HTML page") + detail
    return _excerpt(body)


def _is_timeout(exc: BaseException) -> bool:
    reason = getattr(exc, "reason", None)
    return isinstance(exc, (TimeoutError, socket.timeout)) or isinstance(reason, (TimeoutError, socket.timeout))


def _wrapper_body(exc: SPARQLWrapperException) -> bytes:
    """The response body SPARQLWrapper folded into its exception's message."""
    _, sep, tail = str(exc).partition("\n\nResponse:\n")
    if sep:
        try:
            value = ast.literal_eval(tail.strip())
        except (ValueError, SyntaxError):
            return tail.encode("utf-8", "replace")
        if isinstance(value, bytes):
            return value
    return b""


def _read_error_body(exc: urllib.error.HTTPError) -> bytes:
    try:
        return exc.read(64 * 1024) or b""
    except Exception:  # noqa: BLE001 - the body is only for the message
        return b""
    finally:
        exc.close()


def _failure(url: str, exc: BaseException, timeout: float, *, attempts: int = 1) -> EndpointError:
    tried = f" (after {attempts} attempts)" if attempts > 1 else ""
    if _is_timeout(exc):
        return EndpointError(f"endpoint {url} did not answer within {timeout:g} s (timeout)")
    if isinstance(exc, urllib.error.HTTPError):
        body = _read_error_body(exc)
        content_type = exc.headers.get("Content-Type", "") if exc.headers else ""
        return EndpointError(f"endpoint {url} answered HTTP {exc.code} {exc.reason}{tried}: "
                             f"{describe_body(body, content_type)}")
    if isinstance(exc, SPARQLWrapperException):
        status = _WRAPPER_STATUS.get(type(exc))
        body = _wrapper_body(exc)
        if status is not None:
            return EndpointError(f"endpoint {url} answered HTTP {status[0]} {status[1]}{tried}: "
                                 f"{describe_body(body) if body else _excerpt(str(exc))}")
        return EndpointError(f"endpoint {url} refused the request: {_excerpt(str(exc))}")
    if isinstance(exc, urllib.error.URLError):
        return EndpointError(f"cannot reach endpoint {url}: {exc.reason}")
    if isinstance(exc, (ConnectionError, OSError)):
        return EndpointError(f"cannot reach endpoint {url}: {exc}")
    return EndpointError(f"endpoint {url} failed: {exc}")


def _with_retries(url: str, attempt: Callable[[float], T], *, timeout: float, policy: RetryPolicy,
                  sleep: Callable[[float], None] = time.sleep,
                  clock: Callable[[], float] = time.monotonic) -> T:
    """Run ``attempt(seconds_left)``, retrying on 429/502/503/504 within ``timeout`` seconds."""
    deadline = clock() + timeout
    tries = 0
    while True:
        tries += 1
        left = deadline - clock()
        if left <= 0:
            raise EndpointError(f"endpoint {url} did not answer within {timeout:g} s (timeout, "
                                f"after {tries - 1} attempts)")
        try:
            return attempt(left)
        except urllib.error.HTTPError as exc:
            if exc.code not in _RETRY_STATUSES or tries > policy.retries:
                raise _failure(url, exc, timeout, attempts=tries) from exc
            wait = policy.delay(tries - 1, retry_after_seconds(exc.headers.get("Retry-After") if exc.headers else None))
            if wait >= deadline - clock():
                body = _read_error_body(exc)
                raise EndpointError(
                    f"endpoint {url} answered HTTP {exc.code} {exc.reason} and asks to retry after {wait:g} s, "
                    f"past the {timeout:g} s timeout: {describe_body(body)}") from exc
            exc.close()
            sleep(wait)
        except EndpointError:
            raise
        except Exception as exc:  # noqa: BLE001 - mapped to one error type with the details
            raise _failure(url, exc, timeout, attempts=tries) from exc


def _read_capped(response: Any, url: str, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = response.read(1024 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise EndpointError(f"endpoint {url} sent more than {limit} bytes: answer refused "
                                "(add a LIMIT to the query)")
        chunks.append(chunk)


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
    retry
        When and how long to wait before asking a busy endpoint again.
    max_bytes
        The largest answer accepted.
    """

    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT,
                 credentials: tuple[str, str] | None = None, retry: RetryPolicy | None = None,
                 max_bytes: int = MAX_RESPONSE_BYTES) -> None:
        if not url.startswith(("http://", "https://")):
            raise InputError(f"endpoint '{url}' is not an http(s) URL")
        if not timeout > 0:
            raise InputError(f"the endpoint timeout must be a positive number of seconds, not {timeout:g}")
        self.url = url
        self.name = f"endpoint {url}"
        self.timeout = timeout
        self.credentials = credentials if credentials is not None else credentials_from_env()
        self.retry = retry or RetryPolicy()
        self.max_bytes = max_bytes

    def _wrapper(self, query: str, return_format: str) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.url, agent=_USER_AGENT)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setQuery(prologue_for(query) + strip_comments(query))
        wrapper.setReturnFormat(return_format)
        if self.credentials:
            wrapper.setCredentials(*self.credentials)
        return wrapper

    def _fetch(self, query: str, return_format: str) -> tuple[str, bytes]:
        wrapper = self._wrapper(query, return_format)

        def attempt(seconds_left: float) -> tuple[str, bytes]:
            # SPARQLWrapper.setTimeout only takes whole seconds; urllib takes fractions
            wrapper.timeout = max(0.05, seconds_left)  # type: ignore[assignment]
            response = wrapper.query().response
            try:
                content_type = response.headers.get("Content-Type", "")
                body = _read_capped(response, self.url, self.max_bytes)
            finally:
                response.close()
            return content_type.split(";")[0].strip().lower(), body

        return _with_retries(self.url, attempt, timeout=self.timeout, policy=self.retry)

    def _json(self, query: str) -> dict[str, Any]:
        content_type, body = self._fetch(query, JSON)
        if "json" not in content_type:
            raise EndpointError(f"endpoint {self.url} did not answer with SPARQL JSON results "
                                f"(Content-Type {content_type or 'missing'}): {describe_body(body, content_type)}"
                                + (" - is this the SPARQL endpoint's URL?" if _looks_like_html(body) else ""))
        try:
            document = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
            raise EndpointError(f"endpoint {self.url} sent malformed JSON: {describe_body(body)}") from exc
        if not isinstance(document, dict):
            raise EndpointError(f"endpoint {self.url} sent JSON that is not SPARQL results: {_excerpt(body)}")
        return document

    def select(self, query: str) -> SelectRows:
        document = self._json(query)
        try:
            columns = [str(c) for c in document["head"]["vars"]]
            bindings = document["results"]["bindings"]
            if not isinstance(bindings, list):
                raise TypeError("bindings")
            rows = [tuple(_term(b[c], self.url) if c in b else None for c in columns) for b in bindings]
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
        fmt = media_type_format(content_type)
        if fmt is None:
            raise EndpointError(f"endpoint {self.url} did not answer with RDF "
                                f"(Content-Type {content_type or 'missing'}): {describe_body(body, content_type)}")
        try:
            return parse_rdf_text(body.decode("utf-8"), fmt.name, where=self.url)
        except (InputError, UnicodeDecodeError) as exc:
            raise EndpointError(f"endpoint {self.url} sent unreadable RDF: {exc}") from exc


def _request(url: str, method: str, *, data: bytes | None = None, headers: dict[str, str],
             timeout: float, credentials: tuple[str, str] | None, policy: RetryPolicy | None = None,
             max_bytes: int = MAX_RESPONSE_BYTES) -> tuple[int, bytes]:
    headers = {"User-Agent": _USER_AGENT, **headers}
    if credentials:
        token = base64.b64encode(f"{credentials[0]}:{credentials[1]}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"

    def attempt(seconds_left: float) -> tuple[int, bytes]:
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        with urllib.request.urlopen(request, timeout=max(0.05, seconds_left)) as response:  # noqa: S310
            return response.status, _read_capped(response, url, max_bytes)

    return _with_retries(url, attempt, timeout=timeout, policy=policy or RetryPolicy())


def push_graph(graph: Graph | LocalStore, store_url: str, graph_iri: str | None = None, *,
               timeout: float = DEFAULT_TIMEOUT, credentials: tuple[str, str] | None = None,
               retry: RetryPolicy | None = None) -> int:
    """Replace one graph of a remote store with ``graph`` (SPARQL 1.1 Graph Store HTTP Protocol).

    Sends ``PUT STORE?graph=IRI`` (or ``?default``) with N-Triples, then reads the graph back
    with ``GET`` and checks that the store holds as many triples as were sent. Both requests
    are idempotent, so a busy store (429/502/503/504) is asked again as for queries.

    ``graph`` is an rdflib graph or an embedded store (:class:`~ptce_graph.store.LocalStore`,
    for large graphs: its N-Triples are written by Oxigraph, and the answer is counted by
    pyoxigraph's parser, without making rdflib terms).

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
    if isinstance(graph, LocalStore):
        payload = graph.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    else:
        payload = serialize_lines(graph if isinstance(graph, NTriples) else NTriples.from_graph(graph), "nt")
    sent, size = len(graph), len(payload)
    _request(target, "PUT", data=payload, headers={"Content-Type": "application/n-triples"},
             timeout=timeout, credentials=credentials, policy=retry)
    del payload
    # the answer is the graph just sent: allow it its size (and room for other escapes)
    _, body = _request(target, "GET", headers={"Accept": "application/n-triples"},
                       timeout=timeout, credentials=credentials, policy=retry,
                       max_bytes=max(MAX_RESPONSE_BYTES, 2 * size))
    try:
        stored = sum(1 for _ in ox.parse(body, ox.RdfFormat.N_TRIPLES))
    except SyntaxError as exc:
        raise EndpointError(f"store {store_url} sent back unreadable N-Triples: {exc}") from exc
    if stored != sent:
        raise EndpointError(f"store {store_url} holds {stored} triples in that graph after the upload, "
                            f"{sent} were sent")
    return stored
