"""``ptce-graph serve`` under load: 2,000 queries from 8 clients in a second process, mixed
canned and ad-hoc, with no error and no growth in memory beyond a stated bound."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from servers import process_tree
from standins import free_port

QUERIES, CLIENTS = 2000, 8
#: Growth allowed in the resident memory of the server and its workers (MiB), after a warm-up.
RSS_GROWTH_MIB = 64
#: The whole load must be served within this many seconds.
SECONDS = 60

LOADGEN = r'''
"""Load generator: N requests from C client threads against a ptce-graph endpoint; JSON summary."""
import json, sys, time, urllib.error, urllib.parse, urllib.request
from concurrent.futures import ThreadPoolExecutor

base, total, clients = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
SELECT = "SELECT ?p ?label WHERE { ?p a ptce:PTCE ; rdfs:label ?label } ORDER BY ?label"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# (method, path, body, content type, accept, expected status)
MIX = [
    ("GET", "/canned/ptce_overview", None, None, "application/sparql-results+json", 200),
    ("GET", "/canned/ptce_members?" + urllib.parse.urlencode({"ptce": "pg:ptce/tetris"}), None, None, "", 200),
    ("GET", "/canned/resources?" + urllib.parse.urlencode({"text": "Po\u0302le"}), None, None, "text/csv", 200),
    ("GET", "/canned/ptce_by_region", None, None, "application/sparql-results+xml", 200),
    ("GET", "/canned/co_membership", None, None, "text/tab-separated-values", 200),
    ("GET", "/canned/ptce_card?" + urllib.parse.urlencode({"ptce": "pg:ptce/tetris"}), None, None, "text/turtle", 200),
    ("GET", "/sparql?" + urllib.parse.urlencode({"query": SELECT}), None, None, "", 200),
    ("POST", "/sparql", urllib.parse.urlencode({"query": COUNT}).encode(), "application/x-www-form-urlencoded",
     "application/sparql-results+json", 200),
    ("POST", "/sparql", b"ASK { ?p a ptce:PTCE }", "application/sparql-query", "application/sparql-results+json", 200),
    ("POST", "/sparql", b"CONSTRUCT { ?p rdfs:label ?l } WHERE { ?p a ptce:PTCE ; rdfs:label ?l }",
     "application/sparql-query", "application/n-triples", 200),
    ("GET", "/sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p }"}), None, None, "", 400),
    ("POST", "/sparql", b"DROP ALL", "application/sparql-update", "", 403),
    ("GET", "/canned/ptce_members?ptce=" + urllib.parse.quote("pg:ptce/x> } DROP ALL {"), None, None, "", 400),
]

def one(index):
    method, path, body, content_type, accept, expected = MIX[index % len(MIX)]
    request = urllib.request.Request(base + path, data=body, method=method)
    if content_type:
        request.add_header("Content-Type", content_type)
    if accept:
        request.add_header("Accept", accept)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, payload = exc.code, exc.read()
    except Exception as exc:
        return index, "exception", repr(exc), time.monotonic() - started
    ok = status == expected and (status != 200 or len(payload) > 0)
    error = None if ok else f"expected {expected}, got {status}: {payload[:200]!r}"
    return index, status, error, time.monotonic() - started

started = time.monotonic()
with ThreadPoolExecutor(clients) as pool:
    results = list(pool.map(one, range(total)))
duration = time.monotonic() - started
latencies = sorted(r[3] for r in results)
statuses = {}
for r in results:
    statuses[str(r[1])] = statuses.get(str(r[1]), 0) + 1
errors = [r for r in results if r[2] is not None]
print(json.dumps({"queries": len(results), "clients": clients, "errors": len(errors),
                  "first_errors": [e[2] for e in errors[:5]], "statuses": statuses, "seconds": duration,
                  "p50_ms": 1000 * latencies[len(latencies) // 2],
                  "p99_ms": 1000 * latencies[int(len(latencies) * 0.99)],
                  "max_ms": 1000 * latencies[-1]}))
'''


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its descendants (MiB)."""
    total = 0
    for member in process_tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def _load(base: str, queries: int, script: Path) -> dict:
    done = subprocess.run([sys.executable, str(script), base, str(queries), str(CLIENTS)], capture_output=True,
                          text=True, timeout=SECONDS * 3)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="measures memory through /proc")
def test_serve_under_load(tmp_path: Path) -> None:
    script = tmp_path / "loadgen.py"
    script.write_text(LOADGEN, encoding="utf-8")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "ptce_graph", "serve", "--port", str(port), "--workers", "2",
                               "--timeout", "10"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
            try:
                urllib.request.urlopen(base + "/", timeout=2).read()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        warm = _load(base, 400, script)  # every query shape once in each worker, allocator pools settled
        assert warm["errors"] == 0, warm
        before = rss_mib(server.pid)
        report = _load(base, QUERIES, script)
        after = rss_mib(server.pid)
        processes = len(process_tree(server.pid))
    finally:
        server.terminate()
        server.wait(timeout=30)
    summary = (f"load: {report['queries']} queries from {report['clients']} clients in {report['seconds']:.1f} s, "
               f"{report['errors']} errors, statuses {report['statuses']}, p50 {report['p50_ms']:.0f} ms, "
               f"p99 {report['p99_ms']:.0f} ms, max {report['max_ms']:.0f} ms; RSS of the server and its "
               f"{processes - 1} child processes (2 query workers) {before:.0f} MiB before, {after:.0f} MiB after")
    print("\n" + summary)
    assert report["queries"] == QUERIES and report["errors"] == 0, summary + f"\n{report['first_errors']}"
    assert report["seconds"] < SECONDS, summary
    assert after - before < RSS_GROWTH_MIB, summary
