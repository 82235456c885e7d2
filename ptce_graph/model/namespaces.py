"""Ontology terms as Python names, and the one prefix map used by every serialisation and query."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD, DefinedNamespace

__all__ = [
    "ADMS",
    "GEO",
    "IGEO",
    "M8G",
    "ORG",
    "PG",
    "PGC",
    "PGS",
    "PREFIXES",
    "PTCE",
    "ROV",
    "SCHEMA",
    "bind_prefixes",
    "collection_prefixes",
    "concept",
    "curie",
]


class PTCE(DefinedNamespace):
    """The ptce-graph ontology (``ontology/ptce.ttl``); unknown terms raise ``AttributeError``.

    Examples
    --------
    >>> PTCE.PTCE
    rdflib.term.URIRef('https://w3id.org/ptce-graph/ontology#PTCE')
    >>> PTCE.Ptce  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AttributeError: term 'Ptce' not in namespace 'https://w3id.org/ptce-graph/ontology#'
    """

    _fail = True
    _NS = Namespace("https://w3id.org/ptce-graph/ontology#")

    # classes
    Actor: URIRef
    Organisation: URIRef
    ESSEnterprise: URIRef
    Enterprise: URIRef
    EnterpriseGrouping: URIRef
    LocalAuthority: URIRef
    StateBody: URIRef
    ResearchCentre: URIRef
    HigherEducationInstitution: URIRef
    TrainingOrganisation: URIRef
    SupportNetwork: URIRef
    FinancialOrganisation: URIRef
    OtherOrganisation: URIRef
    Person: URIRef
    PTCE: URIRef
    EuropeanCooperativeCluster: URIRef
    Membership: URIRef
    ExternalRelation: URIRef
    Partnership: URIRef
    Funding: URIRef
    Support: URIRef
    Laureateship: URIRef
    SupportScheme: URIRef
    NationalCall: URIRef
    Resource: URIRef
    MutualisedResource: URIRef
    Territory: URIRef
    Region: URIRef
    Departement: URIRef
    Commune: URIRef
    EPCI: URIRef
    OtherTerritory: URIRef
    Source: URIRef

    # properties
    hasTerritory: URIRef
    basedIn: URIRef
    authorityLevel: URIRef
    essFamily: URIRef
    legalForm: URIRef
    sector: URIRef
    cooperationMode: URIRef
    reportedMemberKind: URIRef
    siren: URIRef
    siret: URIRef
    rna: URIRef
    wikidata: URIRef
    relatedAgent: URIRef
    relatedTo: URIRef
    relationRole: URIRef
    impliesMembership: URIRef
    partner: URIRef
    partnershipType: URIRef
    recipient: URIRef
    programme: URIRef
    scheme: URIRef
    supporter: URIRef
    beneficiary: URIRef
    call: URIRef
    laureate: URIRef
    phase: URIRef
    schemeKind: URIRef
    operator: URIRef
    budget: URIRef
    applicationCount: URIRef
    laureateCount: URIRef
    publisherNote: URIRef
    mutualisedResourceType: URIRef
    sharedBy: URIRef
    operatedBy: URIRef
    floorArea: URIRef
    cogYear: URIRef
    epciNature: URIRef
    confidence: URIRef
    confidenceNote: URIRef
    correspondingClass: URIRef


PG = Namespace("https://w3id.org/ptce-graph/id/")
PGC = Namespace("https://w3id.org/ptce-graph/concept/")
PGS = Namespace("https://w3id.org/ptce-graph/shapes#")
ORG = Namespace("http://www.w3.org/ns/org#")
ROV = Namespace("http://www.w3.org/ns/regorg#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
SCHEMA = Namespace("https://schema.org/")
M8G = Namespace("http://data.europa.eu/m8g/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
IGEO = Namespace("http://rdf.insee.fr/def/geo#")
TIME = Namespace("http://www.w3.org/2006/time#")

#: The one prefix map: Turtle, JSON-LD context, SPARQL prologues and reports all use it.
PREFIXES: dict[str, str] = {
    "ptce": str(PTCE._NS),
    "pg": str(PG),
    "pgc": str(PGC),
    "pgs": str(PGS),
    "org": str(ORG),
    "rov": str(ROV),
    "adms": str(ADMS),
    "dct": str(DCTERMS),
    "dcat": str(DCAT),
    "prov": str(PROV),
    "skos": str(SKOS),
    "schema": str(SCHEMA),
    "foaf": str(FOAF),
    "m8g": str(M8G),
    "geo": str(GEO),
    "igeo": str(IGEO),
    "time": str(TIME),
    "void": str(VOID),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind exactly the project's prefixes on ``graph`` (replacing rdflib's defaults).

    Examples
    --------
    >>> g = bind_prefixes(Graph())
    >>> dict(g.namespaces())["ptce"]
    rdflib.term.URIRef('https://w3id.org/ptce-graph/ontology#')
    """
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph


