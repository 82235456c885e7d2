"""Framed JSON-LD: the graph as nested documents (a PTCE with its memberships, members and sources).

A JSON-LD frame (https://www.w3.org/TR/json-ld11-framing/) says which nodes come first and what
is nested in them. The frames ship with the package (``ptce_graph/frames/*.jsonld``); the
framing is PyLD's, the JSON-LD reference implementation in Python, run on the compacted
JSON-LD of :mod:`~ptce_graph.io.serialize`. Nothing is ever fetched: the frames name the
shipped context by its IRI and a local document loader answers it from the package, refusing
every other address. The document written carries the context inline, so it reads the same
with no network.

The nesting only rearranges what the graph says: read back as RDF, a framed document is a part
of the graph (the frames pick some properties of nested nodes, ``@explicit``), never more.

Examples
--------
>>> frame_names()
('ptce',)
>>> from ptce_graph.graph import open_graph
>>> document = frame_document(open_graph(with_ontology=False).ntriples)
>>> pole = next(p for p in document["@graph"] if p["@id"] == "pg:ptce/pole-sud")
>>> sorted({m["role"] for m in pole["memberships"]})
['pgc:role/animator', 'pgc:role/carrying-structure', 'pgc:role/initiator', 'pgc:role/member']
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from ptce_graph.errors import InputError
from ptce_graph.io.ntriples import NTriples
from ptce_graph.io.rdf import CONTEXT_IRI
from ptce_graph.resources import frame_names, frames_dir, jsonld_context_file

__all__ = ["DEFAULT_FRAME", "frame_document", "frame_names", "local_document_loader"]

#: The frame used when none is named: one document per PTCE.
DEFAULT_FRAME = "ptce"


@cache
def _context() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(jsonld_context_file().read_text(encoding="utf-8"))
    return loaded


def _frame(name: str) -> dict[str, Any]:
    if name not in frame_names():
        raise InputError(f"unknown frame '{name}'; choose one of {', '.join(frame_names())}")
    loaded: dict[str, Any] = json.loads((frames_dir() / f"{name}.jsonld").read_text(encoding="utf-8"))
    return loaded


def local_document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """PyLD's document loader: the shipped context for its IRI, a refusal for any other address.

    Examples
    --------
    >>> local_document_loader(CONTEXT_IRI)["document"]["@context"]["pg"]
    'https://w3id.org/ptce-graph/id/'
    >>> local_document_loader("https://example.org/context.jsonld")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pyld.jsonld.JsonLdError: ... ptce-graph never fetches anything ...
    """
    from pyld import jsonld

    if url == CONTEXT_IRI:
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": _context()}
    raise jsonld.JsonLdError(
        f"remote JSON-LD document '{url}' refused: ptce-graph never fetches anything while framing",
        "jsonld.LoadDocumentError",
        code="loading document failed",
    )


def _inline(context: Any) -> Any:
    """The output's ``@context`` with the shipped context's IRI replaced by the context itself."""
    if context == CONTEXT_IRI:
        return _context()["@context"]
    if isinstance(context, list):
        return [_inline(item) for item in context]
    return context


def frame_document(nt: NTriples, frame: str = DEFAULT_FRAME) -> dict[str, Any]:
    """The graph framed by the shipped frame ``frame``: a JSON-LD document with a ``@graph`` of nodes.

    The nodes the frame matches are its top-level objects (for ``ptce``, every PTCE, by id),
    with what the frame nests in them embedded every time it is met (a source cited by ten
    memberships is written ten times), and properties with no value left out.

    Raises
    ------
    InputError
        For a frame name that is not shipped.
    """
    from pyld import jsonld

    from ptce_graph.io.serialize import serialize_lines

    framing = _frame(frame)
    compacted = json.loads(serialize_lines(nt, "jsonld"))
    options = {"documentLoader": local_document_loader, "ordered": True, "omitDefault": True, "omitGraph": False}
    framed: dict[str, Any] = jsonld.frame(compacted, framing, options)
    framed["@context"] = _inline(framed.get("@context", CONTEXT_IRI))
    return framed
