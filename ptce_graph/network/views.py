"""Named projections of the RDF graph to NetworkX graphs: explicit, dated and deterministic.

The data is read once from the store by the SPARQL queries of this module
(:func:`extract`), then projected in Python (:func:`project`) into one of four views:

``membership``
    Bipartite actor–PTCE graph (``nx.Graph``): one edge per member and PTCE, node attribute
    ``bipartite`` 1 for PTCEs and 0 for actors. Only belonging roles make a member (founder,
    carrying structure, initiator, animator, member, associate); partners, funders, clients
    and supporters are in ``relations``.
``co-membership``
    Actor–actor graph (``nx.Graph``): two actors are linked when they were members of the
    same PTCE at the same time; ``weight`` is the number of such PTCEs.
``relations``
    The direct relations as a directed multigraph (``nx.MultiDiGraph``), one edge per
    relation keyed by its IRI: partnership, funding (funder → recipient), support (supporter
    → beneficiary), an actor working with a PTCE without belonging to it (actor → PTCE, the
    ``relation_type`` is its role: partner, funder, client, supporter, service-provider,
    incubator, operator) and carrying structure (the carrying member → the PTCE or cluster).
``ptce``
    PTCE–PTCE graph (``nx.Graph``): two PTCEs are linked when an actor was a member of both
    at the same time; ``weight`` is the number of such actors.

Nodes are IRI strings, added in sorted order, with ``label``, ``kind``, ``bipartite``,
``ess_family``, ``departement``, ``departement_label``, ``region``, ``region_label`` and
``founded`` when known. Edges are added in sorted order and carry ``relation`` (the IRI, or
the IRIs joined by ``|`` when several memberships make one edge), ``relation_type``,
``role``, ``start`` and ``end`` (ISO days, see :mod:`.periods`), ``sources`` and ``weight``;
projected edges also carry ``via`` (the shared PTCEs or members) and ``periods`` (every
interval of overlap, ISO 8601, joined by ``|``). Attributes whose value is unknown are left
out, so every graph can be written to GraphML and GEXF as it is.

Memberships in European cooperative clusters, and memberships of a PTCE in another PTCE,
are not part of the ``membership``, ``co-membership`` and ``ptce`` views (they would break
the actor–PTCE bipartition); a cluster's carrying structure is in ``relations``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Any

import networkx as nx
from rdflib import Graph, Literal
from rdflib.term import Node

from ptce_graph.errors import InputError
from ptce_graph.gcpause import gc_paused
from ptce_graph.graph import PtceGraph, open_graph
from ptce_graph.io.vocabulary import codes, membership_roles
from ptce_graph.model.namespaces import PGC
from ptce_graph.network.choices import DEFAULT_UNDATED, DEFAULT_VIEW, UNDATED_POLICIES, VIEWS
from ptce_graph.network.kinds import KIND_OF_CLASS, UNKNOWN, kind_of_classes
from ptce_graph.network.periods import Interval, TimeWindow, window
from ptce_graph.store import SparqlStore

__all__ = [
    "DEFAULT_UNDATED",
    "DEFAULT_VIEW",
    "UNDATED_POLICIES",
    "VIEWS",
    "WORKING_WITH_ROLES",
    "NetworkData",
    "NodeInfo",
    "Relation",
    "as_network_data",
    "data_years",
    "extract",
    "project",
    "snapshots",
    "to_networkx",
    "undated_meta",
]


#: Role codes that describe working with a PTCE without belonging to it: the ``relation_type``
#: of a ``ptce:ExternalRelation`` edge in the ``relations`` view.
WORKING_WITH_ROLES = frozenset(codes("role") - membership_roles())


_CARRYING = str(PGC["role/carrying-structure"])
#: Where a node is, in order of preference: where it is based, its territory, what it governs.
_PLACE_LINKS = ("basedIn", "hasTerritory", "spatial")
_CLASS_VALUES = " ".join(f"<{c}>" for c in KIND_OF_CLASS)

# -- the queries: no user value is ever put in them ------------------------------------------
Q_NODES = f"""
SELECT ?node ?class WHERE {{
  VALUES ?class {{ {_CLASS_VALUES} }}
  ?node a ?class .
}}"""

Q_LABELS = f"""
SELECT ?node ?label WHERE {{
  VALUES ?class {{ {_CLASS_VALUES} }}
  ?node a ?class ; rdfs:label ?label .
}}"""

Q_FAMILIES = """
SELECT ?node ?family WHERE { ?node ptce:essFamily ?family . }"""

Q_FOUNDED = """
SELECT ?node ?founded WHERE { ?node schema:foundingDate ?founded . }"""

#: Each node's départements and régions, up along ``geo:sfWithin`` (a département is within
#: itself) from where it is based, else (a PTCE) its territory, else (a local authority) the
#: territory it governs.
Q_PLACES = """
SELECT ?node ?link ?unit ?unitClass ?code ?unitLabel WHERE {
  VALUES ?link { ptce:basedIn ptce:hasTerritory dct:spatial }
  VALUES ?unitClass { ptce:Departement ptce:Region }
  ?node ?link ?territory .
  ?territory geo:sfWithin* ?unit .
  ?unit a ?unitClass .
  OPTIONAL { ?unit igeo:codeINSEE ?code }
  OPTIONAL { ?unit rdfs:label ?unitLabel }
}"""

#: The départements a PTCE's territory covers: those it is within, and those within it.
Q_PTCE_DEPARTEMENTS = """
SELECT DISTINCT ?ptce ?code WHERE {
  ?ptce a ptce:PTCE ; ptce:hasTerritory ?territory .
  ?dep a ptce:Departement ; igeo:codeINSEE ?code .
  { ?territory geo:sfWithin* ?dep } UNION { ?dep geo:sfWithin+ ?territory }
}"""

_PERIOD = """
  OPTIONAL {{ ?relation {link} ?period .
             OPTIONAL {{ ?period dcat:startDate ?start }}
             OPTIONAL {{ ?period dcat:endDate ?end }} }}"""

Q_MEMBERSHIPS = (
    """
