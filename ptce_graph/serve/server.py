"""``ptce-graph serve``: a read-only SPARQL 1.1 Protocol endpoint over the embedded store.

The HTTP side is a plain WSGI application (tested without a socket) served by waitress with
a bounded number of threads. Queries run in a pool of worker processes, each holding its own
Oxigraph store: a query past the time limit has its worker killed and replaced, so the work
really stops. Each worker has an address-space limit (a query that needs more memory kills
only its worker, which is replaced) and a cap on the size of one answer. Requests wait at
most the time limit for a free worker, then get 503. ``SERVICE``, ``FROM`` and updates are
refused; nothing is fetched from the network.

Slow clients. Waitress reads every connection in one event loop (``poll``), so an idle
connection costs a socket and a few kilobytes, not a thread; it is kept as the server. Its
defaults were not: 100 connections at most, and a connection closed only after 120 s of
silence. Measured on the reference machine (2 cores), 120 half-open requests made a new
client time out after 30 s, and a client sending one header byte a second was still
connected after 160 s: waitress counts only silence, never how long a request takes. So
:func:`create_server` sets :data:`IDLE_SECONDS` of silence (``channel_timeout``),
:data:`REQUEST_SECONDS` for a whole request from its first byte (a check added to waitress's
once-a-second maintenance), :data:`CONNECTION_LIMIT` connections (the open-files limit raised
to match). With these, beside 300 half-open requests and 4 trickling clients a new client is
answered in 0.2-0.6 s, the silent connections are closed within 7 s and the trickling ones
after 11-12 s (``tests/serve/test_slow_clients.py``); 3,000 idle connections add about 10 ms
to a request, the event loop's pass over them. Other servers were not measured: by their
documented options, cheroot reads a request in a worker thread (a trickling client holds a
thread) and uvicorn's only timeout is for idle keep-alive connections, so neither would do
better without the same addition. A public endpoint still belongs behind
a reverse proxy that limits connections per client: one process cannot outlast a client
that opens thousands of connections again and again.
"""

from __future__ import annotations

import hashlib
import ipaddress
import multiprocessing
import os
import queue
import re
import resource
import threading
import time
import urllib.parse
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import IO, Any, cast

import pyoxigraph as ox
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer

from ptce_graph._version import __version__
from ptce_graph.errors import InputError
from ptce_graph.io.cells import NOT_XML
from ptce_graph.io.formats import formats
from ptce_graph.model.namespaces import PREFIXES
from ptce_graph.query.bounded import CappedOutput, limit_memory
from ptce_graph.query.catalog import CannedQuery, load_catalog
from ptce_graph.query.guard import RefusedQuery, check_query
from ptce_graph.query.run import bind_parameters, render_query
from ptce_graph.serve import linked
from ptce_graph.serve.query_page import PAGE_POLICY, query_page

__all__ = [
    "CONNECTION_LIMIT",
    "IDLE_SECONDS",
    "MAX_RESULT_BYTES",
    "REQUEST_SECONDS",
    "WORKER_MEMORY",
    "QueryPool",
    "SparqlApp",
    "create_server",
    "serve",
]

#: Media types offered, from the one format table: results of SELECT and ASK, graphs of
#: CONSTRUCT and DESCRIBE.
_RESULT_TYPES: dict[str, ox.QueryResultsFormat] = {
    m: f.oxigraph for f in formats("results") if isinstance(f.oxigraph, ox.QueryResultsFormat) for m in f.media_types
}
_GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    m: f.oxigraph
    for f in formats("rdf")
    if isinstance(f.oxigraph, ox.RdfFormat)
    for m in f.media_types
    if m != "text/plain"
}
_MAX_BODY = 1024 * 1024
#: The largest answer one query may produce (bytes); past it the query gets 400.
MAX_RESULT_BYTES = 64 * 1024 * 1024
#: The address space a query worker may use (bytes); past it the worker dies and is replaced.
WORKER_MEMORY = 2 * 1024 * 1024 * 1024


def _negotiate(accept: str, offered: dict[str, Any], default: str) -> str | None:
    """The offered media type the Accept header prefers (``None`` when none is acceptable)."""
    if not accept.strip():
        return default
    choices: list[tuple[float, int, str]] = []
    for position, media, quality in linked.weighted(accept):
        if quality <= 0:
            continue
        if media in offered:
            choices.append((-quality, position, media))
        elif media in ("*/*", "application/*", "text/*"):
            match = (
                default
                if media == "*/*" or default.startswith(media[:-1])
                else next((m for m in offered if m.startswith(media[:-1])), None)
            )
            if match:
                choices.append((-quality, position + 1000, match))
    return min(choices)[2] if choices else None


