"""Charts of the PTCE indicators: members by kind (composition bars) and the indicators' distributions.

Both are drawn from :func:`~ptce_graph.network.indicators.ptce_indicators`, in a time window
or over all dates, in French or English, with the kinds' Okabe-Ito colours (kinds sharing a
colour are hatched) so that a colour-blind reader tells them apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph

from ptce_graph.errors import InputError
from ptce_graph.graph import PtceGraph
from ptce_graph.io.atomic import atomic_write
from ptce_graph.io.cells import xml_text
from ptce_graph.network.choices import CHARTS
from ptce_graph.network.figure import figure_bytes, figure_format, new_figure, style
from ptce_graph.network.indicators import ptce_indicators
from ptce_graph.network.kinds import ACTOR_KINDS
from ptce_graph.network.plot import KIND_COLOURS
from ptce_graph.network.table import MetricTable
from ptce_graph.network.views import DEFAULT_UNDATED, NetworkData
from ptce_graph.network.words import check_lang, kind_label, word
from ptce_graph.store import SparqlStore

__all__ = ["CHARTS", "DISTRIBUTIONS", "DrawnChart", "draw_chart"]

#: The indicators of the ``distribution`` chart, in panel order.
DISTRIBUTIONS = ("members", "shannon_diversity", "ess_share", "age")

#: Kinds drawn hatched: the second kind of each pair that shares an Okabe-Ito colour.
_HATCHED = {"enterprise-grouping", "higher-education", "support-network", "financial-organisation", "other"}


@dataclass(frozen=True)
class DrawnChart:
    """What a chart shows: the file, the chart, and the PTCEs (IRIs) it draws."""

    path: Path
    chart: str
    ptces: tuple[str, ...]


def _column(kind: str) -> str:
    return f"members_{kind.replace('-', '_')}"


def _composition(fig: Any, table: MetricTable, lang: str, top: int) -> tuple[str, ...]:
    rows = sorted((r for r in table.rows if r["members"]), key=lambda r: (-int(r["members"] or 0), str(r["label"])))
    shown = rows[:top]
    ax = fig.add_subplot()
    names = [xml_text(str(r["label"])) for r in shown]  # shown as text: escapes for what no font draws
    labels = [name if len(name) <= 40 else name[:39] + "…" for name in names]
    y = list(range(len(shown)))[::-1]
    left = [0] * len(shown)
    for kind in ACTOR_KINDS:
        values = [int(r[_column(kind)] or 0) for r in shown]
        if not any(values):
            continue
        ax.barh(
            y,
            values,
            left=left,
            color=KIND_COLOURS[kind],
            edgecolor="#333333",
            linewidth=0.4,
            hatch="///" if kind in _HATCHED else None,
            label=kind_label(kind, lang),
        )
        left = [a + b for a, b in zip(left, values)]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel(word("composition.x", lang))
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="lower right", fontsize=8, title=word("Actor kind", lang), title_fontsize=8.5, frameon=False)
    fig.suptitle(word("composition.title", lang), fontsize=13, fontweight="bold")
    ax.set_title(word("composition.note", lang, n=len(shown), rest=len(rows) - len(shown)), fontsize=8.5)
    return tuple(str(r["ptce"]) for r in shown)


def _distribution(fig: Any, table: MetricTable, lang: str) -> tuple[str, ...]:
    axes = fig.subplots(2, 2)
    for ax, column in zip(axes.flat, DISTRIBUTIONS):
        values = [float(v) for r in table.rows if isinstance(v := r[column], (int, float))]
        if column == "members":
            values = [v for v in values if v > 0]
        missing = len(table.rows) - len(values)
        if values:
            bins: Any = 10
            if column in ("members", "age"):
                top = int(max(values))
                step = max(1, (top + 1) // 15)
                bins = list(range(0, top + step + 1, step))
            elif column == "ess_share":
                bins = [i / 10 for i in range(11)]
            ax.hist(values, bins=bins, color="#0072B2", edgecolor="white", linewidth=0.6)
        ax.set_xlabel(word(column, lang))
        ax.set_ylabel(word("PTCEs", lang))
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_title(f"n = {len(values)} · {word('no value', lang, n=missing)}", fontsize=8.5, color="#555555")
    fig.suptitle(word("distribution.title", lang), fontsize=13, fontweight="bold")
    return tuple(str(r["ptce"]) for r in table.rows)


def draw_chart(
    source: PtceGraph | Graph | SparqlStore | NetworkData,
    out: str | Path,
    *,
    chart: str = "composition",
    lang: str = "en",
    top: int = 30,
    as_of: str | dt.date | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    undated: str = DEFAULT_UNDATED,
    reference_date: dt.date | None = None,
) -> DrawnChart:
    """Draw a chart of the PTCE indicators to a PNG, SVG or PDF file, atomically.

    Parameters
    ----------
    source
        The graph (or a store, or data read by :func:`~ptce_graph.network.views.extract`).
    out
        The picture; its extension chooses the format.
    chart
        ``"composition"``: one stacked bar per PTCE, its known members by kind, for the
        ``top`` PTCEs with the most members; ``"distribution"``: histograms of the number of
        members (PTCEs with at least one), the Shannon diversity of their kinds, the share of
        ESS members and the age, each saying how many PTCEs have no value.
    lang
        ``"en"`` or ``"fr"``.
    as_of, start, end, undated
        The time window of the indicators (see :func:`~ptce_graph.network.indicators.ptce_indicators`).
    reference_date
        The day ages are counted to: the end of the window, or today, by default.

    Examples
    --------
    >>> import tempfile
    >>> from ptce_graph.network import example_graph
    >>> drawn = draw_chart(example_graph(), Path(tempfile.mkdtemp()) / "c.svg", top=2)
    >>> [iri.rsplit("/", 1)[-1] for iri in drawn.ptces]
    ['pole-deux', 'pole-un']
    """
    path = Path(out)
    fmt = figure_format(path)
    check_lang(lang)
    if chart not in CHARTS:
        raise InputError(f"unknown chart '{chart}'; choose one of {', '.join(CHARTS)}")
    if top < 1:
        raise InputError(f"--top must be at least 1, not {top}")
    table = ptce_indicators(source, as_of=as_of, start=start, end=end, undated=undated, reference_date=reference_date)
    with style():
        if chart == "composition":
            fig = new_figure(10, max(4.0, 1.6 + 0.28 * min(top, sum(1 for r in table.rows if r["members"]))))
            shown = _composition(fig, table, lang, top)
        else:
            fig = new_figure(10, 7.5)
            shown = _distribution(fig, table, lang)
        data = figure_bytes(fig, fmt)
    with atomic_write(path) as handle:
        handle.write(data)
    return DrawnChart(path, chart, shown)
