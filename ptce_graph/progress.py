"""Progress on stderr for long work: a bar on a terminal, nothing when piped, logged or ``--quiet``.

Library code names each stage of a long job with :func:`announce` (``"betweenness"``,
``"validating 16941 triples"``); that costs nothing unless a command opened a :func:`bar`, which
the command line does only when stderr is a terminal and ``--quiet`` was not given. The bar is
drawn by tqdm on stderr, so results on stdout are never mixed with it.
"""

from __future__ import annotations

import contextvars
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

__all__ = ["announce", "bar", "clear", "drawing", "wanted", "write"]

_CURRENT: contextvars.ContextVar[Any] = contextvars.ContextVar("ptce_graph_progress_bar", default=None)


def wanted(stream: IO[str] | None = None, *, quiet: bool = False) -> bool:
    """Whether to draw progress on ``stream`` (stderr): only on a terminal, and not when ``quiet``.

    Examples
    --------
    >>> import io
    >>> wanted(io.StringIO())
    False
    """
    stream = sys.stderr if stream is None else stream
    if quiet:
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


@contextmanager
def bar(title: str, *, enabled: bool, stream: IO[str] | None = None) -> Iterator[None]:
    """Show the stages :func:`announce` names, with the elapsed time, while the block runs.

    With ``enabled`` false nothing is drawn and :func:`announce` does nothing.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> with bar("ptce-graph metrics", enabled=False, stream=out):
    ...     announce("betweenness")
    >>> out.getvalue()
    ''
    """
    if not enabled:
        yield
        return
    from tqdm import tqdm

    progress = tqdm(
        total=None,
        desc=title,
        file=sys.stderr if stream is None else stream,
        bar_format="{desc} [{elapsed}]",
        leave=False,
        dynamic_ncols=True,
        mininterval=0.2,
    )
    token = _CURRENT.set((progress, title))
    try:
        yield
    finally:
        _CURRENT.reset(token)
        progress.close()


def drawing() -> bool:
    """Whether a :func:`bar` is open (and drawn) in this context."""
    return _CURRENT.get() is not None


def clear() -> None:
    """Take the open bar off the screen before results are printed on stdout (which may be the
    same terminal); the next :func:`announce` draws it again.

    Examples
    --------
    >>> clear()  # no bar open: nothing happens
    """
    current = _CURRENT.get()
    if current is not None:
        current[0].clear()


def write(message: str) -> None:
    """Print a line on stderr above the open bar (which is then drawn again below it).

    Examples
    --------
    >>> write("wrote build/m.csv")  # no bar open: an ordinary line on stderr
    """
    current = _CURRENT.get()
    if current is None:
        print(message, file=sys.stderr, flush=True)
        return
    progress, _ = current
    progress.write(message, file=progress.fp)


def announce(stage: str) -> None:
    """Name the stage of the work now starting on the open :func:`bar`, if there is one.

    Examples
    --------
    >>> announce("closeness")  # no bar open: nothing happens
    """
    current = _CURRENT.get()
    if current is None:
        return
    progress, title = current
    progress.update(1)
    progress.set_description_str(f"{title}: {stage} (step {progress.n})", refresh=True)