def _worker(
    conn: Connection, payload: bytes, memory: int | None = WORKER_MEMORY, max_result: int = MAX_RESULT_BYTES
) -> None:  # pragma: no cover - runs in a child process
    store = ox.Store()
    store.bulk_load(payload, ox.RdfFormat.N_TRIPLES)
    del payload
    limit_memory(memory)
    conn.send(_READY)
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        if isinstance(message, _Describe):
            try:
                conn.send(linked.describe(store, message.iri))
            except Exception as exc:  # a bug must not take the worker down with it
                conn.send(linked.Description(400, message=f"cannot describe <{message.iri}>: {exc}"))
        else:
            conn.send(_answer(store, *message, max_result=max_result))


def _answer(
    store: ox.Store, text: str, accept: str, trusted: bool, *, max_result: int
) -> tuple[int, str, bytes, bool]:  # pragma: no cover - runs in a child process
    """Status, content type and body of one query, and whether its text passed the check."""
    output = CappedOutput(max_result)
    try:
        if not trusted:
            check_query(text)
    except RefusedQuery as exc:
        return (
            403 if exc.reason in ("update", "service") else 400,
            "text/plain; charset=utf-8",
            str(exc).encode(),
            False,
        )
    except SyntaxError as exc:
        return 400, "text/plain; charset=utf-8", f"invalid SPARQL: {exc}".encode(), False
    try:
        result = store.query(text, prefixes=PREFIXES)
        if isinstance(result, ox.QueryTriples):
            media = _negotiate(accept, _GRAPH_TYPES, "text/turtle")
            if media is None:
                return 406, "text/plain", b"cannot produce any accepted media type for a graph", True
            result.serialize(cast(IO[bytes], output), format=_GRAPH_TYPES[media])
        else:
            media = _negotiate(accept, _RESULT_TYPES, "application/sparql-results+json")
            if media is None:
                return 406, "text/plain", b"cannot produce any accepted media type for results", True
            result.serialize(cast(IO[bytes], output), format=_RESULT_TYPES[media])
        body = b"".join(output.parts)
        if "xml" in media:
            found = NOT_XML.search(body.decode("utf-8", "replace"))
            if found is not None:
                # pyoxigraph writes the character as it is: the answer would not be XML
                message = (
                    f"the answer holds U+{ord(found.group()):04X}, a character XML 1.0 cannot carry: "
                    "ask for application/sparql-results+json, text/csv, text/turtle or application/n-triples"
                )
                return 406, "text/plain; charset=utf-8", message.encode(), True
        return 200, f"{media}; charset=utf-8", body, True
    except SyntaxError as exc:
        return 400, "text/plain; charset=utf-8", f"invalid SPARQL: {exc}".encode(), True
    except MemoryError:
        return 503, "text/plain; charset=utf-8", b"query stopped: it needs more memory than a query may use", True
    except Exception as exc:
        if output.overflow:
            message = f"the result is larger than {max_result // (1024 * 1024)} MiB: add a LIMIT"
            return 400, "text/plain; charset=utf-8", message.encode(), True
        return 400, "text/plain; charset=utf-8", f"query failed: {exc}".encode(), True
    finally:
        output.parts.clear()


@dataclass(frozen=True)
class _Describe:
    """Asks a worker for the description of one resource (read by triple patterns, no query)."""

    iri: str


#: What a worker sends once its store is loaded: only then does it take queries.
_READY = "ready"
#: Request texts whose passed check the pool remembers.
_CHECKED_TEXTS = 4096
#: How long a new worker may take to load its store before it is given up (seconds).
_LOAD_SECONDS = 600.0


