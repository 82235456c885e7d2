"""Write a file all at once (a temporary file in the same folder, then one rename), or a folder's
whole set of files at once (a temporary folder beside it, then one swap)."""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import re
import secrets
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from ptce_graph.errors import InputError

__all__ = ["atomic_folder", "atomic_write"]

_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.tmp$")
#: A folder being written (``.new``), or the previous one moved aside (``.old``), by ``atomic_folder``.
_FOLDER_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.(?P<kind>new|old)$")


def _dead(pid: int) -> bool:
    """Whether no process ``pid`` runs (one of another user's counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False
    return False


def _stale_temporary(name: str) -> bool:
    """Whether ``name`` is the temporary file of an ``atomic_write`` whose process was killed."""
    match = _TEMP.match(name)
    return match is not None and _dead(int(match.group("pid")))


def _sweep_stale(path: Path) -> None:
    """Remove temporary files that writers of ``path`` killed before they finished left behind."""
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:
        match = _TEMP.match(name)
        if match and match.group("name") == path.name and _dead(int(match.group("pid"))):
            (path.parent / name).unlink(missing_ok=True)


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


#: Errors of a write that the place, not the work, caused: a full disk, a quota, a file too large.
_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


@contextmanager
def atomic_write(path: Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """Write ``path`` all at once: to a temporary file in the same folder, then rename.

    If the work fails, ``path`` keeps its previous content and the temporary file is removed.
    A symbolic link is written through (its target gets the content, the link stays); a folder,
    a path under a regular file or an unwritable place is an :class:`~ptce_graph.errors.InputError`,
    and so is a full disk, a quota or a size limit reached while writing (``path`` unchanged).
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
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno in _FULL:
            raise InputError.at(path, f"could not be written: {exc.strerror}; nothing was replaced") from exc
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# -- a folder at once ---------------------------------------------------------------------------
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    """glibc's ``renameat2`` (2.28 and later, Linux 3.15 and later), or ``None`` where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (``RENAME_EXCHANGE``); ``False`` where the system or the file
    system cannot (then nothing was done)."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _sweep_stale_folders(target: Path) -> None:
    """Remove the folders that builds of ``target`` killed before they finished left beside it.

    A build killed between moving ``target`` aside and moving the new folder in (only where the
    swap cannot be one step) left no ``target``: the folder it had moved aside is put back.
    """
    try:
        names = sorted(os.listdir(target.parent), key=lambda n: not n.endswith(".old"))
    except OSError:
        return
    for name in names:
        match = _FOLDER_TEMP.match(name)
        if not match or match.group("name") != target.name or not _dead(int(match.group("pid"))):
            continue
        stale = target.parent / name
        if match.group("kind") == "old" and not os.path.lexists(target):
            try:
                os.rename(stale, target)
                continue
            except OSError:
                pass
        shutil.rmtree(stale, ignore_errors=True)


def _link_or_copy(source: str, destination: str) -> None:
    """A hard link (the same file, nothing copied), or a copy where links cannot be made."""
    try:
        os.link(source, destination, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, destination, follow_symlinks=False)


def _carry(previous: Path, staging: Path, written: set[str]) -> None:
    """Put into ``staging`` what ``previous`` holds beside the files the job writes (the user's)."""
    for entry in os.scandir(previous):
        if entry.name in written or _stale_temporary(entry.name):
            continue
        destination = staging / entry.name
        if entry.is_symlink():
            os.symlink(os.readlink(entry.path), destination)
        elif entry.is_dir():
            shutil.copytree(entry.path, destination, symlinks=True, copy_function=_link_or_copy)
        elif entry.is_file():
            _link_or_copy(entry.path, str(destination))
        else:
            raise InputError.at(
                entry.path,
                "neither a file, a folder nor a link (a pipe, a device or a socket): it cannot be carried "
                "into the new folder; move it out (nothing was replaced)",
            )


def _move_late(old: Path, new: Path, written: set[str]) -> None:
    """Move into ``new`` what was added to the previous folder while the job was carrying files."""
    for name in os.listdir(old):
        if name in written or _stale_temporary(name) or os.path.lexists(new / name):
            continue
        try:
            os.rename(old / name, new / name)
        except OSError:
            continue


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap_in(staging: Path, target: Path) -> Path | None:
    """Put ``staging`` at ``target``; the previous folder's new place (``None``: there was none)."""
    if not os.path.lexists(target):
        try:
            os.rename(staging, target)
            return None
        except OSError as exc:
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):  # else: made meanwhile, swap below
                raise
    if _exchange(staging, target):
        return staging
    # without an exchange in one step: for an instant there is no target (never a mix of two);
    # a process killed in that instant leaves the previous folder aside, put back by the next run
    aside = target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.old"
    os.rename(target, aside)
    try:
        os.rename(staging, target)
    except BaseException:
        os.rename(aside, target)
        raise
    return aside


