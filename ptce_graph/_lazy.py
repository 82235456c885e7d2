"""Attributes of a package imported on first use (PEP 562), so a command loads only what it needs.

``import ptce_graph`` then costs milliseconds; ``ptce_graph.open_graph`` imports its module
when first used. Type checkers read the real imports, written under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_attributes"]


def lazy_attributes(package: str, exports: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``, whose name ``n`` is ``exports[n]``'s ``n``.

    Examples
    --------
    >>> getattr_, dir_ = lazy_attributes("ptce_graph", {"InputError": "ptce_graph.errors"})
    >>> getattr_("InputError").__name__, dir_()
    ('InputError', ['InputError'])
    """

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(module), name)

    def __dir__() -> list[str]:
        return sorted(exports)

    return __getattr__, __dir__
