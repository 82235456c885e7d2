"""Network outputs: GraphML, GEXF, edge lists, metrics as RDF, pictures, and the two commands."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from ptce_graph.cli.network import add_commands
from ptce_graph.errors import InputError, PtceGraphError
from ptce_graph.io.rdf import parse_rdf_file
from ptce_graph.model.namespaces import PG, SCHEMA
from ptce_graph.network import (
    actor_metrics,
    export_network,
    extract,
    metric_iri,
    metrics_to_rdf,
    network_metrics_by_year,
    plot_network,
    ptce_indicators,
    to_networkx,
)
from ptce_graph.network.words import PAGE_WORDS, page_words
from ptce_graph.resources import page_asset

FIXTURE = Path(__file__).parents[1] / "fixtures" / "network.ttl"
A = "https://w3id.org/ptce-graph/id/actor/"
P = "https://w3id.org/ptce-graph/id/ptce/"
GEXF = "{http://www.gexf.net/1.2draft}"
WHEN = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def graph() -> Graph:
    return parse_rdf_file(FIXTURE)


@pytest.fixture(scope="module")
def data(graph: Graph):
    return extract(graph)


def test_graphml_has_node_attributes_and_metrics(data, tmp_path: Path) -> None:
    path = export_network(data, "co-membership", "graphml", tmp_path / "co.graphml")
    g = nx.read_graphml(path)
    coop = g.nodes[A + "coop-a"]
    assert coop["label"] == "Coop A" and coop["kind"] == "ess-enterprise" and coop["departement"] == "26"
    assert coop["betweenness"] == pytest.approx(0.6) and coop["community"] == 0 and coop["core_number"] == 2
    assert g.edges[A + "coop-a", A + "firm-b"]["weight"] == 2
    assert list(g.nodes) == sorted(g.nodes)


def test_graphml_of_the_multigraph_keeps_one_edge_per_relation(data, tmp_path: Path) -> None:
    g = nx.read_graphml(export_network(data, "relations", "graphml", tmp_path / "rel.graphml"), force_multigraph=True)
    assert isinstance(g, nx.MultiDiGraph) and g.number_of_edges() == 6
    keys = {k for *_, k in g.edges(keys=True)}
    assert "https://w3id.org/ptce-graph/id/funding/c-p1" in keys


def test_gexf_carries_the_timeline(data, tmp_path: Path) -> None:
    path = export_network(data, "membership", "gexf", tmp_path / "m.gexf")
    root = ET.parse(path).getroot()
    graph = root.find(f"{GEXF}graph")
    assert graph is not None
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")
    edges = {(e.get("source"), e.get("target")): e for e in root.iter(f"{GEXF}edge")}
    b_un = edges[(A + "firm-b", P + "pole-un")]
    # "2016" to "2019": from 1 January 2016 to 31 December 2019
    assert (b_un.get("start"), b_un.get("end")) == ("2016-01-01", "2019-12-31")
    undated = edges[(A + "agglo-c", P + "pole-un")]
    assert undated.get("start") is None and undated.get("end") is None
    # no date stamp in the file: same graph, same bytes
    assert root.find(f"{GEXF}meta").get("lastmodifieddate") is None  # type: ignore[union-attr]
    back = nx.read_gexf(path)
    assert back.number_of_edges() == 10


def test_gexf_spells_for_ties_with_several_periods(tmp_path: Path) -> None:
    from ptce_graph.network import network_bytes

    g = nx.Graph()
    g.add_edge("urn:a", "urn:b", weight=2, relation_type="co-membership", start="2015-01-01", end="2020-12-31",
               periods="2015-01-01/2016-12-31|2019-01-01/2020-12-31")
    root = ET.fromstring(network_bytes(g, "gexf"))
    spells = [(s.get("start"), s.get("end")) for s in root.iter(f"{GEXF}spell")]
    assert spells == [("2015-01-01", "2016-12-31"), ("2019-01-01", "2020-12-31")]


def test_edges_csv(data, tmp_path: Path) -> None:
    path = export_network(data, "relations", "edges-csv", tmp_path / "rel.csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) == 6
    funding = next(r for r in rows if r["relation_type"] == "funding")
    assert (funding["source_label"], funding["target_label"], funding["amount"]) == ("Agglo C", "Pôle Un", "50000.0")
    assert (funding["start"], funding["end"]) == ("2016-01-01", "2016-12-31")


def test_same_input_and_seed_same_files(graph: Graph, tmp_path: Path) -> None:
    for fmt, suffix in (("graphml", "graphml"), ("gexf", "gexf"), ("edges-csv", "csv")):
        first = export_network(graph, "co-membership", fmt, tmp_path / f"a.{suffix}").read_bytes()
        second = export_network(extract(parse_rdf_file(FIXTURE)), "co-membership", fmt,
                                tmp_path / f"b.{suffix}").read_bytes()
        assert first == second, fmt


def test_unknown_format_is_an_input_error(data, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown network format 'pajek'"):
        export_network(data, "ptce", "pajek", tmp_path / "x.net")


def test_metrics_as_rdf(data) -> None:
    table = actor_metrics(to_networkx(data, "co-membership"))
    g = metrics_to_rdf(table, started_at=WHEN)
    value = metric_iri("co-membership", "all", "betweenness", A + "coop-a")
    assert (URIRef(A + "coop-a"), SCHEMA.additionalProperty, value) in g
    assert g.value(value, SCHEMA.value) == Literal("0.6", datatype=XSD.decimal)
    assert g.value(value, SCHEMA.propertyID) == Literal("betweenness")
    assert g.value(value, SCHEMA.measurementTechnique) == URIRef("https://doi.org/10.2307/3033543")
    activity = g.value(value, PROV.wasGeneratedBy)
    assert activity == PG["metric/co-membership/all/computation"]
    assert (activity, RDF.type, PROV.Activity) in g
    assert g.value(activity, PROV.startedAtTime) == Literal("2026-01-02T03:04:05+00:00", datatype=XSD.dateTime)
    params = {str(g.value(p, SCHEMA.propertyID)): str(g.value(p, SCHEMA.value))
              for p in g.objects(activity, SCHEMA.additionalProperty)}
    assert params["seed"] == "42" and params["level"] == "actor" and params["engine"] == "igraph"
    assert params["engine_versions"].startswith("igraph ")
    # no ptce: term: the values only use schema.org and PROV-O
    assert not any(str(t).startswith("https://w3id.org/ptce-graph/ontology#") for triple in g for t in triple)
    # same table and time, same triples; the values can be queried with SPARQL
    assert set(g) == set(metrics_to_rdf(table, started_at=WHEN))
    rows = g.query("""PREFIX schema: <https://schema.org/>
        SELECT ?v WHERE { ?node schema:additionalProperty [ schema:propertyID "degree" ; schema:value ?v ] }""")
    assert sorted(int(r[0]) for r in rows) == [1, 2, 2, 2, 3, 4]


def test_ptce_and_yearly_tables_as_rdf(data) -> None:
    g = metrics_to_rdf(ptce_indicators(data, reference_date=dt.date(2024, 1, 1)), started_at=WHEN)
    blau = metric_iri("ptce-indicators", "all", "blau_index", P + "pole-un")
    assert float(g.value(blau, SCHEMA.value)) == pytest.approx(2 / 3)
    meets = metric_iri("ptce-indicators", "all", "meets_law_composition", P + "pole-un")
    assert g.value(meets, SCHEMA.value) == Literal(True)
    yearly = metrics_to_rdf(network_metrics_by_year(data, "co-membership", years=[2017]), started_at=WHEN)
    assert int(yearly.value(metric_iri("co-membership", "2017", "edges"), SCHEMA.value)) == 2  # dated only
    assert (PG["dataset"], SCHEMA.additionalProperty, metric_iri("co-membership", "2017", "nodes")) in yearly


def test_table_formats_and_dataframe(data) -> None:
    table = actor_metrics(to_networkx(data, "co-membership"))
    parsed = json.loads(table.to_json())
    assert parsed["meta"]["view"] == "co-membership" and len(parsed["rows"]) == 6
    lines = table.to_csv().splitlines()
    assert lines[0].split(",")[:3] == ["node", "label", "kind"] and len(lines) == 7
    assert "(6 rows)" in table.to_text()
    pd = pytest.importorskip("pandas")
    frame = table.to_dataframe()
    assert list(frame.columns) == list(table.columns) and len(frame) == 6
    assert isinstance(frame, pd.DataFrame) and frame.attrs["view"] == "co-membership"


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plot_pictures_are_deterministic(graph: Graph, tmp_path: Path, suffix: str) -> None:
    pytest.importorskip("matplotlib")
    first = plot_network(graph, "co-membership", tmp_path / f"a{suffix}", as_of="2019", undated="include").read_bytes()
    second = plot_network(graph, "co-membership", tmp_path / f"b{suffix}", as_of="2019", undated="include").read_bytes()
    assert first == second and len(first) > 10_000
    if suffix == ".svg":
        text = first.decode("utf-8")
        assert "Co-membership network of PTCE members, as of 2019" in text and "Coop A" in text
        assert "ESS enterprise" in text  # the legend


def test_plot_png_is_a_picture(graph: Graph, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    path = plot_network(graph, "membership", tmp_path / "m.png")
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    assert (width, height) == (2200, 1700)


def test_plot_html_is_self_contained(graph: Graph, tmp_path: Path) -> None:
    page = plot_network(graph, "relations", tmp_path / "rel.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "Réseau N" in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://cdn" not in page and "<script src" not in page
    data = json.loads(page.split('<script type="application/json" id="data">')[1].split("</script>")[0])
    assert data["nodes"][P + "pole-un"]["label"] == "Pôle Un"
    ties = [{e["u"], e["v"]} for e in data["edges"]]
    assert sorted(n for t in ties if A + "labo-r" in t for n in t - {A + "labo-r"}) == [A + "coop-a", P + "pole-deux"]


#: The network page script's strings that are code, never shown: element ids, CSS selectors and
#: classes, tag and event names, attribute values. A text the reader sees belongs in PAGE_WORDS.
_SCRIPT_CODE = {
    "", " ", ", ", "#edges line", "#labels text", "#nodes [data-node]", "Enter", "NFD", "]:checked", "_blank",
    "a", "aside input, aside select", "aside input[type=checkbox]", "b", "card", "change", "click", "data", "dim",
    "div", "exclude", "find", "h3", "hide", "include", "info", "input", "input[name=", "keydown", "kinds", "li",
    "mousedown", "mouseenter", "mouseleave", "mousemove", "mouseup", "net", "noopener noreferrer", "ol", "picked",
    "region", "reset", "roles", "search", "sources", "undated", "use strict", "viewBox", "wheel", "year",
}  # fmt: skip


def _script_texts(script: str) -> tuple[set[str], set[str]]:
    """The keys the script looks up with ``say("key")`` and its other string literals."""
    code = re.sub(r"(?m)^\s*//.*$|\s//\s.*$", "", script)  # comments
    quoted = r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'|`((?:[^`\\]|\\.)*)`'
    literals = {a or b or c for a, b, c in re.findall(quoted, code)}
    keys = set(re.findall(r'\bsay\("([^"]+)"', code))
    return keys, literals - keys


def test_page_words_are_one_table_in_both_languages_and_the_script_has_no_text_of_its_own() -> None:
    import ptce_graph.network.page as page_module

    script = page_asset("network.js").read_text(encoding="utf-8")
    python = Path(page_module.__file__).read_text(encoding="utf-8")
    for key, (en, fr) in PAGE_WORDS.items():
        assert en.strip() and fr.strip(), key
        assert sorted(re.findall(r"\{(\w+)\}", en)) == sorted(re.findall(r"\{(\w+)\}", fr)), key
    keys, others = _script_texts(script)
    assert {"shown", "colon", "card.territory", "card.members", "card.homepage", "card.sources"} <= keys
    used = keys | set(re.findall(r'words\["([^"]+)"\]', python))
    assert used == set(PAGE_WORDS)  # every phrase is used, none is missing from the table
    assert others <= _SCRIPT_CODE, others - _SCRIPT_CODE  # a new literal: a text (PAGE_WORDS) or code (here)
    shown = {text for lang in ("en", "fr") for text in page_words(lang).values()}
    assert not _SCRIPT_CODE & shown  # nothing shown was let through as code
    # the check catches the strings the script once hard-coded
    old = script.replace('say("card.territory")', '"Territory"').replace('say("colon")', '": "')
    assert _script_texts(old)[1] - _SCRIPT_CODE == {"Territory", ": "}


def test_plot_html_in_french(graph: Graph, tmp_path: Path) -> None:
    en = plot_network(graph, "membership", tmp_path / "en.html").read_text(encoding="utf-8")
    fr_path = plot_network(graph, "membership", tmp_path / "fr.html", lang="fr")
    fr = fr_path.read_text(encoding="utf-8")
    assert '<html lang="en">' in en and '<html lang="fr">' in fr
    data = json.loads(fr.split('<script type="application/json" id="data">')[1].split("</script>")[0])
    assert data["words"] == page_words("fr") and data["words"]["card.territory"] == "Territoire"
    assert ["local-authority", "Collectivité territoriale"] in data["kinds"]
    assert data["nodes"][P + "pole-un"]["details"]["type"] == "PTCE"
    assert "Chercher par nom" in fr and "Type d'acteur" not in en and "Search by name" not in fr
    assert plot_network(graph, "membership", tmp_path / "again.html", lang="fr").read_bytes() == fr_path.read_bytes()


def test_plot_refuses_unknown_extensions(graph: Graph, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=re.escape("cannot draw to '.jpg'")):
        plot_network(graph, "co-membership", tmp_path / "x.jpg")


# -- the commands, wired into a local parser as ptce_graph.cli will do -------------------------
def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="ptce-graph")
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        code = args.func(args)
    except PtceGraphError as exc:
        code = exc.exit_code
        print(f"error: {exc}", file=__import__("sys").stderr)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_metrics_ptce_level(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["metrics", "--graph", str(FIXTURE), "--level", "ptce", "--format", "csv"], capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 5 and rows[0]["ptce"] == P + "pole-cinq"
    assert {r["label"]: r["blau_index"] for r in rows}["Pôle Quatre"] == "0.5"


def test_cli_metrics_as_of_and_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["metrics", "--graph", str(FIXTURE), "--as-of", "2017", "--format", "json"], capsys)
    # four actors with a dated membership in 2017; the three undated memberships are left out, and said
    assert code == 0 and json.loads(out)["meta"]["window"] == "2017" and len(json.loads(out)["rows"]) == 4
    assert json.loads(out)["meta"]["undated_left_out"] == "3"
    assert "note: 3 relation(s) with no date left out of the time window" in err
    code, out, err = run(["metrics", "--graph", str(FIXTURE), "--as-of", "2017", "--undated", "include",
                          "--format", "json"], capsys)
    assert code == 0 and len(json.loads(out)["rows"]) == 5 and "counted as present at every date" in err
    code, out, _ = run(["metrics", "--graph", str(FIXTURE), "--level", "network", "--by-year", "--from", "2016",
                        "--to", "2018"], capsys)
    assert code == 0 and "(3 rows)" in out
    target = tmp_path / "metrics.ttl"
    code, _, err = run(["metrics", "--graph", str(FIXTURE), "--view", "ptce", "--format", "ttl", "--out",
                        str(target)], capsys)
    assert code == 0 and "wrote" in err
    assert len(parse_rdf_file(target)) > 100


def test_cli_metrics_user_mistakes(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["metrics", "--graph", str(FIXTURE), "--as-of", "someday"], capsys)
    assert code == 2 and "not a date" in err
    code, _, err = run(["metrics", "--graph", str(FIXTURE), "--level", "actor", "--by-year"], capsys)
    assert code == 2 and "--by-year is for --level network" in err
    with pytest.raises(SystemExit):
        run(["metrics", "--view", "friends"], capsys)


def test_cli_plot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / "ptce.png"
    code, _, err = run(["plot", "--graph", str(FIXTURE), "--view", "ptce", "--as-of", "2020", "--out", str(target)],
                       capsys)
    assert code == 0 and target.stat().st_size > 10_000 and str(target) in err


def test_cli_metrics_on_the_shipped_data(capsys: pytest.CaptureFixture[str]) -> None:
    import ptce_graph

    try:
        graph = ptce_graph.load()
    except InputError as exc:
        pytest.skip(f"the shipped data does not load yet: {str(exc).splitlines()[0]}")
    expected = {str(s) for s in graph.subjects(RDF.type, URIRef("https://w3id.org/ptce-graph/ontology#PTCE"))}
    code, out, _ = run(["metrics", "--level", "ptce", "--format", "csv"], capsys)
    assert code == 0
    assert {r["ptce"] for r in csv.DictReader(io.StringIO(out))} == expected
