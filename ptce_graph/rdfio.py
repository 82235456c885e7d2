"""Read RDF files safely (no network, clear positions in errors) and write files atomically."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import InputError

__all__ = ["FORMATS", "format_of", "parse_rdf_file", "parse_rdf_text", "atomic_write", "ox_to_rdflib"]

#: File extensions and the rdflib format names they stand for.
FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}

CONTEXT_IRI = "https://w3id.org/ptce-graph/context.jsonld"
_LINE = re.compile(r"line (\d+)", re.IGNORECASE)


def format_of(path: Path) -> str:
    """The RDF format of a file, from its extension.

    Examples
    --------
    >>> format_of(Path("ptce.jsonld"))
    'json-ld'
    """
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise InputError.at(path, f"unknown RDF file extension '{path.suffix}'; "
                            f"expected one of {', '.join(sorted(FORMATS))}") from None


def ox_to_rdflib(term: Any) -> Node:
    """Convert a pyoxigraph term to the equal rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported term {term!r}")


def _local_context() -> dict[str, Any]:
    from .resources import jsonld_context_file

    loaded: dict[str, Any] = json.loads(jsonld_context_file().read_text(encoding="utf-8"))["@context"]
    return loaded


def _offline_contexts(node: Any, where: str) -> Any:
    """Replace our own context IRI by the shipped context; refuse any other remote context."""
    if isinstance(node, list):
        return [_offline_contexts(item, where) for item in node]
    if not isinstance(node, dict):
        return node
    result = {}
    for key, value in node.items():
        if key == "@context":
            result[key] = _context_value(value, where)
        else:
            result[key] = _offline_contexts(value, where)
    return result


def _context_value(value: Any, where: str) -> Any:
    if isinstance(value, list):
        return [_context_value(item, where) for item in value]
    if isinstance(value, str):
        if value == CONTEXT_IRI:
            return _local_context()
        raise InputError.at(where, f"remote JSON-LD @context '{value}' refused: ptce-graph never "
                            "fetches from the network while parsing; inline the context")
    if value is not None and not isinstance(value, dict):
        raise InputError.at(where, f"invalid JSON-LD @context (a {type(value).__name__})")
    return value


def parse_rdf_text(text: str, fmt: str, *, where: str = "<string>") -> Graph:
    """Parse RDF text into a new rdflib graph; errors name ``where`` and the line.

    Examples
    --------
    >>> len(parse_rdf_text('<urn:a> <urn:b> "c" .', "nt"))
    1
    >>> parse_rdf_text('<urn:a> <urn:b> .', "turtle", where="x.ttl")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ptce_graph.errors.InputError: x.ttl:1: invalid Turtle: ...
    """
    graph = Graph(bind_namespaces="none")
    if fmt == "nt":
        try:
            for triple in ox.parse(text.encode("utf-8"), ox.RdfFormat.N_TRIPLES):
                graph.add((ox_to_rdflib(triple.subject), ox_to_rdflib(triple.predicate),
                           ox_to_rdflib(triple.object)))
        except SyntaxError as exc:
            line = getattr(exc, "lineno", None)
            raise InputError.at(where, f"invalid N-Triples: {exc.msg if hasattr(exc, 'msg') else exc}",
                                line=line) from exc
        return graph
    if fmt == "xml" and re.search(r"<!ENTITY", text[:65536], re.IGNORECASE):
        raise InputError.at(where, "RDF/XML with entity declarations (<!ENTITY>) refused: "
                            "entities can read local files or expand without bound")
    if fmt == "json-ld":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError.at(where, f"invalid JSON: {exc.msg} (column {exc.colno})",
                                line=exc.lineno) from exc
        text = json.dumps(_offline_contexts(document, where))
    try:
        graph.parse(data=text, format=fmt)
    except InputError:
        raise
    except Exception as exc:  # rdflib raises many types (BadSyntax, SAXParseException, ...)
        message = " ".join(str(exc).split())
        match = _LINE.search(message)
        names = {"turtle": "Turtle", "xml": "RDF/XML", "json-ld": "JSON-LD"}
        raise InputError.at(where, f"invalid {names.get(fmt, fmt)}: {message[:300]}",
                            line=int(match.group(1)) if match else None) from exc
    return graph


def parse_rdf_file(path: Path, fmt: str | None = None) -> Graph:
    """Parse one RDF file (format from its extension unless given), without network access."""
    fmt = fmt or format_of(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError.at(path, "file not found") from None
    except OSError as exc:
        raise InputError.at(path, f"cannot read file: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError.at(path, "not UTF-8 text (RDF files must be UTF-8)", line=line) from exc
    return parse_rdf_text(text, fmt, where=str(path))


@contextmanager
def atomic_write(path: Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """Write ``path`` all at once: to a temporary file in the same folder, then rename.

    If the work fails or is interrupted, ``path`` keeps its previous content and no
    temporary file is left behind.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(p, "w") as handle:
    ...     _ = handle.write("done")
    >>> p.read_text()
    'done'
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8", "newline": "\n"})) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
