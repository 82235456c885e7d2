"""The point each exported organisation should carry, read from the CSV files and the vendored
``communes.csv`` alone (not through the graph, the directory or ``publish/places.py``)."""

from __future__ import annotations

import csv
from pathlib import Path

from ptce_graph.resources import france_geometry_file, shipped_data_dir

PG = "https://w3id.org/ptce-graph/id/"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def vendored_points() -> dict[str, tuple[float, float]]:
    """INSEE code -> (latitude, longitude), as the vendored file gives them."""
    return {r["code"]: (float(r["lat"]), float(r["lon"])) for r in _rows(france_geometry_file("communes.csv"))}


def expected_points() -> dict[str, tuple[str, float, float]]:
    """Organisation IRI -> (INSEE code, latitude, longitude) for each organisation placed in exactly one
    commune that has a point.

    The place is the first filled column of: ``based_in`` (an actor's seat), ``territories`` (a
    PTCE's territory), ``governs`` (the territory of a local authority); a cell holds
    ``kind:code`` values separated by ``|``. An EPCI, a département, a région or an other
    territory is no commune; two communes are none.
    """
    columns: dict[str, str] = {}
    for row in _rows(shipped_data_dir() / "ptce.csv"):
        columns[PG + "ptce/" + row["id"]] = row["territories"]
    for row in _rows(shipped_data_dir() / "actors.csv"):
        if row["kind"] != "person":
            columns[PG + "actor/" + row["id"]] = row["based_in"] or row["governs"]
    points = vendored_points()
    found = {}
    for iri, cell in columns.items():
        communes = {v.split(":", 1)[1] for v in cell.split("|") if v.startswith("commune:")}
        if len(communes) == 1 and (code := communes.pop()) in points:
            found[iri] = (code, *points[code])
    return found
