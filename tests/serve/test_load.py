"""``ptce-graph serve`` under a mixed load, from a second process: light canned queries keep
their latency while heavy ones run into the time limit, and the server's memory stays bounded.

The server is the real command on the shipped data, on loopback; this test process is the
client (8 threads). The figures it prints are the ones quoted in ``docs/performance.md``.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest
from servers import tree_rss_mib
from standins import free_port

pytestmark = [pytest.mark.slow, pytest.mark.server]

QUERIES, CLIENTS, HEAVY_SHARE = 2000, 8, 0.03
#: Seconds each client waits between an answer and its next request: the offered load is
#: then at most CLIENTS / THINK queries a second (about 60), a busy endpoint rather than a
#: saturated one, on two cores shared with other jobs.
THINK = 0.12
#: The server's time limit in this test (``serve --timeout``): heavy queries run into it.
TIME_LIMIT = 2.0
#: 95th percentile of the light queries' latency (seconds).
P95_BOUND = 0.100
#: The resident memory of the server, its forkserver and its query workers, summed (MiB).
#: Sums of RSS count the pages that forked workers share with the forkserver once per process,
#: so this overstates what the machine gives them.
MEMORY_BOUND_MIB = 1536
#: Canned queries (with their default parameters, or the documented example PTCE) through
#: /canned/; two short ad-hoc queries (PTCEs counted, PTCEs labelled) to /sparql.
LIGHT = [
    ("ptce_overview", {}),
    ("ptce_by_region", {}),
    ("national_calls", {}),
    ("fundings", {}),
    ("multi_ptce_actors", {}),
    ("research_training_partners", {}),
    ("ptce_members", {"ptce": "pg:ptce/tetris"}),
    ("mutualised_resources", {}),
]
COUNT_PTCES = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a ptce:PTCE }"
LABELS = "SELECT ?p (SAMPLE(?l) AS ?label) WHERE { ?p a ptce:PTCE ; rdfs:label ?l } GROUP BY ?p"
#: Thousands of billions of rows to count, in little memory: only the time limit stops it.
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?s1 ?p1 ?o1 . ?s2 ?p2 ?o2 . ?s3 ?p3 ?o3 }"


@dataclass(frozen=True)
class Request:
    name: str
    path: str
    #: Rows expected in the JSON results (light), or None (heavy).
    rows: int | None
    #: For COUNT_PTCES: the value of ?n.
    value: str | None = None


def _light_requests() -> list[Request]:
    from ptce_graph.query.catalog import get_query
    from ptce_graph.query.run import bind_parameters, render_query, run_query

    requests = []
    for name, params in LIGHT:
        text = render_query(get_query(name).text, bind_parameters(get_query(name), params or None))
        expected = len(run_query(name, params or None))
        assert expected > 0, name
        # Through /canned/ (the text is the server's own and is not parsed again for the check):
        # the first check of an ad-hoc copy of ptce_overview's text takes rdflib's grammar about
        # 1 s of CPU, more than the 2 s time limit allows on a loaded machine.
        path = f"/canned/{name}?" + urllib.parse.urlencode(params) if params else f"/canned/{name}"
        requests.append(Request(name, path, expected))
        assert text  # renders with these parameters
    overview = len(run_query("ptce_overview"))  # one row per PTCE
    requests.append(
        Request("count_ptces", "/sparql?" + urllib.parse.urlencode({"query": COUNT_PTCES}), 1, str(overview))
    )
    requests.append(Request("ptce_labels", "/sparql?" + urllib.parse.urlencode({"query": LABELS}), overview))
    return requests


class Client:
    """One keep-alive connection, opened again when the server closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection: http.client.HTTPConnection | None = None

    def get(self, path: str) -> tuple[int, bytes]:
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.connection.request("GET", path, headers={"Accept": "application/sparql-results+json"})
                response = self.connection.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def _problem(request: Request, status: int, body: bytes) -> str | None:
    if request.rows is None:
        if status == 503 and b"time limit" in body:
            return None
        return f"heavy: expected 503 (time limit), got {status}: {body[:200]!r}"
    if status != 200:
        return f"{request.name}: HTTP {status}: {body[:200]!r}"
    bindings = json.loads(body)["results"]["bindings"]
    if len(bindings) != request.rows:
        return f"{request.name}: {len(bindings)} rows, expected {request.rows}"
    if request.value is not None and bindings[0]["n"]["value"] != request.value:
        return f"{request.name}: {bindings[0]['n']['value']}, expected {request.value}"
    return None


