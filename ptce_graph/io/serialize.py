"""Deterministic serialisations of sorted N-Triples lines (sorted, stable, streamed): the RDF writers.

Every writer starts from the sorted N-Triples lines of the graph (:class:`~.ntriples.NTriples`),
so the same graph always gives the same bytes, whatever the order it was built in:

* ``nt``: the sorted lines themselves (terms written as rdflib's ``nt`` serialiser writes them);
* ``ttl`` and ``trig``: pyoxigraph's writer over the sorted triples (grouped by subject),
  declaring the prefixes the file uses: the vocabularies' and one per collection of instance
  data or code list (``pg-ptce:tetris``, ``pgc-role:initiator``; see
  :func:`~ptce_graph.model.namespaces.collection_prefixes`). A local name Turtle cannot
  write is escaped (``pg-membership:x\\#period``) or, when no escape can, written as a full IRI;
* ``jsonld``: compacted JSON-LD with the shipped context (``ptce_graph/context.jsonld``): its
  terms are the keys (``label``, ``member``, ``role``, ``startDate``), IRIs are compact
  (``pg:ptce/tetris``), labels and notes are language maps; every object's keys and every
  array sorted, written node by node. Read back (pyoxigraph, rdflib, PyLD) it is the same graph.

A million triples serialise in seconds instead of the minutes rdflib's Turtle and JSON-LD
serialisers take (see ``docs/performance.md``).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache
from json.encoder import encode_basestring as _quote_json
from typing import IO, Any

import pyoxigraph as ox

from ptce_graph.errors import InputError
from ptce_graph.gcpause import paused_gc
from ptce_graph.io.cells import NOT_XML, check_xml_text
from ptce_graph.io.formats import formats
from ptce_graph.io.ntriples import NTriples
from ptce_graph.model.namespaces import PREFIXES, collection_prefixes, curie
from ptce_graph.resources import jsonld_context_file

__all__ = [
    "EXPORT_FORMATS",
    "TURTLE_PREFIXES",
    "WRITERS",
    "Writer",
    "json_document",
    "serialize_lines",
    "turtle_prefixes",
    "write_lines",
    "write_prefixed",
    "write_prefixed_quads",
    "writer_of",
]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD = "http://www.w3.org/2001/XMLSchema#"

#: The vocabulary prefixes of the project (all but those of instance data, ``pg:`` and ``pgc:``):
#: what RDF/XML writes element names with.
TURTLE_PREFIXES: dict[str, str] = {k: v for k, v in sorted(PREFIXES.items()) if k not in ("pg", "pgc")}


def json_document(value: Any, *, indent: int = 2, sort_keys: bool = False) -> bytes:
    r"""A JSON file's bytes: UTF-8, characters as they are (no ``\u`` escapes), a final newline.

    Examples
    --------
    >>> json_document({"b": 1, "a": "é"}, sort_keys=True).decode("utf-8")
    '{\n  "a": "é",\n  "b": 1\n}\n'
    """
    return (json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=sort_keys) + "\n").encode("utf-8")


def _iris(lines: Iterable[str]) -> set[str]:
    """Every IRI of the lines: subjects, predicates, objects and datatypes."""
    found: set[str] = set()
    add = found.add
    previous = ""
    for line in lines:
        subject_end = line.index(" ")
        subject = line[:subject_end]
        if subject != previous:  # the lines are grouped by subject
            previous = subject
            if subject[0] == "<":
                add(subject[1:-1])
        predicate_end = line.index(" ", subject_end + 1)
        add(line[subject_end + 2 : predicate_end - 1])
        if line[predicate_end + 1] == "<":
            add(line[predicate_end + 2 : -3])
        elif line[-3] == ">":  # a typed literal: "..."^^<datatype> .
            add(line[line.rindex("^^<") + 3 : -3])
    return found


def turtle_prefixes(nt: NTriples) -> dict[str, str]:
    """The prefixes a Turtle or TriG file of ``nt`` declares: those it uses, sorted by name.

    Every prefix of :data:`~ptce_graph.model.namespaces.PREFIXES` that an IRI of the graph is
    under, and one per collection of instance data or code list
    (:func:`~ptce_graph.model.namespaces.collection_prefixes`).

    Examples
    --------
    >>> nt = NTriples.from_lines([
    ...     '<https://w3id.org/ptce-graph/id/ptce/tetris> '
    ...     '<http://www.w3.org/2000/01/rdf-schema#label> "Tetris"@fr .'])
    >>> turtle_prefixes(nt)  # doctest: +NORMALIZE_WHITESPACE
    {'pg-ptce': 'https://w3id.org/ptce-graph/id/ptce/', 'rdfs': 'http://www.w3.org/2000/01/rdf-schema#'}
    >>> print(serialize_lines(nt, "ttl").decode(), end="")
    @prefix pg-ptce: <https://w3id.org/ptce-graph/id/ptce/> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    pg-ptce:tetris rdfs:label "Tetris"@fr .
    """
    iris = _iris(nt.lines)
    by_namespace = {iri: name for name, iri in {**PREFIXES, **collection_prefixes(iris)}.items()}
    used: dict[str, str] = {}
    seen: set[str] = set()
    for iri in iris:
        # the longest prefix is the one the writer uses: try the namespaces the IRI ends, longest first
        end = len(iri)
        while end > 0:
            end = max(iri.rfind("#", 0, end), iri.rfind("/", 0, end))
            namespace = iri[: end + 1]
            if namespace in seen:
                break
            seen.add(namespace)
            name = by_namespace.get(namespace)
            if name is not None:
                used[name] = namespace
                break
    return dict(sorted(used.items()))


def _write_ntriples(nt: NTriples, out: IO[bytes]) -> None:
    chunk: list[str] = []
    for line in nt.lines:
        chunk.append(line)
        if len(chunk) == 65536:
            out.write(("\n".join(chunk) + "\n").encode("utf-8"))
            chunk.clear()
    if chunk:
        out.write(("\n".join(chunk) + "\n").encode("utf-8"))


# -- Turtle --------------------------------------------------------------------------------------
def _write_turtle(nt: NTriples, out: IO[bytes], fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> None:
    write_prefixed(nt.triples(), turtle_prefixes(nt), out, fmt)


def write_prefixed(
    statements: Iterable[ox.Triple] | Iterable[ox.Quad], prefixes: dict[str, str], out: IO[bytes], fmt: ox.RdfFormat
) -> None:
    """Turtle or TriG by pyoxigraph (grouped by subject), its prefix lines sorted."""
    buffer = io.BytesIO()
    ox.serialize(statements, buffer, fmt, prefixes=prefixes)
    text = buffer.getvalue()
    # the prefix lines come first, in an order of pyoxigraph's choosing: sort them
    header: list[bytes] = []
    position = 0
    while text.startswith(b"@prefix ", position):
        end = text.index(b"\n", position) + 1
        header.append(text[position:end])
        position = end
    out.write(b"".join(sorted(header)))
    out.write(memoryview(text)[position:])


# -- JSON-LD ---------------------------------------------------------------------------------------
@cache
def _context() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(jsonld_context_file().read_text(encoding="utf-8"))["@context"]
    return loaded


@cache
def _prefixes() -> tuple[tuple[str, str], ...]:
    """(namespace IRI, prefix) of the context, longest namespace first (a prefix is an absolute IRI)."""
    found = [(iri, name) for name, iri in _context().items() if isinstance(iri, str) and "://" in iri]
    return tuple(sorted(found, key=lambda pair: (-len(pair[0]), pair[1])))


def _expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    namespace = _context().get(prefix)
    return namespace + local if isinstance(namespace, str) and "://" in namespace else curie


#: How a term writes its values: as IRIs (``@id``), as a language map (``@language``), with one
#: datatype (its IRI), or as they come (``""``).
_AS_IRI, _AS_LANGUAGE_MAP, _AS_IS = "@id", "@language", ""


@cache
def _terms() -> dict[str, tuple[str, str]]:
    """Property IRI -> (term, how the term writes its values), from the shipped context."""
    terms: dict[str, tuple[str, str]] = {}
    for term, definition in _context().items():
        if term.startswith("@") or (isinstance(definition, str) and "://" in definition):
            continue  # a keyword, or a prefix
        if isinstance(definition, str):
            terms[_expand(definition)] = (term, _AS_IS)
            continue
        coercion = definition.get("@type")
        if definition.get("@container") == "@language":
            how = _AS_LANGUAGE_MAP
        elif coercion == "@id":
            how = _AS_IRI
        else:
            how = _expand(coercion) if coercion else _AS_IS
        terms[_expand(definition["@id"])] = (term, how)
    return terms


@lru_cache(maxsize=1 << 20)
def _shrink(iri: str) -> str:
    """An IRI as a compact IRI of the context (``pg:ptce/tetris``), or whole when no prefix fits.

    A local part starting with ``//`` would read as an absolute IRI, so such an IRI stays whole.
    """
    for namespace, prefix in _prefixes():
        if iri.startswith(namespace) and not iri.startswith("//", len(namespace)):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


@lru_cache(maxsize=1 << 16)
def _symbol(iri: str) -> str:
    """A property IRI as a key when no term fits its value (a compact IRI, or the IRI)."""
    return _shrink(iri)


#: A JSON value ready to write: the text of a scalar, the (key, value) texts of an object, or a list.
_Json = str | tuple[tuple[str, "_Json"], ...] | list["_Json"]
_ID, _LANGUAGE, _TYPE, _VALUE, _NONE = '"@id"', '"@language"', '"@type"', '"@value"', '"@none"'
#: The canonical lexical form of an xsd:integer small enough to be a JSON number both ways.
_CANONICAL_INTEGER = re.compile(r"(0|-?[1-9][0-9]{0,14})")


def _flat(value: _Json) -> str:
    """A value on one line, as ``json.dumps(..., sort_keys=True, ensure_ascii=False)`` writes it."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + ", ".join(_flat(v) for v in value) + "]"
    return "{" + ", ".join(f"{k}: {_flat(v)}" for k, v in value) + "}"


