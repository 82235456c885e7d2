"""Actor-level and network-level measures of a view, as metric tables.

Every measure runs on the *analysed graph* of a view (:func:`analysis_graph`): the view made
simple and undirected, each pair of nodes linked once, with ``weight`` the sum of the
weights of the edges between them (shared PTCEs, shared members, or number of relations).
Path-based, spectral and brokerage measures use the topology only (a tie is a tie); the
weighted degree, the Louvain communities and their modularity use ``weight``. The formulas
and the treatment of missing data are in ``docs/metrics.md``.

The measures run on one engine per call, igraph by default or NetworkX (``engine=``, see
:mod:`.engine`); the table's metadata name it (``engine``) and the libraries' versions
(``engine_versions``).
"""

from __future__ import annotations

import weakref
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import networkx as nx
from rdflib import Graph

from ptce_graph.gcpause import gc_paused
from ptce_graph.graph import PtceGraph
from ptce_graph.network import engine as _engine
from ptce_graph.network.choices import DEFAULT_ENGINE, DEFAULT_SEED, Engine
from ptce_graph.network.kinds import is_ess
from ptce_graph.network.periods import window
from ptce_graph.network.table import MetricTable
from ptce_graph.network.views import (
    DEFAULT_UNDATED,
    DEFAULT_VIEW,
    NetworkData,
    as_network_data,
    data_years,
    project,
    undated_meta,
)
from ptce_graph.store import SparqlStore

__all__ = [
    "ACTOR_COLUMNS",
    "DEFAULT_SEED",
    "NETWORK_COLUMNS",
    "actor_metrics",
    "analysis_graph",
    "communities",
    "ei_index",
    "kind_assortativity",
    "network_metrics",
    "network_metrics_by_year",
]


#: Columns of :func:`actor_metrics`.
ACTOR_COLUMNS = (
    "node",
    "label",
    "kind",
    "degree",
    "weighted_degree",
    "betweenness",
    "closeness",
    "eigenvector",
    "clustering",
    "constraint",
    "effective_size",
    "core_number",
    "community",
)

#: Columns of :func:`network_metrics`.
NETWORK_COLUMNS = (
    "view",
    "window",
    "nodes",
    "edges",
    "density",
    "components",
    "largest_component_share",
    "average_clustering",
    "communities",
    "modularity",
    "kind_assortativity",
    "ei_index",
    "ess_external_ties",
    "ess_internal_ties",
)


@gc_paused
def analysis_graph(graph: nx.Graph) -> nx.Graph:
    """The simple undirected weighted graph the measures run on.

    Multi-edges and both directions between two nodes become one edge whose ``weight`` is
    the sum of their weights (1 for an edge without weight); self-loops are dropped; node
    attributes are kept; nodes and edges stay in sorted order.

    Examples
    --------
    >>> m = nx.MultiDiGraph()
    >>> _ = m.add_edge("a", "b"); _ = m.add_edge("b", "a"); _ = m.add_edge("a", "b", weight=2)
    >>> analysis_graph(m).edges["a", "b"]["weight"]
    4
    """
    simple = nx.Graph()
    simple.graph.update(graph.graph)
    for node in sorted(graph.nodes):
        simple.add_node(node, **graph.nodes[node])
    weights: dict[tuple[str, str], Any] = {}
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        pair = (u, v) if u < v else (v, u)
        weights[pair] = weights.get(pair, 0) + data.get("weight", 1)
    simple.add_weighted_edges_from((u, v, weight) for (u, v), weight in sorted(weights.items()))
    _ANALYSED.add(simple)
    return simple


#: Graphs made by :func:`analysis_graph`, so that the measures do not make them again.
_ANALYSED: weakref.WeakSet[nx.Graph] = weakref.WeakSet()


def _engine_meta(chosen: Engine) -> dict[str, str]:
    """The metadata that name the engine: checked first, so that a missing library fails fast."""
    return {"engine": _engine.check_engine(chosen), "engine_versions": _engine.engine_versions(chosen)}


