"""Where each PTCE and actor is: communes, départements and régions from the graph, points from the map.

A node is placed by the territories it is based in (``ptce:basedIn``), else (a PTCE) its own
territory (``ptce:hasTerritory``), up along ``geo:sfWithin`` to départements and régions, as
the network views place it. It has a point where one of those territories is a commune with a
point on the vendored map (:func:`~ptce_graph.publish.geometry.commune_points`).
:func:`commune_point` gives that point for one commune: the point the exports for other SSE tools
(GoGoCarto, Murmurations, ESSGLOBAL) give an organisation whose commune alone is known. It is the
commune's representative point, not the organisation's address.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import Graph

from ptce_graph.graph import PtceGraph
from ptce_graph.network.views import NetworkData, as_store, extract
from ptce_graph.publish.geometry import Level, commune_points
from ptce_graph.store import SparqlStore

__all__ = ["Place", "Places", "Point", "commune_point", "locate"]

#: The communes a node is based in or whose territory it has (no user value in the query).
Q_COMMUNES = """
SELECT ?node ?link ?code WHERE {
  VALUES ?link { ptce:basedIn ptce:hasTerritory }
  ?node ?link ?territory .
  ?territory a ptce:Commune ; igeo:codeINSEE ?code .
}"""

#: The sources of every resource (kept for the PTCEs and actors only).
Q_NODE_SOURCES = """
SELECT ?node ?source WHERE { ?node dct:source ?source . }"""


@dataclass(frozen=True)
class Point:
    """The representative point of one commune on the vendored map: WGS 84 degrees, rounded to
    3 decimals (about 100 m) as the vendored file gives them."""

    commune: str
    longitude: float
    latitude: float


def commune_point(code: str | None) -> Point | None:
    """The representative point of the commune of INSEE code ``code``, or ``None`` when there is
    no code or the map has no point for it (nothing is guessed).

    Examples
    --------
    >>> commune_point("26281")  # Romans-sur-Isère
    Point(commune='26281', longitude=5.038, latitude=45.055)
    >>> commune_point("99999") is None, commune_point(None) is None
    (True, True)
    """
    if not code:
        return None
    found = commune_points().get(code)
    return None if found is None else Point(code, *found)


@dataclass(frozen=True)
class Place:
    """One PTCE or actor and where it is.

    ``points`` holds (commune code, longitude, latitude) for each of its communes that has a
    point on the map; ``relations`` is, for a PTCE, its distinct member actors and, for an
    actor, the distinct PTCEs it is a member of (all dates).
    """

    iri: str
    label: str
    kind: str
    communes: tuple[str, ...]
    departements: tuple[str, ...]
    regions: tuple[str, ...]
    points: tuple[tuple[str, float, float], ...]
    sources: tuple[str, ...]
    relations: int


@dataclass(frozen=True)
class Places:
    """Every PTCE and actor of a graph with its place, sorted by IRI."""

    places: tuple[Place, ...]

    def ptces(self) -> list[Place]:
        """The PTCEs."""
        return [p for p in self.places if p.kind == "ptce"]

    def located(self) -> list[Place]:
        """The PTCEs and actors with at least one point."""
        return [p for p in self.places if p.points]

    def counts(self, level: Level) -> dict[str, int]:
        """How many PTCEs each région or département holds (a PTCE in several counts in each).

        Examples
        --------
        >>> from ptce_graph.network import example_graph
        >>> locate(example_graph()).counts("departement")
        {'07': 1, '26': 2}
        """
        counts: dict[str, int] = defaultdict(int)
        for place in self.ptces():
            for code in place.regions if level == "region" else place.departements:
                counts[code] += 1
        return dict(sorted(counts.items()))

    def unplaced(self, level: Level) -> int:
        """How many PTCEs are in no région (or département) at all."""
        return sum(1 for p in self.ptces() if not (p.regions if level == "region" else p.departements))


def locate(source: PtceGraph | Graph | SparqlStore | NetworkData, store: SparqlStore | None = None) -> Places:
    """Place every PTCE and actor of the graph.

    Parameters
    ----------
    source
        The graph (or a store, or data already read by :func:`~ptce_graph.network.views.extract`,
        then with ``store`` to read the communes from).
    store
        The store of ``source`` when ``source`` is :class:`NetworkData`.

    Examples
    --------
    >>> from ptce_graph.network import example_graph
    >>> places = locate(example_graph())
    >>> [(p.label, p.points) for p in places.located() if p.label == "Coop A"]
    [('Coop A', (('26281', 5.038, 45.055),))]
    """
    if isinstance(source, NetworkData):
        if store is None:
            raise ValueError("locate() needs the store with NetworkData")
        data = source
    else:
        store = as_store(source)
        data = extract(store)
    rank = {"basedIn": 0, "hasTerritory": 1}
    found: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for node, link, code in store.select(Q_COMMUNES)[1]:
        found[str(node)][rank[str(link).rsplit("#", 1)[-1]]].add(str(code))
    sources: dict[str, set[str]] = defaultdict(set)
    for node, src in store.select(Q_NODE_SOURCES)[1]:
        sources[str(node)].add(str(src))
    related: dict[str, set[str]] = defaultdict(set)
    for m in data.ptce_memberships():
        related[m.source].add(m.target)
        related[m.target].add(m.source)
    points = commune_points()
    places = []
    for iri in sorted(data.nodes):
        info = data.nodes[iri]
        by_link = found.get(iri, {})
        communes = tuple(sorted(by_link[min(by_link)])) if by_link else ()
        places.append(
            Place(
                iri=iri,
                label=info.label,
                kind=info.kind,
                communes=communes,
                departements=tuple(c for c, _ in info.departements),
                regions=tuple(c for c, _ in info.regions),
                points=tuple((c, *points[c]) for c in communes if c in points),
                sources=tuple(sorted(sources.get(iri, ()))),
                relations=len(related.get(iri, ())),
            )
        )
    return Places(tuple(places))
