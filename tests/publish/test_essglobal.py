"""ESSGLOBAL: the vendored vocabulary, the alignments that point into it, its shapes, and the export profile."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from commune_points import expected_points, vendored_points
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS, XSD

from ptce_graph.check.validate import validate
from ptce_graph.cli import main
from ptce_graph.graph import open_graph
from ptce_graph.io.ntriples import NTriples
from ptce_graph.publish.essglobal import (
    ESSGLOBAL,
    check_essglobal,
    crosswalk,
    defined_terms,
    essglobal_lines,
    export_essglobal,
    undefined_terms,
)
from ptce_graph.resources import alignments_file, essglobal_shapes_file, essglobal_vocabulary_files, root

VOCAB = ESSGLOBAL + "vocab/"
STANDARD = ESSGLOBAL + "standard/"
PGSE = "https://w3id.org/ptce-graph/shapes/essglobal#"
WGS84 = "http://www.w3.org/2003/01/geo/wgs84_pos#"
PREFIXES = f"""
@prefix essglobal: <{VOCAB}> .
@prefix gr: <http://purl.org/goodrelations/v1#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix osspatialrelations: <http://data.ordnancesurvey.co.uk/ontology/spatialrelations/> .
"""


@pytest.fixture(scope="module")
def vocabulary() -> Graph:
    graph = Graph()
    for path in essglobal_vocabulary_files():
        graph.parse(path)
    return graph


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(essglobal_shapes_file())


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Graph]:
    path = tmp_path_factory.mktemp("essglobal") / "ess.ttl"
    export_essglobal(open_graph(with_ontology=False), path)
    return path, Graph().parse(path)


# -- the vendored files ---------------------------------------------------------------------------
def test_the_vendored_files_are_the_ones_the_readme_names() -> None:
    folder = essglobal_vocabulary_files()[0].parent
    table = dict(
        re.findall(r"^\| `([\w-]+\.ttl)` \|.*\| `([0-9a-f]{64})` \|$", (folder / "README.md").read_text(), re.M)
    )
    assert len(table) == 9
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in essglobal_vocabulary_files()} == table


def test_every_range_of_the_vocabulary_is_a_vendored_code_list(vocabulary: Graph) -> None:
    """Each encoding-scheme class names a scheme (without its final slash) that a vendored file declares."""
    schemes = {str(s) for s in vocabulary.subjects(RDF.type, SKOS.ConceptScheme)}
    named = {str(v) for v in vocabulary.objects(None, OWL.hasValue)}
    assert len(named) == 8
    assert {n + "/" for n in named} == schemes


# -- the alignments point at terms that exist -------------------------------------------------------
def test_every_essglobal_term_of_the_alignments_exists() -> None:
    alignments = ox.parse(path=str(alignments_file()), format=ox.RdfFormat.TURTLE)
    used = {
        t.object.value
        for t in alignments
        if isinstance(t.object, ox.NamedNode) and t.object.value.startswith(ESSGLOBAL)
    }
    # the classes, properties and concepts mapped today (a new mapping adds to this list)
    assert len(used) == 15
    assert undefined_terms(ox.parse(path=str(alignments_file()), format=ox.RdfFormat.TURTLE)) == []
    assert used <= defined_terms()


def test_the_crosswalk_maps_concepts_of_our_schemes_into_the_right_code_lists(vocabulary: Graph) -> None:
    ours = Graph()
    for path in sorted((root() / "ontology" / "schemes").glob("*.ttl")):
        ours.parse(path)
    concepts = set(map(str, ours.subjects(RDF.type, SKOS.Concept)))
    in_scheme = {str(c): str(s) for c, s in vocabulary.subject_objects(SKOS.inScheme)}
    walk = crosswalk()
    assert set(walk) <= concepts
    assert all(in_scheme[v] == f"{STANDARD}{code}/" for props in walk.values() for p, vs in props.items() for v in vs
               for code in [{"legalForm": "legal-form", "organisationalStructure": "organisational-structure"}[p]])  # fmt: skip
    # hand-read from ontology/alignments.ttl
    assert walk[pgc("ess-family/scop")] == {"legalForm": (STANDARD + "legal-form/L2",),
        "organisationalStructure": (STANDARD + "organisational-structure/OS60",)}  # fmt: skip
    assert walk[pgc("ess-family/ess-commercial-company")]["legalForm"] == (
        STANDARD + "legal-form/L3", STANDARD + "legal-form/L5")  # fmt: skip


def pgc(path: str) -> str:
    return "https://w3id.org/ptce-graph/concept/" + path


# -- the shapes follow the vocabulary ----------------------------------------------------------------
def _classes(vocabulary: Graph, node: URIRef | BNode) -> set[str]:
    """A class, or the members of an owl:unionOf."""
    union = vocabulary.value(node, OWL.unionOf)
    return {str(c) for c in Collection(vocabulary, union)} if union is not None else {str(node)}


def test_each_code_list_of_the_shapes_is_the_concepts_of_the_range(vocabulary: Graph, shapes: Graph) -> None:
    """Read the other way round from the shapes: the property's rdfs:range in the vocabulary, its
    classes' owl:hasValue schemes, and the concepts in them."""
    checked = 0
    for shape, values in shapes.subject_objects(SH["in"]):
        prop = shapes.value(shape, SH.path)
        range_ = vocabulary.value(prop, RDFS.range)
        schemes = set()
        for cls in _classes(vocabulary, range_):
            restriction = vocabulary.value(URIRef(cls), OWL.equivalentClass)
            schemes.add(str(vocabulary.value(restriction, OWL.hasValue)) + "/")
        concepts = {str(c) for c, s in vocabulary.subject_objects(SKOS.inScheme) if str(s) in schemes}
        assert {str(v) for v in Collection(shapes, values)} == concepts, prop
        checked += 1
    assert checked == 6


