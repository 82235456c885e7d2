"""Gould–Fernandez brokerage: counts worked out by hand, moments checked by enumerating every graph.

The null of the expectations and standard deviations is sna's: a Bernoulli digraph of density
d with the groups fixed. On four nodes there are 2^12 = 4096 digraphs, few enough to compute
the exact mean and variance of every count; every shape of two overlapping two-paths fits on
four nodes, so this checks the variance formulas for any number of nodes.
"""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from ptce_graph.cli import main
from ptce_graph.errors import InputError
from ptce_graph.network import brokerage_roles, brokerage_summary, example_graph, gould_fernandez, to_networkx
from ptce_graph.network.brokerage import (
    ROLES,
    _counts,
    _group_moments,
    _network_expectations,
    _network_variances,
    node_groups,
)
from ptce_graph.network.rdf import metrics_to_rdf

FIXTURE = Path(__file__).parents[1] / "fixtures" / "network.ttl"
A = "https://w3id.org/ptce-graph/id/actor/"
approx = pytest.approx

# A directed graph with every role. Groups: a1 a2 a3 in A, b1 b2 in B, c1 c2 in C.
ARCS = [
    ("a1", "a2"), ("a2", "a3"), ("a2", "b1"), ("b1", "b2"), ("b1", "a1"),
    ("b2", "c1"), ("c1", "a3"), ("a3", "c1"), ("c2", "b1"), ("c2", "b2"),
]  # fmt: skip
GROUPS = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c1": "C", "c2": "C"}
# Each broker: (in-neighbour, out-neighbour) pairs, i -> b -> j with i != j and no arc i -> j:
#   a1: b1->a1->a2 (b1->a2 absent)                    B A A gatekeeper
#   a2: a1->a2->a3 (a1->a3 absent)                    A A A coordinator
#       a1->a2->b1 (a1->b1 absent)                    A A B representative
#   a3: a2->a3->c1 (a2->c1 absent)                    A A C representative
#       c1->a3->c1 is no pair (i = j)
#   b1: a2->b1->b2 (a2->b2 absent)                    A B B gatekeeper
#       a2->b1->a1 (a2->a1 absent)                    A B A itinerant
#       c2->b1->a1 (c2->a1 absent)                    C B A liaison
#       c2->b1->b2 is closed by c2->b2: not brokered
#   b2: b1->b2->c1 (b1->c1 absent)                    B B C representative
#       c2->b2->c1 (c2->c1 absent)                    C B C itinerant
#   c1: b2->c1->a3 (b2->a3 absent)                    B C A liaison
#       a3->c1->a3 is no pair
#   c2: no in-neighbour
HAND = {
    "a1": {"gatekeeper": 1},
    "a2": {"coordinator": 1, "representative": 1},
    "a3": {"representative": 1},
    "b1": {"gatekeeper": 1, "itinerant": 1, "liaison": 1},
    "b2": {"representative": 1, "itinerant": 1},
    "c1": {"liaison": 1},
    "c2": {},
}


def _expected_counts(hand: dict[str, int]) -> dict[str, int]:
    counts = {role: hand.get(role, 0) for role in ROLES[:5]}
    return {**counts, "total": sum(counts.values())}


def test_directed_counts_equal_the_hand_enumeration() -> None:
    result = gould_fernandez(nx.DiGraph(ARCS), GROUPS)
    assert {node: dict(c) for node, c in result.counts.items()} == {n: _expected_counts(h) for n, h in HAND.items()}
    assert dict(result.observed_total) == {
        "coordinator": 1, "itinerant": 2, "representative": 3, "gatekeeper": 2, "liaison": 2, "total": 10,
    }  # fmt: skip
    assert result.arcs == 10 and result.density == approx(10 / 42)


def test_counts_equal_a_loop_over_every_ordered_triple() -> None:
    graph = nx.gnp_random_graph(12, 0.3, seed=7, directed=True)
    groups = {n: "ABC"[n % 3] for n in graph}
    naive = {n: Counter() for n in graph}
    for i, b, j in itertools.permutations(graph, 3):
        if graph.has_edge(i, b) and graph.has_edge(b, j) and not graph.has_edge(i, j):
            gi, gb, gj = groups[i], groups[b], groups[j]
            role = (
                "coordinator" if gi == gb == gj
                else "representative" if gi == gb
                else "gatekeeper" if gb == gj
                else "itinerant" if gi == gj
                else "liaison"
            )  # fmt: skip
            naive[b][role] += 1
            naive[b]["total"] += 1
    result = gould_fernandez(graph, groups)
    assert all(result.counts[n][r] == naive[n][r] for n in graph for r in ROLES)


def test_multiple_arcs_count_once_and_self_loops_not_at_all() -> None:
    multi = nx.MultiDiGraph(ARCS + [("a1", "a2"), ("b1", "b1")])
    assert gould_fernandez(multi, GROUPS).counts == gould_fernandez(nx.DiGraph(ARCS), GROUPS).counts
    assert gould_fernandez(multi, GROUPS).arcs == 10