def _context() -> Any:
    """Forkserver where the platform has it: a new worker is a fork of a process that has
    already imported this module (about 0.05 s), where spawning one re-imports rdflib,
    pyparsing and pyoxigraph (2.5 s of CPU on the reference machine). A busy server replaces
    every worker stopped at the time limit, so that cost would compete with the queries."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        # Ignored once the forkserver runs (one per process): its workers then import this
        # module themselves, which is only slower.
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")  # pragma: no cover - platforms without fork


class QueryPool:
    """Worker processes that each hold a copy of the store; one query at a time per worker.

    The pool starts ``warm`` workers and grows up to ``workers`` when every one is busy,
    keeping a spare started in the background, so that a short query does not wait behind
    long ones. A query that has used ``demote_after`` seconds of CPU has its worker's CPU
    priority lowered (``nice`` 19): on a machine with fewer cores than running queries, short
    queries keep their latency and long ones take what is left. A lowered worker cannot be
    raised again without privileges, so it is retired once its query ends; its successor is
    started at once and the lowered one no longer counts among ``workers``. So at most
    ``workers`` queries run at normal priority, and as many more long ones at the lowest.

    Parameters
    ----------
    payload
        The data (and ontology) as N-Triples bytes, loaded by every worker.
    workers
        How many queries may run at once; further requests wait (up to ``timeout``) for a
        free worker, then get 503.
    timeout
        Seconds a query may run; past it, its worker is killed and replaced.
    memory
        Address space (bytes) each worker may use once its store is loaded; ``None``: no limit.
    max_result
        Bytes one answer may take.
    warm
        Workers started (and loaded) before the pool is returned.
    demote_after
        CPU seconds after which a running query's worker gets the lowest CPU priority (where
        ``/proc`` is missing: seconds of waiting).
    """

    def __init__(
        self,
        payload: bytes,
        *,
        workers: int = 8,
        timeout: float = 10.0,
        memory: int | None = WORKER_MEMORY,
        max_result: int = MAX_RESULT_BYTES,
        warm: int = 2,
        demote_after: float = 0.1,
    ) -> None:
        if workers < 1:
            raise InputError(f"at least one query worker is needed, not {workers}")
        if not timeout > 0:
            raise InputError(f"the query time limit must be a positive number of seconds, not {timeout:g}")
        self.payload, self.timeout, self.workers = payload, timeout, workers
        self.memory, self.max_result = memory, max_result
        self.demote_after = demote_after
        self._context = _context()
        self._idle: queue.Queue[tuple[Any, Connection]] = queue.Queue()
        self._lock = threading.Lock()
        self._all: list[Any] = []
        self._live = 0  # workers started or starting, at most ``workers``
        self._leaving: set[Any] = set()  # lowered workers, replaced already, at most ``workers``
        self._closed = False
        # Digests of the request texts that passed the check, most recent last. The check
        # parses with rdflib's grammar (0.1-1 s for a canned query's text) and each worker
        # caches its own verdicts, but workers are replaced often (after a time limit, after a
        # long query), so the server remembers verdicts across them.
        self._checked: OrderedDict[bytes, None] = OrderedDict()
        starting = [self._start() for _ in range(max(1, min(warm, workers))) if self._reserve()]
        for started in starting:
            if started is not None and self._wait_ready(*started):
                self._idle.put(started)

    def _reserve(self) -> bool:
        """Count one more worker if the pool may grow."""
        with self._lock:
            if self._closed or self._live >= self.workers:
                return False
            self._live += 1
            return True

    def _start(self) -> tuple[Any, Connection] | None:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker, args=(child, self.payload, self.memory, self.max_result), daemon=True
        )
        try:
            process.start()
        except OSError:
            with self._lock:
                self._live -= 1
            return None
        finally:
            child.close()
        with self._lock:
            if not self._closed:
                self._all.append(process)
                return process, parent
            self._live -= 1
        process.kill()  # started in the background while the pool was closing
        process.join()
        return None

    def _wait_ready(self, process: Any, conn: Connection) -> bool:
        try:
            if conn.poll(_LOAD_SECONDS) and conn.recv() == _READY:
                return True
        except (EOFError, OSError):
            pass  # it died while loading: out of memory
        self._retire(process, conn, replace=False)
        return False

    def _grow(self) -> None:
        """Start one more worker in the background when none is idle and the pool may grow."""
        if not self._idle.empty() or not self._reserve():
            return

        def start() -> None:
            started = self._start()
            if started is not None and self._wait_ready(*started):
                self._idle.put(started)

        threading.Thread(target=start, name="ptce-graph query worker start", daemon=True).start()

    def pids(self) -> list[int]:
        """Process ids of the live workers (to measure their memory)."""
        with self._lock:
            return [p.pid for p in self._all if p.pid is not None and p.is_alive()]

    def run(self, text: str, accept: str, *, trusted: bool = False) -> tuple[int, str, bytes]:
        """Run one query; returns the HTTP status, content type and body.

        The worker first checks an untrusted request (:func:`~ptce_graph.query.guard.check_query`):
        parsing is work a hostile request can make long, so it runs where the time limit can
        stop it. ``trusted`` is for canned queries, whose text is ours.
        """
        key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
        if not trusted:
            with self._lock:
                trusted = key in self._checked
        reply, failure = self._exchange((text, accept, trusted))
        if failure is not None:
            return failure
        status, content_type, body, checked = reply
        if checked and not trusted:
            self._remember(key)
        return status, content_type, body

    def describe(self, iri: str) -> linked.Description:
        """The description of one resource (:func:`~ptce_graph.serve.linked.describe`), read
        by a worker under the same time limit as a query."""
        reply, failure = self._exchange(_Describe(iri))
        if failure is not None:
            return linked.Description(failure[0], message=failure[2].decode())
        return cast(linked.Description, reply)

    def _exchange(self, message: object) -> tuple[Any, tuple[int, str, bytes] | None]:
        """Send one message to an idle worker: its reply, or the answer that says why none came."""
        try:
            process, conn = self._idle.get_nowait()
        except queue.Empty:
            self._grow()
            try:
                process, conn = self._idle.get(timeout=self.timeout)
            except queue.Empty:
                return None, (
                    503,
                    "text/plain; charset=utf-8",
                    b"server busy: every query worker is taken; retry later",
                )
        self._grow()  # a spare for the next request, if this was the last idle worker
        timed_out, demoted = False, False
        try:
            deadline = time.monotonic() + self.timeout
            cpu = _cpu_seconds(process.pid)
            conn.send(message)
            ready = conn.poll(min(self.demote_after, self.timeout))
            while not ready and not demoted and time.monotonic() < deadline:
                # Long means CPU used, not time waited: on a saturated machine a short query
                # can wait long for a core, and lowering it then would starve it.
                used = _cpu_seconds(process.pid)
                if cpu is None or used is None or used - cpu >= self.demote_after:
                    demoted = _demote(process.pid)
                    if demoted:
                        self._leave(process)
                    else:
                        break
                else:
                    ready = conn.poll(min(0.05, max(0.0, deadline - time.monotonic())))
            if not ready:
                ready = conn.poll(max(0.0, deadline - time.monotonic()))
            if ready:
                reply = conn.recv()
                if demoted:
                    self._retire(process, conn)
                else:
                    self._idle.put((process, conn))
                return reply, None
            timed_out = True
        except (EOFError, OSError):
            pass  # the worker died: out of memory, or a crash
        self._retire(process, conn)
        if timed_out:
            return None, (
                503,
                "text/plain; charset=utf-8",
                f"query stopped: it ran past the {self.timeout:g} s time limit".encode(),
            )
        return None, (
            503,
            "text/plain; charset=utf-8",
            b"query stopped: its worker ran out of memory or crashed (it was replaced)",
        )

    def _remember(self, key: bytes) -> None:
        """Note a text that passed the check, so that no worker parses it again."""
        with self._lock:
            self._checked[key] = None
            self._checked.move_to_end(key)
            if len(self._checked) > _CHECKED_TEXTS:
                self._checked.popitem(last=False)

    def _retire(self, process: Any, conn: Connection, *, replace: bool = True) -> None:
        """Kill a worker and, unless the pool is closing, start another in the background."""
        process.kill()
        process.join()
        conn.close()
        with self._lock:
            if process in self._all:
                self._all.remove(process)
            if process in self._leaving:
                self._leaving.remove(process)
            else:
                self._live -= 1
        if replace:
            self._grow()

    def _leave(self, process: Any) -> None:
        """Stop counting a lowered worker among the ``workers`` and start its successor now,
        so that it is ready when the long query ends or is stopped."""
        with self._lock:
            if len(self._leaving) >= self.workers or process in self._leaving:
                return
            self._leaving.add(process)
            self._live -= 1
        self._grow()

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            for process in self._all:
                process.kill()
                process.join()
            self._all.clear()


def _cpu_seconds(pid: int | None) -> float | None:
    """CPU time a process has used (Linux ``/proc``; None elsewhere)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS
    except (OSError, IndexError, ValueError):
        return None


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _demote(pid: int | None) -> bool:
    """Give a process the lowest CPU priority; False if the system refuses."""
    if pid is None:
        return False
    try:
        os.setpriority(os.PRIO_PROCESS, pid, 19)
    except OSError:
        return False
    return True


