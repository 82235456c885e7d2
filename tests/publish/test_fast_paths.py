"""The fast paths give the results of the reference paths they replace.

* validation: the shapes compiled to SPARQL on Oxigraph, against pyshacl, on the shipped
  data, on synthetic data (clean and with injected errors) and on every shape case;
* exports: the streaming writers, against rdflib's serialisers (same bytes for N-Triples, the
  same graph for Turtle and JSON-LD, read back by rdflib);
* store and queries: files loaded straight into Oxigraph, and every canned query, against
  rdflib's SPARQL engine on the same synthetic data;
* network measures: the ``igraph`` engine of ``network/engine.py`` against the ``networkx``
  engine and NetworkX itself, on small graphs and on the views of the shipped data.

The synthetic data is the S size of ``bench/generate.py`` (about 10 k triples).
"""

from __future__ import annotations

import math
import random
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, SH, XSD

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the benchmark package lives at the repository root
    sys.path.insert(0, str(ROOT))

from naive_reference import export as naive_export  # noqa: E402
from naive_reference.store import RdflibStore  # noqa: E402

from bench.generate import SIZES, SYNTHETIC_BASE, generate  # noqa: E402
from ptce_graph.check.validate import validate  # noqa: E402
from ptce_graph.io.ingest import read_folders  # noqa: E402
from ptce_graph.io.ntriples import NTriples  # noqa: E402
from ptce_graph.network import engine  # noqa: E402
from ptce_graph.publish.export import serialize  # noqa: E402
from ptce_graph.store import LocalStore  # noqa: E402

