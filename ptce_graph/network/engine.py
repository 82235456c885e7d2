"""The graph library each measure runs on: igraph by default, NetworkX when asked, never both by chance.

Every measure of :mod:`.metrics` calls a function of this module on a simple undirected
``networkx.Graph``, with ``engine`` one of :data:`ENGINES`, and gets back a dict keyed by node.
One run uses one engine, named by the caller and recorded in the metric table's metadata
(``engine`` and ``engine_versions``); nothing in the environment changes it.

``igraph`` (the default) computes the heavy measures with python-igraph (a C library) and
numpy: exact betweenness is 30-50 times faster than in NetworkX, clustering and Burt's
constraint a hundred times (``docs/performance.md``), which is what makes national graphs
tractable (exact betweenness of a 10,000-node view takes 95 s in NetworkX). ``networkx`` runs
every measure in NetworkX itself, the reference whose definitions the measures follow: use
it to check a result, or where igraph cannot be installed.

Why igraph by default, with igraph and numpy both required dependencies: a researcher who
reruns an analysis with a plain ``pip install ptce-graph`` gets the same engine, hence the same
numbers, as its author, and large graphs are fast without knowing about a flag. Before, igraph
was required but numpy only an extra, so an install without numpy silently ran some measures
on NetworkX. Asking for igraph where it is missing is now an :class:`~ptce_graph.errors.InputError`
that says so, not a quiet switch.

The igraph results are NetworkX's, rescaled where the two libraries normalise differently;
the tests check them against NetworkX (``pytest.approx``) on Krackhardt's kite, the Florentine
families and the views of the shipped data:

* betweenness: igraph's counts of unordered pairs, normalised as NetworkX does (exact, or
  from the same random sources as NetworkX's sampled estimate with the same seed);
* closeness: igraph's closeness within each node's component, times (r-1)/(n-1) (the
  Wasserman-Faust correction NetworkX applies);
* eigenvector: NetworkX's own power iteration on A + I from the all-ones vector, run on
  arrays with numpy (the same fixed point, including on disconnected graphs);
* clustering, constraint, core number: igraph's implementations of the same formulas;
* effective size: Borgatti's formula n - 2t/n from igraph's triangle counts.

Louvain and modularity run on NetworkX with either engine, so that the communities of a seed
do not depend on the engine (igraph's Louvain visits nodes in another order).
"""

from __future__ import annotations

import functools
import math
import os
import pickle
import random
import subprocess
import sys
import warnings
import weakref
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from ptce_graph.errors import InputError
from ptce_graph.network.choices import DEFAULT_ENGINE, ENGINES, Engine
from ptce_graph.progress import announce

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "Engine",
    "average_clustering",
    "betweenness",
    "check_engine",
    "closeness",
    "clustering",
    "constraint",
    "core_number",
    "effective_size",
    "eigenvector",
    "engine_versions",
    "louvain",
    "modularity",
]


@functools.cache
def _igraph() -> tuple[Any, Any]:
    """igraph and numpy, imported on first use (0.4 s: commands that measure nothing skip it)."""
    try:
        import igraph
        import numpy
    except ImportError as exc:
        raise InputError(
            f"the igraph engine needs python-igraph and numpy, and {exc.name or 'one of them'} is not "
            "installed: install them (pip install igraph numpy; ptce-graph requires both) or choose "
            'engine="networkx" (command line: --engine networkx)'
        ) from exc
    return igraph, numpy


def check_engine(engine: str) -> Engine:
    """``engine`` if it is one of :data:`ENGINES` and its libraries can be imported.

    Raises
    ------
    InputError
        For an unknown engine, or ``igraph`` when python-igraph or numpy is not installed.

    Examples
    --------
    >>> check_engine("networkx")
    'networkx'
    >>> check_engine("graph-tool")
    Traceback (most recent call last):
    ...
    ptce_graph.errors.InputError: unknown network engine 'graph-tool'; choose one of igraph, networkx
    """
    if engine not in ENGINES:
        raise InputError(f"unknown network engine '{engine}'; choose one of {', '.join(ENGINES)}")
    if engine == "igraph":
        _igraph()
    return engine


