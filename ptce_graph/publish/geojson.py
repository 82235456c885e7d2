"""The located PTCEs and actors as one GeoJSON FeatureCollection (RFC 7946), sorted and stable.

A feature is a PTCE or actor with at least one commune point (:mod:`.places`): a ``Point``
for one commune, a ``MultiPoint`` for several. Its ``id`` is the node's IRI; its properties
give the label, the kind, the INSEE codes of its communes, départements and régions, the
count of its memberships (``members`` of a PTCE, ``ptces`` an actor belongs to) and its
sources. Nodes placed only at the level of a département or région have no feature.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rdflib import Graph

from ptce_graph.graph import PtceGraph
from ptce_graph.io.atomic import atomic_write
from ptce_graph.io.serialize import json_document
from ptce_graph.publish.places import Place, Places, locate
from ptce_graph.store import SparqlStore

__all__ = ["feature", "geojson_bytes", "geojson_document", "write_geojson"]

#: Said in the document (a foreign member, RFC 7946 §6.1): what the points are. Coordinates are
#: WGS 84 longitude, latitude (RFC 7946 §4).
_NOTE = (
    "Points are representative points of communes computed from IGN ADMIN EXPRESS COG 2018 "
    "(Licence Ouverte 2.0), not addresses."
)


def feature(place: Place) -> dict[str, Any]:
    """The GeoJSON feature of one located place."""
    coordinates = [[lon, lat] for _, lon, lat in place.points]
    geometry: dict[str, Any] = (
        {"type": "Point", "coordinates": coordinates[0]}
        if len(coordinates) == 1
        else {"type": "MultiPoint", "coordinates": coordinates}
    )
    counts = {"members": place.relations} if place.kind == "ptce" else {"ptces": place.relations}
    return {
        "type": "Feature",
        "id": place.iri,
        "geometry": geometry,
        "properties": {
            "label": place.label,
            "kind": place.kind,
            "communes": list(place.communes),
            "departements": list(place.departements),
            "regions": list(place.regions),
            **counts,
            "sources": list(place.sources),
        },
    }


def geojson_document(places: Places) -> dict[str, Any]:
    """The FeatureCollection of the located places, PTCEs first, then by IRI.

    Examples
    --------
    >>> from ptce_graph.network import example_graph
    >>> doc = geojson_document(locate(example_graph()))
    >>> [(f["properties"]["label"], f["geometry"]["type"]) for f in doc["features"]]  # doctest: +NORMALIZE_WHITESPACE
    [('Pôle Un', 'Point'), ('Asso F', 'Point'), ('Coop A', 'Point'), ('Firm B', 'Point'),
     ('Labo R', 'Point'), ('Org H', 'Point')]
    """
    located = sorted(places.located(), key=lambda p: (p.kind != "ptce", p.iri))
    return {"type": "FeatureCollection", "note": _NOTE, "features": [feature(p) for p in located]}


def geojson_bytes(places: Places) -> bytes:
    """The document as UTF-8 JSON with sorted keys: same data, same bytes."""
    return json_document(geojson_document(places), indent=1, sort_keys=True)


def write_geojson(source: PtceGraph | Graph | SparqlStore | Places, out: str | Path) -> tuple[Path, int]:
    """Write the located PTCEs and actors to ``out`` atomically; return the path and the feature count.

    Examples
    --------
    >>> import json, tempfile
    >>> from ptce_graph.network import example_graph
    >>> path, count = write_geojson(example_graph(), Path(tempfile.mkdtemp()) / "ptce.geojson")
    >>> count, json.loads(path.read_text(encoding="utf-8"))["type"]
    (6, 'FeatureCollection')
    """
    places = source if isinstance(source, Places) else locate(source)
    data = geojson_bytes(places)
    path = Path(out)
    with atomic_write(path) as handle:
        handle.write(data)
    return path, len(places.located())
