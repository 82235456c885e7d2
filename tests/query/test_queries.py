"""The canned queries of ``queries/``: known answers on a hand-made fixture, headers, bindings.

Every canned query has known-answer cases in ``CASES``, run on ``tests/fixtures/queries.ttl``
(a small fictional graph whose comments draw the whole world). The expected rows are worked
out by hand; the reasoning is written next to each. Then:

- every query parses (pyoxigraph without a prefix map, so every prefix is declared in the file;
  and rdflib's SPARQL 1.1 parser), its declared ``returns`` are its projected columns, its
  declared params are variables of its text, and each SELECT has an ORDER BY;
- "bind, never format": each parametrised case gives the same rows through our ``VALUES``
  binding on Oxigraph and through rdflib's own engine with ``initBindings``;
- hostile parameter values are plain values (or refused, for IRIs), and nothing is changed;
- a few checks on the shipped data, where the sources give the answer.

Cells are compared as Python values: IRIs in the project namespaces as CURIEs (``pg:``,
``pgc:``, ``ptce:``), integers as ``int``, decimals as ``Decimal``, booleans as ``bool``, dates
by their lexical form, and " | "-separated cells (GROUP_CONCAT, whose order SPARQL leaves
unspecified) with their parts sorted.
"""

from __future__ import annotations

import csv
import itertools
import re
import time
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib.plugins.sparql
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql import prepareQuery

from ptce_graph.errors import InputError
from ptce_graph.io.vocabulary import ontology_graph
from ptce_graph.model.namespaces import PG
from ptce_graph.query.catalog import CannedQuery, get_query, load_catalog
from ptce_graph.query.run import QueryResult, bind_parameters, run_query
from ptce_graph.query.text import find_keyword
from ptce_graph.resources import queries_dir, shipped_data_dir
from ptce_graph.store import LocalStore

rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # never fetch a graph named in a query

FIXTURE = Path(__file__).parents[1] / "fixtures" / "queries.ttl"

_CURIES = (
    ("pgc:", "https://w3id.org/ptce-graph/concept/"),
    ("pg:", "https://w3id.org/ptce-graph/id/"),
    ("ptce:", "https://w3id.org/ptce-graph/ontology#"),
)
_INTEGERS = {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.nonNegativeInteger, XSD.positiveInteger}
_LEXICAL = {XSD.gYear, XSD.gYearMonth, XSD.date, XSD.dateTime, XSD.anyURI}


def _sorted_parts(text: str) -> str:
    return " | ".join(sorted(text.split(" | "))) if " | " in text else text


def cell(term: Any) -> Any:
    """A result term as a comparable Python value (see the module docstring)."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        text = str(term)
        for curie, iri in _CURIES:
            if text.startswith(iri):
                return curie + text[len(iri):]
        return text
    if isinstance(term, Literal):
        if term.datatype in _INTEGERS:
            return int(term)
        if term.datatype == XSD.decimal:
            return Decimal(str(term))
        if term.datatype == XSD.boolean:
            return term.toPython()
        if term.datatype in _LEXICAL:
            return str(term)
        return _sorted_parts(str(term))
    return str(term)  # a blank node would fail every comparison, as it should


def expected_cell(value: Any) -> Any:
    return _sorted_parts(value) if isinstance(value, str) else value


def rows_of(result: QueryResult) -> list[tuple[Any, ...]]:
    return [tuple(cell(v) for v in row) for row in result.rows]


def triples_of(graph: Graph) -> set[tuple[Any, Any, Any]]:
    return {(cell(s), cell(p), cell(o)) for s, p, o in graph}


# Shared IRIs, as the comparison writes them.
ALPHA, BETA, GAMMA, DELTA = "pg:ptce/alpha", "pg:ptce/beta", "pg:ptce/gamma", "pg:ptce/delta"
REG52, REG27 = "pg:territory/region/52", "pg:territory/region/27"
DEP44, DEP39 = "pg:territory/departement/44", "pg:territory/departement/39"
COM44003, COM39097 = "pg:territory/commune/44003", "pg:territory/commune/39097"
EPCI = "pg:territory/epci/200000001"
COOP_A, FIRM_B, CC, REGION = "pg:actor/coop-a", "pg:actor/firm-b", "pg:actor/cc-ancenis", "pg:actor/region-pdl"
LAB_D, ASSOC_C, GROUP_F = "pg:actor/lab-d", "pg:actor/assoc-c", "pg:actor/group-f"
UNIV, TRAIN_E, CRESS = "pg:actor/univ-nantes", "pg:actor/train-e", "pg:actor/cress-pdl"
ROLE = "pgc:role/"
S1_TITLE, S1_URL = "Liste de référence des PTCE (fixture)", "https://example.org/fixture/seed"
S2_TITLE, S2_URL = "Article de presse (fixture)", "https://example.org/fixture/article"
S3_URL = "https://example.org/fixture/untitled"
S1, S2, S3 = (f"https://w3id.org/ptce-graph/id/source/s{n}" for n in (1, 2, 3))  # IRIs as text

# The two graphs of ptce_card, in Turtle (prefixes of the fixture).
_CARD_PREFIXES = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ptce: <https://w3id.org/ptce-graph/ontology#> . @prefix org: <http://www.w3.org/ns/org#> .
@prefix rov: <http://www.w3.org/ns/regorg#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix schema: <https://schema.org/> .
@prefix pg: <https://w3id.org/ptce-graph/id/> . @prefix c: <https://w3id.org/ptce-graph/concept/> .
"""
# delta has no membership and no territory: its 8 own triples (no org:hasMember), its one external
# relation (5 triples: type, relatedTo, relatedAgent, relationRole, source; no period) and the type
# and label of region-pdl, the actor of that relation.
CARD_DELTA = _CARD_PREFIXES + """
<https://w3id.org/ptce-graph/id/ptce/delta> a ptce:PTCE , org:OrganizationalCollaboration ;
    rdfs:label "Pôle Delta"@fr ; schema:foundingDate "2019"^^xsd:gYear ;
    ptce:sector <https://w3id.org/ptce-graph/concept/sector/sustainable-food> ;
    ptce:reportedMemberKind <https://w3id.org/ptce-graph/concept/actor-kind/ess-enterprise> ,
                            <https://w3id.org/ptce-graph/concept/actor-kind/local-authority> ;
    dct:source <https://w3id.org/ptce-graph/id/source/s3> .
<https://w3id.org/ptce-graph/id/relation/delta-region-pdl> a ptce:ExternalRelation ;
    ptce:relatedTo <https://w3id.org/ptce-graph/id/ptce/delta> ;
    ptce:relatedAgent <https://w3id.org/ptce-graph/id/actor/region-pdl> ;
    ptce:relationRole <https://w3id.org/ptce-graph/concept/role/client> ;
    dct:source <https://w3id.org/ptce-graph/id/source/s3> .
<https://w3id.org/ptce-graph/id/actor/region-pdl> a ptce:LocalAuthority ; rdfs:label "Région R (fixture)"@fr .
"""
# beta: its 10 own triples (org:hasMember for its 2 members only); 2 memberships x 7 triples;
# 2 external relations x 6 triples (no org:* property); their 4 periods (2 triples each, plus
# the end of lab-d's relation and the source that states its dates); label and types of its 2
# members (coop-a also rov:RegisteredOrganization) and of the 2 actors it has a relation with;
# the label of its one territory (region 52). Nothing about its funding, support or laureateship.
_B = "https://w3id.org/ptce-graph/id/membership/beta-"
_R = "https://w3id.org/ptce-graph/id/relation/beta-"
CARD_BETA = _CARD_PREFIXES + f"""
<https://w3id.org/ptce-graph/id/ptce/beta> a ptce:PTCE , org:OrganizationalCollaboration ;
    rdfs:label "Pôle Bêta"@fr ;
    ptce:hasTerritory <https://w3id.org/ptce-graph/id/territory/region/52> ;
    ptce:sector <https://w3id.org/ptce-graph/concept/sector/sustainable-food> ,
                <https://w3id.org/ptce-graph/concept/sector/circular-economy> ;
    ptce:reportedMemberKind <https://w3id.org/ptce-graph/concept/actor-kind/enterprise> ;
    org:hasMember <https://w3id.org/ptce-graph/id/actor/coop-a> , <https://w3id.org/ptce-graph/id/actor/assoc-c> ;
    dct:source <https://w3id.org/ptce-graph/id/source/s1> .
<{_B}coop-a> a ptce:Membership , org:Membership ;
    org:organization <https://w3id.org/ptce-graph/id/ptce/beta> ; org:member <https://w3id.org/ptce-graph/id/actor/coop-a> ;
    org:role <https://w3id.org/ptce-graph/concept/role/member> ; org:memberDuring <{_B}coop-a#period> ;
    dct:source <https://w3id.org/ptce-graph/id/source/s1> .
<{_B}assoc-c> a ptce:Membership , org:Membership ;
    org:organization <https://w3id.org/ptce-graph/id/ptce/beta> ; org:member <https://w3id.org/ptce-graph/id/actor/assoc-c> ;
    org:role <https://w3id.org/ptce-graph/concept/role/carrying-structure> ; org:memberDuring <{_B}assoc-c#period> ;
    dct:source <https://w3id.org/ptce-graph/id/source/s1> .
<{_R}lab-d> a ptce:ExternalRelation ;
    ptce:relatedTo <https://w3id.org/ptce-graph/id/ptce/beta> ; ptce:relatedAgent <https://w3id.org/ptce-graph/id/actor/lab-d> ;
    ptce:relationRole <https://w3id.org/ptce-graph/concept/role/partner> ; dct:temporal <{_R}lab-d#period> ;
    dct:source <https://w3id.org/ptce-graph/id/source/s2> .
<{_R}cress-pdl> a ptce:ExternalRelation ;
    ptce:relatedTo <https://w3id.org/ptce-graph/id/ptce/beta> ; ptce:relatedAgent <https://w3id.org/ptce-graph/id/actor/cress-pdl> ;
    ptce:relationRole <https://w3id.org/ptce-graph/concept/role/supporter> ; dct:temporal <{_R}cress-pdl#period> ;
    dct:source <https://w3id.org/ptce-graph/id/source/s1> .
<{_B}coop-a#period> a dct:PeriodOfTime ; dcat:startDate "2015"^^xsd:gYear .
<{_B}assoc-c#period> a dct:PeriodOfTime ; dcat:startDate "2015"^^xsd:gYear .
<{_R}lab-d#period> a dct:PeriodOfTime ; dcat:startDate "2016"^^xsd:gYear ; dcat:endDate "2018"^^xsd:gYear ;
    dct:source <https://w3id.org/ptce-graph/id/source/s1> .
<{_R}cress-pdl#period> a dct:PeriodOfTime ; dcat:startDate "2017"^^xsd:gYear .
<https://w3id.org/ptce-graph/id/actor/coop-a> a ptce:ESSEnterprise , rov:RegisteredOrganization ; rdfs:label "Coopérative A"@fr .
<https://w3id.org/ptce-graph/id/actor/assoc-c> a ptce:ESSEnterprise ; rdfs:label "Association C"@fr .
<https://w3id.org/ptce-graph/id/actor/lab-d> a ptce:ResearchCentre ; rdfs:label "Laboratoire D"@fr .
<https://w3id.org/ptce-graph/id/actor/cress-pdl> a ptce:SupportNetwork ; rdfs:label "CRESS R (fixture)"@fr .
<https://w3id.org/ptce-graph/id/territory/region/52> rdfs:label "Pays de la Loire"@fr .
"""

