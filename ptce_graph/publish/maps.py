"""A map of the PTCEs: how many in each région or département, and a point where a commune is known.

Drawn offline from the vendored map of France (:mod:`.geometry`): metropolitan France in
the main frame, the five overseas départements-régions in insets, longitudes scaled by the
cosine of each frame's mean latitude (an equirectangular view, right for a country's size).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph

from ptce_graph.errors import InputError
from ptce_graph.graph import PtceGraph
from ptce_graph.io.atomic import atomic_write
from ptce_graph.network.figure import figure_bytes, figure_format, new_figure, style
from ptce_graph.network.words import check_lang, word
from ptce_graph.publish.geometry import LEVELS, OVERSEAS, Level, Shape, shapes
from ptce_graph.publish.places import Places, locate
from ptce_graph.store import SparqlStore

__all__ = ["DrawnMap", "draw_map", "map_classes"]

#: The colours of the count classes, light to dark (ColorBrewer "Blues", readable by
#: colour-blind readers and in greyscale); regions with no PTCE stay light grey.
_CLASS_COLOURS = ("#deebf7", "#9ecae1", "#4292c6", "#2171b5", "#08306b")
_EMPTY = "#f2f2f2"
_POINT = "#D55E00"  # Okabe-Ito vermillion


@dataclass(frozen=True)
class DrawnMap:
    """What a map shows: the file, the count of each unit, and the points drawn."""

    path: Path
    level: str
    counts: dict[str, int]
    points: tuple[tuple[str, str, float, float], ...]  # PTCE IRI, commune, longitude, latitude
    placed: int
    total: int


def map_classes(top: int) -> list[tuple[int, int]]:
    """Up to five classes of counts from 1 to ``top``, each one an inclusive (low, high) range.

    Examples
    --------
    >>> map_classes(3)
    [(1, 1), (2, 2), (3, 3)]
    >>> map_classes(17)
    [(1, 1), (2, 3), (4, 7), (8, 11), (12, 17)]
    """
    if top <= 5:
        return [(i, i) for i in range(1, top + 1)]
    edges = sorted({1, *(round(1 + (top - 1) * (k / 4) ** 1.5) for k in range(1, 5))})
    return [(1, 1)] + [(low + 1, high) for low, high in itertools.pairwise(edges)]


def _class_of(count: int, classes: list[tuple[int, int]]) -> int:
    return next(i for i, (low, high) in enumerate(classes) if low <= count <= high)


def _draw_units(ax: Any, units: list[Shape], counts: dict[str, int], classes: list[tuple[int, int]]) -> None:
    from matplotlib.patches import Polygon as Patch

    for shape in units:
        count = counts.get(shape.code, 0)
        colour = _CLASS_COLOURS[_class_of(count, classes)] if count else _EMPTY
        for polygon in shape.polygons:
            ax.add_patch(Patch(polygon[0], closed=True, facecolor=colour, edgecolor="#6b6b6b", linewidth=0.4))
            for hole in polygon[1:]:
                ax.add_patch(Patch(hole, closed=True, facecolor="white", edgecolor="#6b6b6b", linewidth=0.4))


def _frame(ax: Any, units: list[Shape], pad: float = 0.3) -> None:
    xs = [x for s in units for p in s.polygons for x, _ in p[0]]
    ys = [y for s in units for p in s.polygons for _, y in p[0]]
    ax.set_xlim(min(xs) - pad, max(xs) + pad)
    ax.set_ylim(min(ys) - pad, max(ys) + pad)
    ax.set_aspect(1 / math.cos(math.radians((min(ys) + max(ys)) / 2)))
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_edgecolor("#bbbbbb")


def draw_map(
    source: PtceGraph | Graph | SparqlStore | Places,
    out: str | Path,
    *,
    level: str = "region",
    lang: str = "en",
    points: bool = True,
    title: str | None = None,
) -> DrawnMap:
    """Draw the PTCEs by région or département to a PNG, SVG or PDF file, atomically.

    Each région (or département) is shaded by the number of PTCEs whose territory lies in it
    (a PTCE placed in several counts in each; by département, a PTCE whose territory is a
    whole région is not counted). With ``points``, each PTCE whose territory is a commune
    gets a point there (one per commune). The legend gives the classes, the note says how
    many PTCEs are placed, and the source line credits the boundaries.

    Parameters
    ----------
    source
        The graph, a store, or places already found by :func:`~.places.locate`.
    out
        The picture; its extension (``.png``, ``.svg``, ``.pdf``) chooses the format.
    level
        ``"region"`` or ``"departement"``.
    lang
        ``"en"`` or ``"fr"``.
    points
        Draw the PTCEs whose commune is known.
    title
        Replaces the generated title.

    Examples
    --------
    >>> import tempfile
    >>> from ptce_graph.network import example_graph
    >>> drawn = draw_map(example_graph(), Path(tempfile.mkdtemp()) / "map.svg", level="departement")
    >>> drawn.counts, len(drawn.points)
    ({'07': 1, '26': 2}, 1)
    """
    path = Path(out)
    fmt = figure_format(path)
    check_lang(lang)
    if level not in LEVELS:
        raise InputError(f"unknown map level '{level}'; choose one of {', '.join(LEVELS)}")
    unit: Level = "region" if level == "region" else "departement"
    places = source if isinstance(source, Places) else locate(source)
    counts = places.counts(unit)
    units = shapes(unit)
    unknown = sorted(set(counts) - set(units))
    if unknown:
        raise InputError(f"no shape on the map for the {unit} code(s) {', '.join(unknown)}")
    drawn = tuple(
        (p.iri, commune, lon, lat) for p in places.ptces() for commune, lon, lat in (p.points if points else ())
    )
    total = len(places.ptces())
    placed = total - places.unplaced(unit)
    classes = map_classes(max(counts.values(), default=1))
    with style():
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        fig = new_figure(8.5, 8.2, constrained=False)
        main = fig.add_axes((0.2, 0.15, 0.78, 0.74))
        metro = [s for c, s in sorted(units.items()) if c not in OVERSEAS[unit]]
        _draw_units(main, metro, counts, classes)
        _frame(main, metro)
        for spine in main.spines.values():
            spine.set_visible(False)
        insets = []
        for index, code in enumerate(c for c in sorted(units) if c in OVERSEAS[unit]):
            ax = fig.add_axes((0.02, 0.75 - index * 0.145, 0.15, 0.125))
            _draw_units(ax, [units[code]], counts, classes)
            _frame(ax, [units[code]], pad=0.1)
            ax.set_title(units[code].name, fontsize=7, pad=2)
            insets.append((ax, units[code]))
        if unit == "region":
            for shape in metro:
                if counts.get(shape.code):
                    x, y = shape.representative_point()
                    dark = _class_of(counts[shape.code], classes) >= 2
                    main.text(
                        x,
                        y,
                        str(counts[shape.code]),
                        ha="center",
                        va="center",
                        fontsize=9,
                        fontweight="bold",
                        color="white" if dark else "#08306b",
                        zorder=4,
                    )
        for _iri, _, lon, lat in drawn:
            target = main
            for ax, shape in insets:
                if shape.contains(lon, lat):
                    target = ax
            target.scatter([lon], [lat], s=14, c=_POINT, edgecolors="white", linewidths=0.5, zorder=5)
        handles: list[Any] = [Patch(facecolor=_EMPTY, edgecolor="#6b6b6b", linewidth=0.4, label="0")]
        handles += [
            Patch(
                facecolor=_CLASS_COLOURS[i],
                edgecolor="#6b6b6b",
                linewidth=0.4,
                label=str(low) if low == high else f"{low}–{high}",
            )
            for i, (low, high) in enumerate(classes)
        ]
        if drawn:
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="o",
                    markersize=5,
                    markerfacecolor=_POINT,
                    markeredgecolor="white",
                    label=f"{word('map.points', lang)} ({len(drawn)})",
                )
            )
        fig.legend(
            handles=handles,
            loc="lower center",
            bbox_to_anchor=(0.5, 0.045),
            ncols=4,
            frameon=False,
            fontsize=8,
            title=word("map.count", lang),
            title_fontsize=8.5,
            alignment="left",
            framealpha=0.9,
        )
        fig.suptitle(title or word(f"map.title.{unit}", lang), fontsize=14, fontweight="bold", y=0.97)
        fig.text(
            0.5,
            0.92,
            word(f"map.note.{unit}", lang, placed=placed, total=total),
            ha="center",
            fontsize=8.5,
            color="#444444",
        )
        fig.text(0.5, 0.015, word("map.source", lang), ha="center", fontsize=6.5, color="#666666", wrap=True)
        data = figure_bytes(fig, fmt)
    with atomic_write(path) as handle:
        handle.write(data)
    return DrawnMap(path, unit, counts, drawn, placed, total)
