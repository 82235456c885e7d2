"""Write a view with its actor metrics as GraphML, GEXF (with a timeline) or an edge list in CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Graph

from ptce_graph.errors import InputError
from ptce_graph.graph import PtceGraph
from ptce_graph.io.atomic import atomic_write
from ptce_graph.io.cells import check_xml_text, safe_cell
from ptce_graph.io.formats import formats
from ptce_graph.network.metrics import ACTOR_COLUMNS, DEFAULT_SEED, actor_metrics
from ptce_graph.network.table import MetricTable
from ptce_graph.network.views import DEFAULT_UNDATED, DEFAULT_VIEW, NetworkData, to_networkx
from ptce_graph.store import SparqlStore

__all__ = ["EDGE_COLUMNS", "NETWORK_FORMATS", "export_network", "network_bytes", "with_metrics"]

#: Network file formats and their usual extension.
#: Network formats and the extension written, from the one format table.
NETWORK_FORMATS: dict[str, str] = {f.name: f.extension for f in formats("network")}

#: Columns of the ``edges-csv`` format (then any other edge attribute, sorted by name).
EDGE_COLUMNS = (
    "source",
    "target",
    "source_label",
    "target_label",
    "relation",
    "relation_type",
    "role",
    "start",
    "end",
    "weight",
    "via",
    "periods",
    "sources",
)

_METRIC_ATTRIBUTES = tuple(c for c in ACTOR_COLUMNS if c not in ("node", "label", "kind"))


def with_metrics(graph: nx.Graph, table: MetricTable) -> nx.Graph:
    """A copy of ``graph`` whose nodes also carry the actor metrics (empty values left out)."""
    copy = graph.copy()
    for row in table:
        node = row["node"]
        if node in copy:
            for name in _METRIC_ATTRIBUTES:
                value = row[name]
                if value is not None:
                    copy.nodes[node][name] = value
    return copy


def _graphml(graph: nx.Graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml_xml(graph, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def _gexf_graph(graph: nx.Graph) -> nx.Graph:
    """The graph with GEXF's reserved names: times as ``start``/``end`` or ``spells``."""
    copy = graph.copy()
    copy.graph.clear()
    edges = copy.edges(keys=True, data=True) if copy.is_multigraph() else copy.edges(data=True)
    for *_, data in edges:
        periods = data.pop("periods", None)
        spells: list[tuple[str | None, str | None]] = []
        if periods:
            for item in str(periods).split("|"):
                first, _, last = item.partition("/")
                spells.append((None if first == ".." else first, None if last == ".." else last))
        if len(spells) > 1:  # several intervals: a GEXF spell each
            data.pop("start", None)
            data.pop("end", None)
            data["spells"] = spells
        if "label" not in data and "relation_type" in data:
            data["label"] = data["relation_type"]
    return copy


def _gexf(graph: nx.Graph) -> bytes:
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(_gexf_graph(graph))
    meta = writer.xml.find("meta")
    if meta is not None:  # the writer stamps today's date: left out, so same input, same bytes
        meta.attrib.pop("lastmodifieddate", None)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _edges_csv(graph: nx.Graph) -> bytes:
    edges: list[tuple[str, str, dict[str, Any]]] = [
        (u, v, d)
        for u, v, *rest in (graph.edges(keys=True, data=True) if graph.is_multigraph() else graph.edges(data=True))
        for d in [rest[-1]]
    ]
    extra = sorted({k for *_, d in edges for k in d} - set(EDGE_COLUMNS))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EDGE_COLUMNS + tuple(extra))
    ordered = sorted(edges, key=lambda e: (e[0], e[1], str(e[2].get("relation", ""))))
    for u, v, data in ordered:
        row = {
            "source": u,
            "target": v,
            "source_label": graph.nodes[u].get("label", ""),
            "target_label": graph.nodes[v].get("label", ""),
            **data,
        }
        writer.writerow(["" if row.get(c) is None else safe_cell(str(row.get(c))) for c in EDGE_COLUMNS + tuple(extra)])
    return buffer.getvalue().encode("utf-8")


