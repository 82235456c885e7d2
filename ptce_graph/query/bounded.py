"""Run one piece of work in a child process held to a deadline, a memory bound and a capped answer.

pyoxigraph evaluates a query in Rust and returns to Python only when it is done: nothing in
the process that started it can interrupt it. A bounded query therefore runs in a child, a
``fork`` of this process: the store is already in memory there (shared page by page until
written, so a fork costs milliseconds, not a reload), and the parent waits for the answer until
the deadline, then kills the child and reaps it. The child also sets limits of its own, which
hold even if the parent dies first: its address space may grow by at most the memory bound
(``RLIMIT_AS``; past it an allocation fails and Rust aborts the child), its processor time
stops a second past the deadline (``RLIMIT_CPU``), and it writes no core file. The answer goes
into a :class:`CappedOutput`, which refuses to grow past the result bound, and only then to the
parent through a pipe.

``serve`` keeps workers alive between queries (spawned, each with its own store) and uses
:class:`CappedOutput` and :func:`limit_memory` from here for the same bounds.

Where there is no ``fork`` (Windows), the work runs in this process and the bounds are not
applied: a :class:`RuntimeWarning` says so. The memory bound needs Linux (``/proc``, and an
enforced ``RLIMIT_AS``).
"""

from __future__ import annotations

import faulthandler
import gc
import math
import os
import pickle
import select
import signal
import struct
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

from ptce_graph.errors import InputError

__all__ = [
    "MIB",
    "QUERY_MEMORY",
    "QUERY_RESULT",
    "Bounds",
    "CappedOutput",
    "QueryBoundError",
    "limit_memory",
    "run_bounded",
]

_T = TypeVar("_T")
#: Bytes in a mebibyte, the unit of the command line's size options.
MIB = 1024 * 1024
#: The command line's memory bound of a local query (``--max-memory``): bytes beyond the graph.
QUERY_MEMORY = 2048 * MIB
#: The command line's bound on a query's answer (``--max-result``), local or from an endpoint:
#: the endpoint client's own bound (``io.http.MAX_RESPONSE_BYTES``, not imported here: ``serve``'s
#: workers import this module and need no HTTP client).
QUERY_RESULT = 256 * MIB
_HEADER = struct.Struct("<Q")
#: Exit code of a child that could not even report its failure (out of memory while reporting).
_EXIT_UNREPORTED = 70

BoundName = Literal["timeout", "max_memory", "max_result"]


def _size(count: int) -> str:
    """A number of bytes as the options give it (MiB), in bytes when below a KiB.

    Examples
    --------
    >>> _size(256 * MIB), _size(1536), _size(100)
    ('256 MiB', '0.001465 MiB', '100 bytes')
    """
    return f"{count / MIB:.4g} MiB" if count >= 1024 else f"{count} bytes"


class QueryBoundError(InputError):
    """A query stopped at one of its bounds: ``bound`` is ``timeout``, ``max_memory`` or ``max_result``.

    The message names the command-line option that raises the bound (``--timeout``,
    ``--max-memory``, ``--max-result``); in Python, the keyword argument of the same name.
    """

    def __init__(self, bound: BoundName, message: str) -> None:
        super().__init__(message)
        self.bound: BoundName = bound


