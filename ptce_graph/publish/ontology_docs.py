"""The ontology as HTML documentation, in French and in English, with examples from the data.

The pages are made by pyLODE's OntPub profile (an optional dependency: ``pip install
'ptce-graph[docs]'``), which documents every class and property of an OWL ontology. pyLODE
does not choose labels by language: given both, it prints them side by side ("ActorActeur").
So each page is made from a copy of the ontology that keeps, for each resource and property,
only the literals in the page's language (or, when there are none, what there is). Around
pyLODE, this module adds what it does not do:

- **the code lists**: OntPub leaves SKOS concept schemes out (and merges their metadata into
  the ontology's), so they are taken out of its input and written as a section of their own,
  every scheme and concept anchored by its path (``#concept/role/founder``);
- **examples**: one or two instances of each class from the shipped data, given to pyLODE as
  ``skos:example`` (which it renders for classes), with the instance's label and CURIE;
- **stable anchors**: the fragment of a term is its local name in both languages
  (``#MutualisedResource``), not pyLODE's label-based fragment, so
  ``https://w3id.org/ptce-graph/ontology#MutualisedResource`` can redirect to either page;
- **a French page**: pyLODE's own headings are in English; on the French page the fixed ones
  are translated (:data:`FRENCH_HEADINGS`);
- **the same bytes for the same input**: pyLODE lists the members of an ``owl:unionOf`` in
  the order of a Python set of HTML elements, which changes from run to run; they are sorted;
- **no network**: pyLODE is given a graph (never an IRI), and runs under
  :func:`~ptce_graph.io.offline.no_network`, so an ``owl:imports`` is printed, never fetched.

There is no date in the pages, so nothing depends on the clock.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from ptce_graph.errors import InputError
from ptce_graph.io.atomic import atomic_folder
from ptce_graph.io.offline import no_network
from ptce_graph.io.vocabulary import ontology_graph
from ptce_graph.model.namespaces import PGC, PTCE, bind_prefixes, curie
from ptce_graph.resources import jsonld_context_file

if TYPE_CHECKING:
    from ptce_graph.graph import PtceGraph

__all__ = [
    "CONTEXT_FILE",
    "FRENCH_HEADINGS",
    "LANGUAGES",
    "RDF_DOCUMENTS",
    "RDF_FORMATS",
    "Example",
    "OntologyDocs",
    "class_examples",
    "language_copy",
    "ontology_html",
    "rdf_documents",
    "write_ontology_docs",
]

#: The languages of the pages, each written to ``ontology.{lang}.html``.
LANGUAGES = ("en", "fr")

#: The RDF formats written next to the pages, and their file extensions.
RDF_FORMATS = {"ttl": ".ttl", "jsonld": ".jsonld", "rdfxml": ".rdf", "nt": ".nt"}

#: The RDF documents written next to the pages: the ontology with its code lists
#: (``https://w3id.org/ptce-graph/ontology`` and ``…/concept/``), the SHACL shapes
#: (``…/shapes``) and the alignment module (``…/alignments``).
RDF_DOCUMENTS = ("ontology", "shapes", "alignments")

#: The JSON-LD context the exports and frames name (``https://w3id.org/ptce-graph/context.jsonld``),
#: written as it ships so that the IRI can be published with the pages.
CONTEXT_FILE = "context.jsonld"

_NS = str(PTCE._NS)
_ONTOLOGY = URIRef(_NS.rstrip("#"))

#: pyLODE's fixed English headings and their French translation (exact text of an element).
FRENCH_HEADINGS: Mapping[str, str] = {
    "Metadata": "Métadonnées",
    "Classes": "Classes",
    "Properties": "Propriétés",
    "Object Properties": "Propriétés d'objet",
    "Datatype Properties": "Propriétés de type de données",
    "Annotation Properties": "Propriétés d'annotation",
    "Functional Properties": "Propriétés fonctionnelles",
    "Named Individuals": "Individus nommés",
    "Namespaces": "Espaces de noms",
    "Legend": "Légende",
    "Table of Contents": "Table des matières",
    "Is Defined By": "Défini par",
    "Description": "Description",
    "Sub Class Of": "Sous-classe de",
    "Super Class Of": "Super-classe de",
    "Equivalent Class": "Classe équivalente",
    "Sub Property Of": "Sous-propriété de",
    "Super Property Of": "Super-propriété de",
    "In Domain Of": "Dans le domaine de",
    "In Range Of": "Dans le co-domaine de",
    "Domain": "Domaine",
    "Range": "Co-domaine",
    "Restriction": "Restriction",
    "Example": "Exemple",
    "Scope Note": "Note d'application",
    "Note": "Note",
    "Source": "Source",
    "Title": "Titre",
    "Creator": "Créateur",
    "Contributor": "Contributeur",
    "Publisher": "Éditeur",
    "Date Created": "Date de création",
    "Date Modified": "Date de modification",
    "Date Issued": "Date de publication",
    "License": "Licence",
    "Rights": "Droits",
    "Version Iri": "IRI de version",
    "Version Info": "Version",
    "Prior Version": "Version précédente",
    "Imports": "Importe",
    "Preferred Namespace Prefix": "Préfixe d'espace de noms préféré",
    "Preferred Namespace Uri": "URI d'espace de noms préféré",
    "OWL/RDFS Class": "Classe OWL/RDFS",
    "RDF Property": "Propriété RDF",
    "OWL Object Property": "Propriété d'objet OWL",
    "OWL Datatype Property": "Propriété de type de données OWL",
    "OWL Annotation Property": "Propriété d'annotation OWL",
    "OWL Functional Property": "Propriété fonctionnelle OWL",
    "OWL Named Individual": "Individu nommé OWL",
    "made by ": "produit par ",
    " with the ": " avec le profil ",
    "profile": "",
}

#: The words this module writes itself, per language.
_WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "code_lists": "Code lists",
        "scheme": "SKOS concept scheme",
        "definition": "Definition",
        "version": "Version",
        "code": "Code",
        "label": "Label",
        "broader": "Broader",
        "concepts": "Concepts",
        "examples_note": "Examples are instances of the shipped data, {n} at most per class, the first by IRI.",
        "index": "Documentation of the ptce-graph ontology",
    },
    "fr": {
        "code_lists": "Listes de codes",
        "scheme": "Schéma de concepts SKOS",
        "definition": "Définition",
        "version": "Version",
        "code": "Code",
        "label": "Libellé",
        "broader": "Plus large",
        "concepts": "Concepts",
        "examples_note": "Les exemples sont des instances des données livrées, au plus {n} par classe, "
        "les premières par IRI.",
        "index": "Documentation de l'ontologie ptce-graph",
    },
}


@dataclass(frozen=True)
class Example:
    """One instance of a class, shown on the class's entry.

    Examples
    --------
    >>> Example("https://w3id.org/ptce-graph/id/ptce/pole-sud", "Pôle Sud").text
    'Pôle Sud (pg:ptce/pole-sud)'
    """

    iri: str
    label: str | None = None

    @property
    def text(self) -> str:
        """The label and the CURIE, or the CURIE alone."""
        short = curie(self.iri)
        return f"{self.label} ({short})" if self.label else short


@dataclass(frozen=True)
class OntologyDocs:
    """What :func:`write_ontology_docs` wrote."""

    pages: tuple[Path, ...]
    files: tuple[Path, ...]
    terms: int
    schemes: int
    examples: int

    def summary(self) -> str:
        """One line for the user."""
        return (
            f"{len(self.pages)} page(s) documenting {self.terms} ontology terms and {self.schemes} code lists "
            f"({self.examples} examples from the data), and {len(self.files) - len(self.pages)} other file(s)"
        )


def _is_ptce(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(_NS)


def class_examples(graph: PtceGraph | None = None, *, per_class: int = 2) -> dict[URIRef, tuple[Example, ...]]:
    """Up to ``per_class`` instances of each ``ptce:`` class, the first by IRI, with a label.

    An instance's label is its ``rdfs:label`` (French first, then English, then any), else
    none. Only instances with an IRI under ``pg:`` (the data) are taken.

    Parameters
    ----------
    graph
        Where the instances come from; default: the shipped data.
    per_class
        How many instances at most per class.

    Examples
    --------
    >>> first, second = class_examples()[PTCE.PTCE]
    >>> first.iri < second.iri, first.text.endswith(f"({curie(first.iri)})")
    (True, True)
    """
    from ptce_graph.graph import as_graph

    rows = as_graph(graph).store.select(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?class ?s ?label WHERE { ?s a ?class . "
        f'FILTER (STRSTARTS(STR(?class), "{_NS}") && STRSTARTS(STR(?s), "https://w3id.org/ptce-graph/id/")) '
        "OPTIONAL { ?s rdfs:label ?label } }"
    )[1]
    labels: dict[tuple[URIRef, str], list[Literal]] = {}
    for cls, instance, label in rows:
        found = labels.setdefault((URIRef(str(cls)), str(instance)), [])
        if isinstance(label, Literal):
            found.append(label)
    rank = {"fr": 0, "en": 1}
    chosen: dict[URIRef, list[Example]] = {}
    for (cls, iri), found in sorted(labels.items()):
        picked = chosen.setdefault(cls, [])
        if len(picked) < per_class:
            best = min(found, key=lambda lit: (rank.get(lit.language or "", 2), str(lit)), default=None)
            picked.append(Example(iri, None if best is None else str(best)))
    return {cls: tuple(found) for cls, found in chosen.items()}


def language_copy(graph: Graph, lang: str) -> Graph:
    """A copy of ``graph`` keeping, for each subject and property, only the literals in ``lang``.

    Literals with no language are kept; when a subject has no literal of a property in
    ``lang`` at all, its literals in other languages are kept, so that nothing is lost.

    Examples
    --------
    >>> from rdflib.namespace import RDFS
    >>> g = Graph()
    >>> _ = g.add((PTCE.PTCE, RDFS.label, Literal("PTCE", lang="en")))
    >>> _ = g.add((PTCE.PTCE, RDFS.label, Literal("Pôle", lang="fr")))
    >>> _ = g.add((PTCE.PTCE, RDFS.comment, Literal("English only", lang="en")))
    >>> sorted(str(o) for o in language_copy(g, "fr").objects(PTCE.PTCE, None))
    ['English only', 'Pôle']
    """
    copy = bind_prefixes(Graph(bind_namespaces="none"))
    has_lang = {(s, p) for s, p, o in graph if isinstance(o, Literal) and o.language == lang}
    for s, p, o in graph:
        if isinstance(o, Literal) and o.language and o.language != lang and (s, p) in has_lang:
            continue
        copy.add((s, p, o))
    return copy


def _in_lang(graph: Graph, subject: URIRef, predicate: URIRef, lang: str) -> str:
    values = sorted(graph.objects(subject, predicate), key=lambda o: (getattr(o, "language", None) != lang, str(o)))
    return str(values[0]) if values else ""


@cache
def _ontpub() -> Any:
    """pyLODE's OntPub class, imported without the logging set-up pyLODE does on import.

    Importing pyLODE runs ``logging.basicConfig(level=DEBUG)`` (in a module of another
    profile), which would make every library's debug messages print on stderr; the root
    logger is put back as it was.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        from pylode import OntPub
    except ImportError as exc:
        raise InputError("ptce-graph docs needs pyLODE: pip install 'ptce-graph[docs]'") from exc
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
    return OntPub


