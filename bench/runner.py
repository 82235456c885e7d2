"""``bench/run``: time the fast pipeline against the naive one on synthetic national-scale data.

Usage::

    bench/run [--size S|M|L|XL] [--bound SECONDS] [--no-naive] [--server | --server-only] [--seed N]
    bench/run --render bench/results/L.json

1. Generates the synthetic data of the size (``bench/generate.py``) under ``bench/out/``
   (git-ignored), unless it is already there for the same seed, and renders the canned queries
   with their parameters (``bench/out/SIZE/queries.json``) for both pipelines.
2. Runs every stage of the fast pipeline in a fresh process (``bench/stages.py``), and
   records its peak memory; then pyoxigraph's parser alone on the same ``ptce.nt`` (the floor
   of any load); each canned query is also run as plain pyoxigraph SPARQL (its floor).
3. Runs the naive baseline, ptce-graph itself at commit fec0978 taken from git history
   (``bench/baseline.py``: rdflib graph, pyshacl, rdflib's serialisers, plain NetworkX), on the
   same data, one worker process at a time: a stage still running after ``--bound`` seconds
   is stopped, reported as "> bound", and its ratio is then a lower bound. In a clone without
   that commit (shallow) it says so and skips the baseline; the rest runs.
4. Times whole commands in fresh interpreters against their baselines (``bench/commands.py``):
   ``ptce-graph query --graph ptce.nt`` against pyoxigraph alone, and ``validate``, ``metrics``
   and ``export`` of ``ptce.nt`` against the same command on the data folder; each ratio is
   printed with its target and "ok" or "over".
5. With ``--server``, loads the data into an Oxigraph server with ``ptce-graph push`` and
   runs the canned queries there with ``ptce-graph query --endpoint``. ``--server-only`` runs
   this recipe alone (for XL, where the whole pipeline with exact betweenness takes long):
   ``ptce.nt`` is then written by the package's reader and N-Triples writer, timed.
6. Prints the table and writes it to ``bench/results/SIZE.md`` and ``bench/results/SIZE.json``.

No timing is asserted: ``tests/test_bench.py`` runs the S size as a smoke test.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import queue
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import baseline, commands
from bench.generate import SIZES, SYNTHETIC_BASE, generate, size_folder
from bench.units import duration as _fmt

__all__ = ["Measure", "main", "render_markdown", "run_worker"]

ROOT = Path(__file__).resolve().parent
OUT = ROOT / "out"
RESULTS = ROOT / "results"
REPO = ROOT.parent

#: Default bound (seconds) of one naive stage, and of one whole command, by size (M stays a
#: few minutes: pyshacl alone would take far longer there).
BOUNDS = {"S": 120.0, "M": 60.0, "L": 300.0, "XL": 300.0}
#: Warm runs of each canned query (the median is reported), by size.
REPEATS = {"S": 5, "M": 5, "L": 3, "XL": 3}

TARGETS = {
    "whole pipeline": "≥ 30× the naive one (measured at L)",
    "peak memory": "< 2 GiB for the whole fast pipeline",
    "load": "within 3× of pyoxigraph's parse-only time on the same file",
    "queries": "each within 1.5× of pyoxigraph running the same SPARQL; < 50 ms median at M",
    "shipped build": "< 3 s for `ptce-graph build`",
}


def _log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Measure:
    """The outcome of one stage in one mode."""

    seconds: float | None = None
    bounded: bool = False  # stopped at the bound: the true time is larger
    failed: str | None = None
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def time(self) -> float | None:
        """The time to compare: a query's warm median, else the stage's wall time."""
        if self.failed:
            return None
        median = self.info.get("median")
        return float(median) if median is not None and not self.bounded else self.seconds


def _python() -> str:
    return sys.executable


def run_worker(mode: str, size: str, *, bound: float | None, repeat: int, env: dict[str, str] | None = None,
               cwd: Path = REPO) -> tuple[dict[str, Measure], float | None]:
    """Run the stages of one mode, in workers restarted after any stage that runs past ``bound``.

    Returns the measures by stage name and the peak memory (MiB) of the last worker (for the
    fast mode, the only one).
    """
    from bench.stages import stage_names

    names = stage_names(size)
    measures: dict[str, Measure] = {}
    peak: float | None = None
    start = 0
    while start < len(names):
        command = [_python(), "-m", "bench.stages", "--mode", mode, "--size", size, "--start", str(start),
                   "--repeat", str(repeat)]
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, text=True,
                                   env={**os.environ, **(env or {})})
        lines: queue.Queue[str | None] = queue.Queue()

        # the queue is bound now: a pump left running by a stopped worker must not feed the next one's
        def pump(stream: Any = process.stdout, sink: queue.Queue[str | None] = lines) -> None:
            for line in stream:
                sink.put(line)
            sink.put(None)

        threading.Thread(target=pump, daemon=True).start()
        current: tuple[int, str, float] | None = None
        next_start = len(names)
        while True:
            timeout = None
            if current is not None and bound is not None:
                timeout = max(0.0, bound - (time.monotonic() - current[2]))
            try:
                line = lines.get(timeout=timeout)
            except queue.Empty:
                assert current is not None
                index, name, _ = current
                _log(f"{mode} {name}: still running after {bound:.0f} s, stopped")
                process.kill()
                process.wait()
                measures[name] = Measure(seconds=bound, bounded=True)
                next_start = index + 1
                break
            if line is None:
                process.wait()
                if current is not None:  # the worker died inside a stage
                    index, name, _ = current
                    measures[name] = Measure(failed=f"worker exited with {process.returncode}")
                    next_start = index + 1
                break
            event = json.loads(line)
            if event["event"] == "start":
                current = (event["index"], event["stage"], time.monotonic())
            elif event["event"] == "done":
                measures[event["stage"]] = Measure(seconds=event["seconds"], info=event.get("info", {}))
                current = None
            elif event["event"] == "failed":
                measures[event["stage"]] = Measure(seconds=event["seconds"], failed=event["error"])
                current = None
            elif event["event"] == "end":
                peak = event["peak_rss_mib"]
        start = next_start
    return measures, peak


def run_naive(size: str, bound: float) -> tuple[dict[str, Measure], str | None]:
    """The naive baseline: the stages run by ptce-graph at :data:`bench.baseline.COMMIT`.

    The old package is extracted from git history into a temporary folder, and the worker runs
    from there with that folder first on its path. Returns the measures, or none and the reason
    when the commit is not in this clone (the rest of the benchmark runs all the same).
    """
    with tempfile.TemporaryDirectory(prefix=f"ptce-graph-{baseline.COMMIT}-") as folder:
        reason = baseline.extract(REPO, Path(folder))
        if reason is not None:
            return {}, reason
        env = {"PYTHONPATH": os.pathsep.join([folder, str(REPO)]), "BENCH_BASELINE": folder}
        measures, _ = run_worker("naive", size, bound=bound, repeat=1, env=env, cwd=Path(folder))
    return measures, None


def _floor_load(size: str) -> Measure:
    process = subprocess.run([_python(), "-m", "bench.stages", "--mode", "floor", "--size", size], cwd=REPO,
                             capture_output=True, text=True, check=True)
    for line in process.stdout.splitlines():
        event = json.loads(line)
        if event["event"] == "done":
            return Measure(seconds=event["seconds"], info=event["info"])
    raise RuntimeError("the floor worker gave no measure")


def _shipped_build() -> float:
    """Wall time of ``ptce-graph build`` on the shipped data, in a fresh process (best of 3)."""
    times = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            subprocess.run([_python(), "-m", "ptce_graph", "build", "--out", out, "--quiet"], cwd=REPO,
                           check=True, capture_output=True)
            times.append(time.perf_counter() - started)
    return min(times)


# -- the server recipe --------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_recipe(size: str, query_timeout: float = 600) -> dict[str, Any]:
    """Push ``ptce.nt`` to an Oxigraph server with ``ptce-graph push``, then query it with ``--endpoint``.

    Each query gets ``query_timeout`` seconds (``ptce-graph query --timeout``); one that fails
    or runs out of time is reported with its message, and the recipe goes on.
    """
    from bench.stages import query_params
    from ptce_graph.query.catalog import load_catalog

    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(oxigraph).exists():
        raise RuntimeError("the oxigraph server is not installed (pip install oxigraph)")
    cli = str(Path(sys.executable).with_name("ptce-graph"))
    params = query_params(size_folder(OUT, size))
    nt = OUT / size / "fast" / "ptce.nt"
    port = _free_port()
    results: dict[str, Any] = {"queries": {}}
    with tempfile.TemporaryDirectory() as location:
        server = subprocess.Popen([oxigraph, "serve", "--location", location, "--bind", f"127.0.0.1:{port}"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                        break
                except OSError:
                    time.sleep(0.05)
            started = time.perf_counter()
            pushed = subprocess.run([cli, "push", "--store", f"{base}/store", "--graph", str(nt),
                                     "--timeout", "3600"], capture_output=True, text=True)
            if pushed.returncode != 0:
                raise RuntimeError(f"ptce-graph push failed (exit {pushed.returncode}): {pushed.stderr.strip()}")
            results["push"] = time.perf_counter() - started
            for query_id, canned in load_catalog().items():
                result_format = "csv" if canned.form == "SELECT" else "nt"
                args = [cli, "query", query_id, "--endpoint", f"{base}/query", "--format", result_format,
                        "--timeout", str(int(query_timeout))]
                for key, value in params.get(query_id, {}).items():
                    args += ["--param", f"{key}={value}"]
                runs = []
                for _ in range(3):  # a slow query runs once
                    started = time.perf_counter()
                    done = subprocess.run(args, capture_output=True, text=True)
                    runs.append(time.perf_counter() - started)
                    if done.returncode != 0 or runs[-1] > 10:
                        break
                if done.returncode != 0:  # reported, not fatal: e.g. past the time limit
                    message = (done.stderr.strip().splitlines() or ["no message"])[-1]
                    results["queries"][query_id] = {"median": runs[-1], "rows": None, "failed": message}
                    _log(f"server query {query_id} failed: {message}")
                    continue
                results["queries"][query_id] = {"median": statistics.median(runs),
                                                "rows": max(0, done.stdout.count("\n") - 1)}
        finally:
            server.terminate()
            server.wait(timeout=30)
    return results


def _server_only(size: str, results: Path, bound: float) -> int:
    """``--server-only``: ``ptce.nt`` from the package (timed), then :func:`server_recipe`."""
    from ptce_graph.publish.build import read
    from ptce_graph.publish.export import export_graph

    _log(f"server recipe only, size {size}: reading the data and writing ptce.nt")
    started = time.perf_counter()
    nt = read([size_folder(OUT, size)], base=SYNTHETIC_BASE, progress=_log)
    (OUT / size / "fast").mkdir(parents=True, exist_ok=True)
    export_graph(nt, OUT / size / "fast" / "ptce.nt")
    written = time.perf_counter() - started
    triples = len(nt)
    del nt
    _log("server recipe")
    server = server_recipe(size, query_timeout=bound)
    result = {"size": size, "date": time.strftime("%Y-%m-%d"), "commit": _git_commit(), "machine": machine(),
              "triples": triples, "query_timeout": bound, "nt_seconds": written, "server": server}
    lines = [f"## Server recipe, size {size} ({triples:,} triples), {result['date']}", "",
             f"Machine: {result['machine']}", "",
             f"`ptce.nt` read from the CSV templates and written by the package: {_fmt(written)}. "
             f"Each query may take {bound:.0f} s (`--bound`).", ""]
    lines += _server_lines(size, server)
    markdown = "\n".join(lines) + "\n"
    results.mkdir(parents=True, exist_ok=True)
    (results / f"{size}-server.md").write_text(markdown, encoding="utf-8")
    (results / f"{size}-server.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n",
                                                 encoding="utf-8")
    print(markdown)
    return 0


def _server_lines(size: str, server: dict[str, Any]) -> list[str]:
    lines = [f"Server recipe ({size}): `ptce-graph push` to `oxigraph serve` took "
             f"{_fmt(server['push'])}; canned queries with `ptce-graph query --endpoint` (whole command, "
             "median of 3 runs, one for a query over 10 s):", "", "| query | rows | time |", "|---|---|---|"]
    lines += [
        f"| {q} | {v['rows']} | {_fmt(v['median'])} |"
        if v.get("rows") is not None
        else f"| {q} | – | fails after {_fmt(v['median'])}: {v['failed']} |"
        for q, v in server["queries"].items()
    ]
    return lines + [""]


# -- the report ----------------------------------------------------------------------------------------
def machine() -> str:
    """One line describing the machine and the versions the numbers were measured with."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        pass
    versions = []
    for package in ("rdflib", "pyoxigraph", "pyshacl", "networkx", "igraph"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions.append(f"{package} {metadata.version(package)}")
    return (f"{cpu}, {os.cpu_count()} CPU{'s' if (os.cpu_count() or 1) > 1 else ''}{memory}; "
            f"{platform.system()} {platform.release()}; Python {platform.python_version()}; " + ", ".join(versions))


def _ratio(naive: Measure | None, fast: Measure | None) -> str:
    if naive is None or fast is None or fast.time is None:
        return "–"
    if naive.failed:
        return "naive fails"
    if naive.time is None or not fast.time:
        return "–"
    value, at_least = naive.time / fast.time, "≥ " if naive.bounded else ""
    return f"{at_least}{value:,.0f}×" if value >= 10 else f"{at_least}{value:.1f}×"


def _naive_cell(m: Measure | None, bound: float | None) -> str:
    if m is None:
        return "not run"
    if m.failed:
        return f"fails ({m.failed.split(':')[0]})"
    if m.bounded:
        return f"> {bound:.0f} s"
    return _fmt(m.time)


def summarise(result: dict[str, Any]) -> dict[str, Any]:
    """Totals per group and overall, and the target checks."""
    fast: dict[str, Measure] = result["fast"]
    naive: dict[str, Measure] = result["naive"]
    groups: dict[str, dict[str, Any]] = {}
    for name, group in result["groups"].items():
        entry = groups.setdefault(group, {"fast": 0.0, "naive": 0.0, "bounded": False, "complete": True})
        f, n = fast.get(name), naive.get(name)
        if f is None or f.time is None:
            continue
        if n is None or n.failed or n.time is None:
            entry["complete"] = False
            continue
        entry["fast"] += f.time
        entry["naive"] += n.time
        entry["bounded"] = entry["bounded"] or n.bounded
    total = {"fast": sum(g["fast"] for g in groups.values()), "naive": sum(g["naive"] for g in groups.values()),
             "bounded": any(g["bounded"] for g in groups.values())}
    checks = {}
    if result["naive"]:
        ratio = total["naive"] / total["fast"] if total["fast"] else 0.0
        checks["whole pipeline"] = {"value": f"{'≥ ' if total['bounded'] else ''}{ratio:.0f}×", "met": ratio >= 30}
    if result.get("peak_mib") is not None:
        checks["peak memory"] = {"value": f"{result['peak_mib'] / 1024:.2f} GiB", "met": result["peak_mib"] < 2048}
    load, floor = fast.get("load"), result.get("floor_load")
    if load is not None and load.time and floor is not None and floor.time:
        checks["load"] = {"value": f"{load.time / floor.time:.2f}× parse-only", "met": load.time / floor.time <= 3}
    query_ratios = {name: f.info["median"] / f.info["floor"] for name, f in fast.items()
                    if name.startswith("query.") and f.info.get("floor")}
    if query_ratios:
        worst = max(query_ratios, key=lambda k: query_ratios[k])
        slowest = max((n for n in fast if n.startswith("query.")), key=lambda n: fast[n].info.get("median", 0))
        met = query_ratios[worst] <= 1.5
        value = f"worst {query_ratios[worst]:.2f}× ({worst[6:]}); slowest median {_fmt(fast[slowest].info['median'])}"
        if result["size"] == "M":
            met = met and fast[slowest].info["median"] < 0.05
        else:
            value += " (the 50 ms bound is checked at M)"
        checks["queries"] = {"value": value, "met": met}
    if result.get("shipped_build") is not None:
        checks["shipped build"] = {"value": _fmt(result["shipped_build"]), "met": result["shipped_build"] < 3}
    return {"groups": groups, "total": total, "checks": checks}


def _naive_sentence(result: dict[str, Any]) -> str:
    bound = result.get("bound") or 0
    if result["naive"]:
        return (f"Naive baseline: ptce-graph at commit {baseline.COMMIT}, before its fast path, taken from git "
                "history (rdflib graph, pyshacl, rdflib's serialisers, its Oxigraph store for SPARQL, plain "
                f"NetworkX; see bench/stages.py); a naive stage still running after {bound:.0f} s is stopped and "
                f"shown as \"> {bound:.0f} s\", its ratio then being a lower bound.")
    if result.get("naive_skipped"):
        return f"**Naive baseline skipped**: {result['naive_skipped']}."
    return "Naive baseline not run."


def render_markdown(result: dict[str, Any]) -> str:
    """The results as a Markdown report: the machine, the table, the totals and the targets."""
    fast: dict[str, Measure] = result["fast"]
    naive: dict[str, Measure] = result["naive"]
    bound = result.get("bound")
    summary = summarise(result)
    lines = [f"## Benchmark, size {result['size']} ({result['triples']:,} triples), {result['date']}", "",
             f"Machine: {result['machine']}", "",
             _naive_sentence(result), "",
             "| stage | fast | naive | naive / fast | floor | fast / floor |", "|---|---|---|---|---|---|"]
    floor_load = result.get("floor_load")
    for name in result["stages"]:
        f, n = fast.get(name), naive.get(name)
        floor_cell, floor_ratio = "", ""
        if name == "load" and floor_load is not None and f is not None and f.time:
            floor_cell, floor_ratio = _fmt(floor_load.time), f"{f.time / floor_load.time:.2f}×"
        elif f is not None and f.info.get("floor"):
            floor_cell, floor_ratio = _fmt(f.info["floor"]), f"{f.info['median'] / f.info['floor']:.2f}×"
        fast_cell = _fmt(f.time) if f is not None else "–"
        lines.append(f"| {name} | {fast_cell} | {_naive_cell(n, bound) if result['naive'] else '–'} | "
                     f"{_ratio(n, f) if result['naive'] else '–'} | {floor_cell} | {floor_ratio} |")
    for group, totals in summary["groups"].items():
        if result["naive"]:
            mark = "≥ " if totals["bounded"] else ""
            ratio = totals["naive"] / totals["fast"] if totals["fast"] else 0
            lines.append(f"| **{group}** | **{_fmt(totals['fast'])}** | **{mark}{_fmt(totals['naive'])}** | "
                         f"**{mark}{ratio:.0f}×** | | |")
        else:
            lines.append(f"| **{group}** | **{_fmt(totals['fast'])}** | | | | |")
    total = summary["total"]
    if result["naive"]:
        mark = "≥ " if total["bounded"] else ""
        lines.append(f"| **whole pipeline** | **{_fmt(total['fast'])}** | **{mark}{_fmt(total['naive'])}** | "
                     f"**{mark}{total['naive'] / total['fast']:.0f}×** | | |")
    else:
        lines.append(f"| **whole pipeline** | **{_fmt(total['fast'])}** | | | | |")
    lines += ["", "Queries: warm median of the fast runs (`run_query`, rows kept as the engine's terms); the naive "
              "baseline runs each query once; floor: the same SPARQL text run by pyoxigraph on the same store, rows "
              "read but not kept. Load floor: pyoxigraph's parser alone on the same `ptce.nt`.", ""]
    conversions = {name: f.info["to_rdflib"] for name, f in fast.items() if f.info.get("to_rdflib") is not None}
    if conversions:
        most = max(conversions, key=lambda k: conversions[k])
        lines += [f"Converting a result to rdflib terms (`result.rows` or `result.graph`, made on first use) adds "
                  f"{_fmt(conversions[most])} at most ({most[6:]}, {fast[most].info['rows']:,} rows); "
                  f"{_fmt(sum(conversions.values()))} over all queries.", ""]
    server = result.get("server")
    if server:
        lines += _server_lines(result["size"], server)
    lines += commands.markdown_lines(result["size"], result.get("commands") or {}, bound)
    lines += ["| target | measured | met |", "|---|---|---|"]
    for key, check in summary["checks"].items():
        lines.append(f"| {key}: {TARGETS[key]} | {check['value']} | {'yes' if check['met'] else 'NO'} |")
    peak = result.get("peak_mib")
    if peak is not None:
        lines.append("")
        lines.append(f"Fast pipeline: {result['fast_wall']:.1f} s wall for all its stages in one process "
                     f"(queries repeated), peak memory {peak / 1024:.2f} GiB.")
    return "\n".join(lines) + "\n"


def _jsonable(result: dict[str, Any]) -> dict[str, Any]:
    out = dict(result)
    for key in ("fast", "naive"):
        out[key] = {name: vars(m) for name, m in result[key].items()}
    if result.get("floor_load") is not None:
        out["floor_load"] = vars(result["floor_load"])
    out["summary"] = summarise(result)
    return out


def load_result(path: Path) -> dict[str, Any]:
    """A result written as JSON by :func:`main`, with its :class:`Measure` objects back.

    ``bench/run --render SIZE.json`` uses it to write the Markdown again (after a change of
    the report's layout) without measuring again.
    """
    result = json.loads(path.read_text(encoding="utf-8"))
    result.pop("summary", None)
    for key in ("fast", "naive"):
        result[key] = {name: Measure(**m) for name, m in result[key].items()}
    if result.get("floor_load") is not None:
        result["floor_load"] = Measure(**result["floor_load"])
    return result


def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def _ensure_data(size: str, seed: int) -> Path:
    folder = size_folder(OUT, size)
    stamp = folder / ".stamp"
    wanted = json.dumps({"size": size, "seed": seed, "ptces": SIZES[size].ptces})
    if not (stamp.exists() and stamp.read_text() == wanted):
        _log(f"generating {size} data (seed {seed}) in {folder}")
        generate(folder, ptces=SIZES[size].ptces, seed=seed)
        stamp.write_text(wanted)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=list(SIZES), default="S")
    parser.add_argument("--bound", type=float, help="seconds after which a naive stage (or a whole "
                        "command, at least 300 s) is stopped (default: 120 at S, 60 at M, 300 at L)")
    parser.add_argument("--no-naive", action="store_true", help="time the fast pipeline only")
    recipe = parser.add_mutually_exclusive_group()
    recipe.add_argument("--server", action="store_true", help="also push to an Oxigraph server and query it")
    recipe.add_argument("--server-only", action="store_true",
                        help="only the server recipe: write ptce.nt, push it to an Oxigraph server, query it")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, help="warm runs of each canned query (default 5, 3 at L and XL)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder of the JSON and Markdown results")
    parser.add_argument("--render", type=Path, metavar="JSON",
                        help="measure nothing: write the Markdown of an earlier result (SIZE.json) again")
    args = parser.parse_args(argv)
    if args.render:
        markdown = render_markdown(load_result(args.render))
        args.render.with_suffix(".md").write_text(markdown, encoding="utf-8")
        print(markdown)
        return 0
    size = args.size
    bound = args.bound if args.bound is not None else BOUNDS[size]
    repeat = args.repeat if args.repeat is not None else REPEATS[size]
    _ensure_data(size, args.seed)
    from bench.stages import stages_of, write_queries

    if args.server_only:
        return _server_only(size, args.results, bound)
    write_queries(size)  # with today's package: both workers run these texts
    stages = stages_of(size)
    _log(f"fast pipeline, size {size}")
    started = time.perf_counter()
    fast, peak = run_worker("fast", size, bound=None, repeat=repeat)
    fast_wall = time.perf_counter() - started
    _log("pyoxigraph parse-only floor")
    floor_load = _floor_load(size)
    naive: dict[str, Measure] = {}
    skipped = "not asked for (--no-naive)" if args.no_naive else None
    if not args.no_naive:
        _log(f"naive baseline (ptce-graph at {baseline.COMMIT}), size {size}, bound {bound:.0f} s per stage")
        naive, skipped = run_naive(size, bound)
        if skipped is not None:
            _log(f"NAIVE BASELINE SKIPPED: {skipped}")
    _log("whole commands against their baselines (fresh processes)")
    measured_commands = commands.measure(size, repeat=repeat, bound=bound, log=_log)
    _log("shipped build")
    shipped = _shipped_build()
    server = None
    if args.server:
        _log("server recipe")
        server = server_recipe(size)
    result = {
        "size": size, "date": time.strftime("%Y-%m-%d"), "commit": _git_commit(), "machine": machine(),
        "triples": int(fast["read"].info.get("triples", 0)) if "read" in fast else 0,
        "bound": bound, "repeat": repeat, "stages": [s.name for s in stages],
        "groups": {s.name: s.group for s in stages}, "fast": fast, "naive": naive, "floor_load": floor_load,
        "peak_mib": peak, "fast_wall": fast_wall, "shipped_build": shipped, "server": server,
        "naive_skipped": skipped, "commands": measured_commands,
    }
    markdown = render_markdown(result)
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"{size}.md").write_text(markdown, encoding="utf-8")
    (args.results / f"{size}.json").write_text(json.dumps(_jsonable(result), indent=2, ensure_ascii=False) + "\n",
                                               encoding="utf-8")
    print(markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
