"""A child process of :mod:`.engine`: one share of an igraph computation (run as a script).

It reads ``(measure, vertex count, edges, share)`` pickled on stdin and writes the measure's
values for that share pickled on stdout. It imports igraph only (not ptce_graph), so that it
starts in a fraction of a second.
"""

from __future__ import annotations

import pickle
import sys
from array import array


def compute(measure: str, vertices: int, edges: bytes, share: list[int]) -> list[float]:
    """One share of a measure: betweenness from some sources, or closeness of some vertices."""
    import igraph

    flat = array("q")
    flat.frombytes(edges)
    graph = igraph.Graph(n=vertices, edges=list(zip(flat[0::2], flat[1::2])), directed=False)
    if measure == "betweenness":
        return list(graph.betweenness(directed=False, sources=share))
    if measure == "closeness":
        return list(graph.closeness(vertices=share, normalized=True))
    raise ValueError(f"unknown measure {measure!r}")


def main() -> int:
    measure, vertices, edges, share = pickle.load(sys.stdin.buffer)
    pickle.dump(compute(measure, vertices, edges, share), sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