SELECT ?relation ?member ?organisation ?role ?start ?end WHERE {
  ?relation org:member ?member ; org:organization ?organisation .
  OPTIONAL { ?relation org:role ?role }"""
    + _PERIOD.format(link="org:memberDuring")
    + "\n}"
)

Q_PARTNERSHIPS = (
    """
SELECT ?relation ?partner ?type ?start ?end WHERE {
  ?relation a ptce:Partnership ; ptce:partner ?partner .
  OPTIONAL { ?relation ptce:partnershipType ?type }"""
    + _PERIOD.format(link="dct:temporal")
    + "\n}"
)

Q_FUNDINGS = (
    """
SELECT ?relation ?funder ?recipient ?amount ?programme ?start ?end WHERE {
  ?relation a ptce:Funding ; schema:funder ?funder ; ptce:recipient ?recipient .
  OPTIONAL { ?relation schema:amount ?amount }
  OPTIONAL { ?relation ptce:programme ?programme }"""
    + _PERIOD.format(link="dct:temporal")
    + "\n}"
)

Q_SUPPORTS = (
    """
SELECT ?relation ?supporter ?beneficiary ?scheme ?start ?end WHERE {
  ?relation a ptce:Support ; ptce:supporter ?supporter ; ptce:beneficiary ?beneficiary .
  OPTIONAL { ?relation ptce:scheme ?scheme }"""
    + _PERIOD.format(link="dct:temporal")
    + "\n}"
)

Q_EXTERNAL = (
    """
SELECT ?relation ?agent ?ptce ?role ?start ?end WHERE {
  ?relation a ptce:ExternalRelation ; ptce:relatedAgent ?agent ; ptce:relatedTo ?ptce .
  OPTIONAL { ?relation ptce:relationRole ?role }"""
    + _PERIOD.format(link="dct:temporal")
    + "\n}"
)

Q_SOURCES = """
SELECT ?relation ?source WHERE {
  VALUES ?class { org:Membership ptce:Membership ptce:ExternalRelation ptce:Partnership ptce:Funding
                  ptce:Support }
  ?relation a ?class ; dct:source ?source .
}"""

#: Every query of this module, by name (the lead may move them to ``queries/``).
QUERIES: dict[str, str] = {
    "nodes": Q_NODES,
    "labels": Q_LABELS,
    "families": Q_FAMILIES,
    "founded": Q_FOUNDED,
    "places": Q_PLACES,
    "ptce_departements": Q_PTCE_DEPARTEMENTS,
    "memberships": Q_MEMBERSHIPS,
    "partnerships": Q_PARTNERSHIPS,
    "fundings": Q_FUNDINGS,
    "supports": Q_SUPPORTS,
    "external": Q_EXTERNAL,
    "sources": Q_SOURCES,
}


# -- the data read from the store --------------------------------------------------------------
@dataclass(frozen=True)
class NodeInfo:
    """What the views know about one node."""

    iri: str
    label: str
    kind: str
    ess_family: tuple[str, ...] = ()
    departements: tuple[tuple[str, str], ...] = ()  # (INSEE code, label), sorted
    regions: tuple[tuple[str, str], ...] = ()
    founded: str | None = None

    def attributes(self) -> dict[str, Any]:
        """The node attributes of the NetworkX graphs (unknown values left out)."""
        attrs: dict[str, Any] = {"label": self.label, "kind": self.kind, "bipartite": 1 if self.kind == "ptce" else 0}
        if self.ess_family:
            attrs["ess_family"] = "|".join(self.ess_family)
        if self.departements:
            attrs["departement"] = "|".join(c for c, _ in self.departements)
            attrs["departement_label"] = "|".join(label for _, label in self.departements)
        if self.regions:
            attrs["region"] = "|".join(c for c, _ in self.regions)
            attrs["region_label"] = "|".join(label for _, label in self.regions)
        if self.founded:
            attrs["founded"] = self.founded
        return attrs


@dataclass(frozen=True)
class Relation:
    """One relation between two nodes, with its dates as an interval of days."""

    iri: str
    type: str  # membership, partnership, funding, support, carrying-structure, or a working-with role
    source: str
    target: str
    interval: Interval
    role: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    extra: tuple[tuple[str, str | float], ...] = ()

    def attributes(self) -> dict[str, Any]:
        """The edge attributes of the NetworkX graphs (unknown values left out)."""
        attrs: dict[str, Any] = {"relation": self.iri, "relation_type": self.type}
        if self.role:
            attrs["role"] = "|".join(self.role)
        if self.interval.start:
            attrs["start"] = self.interval.start.isoformat()
        if self.interval.end:
            attrs["end"] = self.interval.end.isoformat()
        if self.sources:
            attrs["sources"] = "|".join(self.sources)
        attrs.update(dict(self.extra))
        attrs["weight"] = 1
        return attrs


@dataclass(frozen=True)
class NetworkData:
    """Everything the views need, read once from a graph or store by :func:`extract`."""

    nodes: Mapping[str, NodeInfo]
    memberships: tuple[Relation, ...]
    relations: tuple[Relation, ...]
    ptce_departements: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def node(self, iri: str) -> NodeInfo:
        """The node's information; a node no query typed is of kind ``unknown``."""
        found = self.nodes.get(iri)
        return found if found is not None else NodeInfo(iri, _tail(iri), UNKNOWN)

    def ptce_memberships(self) -> list[Relation]:
        """Memberships of an actor (not a PTCE) in a PTCE: the edges of the membership views."""
        return [
            m for m in self.memberships if self.node(m.target).kind == "ptce" and self.node(m.source).kind != "ptce"
        ]

    def ptces(self) -> list[str]:
        """Every PTCE IRI, sorted."""
        return sorted(iri for iri, info in self.nodes.items() if info.kind == "ptce")


def _tail(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri


def _text(term: Node | None) -> str | None:
    return None if term is None else str(term)


def _code(term: Node | None) -> str | None:
    return None if term is None else _tail(str(term))


def _label_rank(label: Literal) -> tuple[int, str]:
    order = {"fr": 0, None: 1, "en": 2}
    return (order.get(label.language, 3), str(label))


def _interval(relation: str, start: Node | None, end: Node | None) -> Interval:
    return Interval.parse(_text(start), _text(end), what=f"dates of <{relation}>")


def as_store(source: PtceGraph | Graph | SparqlStore) -> SparqlStore:
    """A store to query: the given store, or the embedded store of the given graph."""
    if isinstance(source, PtceGraph):
        return source.store
    return open_graph(source).store if isinstance(source, Graph) else source


@gc_paused
def extract(source: PtceGraph | Graph | SparqlStore) -> NetworkData:
    """Read nodes, memberships and relations from a graph or store, with the module's queries.

    Parameters
    ----------
    source
        An rdflib graph (loaded into an embedded Oxigraph store with the ontology) or any
        :class:`~ptce_graph.store.SparqlStore`, e.g. a remote endpoint.

    Raises
    ------
    InputError
        When a relation cannot be projected: a date that is not a date, an end before its
        start, a partnership without exactly two partners.

    Examples
    --------
    >>> from ptce_graph.network import example_graph
    >>> data = extract(example_graph())
    >>> len(data.ptces()), len(data.memberships), len(data.relations)
    (5, 10, 6)
    """
    store = as_store(source)
    classes: dict[str, list[str]] = defaultdict(list)
    for node, cls in store.select(Q_NODES)[1]:
        classes[str(node)].append(str(cls))
    labels: dict[str, list[Literal]] = defaultdict(list)
    for node, label in store.select(Q_LABELS)[1]:
        if isinstance(label, Literal):
            labels[str(node)].append(label)
    families: dict[str, set[str]] = defaultdict(set)
    for node, family in store.select(Q_FAMILIES)[1]:
        families[str(node)].add(_code(family) or "")
    founded: dict[str, str] = {}
    for node, date in store.select(Q_FOUNDED)[1]:
        founded[str(node)] = min(founded.get(str(node), str(date)), str(date))
    deps: dict[str, set[tuple[str, str]]] = defaultdict(set)
    regs: dict[str, set[tuple[str, str]]] = defaultdict(set)
    places = store.select(Q_PLACES)[1]
    best: dict[str, int] = {}  # the first link, in _PLACE_LINKS order, that places the node
    for node, link, *_ in places:
        rank = _PLACE_LINKS.index(_tail(str(link)))
        best[str(node)] = min(rank, best.get(str(node), rank))
    for node, link, unit, unit_class, code, unit_label in places:
        if _PLACE_LINKS.index(_tail(str(link))) != best[str(node)]:
            continue
        pair = (str(code) if code is not None else _tail(str(unit)), str(unit_label) if unit_label is not None else "")
        (deps if str(unit_class).endswith("Departement") else regs)[str(node)].add(pair)
    nodes = {}
    for iri in sorted(classes):
        ranked = sorted(labels.get(iri, []), key=_label_rank)
        nodes[iri] = NodeInfo(
            iri=iri,
            label=str(ranked[0]) if ranked else _tail(iri),
            kind=kind_of_classes(classes[iri]),
            ess_family=tuple(sorted(families.get(iri, ()))),
            departements=_one_label(deps.get(iri, set())),
            regions=_one_label(regs.get(iri, set())),
            founded=founded.get(iri),
        )
    ptce_deps: dict[str, set[str]] = defaultdict(set)
    for ptce, code in store.select(Q_PTCE_DEPARTEMENTS)[1]:
        ptce_deps[str(ptce)].add(str(code))
    sources: dict[str, set[str]] = defaultdict(set)
    for relation, src in store.select(Q_SOURCES)[1]:
        sources[str(relation)].add(str(src))
    memberships = _memberships(store, sources)
    relations = _relations(store, sources, memberships)
    return NetworkData(nodes, memberships, relations, {k: frozenset(v) for k, v in sorted(ptce_deps.items())})


def _one_label(pairs: set[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    best: dict[str, str] = {}
    for code, label in sorted(pairs):
        best.setdefault(code, label)
    return tuple(sorted(best.items()))


def _grouped(rows: Iterable[tuple[Node | None, ...]]) -> dict[str, list[tuple[Node | None, ...]]]:
    grouped: dict[str, list[tuple[Node | None, ...]]] = defaultdict(list)
    for row in rows:
        grouped[str(row[0])].append(row)
    return grouped


def _single(values: Iterable[Node | None], what: str, relation: str) -> Node | None:
    found = sorted({v for v in values if v is not None}, key=str)
    if len(found) > 1:
        raise InputError(
            f"<{relation}> has {len(found)} values of {what} ({', '.join(map(str, found))}); "
            "expected one: validate the data"
        )
    return found[0] if found else None


def _memberships(store: SparqlStore, sources: Mapping[str, set[str]]) -> tuple[Relation, ...]:
    out = []
    for iri, rows in sorted(_grouped(store.select(Q_MEMBERSHIPS)[1]).items()):
        member = _single((r[1] for r in rows), "org:member", iri)
        organisation = _single((r[2] for r in rows), "org:organization", iri)
        roles = tuple(sorted({_tail(str(r[3])) for r in rows if r[3] is not None}))
        interval = _interval(
            iri,
            _single((r[4] for r in rows), "dcat:startDate", iri),
            _single((r[5] for r in rows), "dcat:endDate", iri),
        )
        out.append(
            Relation(
                iri, "membership", str(member), str(organisation), interval, roles, tuple(sorted(sources.get(iri, ())))
            )
        )
    return tuple(out)


def _relations(
    store: SparqlStore, sources: Mapping[str, set[str]], memberships: Iterable[Relation]
) -> tuple[Relation, ...]:
    out: list[Relation] = []
    for iri, rows in _grouped(store.select(Q_PARTNERSHIPS)[1]).items():
        partners = sorted({str(r[1]) for r in rows})
        if len(partners) != 2:
            raise InputError(f"partnership <{iri}> has {len(partners)} partners; a partnership has exactly two")
        kind = _single((r[2] for r in rows), "ptce:partnershipType", iri)
        interval = _interval(
            iri,
            _single((r[3] for r in rows), "dcat:startDate", iri),
            _single((r[4] for r in rows), "dcat:endDate", iri),
        )
        extra = (("partnership_type", _code(kind) or ""),) if kind is not None else ()
        out.append(
            Relation(
                iri, "partnership", partners[0], partners[1], interval, (), tuple(sorted(sources.get(iri, ()))), extra
            )
        )
    for iri, rows in _grouped(store.select(Q_FUNDINGS)[1]).items():
        funder = _single((r[1] for r in rows), "schema:funder", iri)
        recipient = _single((r[2] for r in rows), "ptce:recipient", iri)
        amount = _single((r[3] for r in rows), "schema:amount", iri)
        programme = _single((r[4] for r in rows), "ptce:programme", iri)
        extras: list[tuple[str, str | float]] = []
        if amount is not None:
            extras.append(("amount", float(str(amount))))
        if programme is not None:
            extras.append(("programme", str(programme)))
        interval = _interval(
            iri,
            _single((r[5] for r in rows), "dcat:startDate", iri),
            _single((r[6] for r in rows), "dcat:endDate", iri),
        )
        out.append(
            Relation(
                iri,
                "funding",
                str(funder),
                str(recipient),
                interval,
                (),
                tuple(sorted(sources.get(iri, ()))),
                tuple(extras),
            )
        )
    for iri, rows in _grouped(store.select(Q_SUPPORTS)[1]).items():
        supporter = _single((r[1] for r in rows), "ptce:supporter", iri)
        beneficiary = _single((r[2] for r in rows), "ptce:beneficiary", iri)
        scheme = _single((r[3] for r in rows), "ptce:scheme", iri)
        interval = _interval(
            iri,
            _single((r[4] for r in rows), "dcat:startDate", iri),
            _single((r[5] for r in rows), "dcat:endDate", iri),
        )
        extra = (("scheme", str(scheme)),) if scheme is not None else ()
        out.append(
            Relation(
                iri,
                "support",
                str(supporter),
                str(beneficiary),
                interval,
                (),
                tuple(sorted(sources.get(iri, ()))),
                extra,
            )
        )
    for iri, rows in _grouped(store.select(Q_EXTERNAL)[1]).items():
        agent = _single((r[1] for r in rows), "ptce:relatedAgent", iri)
        ptce = _single((r[2] for r in rows), "ptce:relatedTo", iri)
        role = _single((r[3] for r in rows), "ptce:relationRole", iri)
        interval = _interval(
            iri,
            _single((r[4] for r in rows), "dcat:startDate", iri),
            _single((r[5] for r in rows), "dcat:endDate", iri),
        )
        roles = (_tail(str(role)),) if role is not None else ()
        out.append(
            Relation(
                iri,
                roles[0] if roles else "relation",
                str(agent),
                str(ptce),
                interval,
                roles,
                tuple(sorted(sources.get(iri, ()))),
            )
        )
    for m in memberships:
        if _CARRYING.rsplit("/", 1)[-1] in m.role:
            out.append(Relation(m.iri, "carrying-structure", m.source, m.target, m.interval, m.role, m.sources))
    return tuple(sorted(out, key=lambda r: (r.source, r.target, r.iri)))


# -- projections -------------------------------------------------------------------------------
def as_network_data(source: PtceGraph | Graph | SparqlStore | NetworkData) -> NetworkData:
    """The extracted data of a graph or store (or the data itself)."""
    return source if isinstance(source, NetworkData) else extract(source)


def _clip(interval: Interval, span: Interval | None) -> Interval | None:
    return interval if span is None else interval.intersection(span)


def _founded_by(info: NodeInfo, span: Interval | None) -> bool:
    if span is None or span.end is None or not info.founded:
        return True
    from ptce_graph.network.periods import parse_bound

    return parse_bound(info.founded, side="start", what=f"founding date of <{info.iri}>") <= span.end


def _add_nodes(graph: nx.Graph, data: NetworkData, nodes: Iterable[str]) -> None:
    for iri in sorted(set(nodes)):
        graph.add_node(iri, **data.node(iri).attributes())


def _span(intervals: list[Interval]) -> dict[str, str]:
    if len(intervals) == 1:
        only = intervals[0]
        return {k: v.isoformat() for k, v in (("start", only.start), ("end", only.end)) if v is not None}
    attrs: dict[str, str] = {}
    starts = [i.start for i in intervals]
    ends = [i.end for i in intervals]
    if intervals and all(s is not None for s in starts):
        attrs["start"] = min(s for s in starts if s is not None).isoformat()
    if intervals and all(e is not None for e in ends):
        attrs["end"] = max(e for e in ends if e is not None).isoformat()
    return attrs


def _merge(intervals: list[Interval]) -> list[Interval]:
    """Union of intervals as disjoint sorted intervals (touching days are merged)."""
    low = dt.date.min
    ordered = sorted(intervals, key=lambda i: i.start or low)
    merged: list[Interval] = []
    for item in ordered:
        if merged:
            last = merged[-1]
            if last.end is None or item.start is None or item.start <= last.end + dt.timedelta(days=1):
                end = None if last.end is None or item.end is None else max(last.end, item.end)
                merged[-1] = Interval(last.start, end)
                continue
        merged.append(item)
    return merged


def _membership_view(data: NetworkData, span: Interval | None) -> nx.Graph:
    graph = nx.Graph()
    active = [(m, c) for m in data.ptce_memberships() if (c := _clip(m.interval, span)) is not None]
    ptces = [p for p in data.ptces() if _founded_by(data.node(p), span)]
    _add_nodes(graph, data, ptces + [m.source for m, _ in active] + [m.target for m, _ in active])
    pairs: dict[tuple[str, str], list[tuple[Relation, Interval]]] = defaultdict(list)
    for m, clipped in active:
        pairs[(m.source, m.target)].append((m, clipped))
    for (actor, ptce), items in sorted(pairs.items()):
        items.sort(key=lambda x: x[0].iri)
        if len(items) == 1:
            attrs = items[0][0].attributes()
        else:
            attrs = {
                "relation": "|".join(m.iri for m, _ in items),
                "relation_type": "membership",
                "role": "|".join(sorted({r for m, _ in items for r in m.role})),
                "sources": "|".join(sorted({s for m, _ in items for s in m.sources})),
                "weight": len(items),
                **_span([m.interval for m, _ in items]),
            }
            attrs = {k: v for k, v in attrs.items() if v != ""}
        graph.add_edge(actor, ptce, **attrs)
    return graph


def _shared(
    groups: Mapping[str, list[tuple[str, Interval]]], relation_type: str
) -> dict[tuple[str, str], list[tuple[str, Interval]]]:
    """Pairs of items present in the same group at the same time: pair -> [(group, overlap)]."""
    found: dict[tuple[str, str], list[tuple[str, Interval]]] = {}
    for group, items in sorted(groups.items()):
        ordered = sorted(items, key=lambda x: (x[0], x[1].iso()))  # so that a <= b in every pair below
        for (a, ia), (b, ib) in combinations(ordered, 2):
            if a == b:
                continue
            overlap = ia.intersection(ib)
            if overlap is not None:
                pair = (a, b)
                known = found.get(pair)
                if known is None:
                    found[pair] = [(group, overlap)]
                else:
                    known.append((group, overlap))
    return found


def _projected_view(data: NetworkData, span: Interval | None, *, by_ptce: bool) -> nx.Graph:
    graph = nx.Graph()
    groups: dict[str, list[tuple[str, Interval]]] = defaultdict(list)
    present: set[str] = set()
    for m in data.ptce_memberships():
        clipped = _clip(m.interval, span)
        if clipped is None:
            continue
        if by_ptce:
            groups[m.source].append((m.target, clipped))
            present.add(m.target)
        else:
            groups[m.target].append((m.source, clipped))
            present.add(m.source)
    if by_ptce:
        present.update(p for p in data.ptces() if _founded_by(data.node(p), span))
    _add_nodes(graph, data, present)
    relation_type = "shared-membership" if by_ptce else "co-membership"
    for (a, b), overlaps in sorted(_shared(groups, relation_type).items()):
        via = sorted({group for group, _ in overlaps})
        intervals = _merge([i for _, i in overlaps]) if len(overlaps) > 1 else [overlaps[0][1]]
        attrs: dict[str, Any] = {
            "relation_type": relation_type,
            "via": "|".join(via),
            "weight": len(via),
            **_span(intervals),
        }
        if any(i.bounded for i in intervals):
            attrs["periods"] = "|".join(i.iso() for i in intervals)
        graph.add_edge(a, b, **attrs)
    return graph


def _relations_view(data: NetworkData, span: Interval | None) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    active = [r for r in data.relations if _clip(r.interval, span) is not None]
    _add_nodes(graph, data, [r.source for r in active] + [r.target for r in active])
    for r in sorted(active, key=lambda r: (r.source, r.target, r.iri)):
        graph.add_edge(r.source, r.target, key=r.iri, **r.attributes())
    return graph


def _undated(relation: Relation) -> bool:
    return relation.interval.start is None and relation.interval.end is None


def _apply_undated(data: NetworkData, view: str, time: TimeWindow | None, undated: str) -> tuple[NetworkData, int]:
    """The data a windowed view sees, and how many of its undated relations were left out or assumed."""
    if undated not in UNDATED_POLICIES:
        raise InputError(
            f"unknown policy for undated relations '{undated}'; choose one of {', '.join(UNDATED_POLICIES)}"
        )
    if time is None:
        return data, 0
    pool = data.relations if view == "relations" else data.ptce_memberships()
    count = sum(1 for r in pool if _undated(r))
    if undated == "include" or count == 0:
        return data, count
    if view == "relations":
        return replace(data, relations=tuple(r for r in data.relations if not _undated(r))), count
    return replace(data, memberships=tuple(m for m in data.memberships if not _undated(m))), count


def undated_meta(graph: nx.Graph) -> dict[str, str]:
    """The policy for undated relations of a windowed view, and how many it concerned, as metadata."""
    return {
        key: str(graph.graph[key]) for key in ("undated", "undated_left_out", "undated_assumed") if key in graph.graph
    }


@gc_paused
def project(
    data: NetworkData, view: str = DEFAULT_VIEW, time: TimeWindow | None = None, *, undated: str = DEFAULT_UNDATED
) -> nx.Graph:
    """The NetworkX graph of one view of already extracted data, in a time window.

    Parameters
    ----------
    data
        What :func:`extract` read.
    view
        One of :data:`VIEWS`.
    time
        A window from :func:`~ptce_graph.network.periods.window`, or ``None`` for all time.
    undated
        In a window, what to do with the view's relations that have neither a start nor an
        end date: ``"exclude"`` (the default) leaves them out, ``"include"`` counts them as
        present at every date. Without a window every relation is in the graph. The graph
        attribute ``undated`` names the policy; ``undated_left_out`` (exclude) or
        ``undated_assumed`` (include) counts the relations it concerned.

    Raises
    ------
    InputError
        For an unknown view name or policy.
    """
    if view not in VIEWS:
        raise InputError(f"unknown view '{view}'; choose one of {', '.join(VIEWS)}")
    data, undated_count = _apply_undated(data, view, time, undated)
    span = time.interval if time is not None else None
    if view == "membership":
        graph = _membership_view(data, span)
    elif view == "co-membership":
        graph = _projected_view(data, span, by_ptce=False)
    elif view == "ptce":
        graph = _projected_view(data, span, by_ptce=True)
    else:
        graph = _relations_view(data, span)
    graph.graph.update(
        {
            "name": f"ptce-graph {view}" + (f" {time.describe()}" if time else ""),
            "view": view,
            "window": time.label if time else "all",
        }
    )
    if time is not None:
        graph.graph["undated"] = undated
        graph.graph["undated_left_out" if undated == "exclude" else "undated_assumed"] = undated_count
    return graph


def to_networkx(
    source: PtceGraph | Graph | SparqlStore | NetworkData,
    view: str = DEFAULT_VIEW,
    *,
    as_of: str | dt.date | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    undated: str = DEFAULT_UNDATED,
) -> nx.Graph:
    """One view of the graph as a NetworkX graph: all time, as of a date, or over a period.

    Parameters
    ----------
    source
        An rdflib graph, a store, or data already read by :func:`extract` (to cut several
        views or windows without querying again).
    view
        ``membership``, ``co-membership`` (the default), ``relations`` or ``ptce``.
    as_of
        Keep what was present on that day, or at any time in that month or year.
    start, end
        Keep what was present at any time in that period (either end may stay open).
    undated
        With a date or period: ``"exclude"`` (default) leaves out relations with no date at
        all, ``"include"`` counts them as always present (see :func:`project`).

    Returns
    -------
    networkx.Graph
        An ``nx.Graph`` (``nx.MultiDiGraph`` for ``relations``) whose nodes are IRI strings.

    Examples
    --------
    >>> from ptce_graph.network import example_graph
    >>> g = to_networkx(example_graph(), "co-membership")
    >>> g.number_of_nodes(), g.number_of_edges()
    (6, 7)
    >>> g.edges["https://w3id.org/ptce-graph/id/actor/coop-a",
    ...         "https://w3id.org/ptce-graph/id/actor/firm-b"]["weight"]
    2
    >>> sorted(to_networkx(example_graph(), "co-membership", as_of="2021-06-30").edges)
    [('https://w3id.org/ptce-graph/id/actor/asso-f', 'https://w3id.org/ptce-graph/id/actor/coop-a')]
    >>> sorted(to_networkx(example_graph(), "co-membership", as_of="2021-06-30",
    ...                    undated="include").edges)  # doctest: +NORMALIZE_WHITESPACE
    [('https://w3id.org/ptce-graph/id/actor/agglo-c', 'https://w3id.org/ptce-graph/id/actor/coop-a'),
     ('https://w3id.org/ptce-graph/id/actor/asso-f', 'https://w3id.org/ptce-graph/id/actor/coop-a')]
    """
    return project(as_network_data(source), view, window(as_of, start, end), undated=undated)


def data_years(data: NetworkData, view: str = DEFAULT_VIEW) -> list[int]:
    """Every year from the earliest to the latest year written in the view's relation dates."""
    relations = data.relations if view == "relations" else data.ptce_memberships()
    years = [d.year for r in relations for d in (r.interval.start, r.interval.end) if d is not None]
    return list(range(min(years), max(years) + 1)) if years else []


def snapshots(
    source: PtceGraph | Graph | SparqlStore | NetworkData,
    view: str = DEFAULT_VIEW,
    *,
    years: Iterable[int] | None = None,
    undated: str = DEFAULT_UNDATED,
) -> dict[int, nx.Graph]:
    """One graph per calendar year (what was present at any time in that year).

    Parameters
    ----------
    years
        The years; by default every year from the earliest to the latest date of the view's
        relations.
    undated
        ``"exclude"`` (default) or ``"include"`` the relations with no date (see :func:`project`).

    Raises
    ------
    InputError
        When no year is given and the view's relations carry no date.

    Examples
    --------
    >>> from ptce_graph.network import example_graph
    >>> shots = snapshots(example_graph(), "co-membership", years=[2017, 2021])
    >>> {year: g.number_of_edges() for year, g in shots.items()}
    {2017: 2, 2021: 1}
    >>> shots = snapshots(example_graph(), "co-membership", years=[2017, 2021], undated="include")
    >>> {year: g.number_of_edges() for year, g in shots.items()}
    {2017: 4, 2021: 2}
    """
    data = as_network_data(source)
    chosen = sorted(set(years)) if years is not None else data_years(data, view)
    if not chosen:
        raise InputError(f"the relations of view '{view}' carry no date: give the years of the snapshots")
    return {year: project(data, view, window(as_of=str(year)), undated=undated) for year in chosen}
