"""GoGoCarto elements: the fields its import reads, categories from the SKOS schemes, ids that
name the graph's nodes, and known answers from the CSV files and the COG."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from commune_points import expected_points, vendored_points
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from ptce_graph.cli import main
from ptce_graph.resources import geo_reference_dir, root, shipped_data_dir

PG = "https://w3id.org/ptce-graph/id/"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("g") / "gogocarto.json"
    assert main(["export", "--format", "gogocarto", "--out", str(out)]) == 0
    return out, json.loads(out.read_text(encoding="utf-8"))


def test_the_import_fields_are_there_and_nothing_is_invented(written: tuple[Path, dict]) -> None:
    _, document = written
    assert list(document) == ["data"]
    elements = document["data"]
    assert [e["id"] for e in elements] == sorted(e["id"] for e in elements)
    for e in elements:
        assert e["name"] and e["categories"] and e["source"] == "ptce-graph"
        assert not {"latitude", "longitude", "email", "telephone"} & set(e)
        assert set(e.get("address", {})) <= {"addressLocality", "addressCountry"}
        assert set(e.get("geo", {"latitude": 0, "longitude": 0})) == {"latitude", "longitude"}
        assert "geo" not in e or "addressLocality" in e["address"]  # a point only with its commune
    assert sum(1 for e in elements if "addressLocality" in e.get("address", {})) == 97


def test_ids_round_trip_to_the_rows_and_the_graph(written: tuple[Path, dict], shipped_graph) -> None:
    _, document = written
    ptce, actors = _rows(shipped_data_dir() / "ptce.csv"), _rows(shipped_data_dir() / "actors.csv")
    expected = {PG + "ptce/" + r["id"]: r["label"] for r in ptce}
    expected |= {PG + "actor/" + r["id"]: r["label"] for r in actors if r["kind"] != "person"}
    assert {e["id"]: e["name"] for e in document["data"]} == expected
    for e in document["data"]:
        assert (URIRef(e["id"]), RDFS.label, Literal(e["name"], lang="fr")) in shipped_graph


def test_categories_are_labels_of_the_ontologys_concepts(written: tuple[Path, dict]) -> None:
    _, document = written
    onto = Graph()
    for path in sorted((root() / "ontology" / "schemes").glob("*.ttl")):
        onto.parse(path)
    labels = {str(o) for o in onto.objects(None, SKOS.prefLabel) if isinstance(o, Literal) and o.language == "fr"}
    ptce_label = "Pôle territorial de coopération économique (PTCE)"
    assert {c for e in document["data"] for c in e["categories"]} <= labels | {ptce_label}
    ptce = [e for e in document["data"] if "/ptce/" in e["id"]]
    assert len(ptce) == 107 and all(ptce_label in e["categories"] for e in ptce)


def test_known_element(written: tuple[Path, dict]) -> None:
    _, document = written
    tetris = next(e for e in document["data"] if e["id"] == PG + "ptce/tetris")
    row = next(r for r in _rows(shipped_data_dir() / "ptce.csv") if r["id"] == "tetris")
    commune = next(
        r for r in _rows(geo_reference_dir() / "communes.csv") if r["COM"] == "06069" and r["TYPECOM"] == "COM"
    )
    assert "commune:06069" in row["territories"].split("|")
    assert tetris["address"] == {"addressLocality": commune["LIBELLE"], "addressCountry": "FR"}
    assert tetris["website"] == row["homepage"] == "https://scic-tetris.org/"
    assert tetris["departement"] == "Alpes-Maritimes" and "founded" not in tetris
    # the representative point of Grasse, as the vendored communes.csv gives it (not TETRIS's address)
    assert (tetris["geo"]["latitude"], tetris["geo"]["longitude"]) == vendored_points()["06069"] == (43.656, 6.932)
    # 7 sectors, the legal form and 2 cooperation modes, and the PTCE class
    assert len(row["sectors"].split("|")) == 7 and len(tetris["categories"]) == 7 + 1 + 2 + 1
    assert {"Société coopérative d'intérêt collectif (SCIC)", "Mutualisation", "Économie circulaire"} <= set(
        tetris["categories"]
    )


def test_same_graph_same_bytes(written: tuple[Path, dict], tmp_path: Path) -> None:
    path, _ = written
    again = tmp_path / "again.json"
    assert main(["export", "--format", "gogocarto", "--out", str(again)]) == 0
    assert again.read_bytes() == path.read_bytes()


def test_the_elements_with_a_point_are_those_with_one_commune(
    written: tuple[Path, dict], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Counted from the CSV files (one commune in based_in, else territories, else governs) and the
    vendored communes.csv: the same organisations, each at its commune's point; the EPCI,
    département and région PTCEs get none."""
    _, document = written
    expected = {iri: (lat, lon) for iri, (_, lat, lon) in expected_points().items()}
    found = {e["id"]: (e["geo"]["latitude"], e["geo"]["longitude"]) for e in document["data"] if "geo" in e}
    assert found == expected
    assert len(found) == 97 and sum(1 for iri in found if "/ptce/" in iri) == 48
    for epci_or_departement in ("ptce-du-pays-d-ancenis", "la-bio-pour-tous", "tera"):  # tera: three communes
        assert "geo" not in next(e for e in document["data"] if e["id"] == PG + "ptce/" + epci_or_departement)
    out = tmp_path / "g.json"
    assert main(["export", "--format", "gogocarto", "--out", str(out)]) == 0
    assert "97 with the point of their commune" in capsys.readouterr().err
