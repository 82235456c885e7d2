"""The one table of file and media formats: names, extensions, media types and Oxigraph formats.

Every place that reads, writes or negotiates a format looks it up here: the RDF reader (a
file's extension), ``export`` and ``query --format`` (a format name or an output file's
extension), ``serve`` (the ``Accept`` header), the remote-endpoint client (a response's
``Content-Type``) and the documentation. A new format is one new row.

Five kinds of formats:

* ``rdf``: graphs (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML), read and written;
* ``framed``: JSON-LD documents shaped by a shipped frame (a PTCE with its members nested),
  written only (read back, they are JSON-LD);
* ``results``: SPARQL query results (JSON, XML, CSV, TSV, and ``table`` for the terminal);
* ``network``: network views for Gephi and graph libraries (GraphML, GEXF, edge list);
* ``profile``: the graph as other SSE tools read it, written only: ``essglobal`` (the PTCEs
  and ESS enterprises as ESSGLOBAL initiatives, in Turtle), ``murmurations`` (Murmurations
  profiles, a folder of JSON files) and ``gogocarto`` (GoGoCarto elements, one JSON file).
* ``geo``: the located PTCEs and actors as GeoJSON points, written only.

Examples
--------
>>> rdf_format("jsonld").label, rdf_format_of_path(Path("x.TTL")).name
('JSON-LD', 'ttl')
>>> media_type_format("text/turtle; charset=utf-8").name
'ttl'
>>> [f.name for f in FORMATS if f.kind == "network"]
['graphml', 'gexf', 'edges-csv']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pyoxigraph as ox

from ptce_graph.errors import InputError

__all__ = [
    "FORMATS",
    "Format",
    "FormatKind",
    "format_names",
    "format_of_path",
    "formats",
    "media_type_format",
    "rdf_format",
    "rdf_format_of_path",
]

FormatKind = Literal["rdf", "framed", "results", "network", "profile", "geo"]


@dataclass(frozen=True)
class Format:
    """One format: how the command line names it, its file extensions and media types.

    ``extensions`` and ``media_types`` are in order of preference: the first is the one
    written. ``oxigraph`` is the pyoxigraph format that parses or serialises it, when one does.
    """

    name: str
    kind: FormatKind
    label: str
    extensions: tuple[str, ...]
    media_types: tuple[str, ...]
    oxigraph: ox.RdfFormat | ox.QueryResultsFormat | None = None
    #: Whether ptce-graph reads files in this format (RDF formats only).
    readable: bool = False

    @property
    def extension(self) -> str:
        """The extension written (``.ttl``)."""
        return self.extensions[0]

    @property
    def media_type(self) -> str:
        """The media type answered (``text/turtle``)."""
        return self.media_types[0]


#: Every format, RDF first; the order is the order of ``--help`` choices and of the docs.
FORMATS: tuple[Format, ...] = (
    Format(
        "ttl",
        "rdf",
        "Turtle",
        (".ttl", ".turtle"),
        ("text/turtle", "application/x-turtle"),
        ox.RdfFormat.TURTLE,
        readable=True,
    ),
    Format(
        "nt",
        "rdf",
        "N-Triples",
        (".nt",),
        ("application/n-triples", "text/plain"),
        ox.RdfFormat.N_TRIPLES,
        readable=True,
    ),
    Format("nq", "rdf", "N-Quads", (".nq",), ("application/n-quads",), ox.RdfFormat.N_QUADS, readable=True),
    Format("trig", "rdf", "TriG", (".trig",), ("application/trig",), ox.RdfFormat.TRIG, readable=True),
    Format(
        "jsonld", "rdf", "JSON-LD", (".jsonld", ".json"), ("application/ld+json",), ox.RdfFormat.JSON_LD, readable=True
    ),
    Format(
        "rdfxml",
        "rdf",
        "RDF/XML",
        (".rdf", ".owl", ".xml"),
        ("application/rdf+xml",),
        ox.RdfFormat.RDF_XML,
        readable=True,
    ),
    Format("jsonld-framed", "framed", "framed JSON-LD", (".jsonld", ".json"), ("application/ld+json",)),
    Format(
        "json",
        "results",
        "SPARQL JSON results",
        (".srj", ".json"),
        ("application/sparql-results+json", "application/json"),
        ox.QueryResultsFormat.JSON,
    ),
    Format(
        "xml",
        "results",
        "SPARQL XML results",
        (".srx", ".xml"),
        ("application/sparql-results+xml", "application/xml"),
        ox.QueryResultsFormat.XML,
    ),
    Format("csv", "results", "CSV", (".csv",), ("text/csv",), ox.QueryResultsFormat.CSV),
    Format("tsv", "results", "TSV", (".tsv",), ("text/tab-separated-values",), ox.QueryResultsFormat.TSV),
    Format("table", "results", "aligned text table", (".txt",), ("text/plain",)),
    Format("graphml", "network", "GraphML", (".graphml",), ("application/graphml+xml",)),
    Format("gexf", "network", "GEXF", (".gexf",), ("application/gexf+xml",)),
    Format("edges-csv", "network", "edge list (CSV)", (".csv",), ("text/csv",)),
    Format("essglobal", "profile", "ESSGLOBAL profile (Turtle)", (".ttl",), ("text/turtle",)),
    Format(
        "murmurations",
        "profile",
        "Murmurations profiles (a folder, one JSON file each)",
        (".json",),
        ("application/json",),
    ),
    Format("gogocarto", "profile", "GoGoCarto elements (JSON)", (".json",), ("application/json",)),
    Format("geojson", "geo", "GeoJSON", (".geojson",), ("application/geo+json",)),
)

_BY_NAME = {(f.kind, f.name): f for f in FORMATS}


def formats(kind: FormatKind) -> tuple[Format, ...]:
    """The formats of one kind, in table order."""
    return tuple(f for f in FORMATS if f.kind == kind)


def format_names(kind: FormatKind) -> tuple[str, ...]:
    """The names of the formats of one kind (for ``--format`` choices).

    Examples
    --------
    >>> format_names("rdf")
    ('ttl', 'nt', 'nq', 'trig', 'jsonld', 'rdfxml')
    """
    return tuple(f.name for f in formats(kind))


def rdf_format(name: str) -> Format:
    """The RDF format named ``name``; raises :class:`~.errors.InputError` for an unknown name."""
    found = _BY_NAME.get(("rdf", name))
    if found is None:
        raise InputError(f"unknown RDF format '{name}'; choose one of {', '.join(format_names('rdf'))}")
    return found


def format_of_path(path: Path, kind: FormatKind) -> Format | None:
    """The format of that kind a file name's extension stands for (``None`` when none does)."""
    suffix = path.suffix.lower()
    return next((f for f in formats(kind) if suffix in f.extensions), None)


def rdf_format_of_path(path: Path) -> Format:
    """The RDF format of a file, from its extension.

    Raises
    ------
    InputError
        For an extension no RDF format uses, naming the ones that are.
    """
    found = format_of_path(path, "rdf")
    if found is None:
        known = ", ".join(e for f in formats("rdf") for e in f.extensions)
        raise InputError.at(path, f"unknown RDF file extension '{path.suffix}'; expected one of {known}")
    return found


def media_type_format(content_type: str, kind: FormatKind = "rdf") -> Format | None:
    """The format of that kind a ``Content-Type`` value names (parameters ignored), or ``None``."""
    media = content_type.split(";", 1)[0].strip().lower()
    return next((f for f in formats(kind) if media in f.media_types), None)
