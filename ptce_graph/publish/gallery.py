"""The gallery of docs/gallery.md: one picture of each kind, drawn from the shipped data.

``python -m ptce_graph.publish.gallery docs/gallery`` redraws them; a test runs the same
function into a temporary folder and checks that each picture is written.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from ptce_graph.graph import PtceGraph, open_graph
from ptce_graph.network.choices import CHARTS, MAP_LEVELS, VIEWS
from ptce_graph.network.plot import plot_network
from ptce_graph.publish.charts import draw_chart
from ptce_graph.publish.maps import draw_map

__all__ = ["GALLERY", "write_gallery"]

#: The pictures of the gallery: file name -> what it shows.
GALLERY: dict[str, str] = {
    **{f"network-{view}.png": f"the {view} view" for view in VIEWS},
    **{f"chart-{chart}.png": f"the {chart} chart of the PTCE indicators" for chart in CHARTS},
    **{f"map-{level}.png": f"the PTCEs by {level}" for level in MAP_LEVELS},
    "map-departement-fr.png": "the PTCEs by département, in French",
}


def write_gallery(folder: Path, graph: PtceGraph | None = None) -> list[Path]:
    """Draw every picture of :data:`GALLERY` into ``folder`` (from the shipped data by default)."""
    graph = graph if graph is not None else open_graph(with_ontology=True)
    folder.mkdir(parents=True, exist_ok=True)
    written = [plot_network(graph, view, folder / f"network-{view}.png") for view in VIEWS]
    # ages are counted to a fixed day so that the gallery does not change with the calendar
    written += [
        draw_chart(graph, folder / f"chart-{chart}.png", chart=chart, reference_date=dt.date(2026, 1, 1)).path
        for chart in CHARTS
    ]
    written += [draw_map(graph, folder / f"map-{level}.png", level=level).path for level in MAP_LEVELS]
    written.append(draw_map(graph, folder / "map-departement-fr.png", level="departement", lang="fr").path)
    for path in written:
        _shrink(path)
    return written


def _shrink(path: Path) -> None:
    """Halve a 200 dpi PNG and keep 256 colours, for the web page (Pillow comes with matplotlib)."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").resize((image.width // 2, image.height // 2), Image.Resampling.LANCZOS)
    small.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
        path, format="PNG", optimize=True
    )


if __name__ == "__main__":  # pragma: no cover - the test calls write_gallery
    for path in write_gallery(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/gallery")):
        print(f"wrote {path}")
