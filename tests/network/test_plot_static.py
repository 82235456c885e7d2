"""Static pictures of the views: formats, languages, legends, palette, stable bytes, clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from ptce_graph.cli import main
from ptce_graph.errors import InputError
from ptce_graph.graph import open_graph
from ptce_graph.network.figure import OKABE_ITO, require_matplotlib
from ptce_graph.network.kinds import KINDS
from ptce_graph.network.plot import KIND_COLOURS, KIND_MARKERS, layout, plot_network
from ptce_graph.network.words import kind_label, role_label

pytest.importorskip("matplotlib")

FIXTURE = Path(__file__).parents[1] / "fixtures" / "network.ttl"
ROOT = Path(__file__).parents[2]


def _svg(graph_source: object, view: str, path: Path, **options: object) -> str:
    return plot_network(graph_source, view, path, **options).read_text(encoding="utf-8")  # type: ignore[arg-type]


def test_pdf_is_written(shipped_graph: object, tmp_path: Path) -> None:
    data = plot_network(shipped_graph, "ptce", tmp_path / "p.pdf").read_bytes()  # type: ignore[arg-type]
    assert data.startswith(b"%PDF-") and b"/CreationDate" not in data


def test_legends_name_the_kinds_and_the_roles_in_each_language(shipped_graph: object, tmp_path: Path) -> None:
    en = _svg(shipped_graph, "membership", tmp_path / "en.svg")
    fr = _svg(shipped_graph, "membership", tmp_path / "fr.svg", lang="fr")
    assert "Memberships of actors in PTCEs, all dates" in en and "Actor kind" in en
    assert "Adhésions des acteurs aux PTCE, toutes dates" in fr and "Type d'acteur" in fr
    # the shipped memberships have these roles; each one is in the legend, in the language asked
    for role in ("carrying-structure", "founder", "member"):
        assert role_label(role, "en") in en and role_label(role, "fr") in fr
    assert "structure porteuse" in fr and "Relation ou rôle" in fr
    for kind in ("ess-enterprise", "local-authority"):
        assert kind_label(kind, "en") in en and kind_label(kind, "fr") in fr
    relations = _svg(shipped_graph, "relations", tmp_path / "rel.svg", lang="fr")
    assert "financement" in relations and "partenariat" in relations and "travaille avec un PTCE" in relations


def test_palette_is_okabe_ito_and_no_two_kinds_look_alike() -> None:
    allowed = {c.upper() for c in OKABE_ITO.values()} | {"#999999", "#FFFFFF"}
    assert set(KIND_COLOURS) == set(KINDS) == set(KIND_MARKERS)
    assert {c.upper() for c in KIND_COLOURS.values()} <= allowed
    looks = [(KIND_COLOURS[k].upper(), KIND_MARKERS[k]) for k in KINDS]
    assert len(set(looks)) == len(KINDS)


def test_unknown_language_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown language 'de'"):
        plot_network(open_graph(FIXTURE), "ptce", tmp_path / "x.svg", lang="de")


_DRAW = """
import sys
from ptce_graph.graph import open_graph
from ptce_graph.network.plot import plot_network
plot_network(open_graph(), sys.argv[1], sys.argv[2])
"""


@pytest.mark.parametrize("view", ["membership", "relations"])
def test_same_data_same_svg_bytes_whatever_the_hash_seed(view: str, tmp_path: Path) -> None:
    # the node order of a graph can follow Python's string hashing, which changes per process
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.svg"
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        subprocess.run([sys.executable, "-c", _DRAW, view, str(out)], check=True, env=env, cwd=ROOT)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b"<dc:date>" not in outputs[0]


def test_missing_matplotlib_is_named_with_its_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(InputError) as caught:
        require_matplotlib()
    assert "need matplotlib" in str(caught.value) and "pip install matplotlib" in str(caught.value)
    assert "scipy" not in str(caught.value)


def test_missing_layout_dependency_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_scipy(*_: object, **__: object) -> None:
        raise ModuleNotFoundError("No module named 'scipy'", name="scipy")

    monkeypatch.setattr(nx, "spring_layout", no_scipy)
    with pytest.raises(InputError, match=r"needs scipy, which is not installed: pip install scipy"):
        layout(nx.path_graph(["a", "b", "c", "d"]))


def test_cli_plot_pdf_in_french(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "rel.pdf"
    code = main(["plot", "--graph", str(FIXTURE), "--view", "relations", "--lang", "fr", "--out", str(target)])
    assert code == 0 and target.read_bytes().startswith(b"%PDF-")
    assert main(["plot", "--graph", str(FIXTURE), "--out", str(tmp_path / "x.gif")]) == 2
    assert "cannot draw to '.gif'" in capsys.readouterr().err and not (tmp_path / "x.gif").exists()
