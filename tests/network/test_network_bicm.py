"""The BiCM of the memberships: the fit against the PyPI package ``bicm``, p-values by enumeration.

The fixture's membership view (tests/fixtures/network.ttl, all time), actors x PTCEs with members:

               pole-un  pole-deux  pole-trois  pole-quatre
    coop-a        1         1          0           1
    firm-b        1         0          0           1
    agglo-c       1         0          0           0
    asso-f        0         1          0           0
    lycee-g       0         1          1           0
    org-h         0         0          1           0

pole-cinq has no member: it is left out of the model.
"""

from __future__ import annotations

import contextlib
import io
import itertools
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from ptce_graph.cli import main
from ptce_graph.errors import InputError
from ptce_graph.network import bicm_pairs, example_graph, fit_bicm, to_networkx, validated_projection
from ptce_graph.network.bicm import benjamini_hochberg, poisson_binomial_sf

FIXTURE = Path(__file__).parents[1] / "fixtures" / "network.ttl"
A = "https://w3id.org/ptce-graph/id/actor/"
MATRIX = np.array(
    [[1, 1, 0, 1], [1, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 0]], dtype=float
)  # rows coop-a, firm-b, agglo-c, asso-f, lycee-g, org-h


def _reference(matrix: np.ndarray) -> np.ndarray:
    from bicm import BipartiteGraph

    with contextlib.redirect_stdout(io.StringIO()):  # the package prints its progress
        graph = BipartiteGraph(biadjacency=matrix)
        graph.solve_tool()
    return graph.get_bicm_matrix()


def _membership(matrix: np.ndarray) -> nx.Graph:
    """A membership-like graph: actor i in PTCE a when matrix[i, a] = 1."""
    graph = nx.Graph(view="membership")
    graph.add_nodes_from((f"actor{i}", {"bipartite": 0, "kind": "enterprise"}) for i in range(matrix.shape[0]))
    graph.add_nodes_from((f"ptce{a}", {"bipartite": 1, "kind": "ptce"}) for a in range(matrix.shape[1]))
    graph.add_edges_from((f"actor{i}", f"ptce{a}") for i, a in zip(*np.nonzero(matrix), strict=True))
    return graph


def test_fit_matches_the_bicm_package_and_the_degrees() -> None:
    rng = np.random.default_rng(3)
    matrices = [MATRIX] + [(rng.random((12, 7)) < 0.35).astype(float) for _ in range(3)]
    for matrix in matrices:
        fit = fit_bicm(matrix)
        assert np.abs(fit.probabilities.sum(axis=1) - matrix.sum(axis=1)).max() < 1e-8
        assert np.abs(fit.probabilities.sum(axis=0) - matrix.sum(axis=0)).max() < 1e-8
        assert fit.max_error < 1e-8
        assert np.abs(fit.probabilities - _reference(matrix)).max() < 1e-7


def test_fit_of_rows_and_columns_the_degrees_fix() -> None:
    # row 0 is in every PTCE: p = 1; then column 0 has every remaining row: p = 1; row 1 is left
    # with degree 0 in column 1: p = 0. The only matrix with these degrees.
    assert fit_bicm([[1, 1], [1, 0]]).probabilities.tolist() == [[1.0, 1.0], [1.0, 0.0]]
    # an empty row and an empty column get 0, the rest is solved as without them
    padded = np.zeros((7, 5))
    padded[:6, :4] = MATRIX
    fit = fit_bicm(padded)
    assert (fit.probabilities[6] == 0).all() and (fit.probabilities[:, 4] == 0).all()
    assert np.abs(fit.probabilities[:6, :4] - fit_bicm(MATRIX).probabilities).max() < 1e-9
    with pytest.raises(InputError, match="0 and 1"):
        fit_bicm([[2, 0], [0, 1]])


def test_poisson_binomial_tail_equals_enumeration_and_the_package() -> None:
    from bicm.poibin import PoiBin

    q = [0.1, 0.5, 0.25, 0.9, 0.3]
    for observed in range(len(q) + 1):
        exact = sum(
            np.prod([p if bit else 1 - p for p, bit in zip(q, bits, strict=True)])
            for bits in itertools.product((0, 1), repeat=len(q))
            if sum(bits) >= observed
        )
        assert poisson_binomial_sf(q, observed) == pytest.approx(exact, abs=1e-15)
        if observed:
            assert poisson_binomial_sf(q, observed) == pytest.approx(PoiBin(np.array(q)).pval(observed), abs=1e-12)
    # a tiny tail keeps its digits: all of 30 events of probability 0.01
    assert poisson_binomial_sf([0.01] * 30, 30) == pytest.approx(1e-60, rel=1e-9)


