"""Local stand-in HTTP servers on 127.0.0.1 that misbehave on purpose (slow, 500, HTML...),
and the network canary: a loopback listener that counts every connection made to it."""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

#: One answer of a stand-in: status, body, extra headers.
Answer = tuple[int, bytes, dict[str, str]]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def standin(status: int = 200, body: bytes = b"", content_type: str = "application/sparql-results+json",
            delay: float = 0.0, headers: dict[str, str] | None = None,
            answers: Sequence[Answer] | None = None) -> Iterator[tuple[str, list[str]]]:
    """Serve canned answers; yields (base URL, request log).

    Every request gets ``(status, body, headers)``, or, with ``answers``, the next answer of
    the sequence (the last one repeats): ``answers=[(503, b"", {"Retry-After": "1"}), (200, body, {})]``.
    """
    log: list[str] = []
    sequence = list(answers) if answers else [(status, body, dict(headers or {}))]
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            with lock:
                log.append(f"{self.command} {self.path}")
                code, payload, extra = sequence[min(len(log), len(sequence)) - 1]
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            if delay:
                time.sleep(delay)
            try:
                self.send_response(code)
                kind = extra.get("Content-Type", content_type)
                self.send_header("Content-Type", kind)
                for key, value in extra.items():
                    if key != "Content-Type":
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = do_POST = do_PUT = _answer

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", log
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Canary:
    """A loopback listener that records every connection made to it (it must see none).

    It answers like a helpful server would (a JSON-LD context that is also empty SPARQL
    results), so that a client that fetched from it would not fail and hide the fetch.
    """

    hits: list[str] = field(default_factory=list)
    url: str = ""

    def __post_init__(self) -> None:
        canary = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                self.request.settimeout(2)
                try:
                    first = self.request.recv(4096).split(b"\r\n", 1)[0].decode("latin-1")
                except OSError:
                    first = "(nothing read)"
                canary.hits.append(f"{self.client_address[0]}:{self.client_address[1]} {first}")
                body = (b'{"@context": {"canary": "urn:canary#"}, "head": {"vars": []}, '
                        b'"results": {"bindings": []}}')
                with contextlib.suppress(OSError):
                    self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/ld+json\r\n"
                                         b"Content-Length: " + str(len(body)).encode() + b"\r\n"
                                         b"Connection: close\r\n\r\n" + body)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        """Stop listening."""
        self._server.shutdown()
        self._server.server_close()


def child_processes() -> list[tuple[int, str]]:
    """The child processes of this one as (pid, state), zombies included, read from /proc."""
    import os
    from pathlib import Path

    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == os.getpid():
            found.append((int(entry), state))
    return found