@contextlib.contextmanager
def _sorted_unions() -> Iterator[None]:
    """Make pyLODE list the classes of an ``owl:unionOf`` in a stable order.

    pyLODE collects them in a set of HTML elements (hashed by identity) and hands the set to
    ``pylode.utils.intersperse``; sorting there by the rendered HTML gives the same bytes on
    every run.
    """
    import pylode.utils as utils

    original: Callable[[Any, Any], list[Any]] = utils.intersperse

    def ordered(items: Any, separator: Any) -> list[Any]:
        return original(sorted(items, key=lambda element: element.render()), separator)

    utils.intersperse = ordered
    try:
        yield
    finally:
        utils.intersperse = original


def _walk(element: Any) -> Iterator[Any]:
    yield element
    for child in getattr(element, "children", ()):
        yield from _walk(child)


def _translate(document: Any) -> None:
    """Put pyLODE's fixed headings and hover titles of the document into French."""
    from dominate.util import escape, unescape

    for element in _walk(document):
        children = getattr(element, "children", [])
        for index, child in enumerate(children):
            # dominate keeps text as escaped strings among an element's children
            if isinstance(child, str) and unescape(child) in FRENCH_HEADINGS:
                children[index] = escape(FRENCH_HEADINGS[unescape(child)])
        attributes = getattr(element, "attributes", {})
        title = str(attributes.get("title", ""))
        if title in FRENCH_HEADINGS:
            attributes["title"] = FRENCH_HEADINGS[title]
        elif attributes.get("class") == "hover_property":
            # pyLODE's descriptions of DCMI, RDFS and OWL terms are in English: show the IRI
            attributes["title"] = attributes.get("href", "")


