"""Actor, network and PTCE measures on the fixture, worked out by hand, and checked against NetworkX.

The co-membership view of ``tests/fixtures/network.ttl`` over all time (see test_network_views.py):

    agglo-c --- coop-a ===== firm-b        (===: weight 2, pole-un and pole-quatre)
        \\______/ |  \\                     a = coop-a, b = firm-b, c = agglo-c
                  |   asso-f                f = asso-f, g = lycee-g, h = org-h
                  |  /
                 lycee-g --- org-h

Edges: a-b (w 2), a-c, b-c, a-f, a-g, f-g, g-h; n = 6, m = 7, total weight 8.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import networkx as nx
import pytest

from ptce_graph.errors import InputError
from ptce_graph.io.rdf import parse_rdf_file
from ptce_graph.network import (
    ACTOR_COLUMNS,
    PTCE_COLUMNS,
    actor_metrics,
    analysis_graph,
    blau_index,
    communities,
    ei_index,
    export_network,
    extract,
    kind_assortativity,
    law_composition,
    network_metrics,
    network_metrics_by_year,
    ptce_indicators,
    shannon_diversity,
    to_networkx,
)

FIXTURE = Path(__file__).parents[1] / "fixtures" / "network.ttl"
A = "https://w3id.org/ptce-graph/id/actor/"
P = "https://w3id.org/ptce-graph/id/ptce/"
approx = pytest.approx


@pytest.fixture(scope="module")
def data():
    return extract(parse_rdf_file(FIXTURE))


@pytest.fixture(scope="module")
def co(data):
    return to_networkx(data, "co-membership")


@pytest.fixture(scope="module")
def rows(co):
    table = actor_metrics(co)
    assert table.columns == ACTOR_COLUMNS
    return {row["node"].rsplit("/", 1)[1]: row for row in table}


def test_degree_and_weighted_degree(rows) -> None:
    # a: b, c, f, g; weights 2 + 1 + 1 + 1
    assert (rows["coop-a"]["degree"], rows["coop-a"]["weighted_degree"]) == (4, 5)
    assert (rows["firm-b"]["degree"], rows["firm-b"]["weighted_degree"]) == (2, 3)
    assert (rows["lycee-g"]["degree"], rows["org-h"]["degree"]) == (3, 1)


def test_betweenness(rows) -> None:
    # a is on the only shortest path of the 2 x 3 pairs {b, c} x {f, g, h}: 6; g on the 4 pairs
    # (h, x), x in {a, b, c, f}: 4. Normalised by (n-1)(n-2)/2 = 10.
    assert rows["coop-a"]["betweenness"] == approx(0.6)
    assert rows["lycee-g"]["betweenness"] == approx(0.4)
    assert all(rows[x]["betweenness"] == 0 for x in ("agglo-c", "firm-b", "asso-f", "org-h"))


def test_closeness(rows) -> None:
    # (n-1) / sum of distances: a 5/(1+1+1+1+2), g 5/(1+1+1+2+2), b 5/(1+1+2+2+3),
    # f 5/(1+1+2+2+2), h 5/(1+2+2+3+3)
    expected = {"coop-a": 5 / 6, "lycee-g": 5 / 7, "firm-b": 5 / 9, "agglo-c": 5 / 9, "asso-f": 5 / 8,
                "org-h": 5 / 11}
    assert {k: r["closeness"] for k, r in rows.items()} == approx(expected)


def test_clustering_and_core_number(rows) -> None:
    # a: neighbours b, c, f, g; linked pairs b-c and f-g: 2 of 6. g: a, f, h; a-f: 1 of 3.
    expected = {"coop-a": 1 / 3, "lycee-g": 1 / 3, "firm-b": 1, "agglo-c": 1, "asso-f": 1, "org-h": 0}
    assert {k: r["clustering"] for k, r in rows.items()} == approx(expected)
    # the two triangles form the 2-core; h hangs by one tie
    assert {k: r["core_number"] for k, r in rows.items()} == {
        "coop-a": 2, "lycee-g": 2, "firm-b": 2, "agglo-c": 2, "asso-f": 2, "org-h": 1}


def test_burt_effective_size(rows) -> None:
    # n - 2t/n, t = ties among the n alters: a 4 - 2*2/4 = 3; g 3 - 2*1/3 = 7/3; b, c, f 2 - 2*1/2 = 1;
    # h 1 - 0 = 1
    expected = {"coop-a": 3, "lycee-g": 7 / 3, "firm-b": 1, "agglo-c": 1, "asso-f": 1, "org-h": 1}
    assert {k: r["effective_size"] for k, r in rows.items()} == approx(expected)


def test_burt_constraint(rows) -> None:
    # c_i = sum_j (p_ij + sum_q p_iq p_qj)^2 with p_ij = 1/degree(i) (ties unweighted).
    # a: j=b (1/4 + p_ac p_cb = 1/4*1/2)^2 = (3/8)^2, j=c idem, j=g (1/4 + 1/4*1/2)^2 = (3/8)^2,
    #    j=f (1/4 + p_ag p_gf = 1/4*1/3)^2 = (1/3)^2  -> 27/64 + 1/9
    # b: j=a (1/2 + p_bc p_ca = 1/2*1/2)^2 = 9/16, j=c (1/2 + p_ba p_ac = 1/2*1/4)^2 = 25/64 -> 61/64
    # f: j=a (1/2 + 1/2*1/3)^2 = 4/9, j=g (1/2 + 1/2*1/4)^2 = 25/64
    # g: j=a (1/3 + 1/3*1/2)^2 = 1/4, j=f (1/3 + 1/3*1/4)^2 = 25/144, j=h (1/3)^2 -> 77/144
    # h: j=g (1)^2 = 1
    expected = {"coop-a": 27 / 64 + 1 / 9, "firm-b": 61 / 64, "agglo-c": 61 / 64, "asso-f": 4 / 9 + 25 / 64,
                "lycee-g": 77 / 144, "org-h": 1.0}
    assert {k: r["constraint"] for k, r in rows.items()} == approx(expected)


def test_eigenvector(co, rows) -> None:
    # The principal eigenvector x of the adjacency matrix A (ties unweighted): A x = lambda x,
    # |x| = 1, all positive; b and c are structurally equivalent, so x_b = x_c.
    nodes = sorted(co)
    x = [rows[n.rsplit("/", 1)[1]]["eigenvector"] for n in nodes]
    adjacency = nx.to_numpy_array(analysis_graph(co), nodelist=nodes, weight=None)
    ax = adjacency @ x
    lam = sum(a * b for a, b in zip(ax, x))
    assert list(ax) == approx([lam * v for v in x], abs=1e-8)
    assert math.fsum(v * v for v in x) == approx(1.0)
    assert rows["firm-b"]["eigenvector"] == approx(rows["agglo-c"]["eigenvector"])
    assert max(rows.values(), key=lambda r: r["eigenvector"])["node"] == A + "coop-a"


def test_louvain_communities_and_modularity(co, rows) -> None:
    # Louvain splits the two triangles at a: {a, b, c} and {f, g, h}. Weighted modularity,
    # m = 8, strengths a 5, b 3, c 2, f 2, g 3, h 1:
    # Q = 4/8 - (10/16)^2 + 2/8 - (6/16)^2 = 0.21875
    found = [sorted(n.rsplit("/", 1)[1] for n in c) for c in communities(co, seed=42)]
    assert found == [["agglo-c", "coop-a", "firm-b"], ["asso-f", "lycee-g", "org-h"]]
    assert {k: r["community"] for k, r in rows.items()} == {
        "agglo-c": 0, "coop-a": 0, "firm-b": 0, "asso-f": 1, "lycee-g": 1, "org-h": 1}
    assert network_metrics(co).rows[0]["modularity"] == approx(0.21875)


def test_same_input_and_seed_same_communities(data) -> None:
    for seed in (1, 7, 42):
        first = communities(to_networkx(data, "membership"), seed=seed)
        again = communities(to_networkx(extract(parse_rdf_file(FIXTURE)), "membership"), seed=seed)
        assert first == again


def test_network_level(co) -> None:
    row = network_metrics(co).rows[0]
    # density 2m / n(n-1) = 14/30; one component; mean clustering (1/3 + 1/3 + 1 + 1 + 1 + 0)/6
    assert row["nodes"] == 6 and row["edges"] == 7
    assert row["density"] == approx(14 / 30)
    assert (row["components"], row["largest_component_share"]) == (1, 1.0)
    assert row["average_clustering"] == approx((2 / 3 + 3) / 6)
    assert row["communities"] == 2


def test_kind_assortativity(co) -> None:
    # h (unknown kind) and its tie are left out. Kinds: a, f ess; b enterprise; c local authority;
    # g training. 6 ties -> 12 tie ends: e(ess, ess) = 2/12 (a-f both ways), row sums a_ess = 6/12,
    # a_ent = a_la = a_train = 2/12. r = (1/6 - (1/4 + 3/36)) / (1 - 1/3) = -0.25
    assert kind_assortativity(co) == approx(-0.25)
    assert network_metrics(co).rows[0]["kind_assortativity"] == approx(-0.25)


def test_ei_index(co) -> None:
    # ESS: a, f; non-ESS: b, c, g; h unknown (tie g-h left out). External: a-b, a-c, a-g, f-g = 4;
    # internal: b-c (both non-ESS), a-f (both ESS) = 2. (4 - 2) / 6 = 1/3
    assert ei_index(co) == (approx(1 / 3), 4, 2)
    row = network_metrics(co).rows[0]
    assert (row["ei_index"], row["ess_external_ties"], row["ess_internal_ties"]) == (approx(1 / 3), 4, 2)


def test_ei_index_counts_ess_family_and_skips_ptces(data) -> None:
    # relations view: reseau-n (a support network with an ESS family) -> pole-un is a PTCE tie, left
    # out; coop-a (ESS) - labo-r (research centre, non-ESS) is the only counted tie: external
    assert ei_index(to_networkx(data, "relations")) == (1.0, 1, 0)
    # membership view: every tie touches a PTCE: no index
    assert ei_index(to_networkx(data, "membership")) == (None, 0, 0)


def test_undefined_measures_are_empty(data) -> None:
    g = to_networkx(data, "ptce")
    rows = {r["node"].rsplit("/", 1)[1]: r for r in actor_metrics(g)}
    # pole-cinq is isolated: Burt's measures are undefined, not 0
    assert rows["pole-cinq"]["constraint"] is None and rows["pole-cinq"]["effective_size"] is None
    row = network_metrics(g).rows[0]
    # only PTCEs: one kind, no assortativity; no ESS / non-ESS tie
    assert row["kind_assortativity"] is None and row["ei_index"] is None
    # in 1990 only the undated memberships can be there, and only if counted as always present:
    # agglo-c, lycee-g and coop-a, each alone in its PTCE; left out (the default), nothing is left
    assert network_metrics(to_networkx(data, "co-membership", as_of="1990")).rows[0]["nodes"] == 0
    early = network_metrics(to_networkx(data, "co-membership", as_of="1990", undated="include")).rows[0]
    assert (early["nodes"], early["edges"], early["components"], early["density"]) == (3, 0, 3, 0.0)
    assert (early["modularity"], early["average_clustering"]) == (None, 0.0)
    empty = network_metrics(nx.Graph()).rows[0]
    assert (empty["nodes"], empty["density"], empty["largest_component_share"]) == (0, None, None)
    assert len(actor_metrics(nx.Graph())) == 0


def test_sampled_betweenness_is_seeded(co) -> None:
    first = actor_metrics(co, betweenness_sample=3, seed=5).column("betweenness")
    assert first == actor_metrics(co, betweenness_sample=3, seed=5).column("betweenness")
    # a sample as large as the graph is the exact value
    assert actor_metrics(co, betweenness_sample=99).column("betweenness") == actor_metrics(co).column("betweenness")


def test_standard_measures_agree_with_networkx_on_the_exported_graphml(data, tmp_path: Path) -> None:
    for view in ("co-membership", "membership", "relations", "ptce"):
        path = export_network(data, view, "graphml", tmp_path / f"{view}.graphml")
        g = nx.read_graphml(path)
        simple = nx.Graph()
        simple.add_nodes_from(g.nodes)
        for u, v, d in g.edges(data=True):
            if simple.has_edge(u, v):
                simple[u][v]["weight"] += d.get("weight", 1)
            else:
                simple.add_edge(u, v, weight=d.get("weight", 1))
        reference = {
            "degree": dict(simple.degree()),
            "weighted_degree": dict(simple.degree(weight="weight")),
            "betweenness": nx.betweenness_centrality(simple),
            "closeness": nx.closeness_centrality(simple),
            "clustering": nx.clustering(simple),
            "constraint": nx.constraint(simple),
            "effective_size": nx.effective_size(simple),
            "core_number": nx.core_number(simple),
            "eigenvector": nx.eigenvector_centrality(simple, max_iter=10_000, tol=1e-12),
        }
        for name, values in reference.items():
            for node, value in values.items():
                mine = g.nodes[node].get(name)
                if isinstance(value, float) and math.isnan(value):
                    assert mine is None, (view, name, node)
                else:
                    assert mine == approx(value, abs=1e-9), (view, name, node)
        graph_row = network_metrics(to_networkx(data, view)).rows[0]
        assert graph_row["density"] == approx(nx.density(simple))
        assert graph_row["components"] == nx.number_connected_components(simple)
        assert graph_row["average_clustering"] == approx(nx.average_clustering(simple))
        parts = nx.community.louvain_communities(simple, weight="weight", seed=42)
        assert graph_row["modularity"] == approx(nx.community.modularity(simple, parts, weight="weight"))


def test_network_metrics_by_year(data) -> None:
    table = network_metrics_by_year(data, "co-membership", years=[2017, 2021], undated="include")
    assert table.columns[0] == "year"
    # undated memberships counted as always present: 2017: a-b, a-c, b-c, f-g (5 nodes, 2
    # components); 2021: a-c, a-f and lycee-g alone
    assert [(r["year"], r["nodes"], r["edges"], r["components"]) for r in table] == [
        (2017, 5, 4, 2), (2021, 4, 2, 2)]
    assert (table.meta["undated"], table.meta["undated_assumed"]) == ("include", "3")
    # left out (the default): 2017: a-b (pole-un), f-g (pole-deux); 2021: a-f only
    dated = network_metrics_by_year(data, "co-membership", years=[2017, 2021])
    assert [(r["year"], r["nodes"], r["edges"], r["components"]) for r in dated] == [
        (2017, 4, 2, 2), (2021, 2, 1, 1)]
    assert (dated.meta["undated"], dated.meta["undated_left_out"]) == ("exclude", "3")
    every = network_metrics_by_year(data, "co-membership")
    assert [r["year"] for r in every] == list(range(2014, 2023))


def test_diversity_formulas() -> None:
    # three kinds once each: ln 3 and 1 - 3/9; one kind: 0 and 0
    assert shannon_diversity([1, 1, 1]) == approx(math.log(3))
    assert blau_index([1, 1, 1]) == approx(2 / 3)
    assert (shannon_diversity([5]), blau_index([5])) == (0.0, 0.0)
    # 2 and 1: -(2/3 ln 2/3 + 1/3 ln 1/3) and 1 - (4/9 + 1/9)
    assert shannon_diversity([2, 1]) == approx(0.636514168294813)
    assert blau_index([2, 1]) == approx(4 / 9)
    assert shannon_diversity([]) is None and blau_index([0]) is None


def test_law_composition_rules() -> None:
    assert law_composition(["ess-enterprise", "enterprise-grouping", "person"]) == []
    # a second ESS enterprise is not the third actor; an unknown kind counts for nothing
    assert law_composition(["ess-enterprise", "enterprise", "ess-enterprise", "unknown"]) == ["other"]
    # the kind decides: a support network (a CRESS, an association) is another person of art. 9
    assert law_composition(["support-network", "enterprise"]) == ["ess"]
    # the other person may only work with the PTCE ("en lien avec"); a firm must be a member
    assert law_composition(["ess-enterprise", "enterprise"], ["local-authority"]) == []
    assert law_composition(["ess-enterprise", "local-authority"], ["enterprise"]) == ["enterprise"]
    assert law_composition([]) == ["ess", "enterprise", "other"]


@pytest.fixture(scope="module")
def ptce_rows(data):
    table = ptce_indicators(data, reference_date=dt.date(2024, 6, 1))
    assert table.columns == PTCE_COLUMNS
    return {row["ptce"].rsplit("/", 1)[1]: row for row in table}


def test_ptce_rows_for_every_ptce(ptce_rows) -> None:
    assert sorted(ptce_rows) == ["pole-cinq", "pole-deux", "pole-quatre", "pole-trois", "pole-un"]


def test_ptce_pole_un(ptce_rows) -> None:
    r = ptce_rows["pole-un"]
    # members coop-a (ESS), firm-b (firm), agglo-c (local authority): three kinds once each
    assert (r["members"], r["members_ess_enterprise"], r["members_enterprise"], r["members_local_authority"]) == (3, 1, 1, 1)
    assert r["shannon_diversity"] == approx(math.log(3)) and r["blau_index"] == approx(2 / 3)
    assert r["ess_share"] == approx(1 / 3)
    assert (r["meets_law_composition"], r["law_missing"]) == (True, "")
    # located: coop-a (26) and firm-b (26); agglo-c has no place; pole-un's territory is in 26
    assert (r["located_members"], r["local_share"]) == (2, 1.0)
    # shares coop-a with pole-deux, coop-a and firm-b with pole-quatre
    assert r["shared_ptces"] == 2
    # agglo-c is a member (and its funder); reseau-n (support) is no research or training body
    assert (r["has_local_authority"], r["has_research"], r["has_training"]) == (True, False, False)
    # founded "2014": 2024 - 2014
    assert (r["founded"], r["age"]) == ("2014", 10)


def test_ptce_pole_deux(ptce_rows) -> None:
    r = ptce_rows["pole-deux"]
    # coop-a, asso-f (ESS), lycee-g (training): counts 2 and 1
    assert r["members"] == 3 and r["members_ess_enterprise"] == 2 and r["members_training_organisation"] == 1
    assert r["shannon_diversity"] == approx(0.636514168294813) and r["blau_index"] == approx(4 / 9)
    assert r["ess_share"] == approx(2 / 3)
    assert (r["meets_law_composition"], r["law_missing"]) == (False, "enterprise")
    # own département 07: asso-f (Privas) and lycee-g (07) of the 3 located members
    assert r["local_share"] == approx(2 / 3)
    # research through the partnership with labo-r, training through lycee-g
    assert (r["has_research"], r["has_training"], r["shared_ptces"]) == (True, True, 3)
    # founded 2017-03-15: 2024 - 2017
    assert r["age"] == 7


def test_ptce_pole_trois_unknown_kind_and_region(ptce_rows) -> None:
    r = ptce_rows["pole-trois"]
    # lycee-g (training) and org-h (unknown kind): the unknown one is left out of diversity and ESS share
    assert (r["members"], r["members_unknown"], r["members_known_kind"]) == (2, 1, 1)
    assert (r["shannon_diversity"], r["blau_index"], r["ess_share"]) == (0.0, 0.0, 0.0)
    assert r["law_missing"] == "ess|enterprise"
    # territory: région 84, so 26, 07 and 69 are its own; lycee-g (07) is local, org-h (75) is not
    assert (r["located_members"], r["local_share"]) == (2, 0.5)
    # no founding date: no age
    assert r["age"] is None


def test_ptce_pole_quatre_and_cinq(ptce_rows) -> None:
    r = ptce_rows["pole-quatre"]
    assert r["shannon_diversity"] == approx(math.log(2)) and r["blau_index"] == 0.5 and r["ess_share"] == 0.5
    assert r["law_missing"] == "other" and r["local_share"] == 1.0 and r["shared_ptces"] == 2
    empty = ptce_rows["pole-cinq"]
    # no member, no territory: counts 0, ratios empty
    assert (empty["members"], empty["shannon_diversity"], empty["ess_share"], empty["local_share"]) == (0, None, None, None)
    assert empty["law_missing"] == "ess|enterprise|other" and empty["shared_ptces"] == 0


def test_ptce_indicators_as_of(data) -> None:
    rows = {r["ptce"].rsplit("/", 1)[1]: r for r in ptce_indicators(data, as_of="2017")}
    # in 2017 pole-deux has asso-f and lycee-g only; pole-quatre's only member, coop-a, has no
    # date: left out by default, counted with undated="include"
    assert rows["pole-deux"]["members"] == 2 and rows["pole-quatre"]["members"] == 0
    assumed = {r["ptce"].rsplit("/", 1)[1]: r for r in ptce_indicators(data, as_of="2017", undated="include")}
    assert assumed["pole-quatre"]["members"] == 1
    # ages count to the end of the window (2017-12-31); pole-quatre, founded 2018-05, has none yet
    assert rows["pole-un"]["age"] == 3 and rows["pole-quatre"]["age"] is None


def test_ptce_indicators_on_the_shipped_data() -> None:
    import ptce_graph
    from ptce_graph.network.views import extract as read

    try:
        graph = ptce_graph.load()
    except InputError as exc:
        pytest.skip(f"the shipped data does not load yet: {str(exc).splitlines()[0]}")
    data = read(graph)
    table = ptce_indicators(data)
    assert sorted(table.column("ptce")) == data.ptces()
    assert len(table) >= 20