def test_each_domain_shape_is_the_domain_of_its_property(vocabulary: Graph, shapes: Graph) -> None:
    checked = 0
    for shape, prop in shapes.subject_objects(SH.targetSubjectsOf):
        alternatives = shapes.value(shape, SH["or"])
        if alternatives is None:
            continue
        allowed = {str(shapes.value(s, SH["class"])) for s in Collection(shapes, alternatives)}
        assert allowed == _classes(vocabulary, vocabulary.value(prop, RDFS.domain)), prop
        checked += 1
    assert checked == 13


# -- the shapes on hand-written snippets ----------------------------------------------------------------
VALID = (
    PREFIXES
    + """
<https://example.org/coop/1> a essglobal:SSEInitiative ;
    gr:name "Suma Wholefoods" ;
    foaf:homepage <https://www.suma.coop/> ;
    essglobal:legalForm <http://purl.org/essglobal/standard/legal-form/L2> ;
    essglobal:organisationalStructure <http://purl.org/essglobal/standard/organisational-structure/OS60> ;
    essglobal:baseMembershipType <http://purl.org/essglobal/standard/base-membership-type/BMT30> ;
    essglobal:primarySector <http://purl.org/essglobal/standard/activities-ica/ICA260> ;
    essglobal:economicSector <http://purl.org/essglobal/standard/activities-modified/AM10> ;
    essglobal:hasAddress <https://example.org/coop/1#Address> .
<https://example.org/coop/1#Address> a essglobal:Address ;
    vcard:locality "Elland" ; vcard:country-name "United Kingdom" ;
    geo:lat 53.68 ; geo:long -1.84 ;
    osspatialrelations:within <http://data.ordnancesurvey.co.uk/id/postcodeunit/HX59SL> .
<https://example.org/network/1> a essglobal:Network ; gr:name "A network" ;
    essglobal:legalForm <http://purl.org/essglobal/standard/legal-form/L4> .
"""
)

