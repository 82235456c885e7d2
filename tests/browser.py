"""Headless Chromium for the page tests: the Debian ``chromium`` and ``chromium-driver``, driven by
Selenium with explicit paths (Selenium Manager downloads nothing), and what the page did."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
#: Set by .ci/run: a missing browser fails the tests instead of skipping them.
REQUIRE = "PTCE_GRAPH_REQUIRE_BROWSER"
FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--disable-extensions", "--window-size=1400,1000",
    # a name lookup for any host but loopback fails, so a page that tried to fetch from the
    # internet would show it in its console and request log, never reach it
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
)


def need_browser() -> None:
    """Skip (or, with PTCE_GRAPH_REQUIRE_BROWSER=1, fail) when Chromium or Selenium is missing."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the Python package selenium")
    if missing:
        why = f"the browser tests need {', '.join(missing)} (apt-get install chromium chromium-driver)"
        if os.environ.get(REQUIRE) == "1":
            pytest.fail(why + f"; {REQUIRE}=1 forbids skipping them")
        pytest.skip(why)


@contextmanager
def chromium() -> Iterator[Any]:
    """A fresh headless Chromium (empty profile) that logs its console and network requests."""
    need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager: never download a browser or a driver
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tempfile.TemporaryDirectory(prefix="ptce-chromium-")
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile.name}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        driver.set_page_load_timeout(60)
        yield driver
    finally:
        driver.quit()
        profile.cleanup()


def console(driver: Any) -> list[dict[str, Any]]:
    """The console messages since the last call (errors, warnings, logs)."""
    return list(driver.get_log("browser"))


def requests(driver: Any) -> list[tuple[str, str]]:
    """(document URL, requested URL) of every request since the last call, the browser's own
    pages (its new tab page, ``chrome://``) left out."""
    found = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            params = message["params"]
            url = params["request"]["url"]
            if not url.startswith(("chrome://", "chrome-untrusted://", "devtools://")):
                found.append((params.get("documentURL", ""), url))
    return found


def visible(driver: Any, css: str) -> int:
    """How many elements matching ``css`` are displayed (not hidden by a filter)."""
    return int(driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0]))"
        ".filter(e => getComputedStyle(e).display !== 'none').length", css))


def shown_nodes(driver: Any) -> set[str]:
    """The IRIs of the network page's displayed nodes."""
    return set(driver.execute_script(
        "return Array.from(document.querySelectorAll('#nodes [data-node]'))"
        ".filter(e => getComputedStyle(e).display !== 'none').map(e => e.dataset.node)"))


#: Where the screenshots of the pages are kept for the documentation.
GALLERY = Path(__file__).resolve().parent.parent / "docs" / "gallery"


def screenshot(driver: Any, folder: Path, name: str) -> Path:
    """A PNG of the window in ``folder``; with PTCE_GRAPH_UPDATE_DOCS=1, in ``docs/gallery`` too."""
    path = folder / name
    driver.save_screenshot(str(path))
    if os.environ.get("PTCE_GRAPH_UPDATE_DOCS") == "1":
        GALLERY.mkdir(parents=True, exist_ok=True)
        (GALLERY / name).write_bytes(path.read_bytes())
    return path
