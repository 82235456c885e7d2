"""Murmurations profiles: every shipped profile passes the vendored schemas (checked two ways),
the counts match the CSV files, broken profiles fail, and the folder is written whole."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import pytest
from commune_points import expected_points, vendored_points
from conftest import MINI, write_folder

from ptce_graph.check.murmurations import DEFAULT_SCHEMA, ORGANIZATIONS_SCHEMA, profile_errors
from ptce_graph.cli import main
from ptce_graph.errors import InputError
from ptce_graph.publish.murmurations import murmurations_profiles, write_murmurations
from ptce_graph.resources import murmurations_schemas_dir, shipped_data_dir

PG = "https://w3id.org/ptce-graph/id/"
ROLE = "https://w3id.org/ptce-graph/concept/role/"
PARTNERSHIP_TYPE = "https://w3id.org/ptce-graph/concept/partnership-type/"


def _rows(name: str) -> list[dict[str, str]]:
    with (shipped_data_dir() / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("m") / "murmurations"
    assert main(["export", "--format", "murmurations", "--out", str(out)]) == 0
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.iterdir())}


def test_the_vendored_files_are_the_ones_the_readme_names() -> None:
    folder = murmurations_schemas_dir()
    table = dict(re.findall(r"^\| `([^`]+)` \| `([0-9a-f]{64})` \|$", (folder / "README.md").read_text(), re.M))
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.json"))
    assert sorted(table) == files and len(files) == 30
    for name, digest in table.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    assert "GNU GENERAL PUBLIC LICENSE" in (folder / "LICENSE").read_text()


def _reference_validators() -> dict[str, object]:
    """The two schemas with jsonschema's own resolver over the vendored files, keyed by the URLs
    their ``$id`` and relative ``$ref`` give (a check independent of the package's inlining)."""
    from jsonschema import Draft7Validator, RefResolver

    folder = murmurations_schemas_dir()
    base = "https://test-library.murmurations.network/v2/"
    store = {base + str(p.relative_to(folder)): json.loads(p.read_text()) for p in folder.rglob("*.json")}
    validators = {}
    for name in (DEFAULT_SCHEMA, ORGANIZATIONS_SCHEMA):
        schema = store[f"{base}schemas/{name}.json"]
        assert schema["$id"] == f"{base}schemas/{name}"
        validators[name] = Draft7Validator(schema, resolver=RefResolver(schema["$id"], schema, store=store))
    return validators


def test_every_shipped_profile_passes_both_schemas(exported: dict[str, dict]) -> None:
    validators = _reference_validators()
    for slug, profile in exported.items():
        assert profile["linked_schemas"] == [ORGANIZATIONS_SCHEMA]
        assert profile_errors(profile) == (), slug
        for name, validator in validators.items():
            assert not list(validator.iter_errors(profile)), (slug, name)  # type: ignore[attr-defined]


def test_one_profile_per_organisation_and_one_relationship_per_row(exported: dict[str, dict]) -> None:
    ptce, actors = _rows("ptce.csv"), _rows("actors.csv")
    organisations = {r["id"] for r in ptce} | {r["id"] for r in actors if r["kind"] != "person"}
    assert set(exported) == organisations
    assert len(exported) == 442
    memberships = {(r["member"], r["role"], r["organisation"]) for r in _rows("memberships.csv")}
    partners = sum(
        len(r["partners"].split("|")) * (len(r["partners"].split("|")) - 1) for r in _rows("partnerships.csv")
    )
    counted = sum(len(p.get("relationships", [])) for p in exported.values())
    assert counted == len(memberships) + partners == 384 + 12


def test_relationships_carry_the_roles_of_memberships_csv(exported: dict[str, dict]) -> None:
    expected = sorted(ROLE + r["role"] for r in _rows("memberships.csv") if r["member"] == "groupe-archer")
    archer = exported["groupe-archer"]["relationships"]
    assert sorted(r["predicate_url"] for r in archer) == expected
    assert expected == [ROLE + "animator", ROLE + "carrying-structure", ROLE + "initiator"]
    # Pôle Sud has no homepage: its IRI is its primary URL, and the object of Archer's relationships
    assert {r["object_url"] for r in archer} == {PG + "ptce/pole-sud"} == {exported["pole-sud"]["primary_url"]}


def test_partnerships_go_both_ways_with_their_type(exported: dict[str, dict]) -> None:
    row = next(r for r in _rows("partnerships.csv") if r["id"] == "ville-de-pontchateau-reagis")
    a, b = row["partners"].split("|")
    for subject, other in ((a, b), (b, a)):
        wanted = {"predicate_url": PARTNERSHIP_TYPE + row["type"], "object_url": exported[other]["primary_url"]}
        assert wanted in exported[subject]["relationships"]


def test_every_object_is_an_exported_profile(exported: dict[str, dict]) -> None:
    primary = [p["primary_url"] for p in exported.values()]
    assert len(set(primary)) == len(primary)  # a homepage two organisations share is used by neither
    objects = {r["object_url"] for p in exported.values() for r in p.get("relationships", [])}
    assert objects <= set(primary)
    homepages = [r["homepage"] for name in ("ptce.csv", "actors.csv") for r in _rows(name) if r["homepage"]]
    alone = [h for h in homepages if homepages.count(h) == 1]
    assert len(alone) == 36  # 38 homepages, one of them (https://bou-sol.eu) given to two organisations
    assert sorted(p["primary_url"] for p in exported.values() if p["primary_url"] != p["unique_id"]) == sorted(alone)


def test_known_profile_fields(exported: dict[str, dict]) -> None:
    tetris = exported["tetris"]
    assert tetris["primary_url"] == "https://scic-tetris.org/" and tetris["unique_id"] == PG + "ptce/tetris"
    assert (tetris["locality"], tetris["region"], tetris["country_iso_3166"]) == (
        "Grasse",
        "Provence-Alpes-Côte d'Azur",
        "FR",
    )
    assert "Société coopérative d'intérêt collectif (SCIC)" in tetris["tags"]
    assert "starts_at" not in tetris  # ptce.csv gives no founding date for TETRIS
    # the representative point of Grasse, as the vendored communes.csv gives it (not TETRIS's address)
    assert tetris["geolocation"] == {"lat": 43.656, "lon": 6.932}
    assert (tetris["geolocation"]["lat"], tetris["geolocation"]["lon"]) == vendored_points()["06069"]
    for field in ("email", "telephone", "contact_details", "full_address", "latitude", "longitude"):
        assert all(field not in p for p in exported.values())


def test_the_profiles_with_a_geolocation_are_those_with_one_commune(
    exported: dict[str, dict], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Counted from the CSV files and the vendored communes.csv (see ``tests/commune_points.py``);
    every such profile passed both schemas above."""
    expected = {iri: {"lat": lat, "lon": lon} for iri, (_, lat, lon) in expected_points().items()}
    found = {p["unique_id"]: p["geolocation"] for p in exported.values() if "geolocation" in p}
    assert found == expected and len(found) == 97
    assert all("locality" in p for p in exported.values() if "geolocation" in p)
    assert "geolocation" not in exported["ptce-du-pays-d-ancenis"]  # an EPCI and a département
    assert "geolocation" not in exported["tera"]  # three communes
    out = tmp_path / "m"
    assert main(["export", "--format", "murmurations", "--out", str(out)]) == 0
    assert "396 relationships, 97 with the point of their commune" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"name": "x" * 201}, "/name"),
        (
            {"relationships": [{"predicate_url": ROLE + "member", "object_url": "pole-sud"}]},
            "/relationships/0/object_url",
        ),
        ({"relationships": [{"predicate_url": ROLE + "member"}]}, "/relationships/0"),
        ({"tags": []}, "/tags"),
        ({"linked_schemas": []}, "/linked_schemas"),
        ({"Name": "capital letters are refused by the default schema"}, "(profile)"),
        ({"geolocation": {"lat": 45.055}}, "/geolocation"),  # lon is required
        ({"geolocation": {"lat": 95.0, "lon": 5.038}}, "/geolocation/lat"),
    ],
)
def test_a_broken_profile_fails(change: dict, where: str) -> None:
    profile = {**murmurations_profiles()["pole-sud"], **change}
    errors = profile_errors(profile)
    assert errors and all(f": {where}: " in e for e in errors), errors


def test_a_profile_without_name_fails_the_organizations_schema_only() -> None:
    profile = dict(murmurations_profiles()["pole-sud"])
    del profile["name"]
    assert profile_errors(profile) == ("organizations_schema-v1.0.0: (profile): 'name' is a required property",)


def test_a_label_too_long_for_the_index_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = dict(MINI)
    files["actors.csv"] = files["actors.csv"].replace("Coop A", "Coop " + "A" * 200)
    data = write_folder(tmp_path / "data", files)
    out = tmp_path / "profiles"
    assert main(["export", "--graph", str(data), "--format", "murmurations", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "1 Murmurations profile(s) would be refused by the index; nothing was written" in err
    assert "coop-a.json: default-v2.1.0: /name: the value 'Coop AAAA" in err
    assert "(205 characters) fails maxLength 200" in err
    assert not out.exists()


def test_the_folder_is_replaced_whole_and_must_hold_profiles_only(tmp_path: Path) -> None:
    data = write_folder(tmp_path / "data", MINI)
    out = tmp_path / "profiles"
    done = write_murmurations(data, out)
    assert (done.profiles, done.relationships) == (4, 3)
    assert sorted(p.name for p in out.iterdir()) == ["agglo.json", "coop-a.json", "firm-b.json", "pole-test.json"]
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    (out / "gone.json").write_text(json.dumps({"linked_schemas": [ORGANIZATIONS_SCHEMA], "name": "Gone"}))
    write_murmurations(data, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first  # same bytes, the stale profile removed
    (out / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match=r"holds 'notes\.txt', which is not a Murmurations profile"):
        write_murmurations(data, out)
    assert (out / "notes.txt").read_text() == "mine"