def test_an_undirected_edge_is_two_arcs() -> None:
    # a path x - y - z: y brokers x->y->z and z->y->x
    result = gould_fernandez(nx.Graph([("x", "y"), ("y", "z")]), {"x": "A", "y": "B", "z": "C"})
    assert result.counts["y"]["liaison"] == 2 and result.arcs == 4 and result.density == approx(4 / 6)


def test_fixture_co_membership_by_kind_and_by_ess_side() -> None:
    # Co-membership: a-b, a-c, b-c, a-f, a-g, f-g, g-h (see test_network_metrics.py).
    # Coop A's neighbours b, c, f, g; unlinked pairs b-f, b-g, c-f, c-g, each both ways.
    # Lycée G's neighbours a, f, h; unlinked pairs a-h, f-h. Nobody else brokers.
    co = to_networkx(example_graph(), "co-membership")
    # kinds: a, f ess-enterprise; b enterprise; c local-authority; g training; h unknown
    #   a: b->a->f gatekeeper, f->a->b representative, same with c; b-g, c-g: liaison x 4
    #   g: a->g->h, h->g->a, f->g->h, h->g->f: liaison x 4
    kind = brokerage_roles(co, group="kind").by("node")
    assert [kind[A + "coop-a"][r] for r in ROLES] == [0, 0, 2, 2, 4, 8]
    assert [kind[A + "lycee-g"][r] for r in ROLES] == [0, 0, 0, 0, 4, 4]
    assert all(kind[A + n]["total"] == 0 for n in ("firm-b", "agglo-c", "asso-f", "org-h"))
    # ESS side: a, f ess; b, c, g non-ess; h unknown
    #   a: b->a->f gatekeeper, f->a->b representative, same with c; b-g, c-g both non-ess: itinerant x 4
    #   g: a->g->h ess, non-ess, unknown: liaison x 4
    ess = brokerage_roles(co, group="ess").by("node")
    assert [ess[A + "coop-a"][r] for r in ROLES] == [0, 4, 2, 2, 0, 8]
    assert [ess[A + "lycee-g"][r] for r in ROLES] == [0, 0, 0, 0, 4, 4]
    summary = brokerage_summary(co, group="ess")
    assert [row["observed"] for row in summary] == [0, 4, 2, 2, 4, 12]
    assert summary.meta["groups"] == "ess: 2; non-ess: 3; unknown: 1" and summary.meta["arcs"] == "14"


def test_fixture_relations_view_is_directed() -> None:
    # Arcs: agglo-c -> pole-un (funding), coop-a -> labo-r and labo-r -> pole-deux (partnerships,
    # from the smaller IRI), coop-a -> pole-un (carrying structure), reseau-n -> pole-deux and
    # reseau-n -> pole-un. Only labo-r has an arc in and out: coop-a -> labo-r -> pole-deux,
    # coop-a -> pole-deux absent; groups ess, non-ess, unknown (a PTCE): a liaison.
    table = brokerage_roles(to_networkx(example_graph(), "relations"), group="ess")
    brokers = {row["node"]: [row[r] for r in ROLES] for row in table if row["total"]}
    assert brokers == {A + "labo-r": [0, 0, 0, 0, 1, 1]}
    assert table.meta["directed"] == "true" and table.meta["arcs"] == "6"


def test_groupings() -> None:
    g = nx.Graph()
    g.add_nodes_from(
        [
            ("p", {"kind": "ptce"}),
            ("s", {"kind": "support-network", "ess_family": "association", "region": "84"}),
            ("f", {"kind": "enterprise", "region": "28|32"}),
            ("u", {"kind": "unknown"}),
        ]
    )
    assert node_groups(g, "kind") == {"p": "ptce", "s": "support-network", "f": "enterprise", "u": "unknown"}
    assert node_groups(g, "ess") == {"p": "unknown", "s": "ess", "f": "non-ess", "u": "unknown"}
    assert node_groups(g, "region") == {"p": "unknown", "s": "84", "f": "28|32", "u": "unknown"}
    assert node_groups(g, {"p": "x"}) == {"p": "x", "s": "unknown", "f": "unknown", "u": "unknown"}
    with pytest.raises(InputError, match="unknown grouping 'sector'"):
        node_groups(g, "sector")
    with pytest.raises(InputError, match="no group for node"):
        gould_fernandez(g, {"p": "x"})