def _code_lists(schemes: Graph, lang: str) -> tuple[Any, list[tuple[str, str]]]:
    """The code-list section and its table-of-contents entries (anchor, label)."""
    from dominate.tags import code, div, h2, h3, p, sup, table, tbody, td, th, thead, tr

    words = _WORDS[lang]
    section = div(id="codelists", _class="section")
    section.add(h2(words["code_lists"]))
    toc: list[tuple[str, str]] = []
    for scheme in sorted(s for s in schemes.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef)):
        path = "concept/" + str(scheme)[len(str(PGC)) :]  # the anchor is the IRI's path
        label = _in_lang(schemes, scheme, SKOS.prefLabel, lang)
        toc.append(("#" + path, label))
        entry = div(id=path, _class="property entity")
        entry.add(h3(label, sup("cs", _class="sup-c", title=words["scheme"])))
        facts = table()
        facts.add(tr(th("IRI"), td(code(str(scheme)))))
        facts.add(tr(th(words["definition"]), td(_in_lang(schemes, scheme, SKOS.definition, lang))))
        version = schemes.value(scheme, OWL.versionInfo)
        if version is not None:
            facts.add(tr(th(words["version"]), td(str(version))))
        entry.add(facts)
        concepts = table(_class="concepts")
        concepts.add(
            thead(tr(th(words["code"]), th(words["label"]), th(words["definition"]), th(words["broader"]), th("IRI")))
        )
        rows = tbody()
        members = sorted(c for c in schemes.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef))
        for concept in members:
            anchor = "concept/" + str(concept)[len(str(PGC)) :]
            broader = sorted(str(b) for b in schemes.objects(concept, SKOS.broader))
            rows.add(
                tr(
                    td(code(str(schemes.value(concept, SKOS.notation) or ""))),
                    td(_in_lang(schemes, concept, SKOS.prefLabel, lang)),
                    td(_in_lang(schemes, concept, SKOS.definition, lang)),
                    td(", ".join(b.rsplit("/", 1)[-1] for b in broader)),
                    td(code(str(concept))),
                    id=anchor,
                )
            )
        concepts.add(rows)
        entry.add(p(f"{words['concepts']} ({len(members)})"), concepts)
        section.add(entry)
    return section, toc