Params = dict[str, Any]
Expected = list[tuple[Any, ...]] | str  # rows of a SELECT, or Turtle for a CONSTRUCT

# query id -> [(params, expected)]. Every canned query must have at least one case.
CASES: dict[str, list[tuple[Params, Expected]]] = {
    "ptce_overview": [({}, [
        # alpha: own territories are the EPCI and the commune inside it; both lie in
        # département 44, région 52. Members (distinct, belonging roles only): coop-a (ESS,
        # carrier, two memberships counted once), cc-ancenis (local authority, initiator), firm-b
        # (firm) -> 3. Working with it: cc-ancenis (funder, also a member) and lab-d (partner) -> 2.
        (ALPHA, "Pôle Alpha", "Ancenis-Saint-Géréon | CC du Pays d'Ancenis (fixture)", "Loire-Atlantique",
         "Pays de la Loire", 2012, "Coopérative A", "pgc:ess-family/association", 3, 1, 1, 1, 0, 0, 2),
        # beta: territory is région 52 itself (zero-length sfWithin), so no département; no
        # founding date, no legal form. Members coop-a and assoc-c (ESS); lab-d (partner) and
        # cress-pdl (supporter) work with it without belonging.
        (BETA, "Pôle Bêta", "Pays de la Loire", None, "Pays de la Loire", None, "Association C", None,
         2, 2, 0, 0, 0, 0, 2),
        # delta: only a founding year; no territory, no member: every count is 0, not empty;
        # region-pdl (client) works with it.
        (DELTA, "Pôle Delta", None, None, None, 2019, None, None, 0, 0, 0, 0, 0, 0, 1),
        # gamma: commune 39097 and département 39 itself; founded 2010-05 -> 2010. Members
        # group-f (an EnterpriseGrouping counts as a firm), coop-a (ESS), train-e (training);
        # univ-nantes is a partner, not a member.
        (GAMMA, "Pôle Gamma", "Champagnole | Jura", "Jura", "Bourgogne-Franche-Comté", 2010, "Groupement F",
         "pgc:ess-family/scic", 3, 1, 1, 0, 1, 0, 1),
    ])],
    "ptce_members": [
        ({"ptce": "pg:ptce/alpha"}, [
            # four memberships (belonging roles), sorted by member label then membership IRI;
            # coop-a has two roles -> two rows; its families are scic and esus; no family recorded
            # -> empty. cc-ancenis is listed as initiator only: its funder relation and lab-d's
            # partner relation are not memberships.
            ("pg:membership/alpha-cc-ancenis-initiator", CC, "Communauté de communes A (fixture)", "LocalAuthority",
             None, ROLE + "initiator", "2011", None),
            ("pg:membership/alpha-coop-a-carrier", COOP_A, "Coopérative A", "ESSEnterprise", "esus | scic",
             ROLE + "carrying-structure", "2012", None),
            ("pg:membership/alpha-coop-a-founder", COOP_A, "Coopérative A", "ESSEnterprise", "esus | scic",
             ROLE + "founder", "2012", None),
            ("pg:membership/alpha-firm-b", FIRM_B, "Entreprise B", "Enterprise", None, ROLE + "member", "2013", "2016"),
        ]),
        ({"ptce": "pg:ptce/gamma"}, [
            # dates keep their precision: gYearMonth for group-f, xsd:date for train-e, none for
            # coop-a (no period at all). univ-nantes is a partner: not listed.
            ("pg:membership/gamma-coop-a", COOP_A, "Coopérative A", "ESSEnterprise", "esus | scic",
             ROLE + "member", None, None),
            ("pg:membership/gamma-group-f", GROUP_F, "Groupement F", "EnterpriseGrouping", None,
             ROLE + "carrying-structure", "2010-05", None),
            ("pg:membership/gamma-train-e", TRAIN_E, "Organisme de formation E", "TrainingOrganisation", None,
             ROLE + "member", "2012-03-01", "2013-06-30"),
        ]),
        ({"ptce": "pg:ptce/delta"}, []),  # no membership (its client relation is not one)
    ],
    "ptce_relations": [
        ({}, [
            # the six external relations, sorted by PTCE label, role IRI, actor label. cc-ancenis
            # is a funder of alpha and also a member (initiator): its relation is listed here all
            # the same. beta-lab-d's dates are stated by s1, its row by s2. delta's client relation
            # has no period.
            ("pg:relation/alpha-cc-ancenis", ALPHA, "Pôle Alpha", CC, "Communauté de communes A (fixture)",
             "LocalAuthority", ROLE + "funder", "2012", None, S1, None),
            ("pg:relation/alpha-lab-d", ALPHA, "Pôle Alpha", LAB_D, "Laboratoire D", "ResearchCentre",
             ROLE + "partner", "2014", None, S1, None),
            ("pg:relation/beta-lab-d", BETA, "Pôle Bêta", LAB_D, "Laboratoire D", "ResearchCentre",
             ROLE + "partner", "2016", "2018", S2, S1),
            ("pg:relation/beta-cress-pdl", BETA, "Pôle Bêta", CRESS, "CRESS R (fixture)", "SupportNetwork",
             ROLE + "supporter", "2017", None, S1, None),
            ("pg:relation/delta-region-pdl", DELTA, "Pôle Delta", REGION, "Région R (fixture)", "LocalAuthority",
             ROLE + "client", None, None, S3, None),
            ("pg:relation/gamma-univ-nantes", GAMMA, "Pôle Gamma", UNIV, "Université N",
             "HigherEducationInstitution", ROLE + "partner", "2011", "2014", S2, None),
        ]),
        ({"ptce": "pg:ptce/beta"}, [
            ("pg:relation/beta-lab-d", BETA, "Pôle Bêta", LAB_D, "Laboratoire D", "ResearchCentre",
             ROLE + "partner", "2016", "2018", S2, S1),
            ("pg:relation/beta-cress-pdl", BETA, "Pôle Bêta", CRESS, "CRESS R (fixture)", "SupportNetwork",
             ROLE + "supporter", "2017", None, S1, None),
        ]),
        ({"role": "pgc:role/partner"}, [  # lab-d twice (alpha, beta), univ-nantes (gamma)
            ("pg:relation/alpha-lab-d", ALPHA, "Pôle Alpha", LAB_D, "Laboratoire D", "ResearchCentre",
             ROLE + "partner", "2014", None, S1, None),
            ("pg:relation/beta-lab-d", BETA, "Pôle Bêta", LAB_D, "Laboratoire D", "ResearchCentre",
             ROLE + "partner", "2016", "2018", S2, S1),
            ("pg:relation/gamma-univ-nantes", GAMMA, "Pôle Gamma", UNIV, "Université N",
             "HigherEducationInstitution", ROLE + "partner", "2011", "2014", S2, None),
        ]),
        ({"ptce": "pg:ptce/alpha", "role": ["pgc:role/funder", "https://w3id.org/ptce-graph/concept/role/supporter"]}, [
            # alpha has a funder and no supporter (cress-pdl supports beta)
            ("pg:relation/alpha-cc-ancenis", ALPHA, "Pôle Alpha", CC, "Communauté de communes A (fixture)",
             "LocalAuthority", ROLE + "funder", "2012", None, S1, None),
        ]),
        ({"role": "pgc:role/initiator"}, []),  # a belonging role: a membership, never a relation
        ({"ptce": "pg:ptce/gamma", "role": "pgc:role/funder"}, []),
    ],
    "multi_ptce_actors": [({}, [
        # coop-a is a member of alpha, beta and gamma; everyone else of one PTCE at most. lab-d
        # works with alpha and beta (partner), but without belonging: not listed.
        (COOP_A, "Coopérative A", "ESSEnterprise", 3, "Pôle Alpha | Pôle Bêta | Pôle Gamma"),
    ])],
    "ptce_by_region": [
        ({}, [
            # région 27: gamma (via commune 39097 and via département 39: counted once), in
            # département 39. Région 52: alpha (EPCI and commune, département 44) and beta (the
            # région itself, no département -> the empty row). delta has no territory.
            (REG27, "Bourgogne-Franche-Comté", 1, DEP39, "Jura", 1),
            (REG52, "Pays de la Loire", 2, None, None, 1),
            (REG52, "Pays de la Loire", 2, DEP44, "Loire-Atlantique", 1),
        ]),
        ({"region": ["pg:territory/region/52"]}, [
            (REG52, "Pays de la Loire", 2, None, None, 1),
            (REG52, "Pays de la Loire", 2, DEP44, "Loire-Atlantique", 1),
        ]),
        ({"region": ["pg:territory/region/52", "pg:territory/region/27"]}, [
            (REG27, "Bourgogne-Franche-Comté", 1, DEP39, "Jura", 1),
            (REG52, "Pays de la Loire", 2, None, None, 1),
            (REG52, "Pays de la Loire", 2, DEP44, "Loire-Atlantique", 1),
        ]),
        ({"region": "pg:territory/region/11"}, []),  # not in the fixture
    ],
    "ptce_composition": [({}, [
        # alpha: coop-a (ESS) and firm-b (firm) are members; other persons of art. 9: cc-ancenis
        # (a local authority, member as initiator and funder: counted once) and lab-d (a research
        # centre that works with it as partner: "en lien avec") -> 2; complete.
        (ALPHA, "Pôle Alpha", 1, 1, 2, True, True, True, ""),
        # beta: coop-a and assoc-c (ESS members); no firm among its members, but a source reports
        # one (reportedMemberKind enterprise); other persons: lab-d (partner) and cress-pdl
        # (supporter, a support network).
        (BETA, "Pôle Bêta", 2, 0, 2, True, False, True, "conventional firm (reported, not named)"),
        # delta: no member; region-pdl, a client, is another person of art. 9; ess-enterprise
        # reported, no firm reported.
        (DELTA, "Pôle Delta", 0, 0, 1, False, False, True,
         "ESS enterprise (reported, not named); conventional firm"),
        # gamma: group-f is an EnterpriseGrouping: it counts as a firm; other persons: train-e
        # (training, member) and univ-nantes (partner).
        (GAMMA, "Pôle Gamma", 1, 1, 2, True, True, True, ""),
    ])],
    "local_authorities": [
        ({}, [
            # cc-ancenis (level epci): funding of alpha, funder relation with alpha (role funder),
            # member of alpha as initiator. region-pdl (level region): client relation with delta,
            # funding of beta, partnership with alpha. Sorted by level IRI (epci < region), then
            # involvement, then relation IRI (funding/ < relation/).
            ("pgc:authority-level/epci", CC, "Communauté de communes A (fixture)", "funder", None, ALPHA,
             "Pôle Alpha", "pg:funding/cc-alpha"),
            ("pgc:authority-level/epci", CC, "Communauté de communes A (fixture)", "funder", ROLE + "funder", ALPHA,
             "Pôle Alpha", "pg:relation/alpha-cc-ancenis"),
            ("pgc:authority-level/epci", CC, "Communauté de communes A (fixture)", "member", ROLE + "initiator",
             ALPHA, "Pôle Alpha", "pg:membership/alpha-cc-ancenis-initiator"),
            ("pgc:authority-level/region", REGION, "Région R (fixture)", "client", ROLE + "client", DELTA,
             "Pôle Delta", "pg:relation/delta-region-pdl"),
            ("pgc:authority-level/region", REGION, "Région R (fixture)", "funder", None, BETA, "Pôle Bêta",
             "pg:funding/region-beta"),
            ("pgc:authority-level/region", REGION, "Région R (fixture)", "partner", None, ALPHA, "Pôle Alpha",
             "pg:partnership/region-alpha"),
        ]),
        ({"level": "pgc:authority-level/region"}, [
            ("pgc:authority-level/region", REGION, "Région R (fixture)", "client", ROLE + "client", DELTA,
             "Pôle Delta", "pg:relation/delta-region-pdl"),
            ("pgc:authority-level/region", REGION, "Région R (fixture)", "funder", None, BETA, "Pôle Bêta",
             "pg:funding/region-beta"),
            ("pgc:authority-level/region", REGION, "Région R (fixture)", "partner", None, ALPHA, "Pôle Alpha",
             "pg:partnership/region-alpha"),
        ]),
        ({"level": ["pgc:authority-level/epci"]}, [
            ("pgc:authority-level/epci", CC, "Communauté de communes A (fixture)", "funder", None, ALPHA,
             "Pôle Alpha", "pg:funding/cc-alpha"),
            ("pgc:authority-level/epci", CC, "Communauté de communes A (fixture)", "funder", ROLE + "funder", ALPHA,
             "Pôle Alpha", "pg:relation/alpha-cc-ancenis"),
            ("pgc:authority-level/epci", CC, "Communauté de communes A (fixture)", "member", ROLE + "initiator",
             ALPHA, "Pôle Alpha", "pg:membership/alpha-cc-ancenis-initiator"),
        ]),
        ({"level": "pgc:authority-level/commune"}, []),
    ],
    "fundings": [
        ({}, [
            # cc-alpha runs 2014-2016, 20000 EUR, no programme; region-beta starts 2017 (no end),
            # 35000.5 EUR through the regional fund. Sorted by year.
            ("pg:funding/cc-alpha", CC, "Communauté de communes A (fixture)", ALPHA, "Pôle Alpha", None, None,
             2014, 2016, Decimal("20000")),
            ("pg:funding/region-beta", REGION, "Région R (fixture)", BETA, "Pôle Bêta", "pg:scheme/fonds-regional",
             "Fonds régional ESS (fixture)", 2017, None, Decimal("35000.5")),
        ]),
        # from 2015: cc-alpha still runs in 2016, region-beta starts in 2017 -> both.
        ({"from_year": 2015}, [
            ("pg:funding/cc-alpha", CC, "Communauté de communes A (fixture)", ALPHA, "Pôle Alpha", None, None,
             2014, 2016, Decimal("20000")),
            ("pg:funding/region-beta", REGION, "Région R (fixture)", BETA, "Pôle Bêta", "pg:scheme/fonds-regional",
             "Fonds régional ESS (fixture)", 2017, None, Decimal("35000.5")),
        ]),
        # from 2017: cc-alpha ended in 2016 -> only region-beta.
        ({"from_year": "2017"}, [
            ("pg:funding/region-beta", REGION, "Région R (fixture)", BETA, "Pôle Bêta", "pg:scheme/fonds-regional",
             "Fonds régional ESS (fixture)", 2017, None, Decimal("35000.5")),
        ]),
        # 2015 to 2016: region-beta starts after the range -> only cc-alpha.
        ({"from_year": 2015, "to_year": 2016}, [
            ("pg:funding/cc-alpha", CC, "Communauté de communes A (fixture)", ALPHA, "Pôle Alpha", None, None,
             2014, 2016, Decimal("20000")),
        ]),
        # up to 2013: both start later.
        ({"to_year": 2013}, []),
    ],
    "call_eligibility": [
        ({}, [
            # only the 2015 call counts (the 2013 call predates the décret): beta, laureate in 2015,
            # has no legal form; its two members, coop-a (member 2015-) and assoc-c (carrying
            # structure 2015-), are both ESS enterprises present in 2015; none undated; a
            # territory (région 52); no earlier call.
            ("pg:laureateship/aap-2015-beta", BETA, "Pôle Bêta", "pg:scheme/aap-2015", 2015, None, 2, 2, 0, 0, 0,
             True, None,
             "1° legal person; 2° three legal persons; 2° conventional firm; 2° other person of art. 9"),
        ]),
        ({"call": "pg:scheme/aap-2013"}, []),
    ],
    "call_laureates": [
        ({"call": "pg:scheme/aap-2013"}, [
            # two laureates of the 2013 call, each with the région of its territories.
            (ALPHA, "Pôle Alpha", "Pays de la Loire", "2014-01-10", None, Decimal("50000"),
             "pg:laureateship/aap-2013-alpha"),
            (GAMMA, "Pôle Gamma", "Bourgogne-Franche-Comté", "2014-01-10", None, None,
             "pg:laureateship/aap-2013-gamma"),
        ]),
        ({"call": "https://w3id.org/ptce-graph/id/scheme/aap-2015"}, [
            (BETA, "Pôle Bêta", "Pays de la Loire", "2015", "phase 1", None, "pg:laureateship/aap-2015-beta"),
        ]),
        ({"call": "pg:scheme/dla"}, []),  # a scheme that is not a call has no laureate
    ],
    "ptce_by_sector": [
        ({}, [
            # circular-economy: alpha, beta; sustainable-food: beta, delta; culture: gamma;
            # insertion-employment: alpha. Sorted by count (desc), sector IRI, PTCE label.
            ("pgc:sector/circular-economy", 2, ALPHA, "Pôle Alpha"),
            ("pgc:sector/circular-economy", 2, BETA, "Pôle Bêta"),
            ("pgc:sector/sustainable-food", 2, BETA, "Pôle Bêta"),
            ("pgc:sector/sustainable-food", 2, DELTA, "Pôle Delta"),
            ("pgc:sector/culture-creative-industries", 1, GAMMA, "Pôle Gamma"),
            ("pgc:sector/insertion-employment", 1, ALPHA, "Pôle Alpha"),
        ]),
        ({"sector": "pgc:sector/circular-economy"}, [
            ("pgc:sector/circular-economy", 2, ALPHA, "Pôle Alpha"),
            ("pgc:sector/circular-economy", 2, BETA, "Pôle Bêta"),
        ]),
        ({"sector": ["pgc:sector/insertion-employment", "pgc:sector/culture-creative-industries"]}, [
            ("pgc:sector/culture-creative-industries", 1, GAMMA, "Pôle Gamma"),
            ("pgc:sector/insertion-employment", 1, ALPHA, "Pôle Alpha"),
        ]),
    ],
    "sectors_by_region": [
        ({}, [
            # région 27: gamma (culture). Région 52: alpha (circular, insertion) and beta
            # (sustainable food, circular); delta has no territory, so no région.
            (REG27, "Bourgogne-Franche-Comté", "pgc:sector/culture-creative-industries", 1, "Pôle Gamma"),
            (REG52, "Pays de la Loire", "pgc:sector/circular-economy", 2, "Pôle Alpha | Pôle Bêta"),
            (REG52, "Pays de la Loire", "pgc:sector/insertion-employment", 1, "Pôle Alpha"),
            (REG52, "Pays de la Loire", "pgc:sector/sustainable-food", 1, "Pôle Bêta"),
        ]),
        ({"region": "pg:territory/region/27"}, [
            (REG27, "Bourgogne-Franche-Comté", "pgc:sector/culture-creative-industries", 1, "Pôle Gamma"),
        ]),
    ],
    "research_training_partners": [
        ({}, [
            # lab-d: partner (external relation) of alpha and beta, and research partnership with
            # gamma; univ-nantes: partner (external relation) of gamma; train-e: member of gamma.
            # cress-pdl (support network) is not a research or training actor.
            (ALPHA, "Pôle Alpha", LAB_D, "Laboratoire D", "ResearchCentre", "partner", ROLE + "partner",
             "pg:relation/alpha-lab-d"),
            (BETA, "Pôle Bêta", LAB_D, "Laboratoire D", "ResearchCentre", "partner", ROLE + "partner",
             "pg:relation/beta-lab-d"),
            (GAMMA, "Pôle Gamma", LAB_D, "Laboratoire D", "ResearchCentre", "partner", None,
             "pg:partnership/gamma-lab-d"),
            (GAMMA, "Pôle Gamma", TRAIN_E, "Organisme de formation E", "TrainingOrganisation", "member",
             ROLE + "member", "pg:membership/gamma-train-e"),
            (GAMMA, "Pôle Gamma", UNIV, "Université N", "HigherEducationInstitution", "partner", ROLE + "partner",
             "pg:relation/gamma-univ-nantes"),
        ]),
        ({"ptce": "pg:ptce/beta"}, [
            (BETA, "Pôle Bêta", LAB_D, "Laboratoire D", "ResearchCentre", "partner", ROLE + "partner",
             "pg:relation/beta-lab-d"),
        ]),
        ({"ptce": "pg:ptce/delta"}, []),  # region-pdl, its only actor, is a local authority
    ],
    "resources": [
        ({}, [
            # two resources, sorted by title ("Guide..." < "Portrait...").
            ("pg:resource/guide-ptce", "Guide des pôles territoriaux de coopération économique",
             "pgc:resource-type/guide", 2014, "Laboratoire D | Université N", "Laboratoire D et Université N",
             "https://example.org/fixture/guide | https://example.org/fixture/guide.pdf"),
            ("pg:resource/portrait-alpha", "Portrait du Pôle Alpha", "pgc:resource-type/portrait", 2016,
             "CRESS R (fixture)", None, "https://example.org/fixture/portrait-alpha"),
        ]),
        ({"about": "pg:ptce/alpha"}, [  # only the portrait is about alpha
            ("pg:resource/portrait-alpha", "Portrait du Pôle Alpha", "pgc:resource-type/portrait", 2016,
             "CRESS R (fixture)", None, "https://example.org/fixture/portrait-alpha"),
        ]),
        ({"text": "PÔLE ALPHA"}, [  # case-insensitive, accents included
            ("pg:resource/portrait-alpha", "Portrait du Pôle Alpha", "pgc:resource-type/portrait", 2016,
             "CRESS R (fixture)", None, "https://example.org/fixture/portrait-alpha"),
        ]),
        ({"about": "pg:scheme/aap-2013", "text": "guide"}, [
            ("pg:resource/guide-ptce", "Guide des pôles territoriaux de coopération économique",
             "pgc:resource-type/guide", 2014, "Laboratoire D | Université N", "Laboratoire D et Université N",
             "https://example.org/fixture/guide | https://example.org/fixture/guide.pdf"),
        ]),
        ({"about": "pg:ptce/alpha", "text": "guide"}, []),  # the guide is not about alpha
    ],
    "co_membership": [({}, [
        # members (belonging roles only): alpha {cc-ancenis 2011-, coop-a 2012-, firm-b
        # 2013-2016}, beta {assoc-c, coop-a}, gamma {coop-a (no dates: always), group-f
        # 2010-05-, train-e 2012-03-01 - 2013-06-30}: 3 + 1 + 3 pairs, all overlapping in time,
        # none shared by two PTCEs -> 7 pairs of weight 1. Partners, funders, supporters and
        # clients (lab-d, cress-pdl, univ-nantes, region-pdl) are in no pair.
        (ASSOC_C, "Association C", COOP_A, "Coopérative A", 1),
        (CC, "Communauté de communes A (fixture)", COOP_A, "Coopérative A", 1),
        (CC, "Communauté de communes A (fixture)", FIRM_B, "Entreprise B", 1),
        (COOP_A, "Coopérative A", FIRM_B, "Entreprise B", 1),
        (COOP_A, "Coopérative A", GROUP_F, "Groupement F", 1),
        (COOP_A, "Coopérative A", TRAIN_E, "Organisme de formation E", 1),
        (GROUP_F, "Groupement F", TRAIN_E, "Organisme de formation E", 1),
    ])],
    "membership_timeline": [
        ({}, [
            # memberships (started, ended): starts 2010 group-f; 2011 cc-ancenis (initiator);
            # 2012 alpha's carrier and founder, and train-e (2012-03-01); 2013 firm-b; 2015 coop-a
            # and assoc-c in beta. Ends: 2013 train-e; 2016 firm-b. coop-a in gamma has no dates.
            # External relations (relationsStarted, relationsEnded): starts 2011 univ-nantes; 2012
            # cc-ancenis (funder); 2014 lab-d in alpha; 2016 lab-d in beta; 2017 cress-pdl. Ends:
            # 2014 univ-nantes; 2018 lab-d in beta. region-pdl (delta) has no dates.
            (2010, 1, 0, 0, 0), (2011, 1, 0, 1, 0), (2012, 3, 0, 1, 0), (2013, 1, 1, 0, 0), (2014, 0, 0, 1, 1),
            (2015, 2, 0, 0, 0), (2016, 0, 1, 1, 0), (2017, 0, 0, 1, 0), (2018, 0, 0, 0, 1),
        ]),
        ({"ptce": "pg:ptce/gamma"}, [(2010, 1, 0, 0, 0), (2011, 0, 0, 1, 0), (2012, 1, 0, 0, 0), (2013, 0, 1, 0, 0),
                                     (2014, 0, 0, 0, 1)]),
        ({"ptce": "pg:ptce/delta"}, []),
    ],
    "ptce_in_territory": [
        ({"territory": "pg:territory/region/52"}, [
            # alpha's EPCI and commune both lie in région 52; beta's territory is the région.
            (ALPHA, "Pôle Alpha", COM44003, "Ancenis-Saint-Géréon"),
            (ALPHA, "Pôle Alpha", EPCI, "CC du Pays d'Ancenis (fixture)"),
            (BETA, "Pôle Bêta", REG52, "Pays de la Loire"),
        ]),
        ({"territory": "pg:territory/epci/200000001"}, [  # the EPCI itself and a commune in it
            (ALPHA, "Pôle Alpha", COM44003, "Ancenis-Saint-Géréon"),
            (ALPHA, "Pôle Alpha", EPCI, "CC du Pays d'Ancenis (fixture)"),
        ]),
        ({"territory": "pg:territory/departement/44"}, [  # beta (région-wide) is not inside 44
            (ALPHA, "Pôle Alpha", COM44003, "Ancenis-Saint-Géréon"),
            (ALPHA, "Pôle Alpha", EPCI, "CC du Pays d'Ancenis (fixture)"),
        ]),
        ({"territory": "pg:territory/region/27"}, [  # gamma twice: commune (via 39) and 39
            (GAMMA, "Pôle Gamma", COM39097, "Champagnole"),
            (GAMMA, "Pôle Gamma", DEP39, "Jura"),
        ]),
        ({"territory": "pg:territory/commune/39097"}, [(GAMMA, "Pôle Gamma", COM39097, "Champagnole")]),
    ],
    "entity_sources": [
        ({"entity": "pg:actor/lab-d"}, [
            # its own source first, then its two external relations (partner of alpha and beta)
            # and its partnership with gamma (source s3 has no title), by statement type. The dates
            # of beta-lab-d are stated by s1, its row by s2: both listed. Being a publisher of a
            # resource is not a relation here.
            (LAB_D, "ResearchCentre", "pg:source/s1", S1_TITLE, S1_URL),
            ("pg:relation/alpha-lab-d", "ExternalRelation", "pg:source/s1", S1_TITLE, S1_URL),
            ("pg:relation/beta-lab-d", "ExternalRelation", "pg:source/s1", S1_TITLE, S1_URL),
            ("pg:relation/beta-lab-d", "ExternalRelation", "pg:source/s2", S2_TITLE, S2_URL),
            ("pg:partnership/gamma-lab-d", "Partnership", "pg:source/s3", None, S3_URL),
        ]),
        ({"entity": "pg:scheme/aap-2015"}, [
            ("pg:scheme/aap-2015", "NationalCall", "pg:source/s1", S1_TITLE, S1_URL),
            ("pg:laureateship/aap-2015-beta", "Laureateship", "pg:source/s1", S1_TITLE, S1_URL),
        ]),
        ({"entity": "pg:ptce/delta"}, [  # no membership; the relation with region-pdl
            (DELTA, "PTCE", "pg:source/s3", None, S3_URL),
            ("pg:relation/delta-region-pdl", "ExternalRelation", "pg:source/s3", None, S3_URL),
        ]),
        ({"entity": "pg:actor/region-pdl"}, [
            (REGION, "LocalAuthority", "pg:source/s1", S1_TITLE, S1_URL),
            ("pg:relation/delta-region-pdl", "ExternalRelation", "pg:source/s3", None, S3_URL),
            ("pg:funding/region-beta", "Funding", "pg:source/s2", S2_TITLE, S2_URL),
            ("pg:partnership/region-alpha", "Partnership", "pg:source/s2", S2_TITLE, S2_URL),
        ]),
        ({"entity": "pg:actor/cc-ancenis"}, [
            # a member (initiator) and a funder of alpha: one membership, one external relation,
            # one funding.
            (CC, "LocalAuthority", "pg:source/s1", S1_TITLE, S1_URL),
            ("pg:relation/alpha-cc-ancenis", "ExternalRelation", "pg:source/s1", S1_TITLE, S1_URL),
            ("pg:funding/cc-alpha", "Funding", "pg:source/s2", S2_TITLE, S2_URL),
            ("pg:membership/alpha-cc-ancenis-initiator", "Membership", "pg:source/s1", S1_TITLE, S1_URL),
        ]),
    ],
    "data_completeness": [({}, [
        # alpha and gamma are complete (their carriers coop-a and group-f have a SIREN).
        # beta: no founding date, its carrier assoc-c has no SIREN. delta: no territory, no
        # member (region-pdl, a client, works with it without belonging), hence no carrier.
        (BETA, "Pôle Bêta", True, False, False, True, "creation year; identified carrier"),
        (DELTA, "Pôle Delta", False, True, True, True, "territory; members; identified carrier"),
    ])],
    "ptce_supports": [
        ({}, [
            # alpha: funding from cc-ancenis (2014) and AAP 2013 laureateship (2014-01-10): same
            # year, sorted by IRI (funding/ < laureateship/). beta: AAP 2015 (2015), DLA support
            # by cress-pdl (2016), regional funding (2017). gamma: AAP 2013. delta: nothing.
            (ALPHA, "Pôle Alpha", "funding", None, None, CC, "Communauté de communes A (fixture)", 2014,
             Decimal("20000"), "pg:funding/cc-alpha"),
            (ALPHA, "Pôle Alpha", "laureateship", "pg:scheme/aap-2013", "Appel à projets PTCE 2013 (fixture)", None,
             None, 2014, Decimal("50000"), "pg:laureateship/aap-2013-alpha"),
            (BETA, "Pôle Bêta", "laureateship", "pg:scheme/aap-2015", "Appel à projets PTCE 2015 (fixture)", None,
             None, 2015, None, "pg:laureateship/aap-2015-beta"),
            (BETA, "Pôle Bêta", "support", "pg:scheme/dla", "Dispositif local d'accompagnement (fixture)", CRESS,
             "CRESS R (fixture)", 2016, None, "pg:support/dla-beta"),
            (BETA, "Pôle Bêta", "funding", "pg:scheme/fonds-regional", "Fonds régional ESS (fixture)", REGION,
             "Région R (fixture)", 2017, Decimal("35000.5"), "pg:funding/region-beta"),
            (GAMMA, "Pôle Gamma", "laureateship", "pg:scheme/aap-2013", "Appel à projets PTCE 2013 (fixture)", None,
             None, 2014, None, "pg:laureateship/aap-2013-gamma"),
        ]),
        ({"ptce": "pg:ptce/gamma"}, [
            (GAMMA, "Pôle Gamma", "laureateship", "pg:scheme/aap-2013", "Appel à projets PTCE 2013 (fixture)", None,
             None, 2014, None, "pg:laureateship/aap-2013-gamma"),
        ]),
        ({"ptce": "pg:ptce/delta"}, []),
    ],
    "mutualised_resources": [
        ({}, [
            ("pg:ptce/alpha", "Pôle Alpha", "pg:mutualised/alpha-premises", "Locaux partagés Alpha",
             "pgc:mutualised-resource-type/premises", COOP_A, "Coopérative A", "Ancenis-Saint-Géréon",
             Decimal("450"), 2015),
        ]),
        ({"ptce": "pg:ptce/beta"}, []),
    ],
    "national_calls": [({}, [
        # aap-2013: 183 applications, 23 laureates published, 2 recorded (alpha, gamma);
        # aap-2015: 14 published, 1 recorded (beta). dla and the regional fund are not calls.
        ("pg:scheme/aap-2013", "Appel à projets PTCE 2013 (fixture)", "pgc:scheme-kind/call-for-projects", "2013",
         None, None, 183, 23, 2),
        ("pg:scheme/aap-2015", "Appel à projets PTCE 2015 (fixture)", "pgc:scheme-kind/call-for-projects", "2015",
         None, None, None, 14, 1),
    ])],
    "ptce_card": [
        ({"ptce": "pg:ptce/delta"}, CARD_DELTA),
        ({"ptce": "pg:ptce/beta"}, CARD_BETA),
    ],
}

