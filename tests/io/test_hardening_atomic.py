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


# -- the build's output set, swapped in as a whole ------------------------------------------------
from conftest import MINI, write_folder  # noqa: E402

from ptce_graph.io import atomic  # noqa: E402
from ptce_graph.io.atomic import atomic_folder  # noqa: E402

USER_FILE = "co-membership.gexf"
USER_CONTENT = b"<gexf>a user's own export, which no build may delete</gexf>\n"
SET = {"ptce.ttl", "ptce.jsonld", "ptce.nt", "validation.json", "summary.json", "catalog.ttl"}
#: MINI with one more actor: a build of other data, told apart by its triple count.
MORE = {**MINI, "actors.csv": MINI["actors.csv"] + "firm-c,Firm C,,enterprise,,,,,,,,,,,,,,src-a\n"}

#: A process that warms every cache with two builds, then forks one build per line ``DATA<tab>OUT``
#: read on stdin, writes the child's pid, and its exit code once asked (the next line). A forked
#: build starts at once (a new interpreter would spend seconds importing and compiling the shapes),
#: so many kills fit in a few seconds; the child runs the real ``build``.
SERVER = """
import os, sys
from ptce_graph.publish.build import build
for data in sys.argv[1:3]:
    build([data], sys.argv[3] + "/" + os.path.basename(data))
print("ready", flush=True)
for line in sys.stdin:
    data, out = line.rstrip("\\n").split("\\t")
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            code = 0 if build([data], out).ok else 1
        finally:
            os._exit(code)
    print(pid, flush=True)
    sys.stdin.readline()  # reaped only when asked: until then its pid cannot go to another process
    print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), flush=True)
"""


