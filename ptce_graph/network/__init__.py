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

from typing import TYPE_CHECKING

from ptce_graph._lazy import lazy_attributes

if TYPE_CHECKING:
    from ptce_graph.network._example import example_graph
    from ptce_graph.network.bicm import bicm_pairs, fit_bicm, validated_projection
    from ptce_graph.network.brokerage import brokerage_roles, brokerage_summary, gould_fernandez
    from ptce_graph.network.export import NETWORK_FORMATS, export_network, network_bytes, with_metrics
    from ptce_graph.network.indicators import (
        PTCE_COLUMNS,
        blau_index,
        law_composition,
        ptce_indicators,
        shannon_diversity,
    )
    from ptce_graph.network.kinds import KIND_LABELS, KINDS, is_ess
    from ptce_graph.network.metrics import (
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
    from ptce_graph.network.periods import Interval, TimeWindow, window
    from ptce_graph.network.plot import layout, plot_graph, plot_network
    from ptce_graph.network.rdf import metric_iri, metrics_to_rdf
    from ptce_graph.network.table import MetricTable
    from ptce_graph.network.views import (
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
    "bicm_pairs",
    "blau_index",
    "brokerage_roles",
    "brokerage_summary",
    "communities",
    "ei_index",
    "example_graph",
    "export_network",
    "extract",
    "fit_bicm",
    "gould_fernandez",
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
    "validated_projection",
    "window",
    "with_metrics",
]

__getattr__, __dir__ = lazy_attributes(
    __name__,
    {
        "example_graph": "ptce_graph.network._example",
        "bicm_pairs": "ptce_graph.network.bicm",
        "fit_bicm": "ptce_graph.network.bicm",
        "validated_projection": "ptce_graph.network.bicm",
        "brokerage_roles": "ptce_graph.network.brokerage",
        "brokerage_summary": "ptce_graph.network.brokerage",
        "gould_fernandez": "ptce_graph.network.brokerage",
        "NETWORK_FORMATS": "ptce_graph.network.export",
        "export_network": "ptce_graph.network.export",
        "network_bytes": "ptce_graph.network.export",
        "with_metrics": "ptce_graph.network.export",
        "PTCE_COLUMNS": "ptce_graph.network.indicators",
        "blau_index": "ptce_graph.network.indicators",
        "law_composition": "ptce_graph.network.indicators",
        "ptce_indicators": "ptce_graph.network.indicators",
        "shannon_diversity": "ptce_graph.network.indicators",
        "KIND_LABELS": "ptce_graph.network.kinds",
        "KINDS": "ptce_graph.network.kinds",
        "is_ess": "ptce_graph.network.kinds",
        "ACTOR_COLUMNS": "ptce_graph.network.metrics",
        "DEFAULT_SEED": "ptce_graph.network.metrics",
        "NETWORK_COLUMNS": "ptce_graph.network.metrics",
        "actor_metrics": "ptce_graph.network.metrics",
        "analysis_graph": "ptce_graph.network.metrics",
        "communities": "ptce_graph.network.metrics",
        "ei_index": "ptce_graph.network.metrics",
        "kind_assortativity": "ptce_graph.network.metrics",
        "network_metrics": "ptce_graph.network.metrics",
        "network_metrics_by_year": "ptce_graph.network.metrics",
        "Interval": "ptce_graph.network.periods",
        "TimeWindow": "ptce_graph.network.periods",
        "window": "ptce_graph.network.periods",
        "layout": "ptce_graph.network.plot",
        "plot_graph": "ptce_graph.network.plot",
        "plot_network": "ptce_graph.network.plot",
        "metric_iri": "ptce_graph.network.rdf",
        "metrics_to_rdf": "ptce_graph.network.rdf",
        "MetricTable": "ptce_graph.network.table",
        "DEFAULT_VIEW": "ptce_graph.network.views",
        "VIEWS": "ptce_graph.network.views",
        "NetworkData": "ptce_graph.network.views",
        "extract": "ptce_graph.network.views",
        "project": "ptce_graph.network.views",
        "snapshots": "ptce_graph.network.views",
        "to_networkx": "ptce_graph.network.views",
    },
)
