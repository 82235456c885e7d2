"""Outputs are written atomically: a process killed (SIGKILL) part way through an export leaves
the previous file byte-identical and no temporary file behind."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ptce_graph.io.atomic import atomic_write

PREVIOUS = b"<urn:previous> <urn:export> \"the previous export, which must survive\" .\n"
TRIPLES = 60_000


@pytest.fixture(scope="module")
def big_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated N-Triples file big enough for an export to take seconds."""
    path = tmp_path_factory.mktemp("big") / "big.nt"
    with path.open("w", encoding="utf-8") as handle:
        for i in range(TRIPLES):
            handle.write(f'<https://w3id.org/ptce-graph/id/actor/a{i}> '
                         f'<http://www.w3.org/2000/01/rdf-schema#label> "Acteur n° {i}, Pôle Énergie"@fr .\n')
    return path


def _writing(pid: int, folder: Path) -> bool:
    """Whether process ``pid`` has a file of ``folder`` open (its temporary output)."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith(f"{folder}/"):
            return True
    return False


def _export(graph: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "ptce_graph", "export", "--graph", str(graph), "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _assert_only_temporary_left(out: Path) -> None:
    """Beside the target, only a killed writer's hidden temporary file, which the next write removes."""
    others = set(os.listdir(out.parent)) - {out.name}
    assert all(name.startswith(f".{out.name}.") and name.endswith(".tmp") for name in others), others
    content = out.read_bytes()
    with atomic_write(out) as handle:
        handle.write(content)
    assert sorted(os.listdir(out.parent)) == [out.name], "the next write removes what a killed writer left"


def _assert_intact(out: Path) -> None:
    """The previous content is there; the only other file is the killed writer's hidden
    temporary file (``.NAME.PID.*.tmp``), which the next write of the same file removes."""
    assert out.read_bytes() == PREVIOUS
    _assert_only_temporary_left(out)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see the child's open files")
@pytest.mark.parametrize("suffix", [".nt", ".ttl"])
def test_export_killed_while_writing_keeps_the_previous_file(big_graph: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / "out" / f"ptce{suffix}"
    out.parent.mkdir()
    caught = 0
    for _ in range(3):
        out.write_bytes(PREVIOUS)
        process = _export(big_graph, out)
        while process.poll() is None:
            if _writing(process.pid, out.parent):
                process.send_signal(signal.SIGKILL)
                caught += 1
                break
        process.wait(timeout=120)
        if process.returncode == -signal.SIGKILL:
            _assert_intact(out)
        if caught:
            break
        out.unlink()
    assert caught, "the export finished before it could be killed while writing"


def test_export_killed_at_any_moment_keeps_the_previous_file(big_graph: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "ptce.nt"
    out.parent.mkdir()
    started = time.monotonic()
    full = _export(big_graph, out)
    assert full.wait(timeout=300) == 0
    duration = time.monotonic() - started
    complete = out.read_bytes()
    assert complete.count(b"\n") == TRIPLES and sorted(os.listdir(out.parent)) == [out.name]
    for fraction in (0.25, 0.5, 0.75, 0.9, 0.97):
        out.write_bytes(PREVIOUS)
        process = _export(big_graph, out)
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        # killed before the rename: the previous file; after it (or finished): the complete one
        assert out.read_bytes() in (PREVIOUS, complete), f"a partial file after a kill at {fraction:.0%}"
        _assert_only_temporary_left(out)


CHILD = """
import sys, time
from pathlib import Path
import ptce_graph.io.atomic as atomic
with atomic.atomic_write(Path(sys.argv[1])) as handle:
    handle.write(b"half of the new content " * 40000)
    handle.flush()
    print("writing", flush=True)
    time.sleep(60)
"""


def test_writer_killed_mid_write(tmp_path: Path) -> None:
    """``atomic_write`` itself, killed after writing half: the file keeps its content, and the
    temporary file the killed writer left is removed by the next write."""
    out = tmp_path / "out.nt"
    out.write_bytes(PREVIOUS)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(out)], stdout=subprocess.PIPE)
    assert child.stdout is not None and child.stdout.readline() == b"writing\n"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert out.read_bytes() == PREVIOUS
    assert len(set(os.listdir(tmp_path)) - {out.name}) == 1, "the killed writer left its temporary file"
    with atomic_write(out) as handle:
        handle.write(b"new\n")
    assert out.read_bytes() == b"new\n"
    assert sorted(os.listdir(tmp_path)) == [out.name], "the next write removes what a killed writer left"


def test_failed_write_keeps_the_previous_file(tmp_path: Path) -> None:
    out = tmp_path / "out.nt"
    out.write_bytes(PREVIOUS)
    with pytest.raises(RuntimeError):
        with atomic_write(out) as handle:
            handle.write(b"partial")
            raise RuntimeError("serialiser failed")
    _assert_intact(out)


def test_permissions_follow_the_umask_or_the_replaced_file(tmp_path: Path) -> None:
    """A temporary file is private (0600); the output must not be."""
    previous = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.nt"
        with atomic_write(fresh) as handle:
            handle.write(b"x")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        kept = tmp_path / "kept.nt"
        kept.write_bytes(b"old")
        kept.chmod(0o640)
        with atomic_write(kept) as handle:
            handle.write(b"new")
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    finally:
        os.umask(previous)


def test_a_symlink_is_written_through(tmp_path: Path) -> None:
    target = tmp_path / "target.nt"
    target.write_bytes(PREVIOUS)
    link = tmp_path / "link.nt"
    link.symlink_to(target)
    with atomic_write(link) as handle:
        handle.write(b"new\n")
    assert link.is_symlink() and target.read_bytes() == b"new\n"


@pytest.mark.parametrize("where, message", [
    ("folder", "is a folder: give a file name to write"),
    ("under-a-file", "is a file, not a folder"),
])
def test_unwritable_places_are_input_errors(where: str, message: str, tmp_path: Path) -> None:
    from ptce_graph.cli import main
    from ptce_graph.errors import InputError

    (tmp_path / "plain").write_bytes(PREVIOUS)
    out = tmp_path if where == "folder" else tmp_path / "plain" / "x.nt"
    with pytest.raises(InputError, match=message), atomic_write(out) as handle:
        handle.write(b"x")
    assert main(["export", "--format", "nt", "--out", str(out)]) == 2
    assert (tmp_path / "plain").read_bytes() == PREVIOUS
