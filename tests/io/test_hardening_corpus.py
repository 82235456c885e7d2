"""The bad-input corpus: every file of ``tests/corpus/`` run through the command line in a
subprocess, with an address-space limit and a wall-clock limit.

Each case of ``tests/corpus/manifest.json`` names a command (``validate FILE``,
``build --data DIR``, ``export --graph FILE --out OUT``), an input, the exit code expected,
fragments the error message must hold (the file name and line), and bounds on time and
memory. For every case the test checks:

- the exit code, and no Python traceback on stderr (one ``error:`` message instead);
- every fragment of the message;
- the wall-clock time and the peak resident memory of the process (``wait4``), run under
  ``RLIMIT_AS``;
- nothing half-written: a failed ``export`` leaves the previous output byte-identical, a
  failed ``build`` creates no output folder, no temporary file is left anywhere;
- the network canary (``conftest.network_canary``) saw no connection.

The cases run a few at a time (each in its own process, its memory measured alone).

Inputs holding ``{{CANARY}}`` point at the canary; ``generate`` cases are written by the
generators below (too big, or too binary, to keep in git). CSV cases are folders laid
over the small valid data folder ``conftest.MINI``.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import MINI, write_folder
from standins import Canary

CORPUS = Path(__file__).parents[1] / "corpus"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
DEFAULTS: dict[str, float] = MANIFEST["defaults"]
CASES: list[dict] = MANIFEST["cases"]
PREVIOUS = b"<urn:previous> <urn:export> \"kept intact\" .\n"
#: Figures of every case run in this session: id -> (seconds, peak RSS in MiB).
FIGURES: dict[str, tuple[float, float]] = {}


# -- generated inputs ------------------------------------------------------------------------
def _huge_literal(path: Path) -> None:
    path.write_bytes(b'<urn:a> <urn:b> "' + b"x" * (17 * 1024 * 1024) + b'" .\n')


def _huge_rdfxml_literal(path: Path) -> None:
    path.write_bytes(
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:s="https://schema.org/">\n'
        b'<rdf:Description rdf:about="https://example.org/a"><s:name>' + b"x" * (100 * 1000 * 1000)
        + b"</s:name></rdf:Description>\n</rdf:RDF>\n"
    )


def _huge_jsonld_literal(path: Path) -> None:
    path.write_bytes(b'{"@id": "https://example.org/a", "https://schema.org/name": "' + b"x" * (17 * 1024 * 1024) + b'"}\n')


def _big_literal(path: Path) -> None:
    path.write_bytes(b'<urn:a> <urn:b> "' + "é".encode() * (4 * 1024 * 1024) + b'" .\n')


#: Nesting of the deep cases: far past ``io.rdf.MAX_NESTING``, where RDF/XML took 8 s to parse and
#: nested triple terms crashed pyoxigraph before the depth was checked; one level per line, so that
#: the message names the line where the limit is crossed.
DEEP = 50_000


def _deep_nesting(path: Path) -> None:
    path.write_text("<urn:a> <urn:b>\n" + "[ <urn:p>\n" * DEEP + "<urn:c>" + " ]" * DEEP + " .\n", encoding="utf-8")


def _deep_collections(path: Path) -> None:
    path.write_text("<urn:a> <urn:b>\n" + "(\n" * DEEP + "<urn:c>" + " )" * DEEP + " .\n", encoding="utf-8")


def _deep_trig(path: Path) -> None:
    path.write_text("<urn:g> {\n<urn:a> <urn:b>\n" + "[ <urn:p>\n" * DEEP + "<urn:c>" + " ]" * DEEP + " .\n}\n",
                    encoding="utf-8")


def _deep_triple_terms(path: Path) -> None:
    path.write_text("<urn:a> <urn:b>\n" + "<<( <urn:s> <urn:p>\n" * DEEP + "<urn:c>" + " )>>" * DEEP + " .\n",
                    encoding="utf-8")


def _deep_rdfxml(path: Path) -> None:
    path.write_text('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
                    ' xmlns:ex="http://example.org/">\n<rdf:Description rdf:about="urn:a">\n'
                    + '<ex:p rdf:parseType="Resource">\n' * DEEP + "<ex:q>x</ex:q>" + "</ex:p>" * DEEP
                    + "\n</rdf:Description>\n</rdf:RDF>\n", encoding="utf-8")


def _deep_json(path: Path) -> None:
    path.write_text('{"@id": "urn:a", "urn:p":\n' + "[\n" * 100000 + "]" * 100000 + "}", encoding="utf-8")


def _deep_json_objects(path: Path) -> None:
    path.write_text('{"@id": "urn:a", "urn:p":\n' + '{"urn:p":\n' * DEEP + '{"@id": "urn:c"}' + "}" * DEEP + "}",
                    encoding="utf-8")


def _junk(path: Path) -> None:
    path.write_bytes(random.Random(5).randbytes(64 * 1024))


def _many_errors(path: Path) -> None:
    lines = ["@prefix xsd: <http://www.w3.org/2001/XMLSchema#> ."]
    lines += [f'<urn:a{i}> <urn:year> "année {i}"^^xsd:gYear .' for i in range(5000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _many_bad_rows(folder: Path) -> None:
    header = MINI["actors.csv"].splitlines()[0]
    rows = [f"firm-{i},Firme {i},,enterprise,,,{100000000 + i},,,,,,,,,,,src-a" for i in range(20000)]
    (folder / "actors.csv").write_text("\n".join([header, *MINI["actors.csv"].splitlines()[1:], *rows]) + "\n",
                                       encoding="utf-8")


def _million_rows(folder: Path) -> None:
    # what a reviewer fed the reader: 51 MB of memberships, which made 9.6 GB and 229 s before the row bound
    members = ("coop-a", "firm-b", "agglo")
    with (folder / "memberships.csv").open("w", encoding="utf-8") as out:
        out.write(MINI["memberships.csv"])
        out.writelines(f"mx{i},pole-test,{members[i % 3]},member,2015,,,,,src-a\n" for i in range(1_000_000))


GENERATORS: dict[str, Callable[[Path], None]] = {
    "huge-literal": _huge_literal, "huge-rdfxml-literal": _huge_rdfxml_literal,
    "huge-jsonld-literal": _huge_jsonld_literal, "big-literal": _big_literal, "deep-nesting": _deep_nesting,
    "deep-json": _deep_json, "junk": _junk, "many-errors": _many_errors, "many-bad-rows": _many_bad_rows,
    "deep-collections": _deep_collections, "deep-trig": _deep_trig, "deep-triple-terms": _deep_triple_terms,
    "deep-rdfxml": _deep_rdfxml, "deep-json-objects": _deep_json_objects,
    "million-rows": _million_rows,
}


# -- running a case -----------------------------------------------------------------------------
@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    cpu_seconds: float
    max_rss_mib: float
    timed_out: bool


#: Run by a fresh interpreter between the test and the command: it sets RLIMIT_AS, forks, execs
#: ``python -m ptce_graph`` and reports the child's rusage on a pipe. A child forked straight from
#: the test process would inherit its peak RSS (Linux keeps the high-water mark of the memory it
#: had before exec), so the figure would be the test worker's size, not the command's.
_LAUNCHER = """
import json, os, resource, sys
report, limit, args = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
pid = os.fork()
if pid == 0:
    os.close(report)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.execv(sys.executable, [sys.executable, "-m", "ptce_graph", *args])