def _block(value: _Json, indent: str) -> str:
    """A value as ``json.dumps(..., indent=2)`` writes it at the given indentation."""
    if isinstance(value, str):
        return value
    inner = indent + "  "
    if isinstance(value, list):
        return "[\n" + ",\n".join(inner + _block(v, inner) for v in value) + "\n" + indent + "]"
    return "{\n" + ",\n".join(f"{inner}{k}: {_block(v, inner)}" for k, v in value) + "\n" + indent + "}"


_UNESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"n": "\n", "r": "\r", '"': '"', "\\": "\\"}


def _parts(text: str) -> tuple[str, str, str]:
    """(lexical form, language, datatype IRI) of a literal in the N-Triples form of :func:`~.ntriples.nt_term`."""
    quote = text.rindex('"')
    lexical = text[1:quote]
    if "\\" in lexical:
        lexical = _UNESCAPE.sub(lambda m: _ESCAPES[m.group(1)], lexical)
    suffix = text[quote + 1 :]
    if suffix.startswith("@"):
        return lexical, suffix[1:], ""
    return lexical, "", suffix[3:-1] if suffix else f"{_XSD}string"


def _literal(lexical: str, language: str, datatype: str) -> _Json:
    """A literal as a JSON-LD value under a key with no coercion.

    Only values that read back to the same literal become JSON natives: a plain string, an
    xsd:integer in canonical form, ``true`` and ``false``; every other literal keeps its lexical
    form (``"1e3"^^xsd:double`` read back from the number 1000 would be ``"1.0E3"``).
    """
    if language:
        return ((_LANGUAGE, _quote_json(language)), (_VALUE, _quote_json(lexical)))
    if datatype == f"{_XSD}string":
        return _quote_json(lexical)
    if datatype == f"{_XSD}integer" and _CANONICAL_INTEGER.fullmatch(lexical):
        return lexical
    if datatype == f"{_XSD}boolean" and lexical in ("true", "false"):
        return lexical
    return ((_TYPE, _quote_json(_shrink(datatype))), (_VALUE, _quote_json(lexical)))