def _simple(graph: nx.Graph) -> nx.Graph:
    """The analysed graph of ``graph``: itself when :func:`analysis_graph` made it."""
    if graph in _ANALYSED and nx.number_of_selfloops(graph) == 0:
        return graph
    return analysis_graph(graph)


def communities(graph: nx.Graph, *, seed: int = DEFAULT_SEED, resolution: float = 1.0) -> list[frozenset[str]]:
    """Louvain communities of a view (Blondel et al. 2008), largest first.

    Parameters
    ----------
    graph
        A view; it is first made simple and weighted (:func:`analysis_graph`).
    seed
        The random seed of the node order Louvain visits: the same graph and seed always
        give the same communities.
    resolution
        The resolution of modularity (1 is the classic definition).

    References
    ----------
    .. [1] V. D. Blondel, J.-L. Guillaume, R. Lambiotte, E. Lefebvre, "Fast unfolding of
       communities in large networks", J. Stat. Mech. (2008) P10008,
       https://doi.org/10.1088/1742-5468/2008/10/P10008

    Examples
    --------
    >>> from ptce_graph.network import example_graph, to_networkx
    >>> [sorted(n.rsplit("/", 1)[1] for n in c) for c in communities(to_networkx(example_graph()))]
    [['agglo-c', 'coop-a', 'firm-b'], ['asso-f', 'lycee-g', 'org-h']]
    """
    return _engine.louvain(analysis_graph(graph), seed=seed, resolution=resolution)