@dataclass(frozen=True)
class Bounds:
    """The bounds of one piece of work; ``None`` leaves that one unbounded.

    Parameters
    ----------
    timeout
        Seconds the work may run (wall clock) before its process is killed.
    memory
        Bytes by which the child's address space may grow past what it shares with its parent
        (the loaded graph, the interpreter): the memory the work itself may take.
    result
        Bytes the work may write as its answer.

    Examples
    --------
    >>> bool(Bounds()), bool(Bounds(timeout=2.5))
    (False, True)
    >>> Bounds(memory=0)
    Traceback (most recent call last):
    ...
    ptce_graph.errors.InputError: the memory bound must be a positive number of bytes, not 0
    """

    timeout: float | None = None
    memory: int | None = None
    result: int | None = None

    def __post_init__(self) -> None:
        if self.timeout is not None and not 0 < self.timeout < 1e9:  # also refuses nan and inf
            raise InputError(f"the time limit must be a positive, finite number of seconds, not {self.timeout!r}")
        for name, value in (("memory", self.memory), ("result", self.result)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
                raise InputError(f"the {name} bound must be a positive number of bytes, not {value!r}")

    def __bool__(self) -> bool:
        return any(value is not None for value in (self.timeout, self.memory, self.result))

    def timeout_error(self) -> QueryBoundError:
        """The error of work stopped at the time limit."""
        return QueryBoundError(
            "timeout", f"the query ran past the {self.timeout:g} s time limit and was stopped (raise it with --timeout)"
        )

    def memory_error(self) -> QueryBoundError:
        """The error of work that needed more memory than its bound."""
        amount = _size(self.memory) if self.memory else "the memory available"
        return QueryBoundError(
            "max_memory", f"the query needed more than {amount} of memory and was stopped (raise it with --max-memory)"
        )

    def result_error(self) -> QueryBoundError:
        """The error of work whose answer outgrew its bound."""
        return QueryBoundError(
            "max_result",
            f"the query's answer is larger than {_size(self.result or 0)} (raise it with --max-result, or add a LIMIT)",
        )


class CappedOutput:
    """A write-only sink that refuses to grow past ``limit`` bytes (``None``: no limit).

    Examples
    --------
    >>> out = CappedOutput(4)
    >>> out.write(b"abc")
    3
    >>> out.write(b"de")
    Traceback (most recent call last):
    ...
    OSError: result too large
    >>> out.overflow, b"".join(out.parts)
    (True, b'abc')
    """

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.size = 0
        self.parts: list[bytes] = []
        self.overflow = False

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.limit is not None and self.size > self.limit:
            self.overflow = True
            raise OSError("result too large")
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        return None


def limit_memory(limit: int | None) -> None:  # pragma: no cover - runs in a child process
    """Limit this process's address space to ``limit`` bytes (never above the hard limit)."""
    if not limit:
        return
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space() -> int | None:  # pragma: no cover - runs in a child process
    """This process's address space in bytes (Linux), or ``None`` where it cannot be read."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _child_limits(bounds: Bounds) -> None:  # pragma: no cover - runs in a child process
    import resource

    # a child stopped at its processor-time bound must not leave a core file of the graph behind
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if bounds.timeout is not None:
        # the parent kills the child at the deadline; this bound stops it even if the parent died
        seconds = math.ceil(bounds.timeout) + 1
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        if hard != resource.RLIM_INFINITY:
            seconds = min(seconds, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, hard))
    if bounds.memory is not None:
        size = _address_space()
        if size is not None:
            limit_memory(size + bounds.memory)


def _write_all(fd: int, data: bytes) -> None:  # pragma: no cover - runs in a child process
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _child(work: Callable[[CappedOutput], object], bounds: Bounds, fd: int) -> None:  # pragma: no cover
    """Run ``work`` and send its outcome: a pickled (kind, value) header, then the answer's bytes."""
    # the child lives for one piece of work: scanning the parent's objects would only copy pages
    gc.disable()
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    # a fault handler inherited from the parent (pytest's, python -X faulthandler) writes to the
    # parent's terminal: the child's end is reported by the parent, in one line
    faulthandler.disable()
    output = CappedOutput(bounds.result)
    outcome: tuple[str, object]
    try:
        _child_limits(bounds)
        outcome = ("ok", work(output))
    except MemoryError:
        outcome = ("memory", None)
    except BaseException as exc:  # every failure goes back to the parent, which raises it
        if output.overflow:
            outcome = ("result", None)
        else:
            try:
                pickle.dumps(exc)
                outcome = ("error", exc)
            except Exception:
                outcome = ("error", RuntimeError(f"{type(exc).__name__}: {exc}"))
    try:
        header = pickle.dumps(outcome)
    except Exception as exc:  # a value that cannot cross to the parent is a bug of the caller
        outcome = ("error", RuntimeError(f"the answer cannot be sent back: {type(exc).__name__}: {exc}"))
        header = pickle.dumps(outcome)
    if outcome[0] != "ok":
        output.parts.clear()
    _write_all(fd, _HEADER.pack(len(header)) + header)
    for part in output.parts:
        _write_all(fd, part)


def _read_until(fd: int, data: bytearray, deadline: float | None) -> bool:
    """Read ``fd`` into ``data`` until its end (True) or the deadline (False)."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    while True:
        wait: int | None = None
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            wait = max(1, math.ceil(left * 1000))
        if not poller.poll(wait):
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return True
        data += chunk


def run_bounded(work: Callable[[CappedOutput], _T], bounds: Bounds) -> tuple[_T, bytes]:
    """Run ``work`` in a forked child under ``bounds``: what it returns, and the bytes it wrote.

    ``work`` writes its answer to the :class:`CappedOutput` it is given and returns a small
    picklable value (say, the query form). An exception it raises is raised here; past a bound,
    a :class:`QueryBoundError`. The child is always gone when this returns or raises (killed
    if needed, and reaped), also when the wait is interrupted (Ctrl-C).

    Call it from one thread at a time: a fork copies only the calling thread.

    Examples
    --------
    >>> def answer(out: CappedOutput) -> str:
    ...     out.write(b"42")
    ...     return "number"
    >>> run_bounded(answer, Bounds(timeout=5))
    ('number', b'42')
    >>> run_bounded(lambda out: time.sleep(60), Bounds(timeout=0.2))
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ptce_graph.query.bounded.QueryBoundError: the query ran past the 0.2 s time limit and was stopped ...
    """
    if not hasattr(os, "fork"):  # pragma: no cover - Windows
        warnings.warn("no fork on this system: the query runs without its bounds", RuntimeWarning, stacklevel=2)
        output = CappedOutput(None)
        return work(output), b"".join(output.parts)
    read_fd, write_fd = os.pipe()
    with tempfile.TemporaryFile() as errors:
        with warnings.catch_warnings():
            # Python 3.12 warns about forking a threaded process: a lock another thread held at
            # the fork stays held in the child. The child takes few locks, and the deadline ends
            # it should one of them be such a lock; hence "one thread at a time" above
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns from this branch
            try:
                os.close(read_fd)
                # the engine's own last words (Rust's "memory allocation of N bytes failed")
                os.dup2(errors.fileno(), 2)
                _child(work, bounds, write_fd)
                os._exit(0)
            finally:
                os._exit(_EXIT_UNREPORTED)
        os.close(write_fd)
        data, finished = bytearray(), False
        deadline = None if bounds.timeout is None else time.monotonic() + bounds.timeout
        try:
            finished = _read_until(read_fd, data, deadline)
        finally:
            os.close(read_fd)
            if not finished:
                os.kill(pid, signal.SIGKILL)  # not yet reaped, so the pid is still this child's
            _, status = os.waitpid(pid, 0)
        if not finished:
            raise bounds.timeout_error()
        errors.seek(0)
        last_words = errors.read()[-4096:].decode("utf-8", "replace")
    return _outcome(data, status, last_words, bounds)


def _outcome(data: bytearray, status: int, last_words: str, bounds: Bounds) -> tuple[_T, bytes]:
    """What the child sent, or the error its end says."""
    if len(data) >= _HEADER.size:
        (size,) = _HEADER.unpack_from(data)
        start = _HEADER.size + size
        if len(data) >= start:
            kind, value = pickle.loads(data[_HEADER.size : start])  # our own child wrote it
            if kind == "ok":
                return value, bytes(memoryview(data)[start:])
            if kind == "memory":
                raise bounds.memory_error()
            if kind == "result":
                raise bounds.result_error()
            raise value
    if "memory allocation of" in last_words or (os.WIFEXITED(status) and os.WEXITSTATUS(status) == _EXIT_UNREPORTED):
        raise bounds.memory_error()
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU and bounds.timeout is not None:
        raise bounds.timeout_error()
    how = (
        f"signal {signal.Signals(os.WTERMSIG(status)).name}"
        if os.WIFSIGNALED(status)
        else f"exit status {os.WEXITSTATUS(status)}"
    )
    words = last_words.strip().splitlines()
    raise InputError(f"the query's process ended without an answer ({how})" + (f": {words[-1]}" if words else ""))