class _BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class _Request:
    method: str
    path: str
    params: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


StartResponse = Callable[[str, list[tuple[str, str]]], Any]
_REASONS = {
    200: "OK",
    204: "No Content",
    304: "Not Modified",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    503: "Service Unavailable",
}


_TEXT = "text/plain; charset=utf-8"
#: The path of the JSON-LD context that exports and frames name (``…/ptce-graph/context.jsonld``).
_CONTEXT_PATH = "/context.jsonld"
_HTML = "text/html; charset=utf-8"
#: What the answers at a resource path depend on besides the path.
_VARY = ("Accept", "Accept-Language")
_ONTOLOGY_VERSION = re.compile(r"/ontology/[0-9]+\.[0-9]+\.[0-9]+")


def _matches(if_none_match: str, tag: str) -> bool:
    """Whether an ``If-None-Match`` header names the entity tag ``tag`` (or is ``*``), weak
    tags compared weakly as RFC 9110 asks for this header.

    Examples
    --------
    >>> _matches('"a", W/"b"', '"b"'), _matches("*", '"c"'), _matches('"a"', '"c"'), _matches("", '"c"')
    (True, True, False, False)
    """
    names = [name.strip() for name in if_none_match.split(",")]
    return "*" in names or tag in (name.removeprefix("W/") for name in names)