@gc_paused
def actor_metrics(
    graph: nx.Graph,
    *,
    seed: int = DEFAULT_SEED,
    betweenness_sample: int | None = None,
    resolution: float = 1.0,
    engine: Engine = DEFAULT_ENGINE,
) -> MetricTable:
    """One row per node: degree, weighted degree, centralities, brokerage, core and community.

    Parameters
    ----------
    graph
        A view from :func:`~ptce_graph.network.to_networkx`.
    seed
        Seed of Louvain and of sampled betweenness.
    betweenness_sample
        Estimate betweenness from this many random source nodes (Brandes & Pich 2007)
        instead of all of them; ``None`` (the default) computes it exactly. Exact betweenness
        costs O(nm): about 95 s in NetworkX for 10,000 nodes and 18,000 edges.
    resolution
        Louvain resolution.
    engine
        ``igraph`` (default) or ``networkx`` (:mod:`.engine`): the same values (to floating-point
        rounding), igraph much faster on large views. Louvain runs on NetworkX with both.

    Returns
    -------
    MetricTable
        Columns :data:`ACTOR_COLUMNS`, rows sorted by node IRI; ``meta`` records the view, the
        window, the engine and its libraries' versions, the seed, the resolution and the
        betweenness mode.

        * ``degree``: number of distinct neighbours; ``weighted_degree``: sum of the weights
          of the node's edges (shared PTCEs, shared members, memberships or relations);
        * ``betweenness``: Freeman's betweenness, normalised by (n-1)(n-2)/2 as NetworkX's
          ``betweenness_centrality``: the share of the shortest paths between other pairs
          that go through the node [1]_;
        * ``closeness``: ((r-1)/(n-1)) · ((r-1) / Σ d(u,v)), r the number of nodes u reaches,
          itself included (Wasserman-Faust correction for disconnected graphs);
        * ``eigenvector``: principal eigenvector of the adjacency matrix, unit length;
        * ``clustering``: share of pairs of neighbours that are linked (0 in bipartite views);
        * ``constraint`` and ``effective_size``: Burt's structural-hole measures [2]_, empty
          for isolated nodes;
        * ``core_number``: largest k such that the node is in the k-core;
        * ``community``: Louvain community number [3]_, 0 the largest.

    References
    ----------
    .. [1] L. C. Freeman, "A set of measures of centrality based on betweenness",
       Sociometry 40(1) (1977) 35-41, https://doi.org/10.2307/3033543
    .. [2] R. S. Burt, *Structural Holes: The Social Structure of Competition*, Harvard
       University Press, 1992, https://doi.org/10.4159/9780674029095
    .. [3] V. D. Blondel et al., J. Stat. Mech. (2008) P10008,
       https://doi.org/10.1088/1742-5468/2008/10/P10008

    Examples
    --------
    >>> from ptce_graph.network import example_graph, to_networkx
    >>> table = actor_metrics(to_networkx(example_graph(), "co-membership"))
    >>> row = table.by("node")["https://w3id.org/ptce-graph/id/actor/coop-a"]
    >>> row["degree"], row["weighted_degree"], round(row["betweenness"], 4), row["effective_size"]
    (4, 5, 0.6, 3.0)
    """
    meta = {
        "level": "actor",
        "view": str(graph.graph.get("view", "")),
        "window": str(graph.graph.get("window", "all")),
        **_engine_meta(engine),
        "seed": str(seed),
        "resolution": str(resolution),
        "betweenness": "exact" if betweenness_sample is None else f"sampled k={betweenness_sample}",
    }
    meta.update(undated_meta(graph))
    simple = analysis_graph(graph)
    if simple.number_of_nodes() == 0:
        return MetricTable(ACTOR_COLUMNS, [], meta)
    between = _engine.betweenness(simple, sample=betweenness_sample, seed=seed, engine=engine)
    close = _engine.closeness(simple, engine=engine)
    eigen = _engine.eigenvector(simple, engine=engine)
    clust = _engine.clustering(simple, engine=engine)
    constr = _engine.constraint(simple, engine=engine)
    esize = _engine.effective_size(simple, engine=engine)
    cores = _engine.core_number(simple, engine=engine)
    found = _engine.louvain(simple, seed=seed, resolution=resolution)
    community = {node: index for index, members in enumerate(found) for node in members}
    rows = []
    for node in sorted(simple.nodes):
        attrs = simple.nodes[node]
        rows.append(
            {
                "node": node,
                "label": attrs.get("label", node),
                "kind": attrs.get("kind", "unknown"),
                "degree": simple.degree(node),
                "weighted_degree": simple.degree(node, weight="weight"),
                "betweenness": between.get(node),
                "closeness": close.get(node),
                "eigenvector": eigen.get(node),
                "clustering": clust.get(node),
                "constraint": constr.get(node),
                "effective_size": esize.get(node),
                "core_number": cores.get(node),
                "community": community.get(node),
            }
        )
    return MetricTable(ACTOR_COLUMNS, rows, meta)


def _ess_groups(graph: nx.Graph) -> dict[str, bool | None]:
    return {n: is_ess(str(d.get("kind", "unknown")), str(d.get("ess_family", ""))) for n, d in graph.nodes(data=True)}


def ei_index(graph: nx.Graph) -> tuple[float | None, int, int]:
    """Krackhardt & Stern's E-I index of the ties between ESS and non-ESS actors.

    E-I = (E - I) / (E + I), where E counts the ties between an ESS and a non-ESS actor and I
    the ties within either group. Ties with an endpoint whose side is unknown (kind unknown
    without an ESS family, PTCEs, clusters) are left out. -1: all ties stay within a group;
    +1: all ties cross the ESS divide.

    Returns
    -------
    tuple
        ``(index, E, I)``; the index is ``None`` when no tie is counted.

    References
    ----------
    .. [1] D. Krackhardt, R. N. Stern, "Informal networks and organizational crises: an
       experimental simulation", Social Psychology Quarterly 51(2) (1988) 123-140,
       https://doi.org/10.2307/2786835

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_nodes_from([("s", {"kind": "ess-enterprise"}), ("f", {"kind": "enterprise"}),
    ...                   ("t", {"kind": "ess-enterprise"})])
    >>> g.add_edges_from([("s", "f"), ("s", "t")])
    >>> ei_index(g)
    (0.0, 1, 1)
    """
    simple = _simple(graph)
    side = _ess_groups(simple)
    external = internal = 0
    for u, v in simple.edges:
        if side[u] is None or side[v] is None:
            continue
        if side[u] == side[v]:
            internal += 1
        else:
            external += 1
    total = external + internal
    return ((external - internal) / total if total else None), external, internal


