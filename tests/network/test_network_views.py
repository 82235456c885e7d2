"""Projections of the RDF graph to NetworkX: the four views, their attributes and time windows.

Every expected value is read off ``tests/fixtures/network.ttl`` by hand; the membership dates
there are (gYear start = 1 January, gYear end = 31 December):

    pole-un     coop-a [2014-01-01, ..)   firm-b [2016-01-01, 2019-12-31]   agglo-c (no dates)
    pole-deux   coop-a [2019-06-01, ..)   asso-f [2017-03-15, ..)            lycee-g [2017-01-01, 2020-12-31]
    pole-trois  lycee-g (no dates)        org-h  [2022-01-01, ..)
    pole-quatre coop-a (no dates)         firm-b [2018-01-01, 2018-12-31]
    pole-cinq   no member, founded 2020
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import networkx as nx
import pytest
from projections import co_membership_rows, view_weights
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from ptce_graph.errors import InputError
from ptce_graph.io.rdf import parse_rdf_file
from ptce_graph.model.namespaces import PG, PTCE
from ptce_graph.network import (
    VIEWS,
    Interval,
    example_graph,
    extract,
    snapshots,
    to_networkx,
    window,
)
from ptce_graph.network.kinds import KIND_OF_CLASS, kind_of_classes
from ptce_graph.network.views import QUERIES
from ptce_graph.store import LocalStore

FIXTURE = Path(__file__).parents[1] / "fixtures" / "network.ttl"
A = "https://w3id.org/ptce-graph/id/actor/"
P = "https://w3id.org/ptce-graph/id/ptce/"


def short(node: str) -> str:
    return node.rsplit("/", 1)[-1]


def edges(graph: nx.Graph) -> set[tuple[str, str]]:
    return {tuple(sorted((short(u), short(v)))) for u, v in graph.edges()}  # type: ignore[misc]


@pytest.fixture(scope="module")
def graph() -> Graph:
    return parse_rdf_file(FIXTURE)


@pytest.fixture(scope="module")
def data(graph: Graph):
    return extract(graph)


def test_bundled_example_is_the_fixture(graph: Graph) -> None:
    assert isomorphic(example_graph(), graph)


def test_every_query_parses_and_runs_on_the_fixture(graph: Graph) -> None:

    store = LocalStore(graph)
    for name, text in QUERIES.items():
        columns, rows = store.select(text)
        assert columns, name
        assert rows, f"query {name} returned no row on the fixture"


def test_kinds_match_the_shipped_actor_kind_scheme() -> None:
    from ptce_graph.io.vocabulary import kind_classes

    shipped = kind_classes()
    if not shipped:
        pytest.skip("the actor-kind concept scheme is not in ontology/ yet")
    mine = {code: cls for cls, code in KIND_OF_CLASS.items() if code != "ptce"}
    assert {code: str(cls) for code, cls in shipped.items()} == mine


def test_most_specific_class_wins() -> None:
    assert kind_of_classes([str(PTCE.Organisation), str(PTCE.ESSEnterprise)]) == "ess-enterprise"
    assert kind_of_classes([str(PTCE.Enterprise), str(PTCE.EnterpriseGrouping)]) == "enterprise-grouping"
    assert kind_of_classes([]) == "unknown"


def test_node_attributes(data) -> None:
    g = to_networkx(data, "membership")
    coop = g.nodes[A + "coop-a"]
    # label: the @fr one wins over @en; family code from pgc:ess-family/scic; place from the commune up
    assert coop == {"label": "Coop A", "kind": "ess-enterprise", "bipartite": 0, "ess_family": "scic",
                    "departement": "26", "departement_label": "Drôme", "region": "84",
                    "region_label": "Auvergne-Rhône-Alpes"}
    # no known place: no departement attribute at all (GraphML cannot hold None)
    assert "departement" not in g.nodes[A + "agglo-c"]
    # only an @en label: it is used
    assert g.nodes[A + "org-h"]["label"] == "Org H" and g.nodes[A + "org-h"]["kind"] == "unknown"
    # a PTCE: bipartite 1, territory a commune -> its département; founding date as written
    assert g.nodes[P + "pole-un"]["bipartite"] == 1
    assert g.nodes[P + "pole-un"]["departement"] == "26"
    assert g.nodes[P + "pole-deux"]["founded"] == "2017-03-15"
    # a PTCE whose territory is a région has a région but no département
    assert "departement" not in g.nodes[P + "pole-trois"] and g.nodes[P + "pole-trois"]["region"] == "84"


def test_membership_view_all_time(data) -> None:
    g = to_networkx(data, "membership")
    assert isinstance(g, nx.Graph) and not g.is_directed()
    # 10 memberships, 6 actors + 5 PTCEs (pole-cinq has no member but is a node)
    assert g.number_of_edges() == 10 and g.number_of_nodes() == 11
    assert nx.is_bipartite(g)
    top = {n for n, b in g.nodes(data="bipartite") if b == 1}
    assert {short(n) for n in top} == {"pole-un", "pole-deux", "pole-trois", "pole-quatre", "pole-cinq"}
    edge = g.edges[A + "firm-b", P + "pole-un"]
    assert edge == {"relation": "https://w3id.org/ptce-graph/id/membership/p1-b", "relation_type": "membership",
                    "role": "member", "start": "2016-01-01", "end": "2019-12-31", "weight": 1,
                    "sources": "https://w3id.org/ptce-graph/id/source/src-a|https://w3id.org/ptce-graph/id/source/src-b"}
    # gYearMonth start counts from the first day of the month; no dates: no start or end
    assert g.edges[A + "coop-a", P + "pole-deux"]["start"] == "2019-06-01"
    assert "start" not in g.edges[A + "agglo-c", P + "pole-un"]


def test_co_membership_all_time(data) -> None:
    g = to_networkx(data, "co-membership")
    # triangle coop-a/firm-b/agglo-c (pole-un), triangle coop-a/asso-f/lycee-g (pole-deux: every pair
    # overlaps, coop-a and lycee-g from 2019-06-01 to 2020-12-31), lycee-g/org-h (pole-trois, from 2022)
    assert edges(g) == {("coop-a", "firm-b"), ("agglo-c", "coop-a"), ("agglo-c", "firm-b"),
                        ("asso-f", "coop-a"), ("coop-a", "lycee-g"), ("asso-f", "lycee-g"), ("lycee-g", "org-h")}
    ab = g.edges[A + "coop-a", A + "firm-b"]
    # shared pole-un [2016-01-01, 2019-12-31] and pole-quatre [2018-01-01, 2018-12-31]: weight 2,
    # one merged period
    assert ab["weight"] == 2
    assert ab["via"] == f"{P}pole-quatre|{P}pole-un"
    assert (ab["start"], ab["end"], ab["periods"]) == ("2016-01-01", "2019-12-31", "2016-01-01/2019-12-31")
    ag = g.edges[A + "coop-a", A + "lycee-g"]
    assert (ag["start"], ag["end"]) == ("2019-06-01", "2020-12-31")
    # an open overlap has a start and no end
    ac = g.edges[A + "agglo-c", A + "coop-a"]
    assert ac["start"] == "2014-01-01" and "end" not in ac and ac["periods"] == "2014-01-01/.."


def test_co_membership_query_gives_the_views_edges(graph: Graph, data) -> None:
    """The canned query and the analytics' view are the same projection, dates included."""
    rows = co_membership_rows(graph)
    assert rows == view_weights(to_networkx(data, "co-membership"))