def _start_server(port: int) -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, "-m", "ptce_graph", "serve", "--port", str(port), "--timeout", str(TIME_LIMIT)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stderr is not None
    line = server.stderr.readline()  # the server says where it listens once its workers are loaded
    match = re.search(r" at (http://\S+/sparql) ", line)
    assert match, line + server.stderr.read() if server.poll() is not None else line
    # keep draining stderr so that the server never blocks writing to it
    threading.Thread(target=server.stderr.read, daemon=True).start()
    return server, match.group(1)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="measures memory through /proc")
def test_light_queries_keep_their_latency_beside_heavy_ones() -> None:
    light = _light_requests()
    heavy = Request("heavy", "/sparql?" + urllib.parse.urlencode({"query": HEAVY}), None)
    chooser = random.Random(20260101)
    heavy_at = set(chooser.sample(range(QUERIES), round(QUERIES * HEAVY_SHARE)))
    plan = [heavy if i in heavy_at else light[i % len(light)] for i in range(QUERIES)]
    port = free_port()
    # other jobs' load, read before this test adds its own (its heavy queries alone keep about
    # two cores busy, so a load average read during or after the run always exceeds two)
    others = os.getloadavg()[0]
    server, url = _start_server(port)
    assert url == f"http://127.0.0.1:{port}/sparql"
    results: list[tuple[Request, int, float, str | None]] = []
    lock, cursor = threading.Lock(), iter(range(QUERIES))
    peak_mib, processes = 0.0, 0
    sampling = threading.Event()

    def sample() -> None:
        nonlocal peak_mib, processes
        while not sampling.wait(0.1):
            mib, count = tree_rss_mib(server.pid)
            peak_mib, processes = max(peak_mib, mib), max(processes, count)

    def client() -> None:
        connection = Client(port)
        while True:
            with lock:
                index = next(cursor, None)
            if index is None:
                return
            request = plan[index]
            started = time.perf_counter()
            try:
                status, body = connection.get(request.path)
            except OSError as exc:
                status, body = 0, repr(exc).encode()
            elapsed = time.perf_counter() - started
            with lock:
                results.append((request, status, elapsed, _problem(request, status, body)))
            time.sleep(THINK)

    try:
        warm = Client(port)  # each text once: the server checks it once and remembers
        for request in light:
            status, body = warm.get(request.path)
            assert _problem(request, status, body) is None, (status, body[:300])
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.perf_counter()
        clients = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join()
        duration = time.perf_counter() - started
        during = os.getloadavg()[0]
        sampling.set()
        sampler.join()
    finally:
        server.terminate()
        server.wait(timeout=30)

    light_times = [elapsed for request, _, elapsed, _ in results if request.rows is not None]
    heavy_statuses: dict[int, int] = {}
    for request, status, _, _ in results:
        if request.rows is None:
            heavy_statuses[status] = heavy_statuses.get(status, 0) + 1
    light_5xx = sum(1 for request, status, _, _ in results if request.rows is not None and status >= 500)
    problems = [problem for *_, problem in results if problem]
    p50, p95, p99 = (_percentile(light_times, share) for share in (0.50, 0.95, 0.99))
    summary = (
        f"serve under load: {len(results)} queries from {CLIENTS} clients in {duration:.1f} s (think time {THINK * 1000:.0f} ms); "
        f"{len(light_times)} light: p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
        f"max {max(light_times) * 1000:.0f} ms, {light_5xx} 5xx; {len(results) - len(light_times)} heavy: "
        f"statuses {heavy_statuses}; peak RSS of the server and its children {peak_mib:.0f} MiB "
        f"(at most {processes} processes); {len(problems)} unexpected answers; load average {others:.1f} before the run, {during:.1f} at its end"
    )
    by_name: dict[str, list[float]] = {}
    for request, _, elapsed, _ in results:
        by_name.setdefault(request.name, []).append(elapsed)
    print("\n" + summary)
    print(
        "  p50 / p95 by query (ms): "
        + ", ".join(
            f"{name} {_percentile(times, 0.5) * 1000:.0f}/{_percentile(times, 0.95) * 1000:.0f}"
            for name, times in sorted(by_name.items())
        )
    )
    assert len(results) == QUERIES, summary
    assert light_5xx == 0 and not problems, summary + "\n" + "\n".join(problems[:10])
    # A latency measured while other jobs hold the cores measures them: the bound is checked
    # unless other work more than doubly oversubscribed the machine before the run (1-minute load
    # average above twice its cores). On 2 cores, p95 was 20 ms alone, 22 ms beside one busy
    # loop and 33 ms beside two; 197 ms at a load average of 21.7.
    if others <= 2 * (os.cpu_count() or 1):
        assert p95 < P95_BOUND, summary
    else:
        print(f"  p95 bound not checked: load average {others:.1f} before the run, on {os.cpu_count()} cores")
    assert peak_mib < MEMORY_BOUND_MIB, summary
