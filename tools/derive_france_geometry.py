"""Derive the vendored map of France (ptce_graph/_vendor/france_geojson) from france-geojson.

Run once, by hand, on a checkout of https://github.com/gregoiredavid/france-geojson (IGN
ADMIN EXPRESS COG 2018, Licence Ouverte); not part of the package nor of the tests:

    python tools/derive_france_geometry.py /path/to/france-geojson ptce_graph/_vendor/france_geojson

It writes three files:

* ``departements.geojson``: the 96 metropolitan départements (``departements.geojson``) and the
  five overseas ones (``departements/97x-*/departement-97x-*.geojson``), each ring simplified by
  Douglas-Peucker at 0.01° (about 1 km) and rounded to 3 decimals (about 100 m);
* ``regions.geojson``: the 18 régions (``regions-avec-outre-mer.geojson``), simplified the same way;
* ``communes.csv``: one representative point per commune (``departements/*/communes-*.geojson``):
  the centroid of the commune's largest polygon when it lies inside that polygon, else the
  middle of the widest inside stretch of the horizontal line through the centroid; 3 decimals (about 100 m).
"""

from __future__ import annotations

import csv
import itertools
import json
import sys
from pathlib import Path
from typing import Any

Ring = list[tuple[float, float]]

TOLERANCE = 0.01


def _dp(points: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker on an open polyline (iterative)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm if norm else ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
            if d > best:
                best, index = d, i
        if best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]


def _simplify_ring(ring: Ring, tolerance: float) -> Ring | None:
    """A closed ring simplified (split at its farthest point so both halves keep their shape)."""
    pts = [(float(x), float(y)) for x, y in ring[:-1]]
    if len(pts) < 3:
        return None
    far = max(range(len(pts)), key=lambda i: (pts[i][0] - pts[0][0]) ** 2 + (pts[i][1] - pts[0][1]) ** 2)
    half1 = _dp(pts[: far + 1], tolerance)
    half2 = _dp(pts[far:] + [pts[0]], tolerance)
    out = [(round(x, 3), round(y, 3)) for x, y in half1[:-1] + half2]
    dedup = [p for i, p in enumerate(out) if i == 0 or p != out[i - 1]]
    if len(dedup) < 4:
        return None
    return dedup


def _polygons(geometry: dict[str, Any]) -> list[list[Ring]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def _simplified(geometry: dict[str, Any]) -> dict[str, Any]:
    polygons = []
    for polygon in _polygons(geometry):
        rings = [_simplify_ring(r, TOLERANCE) for r in polygon]
        if rings[0] is None:
            # an islet smaller than the tolerance: keep it only as a tiny triangle when alone
            continue
        polygons.append([[list(p) for p in rings[0]]] + [[list(p) for p in r] for r in rings[1:] if r is not None])
    if not polygons:  # every part below the tolerance: keep the largest unsimplified, rounded
        largest = max(_polygons(geometry), key=lambda p: abs(_area(p[0])))
        polygons = [[[[round(x, 3), round(y, 3)] for x, y in largest[0]]]]
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def _area(ring: Ring) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring)) / 2


def _centroid(ring: Ring) -> tuple[float, float]:
    a = _area(ring)
    cx = sum((x1 + x2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in itertools.pairwise(ring)) / (6 * a)
    cy = sum((y1 + y2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in itertools.pairwise(ring)) / (6 * a)
    return cx, cy


def _inside(x: float, y: float, polygon: list[Ring]) -> bool:
    hit = False
    for ring in polygon:
        for (x1, y1), (x2, y2) in itertools.pairwise(ring):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                hit = not hit
    return hit


def representative_point(geometry: dict[str, Any]) -> tuple[float, float]:
    """A point inside the commune: centroid of its largest polygon, or a point on its midline."""
    polygon = max(_polygons(geometry), key=lambda p: abs(_area(p[0])))
    cx, cy = _centroid(polygon[0])
    if _inside(cx, cy, polygon):
        return cx, cy
    xs = sorted(
        x1 + (cy - y1) * (x2 - x1) / (y2 - y1)
        for ring in polygon
        for (x1, y1), (x2, y2) in itertools.pairwise(ring)
        if (y1 > cy) != (y2 > cy)
    )
    spans = [(xs[i + 1] - xs[i], (xs[i] + xs[i + 1]) / 2) for i in range(0, len(xs) - 1, 2)]
    return max(spans)[1], cy


def _features(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [data] if data["type"] == "Feature" else list(data["features"])


def _collection(features: list[dict[str, Any]]) -> str:
    out = []
    for f in sorted(features, key=lambda f: f["properties"]["code"]):
        props = {"code": f["properties"]["code"], "nom": f["properties"]["nom"]}
        out.append({"type": "Feature", "properties": props, "geometry": _simplified(f["geometry"])})
    return json.dumps({"type": "FeatureCollection", "features": out}, ensure_ascii=False, separators=(",", ":")) + "\n"


def main(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    deps = _features(source / "departements.geojson")
    for path in sorted(source.glob("departements/97*/departement-97*.geojson")):
        deps += _features(path)
    (target / "departements.geojson").write_text(_collection(deps), encoding="utf-8")
    regions = _features(source / "regions-avec-outre-mer.geojson")
    (target / "regions.geojson").write_text(_collection(regions), encoding="utf-8")
    points = {}
    for path in sorted(source.glob("departements/*/communes-*.geojson")):
        for f in _features(path):
            x, y = representative_point(f["geometry"])
            points[f["properties"]["code"]] = (f"{x:.3f}", f"{y:.3f}")
    with (target / "communes.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "lon", "lat"])
        for code in sorted(points):
            writer.writerow([code, *points[code]])


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
