"""One level of one view in one time window: the table ``ptce-graph metrics`` prints."""

from __future__ import annotations

from rdflib import Graph

from ptce_graph.errors import InputError
from ptce_graph.graph import PtceGraph
from ptce_graph.network.choices import (
    DEFAULT_ALPHA,
    DEFAULT_ENGINE,
    DEFAULT_GROUPING,
    DEFAULT_MEASURE,
    LEVELS,
    MEASURES,
    Engine,
)
from ptce_graph.network.indicators import ptce_indicators
from ptce_graph.network.metrics import DEFAULT_SEED, actor_metrics, network_metrics, network_metrics_by_year
from ptce_graph.network.periods import TimeWindow, window
from ptce_graph.network.table import MetricTable
from ptce_graph.network.views import DEFAULT_UNDATED, DEFAULT_VIEW, VIEWS, data_years, extract, project
from ptce_graph.store import SparqlStore

__all__ = ["LEVELS", "compute_metrics"]


def compute_metrics(
    graph: PtceGraph | Graph | SparqlStore,
    *,
    view: str = DEFAULT_VIEW,
    level: str = "actor",
    as_of: str | None = None,
    start: str | None = None,
    end: str | None = None,
    by_year: bool = False,
    seed: int = DEFAULT_SEED,
    betweenness_sample: int | None = None,
    resolution: float = 1.0,
    undated: str = DEFAULT_UNDATED,
    engine: Engine = DEFAULT_ENGINE,
    measure: str = DEFAULT_MEASURE,
    group: str = DEFAULT_GROUPING,
    alpha: float = DEFAULT_ALPHA,
) -> MetricTable:
    """The table ``ptce-graph metrics`` prints: one level of one view in one time window.

    ``by_year`` (network level only) gives one row per yearly snapshot, the years bounded by
    ``start`` and ``end`` when given. ``engine`` is the graph library of the measures (named in
    the table's metadata); the PTCE level needs none.

    ``measure`` ``brokerage`` gives the Gould–Fernandez roles of each node by ``group`` (or, at
    the network level, one row per role); ``bicm`` gives one row per pair of actors sharing a
    PTCE (``view`` ``ptce``: PTCEs sharing a member) with its p-value under the bipartite
    configuration model of the memberships in the window, validated at false discovery rate
    ``alpha``.
    """
    if level not in LEVELS:
        raise InputError(f"unknown level '{level}'; choose one of {', '.join(LEVELS)}")
    if view not in VIEWS:
        raise InputError(f"unknown view '{view}'; choose one of {', '.join(VIEWS)}")
    if measure not in MEASURES:
        raise InputError(f"unknown measure '{measure}'; choose one of {', '.join(MEASURES)}")
    if measure != DEFAULT_MEASURE:
        return _other_measure(graph, measure, view, level, window(as_of, start, end), undated, by_year, group, alpha)
    data = extract(graph)
    if level == "ptce":
        if by_year:
            raise InputError("--by-year is for --level network")
        return ptce_indicators(data, as_of=as_of, start=start, end=end, undated=undated)
    if by_year:
        if level != "network":
            raise InputError("--by-year is for --level network")
        if as_of:
            raise InputError("--by-year and --as-of do not go together: bound the years with --from/--to")
        years = None
        if start or end:
            known = data_years(data, view)
            first = int(str(start)[:4]) if start else (known[0] if known else None)
            last = int(str(end)[:4]) if end else (known[-1] if known else None)
            if first is None or last is None:
                raise InputError(f"the relations of view '{view}' carry no date: give both --from and --to")
            years = range(first, last + 1)
        return network_metrics_by_year(
            data, view, years=years, seed=seed, resolution=resolution, undated=undated, engine=engine
        )
    graph_view = project(data, view, window(as_of, start, end), undated=undated)
    if level == "network":
        return network_metrics(graph_view, seed=seed, resolution=resolution, engine=engine)
    return actor_metrics(
        graph_view, seed=seed, betweenness_sample=betweenness_sample, resolution=resolution, engine=engine
    )


def _other_measure(
    graph: PtceGraph | Graph | SparqlStore,
    measure: str,
    view: str,
    level: str,
    time: TimeWindow | None,
    undated: str,
    by_year: bool,
    group: str,
    alpha: float,
) -> MetricTable:
    """The brokerage roles or the BiCM pairs of one view in one window."""
    if by_year:
        raise InputError(f"--by-year is for the standard measures, not --measure {measure}")
    if measure == "brokerage":
        from ptce_graph.network.brokerage import brokerage_roles, brokerage_summary

        if level == "ptce":
            raise InputError("--measure brokerage is per actor (--level actor) or per role (--level network)")
        graph_view = project(extract(graph), view, time, undated=undated)
        return (brokerage_summary if level == "network" else brokerage_roles)(graph_view, group=group)
    from ptce_graph.network.bicm import bicm_pairs

    if level != "actor":
        raise InputError("--measure bicm gives one row per pair of nodes: leave --level at its default")
    if view == "relations":
        raise InputError("--measure bicm models the memberships: use --view co-membership (actors) or ptce (PTCEs)")
    if not 0 < alpha < 1:
        raise InputError(f"--alpha must be between 0 and 1, not {alpha}")
    memberships = project(extract(graph), "membership", time, undated=undated)
    return bicm_pairs(memberships, layer="ptce" if view == "ptce" else "actor", alpha=alpha)