def _enumerate(groups: dict[str, str], d: float):
    """Exact mean and variance of every count over all digraphs on the nodes, each of probability d^m (1-d)^(M-m)."""
    nodes = sorted(groups)
    pairs = list(itertools.permutations(nodes, 2))
    mean = {n: Counter() for n in nodes} | {"network": Counter()}
    square = {n: Counter() for n in nodes} | {"network": Counter()}
    for mask in range(1 << len(pairs)):
        out = {n: set() for n in nodes}
        for bit, (u, v) in enumerate(pairs):
            if mask >> bit & 1:
                out[u].add(v)
        m = bin(mask).count("1")
        weight = d**m * (1 - d) ** (len(pairs) - m)
        counts = _counts(out, groups)
        for role in ROLES:
            for node in nodes:
                mean[node][role] += weight * counts[node][role]
                square[node][role] += weight * counts[node][role] ** 2
            total = sum(counts[node][role] for node in nodes)
            mean["network"][role] += weight * total
            square["network"][role] += weight * total**2
    return mean, {k: {r: square[k][r] - mean[k][r] ** 2 for r in ROLES} for k in mean}


@pytest.mark.parametrize("sizes", [(4,), (2, 2), (3, 1), (2, 1, 1), (1, 1, 1, 1)])
def test_moments_equal_the_enumeration_of_every_digraph_on_four_nodes(sizes: tuple[int, ...]) -> None:
    groups = {f"n{i}": f"g{index}" for i, index in enumerate(g for g, size in enumerate(sizes) for _ in range(size))}
    d = 0.3
    mean, variance = _enumerate(groups, d)
    n = {f"g{g}": float(size) for g, size in enumerate(sizes)}
    expected, node_variance = _group_moments(n, 4.0, d)
    for node, group in groups.items():
        for role in ROLES:
            assert expected[group][role] == approx(mean[node][role], abs=1e-12)
            assert node_variance[group][role] == approx(variance[node][role], abs=1e-12)
    network_mean, network_variance = _network_expectations(n, 4.0, d), _network_variances(n, d)
    for role in ROLES:
        assert network_mean[role] == approx(mean["network"][role], abs=1e-12)
        assert network_variance[role] == approx(variance["network"][role], abs=1e-12)


def test_network_variance_of_the_total_differs_from_sna() -> None:
    # sna 2.7-2 (R/models.R): vgbr[6] = egbr[6](1 - d^2(1-d)) + N(N-1)(N-2)((4N-10) d^3(1-d)^3
    # - 4(N-3) d^4(1-d)^2 + (N-3) d^5(1-d)). A two-path i->b->j excludes the 4N-10 two-paths
    # that need i->j present or need one of its arcs absent (2(N-2) + 2(N-3)), not 4(N-3):
    # the enumeration gives 2.219616 on four nodes at d = 0.3, sna's formula 2.410128.
    N, d = 4, 0.3
    e = d * d * (1 - d) * N * (N - 1) * (N - 2)
    sna = e * (1 - d * d * (1 - d)) + N * (N - 1) * (N - 2) * (
        (4 * N - 10) * d**3 * (1 - d) ** 3 - 4 * (N - 3) * d**4 * (1 - d) ** 2 + (N - 3) * d**5 * (1 - d)
    )
    assert sna == approx(2.410128)
    assert _network_variances({"g": 4.0}, d)["total"] == approx(2.219616)
    assert _enumerate({f"n{i}": "g" for i in range(4)}, d)[1]["network"]["total"] == approx(2.219616)


def test_z_scores_use_the_broker_group_moments() -> None:
    result = gould_fernandez(nx.DiGraph(ARCS), GROUPS)
    d = 10 / 42
    # b1 in B (n_B = 2): expected gatekeeper = d^2 (1-d) (N - n_B)(n_B - 1) = d^2 (1-d) * 5
    expected = d * d * (1 - d) * 5
    variance = expected * (1 - d * d * (1 - d)) + 2 * (1 * 10 + 5 * 0) * d**3 * (1 - d) ** 3
    assert result.expected["B"]["gatekeeper"] == approx(expected)
    assert result.z("b1")["gatekeeper"] == approx((1 - expected) / variance**0.5)
    # a coordinator of a group of two has no pair to broker: sd 0, no z-score
    assert result.sd["B"]["coordinator"] == 0 and result.z("b1")["coordinator"] is None


def test_cli_brokerage(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["metrics", "--graph", str(FIXTURE), "--measure", "brokerage", "--group", "ess", "--format", "csv"]
    assert main([*argv, "--level", "network"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "role,code,observed,expected,sd,z"
    assert [line.split(",")[:3] for line in lines[1:]] == [
        ["coordinator", "w_I", "0"], ["itinerant", "w_O", "4"], ["representative", "b_IO", "2"],
        ["gatekeeper", "b_OI", "2"], ["liaison", "b_O", "4"], ["total", "t", "12"],
    ]  # fmt: skip
    assert main([*argv, "--view", "relations"]) == 0
    assert f"{A}labo-r,Labo R,research-centre,non-ess,0,0,0,0,1,1," in capsys.readouterr().out
    assert main([*argv, "--level", "ptce"]) == 2
    assert "per actor (--level actor) or per role" in capsys.readouterr().err


def test_brokerage_tables_are_not_written_as_rdf() -> None:
    with pytest.raises(InputError, match="tables only"):
        metrics_to_rdf(brokerage_summary(to_networkx(example_graph(), "co-membership")))
