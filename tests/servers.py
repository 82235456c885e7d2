"""Real SPARQL servers on loopback for integration tests: Oxigraph (PyPI) and Virtuoso (Debian)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from standins import free_port


def _wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode} before answering {url}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answers, even if with an error status
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer {url} within {seconds:g} s")


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` command of the PyPI package ``oxigraph`` (a test dependency)."""
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


@contextmanager
def oxigraph_server(workdir: Path) -> Iterator[str]:
    """Start ``oxigraph serve`` on a free loopback port; yields its base URL."""
    binary = oxigraph_binary()
    if binary is None:
        raise RuntimeError("the oxigraph server is not installed: pip install oxigraph")
    port = free_port()
    process = subprocess.Popen([binary, "serve", "--location", str(workdir / "oxigraph-db"),
                                "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def virtuoso_binary() -> str | None:
    """``virtuoso-t`` from the Debian package ``virtuoso-opensource``, if installed."""
    return shutil.which("virtuoso-t")


@contextmanager
def virtuoso_server(workdir: Path) -> Iterator[str]:
    """Start Virtuoso on free loopback ports with a private database; yields its base URL."""
    binary = virtuoso_binary()
    template = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
    if binary is None or not template.exists():
        raise RuntimeError("Virtuoso is not installed (Debian package virtuoso-opensource)")
    db = workdir / "virtuoso"
    db.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    lines = []
    for line in template.read_text().splitlines():
        key = line.split("=", 1)[0].strip()
        if key == "ServerPort" and ("1111" in line):
            line = f"ServerPort = 127.0.0.1:{sql_port}"
        elif key == "ServerPort" and "8890" in line:
            line = f"ServerPort = 127.0.0.1:{http_port}"
        elif key == "DirsAllowed":
            line = f"DirsAllowed = ., {db}, /usr/share/virtuoso-opensource-7/vad"
        line = line.replace("/var/lib/virtuoso-opensource-7/db", str(db))
        lines.append(line)
    ini = db / "virtuoso.ini"
    ini.write_text("\n".join(lines) + "\n")
    process = subprocess.Popen([binary, "-f", "-c", str(ini)], cwd=db, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env={**os.environ})
    base = f"http://127.0.0.1:{http_port}"
    try:
        _wait_for(base + "/sparql?query=ASK%7B%7D", process, seconds=120)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def tree_rss_mib(pid: int) -> tuple[float, int]:
    """Resident memory (MiB) of a process and its descendants, summed, and how many they are."""
    total, count = 0, 0
    for member in process_tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
                    count += 1
        except OSError:
            continue
    return total / 1024, count