_, status, usage = os.wait4(pid, 0)
os.write(report, json.dumps([os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime,
                        usage.ru_maxrss]).encode())
"""


def run_limited(args: list[str], *, cwd: Path, seconds: float, address_space_mib: float) -> Outcome:
    """Run ``python -m ptce_graph ARGS`` under RLIMIT_AS; measure its time and peak RSS (wait4).

    A case's bound is on CPU time (what a slow parser spends, whatever else runs on the machine);
    the command is killed past a wall-clock allowance of three times the bound plus 10 s, which
    only a hang (a read that never ends) reaches. The command runs under :data:`_LAUNCHER`, so
    its peak RSS is its own."""
    limit = int(address_space_mib * 1024 * 1024)
    out, err = cwd / ".stdout", cwd / ".stderr"
    report_read, report_write = os.pipe()
    with out.open("wb") as stdout, err.open("wb") as stderr:
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, "-c", _LAUNCHER, str(report_write), str(limit), *args],
                                   cwd=cwd, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL,
                                   pass_fds=(report_write,), start_new_session=True)
        os.close(report_write)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(3 * seconds + 10, kill)
        timer.start()
        try:
            with os.fdopen(report_read, "rb") as report:
                reported = report.read()
            process.wait()
        finally:
            timer.cancel()
        elapsed = time.monotonic() - started
    text_out, text_err = out.read_text(errors="replace"), err.read_text(errors="replace")
    out.unlink()
    err.unlink()
    if killed.is_set() or not reported:
        return Outcome(-9, text_out, text_err, elapsed, elapsed, 0.0, killed.is_set())
    returncode, cpu, maxrss = json.loads(reported)
    return Outcome(returncode, text_out, text_err, elapsed, cpu, maxrss / 1024, False)


def _materialise(case: dict, work: Path, canary: str) -> Path:
    """The case's input inside ``work``: copied (canary URL filled in), generated, or laid over MINI."""
    if case["command"] == "build":
        folder = write_folder(work / "data", MINI)
        if "generate" in case:
            GENERATORS[case["generate"]](folder)
        else:
            for source in sorted((CORPUS / case["input"]).iterdir()):
                (folder / source.name).write_bytes(source.read_bytes().replace(b"{{CANARY}}", canary.encode()))
        return folder
    if "generate" in case:
        target = work / case["input"]
        GENERATORS[case["generate"]](target)
        return target
    source = CORPUS / case["input"]
    target = work / source.name
    target.write_bytes(source.read_bytes().replace(b"{{CANARY}}", canary.encode()))
    return target


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_manifest_is_complete() -> None:
    """Every corpus file is used by a case; ids are unique; every case names a file or a generator."""
    ids = [case["id"] for case in CASES]
    assert len(ids) == len(set(ids))
    used = {case["input"] for case in CASES if "generate" not in case}
    files = {str(p.relative_to(CORPUS)) for p in (CORPUS / "rdf").iterdir()}
    files |= {str(p.relative_to(CORPUS)) for p in (CORPUS / "csv").iterdir()}
    assert files <= used, f"corpus files without a case: {sorted(files - used)}"
    for case in CASES:
        assert case["command"] in ("validate", "build", "export"), case["id"]
        assert "generate" in case or (CORPUS / case["input"]).exists(), case["id"]
        assert case.get("generate", "huge-literal") in GENERATORS, case["id"]
        if case["exit"] != 0:
            assert case["message"], f"{case['id']}: a failing case must say what the message holds"