#: The values of one node: key -> values, or key -> {language key -> values} for a language map.
_Node = dict[str, list[_Json] | dict[str, list[_Json]]]


def _add(node: _Node, key: str, value: _Json) -> None:
    values = node.get(key)
    if values is None:
        node[key] = [value]
    else:
        assert isinstance(values, list)
        values.append(value)


def _add_property(node: _Node, predicate: str, obj: str) -> None:
    """Put one (predicate, object) on a node under the key the context chooses for that value.

    As JSON-LD compaction does: the property's term when its coercion fits the value (an IRI for
    ``@type: @id``, a language-tagged or plain string for a language map, the term's datatype),
    else the property's compact IRI with the value written in full.
    """
    term, how = _terms().get(predicate, ("", "?"))
    first = obj[0]
    if first in "<_":
        target = _shrink(obj[1:-1]) if first == "<" else obj
        if how == _AS_IRI:
            _add(node, term, _quote_json(target))
        else:
            _add(node, term if how == _AS_IS else _symbol(predicate), ((_ID, _quote_json(target)),))
        return
    lexical, language, datatype = _parts(obj)
    if how == _AS_LANGUAGE_MAP and (language or datatype == f"{_XSD}string"):
        languages = node.setdefault(term, {})
        assert isinstance(languages, dict)
        languages.setdefault(_quote_json(language) if language else _NONE, []).append(_quote_json(lexical))
    elif how == datatype and not language:
        _add(node, term, _quote_json(lexical))
    else:
        _add(node, term if how == _AS_IS else _symbol(predicate), _literal(lexical, language, datatype))


