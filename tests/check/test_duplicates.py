"""Likely duplicates are flagged by identifier, website, normalised name or page, unless linked."""

from __future__ import annotations

from conftest import MINI, write_folder
from rdflib import Graph

from ptce_graph.check.duplicates import find_duplicates, normalised_label
from ptce_graph.io.ingest import load_folders

TURTLE = """
@prefix ptce: <https://w3id.org/ptce-graph/ontology#> .
@prefix org:  <http://www.w3.org/ns/org#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@base <https://w3id.org/ptce-graph/id/> .

<actor/juratri> a ptce:ESSEnterprise ; rdfs:label "Juratri"@fr ; ptce:siren "123456782" .
<actor/juratri-sas> a ptce:Enterprise ; rdfs:label "JURATRI SAS"@fr ; ptce:siren "123456782" .
<ptce/phares> a ptce:PTCE ; rdfs:label "Le PHARES"@fr ; foaf:homepage <https://www.phares.fr/> .
<actor/scic-phares> a ptce:ESSEnterprise ; rdfs:label "SCIC Cité PHARES"@fr ; foaf:homepage <http://phares.fr> .
<actor/cress-pdl> a ptce:SupportNetwork ; rdfs:label "CRESS des Pays-de-la-Loire"@fr .
<actor/cress-pays-de-la-loire> a ptce:SupportNetwork ; rdfs:label "Cress Pays de la Loire"@fr .
<actor/cget> a ptce:StateBody ; rdfs:label "Agence"@fr .
<actor/anct> a ptce:StateBody ; rdfs:label "AGENCE"@fr ; dct:replaces <actor/cget> .
<actor/brie-nov> a ptce:ESSEnterprise ; rdfs:label "Brie'Nov"@fr .
<ptce/brie-nov> a ptce:PTCE ; rdfs:label "PTCE de Brie'Nov"@fr ; org:hasMember <actor/brie-nov> .
<membership/m> a ptce:Membership ; org:member <actor/brie-nov> ; org:organization <ptce/brie-nov> .
<source/a> a ptce:Source ; schema:url "https://www.avise.org/ptce/"^^xsd:anyURI .
<source/b> a ptce:Source ; schema:url "http://avise.org/ptce"^^xsd:anyURI .
"""


def test_each_kind_of_duplicate_is_flagged_and_linked_pairs_are_not() -> None:
    found = {(d.first.rsplit("/", 2)[-2] + "/" + d.first.rsplit("/", 1)[-1],
              d.second.rsplit("/", 2)[-2] + "/" + d.second.rsplit("/", 1)[-1], d.reason)
             for d in find_duplicates(Graph().parse(data=TURTLE, format="turtle"))}
    assert found == {
        ("actor/juratri", "actor/juratri-sas", "siren"),        # one SIREN, the strongest reason kept
        ("actor/scic-phares", "ptce/phares", "website"),        # scheme, www. and slash ignored
        ("actor/cress-pays-de-la-loire", "actor/cress-pdl", "label"),  # case, accents, hyphens, "des"
        ("source/a", "source/b", "url"),                        # one page, two source nodes
    }  # anct replaces cget, and brie-nov is a member of the PTCE it carries: not flagged


def test_form_words_are_ignored_but_a_name_of_form_words_is_kept() -> None:
    assert normalised_label("SCIC SAS Groupe Archer") == "groupe archer"
    assert normalised_label("Association") == "association"


def test_a_duplicate_in_a_user_folder_is_found(tmp_path) -> None:
    files = dict(MINI)
    files["actors.csv"] = files["actors.csv"] + "firm-b-bis,FIRM B,,enterprise,,,,,,,,,,,,,,src-a\n"
    folder = write_folder(tmp_path / "data", files)
    graph = load_folders([folder])
    assert [(d.reason, d.value) for d in find_duplicates(graph)] == [("label", "firm b")]
