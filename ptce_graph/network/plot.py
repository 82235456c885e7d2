"""Pictures of a view: PNG, SVG or PDF for a paper (matplotlib), or one self-contained HTML page.

Colours are the actor kinds, node areas the betweenness centrality (the degree when every
betweenness is 0), labels name the main actors, and the layout is deterministic: each
connected component is laid out by Fruchterman-Reingold from a fixed seed, and the components
are packed largest first, isolated nodes in a grid at the bottom.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Graph

from ptce_graph.errors import InputError
from ptce_graph.graph import PtceGraph
from ptce_graph.io.atomic import atomic_write
from ptce_graph.io.cells import xml_text
from ptce_graph.network.choices import PLOT_FORMATS
from ptce_graph.network.figure import figure_bytes, figure_format, new_figure, style
from ptce_graph.network.kinds import KINDS
from ptce_graph.network.metrics import DEFAULT_SEED, actor_metrics, analysis_graph
from ptce_graph.network.periods import window
from ptce_graph.network.views import (
    DEFAULT_UNDATED,
    DEFAULT_VIEW,
    VIEWS,
    NetworkData,
    as_network_data,
    as_store,
    project,
)
from ptce_graph.network.words import check_lang, kind_label, role_label, word
from ptce_graph.store import SparqlStore

__all__ = ["KIND_COLOURS", "KIND_MARKERS", "PLOT_FORMATS", "layout", "plot_graph", "plot_network"]


#: Colour of each actor kind: the Okabe-Ito palette (see :data:`.figure.OKABE_ITO`), safe for
#: the common colour-vision deficiencies; kinds that share a colour differ by marker shape
#: (:data:`KIND_MARKERS`), so no two kinds look alike in colour or in greyscale.
KIND_COLOURS: dict[str, str] = {
    "ptce": "#000000",
    "european-cooperative-cluster": "#999999",
    "person": "#F0E442",
    "ess-enterprise": "#009E73",
    "enterprise-grouping": "#0072B2",
    "enterprise": "#0072B2",
    "local-authority": "#D55E00",
    "state-body": "#CC79A7",
    "research-centre": "#E69F00",
    "higher-education": "#E69F00",
    "training-organisation": "#56B4E9",
    "support-network": "#009E73",
    "financial-organisation": "#CC79A7",
    "other": "#999999",
    "unknown": "#FFFFFF",
}

#: Matplotlib marker of each actor kind: squares for PTCEs, one shape per kind sharing a colour.
KIND_MARKERS: dict[str, str] = {
    "ptce": "s",
    "european-cooperative-cluster": "s",
    "person": "o",
    "ess-enterprise": "o",
    "enterprise-grouping": "^",
    "enterprise": "o",
    "local-authority": "D",
    "state-body": "D",
    "research-centre": "v",
    "higher-education": "p",
    "training-organisation": "p",
    "support-network": "h",
    "financial-organisation": "h",
    "other": "o",
    "unknown": "o",
}

_EDGE_COLOURS = {
    "partnership": "#0072B2",
    "funding": "#D55E00",
    "support": "#009E73",
    "carrying-structure": "#000000",
    "founder": "#E69F00",
    "initiator": "#E69F00",
    "animator": "#CC79A7",
}
#: Line style of each relation type or membership role: a second cue besides the colour.
_EDGE_STYLES: dict[str, Any] = {
    "partnership": "-",
    "funding": "--",
    "support": ":",
    "carrying-structure": "-",
    "founder": "--",
    "initiator": ":",
    "animator": "-.",
    "member": "-",
    "associate": ":",
}
#: Membership roles, the most telling first: an edge with several roles shows the first one.
_ROLE_ORDER = ("carrying-structure", "founder", "initiator", "animator", "associate", "member")
_SQUARE = {"ptce", "european-cooperative-cluster"}
_TITLES = {
    "membership": "Memberships of actors in PTCEs",
    "co-membership": "Co-membership network of PTCE members",
    "relations": "Direct relations: partnership, funding, support, carrying structure",
    "ptce": "PTCEs linked by shared members",
}


def layout(graph: nx.Graph, *, seed: int = DEFAULT_SEED) -> dict[str, tuple[float, float]]:
    """Deterministic positions: each component by Fruchterman-Reingold, components packed.

    Components are laid out one by one (``weight`` pulls strongly tied nodes together) and
    scaled so that their area grows with their number of nodes, then placed in rows, largest
    first; isolated nodes fill a grid below. Same graph and seed, same positions.

    References
    ----------
    .. [1] T. M. J. Fruchterman, E. M. Reingold, "Graph drawing by force-directed
       placement", Software: Practice and Experience 21(11) (1991) 1129-1164,
       https://doi.org/10.1002/spe.4380211102

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("b", "c")]); g.add_node("z")
    >>> pos = layout(g)
    >>> sorted(pos) == ["a", "b", "c", "z"] and pos == layout(g)
    True
    """
    simple = analysis_graph(graph)
    parts = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
    groups = [c for c in parts if len(c) > 1]
    singles = [c[0] for c in parts if len(c) == 1]
    boxes: list[tuple[float, dict[str, tuple[float, float]]]] = []
    for nodes in groups:
        radius = 1.1 * math.sqrt(len(nodes))
        if len(nodes) == 2:
            local = {nodes[0]: (-0.5, 0.0), nodes[1]: (0.5, 0.0)}
        else:
            # a canonical copy (nodes and edges sorted): the graph's insertion order can follow
            # Python's per-process string hashing, and the seeded layout depends on node order
            sub = nx.Graph()
            sub.add_nodes_from(nodes)
            sub.add_edges_from(
                sorted(
                    (min(u, v), max(u, v), {"weight": d.get("weight", 1)})
                    for u, v, d in simple.subgraph(nodes).edges(data=True)
                )
            )
            try:
                raw = nx.spring_layout(sub, seed=seed, weight="weight", iterations=300)
            except ImportError as exc:  # numpy below 500 nodes, scipy from 500 on
                missing = exc.name or "scipy"
                raise InputError(
                    f"laying out a component of {len(nodes)} nodes needs {missing}, which is not installed: "
                    f"pip install {missing} (or pip install 'ptce-graph[plot]')"
                ) from exc
            local = {str(n): (float(p[0]), float(p[1])) for n, p in raw.items()}
        scale = radius / max(max(abs(x), abs(y)) for x, y in local.values()) if len(nodes) > 2 else radius / 1.4
        boxes.append((2 * radius, {n: (x * scale, y * scale) for n, (x, y) in local.items()}))
    widest = max((b for b, _ in boxes), default=0.0)
    total = sum(b * b for b, _ in boxes) + len(singles)
    limit = max(widest, math.sqrt(total) * 1.25, 4.0)
    pos: dict[str, tuple[float, float]] = {}
    x = y = 0.0
    row_height = 0.0
    gap = 1.0
    for size, local in boxes:
        if x > 0 and x + size > limit:
            x, y, row_height = 0.0, y - row_height - gap, 0.0
        for node, (px, py) in local.items():
            pos[node] = (x + size / 2 + px, y - size / 2 + py)
        x += size + gap
        row_height = max(row_height, size)
    if singles:
        y -= row_height + gap + 0.5 if boxes else 0.0
        columns = max(1, int(limit // 1.0))
        for index, node in enumerate(singles):
            pos[node] = (0.5 + (index % columns) * 1.0, y - (index // columns) * 1.0)
    return pos


_COMMUNITY_COLOURS = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)


@dataclass(frozen=True)
class _Group:
    """One colour of the picture: an actor kind, or a Louvain community in the ``ptce`` view."""

    key: str
    label: str
    colour: str
    square: bool
    marker: str = "o"


@dataclass(frozen=True)
class _Scene:
    """What both renderers draw."""

    title: str
    subtitle: str
    pos: dict[str, tuple[float, float]]
    nodes: list[dict[str, Any]]  # node, label, kind, group, size (0..1), labelled, metric, degree, community
    edges: list[dict[str, Any]]  # u, v, weight, type
    size_by: str
    groups: list[_Group]
    legend_title: str
    edge_types: list[str]


def _scene(
    graph: nx.Graph, view: str, when: str, *, seed: int, labels: int, title: str | None, lang: str = "en"
) -> _Scene:
    simple = analysis_graph(graph)
    table = actor_metrics(graph, seed=seed)
    rows = table.by("node")
    between = {n: float(rows[n]["betweenness"] or 0.0) for n in simple}
    size_by = word("betweenness centrality", lang)
    metric = between
    if not any(v > 0 for v in between.values()):
        metric = {n: float(simple.degree(n)) for n in simple}
        size_by = word("degree", lang)
    top = max(metric.values(), default=0.0) or 1.0
    ranked = sorted(simple, key=lambda n: (-metric[n], -simple.degree(n), n))
    labelled = ranked[:labels] if labels > 0 else []
    rank = {n: i for i, n in enumerate(labelled)}
    kinds_seen = {str(simple.nodes[n].get("kind", "unknown")) for n in simple}
    by_community = kinds_seen <= {"ptce"} and simple.number_of_nodes() > 0
    groups: list[_Group] = []
    if by_community:
        sizes: dict[int, int] = {}
        for n in simple:
            sizes[int(rows[n]["community"] or 0)] = sizes.get(int(rows[n]["community"] or 0), 0) + 1
        shown = [c for c in sorted(sizes) if sizes[c] > 1][: len(_COMMUNITY_COLOURS)]
        groups = [
            _Group(f"c{i}", f"{word('community', lang)} {i + 1}", _COMMUNITY_COLOURS[i], True, "s")
            for i in range(len(shown))
        ]
        index = {c: i for i, c in enumerate(shown)}
        if len(shown) < len(sizes):
            rest = "no tie" if all(sizes[c] == 1 for c in sizes if c not in index) else "other communities"
            groups.append(_Group("rest", word(rest, lang), "#cfcfcf", True, "s"))
        group_of = {
            n: (f"c{index[int(rows[n]['community'] or 0)]}" if int(rows[n]["community"] or 0) in index else "rest")
            for n in simple
        }
        colour_by = word("Louvain community", lang)
        legend_title = word("Community", lang)
    else:
        groups = [
            _Group(k, kind_label(k, lang), KIND_COLOURS.get(k, "#999999"), k in _SQUARE, KIND_MARKERS.get(k, "o"))
            for k in KINDS
            if k in kinds_seen
        ]
        group_of = {n: str(simple.nodes[n].get("kind", "unknown")) for n in simple}
        colour_by = word("actor kind", lang)
        legend_title = word("Actor kind", lang)
    nodes = [
        {
            "node": n,
            "label": xml_text(str(simple.nodes[n].get("label", n))),
            "kind": str(simple.nodes[n].get("kind", "unknown")),
            "group": group_of[n],
            "size": math.sqrt(metric[n] / top),
            "labelled": n in rank,
            "rank": rank.get(n),
            "metric": metric[n],
            "degree": simple.degree(n),
            "community": rows[n]["community"],
        }
        for n in sorted(simple)
    ]
    types: dict[tuple[str, str], set[str]] = {}
    for u, v, data in graph.edges(data=True):
        types.setdefault((min(u, v), max(u, v)), set()).add(str(data.get("relation_type", "")))
    roles: dict[tuple[str, str], set[str]] = {}
    if view == "membership":  # the edges are memberships: show their most telling role
        for u, v, data in graph.edges(data=True):
            roles.setdefault((min(u, v), max(u, v)), set()).update(str(data.get("role", "")).split("|"))
    edges = [
        {
            "u": u,
            "v": v,
            "weight": d.get("weight", 1),
            "type": (
                min(types.get((min(u, v), max(u, v)), {""}))
                if view == "relations"
                else _main_role(roles.get((min(u, v), max(u, v)), set()))
            ),
        }
        for u, v, d in sorted(simple.edges(data=True), key=lambda e: (min(e[0], e[1]), max(e[0], e[1])))
    ]
    edge_types = sorted({e["type"] for e in edges if e["type"]})
    if edge_types and lang == "en":  # the HTML page's legend title (the static legend has two)
        legend_title += " / relation"
    when_text = word("all dates", lang) if when == "all dates" else when
    heading = xml_text(title) if title else f"{word('title.' + view, lang) if view in _TITLES else view}, {when_text}"
    colon = " : " if lang == "fr" else ": "
    subtitle = (
        f"{word('view', lang)} '{view}'{colon}{simple.number_of_nodes()} {word('nodes', lang)}, "
        f"{simple.number_of_edges()} {word('ties', lang)} · {word('colour', lang)}{colon}{colour_by} · "
        f"{word('area', lang)}{colon}{size_by} · {word('layout', lang)} {seed}"
    )
    return _Scene(heading, subtitle, layout(graph, seed=seed), nodes, edges, size_by, groups, legend_title, edge_types)


def _main_role(roles: set[str]) -> str:
    """The most telling membership role of an edge (empty for a plain or unknown role).

    Examples
    --------
    >>> _main_role({"member", "founder"}), _main_role({"member"}), _main_role(set())
    ('founder', 'member', '')
    """
    return next((r for r in _ROLE_ORDER if r in roles), "")


def _edge_style(scene: _Scene) -> tuple[float, float]:
    """Opacity and width scale of the edges: lighter and thinner as ties get many."""
    count = max(len(scene.edges), 1)
    alpha = min(0.6, max(0.07, 0.6 * math.sqrt(120 / count)))
    width = min(1.0, max(0.35, math.sqrt(400 / count)))
    return alpha, width


def _edge_width(weight: float, widest: float) -> float:
    """Line width in points: 0.7 for a single tie, up to 3 for the heaviest."""
    if widest <= 1:
        return 0.7
    return 0.7 + 2.3 * math.sqrt(max(weight - 1, 0) / (widest - 1))


def _marker_points(size: float, largest: float) -> float:
    """Marker area in points²: from a small dot (size 0) to ``largest`` (size 1)."""
    smallest = min(28.0, largest / 3)
    return smallest + (largest - smallest) * size**2


def _largest_marker(pos: dict[str, tuple[float, float]]) -> float:
    """The biggest marker area that does not swamp neighbours: about one layout unit wide."""
    if not pos:
        return 620.0
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    points_per_unit = min(8.0 * 72 / (max(xs) - min(xs) + 1.8), 6.6 * 72 / (max(ys) - min(ys) + 2.3))
    return max(60.0, min(620.0, (0.85 * points_per_unit) ** 2))


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """Area shared by two boxes (x0, y0, x1, y1)."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _place_labels(ax: Any, scene: _Scene) -> None:
    """Name the main nodes, most central first, where a label hides no other label or node.

    Each label tries positions around its node at growing distances (with a thin leader line
    beyond the first ring) and takes the first one that overlaps no node and no label placed
    so far; when there is none (a dense core), the one that overlaps the other labels least.
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    to_px = fig.dpi / 72.0
    largest = _largest_marker(scene.pos)
    markers = []
    for n in scene.nodes:
        x, y = ax.transData.transform(scene.pos[n["node"]])
        r = math.sqrt(_marker_points(n["size"], largest)) / 2 * to_px
        markers.append((x - r, y - r, x + r, y + r))
    texts: list[tuple[float, ...]] = []
    axes_box = ax.get_window_extent(renderer)
    directions = [
        (0, 1, "center", "bottom"),
        (0, -1, "center", "top"),
        (1, 0, "left", "center"),
        (-1, 0, "right", "center"),
        (1, 1, "left", "bottom"),
        (-1, 1, "right", "bottom"),
        (1, -1, "left", "top"),
        (-1, -1, "right", "top"),
    ]
    for n in sorted((n for n in scene.nodes if n["labelled"]), key=lambda n: n["rank"]):
        text = n["label"] if len(n["label"]) <= 32 else n["label"][:31] + "…"
        radius = math.sqrt(_marker_points(n["size"], largest)) / 2 + 2
        xy = scene.pos[n["node"]]
        best: tuple[float, int, tuple[float, float], str, str, tuple[float, ...]] | None = None
        for ring, extra in enumerate((0, 10, 22, 38, 58, 85, 120, 160)):
            for dx, dy, ha, va in directions:
                norm = math.hypot(dx, dy)
                offset = (dx / norm * (radius + extra), dy / norm * (radius + extra))
                probe = ax.annotate(text, xy, xytext=offset, textcoords="offset points", ha=ha, va=va, fontsize=8.5)
                box = probe.get_window_extent(renderer)
                probe.remove()
                rect = (box.x0 - 2, box.y0 - 1, box.x1 + 2, box.y1 + 1)
                if not (
                    rect[0] >= axes_box.x0 - 40
                    and rect[2] <= axes_box.x1 + 40
                    and rect[1] >= axes_box.y0 - 10
                    and rect[3] <= axes_box.y1 + 10
                ):
                    continue
                on_text = sum(_overlap(rect, t) for t in texts)
                on_nodes = sum(_overlap(rect, m) for m in markers)
                if on_text == 0 and on_nodes == 0:
                    best = (0.0, ring, offset, ha, va, rect)
                    break
                cost = on_text * 10 + on_nodes + ring * 50
                if best is None or cost < best[0]:
                    best = (cost, ring, offset, ha, va, rect)
            if best is not None and best[0] == 0.0:
                break
        if best is None:  # pragma: no cover - every position outside the picture
            continue
        _, ring, offset, ha, va, chosen = best
        kwargs: dict[str, Any] = {}
        if ring > 0:
            kwargs["arrowprops"] = {
                "arrowstyle": "-",
                "color": "#555555",
                "lw": 0.6,
                "shrinkA": 1,
                "shrinkB": radius - 1,
            }
        ax.annotate(
            text,
            xy,
            xytext=offset,
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=8.5,
            zorder=4,
            bbox={"boxstyle": "square,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
            **kwargs,
        )
        texts.append(chosen)


def _matplotlib(scene: _Scene, fmt: str, *, lang: str = "en") -> bytes:
    """The picture as PNG, SVG or PDF: nodes by kind (colour and shape), ties by relation or role."""
    with style():
        from matplotlib.lines import Line2D

        fig = new_figure(11, 8.5)
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_aspect("equal")
        pos = scene.pos
        widest = max((e["weight"] for e in scene.edges), default=1) or 1
        alpha, width = _edge_style(scene)
        largest = _largest_marker(pos)
        for e in scene.edges:
            (x1, y1), (x2, y2) = pos[e["u"]], pos[e["v"]]
            colour = _EDGE_COLOURS.get(e["type"], "#8c8c8c")
            ax.plot(
                [x1, x2],
                [y1, y2],
                color=colour,
                linestyle=_EDGE_STYLES.get(e["type"], "-" if not e["type"] else "-."),
                alpha=alpha if not e["type"] else max(alpha, 0.5),
                linewidth=width * _edge_width(e["weight"], widest),
                zorder=1,
                solid_capstyle="round",
            )
        for group in scene.groups:
            members = sorted((n for n in scene.nodes if n["group"] == group.key), key=lambda n: n["size"])
            if not members:
                continue
            ax.scatter(
                [pos[n["node"]][0] for n in members],
                [pos[n["node"]][1] for n in members],
                s=[_marker_points(n["size"], largest) for n in members],
                c=group.colour,
                marker=group.marker,
                edgecolors="#333333",
                linewidths=0.5,
                zorder=2,
            )
        kinds = [
            Line2D(
                [],
                [],
                linestyle="none",
                marker=g.marker,
                markersize=8,
                markerfacecolor=g.colour,
                markeredgecolor="#333333",
                label=g.label,
            )
            for g in scene.groups
        ]
        styled = [t for t in scene.edge_types if t in _EDGE_STYLES]
        others = [t for t in scene.edge_types if t not in _EDGE_STYLES]  # roles of working with a PTCE
        relations = [
            Line2D(
                [],
                [],
                color=_EDGE_COLOURS.get(t, "#8c8c8c"),
                linestyle=_EDGE_STYLES[t],
                linewidth=2,
                label=role_label(t, lang),
            )
            for t in styled
        ]
        if others:
            roles = textwrap.fill(", ".join(role_label(t, lang) for t in others), 30)
            relations.append(
                Line2D(
                    [], [], color="#8c8c8c", linestyle="-.", linewidth=2, label=word("working-with", lang, roles=roles)
                )
            )
        common = {"frameon": False, "fontsize": 8.5, "title_fontsize": 9, "alignment": "left"}
        if relations:  # an extra artist below; the kinds' legend, made last, is the one the layout makes room for
            below = ax.legend(
                handles=relations,
                loc="lower left",
                bbox_to_anchor=(1.0, 0.0),
                title=word("Relation or role", lang),
                **common,
            )
            ax.add_artist(below)
        if kinds:
            ax.legend(
                handles=kinds,
                loc="upper left",
                bbox_to_anchor=(1.0, 1.0),
                title=scene.legend_title.split(" / ")[0],
                **common,
            )
        if scene.pos:
            xs = [p[0] for p in pos.values()]
            ys = [p[1] for p in pos.values()]
            pad = 0.9
            ax.set_xlim(min(xs) - pad, max(xs) + pad)
            ax.set_ylim(min(ys) - pad, max(ys) + pad * 1.6)
        fig.suptitle(scene.title, fontsize=13, fontweight="bold")
        ax.set_title(scene.subtitle, fontsize=8.5, color="#555555")
        fig.canvas.draw()  # settle the constrained layout, then freeze it to place the labels
        fig.set_layout_engine("none")
        _place_labels(ax, scene)  # a white box, not a path effect, keeps labels as text in SVG
        return figure_bytes(fig, fmt)


def plot_graph(
    graph: nx.Graph,
    out: str | Path,
    *,
    view: str | None = None,
    when: str = "all dates",
    seed: int = DEFAULT_SEED,
    labels: int = 15,
    title: str | None = None,
    data: NetworkData | None = None,
    store: SparqlStore | None = None,
    lang: str = "en",
) -> Path:
    """Draw a view graph to ``out`` (``.png``, ``.svg``, ``.pdf`` or ``.html``), atomically.

    Parameters
    ----------
    graph
        A view from :func:`~ptce_graph.network.to_networkx`.
    out
        The file; its extension chooses the format.
    view, when
        Named in the title (the view defaults to the graph's ``view`` attribute).
    seed
        Layout and Louvain seed.
    labels
        How many nodes to name (the most central ones).
    title
        Replaces the generated title.
    data, store
        The data the view was projected from and the store it was read from: give the HTML
        page its year filter and its PTCE cards (see :mod:`ptce_graph.network.page`).
    lang
        ``"en"`` or ``"fr"``: the language of the title, the legends and the subtitle of
        the pictures, and of the whole HTML page (filters, counts, cards).
    """
    path = Path(out)
    fmt = figure_format(path, PLOT_FORMATS)
    check_lang(lang)
    name = view or str(graph.graph.get("view", ""))
    scene = _scene(graph, name, when, seed=seed, labels=labels, title=title, lang=lang)
    if fmt == ".html":
        from ptce_graph.network.page import network_page  # the page imports this module's scene

        drawn = network_page(scene, graph, view=name, data=data, store=store, lang=lang)
    else:
        drawn = _matplotlib(scene, fmt, lang=lang)
    with atomic_write(path) as handle:
        handle.write(drawn)
    return path


def plot_network(
    source: PtceGraph | Graph | SparqlStore | NetworkData,
    view: str = DEFAULT_VIEW,
    out: str | Path = "network.png",
    *,
    as_of: str | dt.date | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    seed: int = DEFAULT_SEED,
    labels: int = 15,
    title: str | None = None,
    undated: str = DEFAULT_UNDATED,
    lang: str = "en",
) -> Path:
    """Draw one view of the graph, in a time window, to a PNG, SVG, PDF or HTML file.

    The static pictures have a legend of the actor kinds (Okabe-Ito colours and marker
    shapes) and, in the ``relations`` and ``membership`` views, of the relation types or
    membership roles (colours and line styles); ``lang`` chooses French or English, for the
    pictures and the HTML page alike.

    Examples
    --------
    >>> import tempfile
    >>> from ptce_graph.network import example_graph
    >>> path = plot_network(example_graph(), "co-membership", Path(tempfile.mkdtemp()) / "co.html")
    >>> "Coop A" in path.read_text(encoding="utf-8")
    True
    """
    if view not in VIEWS:
        raise InputError(f"unknown view '{view}'; choose one of {', '.join(VIEWS)}")
    time = window(as_of, start, end)
    store = None if isinstance(source, NetworkData) else as_store(source)
    data = as_network_data(source if store is None else store)
    graph = project(data, view, time, undated=undated)
    return plot_graph(
        graph,
        out,
        view=view,
        when=time.describe() if time else "all dates",
        seed=seed,
        labels=labels,
        title=title,
        data=data,
        store=store,
        lang=lang,
    )