def engine_versions(engine: Engine) -> str:
    """The libraries that compute the measures under ``engine``, with their versions.

    NetworkX is always listed: it holds the graphs and runs Louvain and modularity.

    Examples
    --------
    >>> engine_versions("networkx") == f"networkx {nx.__version__}"
    True
    """
    if check_engine(engine) == "networkx":
        return f"networkx {nx.__version__}"
    igraph, numpy = _igraph()
    return f"igraph {igraph.__version__}; numpy {numpy.__version__}; networkx {nx.__version__}"


def _on_networkx(engine: Engine) -> bool:
    return check_engine(engine) == "networkx"


Scores = dict[str, float | None]


def _nan_to_none(values: dict[Any, float]) -> Scores:
    return {
        str(k): (None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)) for k, v in values.items()
    }


@dataclass
class _Mirror:
    """The same graph in igraph, with NetworkX's node order; made once per NetworkX graph."""

    nodes: list[Any]
    graph: Any  # igraph.Graph
    edges: int

    @property
    def n(self) -> int:
        return len(self.nodes)


_MIRRORS: weakref.WeakKeyDictionary[nx.Graph, _Mirror] = weakref.WeakKeyDictionary()


def _mirror(graph: nx.Graph) -> _Mirror:
    known = _MIRRORS.get(graph)
    if known is not None and known.n == graph.number_of_nodes() and known.edges == graph.number_of_edges():
        return known
    nodes = list(graph.nodes())
    index = {node: i for i, node in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in graph.edges() if u != v]
    mirror = _Mirror(nodes, _igraph()[0].Graph(n=len(nodes), edges=edges, directed=False), graph.number_of_edges())
    _MIRRORS[graph] = mirror
    return mirror


def _keyed(mirror: _Mirror, values: Any) -> dict[Any, float]:
    return dict(zip(mirror.nodes, values))


#: Above this many vertices times edges, betweenness and closeness are shared between this
#: process and child processes, one per CPU (igraph holds Python's lock while it computes).
PARALLEL_WORK = 100_000_000


def _processes() -> int:
    if os.environ.get("PTCE_GRAPH_PARALLEL", "") == "0":
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _in_process(measure: str, mirror: _Mirror, share: list[int]) -> list[float]:
    if measure == "betweenness":
        return list(mirror.graph.betweenness(directed=False, sources=share))
    return list(mirror.graph.closeness(vertices=share, normalized=True))