CASES = ROOT / "tests" / "shapes" / "cases"
SYNTH = URIRef(SYNTHETIC_BASE)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The S-size synthetic data folder."""
    return generate(tmp_path_factory.mktemp("synthetic"), ptces=SIZES["S"].ptces, seed=7)


@pytest.fixture(scope="module")
def synthetic_nt(synthetic: Path) -> NTriples:
    return read_folders([synthetic], base=SYNTHETIC_BASE)


@pytest.fixture(scope="module")
def synthetic_graph(synthetic_nt: NTriples) -> Graph:
    return synthetic_nt.to_graph()


# -- ingest -------------------------------------------------------------------------------------------
def test_synthetic_nodes_live_under_the_synthetic_base(synthetic_graph: Graph) -> None:
    subjects = {str(s) for s in synthetic_graph.subjects() if isinstance(s, URIRef)}
    minted = {s for s in subjects if "/territory/" not in s and "/source/ref-" not in s}
    assert minted and all(s.startswith(SYNTHETIC_BASE) for s in minted)
    assert not any(s.startswith("https://w3id.org/ptce-graph/id/") and "synth-" in s for s in subjects)


# -- validation ---------------------------------------------------------------------------------------
def _full(report) -> list[tuple]:
    return [(r.severity, r.focus, r.path, r.shape, r.component, r.value, r.focus_label) for r in report.results]


def _corrupt(graph: Graph) -> Graph:
    """A copy of the graph with one error of each kind the shapes look for."""
    g = Graph()
    g += graph
    ptce = next(iter(sorted(g.subjects(RDF.type, URIRef("https://w3id.org/ptce-graph/ontology#PTCE")))))
    actors = sorted(s for s in g.subjects(URIRef("https://w3id.org/ptce-graph/ontology#siren"), None))
    periods = sorted(s for s in g.subjects(DCAT.endDate, None))
    memberships = sorted(g.subjects(RDF.type, URIRef("https://w3id.org/ptce-graph/ontology#Membership")))
    ptce_ns = "https://w3id.org/ptce-graph/ontology#"
    g.set((actors[0], URIRef(ptce_ns + "siren"), Literal("123456788")))  # wrong check digit
    g.add((actors[1], URIRef(ptce_ns + "siret"), Literal("12345678900011")))  # wrong check digit
    start = g.value(periods[0], DCAT.startDate)
    g.set((periods[0], DCAT.endDate, Literal("1999", datatype=XSD.gYear)))  # end before start / precision
    g.set((periods[1], DCAT.startDate, Literal("2021-02-29", datatype=XSD.date)))  # ill-typed
    g.remove((memberships[0], URIRef("http://www.w3.org/ns/org#role"), None))  # minCount
    g.add((memberships[1], URIRef("http://www.w3.org/ns/org#role"),
           URIRef("https://w3id.org/ptce-graph/concept/role/no-such-role")))  # sh:node + details
    g.add((memberships[2], URIRef("http://www.w3.org/ns/org#member"), Literal("not a node")))  # sh:class
    g.remove((ptce, RDFS.label, None))  # qualified min count of a French label
    g.add((ptce, RDFS.label, Literal("Pôle", lang="en")))
    g.add((ptce, RDFS.label, Literal("Pole", lang="EN")))  # uniqueLang
    g.add((actors[2], URIRef("http://xmlns.com/foaf/0.1/homepage"), Literal("https://example.org")))  # nodeKind
    assert start is not None
    return g


@pytest.mark.slow
def test_compiled_validation_gives_pyshacls_results_on_synthetic_data_with_errors(synthetic_graph: Graph) -> None:
    """The one whole-data pyshacl run (about a minute): 10 k triples with one error of each kind.

    The shipped data is compared on a slice of it in test_validate.py, and every shape case
    below; ``pytest -m "not slow"`` leaves this one out.
    """
    graph = _corrupt(synthetic_graph)
    fast = validate(graph, engine="oxigraph")
    reference = validate(graph, engine="pyshacl")
    assert fast.engine == "oxigraph" and reference.engine == "pyshacl"
    assert _full(fast) == _full(reference)
    components = Counter(r.component.rsplit("#", 1)[-1] for r in fast.results if r.severity == "Violation")
    for component in ("SPARQLConstraintComponent", "MinCountConstraintComponent", "NodeConstraintComponent",
                      "InConstraintComponent", "ClassConstraintComponent", "OrConstraintComponent",
                      "UniqueLangConstraintComponent", "QualifiedMinCountConstraintComponent",
                      "NodeKindConstraintComponent"):
        assert components[component] >= 1, component


def test_sparql_constraint_messages_keep_their_language(synthetic_graph: Graph) -> None:
    """pyshacl drops the language tags of SHACL-SPARQL messages; the compiled engine keeps them."""
    report = validate(_corrupt(synthetic_graph))
    luhn = [r for r in report.results if r.shape == "pgs:SirenLuhnShape"]
    assert luhn and luhn[0].message_en.startswith("The SIREN") and luhn[0].message_fr.startswith("Le SIREN")


def _case_results(report_graph: Graph) -> Counter:
    found: Counter = Counter()
    for node in report_graph.subjects(SH.resultSeverity, None):
        value = report_graph.value(node, SH.value)
        found[(report_graph.value(node, SH.focusNode), report_graph.value(node, SH.resultPath),
               report_graph.value(node, SH.sourceConstraintComponent), report_graph.value(node, SH.sourceShape),
               report_graph.value(node, SH.resultSeverity),
               value.toPython() if isinstance(value, Literal) else value)] = 1
    return found


@pytest.mark.parametrize("case", sorted(p.relative_to(CASES).as_posix() for p in CASES.rglob("*.ttl")))
def test_compiled_validation_on_every_shape_case(case: str) -> None:
    """Every valid and invalid case of tests/shapes, compared on (focus, path, component, shape,
    severity, value) as the shape tests do; literal values are compared by value (rdflib rewrites
    some lexical forms, "14.0"^^xsd:decimal as "14", when pyshacl copies the data graph)."""
    data = Graph().parse(CASES / case)
    fast = validate(data, engine="oxigraph")
    reference = validate(data, engine="pyshacl")
    assert _case_results(fast.graph) == _case_results(reference.graph)


# -- exports ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("which", ["shipped", "synthetic"])
def test_exports_match_rdflibs(which: str, shipped_graph: Graph, synthetic_graph: Graph) -> None:
    graph = shipped_graph if which == "shipped" else synthetic_graph
    nt = NTriples.from_graph(graph)
    assert serialize(nt, "nt") == naive_export.serialize(graph, "nt")
    assert isomorphic(Graph().parse(data=serialize(nt, "jsonld"), format="json-ld"), graph)
    turtle = Graph().parse(data=serialize(nt, "ttl"), format="turtle")
    assert isomorphic(turtle, graph)
    assert serialize(graph, "ttl") == serialize(nt, "ttl")  # from either form, the same bytes


def test_jsonld_edge_cases_read_back_as_the_same_graph() -> None:
    """Terms of the context with and without coercion, values that fit them and values that do not."""
    g = Graph()
    s = URIRef("https://w3id.org/ptce-graph/id/x")
    g.add((s, RDF.type, URIRef("http://www.w3.org/ns/org#")))
    g.add((s, URIRef("http://www.w3.org/ns/org#"), Literal("a")))
    g.add((s, URIRef("http://example.org/p"), Literal("true", datatype=XSD.boolean)))
    g.add((s, URIRef("http://example.org/p"), Literal("1e3", datatype=XSD.double)))
    g.add((s, URIRef("http://example.org/p"), Literal('quote " and \\ and\nnew line')))
    g.add((s, URIRef("http://example.org/p"), Literal("Île", lang="fr")))
    g.add((s, URIRef("https://schema.org/amount"), Literal("12.5", datatype=XSD.decimal)))
    g.add((s, URIRef("https://schema.org/count"), Literal("7", datatype=XSD.integer)))
    g.add((s, URIRef("http://example.org/p"), Literal("007", datatype=XSD.integer)))  # not canonical
    g.add((s, RDFS.label, Literal("seul", lang="fr")))
    g.add((s, RDFS.label, Literal("sans langue")))
    g.add((s, RDFS.label, Literal("typed", datatype=XSD.token)))  # no fit for the language map
    g.add((s, RDFS.label, URIRef("https://w3id.org/ptce-graph/id/x")))  # nor an IRI
    g.add((s, DCTERMS.source, Literal("a text")))  # an @id term with a literal
    g.add((s, DCTERMS.title, Literal("Titre", lang="fr")))  # a plain term with a language
    g.add((s, URIRef("https://schema.org/amount"), Literal("3", datatype=XSD.integer)))  # not the coerced type
    g.add((s, URIRef("https://w3id.org/ptce-graph/ontology#cogYear"), Literal("2026", datatype=XSD.gYear)))
    g.add((s, DCTERMS.source, URIRef("https://w3id.org/ptce-graph/id//odd")))  # would read as an authority
    for graph in (g, Graph()):
        data = serialize(graph, "jsonld")
        assert isomorphic(Graph().parse(data=data, format="json-ld"), graph)
        assert isomorphic(_oxigraph_read(data), graph)


def _oxigraph_read(data: bytes) -> Graph:
    import pyoxigraph as ox

    from ptce_graph.io.rdf import ox_to_rdflib

    graph = Graph()
    for t in ox.parse(data, ox.RdfFormat.JSON_LD):
        graph.add((ox_to_rdflib(t.subject), ox_to_rdflib(t.predicate), ox_to_rdflib(t.object)))
    return graph


# -- store and queries ----------------------------------------------------------------------------------
def test_files_in_every_format_open_as_the_same_graph(tmp_path: Path, shipped_graph: Graph) -> None:
    from ptce_graph.graph import open_graph
    from ptce_graph.io.formats import format_names

    nt = NTriples.from_graph(shipped_graph)
    for fmt in format_names("rdf"):
        path = tmp_path / f"ptce.{fmt if fmt != 'rdfxml' else 'rdf'}"
        path.write_bytes(serialize(nt, fmt))
        graph = open_graph(path)
        assert graph.ntriples == nt, fmt
        assert len(graph.store) == len(shipped_graph), fmt


def _normal(rows: list[tuple]) -> Counter:
    def term(value):
        if isinstance(value, Literal):
            python = value.toPython()
            if isinstance(python, Decimal):  # engines write the same decimal as "20000" or "20000.0"
                return python.normalize()
            if isinstance(python, float):
                return round(python, 9)
            text = str(python)
            # GROUP_CONCAT: order and language tag of the result are engine-defined
            return " | ".join(sorted(text.split(" | ")))
        return value
    return Counter(tuple(term(v) for v in row) for row in rows)


@pytest.fixture(scope="module")
def both_stores(synthetic_graph: Graph) -> tuple[LocalStore, RdflibStore]:
    from ptce_graph.io.vocabulary import ontology_graph

    reference = Graph()
    reference += synthetic_graph
    reference += ontology_graph()
    return LocalStore(synthetic_graph), RdflibStore(reference)


def _catalog() -> list[str]:
    from ptce_graph.query.catalog import load_catalog

    return list(load_catalog())


@pytest.mark.parametrize("query_id", _catalog())
def test_canned_queries_agree_with_rdflibs_engine(query_id: str, synthetic: Path, both_stores) -> None:
    from bench.stages import query_params
    from ptce_graph.query.run import run_query

    params = query_params(synthetic).get(query_id)
    fast_store, reference_store = both_stores
    fast = run_query(query_id, params, store=fast_store)
    reference = run_query(query_id, params, store=reference_store)
    if fast.graph is not None:
        assert reference.graph is not None and isomorphic(fast.graph, reference.graph)
        return
    assert fast.columns == reference.columns
    assert len(fast.rows) > 0 or query_id in {"ptce_in_territory"}
    assert _normal(list(fast.rows)) == _normal(list(reference.rows))


def test_co_membership_query_gives_the_views_edges_on_synthetic_data(both_stores) -> None:
    """On dated synthetic memberships (many pairs never overlap), query and view agree."""
    from projections import co_membership_rows, view_weights

    from ptce_graph.network import to_networkx

    fast_store, _ = both_stores
    rows = co_membership_rows(fast_store)
    assert len(rows) > 100
    assert rows == view_weights(to_networkx(fast_store, "co-membership"))
    # the dates matter here: more pairs shared a PTCE at some time than at the same time
    undated = fast_store.select("""
        PREFIX ptce: <https://w3id.org/ptce-graph/ontology#>
        PREFIX org: <http://www.w3.org/ns/org#>
        SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?a ?b WHERE {
          ?ptce a ptce:PTCE ; org:hasMember ?a , ?b . FILTER(STR(?a) < STR(?b)) } }""")[1][0][0]
    assert int(undated) > len(rows)


def test_network_extraction_agrees_with_rdflibs_engine(both_stores) -> None:
    from ptce_graph.network import extract

    fast_store, reference_store = both_stores
    assert extract(fast_store) == extract(reference_store)


# -- network measures ----------------------------------------------------------------------------------
def _graphs() -> list[tuple[str, nx.Graph]]:
    disconnected = nx.gnm_random_graph(40, 70, seed=3)
    disconnected.add_nodes_from(range(40, 44))  # isolated nodes
    twins = nx.disjoint_union(nx.cycle_graph(5), nx.cycle_graph(5))  # two components, same spectrum
    return [("kite", nx.krackhardt_kite_graph()), ("florentine", nx.florentine_families_graph()),
            ("karate", nx.karate_club_graph()), ("random", disconnected), ("twins", twins),
            ("single", nx.empty_graph(1)), ("pair", nx.path_graph(2))]


def _as_strings(graph: nx.Graph) -> nx.Graph:
    return nx.relabel_nodes(graph, {n: f"n{n}" if not isinstance(n, str) else n for n in graph})


def _close(mine: dict, reference: dict) -> None:
    assert set(mine) == {str(k) for k in reference}
    for node, value in reference.items():
        got = mine[str(node)]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            assert got is None, node
        else:
            assert got == pytest.approx(value, abs=1e-9), node


def _measures(g: nx.Graph, chosen: str) -> dict[str, object]:
    """Every measure of the engine module on ``g``, with ``chosen`` engine."""
    run = {"engine": chosen}
    found: dict[str, object] = {
        "betweenness": engine.betweenness(g, **run), "closeness": engine.closeness(g, **run),
        "clustering": engine.clustering(g, **run), "constraint": engine.constraint(g, **run),
        "effective_size": engine.effective_size(g, **run), "core_number": engine.core_number(g, **run),
        "eigenvector": engine.eigenvector(g, **run), "average_clustering": engine.average_clustering(g, **run),
    }
    for k in (1, 3, max(1, g.number_of_nodes() - 1)):
        if 0 < k < g.number_of_nodes():
            found[f"betweenness k={k}"] = engine.betweenness(g, sample=k, seed=7, **run)
    return found


@pytest.mark.parametrize(("name", "graph"), _graphs(), ids=[n for n, _ in _graphs()])
def test_engine_measures_equal_networkx(name: str, graph: nx.Graph) -> None:
    """Both engines give NetworkX's own values, and so each other's."""
    g = _as_strings(graph)
    reference = {
        "betweenness": nx.betweenness_centrality(g, normalized=True), "closeness": nx.closeness_centrality(g),
        "clustering": nx.clustering(g), "constraint": nx.constraint(g), "effective_size": nx.effective_size(g),
        "eigenvector": nx.eigenvector_centrality(g, max_iter=10_000, tol=1e-13),
    }
    for k in (1, 3, max(1, g.number_of_nodes() - 1)):
        if 0 < k < g.number_of_nodes():
            reference[f"betweenness k={k}"] = nx.betweenness_centrality(g, k=k, normalized=True, seed=7)
    by_engine = {chosen: _measures(g, chosen) for chosen in engine.ENGINES}
    for chosen, found in by_engine.items():
        for measure, values in reference.items():
            _close(found[measure], values)  # type: ignore[arg-type]
        assert found["core_number"] == {str(k): v for k, v in nx.core_number(g).items()}, chosen
        assert found["average_clustering"] == pytest.approx(nx.average_clustering(g)), chosen
    igraph_values, networkx_values = by_engine["igraph"], by_engine["networkx"]
    assert igraph_values.keys() == networkx_values.keys()
    for measure, values in networkx_values.items():
        assert igraph_values[measure] == pytest.approx(values, abs=1e-9), measure


def test_engines_agree_on_the_views_of_the_shipped_data(shipped_graph: Graph) -> None:
    """Every actor and network measure of every view of the shipped data, on both engines; the
    tables name the engine that computed them."""
    from ptce_graph.network import actor_metrics, extract, network_metrics, to_networkx
    from ptce_graph.network.views import VIEWS

    data = extract(shipped_graph)
    for view in VIEWS:
        g = to_networkx(data, view)
        for measure in (actor_metrics, network_metrics):
            tables = {chosen: measure(g, engine=chosen) for chosen in engine.ENGINES}
            for chosen, table in tables.items():
                assert table.meta["engine"] == chosen
                assert table.meta["engine_versions"] == engine.engine_versions(chosen)
            assert {k: v for k, v in tables["igraph"].meta.items() if not k.startswith("engine")} == \
                {k: v for k, v in tables["networkx"].meta.items() if not k.startswith("engine")}
            assert tables["igraph"].columns == tables["networkx"].columns
            assert len(tables["igraph"].rows) == len(tables["networkx"].rows) > 0
            for mine, reference in zip(tables["igraph"].rows, tables["networkx"].rows):
                assert mine.keys() == reference.keys()
                for column, value in reference.items():
                    if isinstance(value, float):
                        assert mine[column] == pytest.approx(value, abs=1e-9), (view, column, mine.get("node"))
                    else:
                        assert mine[column] == value, (view, column, mine.get("node"))


def test_igraph_engine_when_igraph_is_missing_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """No quiet switch to NetworkX: asking for igraph without it fails and says what to do."""
    from ptce_graph.errors import InputError
    from ptce_graph.network import actor_metrics, network_metrics

    engine._igraph.cache_clear()
    monkeypatch.setitem(sys.modules, "igraph", None)  # "import igraph" now raises ImportError
    try:
        g = nx.path_graph(["a", "b", "c"])
        for call in (lambda: engine.betweenness(g), lambda: engine.clustering(g, engine="igraph"),
                     lambda: actor_metrics(g), lambda: network_metrics(g, engine="igraph")):
            with pytest.raises(InputError, match=r'igraph is not installed.*engine="networkx"') as raised:
                call()
            assert isinstance(raised.value.__cause__, ImportError)
        assert actor_metrics(g, engine="networkx").meta["engine"] == "networkx"
        assert engine.betweenness(g, engine="networkx") == {"a": 0.0, "b": 1.0, "c": 0.0}
    finally:
        engine._igraph.cache_clear()


def test_unknown_network_engine_is_an_error() -> None:
    from ptce_graph.errors import InputError
    from ptce_graph.network import actor_metrics

    with pytest.raises(InputError, match="unknown network engine 'auto'; choose one of igraph, networkx"):
        actor_metrics(nx.path_graph(["a", "b"]), engine="auto")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="unknown network engine"):
        engine.eigenvector(nx.Graph(), engine="graph-tool")  # type: ignore[arg-type]


def test_the_environment_does_not_choose_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The variable that used to switch every measure to NetworkX is ignored."""
    from ptce_graph.network import actor_metrics

    monkeypatch.setenv("PTCE_GRAPH_ENGINE", "networkx")
    assert actor_metrics(nx.path_graph(["a", "b", "c"])).meta["engine"] == engine.DEFAULT_ENGINE == "igraph"


