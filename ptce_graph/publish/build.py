"""The main job: load the data, validate it, write the exports and a summary."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import IO

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ptce_graph._version import __version__
from ptce_graph.check.duplicates import Duplicate, find_duplicates
from ptce_graph.check.validate import ValidationReport, validate
from ptce_graph.errors import Problem
from ptce_graph.graph import open_graph
from ptce_graph.io.atomic import atomic_folder
from ptce_graph.io.ingest import DEFAULT_BASE
from ptce_graph.io.layers import Change
from ptce_graph.io.ntriples import NTriples
from ptce_graph.io.serialize import json_document
from ptce_graph.model.namespaces import PTCE
from ptce_graph.publish.catalogue import (
    CATALOGUE_FILE,
    ContactPoint,
    PublishedFile,
    ReleaseDates,
    catalogue,
    resolve_base_url,
    standards,
)
from ptce_graph.publish.export import BUILD_FORMATS, EXPORT_FORMATS

__all__ = ["BuildResult", "build", "class_counts", "load", "read"]

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


def read(
    data: Sequence[str | Path] | None = None,
    *,
    include_shipped: bool = False,
    base: str = DEFAULT_BASE,
    progress: Progress = _quiet,
) -> NTriples:
    """The shipped dataset, or the given data folders, as sorted N-Triples lines (no ontology).

    A shortcut for ``open_graph(*data, include_shipped=..., with_ontology=False).ntriples``
    (see :func:`~ptce_graph.graph.open_graph`); ``base`` is the IRI the rows' nodes are minted
    under.

    Examples
    --------
    >>> len(read()) > 1000
    True
    """
    return open_graph(
        *(data or ()), include_shipped=include_shipped, with_ontology=False, base=base, progress=progress
    ).ntriples


def load(data: Sequence[str | Path] | None = None, *, include_shipped: bool = False) -> Graph:
    """The shipped dataset, or the given data folders, as an rdflib graph (no ontology).

    For rdflib users; the rest of the package works on :class:`~ptce_graph.graph.PtceGraph`
    values (:func:`~ptce_graph.graph.open_graph`), which are faster and lighter.

    Parameters
    ----------
    data
        Folders in the CSV templates of ``data/README.md``. ``None`` loads the shipped data.
    include_shipped
        Add the shipped data to ``data`` (a researcher's rows may then point at shipped ids).

    Examples
    --------
    >>> g = load()
    >>> len(g) > 1000
    True
    """
    return read(data, include_shipped=include_shipped).to_graph()


_TYPE = f"<{RDF.type}>"
_CLASS_PREFIX = f"<{PTCE._NS}"


def class_counts(graph: Graph | NTriples) -> dict[str, int]:
    """How many nodes have each ``ptce:`` class as a type, by class local name.

    Examples
    --------
    >>> class_counts(load())["PTCE"] >= 23
    True
    """
    namespace = str(PTCE._NS)
    if isinstance(graph, NTriples):
        counts: Counter[str] = Counter()
        for line in graph.lines:
            _, predicate, rest = line.split(" ", 2)
            if predicate == _TYPE and rest.startswith(_CLASS_PREFIX):
                counts[rest[len(_CLASS_PREFIX) : rest.index(">")]] += 1
        return dict(sorted(counts.items()))
    counts = Counter(
        str(cls)[len(namespace) :]
        for _, cls in graph.subject_objects(RDF.type)
        if isinstance(cls, URIRef) and str(cls).startswith(namespace)
    )
    return dict(sorted(counts.items()))


@dataclass(frozen=True)
class BuildResult:
    """What a build produced: the graph (as sorted N-Triples), its validation report and the files written."""

    ntriples: NTriples = field(repr=False)
    report: ValidationReport
    counts: dict[str, int]
    outputs: tuple[Path, ...]
    duplicates: tuple[Duplicate, ...] = ()
    #: What the later data folders enriched, corrected or retracted in earlier ones (the shipped data).
    changes: tuple[Change, ...] = ()
    #: Warnings of the read (values repaired, cells that look wrong).
    notices: tuple[Problem, ...] = ()

    @cached_property
    def graph(self) -> Graph:
        """The graph as an rdflib graph (made when first asked for: costly for large data)."""
        return self.ntriples.to_graph()

    @property
    def triples(self) -> int:
        """The number of triples."""
        return len(self.ntriples)

    @property
    def ok(self) -> bool:
        """True when no Violation-level result was found."""
        return self.report.passes("Violation")

    def summary(self) -> str:
        """A short text for the terminal: triples, counts per class, validation outcome."""
        width = max(len(name) for name in self.counts) if self.counts else 0
        lines = [f"ptce-graph {__version__}: {self.triples} triples"]
        lines += [f"  {name:<{width}}  {count:>6}" for name, count in self.counts.items()]
        lines.append(f"validation: {self.report.summary()}")
        if self.notices:
            lines.append(f"notices: {len(self.notices)}")
            lines += [f"  {n}" for n in self.notices[:50]]
        if self.changes:
            lines.append(f"changes to earlier folders: {len(self.changes)}")
            lines += [f"  {c}" for c in self.changes]
        if self.duplicates:
            lines.append(f"likely duplicates: {len(self.duplicates)}")
            lines += [f"  {d}" for d in self.duplicates[:50]]
        if self.outputs:
            lines.append("wrote: " + ", ".join(str(p) for p in self.outputs))
        return "\n".join(lines)


class _Hashing:
    """A binary stream that also computes the SHA-256 and the size of what goes through it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes | memoryview) -> int:
        self.sha256.update(data)
        self.size += data.nbytes if isinstance(data, memoryview) else len(data)
        return self.handle.write(data)


