"""The query pool of ``ptce-graph serve``: a query that needs too much memory, a worker that
crashes, an answer too large, and more requests than workers: each gets a clear status and
the pool recovers."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from ptce_graph.errors import InputError
from ptce_graph.serve.server import QueryPool

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
PAYLOAD = b"".join(b'<urn:s%d> <urn:p> "%d" .\n' % (i, i) for i in range(2000))
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?s1 ?p1 ?o1 . ?s2 ?p2 ?o2 . ?s3 ?p3 ?o3 }"  # 8e9 rows, little memory
CROSS = ("SELECT ?s1 ?s2 ?s3 WHERE { ?s1 ?p1 ?o1 . ?s2 ?p2 ?o2 . ?s3 ?p3 ?o3 } "
         "ORDER BY DESC(CONCAT(STR(?o1), STR(?o2), STR(?o3)))")


def _count_ok(pool: QueryPool) -> None:
    status, _, body = pool.run(COUNT, "")
    assert status == 200 and b'"2000"' in body


def test_query_past_the_memory_limit_kills_only_its_worker() -> None:
    # not lowered to the least CPU priority: on a busy machine it would then reach the time
    # limit before the memory one
    pool = QueryPool(PAYLOAD, workers=1, timeout=30, memory=800 * 1024 * 1024, demote_after=60)
    try:
        _count_ok(pool)
        started = time.monotonic()
        status, _, body = pool.run(CROSS, "")  # 8e9 rows to sort: memory runs out long before time
        assert status == 503 and b"ran out of memory or crashed" in body
        assert time.monotonic() - started < 30
        _count_ok(pool)
    finally:
        pool.close()


def test_crashed_worker_is_replaced() -> None:
    pool = QueryPool(PAYLOAD, workers=1, timeout=10)
    try:
        _count_ok(pool)
        (pid,) = pool.pids()
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)
        status, _, body = pool.run(COUNT, "")
        # the query that meets the dead worker says so; or the pool has already replaced it
        # (it keeps a spare ready), and the query is answered
        assert (status == 503 and b"crashed" in body) or status == 200, (status, body)
        _count_ok(pool)
        assert pid not in pool.pids()
    finally:
        pool.close()


def test_answers_past_the_size_cap_are_refused() -> None:
    pool = QueryPool(PAYLOAD, workers=1, timeout=10, max_result=10_000)
    try:
        status, _, body = pool.run("SELECT * WHERE { ?s ?p ?o }", "")
        assert status == 400 and b"add a LIMIT" in body
        status, _, body = pool.run("CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle")
        assert status == 400 and b"add a LIMIT" in body
        _count_ok(pool)
    finally:
        pool.close()


def test_more_requests_than_workers_wait_then_get_503() -> None:
    """Concurrency is bounded by the workers: a request waits at most the time limit for one
    (long queries are not moved aside here, so the one worker stays taken)."""
    pool = QueryPool(PAYLOAD, workers=1, timeout=1.5, demote_after=10)
    try:
        _count_ok(pool)
        slow: list[tuple[int, str, bytes]] = []
        runners = [threading.Thread(target=lambda: slow.append(pool.run(SLOW, ""))) for _ in range(2)]
        for runner in runners:  # the first holds the worker, the second waits for it
            runner.start()
            time.sleep(0.2)
        started = time.monotonic()
        status, _, body = pool.run(COUNT, "")
        waited = time.monotonic() - started
        for runner in runners:
            runner.join()
        assert status == 503 and b"server busy" in body and 1.0 < waited < 3
        assert [s[0] for s in slow] == [503, 503] and all(b"time limit" in s[2] for s in slow)
        _count_ok(pool)
    finally:
        pool.close()


def test_long_query_is_lowered_and_a_short_one_runs_beside_it() -> None:
    """A query past ``demote_after`` gets the lowest CPU priority and stops counting among the
    workers: a short query gets a fresh worker at once, and the lowered one is retired."""
    pool = QueryPool(PAYLOAD, workers=1, warm=1, timeout=8, demote_after=0.1)
    try:
        _count_ok(pool)
        (first,) = pool.pids()
        slow: list[tuple[int, str, bytes]] = []
        runner = threading.Thread(target=lambda: slow.append(pool.run(SLOW, "")))
        runner.start()
        started = time.monotonic()
        while os.getpriority(os.PRIO_PROCESS, first) != 19:  # once it has used 0.1 s of CPU
            assert time.monotonic() - started < 5
            time.sleep(0.05)
        started = time.monotonic()
        _count_ok(pool)
        assert time.monotonic() - started < 4  # not behind the long query (8 s)
        runner.join()
        assert slow[0][0] == 503 and b"time limit" in slow[0][2]
        assert first not in pool.pids() and len(pool.pids()) == 1
        _count_ok(pool)
    finally:
        pool.close()


@pytest.mark.parametrize("kwargs", [{"workers": 0}, {"timeout": 0}, {"timeout": -1}])
def test_pool_settings_are_checked(kwargs: dict) -> None:
    with pytest.raises(InputError):
        QueryPool(PAYLOAD, **kwargs)


@pytest.mark.parametrize("length, status", [("abc", "400"), ("-5", "400"), (str(2 * 1024 * 1024), "413")])
def test_bad_request_bodies_are_refused_before_reading(length: str, status: str) -> None:
    import io

    from ptce_graph.serve.server import SparqlApp

    app = SparqlApp(None, catalog={})  # type: ignore[arg-type]  # no query may reach a pool
    seen: dict[str, str] = {}
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/sparql", "QUERY_STRING": "", "CONTENT_LENGTH": length,
               "CONTENT_TYPE": "application/sparql-query", "wsgi.input": io.BytesIO(b"")}
    app(environ, lambda code, headers: seen.update(status=code))
    assert seen["status"].startswith(status)
