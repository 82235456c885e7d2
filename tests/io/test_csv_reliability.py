"""The CSV reader on what spreadsheets and copy-paste produce: one file in two encodings, a
cell of thousands of digits, a table of more rows than a build can hold."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from conftest import MINI, write_folder
from rdflib import Literal
from rdflib.namespace import RDFS

from ptce_graph.errors import InputError, Problem, shown
from ptce_graph.io import ingest
from ptce_graph.io.ingest import load_folders
from ptce_graph.io.tables import _utf8_text
from ptce_graph.model.namespaces import PG

#: MINI with a row in every table that holds a number, a date or an identifier.
FULL = {
    **MINI,
    "support_schemes.csv": "id,label,alt_labels,kind,is_national_call,part_of,operators,start,end,budget_eur,"
    "applications,laureates,description,confidence,confidence_note,note,sources\n"
    "call-a,Appel A,,call-for-projects,yes,,,2013,2014,3000000,180,23,,,,,src-a\n",
    "fundings.csv": "id,funder,recipient,programme,amount_eur,start,end,confidence,confidence_note,note,sources\n"
    "f1,agglo,pole-test,call-a,5000,2015,2016,,,,src-a\n",
    "laureates.csv": "id,call,laureate,date,phase,amount_eur,confidence,confidence_note,note,sources\n"
    "l1,call-a,pole-test,2014,,1000,,,,src-a\n",
    "mutualised_resources.csv": "id,label,type,shared_by,operated_by,located_in,area_m2,start,end,confidence,"
    "confidence_note,note,sources\n"
    "mr1,Local,premises,pole-test,coop-a,commune:26281,400,2014,,,,,src-a\n",
    "resources.csv": "id,title,type,publishers,publisher_note,issued,urls,about,description,confidence,"
    "confidence_note,note,sources\n"
    "r1,Guide,guide,agglo,,2015,https://example.org/r,pole-test,,,,,src-a\n",
}


def _with_cell(table: str, column: str, value: str) -> dict[str, str]:
    """FULL with the first row's ``column`` of ``table`` set to ``value``."""
    reader = csv.DictReader(io.StringIO(FULL[table]))
    rows = list(reader)
    rows[0][column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return {**FULL, table: out.getvalue()}


# -- shown ----------------------------------------------------------------------------------
def test_shown_keeps_short_values_and_elides_long_ones() -> None:
    assert shown("") == "''"
    assert shown("x" * 60) == "'" + "x" * 60 + "'"
    long = "1" + "9" * 4998 + "2"
    assert shown(long) == "'1" + "9" * 29 + "…" + "9" * 29 + "2' (5,000 characters)"
    assert shown(long, limit=5) == "'199…92' (5,000 characters)"
    assert shown("é" * 61, limit=4) == "'éé…éé' (61 characters)"


def test_the_full_fixture_is_valid(tmp_path: Path) -> None:
    load_folders([write_folder(tmp_path / "full", FULL)])


NUMERIC_CELLS = [
    ("ptce.csv", "founded"),
    ("actors.csv", "founded"),
    ("actors.csv", "siren"),
    ("actors.csv", "siret"),
    ("actors.csv", "rna"),
    ("actors.csv", "based_in"),
    ("memberships.csv", "start"),
    ("memberships.csv", "end"),
    ("sources.csv", "date"),
    ("support_schemes.csv", "start"),
    ("support_schemes.csv", "end"),
    ("support_schemes.csv", "budget_eur"),
    ("support_schemes.csv", "applications"),
    ("support_schemes.csv", "laureates"),
    ("fundings.csv", "amount_eur"),
    ("fundings.csv", "start"),
    ("laureates.csv", "date"),
    ("laureates.csv", "amount_eur"),
    ("mutualised_resources.csv", "area_m2"),
    ("resources.csv", "issued"),
]


@pytest.mark.parametrize(("table", "column"), NUMERIC_CELLS, ids=[f"{t}:{c}" for t, c in NUMERIC_CELLS])
def test_a_cell_of_5000_digits_is_one_short_problem(table: str, column: str, tmp_path: Path) -> None:
    """Python's int() refuses more than 4,300 digits, Decimal rounds past 28: neither may crash
    the read or pass silently, and the message shows the value elided, with its length."""
    digits = "9" * 5000
    value = f"commune:{digits}" if column == "based_in" else digits
    with pytest.raises(InputError) as info:
        load_folders([write_folder(tmp_path / "data", _with_cell(table, column, value))])
    mine = [p for p in info.value.problems if p.file.endswith(table) and p.column == column]
    assert len(mine) == 1, info.value.problems
    text = str(mine[0])
    assert f"({len(value):,} characters)" in text and "…" in text
    assert len(text) < 400, text
    assert all(len(line) < 400 for line in str(info.value).splitlines())


def test_a_29_digit_amount_is_refused_and_a_28_digit_one_kept(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is too long a number"):
        load_folders([write_folder(tmp_path / "a", _with_cell("fundings.csv", "amount_eur", "1" * 29))])
    load_folders([write_folder(tmp_path / "b", _with_cell("fundings.csv", "amount_eur", "1" * 27 + ".5"))])


def test_long_values_are_elided_in_correction_messages(tmp_path: Path) -> None:
    long = "z" * 3000
    corrections = f"id,table,row,column,old_value,new_value,sources,note\nc1,actors,{long},label,,X,src-a,\n"
    folder = write_folder(tmp_path / "data", {**MINI, "corrections.csv": corrections})
    with pytest.raises(InputError) as info:
        load_folders([folder])
    assert any("(3,000 characters)" in str(p) and len(str(p)) < 400 for p in info.value.problems)


# -- mixed encodings ------------------------------------------------------------------------
def _mixed_actors(first: str, second: str) -> bytes:
    lines = MINI["actors.csv"].splitlines()
    return (
        (lines[0] + "\n").encode()
        + lines[1].replace("Coop A", "Société A").encode(first)
        + b"\n"
        + lines[2].replace("Firm B", "Société B").encode(second)
        + b"\n"
        + (lines[3] + "\n").encode()
    )


@pytest.mark.parametrize(
    ("first", "second", "cp1252_line", "utf8_line"),
    [
        ("cp1252", "utf-8", 2, 3),
        ("utf-8", "cp1252", 3, 2),
    ],
)
def test_a_file_mixing_windows_1252_and_utf_8_is_refused(
    first: str, second: str, cp1252_line: int, utf8_line: int, tmp_path: Path
) -> None:
    folder = write_folder(tmp_path / "data", MINI)
    (folder / "actors.csv").write_bytes(_mixed_actors(first, second))
    with pytest.raises(InputError) as info:
        load_folders([folder])
    assert [str(p) for p in info.value.problems] == [
        str(
            Problem(
                str(folder / "actors.csv"),
                f"mixed encodings: this line is Windows-1252 (byte 0xe9, 'é') but line {utf8_line} is UTF-8 "
                "('é' as bytes c3 a9), as when rows are pasted from different spreadsheets: save the file as "
                '"CSV UTF-8" and check the accents of those rows',
                line=cp1252_line,
            )
        )
    ]


#: French text as Windows-1252 spreadsheets write it, with what could look like UTF-8: an accented
#: capital or letter before a closing quote, an ellipsis or a no-break space, the euro sign, œ.
GENUINE_CP1252 = [
    "Société coopérative d’intérêt collectif « L’Œuvre »",
    "CAFÉ…",
    "L’ÉTÉ”",
    "« SOLIDARITÉ\xa0»",
    "le café\xa0» coûte 5\xa0€",
    "Cœur de Bourgogne – Pôle émergent",
    "ÉCO’SOLIDAIRE",
    "NOËL «\xa0fêté\xa0»",
    "À bientôt — ça coûte 12,50 €",
    "Maïté Ñuñez Ågren",
    "“Économie” ‘sociale’ • ™ ‰",
    "ÇA ÉTÉ ÉVALUÉ",
]


def test_genuine_windows_1252_french_text_is_read_as_such(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "data", MINI)
    lines = MINI["actors.csv"].splitlines()
    rows = [f'a{i},"{label}",,enterprise,,,,,,,,,,,,,,src-a' for i, label in enumerate(GENUINE_CP1252)]
    (folder / "actors.csv").write_bytes("\r\n".join([*lines, *rows, ""]).encode("cp1252"))
    graph = load_folders([folder])
    for i, label in enumerate(GENUINE_CP1252):
        assert graph.value(PG[f"actor/a{i}"], RDFS.label) == Literal(label.strip(), lang="fr")


@pytest.mark.parametrize("text", GENUINE_CP1252)
def test_accidental_utf_8_sequences_of_windows_1252_text_are_not_counted(text: str) -> None:
    assert _utf8_text(text.encode("cp1252")) is None


@pytest.mark.parametrize("char", ["é", "è", "à", "ç", "œ", "Œ", "€", "’", "«", "°", "É", "ô"])
def test_any_accent_of_a_utf_8_row_gives_it_away(char: str) -> None:
    raw = "Société A\n".encode("cp1252") + f"x{char}y\n".encode()
    assert _utf8_text(raw) == (11, char)


def test_ascii_rows_beside_windows_1252_ones_are_fine(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "data", MINI)
    (folder / "actors.csv").write_bytes(MINI["actors.csv"].replace("Coop A", "Société A").encode("cp1252"))
    assert load_folders([folder]).value(PG["actor/coop-a"], RDFS.label) == Literal("Société A", lang="fr")


def test_references_into_a_refused_file_add_no_line_each(tmp_path: Path) -> None:
    """memberships.csv points at actors.csv, refused as a whole: one message, not one per row."""
    folder = write_folder(tmp_path / "data", MINI)
    (folder / "actors.csv").write_bytes(_mixed_actors("cp1252", "utf-8"))
    with pytest.raises(InputError) as info:
        load_folders([folder])
    assert [p.file.rsplit("/", 1)[-1] for p in info.value.problems] == ["actors.csv"]


# -- the row bound --------------------------------------------------------------------------
def _memberships(count: int) -> str:
    members = ("coop-a", "firm-b", "agglo")
    return MINI["memberships.csv"] + "".join(
        f"mx{i},pole-test,{members[i % 3]},member,2015,,,,,src-a\n" for i in range(count)
    )


def test_the_bound_is_documented() -> None:
    errors = (Path(__file__).parents[2] / "docs" / "errors.md").read_text(encoding="utf-8")
    assert f"{ingest.MAX_ROWS:,} rows" in errors and ingest.MAX_ROWS_VARIABLE in errors
    assert ingest.max_rows() == ingest.MAX_ROWS or ingest.MAX_ROWS_VARIABLE in os.environ


def test_a_table_past_the_row_bound_is_refused_before_its_rows_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ingest.MAX_ROWS_VARIABLE, "50")
    folder = write_folder(tmp_path / "data", {**MINI, "memberships.csv": _memberships(100)})
    with pytest.raises(InputError) as info:
        load_folders([folder])
    assert [str(p) for p in info.value.problems] == [
        f"{folder / 'memberships.csv'}: 103 rows, after 3 rows of other tables: ptce-graph reads at most 50 rows "
        "in all, as it holds the graph in memory (see Limits in docs/errors.md; PTCE_GRAPH_MAX_ROWS sets another "
        "bound): nothing was read from this file"
    ]


@pytest.mark.parametrize("extra, accepted", [(42, True), (43, False)])
def test_the_bound_counts_the_rows_of_every_table(
    extra: int, accepted: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MINI has 8 rows (1 source, 1 PTCE, 3 actors, 3 memberships): 8 + 42 is the bound of 50."""
    monkeypatch.setenv(ingest.MAX_ROWS_VARIABLE, "50")
    folder = write_folder(tmp_path / "data", {**MINI, "memberships.csv": _memberships(extra)})
    if accepted:
        assert len(load_folders([folder])) > 0
        return
    with pytest.raises(InputError, match=r"sources.csv: 1 row, after 50 rows of other tables") as info:
        load_folders([folder])
    assert len(info.value.problems) == 1  # the rows that point at sources.csv add no line each


def test_rows_spanning_lines_are_counted_as_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A note over three lines is one row: the bound is on rows, not lines."""
    monkeypatch.setenv(ingest.MAX_ROWS_VARIABLE, "28")  # 23 actors, 3 memberships, 1 PTCE, 1 source
    rows = "".join(f'a{i},A {i},,enterprise,,,,,,,,,,,,,"line one\nline two\nline three",src-a\n' for i in range(20))
    folder = write_folder(tmp_path / "data", {**MINI, "actors.csv": MINI["actors.csv"] + rows})
    assert len(load_folders([folder])) > 0
    monkeypatch.setenv(ingest.MAX_ROWS_VARIABLE, "22")
    with pytest.raises(InputError, match=r"actors.csv: 23 rows: ptce-graph reads at most 22 rows"):
        load_folders([folder])


@pytest.mark.parametrize("value", ["0", "-5", "lots", "1e6", "٣٠٠"])
def test_a_bad_bound_in_the_environment_is_an_input_error(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ingest.MAX_ROWS_VARIABLE, value)
    with pytest.raises(InputError, match=r"PTCE_GRAPH_MAX_ROWS=.* is not a positive whole number of rows"):
        ingest.max_rows()