def kind_assortativity(graph: nx.Graph) -> float | None:
    """Newman's assortativity coefficient of actor kinds, over ties between nodes of known kind.

    r = (Σ_i e_ii − Σ_i a_i b_i) / (1 − Σ_i a_i b_i), e the share of tie ends joining kind i to
    kind j. Nodes of kind ``unknown`` and their ties are left out. ``None`` when undefined
    (no tie, or a single kind).

    References
    ----------
    .. [1] M. E. J. Newman, "Mixing patterns in networks", Phys. Rev. E 67 (2003) 026126,
       https://doi.org/10.1103/PhysRevE.67.026126
    """
    simple = _simple(graph)
    kind = {n: d.get("kind", "unknown") for n, d in simple.nodes(data=True)}
    known = [n for n, k in kind.items() if k != "unknown"]
    if len({kind[n] for n in known}) < 2:
        return None
    # the mixing matrix of nx.attribute_assortativity_coefficient: each tie counted both ways
    mixing: Counter[tuple[str, str]] = Counter()
    for u, v in simple.edges():
        ku, kv = kind[u], kind[v]
        if ku != "unknown" and kv != "unknown":
            mixing[(ku, kv)] += 1
            mixing[(kv, ku)] += 1
    total = sum(mixing.values())
    if total == 0:
        return None
    a: defaultdict[str, float] = defaultdict(float)  # row sums of e (= column sums: e is symmetric)
    for (ku, _), count in mixing.items():
        a[ku] += count / total
    trace = sum(count / total for (ku, kv), count in mixing.items() if ku == kv)
    squared = sum(value * value for value in a.values())  # sum of e @ e = sum_i a_i b_i
    if squared == 1:
        return None  # undefined (NaN in NetworkX)
    return (trace - squared) / (1 - squared)


@gc_paused
def network_metrics(
    graph: nx.Graph, *, seed: int = DEFAULT_SEED, resolution: float = 1.0, engine: Engine = DEFAULT_ENGINE
) -> MetricTable:
    """One row describing a whole view.

    Columns :data:`NETWORK_COLUMNS`: ``nodes`` and ``edges`` of the analysed graph (pairs of
    linked nodes), ``density`` = 2m / (n(n-1)), ``components`` (connected components, isolated
    nodes included), ``largest_component_share`` (nodes in the largest one / n),
    ``average_clustering`` (mean local clustering, zeros included), ``communities`` and
    ``modularity`` of the Louvain partition (weighted), ``kind_assortativity``
    (:func:`kind_assortativity`), ``ei_index`` with its counts ``ess_external_ties`` and
    ``ess_internal_ties`` (:func:`ei_index`). ``engine`` is as in :func:`actor_metrics`
    (only ``average_clustering`` depends on it).

    References
    ----------
    .. [1] M. E. J. Newman, "Mixing patterns in networks", Phys. Rev. E 67 (2003) 026126,
       https://doi.org/10.1103/PhysRevE.67.026126
    .. [2] D. Krackhardt, R. N. Stern, Social Psychology Quarterly 51(2) (1988) 123-140,
       https://doi.org/10.2307/2786835
    .. [3] V. D. Blondel et al., J. Stat. Mech. (2008) P10008,
       https://doi.org/10.1088/1742-5468/2008/10/P10008

    Examples
    --------
    >>> from ptce_graph.network import example_graph, to_networkx
    >>> row = network_metrics(to_networkx(example_graph())).rows[0]
    >>> row["nodes"], row["edges"], row["components"], row["modularity"], row["kind_assortativity"]
    (6, 7, 1, 0.21875, -0.25)
    """
    engine_meta = _engine_meta(engine)
    simple = _simple(graph)
    n, m = simple.number_of_nodes(), simple.number_of_edges()
    parts = list(nx.connected_components(simple)) if n else []
    found = _engine.louvain(simple, seed=seed, resolution=resolution)
    index, external, internal = ei_index(simple)
    row = {
        "view": str(graph.graph.get("view", "")),
        "window": str(graph.graph.get("window", "all")),
        "nodes": n,
        "edges": m,
        "density": nx.density(simple) if n > 1 else None,
        "components": len(parts),
        "largest_component_share": (max(map(len, parts)) / n) if n else None,
        "average_clustering": _engine.average_clustering(simple, engine=engine) if n else None,
        "communities": len(found),
        "modularity": _engine.modularity(simple, found, resolution=resolution),
        "kind_assortativity": kind_assortativity(simple),
        "ei_index": index,
        "ess_external_ties": external,
        "ess_internal_ties": internal,
    }
    meta = {
        "level": "network",
        "view": row["view"],
        "window": row["window"],
        **engine_meta,
        "seed": str(seed),
        "resolution": str(resolution),
    }
    meta.update(undated_meta(graph))
    return MetricTable(NETWORK_COLUMNS, [row], meta)