def _nodes(lines: Iterable[str]) -> Iterator[tuple[str, _Node]]:
    """(JSON id, values by key) per subject, from sorted N-Triples lines (grouped by subject)."""
    node: _Node | None = None
    node_id = ""
    subject = None
    subjects: set[str] = set()
    blank_objects: set[str] = set()
    rdf_type = f"<{_RDF_TYPE}>"
    for line in lines:
        subject_end = line.index(" ")
        predicate_end = line.index(" ", subject_end + 1)
        s = line[:subject_end]
        if s != subject:
            if node is not None:
                yield node_id, node
            subject = s
            if s[0] == "_":
                subjects.add(s[2:])
                node_id = s
            else:
                node_id = _shrink(s[1:-1])
            node = {}
        assert node is not None
        predicate = line[subject_end + 1 : predicate_end]
        obj = line[predicate_end + 1 : -2]
        if obj[0] == "_":
            blank_objects.add(obj[2:])
        if predicate == rdf_type and obj[0] == "<":
            _add(node, "@type", _quote_json(_shrink(obj[1:-1])))
        else:
            _add_property(node, predicate[1:-1], obj)
    if node is not None:
        yield node_id, node
    for label in sorted(blank_objects - subjects):  # a node for every blank node, as rdflib writes
        yield f"_:{label}", {}


def _one_or_many(values: list[_Json]) -> _Json:
    if len(values) == 1:
        return values[0]
    values.sort(key=_flat)
    return values


def _render_node(node_id: str, node: _Node, indent: str) -> str:
    """One node object as ``json.dumps(..., indent=2, sort_keys=True)`` writes it at ``indent``."""
    inner = indent + "  "
    parts = [f"{inner}{_ID}: {node_id}"]
    for key in sorted(node):
        values = node[key]
        value: _Json
        if isinstance(values, dict):
            value = tuple((language, _one_or_many(values[language])) for language in sorted(values))
        else:
            value = _one_or_many(values)
        parts.append(f"{inner}{_quote_json(key)}: {_block(value, inner)}")
    return "{\n" + ",\n".join(parts) + "\n" + indent + "}"


def _write_jsonld(nt: NTriples, out: IO[bytes]) -> None:
    with paused_gc():
        _write_jsonld_nodes(nt, out)


def _write_jsonld_nodes(nt: NTriples, out: IO[bytes]) -> None:
    # nodes in the order of their "@id" (always their first key), as JSON strings
    nodes = sorted(((_quote_json(i), n) for i, n in _nodes(nt.lines)), key=lambda pair: pair[0])
    context = json.dumps({"@context": _context()}, ensure_ascii=False, indent=2)[:-2]  # without the closing "\n}"
    out.write(context.encode("utf-8"))
    if not nodes:
        out.write(b',\n  "@graph": []\n}\n')
        return
    out.write(b',\n  "@graph": [')
    chunk: list[str] = []
    for index, (node_id, node) in enumerate(nodes):
        chunk.append((",\n    " if index else "\n    ") + _render_node(node_id, node, "    "))
        if len(chunk) == 4096:
            out.write("".join(chunk).encode("utf-8"))
            chunk.clear()
    out.write("".join(chunk).encode("utf-8"))
    out.write(b"\n  ]\n}\n")


