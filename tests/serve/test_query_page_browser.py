"""The endpoint's query page in headless Chromium, against a real ``ptce-graph serve``: a typed
query and a canned example with its parameter give the counts Python computes."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import chromium, console, need_browser, requests, screenshot
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from standins import free_port

from ptce_graph.model.namespaces import ORG, PTCE

pytestmark = pytest.mark.server

TETRIS = URIRef("https://w3id.org/ptce-graph/id/ptce/tetris")


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    need_browser()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "ptce_graph", "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base, timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"ptce-graph serve did not start: {server.stderr.read() if server.stderr else ''}"
                    ) from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as driver:
        yield driver


def _run(driver: Any) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.find_element("id", "run").click()
    WebDriverWait(driver, 60).until(lambda d: d.find_element("id", "status").text not in ("", "running…"))
    return driver.find_element("id", "results")


def test_a_typed_query_counts_the_ptces(browser: Any, endpoint: str, shipped_graph: Graph, tmp_path: Path) -> None:
    console(browser)
    requests(browser)
    browser.get(endpoint)
    box = browser.find_element("id", "query")
    box.clear()
    box.send_keys("SELECT (COUNT(*) AS ?n) WHERE { ?p a ptce:PTCE }")
    results = _run(browser)
    cells = [td.text for td in results.find_elements("css selector", "#table td")]
    expected = len(set(shipped_graph.subjects(RDF.type, PTCE.PTCE)))
    assert expected > 30 and cells == [str(expected)]
    assert results.find_element("id", "count").text == "1 row"
    problems = [m for m in console(browser) if m["level"] in ("SEVERE", "WARNING")]
    assert problems == [], problems
    assert {url.split("?")[0] for _, url in requests(browser)} == {endpoint, endpoint + "sparql"}


def test_a_canned_example_runs_with_its_parameter(
    browser: Any, endpoint: str, shipped_graph: Graph, tmp_path: Path
) -> None:
    from selenium.webdriver.support.ui import Select

    browser.get(endpoint)
    Select(browser.find_element("id", "example")).select_by_value("ptce_members")
    text = browser.find_element("id", "query").get_attribute("value")
    assert text.startswith("PREFIX ptce:") and "SELECT ?membership ?member" in text
    browser.find_element("name", "ptce").send_keys("pg:ptce/tetris")
    results = _run(browser)
    # one row per membership of TETRIS and role (one row when it has none), walked in rdflib
    memberships = set(shipped_graph.subjects(ORG.organization, TETRIS))
    expected = sum(max(1, len(set(shipped_graph.objects(m, ORG.role)))) for m in memberships)
    assert expected > 1 and results.find_element("id", "count").get_attribute("data-rows") == str(expected)
    header = [th.text for th in results.find_elements("css selector", "#table th")]
    assert header[:3] == ["membership", "member", "memberLabel"]
    screenshot(browser, tmp_path, "query-page.png")
    assert [m for m in console(browser) if m["level"] == "SEVERE"] == []


def test_an_edited_example_runs_as_typed_and_errors_are_shown(browser: Any, endpoint: str) -> None:
    from selenium.webdriver.support.ui import Select

    browser.get(endpoint)
    Select(browser.find_element("id", "example")).select_by_value("ptce_members")
    box = browser.find_element("id", "query")
    box.clear()
    box.send_keys("SELECT ?x WHERE { ?x a ptce:NoSuchThing ")  # unclosed: a syntax error
    assert browser.find_element("id", "params").text == ""  # its parameters no longer apply
    results = _run(browser)
    assert browser.find_element("id", "status").text.startswith("refused (400)")
    assert results.find_element("css selector", "pre.error").text
