"""Bipartite configuration model (BiCM) of the memberships: a p-value per shared PTCE or member.

Two actors who share a PTCE share it by chance more often when both belong to many PTCEs and
the PTCE is large. The BiCM (Saracco et al. 2015) is the maximum-entropy ensemble of
bipartite graphs whose expected degrees equal the observed ones: each link i–α is present
independently with probability p_iα = x_i y_α / (1 + x_i y_α), the x and y solving

    k_i = Σ_α p_iα for every actor i,    h_α = Σ_i p_iα for every PTCE α.

The number of PTCEs two actors i and j share (their V-motifs) is then a sum of independent
Bernoulli variables of probability p_iα p_jα: a Poisson-binomial variable, whose upper tail
P(V_ij ≥ v_ij) is the p-value of the observed count (Saracco et al. 2017). The validated
projection keeps the pairs whose p-value passes the Benjamini–Hochberg false discovery rate
over every pair of the layer. The same holds for PTCEs sharing members (the other layer).

The equations are solved here with numpy (a fixed-point iteration on degree classes) and the
Poisson-binomial tail is computed exactly; the tests check both against the PyPI package
``bicm`` and against enumeration.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import networkx as nx
import numpy as np
import numpy.typing as npt

from ptce_graph.errors import InputError
from ptce_graph.network.choices import DEFAULT_ALPHA
from ptce_graph.network.table import MetricTable
from ptce_graph.network.views import undated_meta
from ptce_graph.progress import announce

__all__ = [
    "BICM_COLUMNS",
    "LAYERS",
    "BiCMFit",
    "benjamini_hochberg",
    "bicm_pairs",
    "fit_bicm",
    "poisson_binomial_sf",
    "validated_projection",
]

#: Columns of :func:`bicm_pairs`.
BICM_COLUMNS = (
    "node_a",
    "label_a",
    "kind_a",
    "node_b",
    "label_b",
    "kind_b",
    "shared",
    "expected",
    "p_value",
    "validated",
)

Layer = Literal["actor", "ptce"]
#: The layers a membership graph projects onto: actors (sharing PTCEs) or PTCEs (sharing members).
LAYERS: tuple[Layer, ...] = ("actor", "ptce")

FloatArray = npt.NDArray[np.float64]

#: The solver stops when every expected degree is this close to the observed one...
TOLERANCE = 1e-10
#: ... or refuses the degrees after this many fixed-point iterations.
MAX_ITERATIONS = 100_000


@dataclass(frozen=True)
class BiCMFit:
    """The fitted BiCM of a biadjacency matrix.

    Attributes
    ----------
    probabilities
        p_iα, rows × columns: 1 for a row or column linked to everything on the other side,
        0 for one linked to nothing.
    max_error
        The largest difference between an expected and an observed degree.
    iterations
        The fixed-point iterations the solver took.
    """

    probabilities: FloatArray
    max_error: float
    iterations: int


@dataclass(frozen=True)
class _DegreeModel:
    """The BiCM of two degree sequences: what fixes or fits each row's and column's links.

    Rows (columns) of equal degree are alike, so nothing here is rows × columns: a row's
    probabilities are made when asked (:meth:`row`), and a pair of rows needs only two of them.
    A row or column linked to every free node of the other side, or to none, is fixed first
    (``*_step``, the round it was fixed in; ``*_value``, 1 or 0); a link between a fixed node
    and one fixed earlier takes the earlier one's value. The free ones have fitnesses x, y.
    """

    row_value: FloatArray
    row_step: FloatArray
    col_value: FloatArray
    col_step: FloatArray
    x: FloatArray
    y: FloatArray
    iterations: int

    @staticmethod
    def _line(
        value: float, step: float, fitness: float, others: tuple[FloatArray, FloatArray, FloatArray]
    ) -> FloatArray:
        """One node's probabilities against every node of the other side (``others``: their
        forced values, the rounds they were fixed in, their fitnesses)."""
        o_value, o_step, o_fitness = others
        if np.isfinite(step):
            return np.where(o_step < step, o_value, value)
        product = fitness * o_fitness
        return np.where(np.isfinite(o_step), o_value, product / (1 + product))

    def row(self, i: int) -> FloatArray:
        """p_iα for every column α."""
        return self._line(self.row_value[i], self.row_step[i], self.x[i], (self.col_value, self.col_step, self.y))

    def col(self, alpha: int) -> FloatArray:
        """p_iα for every row i."""
        return self._line(
            self.col_value[alpha], self.col_step[alpha], self.y[alpha], (self.row_value, self.row_step, self.x)
        )

    def max_error(self, row_degree: FloatArray, col_degree: FloatArray) -> float:
        """The largest difference between an expected and an observed degree (one row or column
        of each distinct degree stands for the others)."""
        errors = [0.0]
        for degrees, line in ((row_degree, self.row), (col_degree, self.col)):
            _, first = np.unique(degrees, return_index=True)
            errors += [abs(float(line(int(i)).sum()) - float(degrees[i])) for i in first]
        return max(errors)


def _degree_model(
    row_degree: FloatArray, col_degree: FloatArray, *, tolerance: float, max_iterations: int
) -> _DegreeModel:
    n, m = len(row_degree), len(col_degree)
    row_value, row_step = np.full(n, np.nan), np.full(n, np.inf)
    col_value, col_step = np.full(m, np.nan), np.full(m, np.inf)
    rows, cols = np.ones(n, dtype=bool), np.ones(m, dtype=bool)
    k, h = row_degree.astype(float).copy(), col_degree.astype(float).copy()  # degrees among free nodes
    step = 0
    while rows.any() and cols.any():
        step += 1
        free_rows, free_cols = int(rows.sum()), int(cols.sum())
        for value, row_flag, col_flag in (
            (1.0, rows & (k == free_cols), cols & (h == free_rows)),
            (0.0, rows & (k == 0), cols & (h == 0)),
        ):
            if row_flag.any():
                row_value[row_flag], row_step[row_flag], rows[row_flag] = value, step, False
                h[cols] -= value * row_flag.sum()  # a full row took one link from each free column
                break
            if col_flag.any():
                col_value[col_flag], col_step[col_flag], cols[col_flag] = value, step, False
                k[rows] -= value * col_flag.sum()
                break
        else:
            break
    x, y = np.zeros(n), np.zeros(m)
    iterations = 0
    if rows.any() and cols.any():
        degrees, row_class = np.unique(k[rows], return_inverse=True)
        heights, col_class = np.unique(h[cols], return_inverse=True)
        n_r = np.bincount(row_class).astype(float)
        m_c = np.bincount(col_class).astype(float)
        links = float(k[rows].sum())
        fx, fy = degrees / np.sqrt(links), heights / np.sqrt(links)
        error = np.inf
        while error > tolerance:
            if iterations == max_iterations:
                raise InputError(
                    f"the BiCM equations did not converge in {max_iterations} iterations (degree error "
                    f"{error:.3g}): these degrees leave almost no freedom (some probabilities tend to 0 or 1)"
                )
            iterations += 1
            fx = degrees / ((m_c * fy) / (1 + np.outer(fx, fy))).sum(axis=1)
            fy = heights / ((n_r * fx)[:, None] / (1 + np.outer(fx, fy))).sum(axis=0)
            p = np.outer(fx, fy) / (1 + np.outer(fx, fy))
            error = max(np.abs((p * m_c).sum(axis=1) - degrees).max(), np.abs((p.T * n_r).sum(axis=1) - heights).max())
        x[rows], y[cols] = fx[row_class], fy[col_class]
    return _DegreeModel(row_value, row_step, col_value, col_step, x, y, iterations)


def fit_bicm(
    biadjacency: npt.ArrayLike, *, tolerance: float = TOLERANCE, max_iterations: int = MAX_ITERATIONS
) -> BiCMFit:
    """Solve the BiCM for a 0/1 biadjacency matrix (rows × columns).

    Rows (and columns) of equal degree have equal fitness, so the equations are solved on the
    distinct degrees only, by the fixed-point iteration x_r = k_r / Σ_c m_c y_c / (1 + x_r y_c),
    y_c = h_c / Σ_r n_r x_r / (1 + x_r y_c) (n_r rows of degree k_r, m_c columns of degree
    h_c), from x = k/√L, y = h/√L (L links), until every expected degree is within
    ``tolerance`` of the observed one.

    Raises
    ------
    InputError
        When the matrix is not 0/1, or the iteration does not reach ``tolerance``: degree
        sequences that leave almost no freedom put some probabilities at the edge, 0 or 1
        (rows and columns linked to everything or nothing are set first, so a nested matrix,
        the only one with its degrees, is solved).

    References
    ----------
    .. [1] F. Saracco, R. Di Clemente, A. Gabrielli, T. Squartini, "Randomizing bipartite
       networks: the case of the World Trade Web", Sci. Rep. 5 (2015) 10595,
       https://doi.org/10.1038/srep10595

    Examples
    --------
    Every actor belongs to one of two PTCEs of two members each: by symmetry p = 1/2.

    >>> fit = fit_bicm([[1, 0], [0, 1], [1, 0], [0, 1]])
    >>> fit.probabilities.round(6).tolist()
    [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]
    """
    matrix = np.asarray(biadjacency, dtype=float)
    if matrix.ndim != 2 or not np.isin(matrix, (0.0, 1.0)).all():
        raise InputError("a biadjacency matrix is a two-dimensional array of 0 and 1")
    row_degree, col_degree = matrix.sum(axis=1), matrix.sum(axis=0)
    model = _degree_model(row_degree, col_degree, tolerance=tolerance, max_iterations=max_iterations)
    probabilities = np.array([model.row(i) for i in range(matrix.shape[0])]).reshape(matrix.shape)
    error = max(
        float(np.abs(probabilities.sum(axis=1) - row_degree).max(initial=0.0)),
        float(np.abs(probabilities.sum(axis=0) - col_degree).max(initial=0.0)),
    )
    return BiCMFit(probabilities=probabilities, max_error=error, iterations=model.iterations)


def poisson_binomial_sf(probabilities: npt.ArrayLike, observed: int) -> float:
    """P(V ≥ observed) for V a sum of independent Bernoulli variables of these probabilities.

    The distribution of V is built exactly, one variable at a time (a convolution), and the
    upper tail summed term by term, so that small p-values keep their precision.

    Examples
    --------
    Two fair coins: P(V ≥ 1) = 3/4, P(V ≥ 2) = 1/4.

    >>> poisson_binomial_sf([0.5, 0.5], 1), poisson_binomial_sf([0.5, 0.5], 2)
    (0.75, 0.25)
    """
    return float(_tails(np.asarray(probabilities, dtype=float))[observed])


def _tails(q: FloatArray) -> FloatArray:
    """P(V ≥ v) for v = 0 .. len(q) + 1 (the last is 0)."""
    dist = np.zeros(len(q) + 1)
    dist[0] = 1.0
    for step, value in enumerate(q, start=1):
        dist[1 : step + 1] = dist[1 : step + 1] * (1 - value) + dist[:step] * value
        dist[0] *= 1 - value
    tails = np.append(np.cumsum(dist[::-1])[::-1], 0.0)
    tails[0] = 1.0
    return np.minimum(tails, 1.0)


def benjamini_hochberg(p_values: Sequence[float], alpha: float, tests: int) -> float | None:
    """The largest p-value the Benjamini–Hochberg procedure validates, ``None`` if none.

    ``tests`` is the number of hypotheses m (at least ``len(p_values)``; those not listed have
    p = 1). The procedure finds the largest k with p_(k) ≤ k α / m and validates p_(1) … p_(k).

    References
    ----------
    .. [1] Y. Benjamini, Y. Hochberg, "Controlling the false discovery rate: a practical and
       powerful approach to multiple testing", J. R. Stat. Soc. B 57(1) (1995) 289-300,
       https://doi.org/10.1111/j.2517-6161.1995.tb02031.x

    Examples
    --------
    >>> benjamini_hochberg([0.001, 0.02, 0.03, 0.5], 0.05, 4)
    0.03
    >>> benjamini_hochberg([0.02, 0.5], 0.05, 10) is None
    True
    """
    ordered = sorted(p_values)
    if tests < len(ordered):
        raise InputError(f"{len(ordered)} p-values but only {tests} tests")
    passing = [p for rank, p in enumerate(ordered, start=1) if p <= rank * alpha / tests]
    return passing[-1] if passing else None


def _bipartition(graph: nx.Graph, layer: Layer) -> tuple[list[str], list[str]]:
    if layer not in LAYERS:
        raise InputError(f"unknown layer '{layer}'; choose one of {', '.join(LAYERS)}")
    if graph.is_directed() or any(
        graph.nodes[u].get("bipartite") == graph.nodes[v].get("bipartite") for u, v in graph.edges
    ):
        raise InputError("the BiCM needs the bipartite membership view (actors and PTCEs, view 'membership')")
    side = 1 if layer == "ptce" else 0
    rows = sorted(n for n, b in graph.nodes(data="bipartite") if b == side)
    cols = sorted(n for n, b in graph.nodes(data="bipartite") if b != side)
    return rows, cols


def bicm_pairs(graph: nx.Graph, *, layer: Layer = "actor", alpha: float = DEFAULT_ALPHA) -> MetricTable:
    """One row per pair of actors sharing a PTCE (or PTCEs sharing a member), with its BiCM p-value.

    Parameters
    ----------
    graph
        The ``membership`` view (:func:`~ptce_graph.network.to_networkx`), in any window.
        Its biadjacency matrix is 0/1: several memberships of one actor in one PTCE are one
        link. Nodes without any link are left out of the model and of the tests.
    layer
        ``actor`` (default): pairs of actors and the PTCEs they share; ``ptce``: pairs of
        PTCEs and the members they share.
    alpha
        The false discovery rate of the validated projection (Benjamini–Hochberg over every
        pair of linked nodes of the layer, n(n − 1)/2 tests, pairs sharing nothing having
        p = 1).

    Returns
    -------
    MetricTable
        Columns :data:`BICM_COLUMNS`, rows sorted by ``node_a`` then ``node_b``
        (``node_a`` < ``node_b``): ``shared`` the number of PTCEs (members) the pair shares in
        the window, whether or not at the same time; ``expected`` its mean Σ_α p_iα p_jα under
        the BiCM; ``p_value`` = P(V ≥ shared), exact Poisson-binomial; ``validated`` whether
        the pair is in the validated projection. ``meta`` gives the layer, the nodes, links
        and tests, ``alpha``, the p-value threshold reached (empty when no pair is validated)
        and the solver's largest degree error.

    References
    ----------
    .. [1] F. Saracco, R. Di Clemente, A. Gabrielli, T. Squartini, Sci. Rep. 5 (2015) 10595,
       https://doi.org/10.1038/srep10595
    .. [2] F. Saracco, M. J. Straka, R. Di Clemente, A. Gabrielli, G. Caldarelli,
       T. Squartini, "Inferring monopartite projections of bipartite networks: an
       entropy-based approach", New J. Phys. 19 (2017) 053022,
       https://doi.org/10.1088/1367-2630/aa6b38

    Examples
    --------
    In the fixture, Coop A and Firm B share two of the four PTCEs with members; Coop A is in three
    of them, so that is no surprise:

    >>> from ptce_graph.network import example_graph, to_networkx
    >>> table = bicm_pairs(to_networkx(example_graph(), "membership"))
    >>> a = "https://w3id.org/ptce-graph/id/actor/"
    >>> row = next(r for r in table if (r["node_a"], r["node_b"]) == (a + "coop-a", a + "firm-b"))
    >>> row["shared"], round(row["p_value"], 4), row["validated"]
    (2, 0.4972, False)
    """
    announce("BiCM: fit and p-values")
    rows, cols = _bipartition(graph, layer)
    col_index = {node: i for i, node in enumerate(cols)}
    # a 0/1 biadjacency kept as each row's sorted columns: nothing rows × rows or rows × columns
    links = [sorted({col_index[other] for other in graph.adj[node]}) for node in rows]
    used = [node for node, linked in zip(rows, links, strict=True) if linked]
    links = [linked for linked in links if linked]
    col_degree_all = np.bincount([c for linked in links for c in linked], minlength=len(cols))
    kept = np.flatnonzero(col_degree_all > 0)
    renumber = {int(old): new for new, old in enumerate(kept)}
    links = [[renumber[c] for c in linked] for linked in links]
    row_degree = np.array([len(linked) for linked in links], dtype=float)
    col_degree = col_degree_all[kept].astype(float)
    model = _degree_model(row_degree, col_degree, tolerance=TOLERANCE, max_iterations=MAX_ITERATIONS)
    members: list[list[int]] = [[] for _ in kept]
    for i, linked in enumerate(links):
        for c in linked:
            members[c].append(i)
    shared: dict[tuple[int, int], int] = {}
    for group in members:  # rows sharing a column: the pairs with at least one V-motif
        for a_index, i in enumerate(group):
            for j in group[a_index + 1 :]:
                shared[(i, j)] = shared.get((i, j), 0) + 1
    laws: dict[tuple[float, float], tuple[float, FloatArray]] = {}  # equal degrees, equal law
    found = []
    for (i, j), count in sorted(shared.items()):
        key = (min(row_degree[i], row_degree[j]), max(row_degree[i], row_degree[j]))
        if key not in laws:
            motifs = model.row(i) * model.row(j)
            laws[key] = (float(motifs.sum()), _tails(motifs))
        mean, tails = laws[key]
        found.append((i, j, count, mean, float(tails[count])))
    tests = len(used) * (len(used) - 1) // 2
    threshold = benjamini_hochberg([f[4] for f in found], alpha, tests) if found else None
    table_rows = []
    for i, j, count, mean, p in found:
        a, b = graph.nodes[used[i]], graph.nodes[used[j]]
        table_rows.append(
            {
                "node_a": used[i],
                "label_a": a.get("label", used[i]),
                "kind_a": a.get("kind", "unknown"),
                "node_b": used[j],
                "label_b": b.get("label", used[j]),
                "kind_b": b.get("kind", "unknown"),
                "shared": count,
                "expected": mean,
                "p_value": p,
                "validated": threshold is not None and p <= threshold,
            }
        )
    table_rows.sort(key=lambda r: (str(r["node_a"]), str(r["node_b"])))
    meta = {
        "level": "pair",
        "measure": "bicm",
        "view": str(graph.graph.get("view", "")),
        "window": str(graph.graph.get("window", "all")),
        "layer": layer,
        "nodes": str(len(used)),
        "other_layer_nodes": str(len(kept)),
        "links": str(int(row_degree.sum())),
        "tests": str(tests),
        "alpha": repr(alpha),
        "threshold": "" if threshold is None else repr(threshold),
        "validated": str(sum(1 for r in table_rows if r["validated"])),
        "max_degree_error": f"{model.max_error(row_degree, col_degree):.3g}",
    }
    meta.update(undated_meta(graph))
    return MetricTable(BICM_COLUMNS, table_rows, meta)


def validated_projection(graph: nx.Graph, *, layer: Layer = "actor", alpha: float = DEFAULT_ALPHA) -> nx.Graph:
    """The validated projection of a membership view: the pairs :func:`bicm_pairs` validates.

    Nodes are every node of the layer with their attributes, isolated ones included; edges
    carry ``shared``, ``expected`` and ``p_value``.

    Examples
    --------
    >>> from ptce_graph.network import example_graph, to_networkx
    >>> projected = validated_projection(to_networkx(example_graph(), "membership"))
    >>> projected.number_of_nodes(), projected.number_of_edges()
    (6, 0)
    """
    table = bicm_pairs(graph, layer=layer, alpha=alpha)
    rows, _ = _bipartition(graph, layer)
    projected = nx.Graph(view=f"bicm-{layer}", window=graph.graph.get("window", "all"), alpha=alpha)
    projected.add_nodes_from((node, graph.nodes[node]) for node in rows)
    for row in table:
        if row["validated"]:
            projected.add_edge(
                row["node_a"], row["node_b"], shared=row["shared"], expected=row["expected"], p_value=row["p_value"]
            )
    return projected