def test_fixture_p_value_by_hand() -> None:
    # coop-a and firm-b share pole-un and pole-quatre; V = sum over the four PTCEs of Bernoulli(p_a p_b)
    p = fit_bicm(MATRIX).probabilities
    q = p[0] * p[1]
    tail = sum(
        np.prod([qa if bit else 1 - qa for qa, bit in zip(q, bits, strict=True)])
        for bits in itertools.product((0, 1), repeat=4)
        if sum(bits) >= 2
    )
    table = bicm_pairs(to_networkx(example_graph(), "membership"))
    row = next(r for r in table if (r["node_a"], r["node_b"]) == (A + "coop-a", A + "firm-b"))
    assert row["shared"] == 2 and row["expected"] == pytest.approx(q.sum())
    assert row["p_value"] == pytest.approx(tail, abs=1e-12)
    # pairs sharing a PTCE: pole-un gives a-b, a-c, b-c; pole-deux a-f, a-g, f-g; pole-trois g-h
    assert len(table) == 7 and table.meta["tests"] == "15" and table.meta["nodes"] == "6"
    assert table.meta["links"] == "10" and table.meta["validated"] == "0"


def test_p_value_equals_the_whole_ensemble_enumerated() -> None:
    # every 3 x 3 matrix (2^9), weighted by its BiCM probability: P(rows 0 and 1 share >= 2 columns)
    matrix = np.array([[1, 1, 0], [1, 1, 1], [0, 1, 0]], dtype=float)
    p = fit_bicm(matrix).probabilities
    tail = 0.0
    for bits in itertools.product((0, 1), repeat=9):
        sample = np.array(bits, dtype=float).reshape(3, 3)
        weight = np.prod(np.where(sample == 1, p, 1 - p))
        if sample[0] @ sample[1] >= 2:
            tail += weight
    row = next(r for r in bicm_pairs(_membership(matrix)) if (r["node_a"], r["node_b"]) == ("actor0", "actor1"))
    assert row["shared"] == 2 and row["p_value"] == pytest.approx(tail, abs=1e-12)


def test_benjamini_hochberg_by_hand() -> None:
    # m = 6: thresholds k * 0.05 / 6 = 0.00833, 0.01667, 0.025, ...; p_(3) = 0.02 <= 0.025 is the largest
    assert benjamini_hochberg([0.02, 0.001, 0.3, 0.015], 0.05, 6) == 0.02
    assert benjamini_hochberg([0.02], 0.05, 6) is None
    with pytest.raises(InputError, match="only 1 tests"):
        benjamini_hochberg([0.1, 0.2], 0.05, 1)


def test_a_pair_sharing_many_ptces_is_validated() -> None:
    # 100 PTCEs, each with one member of its own (actors 2..101); actors 0 and 1 both in PTCEs
    # 0-5. 102 actors: 5151 tests; the pair's p-value, 3.6e-6, passes 0.05 / 5151 = 9.7e-6 (the
    # Benjamini-Hochberg threshold of the smallest p-value). The other pairs share one PTCE.
    matrix = np.zeros((102, 100))
    matrix[0, :6] = matrix[1, :6] = 1
    for i in range(100):
        matrix[2 + i, i] = 1
    table = bicm_pairs(_membership(matrix), alpha=0.05)
    assert table.meta["tests"] == "5151"
    validated = [(r["node_a"], r["node_b"]) for r in table if r["validated"]]
    assert validated == [("actor0", "actor1")]
    pair = next(r for r in table if (r["node_a"], r["node_b"]) == ("actor0", "actor1"))
    assert pair["shared"] == 6 and pair["p_value"] == pytest.approx(3.563181e-06, rel=1e-6)
    # the tables round to 12 decimal places; the threshold in the metadata keeps every digit
    assert pair["p_value"] == pytest.approx(float(table.meta["threshold"]), abs=1e-12)
    assert float(table.meta["threshold"]) <= 0.05 / 5151
    projected = validated_projection(_membership(matrix))
    assert projected.number_of_nodes() == 102 and list(projected.edges) == [("actor0", "actor1")]
    assert projected.edges["actor0", "actor1"]["shared"] == 6
    # the PTCE layer: PTCEs 0-5 share actors 0 and 1, 15 pairs
    ptces = bicm_pairs(_membership(matrix), layer="ptce")
    assert ptces.meta["nodes"] == "100" and len(ptces) == 15 and all(r["shared"] == 2 for r in ptces)


def test_bicm_needs_the_membership_view() -> None:
    with pytest.raises(InputError, match="bipartite membership view"):
        bicm_pairs(to_networkx(example_graph(), "co-membership"))
    with pytest.raises(InputError, match="unknown layer"):
        bicm_pairs(to_networkx(example_graph(), "membership"), layer="firm")  # type: ignore[arg-type]


def test_cli_bicm(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["metrics", "--graph", str(FIXTURE), "--measure", "bicm", "--format", "csv"]
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "node_a,label_a,kind_a,node_b,label_b,kind_b,shared,expected,p_value,validated"
    assert len(lines) == 8 and all(line.endswith(",false") for line in lines[1:])
    assert main([*argv, "--view", "ptce"]) == 0
    # PTCEs sharing a member: un-deux and un-quatre (coop-a), deux-quatre (coop-a), deux-trois
    # (lycee-g); un-quatre also share firm-b
    rows = capsys.readouterr().out.splitlines()[1:]
    assert sorted(int(line.split(",")[6]) for line in rows) == [1, 1, 1, 2]
    assert main([*argv, "--view", "relations"]) == 2
    assert "models the memberships" in capsys.readouterr().err
    assert main([*argv, "--alpha", "1.5"]) == 2
    assert "--alpha must be between 0 and 1" in capsys.readouterr().err
