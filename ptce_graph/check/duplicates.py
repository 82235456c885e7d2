"""Likely duplicates among PTCEs, actors and sources: same identifier, website or normalised name.

Two nodes are flagged when they share a SIREN, an RNA number, a website (scheme, ``www.``,
case and a trailing slash ignored) or a label once accents, case, punctuation and legal-form
words (association, SCIC, SAS...) are removed; two sources when their URLs are the same page
(same rules). A pair the data already links is not flagged: ``owl:sameAs`` (the same entity
under two ids), ``dct:replaces`` (a successor, such as ANCT replacing CGET), ``owl:differentFrom``,
or a membership or relation between the two (the association Brie'Nov carries the PTCE project
"PTCE de Brie'Nov": an actor that takes part in a PTCE is not that PTCE).

Examples
--------
>>> normalised_label("SCIC Cité PHARES")
'cite phares'
>>> normalised_url("http://www.Example.org/ptce/")
'example.org/ptce'
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from urllib.parse import unquote

from rdflib import Graph

from ptce_graph.io.ntriples import NTriples
from ptce_graph.store import LocalStore

__all__ = ["Duplicate", "find_duplicates", "normalised_label", "normalised_url"]

#: Words that say what legal form or kind an organisation has, not which one it is.
_FORM_WORDS = frozenset(
    [
        "association",
        "asso",
        "scic",
        "scop",
        "sa",
        "sas",
        "sarl",
        "sasu",
        "eurl",
        "gie",
        "gip",
        "cae",
        "cooperative",
        "cooperatif",
        "sci",
        "societe",
        "cooperative",
        "interet",
        "collectif",
        "groupement",
        "entreprise",
        "entreprises",
        "ptce",
        "pole",
        "territorial",
        "cooperation",
        "economique",
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "l",
        "d",
        "et",
        "en",
    ]
)


@dataclass(frozen=True, order=True)
class Duplicate:
    """Two nodes that are probably the same thing, and why.

    ``reason`` is ``siren``, ``rna``, ``website``, ``label`` or ``url`` (sources); ``value`` is the
    shared (normalised) value.
    """

    first: str
    second: str
    reason: str
    value: str

    def __str__(self) -> str:
        return (
            f"<{self.first}> and <{self.second}> share a {self.reason} ({self.value}): merge them, or link "
            "them with owl:sameAs or dct:replaces"
        )


def normalised_label(label: str) -> str:
    """A label without accents, case, punctuation and legal-form words."""
    text = unicodedata.normalize("NFKD", label)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    words = re.findall(r"[a-z0-9]+", text)
    kept = [w for w in words if w not in _FORM_WORDS]
    return " ".join(kept if kept else words)


def normalised_url(url: str) -> str:
    """A URL without scheme, ``www.``, case, fragment and trailing slash."""
    text = unquote(url.strip()).lower()
    text = re.sub(r"^[a-z]+://", "", text)
    text = re.sub(r"^www\.", "", text)
    return text.split("#", 1)[0].rstrip("/")


_Q_ENTITIES = """
SELECT ?node ?key ?value WHERE {
  { SELECT DISTINCT ?node WHERE { ?node a/rdfs:subClassOf* ptce:Actor } }
  { ?node rdfs:label ?value BIND("label" AS ?key) }
  UNION { ?node ptce:siren ?value BIND("siren" AS ?key) }
  UNION { ?node ptce:rna ?value BIND("rna" AS ?key) }
  UNION { ?node foaf:homepage ?value BIND("website" AS ?key) }
}"""

_Q_SOURCES = """
SELECT ?node ?key ?value WHERE {
  ?node a ptce:Source ; schema:url ?value . BIND("url" AS ?key)
}"""

_Q_LINKED = """
SELECT ?a ?b WHERE {
  { ?a owl:sameAs ?b } UNION { ?a dct:replaces ?b } UNION { ?a owl:differentFrom ?b }
  UNION { ?m org:member ?a ; org:organization ?b }
  UNION { ?r a ptce:ExternalRelation ; ptce:relatedAgent ?a ; ptce:relatedTo ?b }
}"""


def find_duplicates(graph: Graph | NTriples | LocalStore) -> list[Duplicate]:
    """Every pair of likely duplicates in ``graph``, sorted.

    Examples
    --------
    >>> from ptce_graph import load
    >>> find_duplicates(load())
    []
    """
    store = (
        graph if isinstance(graph, LocalStore) else LocalStore(graph, with_ontology=True)
    )  # the ontology says what an actor is
    linked = {frozenset((str(a), str(b))) for a, b in store.select(_Q_LINKED)[1]}
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for query in (_Q_ENTITIES, _Q_SOURCES):
        for node, key, text in store.select(query)[1]:
            groups[(str(key), _normalise(str(key), str(text)))].add(str(node))
    found = set()
    for (reason, value), nodes in groups.items():
        if not value or len(nodes) < 2:
            continue
        for first, second in combinations(sorted(nodes), 2):
            if frozenset((first, second)) not in linked:
                found.add(Duplicate(first, second, reason, value))
    return _one_per_pair(sorted(found))


def _normalise(key: str, value: str) -> str:
    if key == "label":
        return normalised_label(value)
    if key in ("website", "url"):
        return normalised_url(value)
    return value.strip().upper()


def _one_per_pair(found: Iterable[Duplicate]) -> list[Duplicate]:
    """The strongest reason for each pair (identifier, then website or URL, then label)."""
    rank = {"siren": 0, "rna": 1, "website": 2, "url": 2, "label": 3}
    best: dict[tuple[str, str], Duplicate] = {}
    for item in found:
        pair = (item.first, item.second)
        if pair not in best or rank[item.reason] < rank[best[pair].reason]:
            best[pair] = item
    return sorted(best.values())
