"""Metric tables for data frames and spreadsheets: one dtype per column in every view and window,
workbooks and Excel CSV that read back as the table."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pytest

from ptce_graph.cli import main
from ptce_graph.io.rdf import parse_rdf_file
from ptce_graph.network import ACTOR_COLUMNS, PTCE_COLUMNS
from ptce_graph.network.choices import VIEWS
from ptce_graph.network.compute import compute_metrics
from ptce_graph.network.dtypes import COLUMN_TYPES, DTYPES
from ptce_graph.network.kinds import ACTOR_KINDS, KINDS
from ptce_graph.network.metrics import NETWORK_COLUMNS
from ptce_graph.network.table import MetricTable

pd = pytest.importorskip("pandas")

FIXTURE = Path(__file__).parents[1] / "fixtures" / "network.ttl"
DOCS = Path(__file__).parents[2] / "docs" / "metrics.md"
#: Windows with data, and one before any (empty actor tables, PTCEs with no member).
WINDOWS = [{}, {"as_of": "2019"}, {"as_of": "1900"}]

#: Written out by hand from docs/metrics.md, not from the code's table.
EXPECTED_ACTOR = {
    "node": "string", "label": "string", "kind": "category", "degree": "Int64", "weighted_degree": "Float64",
    "betweenness": "Float64", "closeness": "Float64", "eigenvector": "Float64", "clustering": "Float64",
    "constraint": "Float64", "effective_size": "Float64", "core_number": "Int64", "community": "Int64",
}
EXPECTED_PTCE_SOME = {
    "ptce": "string", "label": "string", "founded": "datetime64[ns]", "age": "Int64", "members": "Int64",
    "members_ess_enterprise": "Int64", "members_unknown": "Int64", "shannon_diversity": "Float64",
    "ess_share": "Float64", "meets_law_composition": "boolean", "law_missing": "string", "local_share": "Float64",
    "shared_ptces": "Int64", "has_research": "boolean",
}
EXPECTED_NETWORK = {
    "view": "category", "window": "string", "nodes": "Int64", "edges": "Int64", "density": "Float64",
    "components": "Int64", "largest_component_share": "Float64", "average_clustering": "Float64",
    "communities": "Int64", "modularity": "Float64", "kind_assortativity": "Float64", "ei_index": "Float64",
    "ess_external_ties": "Int64", "ess_internal_ties": "Int64",
}


@pytest.fixture(scope="module")
def graph():
    return parse_rdf_file(FIXTURE)


def _dtypes(frame) -> dict[str, str]:
    return {name: str(dtype) for name, dtype in frame.dtypes.items()}


@pytest.mark.parametrize("view", list(VIEWS))
def test_actor_dtypes_are_the_same_in_every_view_and_window(graph, view: str) -> None:
    sizes = []
    for window in WINDOWS:
        table = compute_metrics(graph, view=view, **window)
        frame = table.to_dataframe()
        assert _dtypes(frame) == EXPECTED_ACTOR, window
        assert list(frame["kind"].cat.categories) == list(KINDS)  # every kind, present or not
        sizes.append(len(frame))
    assert sizes[0] > 0 and sizes[2] <= 1  # data in the first window, (almost) none before 1900


@pytest.mark.parametrize("window", WINDOWS)
def test_ptce_dtypes_are_the_same_in_every_window(graph, window: dict[str, str]) -> None:
    frame = compute_metrics(graph, level="ptce", **window).to_dataframe()
    assert {c: str(frame[c].dtype) for c in EXPECTED_PTCE_SOME} == EXPECTED_PTCE_SOME
    kinds = [f"members_{kind.replace('-', '_')}" for kind in ACTOR_KINDS]
    assert {str(frame[c].dtype) for c in kinds} == {"Int64"}
    assert list(frame.columns) == list(PTCE_COLUMNS)


def test_partial_founding_dates_become_the_first_day_of_their_period(graph) -> None:
    table = compute_metrics(graph, level="ptce")
    frame = table.to_dataframe()
    assert table.column("founded") == ["2020", "2017-03-15", "2018-05", None, "2014"]
    assert frame["founded"].tolist()[:3] == [pd.Timestamp(2020, 1, 1), pd.Timestamp(2017, 3, 15), pd.Timestamp(2018, 5, 1)]
    assert frame["founded"].isna().tolist() == [False, False, False, True, False]


@pytest.mark.parametrize("view", list(VIEWS))
def test_network_dtypes_are_the_same_in_every_view_and_by_year(graph, view: str) -> None:
    for window in WINDOWS:
        frame = compute_metrics(graph, view=view, level="network", **window).to_dataframe()
        assert _dtypes(frame) == EXPECTED_NETWORK
        assert list(frame["view"].cat.categories) == list(VIEWS) and frame["view"].tolist() == [view]
    for start, end in (("2016", "2019"), ("1900", "1901")):
        frame = compute_metrics(graph, view=view, level="network", by_year=True, start=start, end=end).to_dataframe()
        assert _dtypes(frame) == {"year": "Int64", **EXPECTED_NETWORK}


def test_empty_tables_keep_their_dtypes() -> None:
    frame = MetricTable(ACTOR_COLUMNS, []).to_dataframe()
    assert len(frame) == 0 and _dtypes(frame) == EXPECTED_ACTOR


def test_frame_values_are_the_table_values(graph) -> None:
    table = compute_metrics(graph, view="co-membership")
    frame = table.to_dataframe()
    for name in table.columns:
        got = [None if pd.isna(v) else v for v in frame[name].astype(object)]
        assert got == table.column(name), name
    assert frame.attrs["view"] == "co-membership"


def test_a_column_no_one_declared_is_a_measure_or_text() -> None:
    table = MetricTable(("node", "new_measure", "note", "later"), [{"node": "urn:a", "new_measure": 1, "note": "x",
                                                                   "later": None}])
    assert _dtypes(table.to_dataframe()) == {"node": "string", "new_measure": "Float64", "note": "string",
                                             "later": "Float64"}


def test_every_column_has_a_declared_type() -> None:
    for column in ACTOR_COLUMNS + PTCE_COLUMNS + ("year",) + NETWORK_COLUMNS:
        assert column in COLUMN_TYPES, f"{column}: add its type to ptce_graph/network/dtypes.py and docs/metrics.md"


def test_docs_list_the_type_of_every_column() -> None:
    """docs/metrics.md's table of column types says what COLUMN_TYPES says, column by column."""
    text = DOCS.read_text(encoding="utf-8")
    lines = text[text.index("### Column types") :].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("|"))
    documented: dict[str, str] = {}
    for line in lines[start + 2 : end]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        kind, dtype = cells[0].strip("`"), cells[1]
        assert dtype.startswith(f"`{DTYPES[kind]}`"), line
        for name in re.findall(r"`([a-z_<>]+)`", " ".join(cells[2:])):
            names = [f"members_{k.replace('-', '_')}" for k in ACTOR_KINDS] if name == "members_<kind>" else [name]
            for one in names:
                documented[one] = kind
    assert documented == COLUMN_TYPES


