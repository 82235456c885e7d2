"""Whole commands against their baselines: what a user waits for, each run a fresh interpreter.

The stages of ``bench/stages.py`` time the library's steps in a warm process; a user runs a
command. Each pair here runs both commands of the pair, alternately, ``repeat`` times (fewer
once the pair has taken :data:`BUDGET` seconds; at least once), and compares the medians:

* ``ptce-graph query ID --graph ptce.nt`` against :mod:`bench.oxiquery`, pyoxigraph loading the
  same file and running the same text (``queries/ID.rq``, the same parameters): target 3×;
* ``ptce-graph validate ptce.nt``, ``metrics --graph ptce.nt`` and ``export --graph ptce.nt
  --out X.ttl`` against the same command on the data folder the file was built from: a built
  file should cost no more than the CSV it came from; target 1.5×.

``ptce.nt`` is the one the fast worker wrote (``OUT/SIZE/fast/ptce.nt``, the size's data under
the synthetic base). The commands are called only through the command line
(``python -m ptce_graph``), so the comparison holds whatever the package's inside looks like.
A run still going after the runner's bound (at least :data:`MIN_BOUND`) is stopped; its pair's ratio
is then a bound.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.generate import size_folder

__all__ = ["BUDGET", "MIN_BOUND", "QUERY", "markdown_lines", "measure", "verdict"]

ROOT = Path(__file__).resolve().parent
OUT = ROOT / "out"
REPO = ROOT.parent

#: The canned query of the query pair.
QUERY = "ptce_overview"
#: Seconds after which a pair is not repeated again.
BUDGET = 30.0
#: Seconds after which one command is stopped, at the least: a command slower than the naive
#: stages' bound at M still needs a real ratio.
MIN_BOUND = 300.0


@dataclass(frozen=True)
class Pair:
    """A command, the baseline it is held to, and the target ratio of their times."""

    name: str
    command: str
    argv: list[str]
    baseline: str
    baseline_argv: list[str]
    target: float


def pairs(size: str, work: Path) -> list[Pair]:
    """The pairs of one size; their outputs go to ``work``."""
    from bench.stages import read_queries

    nt, folder = OUT / size / "fast" / "ptce.nt", size_folder(OUT, size)
    cli = [sys.executable, "-m", "ptce_graph"]
    params = read_queries(size)[QUERY]["params"]
    cli_params = [arg for key, value in params.items() for arg in ("--param", f"{key}={value}")]
    rq = REPO / "queries" / f"{QUERY}.rq"
    return [
        Pair("query", f"ptce-graph query {QUERY} --graph ptce.nt",
             [*cli, "query", QUERY, "--graph", str(nt), "--format", "csv", "--out", str(work / "cli.csv"), *cli_params],
             f"pyoxigraph alone (bench/oxiquery.py): ptce.nt into a Store, queries/{QUERY}.rq",
             [sys.executable, "-m", "bench.oxiquery", str(nt), str(rq), "--out", str(work / "oxigraph.csv"),
              *cli_params], 3.0),
        Pair("validate", "ptce-graph validate ptce.nt", [*cli, "validate", str(nt)],
             "ptce-graph validate DATA-FOLDER", [*cli, "validate", str(folder)], 1.5),
        Pair("metrics", "ptce-graph metrics --graph ptce.nt",
             [*cli, "metrics", "--graph", str(nt), "--format", "csv", "--out", str(work / "file.csv")],
             "ptce-graph metrics --graph DATA-FOLDER",
             [*cli, "metrics", "--graph", str(folder), "--format", "csv", "--out", str(work / "folder.csv")], 1.5),
        Pair("export", "ptce-graph export --graph ptce.nt --out X.ttl",
             [*cli, "export", "--graph", str(nt), "--out", str(work / "file.ttl")],
             "ptce-graph export --graph DATA-FOLDER --out X.ttl",
             [*cli, "export", "--graph", str(folder), "--out", str(work / "folder.ttl")], 1.5),
    ]


def _run(argv: list[str], bound: float) -> tuple[float, bool, str | None]:
    """Wall time of one command, whether it was stopped at ``bound``, and why it failed if it did.

    Exit 1 (the data does not conform) is a result, not a failure: the time is the command's.
    """
    started = time.perf_counter()
    try:
        done = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=bound, check=False)
    except subprocess.TimeoutExpired:
        return bound, True, None
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        return seconds, False, (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1][:200]
    return seconds, False, None


def _rows(path: Path) -> int | None:
    try:
        return max(0, len(path.read_text(encoding="utf-8").splitlines()) - 1)
    except OSError:
        return None


def measure(size: str, *, repeat: int, bound: float, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Time every pair of :func:`pairs`: by pair name, the medians, the ratio and whether it is met."""
    bound = max(bound, MIN_BOUND)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-commands-") as folder:
        work = Path(folder)
        for pair in pairs(size, work):
            times: list[float] = []
            baseline_times: list[float] = []
            bounded = baseline_bounded = False
            failed = None
            begun = time.monotonic()
            for _ in range(max(1, repeat)):
                seconds, bounded, failed = _run(pair.argv, bound)
                times.append(seconds)
                if failed is None:
                    seconds, baseline_bounded, failed = _run(pair.baseline_argv, bound)
                    baseline_times.append(seconds)
                if failed or bounded or baseline_bounded or time.monotonic() - begun > BUDGET:
                    break
            entry: dict[str, Any] = {"command": pair.command, "baseline": pair.baseline, "target": pair.target,
                                     "seconds": statistics.median(times), "bounded": bounded,
                                     "baseline_seconds": statistics.median(baseline_times) if baseline_times else None,
                                     "baseline_bounded": baseline_bounded, "runs": len(times), "failed": failed}
            if pair.name == "query":
                entry["rows"], entry["baseline_rows"] = _rows(work / "cli.csv"), _rows(work / "oxigraph.csv")
            if failed is None and entry["baseline_seconds"]:
                entry["ratio"] = entry["seconds"] / entry["baseline_seconds"]
                # a stopped command's ratio is a lower bound: "over" only once that bound passes the target
                entry["met"] = None if bounded and entry["ratio"] <= pair.target else \
                    entry["ratio"] <= pair.target
            results[pair.name] = entry
            log(f"{pair.name}: {verdict(entry)}")
    return results


