"""ptce-graph: a knowledge graph of French territorial economic cooperation hubs (PTCE).

Examples
--------
>>> import ptce_graph
>>> graph = ptce_graph.open_graph()                 # the shipped, sourced dataset
>>> report = ptce_graph.validate(graph)
>>> report.violations
0
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ptce_graph._lazy import lazy_attributes
from ptce_graph._version import __version__

if TYPE_CHECKING:
    from ptce_graph.check.validate import ValidationReport, ValidationResult, validate
    from ptce_graph.errors import EndpointError, InputError, PtceGraphError
    from ptce_graph.graph import Layer, PtceGraph, open_graph
    from ptce_graph.publish.build import BuildResult, build, load
    from ptce_graph.publish.export import export_graph
    from ptce_graph.query.run import QueryResult, run_query

__all__ = [
    "BuildResult",
    "EndpointError",
    "InputError",
    "Layer",
    "PtceGraph",
    "PtceGraphError",
    "QueryResult",
    "ValidationReport",
    "ValidationResult",
    "__version__",
    "build",
    "export_graph",
    "load",
    "open_graph",
    "run_query",
    "validate",
]

__getattr__, __dir__ = lazy_attributes(
    __name__,
    {
        "BuildResult": "ptce_graph.publish.build",
        "build": "ptce_graph.publish.build",
        "load": "ptce_graph.publish.build",
        "EndpointError": "ptce_graph.errors",
        "InputError": "ptce_graph.errors",
        "PtceGraphError": "ptce_graph.errors",
        "export_graph": "ptce_graph.publish.export",
        "Layer": "ptce_graph.graph",
        "PtceGraph": "ptce_graph.graph",
        "open_graph": "ptce_graph.graph",
        "QueryResult": "ptce_graph.query.run",
        "run_query": "ptce_graph.query.run",
        "ValidationReport": "ptce_graph.check.validate",
        "ValidationResult": "ptce_graph.check.validate",
        "validate": "ptce_graph.check.validate",
    },
)
