"""The package's layers import downward only: a module may use the layers listed before its own,
never one listed after it (function-level imports included)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "ptce_graph"

#: From the bottom up. The package's ``__init__``/``__main__`` sit on top (they expose everything).
LAYERS = (
    "_version", "errors", "_lazy", "gcpause", "progress", "suggest", "resources", "model", "io", "store", "graph",
    "check", "query", "network", "publish", "serve", "cli",
)


def _layer(module: str) -> str:
    return module.split(".")[1]


def _module(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)


def _upward_imports(source: str, module: str) -> list[str]:
    own = LAYERS.index(_layer(module))
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ptce_graph."):
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names if alias.name.startswith("ptce_graph.")]
        else:
            continue
        found += [f"{module}:{node.lineno} imports {name}" for name in names if LAYERS.index(_layer(name)) > own]
    return found


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE or p.stem not in ("__init__", "__main__"))


def test_every_part_of_the_package_has_a_layer() -> None:
    parts = {(p.stem if p.parent == PACKAGE else p.relative_to(PACKAGE).parts[0]) for p in _modules()}
    parts -= {"_vendor", "_pages"}  # data, no code
    assert parts <= set(LAYERS), f"give these a layer in LAYERS: {sorted(parts - set(LAYERS))}"


def test_imports_point_down_only() -> None:
    upward = [line for path in _modules() for line in _upward_imports(path.read_text(encoding="utf-8"), _module(path))]
    assert upward == []


def test_the_check_finds_an_upward_import() -> None:
    source = "import ptce_graph.errors\n\ndef f():\n    from ptce_graph.cli import main\n    import ptce_graph.serve.linked\n"
    assert _upward_imports(source, "ptce_graph.model.probe") == [
        "ptce_graph.model.probe:4 imports ptce_graph.cli",
        "ptce_graph.model.probe:5 imports ptce_graph.serve.linked",
    ]