def test_metric_workbook_reads_back_as_the_table(graph) -> None:
    table = compute_metrics(graph, level="ptce")
    book = openpyxl.load_workbook(io.BytesIO(table.to_xlsx()))
    assert book.sheetnames == ["metrics", "about"]
    rows = list(book["metrics"].values)
    assert rows[0] == table.columns
    # an empty text (law_missing when nothing is missing) is an empty cell
    assert [list(r) for r in rows[1:]] == [[row[c] if row[c] != "" else None for c in table.columns] for row in table.rows]
    flag = book["metrics"].cell(2, table.columns.index("meets_law_composition") + 1)
    assert flag.data_type == "b" and flag.value is False  # a logical value, not the text "false"
    about = dict(list(book["about"].values)[1:])
    assert about["level"] == "ptce" and about["rows"] == str(len(table)) and about["software"].startswith("ptce-graph ")
    assert table.to_xlsx() == table.to_xlsx()


def test_metric_excel_csv_reads_back_with_decimal_commas(graph) -> None:
    table = compute_metrics(graph, view="co-membership")
    text = table.to_excel_csv()
    assert text.startswith("\ufeffnode;label;kind;degree;") and text.endswith("\r\n")
    frame = pd.read_csv(io.BytesIO(text.encode("utf-8")), sep=";", decimal=",", encoding="utf-8-sig")
    assert frame["betweenness"].tolist() == pytest.approx(table.column("betweenness"))
    assert frame["degree"].tolist() == table.column("degree")


def test_metrics_command_writes_a_workbook(graph, tmp_path: Path, capsys) -> None:
    ttl = tmp_path / "g.ttl"
    ttl.write_bytes(FIXTURE.read_bytes())
    out = tmp_path / "build" / "actors.xlsx"
    args = ["metrics", "--graph", str(ttl), "--view", "co-membership", "--format", "xlsx", "--out", str(out)]
    assert main(args) == 0
    assert f"wrote {out} (6 rows)" in capsys.readouterr().err
    book = openpyxl.load_workbook(out)
    values = list(book["metrics"].values)
    about = dict(list(book["about"].values)[1:])
    assert about["view"] == "co-membership" and about["source"].startswith("loaded ") and str(ttl) in about["source"]
    coop = next(r for r in values if r[0].endswith("/actor/coop-a"))
    assert coop[1:4] == ("Coop A", "ess-enterprise", 4) and coop[5] == pytest.approx(0.6)  # degree, betweenness
    assert main(["metrics", "--graph", str(ttl), "--format", "xlsx"]) == 2
    assert "give --out FILE.xlsx" in capsys.readouterr().err
    assert main(["metrics", "--graph", str(ttl), "--level", "ptce", "--format", "csv-excel"]) == 0
    assert capsys.readouterr().out.startswith("\ufeffptce;label;founded;")


def test_dates_in_workbooks_are_fixed(graph, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    book = openpyxl.load_workbook(io.BytesIO(compute_metrics(graph, level="network").to_xlsx()))
    assert book.properties.modified == dt.datetime(2026, 1, 1)