CASE_IDS = [(qid, index) for qid, cases in CASES.items() for index in range(len(cases))]


def _case_name(case: tuple[str, int]) -> str:
    return f"{case[0]}-{case[1]}"


@pytest.fixture(scope="module")
def fixture_graph() -> Graph:
    return Graph().parse(FIXTURE)


@pytest.fixture(scope="module")
def fixture_store(fixture_graph: Graph) -> LocalStore:
    """The fixture in one embedded store (with the ontology), shared by the binding tests."""
    return LocalStore(fixture_graph)


@pytest.fixture(scope="module")
def rdflib_graph(fixture_graph: Graph) -> Graph:
    """The fixture plus the ontology, as the embedded store holds them, for rdflib's engine."""
    graph = Graph()
    graph += fixture_graph
    graph += ontology_graph()
    return graph


def _body(query: CannedQuery) -> str:
    """The query text without its comment lines."""
    return "\n".join(line for line in query.text.splitlines() if not line.lstrip().startswith("#"))


# --------------------------------------------------------------------------- catalog
@pytest.mark.parametrize("qid", sorted(load_catalog()))
def test_every_query_has_a_known_answer_case(qid: str) -> None:
    assert CASES.get(qid), f"queries/{qid}.rq has no known-answer case in tests/query/test_queries.py CASES"


