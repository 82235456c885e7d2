"""The words of pictures and of the network page in French and English: kinds, roles, titles, legends, axes.

Kinds have short labels written for legends (the ontology's are sentences); roles and relation
types take the ``skos:prefLabel`` of the ``pgc:role`` scheme, so they cannot drift from it. The
interactive page's own text (filters, counts, cards) is the one table :data:`PAGE_WORDS`.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from rdflib import Literal as RdfLiteral
from rdflib.namespace import SKOS

from ptce_graph.errors import InputError
from ptce_graph.network.choices import PICTURE_LANGUAGES
from ptce_graph.network.kinds import KIND_LABELS

__all__ = ["LANGUAGES", "PAGE_WORDS", "Lang", "check_lang", "kind_label", "page_words", "role_label", "word"]

#: A language of the pictures.
Lang = Literal["en", "fr"]
#: The languages of the pictures, the default first.
LANGUAGES: tuple[Lang, ...] = PICTURE_LANGUAGES

_KIND_FR: dict[str, str] = {
    "ptce": "PTCE",
    "european-cooperative-cluster": "Cluster coopératif européen",
    "person": "Personne physique",
    "ess-enterprise": "Entreprise de l'ESS",
    "enterprise-grouping": "Groupement d'entreprises",
    "enterprise": "Entreprise classique",
    "local-authority": "Collectivité territoriale",
    "state-body": "Service de l'État",
    "research-centre": "Centre de recherche",
    "higher-education": "Enseignement supérieur",
    "training-organisation": "Organisme de formation",
    "support-network": "Réseau d'accompagnement de l'ESS",
    "financial-organisation": "Finance solidaire",
    "other": "Autre organisation",
    "unknown": "Type inconnu",
}

#: Relation types of the views that are not roles of the ``pgc:role`` scheme.
_TYPES: dict[str, tuple[str, str]] = {
    "partnership": ("partnership", "partenariat"),
    "funding": ("funding", "financement"),
    "support": ("support", "accompagnement"),
    "membership": ("membership", "adhésion"),
}

_WORDS: dict[str, tuple[str, str]] = {
    "title.membership": ("Memberships of actors in PTCEs", "Adhésions des acteurs aux PTCE"),
    "title.co-membership": ("Co-membership network of PTCE members", "Réseau des co-adhésions des membres de PTCE"),
    "title.relations": (
        "Direct relations: partnership, funding, support, carrying structure",
        "Relations directes : partenariat, financement, accompagnement, portage",
    ),
    "title.ptce": ("PTCEs linked by shared members", "PTCE liés par des membres communs"),
    "all dates": ("all dates", "toutes dates"),
    "view": ("view", "vue"),
    "nodes": ("nodes", "nœuds"),
    "ties": ("ties", "liens"),
    "colour": ("colour", "couleur"),
    "area": ("area", "surface"),
    "layout": ("layout: Fruchterman-Reingold, seed", "disposition : Fruchterman-Reingold, graine"),
    "betweenness centrality": ("betweenness centrality", "centralité d'intermédiarité"),
    "degree": ("degree", "degré"),
    "actor kind": ("actor kind", "type d'acteur"),
    "Actor kind": ("Actor kind", "Type d'acteur"),
    "Louvain community": ("Louvain community", "communauté de Louvain"),
    "Community": ("Community", "Communauté"),
    "community": ("community", "communauté"),
    "no tie": ("no tie", "sans lien"),
    "other communities": ("other communities", "autres communautés"),
    "Relation or role": ("Relation or role", "Relation ou rôle"),
    "working-with": ("works with a PTCE:\n{roles}", "travaille avec un PTCE :\n{roles}"),
    # indicator charts
    "composition.title": ("Members of each PTCE by kind of actor", "Membres de chaque PTCE par type d'acteur"),
    "composition.x": ("members", "membres"),
    "composition.note": (
        "the {n} PTCEs with the most known members; {rest} more have fewer",
        "les {n} PTCE aux membres connus les plus nombreux ; {rest} autres en ont moins",
    ),
    "distribution.title": ("Distributions of the PTCE indicators", "Distributions des indicateurs des PTCE"),
    "PTCEs": ("PTCEs", "PTCE"),
    "members": ("known members", "membres connus"),
    "shannon_diversity": ("Shannon diversity of kinds", "diversité de Shannon des types"),
    "ess_share": ("share of ESS members", "part de membres de l'ESS"),
    "age": ("age (years)", "âge (années)"),
    "no value": ("{n} without a value", "{n} sans valeur"),
    # maps
    "map.title.region": ("PTCEs by région", "PTCE par région"),
    "map.title.departement": ("PTCEs by département", "PTCE par département"),
    "map.count": ("PTCEs", "PTCE"),
    "map.points": ("PTCE with a known commune", "PTCE dont la commune est connue"),
    "map.note.region": (
        "{placed} of {total} PTCEs placed; one placed in several régions counts in each",
        "{placed} PTCE placés sur {total} ; un PTCE présent dans plusieurs régions compte dans chacune",
    ),
    "map.note.departement": (
        "{placed} of {total} PTCEs placed; a PTCE whose territory is wider than a département is not counted",
        "{placed} PTCE placés sur {total} ; un PTCE dont le territoire dépasse un département n'est pas compté",
    ),
    "map.source": (
        "Boundaries: IGN ADMIN EXPRESS COG 2018 via france-geojson (Licence Ouverte), simplified; "
        "points: commune representative points",
        "Limites : IGN ADMIN EXPRESS COG 2018 via france-geojson (Licence Ouverte), simplifiées ; "
        "points : point représentatif de la commune",
    ),
}

#: Every text of the interactive network page that is not data: the page's HTML and its script
#: take them from here only (the script from the page's JSON ``words``), ``{name}`` fields filled
#: in Python or in the script.
PAGE_WORDS: dict[str, tuple[str, str]] = {
    "help": (
        "Search and filter on the right; hover a node to see its ties, click it for its card; "
        "scroll to zoom, drag to pan.",
        "Cherchez et filtrez à droite ; survolez un nœud pour voir ses liens, cliquez dessus pour sa fiche ; "
        "la molette zoome, glisser déplace.",
    ),
    "search": ("Search by name", "Chercher par nom"),
    "search.placeholder": ("part of a name…", "une partie du nom…"),
    "kinds": ("Actor kind", "Type d'acteur"),
    "roles.membership": ("Role in the PTCE", "Rôle dans le PTCE"),
    "roles.relations": ("Relation", "Relation"),
    "no role": ("no role recorded", "aucun rôle connu"),
    "region": ("Région", "Région"),
    "all regions": ("all régions", "toutes les régions"),
    "year": ("Year", "Année"),
    "all dates": ("all dates", "toutes dates"),
    "undated": (
        "with a year, count the {n} undated ties as present every year (else they are left out)",
        "avec une année, compter les {n} liens non datés comme présents chaque année (sinon ils sont écartés)",
    ),
    "show all": ("Show all", "Tout afficher"),
    "shown": (
        "{nodes} of {total} nodes shown, {ties} of {all} ties",
        "{nodes} nœuds affichés sur {total}, {ties} liens sur {all}",
    ),
    "click": ("Click a node.", "Cliquez sur un nœud."),
    "legend": ("Legend", "Légende"),
    "area": ("Area: {size_by}.", "Surface : {size_by}."),
    "colon": (": ", " : "),
    "card.territory": ("Territory", "Territoire"),
    "card.members": ("Members (all dates)", "Membres (toutes dates)"),
    "card.homepage": ("Homepage", "Site web"),
    "card.sources": ("Sources ({n})", "Sources ({n})"),
    "detail.iri": ("IRI", "IRI"),
    "detail.kind": ("kind", "type"),
    "detail.region": ("région", "région"),
    "detail.ties": ("ties drawn", "liens dessinés"),
    "detail.community": ("community", "communauté"),
}


def page_words(lang: str = "en") -> dict[str, str]:
    """The network page's texts in ``lang``, by key (``{name}`` fields left to fill).

    Examples
    --------
    >>> page_words("fr")["card.territory"], page_words()["shown"]
    ('Territoire', '{nodes} of {total} nodes shown, {ties} of {all} ties')
    """
    index = 1 if check_lang(lang) == "fr" else 0
    return {key: pair[index] for key, pair in sorted(PAGE_WORDS.items())}


def check_lang(lang: str) -> Lang:
    """The language, or an :class:`~ptce_graph.errors.InputError` naming the known ones.

    Examples
    --------
    >>> check_lang("fr")
    'fr'
    """
    if lang == "en":
        return "en"
    if lang == "fr":
        return "fr"
    raise InputError(f"unknown language '{lang}'; choose one of {', '.join(LANGUAGES)}")


def word(key: str, lang: str = "en", **values: object) -> str:
    """A phrase of the pictures in ``lang``, with ``{name}`` fields filled from ``values``.

    Examples
    --------
    >>> word("map.title.region", "fr")
    'PTCE par région'
    >>> word("no value", "en", n=3)
    '3 without a value'
    """
    en, fr = _WORDS[key]
    text = fr if check_lang(lang) == "fr" else en
    return text.format(**values) if values else text


def kind_label(kind: str, lang: str = "en") -> str:
    """The short label of an actor kind for legends.

    Examples
    --------
    >>> kind_label("local-authority"), kind_label("local-authority", "fr")
    ('Local authority', 'Collectivité territoriale')
    """
    table = _KIND_FR if check_lang(lang) == "fr" else KIND_LABELS
    return table.get(kind, kind)


@cache
def _role_labels() -> dict[tuple[str, str], str]:
    from ptce_graph.io.vocabulary import ontology_graph
    from ptce_graph.model.namespaces import PGC

    graph = ontology_graph()
    labels: dict[tuple[str, str], str] = {}
    for concept in graph.subjects(SKOS.inScheme, PGC["role"]):
        code = graph.value(concept, SKOS.notation)
        for label in graph.objects(concept, SKOS.prefLabel):
            if code is not None and isinstance(label, RdfLiteral) and label.language in LANGUAGES:
                labels[(str(code), str(label.language))] = str(label)
    return labels


def role_label(code: str, lang: str = "en") -> str:
    """The label of a role or relation type (partner, funding, carrying-structure...), lower case.

    Examples
    --------
    >>> role_label("carrying-structure"), role_label("carrying-structure", "fr")
    ('carrying structure', 'structure porteuse')
    >>> role_label("funding", "fr")
    'financement'
    """
    lang = check_lang(lang)
    if code in _TYPES:
        return _TYPES[code][0 if lang == "en" else 1]
    found = _role_labels().get((code, lang))
    text = found if found is not None else code.replace("-", " ")
    return text[:1].lower() + text[1:]
