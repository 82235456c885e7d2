"""Query results for spreadsheets: .xlsx and Excel CSV read back with openpyxl and pandas agree with the JSON results."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from ptce_graph.cli import main
from ptce_graph.errors import InputError
from ptce_graph.io.cells import safe_cell
from ptce_graph.query.catalog import load_catalog
from ptce_graph.query.run import QueryResult, run_query

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}
_NUMBERS = {XSD + t for t in ("decimal", "double", "float")}

#: Every canned query, with the parameters of those that need some.
CASES = [
    (query.id, {"ptce_members": {"ptce": "pg:ptce/tetris"}, "ptce_card": {"ptce": "pg:ptce/tetris"},
                "call_laureates": {"call": "pg:scheme/aap-2013"}, "entity_sources": {"entity": "pg:ptce/tetris"},
                "ptce_in_territory": {"territory": "pg:territory/departement/26"}}.get(query.id))
    for query in load_catalog().values()
    if query.form == "SELECT"
]


def _expected(binding: dict[str, str] | None) -> Any:
    """What a cell of the workbook holds for one SPARQL JSON binding (an independent reading)."""
    if binding is None or binding["value"] == "":
        return None  # an empty text is an empty cell
    value, datatype = binding["value"], binding.get("datatype")
    if datatype in _INTEGERS:
        return int(value)
    if datatype in _NUMBERS:
        return float(value)
    if datatype == XSD + "boolean":
        return value == "true"
    if datatype == XSD + "date":
        return dt.datetime.fromisoformat(value)
    if datatype == XSD + "gYear":
        return int(value)
    return value


def _expected_csv(binding: dict[str, str] | None) -> str:
    if binding is None:
        return ""
    value, datatype = binding["value"], binding.get("datatype")
    if datatype in _NUMBERS:
        return format(float(value), "f").rstrip("0").rstrip(".").replace(".", ",") if "." in value else value
    return safe_cell(value) if datatype in (None, XSD + "string") or "xml:lang" in binding else value


def _json_rows(result: QueryResult) -> list[list[dict[str, str] | None]]:
    document = json.loads(result.serialize("json"))
    return [[b.get(c) for c in result.columns] for b in document["results"]["bindings"]]


@pytest.fixture(scope="module")
def results(shipped_graph) -> dict[str, QueryResult]:
    return {name: run_query(name, params, graph=shipped_graph) for name, params in CASES}


@pytest.mark.parametrize("name", [name for name, _ in CASES])
def test_xlsx_reads_back_as_the_json_results(results: dict[str, QueryResult], name: str) -> None:
    result = results[name]
    book = openpyxl.load_workbook(io.BytesIO(result.to_xlsx()))
    rows = list(book["results"].values)
    assert rows[0] == result.columns
    expected = [tuple(_expected(b) for b in row) for row in _json_rows(result)]
    assert rows[1:] == expected
    about = dict(list(book["about"].values)[1:])
    assert about["query"] == name and about["rows"] == str(len(result)) and about["SPARQL"] == result.sparql


@pytest.mark.parametrize("name", ["national_calls", "fundings", "ptce_relations", "ptce_composition", "call_eligibility"])
def test_pandas_reads_the_same_workbook(results: dict[str, QueryResult], name: str) -> None:
    pd = pytest.importorskip("pandas")
    result = results[name]
    frame = pd.read_excel(io.BytesIO(result.to_xlsx()), sheet_name="results", engine="openpyxl", dtype=object)
    assert tuple(frame.columns) == result.columns and len(frame) == len(result)
    read = [[None if pd.isna(v) else v for v in row] for row in frame.itertuples(index=False)]
    assert read == [[_expected(b) for b in row] for row in _json_rows(result)]


@pytest.mark.parametrize("name", ["national_calls", "fundings", "ptce_relations", "data_completeness", "ptce_members"])
def test_excel_csv_reads_back_as_the_json_results(results: dict[str, QueryResult], name: str) -> None:
    pd = pytest.importorskip("pandas")
    result = results[name]
    data = result.serialize("csv-excel").encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == len(result) + 1 + sum(
        str(v).count("\n") for row in result.rows for v in row if v is not None
    )
    frame = pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert tuple(frame.columns) == result.columns
    assert frame.values.tolist() == [[_expected_csv(b) for b in row] for row in _json_rows(result)]
    numbers = [c for c, b in zip(result.columns, _json_rows(result)[0]) if b and b.get("datatype") in _NUMBERS]
    if numbers:  # French Excel reads these as numbers: pandas with decimal="," does too
        typed = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
        assert all(pd.api.types.is_float_dtype(typed[c]) for c in numbers)


def test_every_kind_of_term_gets_its_cell() -> None:
    result = run_query(
        "SELECT ?iri ?fr ?n ?d ?f ?b ?day ?when ?year ?month ?bad ?formula ?none WHERE { VALUES "
        "(?iri ?fr ?n ?d ?f ?b ?day ?when ?year ?month ?bad ?formula ?none) { (<urn:x:1> 'Pôle'@fr -7 2.50 "
        "'1.5E3'^^xsd:double true '2014-01-10'^^xsd:date '2020-05-01T09:30:00'^^xsd:dateTime '2014'^^xsd:gYear "
        "'2014-03'^^xsd:gYearMonth 'x'^^xsd:integer '=1+1' UNDEF) } }"
    )
    assert result.cells() == [
        ("urn:x:1", "Pôle", -7, result.cells()[0][3], 1500.0, True, dt.date(2014, 1, 10),
         dt.datetime(2020, 5, 1, 9, 30), 2014, "2014-03", "x", "=1+1", None)
    ]
    row = list(openpyxl.load_workbook(io.BytesIO(result.to_xlsx()))["results"].values)[1]
    assert row == ("urn:x:1", "Pôle", -7, 2.5, 1500.0, True, dt.datetime(2014, 1, 10), dt.datetime(2020, 5, 1, 9, 30),
                   2014, "2014-03", "x", "=1+1", None)
    assert result.serialize("csv-excel").split("\r\n")[1] == (
        "urn:x:1;Pôle;-7;2,5;1500;true;2014-01-10;2020-05-01 09:30:00;2014;2014-03;x;'=1+1;"
    )


def test_only_select_results_make_a_workbook() -> None:
    with pytest.raises(InputError, match="--format xlsx is for SELECT queries: ASK gives no table"):
        run_query("ASK { ?s ?p ?o }").to_xlsx()
    with pytest.raises(InputError, match="CONSTRUCT gives no table"):
        run_query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1").to_xlsx()


def test_query_command_writes_the_workbook_with_its_provenance(tmp_path: Path, capsys) -> None:
    out = tmp_path / "build" / "members.xlsx"
    args = ["query", "ptce_members", "--param", "ptce=pg:ptce/tetris", "--format", "xlsx", "--out", str(out)]
    assert main(args) == 0
    first = out.read_bytes()
    assert main(args) == 0 and out.read_bytes() == first  # the same bytes on every run
    err = capsys.readouterr().err
    assert f"wrote {out} (" in err
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["results", "about"]
    about = dict(list(book["about"].values)[1:])
    assert about["query"] == "ptce_members"
    assert about["parameter ptce"] == "<https://w3id.org/ptce-graph/id/ptce/tetris>"
    assert about["source"].startswith("loaded ") and "shipped data" in about["source"]
    assert "VALUES ?ptce { <https://w3id.org/ptce-graph/id/ptce/tetris> }" in about["SPARQL"]
    assert about["rows"] == str(book["results"].max_row - 1)


def test_query_command_refuses_a_workbook_without_out_before_any_work(capsys) -> None:
    assert main(["query", "ptce_overview", "--format", "xlsx"]) == 2
    err = capsys.readouterr().err
    assert "--format xlsx writes a binary file: give --out FILE.xlsx" in err and "loaded" not in err


def test_query_command_ask_as_xlsx_is_an_input_error(tmp_path: Path, capsys) -> None:
    out = tmp_path / "ask.xlsx"
    assert main(["query", "--sparql", "ASK { ?s ?p ?o }", "--format", "xlsx", "--out", str(out)]) == 2
    assert "ASK gives no table" in capsys.readouterr().err and not out.exists()


def test_query_command_excel_csv(capsys) -> None:
    assert main(["query", "fundings", "--format", "csv-excel"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeff") and out.splitlines()[0].lstrip("\ufeff").split(";")[0] == "funding"