def _split(ontology: Graph) -> tuple[Graph, Graph]:
    """The OWL part (for pyLODE) and the SKOS code lists of the ontology graph."""
    skos = set(ontology.subjects(RDF.type, SKOS.Concept)) | set(ontology.subjects(RDF.type, SKOS.ConceptScheme))
    owl_part = bind_prefixes(Graph(bind_namespaces="none"))
    schemes = bind_prefixes(Graph(bind_namespaces="none"))
    for triple in ontology:
        (schemes if triple[0] in skos else owl_part).add(triple)
    return owl_part, schemes


def ontology_html(
    lang: str,
    *,
    examples: Mapping[URIRef, Sequence[Example]] | None = None,
    ontology: Graph | None = None,
    per_class: int = 2,
) -> str:
    """The HTML documentation of the ontology and its code lists in ``lang`` (``en`` or ``fr``).

    Parameters
    ----------
    lang
        The language of labels, definitions and headings.
    examples
        Instances to show per class (default: :func:`class_examples` of the shipped data;
        ``{}`` for none).
    ontology
        The ontology graph (default: the packaged ontology and code lists).
    per_class
        The most examples per class the page says it shows.

    Raises
    ------
    InputError
        For a language other than ``en`` and ``fr``, or when pyLODE is not installed.

    Examples
    --------
    >>> page = ontology_html("fr", examples={})
    >>> 'id="MutualisedResource"' in page, "<h3>Ressource mutualisée" in page
    (True, True)
    """
    if lang not in LANGUAGES:
        raise InputError(f"no documentation language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    ontpub = _ontpub()
    if examples is None:
        examples = class_examples(per_class=per_class)
    owl_part, schemes = _split(ontology_graph() if ontology is None else ontology)
    graph = language_copy(owl_part, lang)
    for cls, found in sorted(examples.items(), key=lambda item: str(item[0])):
        for example in found:
            graph.add((cls, SKOS.example, URIRef(example.iri)))
            graph.add((URIRef(example.iri), DCTERMS.title, Literal(example.text)))
    words = _WORDS[lang]
    terms = sorted({str(s) for s in graph.subjects(RDF.type, None) if _is_ptce(s)})

    class Page(ontpub):  # type: ignore[misc, valid-type]
        """OntPub with the code lists, stable anchors and the page's language."""

        def __init__(self) -> None:
            super().__init__(graph, sort_subjects=True)
            # the fragment of a ptce: term is its local name in every language
            self.fids.update({term: term[len(_NS) :] for term in terms})
            self.doc["lang"] = lang
            self.section, self.scheme_toc = _code_lists(schemes, lang)

        def _make_namespaces(self) -> None:
            from dominate.tags import p

            self.content.add(self.section)
            if examples:
                self.content.add(p(words["examples_note"].format(n=per_class), _class="examples-note"))
            super()._make_namespaces()

        def _make_toc(self) -> None:
            from dominate.tags import a, h4, li, ul

            super()._make_toc()
            first = next(e for e in _walk(self.doc) if getattr(e, "attributes", {}).get("class") == "first")
            entry = li(h4(a(words["code_lists"], href="#codelists")))
            entry.add(ul([li(a(label, href=anchor)) for anchor, label in self.scheme_toc], _class="second"))
            namespaces = next(i for i, child in enumerate(first.children) if 'href="#namespaces"' in child.render())
            first.children.insert(namespaces, entry)
            entry.parent = first

        def _make_body(self) -> None:
            super()._make_body()
            if lang == "fr":
                _translate(self.doc)

    with no_network(), _sorted_unions():
        page = Page()
        page._make_head(page._make_schema_org(), include_css=True)
        page._make_body()
        html: str = page.doc.render()
    return html if html.endswith("\n") else html + "\n"


def _index(pages: Sequence[str]) -> str:
    """A small page linking the documentation in each language (no script, no remote resource)."""
    from html import escape

    items = []
    for name in pages:
        lang = name.split(".")[1]
        items.append(f'    <li><a href="{name}" hreflang="{lang}">{escape(_WORDS[lang]["index"])}</a></li>')
    links = "\n".join(items)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n'
        "  <title>ptce-graph ontology</title>\n</head>\n<body>\n"
        f"  <h1>ptce-graph ontology</h1>\n  <ul>\n{links}\n  </ul>\n"
        '  <p>RDF: <a href="ontology.ttl">Turtle</a>, <a href="ontology.jsonld">JSON-LD</a>, '
        '<a href="ontology.rdf">RDF/XML</a>, <a href="ontology.nt">N-Triples</a>; '
        '<a href="shapes.ttl">SHACL shapes</a>, <a href="alignments.ttl">alignments</a>; '
        '<a href="context.jsonld">JSON-LD context</a>.</p>\n</body>\n</html>\n'
    )