@dataclass
class Run:
    """One case run: its outcome, and what it left in its folders."""

    outcome: Outcome
    inputs_before: dict[str, bytes]
    inputs_after: dict[str, bytes]
    written: list[str]
    previous: bytes | None


def run_case(case: dict, root: Path, canary: str) -> Run:
    """Lay out the case's input under ``root``, run its command, and record what was written."""
    seconds = float(case.get("seconds", DEFAULTS["seconds"]))
    address_space = float(case.get("address_space_mib", DEFAULTS["address_space_mib"]))
    work, out_dir = root / "work", root / "out"
    work.mkdir(parents=True)
    out_dir.mkdir()
    source = _materialise(case, work, canary)
    previous = out_dir / case.get("out", "previous.nt")
    if case["command"] == "validate":
        args = ["validate", str(source)]
    elif case["command"] == "export":
        previous.write_bytes(PREVIOUS)
        args = ["export", "--graph", str(source), "--out", str(previous)]
    else:
        args = ["build", "--data", str(source), "--out", str(out_dir / "build"), "-q"]
    before = _snapshot(work)
    outcome = run_limited(args, cwd=work, seconds=seconds, address_space_mib=address_space)
    return Run(outcome, before, _snapshot(work), sorted(str(p.relative_to(out_dir)) for p in out_dir.rglob("*")),
               previous.read_bytes() if previous.exists() else None)


