"""No network while reading input: an audit-hook guard.

ptce-graph makes network calls only to an endpoint or store the user names (``--endpoint``,
``--store``). Reading files never needs the network, so :func:`no_network` refuses every
socket connection, name lookup and ``urllib`` request made by Python code while it is
active (in the current thread), whatever library makes it. The guard is a Python audit hook
(:pep:`578`), installed once per process and inert outside :func:`no_network`; code in
Rust (pyoxigraph) does not pass through it, which is why the parsers ptce-graph uses are
also configured never to fetch anything (see :mod:`ptce_graph.io.rdf`).

rdflib's SPARQL engine, which would fetch every graph named in ``FROM`` over HTTP, is set not
to where ptce-graph runs it (pySHACL's SPARQL-based constraints, in :mod:`ptce_graph.check.validate`).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["NetworkRefused", "keep_rdflib_sparql_offline", "network_refused", "no_network"]

#: Audit events that open a connection, resolve a name or start a URL request.
_EVENTS = frozenset(
    {
        "socket.connect",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.sendto",
        "urllib.Request",
        "http.client.connect",
        "ftplib.connect",
        "smtplib.connect",
        "webbrowser.open",
    }
)

_state = threading.local()
_installed = False
_install_lock = threading.Lock()


class NetworkRefused(PermissionError):
    """A network access attempted while ptce-graph was reading input."""


def _target(event: str, args: tuple[Any, ...]) -> str:
    if event == "urllib.Request" and args:
        return str(args[0])
    if event in ("socket.connect", "socket.sendto") and len(args) >= 2:
        return str(args[-1])
    if args:
        return str(args[0])
    return "?"


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event in _EVENTS and getattr(_state, "depth", 0) > 0:
        raise NetworkRefused(
            f"network access refused while reading input ({event} {_target(event, args)}): "
            "ptce-graph never fetches anything while parsing"
        )


def _install() -> None:
    global _installed
    with _install_lock:
        if not _installed:
            sys.addaudithook(_hook)
            _installed = True


def network_refused() -> bool:
    """Whether :func:`no_network` is active in this thread.

    Examples
    --------
    >>> network_refused()
    False
    >>> with no_network():
    ...     network_refused()
    True
    """
    return getattr(_state, "depth", 0) > 0


@contextmanager
def no_network() -> Iterator[None]:
    """Refuse every network access made by Python code in this thread while the block runs.

    Examples
    --------
    >>> import urllib.request
    >>> with no_network():
    ...     urllib.request.urlopen("http://127.0.0.1:9/")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ptce_graph.io.offline.NetworkRefused: network access refused while reading input ...
    """
    _install()
    _state.depth = getattr(_state, "depth", 0) + 1
    try:
        yield
    finally:
        _state.depth -= 1


def keep_rdflib_sparql_offline() -> None:
    """Stop rdflib's SPARQL engine from fetching the graphs a query names in ``FROM``.

    Called before ptce-graph runs rdflib's engine (pySHACL's SPARQL-based constraints); the
    setting is process-wide, as rdflib defines it.

    Examples
    --------
    >>> keep_rdflib_sparql_offline()
    >>> import rdflib.plugins.sparql
    >>> rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS
    False
    """
    import rdflib.plugins.sparql

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
