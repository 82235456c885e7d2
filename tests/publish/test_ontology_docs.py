"""The ontology's HTML documentation: every term in each page with its label in that page's
language, examples from the data, the command's exit codes, same bytes twice, no network."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ptce_graph.cli import main
from ptce_graph.io.vocabulary import ontology_graph
from ptce_graph.model.namespaces import PGC, PTCE
from ptce_graph.publish import ontology_docs
from ptce_graph.publish.ontology_docs import RDF_DOCUMENTS, RDF_FORMATS, class_examples, ontology_html
from ptce_graph.resources import jsonld_context_file

ROOT = Path(__file__).resolve().parents[2]
NS = str(PTCE._NS)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``docs`` command's output, made once for the module through the command line."""
    out = tmp_path_factory.mktemp("docs") / "site"
    assert main(["docs", "--out", str(out), "-q"]) == 0
    return out


@pytest.fixture(scope="module")
def onto() -> Graph:
    return ontology_graph()


def _parse(path: Path) -> dict[str, Element]:
    """Every element of a page that has an id, by id."""
    tree = html5lib.parse(path.read_text(encoding="utf-8"), namespaceHTMLElements=False)
    return {e.get("id"): e for e in tree.iter() if e.get("id")}


def _text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _label(onto: Graph, subject: URIRef, predicate: URIRef, lang: str) -> str:
    (label,) = [str(o) for o in onto.objects(subject, predicate) if o.language == lang]
    return " ".join(label.split())


