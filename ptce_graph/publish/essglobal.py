"""The ESSGLOBAL export profile: PTCEs and ESS enterprises as SSE initiatives, as SSE maps read them.

ESSGLOBAL (RIPESS) is the RDF vocabulary of the maps of the social and solidarity economy;
the Solidarity Economy Association (Digital Commons) publishes its maps' data in it behind a
SPARQL endpoint. Its pipeline (``se_open_data``) writes each initiative as an
``essglobal:SSEInitiative`` with a ``gr:name``, a ``foaf:homepage``, ``essglobal:legalForm``,
``essglobal:organisationalStructure`` and activity concepts of its code lists, and an
``essglobal:hasAddress`` to a minted ``<initiative>#Address`` (vCard fields, and
``osspatialrelations:within`` the place that contains it); its maps select
``?uri a essglobal:SSEInitiative ; gr:name ?name``. This profile writes the same shape from
the graph, with only the facts it holds:

* each PTCE is an ``essglobal:SSEInitiative`` and an ``essglobal:Network`` (a network of
  organisations taking part in the SSE, a subclass of ``org:OrganizationalCollaboration`` as
  a PTCE is), with ``dct:spatial`` for its territories and ``org:hasMember`` for its members
  that are exported too;
* each ESS enterprise (``ptce:ESSEnterprise``) is an ``essglobal:SSEInitiative``; the other
  actors (firms, local authorities, research centres...) are not SSE initiatives and are
  left out;
* the legal form (``ptce:legalForm`` of a PTCE, ``ptce:essFamily`` of an enterprise) becomes
  ``essglobal:legalForm`` and ``essglobal:organisationalStructure`` through the mappings of
  ``ontology/alignments.ttl`` (``skos:exactMatch``, ``closeMatch``, ``broadMatch``; a broader
  concept still classifies it). A family with no mapping (an approval such as ESUS) gives none:
  nothing is guessed;
* the address is written only for an actor with ``ptce:basedIn``: the commune
  (``vcard:locality``) or the département or région (``vcard:region``) and the country, within
  the territory's IRI. When it is based in one commune alone, the address also carries
  ``geo:lat`` and ``geo:long`` (W3C WGS84 vocabulary, ``xsd:decimal``), where SEA's maps read
  the coordinates of an address: the commune's representative point on the vendored map
  (:func:`~.places.commune_point`, 3 decimals), not the initiative's own position. The graph has
  no street address or postcode, so none is written.

The terms are those of the vocabulary's own namespace, ``http://purl.org/essglobal/``, which
the published copies rewrite (``https://lod.coop/essglobal/2.1/``...). The result is checked
before it is written: every ESSGLOBAL term it uses exists in the vendored vocabulary
(:func:`undefined_terms`) and the graph conforms to ``publish/essglobal-shapes.ttl``
(:func:`check_essglobal`).
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, RDFS, SKOS

from ptce_graph.check.validate import ValidationReport, validate
from ptce_graph.errors import InputError
from ptce_graph.graph import PtceGraph
from ptce_graph.io.atomic import atomic_write
from ptce_graph.io.ntriples import NTriples
from ptce_graph.io.serialize import write_prefixed
from ptce_graph.model.namespaces import IGEO, PTCE, collection_prefixes
from ptce_graph.publish.export import Exported, as_ntriples
from ptce_graph.publish.places import commune_point
from ptce_graph.resources import alignments_file, essglobal_shapes_file, essglobal_vocabulary_files

__all__ = [
    "ESSGLOBAL",
    "MAPPED_PROPERTIES",
    "PREFIXES",
    "EssglobalExported",
    "check_essglobal",
    "crosswalk",
    "defined_terms",
    "essglobal_lines",
    "export_essglobal",
    "undefined_terms",
]

#: The namespace of every ESSGLOBAL term, the vocabulary's (``vocab/``) and the code lists'
#: (``standard/<list>/``).
ESSGLOBAL = "http://purl.org/essglobal/"
_VOCAB = ESSGLOBAL + "vocab/"
_STANDARD = ESSGLOBAL + "standard/"
_GR_NAME = "http://purl.org/goodrelations/v1#name"
_VCARD = "http://www.w3.org/2006/vcard/ns#"
_WITHIN = "http://data.ordnancesurvey.co.uk/ontology/spatialrelations/within"
_WGS84 = "http://www.w3.org/2003/01/geo/wgs84_pos#"
_DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")

#: The ESSGLOBAL properties filled from the concept mappings of ``ontology/alignments.ttl``,
#: with the code list each takes its values from.
MAPPED_PROPERTIES: dict[str, str] = {
    "legalForm": "legal-form",
    "organisationalStructure": "organisational-structure",
}
#: The SKOS mappings an export follows: the ESSGLOBAL concept is the same, close enough to be
#: used for it, or broader (still true of it). Narrower and related concepts are not.
_FOLLOWED = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch)

#: The vocabulary prefixes of the Turtle file (only those it uses are declared; the graph's
#: own IRIs get one prefix per collection, ``pg-actor:``, ``pg-territory-commune:``...).
PREFIXES: dict[str, str] = {
    "dct": str(DCTERMS),
    "essglobal": _VOCAB,
    "foaf": str(FOAF),
    "geo": _WGS84,
    "gr": "http://purl.org/goodrelations/v1#",
    "legal-form": _STANDARD + "legal-form/",
    "org": str(ORG),
    "organisational-structure": _STANDARD + "organisational-structure/",
    "osspatialrelations": "http://data.ordnancesurvey.co.uk/ontology/spatialrelations/",
    "rdfs": str(RDFS),
    "vcard": _VCARD,
}

_LOCALITY = {str(PTCE.Commune): "locality", str(PTCE.Departement): "region", str(PTCE.Region): "region"}
#: Classes of the territories of the official geography (INSEE COG, BANATIC): places in France.
_FRENCH = (PTCE.Commune, PTCE.Departement, PTCE.Region, PTCE.EPCI)


@cache
def _vocabulary() -> tuple[ox.Triple, ...]:
    triples: list[ox.Triple] = []
    for path in essglobal_vocabulary_files():
        triples.extend(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    return tuple(triples)


@cache
def defined_terms() -> frozenset[str]:
    """Every IRI the vendored vocabulary and code lists define (the subjects of their triples).

    Examples
    --------
    >>> terms = defined_terms()
    >>> ESSGLOBAL + "vocab/SSEInitiative" in terms, ESSGLOBAL + "standard/legal-form/L2" in terms
    (True, True)
    >>> ESSGLOBAL + "vocab/primaryActivity" in terms
    False
    """
    return frozenset(t.subject.value for t in _vocabulary() if isinstance(t.subject, ox.NamedNode))


def _iris(triples: Iterable[ox.Triple]) -> set[str]:
    found: set[str] = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode):
                found.add(term.value)
    return found


def undefined_terms(triples: Iterable[ox.Triple]) -> list[str]:
    """The IRIs in the ESSGLOBAL namespace that the triples use and the vocabulary does not define, sorted.

    Examples
    --------
    >>> t = ox.Triple(ox.NamedNode("urn:x"), ox.NamedNode(ESSGLOBAL + "vocab/hasMembershipType"), ox.NamedNode("urn:y"))
    >>> undefined_terms([t])
    ['http://purl.org/essglobal/vocab/hasMembershipType']
    """
    return sorted(i for i in _iris(triples) if i.startswith(ESSGLOBAL) and i not in defined_terms())


@cache
def crosswalk() -> dict[str, dict[str, tuple[str, ...]]]:
    """Our concepts' ESSGLOBAL values: concept IRI -> ESSGLOBAL property (local name) -> concepts.

    Read from ``ontology/alignments.ttl``: a concept's exact, close and broad matches in the
    code list of a property of :data:`MAPPED_PROPERTIES`.

    Examples
    --------
    >>> scic = crosswalk()["https://w3id.org/ptce-graph/concept/ess-family/scic"]
    >>> sorted((p, [v.rsplit("/", 1)[1] for v in vs]) for p, vs in scic.items())
    [('legalForm', ['L2']), ('organisationalStructure', ['OS100'])]
    >>> "https://w3id.org/ptce-graph/concept/ess-family/esus" in crosswalk()
    False
    """
    alignments = Graph().parse(alignments_file())
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for mapping in _FOLLOWED:
        for subject, target in alignments.subject_objects(mapping):
            for prop, codes in MAPPED_PROPERTIES.items():
                if str(target).startswith(f"{_STANDARD}{codes}/"):
                    found[str(subject)][prop].add(str(target))
    return {s: {p: tuple(sorted(v)) for p, v in props.items()} for s, props in found.items()}


def _n(iri: object) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


class _Reader:
    """The few look-ups the profile needs, on an Oxigraph store of the graph."""

    def __init__(self, graph: PtceGraph | Graph | NTriples) -> None:
        self.store = ox.Store()
        self.store.bulk_load(as_ntriples(graph).data(), ox.RdfFormat.N_TRIPLES)

    def objects(self, subject: ox.NamedNode, predicate: object) -> list[ox.NamedNode | ox.Literal]:
        found = self.store.quads_for_pattern(subject, _n(predicate), None)
        return [q.object for q in found if isinstance(q.object, (ox.NamedNode, ox.Literal))]

    def instances(self, cls: object) -> set[ox.NamedNode]:
        found = self.store.quads_for_pattern(None, _n(RDF.type), _n(cls))
        return {q.subject for q in found if isinstance(q.subject, ox.NamedNode)}


def essglobal_lines(graph: PtceGraph | Graph | NTriples) -> NTriples:
    """The ESSGLOBAL description of the graph's PTCEs and ESS enterprises (see the module docstring).

    Examples
    --------
    >>> from ptce_graph.graph import open_graph
    >>> lines = essglobal_lines(open_graph(with_ontology=False))
    >>> tetris = [line for line in lines if line.startswith("<https://w3id.org/ptce-graph/id/ptce/tetris> ")]
    >>> print("\\n".join(line for line in tetris if "essglobal" in line))  # doctest: +NORMALIZE_WHITESPACE
    <https://w3id.org/ptce-graph/id/ptce/tetris> <http://purl.org/essglobal/vocab/legalForm>
        <http://purl.org/essglobal/standard/legal-form/L2> .
    <https://w3id.org/ptce-graph/id/ptce/tetris> <http://purl.org/essglobal/vocab/organisationalStructure>
        <http://purl.org/essglobal/standard/organisational-structure/OS100> .
    <https://w3id.org/ptce-graph/id/ptce/tetris> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>
        <http://purl.org/essglobal/vocab/Network> .
    <https://w3id.org/ptce-graph/id/ptce/tetris> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>
        <http://purl.org/essglobal/vocab/SSEInitiative> .
    """
    read = _Reader(graph)
    ptces = read.instances(PTCE.PTCE)
    exported = ptces | read.instances(PTCE.ESSEnterprise)
    walk = crosswalk()
    rdf_type = _n(RDF.type)
    out: list[ox.Triple] = []
    for subject in sorted(exported, key=lambda n: n.value):
        out.append(ox.Triple(subject, rdf_type, _n(_VOCAB + "SSEInitiative")))
        for label in read.objects(subject, RDFS.label):
            out.append(ox.Triple(subject, _n(_GR_NAME), label))
            out.append(ox.Triple(subject, _n(RDFS.label), label))
        for page in read.objects(subject, FOAF.homepage):
            out.append(ox.Triple(subject, _n(FOAF.homepage), page))
        for concept in read.objects(subject, PTCE.legalForm) + read.objects(subject, PTCE.essFamily):
            for prop, values in walk.get(concept.value, {}).items():
                out.extend(ox.Triple(subject, _n(_VOCAB + prop), _n(v)) for v in values)
        if subject in ptces:
            out.append(ox.Triple(subject, rdf_type, _n(_VOCAB + "Network")))
            for territory in read.objects(subject, PTCE.hasTerritory):
                out.append(ox.Triple(subject, _n(DCTERMS.spatial), territory))
            for member in read.objects(subject, ORG.hasMember):
                if member in exported:
                    out.append(ox.Triple(subject, _n(ORG.hasMember), member))
        out.extend(_address(subject, read))
    return NTriples.from_triples(out)


def _address(subject: ox.NamedNode, read: _Reader) -> list[ox.Triple]:
    """The minted ``#Address`` of an actor based in a territory, with the facts the territory gives."""
    places = [t for t in read.objects(subject, PTCE.basedIn) if isinstance(t, ox.NamedNode)]
    if not places:
        return []
    address = _n(subject.value + "#Address")
    out = [
        ox.Triple(subject, _n(_VOCAB + "hasAddress"), address),
        ox.Triple(address, _n(RDF.type), _n(_VOCAB + "Address")),
    ]
    french = False
    communes: dict[str, set[str]] = {}  # commune IRI -> its INSEE codes
    for place in places:
        out.append(ox.Triple(address, _n(_WITHIN), place))
        classes = {c.value for c in read.objects(place, RDF.type)}
        french = french or any(str(c) in classes for c in _FRENCH)
        field = next((_LOCALITY[c] for c in sorted(classes) if c in _LOCALITY), None)
        if field is not None:
            out.extend(ox.Triple(address, _n(_VCARD + field), label) for label in read.objects(place, RDFS.label))
        if str(PTCE.Commune) in classes:
            communes[place.value] = {code.value for code in read.objects(place, IGEO.codeINSEE)}
    if french:
        out.append(ox.Triple(address, _n(_VCARD + "country-name"), ox.Literal("France")))
    codes = [code for found in communes.values() for code in found]
    point = commune_point(codes[0]) if len(communes) == 1 and len(codes) == 1 else None
    if point is not None:
        out.append(ox.Triple(address, _n(_WGS84 + "lat"), ox.Literal(str(point.latitude), datatype=_DECIMAL)))
        out.append(ox.Triple(address, _n(_WGS84 + "long"), ox.Literal(str(point.longitude), datatype=_DECIMAL)))
    return out


