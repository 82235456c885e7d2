"""The catalogue a build writes (catalog.ttl): DCAT-AP conformance, figures equal to the files."""

from __future__ import annotations

import calendar
import hashlib
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD

from ptce_graph import build
from ptce_graph.cli import main
from ptce_graph.errors import InputError
from ptce_graph.io.ntriples import NTriples
from ptce_graph.model.namespaces import curie
from ptce_graph.publish.catalogue import (
    ONTOLOGY_IRI,
    SHAPES_IRIS,
    VCARD,
    ContactPoint,
    PublishedFile,
    ReleaseDates,
    catalogue,
    catalogue_triples,
    check_catalogue,
    default_base_url,
    temporal_coverage,
)
from ptce_graph.resources import dcat_ap_shapes_file

ROOT = Path(__file__).resolve().parents[2]
SPDX = "http://spdx.org/rdf/terms#"
DATASET = URIRef("https://w3id.org/ptce-graph/id/dataset")
FILES = ("ptce.ttl", "ptce.jsonld", "ptce.nt", "validation.json", "summary.json")
BASE_URL = "https://data.example.org/ptce-graph/v0.1.0/"
DCAT_VERSION = URIRef(f"{DCAT}version")  # rdflib's DCAT predates DCAT 3 and warns on DCAT.version


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Graph]:
    out = tmp_path_factory.mktemp("build")
    assert build(out=out, base_url=BASE_URL).ok
    return out, _parse(out / "catalog.ttl")


def _parse(path: Path) -> Graph:
    """The catalogue read by pyoxigraph's parser, not the rdflib graph the code wrote it from."""
    return NTriples.from_triples(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)).to_graph()


def _langs(graph: Graph, node: URIRef, predicate: URIRef) -> list[str | None]:
    return sorted(o.language for o in graph.objects(node, predicate))  # type: ignore[attr-defined]


# -- DCAT-AP --------------------------------------------------------------------------------------
def test_the_catalogue_of_the_shipped_build_conforms_to_dcat_ap(built) -> None:
    out, _ = built
    report = check_catalogue((out / "catalog.ttl").read_bytes())
    assert report.conforms and report.results == (), report.to_text()
    assert report.engine == "pyshacl"


def test_the_vendored_dcat_ap_shapes_are_the_official_files() -> None:
    readme = (dcat_ap_shapes_file().parent / "README.md").read_text(encoding="utf-8")
    for path in (dcat_ap_shapes_file(), dcat_ap_shapes_file(recommended=True)):
        assert f"`{path.name}` | `releases/3.0.1/" in readme
        assert hashlib.sha256(path.read_bytes()).hexdigest() in readme, path.name
    assert "CC-BY 4.0" in readme and "European Union" in readme


#: What DCAT-AP recommends and the catalogue leaves out, because nothing in the repository states
#: it (docs/catalogue.md): a contact point, a catalogue homepage and licence, a type for the
#: publisher and the licence, the planned availability of the files, France's bounding box and
#: centroid.
KNOWN_GAPS = {
    ("pg:catalog", "foaf:homepage"), ("pg:catalog", "dct:license"),
    ("pg:dataset", "dcat:contactPoint"), ("pg:dataset/validation-report", "dcat:contactPoint"),
    ("pg:dataset/build-summary", "dcat:contactPoint"),
    ("pg:agent/ptce-graph-contributors", "dct:type"), ("https://www.etalab.gouv.fr/licence-ouverte-open-licence/", "dct:type"),
    *(("pg:distribution/" + name, "http://data.europa.eu/r5r/availability") for name in FILES),
    ("http://publications.europa.eu/resource/authority/country/FRA", "dcat:bbox"),
    ("http://publications.europa.eu/resource/authority/country/FRA", "dcat:centroid"),
}


def test_what_dcat_ap_recommends_is_there_but_for_the_known_gaps(built) -> None:
    out, _ = built
    report = check_catalogue((out / "catalog.ttl").read_bytes(), recommended=True)
    assert report.violations == 0 and report.infos == 0
    assert {(r.focus, r.path) for r in report.results} == KNOWN_GAPS


