"""ptce-graph: a knowledge graph of French territorial economic cooperation hubs (PTCE).

Examples
--------
>>> import ptce_graph
>>> graph = ptce_graph.load()                       # the shipped, sourced dataset
>>> report = ptce_graph.validate(graph)
>>> report.violations
0
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__: str = version("ptce-graph")
except PackageNotFoundError:  # pragma: no cover - running from a checkout without install
    __version__ = "0.0.0+unknown"

from .build import BuildResult, build, load  # noqa: E402
from .errors import EndpointError, InputError, PtceGraphError  # noqa: E402
from .export import export_graph  # noqa: E402
from .validate import ValidationReport, ValidationResult, validate  # noqa: E402

__all__ = [
    "__version__",
    "load",
    "build",
    "BuildResult",
    "validate",
    "ValidationReport",
    "ValidationResult",
    "export_graph",
    "PtceGraphError",
    "InputError",
    "EndpointError",
]
