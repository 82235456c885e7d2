"""``query`` bounds its local queries: ``--timeout``, ``--max-memory``, ``--max-result``.

A runaway query (a cartesian product of the shipped graph with itself) stops at the bound with
exit 2 and one ``error:`` line naming the bound and the option that raises it; ``--out`` is left
as it was, and no child process is left behind.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from standins import child_processes, standin

from ptce_graph.cli import main, parser

ENDLESS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
HUNGRY = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
PREVIOUS = "previous result, kept\n"


@pytest.fixture(autouse=True)
def no_child_left() -> object:
    before = child_processes()
    yield
    assert child_processes() == before, "a query's child process was left behind"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--sparql", ENDLESS, "--timeout", "1"],
            "error: the query ran past the 1 s time limit and was stopped (raise it with --timeout)",
        ),
        (
            ["--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "--timeout", "1.5"],
            "error: the query ran past the 1.5 s time limit and was stopped (raise it with --timeout)",
        ),
        (
            ["--sparql", HUNGRY, "--max-memory", "64"],
            "error: the query needed more than 64 MiB of memory and was stopped (raise it with --max-memory)",
        ),
        (
            ["--sparql", "SELECT * WHERE { ?s ?p ?o }", "--max-result", "0.25"],
            "error: the query's answer is larger than 0.25 MiB (raise it with --max-result, or add a LIMIT)",
        ),
        (
            ["--sparql", ENDLESS, "--timeout", "1", "--layer", "shipped"],
            "error: the query ran past the 1 s time limit and was stopped (raise it with --timeout)",
        ),
    ],
    ids=["timeout", "count-timeout", "memory", "result", "layer-timeout"],
)
def test_a_query_past_a_bound_is_stopped_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str], message: str
) -> None:
    out = tmp_path / "result.csv"
    out.write_text(PREVIOUS, encoding="utf-8")
    started = time.monotonic()
    code = main(["query", *options, "--format", "csv", "--out", str(out)])
    elapsed = time.monotonic() - started
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.strip() == message
    assert captured.out == ""
    assert out.read_text(encoding="utf-8") == PREVIOUS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.csv"]
    assert elapsed < 12  # the graph is read first; the query itself stops at its bound


def test_a_query_within_its_bounds_gives_its_answer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?p a ptce:PTCE }"
    options = ["--timeout", "20", "--max-memory", "256", "--max-result", "1"]
    assert main(["query", "--sparql", query, "--format", "csv"]) == 0
    default = capsys.readouterr().out
    assert main(["query", "--sparql", query, "--format", "csv", *options]) == 0
    assert capsys.readouterr().out == default
    assert int(default.splitlines()[1]) > 100
    assert main(["query", "--sparql", query, "--format", "csv", "--layer", "ontology", *options]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "0"


@pytest.mark.parametrize("option", ["--max-memory", "--max-result"])
@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "1e12", "lots"])
def test_a_size_bound_must_be_a_positive_finite_number(
    option: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["query", "--sparql", "ASK {}", option, value]) == 2
    assert f"argument {option}: not a positive, finite number of MiB: '{value}'" in capsys.readouterr().err


def test_the_memory_bound_is_for_local_queries(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--endpoint", "http://127.0.0.1:9/q", "--sparql", "ASK {}", "--max-memory", "10"]) == 2
    assert (
        capsys.readouterr().err.strip() == "error: --max-memory bounds local queries: an endpoint's memory is its own"
    )


def test_the_result_bound_holds_for_an_endpoint_answer(capsys: pytest.CaptureFixture[str]) -> None:
    rows = [{"n": {"type": "literal", "value": "x" * 100}} for _ in range(100)]
    body = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": rows}}).encode()
    with standin(body=body) as (url, _):
        assert main(["query", "--endpoint", url, "--sparql", "SELECT ?n WHERE { ?s ?p ?n }"]) == 0
        capsys.readouterr()
        assert (
            main(["query", "--endpoint", url, "--sparql", "SELECT ?n WHERE { ?s ?p ?n }", "--max-result", "0.001"]) == 3
        )
    assert "sent more than 1049 bytes" in capsys.readouterr().err


def test_the_default_result_bound_is_the_endpoint_client_s() -> None:
    from ptce_graph.io.http import MAX_RESPONSE_BYTES
    from ptce_graph.query.bounded import QUERY_RESULT

    assert QUERY_RESULT == MAX_RESPONSE_BYTES


def test_the_help_gives_every_default() -> None:
    sub = next(a for a in parser()._actions if a.dest == "command")
    text = sub.choices["query"].format_help()  # type: ignore[union-attr]
    flat = " ".join(text.split())
    for fragment in (
        "--timeout SECONDS time limit of the query: a local one is stopped past it",
        "(default: 30)",
        "--max-memory MIB memory a local query may take beyond the loaded graph",
        "(default: 2048)",
        "--max-result MIB the largest answer",
        "(default: 256)",
    ):
        assert fragment in flat, fragment
