"""Write a file all at once: a temporary file in the same folder, then one rename."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from ptce_graph.errors import InputError

__all__ = ["atomic_write"]

_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.tmp$")


def _sweep_stale(path: Path) -> None:
    """Remove temporary files that writers of ``path`` killed before they finished left behind."""
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:
        match = _TEMP.match(name)
        if not match or match.group("name") != path.name:
            continue
        try:
            os.kill(int(match.group("pid")), 0)
        except ProcessLookupError:
            (path.parent / name).unlink(missing_ok=True)
        except (PermissionError, OverflowError):
            continue


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it: put it back at once
    os.umask(mask)
    return mask


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_write(path: Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """Write ``path`` all at once: to a temporary file in the same folder, then rename.

    If the work fails, ``path`` keeps its previous content and the temporary file is removed.
    A symbolic link is written through (its target gets the content, the link stays); a folder,
    a path under a regular file or an unwritable place is an :class:`~ptce_graph.errors.InputError`.
    A writer killed part way (SIGKILL) leaves ``path`` untouched and a hidden
    ``.NAME.PID.*.tmp`` file, which the next write of the same file removes. The file keeps
    the permissions of the file it replaces (new files: ``0666`` less the umask).

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(p, "w") as handle:
    ...     _ = handle.write("done")
    >>> p.read_text()
    'done'
    """
    path = Path(path)
    if path.is_symlink():  # write the file the link points to, and keep the link
        path = Path(os.path.realpath(path))
    if path.is_dir():
        raise InputError.at(path, "is a folder: give a file name to write")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _sweep_stale(path)
        try:
            file_mode = path.stat().st_mode & 0o777
        except OSError:
            file_mode = 0o666 & ~_umask()
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    except OSError as exc:
        blocking = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
        if blocking is not None:
            raise InputError.at(path, f"cannot write here: {blocking} is a file, not a folder") from exc
        raise InputError.at(path, f"cannot write here: {exc.strerror or exc}") from exc
    tmp = Path(name)
    try:
        options: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}
        with os.fdopen(fd, mode, **options) as handle:
            yield handle
            handle.flush()
            os.fchmod(handle.fileno(), file_mode)
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        _fsync_folder(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