def test_every_case_names_an_existing_query() -> None:
    assert set(CASES) <= set(load_catalog())


def test_the_issue_queries_exist() -> None:
    # ids used elsewhere (doctests, CLI help, analytics) must keep their names
    assert {"ptce_members", "co_membership", "ptce_card"} <= set(load_catalog())


@pytest.mark.parametrize("qid", sorted(load_catalog()))
def test_query_parses_on_both_engines_with_declared_prefixes(qid: str) -> None:
    query = get_query(qid)
    ox.Store().query(query.text)  # no prefix map: every prefix must be declared in the file
    prepareQuery(query.text)  # rdflib's SPARQL 1.1 parser


@pytest.mark.parametrize("qid", sorted(load_catalog()))
def test_header_is_complete_and_params_are_variables(qid: str) -> None:
    query = get_query(qid)
    assert query.summary and query.description and query.tags, "summary, description and tags are needed"
    body = _body(query)
    for param in query.params:
        assert param.doc, f"parameter '{param.name}' has no doc"
        assert re.search(rf"\?{re.escape(param.name)}\b", body), f"?{param.name} is not used in the query"
    if query.form == "SELECT":
        assert query.returns, "a SELECT query declares its columns"
        assert find_keyword(body, r"ORDER\s+BY\b") >= 0, "a SELECT query needs ORDER BY for a stable order"
    else:
        assert query.form == "CONSTRUCT" and query.returns == ()


