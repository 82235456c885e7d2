"""Bounds on local queries: a deadline that kills the work, a memory bound, a capped answer.

Each bounded query runs in a forked child (``ptce_graph.query.bounded``); these tests run real
runaway queries (cartesian products of the shipped graph with itself) and check that they stop
in time, with the error naming the bound, and that no child process is left behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from standins import child_processes

import ptce_graph
from ptce_graph.errors import InputError
from ptce_graph.graph import PtceGraph, open_graph
from ptce_graph.query.bounded import Bounds, CappedOutput, QueryBoundError, run_bounded
from ptce_graph.query.endpoint import RemoteStore
from ptce_graph.query.guard import RefusedQuery
from ptce_graph.query.run import run_query

#: Runs for hours on the shipped graph (17,000 triples, cubed) without growing in memory.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: Sorting the square of the graph materialises 287 million solutions first.
HUNGRY = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
MIB = 1024 * 1024


@pytest.fixture(scope="module")
def graph() -> PtceGraph:
    """The shipped graph with its store built once (a fork shares it with each child)."""
    built = open_graph()
    assert len(built.store) > 10000
    return built


@pytest.fixture(autouse=True)
def no_child_left() -> object:
    before = child_processes()
    yield
    assert child_processes() == before, "a query's child process was left behind"


def test_a_cartesian_product_is_stopped_at_the_time_limit(graph: PtceGraph) -> None:
    started = time.monotonic()
    with pytest.raises(QueryBoundError) as info:
        run_query(ENDLESS, graph=graph, timeout=1)
    elapsed = time.monotonic() - started
    assert info.value.bound == "timeout"
    assert str(info.value) == "the query ran past the 1 s time limit and was stopped (raise it with --timeout)"
    assert 1 <= elapsed < 4


def test_a_query_that_materialises_too_much_is_stopped_at_the_memory_bound(graph: PtceGraph) -> None:
    started = time.monotonic()
    with pytest.raises(QueryBoundError) as info:
        run_query(HUNGRY, graph=graph, timeout=30, max_memory=64 * MIB)
    assert info.value.bound == "max_memory"
    assert str(info.value) == (
        "the query needed more than 64 MiB of memory and was stopped (raise it with --max-memory)"
    )
    assert time.monotonic() - started < 10


def test_an_answer_larger_than_the_result_bound_is_refused(graph: PtceGraph) -> None:
    with pytest.raises(QueryBoundError) as info:
        run_query("SELECT * WHERE { ?s ?p ?o }", graph=graph, max_result=MIB // 2)
    assert info.value.bound == "max_result"
    assert str(info.value) == "the query's answer is larger than 0.5 MiB (raise it with --max-result, or add a LIMIT)"
    with pytest.raises(QueryBoundError, match=r"larger than 0\.5 MiB"):
        run_query("CONSTRUCT WHERE { ?s ?p ?o }", graph=graph, max_result=MIB // 2)
    # the same answer within a larger bound
    assert len(run_query("SELECT * WHERE { ?s ?p ?o }", graph=graph, max_result=64 * MIB)) == len(graph.store)


@pytest.mark.parametrize(
    ("query", "params"),
    [
        ("ptce_members", {"ptce": "pg:ptce/tetris"}),
        ("ptce_overview", None),
        ("SELECT ?s ?label ?none WHERE { ?s rdfs:label ?label OPTIONAL { ?s <urn:none> ?none } } LIMIT 50", None),
        ("SELECT * WHERE { }", None),
        ("SELECT ?x WHERE { FILTER(false) }", None),
        ("SELECT ?b ?o WHERE { ?s ?p ?o BIND(BNODE(STR(?s)) AS ?b) FILTER(isLiteral(?o)) } LIMIT 20", None),
        ("ASK { ?p a ptce:PTCE }", None),
        ("ASK { ?p a <urn:nothing> }", None),
        ("CONSTRUCT { ?p ?q ?o } WHERE { ?p a ptce:PTCE ; ?q ?o }", None),
        ("DESCRIBE <https://w3id.org/ptce-graph/id/ptce/tetris>", None),
    ],
)
def test_a_bounded_query_gives_the_answer_of_an_unbounded_one(
    graph: PtceGraph, query: str, params: dict[str, str] | None
) -> None:
    free = run_query(query, params, graph=graph)
    bounded = run_query(query, params, graph=graph, timeout=30, max_memory=512 * MIB, max_result=64 * MIB)
    assert (bounded.form, bounded.columns, bounded.boolean) == (free.form, free.columns, free.boolean)
    assert bounded.solutions == free.solutions
    assert (bounded.triples is None) == (free.triples is None)
    if free.triples is not None:
        assert bounded.triples is not None and bounded.triples.lines == free.triples.lines
    for fmt in ("table", "csv", "json") if free.triples is None else ("ttl", "nt"):
        assert bounded.serialize(fmt) == free.serialize(fmt)


def test_errors_in_the_child_reach_the_caller_whole(graph: PtceGraph) -> None:
    with pytest.raises(RefusedQuery) as refused:
        run_query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", graph=graph, timeout=10)
    assert refused.value.reason == "service"
    with pytest.raises(RefusedQuery) as syntax:
        run_query("SELECT ?x WHERE { ?x ?p }", graph=graph, timeout=10)
    assert syntax.value.reason == "syntax" and "invalid SPARQL (line 1" in str(syntax.value)
    with pytest.raises(InputError, match="no canned query"):
        run_query("no_such_query", graph=graph, timeout=10)


def test_a_layer_store_is_bounded_too(graph: PtceGraph) -> None:
    from ptce_graph.publish.export import layer_store

    store = layer_store(graph, "ontology")
    result = run_query("SELECT (COUNT(*) AS ?n) WHERE { ?p a ptce:PTCE }", store=store, timeout=10)
    assert int(result.rows[0][0]) == 0  # type: ignore[arg-type]
    with pytest.raises(QueryBoundError, match="1 s time limit"):
        run_query(ENDLESS, store=store, timeout=1)


@pytest.mark.parametrize(
    "bounds",
    [
        {"timeout": 0},
        {"timeout": -1},
        {"timeout": float("nan")},
        {"timeout": float("inf")},
        {"max_memory": 0},
        {"max_memory": -5},
        {"max_result": 1.5},
        {"max_result": True},
    ],
)
def test_bounds_that_are_not_positive_numbers_are_refused(graph: PtceGraph, bounds: dict[str, float]) -> None:
    with pytest.raises(InputError, match="must be a positive"):
        run_query("ASK {}", graph=graph, **bounds)  # type: ignore[arg-type]


def test_bounds_are_for_the_embedded_store() -> None:
    with pytest.raises(InputError, match="a remote store has its own timeout and max_bytes"):
        run_query("ASK {}", store=RemoteStore("http://127.0.0.1:9/sparql"), timeout=5)


def test_an_interrupted_wait_kills_the_child(graph: PtceGraph) -> None:
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    started = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            run_query(ENDLESS, graph=graph, timeout=60)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - started < 3  # the autouse fixture checks that the child is gone


def test_a_child_that_crashes_is_an_error_not_a_hang() -> None:
    def crash(output: CappedOutput) -> None:
        output.write(b"partial")
        os.kill(os.getpid(), signal.SIGSEGV)

    with pytest.raises(InputError, match=r"the query's process ended without an answer \(signal SIGSEGV\)"):
        run_bounded(crash, Bounds(timeout=10))


def test_a_child_whose_parent_died_stops_at_its_own_cpu_bound(tmp_path: Path) -> None:
    """The parent is killed outright; the child's RLIMIT_CPU (deadline + 1 s) still ends it."""
    pid_file = tmp_path / "child.pid"
    script = textwrap.dedent(
        f"""
        import os
        from ptce_graph.query.bounded import Bounds, run_bounded

        def spin(output):
            with open({str(pid_file)!r}, "w") as handle:
                handle.write(str(os.getpid()))
            while True:
                pass

        run_bounded(spin, Bounds(timeout=1))
        """
    )
    root = str(Path(ptce_graph.__file__).resolve().parents[1])
    parent = subprocess.Popen([sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": root})
    try:
        deadline = time.monotonic() + 20
        while not pid_file.exists() or not pid_file.read_text():
            assert time.monotonic() < deadline, "the child never started"
            time.sleep(0.05)
        child = int(pid_file.read_text())
        parent.kill()
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 15  # 2 s of processor time, on a shared machine
    while _alive(child):
        assert time.monotonic() < deadline, "the orphaned child is still running"
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")
