"""A tiny bundled graph for the doctests: the fixture ``tests/fixtures/network.ttl``, verbatim."""

from __future__ import annotations

from rdflib import Graph

from ptce_graph.io.rdf import parse_rdf_text
from ptce_graph.model.namespaces import bind_prefixes

__all__ = ["EXAMPLE_TURTLE", "example_graph"]

#: Five PTCEs, eight actors, ten dated memberships and five direct relations; a test checks
#: that this text is the fixture ``tests/fixtures/network.ttl``.
EXAMPLE_TURTLE = """# Fixture of the network analytics (tests/test_network*.py): five PTCEs, eight actors, ten dated
# memberships, two partnerships, one funding, two supports, one relation with a PTCE. Every value the tests expect is
# worked out by hand from this file in the tests' comments. The same triples are bundled as
# ptce_graph.network.example_graph() for the doctests; a test checks that both are equal.
#
# Co-membership over all time (edges need the two memberships to overlap in time):
#   triangle coop-a, firm-b, agglo-c (pole-un); triangle coop-a, asso-f, lycee-g (pole-deux);
#   lycee-g - org-h (pole-trois); coop-a - firm-b again (pole-quatre): weight 2.
@prefix ptce:   <https://w3id.org/ptce-graph/ontology#> .
@base <https://w3id.org/ptce-graph/id/> .
@prefix role:   <https://w3id.org/ptce-graph/concept/role/> .
@prefix fam:    <https://w3id.org/ptce-graph/concept/ess-family/> .
@prefix ptype:  <https://w3id.org/ptce-graph/concept/partnership-type/> .
@prefix org:    <http://www.w3.org/ns/org#> .
@prefix dct:    <http://purl.org/dc/terms/> .
@prefix dcat:   <http://www.w3.org/ns/dcat#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix geo:    <http://www.opengis.net/ont/geosparql#> .
@prefix igeo:   <http://rdf.insee.fr/def/geo#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .

# --- territories ---------------------------------------------------------------------------
<territory/region/84> a ptce:Region ; igeo:codeINSEE "84" ; rdfs:label "Auvergne-Rhône-Alpes"@fr .
<territory/region/11> a ptce:Region ; igeo:codeINSEE "11" ; rdfs:label "Île-de-France"@fr .
<territory/departement/26> a ptce:Departement ; igeo:codeINSEE "26" ; rdfs:label "Drôme"@fr ;
    geo:sfWithin <territory/region/84> .
<territory/departement/07> a ptce:Departement ; igeo:codeINSEE "07" ; rdfs:label "Ardèche"@fr ;
    geo:sfWithin <territory/region/84> .
<territory/departement/69> a ptce:Departement ; igeo:codeINSEE "69" ; rdfs:label "Rhône"@fr ;
    geo:sfWithin <territory/region/84> .
<territory/departement/75> a ptce:Departement ; igeo:codeINSEE "75" ; rdfs:label "Paris"@fr ;
    geo:sfWithin <territory/region/11> .
<territory/commune/26281> a ptce:Commune ; igeo:codeINSEE "26281" ; rdfs:label "Romans-sur-Isère"@fr ;
    geo:sfWithin <territory/departement/26> .
<territory/commune/26362> a ptce:Commune ; igeo:codeINSEE "26362" ; rdfs:label "Valence"@fr ;
    geo:sfWithin <territory/departement/26> .
<territory/commune/07186> a ptce:Commune ; igeo:codeINSEE "07186" ; rdfs:label "Privas"@fr ;
    geo:sfWithin <territory/departement/07> .
<territory/commune/69123> a ptce:Commune ; igeo:codeINSEE "69123" ; rdfs:label "Lyon"@fr ;
    geo:sfWithin <territory/departement/69> .
<territory/commune/75056> a ptce:Commune ; igeo:codeINSEE "75056" ; rdfs:label "Paris"@fr ;
    geo:sfWithin <territory/departement/75> .

# --- PTCEs -----------------------------------------------------------------------------------
<ptce/pole-un> a ptce:PTCE , org:OrganizationalCollaboration ; rdfs:label "Pôle Un"@fr ;
    ptce:hasTerritory <territory/commune/26281> ; schema:foundingDate "2014"^^xsd:gYear .
<ptce/pole-deux> a ptce:PTCE , org:OrganizationalCollaboration ; rdfs:label "Pôle Deux"@fr ;
    ptce:hasTerritory <territory/departement/07> ; schema:foundingDate "2017-03-15"^^xsd:date .
<ptce/pole-trois> a ptce:PTCE , org:OrganizationalCollaboration ; rdfs:label "Pôle Trois"@fr ;
    ptce:hasTerritory <territory/region/84> .
<ptce/pole-quatre> a ptce:PTCE , org:OrganizationalCollaboration ; rdfs:label "Pôle Quatre"@fr ;
    ptce:hasTerritory <territory/departement/26> ; schema:foundingDate "2018-05"^^xsd:gYearMonth .
<ptce/pole-cinq> a ptce:PTCE , org:OrganizationalCollaboration ; rdfs:label "Pôle Cinq"@fr ;
    schema:foundingDate "2020"^^xsd:gYear .

# --- actors ----------------------------------------------------------------------------------
<actor/coop-a> a ptce:ESSEnterprise ; rdfs:label "Coop A"@fr , "Co-op A"@en ;
    ptce:essFamily fam:scic ; ptce:basedIn <territory/commune/26281> .
<actor/firm-b> a ptce:Enterprise ; rdfs:label "Firm B"@fr ; ptce:basedIn <territory/commune/26362> .
<actor/agglo-c> a ptce:LocalAuthority ; rdfs:label "Agglo C"@fr .
<actor/asso-f> a ptce:ESSEnterprise ; rdfs:label "Asso F"@fr ;
    ptce:essFamily fam:association ; ptce:basedIn <territory/commune/07186> .
<actor/lycee-g> a ptce:TrainingOrganisation ; rdfs:label "Lycée G"@fr ;
    ptce:basedIn <territory/departement/07> .
<actor/org-h> a ptce:Organisation ; rdfs:label "Org H"@en ; ptce:basedIn <territory/commune/75056> .
<actor/labo-r> a ptce:ResearchCentre ; rdfs:label "Labo R"@fr ; ptce:basedIn <territory/commune/69123> .
<actor/reseau-n> a ptce:SupportNetwork ; rdfs:label "Réseau N"@fr ; ptce:essFamily fam:association .

# --- memberships -----------------------------------------------------------------------------
<membership/p1-a> a ptce:Membership , org:Membership ; org:member <actor/coop-a> ;
    org:organization <ptce/pole-un> ; org:role role:carrying-structure ;
    org:memberDuring <membership/p1-a#period> ; dct:source <source/src-a> .
<membership/p1-a#period> a dct:PeriodOfTime ; dcat:startDate "2014"^^xsd:gYear .
<membership/p1-b> a ptce:Membership , org:Membership ; org:member <actor/firm-b> ;
    org:organization <ptce/pole-un> ; org:role role:member ;
    org:memberDuring <membership/p1-b#period> ; dct:source <source/src-a> , <source/src-b> .
<membership/p1-b#period> a dct:PeriodOfTime ; dcat:startDate "2016"^^xsd:gYear ; dcat:endDate "2019"^^xsd:gYear .
<membership/p1-c> a ptce:Membership , org:Membership ; org:member <actor/agglo-c> ;
    org:organization <ptce/pole-un> ; org:role role:associate ; dct:source <source/src-a> .
<membership/p2-a> a ptce:Membership , org:Membership ; org:member <actor/coop-a> ;
    org:organization <ptce/pole-deux> ; org:role role:member ;
    org:memberDuring <membership/p2-a#period> ; dct:source <source/src-b> .
<membership/p2-a#period> a dct:PeriodOfTime ; dcat:startDate "2019-06"^^xsd:gYearMonth .
<membership/p2-f> a ptce:Membership , org:Membership ; org:member <actor/asso-f> ;
    org:organization <ptce/pole-deux> ; org:role role:founder ;
    org:memberDuring <membership/p2-f#period> ; dct:source <source/src-b> .
<membership/p2-f#period> a dct:PeriodOfTime ; dcat:startDate "2017-03-15"^^xsd:date .
<membership/p2-g> a ptce:Membership , org:Membership ; org:member <actor/lycee-g> ;
    org:organization <ptce/pole-deux> ; org:role role:member ;
    org:memberDuring <membership/p2-g#period> ; dct:source <source/src-b> .
<membership/p2-g#period> a dct:PeriodOfTime ; dcat:startDate "2017"^^xsd:gYear ; dcat:endDate "2020"^^xsd:gYear .
<membership/p3-g> a ptce:Membership , org:Membership ; org:member <actor/lycee-g> ;
    org:organization <ptce/pole-trois> ; org:role role:member ; dct:source <source/src-b> .
<membership/p3-h> a ptce:Membership , org:Membership ; org:member <actor/org-h> ;
    org:organization <ptce/pole-trois> ; org:role role:member ;
    org:memberDuring <membership/p3-h#period> ; dct:source <source/src-b> .
<membership/p3-h#period> a dct:PeriodOfTime ; dcat:startDate "2022"^^xsd:gYear .
<membership/p4-a> a ptce:Membership , org:Membership ; org:member <actor/coop-a> ;
    org:organization <ptce/pole-quatre> ; org:role role:founder ; dct:source <source/src-a> .
<membership/p4-b> a ptce:Membership , org:Membership ; org:member <actor/firm-b> ;
    org:organization <ptce/pole-quatre> ; org:role role:member ;
    org:memberDuring <membership/p4-b#period> ; dct:source <source/src-a> .
<membership/p4-b#period> a dct:PeriodOfTime ; dcat:startDate "2018"^^xsd:gYear ; dcat:endDate "2018"^^xsd:gYear .

# --- direct relations ------------------------------------------------------------------------
<partnership/a-r> a ptce:Partnership ; ptce:partner <actor/labo-r> , <actor/coop-a> ;
    ptce:partnershipType ptype:research ;
    dct:temporal <partnership/a-r#period> ; dct:source <source/src-a> .
<partnership/a-r#period> a dct:PeriodOfTime ; dcat:startDate "2018"^^xsd:gYear ; dcat:endDate "2020"^^xsd:gYear .
<partnership/r-p2> a ptce:Partnership ; ptce:partner <actor/labo-r> , <ptce/pole-deux> ;
    ptce:partnershipType ptype:research ; dct:source <source/src-b> .
<funding/c-p1> a ptce:Funding , schema:MonetaryGrant ; schema:funder <actor/agglo-c> ;
    ptce:recipient <ptce/pole-un> ; schema:amount "50000"^^xsd:decimal ; schema:currency "EUR" ;
    dct:temporal <funding/c-p1#period> ; dct:source <source/src-a> .
<funding/c-p1#period> a dct:PeriodOfTime ; dcat:startDate "2016"^^xsd:gYear ; dcat:endDate "2016"^^xsd:gYear .
<support/dla-p1> a ptce:Support ; ptce:scheme <scheme/dla> ; ptce:supporter <actor/reseau-n> ;
    ptce:beneficiary <ptce/pole-un> ; dct:temporal <support/dla-p1#period> ; dct:source <source/src-a> .
<support/dla-p1#period> a dct:PeriodOfTime ; dcat:startDate "2017-09"^^xsd:gYearMonth .
# an actor that works with a PTCE without belonging to it: in relations, never a member
<relation/n-p2> a ptce:ExternalRelation ; ptce:relatedAgent <actor/reseau-n> ;
    ptce:relatedTo <ptce/pole-deux> ; ptce:relationRole role:supporter ;
    dct:temporal <relation/n-p2#period> ; dct:source <source/src-b> .
<relation/n-p2#period> a dct:PeriodOfTime ; dcat:startDate "2020"^^xsd:gYear .
# a support with no named supporter gives no edge
<support/transfer-p2> a ptce:Support ; ptce:scheme <scheme/transfer> ; ptce:beneficiary <ptce/pole-deux> ;
    dct:source <source/src-b> .
"""


def example_graph() -> Graph:
    """A fresh copy of the small example graph (the fixture of the network tests).

    Examples
    --------
    >>> len(example_graph())
    221
    """
    graph = bind_prefixes(parse_rdf_text(EXAMPLE_TURTLE, "ttl", where="example_graph()"))
    return graph