def _is_resource_path(path: str) -> bool:
    """Whether a path is one of the project's IRIs (``/id/…``, ``/concept/…``, a document, the
    JSON-LD context)."""
    return (
        path == _CONTEXT_PATH
        or path.startswith(("/id/", "/concept/"))
        or _document_name(path) is not None
        or (_ONTOLOGY_VERSION.fullmatch(path) is not None)
    )


def _document_name(path: str) -> str | None:
    """The document a path names: ``ontology`` for ``/ontology`` and this version's IRI."""
    name = path[1:]
    if name in linked.DOCUMENTS:
        return name
    if path == f"/ontology/{__version__}":
        return "ontology"
    return None


class SparqlApp:
    """The WSGI application: ``/sparql`` (SPARQL 1.1 Protocol, read-only), ``/`` (a page to
    try the canned queries), ``/canned/{id}`` (a canned query with bound parameters), and the
    paths of the project's IRIs by content negotiation (:mod:`ptce_graph.serve.linked`):
    ``/id/...`` and ``/concept/...`` (one resource of the served graph), ``/ontology`` (and
    ``/ontology/{version}``), ``/shapes``, ``/alignments``.

    Parameters
    ----------
    pool
        Where queries run.
    catalog
        The canned queries (default: the shipped ones).
    allowed_hosts
        ``Host`` header values answered (``host`` or ``host:port``, lower case); any other gets
        403, so a page on another site cannot reach the endpoint through a DNS name that it
        rebinds to this address. ``None`` answers every host (for tests and proxies).
    cors_origin
        The one web origin (``https://example.org``) whose pages may read the answers; by
        default none: browsers refuse cross-site reads.
    documents
        The ontology, shapes and alignments answered whole (default: made on first request).
    """

    def __init__(
        self,
        pool: QueryPool,
        catalog: dict[str, CannedQuery] | None = None,
        *,
        allowed_hosts: Iterable[str] | None = None,
        cors_origin: str | None = None,
        documents: linked.Documents | None = None,
    ) -> None:
        self.pool = pool
        self.documents = documents if documents is not None else linked.Documents()
        self.catalog = catalog if catalog is not None else load_catalog()
        self.allowed_hosts = None if allowed_hosts is None else frozenset(h.lower() for h in allowed_hosts)
        self.cors_origin = cors_origin

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        host = str(environ.get("HTTP_HOST", "")).strip().lower()
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            return self._reply(
                start_response,
                403,
                "text/plain; charset=utf-8",
                b"unknown Host header: this endpoint answers only at the address it listens on",
            )
        if self.cors_origin and environ.get("REQUEST_METHOD", "GET").upper() == "OPTIONS":
            return self._reply(start_response, 204, "text/plain; charset=utf-8", b"")
        try:
            request = self._request(environ)
        except _BadRequest as exc:
            return self._reply(start_response, exc.status, "text/plain; charset=utf-8", str(exc).encode())
        if _is_resource_path(request.path):
            return self._resource(request, environ, start_response)
        if request.path in ("/", "/index.html"):
            return self._reply(
                start_response, 200, "text/html; charset=utf-8", self._page().encode(), policy=PAGE_POLICY
            )
        if request.path == "/sparql":
            status, content_type, body = self._sparql(request)
        elif request.path.startswith("/canned/"):
            status, content_type, body = self._canned(request, request.path[len("/canned/") :])
        else:
            status, content_type, body = 404, "text/plain; charset=utf-8", b"not found: try /sparql or /"
        return self._reply(start_response, status, content_type, body)

    def _reply(
        self,
        start_response: StartResponse,
        status: int,
        content_type: str,
        body: bytes,
        *,
        policy: str = "default-src 'none'; frame-ancestors 'none'",
        vary: tuple[str, ...] = (),
        extra: tuple[tuple[str, str], ...] = (),
        head: bool = False,
    ) -> list[bytes]:
        headers = [
            ("Content-Type", content_type),
            *((("Content-Length", str(len(body))),) if status != 304 else ()),
            *extra,
            ("Server", f"ptce-graph/{__version__}"),
            ("X-Content-Type-Options", "nosniff"),
            ("Content-Security-Policy", policy),
            ("Referrer-Policy", "no-referrer"),
            ("X-Frame-Options", "DENY"),
        ]
        if self.cors_origin:
            headers += [
                ("Access-Control-Allow-Origin", self.cors_origin),
                ("Vary", ", ".join((*vary, "Origin"))),
                ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                ("Access-Control-Allow-Headers", "Accept, Content-Type"),
            ]
        else:
            headers.append(("Cross-Origin-Resource-Policy", "same-origin"))
            if vary:
                headers.append(("Vary", ", ".join(vary)))
        start_response(f"{status} {_REASONS.get(status, '')}".strip(), headers)
        return [b"" if head else body]

    def _resource(self, request: _Request, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        """A resource or document of the project by content negotiation: the RDF formats of
        :data:`~ptce_graph.serve.linked.RDF_TYPES`, else HTML (in French if preferred)."""
        head = request.method == "HEAD"

        def reply(status: int, content_type: str, body: bytes, **options: Any) -> list[bytes]:
            if status == 200:
                # the served graph does not change while the server runs: the body's digest is a
                # strong validator, and a client revalidates rather than trusting a stale copy
                tag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
                validators = (("ETag", tag), ("Cache-Control", "no-cache"))
                options["extra"] = (*options.get("extra", ()), *validators)
                if _matches(request.headers.get("if-none-match", ""), tag):
                    return self._reply(start_response, 304, content_type, b"", vary=_VARY, **options)
            return self._reply(start_response, status, content_type, body, vary=_VARY, head=head, **options)

        if request.method not in ("GET", "HEAD"):
            return reply(405, _TEXT, b"use GET or HEAD", extra=(("Allow", "GET, HEAD"),))
        if request.path == _CONTEXT_PATH:  # one form only: JSON-LD processors fetch it as it is
            return reply(200, "application/ld+json; charset=utf-8", linked.context_document())
        media = _negotiate(request.headers.get("accept", ""), linked.PAGE_TYPES, "text/html")
        if media is None:
            offered = ", ".join(linked.PAGE_TYPES)
            return reply(406, _TEXT, f"cannot produce any accepted media type; offered: {offered}".encode())
        fmt = linked.PAGE_TYPES[media]
        lang = linked.page_language(request.headers.get("accept-language", ""))
        base = linked.relative_root(request.path)
        name = _document_name(request.path)
        if name is not None:
            if fmt == "html":
                page, policy = self.documents.page(name, lang, base)
                return reply(200, _HTML, page, policy=policy, extra=(("Content-Language", lang),))
            return reply(200, f"{media}; charset=utf-8", self.documents.rdf(name, fmt))
        raw = environ.get("REQUEST_URI", environ.get("RAW_URI"))
        try:
            iri = linked.resource_iri(request.path, None if raw is None else str(raw))
        except linked.BadPath as exc:
            return reply(400, _TEXT, str(exc).encode())
        found = self.pool.describe(iri)
        if found.status == 404:  # a concept of the project's code lists resolves whatever is served
            known = self.documents.describe(iri)
            if known.status == 200:
                found = known
        if found.status != 200:
            return reply(found.status, _TEXT, found.message.encode())
        if fmt == "html":
            page = linked.entity_page(iri, found, lang=lang, base=base).encode()
            return reply(200, _HTML, page, policy=linked.PAGE_POLICY, extra=(("Content-Language", lang),))
        try:
            document = linked.rdf_document(found.triples, fmt)
        except InputError as exc:  # a literal RDF/XML cannot carry
            return reply(406, _TEXT, f"{exc}; ask for text/turtle or application/ld+json".encode())
        return reply(200, f"{media}; charset=utf-8", document)

    @staticmethod
    def _request(environ: dict[str, Any]) -> _Request:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise _BadRequest(400, "invalid Content-Length") from None
        if length < 0:
            raise _BadRequest(400, "invalid Content-Length")
        if length > _MAX_BODY:
            raise _BadRequest(413, f"request body too large ({length} bytes; limit {_MAX_BODY})")
        body = environ["wsgi.input"].read(length) if length else b""
        params = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        headers = {
            key[5:].replace("_", "-").lower(): value for key, value in environ.items() if key.startswith("HTTP_")
        }
        headers["content-type"] = environ.get("CONTENT_TYPE", "")
        return _Request(
            environ.get("REQUEST_METHOD", "GET").upper(), environ.get("PATH_INFO", "/"), params, headers, body
        )

    def _sparql(self, request: _Request) -> tuple[int, str, bytes]:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if request.method == "GET":
            params = request.params
        elif request.method == "POST":
            if content_type == "application/sparql-query":
                return self.pool.run(request.body.decode("utf-8", "replace"), request.headers.get("accept", ""))
            if content_type == "application/sparql-update":
                return 403, "text/plain; charset=utf-8", b"updates are refused: this endpoint is read-only"
            if content_type != "application/x-www-form-urlencoded":
                return 415, "text/plain; charset=utf-8", b"POST a form (query=...) or application/sparql-query"
            params = urllib.parse.parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True)
        else:
            return 405, "text/plain; charset=utf-8", b"use GET or POST"
        if "update" in params:
            return 403, "text/plain; charset=utf-8", b"updates are refused: this endpoint is read-only"
        if "default-graph-uri" in params or "named-graph-uri" in params:
            return 400, "text/plain; charset=utf-8", b"default-graph-uri and named-graph-uri are not supported"
        queries = params.get("query", [])
        if len(queries) != 1:
            return 400, "text/plain; charset=utf-8", b"give exactly one 'query' parameter"
        return self.pool.run(queries[0], request.headers.get("accept", ""))

    def _canned(self, request: _Request, name: str) -> tuple[int, str, bytes]:
        query = self.catalog.get(name)
        if query is None:
            return 404, "text/plain; charset=utf-8", f"no canned query '{name}'".encode()
        values = {key: value for key, value in request.params.items() if value and any(v for v in value)}
        try:
            text = render_query(
                query.text, bind_parameters(query, {k: v if len(v) > 1 else v[0] for k, v in values.items()})
            )
        except InputError as exc:
            return 400, "text/plain; charset=utf-8", str(exc).encode()
        return self.pool.run(text, request.headers.get("accept", ""), trusted=True)

    def _page(self) -> str:
        return query_page(self.catalog, __version__)