@contextmanager
def atomic_folder(path: str | Path, *, carry: bool = True) -> Iterator[Path]:
    """Replace the folder ``path`` as a whole: files written into the yielded folder appear together.

    The yielded folder is a new hidden folder beside ``path`` (``.NAME.PID.*.new``, on the same file
    system). When the block ends, its files are flushed to disk, the other entries of ``path`` (files
    the job did not write, such as a user's own exports) are carried into it as hard links (copies
    where links cannot be made), it takes the permissions of ``path``, and it is swapped with
    ``path`` in one step (Linux ``renameat2(RENAME_EXCHANGE)``); the previous folder is then
    removed. A reader sees the whole previous set or the whole new one, never a mix. Where the
    swap cannot be one step (no ``renameat2``, a file system without it), ``path`` is moved aside
    and the new folder moved in: for an instant there is no ``path``, still never a mix.

    If the block fails, or the process is killed at any moment (even by SIGKILL), ``path`` is left
    as it was; a killed job's hidden folders are removed by the next run for the same ``path`` (a
    previous folder left aside is put back first). A symbolic link ``path`` stays a link: its target
    folder is replaced. A file of the set that was a link becomes a regular file; a file the job
    writes again keeps its permissions. The folder holding ``path`` must be writable, and ``path``
    can be neither the current folder (nor hold it) nor a file system's root. With ``carry`` false,
    the other entries of ``path`` are not carried: the new folder holds the files written alone
    (for a set that replaces the previous one whole, such as one file per organisation).

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "build"
    >>> with atomic_folder(out) as folder:
    ...     _ = (folder / "a.txt").write_text("one")
    ...     _ = (folder / "b.txt").write_text("two")
    >>> sorted(p.name for p in out.iterdir())
    ['a.txt', 'b.txt']
    """
    path = Path(path)
    target = Path(os.path.realpath(path))  # a link is followed: its target is swapped, the link kept
    cwd = Path(os.path.realpath(os.getcwd()))
    if target.parent == target or target == cwd or target in cwd.parents:
        raise InputError.at(
            path,
            "is the current folder, holds it, or is a root: the output folder is replaced as a whole; "
            "give a folder of its own (e.g. --out build)",
        )
    if target.exists() and not target.is_dir():
        raise InputError.at(path, f"cannot write here: {path} is a file, not a folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _sweep_stale_folders(target)
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            mode = 0o777 & ~_umask()
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.{os.getpid()}.", suffix=".new"))
    except OSError as exc:
        blocking = next((p for p in target.parents if p.exists() and not p.is_dir()), None)
        if blocking is not None:
            raise InputError.at(path, f"cannot write here: {blocking} is a file, not a folder") from exc
        raise InputError.at(
            path, f"cannot write beside this folder (it is written next to it, then swapped in): {exc.strerror or exc}"
        ) from exc
    try:
        yield staging
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if exc.errno in _FULL:
            raise InputError.at(path, f"could not be written: {exc.strerror}; nothing was replaced") from exc
        raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        written = set(os.listdir(staging))
        for name in written:
            if (staging / name).is_file() and not (staging / name).is_symlink():
                _fsync_file(staging / name)
        if target.is_dir():
            for name in written:  # a file written again keeps the permissions it was given
                try:
                    before = os.lstat(target / name)
                except OSError:
                    continue
                if stat.S_ISREG(before.st_mode) and (staging / name).is_file():
                    os.chmod(staging / name, stat.S_IMODE(before.st_mode))
            if carry:
                _carry(target, staging, written)
        os.chmod(staging, mode)
        _fsync_folder(staging)
        old = _swap_in(staging, target)
        _fsync_folder(target.parent)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError.at(path, f"cannot replace this folder: {exc.strerror or exc}") from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if old is not None:
        if carry:
            _move_late(old, target, written)
        shutil.rmtree(old, ignore_errors=True)
