"""The composition of a PTCE under art. 9 of law 2014-856 is counted one way everywhere.

Three places answer "does this PTCE have an ESS enterprise member, a conventional firm member,
and another person of art. 9 among its members or the actors that work with it?": the legal
SHACL profile (``validate``), the canned query ``ptce_composition`` and the PTCE indicators of
``ptce-graph metrics``. They must give the same answer for every PTCE.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from ptce_graph.check.validate import validate
from ptce_graph.network import ptce_indicators
from ptce_graph.query.run import run_query

FIXTURES = Path(__file__).parents[1] / "fixtures"
SHAPE_GROUP = {"pgs:LegalPTCE-essMember": "ess", "pgs:LegalPTCE-enterpriseMember": "enterprise",
               "pgs:LegalPTCE-otherPerson": "other"}
PG = "https://w3id.org/ptce-graph/id/"


def by_validation(graph: Graph) -> dict[str, set[str]]:
    missing: dict[str, set[str]] = {}
    for result in validate(graph).results:
        if result.shape in SHAPE_GROUP:
            missing.setdefault(result.focus.replace("pg:", PG), set()).add(SHAPE_GROUP[result.shape])
    return missing


def by_query(graph: Graph) -> dict[str, set[str]]:
    missing: dict[str, set[str]] = {}
    for row in run_query("ptce_composition", graph=graph).records():
        groups = {g for g, has in (("ess", row["hasEssEnterprise"]), ("enterprise", row["hasEnterprise"]),
                                   ("other", row["hasOtherActor"])) if not has}
        if groups:
            missing[str(row["ptce"])] = groups
    return missing


def by_metrics(graph: Graph) -> dict[str, set[str]]:
    return {row["ptce"]: set(row["law_missing"].split("|")) for row in ptce_indicators(graph)
            if row["law_missing"]}


# (the network fixture is left out: it has no org:hasMember shortcut, which ingest always writes)
@pytest.mark.parametrize("name", ["shipped", "queries.ttl"])
def test_validation_query_and_metrics_agree(name: str, shipped_graph: Graph) -> None:
    graph = shipped_graph if name == "shipped" else Graph().parse(FIXTURES / name)
    shacl, query, metrics = by_validation(graph), by_query(graph), by_metrics(graph)
    assert shacl == query == metrics
    assert shacl, "the data has PTCEs that lack part of the composition: the comparison is not empty"


def test_the_rule_on_the_query_fixture() -> None:
    """Hand-checked on tests/fixtures/queries.ttl: beta has no firm member (lab-d and cress-pdl,
    which work with it, make the other persons); delta has no member at all, but its client
    region-pdl is another person of art. 9."""
    missing = by_query(Graph().parse(FIXTURES / "queries.ttl"))
    assert missing == {PG + "ptce/beta": {"enterprise"}, PG + "ptce/delta": {"ess", "enterprise"}}
