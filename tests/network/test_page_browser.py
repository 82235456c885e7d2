"""The interactive network page in headless Chromium: it loads cleanly, fetches nothing, draws
every node of the view, and its search, filters and PTCE cards agree with Python."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import chromium, console, need_browser, requests, screenshot, shown_nodes, visible
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from ptce_graph.model.namespaces import ORG, PTCE, SCHEMA
from ptce_graph.network.metrics import analysis_graph
from ptce_graph.network.periods import window
from ptce_graph.network.plot import plot_network
from ptce_graph.network.views import NetworkData, extract, project
from ptce_graph.network.words import PAGE_WORDS

TETRIS = "https://w3id.org/ptce-graph/id/ptce/tetris"


@pytest.fixture(scope="module")
def shipped(shipped_graph: Graph) -> tuple[Graph, NetworkData]:
    return shipped_graph, extract(shipped_graph)


@pytest.fixture(scope="module")
def pages(shipped: tuple[Graph, NetworkData], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    need_browser()  # before the minutes of layout, when there is no browser to open them
    folder = tmp_path_factory.mktemp("pages")
    return {view: plot_network(shipped[0], view, folder / f"{view}.html") for view in ("membership", "co-membership")}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as driver:
        yield driver


def _open(driver: Any, page: Path) -> str:
    url = page.resolve().as_uri()
    console(driver)
    requests(driver)
    driver.get(url)
    return url


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


def _only(driver: Any, name: str, value: str) -> None:
    """Tick the one checkbox ``value`` of the group ``name``, untick the others."""
    driver.execute_script(
        "for (const i of document.querySelectorAll('input[name=' + arguments[0] + ']')) {"
        "  i.checked = i.value === arguments[1]; }"
        "document.querySelector('input[name=' + arguments[0] + ']').dispatchEvent(new Event('change'));",
        name,
        value,
    )


def _select(driver: Any, element_id: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("id", element_id)).select_by_value(value)


def test_page_loads_without_error_draws_every_node_and_fetches_nothing(
    browser: Any, pages: dict[str, Path], shipped: tuple[Graph, NetworkData], tmp_path: Path
) -> None:
    for view, page in pages.items():
        url = _open(browser, page)
        graph = project(shipped[1], view)
        drawn = analysis_graph(graph)
        assert browser.find_element("id", "shown").get_attribute("data-nodes") == str(graph.number_of_nodes())
        assert visible(browser, "#nodes [data-node]") == graph.number_of_nodes() > 100
        assert visible(browser, "#edges line") == drawn.number_of_edges() > 100
        assert shown_nodes(browser) == set(graph.nodes)
        problems = [m for m in console(browser) if m["level"] in ("SEVERE", "WARNING")]
        assert problems == [], problems
        fetched = requests(browser)
        assert {u for _, u in fetched if not u.startswith("data:")} == {url}, fetched
        if view == "membership":  # the gallery picture, with a card open
            browser.execute_script(
                "document.querySelector('#nodes [data-node=\"' + arguments[0] + '\"]')"
                ".dispatchEvent(new MouseEvent('click'))", TETRIS)
            screenshot(browser, tmp_path, "network-page.png")
            assert (tmp_path / "network-page.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_search_keeps_the_nodes_whose_name_matches_accents_and_case_aside(
    browser: Any, pages: dict[str, Path], shipped: tuple[Graph, NetworkData]
) -> None:
    _open(browser, pages["membership"])
    graph = project(shipped[1], "membership")
    browser.find_element("id", "find").send_keys("ECONOMIE")
    expected = {n for n in graph if "economie" in _fold(graph.nodes[n]["label"])}
    assert 1 < len(expected) < 20
    assert shown_nodes(browser) == expected
    assert any("économie" in graph.nodes[n]["label"] for n in expected)  # found without its accent


def test_kind_role_and_region_filters_agree_with_python(
    browser: Any, pages: dict[str, Path], shipped: tuple[Graph, NetworkData]
) -> None:
    data = shipped[1]
    graph = project(data, "membership")
    _open(browser, pages["membership"])
    _only(browser, "kinds", "local-authority")
    local = {n for n in graph if graph.nodes[n]["kind"] == "local-authority"}
    assert len(local) > 5 and shown_nodes(browser) == local
    browser.find_element("id", "reset").click()
    assert len(shown_nodes(browser)) == graph.number_of_nodes()
    # founders: the actors recorded as founders of a PTCE, and those PTCEs (from the data, not the page)
    _only(browser, "roles", "founder")
    founders = {n for m in data.ptce_memberships() if "founder" in m.role for n in (m.source, m.target)}
    assert 10 < len(founders) < graph.number_of_nodes() and shown_nodes(browser) == founders
    founder_ties = {frozenset((m.source, m.target)) for m in data.ptce_memberships() if "founder" in m.role}
    assert visible(browser, "#edges line") == len(founder_ties)
    browser.find_element("id", "reset").click()
    _select(browser, "region", "93")  # Provence-Alpes-Côte d'Azur
    south = {n for n in graph if "93" in str(graph.nodes[n].get("region", "")).split("|")}
    assert TETRIS in south and shown_nodes(browser) == south


@pytest.mark.parametrize("view", ["membership", "co-membership"])
def test_a_year_shows_the_yearly_snapshot_with_or_without_undated_ties(
    browser: Any, pages: dict[str, Path], shipped: tuple[Graph, NetworkData], view: str
) -> None:
    _open(browser, pages[view])
    _select(browser, "year", "2015")
    left_out = project(shipped[1], view, window(as_of="2015"), undated="exclude")
    assert shown_nodes(browser) == set(left_out.nodes)
    assert visible(browser, "#edges line") == analysis_graph(left_out).number_of_edges()
    browser.find_element("id", "undated").click()
    included = project(shipped[1], view, window(as_of="2015"), undated="include")
    assert shown_nodes(browser) == set(included.nodes)
    assert visible(browser, "#edges line") == analysis_graph(included).number_of_edges()
    assert left_out.number_of_nodes() < included.number_of_nodes() < project(shipped[1], view).number_of_nodes()


def _fact_sources(graph: Graph, entity: URIRef) -> set[URIRef]:
    """The sources of an entity and of every statement about it, walked triple by triple."""
    dated = (ORG.memberDuring, DCTERMS.temporal)

    def of(node: Any) -> set[Any]:
        found = set(graph.objects(node, DCTERMS.source))
        for link in dated:
            for period in graph.objects(node, link):
                found |= set(graph.objects(period, DCTERMS.source))
        return found

    sources = of(entity)
    for statement, link in graph.subject_predicates(entity):
        if link in (ORG.organization, PTCE.relatedTo, PTCE.recipient, PTCE.beneficiary, PTCE.laureate,
                    PTCE.partner, PTCE.sharedBy, ORG.member, PTCE.relatedAgent, SCHEMA.funder, PTCE.supporter):
            sources |= of(statement)
    return sources


def test_clicking_a_ptce_shows_its_card_with_its_sources(
    browser: Any, pages: dict[str, Path], shipped: tuple[Graph, NetworkData]
) -> None:
    graph, data = shipped
    _open(browser, pages["membership"])
    browser.find_element("id", "find").send_keys("tetris")
    assert shown_nodes(browser) == {TETRIS}
    browser.find_element("css selector", f'#nodes [data-node="{TETRIS}"]').click()
    info = browser.find_element("id", "info")
    assert info.find_element("tag name", "h3").text == "TETRIS"
    sources = _fact_sources(graph, URIRef(TETRIS))
    urls = {str(u) for s in sources for u in graph.objects(s, SCHEMA.url)}
    shown = {a.get_attribute("href") for a in info.find_elements("css selector", "#sources a")}
    assert len(urls) > 3 and shown == urls
    assert "https://scic-tetris.org/" in {a.get_attribute("href") for a in info.find_elements("tag name", "a")}
    members = {m.source for m in data.ptce_memberships() if m.target == TETRIS}
    assert f"Members (all dates): {len(members)}" in info.text and len(members) > 1
    assert "Grasse" in info.text  # its territory, a commune of the Pays de Grasse


@pytest.fixture(scope="module")
def french(shipped: tuple[Graph, NetworkData], tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_browser()
    return plot_network(shipped[0], "membership", tmp_path_factory.mktemp("fr") / "membership-fr.html", lang="fr")


def test_the_french_page_is_french_throughout_and_draws_what_the_english_one_draws(
    browser: Any, pages: dict[str, Path], french: Path, shipped: tuple[Graph, NetworkData]
) -> None:
    _open(browser, pages["membership"])
    english_count = browser.find_element("id", "shown").get_attribute("data-nodes")
    english_shown = shown_nodes(browser)
    url = _open(browser, french)
    problems = [m for m in console(browser) if m["level"] in ("SEVERE", "WARNING")]
    assert problems == [], problems
    assert {u for _, u in requests(browser) if not u.startswith("data:")} == {url}
    assert browser.find_element("tag name", "html").get_attribute("lang") == "fr"
    graph = project(shipped[1], "membership")
    shown = browser.find_element("id", "shown")
    assert shown.get_attribute("data-nodes") == english_count == str(graph.number_of_nodes())
    assert shown_nodes(browser) == english_shown == set(graph.nodes)
    n, ties = graph.number_of_nodes(), analysis_graph(graph).number_of_edges()
    assert shown.text == f"{n} nœuds affichés sur {n}, {ties} liens sur {ties}"
    find = browser.find_element("id", "find")
    assert find.find_element("xpath", "..").text.strip() == "Chercher par nom"
    assert find.get_attribute("placeholder") == "une partie du nom…"
    kind = browser.find_element("css selector", "input[name=kinds][value=ess-enterprise]")
    assert kind.find_element("xpath", "..").text.strip() == "Entreprise de l'ESS"
    role = browser.find_element("css selector", "input[name=roles][value=founder]")
    assert role.find_element("xpath", "..").text.strip() == "membre fondateur"
    assert browser.find_element("css selector", "#f-role legend").text == "Rôle dans le PTCE"
    # the filters work in French as in English: the founders' subgraph
    _only(browser, "roles", "founder")
    founders = {n for m in shipped[1].ptce_memberships() if "founder" in m.role for n in (m.source, m.target)}
    assert shown_nodes(browser) == founders
    browser.find_element("id", "reset").click()
    browser.execute_script(
        "document.querySelector('#nodes [data-node=\"' + arguments[0] + '\"]')"
        ".dispatchEvent(new MouseEvent('click'))", TETRIS)
    info = browser.find_element("id", "info").text
    members = {m.source for m in shipped[1].ptce_memberships() if m.target == TETRIS}
    assert f"Membres (toutes dates) : {len(members)}" in info and "Territoire : " in info and "Grasse" in info
    # no English phrase of the page's table anywhere on the page, card open
    text = browser.find_element("tag name", "body").text
    english = {bit.strip(" :.,()") for en, fr in PAGE_WORDS.values() if en != fr for bit in re.split(r"{\w+}", en)}
    assert len(english) > 20 and not {e for e in english if len(e) > 3 and e in text}


def test_a_missing_browser_skips_unless_required(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import browser

    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv(browser.REQUIRE, "1")
    with pytest.raises(pytest.fail.Exception, match="forbids skipping"):
        browser.need_browser()
    monkeypatch.delenv(browser.REQUIRE)
    with pytest.raises(pytest.skip.Exception, match="no-chromium"):
        browser.need_browser()