def _small_catalogue() -> NTriples:
    data = NTriples.from_lines([
        "<https://w3id.org/ptce-graph/id/ptce/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/ptce-graph/ontology#PTCE> .",
    ])
    return catalogue_triples(data, [PublishedFile.of_bytes("ptce.nt", data.data())], base_url=BASE_URL)


DISTRIBUTION = "https://w3id.org/ptce-graph/id/distribution/ptce.nt"


@pytest.mark.parametrize("drop, add, expected", [
    # a dataset without a description (mandatory)
    (f"<{DATASET}> <{DCTERMS.description}>", None,
     (str(DATASET), str(DCTERMS.description), "MinCountConstraintComponent")),
    # a byte size that is not an xsd:nonNegativeInteger
    (f"<{DISTRIBUTION}> <{DCAT.byteSize}>", f'<{DISTRIBUTION}> <{DCAT.byteSize}> "12"^^<{XSD.integer}> .',
     (DISTRIBUTION, str(DCAT.byteSize), "DatatypeConstraintComponent")),
    # a checksum without its algorithm
    (f"<{DISTRIBUTION}#sha256> <{SPDX}algorithm>", None,
     (f"{DISTRIBUTION}#sha256", f"{SPDX}algorithm", "MinCountConstraintComponent")),
    # a media type that is not typed dct:MediaType (the class ranges run too)
    (f"<https://www.iana.org/assignments/media-types/application/n-triples> <{RDF.type}>", None,
     (DISTRIBUTION, str(DCAT.mediaType), "ClassConstraintComponent")),
], ids=["no-description", "byte-size-type", "checksum-algorithm", "media-type-class"])
def test_the_dcat_ap_shapes_catch_a_broken_catalogue(drop: str, add: str | None, expected: tuple) -> None:
    lines = _small_catalogue()
    assert check_catalogue(lines).conforms
    broken = [line for line in lines if not line.startswith(drop)] + ([add] if add else [])
    assert len(broken) < len(lines) + (1 if add else 0)
    report = check_catalogue(NTriples.from_lines(broken))
    assert not report.conforms
    focus, path, component = expected
    found = {(r.focus, r.path, r.component) for r in report.results}
    assert (curie(focus), curie(path), f"http://www.w3.org/ns/shacl#{component}") in found, found


# -- distributions: the files on disk --------------------------------------------------------------
def test_each_file_written_is_one_distribution_with_its_size_and_checksum(built) -> None:
    out, g = built
    distributions = set(g.subjects(RDF.type, DCAT.Distribution))
    by_name = {str(g.value(d, DCTERMS.title)): d for d in distributions}
    assert sorted(by_name) == sorted(FILES) == sorted(p.name for p in out.iterdir() if p.name != "catalog.ttl")
    for name, d in by_name.items():
        data = (out / name).read_bytes()
        assert g.value(d, DCAT.byteSize) == Literal(str(len(data)), datatype=XSD.nonNegativeInteger), name
        checksum = g.value(d, URIRef(f"{SPDX}checksum"))
        assert g.value(checksum, URIRef(f"{SPDX}algorithm")) == URIRef(f"{SPDX}checksumAlgorithm_sha256")
        assert g.value(checksum, URIRef(f"{SPDX}checksumValue")) == Literal(
            hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary
        ), name
        assert g.value(d, DCAT.downloadURL) == g.value(d, DCAT.accessURL) == URIRef(BASE_URL + name)
    media = {name: str(g.value(d, DCAT.mediaType)).rsplit("media-types/", 1)[1] for name, d in by_name.items()}
    assert media == {"ptce.ttl": "text/turtle", "ptce.jsonld": "application/ld+json",
                     "ptce.nt": "application/n-triples", "validation.json": "application/json",
                     "summary.json": "application/json"}


def test_the_graph_files_belong_to_the_dataset_and_the_reports_to_datasets_of_their_own(built) -> None:
    _, g = built
    names = {str(g.value(d, DCTERMS.title)) for d in g.objects(DATASET, DCAT.distribution)}
    assert names == {"ptce.ttl", "ptce.jsonld", "ptce.nt"}
    catalog = g.value(None, RDF.type, DCAT.Catalog)
    datasets = set(g.objects(catalog, DCAT.dataset))
    assert DATASET in datasets and len(datasets) == 3
    for other in datasets - {DATASET}:
        assert g.value(other, DCTERMS.source) == DATASET
        assert len(list(g.objects(other, DCAT.distribution))) == 1