#: Seconds a connection may stay silent, before or between requests, until it is closed
#: (waitress's ``channel_timeout``; its default, 120 s, let 100 silent sockets hold every slot).
IDLE_SECONDS = 5
#: Seconds a client has to send one whole request (line, headers and body, at most 1 MiB)
#: from its first byte. Waitress only counts silence, so a client that trickles a byte every
#: few seconds would otherwise hold its connection for as long as it likes.
REQUEST_SECONDS = 10
#: Open connections served at once. An idle connection is one socket and a few kilobytes in
#: waitress's event loop (no thread), so the limit is high; past it, new clients wait in the
#: listen backlog until the timeouts above free a slot.
CONNECTION_LIMIT = 4096


class _Channel(HTTPChannel):
    """A waitress connection that remembers when the request it is reading began."""

    request_started = 0.0

    def received(self, data: bytes) -> bool:
        if self.request is None and data:
            self.request_started = time.time()
        return bool(super().received(data))


class _Server(TcpWSGIServer):
    """Waitress's TCP server that also closes connections too slow to send their request."""

    channel_class = _Channel

    def maintenance(self, now: float) -> None:
        super().maintenance(now)  # silent connections (IDLE_SECONDS)
        cutoff = now - self.request_seconds
        for channel in self.active_channels.values():
            # A request still being read (not yet handed to a thread) that began too long ago.
            if channel.request is not None and not channel.requests and channel.request_started < cutoff:
                channel.will_close = True

    request_seconds: float = REQUEST_SECONDS