def test_measures_on_a_random_graph_with_weights() -> None:
    """Weights do not change the unweighted measures (as with NetworkX's defaults)."""
    rng = random.Random(11)
    g = _as_strings(nx.gnm_random_graph(60, 150, seed=5))
    for u, v in g.edges:
        g.edges[u, v]["weight"] = rng.randint(1, 4)
    for chosen in engine.ENGINES:
        _close(engine.betweenness(g, engine=chosen), nx.betweenness_centrality(g, normalized=True))
        _close(engine.constraint(g, engine=chosen), nx.constraint(g))


def test_measures_shared_between_processes_equal_networkx(monkeypatch: pytest.MonkeyPatch) -> None:
    """Betweenness and closeness computed in shares by child processes (as on national graphs)."""
    monkeypatch.setattr(engine, "PARALLEL_WORK", 0)
    monkeypatch.setattr(engine, "_processes", lambda: 3)
    calls = []
    real = engine._shared
    monkeypatch.setattr(engine, "_shared", lambda *a: calls.append(a[0]) or real(*a))
    here = []  # shares computed in this process: the first one only, unless a child failed
    in_process = engine._in_process
    monkeypatch.setattr(engine, "_in_process", lambda *a: here.append(a[0]) or in_process(*a))
    g = nx.gnm_random_graph(70, 160, seed=3)
    g.add_nodes_from([100, 101])  # isolated nodes
    g.add_edge(102, 103)  # a second component
    g = _as_strings(g)
    _close(engine.betweenness(g), nx.betweenness_centrality(g, normalized=True))
    _close(engine.betweenness(g, sample=20, seed=7), nx.betweenness_centrality(g, k=20, normalized=True, seed=7))
    _close(engine.closeness(g), nx.closeness_centrality(g))
    assert calls == ["betweenness", "betweenness", "closeness"]
    assert here == calls  # the two other shares of each measure came from child processes
    engine._MIRRORS.clear()


def test_kind_assortativity_equals_networkx() -> None:
    from ptce_graph.network.metrics import analysis_graph, kind_assortativity

    rng = random.Random(4)
    kinds = ["ess-enterprise", "enterprise", "local-authority", "unknown"]
    for seed in range(6):
        g = _as_strings(nx.gnm_random_graph(50, 120, seed=seed))
        for node in g:
            g.nodes[node]["kind"] = rng.choice(kinds)
        simple = analysis_graph(g)
        known = [n for n, d in simple.nodes(data=True) if d["kind"] != "unknown"]
        reference = nx.attribute_assortativity_coefficient(simple.subgraph(known), "kind")
        assert kind_assortativity(g) == pytest.approx(reference, abs=1e-12)