def test_ptce_view_all_time(data) -> None:
    g = to_networkx(data, "ptce")
    # pole-un & pole-quatre share coop-a and firm-b (firm-b in both during 2018): weight 2;
    # pole-un & pole-deux share coop-a; pole-deux & pole-quatre coop-a; pole-deux & pole-trois lycee-g
    weights = {tuple(sorted((short(u), short(v)))): w for u, v, w in g.edges(data="weight")}
    assert weights == {("pole-quatre", "pole-un"): 2, ("pole-deux", "pole-un"): 1,
                       ("pole-deux", "pole-quatre"): 1, ("pole-deux", "pole-trois"): 1}
    assert P + "pole-cinq" in g and g.degree(P + "pole-cinq") == 0


def test_relations_view(data) -> None:
    g = to_networkx(data, "relations")
    assert isinstance(g, nx.MultiDiGraph)
    found = {(short(u), short(v), d["relation_type"], short(k)) for u, v, k, d in g.edges(keys=True, data=True)}
    # partnerships go from the smaller to the larger IRI; the support without supporter gives no edge
    assert found == {
        ("agglo-c", "pole-un", "funding", "c-p1"),
        ("coop-a", "labo-r", "partnership", "a-r"),
        ("coop-a", "pole-un", "carrying-structure", "p1-a"),
        ("labo-r", "pole-deux", "partnership", "r-p2"),
        ("reseau-n", "pole-un", "support", "dla-p1"),
        ("reseau-n", "pole-deux", "supporter", "n-p2"),  # works with pole-deux, not a member
    }
    funding = g.edges[A + "agglo-c", P + "pole-un", "https://w3id.org/ptce-graph/id/funding/c-p1"]
    assert funding["amount"] == 50000.0 and funding["start"] == "2016-01-01" and funding["end"] == "2016-12-31"


