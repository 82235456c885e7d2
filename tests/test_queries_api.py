"""The Python query API: typed DataFrames, result formats, parameter handling."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from ptce_graph.errors import InputError
from ptce_graph.query import run_query


def test_dataframe_columns_are_typed_from_rdf_datatypes(shipped_graph) -> None:
    pd = pytest.importorskip("pandas")
    result = run_query("SELECT ?ptce ?year ?n ?d WHERE { VALUES (?ptce ?year ?n ?d) { "
                       "(<https://w3id.org/ptce-graph/id/ptce/tetris> \"2014\"^^xsd:gYear 3 \"2014-01-10\"^^xsd:date) "
                       "(<https://w3id.org/ptce-graph/id/ptce/pole-sud> UNDEF 5 UNDEF) } } ORDER BY ?ptce", graph=shipped_graph)
    df = result.to_dataframe()
    assert str(df["year"].dtype) == "Int64" and str(df["n"].dtype) == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(df["d"])
    assert df["n"].tolist() == [5, 3]
    assert df["year"].isna().tolist() == [True, False]
    assert result.records()[1] == {"ptce": "https://w3id.org/ptce-graph/id/ptce/tetris", "year": 2014, "n": 3,
                                   "d": dt.date(2014, 1, 10)}


def test_result_formats(shipped_graph) -> None:
    result = run_query("ptce_members", {"ptce": "pg:ptce/tetris"}, graph=shipped_graph)
    document = json.loads(result.serialize("json"))
    assert document["head"]["vars"] == list(result.columns)
    assert len(document["results"]["bindings"]) == len(result)
    csv_lines = result.serialize("csv").splitlines()
    assert csv_lines[0] == ",".join(result.columns) and len(csv_lines) == len(result) + 1
    assert result.serialize("table").endswith(f"({len(result)} rows)")


def test_parameter_errors() -> None:
    with pytest.raises(InputError, match="needs parameter 'ptce'"):
        run_query("ptce_members")
    with pytest.raises(InputError, match="needs parameter 'ptce'"):
        run_query("ptce_members", {"ptce": "   "})
    with pytest.raises(InputError, match="has no parameter 'colour'"):
        run_query("ptce_members", {"ptce": "pg:ptce/tetris", "colour": "red"})
    with pytest.raises(InputError, match="updates are refused"):
        run_query("DELETE WHERE { ?s ?p ?o }")
    with pytest.raises(InputError, match="SERVICE clauses are refused"):
        run_query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