def test_readme_lists_every_query() -> None:
    readme = (queries_dir() / "README.md").read_text(encoding="utf-8")
    missing = [qid for qid in load_catalog() if f"`{qid}`" not in readme]
    assert not missing, f"queries/README.md does not list {missing}"


# --------------------------------------------------------------------------- known answers
@pytest.mark.parametrize("case", CASE_IDS, ids=_case_name)
def test_known_answer(case: tuple[str, int], fixture_graph: Graph) -> None:
    qid, index = case
    params, expected = CASES[qid][index]
    query = get_query(qid)
    result = run_query(qid, params, graph=fixture_graph)
    if isinstance(expected, str):
        assert result.form == "CONSTRUCT" and result.graph is not None
        assert triples_of(result.graph) == triples_of(Graph().parse(data=expected, format="turtle"))
        return
    assert result.columns == query.returns, "declared 'returns' differ from the projected variables"
    assert rows_of(result) == [tuple(expected_cell(v) for v in row) for row in expected]


# --------------------------------------------------------------------------- bind, never format
BIND_CASES = [(qid, index) for qid, index in CASE_IDS if CASES[qid][index][0]]


def _rdflib_rows(graph: Graph, query: CannedQuery, bindings: dict[str, list[Any]]) -> Iterator[Any]:
    """Run ``query`` with rdflib's engine, once per combination of bound values.

    A ``multiple`` parameter is a multi-row VALUES block for us; rdflib binds one value per
    variable, so the rows of each value are put together (every query groups by such a
    parameter, so the union is the same answer).
    """
    names = list(bindings)
    for values in itertools.product(*(bindings[n] for n in names)):
        result = graph.query(query.text, initBindings=dict(zip(names, values)))
        if query.form == "CONSTRUCT":
            yield from ((cell(s), cell(p), cell(o)) for s, p, o in result.graph)  # type: ignore[union-attr]
        else:
            assert [str(v) for v in result.vars] == list(query.returns)  # type: ignore[union-attr]
            yield from (tuple(cell(row[v]) for v in query.returns) for row in result)  # type: ignore[union-attr]


