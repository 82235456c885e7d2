"""Loading the CSV templates: IRIs, territories, typed values, and every kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINI, write_folder
from rdflib import Literal
from rdflib.namespace import DCAT, RDF, RDFS, XSD

from ptce_graph.errors import InputError
from ptce_graph.io.ingest import load_folders
from ptce_graph.model.namespaces import GEO, IGEO, ORG, PG, PTCE, concept


def test_mini_folder_mints_iris_from_ids(mini_folder: Path) -> None:
    g = load_folders([mini_folder])
    ptce = PG["ptce/pole-test"]
    assert (ptce, RDF.type, PTCE.PTCE) in g
    assert (ptce, RDFS.label, Literal("Pôle Test", lang="fr")) in g
    membership = PG["membership/m2"]
    assert (membership, ORG.member, PG["actor/firm-b"]) in g
    assert (membership, ORG.role, concept("role", "member")) in g
    assert (ptce, ORG.hasMember, PG["actor/firm-b"]) in g
    period = g.value(membership, ORG.memberDuring)
    assert str(period) == str(membership) + "#period"
    assert g.value(period, DCAT.startDate) == Literal("2016", datatype=XSD.gYear)
    assert g.value(period, DCAT.endDate) == Literal("2019", datatype=XSD.gYear)
    assert not any(isinstance(t, type(None)) for triple in g for t in triple)


def test_territories_are_resolved_from_the_cog(mini_folder: Path) -> None:
    g = load_folders([mini_folder])
    commune = PG["territory/commune/26281"]
    assert g.value(commune, RDFS.label) == Literal("Romans-sur-Isère", lang="fr")
    assert g.value(commune, IGEO.codeINSEE) == Literal("26281")
    assert (commune, GEO.sfWithin, PG["territory/departement/26"]) in g
    assert (commune, GEO.sfWithin, PG["territory/epci/200068781"]) in g
    assert (PG["territory/departement/26"], GEO.sfWithin, PG["territory/region/84"]) in g
    # all 18 régions and 101 départements, each with its code and COG year
    regions = set(g.subjects(RDF.type, PTCE.Region))
    departements = set(g.subjects(RDF.type, PTCE.Departement))
    assert len(regions) == 18 and len(departements) == 101
    assert all(g.value(t, PTCE.cogYear) == Literal("2026", datatype=XSD.gYear) for t in regions | departements)


def test_same_input_same_graph(mini_folder: Path) -> None:
    from rdflib.compare import isomorphic

    assert isomorphic(load_folders([mini_folder]), load_folders([mini_folder]))


def _problems(tmp_path: Path, replace: dict[str, str]) -> list[str]:
    folder = write_folder(tmp_path / "bad", {**MINI, **replace})
    with pytest.raises(InputError) as info:
        load_folders([folder])
    return [str(p) for p in info.value.problems]


def test_bad_siren_names_file_line_and_column(tmp_path: Path) -> None:
    actors = MINI["actors.csv"].replace("200068781,,,,,epci", "200068782,,,,,epci")
    problems = _problems(tmp_path, {"actors.csv": actors})
    assert len(problems) == 1
    assert problems[0].endswith("actors.csv:4: column 'siren': '200068782' is not a valid SIREN: "
                                "9 digits with a valid Luhn check digit")


@pytest.mark.parametrize("cell, fragment", [
    ("vingt", "'vingt' is not a date"),
    ("2015-02-30", "not a calendar date"),
])
def test_bad_dates(tmp_path: Path, cell: str, fragment: str) -> None:
    ptce = MINI["ptce.csv"].replace(",2015,association", f",{cell},association")
    problems = _problems(tmp_path, {"ptce.csv": ptce})
    assert any("ptce.csv:2: column 'founded'" in p and fragment in p for p in problems), problems


def test_end_before_start_and_mixed_precision(tmp_path: Path) -> None:
    members = MINI["memberships.csv"].replace("2016,2019", "2019,2016").replace("m1,pole-test,coop-a,carrying-structure,2015,",
                                                                                "m1,pole-test,coop-a,carrying-structure,2015,2016-03-01")
    problems = _problems(tmp_path, {"memberships.csv": members})
    assert any(":3: column 'end': end '2016' is before start '2019'" in p for p in problems), problems
    assert any(":2: column 'end'" in p and "same precision" in p for p in problems), problems


def test_unknown_reference_code_and_territory(tmp_path: Path) -> None:
    members = MINI["memberships.csv"].replace("m2,pole-test,firm-b,member", "m2,pole-test,firm-z,chairman")
    ptce = MINI["ptce.csv"].replace("commune:26281", "commune:75118|region:99")
    problems = _problems(tmp_path, {"memberships.csv": members, "ptce.csv": ptce})
    text = "\n".join(problems)
    assert "memberships.csv:3: column 'member': 'firm-z' is not an id of ptce or actors" in text
    assert "memberships.csv:3: column 'role': unknown role code 'chairman'" in text
    assert "75118 (Paris 18e Arrondissement) is a municipal arrondissement of 75056 (Paris); use commune:75056" in text
    assert "no région 99 in the INSEE COG 2026" in text


def test_merged_commune_gets_a_hint(tmp_path: Path) -> None:
    # Rignat (01324) became an associated commune of Bohas-Meyriat-Rignat (01245) on 2026-01-01
    ptce = MINI["ptce.csv"].replace("commune:26281", "commune:01324")
    problems = _problems(tmp_path, {"ptce.csv": ptce})
    assert any("01324" in p and "commune:01245" in p for p in problems), problems


def test_duplicate_ids_and_bad_slugs(tmp_path: Path) -> None:
    actors = MINI["actors.csv"] + "coop-a,Again,,enterprise,,,,,,,,,,,,,,src-a\nBad Id,X,,enterprise,,,,,,,,,,,,,,src-a\n"
    problems = _problems(tmp_path, {"actors.csv": actors})
    assert any(":5: column 'id': duplicate id 'coop-a' (first at" in p for p in problems)
    assert any(":6: column 'id': 'Bad Id' is not a valid id" in p for p in problems)


def test_unknown_and_missing_columns_and_files(tmp_path: Path) -> None:
    problems = _problems(tmp_path, {
        "sources.csv": MINI["sources.csv"].replace("note\n", "note,colour\n").replace(",web-page,\n", ",web-page,,red\n"),
        "actor.csv": "id\n",
    })
    assert any("sources.csv:1: unknown column(s) 'colour'" in p for p in problems)
    assert any("actor.csv: unknown template 'actor.csv'" in p for p in problems)


def test_row_without_source_is_reported(tmp_path: Path) -> None:
    actors = MINI["actors.csv"].replace("firm-b,Firm B,,enterprise,,,,,,,,,,,,,,src-a",
                                        "firm-b,Firm B,,enterprise,,,,,,,,,,,,,,")
    problems = _problems(tmp_path, {"actors.csv": actors})
    assert any("actors.csv:3: column 'sources': every row needs at least one source" in p for p in problems)


def test_spreadsheet_exports_semicolon_bom_cp1252(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "excel", MINI)
    for name in ("ptce.csv", "actors.csv"):
        text = (folder / name).read_text(encoding="utf-8").replace(",", ";").replace("\n", "\r\n")
        encoding = "cp1252" if name == "ptce.csv" else "utf-8-sig"
        (folder / name).write_bytes(text.encode(encoding))
    g = load_folders([folder])
    assert g.value(PG["ptce/pole-test"], RDFS.label) == Literal("Pôle Test", lang="fr")


def test_wrong_cell_count_is_reported(tmp_path: Path) -> None:
    actors = MINI["actors.csv"] + "short,row\n"
    problems = _problems(tmp_path, {"actors.csv": actors})
    assert any("actors.csv:5: 2 cells where the header has 18" in p for p in problems)


def test_empty_binary_and_missing(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "junk", MINI)
    (folder / "fundings.csv").write_bytes(b"")
    (folder / "supports.csv").write_bytes(b"\x00\x01\x02PK\x03\x04")
    with pytest.raises(InputError) as info:
        load_folders([folder])
    text = str(info.value)
    assert "fundings.csv:1: empty file" in text
    assert "supports.csv: binary content" in text
    with pytest.raises(InputError, match="data folder not found"):
        load_folders([tmp_path / "nowhere"])


def test_malformed_turtle_in_a_data_folder(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "ttl", {**MINI, "extra.ttl": "@prefix ex: <urn:ex:> .\nex:a ex:b \"unterminated .\n"})
    with pytest.raises(InputError) as info:
        load_folders([folder])
    assert "extra.ttl" in str(info.value) and "invalid Turtle" in str(info.value)


def test_nfd_text_is_normalised(tmp_path: Path) -> None:
    ptce = MINI["ptce.csv"].replace("Pôle Test", "Po\u0302le Test")
    folder = write_folder(tmp_path / "nfd", {**MINI, "ptce.csv": ptce})
    g = load_folders([folder])
    assert g.value(PG["ptce/pole-test"], RDFS.label) == Literal("Pôle Test", lang="fr")


def test_each_required_cell_is_reported_once_when_empty(tmp_path: Path) -> None:
    memberships = MINI["memberships.csv"].replace("m2,pole-test,firm-b,member", "m2,,,member")
    ptce = MINI["ptce.csv"].replace("pole-test,Pôle Test,", "pole-test,,")
    sources = MINI["sources.csv"].replace("src-a,https://example.org/a,", "src-a,,")
    problems = _problems(tmp_path, {"memberships.csv": memberships, "ptce.csv": ptce, "sources.csv": sources})
    empty = [p for p in problems if p.endswith("required value is empty")]
    assert sorted(empty) == sorted(
        f"{tmp_path / 'bad' / name}:{line}: column '{column}': required value is empty"
        for name, line, column in [
            ("memberships.csv", 3, "organisation"),
            ("memberships.csv", 3, "member"),
            ("ptce.csv", 2, "label"),
            ("sources.csv", 2, "url"),
        ]
    )