def _open_files(connections: int) -> int:
    """Raise the soft limit of open files for ``connections`` sockets, if the hard limit
    allows; returns the connections that fit."""
    spare = 256  # the listening socket, worker pipes, data files, the forkserver
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + spare
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (OSError, ValueError):
            pass
    if soft == resource.RLIM_INFINITY:
        return connections
    return max(16, min(connections, soft - spare))


def create_server(
    app: SparqlApp,
    *,
    host: str,
    port: int,
    threads: int,
    idle_seconds: int = IDLE_SECONDS,
    request_seconds: float = REQUEST_SECONDS,
    connections: int = CONNECTION_LIMIT,
) -> Any:
    """A waitress server for ``app`` that slow or silent clients cannot fill (see the module
    docstring); ``run()`` serves until interrupted, ``effective_port`` is the bound port."""
    from waitress.adjustments import Adjustments
    from waitress.server import MultiSocketServer
    from waitress.task import ThreadedTaskDispatcher

    adjustments = Adjustments(
        host=host,
        port=port,
        threads=threads,
        max_request_body_size=_MAX_BODY,
        ident=f"ptce-graph/{__version__}",
        channel_timeout=idle_seconds,
        cleanup_interval=1,  # how often the two timeouts are checked
        connection_limit=_open_files(connections),
        # select() cannot watch a descriptor numbered past 1024
        asyncore_use_poll=True,
    )
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(adjustments.threads)
    sockets: dict[int, Any] = {}
    servers = [
        _Server(app, sockets, dispatcher=dispatcher, adj=adjustments, sockinfo=info) for info in adjustments.listen
    ]
    for server in servers:
        server.request_seconds = request_seconds
    if len(servers) == 1:
        return servers[0]
    # A host name with several addresses: one event loop over every socket, as waitress does.
    multi = MultiSocketServer(sockets, adjustments, [(s.effective_host, s.effective_port) for s in servers], dispatcher)
    multi.effective_port = servers[0].effective_port
    return multi


