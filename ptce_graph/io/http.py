"""The one HTTP layer: every request ptce-graph sends goes through :meth:`HttpClient.send`.

:class:`HttpClient` adds what every request needs: a user agent, HTTP basic authentication,
an overall deadline (retries and waits included; fractions of a second allowed), retries of
busy answers (429, 502, 503, 504) for requests that may be repeated, a bound on the size of
answers, and one error type: every failure becomes an :class:`~ptce_graph.errors.EndpointError`
naming the endpoint (refused connection, timeout, HTTP status with the title of HTML error
pages, an answer too large, an answer of the wrong type with :func:`require_type`).

The bytes go over a :class:`Transport`, a one-method protocol (send a :class:`Request`, get a
:class:`Response`), so tests can answer from a function with :class:`MockTransport` instead
of opening sockets.

Why the standard library and not httpx: the default :class:`StdlibTransport` is ~100 lines
over :mod:`http.client`. It can hold a true overall deadline, because it sets the socket
timeout to the time left before each chunk sent or read (httpx, like :mod:`urllib`, only has
per-operation timeouts, so a server that trickles its answer would need a watchdog thread
there too); it adds no dependency (httpx brings httpcore, h11, anyio, certifi, idna); its
connections are seen by the audit hooks of :mod:`ptce_graph.io.offline`; and the features httpx
would add (connection pools, HTTP/2, async) serve nothing here: ptce-graph sends a handful of
requests per command. httpx's ``MockTransport`` is the model of :class:`MockTransport`.
Proxies from the environment (``http_proxy``, ``https_proxy``, ``no_proxy``) are honoured as
:mod:`urllib` does. Redirects are not followed: they are reported with their target, so a
query sent by ``POST`` is never silently turned into a ``GET`` and credentials never go to
another host.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import email.utils
import html
import http.client
import os
import re
import ssl
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Protocol

from ptce_graph._version import __version__
from ptce_graph.errors import EndpointError, InputError

__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_RESPONSE_BYTES",
    "RETRY_STATUSES",
    "USER_AGENT",
    "HttpClient",
    "MockTransport",
    "Request",
    "Response",
    "RetryPolicy",
    "StdlibTransport",
    "Transport",
    "check_url",
    "credentials_from_env",
    "describe_body",
    "looks_like_html",
    "require_type",
    "retry_after_seconds",
]

#: Seconds allowed to one operation (a query, an upload), retries and waits included.
DEFAULT_TIMEOUT = 30.0
#: The largest answer read from an endpoint or store (bytes).
MAX_RESPONSE_BYTES = 256 * 1024 * 1024
#: The ``User-Agent`` of every request.
USER_AGENT = f"ptce-graph/{__version__}"
#: Statuses that say "try again later".
RETRY_STATUSES = frozenset({429, 502, 503, 504})
#: Methods that may be sent twice with the effect of once (RFC 9110, section 9.2.2).
_IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
#: Error answers only feed a message: no need to read more of them.
_ERROR_BODY_BYTES = 64 * 1024
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Request:
    """One HTTP request, as handed to a :class:`Transport`.

    Parameters
    ----------
    method
        ``GET``, ``POST``, ``PUT``...
    url
        The full ``http(s)`` URL, query string included.
    headers
        Header names and values (names compared without regard to case).
    body
        The bytes to send, or ``None``.
    retryable
        Whether the request may be sent again after a busy answer; ``None`` (the default)
        means: if its method is idempotent. A SPARQL query sent by ``POST`` is safe to repeat
        and says so with ``retryable=True``.

    Examples
    --------
    >>> Request("PUT", "http://127.0.0.1:7878/store?default").may_retry
    True
    >>> Request("POST", "http://127.0.0.1:7878/update", body=b"update=...").may_retry
    False
    >>> Request("POST", "http://127.0.0.1:7878/query", body=b"query=...", retryable=True).may_retry
    True
    """

    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None
    retryable: bool | None = None

    @property
    def may_retry(self) -> bool:
        """Whether a busy answer may be followed by the same request again."""
        return self.method.upper() in _IDEMPOTENT if self.retryable is None else self.retryable


@dataclass(frozen=True)
class Response:
    """The status, headers and body of one HTTP answer.

    Examples
    --------
    >>> answer = Response(503, {"retry-after": "2", "Content-Type": "text/plain; charset=utf-8"}, b"busy")
    >>> answer.header("Retry-After"), answer.content_type, answer.reason
    ('2', 'text/plain', 'Service Unavailable')
    """

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    reason: str = ""

    def __post_init__(self) -> None:
        if not self.reason:
            with contextlib.suppress(ValueError):  # a status Python does not name keeps no reason
                object.__setattr__(self, "reason", HTTPStatus(self.status).phrase)

    def header(self, name: str, default: str = "") -> str:
        """The value of header ``name`` (any case), or ``default``."""
        wanted = name.lower()
        return next((value for key, value in self.headers.items() if key.lower() == wanted), default)

    @property
    def content_type(self) -> str:
        """The media type of the body, lower case, without parameters (``""`` if not given)."""
        return self.header("Content-Type").split(";")[0].strip().lower()


class Transport(Protocol):
    """Sends one request and returns the answer, whatever its status.

    A transport raises :class:`TimeoutError` when ``timeout`` seconds have passed, and
    :class:`OSError` (or :class:`http.client.HTTPException`) when the server cannot be reached
    or breaks the protocol; it reads at most ``max_bytes + 1`` bytes of a body, so that the
    caller can tell an answer that is too large. It neither retries nor follows redirects.
    """

    def send(self, request: Request, *, timeout: float, max_bytes: int) -> Response:
        """Send ``request``; answer within ``timeout`` seconds."""
        ...


class MockTransport:
    """A transport that answers from a function, without sockets (for tests).

    Every request is recorded in :attr:`requests`; ``handler`` may also raise
    :class:`TimeoutError` or :class:`ConnectionRefusedError` to play a slow or absent server.

    Examples
    --------
    >>> transport = MockTransport(lambda request: Response(200, {"Content-Type": "text/plain"}, b"hello"))
    >>> HttpClient(transport=transport).send(Request("GET", "http://example.org/")).body
    b'hello'
    >>> transport.requests[0].headers["User-Agent"].startswith("ptce-graph/")
    True
    """

    def __init__(self, handler: Callable[[Request], Response]) -> None:
        self.handler = handler
        self.requests: list[Request] = []

    def send(self, request: Request, *, timeout: float, max_bytes: int) -> Response:
        """Record ``request`` and return the handler's answer."""
        self.requests.append(request)
        return self.handler(request)


