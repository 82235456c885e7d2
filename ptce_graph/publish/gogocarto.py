"""GoGoCarto elements: the JSON a GoGoCarto map (Transiscope, Carteco...) imports, one element per organisation.

GoGoCarto imports a JSON list of elements, or an object whose ``data`` holds the list (the
shape of its own ``/api/elements.json``). Its import reads the fields ``id`` (kept as the
element's original id), ``name``, ``geo`` (``latitude``, ``longitude``) or ``latitude`` and
``longitude``, ``address`` (``streetAddress``, ``addressLocality``, ``postalCode``,
``addressCountry``), ``categories`` (names of the map's categories, created when missing if the
import is told to), ``email``, ``source`` (the source key), and keeps every other field as a
custom field (GoGoCarto's ``ElementImportService``, and ``docs/dataset-element-configuration.md``
of GoGoCartoJs). The export writes ``{"data": [...]}`` with, for each organisation of
:mod:`.directory`:

``id``
    its ptce-graph IRI (read back, it names the node of the graph);
``name``, ``categories``
    its label; the French labels of the SKOS concepts that classify it, sorted;
``address``
    ``addressLocality`` (its commune) and ``addressCountry`` (``FR``), when known; there is no
    street address and no postal code (an INSEE code is not a postal code);
``geo``
    ``latitude`` and ``longitude`` of its commune's representative point on the vendored map
    (:func:`~.places.commune_point`, 3 decimals), when its commune alone is known: where the
    commune is, not where the organisation is;
``website``, ``departement``, ``region``, ``siren``, ``wikidata``, ``founded``
    custom fields, each when known;
``source``
    ``ptce-graph``.

There is no ``email``: the graph holds none. The graph holds no coordinates either: an element
whose place is an EPCI, a département or a région, or several communes, has no ``geo``, and a
GoGoCarto import flags it for moderation (position error) or, for one with an address, geocodes
it when "geocode if necessary" is ticked. An element placed at its commune's point can be moved
by hand to the organisation's own address.

Examples
--------
>>> elements = gogocarto_elements()
>>> e = next(e for e in elements if e["id"].endswith("/ptce/tetris"))
>>> e["name"], e["address"], e["website"]
('TETRIS', {'addressLocality': 'Grasse', 'addressCountry': 'FR'}, 'https://scic-tetris.org/')
>>> e["geo"]  # the point of the commune of Grasse, not TETRIS's address
{'latitude': 43.656, 'longitude': 6.932}
>>> e["categories"][:2]
["Incubation et accompagnement de l'ESS", 'Mobilité']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph

from ptce_graph.graph import PtceGraph
from ptce_graph.io.atomic import atomic_write
from ptce_graph.io.serialize import json_document
from ptce_graph.publish.directory import Directory, Organisation, directory
from ptce_graph.publish.places import commune_point

__all__ = ["SOURCE_KEY", "GoGoCartoExport", "gogocarto_bytes", "gogocarto_elements", "write_gogocarto"]

#: The ``source`` of every element: GoGoCarto shows it as where the element comes from.
SOURCE_KEY = "ptce-graph"


def _element(org: Organisation, found: Directory) -> dict[str, Any]:
    element: dict[str, Any] = {
        "id": org.iri,
        "name": org.name,
        "categories": sorted({found.labels[c] for c in org.concepts if c in found.labels}),
        "source": SOURCE_KEY,
    }
    address = {}
    if org.locality:
        address["addressLocality"] = org.locality
    if org.locality or org.departement or org.region:
        address["addressCountry"] = "FR"
    if address:
        element["address"] = address
    point = commune_point(org.commune)
    if point is not None:
        element["geo"] = {"latitude": point.latitude, "longitude": point.longitude}
    custom = {
        "website": org.homepage,
        "departement": org.departement,
        "region": org.region,
        "siren": org.siren,
        "wikidata": org.wikidata,
        "founded": org.founded,
    }
    element.update({key: value for key, value in custom.items() if value})
    return element


def gogocarto_elements(source: PtceGraph | Graph | None = None) -> list[dict[str, Any]]:
    """The GoGoCarto element of each organisation of a graph (default: the shipped data), by IRI."""
    found = directory(source)
    return [_element(org, found) for org in found.organisations]


def gogocarto_bytes(elements: list[dict[str, Any]]) -> bytes:
    """The elements as written: ``{"data": [...]}``, UTF-8 JSON, keys sorted, final newline."""
    return json_document({"data": elements}, sort_keys=True)


@dataclass(frozen=True)
class GoGoCartoExport:
    """What :func:`write_gogocarto` wrote: the file, its elements, and how many have a place
    (``with_point``: the point of their commune)."""

    path: Path
    elements: int
    with_locality: int
    with_address: int
    with_point: int = 0

    def summary(self) -> str:
        """One line for the terminal.

        Examples
        --------
        >>> done = GoGoCartoExport(Path("build/gogocarto.json"), 442, 97, 172, 97)
        >>> print(done.summary())  # doctest: +NORMALIZE_WHITESPACE
        wrote build/gogocarto.json: 442 GoGoCarto elements (97 with a commune, 172 with an address;
        97 with the point of their commune)
        """
        return (
            f"wrote {self.path}: {self.elements} GoGoCarto elements ({self.with_locality} with a commune, "
            f"{self.with_address} with an address; {self.with_point} with the point of their commune)"
        )


def write_gogocarto(source: PtceGraph | Graph | None, path: Path) -> GoGoCartoExport:
    """Write the elements to ``path`` atomically."""
    elements = gogocarto_elements(source)
    with atomic_write(path) as handle:
        handle.write(gogocarto_bytes(elements))
    return GoGoCartoExport(
        path,
        len(elements),
        sum(1 for e in elements if "addressLocality" in e.get("address", {})),
        sum(1 for e in elements if "address" in e),
        sum(1 for e in elements if "geo" in e),
    )
