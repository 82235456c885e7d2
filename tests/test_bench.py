"""The benchmark works (``bench/``): synthetic data, stages, bounds and the report.

No timing is asserted. The full smoke run (``bench/run --size S``, naive baseline included)
is a CI step; here the fast stages run in-process on the S data and the runner's report is
checked on measures made up for the purpose.
"""

from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the benchmark package lives at the repository root
    sys.path.insert(0, str(ROOT))

from bench import generate as gen  # noqa: E402
from bench.runner import Measure, render_markdown, summarise  # noqa: E402
from bench.units import duration  # noqa: E402


def _digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(folder.glob("*.csv")):
        sha.update(path.name.encode() + path.read_bytes())
    return sha.hexdigest()


def test_generator_is_deterministic_and_marked_synthetic(tmp_path: Path) -> None:
    first = gen.generate(tmp_path / "a", ptces=4, seed=11)
    second = gen.generate(tmp_path / "b", ptces=4, seed=11)
    other = gen.generate(tmp_path / "c", ptces=4, seed=12)
    assert _digest(first) == _digest(second) != _digest(other)
    with (first / "actors.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(r["id"].startswith("synth-") for r in rows)
    with (first / "sources.csv").open(encoding="utf-8", newline="") as handle:
        assert all(r["url"].startswith("https://example.org/synthetic/") for r in csv.DictReader(handle))


def test_generated_identifiers_pass_their_checks(tmp_path: Path) -> None:
    from ptce_graph.model.identifiers import is_rna, is_siren, is_siret

    folder = gen.generate(tmp_path / "d", ptces=6, seed=3)
    with (folder / "actors.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert all(is_siren(r["siren"]) for r in rows if r["siren"])
    assert all(is_siret(r["siret"]) and r["siret"].startswith(r["siren"]) for r in rows if r["siret"])
    assert all(is_rna(r["rna"]) for r in rows if r["rna"])
    assert gen.siren_with_check("73282932") == "732829320"


def test_synthetic_data_builds_without_violation(tmp_path: Path) -> None:
    from ptce_graph import build

    folder = gen.generate(tmp_path / "e", ptces=gen.SIZES["S"].ptces, seed=2026)
    result = build([folder], tmp_path / "out", base=gen.SYNTHETIC_BASE)
    assert result.ok, result.report.to_text()
    assert 5_000 < result.triples < 20_000  # "about 10 k triples"
    assert (tmp_path / "out" / "ptce.nt").read_text(encoding="utf-8").count(gen.SYNTHETIC_BASE) > 1000


def test_fast_stages_run_on_the_s_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every fast stage runs (as bench/run's worker runs them) and returns what it measured."""
    from bench import stages

    out = tmp_path / "out"
    folder = gen.generate(gen.size_folder(out, "S"), ptces=gen.SIZES["S"].ptces, seed=2026)
    monkeypatch.setattr(stages, "OUT", out)
    monkeypatch.setattr(stages, "STAGES", {})
    state = stages.State("fast", "S", 1, folder, out / "S" / "fast", stages.write_queries("S"))
    state.work.mkdir(parents=True)
    names = []
    for stage in stages.stages_of("S"):
        stage.prepare(state)
        info = stage.fast(state)
        assert isinstance(info, dict), stage.name
        names.append(stage.name)
        if stage.name.startswith("query."):
            assert info["median"] > 0 and info["floor"] > 0
    assert names == stages.stage_names("S")
    assert {"read", "validate", "export.ttl", "export.jsonld", "export.nt", "load", "views.extract",
            "metrics.actor.co-membership", "metrics.ptce"} <= set(names)
    assert sum(1 for n in names if n.startswith("query.")) >= 20
    assert state.cache["built"].lines  # the graph read from the CSV


def test_naive_stages_run_the_package_at_the_baseline_commit(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The naive worker imports ptce-graph as it was at the baseline commit, taken from git
    history, and its stages run on today's data (the slow ones, pyshacl and the measures, are
    left to ``bench/run``)."""
    import json
    import os
    import subprocess

    from bench import baseline, stages
    from ptce_graph import build

    old = tmp_path / "old"
    reason = baseline.extract(ROOT, old)
    if reason is not None:
        pytest.skip(reason)
    out = tmp_path / "out"
    folder = gen.generate(gen.size_folder(out, "S"), ptces=gen.SIZES["S"].ptces, seed=2026)
    build([folder], out / "S" / "fast", base=gen.SYNTHETIC_BASE)
    monkeypatch.setattr(stages, "OUT", out)
    stages.write_queries("S")
    script = f"""
import json, sys
from pathlib import Path
import ptce_graph
from bench import stages
stages.OUT = Path({str(out)!r})
state = stages.State("naive", "S", 1, stages.size_folder(stages.OUT, "S"), stages.OUT / "S" / "naive",
                     stages.read_queries("S"))
state.work.mkdir(parents=True, exist_ok=True)
stages._baseline_check(state)
wanted = ("read", "export.nt", "load", "query.ptce_overview", "query.call_eligibility", "views.extract")
infos = {{s.name: s.naive(state) for s in stages.stages_of("S") if s.name in wanted}}
print(json.dumps({{"package": ptce_graph.__file__, "infos": infos}}))
"""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(old), str(ROOT)]), "BENCH_BASELINE": str(old)}
    done = subprocess.run([sys.executable, "-c", script], cwd=old, env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout.splitlines()[-1])
    assert Path(answer["package"]).resolve().is_relative_to(old.resolve())
    infos = answer["infos"]
    assert infos["read"]["triples"] > 5_000 and (out / "S" / "naive" / "ptce.nt").stat().st_size > 0
    assert infos["query.ptce_overview"]["rows"] == gen.SIZES["S"].ptces
    assert infos["query.call_eligibility"]["rows"] > 0  # a query the old package did not have
    assert infos["views.extract"]["memberships"] > 0


def test_a_clone_without_the_baseline_commit_says_so(tmp_path: Path) -> None:
    """A shallow clone cannot give the baseline: the reason names the commit, and nothing is written."""
    import subprocess

    from bench import baseline

    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--depth", "1", f"file://{ROOT}", str(clone)], check=True,
                   capture_output=True)
    reason = baseline.extract(clone, tmp_path / "old")
    assert reason is not None and baseline.COMMIT in reason and "shallow" in reason
    assert not (tmp_path / "old").exists()
    result = _result({})
    result["naive_skipped"] = reason
    assert f"**Naive baseline skipped**: {reason}." in render_markdown(result)


def test_durations_below_a_second_keep_three_significant_digits() -> None:
    import doctest

    from bench import commands, runner

    assert [duration(x) for x in (4.2e-7, 2.5e-9, 0.000641, 0.0009996, 0.01234, 61.0)] == \
        ["420 ns", "2.50 ns", "641 µs", "1.00 ms", "12.3 ms", "61.00 s"]
    for module in (runner, commands):
        assert doctest.testmod(module).failed == 0, module.__name__


def test_whole_commands_report_each_ratio_with_its_target() -> None:
    from bench.commands import markdown_lines

    entries = {
        "query": {"command": "ptce-graph query q --graph ptce.nt", "baseline": "pyoxigraph", "target": 3.0,
                  "seconds": 2.0, "baseline_seconds": 0.5, "ratio": 4.0, "met": False, "bounded": False,
                  "baseline_bounded": False, "runs": 3, "failed": None, "rows": 10, "baseline_rows": 10},
        "validate": {"command": "ptce-graph validate ptce.nt", "baseline": "ptce-graph validate DATA", "target": 1.5,
                     "seconds": 300.0, "baseline_seconds": 25.0, "ratio": 12.0, "met": False, "bounded": True,
                     "baseline_bounded": False, "runs": 1, "failed": None},
        "export": {"command": "ptce-graph export --graph ptce.nt --out X.ttl", "baseline": "ptce-graph export DATA",
                   "target": 1.5, "seconds": 1.0, "baseline_seconds": 1.0, "ratio": 1.0, "met": True,
                   "bounded": False, "baseline_bounded": False, "runs": 5, "failed": None},
    }
    entries["metrics"] = {**entries["validate"], "command": "ptce-graph metrics --graph ptce.nt",
                          "baseline_seconds": 250.0, "ratio": 1.2, "met": None}
    text = "\n".join(markdown_lines("M", entries, 60.0))
    assert "| 4.00× | ≤ 3× | over |" in text
    assert "| > 300 s |" in text and "| ≥ 12.00× | ≤ 1.5× | over |" in text
    assert "| ≥ 1.20× | ≤ 1.5× | unknown (stopped at the bound) |" in text
    assert "| 1.00× | ≤ 1.5× | ok |" in text
    assert "the same number of rows" in text
    result = _result({})
    result["commands"] = entries
    assert "| `ptce-graph validate ptce.nt` |" in render_markdown(result)


def _result(naive: dict[str, Measure]) -> dict:
    fast = {"read": Measure(1.0, info={"triples": 1000}), "validate": Measure(2.0),
            "query.x": Measure(0.5, info={"median": 0.01, "floor": 0.008}), "load": Measure(0.3)}
    return {"size": "L", "date": "2026-11-26", "machine": "test machine", "triples": 1000, "bound": 300.0,
            "stages": ["read", "validate", "load", "query.x"],
            "groups": {"read": "build", "validate": "build", "load": "load", "query.x": "query"},
            "fast": fast, "naive": naive, "floor_load": Measure(0.12), "peak_mib": 700.0, "fast_wall": 4.0,
            "shipped_build": 1.5, "server": None}


def test_a_bounded_naive_stage_makes_the_ratio_a_lower_bound() -> None:
    naive = {"read": Measure(10.0), "validate": Measure(300.0, bounded=True), "load": Measure(3.0),
             "query.x": Measure(1.0, info={"median": 1.0})}
    result = _result(naive)
    summary = summarise(result)
    assert summary["total"]["bounded"]
    assert summary["checks"]["whole pipeline"]["value"].startswith("≥ ")
    assert summary["checks"]["load"]["met"] and summary["checks"]["queries"]["met"]
    text = render_markdown(result)
    assert "> 300 s" in text and "≥ 150×" in text  # validate: 300 s bound against 2 s
    assert "| **whole pipeline** |" in text and "Machine: test machine" in text


def test_a_failing_naive_stage_is_left_out_of_the_totals() -> None:
    naive = {"read": Measure(10.0), "validate": Measure(20.0), "load": Measure(3.0),
             "query.x": Measure(0.1, failed="RecursionError: maximum recursion depth exceeded")}
    result = _result(naive)
    summary = summarise(result)
    assert summary["groups"]["query"]["complete"] is False
    assert summary["total"]["naive"] == pytest.approx(33.0)
    assert "naive fails" in render_markdown(result)


@pytest.mark.server
def test_server_recipe_pushes_and_queries_at_s_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``bench/run --server``: ``ptce-graph push`` to ``oxigraph serve``, then every canned query
    with ``ptce-graph query --endpoint`` (the commands a user types)."""
    from bench import runner, stages
    from ptce_graph import build

    out = tmp_path / "out"
    folder = gen.generate(gen.size_folder(out, "S"), ptces=gen.SIZES["S"].ptces, seed=2026)
    build([folder], out / "S" / "fast", base=gen.SYNTHETIC_BASE)
    monkeypatch.setattr(runner, "OUT", out)
    monkeypatch.setattr(stages, "OUT", out)
    result = runner.server_recipe("S")
    assert result["push"] > 0
    queries = result["queries"]
    assert len(queries) >= 20
    assert queries["ptce_members"]["rows"] > 0 and queries["ptce_overview"]["rows"] == gen.SIZES["S"].ptces


@pytest.mark.server
def test_server_only_recipe_writes_its_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``bench/run --server-only`` (the XL recipe): ptce.nt from the package, push, every query."""
    from bench import runner, stages

    out = tmp_path / "out"  # the runner generates the S data there
    monkeypatch.setattr(runner, "OUT", out)
    monkeypatch.setattr(stages, "OUT", out)
    results = tmp_path / "results"
    assert runner.main(["--size", "S", "--server-only", "--results", str(results)]) == 0
    report = (results / "S-server.md").read_text(encoding="utf-8")
    assert "`ptce-graph push` to `oxigraph serve` took" in report
    assert report.count("\n| ") >= 22  # the header and one row per canned query
    written = (out / "S" / "fast" / "ptce.nt").read_text(encoding="utf-8")
    assert written.count(gen.SYNTHETIC_BASE) > 1000


def test_a_result_written_as_json_renders_the_same_table(tmp_path: Path) -> None:
    """``bench/run --render SIZE.json`` gives back the report the run printed."""
    import json

    from bench.runner import _jsonable, load_result, main

    naive = {"read": Measure(10.0), "validate": Measure(300.0, bounded=True), "load": Measure(3.0),
             "query.x": Measure(1.0, info={"median": 1.0})}
    result = _result(naive)
    path = tmp_path / "L.json"
    path.write_text(json.dumps(_jsonable(result)), encoding="utf-8")
    assert render_markdown(load_result(path)) == render_markdown(result)
    assert main(["--render", str(path)]) == 0
    assert (tmp_path / "L.md").read_text(encoding="utf-8") == render_markdown(result)