def check_essglobal(lines: NTriples) -> ValidationReport:
    """Validate an ESSGLOBAL graph against ``publish/essglobal-shapes.ttl`` (the compiled engine).

    No ontology is mixed in: the shapes name the vocabulary's classes and list its code lists'
    concepts themselves, so any ESSGLOBAL graph can be checked, not only an export.

    Examples
    --------
    >>> bad = NTriples.from_lines(['<urn:x> <http://purl.org/essglobal/vocab/legalForm> <urn:not-a-legal-form> .'])
    >>> report = check_essglobal(bad)
    >>> report.violations, sorted({r.shape.rsplit("#", 1)[1] for r in report.results})
    (2, ['LegalFormDomain', 'LegalFormRange-value'])
    """
    return validate(lines.to_graph(), shapes=_shapes(), ontology=Graph(), engine="oxigraph")


@cache
def _shapes() -> Graph:
    return Graph().parse(essglobal_shapes_file())


@dataclass(frozen=True)
class EssglobalExported(Exported):
    """What an ESSGLOBAL export wrote: the triples, how many initiatives and networks, and how
    many addresses carry the point of their commune."""

    initiatives: int = 0
    networks: int = 0
    with_point: int = 0

    def summary(self) -> str:
        """One line for the terminal.

        Examples
        --------
        >>> done = EssglobalExported(Path("x.ttl"), "essglobal", 900, initiatives=221, networks=107, with_point=26)
        >>> print(done.summary())  # doctest: +NORMALIZE_WHITESPACE
        wrote x.ttl: 221 ESSGLOBAL initiatives (107 of them networks: the PTCEs), 26 with the point
        of their commune, 900 triples
        """
        return (
            f"wrote {self.path}: {self.initiatives} ESSGLOBAL initiatives "
            f"({self.networks} of them networks: the PTCEs), {self.with_point} with the point of their commune, "
            f"{self.triples} triples"
        )


