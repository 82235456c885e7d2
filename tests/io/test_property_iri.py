"""Property-based tests of IRI minting and of parameter binding: explicit slugs give distinct,
valid IRIs; any parameter text is bound as one RDF term or refused, never pasted into SPARQL."""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

import pyoxigraph as ox
from conftest import MINI, write_folder
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.namespace import RDF

from ptce_graph.errors import InputError
from ptce_graph.io.ingest import load_folders
from ptce_graph.io.rdf import literal_problem
from ptce_graph.model.identifiers import SLUG_PATTERN, is_slug
from ptce_graph.model.namespaces import PG, PTCE
from ptce_graph.query.catalog import get_query
from ptce_graph.query.run import bind_parameters, render_query, run_query
from ptce_graph.store import LocalStore

SETTINGS = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
SLUGS = st.from_regex(SLUG_PATTERN.replace("^", r"\A").replace("$", r"\Z"))
FIXTURE = Path(__file__).parents[1] / "fixtures" / "queries.ttl"
XSD = "http://www.w3.org/2001/XMLSchema#"


@SETTINGS
@given(text=st.text())
def test_a_slug_is_ascii_lowercase_and_normalisation_proof(text: str) -> None:
    """No two spellings of one name (NFC/NFD, case, compatibility forms) can be two valid ids."""
    if is_slug(text):
        assert text.isascii() and text == text.lower()
        for form in ("NFC", "NFD", "NFKC", "NFKD"):
            assert unicodedata.normalize(form, text) == text


@SETTINGS
@given(ids=st.lists(SLUGS.filter(lambda s: s not in ("coop-a", "firm-b", "agglo")), min_size=1, max_size=6,
                    unique=True))
def test_ids_mint_distinct_valid_iris(ids: list[str]) -> None:
    rows = "".join(f"{ident},Acteur {ident},,enterprise,,,,,,,,,,,,,,src-a\n" for ident in ids)
    with tempfile.TemporaryDirectory() as tmp:
        graph = load_folders([write_folder(Path(tmp) / "d", {**MINI, "actors.csv": MINI["actors.csv"] + rows})])
    minted = {str(s) for s in graph.subjects(RDF.type, PTCE.Enterprise)} - {str(PG["actor/firm-b"])}
    assert minted == {str(PG[f"actor/{ident}"]) for ident in ids}
    for iri in minted:
        ox.NamedNode(iri)  # a valid IRI, or this raises


@SETTINGS
@given(value=st.text(max_size=60))
def test_any_iri_parameter_is_one_term_or_refused(value: str) -> None:
    query = get_query("ptce_members")
    try:
        bound = bind_parameters(query, {"ptce": value})
    except InputError:
        return
    text = render_query(query.text, bound)
    assert text.count("VALUES ?ptce {") == 1
    ox.Store().query(text)  # still one valid query


_STORE: list[LocalStore] = []


def _store() -> LocalStore:
    if not _STORE:
        _STORE.append(LocalStore(Graph().parse(FIXTURE)))
    return _STORE[0]


@SETTINGS
@given(value=st.text(st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_any_text_parameter_is_a_plain_value(value: str) -> None:
    """Quotes, braces, backslashes, '#', newlines: a string parameter matches text, never changes the query."""
    store = _store()
    try:
        result = run_query("resources", {"text": value}, store=store)
    except InputError as exc:
        assert "control character" in str(exc) or "characters long" in str(exc)
        return
    titles = [str(row[1]) for row in result.rows]
    needle = unicodedata.normalize("NFC", value.strip()).lower()
    assert all(needle in title.lower() for title in titles)


@SETTINGS
@given(year=st.integers(min_value=0, max_value=99999))
def test_gyear_check_agrees_with_the_xsd_lexical_space(year: int) -> None:
    text = f"{year:04d}"
    assert literal_problem(text, XSD + "gYear") is None
    assert literal_problem(text + "-01", XSD + "gYearMonth") is None
    assert literal_problem(f"{year:03d}" if year < 1000 else f"0{text}", XSD + "gYear") is not None


@SETTINGS
@given(text=st.text(max_size=12))
@example("2020\n")
@example(" 2020")
@example("２０２０")
@example("+2020")
@example("02020")
def test_gyear_check_refuses_what_is_not_a_year(text: str) -> None:
    import re

    valid = re.fullmatch(r"-?([1-9][0-9]{3,}|0[0-9]{3})(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?", text)
    assert (literal_problem(text, XSD + "gYear") is None) == bool(valid)