def rdf_documents(ontology: Graph) -> dict[str, Graph]:
    """The graphs of :data:`RDF_DOCUMENTS`, by file stem, given the ontology graph (what
    ``ptce-graph docs`` writes, and ``ptce-graph serve`` answers at ``/ontology``, ``/shapes``...)."""
    from ptce_graph.resources import alignments_file, shape_files

    shapes = Graph()
    for path in shape_files():
        shapes.parse(path, format="turtle")
    return {
        "ontology": ontology,
        "shapes": shapes,
        "alignments": Graph().parse(alignments_file(), format="turtle"),
    }


def write_ontology_docs(
    out: Path,
    *,
    languages: Sequence[str] = LANGUAGES,
    examples_from: PtceGraph | None = None,
    per_class: int = 2,
    progress: Callable[[str], None] = lambda _: None,
) -> OntologyDocs:
    """Write the ontology's HTML pages, an index and the ontology as RDF into ``out``.

    Writes ``ontology.{lang}.html`` for each language, ``index.html`` linking them, the JSON-LD
    context (:data:`CONTEXT_FILE`), and as
    Turtle, JSON-LD, RDF/XML and N-Triples (:data:`RDF_FORMATS`) the ontology with its code
    lists, the shapes and the alignments (:data:`RDF_DOCUMENTS`): the files the
    ``https://w3id.org/ptce-graph/`` redirects point at (see ``docs/w3id.md``).
    The files are written as one set (:func:`~ptce_graph.io.atomic.atomic_folder`): ``out`` is
    replaced at once, other files in it are kept, and a failed run leaves it as it was. The same
    ontology and data give the same bytes.

    Parameters
    ----------
    out
        The folder to write (made if missing; not the current folder or one holding it).
    languages
        The page languages, among :data:`LANGUAGES`.
    examples_from
        The graph the class examples are taken from (default: the shipped data).
    per_class
        How many examples at most per class (0: none).
    progress
        Called with a short message before each page.

    Raises
    ------
    InputError
        When ``out`` cannot be written (exit code 2), or pyLODE is missing.

    Examples
    --------
    >>> import tempfile
    >>> docs = write_ontology_docs(Path(tempfile.mkdtemp()), languages=["en"], per_class=0)
    >>> [p.name for p in docs.pages], len(docs.files)
    (['ontology.en.html'], 15)
    """
    from rdflib.compare import to_canonical_graph

    from ptce_graph.publish.export import serialize

    for lang in languages:
        if lang not in LANGUAGES:
            raise InputError(f"no documentation language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    examples = class_examples(examples_from, per_class=per_class) if per_class > 0 else {}
    ontology = ontology_graph()
    pages: list[Path] = []
    written: list[Path] = []
    # the pages link to each other and to the RDF files: written as one set, swapped in at once
    with atomic_folder(out) as folder:
        for lang in languages:
            progress(f"writing the {lang} page")
            name = f"ontology.{lang}.html"
            html = ontology_html(lang, examples=examples, ontology=ontology, per_class=per_class)
            (folder / name).write_bytes(html.encode("utf-8"))
            pages.append(out / name)
        written.extend(pages)
        (folder / "index.html").write_bytes(_index([p.name for p in pages]).encode("utf-8"))
        written.append(out / "index.html")
        (folder / CONTEXT_FILE).write_bytes(jsonld_context_file().read_bytes())
        written.append(out / CONTEXT_FILE)
        for stem, graph in rdf_documents(ontology).items():
            # the parser names blank nodes (owl:unionOf lists, shapes' property nodes) at random:
            # canonical names instead, so that the files are the same on every run
            canonical = to_canonical_graph(graph)
            for fmt, extension in RDF_FORMATS.items():
                (folder / f"{stem}{extension}").write_bytes(serialize(canonical, fmt))
                written.append(out / f"{stem}{extension}")
    owl_part, schemes = _split(ontology)
    terms = {s for s in owl_part.subjects(RDF.type, None) if _is_ptce(s)}
    return OntologyDocs(
        pages=tuple(pages),
        files=tuple(written),
        terms=len(terms),
        schemes=len(set(schemes.subjects(RDF.type, SKOS.ConceptScheme))),
        examples=sum(len(found) for found in examples.values()),
    )
