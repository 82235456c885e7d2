"""The main job: load the data, validate it, write the exports and a summary."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from . import __version__
from .export import EXPORT_FORMATS, serialize
from .ingest import load_folders
from .namespaces import PTCE
from .rdfio import atomic_write
from .resources import shipped_data_dir
from .validate import ValidationReport, validate

__all__ = ["load", "build", "BuildResult", "class_counts"]

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


def load(data: Sequence[str | Path] | None = None, *, include_shipped: bool = False) -> Graph:
    """Load the shipped dataset, or the given data folders, into one RDF graph.

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
    shipped = shipped_data_dir()
    folders = [Path(d) for d in data] if data else [shipped]
    if data and include_shipped:
        folders.insert(0, shipped)
    return load_folders(folders, shipped=shipped in folders)


def class_counts(graph: Graph) -> dict[str, int]:
    """How many nodes have each ``ptce:`` class as a type, by class local name.

    Examples
    --------
    >>> class_counts(load())["PTCE"] >= 23
    True
    """
    namespace = str(PTCE._NS)
    counts = Counter(
        str(cls)[len(namespace):] for _, cls in graph.subject_objects(RDF.type)
        if isinstance(cls, URIRef) and str(cls).startswith(namespace)
    )
    return dict(sorted(counts.items()))


@dataclass(frozen=True)
class BuildResult:
    """What a build produced: the graph, its validation report and the files written."""

    graph: Graph = field(repr=False)
    report: ValidationReport
    counts: dict[str, int]
    outputs: tuple[Path, ...]

    @property
    def ok(self) -> bool:
        """True when no Violation-level result was found."""
        return self.report.passes("Violation")

    def summary(self) -> str:
        """A short text for the terminal: triples, counts per class, validation outcome."""
        width = max(len(name) for name in self.counts) if self.counts else 0
        lines = [f"ptce-graph {__version__}: {len(self.graph)} triples"]
        lines += [f"  {name:<{width}}  {count:>6}" for name, count in self.counts.items()]
        lines.append(f"validation: {self.report.summary()}")
        if self.outputs:
            lines.append("wrote: " + ", ".join(str(p) for p in self.outputs))
        return "\n".join(lines)


def build(data: Sequence[str | Path] | None = None, out: str | Path = "build", *,
          include_shipped: bool = False, progress: Progress = _quiet) -> BuildResult:
    """Load, validate and write ``OUT/ptce.ttl``, ``ptce.jsonld``, ``ptce.nt`` and ``summary.json``.

    Nothing is written when the data has Violation-level results; every file is written
    atomically, after all of them have been serialised, so an interrupted or failed build
    leaves earlier outputs intact.
    """
    out = Path(out)
    progress("loading data")
    graph = load(data, include_shipped=include_shipped)
    progress(f"validating {len(graph)} triples")
    report = validate(graph)
    counts = class_counts(graph)
    if not report.passes("Violation"):
        return BuildResult(graph, report, counts, ())
    files: dict[Path, bytes] = {}
    for name, (suffix, _) in EXPORT_FORMATS.items():
        progress(f"serialising {name}")
        files[out / f"ptce{suffix}"] = serialize(graph, name)
    summary = {
        "ptce_graph_version": __version__,
        "triples": len(graph),
        "classes": counts,
        "validation": {"violations": report.violations, "warnings": report.warnings,
                       "infos": report.infos, "conforms": report.conforms},
        "files": {path.name: hashlib.sha256(content).hexdigest() for path, content in files.items()},
    }
    files[out / "validation.json"] = report.to_json().encode("utf-8") + b"\n"
    files[out / "summary.json"] = (json.dumps(summary, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    for path, content in files.items():
        with atomic_write(path) as handle:
            handle.write(content)
    return BuildResult(graph, report, counts, tuple(files))