@pytest.fixture(scope="module")
def corpus_runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                network_canary: Canary) -> dict[str, Run]:
    """Every selected case, run a few at a time (each in its own process, measured with wait4)."""
    selected = [item.callspec.params["case"] for item in request.session.items
                if item.nodeid.startswith(request.node.nodeid) and hasattr(item, "callspec")
                and "case" in item.callspec.params]
    root = tmp_path_factory.mktemp("corpus")
    # one case per core: each child's peak RSS comes from its own wait4, whatever runs beside it,
    # and the children mostly start Python and exit at once, far below their time bounds
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 2))) as pool:
        futures = {case["id"]: pool.submit(run_case, case, root / case["id"], network_canary.url)
                   for case in selected}
        return {ident: future.result() for ident, future in futures.items()}


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_corpus_case(case: dict, corpus_runs: dict[str, Run], network_canary: Canary) -> None:
    seconds = float(case.get("seconds", DEFAULTS["seconds"]))
    memory = float(case.get("memory_mib", DEFAULTS["memory_mib"]))
    run = corpus_runs[case["id"]]
    outcome = run.outcome
    FIGURES[case["id"]] = (outcome.seconds, outcome.max_rss_mib)

    assert not outcome.timed_out, f"killed after {3 * seconds + 10:g} s of wall-clock time"
    assert outcome.returncode == case["exit"], outcome.stderr[-3000:]
    assert "Traceback" not in outcome.stderr, outcome.stderr[-3000:]
    if case["exit"] != 0:
        assert outcome.stderr.startswith("error: "), outcome.stderr[-3000:]
    for fragment in case.get("message", []):
        assert fragment in outcome.stderr, f"{fragment!r} not in:\n{outcome.stderr[-3000:]}"
    assert outcome.cpu_seconds < seconds, f"{outcome.cpu_seconds:.1f} s of CPU (bound {seconds:g})"
    assert outcome.max_rss_mib < memory, f"peak RSS {outcome.max_rss_mib:.0f} MiB (bound {memory:g})"
    # nothing half-written, no temporary file anywhere, the input untouched
    assert run.inputs_after == run.inputs_before
    if case["command"] == "export":
        assert run.written == [case.get("out", "previous.nt")], "a temporary file was left behind"
        assert (run.previous != PREVIOUS) if case["exit"] == 0 else (run.previous == PREVIOUS)
    elif (case["command"] == "build" and case["exit"] != 0) or case["command"] == "validate":
        assert run.written == []
    assert network_canary.hits == []


def test_corpus_figures(request: pytest.FixtureRequest) -> None:
    """The figures the cases are held to are real measures of each child (printed with ``-s``).

    The bounds of ``test_corpus_case`` could not fail if ``wait4`` gave nothing (a peak RSS of 0,
    or one read in the wrong unit) or if no time were measured: every case that ran must have
    figures, its time must cover at least an interpreter start, and its peak RSS at least a
    Python interpreter that imported ptce-graph's command line (tens of MiB; ``ru_maxrss`` is in
    KiB on Linux).
    """
    if not FIGURES:
        pytest.skip("no corpus case ran in this session")
    ran = {item.callspec.params["case"]["id"] for item in request.session.items
           if item.nodeid.startswith(request.node.nodeid.split("::")[0] + "::test_corpus_case[")}
    assert ran <= set(FIGURES), f"cases without figures: {sorted(ran - set(FIGURES))}"
    for ident, (seconds, rss) in FIGURES.items():
        assert 0.05 < seconds < float(DEFAULTS["seconds"]) * 10, f"{ident}: {seconds} s"
        assert 15 < rss < float(DEFAULTS["address_space_mib"]), f"{ident}: peak RSS {rss} MiB"
    slowest = max(FIGURES.items(), key=lambda kv: kv[1][0])
    largest = max(FIGURES.items(), key=lambda kv: kv[1][1])
    total = sum(seconds for seconds, _ in FIGURES.values())
    print(f"\ncorpus: {len(FIGURES)} cases in {total:.1f} s; slowest {slowest[0]} {slowest[1][0]:.2f} s; "
          f"largest {largest[0]} {largest[1][1]:.0f} MiB peak RSS; bounds {DEFAULTS['seconds']:g} s, "
          f"{DEFAULTS['memory_mib']:g} MiB RSS, RLIMIT_AS {DEFAULTS['address_space_mib']:g} MiB")
