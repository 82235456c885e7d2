"""The naive baseline is ptce-graph itself at commit :data:`COMMIT`, taken from git history.

The benchmark keeps no copy of the old code: :func:`extract` writes the package as it was at
that commit (``ptce_graph``, ``ontology``, ``shapes``, ``queries``, ``data``) into a temporary
folder with ``git archive``, and the naive worker runs with that folder first on its path, so
that ``import ptce_graph`` there is the old package: CSV to an rdflib graph, pyshacl, rdflib's
serialisers, its embedded Oxigraph store for SPARQL, plain NetworkX for the views and measures.

In a clone without that commit (a shallow CI clone, a source archive) :func:`extract` says
why it cannot, and the runner skips the naive baseline and runs everything else.
"""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

__all__ = ["COMMIT", "extract", "old_columns"]

#: ptce-graph before its fast path (rdflib graphs, pyshacl, rdflib's serialisers).
COMMIT = "fec0978"

_PARTS = ("ptce_graph", "ontology", "shapes", "queries", "data")


def extract(repo: Path, folder: Path) -> str | None:
    """Write the package at :data:`COMMIT` into ``folder``; ``None`` when done, else the reason it could not."""
    found = subprocess.run(["git", "-C", str(repo), "cat-file", "-e", f"{COMMIT}^{{commit}}"],
                           capture_output=True, text=True, check=False)
    if found.returncode != 0:
        shallow = subprocess.run(["git", "-C", str(repo), "rev-parse", "--is-shallow-repository"],
                                 capture_output=True, text=True, check=False).stdout.strip() == "true"
        why = "this is a shallow clone (git fetch --unshallow brings it)" if shallow else \
            "it is not in this checkout's git history"
        return f"the baseline commit {COMMIT} is missing: {why}"
    folder.mkdir(parents=True, exist_ok=True)
    archive = subprocess.Popen(["git", "-C", str(repo), "archive", COMMIT, *_PARTS], stdout=subprocess.PIPE)
    untar = subprocess.run(["tar", "-x", "-C", str(folder)], stdin=archive.stdout, capture_output=True, text=True,
                           check=False)
    assert archive.stdout is not None
    archive.stdout.close()
    if archive.wait() != 0 or untar.returncode != 0:
        return f"git archive {COMMIT} could not be extracted: {untar.stderr.strip() or 'git archive failed'}"
    return None


def old_columns(source: Path, target: Path, tables: dict[str, tuple[str, ...]]) -> Path:
    """A copy of the CSV folder ``source`` with only the columns the old reader knows (``tables``).

    The old reader refuses a column it does not know; the columns added since (``replaces``
    of actors, ``date_sources`` of memberships) are empty in the synthetic data, so dropping
    them loses no value. Made once, untimed.
    """
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            known = tables.get(path.name)
            columns = [c for c in reader.fieldnames or [] if known is None or c in known]
            rows = list(reader)
        with (target / path.name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, columns, extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return target
