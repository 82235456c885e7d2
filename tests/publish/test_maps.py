"""The map of France, the located PTCEs and actors, the GeoJSON export: known answers from the CSV."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from ptce_graph.cli import main
from ptce_graph.errors import InputError
from ptce_graph.model.geo import geo_reference
from ptce_graph.publish.geojson import geojson_bytes, write_geojson
from ptce_graph.publish.geometry import commune_points, shapes
from ptce_graph.publish.maps import draw_map, map_classes
from ptce_graph.publish.places import locate
from ptce_graph.resources import geo_reference_dir, shipped_data_dir

PG = "https://w3id.org/ptce-graph/id/"


def _rows(name: str) -> list[dict[str, str]]:
    with (shipped_data_dir() / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _regions_of(code: str, others: dict[str, str]) -> set[str]:
    """The régions of a territory code of the CSV, from the INSEE and BANATIC files alone."""
    ref = geo_reference()
    scheme, _, value = code.partition(":")
    if scheme == "commune":
        return {ref.communes[value].region}
    if scheme == "departement":
        return {ref.region_of_departement[value]}
    if scheme == "region":
        return {value}
    if scheme == "epci":
        region = ref.epci_within(value)[1]
        return {region} if region else set()
    return set().union(*(_regions_of(c, others) for c in others[value].split("|") if c))


@pytest.fixture(scope="module")
def places(shipped_graph: object):  # type: ignore[no-untyped-def]
    return locate(shipped_graph)  # type: ignore[arg-type]


def test_vendored_shapes_match_the_insee_codes() -> None:
    with (geo_reference_dir() / "regions.csv").open(encoding="utf-8") as handle:
        regions = {r["REG"]: r["LIBELLE"] for r in csv.DictReader(handle)}
    with (geo_reference_dir() / "departements.csv").open(encoding="utf-8") as handle:
        departements = {d["DEP"]: d["LIBELLE"] for d in csv.DictReader(handle)}
    assert len(regions) == 18 and len(departements) == 101
    assert set(shapes("region")) == set(regions)
    assert set(shapes("departement")) == set(departements)
    assert {c: s.name for c, s in shapes("region").items()} == regions


def test_commune_points_cover_the_cog_but_eleven_newer_communes() -> None:
    ref = geo_reference()
    missing = sorted(set(ref.communes) - set(commune_points()))
    assert missing == ["12218", "14581", "14666", "15031", "15035", "15047", "15171", "49126", "69114", "85165",
                       "85212"]
    inside = sum(
        shapes("departement")[c.departement].contains(*commune_points()[code])
        for code, c in ref.communes.items()
        if code in commune_points()
    )
    assert len(ref.communes) - len(missing) - inside == 18  # within about 1 km of a simplified border


def test_ptces_per_region_match_the_csv(places) -> None:  # type: ignore[no-untyped-def]
    others = {r["id"]: r["within"] for r in _rows("territories.csv")}
    expected: Counter[str] = Counter()
    for row in _rows("ptce.csv"):
        for region in set().union(*(_regions_of(c, others) for c in row["territories"].split("|") if c)):
            expected[region] += 1
    assert places.counts("region") == dict(sorted(expected.items()))
    assert len(places.ptces()) == len(_rows("ptce.csv")) == 107


def test_points_are_the_communes_of_the_csv(places, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    points = commune_points()
    expected = {
        (PG + "ptce/" + row["id"], code.split(":")[1])
        for row in _rows("ptce.csv")
        for code in row["territories"].split("|")
        if code.startswith("commune:") and code.split(":")[1] in points
    }
    drawn = draw_map(places, tmp_path / "map.svg")
    assert {(iri, commune) for iri, commune, _, _ in drawn.points} == expected
    assert len(drawn.points) == len(expected) == 51
    assert draw_map(places, tmp_path / "bare.svg", points=False).points == ()
    for _iri, commune, lon, lat in drawn.points:
        assert (lon, lat) == points[commune]


def test_map_by_departement_counts_ptces_within_one(places, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    drawn = draw_map(places, tmp_path / "dep.png", level="departement", lang="fr")
    assert drawn.path.read_bytes().startswith(b"\x89PNG")
    assert sum(drawn.counts.values()) >= drawn.placed == 107 - places.unplaced("departement")
    assert drawn.counts["974"] == 6 and drawn.counts["31"] == 5  # La Réunion, Haute-Garonne
    svg = draw_map(places, tmp_path / "dep.svg", level="departement", lang="fr").path.read_text(encoding="utf-8")
    assert "PTCE par département" in svg and "Licence Ouverte" in svg


def test_map_refuses_bad_levels_and_formats(places, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match="unknown map level 'commune'"):
        draw_map(places, tmp_path / "m.svg", level="commune")
    with pytest.raises(InputError, match=r"cannot draw to '\.jpg'"):
        draw_map(places, tmp_path / "m.jpg")
    assert not list(tmp_path.iterdir())


def test_map_classes_cover_every_count() -> None:
    for top in range(1, 60):
        classes = map_classes(top)
        covered = [n for low, high in classes for n in range(low, high + 1)]
        assert covered == list(range(1, top + 1)) and len(classes) <= 5


def test_cli_map(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "regions.pdf"
    assert main(["map", "--out", str(target)]) == 0
    assert target.read_bytes().startswith(b"%PDF-")
    assert "107 of 107 PTCEs placed by region" in capsys.readouterr().err


# -- GeoJSON ------------------------------------------------------------------------------------
def test_geojson_is_a_sorted_feature_collection_of_the_located(places, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, count = write_geojson(places, tmp_path / "ptce.geojson")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == count
    ids = [f["id"] for f in doc["features"]]
    ptces = [i for i in ids if i.startswith(PG + "ptce/")]
    assert ids == sorted(ptces) + sorted(set(ids) - set(ptces)) and len(set(ids)) == len(ids)
    # known answer: PTCEs with a commune territory and actors based in a commune, from the CSV
    points = commune_points()
    actors = {PG + "actor/" + r["id"] for r in _rows("actors.csv")
              if r["based_in"].startswith("commune:") and r["based_in"].split(":")[1] in points}
    located_ptces = {PG + "ptce/" + r["id"] for r in _rows("ptce.csv")
                     if any(c.startswith("commune:") and c.split(":")[1] in points for c in r["territories"].split("|"))}
    assert set(ptces) == located_ptces and len(ptces) == 49  # 51 points: two PTCEs have two communes each
    assert set(ids) - set(ptces) == actors
    for f in doc["features"]:
        geometry = f["geometry"]
        assert geometry["type"] in ("Point", "MultiPoint")
        coordinates = [geometry["coordinates"]] if geometry["type"] == "Point" else geometry["coordinates"]
        assert len(coordinates) == len(f["properties"]["communes"])
        for lon, lat in coordinates:
            assert -62 < lon < 56 and -22 < lat < 52  # metropolitan France and the overseas départements
        assert set(f["properties"]) >= {"label", "kind", "communes", "departements", "regions", "sources"}
        assert ("members" in f["properties"]) == (f["properties"]["kind"] == "ptce")


def test_geojson_round_trips_and_is_stable(places) -> None:  # type: ignore[no-untyped-def]
    data = geojson_bytes(places)
    assert data == geojson_bytes(places)
    back = {f["id"]: f for f in json.loads(data)["features"]}
    for place in places.located():
        feature = back[place.iri]
        assert feature["properties"]["label"] == place.label
        assert tuple(feature["properties"]["communes"]) == place.communes
        assert tuple(feature["properties"]["sources"]) == place.sources
    pole_sud = back[PG + "ptce/pole-sud"]
    assert pole_sud["geometry"] == {"type": "Point", "coordinates": list(commune_points()["26281"])}
    assert pole_sud["properties"]["members"] == 8  # its bar in the composition chart


def test_cli_export_geojson(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    by_name = tmp_path / "ptce.geojson"
    assert main(["export", "--out", str(by_name)]) == 0
    by_format = tmp_path / "ptce.json"
    assert main(["export", "--format", "geojson", "--out", str(by_format)]) == 0
    assert by_name.read_bytes() == by_format.read_bytes()
    assert "located PTCEs and actors" in capsys.readouterr().err
    assert main(["export", "--format", "geojson", "--view", "ptce", "--out", str(tmp_path / "x.geojson")]) == 2
