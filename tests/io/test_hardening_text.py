"""Unicode NFC on import and in query parameters; IRIs minted from explicit ids; hostile values.

The IRI scheme (``docs/identifiers.md``): every row's IRI is ``pg:{table}/{id}`` where the id
is the curator's explicit slug (lowercase ASCII letters and digits joined by single
hyphens), unique per table and shared by ptce.csv and actors.csv; identifiers and
territories use their official codes (SIREN, SIRET, RNA, INSEE). Names never become IRIs, so
"Pôle Énergie" and "Pole Energie" cannot collide, and no letter of "Œuvre" can be lost.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import MINI, write_folder
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from ptce_graph.errors import InputError
from ptce_graph.io.ingest import load_folders
from ptce_graph.io.rdf import parse_rdf_text
from ptce_graph.model.identifiers import is_slug
from ptce_graph.model.namespaces import PG
from ptce_graph.publish.export import serialize
from ptce_graph.query.catalog import get_query
from ptce_graph.query.run import MAX_PARAM_CHARS, bind_parameters, run_query

NFC_NAMES = ["Pôle Énergie", "Pole Energie", "Œuvre Commune d'Été", "Coopérative ﬁne"]


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _actors(labels: list[str]) -> str:
    rows = [f"actor-{i},{label},,enterprise,,,,,,,,,,,,,,src-a" for i, label in enumerate(labels)]
    return MINI["actors.csv"] + "\n".join(rows) + "\n"


def test_similar_names_never_collide(tmp_path: Path) -> None:
    graph = load_folders([write_folder(tmp_path / "d", {**MINI, "actors.csv": _actors(NFC_NAMES)})])
    labels = {i: graph.value(PG[f"actor/actor-{i}"], RDFS.label) for i in range(len(NFC_NAMES))}
    assert [str(labels[i]) for i in range(len(NFC_NAMES))] == NFC_NAMES
    assert len({PG[f"actor/actor-{i}"] for i in range(len(NFC_NAMES))}) == len(NFC_NAMES)
    # no letter lost, whatever the output format
    for fmt in ("nt", "ttl", "jsonld"):
        text = serialize(graph, fmt).decode("utf-8")
        for name in NFC_NAMES:
            assert name.replace("'", "\\'") in text or name in text, (fmt, name)


def test_nfd_and_nfc_tables_give_the_same_graph(tmp_path: Path) -> None:
    nfc = load_folders([write_folder(tmp_path / "nfc", {**MINI, "actors.csv": _actors(NFC_NAMES)})])
    decomposed = {name: _nfd(text) for name, text in {**MINI, "actors.csv": _actors(NFC_NAMES)}.items()}
    assert decomposed["actors.csv"] != _actors(NFC_NAMES)
    nfd = load_folders([write_folder(tmp_path / "nfd", decomposed)])
    assert isomorphic(nfc, nfd)


def test_rdf_files_are_normalised_to_nfc() -> None:
    text = "".join(f'<urn:a{i}> <urn:label> "{_nfd(name)}"@fr .\n' for i, name in enumerate(NFC_NAMES))
    for fmt in ("nt", "ttl"):
        graph = parse_rdf_text(text, fmt)
        assert sorted(str(o) for o in graph.objects()) == sorted(NFC_NAMES)
    graph = parse_rdf_text(f'{{"@id": "urn:a", "urn:label": "{_nfd("Pôle Énergie")}"}}', "jsonld")
    assert [str(o) for o in graph.objects()] == ["Pôle Énergie"]


def test_iris_are_kept_as_written() -> None:
    """IRIs are identities: an IRI in NFD is not rewritten (ptce-graph mints ASCII IRIs only)."""
    iri = _nfd("https://example.org/Pôle")
    graph = parse_rdf_text(f'<{iri}> <urn:p> "x" .', "nt")
    assert next(iter(graph.subjects())) == URIRef(iri)


@pytest.mark.parametrize("value", ["pôle alpha", _nfd("pôle alpha"), _nfd("PÔLE ALPHA"), " pôle alpha "])
def test_text_parameters_are_nfc(value: str, fixture_graph_path: Path) -> None:
    graph = Graph().parse(fixture_graph_path)
    result = run_query("resources", {"text": value}, graph=graph)
    assert [str(row[1]) for row in result.rows] == ["Portrait du Pôle Alpha"]


def test_ids_are_explicit_ascii_slugs() -> None:
    for good in ("pole-energie", "pole-energie-2", "oeuvre-commune", "a1"):
        assert is_slug(good)
    for bad in ("pôle-énergie", _nfd("pôle-énergie"), "Pole-Energie", "pole energie", "pole--energie", "-pole",
                "pole_energie", "œuvre", "ｐｏｌｅ", ""):
        assert not is_slug(bad), bad


def test_two_names_one_id_is_a_duplicate_not_a_merge(tmp_path: Path) -> None:
    actors = MINI["actors.csv"] + ("pole-energie,Pôle Énergie,,enterprise,,,,,,,,,,,,,,src-a\n"
                                   "pole-energie,Pole Energie,,enterprise,,,,,,,,,,,,,,src-a\n")
    with pytest.raises(InputError) as info:
        load_folders([write_folder(tmp_path / "d", {**MINI, "actors.csv": actors})])
    assert any("actors.csv:6: column 'id': duplicate id 'pole-energie' (first at" in str(p)
               for p in info.value.problems)


@pytest.fixture
def fixture_graph_path() -> Path:
    return Path(__file__).parents[1] / "fixtures" / "queries.ttl"


# -- hostile parameter values ---------------------------------------------------------------------
@pytest.mark.parametrize("name, value, fragment", [
    ("text", "a\x00b", "control character U+0000"),
    ("text", "a\x1bb", "control character U+001B"),
    ("text", "x" * (MAX_PARAM_CHARS + 1), "characters long"),
    ("text", "caf\udce9", "not valid text"),
    ("about", "pg:ptce/caf\udce9", "not valid text"),
    ("about", "pg:ptce/a b", "not a valid IRI"),
    ("about", "ptce/relative", "No scheme found"),
])
def test_hostile_parameters_are_refused(name: str, value: str, fragment: str) -> None:
    with pytest.raises(InputError, match=re.escape(fragment)):
        bind_parameters(get_query("resources"), {name: value})


@pytest.mark.parametrize("kind, value", [
    ("year", "٢٠٢٠"), ("year", "２０２０"), ("year", "20201"), ("integer", "1_000"), ("integer", "١٢"),
    ("integer", "9" * 100), ("decimal", "NaN"), ("decimal", "Infinity"), ("decimal", "1e999999999"),
    ("date", "2020-02-30"), ("date", "2020-W01-1"), ("boolean", "peut-être"),
])
def test_typed_parameters_accept_only_their_lexical_form(kind: str, value: str) -> None:
    from ptce_graph.query.catalog import Param
    from ptce_graph.query.run import _parse_value

    with pytest.raises(InputError, match=f"is not a valid {kind}"):
        _parse_value(Param(name="p", type=kind, required=False, default=None, doc="", multiple=False), value)


@pytest.mark.parametrize("term", [BNode("b0"), URIRef("https://example.org/a> } DROP ALL {")])
def test_rdf_terms_given_as_values_are_checked(term) -> None:
    with pytest.raises(InputError):
        bind_parameters(get_query("ptce_members"), {"ptce": term})


def test_literal_terms_given_as_values_are_nfc() -> None:
    bound = bind_parameters(get_query("resources"), {"text": Literal(_nfd("pôle"), lang="fr")})
    assert bound["text"] == [Literal("pôle", lang="fr")]


def test_undecodable_command_line_bytes_exit_2() -> None:
    """A parameter with bytes that are not UTF-8 (a Latin-1 terminal) is an input error, not a crash."""
    done = subprocess.run([sys.executable.encode(), b"-m", b"ptce_graph", b"query", b"resources",
                           b"--param", b"text=caf\xe9"], capture_output=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert b"not valid text" in done.stderr and b"Traceback" not in done.stderr


@pytest.mark.parametrize("cell", ["\u0662\u0660\u0661\u0665", "\uff12\uff10\uff11\uff15"])
def test_dates_with_non_ascii_digits_are_row_errors(cell: str, tmp_path: Path) -> None:
    ptce = MINI["ptce.csv"].replace(",2015,association", f",{cell},association")
    with pytest.raises(InputError) as info:
        load_folders([write_folder(tmp_path / "d", {**MINI, "ptce.csv": ptce})])
    assert any("ptce.csv:2: column 'founded'" in str(p) for p in info.value.problems)


def test_a_lone_surrogate_in_json_ld_is_refused(tmp_path: Path) -> None:
    from ptce_graph.errors import InputError
    from ptce_graph.io.rdf import read_rdf_file

    path = tmp_path / "s.jsonld"
    path.write_text('{"@id": "urn:a", "urn:p": "\\ud800"}', encoding="utf-8")
    with pytest.raises(InputError, match="lone surrogate"):
        read_rdf_file(path)


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_inputs_that_are_no_regular_file_are_refused_at_once(kind: str, tmp_path: Path) -> None:
    """A FIFO would hang the read and /dev/zero never end it: both are refused before reading."""
    import os

    from ptce_graph.cli import main

    rdf, folder = tmp_path / "in.ttl", tmp_path / "data"
    folder.mkdir()
    table = folder / "ptce.csv"
    if kind == "fifo":
        os.mkfifo(rdf)
        os.mkfifo(table)
    else:
        rdf.symlink_to("/dev/zero")
        table.symlink_to("/dev/zero")
    assert main(["validate", str(rdf)]) == 2
    assert main(["validate", str(folder)]) == 2


def test_serve_on_an_impossible_address_is_an_input_error(fixture_graph_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    from ptce_graph.cli import main

    assert main(["serve", "--host", "999.1.1.1", "--port", "7999", "--graph", str(fixture_graph_path)]) == 2
    assert "cannot listen on 999.1.1.1:7999" in capsys.readouterr().err