@pytest.mark.parametrize("case", BIND_CASES, ids=_case_name)
def test_values_binding_and_rdflib_init_bindings_agree(case: tuple[str, int], fixture_store: LocalStore,
                                                       rdflib_graph: Graph) -> None:
    qid, index = case
    params, _ = CASES[qid][index]
    query = get_query(qid)
    ours = run_query(query, params, store=fixture_store)
    mine = Counter(triples_of(ours.graph) if ours.graph is not None else rows_of(ours))
    theirs = Counter(_rdflib_rows(rdflib_graph, query, bind_parameters(query, params)))
    assert mine == theirs


# --------------------------------------------------------------------------- hostile values
HOSTILE_STRINGS = [
    'Pôle" } ; DROP ALL #',
    "}",
    '\\"',
    "Pôle\nAlpha",
    "<urn:x>",
    "' } ; DELETE WHERE { ?s ?p ?o } #",
    '""" ) } UNION { ?resource ?p ?o } #',
]


def _size(store: LocalStore) -> int:
    _, rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(rows[0][0])  # type: ignore[arg-type]


@pytest.mark.parametrize("value", HOSTILE_STRINGS)
def test_hostile_string_is_a_plain_value(value: str, fixture_graph: Graph) -> None:
    store = LocalStore(fixture_graph)
    before = _size(store)
    # control: the same parameter finds a title when given plain text
    assert len(run_query("resources", {"text": "pôle alpha"}, store=store)) == 1
    result = run_query("resources", {"text": value}, store=store)
    assert result.rows == ()
    assert _size(store) == before
    assert len(fixture_graph) == len(Graph().parse(FIXTURE))