def network_metrics_by_year(
    source: PtceGraph | Graph | SparqlStore | NetworkData,
    view: str = DEFAULT_VIEW,
    *,
    years: Iterable[int] | None = None,
    seed: int = DEFAULT_SEED,
    resolution: float = 1.0,
    undated: str = DEFAULT_UNDATED,
    engine: Engine = DEFAULT_ENGINE,
) -> MetricTable:
    """:func:`network_metrics` of each yearly snapshot, one row per year (column ``year`` first).

    Parameters
    ----------
    years
        The years; by default every year from the earliest to the latest date of the view.
    undated
        ``"exclude"`` (default) leaves out relations with no date, ``"include"`` counts them
        in every year (:func:`~ptce_graph.network.views.project`); the table's metadata say
        which, and how many relations that concerned.
    engine
        As in :func:`network_metrics`.

    Examples
    --------
    >>> from ptce_graph.network import example_graph
    >>> t = network_metrics_by_year(example_graph(), "co-membership", years=[2017, 2021])
    >>> [(r["year"], r["nodes"], r["edges"]) for r in t], t.meta["undated_left_out"]
    ([(2017, 4, 2), (2021, 2, 1)], '3')
    >>> t = network_metrics_by_year(example_graph(), "co-membership", years=[2017, 2021], undated="include")
    >>> [(r["year"], r["nodes"], r["edges"]) for r in t]
    [(2017, 5, 4), (2021, 4, 2)]
    """
    engine_meta = _engine_meta(engine)
    data = as_network_data(source)
    chosen = sorted(set(years)) if years is not None else data_years(data, view)
    if not chosen:
        from ptce_graph.errors import InputError

        raise InputError(f"the relations of view '{view}' carry no date: give the years of the snapshots")
    rows = []
    concerned = 0
    for year in chosen:
        snapshot = project(data, view, window(as_of=str(year)), undated=undated)
        concerned = max(concerned, snapshot.graph.get("undated_left_out", snapshot.graph.get("undated_assumed", 0)))
        table = network_metrics(snapshot, seed=seed, resolution=resolution, engine=engine)
        rows.append({"year": year, **table.rows[0]})
    meta = {
        "level": "network-by-year",
        "view": view,
        "window": f"{chosen[0]}..{chosen[-1]}",
        **engine_meta,
        "seed": str(seed),
        "resolution": str(resolution),
        "undated": undated,
        ("undated_left_out" if undated == "exclude" else "undated_assumed"): str(concerned),
    }
    return MetricTable(("year",) + NETWORK_COLUMNS, rows, meta)
