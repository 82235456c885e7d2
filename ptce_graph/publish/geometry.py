"""The vendored map of France: shapes of régions and départements, a point for each commune.

The files are derived from IGN ADMIN EXPRESS COG 2018 (see
``ptce_graph/_vendor/france_geojson/README.md``): WGS 84 longitude and latitude, simplified to
about 1 km, keyed by INSEE code.
"""

from __future__ import annotations

import csv
import itertools
import json
from dataclasses import dataclass
from functools import cache
from typing import Literal

from ptce_graph.network.choices import MAP_LEVELS
from ptce_graph.resources import france_geometry_file

__all__ = ["LEVELS", "OVERSEAS", "Level", "Shape", "commune_points", "shapes"]

#: A level of the map: the units counted and drawn.
Level = Literal["region", "departement"]
#: The levels, the default first.
LEVELS: tuple[Level, ...] = MAP_LEVELS

#: The overseas départements-régions, drawn in insets: their codes at each level.
OVERSEAS: dict[str, frozenset[str]] = {
    "region": frozenset({"01", "02", "03", "04", "06"}),
    "departement": frozenset({"971", "972", "973", "974", "976"}),
}

Ring = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Shape:
    """One région or département: its INSEE code, its name, and its polygons.

    Each polygon is a tuple of rings (the outer ring first, then its holes), each ring a
    closed tuple of (longitude, latitude) points.
    """

    code: str
    name: str
    polygons: tuple[tuple[Ring, ...], ...]

    def representative_point(self) -> tuple[float, float]:
        """The centroid of the largest outer ring (where a count is written on the map).

        Examples
        --------
        >>> x, y = shapes("region")["53"].representative_point()
        >>> -5 < x < -1 and 47 < y < 49  # in Bretagne
        True
        """
        ring = max((p[0] for p in self.polygons), key=lambda r: abs(_area(r)))
        area = _area(ring)
        cx = sum((x1 + x2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in itertools.pairwise(ring)) / (6 * area)
        cy = sum((y1 + y2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in itertools.pairwise(ring)) / (6 * area)
        return cx, cy

    def contains(self, lon: float, lat: float) -> bool:
        """Whether the point lies inside the (simplified) shape, by ray casting.

        Examples
        --------
        >>> shapes("departement")["26"].contains(5.05, 45.05)  # Romans-sur-Isère, in the Drôme
        True
        """
        for polygon in self.polygons:
            inside = False
            for ring in polygon:
                for (x1, y1), (x2, y2) in itertools.pairwise(ring):
                    if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                        inside = not inside
            if inside:
                return True
        return False


def _area(ring: Ring) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring)) / 2


@cache
def shapes(level: Level) -> dict[str, Shape]:
    """The shapes of the régions or départements, by INSEE code (loaded once).

    Examples
    --------
    >>> len(shapes("region")), len(shapes("departement"))
    (18, 101)
    >>> shapes("departement")["2A"].name
    'Corse-du-Sud'
    """
    name = "regions.geojson" if level == "region" else "departements.geojson"
    document = json.loads(france_geometry_file(name).read_text(encoding="utf-8"))
    found: dict[str, Shape] = {}
    for feature in document["features"]:
        geometry = feature["geometry"]
        parts = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        polygons = tuple(tuple(tuple((float(x), float(y)) for x, y in ring) for ring in part) for part in parts)
        code = str(feature["properties"]["code"])
        found[code] = Shape(code, str(feature["properties"]["nom"]), polygons)
    return found


@cache
def commune_points() -> dict[str, tuple[float, float]]:
    """A representative point (longitude, latitude) of each commune, by INSEE code.

    Examples
    --------
    >>> commune_points()["26281"]  # Romans-sur-Isère
    (5.038, 45.055)
    """
    with france_geometry_file("communes.csv").open(encoding="utf-8", newline="") as handle:
        return {row["code"]: (float(row["lon"]), float(row["lat"])) for row in csv.DictReader(handle)}
