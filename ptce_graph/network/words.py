"""The words of pictures in French and English: kinds, roles, titles, legends and axes.

Kinds have short labels written for legends (the ontology's are sentences); roles and relation
types take the ``skos:prefLabel`` of the ``pgc:role`` scheme, so they cannot drift from it.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from rdflib import Literal as RdfLiteral
from rdflib.namespace import SKOS

from ptce_graph.errors import InputError
from ptce_graph.network.choices import PICTURE_LANGUAGES
from ptce_graph.network.kinds import KIND_LABELS

__all__ = ["LANGUAGES", "Lang", "check_lang", "kind_label", "role_label", "word"]

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
    from ptce_graph.model.namespaces import PGC
    from ptce_graph.model.vocabulary import ontology_graph

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
