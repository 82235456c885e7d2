"""The IRIs of ``https://w3id.org/ptce-graph/`` as server paths: descriptions and pages by content negotiation.

``ptce-graph serve`` answers the paths of the project's IRIs (``/id/ptce/tetris``,
``/concept/role/founder``, ``/ontology``, ``/shapes``, ``/alignments``) as the w3id.org
rules of ``docs/w3id/ptce-graph/.htaccess`` do, so that those rules can point every IRI at
the server: RDF (Turtle, JSON-LD, N-Triples, RDF/XML) for a client that asks for it, HTML for
any other, in French when French is preferred.

A resource's description is its *concise bounded description*: the triples it is the
subject of, and those of every blank node and of every IRI of the same document
(``…/membership/x#period``) they reach, recursively. It is read with triple patterns, never
with query text, by the query workers (so the time limit and memory cap hold), from an IRI
built after the path is checked: segments of ``A-Z a-z 0-9 _ ~ . -``, no ``.`` or ``..``
segment, no percent-encoding, at most :data:`MAX_PATH` characters.

The HTML pages are built here with no script and one inline style (allowed by its hash):
the label, types, every property with relative links to the other resources on the same
server (so they work under any prefix a reverse proxy adds), the
sources, and the first :data:`MAX_LINKS` resources that point at this one. The ontology page
is pyLODE's (``ptce-graph docs``) when pyLODE is installed; it takes about 2 s to make the
first time (the ontology 0.4 s, examples from the shipped data 0.9 s, the page 0.9 s on the
reference machine), then 0.9 s for the other language, and is kept for the life of the
server. Without pyLODE a plain page with the same anchors (``#Term``,
``#concept/role/founder``) is made in about 0.1 s.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox

from ptce_graph.errors import InputError
from ptce_graph.io.cells import xml_text
from ptce_graph.io.formats import formats
from ptce_graph.io.ntriples import NTriples
from ptce_graph.io.serialize import serialize_lines
from ptce_graph.model.namespaces import PGC, curie

__all__ = [
    "BASE",
    "DOCUMENTS",
    "MAX_LINKS",
    "MAX_PATH",
    "MAX_TRIPLES",
    "PAGE_POLICY",
    "PAGE_TYPES",
    "RDF_TYPES",
    "BadPath",
    "Description",
    "Documents",
    "concise_bounded_description",
    "context_document",
    "describe",
    "entity_page",
    "page_language",
    "page_policy",
    "rdf_document",
    "relative_root",
    "resource_iri",
    "weighted",
]

#: Where every IRI of the project starts; a server path is what follows it.
BASE = "https://w3id.org/ptce-graph/"
#: The longest path answered (characters); the longest IRI of the shipped data has 136.
MAX_PATH = 512
#: The most triples one description may hold; past it the answer is 400 (use ``/sparql``).
MAX_TRIPLES = 50_000
#: The most resources pointing at one resource that its page lists.
MAX_LINKS = 200
#: The documents served whole, by path: what ``ptce-graph docs`` writes as ``{name}.ttl``...
DOCUMENTS = ("ontology", "shapes", "alignments")

#: Media types of the RDF formats offered for a resource, from the one format table (the four
#: the w3id.org rules negotiate), each with its format name.
RDF_TYPES: dict[str, str] = {
    m: f.name
    for f in formats("rdf")
    if f.name in ("ttl", "jsonld", "nt", "rdfxml")
    for m in f.media_types
    if m != "text/plain"
}
#: Everything a resource path offers: HTML first, the answer to a client that accepts anything.
PAGE_TYPES: dict[str, str] = {"text/html": "html", **RDF_TYPES}

_SEGMENT = re.compile(r"[A-Za-z0-9_~.-]+")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_LABELS = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
    "http://www.w3.org/ns/shacl#name",
)
_SOURCE = "http://purl.org/dc/terms/source"


class BadPath(Exception):
    """A request path that cannot name a resource of the project (HTTP 400)."""


def resource_iri(path: str, raw: str | None = None) -> str:
    """The IRI a server path stands for, after checking that it is a plain slug path.

    Parameters
    ----------
    path
        The decoded path (``PATH_INFO``), e.g. ``/id/ptce/tetris``.
    raw
        The path as the client sent it, when the server gives it (``REQUEST_URI``): a
        percent-encoded character there is refused, since ``%2F`` decodes to a slash.

    Raises
    ------
    BadPath
        For an empty, ``.`` or ``..`` segment, a character outside ``A-Z a-z 0-9 _ ~ . -``,
        a percent-encoding, or a path over :data:`MAX_PATH` characters.

    Examples
    --------
    >>> resource_iri("/id/ptce/tetris")
    'https://w3id.org/ptce-graph/id/ptce/tetris'
    >>> resource_iri("/id/ptce/../../etc/passwd")
    Traceback (most recent call last):
    ...
    ptce_graph.serve.linked.BadPath: not a resource path: '.' and '..' segments are refused
    >>> resource_iri("/id/ptce/a/b", raw="/id/ptce/a%2Fb")
    Traceback (most recent call last):
    ...
    ptce_graph.serve.linked.BadPath: not a resource path: percent-encoded characters are refused
    """
    if len(path) > MAX_PATH:
        raise BadPath(f"not a resource path: longer than {MAX_PATH} characters")
    if raw is not None and "%" in raw.split("?", 1)[0]:
        raise BadPath("not a resource path: percent-encoded characters are refused")
    segments = path[1:].split("/")  # an empty segment (a doubled or final slash) matches no pattern below
    if any(s in (".", "..") for s in segments):
        raise BadPath("not a resource path: '.' and '..' segments are refused")
    if len(segments) < 2 or not all(_SEGMENT.fullmatch(s) for s in segments):
        raise BadPath("not a resource path: segments of letters, digits and _ ~ . - separated by single slashes")
    return BASE + "/".join(segments)


def _document_of(iri: str) -> str:
    return iri.split("#", 1)[0]


def concise_bounded_description(store: ox.Store, iri: str, *, limit: int = MAX_TRIPLES) -> list[ox.Triple]:
    """The triples describing ``iri``: its own, and those of the blank nodes and the IRIs of
    the same document (``iri#…``) they reach, recursively.

    Read with triple patterns (no query text). Raises :class:`OverflowError` past ``limit``
    triples.

    Examples
    --------
    >>> store = ox.Store()
    >>> store.bulk_load(b'<urn:m> <urn:p> _:b .\\n_:b <urn:q> "1" .\\n<urn:m> <urn:t> <urn:m#t> .\\n'
    ...                 b'<urn:m#t> <urn:q> "2" .\\n<urn:o> <urn:q> <urn:m> .\\n', ox.RdfFormat.N_TRIPLES)
    >>> len(concise_bounded_description(store, "urn:m"))
    4
    """
    start = ox.NamedNode(iri)
    document = _document_of(iri)
    seen: set[ox.NamedNode | ox.BlankNode] = {start}
    todo: list[ox.NamedNode | ox.BlankNode] = [start]
    found: list[ox.Triple] = []
    while todo:
        subject = todo.pop()
        for quad in store.quads_for_pattern(subject, None, None, ox.DefaultGraph()):
            found.append(ox.Triple(quad.subject, quad.predicate, quad.object))
            if len(found) > limit:
                raise OverflowError(f"the description of <{iri}> has more than {limit:,} triples")
            value = quad.object
            if (
                isinstance(value, ox.BlankNode)
                or (isinstance(value, ox.NamedNode) and "#" in value.value and _document_of(value.value) == document)
            ) and value not in seen:
                seen.add(value)
                todo.append(value)
    return found


@dataclass(frozen=True)
class Description:
    """What a query worker answers about one resource.

    ``triples`` is its concise bounded description as N-Triples (the RDF answers);
    ``context`` more N-Triples for its page only: labels of the resources it names and the
    first :data:`MAX_LINKS` triples pointing at it; ``more_links`` whether there are more.
    ``status`` is 200, 404 (no triple) or 400 (over :data:`MAX_TRIPLES`), with ``message``.
    """

    status: int
    triples: bytes = b""
    context: bytes = b""
    more_links: bool = False
    message: str = ""


def _serialize(triples: Iterable[ox.Triple]) -> bytes:
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert data is not None  # without an output, serialize returns the bytes
    return data


def describe(store: ox.Store, iri: str, *, limit: int = MAX_TRIPLES, links: int = MAX_LINKS) -> Description:
    """The :class:`Description` of ``iri`` in ``store``.

    Examples
    --------
    >>> store = ox.Store()
    >>> store.bulk_load(b'<urn:m> <urn:p> <urn:x> .\\n<urn:x> <http://www.w3.org/2000/01/rdf-schema#label> "X" .\\n'
    ...                 b'<urn:o> <urn:q> <urn:m> .\\n', ox.RdfFormat.N_TRIPLES)
    >>> found = describe(store, "urn:m")
    >>> found.status, found.triples.count(b"\\n"), found.context.count(b"\\n")
    (200, 1, 2)
    >>> describe(store, "urn:none").status
    404
    """
    try:
        triples = concise_bounded_description(store, iri, limit=limit)
    except OverflowError as exc:
        return Description(400, message=f"{exc}: ask /sparql for parts of it")
    if not triples:
        return Description(404, message=f"no description of <{iri}> in the served graph")
    subject = ox.NamedNode(iri)
    named = {t for triple in triples for t in (triple.predicate, triple.object) if isinstance(t, ox.NamedNode)}
    context: list[ox.Triple] = []
    pointing: list[ox.Triple] = []
    more = False
    for quad in store.quads_for_pattern(None, None, subject, ox.DefaultGraph()):
        if quad.subject == subject:
            continue
        if len(pointing) == links:
            more = True
            break
        pointing.append(ox.Triple(quad.subject, quad.predicate, quad.object))
        if isinstance(quad.subject, ox.NamedNode):
            named.add(quad.subject)
    for node in sorted(named, key=lambda n: n.value):
        for label in _LABELS:
            for quad in store.quads_for_pattern(node, ox.NamedNode(label), None, ox.DefaultGraph()):
                context.append(ox.Triple(quad.subject, quad.predicate, quad.object))
    return Description(200, _serialize(triples), _serialize([*context, *pointing]), more)


@cache
def context_document() -> bytes:
    """The JSON-LD context shipped with the package, as ``https://w3id.org/ptce-graph/context.jsonld``
    names it.

    Examples
    --------
    >>> import json
    >>> json.loads(context_document())["@context"]["ptce"]
    'https://w3id.org/ptce-graph/ontology#'
    """
    from ptce_graph.resources import jsonld_context_file

    return jsonld_context_file().read_bytes()


def rdf_document(triples: bytes, fmt: str) -> bytes:
    """N-Triples bytes in one RDF format, with the project's prefixes and JSON-LD context."""
    return serialize_lines(NTriples.from_oxigraph(triples), fmt)


def weighted(header: str) -> list[tuple[int, str, float]]:
    """``(position, token, quality)`` of each item of an ``Accept``-style header, tokens
    lowercased; a malformed ``q`` counts as 0 (not acceptable).

    Examples
    --------
    >>> weighted("text/html, application/ld+json;q=0.9, */*;q=x")
    [(0, 'text/html', 1.0), (1, 'application/ld+json', 0.9), (2, '*/*', 0.0)]
    """
    items = []
    for position, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        quality = 1.0
        for parameter in pieces[1:]:
            if parameter.startswith("q="):
                try:
                    quality = float(parameter[2:])
                except ValueError:
                    quality = 0.0
        items.append((position, pieces[0].lower(), quality))
    return items


def page_language(accept_language: str) -> str:
    """``fr`` when the ``Accept-Language`` header prefers French to English, else ``en``.

    Examples
    --------
    >>> page_language("fr-FR,fr;q=0.9,en;q=0.8"), page_language("de, fr;q=0.5"), page_language("")
    ('fr', 'fr', 'en')
    >>> page_language("en-GB,fr;q=0.9")
    'en'
    """
    best: tuple[float, int, str] | None = None
    for position, token, quality in weighted(accept_language):
        tag = token.split("-", 1)[0]
        if tag in ("fr", "en") and quality > 0 and (best is None or (-quality, position) < best[:2]):
            best = (-quality, position, tag)
    return best[2] if best else "en"


# -- HTML --------------------------------------------------------------------------------------

_STYLE = (
    "body{font-family:sans-serif;max-width:60em;margin:auto;padding:1em;line-height:1.4}"
    "table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:4px 8px;"
    "text-align:left;vertical-align:top}th{width:14em;font-weight:normal;color:#444}"
    "code{font-size:90%;color:#555}small{color:#777}section{margin-top:1.5em}"
)

_WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "types": "Types",
        "sources": "Sources",
        "pointing": "Resources pointing here",
        "more": "The first {n} are listed; ask the SPARQL endpoint for the others.",
        "formats": "Also as Turtle, JSON-LD, N-Triples or RDF/XML: ask with an Accept header.",
        "endpoint": "SPARQL endpoint",
        "ontology": "Ontology",
    },
    "fr": {
        "types": "Types",
        "sources": "Sources",
        "pointing": "Ressources qui pointent ici",
        "more": "Les {n} premières sont listées ; le point d'accès SPARQL donne les autres.",
        "formats": "Aussi en Turtle, JSON-LD, N-Triples ou RDF/XML : le demander par l'en-tête Accept.",
        "endpoint": "Point d'accès SPARQL",
        "ontology": "Ontologie",
    },
}


