"""The one place that chooses the graph library each measure runs on (NetworkX for now).

Every measure of :mod:`.metrics` calls a function of this module on a simple undirected
``networkx.Graph``; a faster library (igraph, see ``research/perf.md`` §4: 30-50× faster for
betweenness and Louvain) can replace one function at a time behind the same signatures, with
the same results checked by the tests against NetworkX.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import networkx as nx

__all__ = [
    "ENGINE",
    "betweenness",
    "closeness",
    "clustering",
    "constraint",
    "core_number",
    "effective_size",
    "eigenvector",
    "louvain",
    "modularity",
]

#: The library the measures run on.
ENGINE = "networkx"

Scores = dict[str, float | None]


def _nan_to_none(values: dict[Any, float]) -> Scores:
    return {str(k): (None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v))
            for k, v in values.items()}


def betweenness(graph: nx.Graph, *, sample: int | None = None, seed: int = 42) -> Scores:
    """Normalised shortest-path betweenness, exact or from ``sample`` random sources."""
    if sample is not None and 0 < sample < graph.number_of_nodes():
        return _nan_to_none(nx.betweenness_centrality(graph, k=sample, normalized=True, seed=seed))
    return _nan_to_none(nx.betweenness_centrality(graph, normalized=True))


def closeness(graph: nx.Graph) -> Scores:
    """Closeness with the Wasserman-Faust correction for disconnected graphs."""
    return _nan_to_none(nx.closeness_centrality(graph))


def eigenvector(graph: nx.Graph) -> Scores:
    """Eigenvector centrality by power iteration on A + I; ``None`` everywhere if it fails."""
    if graph.number_of_nodes() == 0:
        return {}
    try:
        return _nan_to_none(nx.eigenvector_centrality(graph, max_iter=10_000, tol=1e-13))
    except nx.PowerIterationFailedConvergence:
        warnings.warn("eigenvector centrality did not converge; left empty", stacklevel=2)
        return {str(n): None for n in graph}


def clustering(graph: nx.Graph) -> Scores:
    """Local clustering coefficient (unweighted)."""
    return _nan_to_none(nx.clustering(graph))


def constraint(graph: nx.Graph) -> Scores:
    """Burt's constraint (unweighted); ``None`` for isolated nodes."""
    return _nan_to_none(nx.constraint(graph))


def effective_size(graph: nx.Graph) -> Scores:
    """Burt's effective size (Borgatti's formula when unweighted); ``None`` for isolated nodes."""
    return _nan_to_none(nx.effective_size(graph))


def core_number(graph: nx.Graph) -> dict[str, int]:
    """The k-core number of each node."""
    return {str(k): int(v) for k, v in nx.core_number(graph).items()}


def louvain(graph: nx.Graph, *, seed: int = 42, resolution: float = 1.0) -> list[frozenset[str]]:
    """Louvain communities on the ``weight`` attribute, numbered by decreasing size.

    Communities are sorted by decreasing size, then by their smallest node IRI, so that
    community 0 is the largest and the numbering does not depend on the library's order.
    """
    if graph.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=seed)
    return sorted((frozenset(str(n) for n in c) for c in found), key=lambda c: (-len(c), min(c)))


def modularity(graph: nx.Graph, communities: list[frozenset[str]], *, resolution: float = 1.0) -> float | None:
    """Newman-Girvan modularity of a partition, on the ``weight`` attribute."""
    if graph.number_of_edges() == 0:
        return None
    return float(nx.community.modularity(graph, communities, weight="weight", resolution=resolution))
