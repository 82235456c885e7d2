"""Pause Python's cyclic garbage collector while building many objects at once.

Projecting a national graph to NetworkX makes millions of small dicts and tuples; every
700 new ones, the collector scans the young objects, and every so often all of them: up to
half of the time of a projection (``docs/performance.md``). None of these objects form
reference cycles, so the collector is paused for the duration and resumed after (it then
finds nothing to free). Nested pauses are fine; a collector the caller disabled stays off.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

__all__ = ["gc_paused", "paused_gc"]

_P = ParamSpec("_P")
_R = TypeVar("_R")

_depth = 0


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with the cyclic garbage collector paused.

    Examples
    --------
    >>> import gc
    >>> with paused_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    global _depth
    resume = _depth == 0 and gc.isenabled()
    if resume:
        gc.disable()
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if resume:
            gc.enable()


def gc_paused(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Decorate a function so that it runs with the collector paused (see :func:`paused_gc`)."""

    @functools.wraps(function)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with paused_gc():
            return function(*args, **kwargs)

    return wrapper
