"""The main job on the shipped data: the three exports, determinism, round trips, the summary."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from ptce_graph import build
from ptce_graph.io.rdf import parse_rdf_file
from ptce_graph.model.namespaces import ORG, PTCE

SEED_PTCE = 23


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("build")
    return build(out=out), out


def test_build_writes_the_three_exports_and_a_summary(built) -> None:
    result, out = built
    assert result.ok
    for name in ("ptce.ttl", "ptce.jsonld", "ptce.nt", "summary.json", "validation.json"):
        assert (out / name).stat().st_size > 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["validation"]["violations"] == 0
    assert summary["classes"]["PTCE"] >= SEED_PTCE


DATA = Path(__file__).resolve().parents[2] / "data"
#: The class of an actor, by its ``kind`` in data/actors.csv.
ACTOR_CLASS = {
    "ess-enterprise": "ESSEnterprise", "enterprise": "Enterprise", "local-authority": "LocalAuthority",
    "unknown": "Organisation", "other": "OtherOrganisation", "support-network": "SupportNetwork",
    "state-body": "StateBody", "higher-education": "HigherEducationInstitution",
    "training-organisation": "TrainingOrganisation", "enterprise-grouping": "EnterpriseGrouping",
    "research-centre": "ResearchCentre", "financial-organisation": "FinancialOrganisation",
    "european-cooperative-cluster": "EuropeanCooperativeCluster",
}
#: The sources the build adds for the official geography files (data/reference/geo).
REFERENCE_SOURCES = {"ref-insee-cog-2026", "ref-dgcl-banatic-epci-2025"}


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_summary_counts_are_the_rows_of_the_tables(built) -> None:
    """The figures of summary.json, counted again here from data/*.csv: one node per row, typed
    by its kind; a membership row is a ptce:Membership when its role implies belonging
    (``ptce:impliesMembership`` in the ontology's role scheme), else a ptce:ExternalRelation."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS

    result, out = built
    classes = json.loads((out / "summary.json").read_text(encoding="utf-8"))["classes"]
    ontology = Graph()
    for path in [DATA.parent / "ontology" / "ptce.ttl", *sorted((DATA.parent / "ontology" / "schemes").glob("*.ttl"))]:
        ontology.parse(path)
    belonging = {str(role).rsplit("/", 1)[-1]
                 for role in ontology.subjects(PTCE.impliesMembership, Literal(True))}
    assert {"member", "founder", "carrying-structure"} <= belonging and "partner" not in belonging

    roles = Counter(row["role"] for row in _rows("memberships.csv"))
    schemes = _rows("support_schemes.csv")
    expected = Counter(ACTOR_CLASS[row["kind"]] for row in _rows("actors.csv"))
    expected.update({
        "PTCE": len(_rows("ptce.csv")),
        "Membership": sum(n for role, n in roles.items() if role in belonging),
        "ExternalRelation": sum(n for role, n in roles.items() if role not in belonging),
        "Laureateship": len(_rows("laureates.csv")),
        "Funding": len(_rows("fundings.csv")),
        "Support": len(_rows("supports.csv")),
        "Partnership": len(_rows("partnerships.csv")),
        "MutualisedResource": len(_rows("mutualised_resources.csv")),
        "Resource": len(_rows("resources.csv")),
        "OtherTerritory": len(_rows("territories.csv")),
        "NationalCall": sum(row["is_national_call"] == "yes" for row in schemes),
        "SupportScheme": sum(row["is_national_call"] != "yes" for row in schemes),
        "Source": len(_rows("sources.csv")) + len(REFERENCE_SOURCES),
    })
    assert expected["PTCE"] > 100 and expected["Membership"] > 200  # the tables were read
    assert {name: classes.get(name) for name in expected} == dict(expected)
    # the sources are those of sources.csv, one node each, and every one is cited
    sources = {str(s).rsplit("/", 1)[-1] for s in result.graph.subjects(RDF.type, PTCE.Source)}
    assert sources == {row["id"] for row in _rows("sources.csv")} | REFERENCE_SOURCES
    cited = {str(o).rsplit("/", 1)[-1] for o in result.graph.objects(None, DCTERMS.source) if isinstance(o, URIRef)}
    assert len(cited & sources) > 300


#: The 23 PTCEs of the research seed (S01-S23), by their ids in data/ptce.csv.
SEED_IDS = ("pole-sud", "tetris", "le-damier", "les-ecossolies", "ptce-du-pays-d-ancenis", "ptce-nola",
            "vivre-les-mureaux", "le-phares", "clus-ter-jura", "les-gouttes-d-or", "culture-et-cooperation",
            "coopaxis", "re-sources", "ardaines", "cis-dt-52", "fe2i", "ptce-sud-aquitaine", "neo56",
            "le-moulin-creatif", "ecopole-alimentaire", "la-bio-pour-tous", "figeacteurs", "realis")
#: Seed PTCEs whose sources name no member (belonging role): Ancenis (carrier not named),
#: Ardaines (the PNR is its territory, with no stated role), CIS DT 52 (nothing named), Vivre
#: Les Mureaux (the pages name its supporters, its partners and its incubator, not its members).
SEED_WITHOUT_NAMED_MEMBERS = {"ptce-du-pays-d-ancenis", "ardaines", "cis-dt-52", "vivre-les-mureaux"}


def test_every_seed_ptce_has_label_territory_source_and_members(built) -> None:
    from rdflib.namespace import DCTERMS

    from ptce_graph.model.namespaces import PG

    result, _ = built
    g = result.graph
    assert len(SEED_IDS) == SEED_PTCE
    for ident in SEED_IDS:
        ptce = PG[f"ptce/{ident}"]
        assert (ptce, RDF.type, PTCE.PTCE) in g, ident
        assert g.value(ptce, RDFS.label) is not None, ident
        assert g.value(ptce, PTCE.hasTerritory) is not None, ident
        assert g.value(ptce, DCTERMS.source) is not None, ident
        has_members = g.value(ptce, ORG.hasMember) is not None
        assert has_members == (ident not in SEED_WITHOUT_NAMED_MEMBERS), ident
    assert g.value(PG["ptce/la-bio-pour-tous"], PTCE.reportedMemberKind) is not None


def test_three_exports_are_the_same_graph_for_an_independent_parser(built) -> None:
    result, out = built
    reference = Graph()
    for triple in ox.parse(path=str(out / "ptce.nt"), format=ox.RdfFormat.N_TRIPLES):
        reference.add(tuple(_rdflib(t) for t in (triple.subject, triple.predicate, triple.object)))
    turtle = Graph()
    for triple in ox.parse(path=str(out / "ptce.ttl"), format=ox.RdfFormat.TURTLE):
        turtle.add(tuple(_rdflib(t) for t in (triple.subject, triple.predicate, triple.object)))
    jsonld = Graph()
    for triple in ox.parse(path=str(out / "ptce.jsonld"), format=ox.RdfFormat.JSON_LD):
        jsonld.add(tuple(_rdflib(t) for t in (triple.subject, triple.predicate, triple.object)))
    assert isomorphic(reference, turtle)
    assert isomorphic(reference, jsonld)
    assert isomorphic(reference, result.graph)
    # and our own reader (local context only, no network) reads the JSON-LD back the same
    assert isomorphic(reference, parse_rdf_file(out / "ptce.jsonld"))


def _rdflib(term):
    from ptce_graph.io.rdf import ox_to_rdflib

    return ox_to_rdflib(term)


def test_nt_export_is_sorted(built) -> None:
    _, out = built
    lines = (out / "ptce.nt").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines)


def test_two_builds_are_byte_identical(built, tmp_path: Path) -> None:
    _, first = built
    # a second build in a fresh process: no state shared with the first one
    code = "import sys; from ptce_graph import build; sys.exit(0 if build(out=sys.argv[1]).ok else 1)"
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True)
    for name in ("ptce.ttl", "ptce.jsonld", "ptce.nt", "summary.json", "validation.json"):
        assert (first / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_every_term_used_in_the_data_is_declared(built) -> None:
    from ptce_graph.io.vocabulary import ontology_graph

    result, _ = built
    ontology = ontology_graph()
    declared = set(ontology.subjects())
    namespace = str(PTCE._NS)
    used = {t for triple in result.graph for t in (triple[1], triple[2])
            if str(t).startswith(namespace)}
    assert used and used <= declared, sorted(used - declared)
    concepts = {o for o in result.graph.objects() if str(o).startswith("https://w3id.org/ptce-graph/concept/")}
    assert concepts <= declared, sorted(concepts - declared)


def test_no_blank_nodes(built) -> None:
    from rdflib import BNode

    result, _ = built
    assert not [t for t in result.graph if any(isinstance(x, BNode) for x in t)]