def _seconds(value: float | None) -> str:
    from bench.units import duration as _fmt

    return _fmt(value)


def _state(entry: dict[str, Any]) -> str:
    met = entry.get("met")
    return "ok" if met else "unknown (stopped at the bound)" if met is None else "over"


def verdict(entry: dict[str, Any]) -> str:
    """One line: the two times, the ratio against its target, and ok or over.

    Examples
    --------
    >>> verdict({"seconds": 3.0, "baseline_seconds": 1.0, "ratio": 3.0, "target": 1.5, "met": False,
    ...          "bounded": False, "baseline_bounded": False, "failed": None})
    '3.00 s against 1.00 s: 3.00× (target ≤ 1.5×): over'
    """
    if entry.get("failed"):
        return f"fails: {entry['failed']}"
    mark = "≥ " if entry["bounded"] else "≤ " if entry["baseline_bounded"] else ""
    ratio = f"{mark}{entry['ratio']:.2f}×" if entry.get("ratio") is not None else "–"
    state = _state(entry)
    return (f"{_seconds(entry['seconds'])} against {_seconds(entry['baseline_seconds'])}: {ratio} "
            f"(target ≤ {entry['target']:g}×): {state}")


def markdown_lines(size: str, results: dict[str, Any], bound: float | None) -> list[str]:
    """The report's section on whole commands."""
    if not results:
        return []
    bound = max(bound or 0, MIN_BOUND)
    lines = [(f"Whole commands, each run a fresh interpreter (`python -m ptce_graph ...`), against their "
              f"baselines, run alternately; median of up to the runner's repeats (fewer once a pair has taken "
              f"{BUDGET:.0f} s; the runs are counted); a run still going after {bound:.0f} s is stopped, its "
              f"ratio then a bound. Targets are set at M; `ptce.nt` is this size's build of the data folder."), "",
             "| command | time | baseline | time | runs | ratio | target | |", "|---|---|---|---|---|---|---|---|"]
    for entry in results.values():
        if entry.get("failed"):
            lines.append(f"| `{entry['command']}` | fails: {entry['failed']} | {entry['baseline']} | | "
                         f"{entry['runs']} | | ≤ {entry['target']:g}× | over |")
            continue
        mark = "≥ " if entry["bounded"] else "≤ " if entry["baseline_bounded"] else ""
        time_cell = f"> {bound:.0f} s" if entry["bounded"] and bound else _seconds(entry["seconds"])
        lines.append(f"| `{entry['command']}` | {time_cell} | {entry['baseline']} | "
                     f"{_seconds(entry['baseline_seconds'])} | {entry['runs']} | {mark}{entry['ratio']:.2f}× | "
                     f"≤ {entry['target']:g}× | {_state(entry)} |")
    query = results.get("query", {})
    if query.get("rows") is not None:
        same = "the same number" if query["rows"] == query.get("baseline_rows") else \
            f"NOT the same number ({query.get('baseline_rows')} from pyoxigraph)"
        lines += ["", f"The query pair returned {same} of rows ({query['rows']:,} from ptce-graph)."]
    return lines + [""]
