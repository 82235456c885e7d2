"""``ptce-graph serve`` against slow-loris clients: hundreds of half-open requests and a few
that trickle their headers byte by byte do not lock a new client out, and are closed after the
documented timeouts (``IDLE_SECONDS`` of silence, ``REQUEST_SECONDS`` for a whole request)."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from collections.abc import Iterator

import pytest

from ptce_graph.serve.server import IDLE_SECONDS, REQUEST_SECONDS, QueryPool, SparqlApp, create_server

pytestmark = pytest.mark.server

PAYLOAD = b"".join(b'<urn:s%d> <urn:p> "%d" .\n' % (i, i) for i in range(100))
IDLE, TRICKLING = 300, 4


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    """The real waitress server of ``serve`` on 127.0.0.1, an ephemeral port, in a thread."""
    pool = QueryPool(PAYLOAD, workers=2, timeout=5)
    server = create_server(SparqlApp(pool, catalog={}), host="127.0.0.1", port=0, threads=6)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield server.effective_port
    server.close()
    pool.close()


def _closed(sock: socket.socket) -> bool:
    """Whether the server has closed this connection (without waiting)."""
    sock.setblocking(False)
    try:
        return sock.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def test_half_open_and_trickling_clients_do_not_lock_others_out(port: int) -> None:
    started = time.monotonic()
    idle = []
    for _ in range(IDLE):  # a partial request line, then silence
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(b"GET /sparql?query=ASK HTTP/1.1\r\n")
        idle.append(sock)
    trickling = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(TRICKLING)]
    cut_after: dict[int, float] = {}

    def trickle(index: int, sock: socket.socket) -> None:
        # one header byte a second: never silent long enough for the idle timeout
        sock.sendall(b"GET / HTTP/1.1\r\nX-Slow: ")
        opened = time.monotonic()
        sock.settimeout(0.9)
        while time.monotonic() - opened < REQUEST_SECONDS + 6:
            try:
                sock.sendall(b"a")
                if sock.recv(1) == b"":
                    break
            except TimeoutError:
                continue
            except OSError:
                break
        cut_after[index] = time.monotonic() - opened

    tricklers = [threading.Thread(target=trickle, args=item) for item in enumerate(trickling)]
    for thread in tricklers:
        thread.start()
    try:
        asked = time.monotonic()
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", timeout=10
        ) as response:
            assert response.status == 200 and b"true" in response.read()
        fresh = time.monotonic() - asked
        assert fresh < 2, f"a new client waited {fresh:.1f} s behind {IDLE} idle connections"

        time.sleep(max(0.0, IDLE_SECONDS + 3 - (time.monotonic() - started)))
        still_open = sum(not _closed(sock) for sock in idle)
        assert still_open == 0, f"{still_open} of {IDLE} silent connections still open after {IDLE_SECONDS + 3} s"
        for thread in tricklers:
            thread.join()
        # closed once the request has taken REQUEST_SECONDS (checked every second)
        assert len(cut_after) == TRICKLING and all(
            REQUEST_SECONDS - 1 < t < REQUEST_SECONDS + 4 for t in cut_after.values()
        ), cut_after
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D", timeout=10) as response:
            assert response.status == 200
    finally:
        for sock in idle + trickling:
            sock.close()
    print(
        f"\nslow clients: a new client answered in {fresh * 1000:.0f} ms beside {IDLE} half-open and "
        f"{TRICKLING} trickling connections; silent ones closed within {IDLE_SECONDS + 3} s, trickling ones "
        f"after {min(cut_after.values()):.1f}-{max(cut_after.values()):.1f} s"
    )
