"""Indicator charts (known answers from the indicators) and the gallery of docs/gallery.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ptce_graph.cli import main
from ptce_graph.errors import InputError
from ptce_graph.network.indicators import ptce_indicators
from ptce_graph.publish.charts import draw_chart
from ptce_graph.publish.gallery import GALLERY, write_gallery

pytest.importorskip("matplotlib")

DOCS = Path(__file__).parents[2] / "docs"


def test_composition_shows_the_ptces_with_most_members(shipped_graph: object, tmp_path: Path) -> None:
    table = ptce_indicators(shipped_graph)  # type: ignore[arg-type]
    expected = [r["ptce"] for r in sorted(table.rows, key=lambda r: (-r["members"], r["label"])) if r["members"]][:10]
    drawn = draw_chart(shipped_graph, tmp_path / "c.svg", top=10, lang="fr")  # type: ignore[arg-type]
    assert list(drawn.ptces) == expected
    svg = drawn.path.read_text(encoding="utf-8")
    assert "Membres de chaque PTCE par type d'acteur" in svg and "Entreprise de l'ESS" in svg
    assert "les 10 PTCE aux membres connus les plus nombreux" in svg


def test_distribution_says_how_many_ptces_have_no_value(shipped_graph: object, tmp_path: Path) -> None:
    table = ptce_indicators(shipped_graph)  # type: ignore[arg-type]
    without = sum(1 for r in table.rows if r["ess_share"] is None)
    svg = draw_chart(shipped_graph, tmp_path / "d.svg", chart="distribution").path.read_text(encoding="utf-8")  # type: ignore[arg-type]
    assert f"n = {len(table.rows) - without} · {without} without a value" in svg


def test_chart_mistakes(shipped_graph: object, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown chart 'pie'"):
        draw_chart(shipped_graph, tmp_path / "x.svg", chart="pie")  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"--top must be at least 1"):
        draw_chart(shipped_graph, tmp_path / "x.svg", top=0)  # type: ignore[arg-type]
    assert main(["plot", "--chart", "composition", "--out", str(tmp_path / "c.html")]) == 2


def test_cli_plot_chart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "composition.pdf"
    assert main(["plot", "--chart", "composition", "--top", "5", "--out", str(target)]) == 0
    assert target.read_bytes().startswith(b"%PDF-") and "composition of 5 PTCEs" in capsys.readouterr().err


@pytest.mark.slow
def test_gallery_is_drawn_and_documented(shipped_graph: object, tmp_path: Path) -> None:
    written = write_gallery(tmp_path)
    assert sorted(p.name for p in written) == sorted(GALLERY)
    for path in written:
        assert path.read_bytes().startswith(b"\x89PNG") and path.stat().st_size > 10_000
    page = (DOCS / "gallery.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"\]\(gallery/([^)]+\.png)\)", page))
    screenshots = {"network-page.png", "query-page.png"}  # taken by the browser tests
    assert shown == set(GALLERY) | screenshots
    assert {p.name for p in (DOCS / "gallery").iterdir()} == set(GALLERY) | screenshots
