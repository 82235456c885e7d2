"""The Python query API: typed DataFrames, result formats, parameter handling."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from ptce_graph.errors import InputError
from ptce_graph.query.run import run_query


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
    with pytest.raises(InputError, match="SERVICE is refused"):
        run_query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")


def test_adhoc_query_agrees_with_an_independent_engine(tmp_path, capsys) -> None:
    """The same ad-hoc SPARQL on the exported Turtle, through the CLI and through rdflib's engine."""
    import csv
    import io

    import rdflib.plugins.sparql
    from rdflib import Graph

    from ptce_graph.cli import main

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    out = tmp_path / "ptce.ttl"
    assert main(["export", "--out", str(out)]) == 0
    sparql = ("PREFIX ptce: <https://w3id.org/ptce-graph/ontology#> PREFIX org: <http://www.w3.org/ns/org#> "
              "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
              "SELECT ?label (COUNT(DISTINCT ?m) AS ?members) WHERE { ?p a ptce:PTCE ; rdfs:label ?label . "
              "OPTIONAL { ?p org:hasMember ?m } } GROUP BY ?label ORDER BY DESC(?members) ?label")
    capsys.readouterr()
    assert main(["query", "--graph", str(out), "--sparql", sparql, "--format", "csv"]) == 0
    ours = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    theirs = [[str(v) for v in row] for row in Graph().parse(out).query(sparql)]
    assert ours[0] == ["label", "members"]
    assert ours[1:] == theirs
    assert len(theirs) >= 23