class StdlibTransport:
    """The default transport, over :mod:`http.client`, with one connection per request.

    The deadline holds for the whole exchange: before each step (connecting, each chunk of
    the body sent, the status line, each chunk of the answer read) the socket's timeout is
    set to the time left.
    """

    def __init__(self, *, context: ssl.SSLContext | None = None) -> None:
        self.context = context

    def send(self, request: Request, *, timeout: float, max_bytes: int) -> Response:
        """Send ``request`` over a new connection and read the answer."""
        deadline = time.monotonic() + timeout
        parts = urllib.parse.urlsplit(request.url)
        connection, target, extra = self._connect(parts, timeout)
        try:
            connection.putrequest(request.method, target, skip_accept_encoding=True)
            for name, value in {**request.headers, **extra}.items():
                connection.putheader(name, value)
            if request.body is not None:
                connection.putheader("Content-Length", str(len(request.body)))
            connection.endheaders()
            sock = connection.sock
            if request.body:
                view = memoryview(request.body)
                for start in range(0, len(view), _CHUNK):
                    _left(sock, deadline)
                    connection.send(view[start : start + _CHUNK])
            _left(sock, deadline)
            answer = connection.getresponse()
            limit = max_bytes + 1 if answer.status < 300 else _ERROR_BODY_BYTES
            chunks: list[bytes] = []
            size = 0
            while size < limit:
                _left(sock, deadline)
                chunk = answer.read1(min(_CHUNK, limit - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            return Response(answer.status, dict(answer.getheaders()), b"".join(chunks), answer.reason)
        finally:
            connection.close()

    def _connect(
        self, parts: urllib.parse.SplitResult, timeout: float
    ) -> tuple[http.client.HTTPConnection, str, dict[str, str]]:
        """The connection to open, the request target and the headers a proxy needs."""
        host, port = parts.hostname or "", parts.port
        target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
        proxy = urllib.request.getproxies().get(parts.scheme)
        if not proxy or urllib.request.proxy_bypass(host):
            if parts.scheme == "https":
                return (http.client.HTTPSConnection(host, port, timeout=timeout, context=self._context()), target, {})
            return http.client.HTTPConnection(host, port, timeout=timeout), target, {}
        via = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        auth = (
            {
                "Proxy-Authorization": _basic(
                    urllib.parse.unquote(via.username), urllib.parse.unquote(via.password or "")
                )
            }
            if via.username
            else {}
        )
        if parts.scheme == "https":  # a CONNECT tunnel: the proxy sees neither the request nor its answer
            tunnel = http.client.HTTPSConnection(via.hostname or "", via.port, timeout=timeout, context=self._context())
            tunnel.set_tunnel(host, port, headers=auth)
            return tunnel, target, {}
        # a plain-HTTP proxy is sent the absolute URL, with its credentials beside the request's
        absolute = urllib.parse.urlunsplit(parts._replace(fragment=""))
        return http.client.HTTPConnection(via.hostname or "", via.port, timeout=timeout), absolute, auth

    def _context(self) -> ssl.SSLContext:
        return self.context or ssl.create_default_context()


#: The transport of clients given none (it keeps no state between requests).
_STDLIB = StdlibTransport()


def _left(sock: object, deadline: float) -> None:
    """Give the socket the time left before the deadline, or raise :class:`TimeoutError`."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("deadline reached")
    if sock is not None:
        sock.settimeout(left)  # type: ignore[attr-defined]


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


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
        return min(self.max_backoff, self.backoff * 2**attempt)


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
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


def credentials_from_env() -> tuple[str, str] | None:
    """``(user, password)`` from ``PTCE_GRAPH_ENDPOINT_USER``/``_PASSWORD``, or ``None``.

    Examples
    --------
    >>> import os
    >>> os.environ.get("PTCE_GRAPH_ENDPOINT_USER") is None and credentials_from_env() is None
    True
    """
    user = os.environ.get("PTCE_GRAPH_ENDPOINT_USER")
    if not user:
        return None
    return user, os.environ.get("PTCE_GRAPH_ENDPOINT_PASSWORD", "")


def check_url(url: str, what: str = "endpoint") -> str:
    """``url`` if it is an ``http(s)`` URL with a host and no credentials in it.

    Raises
    ------
    InputError
        Otherwise (a usage error: exit code 2).

    Examples
    --------
    >>> check_url("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/query'
    >>> check_url("ftp://example.org/", "store")
    Traceback (most recent call last):
    ...
    ptce_graph.errors.InputError: store 'ftp://example.org/' is not an http(s) URL
    """
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError as exc:
        raise InputError(f"{what} '{url}' is not a valid URL: {exc}") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{what} '{url}' is not an http(s) URL")
    if parts.username is not None:
        # a password in a URL ends up in shell history, logs and error messages
        raise InputError(
            f"{what} URL has credentials in it: set PTCE_GRAPH_ENDPOINT_USER and PTCE_GRAPH_ENDPOINT_PASSWORD instead"
        )
    return url


def _excerpt(body: bytes | str, limit: int = 300) -> str:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = " ".join(text.split())
    return text[:limit] + ("..." if len(text) > limit else "")


def looks_like_html(body: bytes | str) -> bool:
    """Whether ``body`` starts like an HTML page (whatever its declared type).

    Examples
    --------
    >>> looks_like_html(b"  <!DOCTYPE html><html>...")
    True
    >>> looks_like_html(b'{"head": {}}')
    False
    """
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
    if "html" in content_type.lower() or looks_like_html(body):
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
        content = re.sub(r"<script.*?</script>|<style.*?</style>", " ", text, flags=re.IGNORECASE | re.DOTALL)
        content = html.unescape(re.sub(r"<[^>]+>", " ", content))
        named = " ".join(html.unescape(title.group(1)).split())[:120] if title else ""
        rest = " ".join(content.split())
        while named and rest.startswith(named):  # the title, often repeated as the first heading
            rest = rest[len(named) :].strip()
        detail = f" ({_excerpt(rest, 160)})" if rest else ""
        return (f"an HTML page titled '{named}'" if named else "an HTML page") + detail
    return _excerpt(body)


def require_type(response: Response, accepted: Collection[str], *, name: str, what: str) -> str:
    """The media type of ``response`` if it is one of ``accepted``, else an :class:`EndpointError`.

    An entry of ``accepted`` that starts with ``+`` is a structured-syntax suffix: ``"+json"``
    accepts ``application/sparql-results+json``. The message says what came instead, an HTML
    page by its title, and suggests checking the URL when a page came (a login form or a home
    page answering at the wrong address).

    Examples
    --------
    >>> page = Response(200, {"Content-Type": "text/html"}, b"<html><title>Login</title></html>")
    >>> require_type(page, {"application/sparql-results+json"}, name="endpoint http://h/q",
    ...              what="SPARQL JSON results")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ptce_graph.errors.EndpointError: endpoint http://h/q did not answer with SPARQL JSON results ...'Login' ...
    """
    kind = response.content_type
    if kind in accepted or any(a.startswith("+") and kind.endswith(a) for a in accepted):
        return kind
    hint = " - is this the SPARQL endpoint's URL?" if looks_like_html(response.body) else ""
    raise EndpointError(
        f"{name} did not answer with {what} (Content-Type {kind or 'missing'}): "
        f"{describe_body(response.body, kind)}{hint}"
    )


@dataclass(frozen=True)
class HttpClient:
    """Sends requests with a deadline, retries, a size bound, authentication and clear errors.

    Parameters
    ----------
    timeout
        Seconds allowed to one call of :meth:`send`, every attempt and wait included.
    retry
        When and how long to wait before asking a busy server again (429, 502, 503, 504);
        only requests that :attr:`Request.may_retry` are sent again.
    credentials
        ``(user, password)`` for HTTP basic authentication, or ``None``.
    max_bytes
        The largest answer accepted.
    transport
        What sends the bytes: ``None`` for a :class:`StdlibTransport`; a :class:`MockTransport`
        in tests.
    sleep, clock
        How to wait and tell the time (replaced in tests).

    Examples
    --------
    A server busy once, which asks for a 2 s pause; no real time passes here:

    >>> answers = iter([Response(503, {"Retry-After": "2"}), Response(200, {}, b"ok")])
    >>> waits = []
    >>> client = HttpClient(transport=MockTransport(lambda r: next(answers)), sleep=waits.append)
    >>> client.send(Request("GET", "http://example.org/")).body, waits
    (b'ok', [2.0])

    A refused connection names the server:

    >>> def refuse(request):
    ...     raise ConnectionRefusedError(111, "Connection refused")
    >>> HttpClient(transport=MockTransport(refuse)).send(Request("GET", "http://127.0.0.1:9/"))
    Traceback (most recent call last):
    ...
    ptce_graph.errors.EndpointError: cannot reach endpoint http://127.0.0.1:9/: [Errno 111] Connection refused
    """

    timeout: float = DEFAULT_TIMEOUT
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    credentials: tuple[str, str] | None = None
    max_bytes: int = MAX_RESPONSE_BYTES
    transport: Transport | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        if not self.timeout > 0:
            raise InputError(f"the endpoint timeout must be a positive number of seconds, not {self.timeout:g}")

    def send(
        self, request: Request, *, name: str | None = None, max_bytes: int | None = None, too_large: str = ""
    ) -> Response:
        """Send ``request`` and return its successful (2xx) answer.

        Parameters
        ----------
        request
            What to send; ``User-Agent`` and ``Authorization`` are added.
        name
            How messages name the server (default: ``endpoint`` and the request's URL).
        max_bytes
            The largest answer accepted for this request (default: the client's).
        too_large
            Advice added to the message when the answer is too large.

        Raises
        ------
        EndpointError
            When the server cannot be reached, does not answer in time, answers with another
            status than 2xx (after retries when allowed) or with more than ``max_bytes``.
        """
        name = name or f"endpoint {request.url}"
        limit = self.max_bytes if max_bytes is None else max_bytes
        headers = {key.title(): value for key, value in request.headers.items()}
        headers["User-Agent"] = USER_AGENT
        if self.credentials:
            headers["Authorization"] = _basic(*self.credentials)
        request = Request(request.method, request.url, headers, request.body, request.retryable)
        deadline = self.clock() + self.timeout
        attempts = 0
        while True:
            attempts += 1
            tried = f" (after {attempts} attempts)" if attempts > 1 else ""
            left = deadline - self.clock()
            if left <= 0:
                raise EndpointError(
                    f"{name} did not answer within {self.timeout:g} s (timeout, after {attempts - 1} attempts)"
                )
            response = self._attempt(request, name, left, limit)
            if 200 <= response.status < 300:
                if len(response.body) > limit:
                    raise EndpointError(
                        f"{name} sent more than {limit} bytes: answer refused"
                        + (f" ({too_large})" if too_large else "")
                    )
                return response
            status = f"{name} answered HTTP {response.status} {response.reason}".rstrip()
            detail = describe_body(response.body, response.content_type)
            if 300 <= response.status < 400 and response.header("Location"):
                detail = f"redirects to {response.header('Location')} (redirects are not followed: give that URL)"
            if response.status not in RETRY_STATUSES or not request.may_retry or attempts > self.retry.retries:
                raise EndpointError(f"{status}{tried}: {detail}")
            asked = retry_after_seconds(response.header("Retry-After") or None)
            wait = self.retry.delay(attempts - 1, asked)
            if wait >= deadline - self.clock():
                if asked is not None:
                    raise EndpointError(
                        f"{status} and asks to retry after {wait:g} s, past the "
                        f"{self.timeout:g} s timeout{tried}: {detail}"
                    )
                raise EndpointError(
                    f"{status}{tried}; the next retry, in {wait:g} s, would pass the "
                    f"{self.timeout:g} s timeout: {detail}"
                )
            self.sleep(wait)

    def _attempt(self, request: Request, name: str, left: float, limit: int) -> Response:
        try:
            return (self.transport or _STDLIB).send(request, timeout=left, max_bytes=limit)
        except TimeoutError as exc:  # socket.timeout is TimeoutError since Python 3.10
            raise EndpointError(f"{name} did not answer within {self.timeout:g} s (timeout)") from exc
        except ssl.SSLError as exc:
            raise EndpointError(f"cannot reach {name}: TLS failed: {exc.reason or exc}") from exc
        except OSError as exc:
            raise EndpointError(f"cannot reach {name}: {exc}") from exc
        except http.client.HTTPException as exc:
            raise EndpointError(f"{name} broke the HTTP protocol: {type(exc).__name__} {exc}".rstrip()) from exc