def _which_build(out: Path, triples: dict[int, str]) -> str:
    """The one build ``out`` holds: every file of the set is there, each export's SHA-256 is the
    one ``summary.json`` lists, and ``validation.json`` agrees with ``summary.json``."""
    import hashlib
    import json

    names = set(os.listdir(out))
    assert names == SET | {USER_FILE}, f"not one whole build: {sorted(names)}"
    summary = json.loads((out / "summary.json").read_bytes())
    for name, digest in summary["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, f"{name} is of another build"
    assert set(summary["files"]) == SET - {"validation.json", "summary.json", "catalog.ttl"}
    # the catalogue describes every other file of the same build, checksum by checksum
    catalogue = (out / "catalog.ttl").read_text(encoding="utf-8")
    for name in SET - {"catalog.ttl"}:
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() in catalogue, "catalog.ttl is of another build"
    validation = json.loads((out / "validation.json").read_bytes())
    assert {key: validation[key] for key in summary["validation"]} == summary["validation"]
    assert (out / "ptce.nt").read_bytes().count(b"\n") == summary["triples"]
    assert (out / USER_FILE).read_bytes() == USER_CONTENT, "the user's file did not survive"
    return triples[summary["triples"]]


def _assert_only_stale_folders_beside(out: Path) -> None:
    for name in set(os.listdir(out.parent)) - {out.name}:
        match = atomic._FOLDER_TEMP.match(name)
        assert match and match.group("name") == out.name, f"left beside the build: {name}"


class _Builds:
    """The fork server of ``SERVER``: ``start`` forks a build, ``result`` reaps it and gives its exit code."""

    def __init__(self, first: Path, second: Path, scratch: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(first), str(second), str(scratch)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self._line() == "ready"

    def _line(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().decode().strip()

    def start(self, data: Path, out: Path) -> int:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{data}\t{out}\n".encode())
        self.process.stdin.flush()
        return int(self._line())

    def result(self) -> int:
        assert self.process.stdin is not None
        self.process.stdin.write(b"reap\n")
        self.process.stdin.flush()
        return int(self._line())

    def close(self) -> None:
        self.process.kill()
        self.process.wait()


def _staging_appears(out: Path, pid: int, inode: int) -> float | None:
    """Poll for build ``pid``'s hidden folder beside ``out``: when it appeared (None: the build
    swapped its folder in before it was seen)."""
    prefix = f".{out.name}.{pid}."
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(name.startswith(prefix) for name in os.listdir(out.parent)):
            return time.monotonic()
        if out.stat().st_ino != inode:
            return None
    raise AssertionError("the build never started writing")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the builds are forked from a warm process")
def test_build_killed_at_random_moments_leaves_one_whole_build(tmp_path: Path) -> None:
    """SIGKILL a build of other data at random moments of its write phase (from the moment its
    hidden folder appears to a little after the swap): ``OUT`` always holds exactly one build, old
    or new, and the user's file in ``OUT`` survives every kill and every build."""
    import random

    from ptce_graph.publish.build import build

    data = {"a": write_folder(tmp_path / "a", MINI), "b": write_folder(tmp_path / "b", MORE)}
    out = tmp_path / "site" / "build"
    triples = {}
    for name in data:
        triples[build([data[name]], tmp_path / f"scratch-{name}").triples] = name
    assert len(triples) == 2, "the two data sets must give builds told apart"
    build([data["a"]], out)
    (out / USER_FILE).write_bytes(USER_CONTENT)
    assert _which_build(out, triples) == "a"
    builds = _Builds(data["a"], data["b"], tmp_path / "warm")
    try:
        # uncounted builds time the write phase: from the hidden folder appearing to the swap
        # (the folder at OUT is another inode once swapped)
        phases = []
        for _ in range(5):
            other = "a" if _which_build(out, triples) == "b" else "b"
            inode = out.stat().st_ino
            pid = builds.start(data[other], out)
            appeared = _staging_appears(out, pid, inode)
            while out.stat().st_ino == inode:
                time.sleep(0.0001)
            swapped = time.monotonic()
            assert builds.result() == 0 and appeared is not None
            phases.append(swapped - appeared)
            assert _which_build(out, triples) == other
        phase = sorted(phases)[2]

        rng = random.Random(20)
        kills = {"before the swap": 0, "after the swap": 0}
        attempts = 30
        for attempt in range(attempts):
            current = _which_build(out, triples)
            other = "a" if current == "b" else "b"
            inode = out.stat().st_ino
            pid = builds.start(data[other], out)
            # spread over the phase and a quarter past it, in order, with jitter
            delay = phase * 1.25 * (attempt + rng.random()) / attempts
            appeared = _staging_appears(out, pid, inode)
            if appeared is not None:
                time.sleep(max(0.0, appeared + delay - time.monotonic()))
                os.kill(pid, signal.SIGKILL)
            code = builds.result()
            holds = _which_build(out, triples)
            if code == -signal.SIGKILL:
                kills["before the swap" if holds == current else "after the swap"] += 1
            else:
                assert code == 0 and holds == other
            _assert_only_stale_folders_beside(out)
    finally:
        builds.close()
    print(f"\nwrite phase {phase * 1000:.1f} ms (median of 5); kills: {kills}")
    assert sum(kills.values()) >= 10, f"only {kills} builds were killed in their write phase"
    assert kills["before the swap"] >= 5, f"too few kills landed while the files were written: {kills}"

    # the next build removes what the killed ones left beside OUT
    before = _which_build(out, triples)
    build([data["a" if before == "b" else "b"]], out)
    assert _which_build(out, triples) != before
    assert os.listdir(out.parent) == ["build"]


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.is_symlink()}


@pytest.fixture
def previous_build(tmp_path: Path) -> Path:
    """A folder holding a build, a user's file, a user's subfolder and a link, with its own permissions."""
    out = tmp_path / "build"
    with atomic_folder(out) as folder:
        for name in SET:
            (folder / name).write_bytes(f"old {name}\n".encode())
    (out / USER_FILE).write_bytes(USER_CONTENT)
    (out / "figures").mkdir()
    (out / "figures" / "membership.svg").write_bytes(b"<svg/>")
    (out / "data").symlink_to(tmp_path)
    (out / "ptce.nt").chmod(0o640)
    out.chmod(0o750)
    return out


def _write_new(folder: Path) -> None:
    for name in SET:
        (folder / name).write_bytes(f"new {name}\n".encode())


def _assert_replaced(out: Path, user_inode: int) -> None:
    assert {name: content for name, content in _outputs(out).items() if name in SET} == {
        name: f"new {name}\n".encode() for name in SET
    }
    assert (out / USER_FILE).read_bytes() == USER_CONTENT
    assert (out / USER_FILE).stat().st_ino == user_inode, "the user's file is carried as a hard link"
    assert (out / "figures" / "membership.svg").read_bytes() == b"<svg/>"
    assert (out / "data").is_symlink()
    assert stat.S_IMODE(out.stat().st_mode) == 0o750
    assert stat.S_IMODE((out / "ptce.nt").stat().st_mode) == 0o640
    assert sorted(os.listdir(out.parent)) == [out.name], "nothing is left beside the folder"


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2-exchange", "rename-aside"])
def test_a_folder_is_replaced_with_the_users_files_kept(
    previous_build: Path, exchange: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if exchange and atomic._renameat2() is None:
        pytest.skip("needs renameat2")
    if not exchange:  # where there is no renameat2: the previous folder moved aside, the new one in
        monkeypatch.setattr(atomic, "_renameat2", lambda: None)
    inode = (previous_build / USER_FILE).stat().st_ino
    with atomic_folder(previous_build) as folder:
        assert folder.parent == previous_build.parent and folder.name.startswith(".build.")
        _write_new(folder)
    _assert_replaced(previous_build, inode)


def test_a_linked_folder_keeps_its_link(previous_build: Path, tmp_path: Path) -> None:
    link = tmp_path / "latest"
    link.symlink_to(previous_build.name)
    inode = (previous_build / USER_FILE).stat().st_ino
    with atomic_folder(link) as folder:
        _write_new(folder)
    assert link.is_symlink() and os.readlink(link) == previous_build.name
    assert (link / "ptce.ttl").read_bytes() == b"new ptce.ttl\n"
    (tmp_path / "latest").unlink()
    _assert_replaced(previous_build, inode)


def test_a_failed_job_leaves_the_folder_as_it_was(previous_build: Path) -> None:
    before = _outputs(previous_build)
    with pytest.raises(RuntimeError), atomic_folder(previous_build) as folder:
        _write_new(folder)
        raise RuntimeError("serialiser failed")
    assert _outputs(previous_build) == before
    assert sorted(os.listdir(previous_build.parent)) == [previous_build.name]


def test_a_build_with_violations_writes_nothing(tmp_path: Path) -> None:
    from ptce_graph.cli import main

    folder = write_folder(tmp_path / "data", MINI)
    out = tmp_path / "out"
    assert main(["build", "--data", str(folder), "--out", str(out), "-q"]) == 0
    (out / USER_FILE).write_bytes(USER_CONTENT)
    before = _outputs(out)
    (folder / "extra.ttl").write_text(
        "@prefix ptce: <https://w3id.org/ptce-graph/ontology#> .\n"
        "<https://w3id.org/ptce-graph/id/ptce/ghost> a ptce:PTCE .\n",
        encoding="utf-8",
    )
    assert main(["build", "--data", str(folder), "--out", str(out), "-q"]) == 1
    assert _outputs(out) == before
    assert sorted(os.listdir(tmp_path)) == ["data", "out"]


def test_what_killed_jobs_left_is_swept(previous_build: Path) -> None:
    """A killed job's new folder is removed; a previous folder it had moved aside (no folder in its
    place: killed between the two renames of the fallback) is put back first."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    parent, name = previous_build.parent, previous_build.name
    (parent / f".{name}.{dead.pid}.x1y2.new").mkdir()
    (parent / f".{name}.{dead.pid}.x1y2.new" / "ptce.ttl").write_bytes(b"half")
    (parent / f".{name}.{os.getpid()}.alive.new").mkdir()  # a running job's: kept
    before = _outputs(previous_build)
    previous_build.rename(parent / f".{name}.{dead.pid}.a1b2.old")
    atomic._sweep_stale_folders(previous_build)
    assert _outputs(previous_build) == before
    assert sorted(os.listdir(parent)) == sorted([name, f".{name}.{os.getpid()}.alive.new"])


@pytest.mark.parametrize("where", ["current", "parent-of-current"])
def test_the_current_folder_is_refused(where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ptce_graph.errors import InputError

    (tmp_path / "build" / "inner").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "build" / ("inner" if where == "parent-of-current" else ""))
    with pytest.raises(InputError, match="is the current folder, holds it"), atomic_folder(tmp_path / "build"):
        pass
    assert sorted(os.listdir(tmp_path)) == ["build"]


# -- a full disk: an error line, the previous output kept ----------------------------------------
#: The size limit each command below runs under (RLIMIT_FSIZE): writes past it fail with EFBIG,
#: as a full disk fails with ENOSPC (Python ignores SIGXFSZ, so the write fails, not the process).
FILE_LIMIT = 64 * 1024


def _limited(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))

    return subprocess.run([sys.executable, "-m", "ptce_graph", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, preexec_fn=limit)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the size limit is set in the child before it runs")
@pytest.mark.parametrize("args, out", [
    (["export", "--format", "nt", "--out", "ptce.nt"], "ptce.nt"),
    (["export", "--format", "graphml", "--view", "membership", "--out", "net.graphml"], "net.graphml"),
    (["build", "--out", "build", "-q"], "build"),
    (["docs", "--out", "docs", "--lang", "en"], "docs"),
], ids=["export-nt", "export-graphml", "build", "docs-folder"])
def test_a_write_the_disk_refuses_is_an_error_line_and_nothing_is_replaced(tmp_path: Path, args: list[str],
                                                                          out: str) -> None:
    target = tmp_path / out
    if args[0] in ("build", "docs"):
        target.mkdir()
        (target / "notes.txt").write_bytes(b"a file of the user's, kept\n")
        before = {p.name: p.read_bytes() for p in target.iterdir()}
    else:
        target.write_bytes(PREVIOUS)
    done = _limited(args, tmp_path)
    assert done.returncode == 2, done.stderr
    assert f"error: {out}: could not be written: File too large; nothing was replaced" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    if target.is_dir():
        assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    else:
        assert target.read_bytes() == PREVIOUS
    assert sorted(p.name for p in tmp_path.iterdir()) == [out], "no temporary file or folder left"
