"""Shared fixtures: a tiny valid data folder in the CSV templates, the shipped build, and the
network canary that must see no request during the whole test session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib_prepared
from standins import Canary

from ptce_graph.io.offline import keep_rdflib_sparql_offline

keep_rdflib_sparql_offline()  # rdflib's engine, run by the tests as a reference, never loads FROM graphs

# pyshacl, the reference the compiled validation is checked against, re-parses each SHACL-SPARQL
# query once per focus node; parsing each text once makes its runs several times faster.
rdflib_prepared.install()

#: The environment variable that gives tests and subprocesses the canary's URL.
CANARY_ENV = "PTCE_TEST_CANARY_URL"

MINI = {
    "sources.csv": "id,url,title,publisher,date,type,note\n"
                   "src-a,https://example.org/a,Page A,Example,2020,web-page,\n",
    "ptce.csv": "id,label,alt_labels,territories,founded,legal_form,sectors,cooperation_modes,"
                "reported_member_kinds,homepage,wikidata,confidence,confidence_note,note,sources\n"
                "pole-test,Pôle Test,,commune:26281,2015,association,circular-economy,mutualisation,,,,high,,,src-a\n",
    "actors.csv": "id,label,alt_labels,kind,ess_families,authority_level,siren,siret,rna,wikidata,based_in,"
                  "governs,founded,homepage,confidence,confidence_note,note,sources\n"
                  "coop-a,Coop A,,ess-enterprise,scic,,,,,,commune:26281,,,,high,,,src-a\n"
                  "firm-b,Firm B,,enterprise,,,,,,,,,,,,,,src-a\n"
                  "agglo,CA Valence Romans Agglo,,local-authority,,epci,200068781,,,,,epci:200068781,,,,,,src-a\n",
    "memberships.csv": "id,organisation,member,role,start,end,confidence,confidence_note,note,sources\n"
                       "m1,pole-test,coop-a,carrying-structure,2015,,,,,src-a\n"
                       "m2,pole-test,firm-b,member,2016,2019,,,,src-a\n"
                       "m3,pole-test,agglo,associate,,,,,,src-a\n",
}


def write_folder(folder: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (name -> text) into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def mini_folder(tmp_path: Path) -> Path:
    """A small, valid data folder: one PTCE, three actors, three memberships."""
    return write_folder(tmp_path / "mini", MINI)


@pytest.fixture(scope="session")
def shipped_graph():
    """The shipped dataset, loaded once per test session."""
    from ptce_graph import load

    return load()


@pytest.fixture(scope="session", autouse=True)
def network_canary() -> Iterator[Canary]:
    """A loopback listener that no code may contact, across the whole test session.

    Its URL is in the environment variable ``PTCE_TEST_CANARY_URL`` (inherited by every
    subprocess): the bad-input corpus and the network tests point remote JSON-LD contexts,
    ``FROM``, ``SERVICE`` and XML entities at it. At the end of the session it must have seen
    no connection at all.
    """
    canary = Canary()
    previous = os.environ.get(CANARY_ENV)
    os.environ[CANARY_ENV] = canary.url
    try:
        yield canary
    finally:
        canary.close()
        if previous is None:
            os.environ.pop(CANARY_ENV, None)
        else:
            os.environ[CANARY_ENV] = previous
    assert not canary.hits, f"the network canary {canary.url} was contacted: {canary.hits}"
