"""The organisations of a graph and their relationships, as directories and maps list them.

Murmurations profiles and GoGoCarto elements (:mod:`.murmurations`, :mod:`.gogocarto`) are two
shapes of one record per organisation: every PTCE and every actor that is not a natural
person (profiles describe organisations; people are left out). A record holds what the
graph says and nothing more: the name, the homepage, the founding date, the SKOS concepts
that classify it (actor kind, sectors, ESS family and legal form, cooperation modes) and its
place (the commune, département and région its seat or territory gives, each only when it
is the only one, with the commune's INSEE code). The graph holds no coordinates: the exports give
an organisation whose commune alone is known the commune's representative point
(:func:`~ptce_graph.publish.places.commune_point`), never a point of its own.

A relationship is what one organisation says of another: a row of ``memberships.csv`` (a
membership, or a relation with a PTCE such as partner or funder) goes from the member to the
PTCE with its role as predicate; a partnership goes from each partner to the other with its
partnership type as predicate. Predicates are the IRIs of the ontology's concepts
(``https://w3id.org/ptce-graph/concept/role/founder``).

Examples
--------
>>> d = directory()
>>> pole = d.organisation("https://w3id.org/ptce-graph/id/ptce/pole-sud")
>>> pole.name, pole.locality, pole.commune, pole.departement, pole.region
('Pôle Sud (Groupe Archer)', 'Romans-sur-Isère', '26281', 'Drôme', 'Auvergne-Rhône-Alpes')
>>> sorted(d.labels[c] for c in pole.concepts)[:2]
['Bâtiment et travaux publics', 'Espaces verts']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from ptce_graph.graph import PtceGraph, as_graph
from ptce_graph.io.vocabulary import kind_classes, ontology_graph
from ptce_graph.model.namespaces import ORG, PTCE

__all__ = ["Directory", "Organisation", "Relationship", "directory"]

#: The language of names and category labels: the directories these exports feed are French.
LANGUAGE = "fr"

#: The predicate of a membership with no role, and of a partnership with no type.
NO_ROLE = str(ORG.memberOf)
NO_TYPE = str(PTCE.partner)

_ORGANISATIONS = """
SELECT ?node ?class WHERE {
  ?node a ?class .
  FILTER(?class = ptce:PTCE || EXISTS { ?node a ptce:Actor } || ?class IN (%s))
  FILTER NOT EXISTS { ?node a ptce:Person }
}"""

_VALUES = """
SELECT ?node ?p ?o WHERE {
  VALUES ?p { rdfs:label foaf:homepage schema:foundingDate ptce:siren ptce:wikidata
              ptce:sector ptce:essFamily ptce:legalForm ptce:cooperationMode }
  ?node ?p ?o .
}"""

#: The territories that place an organisation: where it is based, else (a PTCE) its territory,
#: else (a local authority) the territory it governs; and the units they lie in.
_PLACES = """
SELECT ?node ?link ?territory ?unit ?class ?label ?code WHERE {
  VALUES ?link { ptce:basedIn ptce:hasTerritory dct:spatial }
  VALUES ?class { ptce:Commune ptce:Departement ptce:Region }
  ?node ?link ?territory .
  ?territory geo:sfWithin* ?unit .
  ?unit a ?class ; rdfs:label ?label .
  OPTIONAL { ?unit igeo:codeINSEE ?code }
}"""

_MEMBERSHIPS = """
SELECT ?member ?role ?organisation WHERE {
  { ?relation org:member ?member ; org:organization ?organisation . OPTIONAL { ?relation org:role ?role } }
  UNION
  { ?relation a ptce:ExternalRelation ; ptce:relatedAgent ?member ; ptce:relatedTo ?organisation .
    OPTIONAL { ?relation ptce:relationRole ?role } }
}"""

_PARTNERSHIPS = """
SELECT ?relation ?partner ?type WHERE {
  ?relation a ptce:Partnership ; ptce:partner ?partner .
  OPTIONAL { ?relation ptce:partnershipType ?type }
}"""

_PLACE_LINKS = (str(PTCE.basedIn), str(PTCE.hasTerritory), "http://purl.org/dc/terms/spatial")


@dataclass(frozen=True)
class Organisation:
    """One organisation as a directory lists it; ``None`` or empty where the graph says nothing.

    ``kind`` is ``ptce`` or ``actor``; ``concepts`` the IRIs of the SKOS concepts classifying
    it, sorted; ``locality``, ``departement`` and ``region`` the labels of its commune,
    département and région, each given only when its place gives one alone; ``commune`` the
    INSEE code of that commune.
    """

    iri: str
    kind: str
    name: str
    homepage: str | None = None
    founded: str | None = None
    siren: str | None = None
    wikidata: str | None = None
    concepts: tuple[str, ...] = ()
    locality: str | None = None
    departement: str | None = None
    region: str | None = None
    commune: str | None = None

    @property
    def slug(self) -> str:
        """The last segment of the IRI: the id of the row in ``ptce.csv`` or ``actors.csv``."""
        return self.iri.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Relationship:
    """``subject`` says it stands in relation ``predicate`` to ``object`` (three IRIs)."""

    subject: str
    predicate: str
    object: str


@dataclass(frozen=True)
class Directory:
    """The organisations of a graph (sorted by IRI), their relationships (sorted) and the labels
    of the concepts that classify them (``labels``: concept IRI -> French label)."""

    organisations: tuple[Organisation, ...]
    relationships: tuple[Relationship, ...]
    labels: dict[str, str] = field(default_factory=dict)

    def organisation(self, iri: str) -> Organisation:
        """The organisation of that IRI (``KeyError`` when there is none)."""
        for org in self.organisations:
            if org.iri == iri:
                return org
        raise KeyError(iri)

    def relationships_of(self, iri: str) -> tuple[Relationship, ...]:
        """What the organisation ``iri`` says of others, sorted."""
        return tuple(r for r in self.relationships if r.subject == iri)


@cache
def concept_labels() -> dict[str, str]:
    """French labels of the ontology's concepts and of the PTCE class (the category of a PTCE).

    Examples
    --------
    >>> concept_labels()["https://w3id.org/ptce-graph/concept/sector/construction"]
    'Bâtiment et travaux publics'
    >>> concept_labels()["https://w3id.org/ptce-graph/ontology#PTCE"]
    'Pôle territorial de coopération économique (PTCE)'
    """
    onto = ontology_graph()
    labels: dict[str, str] = {}
    for subject, label in _french(onto, SKOS.prefLabel):
        labels[subject] = label
    for subject, label in _french(onto, RDFS.label):
        if subject == str(PTCE.PTCE):
            labels[subject] = label
    return labels


def _french(graph: Graph, predicate: URIRef) -> Iterable[tuple[str, str]]:
    for subject, label in graph.subject_objects(predicate):
        if isinstance(subject, URIRef) and isinstance(label, Literal) and label.language == LANGUAGE:
            yield str(subject), str(label)


def _kind_concepts() -> dict[str, str]:
    """Class IRI -> the actor-kind concept that stands for it."""
    onto = ontology_graph()
    found: dict[str, str] = {}
    for concept in onto.subjects(PTCE.correspondingClass, None):
        cls = onto.value(concept, PTCE.correspondingClass)
        if isinstance(concept, URIRef) and cls is not None:
            found[str(cls)] = str(concept)
    return found


def _only(values: set[str]) -> str | None:
    return next(iter(values)) if len(values) == 1 else None


def directory(source: PtceGraph | Graph | None = None) -> Directory:
    """The organisations and relationships of a graph (default: the shipped data).

    Relationships whose subject or object is not one of the organisations (a natural person,
    an IRI the graph does not describe) are left out; the same relationship stated twice
    (two periods of one role) is listed once.
    """
    store = as_graph(source).store
    kinds = _kind_concepts()
    classes: dict[str, set[str]] = defaultdict(set)
    values = ", ".join(f"<{c}>" for c in sorted(kind_classes().values()))
    for node, cls in store.select(_ORGANISATIONS % values)[1]:
        if isinstance(node, URIRef):
            classes[str(node)].add(str(cls))
    facts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for node, predicate, value in store.select(_VALUES)[1]:
        if str(node) in classes:
            facts[str(node)][str(predicate)].add(str(value))
    places: dict[str, dict[str, dict[str, set[str]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))
    codes: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for node, via, _territory, _unit, cls, label, code in store.select(_PLACES)[1]:
        if str(node) in classes:
            places[str(node)][str(via)][str(cls)].add(str(label))
            if str(cls) == str(PTCE.Commune) and code is not None:
                codes[str(node)][str(via)].add(str(code))
    organisations = []
    for iri in sorted(classes):
        known = facts[iri]
        chosen = next((name for name in _PLACE_LINKS if name in places[iri]), None)
        link = places[iri][chosen] if chosen else {}
        concepts = {kinds[c] for c in classes[iri] if c in kinds and c != str(PTCE.Person)}
        if str(PTCE.PTCE) in classes[iri]:
            concepts = {str(PTCE.PTCE)}
        for predicate in (PTCE.sector, PTCE.essFamily, PTCE.legalForm, PTCE.cooperationMode):
            concepts |= known.get(str(predicate), set())
        names = sorted(known.get(str(RDFS.label), set()))
        organisations.append(
            Organisation(
                iri=iri,
                kind="ptce" if str(PTCE.PTCE) in classes[iri] else "actor",
                name=names[0] if names else iri.rsplit("/", 1)[-1],
                homepage=_only(known.get("http://xmlns.com/foaf/0.1/homepage", set())),
                founded=_only(known.get("https://schema.org/foundingDate", set())),
                siren=_only(known.get(str(PTCE.siren), set())),
                wikidata=_only(known.get(str(PTCE.wikidata), set())),
                concepts=tuple(sorted(concepts)),
                locality=_only(link.get(str(PTCE.Commune), set())),
                departement=_only(link.get(str(PTCE.Departement), set())),
                region=_only(link.get(str(PTCE.Region), set())),
                commune=_only(codes[iri][chosen]) if chosen and _only(link.get(str(PTCE.Commune), set())) else None,
            )
        )
    relationships = {
        Relationship(str(member), str(role) if role is not None else NO_ROLE, str(org))
        for member, role, org in store.select(_MEMBERSHIPS)[1]
        if str(member) in classes and str(org) in classes
    }
    partners: dict[str, set[str]] = defaultdict(set)
    types: dict[str, str] = {}
    for partnership, partner, ptype in store.select(_PARTNERSHIPS)[1]:
        partners[str(partnership)].add(str(partner))
        types[str(partnership)] = str(ptype) if ptype is not None else NO_TYPE
    for iri, ends in partners.items():
        for a in ends:
            for b in ends - {a}:
                if a in classes and b in classes:
                    relationships.add(Relationship(a, types[iri], b))
    labels = concept_labels()
    used = {c: labels[c] for org in organisations for c in org.concepts if c in labels}
    return Directory(tuple(organisations), tuple(sorted(relationships, key=_order)), used)


def _order(r: Relationship) -> tuple[str, str, str]:
    return (r.subject, r.object, r.predicate)