def test_views_as_of_two_dates_differ_as_the_membership_dates_say(data) -> None:
    # as of 2017 (any day of 2017): pole-un has coop-a, firm-b, agglo-c; pole-deux has asso-f
    # (from 2017-03-15) and lycee-g, not yet coop-a (2019-06); pole-trois has lycee-g only (org-h
    # from 2022); pole-quatre has coop-a only (firm-b in 2018)
    g2017 = to_networkx(data, "co-membership", as_of="2017", undated="include")
    assert edges(g2017) == {("coop-a", "firm-b"), ("agglo-c", "coop-a"), ("agglo-c", "firm-b"),
                            ("asso-f", "lycee-g")}
    assert g2017.edges[A + "coop-a", A + "firm-b"]["weight"] == 1  # pole-quatre not shared in 2017
    # on 2021-06-30: firm-b left pole-un (2019) and pole-quatre (2018), lycee-g left pole-deux (2020);
    # lycee-g stays a node through pole-trois (no dates) but has no co-member there yet
    g2021 = to_networkx(data, "co-membership", as_of="2021-06-30", undated="include")
    assert edges(g2021) == {("agglo-c", "coop-a"), ("asso-f", "coop-a")}
    assert {short(n) for n in g2021} == {"agglo-c", "asso-f", "coop-a", "lycee-g"}
    assert edges(g2017) != edges(g2021)
    # the same dates in the membership view
    m2017 = to_networkx(data, "membership", as_of="2017", undated="include")
    assert (A + "coop-a", P + "pole-deux") not in m2017.edges
    assert (A + "coop-a", P + "pole-deux") in to_networkx(data, "membership", as_of="2021-06-30",
                                                          undated="include").edges
    # pole-cinq, founded 2020, is not a node before 2020; pole-quatre (founded 2018-05) is, through
    # coop-a's undated membership
    assert P + "pole-cinq" not in m2017 and P + "pole-quatre" in m2017
    assert P + "pole-cinq" in to_networkx(data, "membership", as_of="2021")


def test_undated_memberships_are_left_out_of_a_window_by_default(data) -> None:
    # three memberships carry no date: agglo-c in pole-un, coop-a in pole-quatre, lycee-g in
    # pole-trois. As of 2017 without them: pole-un has coop-a (2014-) and firm-b (2016-2019),
    # pole-deux has asso-f (2017-03-15) and lycee-g (-2020): two co-membership ties
    g = to_networkx(data, "co-membership", as_of="2017")
    assert edges(g) == {("coop-a", "firm-b"), ("asso-f", "lycee-g")}
    assert (g.graph["undated"], g.graph["undated_left_out"]) == ("exclude", 3)
    assert "undated_assumed" not in g.graph
    included = to_networkx(data, "co-membership", as_of="2017", undated="include")
    assert included.graph["undated_assumed"] == 3 and len(edges(included)) == 4
    # without a window nothing is left out and nothing is said about it
    assert "undated" not in to_networkx(data, "co-membership").graph
    # the membership view as of 2017 loses pole-quatre's only member, not the PTCE (founded 2018-05
    # is after 2017: it is not a node at all) and pole-trois keeps no member
    m = to_networkx(data, "membership", as_of="2017")
    assert (A + "agglo-c", P + "pole-un") not in m.edges and (A + "coop-a", P + "pole-un") in m.edges
    with pytest.raises(InputError, match="unknown policy for undated relations 'maybe'"):
        to_networkx(data, "co-membership", as_of="2017", undated="maybe")