def serve(
    payload: bytes,
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    workers: int = 8,
    threads: int | None = None,
    timeout: float = 10.0,
    cors_origin: str | None = None,
    allowed_hosts: Iterable[str] = (),
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve ``payload`` (N-Triples) read-only until interrupted.

    Requests must name this server in their ``Host`` header: the address it listens on (with
    ``localhost`` for a loopback address) or one of ``allowed_hosts`` (names a reverse proxy
    uses). On a wildcard address (``0.0.0.0``, ``::``) only ``allowed_hosts`` are checked, and
    none given means any host is answered. ``threads`` (default: ``workers`` + 4) answer
    requests; the extra ones answer pages and refusals while every worker is busy.
    """
    pool = QueryPool(payload, workers=workers, timeout=timeout)
    try:
        app = SparqlApp(pool, cors_origin=cors_origin)
        server = create_server(app, host=host, port=port, threads=threads or workers + 4)
        bound = server.effective_port
        app.allowed_hosts = host_names(host, bound, allowed_hosts)
        if on_ready is not None:
            on_ready(f"http://{_url_host(host)}:{bound}/sparql")
        server.run()
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    except ValueError as exc:  # waitress: a host that is no address and no resolvable name
        raise InputError(f"cannot listen on {host}:{port}: not an address of this machine ({exc})") from exc
    finally:
        pool.close()


def host_names(host: str, port: int, extra: Iterable[str] = ()) -> frozenset[str] | None:
    """The ``Host`` header values a server bound to ``host:port`` answers (None: any).

    Examples
    --------
    >>> sorted(host_names("127.0.0.1", 7878))
    ['127.0.0.1:7878', '[::1]:7878', 'localhost:7878']
    >>> host_names("0.0.0.0", 7878) is None
    True
    """
    names = {name.lower() for name in extra}
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None and address.is_unspecified:
        return frozenset(names) or None
    own = {_url_host(host)}
    if host == "localhost" or (address is not None and address.is_loopback):
        own |= {"localhost", "127.0.0.1", "[::1]"}
    names |= {f"{name}:{port}" for name in own} | ({*own} if port == 80 else set())
    return frozenset(names)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
