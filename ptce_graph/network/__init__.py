"""Cooperation-network analytics: views of the graph in NetworkX, metrics, exports and plots.

This package is the only part of ptce-graph that imports NetworkX (and, lazily, matplotlib).

Examples
--------
>>> from ptce_graph.network import example_graph, to_networkx, actor_metrics, ptce_indicators
>>> g = to_networkx(example_graph(), "co-membership", as_of="2017")
>>> sorted(g.nodes[n]["label"] for n in g)
['Asso F', 'Coop A', 'Firm B', 'Lycée G']
>>> g.graph["undated"], g.graph["undated_left_out"]  # three memberships have no date: left out
('exclude', 3)
>>> g = to_networkx(example_graph(), "co-membership", as_of="2017", undated="include")
>>> sorted(g.nodes[n]["label"] for n in g), g.graph["undated_assumed"]
(['Agglo C', 'Asso F', 'Coop A', 'Firm B', 'Lycée G'], 3)
>>> table = actor_metrics(g)
>>> table.columns[:4]
('node', 'label', 'kind', 'degree')
>>> len(ptce_indicators(example_graph()))
5
"""

from __future__ import annotations

from ._example import example_graph
from .export import NETWORK_FORMATS, export_network, network_bytes, with_metrics
from .indicators import (
    PTCE_COLUMNS,
    blau_index,
    law_composition,
    ptce_indicators,
    shannon_diversity,
)
from .kinds import KIND_LABELS, KINDS, is_ess
from .metrics import (
    ACTOR_COLUMNS,
    DEFAULT_SEED,
    NETWORK_COLUMNS,
    actor_metrics,
    analysis_graph,
    communities,
    ei_index,
    kind_assortativity,
    network_metrics,
    network_metrics_by_year,
)
from .periods import Interval, TimeWindow, window
from .plot import layout, plot_graph, plot_network
from .rdf import metric_iri, metrics_to_rdf
from .table import MetricTable
from .views import (
    DEFAULT_VIEW,
    VIEWS,
    NetworkData,
    extract,
    project,
    snapshots,
    to_networkx,
)

__all__ = [
    "ACTOR_COLUMNS",
    "DEFAULT_SEED",
    "DEFAULT_VIEW",
    "KINDS",
    "KIND_LABELS",
    "NETWORK_COLUMNS",
    "NETWORK_FORMATS",
    "PTCE_COLUMNS",
    "VIEWS",
    "Interval",
    "MetricTable",
    "NetworkData",
    "TimeWindow",
    "actor_metrics",
    "analysis_graph",
    "blau_index",
    "communities",
    "ei_index",
    "example_graph",
    "export_network",
    "extract",
    "is_ess",
    "kind_assortativity",
    "law_composition",
    "layout",
    "metric_iri",
    "metrics_to_rdf",
    "network_bytes",
    "network_metrics",
    "network_metrics_by_year",
    "plot_graph",
    "plot_network",
    "project",
    "ptce_indicators",
    "shannon_diversity",
    "snapshots",
    "to_networkx",
    "window",
    "with_metrics",
]