INVALID = {
    # (what is wrong, the triples that replace or add to the valid snippet, the shape expected)
    "a structure concept given as a legal form": (
        "<https://example.org/coop/1> essglobal:legalForm <http://purl.org/essglobal/standard/organisational-structure/OS60> .",
        "LegalFormRange-value",
    ),
    "a legal form that is not a concept": (
        '<https://example.org/coop/1> essglobal:legalForm "Cooperative" .',
        "LegalFormRange-value",
    ),
    "an activity on a network": (
        "<https://example.org/network/1> essglobal:economicSector <http://purl.org/essglobal/standard/activities-ica/ICA10> .",
        "EconomicSectorDomain",
    ),
    "a legal form on something that is no initiative": (
        "<https://example.org/x> essglobal:legalForm <http://purl.org/essglobal/standard/legal-form/L2> .",
        "LegalFormDomain",
    ),
    "an initiative without a name": ("<https://example.org/coop/2> a essglobal:SSEInitiative .", "Initiative-name"),
    "an address that is not an essglobal:Address": (
        "<https://example.org/coop/1> essglobal:hasAddress <https://example.org/elsewhere> .",
        "Initiative-address",
    ),
    "a membership type from another list": (
        "<https://example.org/coop/1> essglobal:baseMembershipType <http://purl.org/essglobal/standard/legal-form/L1> .",
        "BaseMembershipTypeRange-value",
    ),
    "a latitude written as text": (
        '<https://example.org/coop/2#Address> a essglobal:Address ; geo:lat "53.68" ; geo:long -1.84 .',
        "Address-lat",
    ),
    "a latitude out of range": (
        "<https://example.org/coop/2#Address> a essglobal:Address ; geo:lat 153.68 ; geo:long -1.84 .",
        "Address-lat",
    ),
    "a second longitude": ("<https://example.org/coop/1#Address> geo:long -1.9 .", "Address-long"),
    "a latitude without longitude": (
        "<https://example.org/coop/2#Address> a essglobal:Address ; geo:lat 53.68 .",
        "Point-long",
    ),
}


def _lines(turtle: str) -> NTriples:
    return NTriples.from_triples(ox.parse(turtle.encode(), ox.RdfFormat.TURTLE))


def test_a_graph_written_like_seas_conforms() -> None:
    report = check_essglobal(_lines(VALID))
    assert report.conforms, report.to_text()


@pytest.mark.parametrize("case", sorted(INVALID))
def test_each_broken_rule_is_reported_by_its_shape_with_both_engines(case: str, shapes: Graph) -> None:
    extra, expected = INVALID[case]
    lines = _lines(VALID + PREFIXES + extra)
    report = check_essglobal(lines)
    assert {r.shape for r in report.results} == {PGSE + expected}, report.to_text()
    reference = validate(lines.to_graph(), shapes=shapes, ontology=Graph(), engine="pyshacl")
    assert reference == report


def test_a_term_the_vocabulary_lacks_is_found() -> None:
    lines = _lines(VALID + PREFIXES + "<https://example.org/coop/1> essglobal:hasMembershipType <urn:x> .")
    assert undefined_terms(lines.triples()) == [VOCAB + "hasMembershipType"]
    assert undefined_terms(_lines(VALID).triples()) == []


