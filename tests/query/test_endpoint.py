"""Remote endpoints that are down, slow, failing or not SPARQL: clear messages and exit 3."""

from __future__ import annotations

import json
import time

import pytest
from standins import free_port, standin

from ptce_graph.cli import main
from ptce_graph.errors import EndpointError
from ptce_graph.query.endpoint import RemoteStore
from ptce_graph.query.run import run_query

SELECT = "SELECT ?n WHERE { ?s ?p ?n }"


def test_refused_connection(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    assert main(["query", "--sparql", SELECT, "--endpoint", url]) == 3
    err = capsys.readouterr().err
    assert f"cannot reach endpoint {url}" in err and "Traceback" not in err


def test_slow_endpoint_times_out(capsys: pytest.CaptureFixture[str]) -> None:
    with standin(delay=5.0) as (url, _):
        started = time.monotonic()
        assert main(["query", "--sparql", SELECT, "--endpoint", url + "/sparql", "--timeout", "1"]) == 3
        assert time.monotonic() - started < 4
    assert "did not answer within 1 s (timeout)" in capsys.readouterr().err


def test_http_500_names_status_and_body(capsys: pytest.CaptureFixture[str]) -> None:
    with standin(status=500, body=b"Virtuoso 37000 Error SP030: boom", content_type="text/plain") as (url, _):
        assert main(["query", "--sparql", SELECT, "--endpoint", url + "/sparql"]) == 3
    err = capsys.readouterr().err
    assert url + "/sparql" in err and "boom" in err


def test_html_page_with_200_is_not_results() -> None:
    with standin(body=b"<html><body>login</body></html>", content_type="text/html") as (url, _):
        with pytest.raises(EndpointError, match="did not answer with SPARQL JSON results"):
            RemoteStore(url).select(SELECT)


def test_virtuoso_typed_literals_are_read() -> None:
    body = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [
        {"n": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "23"}}]}})
    with standin(body=body.encode()) as (url, log):
        result = run_query(SELECT, store=RemoteStore(url))
    assert result.records() == [{"n": 23}]
    assert log == ["POST /"]