def _shared(measure: str, mirror: _Mirror, items: list[int]) -> list[list[float]] | None:
    """``measure`` over ``items`` (sources or vertices) in shares, one per process; ``None`` when
    the graph is too small to be worth it.

    The first share is computed here while child processes (``_worker.py``, which imports
    igraph only) compute the others; a child that fails has its share computed here.
    """
    processes = _processes()
    if processes < 2 or mirror.n * mirror.edges < PARALLEL_WORK or len(items) < 2 * processes:
        return None
    shares = [items[i::processes] for i in range(processes)]  # interleaved: shares of equal cost
    flat = array("q", (v for edge in mirror.graph.get_edgelist() for v in edge)).tobytes()
    children = []
    for share in shares[1:]:
        try:
            child = subprocess.Popen(
                [sys.executable, str(Path(__file__).with_name("_worker.py"))],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            assert child.stdin is not None
            pickle.dump((measure, mirror.n, flat, share), child.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            child.stdin.close()
        except OSError:
            child = None
        children.append(child)
    results = [_in_process(measure, mirror, shares[0])]
    for child, share in zip(children, shares[1:]):
        values = None
        if child is not None:
            try:
                assert child.stdout is not None
                values = pickle.load(child.stdout)
            except (OSError, EOFError, pickle.UnpicklingError):
                values = None
            if child.wait() != 0:
                values = None
        results.append(values if values is not None else _in_process(measure, mirror, share))
    return results


def betweenness(
    graph: nx.Graph, *, sample: int | None = None, seed: int = 42, engine: Engine = DEFAULT_ENGINE
) -> Scores:
    """Normalised shortest-path betweenness, exact or from ``sample`` random sources.

    Examples
    --------
    >>> betweenness(nx.path_graph(3))
    {'0': 0.0, '1': 1.0, '2': 0.0}
    >>> betweenness(nx.path_graph(3), engine="networkx")
    {'0': 0.0, '1': 1.0, '2': 0.0}
    """
    announce("betweenness")
    n = graph.number_of_nodes()
    sampled = sample is not None and 0 < sample < n
    if _on_networkx(engine):
        if sampled:
            return _nan_to_none(nx.betweenness_centrality(graph, k=sample, normalized=True, seed=seed))
        return _nan_to_none(nx.betweenness_centrality(graph, normalized=True))
    mirror = _mirror(graph)
    big_n = n - 1  # pairs (s, t) with s != t and v not an endpoint, as NetworkX counts them
    if not sampled:
        parts = _shared("betweenness", mirror, list(range(n)))
        raw = [sum(values) for values in zip(*parts)] if parts else mirror.graph.betweenness(directed=False)
        scale = 2 / (big_n * (big_n - 1)) if big_n >= 2 else 1.0  # igraph counts each pair once
        return _nan_to_none({node: value * scale for node, value in zip(mirror.nodes, raw)})
    assert sample is not None
    sources = random.Random(seed).sample(list(graph.nodes()), sample)  # NetworkX's own draw
    index = {node: i for i, node in enumerate(mirror.nodes)}
    chosen_indices = [index[s] for s in sources]
    parts = _shared("betweenness", mirror, chosen_indices)
    raw = (
        [sum(values) for values in zip(*parts)]
        if parts
        else mirror.graph.betweenness(directed=False, sources=chosen_indices)
    )
    chosen = set(sources)
    if big_n < 2:
        return _nan_to_none(_keyed(mirror, [2 * value for value in raw]))
    source_scale = 1 / ((sample - 1) * (big_n - 1)) if sample > 1 else math.nan
    other_scale = 1 / (sample * (big_n - 1))
    return _nan_to_none(
        {node: 2 * value * (source_scale if node in chosen else other_scale) for node, value in zip(mirror.nodes, raw)}
    )


def closeness(graph: nx.Graph, *, engine: Engine = DEFAULT_ENGINE) -> Scores:
    """Closeness with the Wasserman-Faust correction for disconnected graphs.

    Examples
    --------
    >>> closeness(nx.path_graph(3))["1"]
    1.0
    """
    announce("closeness")
    if _on_networkx(engine) or graph.number_of_nodes() < 2:
        return _nan_to_none(nx.closeness_centrality(graph))
    mirror = _mirror(graph)
    n = mirror.n
    size = [0] * n
    for component in mirror.graph.connected_components():
        for vertex in component:
            size[vertex] = len(component)
    everyone = list(range(n))
    parts = _shared("closeness", mirror, everyone)
    if parts:
        values = [0.0] * n
        processes = len(parts)
        for offset, part in enumerate(parts):
            values[offset::processes] = part
    else:
        values = mirror.graph.closeness(normalized=True)
    return _nan_to_none(
        {
            node: 0.0 if math.isnan(value) else value * (size[i] - 1) / (n - 1)
            for i, (node, value) in enumerate(zip(mirror.nodes, values))
        }
    )


def eigenvector(graph: nx.Graph, *, engine: Engine = DEFAULT_ENGINE) -> Scores:
    """Eigenvector centrality by power iteration on A + I; ``None`` everywhere if it fails.

    Examples
    --------
    >>> round(eigenvector(nx.path_graph(3))["1"], 6)
    0.707107
    """
    announce("eigenvector")
    on_networkx = _on_networkx(engine)
    if graph.number_of_nodes() == 0:
        return {}
    max_iter, tol = 10_000, 1e-13
    try:
        if on_networkx:
            return _nan_to_none(nx.eigenvector_centrality(graph, max_iter=max_iter, tol=tol))
        return _nan_to_none(_power_iteration(graph, max_iter=max_iter, tol=tol))
    except nx.PowerIterationFailedConvergence:
        warnings.warn("eigenvector centrality did not converge; left empty", stacklevel=2)
        return {str(n): None for n in graph}


def _power_iteration(graph: nx.Graph, *, max_iter: int, tol: float) -> dict[Any, float]:
    """``nx.eigenvector_centrality(graph, weight=None)``'s iteration, on numpy arrays."""
    np = _igraph()[1]
    mirror = _mirror(graph)
    n = mirror.n
    pairs = np.asarray(mirror.graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    u, v = pairs[:, 0], pairs[:, 1]
    x = np.full(n, 1.0 / n)  # nstart = all ones, normalised to sum 1, as NetworkX does
    for _ in range(max_iter):
        last = x
        x = last + np.bincount(u, weights=last[v], minlength=n) + np.bincount(v, weights=last[u], minlength=n)
        norm = float(np.sqrt(np.dot(x, x)))
        x = x / (norm or 1.0)
        if float(np.abs(x - last).sum()) < n * tol:
            return _keyed(mirror, x.tolist())
    raise nx.PowerIterationFailedConvergence(max_iter)


def clustering(graph: nx.Graph, *, engine: Engine = DEFAULT_ENGINE) -> Scores:
    """Local clustering coefficient (unweighted).

    Examples
    --------
    >>> clustering(nx.complete_graph(3))
    {'0': 1.0, '1': 1.0, '2': 1.0}
    """
    announce("clustering")
    if _on_networkx(engine):
        return _nan_to_none(nx.clustering(graph))
    mirror = _mirror(graph)
    return _nan_to_none(_keyed(mirror, mirror.graph.transitivity_local_undirected(mode="zero")))


def average_clustering(graph: nx.Graph, *, engine: Engine = DEFAULT_ENGINE) -> float | None:
    """Mean local clustering, zeros included; ``None`` for an empty graph."""
    announce("average clustering")
    check_engine(engine)
    if graph.number_of_nodes() == 0:
        return None
    values = clustering(graph, engine=engine).values()
    return sum(v or 0.0 for v in values) / graph.number_of_nodes()


def constraint(graph: nx.Graph, *, engine: Engine = DEFAULT_ENGINE) -> Scores:
    """Burt's constraint (unweighted); ``None`` for isolated nodes.

    Examples
    --------
    >>> constraint(nx.path_graph(3))["1"]
    0.5
    """
    announce("constraint")
    if _on_networkx(engine):
        return _nan_to_none(nx.constraint(graph))
    mirror = _mirror(graph)
    values = mirror.graph.constraint()
    degrees = mirror.graph.degree()
    return _nan_to_none(
        {node: math.nan if degree == 0 else value for node, value, degree in zip(mirror.nodes, values, degrees)}
    )


def effective_size(graph: nx.Graph, *, engine: Engine = DEFAULT_ENGINE) -> Scores:
    """Burt's effective size (Borgatti's formula when unweighted); ``None`` for isolated nodes.

    Examples
    --------
    >>> effective_size(nx.star_graph(3))["0"]
    3.0
    """
    announce("effective size")
    if _on_networkx(engine):
        return _nan_to_none(nx.effective_size(graph))
    mirror = _mirror(graph)
    degrees = mirror.graph.degree()
    local = mirror.graph.transitivity_local_undirected(mode="zero")
    values = {}
    for node, degree, c in zip(mirror.nodes, degrees, local):
        if degree == 0:
            values[node] = math.nan
            continue
        ties = round(c * degree * (degree - 1) / 2)  # links among the node's neighbours
        values[node] = degree - 2 * ties / degree
    return _nan_to_none(values)


def core_number(graph: nx.Graph, *, engine: Engine = DEFAULT_ENGINE) -> dict[str, int]:
    """The k-core number of each node.

    Examples
    --------
    >>> core_number(nx.complete_graph(3))
    {'0': 2, '1': 2, '2': 2}
    """
    announce("core number")
    if _on_networkx(engine):
        return {str(k): int(v) for k, v in nx.core_number(graph).items()}
    mirror = _mirror(graph)
    return {str(node): int(value) for node, value in zip(mirror.nodes, mirror.graph.coreness())}


def louvain(graph: nx.Graph, *, seed: int = 42, resolution: float = 1.0) -> list[frozenset[str]]:
    """Louvain communities on the ``weight`` attribute, numbered by decreasing size.

    NetworkX's implementation whatever the engine, so that a seed gives the same communities.
    Communities are sorted by decreasing size, then by their smallest node IRI, so that
    community 0 is the largest and the numbering does not depend on the library's order.
    """
    announce("communities (Louvain)")
    if graph.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=seed)
    return sorted((frozenset(str(n) for n in c) for c in found), key=lambda c: (-len(c), min(c)))


def modularity(graph: nx.Graph, communities: list[frozenset[str]], *, resolution: float = 1.0) -> float | None:
    """Newman-Girvan modularity of a partition, on the ``weight`` attribute (NetworkX's, whatever the engine)."""
    announce("modularity")
    if graph.number_of_edges() == 0:
        return None
    return float(nx.community.modularity(graph, communities, weight="weight", resolution=resolution))