@pytest.mark.parametrize("value", ["pg:ptce/x> } DROP ALL {", "pg:ptce/x> . ?s ?p ?o", "<urn:x>", "pg:ptce/a b"])
def test_hostile_iri_is_refused(value: str, fixture_graph: Graph) -> None:
    store = LocalStore(fixture_graph)
    before = _size(store)
    with pytest.raises(InputError):
        run_query("ptce_members", {"ptce": value}, store=store)
    with pytest.raises(InputError):
        run_query("ptce_by_region", {"region": ["pg:territory/region/52", value]}, store=store)
    assert _size(store) == before


def test_bad_typed_values_are_refused(fixture_graph: Graph) -> None:
    with pytest.raises(InputError):
        run_query("fundings", {"from_year": "2015 } DROP ALL {"}, graph=fixture_graph)
    with pytest.raises(InputError):
        run_query("ptce_members", {}, graph=fixture_graph)  # the required parameter is missing
    with pytest.raises(InputError):
        run_query("ptce_members", {"ptce": "pg:ptce/alpha", "nope": "x"}, graph=fixture_graph)


# --------------------------------------------------------------------------- shipped data
def _shipped() -> Graph:
    if not (shipped_data_dir() / "ptce.csv").is_file():
        pytest.skip("data/ptce.csv is not there yet")
    from ptce_graph import load

    try:
        return load()
    except InputError as exc:
        pytest.skip(f"the shipped data does not load yet: {str(exc).splitlines()[0]}")