def _terms(onto: Graph) -> list[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return sorted({s for k in kinds for s in onto.subjects(RDF.type, k) if str(s).startswith(NS)})


def test_the_command_writes_both_pages_an_index_and_the_rdf_files(site: Path) -> None:
    expected = {"ontology.en.html", "ontology.fr.html", "index.html", "context.jsonld"}
    expected |= {stem + ext for stem in RDF_DOCUMENTS for ext in RDF_FORMATS.values()}
    assert {p.name for p in site.iterdir()} == expected
    # the context the exports and frames name, as the package ships it, linked from the index
    assert (site / "context.jsonld").read_bytes() == jsonld_context_file().read_bytes()
    assert 'href="context.jsonld"' in (site / "index.html").read_text(encoding="utf-8")
    index = _parse(site / "index.html")
    assert index == {}  # a plain page: links only
    page = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="ontology.fr.html"' in page and 'href="ontology.en.html"' in page
    assert len(Graph().parse(site / "ontology.ttl")) == len(ontology_graph())
    assert len(Graph().parse(site / "ontology.nt")) == len(ontology_graph())


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_class_and_property_is_in_the_page_with_its_label_in_that_language(
    site: Path, onto: Graph, lang: str
) -> None:
    ids = _parse(site / f"ontology.{lang}.html")
    other = "fr" if lang == "en" else "en"
    terms = _terms(onto)
    assert len(terms) >= 74
    for term in terms:
        entry = ids.get(str(term)[len(NS) :])  # the anchor is the local name in both languages
        assert entry is not None, term
        heading = _text(entry.find("h3"))
        label, other_label = _label(onto, term, RDFS.label, lang), _label(onto, term, RDFS.label, other)
        assert heading.startswith(label), (term, heading)
        if other_label not in label:
            assert other_label not in heading, (term, heading)
        assert str(term) in _text(entry)
        assert _label(onto, term, SKOS.definition, lang)[:60] in _text(entry), term


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_code_list_and_concept_is_in_the_page_with_its_label_in_that_language(
    site: Path, onto: Graph, lang: str
) -> None:
    ids = _parse(site / f"ontology.{lang}.html")
    schemes = sorted(onto.subjects(RDF.type, SKOS.ConceptScheme))
    concepts = sorted(onto.subjects(RDF.type, SKOS.Concept))
    assert len(schemes) == 12 and len(concepts) >= 131
    for node in schemes + concepts:
        entry = ids.get("concept/" + str(node)[len(str(PGC)) :])  # the anchor is the IRI's path
        assert entry is not None, node
        assert _label(onto, node, SKOS.prefLabel, lang) in _text(entry), node
        assert str(node) in _text(entry)
    toc = _text(ids["toc"])
    assert all(_label(onto, s, SKOS.prefLabel, lang) in toc for s in schemes)


def test_the_french_page_is_in_french(site: Path) -> None:
    page = (site / "ontology.fr.html").read_text(encoding="utf-8")
    ids = _parse(site / "ontology.fr.html")
    assert '<html lang="fr">' in page
    headings = {_text(ids[i].find("h2")) for i in ("metadata", "classes", "objectproperties", "codelists")}
    assert headings == {"Métadonnées", "Classes", "Propriétés d'objet", "Listes de codes"}
    assert _text(ids["metadata"].find("h1")) == "Ontologie ptce-graph des pôles territoriaux de coopération économique"
    for english in ("Is Defined By", "Sub Class Of", "Table of Contents", ">Metadata<", "Object Properties"):
        assert english not in page, english
    assert '<html lang="en">' in (site / "ontology.en.html").read_text(encoding="utf-8")


def test_classes_show_examples_from_the_shipped_data(site: Path, shipped_graph: Graph) -> None:
    instances = sorted(str(s) for s in shipped_graph.subjects(RDF.type, PTCE.PTCE))
    examples = class_examples(per_class=2)
    assert [e.iri for e in examples[PTCE.PTCE]] == instances[:2]  # the first two by IRI
    for lang in ("en", "fr"):
        entry = _parse(site / f"ontology.{lang}.html")["PTCE"]
        links = {a.get("href"): _text(a) for a in entry.iter("a")}
        for example in examples[PTCE.PTCE]:
            label = str(shipped_graph.value(URIRef(example.iri), RDFS.label))
            assert links[example.iri] == f"{label} ({example.iri.replace('https://w3id.org/ptce-graph/id/', 'pg:')})"
    assert len(examples) >= 25  # most classes have instances in the shipped data
    assert PTCE.Actor not in examples  # only direct instances: Actor is abstract in the data


def test_two_runs_in_two_processes_give_the_same_bytes(site: Path, tmp_path: Path) -> None:
    # another hash seed: pyLODE's set of union members and rdflib's blank node names change
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "ptce_graph", "docs", "--out", str(tmp_path), "-q"],
        check=True,
        env=env,
        capture_output=True,
    )
    names = sorted(p.name for p in site.iterdir())
    assert names == sorted(p.name for p in tmp_path.iterdir())
    for name in names:
        assert (site / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_the_pages_load_nothing_from_elsewhere(site: Path) -> None:
    for lang in ("en", "fr"):
        tree = html5lib.parse((site / f"ontology.{lang}.html").read_text(encoding="utf-8"), namespaceHTMLElements=False)
        assert [s.get("src") for s in tree.iter("script") if s.get("src")] == []
        assert [k.get("href") for k in tree.iter("link") if not (k.get("href") or "").startswith("data:")] == []


def test_pylode_fetches_nothing(network_canary, monkeypatch: pytest.MonkeyPatch) -> None:
    """An owl:imports and a remote seeAlso are printed, never fetched, even with sockets available."""
    onto = ontology_graph()
    header = URIRef(NS.rstrip("#"))
    onto.add((header, OWL.imports, URIRef(network_canary.url + "imported.ttl")))
    onto.add((PTCE.PTCE, RDFS.seeAlso, URIRef(network_canary.url + "seealso")))
    connections: list[object] = []
    real_connect = socket.socket.connect

    def spy(self: socket.socket, address: object) -> None:
        connections.append(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", spy)
    page = ontology_html("en", examples={}, ontology=onto)
    assert network_canary.url + "imported.ttl" in page
    assert connections == [] and network_canary.hits == []


def test_importing_pylode_leaves_logging_alone() -> None:
    """pyLODE configures the root logger to DEBUG when imported; the docs module undoes it."""
    code = (
        "import logging\n"
        "from ptce_graph.publish.ontology_docs import _ontpub\n"
        "_ontpub()\n"
        "root = logging.getLogger()\n"
        "print(len(root.handlers), root.level)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.stdout.split() == ["0", str(30)]


def test_without_pylode_the_command_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "pylode", None)  # an import of pylode now fails
    ontology_docs._ontpub.cache_clear()
    try:
        assert main(["docs", "--out", str(tmp_path / "docs"), "--examples", "0", "-q"]) == 2
    finally:
        ontology_docs._ontpub.cache_clear()
    assert "pip install 'ptce-graph[docs]'" in capsys.readouterr().err


def test_an_unwritable_out_is_exit_2_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    assert main(["docs", "--out", str(blocker / "docs"), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and f"{blocker} is a file, not a folder" in err
    assert blocker.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--lang", "de"], "invalid choice: 'de'"),
        (["--examples", "11"], "not a number of examples from 0 to 10"),
        (["--examples", "-1"], "not a number of examples from 0 to 10"),
    ],
)
def test_bad_options_are_exit_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs", *argv]) == 2
    assert message in capsys.readouterr().err


def test_one_language_and_no_examples(tmp_path: Path) -> None:
    assert main(["docs", "--out", str(tmp_path), "--lang", "fr", "--examples", "0", "-q"]) == 0
    assert not (tmp_path / "ontology.en.html").exists()
    page = (tmp_path / "ontology.fr.html").read_text(encoding="utf-8")
    assert "pg:ptce/" not in page and "Exemple" not in page
    assert 'href="ontology.fr.html"' in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_a_language_copy_keeps_what_has_no_translation() -> None:
    g = Graph()
    g.add((PTCE.PTCE, RDFS.label, Literal("PTCE", lang="en")))
    g.add((PTCE.PTCE, RDFS.label, Literal("Pôle", lang="fr")))
    g.add((PTCE.PTCE, RDFS.comment, Literal("English only", lang="en")))
    g.add((PTCE.PTCE, SKOS.notation, Literal("ptce")))
    french = ontology_docs.language_copy(g, "fr")
    assert {str(o) for o in french.objects(PTCE.PTCE, None)} == {"Pôle", "English only", "ptce"}
    with pytest.raises(Exception, match="no documentation language 'de'"):
        ontology_html("de", examples={})
