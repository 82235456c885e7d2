"""Deterministic serialisations of sorted N-Triples lines (sorted, stable, streamed): the RDF writers.

Every writer starts from the sorted N-Triples lines of the graph (:class:`~.ntriples.NTriples`),
so the same graph always gives the same bytes, whatever the order it was built in:

* ``nt``: the sorted lines themselves (terms written as rdflib's ``nt`` serialiser writes them);
* ``ttl``: pyoxigraph's Turtle writer over the sorted triples (grouped by subject), with the
  project's prefixes for vocabulary terms and full IRIs for instance data;
* ``jsonld``: compacted JSON-LD with the shipped context (``ptce_graph/context.jsonld``, the
  project's prefix map), every object's keys and every array sorted: the same document
  rdflib's JSON-LD serialiser gives with that context, written node by node.

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
from ptce_graph.io.formats import formats
from ptce_graph.io.ntriples import NTriples
from ptce_graph.model.namespaces import PREFIXES
from ptce_graph.resources import jsonld_context_file

__all__ = ["EXPORT_FORMATS", "TURTLE_PREFIXES", "WRITERS", "Writer", "serialize_lines", "write_lines", "writer_of"]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD = "http://www.w3.org/2001/XMLSchema#"

#: Prefixes used in Turtle: every prefix of the project but those of instance data (``pg:``,
#: ``pgc:``), whose local names hold ``/`` and would need escaping (``pg:actor\\/x``).
TURTLE_PREFIXES: dict[str, str] = {k: v for k, v in sorted(PREFIXES.items()) if k not in ("pg", "pgc")}


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
    buffer = io.BytesIO()
    ox.serialize(nt.triples(), buffer, fmt, prefixes=TURTLE_PREFIXES)
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
def _namespaces() -> dict[str, str]:
    """Namespace IRI -> prefix of the JSON-LD context."""
    return {iri: prefix for prefix, iri in _context().items() if isinstance(iri, str)}


def _split(iri: str) -> tuple[str, str]:
    for delimiter in ("#", "/", ":"):
        at = iri.rfind(delimiter)
        if at > -1:
            return iri[: at + 1], iri[at + 1 :]
    return iri, ""


@lru_cache(maxsize=1 << 20)
def _shrink(iri: str) -> str:
    """A node IRI as the context compacts it (``pg:dataset``; instance IRIs stay whole)."""
    namespace, name = _split(iri)
    prefix = _namespaces().get(namespace)
    return f"{prefix}:{name}" if prefix else iri


@lru_cache(maxsize=1 << 16)
def _symbol(iri: str) -> str:
    """A property or class IRI as the context compacts it (a term, or a compact IRI)."""
    term = _namespaces().get(iri)
    return term if term is not None else _shrink(iri)


_NATIVE: dict[str, Callable[[str], Any]] = {
    f"{_XSD}integer": int,
    f"{_XSD}double": float,
    f"{_XSD}boolean": lambda v: {"true": True, "1": True, "false": False, "0": False}[v.strip().lower()],
    f"{_XSD}string": str,
}

#: A JSON value ready to write: the text of a scalar, or the (key, value) texts of an object.
_Json = str | tuple[tuple[str, str], ...]
_ID, _LANGUAGE, _TYPE, _VALUE = '"@id"', '"@language"', '"@type"', '"@value"'


def _scalar(value: Any) -> str:
    """A JSON scalar exactly as ``json.dumps`` writes it."""
    if isinstance(value, str):
        return _quote_json(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return json.dumps(value)
    return repr(value)


def _flat(value: _Json) -> str:
    """A value on one line, as ``json.dumps(..., sort_keys=True, ensure_ascii=False)`` writes it."""
    if isinstance(value, str):
        return value
    return "{" + ", ".join(f"{k}: {v}" for k, v in value) + "}"


def _block(value: _Json, indent: str) -> str:
    """A value as ``json.dumps(..., indent=2)`` writes it at the given indentation."""
    if isinstance(value, str):
        return value
    inner = indent + "  "
    return "{\n" + ",\n".join(f"{inner}{k}: {v}" for k, v in value) + "\n" + indent + "}"


_UNESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"n": "\n", "r": "\r", '"': '"', "\\": "\\"}


def _literal(text: str) -> _Json:
    """A literal in the N-Triples form :func:`~.ntriples.nt_term` writes, as a JSON-LD value."""
    quote = text.rindex('"')
    lexical = text[1:quote]
    if "\\" in lexical:
        lexical = _UNESCAPE.sub(lambda m: _ESCAPES[m.group(1)], lexical)
    suffix = text[quote + 1 :]
    if suffix.startswith("@"):
        return ((_LANGUAGE, _quote_json(suffix[1:])), (_VALUE, _quote_json(lexical)))
    if not suffix:
        return _quote_json(lexical)  # xsd:string: a native JSON string
    datatype = suffix[3:-1]
    native = _NATIVE.get(datatype)
    if native is not None:
        try:
            return _scalar(native(lexical))
        except (ValueError, KeyError):
            pass
    return ((_TYPE, _quote_json(_symbol(datatype))), (_VALUE, _quote_json(lexical)))


def _nodes(lines: Iterable[str]) -> Iterator[tuple[str, dict[str, list[_Json]]]]:
    """(JSON id, {key: values}) per subject, from sorted N-Triples lines (grouped by subject)."""
    node: dict[str, list[_Json]] | None = None
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
        first = obj[0]
        value: _Json
        if first == "<":
            if predicate == rdf_type:
                key, value = "@type", _quote_json(_symbol(obj[1:-1]))
            else:
                key, value = _symbol(predicate[1:-1]), ((_ID, _quote_json(_shrink(obj[1:-1]))),)
        elif first == "_":
            key, value = _symbol(predicate[1:-1]), ((_ID, _quote_json(obj)),)
            blank_objects.add(obj[2:])
        else:
            key, value = _symbol(predicate[1:-1]), _literal(obj)
        values = node.get(key)
        if values is None:
            node[key] = [value]
        else:
            values.append(value)
    if node is not None:
        yield node_id, node
    for label in sorted(blank_objects - subjects):  # rdflib writes a node for every blank node
        yield f"_:{label}", {}


def _render_node(node_id: str, node: dict[str, list[_Json]], indent: str) -> str:
    """One node object as ``json.dumps(..., indent=2, sort_keys=True)`` writes it at ``indent``."""
    inner, item = indent + "  ", indent + "    "
    parts = [f"{inner}{_ID}: {node_id}"]
    for key in sorted(node):
        values = node[key]
        if len(values) == 1:
            parts.append(f"{inner}{_quote_json(key)}: {_block(values[0], inner)}")
        else:
            values.sort(key=_flat)
            items = ",\n".join(item + _block(v, item) for v in values)
            parts.append(f"{inner}{_quote_json(key)}: [\n{items}\n{inner}]")
    return "{\n" + ",\n".join(parts) + "\n" + indent + "}"


def _write_jsonld(nt: NTriples, out: IO[bytes]) -> None:
    with paused_gc():
        _write_jsonld_nodes(nt, out)


def _write_jsonld_nodes(nt: NTriples, out: IO[bytes]) -> None:
    # rdflib's output, once sorted, orders nodes by their JSON text, which starts with their
    # "@id" (always the first key): so by the JSON string of their id
    nodes = sorted(((_quote_json(i), n) for i, n in _nodes(nt.lines)), key=lambda pair: pair[0])
    context = json.dumps({"@context": _context()}, ensure_ascii=False, indent=2)[:-2]  # without the closing "\n}"
    out.write(context.encode("utf-8"))
    if len(nodes) == 1:  # a single node is written inline, as rdflib does
        body = _render_node(*nodes[0], "")[1:-2]  # without its braces
        out.write(b"," + body.encode("utf-8") + b"\n}\n")
        return
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


def _write_trig(nt: NTriples, out: IO[bytes]) -> None:
    _write_turtle(nt, out, ox.RdfFormat.TRIG)


def _write_rdfxml(nt: NTriples, out: IO[bytes]) -> None:
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