def concept(scheme: str, code: str) -> URIRef:
    """The IRI of a SKOS concept of one of the project's schemes.

    Examples
    --------
    >>> concept("role", "carrying-structure")
    rdflib.term.URIRef('https://w3id.org/ptce-graph/concept/role/carrying-structure')
    """
    return PGC[f"{scheme}/{code}"]


def curie(iri: str) -> str:
    """The shortest project CURIE for ``iri``, or ``iri`` itself.

    Examples
    --------
    >>> curie("https://w3id.org/ptce-graph/id/ptce/tetris")
    'pg:ptce/tetris'
    >>> curie("urn:x")
    'urn:x'
    """
    for prefix, namespace in _LONGEST_FIRST:
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


_LONGEST_FIRST = sorted(PREFIXES.items(), key=lambda pn: -len(pn[1]))

#: The prefixes of instance data and code lists, whose local names hold a collection path.
_DATA_PREFIXES = ("pg", "pgc")
_SLUG_PATH = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*")


def collection_prefixes(iris: Iterable[str]) -> dict[str, str]:
    """A prefix for each collection of instance data or code list the IRIs are in, sorted by name.

    Turtle's prefixed names cannot hold an unescaped ``/`` (``pg:ptce\\/tetris``), so files
    written for people declare one prefix per collection, named after the project prefix and
    the collection's path (``pg-ptce:tetris``, ``pg-territory-commune:75056``,
    ``pgc-role:initiator``). They extend :data:`PREFIXES` mechanically, for writing only:
    queries, reports and JSON-LD keep ``pg:ptce/tetris``. A collection whose name would clash
    with another's gets none (its IRIs keep the ``pg:`` form).

    Examples
    --------
    >>> collection_prefixes([
    ...     "https://w3id.org/ptce-graph/id/ptce/tetris",
    ...     "https://w3id.org/ptce-graph/id/membership/a#period",
    ...     "https://w3id.org/ptce-graph/concept/role/initiator",
    ...     "https://w3id.org/ptce-graph/id/dataset",
    ...     "urn:x",
    ... ])  # doctest: +NORMALIZE_WHITESPACE
    {'pg-membership': 'https://w3id.org/ptce-graph/id/membership/',
     'pg-ptce': 'https://w3id.org/ptce-graph/id/ptce/',
     'pgc-role': 'https://w3id.org/ptce-graph/concept/role/'}
    """
    found: set[tuple[str, str]] = set()
    namespaces = [(PREFIXES[name], name) for name in _DATA_PREFIXES]
    for iri in iris:
        for namespace, name in namespaces:
            if iri.startswith(namespace):
                path = iri[len(namespace) :].split("#", 1)[0].rpartition("/")[0]
                if path:
                    found.add((name, path))
                break
    prefixes: dict[str, str] = {}
    clashes: set[str] = set(PREFIXES)
    for name, path in sorted(found):
        if not _SLUG_PATH.fullmatch(path):
            continue
        prefix = f"{name}-{path.replace('/', '-')}"
        if prefix in prefixes:
            clashes.add(prefix)
        prefixes[prefix] = f"{PREFIXES[name]}{path}/"
    return {k: v for k, v in sorted(prefixes.items()) if k not in clashes}