def build(
    data: Sequence[str | Path] | None = None,
    out: str | Path = "build",
    *,
    include_shipped: bool = False,
    progress: Progress = _quiet,
    base: str = DEFAULT_BASE,
    base_url: str | None = None,
    contact: ContactPoint | None = None,
) -> BuildResult:
    """Load, validate and write ``OUT/ptce.ttl``, ``ptce.jsonld``, ``ptce.nt``, ``validation.json``,
    ``summary.json`` and ``catalog.ttl``, their DCAT and VoID catalogue.

    Likely duplicates (:func:`~ptce_graph.check.duplicates.find_duplicates`) are listed in the result
    and in ``summary.json``; they are warnings, not errors. Nothing is written when the data has
    Violation-level results. The files are written as one set (:func:`~ptce_graph.io.atomic.atomic_folder`):
    into a new hidden folder beside ``OUT``, which then takes the place of ``OUT`` in one step, so
    ``OUT`` always holds one whole build (``summary.json``'s ``files`` are the SHA-256 digests of
    the exports beside it), and an interrupted or failed build leaves the previous one intact.
    Other files in ``OUT`` (your own exports) are carried into the new folder.

    Parameters
    ----------
    progress
        Called with a short message at the start of each stage (the command line prints
        them on stderr).
    base
        The IRI the rows' nodes are minted under (see :func:`~ptce_graph.io.ingest.read_folders`).
    base_url
        Where the files will be published: the catalogue's download URLs are ``base_url`` + file
        name (default :func:`~ptce_graph.publish.catalogue.default_base_url`).
    contact
        Whom to write to about the published dataset, the catalogue's ``dcat:contactPoint``
        (none by default).
    """
    out = Path(out)
    # a bad SOURCE_DATE_EPOCH or base URL stops the build before any work
    dates, base_url = ReleaseDates.of(), resolve_base_url(base_url)
    progress("loading data")
    graph = open_graph(
        *(data or ()), include_shipped=include_shipped, with_ontology=False, base=base, progress=progress
    )
    nt, changes, notices = graph.ntriples, graph.changes, graph.notices
    progress(f"validating {len(nt)} triples")
    report = validate(nt)
    counts = class_counts(nt)
    progress("looking for likely duplicates")
    duplicates = tuple(find_duplicates(nt))
    if not report.passes("Violation"):
        return BuildResult(nt, report, counts, (), duplicates, changes, notices)
    paths: list[Path] = []
    digests: dict[str, str] = {}
    published: list[PublishedFile] = []
    with atomic_folder(out) as folder:
        for name in BUILD_FORMATS:
            suffix, writer = EXPORT_FORMATS[name]
            progress(f"serialising {name}")
            path = out / f"ptce{suffix}"
            with (folder / path.name).open("wb") as handle:
                stream = _Hashing(handle)
                writer(nt, stream)  # type: ignore[arg-type]
            digests[path.name] = stream.sha256.hexdigest()
            published.append(PublishedFile(path.name, stream.size, digests[path.name]))
            paths.append(path)
        summary = {
            "ptce_graph_version": __version__,
            "triples": len(nt),
            "classes": counts,
            "validation": {
                "violations": report.violations,
                "warnings": report.warnings,
                "infos": report.infos,
                "conforms": report.conforms,
            },
            "files_read": [{"path": f.path, "encoding": f.encoding, "separator": f.separator} for f in graph.files],
            "notices": [str(n) for n in notices],
            "changes": [
                {
                    "kind": c.kind,
                    "table": c.table,
                    "row": c.row,
                    "column": c.column,
                    "before": c.before,
                    "after": c.after,
                    "where": c.where,
                    "sources": list(c.sources),
                }
                for c in changes
            ],
            "likely_duplicates": [
                {"first": d.first, "second": d.second, "reason": d.reason, "value": d.value} for d in duplicates
            ],
            "files": digests,
        }
        for path, content in (
            (out / "validation.json", report.to_json().encode("utf-8") + b"\n"),
            (out / "summary.json", json_document(summary)),
        ):
            (folder / path.name).write_bytes(content)
            published.append(PublishedFile.of_bytes(path.name, content))
            paths.append(path)
        progress(f"describing the files in {CATALOGUE_FILE}")
        content = catalogue(
            nt, published, base_url=base_url, base=base, dates=dates, conforms_to=standards(report), contact=contact
        )
        path = out / CATALOGUE_FILE
        (folder / path.name).write_bytes(content)
        paths.append(path)
        progress(f"replacing {out}")
    return BuildResult(nt, report, counts, tuple(paths), duplicates, changes, notices)
