"""The validation engines, named apart from :mod:`.validate` so that a command line lists them cheaply."""

from __future__ import annotations

from typing import Literal

__all__ = ["DEFAULT_ENGINE", "ENGINES", "Engine"]

#: A validation engine: the shapes compiled to SPARQL on Oxigraph, or pyshacl (the reference).
Engine = Literal["oxigraph", "pyshacl"]
#: The validation engines, the default first.
ENGINES: tuple[Engine, ...] = ("oxigraph", "pyshacl")
#: The engine :func:`~ptce_graph.check.validate.validate` uses when none is given.
DEFAULT_ENGINE: Engine = "oxigraph"