def test_year_bounds_rules(data) -> None:
    # firm-b's pole-un membership ends "2019": still there on 2019-12-31, gone on 2020-01-01
    assert (A + "firm-b", P + "pole-un") in to_networkx(data, "membership", as_of="2019-12-31").edges
    assert (A + "firm-b", P + "pole-un") not in to_networkx(data, "membership", as_of="2020-01-01").edges
    # coop-a's pole-deux membership starts "2019-06": absent on 2019-05-31, present on 2019-06-01
    assert (A + "coop-a", P + "pole-deux") not in to_networkx(data, "membership", as_of="2019-05-31").edges
    assert (A + "coop-a", P + "pole-deux") in to_networkx(data, "membership", as_of="2019-06-01").edges


def test_period_view_and_clipped_dates(data) -> None:
    g = to_networkx(data, "co-membership", start="2018", end="2019", undated="include")
    # a period keeps every tie present at some time in it, with its overlap clipped to the period
    ab = g.edges[A + "coop-a", A + "firm-b"]
    assert ab["weight"] == 2 and (ab["start"], ab["end"]) == ("2018-01-01", "2019-12-31")
    assert g.graph["window"] == "2018..2019"


def test_relations_view_as_of(data) -> None:
    # as of 2017: the funding (2016) and the coop-a/labo-r partnership (2018-2020) are out
    g = to_networkx(data, "relations", as_of="2017", undated="include")
    assert {d["relation_type"] for *_, d in g.edges(data=True)} == {"partnership", "support", "carrying-structure"}
    assert g.number_of_edges() == 3  # the relation of reseau-n with pole-deux starts in 2020


def test_snapshots_per_year(data) -> None:
    shots = snapshots(data, "co-membership", undated="include")
    # the membership dates run from 2014 (coop-a in pole-un) to 2022 (org-h in pole-trois)
    assert list(shots) == list(range(2014, 2023))
    assert edges(shots[2017]) == edges(to_networkx(data, "co-membership", as_of="2017", undated="include"))
    assert shots[2014].number_of_edges() == 1  # coop-a and agglo-c in pole-un


def test_projection_is_deterministic(graph: Graph) -> None:
    first = to_networkx(graph, "co-membership")
    second = to_networkx(extract(graph), "co-membership")
    assert list(first.nodes(data=True)) == list(second.nodes(data=True))
    assert list(first.edges(data=True)) == list(second.edges(data=True))
    assert list(first.nodes) == sorted(first.nodes)


def test_every_view_name(data) -> None:
    for view in VIEWS:
        g = to_networkx(data, view)
        assert g.graph["view"] == view and g.graph["window"] == "all"
    with pytest.raises(InputError, match="unknown view 'people'"):
        to_networkx(data, "people")


def test_windows_and_intervals() -> None:
    assert window(as_of="2018-06").interval == Interval(dt.date(2018, 6, 1), dt.date(2018, 6, 30))
    assert window(as_of=dt.date(2018, 6, 3)).interval == Interval(dt.date(2018, 6, 3), dt.date(2018, 6, 3))
    assert window(start="2015").interval == Interval(dt.date(2015, 1, 1), None)
    with pytest.raises(InputError, match="not both"):
        window(as_of="2018", start="2015")
    with pytest.raises(InputError, match="not a date"):
        window(as_of="last year")
    with pytest.raises(InputError, match="not a calendar date"):
        window(as_of="2018-02-30")
    with pytest.raises(InputError, match="before start"):
        window(start="2020", end="2019")


def test_bad_relation_dates_and_partners_are_input_errors(graph: Graph) -> None:
    bad = Graph()
    bad += graph
    bad.add((PG["membership/p3-h#period"], URIRef("http://www.w3.org/ns/dcat#endDate"), Literal("soon")))
    with pytest.raises(InputError, match="membership/p3-h"):
        extract(bad)
    three = Graph()
    three += graph
    three.add((PG["partnership/a-r"], PTCE.partner, PG["actor/firm-b"]))
    with pytest.raises(InputError, match="3 partners"):
        extract(three)