def write_prefixed_quads(data: bytes, out: IO[bytes]) -> None:
    """Sorted N-Quads lines as TriG, with the prefixes they use (:func:`turtle_prefixes`).

    Examples
    --------
    >>> data = b'<https://w3id.org/ptce-graph/id/ptce/t> <urn:p> "x" <https://w3id.org/ptce-graph/id/graph/data> .\\n'
    >>> buffer = io.BytesIO(); write_prefixed_quads(data, buffer)
    >>> print(buffer.getvalue().decode(), end="")  # doctest: +NORMALIZE_WHITESPACE
    @prefix pg-graph: <https://w3id.org/ptce-graph/id/graph/> .
    @prefix pg-ptce: <https://w3id.org/ptce-graph/id/ptce/> .
    pg-graph:data {
        pg-ptce:t <urn:p> "x" .
    }
    """
    lines = data.decode("utf-8").splitlines()
    # the graph name is one more IRI to declare a prefix for: as a subject of its own line
    triples = [line[: line.rindex(" <")] + " ." for line in lines]
    names = sorted({line[line.rindex(" <") + 1 : -2] for line in lines})
    prefixes = turtle_prefixes(NTriples.from_lines([*triples, *(f"{g} {g} {g} ." for g in names)]))
    write_prefixed(ox.parse(data, ox.RdfFormat.N_QUADS), prefixes, out, ox.RdfFormat.TRIG)


def _write_trig(nt: NTriples, out: IO[bytes]) -> None:
    _write_turtle(nt, out, ox.RdfFormat.TRIG)


def _write_rdfxml(nt: NTriples, out: IO[bytes]) -> None:
    # pyoxigraph writes every character as it is, and XML 1.0 cannot carry some that RDF literals
    # may hold: the first one found is refused with its node and property, before any byte
    text = nt.text()
    found = NOT_XML.search(text)
    if found is not None:
        line = text[text.rfind("\n", 0, found.start()) + 1 : text.find("\n", found.start())]
        subject, predicate, value = line.split(" ", 2)
        where = f"{curie(subject.strip('<>'))} {curie(predicate.strip('<>'))}"
        check_xml_text(value[: value.rfind(" .")], where, "RDF/XML")
    ox.serialize(nt.triples(), out, ox.RdfFormat.RDF_XML, prefixes=TURTLE_PREFIXES)


Writer = Callable[[NTriples, IO[bytes]], None]

#: The writer of each RDF format of :data:`~ptce_graph.io.formats.FORMATS`. N-Triples and N-Quads
#: are the sorted lines themselves (a graph is all in the default graph); JSON-LD is written
#: here because pyoxigraph cannot compact with the shipped context and rdflib's compacting
#: serialiser takes minutes on a national graph (``docs/performance.md``).
WRITERS: dict[str, Writer] = {
    "ttl": _write_turtle,
    "nt": _write_ntriples,
    "nq": _write_ntriples,
    "trig": _write_trig,
    "jsonld": _write_jsonld,
    "rdfxml": _write_rdfxml,
}
#: Output formats: name -> (file extension, writer of sorted N-Triples lines to a binary stream).
EXPORT_FORMATS: dict[str, tuple[str, Writer]] = {f.name: (f.extension, WRITERS[f.name]) for f in formats("rdf")}


def writer_of(fmt: str) -> Writer:
    """The writer of the RDF format named ``fmt``."""
    try:
        return WRITERS[fmt]
    except KeyError:
        raise InputError(f"unknown export format '{fmt}'; choose one of {', '.join(WRITERS)}") from None


def write_lines(nt: NTriples, fmt: str, out: IO[bytes]) -> None:
    """Write sorted N-Triples lines in ``fmt`` to a binary stream."""
    writer_of(fmt)(nt, out)


def serialize_lines(nt: NTriples, fmt: str) -> bytes:
    """The bytes of sorted N-Triples lines in ``fmt``; the same lines give the same bytes.

    Examples
    --------
    >>> nt = NTriples.from_lines(['<urn:b> <urn:p> "x" .', '<urn:a> <urn:p> "y" .'])
    >>> print(serialize_lines(nt, "nt").decode(), end="")
    <urn:a> <urn:p> "y" .
    <urn:b> <urn:p> "x" .
    """
    buffer = io.BytesIO()
    write_lines(nt, fmt, buffer)
    return buffer.getvalue()