@pytest.fixture(scope="module")
def shipped_store() -> LocalStore:
    return LocalStore(_shipped())


# Parameters for running every query once on the shipped data.
SHIPPED_PARAMS: dict[str, Params] = {
    "ptce_members": {"ptce": "pg:ptce/tetris"},
    "call_laureates": {"call": "pg:scheme/aap-2013"},
    "ptce_in_territory": {"territory": "pg:territory/region/52"},
    "entity_sources": {"entity": "pg:ptce/tetris"},
    "ptce_card": {"ptce": "pg:ptce/tetris"},
}


@pytest.mark.parametrize("qid", sorted(load_catalog()))
def test_every_query_runs_on_the_shipped_data(qid: str, shipped_store: LocalStore) -> None:
    query = get_query(qid)
    params = SHIPPED_PARAMS.get(qid, {})
    assert all(p.name in params for p in query.params if p.required), f"add {qid} to SHIPPED_PARAMS"
    start = time.perf_counter()
    result = run_query(query, params, store=shipped_store)
    assert time.perf_counter() - start < 5, "a canned query should answer in well under a second"
    if query.form == "SELECT":
        assert result.columns == query.returns


def test_shipped_call_eligibility(shipped_store: LocalStore) -> None:
    result = {str(r["ptce"]).rsplit("/", 1)[-1]: r
              for r in run_query("call_eligibility", {"call": "pg:scheme/aap-2015"}, store=shipped_store).records()}
    # EcoPAL (La Réunion, AAP 2015): an association whose four founders, dated 2016 by its own
    # page, include ESS enterprises, a firm and another person: every readable point holds
    assert result["ecopal"]["missing"] == "" and result["ecopal"]["membersAtDate"] >= 3
    # every row is a laureate of the 2015 call, and the 2013 call is out of the décret's scope
    assert {str(r["laureateCall"]) for r in result.values()} == {str(PG["scheme/aap-2015"])}
    assert run_query("call_eligibility", {"call": "pg:scheme/aap-2013"}, store=shipped_store).rows == ()
    # phase 2 of an AMI is not a "previous call" for its own phase-1 laureates
    phases = run_query("call_eligibility", {"call": "pg:scheme/ami-2021"}, store=shipped_store).records()
    assert phases and all(r["earlierCall"] is None for r in phases)


def test_shipped_aap_2013_laureates(shipped_store: LocalStore) -> None:
    result = run_query("call_laureates", {"call": "pg:scheme/aap-2013"}, store=shipped_store)
    found = {str(p).rsplit("/", 1)[-1] for p in result.column("ptce")}
    # the seed list marks these PTCEs as laureates of the first call (AAP 2013, results of
    # January 2014)
    seed = {"le-phares", "clus-ter-jura", "culture-et-cooperation", "coopaxis", "re-sources", "ardaines",
            "cis-dt-52", "fe2i", "les-gouttes-d-or", "ptce-du-pays-d-ancenis"}
    assert seed <= found
    # and the query returns exactly the laureates.csv rows of that call
    with (shipped_data_dir() / "laureates.csv").open(encoding="utf-8-sig", newline="") as handle:
        listed = {row["laureate"] for row in csv.DictReader(handle) if row["call"] == "aap-2013"}
    assert found == listed
    regions = {str(r["ptce"]).rsplit("/", 1)[-1]: r["regions"] for r in result.records()}
    assert regions.get("ptce-du-pays-d-ancenis") == "Pays de la Loire"
    assert regions.get("clus-ter-jura") == "Bourgogne-Franche-Comté"


def test_shipped_pays_de_la_loire_has_at_least_four_ptce(shipped_store: LocalStore) -> None:
    result = run_query("ptce_by_region", {"region": "pg:territory/region/52"}, store=shipped_store)
    assert result.rows, "no PTCE in Pays de la Loire"
    assert {row["regionLabel"] for row in result.records()} == {"Pays de la Loire"}
    assert min(row["regionCount"] for row in result.records()) >= 4


def test_shipped_tetris_has_the_pays_de_grasse_agglomeration(shipped_store: LocalStore) -> None:
    result = run_query("ptce_members", {"ptce": "pg:ptce/tetris"}, store=shipped_store)
    authorities = [r for r in result.records() if r["kind"] == "LocalAuthority"]
    assert any("Pays de Grasse" in (r["memberLabel"] or "") for r in authorities), authorities


def test_shipped_co_membership_pairs_are_ordered_and_unique(shipped_store: LocalStore) -> None:
    result = run_query("co_membership", store=shipped_store)
    pairs = [(r["a"], r["b"]) for r in result.records()]
    assert all(a < b for a, b in pairs)
    assert len(pairs) == len(set(pairs))
    assert all(r["sharedPtces"] >= 1 for r in result.records())
