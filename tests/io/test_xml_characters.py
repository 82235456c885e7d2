"""Characters XML 1.0 cannot carry (U+0001, U+FFFE...) may stand in RDF literals: XML data files
refuse them by name, displays show them escaped, and no output is ever malformed XML."""

from __future__ import annotations

import http.client
import subprocess
import sys
import time
import urllib.parse
import xml.dom.minidom
from pathlib import Path

import pytest
from conftest import MINI, write_folder
from openpyxl import load_workbook
from rdflib import Graph, Literal, URIRef
from standins import free_port

from ptce_graph.cli import main
from ptce_graph.errors import InputError
from ptce_graph.io.cells import NOT_XML, check_xml_text, xml_text
from ptce_graph.io.ingest import load_folders

PTCE = "https://w3id.org/ptce-graph/id/ptce/pole-test"
LABEL = "Pôle\x01Test\x1b[31m\ufffe"
SHOWN = "Pôle\\x01Test\\x1b[31m\\ufffe"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The MINI data with the PTCE's label replaced by one holding U+0001, ESC and U+FFFE."""
    folder = write_folder(tmp_path_factory.mktemp("d") / "mini", MINI)
    graph = load_folders([folder])
    graph.remove((URIRef(PTCE), URIRef(RDFS_LABEL), None))
    graph.add((URIRef(PTCE), URIRef(RDFS_LABEL), Literal(LABEL, lang="fr")))
    path = tmp_path_factory.mktemp("g") / "hostile.nt"
    path.write_bytes(graph.serialize(format="nt", encoding="utf-8"))
    return path


def _well_formed(path: Path) -> None:
    xml.dom.minidom.parse(str(path))  # raises on malformed XML


# -- the rule -------------------------------------------------------------------------------------
@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x1f", "\ufffe", "\uffff"])
def test_characters_xml_cannot_carry_are_found(char: str) -> None:
    assert NOT_XML.search(f"a{char}b")
    with pytest.raises(InputError, match=f"U\\+{ord(char):04X}, a character XML 1.0 cannot carry"):
        check_xml_text(f"a{char}b", "here", "GraphML")
    assert xml_text(f"a{char}b") == "a" + char.encode("unicode_escape").decode("ascii") + "b"


@pytest.mark.parametrize("text", ["tab\there", "line\nbreak\r\n", "Pôle Sud – coopération", "emoji 🌱", "\ud7ff\ue000\ufffd"])
def test_what_xml_carries_passes(text: str) -> None:
    assert not NOT_XML.search(text)
    check_xml_text(text, "here", "GraphML")
    assert xml_text(text) == text


# -- XML data files: refused, nothing written -------------------------------------------------------
@pytest.mark.parametrize("args, where", [
    (["export", "--format", "rdfxml"], "pg:ptce/pole-test rdfs:label"),
    (["export", "--format", "graphml", "--view", "membership"], f"node {PTCE}, attribute 'label'"),
    (["export", "--format", "gexf", "--view", "membership"], f"node {PTCE}, attribute 'label'"),
    (["query", "--sparql", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "--format", "rdfxml"],
     "pg:ptce/pole-test rdfs:label"),
], ids=["rdfxml", "graphml", "gexf", "construct-rdfxml"])
def test_xml_data_files_refuse_the_character_by_name(graph_file: Path, tmp_path: Path, args: list[str], where: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.xml"
    assert main([*args, "--graph", str(graph_file), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"error: {where}: " in err and "holds U+0001, a character XML 1.0 cannot carry" in err, err
    assert "Turtle" in err  # what to do instead
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_the_same_graph_still_exports_without_xml(graph_file: Path, tmp_path: Path) -> None:
    for fmt in ("ttl", "jsonld", "nt"):
        assert main(["export", "--graph", str(graph_file), "--format", fmt, "--out", str(tmp_path / f"g.{fmt}")]) == 0
        back = Graph().parse(tmp_path / f"g.{fmt}", format={"ttl": "turtle", "jsonld": "json-ld", "nt": "nt"}[fmt])
        assert Literal(LABEL, lang="fr") in set(back.objects(URIRef(PTCE), URIRef(RDFS_LABEL))), fmt


# -- displays: escaped, well-formed -------------------------------------------------------------------
def test_a_workbook_shows_the_character_escaped(graph_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "overview.xlsx"
    assert main(["query", "ptce_overview", "--graph", str(graph_file), "--format", "xlsx", "--out", str(out)]) == 0
    values = [cell.value for row in load_workbook(out)["results"].iter_rows() for cell in row]
    assert SHOWN in values, values


@pytest.mark.parametrize("args", [
    ["plot", "--view", "membership", "--title", "Mon\x01titre"],
    ["plot", "--chart", "composition"],
    ["plot", "--chart", "distribution"],
    ["map", "--by", "region"],
], ids=["network", "composition", "distribution", "map"])
def test_svg_pictures_stay_well_formed(graph_file: Path, tmp_path: Path, args: list[str]) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "picture.svg"
    assert main([*args, "--graph", str(graph_file), "--out", str(out)]) == 0
    _well_formed(out)
    if "composition" in args or "membership" in args:
        assert SHOWN.encode() in out.read_bytes()


# -- serve: XML answers refused with 406, HTML escaped, JSON intact -----------------------------------
def test_serve_never_sends_malformed_xml(graph_file: Path) -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "ptce_graph", "serve", "--graph", str(graph_file),
                               "--port", str(port)], stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("GET", "/")
                connection.getresponse().read()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "serve did not start"
                time.sleep(0.2)

        def get(path: str, accept: str) -> tuple[int, bytes]:
            connection.request("GET", path, headers={"Accept": accept})
            response = connection.getresponse()
            return response.status, response.read()

        query = "/sparql?" + urllib.parse.urlencode({"query": f"SELECT ?l WHERE {{ <{PTCE}> <{RDFS_LABEL}> ?l }}"})
        status, body = get(query, "application/sparql-results+xml")
        assert status == 406 and b"U+0001, a character XML 1.0 cannot carry" in body
        status, body = get(query, "application/sparql-results+json")
        assert status == 200 and LABEL.encode("unicode_escape") not in body
        assert '"Pôle\\u0001Test\\u001b[31m\ufffe"'.encode() in body  # the value itself, JSON-escaped
        status, body = get("/id/ptce/pole-test", "application/rdf+xml")
        assert status == 406 and b"U+0001" in body and b"text/turtle" in body
        status, body = get("/id/ptce/pole-test", "text/turtle")
        assert status == 200 and Literal(LABEL, lang="fr") in set(Graph().parse(data=body, format="turtle").objects())
        status, body = get("/id/ptce/pole-test", "text/html")
        assert status == 200 and not NOT_XML.search(body.decode("utf-8")) and SHOWN.encode() in body
        connection.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