def _hash_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def page_policy(styles: Sequence[str] = (_STYLE,), *, images: bool = False) -> str:
    """The Content-Security-Policy of a page whose only inline content is ``styles``.

    Examples
    --------
    >>> page_policy(["p{}"]).split("; ")[:2]
    ["default-src 'none'", "style-src 'sha256-gG2yISYereRMiG2lMXrbiUgi0Ubw9p7QCeWcroOvy9Y='"]
    """
    hashes = " ".join(_hash_source(s) for s in styles) or "'none'"
    return (
        f"default-src 'none'; style-src {hashes}; "
        + ("img-src data:; " if images else "")
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


#: The policy of every page made here: its one inline style, nothing else.
PAGE_POLICY = page_policy()


@dataclass
class _Labels:
    """Labels by IRI and language, to name the resources a page links to."""

    by_iri: dict[str, dict[str, str]] = field(default_factory=dict)

    def add(self, triples: Iterable[ox.Triple]) -> None:
        for triple in triples:
            subject = triple.subject
            if (
                triple.predicate.value in _LABELS
                and isinstance(triple.object, ox.Literal)
                and isinstance(subject, ox.NamedNode | ox.BlankNode)
            ):
                found = self.by_iri.setdefault(subject.value, {})
                found.setdefault(triple.object.language or "", triple.object.value)

    def get(self, iri: str, lang: str) -> str | None:
        found = self.by_iri.get(iri)
        if not found:
            return None
        for choice in (lang, "en", "fr", ""):
            if choice in found:
                return found[choice]
        return next(iter(found.values()))


@cache
def _ontology_labels() -> _Labels:
    """Labels of the ontology's terms and concepts: a page names the properties by them even
    when the served graph holds no ontology."""
    from ptce_graph.io.vocabulary import ontology_ntriples

    labels = _Labels()
    labels.add(ox.parse(ontology_ntriples(), ox.RdfFormat.N_TRIPLES))
    return labels


def relative_root(path: str) -> str:
    """The relative reference from a page at ``path`` to the server's root.

    Examples
    --------
    >>> relative_root("/id/ptce/tetris"), relative_root("/ontology"), relative_root("/ontology/0.1.0")
    ('../../', '', '../')
    """
    return "../" * (path.count("/") - 1)


def _href(iri: str, base: str) -> str | None:
    """Where a link to ``iri`` goes: this server for the project's IRIs, the IRI itself for
    other web IRIs, nowhere for other schemes (``javascript:`` is data, not a link)."""
    if iri.startswith(BASE):
        return (base or "./") + iri[len(BASE) :]
    if iri.startswith(("http://", "https://")):
        return iri
    return None


def _anchor(iri: str) -> str:
    """The anchor of a resource on its document's page: the fragment, or the path of a concept."""
    if "#" in iri:
        return iri.split("#", 1)[1]
    if iri.startswith(BASE + "concept/"):
        return iri[len(BASE) :]
    return ""


class _Page:
    """Writes a resource page: tables of properties, blank nodes nested."""

    def __init__(self, triples: Sequence[ox.Triple], labels: _Labels, lang: str, base: str) -> None:
        self.lang, self.base, self.labels = lang, base, labels
        self.by_subject: dict[ox.NamedNode | ox.BlankNode, list[ox.Triple]] = {}
        for triple in triples:
            self.by_subject.setdefault(triple.subject, []).append(triple)  # type: ignore[arg-type]

    def name(self, iri: str) -> str:
        return self.labels.get(iri, self.lang) or _ontology_labels().get(iri, self.lang) or curie(iri)

    def link(self, iri: str) -> str:
        text = html.escape(self.name(iri))
        href = _href(iri, self.base)
        return f'<a href="{html.escape(href)}">{text}</a>' if href else f"<code>{html.escape(iri)}</code>"

    def value(self, term: object, depth: int) -> str:
        if isinstance(term, ox.NamedNode):
            return self.link(term.value)
        if isinstance(term, ox.BlankNode):
            inner = self.by_subject.get(term, [])
            return self.table(inner, depth + 1) if inner and depth < 8 else "<small>[ ]</small>"
        if isinstance(term, ox.Literal):
            text = html.escape(term.value).replace("\n", "<br>")
            if term.language:
                return f"{text} <small>@{html.escape(term.language)}</small>"
            if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                return f"{text} <small>{html.escape(curie(term.datatype.value))}</small>"
            return text
        return html.escape(str(term))

    def table(self, triples: Sequence[ox.Triple], depth: int = 0) -> str:
        rows: dict[str, list[str]] = {}
        for triple in sorted(triples, key=lambda t: (t.predicate.value, str(t.object))):
            if (
                depth == 0
                and triple.predicate.value in (_RDF_TYPE, _SOURCE)
                and isinstance(triple.object, ox.NamedNode)
            ):
                continue  # shown in their own lists
            rows.setdefault(triple.predicate.value, []).append(self.value(triple.object, depth))
        body = "".join(
            f"<tr><th>{self.link(p)}</th><td>{'<br>'.join(values)}</td></tr>" for p, values in sorted(rows.items())
        )
        return f"<table>{body}</table>"

    def section(self, subject: ox.NamedNode, heading: str) -> str:
        words = _WORDS[self.lang]
        own = self.by_subject.get(subject, [])
        title = self.labels.get(subject.value, self.lang) or curie(subject.value)
        linked = [(t.predicate.value, t.object.value) for t in own if isinstance(t.object, ox.NamedNode)]
        types = sorted(o for p, o in linked if p == _RDF_TYPE)
        sources = sorted(o for p, o in linked if p == _SOURCE)
        anchor = _anchor(subject.value)
        parts = [
            f'<section id="{html.escape(anchor)}">' if anchor else "<section>",
            f"<{heading}>{html.escape(title)}</{heading}><p><code>{html.escape(subject.value)}</code></p>",
        ]
        if types:
            parts.append(f"<p>{words['types']}: {', '.join(self.link(t) for t in types)}</p>")
        parts.append(self.table(own))
        if sources:
            items = "".join(f"<li>{self.link(s)}</li>" for s in sources)
            parts.append(f"<h3>{words['sources']}</h3><ul>{items}</ul>")
        parts.append("</section>")
        return "".join(parts)


def _html(title: str, lang: str, body: str, base: str) -> str:
    words = _WORDS[lang]
    # text from the data may hold characters no HTML or XML document may: shown escaped
    return xml_text(
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>\n{body}\n"
        f'<hr><p><small>{words["formats"]} <a href="{base or "./"}">{words["endpoint"]}</a> · '
        f'<a href="{base or "./"}ontology">{words["ontology"]}</a></small></p></body></html>\n'
    )


def entity_page(iri: str, description: Description, *, lang: str = "en", base: str = "") -> str:
    """The HTML page of one resource from its :class:`Description`.

    ``base`` leads from the page's path back to the server's root (``../../`` for
    ``/id/ptce/tetris``, see :func:`relative_root`): links to the project's other resources
    stay on this server, whatever prefix a reverse proxy serves it under.

    Examples
    --------
    >>> store = ox.Store()
    >>> store.bulk_load(b'<https://w3id.org/ptce-graph/id/ptce/t> <http://www.w3.org/2000/01/rdf-schema#label> '
    ...                 b'"T <b>"@fr .\\n', ox.RdfFormat.N_TRIPLES)
    >>> page = entity_page("https://w3id.org/ptce-graph/id/ptce/t", describe(store, "https://w3id.org/ptce-graph/id/ptce/t"))
    >>> "<title>T &lt;b&gt;</title>" in page, "<script" in page
    (True, False)
    """
    triples = list(ox.parse(description.triples, ox.RdfFormat.N_TRIPLES))
    context = list(ox.parse(description.context, ox.RdfFormat.N_TRIPLES))
    labels = _Labels()
    labels.add([*triples, *context])
    page = _Page(triples, labels, lang, base)
    subject = ox.NamedNode(iri)
    parts = [page.section(subject, "h1")]
    for other in sorted((s for s in page.by_subject if isinstance(s, ox.NamedNode) and s != subject), key=str):
        parts.append(page.section(other, "h2"))
    pointing = [t for t in context if t.object == subject]
    if pointing:
        words = _WORDS[lang]
        items = "".join(
            f"<li>{page.link(t.subject.value)} <small>{html.escape(page.name(t.predicate.value))}</small></li>"
            for t in pointing
            if isinstance(t.subject, ox.NamedNode)
        )
        parts.append(f"<section><h2>{words['pointing']}</h2><ul>{items}</ul>")
        if description.more_links:
            parts.append(f"<p>{words['more'].format(n=len(pointing))}</p>")
        parts.append("</section>")
    title = labels.get(iri, lang) or curie(iri)
    return _html(title, lang, "\n".join(parts), base)


def _document_page(name: str, data: bytes, lang: str, base: str) -> str:
    """A plain page of a whole document (the ontology without pyLODE, the shapes): a section
    per named resource, anchored as the IRIs' fragments and concept paths are."""
    triples = list(ox.parse(data, ox.RdfFormat.N_TRIPLES))
    labels = _Labels()
    labels.add(triples)
    page = _Page(triples, labels, lang, base)
    subjects = sorted(
        (s for s in page.by_subject if isinstance(s, ox.NamedNode)), key=lambda s: (_anchor(s.value), s.value)
    )
    body = "\n".join(page.section(s, "h2") for s in subjects)
    title = f"ptce-graph: {name}"
    return _html(title, lang, f"<h1>{html.escape(title)}</h1>\n{body}", base)


# -- whole documents -----------------------------------------------------------------------------


class Documents:
    """The ontology, shapes and alignments, as RDF and as pages, each made once and kept.

    The RDF is what ``ptce-graph docs`` writes next to its pages; the ontology's page is
    pyLODE's when ``pyLODE`` is importable (see the module docstring for the times), a plain
    page otherwise. Pages are made on first request, one at a time.

    Parameters
    ----------
    pylode
        Whether to use pyLODE when it is installed (``False``: always the plain pages).
    """

    def __init__(self, *, pylode: bool = True) -> None:
        self.pylode = pylode
        self._lock = threading.Lock()
        self._locks: dict[tuple[str, str], threading.Lock] = {}
        self._cache: dict[tuple[str, str], tuple[bytes, str]] = {}
        self._vocabulary: ox.Store | None = None
        self._vocabulary_lock = threading.Lock()

    def describe(self, iri: str) -> Description:
        """The description of a concept of the code lists (``pgc:role/founder``...) in the
        ontology itself, whatever graph is served: the project's own IRIs always resolve, as
        ``/ontology`` does. Other IRIs get 404.

        Examples
        --------
        >>> Documents().describe("https://w3id.org/ptce-graph/concept/role/founder").status
        200
        >>> Documents().describe("https://w3id.org/ptce-graph/id/ptce/tetris").status
        404
        """
        if not iri.startswith(str(PGC)):
            return Description(404, message=f"no description of <{iri}> in the served graph")
        with self._vocabulary_lock:
            if self._vocabulary is None:
                from ptce_graph.io.vocabulary import ontology_ntriples

                # the ontology's own lines (read once per process), not the canonical document:
                # blank-node names do not matter to a concept's description
                store = ox.Store()
                store.bulk_load(ontology_ntriples(), ox.RdfFormat.N_TRIPLES)
                self._vocabulary = store
        return describe(self._vocabulary, iri)

    def _kept(self, key: tuple[str, str], make: Callable[[], tuple[bytes, str]]) -> tuple[bytes, str]:
        # one lock per item: the first request makes it while the others for the same item
        # wait, and a page being made (seconds) holds up nothing else
        with self._lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._cache:
                self._cache[key] = make()
            return self._cache[key]

    def rdf(self, name: str, fmt: str) -> bytes:
        """Document ``name`` (one of :data:`DOCUMENTS`) in RDF format ``fmt``."""
        return self._kept((name, fmt), lambda: (rdf_document(self._ntriples(name), fmt), ""))[0]

    def _ntriples(self, name: str) -> bytes:
        return self._kept((name, "nt-source"), lambda: (_document_ntriples(name), ""))[0]

    def page(self, name: str, lang: str, base: str = "") -> tuple[bytes, str]:
        """The HTML page of document ``name`` in ``lang`` and its Content-Security-Policy."""
        if name == "ontology" and self.pylode:
            made = self._kept((name, "pylode-" + lang), lambda: _pylode_page(lang))
            if made[1]:
                return made
        return self._kept(
            (name, f"html-{lang}-{base}"),
            lambda: (_document_page(name, self._ntriples(name), lang, base).encode(), PAGE_POLICY),
        )


def _document_ntriples(name: str) -> bytes:
    from rdflib.compare import to_canonical_graph

    from ptce_graph.io.vocabulary import ontology_graph
    from ptce_graph.publish.ontology_docs import rdf_documents

    # canonical blank-node names, as the docs command writes them: the same bytes every run
    return NTriples.from_graph(to_canonical_graph(rdf_documents(ontology_graph())[name])).data()


def _pylode_page(lang: str) -> tuple[bytes, str]:
    """pyLODE's page and its policy (its inline style by hash, its icons as data: images),
    or empty when pyLODE is not installed."""
    from ptce_graph.publish.ontology_docs import ontology_html

    try:
        text = ontology_html(lang)
    except InputError:  # pyLODE is not installed: the plain page instead
        return b"", ""
    styles = re.findall(r"<style>(.*?)</style>", text, flags=re.DOTALL)
    return text.encode(), page_policy(styles, images=True)