_WRITERS: dict[str, Callable[[nx.Graph], bytes]] = {"graphml": _graphml, "gexf": _gexf, "edges-csv": _edges_csv}


def _check_xml(graph: nx.Graph, fmt: str) -> None:
    """Refuse a graph whose ids or text attributes hold a character XML 1.0 cannot carry."""
    label = {"graphml": "GraphML", "gexf": "GEXF"}[fmt]
    for node, data in graph.nodes(data=True):
        check_xml_text(str(node), f"node {node!r}", label)
        for key, value in data.items():
            check_xml_text(str(value), f"node {node}, attribute '{key}'", label)
    edges = graph.edges(keys=True, data=True) if graph.is_multigraph() else graph.edges(data=True)
    for u, v, *rest in edges:
        for key, value in rest[-1].items():
            check_xml_text(str(value), f"edge {u} - {v}, attribute '{key}'", label)
    for key, value in graph.graph.items():
        check_xml_text(str(value), f"graph attribute '{key}'", label)


def network_bytes(graph: nx.Graph, fmt: str) -> bytes:
    """The bytes of a (view) graph in ``graphml``, ``gexf`` or ``edges-csv``; same graph, same bytes.

    Examples
    --------
    >>> g = nx.Graph(); g.add_edge("urn:a", "urn:b", weight=1)
    >>> network_bytes(g, "edges-csv").decode().splitlines()[1]
    'urn:a,urn:b,,,,,,,,1,,,'
    """
    try:
        writer = _WRITERS[fmt]
    except KeyError:
        raise InputError(f"unknown network format '{fmt}'; choose one of {', '.join(NETWORK_FORMATS)}") from None
    if fmt in ("graphml", "gexf"):
        _check_xml(graph, fmt)
    return writer(graph)


def export_network(
    graph: PtceGraph | Graph | SparqlStore | NetworkData,
    view: str = DEFAULT_VIEW,
    fmt: str = "graphml",
    out: str | Path = "network.graphml",
    as_of: str | dt.date | None = None,
    *,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    seed: int = DEFAULT_SEED,
    betweenness_sample: int | None = None,
    undated: str = DEFAULT_UNDATED,
) -> Path:
    """Write one view, its node attributes and actor metrics, to ``out`` atomically.

    Parameters
    ----------
    graph
        An rdflib graph (or a store, or extracted data).
    view
        ``membership``, ``co-membership``, ``relations`` or ``ptce``.
    fmt
        ``graphml``, ``gexf`` (edge times as ``start``/``end`` or spells, so Gephi's timeline
        works) or ``edges-csv`` (one row per edge).
    out
        The file to write.
    as_of, start, end
        The time window (all time by default).
    undated
        In a window, ``"exclude"`` (default) or ``"include"`` relations with no date.
    seed, betweenness_sample
        As in :func:`~ptce_graph.network.actor_metrics`.

    Returns
    -------
    Path
        ``out``.

    Examples
    --------
    >>> import tempfile
    >>> from ptce_graph.network import example_graph
    >>> path = export_network(example_graph(), "co-membership", "graphml",
    ...                       Path(tempfile.mkdtemp()) / "co.graphml")
    >>> g = nx.read_graphml(path)
    >>> g.nodes["https://w3id.org/ptce-graph/id/actor/coop-a"]["betweenness"]
    0.6
    """
    if fmt not in NETWORK_FORMATS:
        raise InputError(f"unknown network format '{fmt}'; choose one of {', '.join(NETWORK_FORMATS)}")
    view_graph = to_networkx(graph, view, as_of=as_of, start=start, end=end, undated=undated)
    enriched = with_metrics(view_graph, actor_metrics(view_graph, seed=seed, betweenness_sample=betweenness_sample))
    data = network_bytes(enriched, fmt)
    path = Path(out)
    with atomic_write(path) as handle:
        handle.write(data)
    return path
