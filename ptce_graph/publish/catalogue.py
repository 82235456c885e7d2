"""The catalogue of a build: DCAT and VoID descriptions of the dataset and of every file written.

``ptce-graph build`` writes ``OUT/catalog.ttl`` beside the files it describes: a ``dcat:Catalog``
whose ``dcat:Dataset`` (the data graph's own ``pg:dataset``) has titles and descriptions in
French and English, publisher, licence, spatial and temporal coverage, keywords, themes,
version, release dates, the ontology and shapes it conforms to, one ``dcat:Distribution`` per
file (media type, byte size, SHA-256 checksum, download URL) and VoID statistics (triples,
distinct subjects and objects, class and property partitions) counted from the very triples
the files hold. The catalogue is a file of its own, not a part of the data files: a file cannot
state its own checksum.

The same inputs give the same bytes: no clock is read. Release dates come from ``CHANGELOG.md``
and ``SOURCE_DATE_EPOCH`` (:class:`ReleaseDates`); what the sources do not state is left out.

Examples
--------
>>> from ptce_graph.io.ntriples import NTriples
>>> nt = NTriples.from_lines([
...     '<https://w3id.org/ptce-graph/id/ptce/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
...     '<https://w3id.org/ptce-graph/ontology#PTCE> .',
... ])
>>> ttl = catalogue(nt, [PublishedFile.of_bytes("ptce.nt", nt.data())], base_url="https://example.org/v1/")
>>> b"dcat:downloadURL <https://example.org/v1/ptce.nt>" in ttl
True
>>> check_catalogue(ttl).conforms
True
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, VOID, XSD

from ptce_graph._version import __version__
from ptce_graph.check.validate import ValidationReport, validate
from ptce_graph.errors import InputError
from ptce_graph.io.ntriples import Lit, NTriples, Term, nt_line
from ptce_graph.io.serialize import TURTLE_PREFIXES, write_prefixed
from ptce_graph.model.namespaces import PG, SCHEMA, curie

__all__ = [
    "CATALOGUE_FILE",
    "ONTOLOGY_IRI",
    "SHAPES_IRIS",
    "ContactPoint",
    "PublishedFile",
    "ReleaseDates",
    "VoidStatistics",
    "catalogue",
    "catalogue_triples",
    "check_catalogue",
    "dcat_ap_shapes",
    "default_base_url",
    "resolve_base_url",
    "standards",
    "temporal_coverage",
]

#: The name of the catalogue file in a build's output folder.
CATALOGUE_FILE = "catalog.ttl"
#: The ontology the data uses (``ontology/ptce.ttl``).
ONTOLOGY_IRI = "https://w3id.org/ptce-graph/ontology"
#: The shapes graphs of ``shapes/``, by file; core's shapes are all of Violation severity.
SHAPES_IRIS: dict[str, str] = {
    name: f"https://w3id.org/ptce-graph/shapes/{name}" for name in ("core", "legal", "recommended")
}

SPDX = "http://spdx.org/rdf/terms#"
_IANA = "https://www.iana.org/assignments/media-types/"
_EU = "http://publications.europa.eu/resource/authority/"
_FRANCE = f"{_EU}country/FRA"
_DATA_THEME = f"{_EU}data-theme"
_XSD = str(XSD)
_INTEGER = str(XSD.integer)
#: rdflib's DCAT namespace predates DCAT 3 and warns on ``dcat:version``.
_DCAT_VERSION = f"{DCAT}version"

#: Prefixes of the catalogue's Turtle: the project's, and ``spdx:`` for checksums (kept out of
#: the project's one prefix map, which every export and query of the data shares).
VCARD = "http://www.w3.org/2006/vcard/ns#"
_PREFIXES = dict(sorted({**TURTLE_PREFIXES, "spdx": SPDX, "vcard": VCARD}.items()))

# Texts. The titles are the ones the data graph gives pg:dataset (ptce_graph/io/ingest.py), so
# the catalogue and the data files say the same of it (a test compares them).
_TITLES = {
    "fr": "ptce-graph : graphe des pôles territoriaux de coopération économique",
    "en": "ptce-graph: knowledge graph of French territorial economic cooperation hubs",
}
_DESCRIPTIONS = {
    "fr": "Jeu de données sourcé sur les pôles territoriaux de coopération économique (PTCE) "
    "définis par l'article 9 de la loi n° 2014-856 du 31 juillet 2014 relative à l'économie sociale "
    "et solidaire : les PTCE, leurs membres, partenaires et financeurs, les dispositifs d'appui et "
    "appels nationaux, les ressources mutualisées et les territoires du Code officiel géographique. "
    "Chaque fait cite les sources publiques qui l'établissent. Un graphe RDF décrit par l'ontologie "
    "ptce-graph et validé par ses formes SHACL.",
    "en": "A sourced dataset of French territorial economic cooperation hubs (pôles territoriaux de "
    "coopération économique, PTCE) as defined by article 9 of law no. 2014-856 of 31 July 2014 on the "
    "social and solidarity economy: the PTCEs, their members, partners and funders, support schemes "
    "and national calls, mutualised resources and the territories of the French official geographic "
    "code (COG). Every fact cites the public sources that state it. An RDF graph described by the "
    "ptce-graph ontology and validated by its SHACL shapes.",
}
_CATALOGUE_TITLES = {"fr": "Catalogue de ptce-graph", "en": "ptce-graph catalogue"}
_CATALOGUE_DESCRIPTIONS = {
    "fr": "Les fichiers d'une construction de ptce-graph (ptce-graph build) : le graphe en Turtle, "
    "JSON-LD et N-Triples, son rapport de validation et le résumé de la construction, avec leur "
    "taille et leur empreinte SHA-256.",
    "en": "The files of one ptce-graph build: the graph in Turtle, JSON-LD and N-Triples, its "
    "validation report and the build summary, with their sizes and SHA-256 checksums.",
}
_KEYWORDS = {
    "fr": (
        "PTCE",
        "pôle territorial de coopération économique",
        "économie sociale et solidaire",
        "ESS",
        "coopération",
        "mutualisation",
        "territoire",
        "graphe de connaissances",
    ),
    "en": (
        "PTCE",
        "territorial economic cooperation hub",
        "social and solidarity economy",
        "cooperation",
        "pooling of resources",
        "territory",
        "knowledge graph",
    ),
}
#: Themes of the EU data-theme vocabulary, with its labels: the data describes economic actors,
#: their cooperation and funding (ECON) on named territories, from communes to régions (REGI).
_THEMES = {
    "ECON": {"fr": "Économie et finances", "en": "Economy and finance"},
    "REGI": {"fr": "Régions et villes", "en": "Regions and cities"},
}
#: Language tags of the data -> the EU language authority table (other tags are not stated).
_LANGUAGES = {"fr": "FRA", "en": "ENG"}
#: The publisher and creator, as ``CITATION.cff`` and ``pyproject.toml`` name the authors.
_PUBLISHER_NAME = "ptce-graph contributors"


class _Format(NamedTuple):
    media_type: str
    file_type: str  # the EU file-type authority table
    label: str


_FORMATS = {
    ".ttl": _Format("text/turtle", "RDF_TURTLE", "Turtle"),
    ".jsonld": _Format("application/ld+json", "JSON_LD", "JSON-LD"),
    ".nt": _Format("application/n-triples", "RDF_N_TRIPLES", "N-Triples"),
    ".json": _Format("application/json", "JSON", "JSON"),
}


class _Companion(NamedTuple):
    slug: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    file: dict[str, str]  # the description of its one distribution


#: Files that are not the graph but are about it: each is the one distribution of a dataset of
#: its own, derived from the graph (``dct:source``), since a DCAT distribution is a form of its
#: dataset's content and a report is not a form of the graph.
_COMPANIONS = {
    "validation.json": _Companion(
        "validation-report",
        {
            "fr": "Rapport de validation SHACL de ptce-graph",
            "en": "ptce-graph SHACL validation report",
        },
        {
            "fr": "Les résultats de la validation du graphe par les formes SHACL de ptce-graph : le moteur, "
            "les nombres par sévérité et un résultat par entrée (nœud, propriété, forme, message).",
            "en": "The results of validating the graph against the ptce-graph SHACL shapes: the engine, "
            "counts by severity and one entry per result (node, property, shape, message).",
        },
        {"fr": "Le rapport de validation en JSON.", "en": "The validation report as JSON."},
    ),
    "summary.json": _Companion(
        "build-summary",
        {"fr": "Résumé de la construction de ptce-graph", "en": "ptce-graph build summary"},
        {
            "fr": "La version de ptce-graph, le nombre de triplets et d'entités par classe, les fichiers lus, "
            "les avertissements, les changements apportés aux données d'origine, les doublons probables et "
            "les empreintes SHA-256 des exports.",
            "en": "The ptce-graph version, the number of triples and of entities per class, the files read, "
            "notices, changes made to earlier data, likely duplicates and the SHA-256 digests of the exports.",
        },
        {"fr": "Le résumé de la construction en JSON.", "en": "The build summary as JSON."},
    ),
}

_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\Z")
#: An http(s) URL with an ASCII host and a path, no query or fragment (file names are appended).
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?/[^\s<>\"{}|\\^`#?]*\Z")
_SAFE_CURIE = re.compile(r"^[a-z][a-z0-9]*:[A-Za-z_][A-Za-z0-9_.-]*\Z")


@dataclass(frozen=True)
class PublishedFile:
    """A file of a build as the catalogue describes it: its name, size in bytes and SHA-256.

    Examples
    --------
    >>> f = PublishedFile.of_bytes("summary.json", b"{}\\n")
    >>> f.size, f.sha256[:12]
    (3, 'ca3d163bab05')
    """

    name: str
    size: int
    sha256: str

    def __post_init__(self) -> None:
        if not _FILE_NAME.match(self.name):
            raise ValueError(f"not a plain file name: {self.name!r}")
        if self.size < 0 or not re.fullmatch(r"[0-9a-f]{64}", self.sha256):
            raise ValueError(f"bad size or SHA-256 for {self.name!r}")

    @classmethod
    def of_bytes(cls, name: str, data: bytes) -> PublishedFile:
        """The description of a file holding ``data``."""
        return cls(name, len(data), hashlib.sha256(data).hexdigest())

    @classmethod
    def of_path(cls, path: str | Path) -> PublishedFile:
        """The description of the file at ``path`` (read in chunks), named by its last part."""
        path = Path(path)
        digest = hashlib.sha256()
        size = 0
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
        return cls(path.name, size, digest.hexdigest())


@dataclass(frozen=True)
class ReleaseDates:
    """``dct:issued`` and ``dct:modified`` of the dataset and catalogue; ``None`` leaves one out.

    Examples
    --------
    >>> ReleaseDates.of("0.1.0", environ={}).issued
    datetime.date(2026, 11, 26)
    >>> ReleaseDates.of("0.1.0", environ={"SOURCE_DATE_EPOCH": "1767225600"}).modified
    datetime.date(2026, 1, 1)
    >>> ReleaseDates.of("9.9.9", environ={})
    ReleaseDates(issued=None, modified=None)
    """

    issued: date | None = None
    modified: date | None = None

    @classmethod
    def of(
        cls, version: str = __version__, *, environ: Mapping[str, str] | None = None, changelog: Path | None = None
    ) -> ReleaseDates:
        """The dates a build can state as facts, read from files and the environment, never the clock.

        ``issued`` is the date of ``version`` in ``CHANGELOG.md`` (``## [0.1.0] - 2026-11-26``);
        ``modified`` is the UTC day of ``SOURCE_DATE_EPOCH`` when set (the reproducible-builds
        convention for "when the sources last changed"), else ``issued``. A version the
        changelog does not date (unreleased work) gives neither, unless ``SOURCE_DATE_EPOCH``
        is set.

        Raises
        ------
        InputError
            If ``SOURCE_DATE_EPOCH`` is not a whole number of seconds.
        """
        environ = os.environ if environ is None else environ
        if changelog is None:
            from ptce_graph.resources import changelog_file

            changelog = changelog_file()
        issued = None
        if changelog.is_file():
            heading = re.compile(rf"^## \[{re.escape(version)}\] - ([0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}})\s*$", re.M)
            found = heading.search(changelog.read_text(encoding="utf-8"))
            issued = date.fromisoformat(found.group(1)) if found else None
        modified = issued
        epoch = environ.get("SOURCE_DATE_EPOCH")
        if epoch is not None:
            if not re.fullmatch(r"[0-9]{1,12}", epoch.strip()):
                raise InputError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01, not {epoch!r}")
            modified = datetime.fromtimestamp(int(epoch), tz=UTC).date()
        return cls(issued, modified)


_TYPE = f"<{RDF.type}>"


@dataclass(frozen=True)
class VoidStatistics:
    """VoID figures of a graph, counted on its N-Triples lines.

    ``classes`` maps each class IRI to the number of distinct subjects typed with it
    (``void:entities``), ``properties`` each predicate IRI to its number of triples.

    Examples
    --------
    >>> nt = NTriples.from_lines(['<urn:a> <urn:p> "x" .', '<urn:a> <urn:p> <urn:b> .', '<urn:b> <urn:q> "x" .'])
    >>> s = VoidStatistics.of(nt)
    >>> s.triples, s.distinct_subjects, s.distinct_objects, s.properties
    (3, 2, 2, {'urn:p': 2, 'urn:q': 1})
    """

    triples: int
    distinct_subjects: int
    distinct_objects: int
    classes: dict[str, int] = field(default_factory=dict)
    properties: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, graph: NTriples) -> VoidStatistics:
        """Count ``graph``: its lines are canonical N-Triples, so equal terms are equal strings."""
        subjects: set[str] = set()
        objects: set[str] = set()
        properties: Counter[str] = Counter()
        classes: Counter[str] = Counter()
        for line in graph.lines:
            subject, predicate, rest = line.split(" ", 2)
            obj = rest[:-2]  # the object, without the final " ."
            subjects.add(subject)
            objects.add(obj)
            properties[predicate] += 1
            if predicate == _TYPE and obj.startswith("<"):
                classes[obj] += 1  # lines are distinct: one per typed subject
        return cls(
            len(graph),
            len(subjects),
            len(objects),
            {c[1:-1]: n for c, n in sorted(classes.items())},
            {p[1:-1]: n for p, n in sorted(properties.items())},
        )


#: The predicates whose dates say when what the data describes happened (foundings, periods of
#: membership, funding, support, laureateships); sources' publication dates and the COG vintage
#: are left out.
_COVERAGE = frozenset(f"<{p}>" for p in (SCHEMA.foundingDate, DCAT.startDate, DCAT.endDate, DCTERMS.date))
_DATED = re.compile(
    r'^"([0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?)"\^\^<http://www\.w3\.org/2001/XMLSchema#(gYear|gYearMonth|date)>$'
)


def temporal_coverage(graph: NTriples) -> tuple[Lit, Lit] | None:
    """The earliest and the latest date the data states, as they are written (year, month or day).

    Compared by the first day of the earliest and the last day of the latest: ``2013`` starts
    before ``2013-05-02``, and ``2024`` ends after ``2024-06-30``.

    Examples
    --------
    >>> nt = NTriples.from_lines([
    ...     '<urn:a> <https://schema.org/foundingDate> "2013"^^<http://www.w3.org/2001/XMLSchema#gYear> .',
    ...     '<urn:b> <http://www.w3.org/ns/dcat#endDate> "2024-06"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> .',
    ... ])
    >>> [d.value for d in temporal_coverage(nt)]
    ['2013', '2024-06']
    """
    first: tuple[str, int, Lit] | None = None
    last: tuple[str, int, Lit] | None = None
    for line in graph.lines:
        _, predicate, rest = line.split(" ", 2)
        if predicate not in _COVERAGE:
            continue
        found = _DATED.match(rest[:-2])
        if found is None:
            continue
        value, kind = found.groups()
        literal = Lit(value, None, f"{_XSD}{kind}")
        start = value + "-01-01"[len(value) - 4 :]
        end = value + "-12-31"[len(value) - 4 :]
        # ties go to the more precise form
        if first is None or (start, -len(value)) < first[:2]:
            first = (start, -len(value), literal)
        if last is None or (end, len(value)) > last[:2]:
            last = (end, len(value), literal)
    if first is None or last is None:
        return None
    return first[2], last[2]


def standards(report: ValidationReport) -> tuple[str, ...]:
    """What a built graph conforms to (``dct:conformsTo``), given its validation report.

    Always the ontology and the core shapes (a build with a Violation writes nothing); the
    legal and recommended shapes too when they gave no result at all.

    Examples
    --------
    >>> standards(ValidationReport(conforms=True, results=()))[-1]
    'https://w3id.org/ptce-graph/shapes/recommended'
    """
    if report.conforms and not report.results:
        return (ONTOLOGY_IRI, *SHAPES_IRIS.values())
    return (ONTOLOGY_IRI, SHAPES_IRIS["core"])


def default_base_url(version: str = __version__) -> str:
    """Where the catalogue says the files of a build can be downloaded, unless told otherwise.

    Examples
    --------
    >>> default_base_url("0.1.0")
    'https://w3id.org/ptce-graph/dataset/0.1.0/'
    """
    return f"https://w3id.org/ptce-graph/dataset/{version}/"


def resolve_base_url(base_url: str | None, version: str = __version__) -> str:
    """``base_url`` checked and ending with ``/``, or :func:`default_base_url` for ``None``.

    Examples
    --------
    >>> resolve_base_url("https://example.org/ptce")
    'https://example.org/ptce/'
    >>> resolve_base_url("example.org")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ptce_graph.errors.InputError: the base URL of the published files must be an absolute http(s) URL ...
    """
    if base_url is None:
        return default_base_url(version)
    url = base_url if base_url.endswith("/") else base_url + "/"
    if not _URL.match(url):
        raise InputError(
            f"the base URL of the published files must be an absolute http(s) URL without query or "
            f"fragment (e.g. https://example.org/ptce-graph/0.1.0/), not {base_url!r}"
        )
    return url


#: An e-mail address as a ``mailto:`` IRI: one address, no header fields (``?subject=``).
_MAILTO = re.compile(r"^mailto:[^\s<>\"{}|\\^`?#@]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\Z")


@dataclass(frozen=True)
class ContactPoint:
    """Whom to write to about the dataset: DCAT's ``dcat:contactPoint``, a ``vcard:Kind``.

    The project states no contact address, so a build has none unless its publisher gives one
    (``ptce-graph build --contact``): an e-mail address (``mailto:``, written ``vcard:hasEmail``)
    or a web page such as an issue tracker (``http(s)``, written ``vcard:hasURL``), with an
    optional name (``vcard:fn``).

    Examples
    --------
    >>> ContactPoint.of("mailto:data@example.org", "Équipe données").property
    'http://www.w3.org/2006/vcard/ns#hasEmail'
    >>> ContactPoint.of("https://example.org/issues").property
    'http://www.w3.org/2006/vcard/ns#hasURL'
    >>> ContactPoint.of("data@example.org")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ptce_graph.errors.InputError: the contact point must be a mailto: address or an absolute http(s) URL ...
    """

    address: str
    name: str | None = None

    def __post_init__(self) -> None:
        address, name = self.address, self.name
        if not (_MAILTO.match(address) or _URL.match(address) or _URL.match(address + "/")):
            raise InputError(
                "the contact point must be a mailto: address or an absolute http(s) URL without spaces "
                f"(e.g. mailto:data@example.org or https://example.org/issues), not {address!r}"
            )
        if name is not None and (not name.strip() or name != name.strip() or any(c < " " for c in name)):
            raise InputError(f"the contact point's name must be a line of text, not {name!r}")

    @classmethod
    def of(cls, address: str, name: str | None = None) -> ContactPoint:
        """The contact point at ``address`` named ``name`` (spaces around it dropped), checked:
        an :class:`InputError` names what is wrong."""
        return cls(address, name.strip() if name is not None and name.strip() else name)

    @property
    def property(self) -> str:
        """``vcard:hasEmail`` for a ``mailto:`` address, ``vcard:hasURL`` for a web page."""
        return VCARD + ("hasEmail" if self.address.startswith("mailto:") else "hasURL")


def _partition_iri(dataset: str, kind: str, iri: str) -> str:
    name = curie(iri)
    if not _SAFE_CURIE.match(name):
        name = hashlib.sha256(iri.encode("utf-8")).hexdigest()[:16]
    return f"{dataset}#{kind}/{name}"


def _languages(graph: NTriples) -> list[str]:
    tags: set[str] = set()
    for line in graph.lines:
        if line.endswith(" .") and '"@' in line:
            tag = line[line.rindex('"@') + 2 : -2]
            if tag.isascii() and " " not in tag:
                tags.add(tag.split("-")[0].lower())
    return [f"{_EU}language/{_LANGUAGES[t]}" for t in sorted(tags) if t in _LANGUAGES]


def catalogue_triples(
    graph: NTriples,
    files: Sequence[PublishedFile],
    *,
    base_url: str | None = None,
    base: str = str(PG),
    version: str = __version__,
    dates: ReleaseDates = ReleaseDates(),
    conforms_to: Sequence[str] = (ONTOLOGY_IRI, SHAPES_IRIS["core"]),
    contact: ContactPoint | None = None,
) -> NTriples:
    """The catalogue as sorted N-Triples lines (see :func:`catalogue` for the parameters).

    Examples
    --------
    >>> nt = NTriples.from_lines(['<urn:a> <urn:p> "x"@fr .'])
    >>> lines = catalogue_triples(nt, [], base_url="https://example.org/")
    >>> stated = "<https://w3id.org/ptce-graph/id/dataset> <http://rdfs.org/ns/void#triples> "
    >>> [line[len(stated) :] for line in lines if line.startswith(stated)]
    ['"1"^^<http://www.w3.org/2001/XMLSchema#integer> .']
    """
    base_url = resolve_base_url(base_url, version)
    dataset, catalog = f"{base}dataset", f"{base}catalog"
    agent = f"{base}agent/ptce-graph-contributors"
    lines: list[str] = []

    def add(s: str, p: str, o: Term) -> None:
        lines.append(nt_line(s, p, o))

    def texts(s: str, p: str, by_lang: Mapping[str, str]) -> None:
        for lang, text in by_lang.items():
            add(s, p, Lit(text, lang))

    def integer(n: int) -> Lit:
        return Lit(str(n), None, _INTEGER)

    def dated(s: str) -> None:
        if dates.issued is not None:
            add(s, DCTERMS.issued, Lit(dates.issued.isoformat(), None, str(XSD.date)))
        if dates.modified is not None:
            add(s, DCTERMS.modified, Lit(dates.modified.isoformat(), None, str(XSD.date)))

    licences = sorted(
        line.split(" ", 2)[2][1:-3] for line in graph.lines if line.startswith(f"<{dataset}> <{DCTERMS.license}> <")
    )
    languages = _languages(graph)

    # the catalogue
    add(catalog, RDF.type, DCAT.Catalog)
    texts(catalog, DCTERMS.title, _CATALOGUE_TITLES)
    texts(catalog, DCTERMS.description, _CATALOGUE_DESCRIPTIONS)
    add(catalog, DCTERMS.publisher, agent)
    for lang in ("ENG", "FRA"):
        add(catalog, DCTERMS.language, f"{_EU}language/{lang}")
        add(f"{_EU}language/{lang}", RDF.type, DCTERMS.LinguisticSystem)
    add(catalog, DCTERMS.spatial, _FRANCE)
    add(catalog, DCAT.themeTaxonomy, _DATA_THEME)
    add(_DATA_THEME, RDF.type, SKOS.ConceptScheme)
    add(_DATA_THEME, DCTERMS.title, Lit("Data theme", "en"))
    dated(catalog)
    add(catalog, DCAT.dataset, dataset)
    add(agent, RDF.type, FOAF.Agent)
    add(agent, FOAF.name, Lit(_PUBLISHER_NAME))

    # the dataset: what it is
    add(dataset, RDF.type, DCAT.Dataset)
    add(dataset, RDF.type, VOID.Dataset)
    texts(dataset, DCTERMS.title, _TITLES)
    texts(dataset, DCTERMS.description, _DESCRIPTIONS)
    add(dataset, DCTERMS.publisher, agent)
    add(dataset, DCTERMS.creator, agent)
    add(dataset, _DCAT_VERSION, Lit(version))
    dated(dataset)
    for licence in licences:
        add(dataset, DCTERMS.license, licence)
        add(licence, RDF.type, DCTERMS.LicenseDocument)
    for language in languages:
        add(dataset, DCTERMS.language, language)
        add(language, RDF.type, DCTERMS.LinguisticSystem)
    add(_FRANCE, RDF.type, DCTERMS.Location)
    texts(_FRANCE, SKOS.prefLabel, {"fr": "France", "en": "France"})
    coverage, period = temporal_coverage(graph), f"{dataset}#temporal-coverage"
    if coverage is not None:
        add(period, RDF.type, DCTERMS.PeriodOfTime)
        add(period, DCAT.startDate, coverage[0])
        add(period, DCAT.endDate, coverage[1])
    for code, labels in _THEMES.items():
        theme = f"{_DATA_THEME}/{code}"
        add(theme, RDF.type, SKOS.Concept)
        add(theme, SKOS.inScheme, _DATA_THEME)
        texts(theme, SKOS.prefLabel, labels)

    contact_node = f"{base}contact"
    if contact is not None:
        add(contact_node, RDF.type, f"{VCARD}Kind")
        add(contact_node, contact.property, contact.address)
        if contact.name is not None:
            add(contact_node, f"{VCARD}fn", Lit(contact.name))

    def about_the_data(s: str) -> None:
        """What the dataset and the reports on it share: the same places, years, subjects and contact."""
        if contact is not None:
            add(s, DCAT.contactPoint, contact_node)
        add(s, DCTERMS.spatial, _FRANCE)
        if coverage is not None:
            add(s, DCTERMS.temporal, period)
        for lang, words in _KEYWORDS.items():
            for word in words:
                add(s, DCAT.keyword, Lit(word, lang))
        for code in _THEMES:
            add(s, DCAT.theme, f"{_DATA_THEME}/{code}")

    about_the_data(dataset)
    for standard in conforms_to:
        add(dataset, DCTERMS.conformsTo, standard)
        add(standard, RDF.type, DCTERMS.Standard)
    add(dataset, VOID.uriSpace, Lit(base))

    # the dataset: VoID statistics of the triples the data files hold
    stats = VoidStatistics.of(graph)
    add(dataset, VOID.triples, integer(stats.triples))
    add(dataset, VOID.distinctSubjects, integer(stats.distinct_subjects))
    add(dataset, VOID.distinctObjects, integer(stats.distinct_objects))
    add(dataset, VOID.classes, integer(len(stats.classes)))
    add(dataset, VOID.properties, integer(len(stats.properties)))
    for cls, entities in stats.classes.items():
        partition = _partition_iri(dataset, "class", cls)
        add(dataset, VOID.classPartition, partition)
        add(partition, VOID["class"], cls)
        add(partition, VOID.entities, integer(entities))
    for prop, triples in stats.properties.items():
        partition = _partition_iri(dataset, "property", prop)
        add(dataset, VOID.propertyPartition, partition)
        add(partition, VOID.property, prop)
        add(partition, VOID.triples, integer(triples))

    # one distribution per file
    for file in files:
        suffix = Path(file.name).suffix
        if suffix not in _FORMATS or (suffix == ".json" and file.name not in _COMPANIONS):
            raise ValueError(f"the catalogue does not know what {file.name!r} holds")
        fmt = _FORMATS[suffix]
        distribution, url = f"{base}distribution/{file.name}", base_url + file.name
        companion = _COMPANIONS.get(file.name)
        if companion is None:
            owner = dataset
            texts(
                distribution,
                DCTERMS.description,
                {"fr": f"Le graphe en {fmt.label}.", "en": f"The graph in {fmt.label}."},
            )
            add(dataset, VOID.dataDump, url)
        else:
            owner = f"{dataset}/{companion.slug}"
            add(catalog, DCAT.dataset, owner)
            add(owner, RDF.type, DCAT.Dataset)
            texts(owner, DCTERMS.title, companion.titles)
            texts(owner, DCTERMS.description, companion.descriptions)
            add(owner, DCTERMS.publisher, agent)
            add(owner, DCTERMS.source, dataset)
            about_the_data(owner)
            add(owner, _DCAT_VERSION, Lit(version))
            dated(owner)
            texts(distribution, DCTERMS.description, companion.file)
        add(owner, DCAT.distribution, distribution)
        add(distribution, RDF.type, DCAT.Distribution)
        add(distribution, DCTERMS.title, Lit(file.name))
        add(distribution, DCAT.accessURL, url)
        add(distribution, DCAT.downloadURL, url)
        add(distribution, DCAT.mediaType, _IANA + fmt.media_type)
        add(_IANA + fmt.media_type, RDF.type, DCTERMS.MediaType)
        add(distribution, DCTERMS["format"], f"{_EU}file-type/{fmt.file_type}")
        add(f"{_EU}file-type/{fmt.file_type}", RDF.type, DCTERMS.MediaTypeOrExtent)
        add(distribution, DCAT.byteSize, Lit(str(file.size), None, str(XSD.nonNegativeInteger)))
        checksum = f"{distribution}#sha256"
        add(distribution, f"{SPDX}checksum", checksum)
        add(checksum, RDF.type, f"{SPDX}Checksum")
        add(checksum, f"{SPDX}algorithm", f"{SPDX}checksumAlgorithm_sha256")
        add(checksum, f"{SPDX}checksumValue", Lit(file.sha256, None, str(XSD.hexBinary)))
        for licence in licences:
            add(distribution, DCTERMS.license, licence)
    add(f"{SPDX}checksumAlgorithm_sha256", RDF.type, f"{SPDX}ChecksumAlgorithm")
    return NTriples.from_lines(lines)


def catalogue(
    graph: NTriples,
    files: Sequence[PublishedFile],
    *,
    base_url: str | None = None,
    base: str = str(PG),
    version: str = __version__,
    dates: ReleaseDates = ReleaseDates(),
    conforms_to: Sequence[str] = (ONTOLOGY_IRI, SHAPES_IRIS["core"]),
    contact: ContactPoint | None = None,
) -> bytes:
    """The catalogue of a build as Turtle: DCAT for the dataset and ``files``, VoID for ``graph``.

    Same inputs, same bytes.

    Parameters
    ----------
    graph
        The triples the data files hold (the VoID figures, temporal coverage, languages and
        licence are read from them).
    files
        The files written, each described as a distribution: the graph's exports (``.ttl``,
        ``.jsonld``, ``.nt``) of the dataset, ``validation.json`` and ``summary.json`` of a
        dataset of their own each.
    base_url
        Where the files are published: each file's ``dcat:downloadURL`` is ``base_url`` + its
        name. Default: :func:`default_base_url`.
    base
        The IRI base of the data's nodes: the dataset is ``{base}dataset``, the catalogue
        ``{base}catalog``, the distributions ``{base}distribution/{name}``.
    version
        ``dcat:version``, the package version by default.
    dates
        ``dct:issued`` and ``dct:modified`` (:meth:`ReleaseDates.of`); left out when ``None``.
    conforms_to
        ``dct:conformsTo`` of the dataset (:func:`standards`).
    contact
        The ``dcat:contactPoint`` of the dataset and of the reports' datasets; none by default,
        since the project states no contact address.

    Raises
    ------
    InputError
        If ``base_url`` is not an absolute http(s) URL.
    ValueError
        For a file whose kind the catalogue does not know (a programming error).
    """
    lines = catalogue_triples(
        graph,
        files,
        base_url=base_url,
        base=base,
        version=version,
        dates=dates,
        conforms_to=conforms_to,
        contact=contact,
    )
    text = lines.text()
    used = {prefix: namespace for prefix, namespace in _PREFIXES.items() if f"<{namespace}" in text}
    buffer = io.BytesIO()
    write_prefixed(lines.triples(), used, buffer, ox.RdfFormat.TURTLE)
    return buffer.getvalue()


def dcat_ap_shapes(*, recommended: bool = False) -> Graph:
    """The DCAT-AP 3.0.1 SHACL shapes vendored in the package; with ``recommended``, those of
    the recommended properties (``sh:Warning``) too."""
    from ptce_graph.io.rdf import parse_rdf_file
    from ptce_graph.resources import dcat_ap_shapes_file

    shapes = parse_rdf_file(dcat_ap_shapes_file())
    if recommended:
        shapes += parse_rdf_file(dcat_ap_shapes_file(recommended=True))
    return shapes


def check_catalogue(catalogue: bytes | NTriples | Graph, *, recommended: bool = False) -> ValidationReport:
    """Validate a catalogue (Turtle bytes, lines or a graph) against the DCAT-AP 3.0.1 shapes, with pyshacl.

    The release's shapes give Violations; with ``recommended``, a missing recommended property
    is a Warning. The compiled engine refuses these shapes (they state ``sh:closed false``); the
    catalogue is small, so pyshacl takes about a second. DCAT-AP's controlled-vocabulary checks
    (``mdr-vocabularies.shape.ttl``) need the EU vocabularies, fetched by ``owl:imports``, and
    are not run.
    """
    if isinstance(catalogue, bytes):
        catalogue = NTriples.from_triples(ox.parse(catalogue, ox.RdfFormat.TURTLE))
    graph = catalogue.to_graph() if isinstance(catalogue, NTriples) else catalogue
    return validate(graph, shapes=dcat_ap_shapes(recommended=recommended), ontology=Graph(), engine="pyshacl")
