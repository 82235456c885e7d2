"""Framed JSON-LD: every PTCE, its members nested with their role and sources, nothing invented."""

from __future__ import annotations

import csv
import json

import pyoxigraph as ox
import pytest

from ptce_graph.errors import InputError
from ptce_graph.graph import open_graph
from ptce_graph.io.framing import frame_document, frame_names, local_document_loader
from ptce_graph.io.ntriples import NTriples
from ptce_graph.io.rdf import CONTEXT_IRI
from ptce_graph.io.serialize import serialize_lines
from ptce_graph.resources import shipped_data_dir


@pytest.fixture(scope="module")
def shipped() -> NTriples:
    return open_graph(with_ontology=False).ntriples


@pytest.fixture(scope="module")
def framed(shipped: NTriples) -> dict:
    return frame_document(shipped)


#: Keys a web page can loop over: arrays whatever the number of values (``@container: @set``).
PLURAL = ("memberships", "relations", "laureateships", "mutualisedResources", "source", "hasMember",
          "hasTerritory", "sector")


def test_every_ptce_is_a_document(shipped: NTriples, framed: dict) -> None:
    ptces = {line.split(" ")[0] for line in shipped.lines if "<https://w3id.org/ptce-graph/ontology#PTCE> ." in line}
    ids = [node["@id"] for node in framed["@graph"]]
    assert len(ids) == len(ptces) > 100
    assert ids == sorted(ids)
    assert {f"<https://w3id.org/ptce-graph/id/{i.removeprefix('pg:')}>" for i in ids} == ptces


def test_memberships_are_nested_with_member_role_and_sources(framed: dict) -> None:
    memberships = [m for ptce in framed["@graph"] for m in ptce.get("memberships", [])]
    assert len(memberships) > 200
    for membership in memberships:
        assert membership["role"].startswith("pgc:role/")
        assert isinstance(membership["member"], dict), membership["@id"]  # embedded, not a reference
        assert "label" in membership["member"]
        for source in membership["source"]:
            assert source["@type"] == "ptce:Source" and "label" in source, membership["@id"]


def test_a_known_ptce_has_exactly_its_members(framed: dict) -> None:
    with (shipped_data_dir() / "memberships.csv").open(encoding="utf-8", newline="") as handle:
        known = {(row["member"], row["role"]) for row in csv.DictReader(handle) if row["organisation"] == "pole-sud"}
    pole = next(p for p in framed["@graph"] if p["@id"] == "pg:ptce/pole-sud")
    members = {
        (m["member"]["@id"].removeprefix("pg:actor/"), m["role"].removeprefix("pgc:role/"))
        for m in pole["memberships"]
    }
    # a working-with role (partner, funder, ...) is an external relation, not a membership
    relations = {
        (r["relatedAgent"]["@id"].removeprefix("pg:actor/"), r["relationRole"].removeprefix("pgc:role/"))
        for r in pole["relations"]
    }
    assert members | relations == known
    assert not members & relations
    assert {role for _, role in relations} == {"partner"}
    assert pole["label"] == {"fr": "Pôle Sud (Groupe Archer)"}
    initiator = next(m for m in pole["memberships"] if m["role"] == "pgc:role/initiator")
    assert initiator["memberDuring"]["startDate"] == {"@type": "xsd:gYear", "@value": "2007"}


def test_plural_keys_are_arrays_even_for_one_value(framed: dict) -> None:
    nested = [n for p in framed["@graph"] for key in PLURAL[:4] for n in p.get(key, [])]
    for node in [*framed["@graph"], *nested]:
        for key in PLURAL:
            assert isinstance(node.get(key, []), list), (node["@id"], key)
    # a PTCE with one membership still gets a list of one
    single = [p for p in framed["@graph"] if len(p.get("memberships", [])) == 1]
    assert single and isinstance(single[0]["memberships"][0], dict)


def test_the_framed_document_says_nothing_the_graph_does_not(shipped: NTriples, framed: dict) -> None:
    data = json.dumps(framed, ensure_ascii=False).encode("utf-8")
    held = NTriples.from_triples(ox.parse(data, ox.RdfFormat.JSON_LD))
    assert set(held.lines) <= set(shipped.lines)
    assert len(held) > len(shipped) / 3


def test_the_document_needs_no_network(framed: dict) -> None:
    """The context is inline; the shipped frames name it by IRI, answered locally."""
    assert CONTEXT_IRI not in json.dumps(framed["@context"])
    with pytest.raises(Exception, match="never fetches"):
        local_document_loader("https://example.org/context.jsonld")


def test_same_graph_same_bytes_and_unknown_frames_refused(shipped: NTriples) -> None:
    assert frame_names() == ("ptce",)
    small = NTriples.from_lines([line for line in shipped.lines if "/ptce/tetris>" in line])
    assert json.dumps(frame_document(small)) == json.dumps(frame_document(small))
    with pytest.raises(InputError, match="unknown frame 'nope'"):
        frame_document(small, "nope")
    assert serialize_lines(small, "jsonld")  # the input of the framing