def test_the_summary_digests_agree_with_the_catalogue(built) -> None:
    import json

    out, g = built
    digests = json.loads((out / "summary.json").read_text(encoding="utf-8"))["files"]
    for d in g.subjects(RDF.type, DCAT.Distribution):
        name = str(g.value(d, DCTERMS.title))
        if name in digests:
            assert str(g.value(g.value(d, URIRef(f"{SPDX}checksum")), URIRef(f"{SPDX}checksumValue"))) == digests[name]


# -- VoID: recounted by SPARQL on ptce.nt -----------------------------------------------------------
def _count(store: ox.Store, query: str) -> int:
    return int(next(iter(store.query(query)))[0].value)


def test_void_figures_equal_a_sparql_recount_of_the_nt_file(built) -> None:
    out, g = built
    store = ox.Store()
    store.bulk_load(path=str(out / "ptce.nt"), format=ox.RdfFormat.N_TRIPLES)

    def stated(node, predicate) -> int:
        return int(g.value(node, predicate))

    assert stated(DATASET, VOID.triples) == _count(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    assert stated(DATASET, VOID.distinctSubjects) == _count(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }")
    assert stated(DATASET, VOID.distinctObjects) == _count(store, "SELECT (COUNT(DISTINCT ?o) AS ?n) { ?s ?p ?o }")
    classes = {str(row[0].value): int(row[1].value) for row in store.query(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) { ?s a ?c } GROUP BY ?c")}
    properties = {str(row[0].value): int(row[1].value) for row in store.query(
        "SELECT ?p (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?p")}
    assert {str(g.value(p, VOID["class"])): int(g.value(p, VOID.entities))
            for p in g.objects(DATASET, VOID.classPartition)} == classes
    assert {str(g.value(p, VOID.property)): int(g.value(p, VOID.triples))
            for p in g.objects(DATASET, VOID.propertyPartition)} == properties
    assert stated(DATASET, VOID.classes) == len(classes) and stated(DATASET, VOID.properties) == len(properties)
    assert classes["https://w3id.org/ptce-graph/ontology#PTCE"] >= 23


def test_the_catalogue_says_of_the_dataset_what_the_data_says(built) -> None:
    """Merged with the data, the catalogue adds facts and contradicts none."""
    out, g = built
    data = Graph().parse(out / "ptce.nt", format="nt")
    merged = data + g
    for predicate in (DCTERMS.title, DCTERMS.license, VOID.triples, DCAT_VERSION):
        assert set(data.objects(DATASET, predicate)) == set(g.objects(DATASET, predicate)), predicate
    assert len(list(merged.objects(DATASET, VOID.triples))) == 1
    assert not set(data.subjects(RDF.type, DCAT.Distribution)), "the data files do not describe themselves"


# -- content -----------------------------------------------------------------------------------------
def test_titles_descriptions_and_keywords_are_in_french_and_english(built) -> None:
    _, g = built
    for node in [*g.subjects(RDF.type, DCAT.Catalog), *g.subjects(RDF.type, DCAT.Dataset)]:
        assert _langs(g, node, DCTERMS.title) == ["en", "fr"], node
        assert _langs(g, node, DCTERMS.description) == ["en", "fr"], node
    assert set(_langs(g, DATASET, DCAT.keyword)) == {"en", "fr"}
    for d in g.subjects(RDF.type, DCAT.Distribution):
        assert _langs(g, d, DCTERMS.description) == ["en", "fr"], d


def test_the_dataset_states_publisher_licence_coverage_version_and_standards(built) -> None:
    from ptce_graph._version import __version__

    _, g = built
    publisher = g.value(DATASET, DCTERMS.publisher)
    assert str(g.value(publisher, URIRef("http://xmlns.com/foaf/0.1/name"))) == "ptce-graph contributors"
    assert set(g.objects(DATASET, DCTERMS.license)) == {URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence/")}
    assert set(g.objects(DATASET, DCTERMS.spatial)) == {
        URIRef("http://publications.europa.eu/resource/authority/country/FRA")}
    assert g.value(DATASET, DCAT_VERSION) == Literal(__version__)
    # the shipped data has Warnings and Infos: it conforms to the core shapes, not to all
    assert {str(s) for s in g.objects(DATASET, DCTERMS.conformsTo)} == {ONTOLOGY_IRI, SHAPES_IRIS["core"]}
    assert {str(t).rsplit("/", 1)[1] for t in g.objects(DATASET, DCAT.theme)} == {"ECON", "REGI"}
    # the version's date in CHANGELOG.md
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{__version__}] - {g.value(DATASET, DCTERMS.issued)}" in changelog


def test_the_standards_are_the_ontology_and_shapes_graphs_of_the_repository() -> None:
    ontology = Graph().parse(ROOT / "ontology" / "ptce.ttl")
    assert (URIRef(ONTOLOGY_IRI), RDF.type, OWL.Ontology) in ontology
    for name, iri in SHAPES_IRIS.items():
        assert (URIRef(iri), RDF.type, OWL.Ontology) in Graph().parse(ROOT / "shapes" / f"{name}.ttl"), name


def _interval(literal: Literal) -> tuple[date, date]:
    text = str(literal)
    year = int(text[:4])
    if literal.datatype == XSD.gYear:
        return date(year, 1, 1), date(year, 12, 31)
    month = int(text[5:7])
    if literal.datatype == XSD.gYearMonth:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return date.fromisoformat(text), date.fromisoformat(text)


def test_the_temporal_coverage_spans_the_earliest_and_latest_date_of_the_data(built) -> None:
    out, g = built
    data = Graph().parse(out / "ptce.nt", format="nt")
    dated = [_interval(o) for p in (URIRef("https://schema.org/foundingDate"), DCAT.startDate, DCAT.endDate,
                                    DCTERMS.date) for o in data.objects(None, p)]
    period = g.value(DATASET, DCTERMS.temporal)
    assert _interval(g.value(period, DCAT.startDate))[0] == min(start for start, _ in dated)
    assert _interval(g.value(period, DCAT.endDate))[1] == max(end for _, end in dated)


def test_temporal_coverage_compares_years_months_and_days_by_the_days_they_span() -> None:
    def line(p: str, value: str, kind: str) -> str:
        return f'<urn:x> <{p}> "{value}"^^<http://www.w3.org/2001/XMLSchema#{kind}> .'

    nt = NTriples.from_lines([
        line(str(DCAT.startDate), "2013-05-02", "date"), line(str(DCAT.startDate), "2013", "gYear"),
        line(str(DCAT.endDate), "2024-06-30", "date"), line(str(DCAT.endDate), "2024", "gYear"),
        line(str(DCTERMS.issued), "1900", "gYear"),  # a source's publication date: not coverage
    ])
    start, end = temporal_coverage(nt)  # type: ignore[misc]
    assert (start.value, end.value) == ("2013", "2024")
    assert temporal_coverage(NTriples.from_lines([])) is None


# -- dates, base URL, determinism ----------------------------------------------------------------------
def test_release_dates_come_from_the_changelog_and_source_date_epoch(tmp_path: Path) -> None:
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\n## [Unreleased]\n\n## [1.2.0] - 2027-03-04\n\n## [1.1.0] - 2026-01-02\n")
    assert ReleaseDates.of("1.2.0", environ={}, changelog=changelog) == ReleaseDates(date(2027, 3, 4), date(2027, 3, 4))
    assert ReleaseDates.of("1.3.0", environ={}, changelog=changelog) == ReleaseDates(None, None)
    assert ReleaseDates.of("1.1.0", environ={"SOURCE_DATE_EPOCH": "1767225600"}, changelog=changelog) == ReleaseDates(
        date(2026, 1, 2), date(2026, 1, 1))
    assert ReleaseDates.of("1.1.0", environ={}, changelog=tmp_path / "missing.md") == ReleaseDates(None, None)
    with pytest.raises(InputError, match="SOURCE_DATE_EPOCH must be a whole number"):
        ReleaseDates.of("1.1.0", environ={"SOURCE_DATE_EPOCH": "yesterday"}, changelog=changelog)


def test_no_date_is_stated_that_the_sources_do_not_give() -> None:
    data = NTriples.from_lines([])
    lines = catalogue_triples(data, [], base_url=BASE_URL, dates=ReleaseDates())
    assert not [line for line in lines if f"<{DCTERMS.issued}>" in line or f"<{DCTERMS.modified}>" in line]
    assert not [line for line in lines if f"<{DCTERMS.license}>" in line], "no licence unless the data states one"
    assert check_catalogue(lines).conforms


def test_the_base_url_defaults_to_the_versioned_w3id_folder_and_must_be_http() -> None:
    data = NTriples.from_lines([])
    files = [PublishedFile.of_bytes("ptce.nt", b"")]
    assert f"<{default_base_url()}ptce.nt>".encode() in catalogue(data, files)
    assert b"<https://example.org/x/ptce.nt>" in catalogue(data, files, base_url="https://example.org/x")
    assert b"<http://localhost:8000/ptce.nt>" in catalogue(data, files, base_url="http://localhost:8000")
    for bad in ("example.org/x/", "ftp://example.org/", "https://example.org/a b/", "https://example.org/?q=1",
                "https:///x/", "https://example.org/#top"):
        with pytest.raises(InputError, match="absolute http"):
            catalogue(data, files, base_url=bad)
    with pytest.raises(ValueError, match="does not know"):
        catalogue(data, [PublishedFile.of_bytes("notes.json", b"{}")])


def test_build_refuses_a_bad_base_url_before_any_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--out", str(tmp_path / "out"), "--base-url", "not a url", "-q"]) == 2
    assert "absolute http(s) URL" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_two_builds_write_the_same_catalogue(built, tmp_path: Path) -> None:
    first, _ = built
    # a second build in a fresh process: no state shared with the first one
    code = "import sys; from ptce_graph import build; sys.exit(0 if build(out=sys.argv[1], base_url=sys.argv[2]).ok else 1)"
    subprocess.run([sys.executable, "-c", code, str(tmp_path), BASE_URL], check=True)
    assert (first / "catalog.ttl").read_bytes() == (tmp_path / "catalog.ttl").read_bytes()


def test_a_build_of_own_data_states_no_licence_and_still_conforms(mini_folder: Path, tmp_path: Path) -> None:
    assert build([mini_folder], out=tmp_path).ok
    g = _parse(tmp_path / "catalog.ttl")
    assert not set(g.objects(None, DCTERMS.license))
    assert check_catalogue((tmp_path / "catalog.ttl").read_bytes()).conforms


# -- contact point: stated only when the publisher gives one ----------------------------------------
@pytest.mark.parametrize("address, name, prop", [
    ("mailto:donnees@example.org", "Équipe données", "hasEmail"),
    ("https://example.org/ptce-graph/issues", None, "hasURL"),
])
def test_a_contact_point_given_is_on_every_dataset_and_fills_dcat_aps_gap(address: str, name: str | None,
                                                                          prop: str) -> None:
    data = NTriples.from_lines([])
    files = [PublishedFile.of_bytes("ptce.nt", b""), PublishedFile.of_bytes("summary.json", b"{}")]
    without = check_catalogue(catalogue_triples(data, files, base_url=BASE_URL), recommended=True)
    assert {r.focus for r in without.results if r.path == "dcat:contactPoint"} == {
        "pg:dataset", "pg:dataset/build-summary"}
    lines = catalogue_triples(data, files, base_url=BASE_URL, contact=ContactPoint.of(address, name))
    report = check_catalogue(lines, recommended=True)
    assert report.violations == 0 and not [r for r in report.results if r.path == "dcat:contactPoint"]
    g = lines.to_graph()
    contact = URIRef("https://w3id.org/ptce-graph/id/contact")
    assert set(g.subjects(DCAT.contactPoint, contact)) == {DATASET, URIRef(f"{DATASET}/build-summary")}
    assert (contact, RDF.type, URIRef(f"{VCARD}Kind")) in g
    assert set(g.objects(contact, URIRef(VCARD + prop))) == {URIRef(address)}
    assert set(g.objects(contact, URIRef(f"{VCARD}fn"))) == ({Literal(name)} if name else set())


@pytest.mark.parametrize("address", [
    "donnees@example.org", "mailto:", "mailto:a b@example.org", "mailto:x@example.org?subject=hi",
    "ftp://example.org/", "https://example.org/a b", "javascript:alert(1)",
])
def test_a_contact_point_must_be_a_mail_address_or_a_web_page(address: str) -> None:
    with pytest.raises(InputError, match="mailto: address or an absolute http"):
        ContactPoint.of(address)
    with pytest.raises(InputError, match="mailto: address or an absolute http"):
        ContactPoint(address)


def test_a_contact_name_is_one_line_of_text() -> None:
    assert ContactPoint.of("https://example.org", "  Équipe  ").name == "Équipe"
    for name in ("", "   ", "a\nb", "\x1b[31mred"):
        with pytest.raises(InputError, match="a line of text"):
            ContactPoint.of("https://example.org", name)


def test_build_states_the_contact_given_and_refuses_a_bad_one_before_any_work(
        mini_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["build", "--data", str(mini_folder), "--out", str(out), "--contact", "data@example.org", "-q"]) == 2
    assert "mailto: address" in capsys.readouterr().err and not out.exists()
    assert main(["build", "--data", str(mini_folder), "--out", str(out), "--contact-name", "Équipe", "-q"]) == 2
    assert "give --contact too" in capsys.readouterr().err and not out.exists()
    assert main(["build", "--data", str(mini_folder), "--out", str(out), "-q",
                 "--contact", "mailto:donnees@example.org", "--contact-name", "Équipe données"]) == 0
    g = _parse(out / "catalog.ttl")
    contact = URIRef("https://w3id.org/ptce-graph/id/contact")
    assert (DATASET, DCAT.contactPoint, contact) in g
    assert (contact, URIRef(f"{VCARD}hasEmail"), URIRef("mailto:donnees@example.org")) in g
    assert (contact, URIRef(f"{VCARD}fn"), Literal("Équipe données")) in g
    assert b"vcard:hasEmail <mailto:donnees@example.org>" in (out / "catalog.ttl").read_bytes()


# -- the entry docs/catalogue.md quotes is the one a build writes ----------------------------------
DOCS_PAGE = ROOT / "docs" / "catalogue.md"
QUOTED = ("https://w3id.org/ptce-graph/id/distribution/ptce.ttl#sha256",
          "https://w3id.org/ptce-graph/id/distribution/ptce.ttl",
          "https://w3id.org/ptce-graph/id/dataset#class/ptce:PTCE")


def _subject_blocks(turtle: str) -> dict[str, str]:
    """The statements of each subject in a file ``write_prefixed`` wrote: ``<s> ... .`` blocks."""
    blocks, current = {}, None
    for line in turtle.splitlines():
        if line.startswith("<"):
            current = line[1:line.index(">")]
            blocks[current] = ""
        if current is not None:
            blocks[current] += line + "\n"
            if line.endswith(" ."):
                current = None
    return blocks


def test_the_entry_the_docs_quote_is_the_one_a_build_of_the_shipped_data_writes(tmp_path: Path) -> None:
    """docs/catalogue.md quotes ptce.ttl's distribution and a class partition; with
    PTCE_GRAPH_UPDATE_DOCS=1 the quotes are rewritten from a fresh build."""
    assert build(out=tmp_path).ok
    written = (tmp_path / "catalog.ttl").read_text(encoding="utf-8")
    blocks = _subject_blocks(written)
    page = DOCS_PAGE.read_text(encoding="utf-8")
    fences = re.findall(r"```turtle\n(.*?)```", page, flags=re.S)[:2]
    fresh = ["".join(blocks[s] for s in QUOTED[:2]), blocks[QUOTED[2]]]
    if os.environ.get("PTCE_GRAPH_UPDATE_DOCS") == "1" and fences != fresh:
        for old, new in zip(fences, fresh, strict=True):
            page = page.replace(old, new, 1)
        DOCS_PAGE.write_text(page, encoding="utf-8")
        pytest.skip("docs/catalogue.md's quotes were rewritten: read the diff")
    assert fences == fresh, "run PTCE_GRAPH_UPDATE_DOCS=1 python -m pytest tests/publish/test_catalogue.py"
    # and what the quote states is what the file on disk is
    data = (tmp_path / "ptce.ttl").read_bytes()
    assert f'"{len(data)}"^^xsd:nonNegativeInteger' in fresh[0]
    assert f'"{hashlib.sha256(data).hexdigest()}"^^xsd:hexBinary' in fresh[0]
