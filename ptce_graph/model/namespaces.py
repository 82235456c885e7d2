"""Ontology terms as Python names, and the one prefix map used by every serialisation and query."""

from __future__ import annotations

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