def export_essglobal(graph: PtceGraph | Graph | NTriples, path: Path) -> EssglobalExported:
    """Write the ESSGLOBAL profile of ``graph`` to ``path`` as Turtle, after checking it.

    Raises
    ------
    InputError
        When the profile uses a term the vocabulary lacks or breaks its shapes (data the
        profile cannot describe, such as an ESS enterprise without a label); nothing is written.

    Examples
    --------
    >>> import tempfile
    >>> from ptce_graph.graph import open_graph
    >>> done = export_essglobal(open_graph(with_ontology=False), Path(tempfile.mkdtemp()) / "ess.ttl")
    >>> done.initiatives, done.networks
    (221, 107)
    """
    lines = essglobal_lines(graph)
    unknown = undefined_terms(lines.triples())
    if unknown:  # the profile's own terms: a mistake in this module, caught before anything is written
        raise InputError(f"the ESSGLOBAL export uses terms the vocabulary does not define: {', '.join(unknown)}")
    report = check_essglobal(lines)
    if report.violations:
        first = [str(r) for r in report.results if r.severity == "Violation"][:5]
        raise InputError.at(
            path,
            f"the ESSGLOBAL export does not conform to its shapes ({report.violations} violation(s)); "
            "nothing was written: " + "; ".join(first),
        )
    buffer = io.BytesIO()
    text = lines.text()
    used = {prefix: iri for prefix, iri in PREFIXES.items() if f"<{iri}" in text}
    used.update(collection_prefixes(_iris(lines.triples())))
    write_prefixed(lines.triples(), used, buffer, ox.RdfFormat.TURTLE)
    with atomic_write(path) as handle:
        handle.write(buffer.getvalue())
    kinds = [line for line in lines if line.endswith(f"<{RDF.type}> <{_VOCAB}SSEInitiative> .")]
    networks = [line for line in lines if line.endswith(f"<{RDF.type}> <{_VOCAB}Network> .")]
    points = [line for line in lines if f"> <{_WGS84}lat> " in line]
    return EssglobalExported(
        path, "essglobal", len(lines), initiatives=len(kinds), networks=len(networks), with_point=len(points)
    )
