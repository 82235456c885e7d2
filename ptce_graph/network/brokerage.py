"""Gould–Fernandez brokerage roles by group (kind, ESS side, région), as R's ``sna::brokerage``.

A node b *brokers* the ordered pair (i, j) when i → b → j, i ≠ j and there is no arc i → j.
Each such two-path is one of five roles, by the groups of i, b and j (Gould & Fernandez 1989):

=================  ========  ===========  ==========================================
role               sna code  structure    the broker b ...
=================  ========  ===========  ==========================================
``coordinator``    ``w_I``   A → A → A    links two members of its own group
``itinerant``      ``w_O``   A → B → A    links two members of another group (UCINET:
                                          *consultant*)
``representative`` ``b_IO``  A → A → B    passes a contact from its own group out
``gatekeeper``     ``b_OI``  A → B → B    lets a contact from outside into its group
``liaison``        ``b_O``   A → B → C    links two groups, neither its own
=================  ========  ===========  ==========================================

The counts, their expectations and standard deviations under a Bernoulli graph of the
observed density with the groups fixed, and the z-scores, follow ``brokerage()`` of the R
package sna 2.7-2 (R/models.R and src/gli.c) formula by formula. An undirected graph is read
as a symmetric directed one (each edge an arc both ways), as sna reads a symmetric matrix, so
every brokered pair is counted once in each direction and ``representative`` equals
``gatekeeper`` at each node. Multiple edges count as one arc; self-loops are dropped. A node
whose group is unknown is put in the group ``unknown``, as R puts ``NA`` in a class of its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ptce_graph.errors import InputError
from ptce_graph.network.choices import DEFAULT_GROUPING, GROUPINGS
from ptce_graph.network.kinds import is_ess
from ptce_graph.network.table import MetricTable
from ptce_graph.network.views import undated_meta
from ptce_graph.progress import announce

__all__ = [
    "BROKERAGE_ACTOR_COLUMNS",
    "BROKERAGE_NETWORK_COLUMNS",
    "DEFAULT_GROUPING",
    "GROUPINGS",
    "ROLES",
    "ROLE_CODES",
    "Brokerage",
    "brokerage_roles",
    "brokerage_summary",
    "gould_fernandez",
    "node_groups",
]

#: The five roles, in sna's column order, then the total.
ROLES: tuple[str, ...] = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison", "total")
#: The role codes of Gould & Fernandez as sna names its columns.
ROLE_CODES: dict[str, str] = {
    "coordinator": "w_I",
    "itinerant": "w_O",
    "representative": "b_IO",
    "gatekeeper": "b_OI",
    "liaison": "b_O",
    "total": "t",
}

#: Columns of :func:`brokerage_roles`: the counts, then their z-scores.
BROKERAGE_ACTOR_COLUMNS: tuple[str, ...] = (
    ("node", "label", "kind", "group") + ROLES + tuple(f"{role}_z" for role in ROLES)
)
#: Columns of :func:`brokerage_summary`: one row per role.
BROKERAGE_NETWORK_COLUMNS: tuple[str, ...] = ("role", "code", "observed", "expected", "sd", "z")

UNKNOWN_GROUP = "unknown"


def _ess_side(attrs: Mapping[str, object]) -> str:
    side = is_ess(str(attrs.get("kind", "unknown")), str(attrs.get("ess_family", "")))
    return UNKNOWN_GROUP if side is None else ("ess" if side else "non-ess")


_GROUPERS: dict[str, Callable[[Mapping[str, object]], str]] = {
    "kind": lambda attrs: str(attrs.get("kind") or UNKNOWN_GROUP),
    "ess": _ess_side,
    "region": lambda attrs: str(attrs.get("region") or UNKNOWN_GROUP),
}


def node_groups(graph: nx.Graph, group: str | Mapping[str, str] = DEFAULT_GROUPING) -> dict[str, str]:
    """The group of every node of a view, by one of :data:`GROUPINGS` or given explicitly.

    ``kind`` is the actor kind; ``ess`` is ``ess``, ``non-ess`` or ``unknown`` (the ESS side of
    :func:`~ptce_graph.network.kinds.is_ess`; PTCEs are ``unknown``); ``region`` is the INSEE
    code of the node's région, the codes joined by ``|`` for a node in several, ``unknown``
    where it is not known. A mapping gives the groups itself; a node it leaves out is
    ``unknown``.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_nodes_from([("a", {"kind": "enterprise"}), ("b", {"kind": "ess-enterprise", "region": "84"})])
    >>> node_groups(g, "ess"), node_groups(g, "region")
    ({'a': 'non-ess', 'b': 'ess'}, {'a': 'unknown', 'b': '84'})
    """
    if isinstance(group, str):
        grouper = _GROUPERS.get(group)
        if grouper is None:
            raise InputError(f"unknown grouping '{group}'; choose one of {', '.join(GROUPINGS)}")
        return {node: grouper(attrs) for node, attrs in graph.nodes(data=True)}
    return {node: str(group.get(node, UNKNOWN_GROUP)) for node in graph.nodes}


@dataclass(frozen=True)
class Brokerage:
    """A Gould–Fernandez brokerage analysis: what sna's ``brokerage()`` returns.

    Attributes
    ----------
    groups
        The group of each node.
    arcs
        The number of arcs (an undirected edge is two), self-loops left out.
    density
        d = arcs / (N (N − 1)), N the number of nodes.
    counts
        Per node, the number of ordered pairs it brokers in each role of :data:`ROLES`
        (sna's ``raw.nli``).
    expected, sd
        Per group, the expectation and standard deviation of a node's counts under the null
        (sna's ``exp.grp`` and ``sd.grp``).
    observed_total, expected_total, sd_total
        The network's counts (sums over nodes) with their expectation and standard deviation
        (sna's ``raw.gli``, ``exp.gli``, ``sd.gli``).
    """

    groups: Mapping[str, str]
    arcs: int
    density: float
    counts: Mapping[str, Mapping[str, int]]
    expected: Mapping[str, Mapping[str, float]]
    sd: Mapping[str, Mapping[str, float]]
    observed_total: Mapping[str, int]
    expected_total: Mapping[str, float]
    sd_total: Mapping[str, float]

    def z(self, node: str) -> dict[str, float | None]:
        """The z-scores of one node's counts, ``None`` where the standard deviation is 0."""
        group = self.groups[node]
        return {role: _z(self.counts[node][role], self.expected[group][role], self.sd[group][role]) for role in ROLES}

    def z_total(self) -> dict[str, float | None]:
        """The z-scores of the network's counts (sna's ``z.gli``)."""
        return {role: _z(self.observed_total[role], self.expected_total[role], self.sd_total[role]) for role in ROLES}


def _z(observed: float, expected: float, sd: float) -> float | None:
    return (observed - expected) / sd if sd > 0 else None


def _arcs(graph: nx.Graph) -> dict[str, set[str]]:
    """Out-neighbours of each node: one arc per ordered pair, both ways for an undirected edge."""
    out: dict[str, set[str]] = {node: set() for node in graph.nodes}
    for u, v in graph.edges():
        if u == v:
            continue
        out[u].add(v)
        if not graph.is_directed():
            out[v].add(u)
    return out


def _role(source: str, broker: str, target: str) -> str:
    """The role of a broker from the three groups, in the order of sna's ``brokerage_R``."""
    if broker == source:
        return "coordinator" if broker == target else "representative"
    if broker == target:
        return "gatekeeper"
    if source == target:
        return "itinerant"
    return "liaison"


def _counts(out: Mapping[str, set[str]], groups: Mapping[str, str]) -> dict[str, dict[str, int]]:
    into: dict[str, set[str]] = {node: set() for node in out}
    for source, targets in out.items():
        for target in targets:
            into[target].add(source)
    counts = {node: dict.fromkeys(ROLES, 0) for node in out}
    for broker in out:
        for source in into[broker]:
            for target in out[broker]:
                if target == source or target in out[source]:
                    continue
                role = _role(groups[source], groups[broker], groups[target])
                counts[broker][role] += 1
                counts[broker]["total"] += 1
    return counts


def _choose2(x: float) -> float:
    return x * (x - 1) / 2


def _group_moments(n: Mapping[str, float], size: float, d: float) -> tuple[dict[str, dict[str, float]], ...]:
    """Expectation and variance of a broker's counts, by the broker's group (sna's ``ebr``, ``vbr``)."""
    c2 = d * d * (1 - d)
    c3 = d**3 * (1 - d) ** 3
    expected: dict[str, dict[str, float]] = {}
    variance: dict[str, dict[str, float]] = {}
    for group, ni in n.items():
        others = [nj for g, nj in n.items() if g != group]
        e = {
            "coordinator": c2 * (ni - 1) * (ni - 2),
            "itinerant": c2 * sum(nj * (nj - 1) for nj in others),
            "representative": c2 * (size - ni) * (ni - 1),
            "liaison": c2 * (sum(others) ** 2 - sum(nj * nj for nj in others)),
            "total": c2 * (size - 1) * (size - 2),
        }
        e["gatekeeper"] = e["representative"]
        v = {
            "coordinator": e["coordinator"] * (1 - c2) + 2 * (ni - 1) * (ni - 2) * (ni - 3) * c3,
            "itinerant": e["itinerant"] * (1 - c2) + 2 * sum(nj * (nj - 1) * (nj - 2) for nj in others) * c3,
            "representative": e["representative"] * (1 - c2)
            + 2 * ((ni - 1) * _choose2(size - ni) + (size - ni) * _choose2(ni - 1)) * c3,
            "liaison": e["liaison"] * (1 - c2) + 4 * sum(nj * _choose2(size - nj - ni) for nj in others) * c3,
            "total": e["total"] * (1 - c2) + 2 * (size - 1) * (size - 2) * (size - 3) * c3,
        }
        v["gatekeeper"] = v["representative"]
        expected[group], variance[group] = e, v
    return expected, variance


def _network_expectations(n: Mapping[str, float], size: float, d: float) -> dict[str, float]:
    """Expectation of the network's counts (sna's ``egbr``)."""
    c2 = d * d * (1 - d)
    sizes = list(n.values())
    within = sum(x * (size - x) * (x - 1) for x in sizes)
    return {
        "coordinator": c2 * sum(x * (x - 1) * (x - 2) for x in sizes),
        "itinerant": c2 * within,
        "representative": c2 * within,
        "gatekeeper": c2 * within,
        "liaison": c2
        * (sum(x * y * (size - x - y) for x in sizes for y in sizes) - sum(x * x * (size - 2 * x) for x in sizes)),
        "total": c2 * size * (size - 1) * (size - 2),
    }


def _overlap_shapes() -> list[tuple[int, tuple[int, int, int], tuple[int, int] | None]]:
    """Every way a two-path (j, k, l) can share an arc with the two-path (0, 1, 2).

    A two-path s → b → t is the indicator a_sb · a_bt · (1 − a_st). Positions 0, 1, 2 are
    the first path's nodes, 3 and up new nodes. Each shape gives its number of positions
    and the second path, with ``None`` when the two paths need an arc both present and absent,
    else the number of arcs the pair needs present and absent.
    """
    first_present, first_absent = {(0, 1), (1, 2)}, {(0, 2)}
    shapes = []
    for path in ((j, k, m) for j in range(6) for k in range(6) for m in range(6)):
        if len(set(path)) < 3:
            continue
        new = sorted(p for p in set(path) if p > 2)
        if new != list(range(3, 3 + len(new))) or [p for p in path if p > 2] != new:
            continue  # one canonical name for the new nodes: 3, then 4, then 5, in order
        s, b, t = path
        present, absent = {(s, b), (b, t)}, {(s, t)}
        if not (present | absent) & (first_present | first_absent):
            continue  # no arc in common: independent
        conflict = bool(present & first_absent or absent & first_present)
        need = None if conflict else (len(present | first_present), len(absent | first_absent))
        shapes.append((3 + len(new), path, need))
    return shapes


_SHAPES = _overlap_shapes()


def _role_codes(source: Any, broker: Any, target: Any) -> Any:
    """:func:`_role` on arrays of group indices: the index of the role in :data:`ROLES`."""
    import numpy as np

    return np.select(
        [
            (broker == source) & (broker == target),
            (broker != source) & (broker != target) & (source == target),
            (broker == source) & (broker != target),
            (broker != source) & (broker == target),
        ],
        [0, 1, 2, 3],
        default=4,
    )


def _network_variances(n: Mapping[str, float], d: float) -> dict[str, float]:
    """Exact variance of the network's counts under the null, by the covariance of two-paths.

    The count of a role is a sum of two-path indicators; two indicators covary only when
    the paths share an arc (:func:`_overlap_shapes`). For each shape, the number of ways to
    give its positions distinct nodes of given groups is a product of falling factorials of
    the group sizes, summed over every assignment of groups to positions.
    """
    import numpy as np

    sizes = np.array(list(n.values()), dtype=float)
    base = (d * d * (1 - d)) ** 2
    variance = dict.fromkeys(ROLES, 0.0)
    for positions, path, need in _SHAPES:
        joint = 0.0 if need is None else d ** need[0] * (1 - d) ** need[1]
        covariance = joint - base
        groups = np.indices((len(sizes),) * positions).reshape(positions, -1)
        ways = np.ones(groups.shape[1])
        for j in range(positions):
            taken = sum((groups[i] == groups[j]).astype(float) for i in range(j))
            ways *= np.clip(sizes[groups[j]] - taken, 0, None)
        first = _role_codes(groups[0], groups[1], groups[2])
        second = _role_codes(groups[path[0]], groups[path[1]], groups[path[2]])
        for index, role in enumerate(ROLES[:5]):
            variance[role] += covariance * float(ways[(first == index) & (second == index)].sum())
        variance["total"] += covariance * float(ways.sum())
    return variance


def _sqrt(value: float) -> float:
    """The square root of a variance; sna's formulas can leave a tiny negative rounding error."""
    return value**0.5 if value > 0 else 0.0


def gould_fernandez(graph: nx.Graph, groups: Mapping[str, str]) -> Brokerage:
    """Gould–Fernandez brokerage counts, expectations and standard deviations of a graph.

    Parameters
    ----------
    graph
        Any NetworkX graph: directed arcs are read as they are, an undirected edge as two arcs,
        several edges between two nodes as one, self-loops not at all.
    groups
        The group of every node (:func:`node_groups`).

    Returns
    -------
    Brokerage
        The counts per node and role, and the moments under sna's null: a Bernoulli digraph
        of the observed density d, each arc present with probability d independently, the
        groups fixed. A broker's expected count in a role is d²(1 − d) times the number of
        ordered pairs of other nodes with the role's groups (e.g. (n_A − 1)(n_A − 2) for a
        coordinator of group A).

    Raises
    ------
    InputError
        When a node has no group.

    References
    ----------
    .. [1] R. V. Gould, R. M. Fernandez, "Structures of mediation: a formal approach to
       brokerage in transaction networks", Sociological Methodology 19 (1989) 89-126,
       https://doi.org/10.2307/270949
    .. [2] C. T. Butts, sna: Tools for Social Network Analysis, R package version 2.7-2,
       function ``brokerage``, https://CRAN.R-project.org/package=sna

    Examples
    --------
    A firm f between two ESS enterprises a and b that are not linked is their itinerant broker,
    once each way:

    >>> g = nx.Graph([("a", "f"), ("f", "b")])
    >>> result = gould_fernandez(g, {"a": "ess", "b": "ess", "f": "non-ess"})
    >>> result.counts["f"]["itinerant"], result.counts["f"]["total"], result.density
    (2, 2, 0.6666666666666666)
    """
    announce("brokerage roles (Gould–Fernandez)")
    missing = sorted(set(graph.nodes) - set(groups))
    if missing:
        raise InputError(f"no group for node {missing[0]} (and {len(missing) - 1} other(s))")
    out = _arcs(graph)
    size = len(out)
    arcs = sum(len(targets) for targets in out.values())
    d = arcs / (size * (size - 1)) if size > 1 else 0.0
    counts = _counts(out, groups)
    n = {group: float(count) for group, count in sorted(Counter(groups[node] for node in out).items())}
    expected, variance = _group_moments(n, float(size), d)
    expected_total = _network_expectations(n, float(size), d)
    variance_total = _network_variances(n, d)
    return Brokerage(
        groups={node: groups[node] for node in out},
        arcs=arcs,
        density=d,
        counts=counts,
        expected=expected,
        sd={g: {role: _sqrt(value) for role, value in v.items()} for g, v in variance.items()},
        observed_total={role: sum(c[role] for c in counts.values()) for role in ROLES},
        expected_total=expected_total,
        sd_total={role: _sqrt(value) for role, value in variance_total.items()},
    )


def _meta(graph: nx.Graph, result: Brokerage, group: str | Mapping[str, str], level: str) -> dict[str, str]:
    sizes = Counter(result.groups.values())
    meta = {
        "level": level,
        "measure": "brokerage",
        "view": str(graph.graph.get("view", "")),
        "window": str(graph.graph.get("window", "all")),
        "group": group if isinstance(group, str) else "given",
        "directed": "true" if graph.is_directed() else "false (each edge read as two arcs)",
        "nodes": str(len(result.groups)),
        "arcs": str(result.arcs),
        "density": repr(result.density),
        "groups": "; ".join(f"{g}: {sizes[g]}" for g in sorted(sizes)),
    }
    meta.update(undated_meta(graph))
    return meta


def brokerage_roles(graph: nx.Graph, *, group: str | Mapping[str, str] = DEFAULT_GROUPING) -> MetricTable:
    """One row per node: how many pairs it brokers in each Gould–Fernandez role, and the z-scores.

    Parameters
    ----------
    graph
        A view from :func:`~ptce_graph.network.to_networkx`: ``relations`` is directed,
        ``co-membership`` (and the others) undirected, each edge read as two arcs.
    group
        ``kind`` (default), ``ess`` or ``region`` (:func:`node_groups`), or a mapping from node
        to group.

    Returns
    -------
    MetricTable
        Columns :data:`BROKERAGE_ACTOR_COLUMNS`, rows sorted by node: ``group``, the counts of
        :data:`ROLES` (sna's ``raw.nli``) and their z-scores (count − expected) / sd under
        sna's null (``z.nli``; empty where sd is 0). ``meta`` gives the grouping, N, the
        number of arcs, the density and the group sizes.

    References
    ----------
    .. [1] R. V. Gould, R. M. Fernandez, Sociological Methodology 19 (1989) 89-126,
       https://doi.org/10.2307/270949

    Examples
    --------
    In the fixture's co-membership view, Coop A (an ESS enterprise) links the local authority
    and the lycée, which are not co-members: a liaison, once each way; and the same with Firm
    B and the lycée.

    >>> from ptce_graph.network import example_graph, to_networkx
    >>> table = brokerage_roles(to_networkx(example_graph(), "co-membership"), group="kind")
    >>> row = table.by("node")["https://w3id.org/ptce-graph/id/actor/coop-a"]
    >>> row["group"], row["liaison"], row["representative"], row["gatekeeper"], row["total"]
    ('ess-enterprise', 4, 2, 2, 8)
    """
    result = gould_fernandez(graph, node_groups(graph, group))
    rows = []
    for node in sorted(result.counts):
        attrs = graph.nodes[node]
        z = result.z(node)
        rows.append(
            {
                "node": node,
                "label": attrs.get("label", node),
                "kind": attrs.get("kind", "unknown"),
                "group": result.groups[node],
                **result.counts[node],
                **{f"{role}_z": z[role] for role in ROLES},
            }
        )
    return MetricTable(BROKERAGE_ACTOR_COLUMNS, rows, _meta(graph, result, group, "actor"))


def brokerage_summary(graph: nx.Graph, *, group: str | Mapping[str, str] = DEFAULT_GROUPING) -> MetricTable:
    """One row per role: the network's brokerage count, its expectation, sd and z-score.

    The values are sna's ``raw.gli``, ``exp.gli``, ``sd.gli`` and ``z.gli`` (the z-score is
    a normal approximation whose accuracy Gould & Fernandez leave open). Parameters as in
    :func:`brokerage_roles`.

    Examples
    --------
    >>> from ptce_graph.network import example_graph, to_networkx
    >>> table = brokerage_summary(to_networkx(example_graph(), "co-membership"), group="ess")
    >>> [(r["role"], r["observed"]) for r in table]  # doctest: +NORMALIZE_WHITESPACE
    [('coordinator', 0), ('itinerant', 4), ('representative', 2), ('gatekeeper', 2),
     ('liaison', 4), ('total', 12)]
    """
    result = gould_fernandez(graph, node_groups(graph, group))
    z = result.z_total()
    rows = [
        {
            "role": role,
            "code": ROLE_CODES[role],
            "observed": result.observed_total[role],
            "expected": result.expected_total[role],
            "sd": result.sd_total[role],
            "z": z[role],
        }
        for role in ROLES
    ]
    return MetricTable(BROKERAGE_NETWORK_COLUMNS, rows, _meta(graph, result, group, "network"))
