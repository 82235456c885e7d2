"""Reference projections shared by the view tests and the fast-path tests."""

from __future__ import annotations

import networkx as nx

from ptce_graph.store import LocalStore


def co_membership_rows(source) -> dict[tuple[str, str], int]:
    """The canned ``co_membership`` query's pairs and weights."""
    from ptce_graph.query.run import run_query

    store = source if isinstance(source, LocalStore) else LocalStore(source)
    return {(r["a"], r["b"]): r["sharedPtces"] for r in run_query("co_membership", store=store).records()}


def view_weights(g: nx.Graph) -> dict[tuple[str, str], int]:
    """A view's edges as sorted pairs and their weights."""
    return {tuple(sorted((u, v))): w for u, v, w in g.edges(data="weight")}  # type: ignore[misc]
