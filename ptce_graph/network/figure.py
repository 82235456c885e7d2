"""Static pictures with matplotlib: the import, the palette, and byte-stable PNG, SVG and PDF files.

Every static picture of ptce-graph (network plots, indicator charts, maps) goes through
:func:`new_figure` and :func:`figure_bytes`, so each has the same fonts and the same
reproducible output: the SVG ids come from a fixed salt, and no file carries a date or the
software version, so the same data gives the same bytes with the same matplotlib.
"""

from __future__ import annotations

import io
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from ptce_graph.errors import InputError
from ptce_graph.io.cells import xml_text

__all__ = [
    "FIGURE_FORMATS",
    "OKABE_ITO",
    "figure_bytes",
    "figure_format",
    "new_figure",
    "require_matplotlib",
    "style",
]

#: The static picture formats, by file extension.
FIGURE_FORMATS = (".png", ".svg", ".pdf")

#: The Okabe-Ito palette, distinguishable with the common colour-vision deficiencies.
#:
#: M. Okabe, K. Ito, "Color Universal Design (CUD): how to make figures and presentations
#: that are friendly to colorblind people", 2008, https://jfly.uni-koeln.de/color/
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}


def require_matplotlib(what: str = "PNG, SVG and PDF pictures") -> Any:
    """Import matplotlib, or raise an :class:`~ptce_graph.errors.InputError` naming what to install.

    Examples
    --------
    >>> require_matplotlib().__name__
    'matplotlib'
    """
    try:
        import matplotlib
    except ImportError as exc:
        raise InputError(
            f"{what} need matplotlib, which is not installed: pip install matplotlib "
            "(or pip install 'ptce-graph[plot]')"
        ) from exc
    return matplotlib


def figure_format(path: Path, allowed: tuple[str, ...] = FIGURE_FORMATS) -> str:
    """The picture format of ``path`` from its extension, or an input error naming the allowed ones.

    Examples
    --------
    >>> figure_format(Path("map.PDF"))
    '.pdf'
    """
    fmt = path.suffix.lower()
    if fmt not in allowed:
        raise InputError.at(path, f"cannot draw to '{path.suffix}': use one of {', '.join(allowed)}")
    return fmt


def style() -> AbstractContextManager[Any]:
    """The matplotlib settings of every picture (fonts, text kept as text in SVG, fixed SVG ids)."""
    matplotlib = require_matplotlib()
    return matplotlib.rc_context(
        {
            "svg.hashsalt": "ptce-graph",
            "svg.fonttype": "none",
            "pdf.fonttype": 42,
            "font.family": "DejaVu Sans",
            "font.size": 9,
        }
    )


def new_figure(width: float, height: float, *, constrained: bool = True) -> Any:
    """A matplotlib figure with the Agg canvas, outside pyplot (no global state, no window)."""
    require_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained" if constrained else None)
    FigureCanvasAgg(fig)
    return fig


def _line() -> Any:
    fig = new_figure(2, 2)
    fig.add_subplot().plot([0, 1], [0, 1])
    return fig


def figure_bytes(fig: Any, fmt: str, *, dpi: int = 200) -> bytes:
    """The figure as PNG, SVG or PDF bytes, without dates or software versions in the metadata.

    Examples
    --------
    >>> with style():
    ...     first, second = [figure_bytes(_line(), ".svg") for _ in range(2)]
    >>> first == second and first.startswith(b"<?xml")
    True
    """
    buffer = io.BytesIO()
    if fmt == ".svg":
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        # labels come from the data and titles from the user, and matplotlib writes them as they
        # are: a character XML 1.0 cannot carry would make the file unreadable, so it is shown
        # escaped (no such character can stand anywhere else in an SVG)
        return xml_text(buffer.getvalue().decode("utf-8")).encode("utf-8")
    elif fmt == ".pdf":
        fig.savefig(buffer, format="pdf", metadata={"CreationDate": None, "ModDate": None, "Creator": None})
    elif fmt == ".png":
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    else:
        raise InputError(f"cannot draw to '{fmt}': use one of {', '.join(FIGURE_FORMATS)}")
    return buffer.getvalue()