# -- the export ------------------------------------------------------------------------------------
def _csv(name: str) -> list[dict[str, str]]:
    with (root() / "data" / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_one_initiative_per_ptce_and_ess_enterprise(exported: tuple[Path, Graph]) -> None:
    """Counted from the CSV files: every PTCE row, and every actor row of kind ess-enterprise."""
    _, graph = exported
    ptces = {"https://w3id.org/ptce-graph/id/ptce/" + row["id"] for row in _csv("ptce.csv")}
    ess = {
        "https://w3id.org/ptce-graph/id/actor/" + row["id"]
        for row in _csv("actors.csv")
        if row["kind"] == "ess-enterprise"
    }
    initiatives = {str(s) for s in graph.subjects(RDF.type, URIRef(VOCAB + "SSEInitiative"))}
    networks = {str(s) for s in graph.subjects(RDF.type, URIRef(VOCAB + "Network"))}
    assert (len(ptces), len(ess)) == (107, 114)
    assert initiatives == ptces | ess
    assert networks == ptces
    based = {"https://w3id.org/ptce-graph/id/actor/" + row["id"] for row in _csv("actors.csv")
             if row["kind"] == "ess-enterprise" and row["based_in"]}  # fmt: skip
    assert {str(s) for s in graph.subjects(URIRef(VOCAB + "hasAddress"))} == based
    assert len(based) == 28


def test_the_export_conforms_and_uses_only_terms_that_exist(exported: tuple[Path, Graph]) -> None:
    path, _ = exported
    lines = NTriples.from_triples(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    assert lines.lines == essglobal_lines(open_graph(with_ontology=False)).lines  # the file is the graph
    assert undefined_terms(lines.triples()) == []
    assert check_essglobal(lines).conforms


def _values(graph: Graph, who: str, prop: str) -> list[str]:
    return sorted(
        str(o).rsplit("/", 1)[1]
        for o in graph.objects(URIRef("https://w3id.org/ptce-graph/id/" + who), URIRef(VOCAB + prop))
    )


@pytest.mark.parametrize(
    ("who", "legal_forms", "structures"),
    [
        ("ptce/tetris", ["L2"], ["OS100"]),  # legal_form scic in ptce.csv
        ("ptce/le-damier", ["L4"], ["OS20"]),  # association
        ("ptce/pole-sud", [], []),  # no legal form in ptce.csv: none is written
        ("actor/la-nef", ["L2"], ["OS115"]),  # ess family cooperative-bank
        ("actor/groupe-archer", [], []),  # solidarity-economic-group: no ESSGLOBAL counterpart
    ],
)
def test_legal_forms_come_from_the_data_and_the_mappings_only(
    exported: tuple[Path, Graph], who: str, legal_forms: list[str], structures: list[str]
) -> None:
    _, graph = exported
    assert _values(graph, who, "legalForm") == legal_forms
    assert _values(graph, who, "organisationalStructure") == structures


def test_an_address_says_only_what_the_territory_gives(exported: tuple[Path, Graph]) -> None:
    """ag2i is based_in commune 32013 (Auch) in actors.csv: no street or postcode, and the point of
    Auch as the vendored communes.csv gives it (the commune's point, not ag2i's address)."""
    _, graph = exported
    address = URIRef("https://w3id.org/ptce-graph/id/actor/ag2i#Address")
    facts = sorted((str(p).rsplit("/", 1)[-1].rsplit("#", 1)[-1], str(o)) for p, o in graph.predicate_objects(address))
    lat, lon = vendored_points()["32013"]
    assert facts == [
        ("country-name", "France"),
        ("lat", str(lat)),
        ("locality", "Auch"),
        ("long", str(lon)),
        ("type", VOCAB + "Address"),
        ("within", "https://w3id.org/ptce-graph/id/territory/commune/32013"),
    ]
    assert (lat, lon) == (43.653, 0.575)
    assert {o.datatype for o in graph.objects(address, URIRef(WGS84 + "lat"))} == {XSD.decimal}


def test_the_addresses_with_a_point_are_those_with_one_commune(exported: tuple[Path, Graph]) -> None:
    """Counted from the CSV files and the vendored communes.csv: the ESS enterprises based in one
    commune (the PTCEs have no address: their territory is not a seat)."""
    _, graph = exported
    initiatives = {str(s) for s in graph.subjects(RDF.type, URIRef(VOCAB + "SSEInitiative"))}
    expected = {iri: (lat, lon) for iri, (_, lat, lon) in expected_points().items() if iri in initiatives}
    expected = {iri: point for iri, point in expected.items() if "/actor/" in iri}
    found = {}
    for subject, address in graph.subject_objects(URIRef(VOCAB + "hasAddress")):
        lat, lon = graph.value(address, URIRef(WGS84 + "lat")), graph.value(address, URIRef(WGS84 + "long"))
        if lat is not None:
            found[str(subject)] = (float(lat), float(lon))
    assert found == expected and len(found) == 26  # of the 28 addresses: two are départements


def test_the_command_line_writes_the_profile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ess.ttl"
    assert main(["export", "--format", "essglobal", "--out", str(path)]) == 0
    err = capsys.readouterr().err
    held = len(list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)))
    assert (
        f"wrote {path}: 221 ESSGLOBAL initiatives (107 of them networks: the PTCEs), "
        f"26 with the point of their commune, {held} triples"
    ) in err


def test_data_the_profile_cannot_describe_is_refused_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "nameless.ttl"
    source.write_text(
        "<https://w3id.org/ptce-graph/id/actor/x> a <https://w3id.org/ptce-graph/ontology#ESSEnterprise> .\n",
        encoding="utf-8",
    )
    out = tmp_path / "ess.ttl"
    assert main(["export", "--graph", str(source), "--format", "essglobal", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "the ESSGLOBAL export does not conform to its shapes (1 violation(s)); nothing was written" in err
    assert "actor/x" in err and "gr:name" in err
    assert not out.exists()
    assert main(["export", "--format", "essglobal", "--frame", "ptce", "--out", str(out)]) == 2
    assert "--frame applies to the framed format (jsonld-framed), not essglobal" in capsys.readouterr().err
