"""The choices of the network commands (views, levels, formats, defaults), without NetworkX.

Kept apart so that the command line can list them without importing the analysis stack.
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "CHARTS",
    "DEFAULT_ALPHA",
    "DEFAULT_ENGINE",
    "DEFAULT_GROUPING",
    "DEFAULT_MEASURE",
    "DEFAULT_SEED",
    "DEFAULT_UNDATED",
    "DEFAULT_VIEW",
    "ENGINES",
    "GROUPINGS",
    "LEVELS",
    "MAP_LEVELS",
    "MEASURES",
    "PICTURE_LANGUAGES",
    "PLOT_FORMATS",
    "UNDATED_POLICIES",
    "VIEWS",
    "Engine",
]

#: The views and what they show.
VIEWS: dict[str, str] = {
    "membership": "bipartite actor–PTCE graph of memberships",
    "co-membership": "actor–actor graph, weight = number of PTCEs shared at the same time",
    "relations": "directed multigraph of partnerships, fundings, supports, partners/funders/clients of PTCEs "
    "and carrying structures",
    "ptce": "PTCE–PTCE graph, weight = number of members shared at the same time",
}

#: The view used when none is named.
DEFAULT_VIEW = "co-membership"

#: What a time window does with relations that carry no date at all (no start, no end).
UNDATED_POLICIES = ("exclude", "include")
#: The default: a question about a date is answered with dated facts only.
DEFAULT_UNDATED = "exclude"

#: Levels of ``ptce-graph metrics``: one row per actor, per PTCE, or for the whole network.
LEVELS = ("actor", "ptce", "network")

#: The seed of Louvain, sampled betweenness and layouts when none is given.
DEFAULT_SEED = 42

#: The picture formats of ``ptce-graph plot``.
PLOT_FORMATS = (".png", ".svg", ".pdf", ".html")

#: The charts of the PTCE indicators (``ptce-graph plot --chart``) and what they show.
CHARTS: dict[str, str] = {
    "composition": "a bar per PTCE (those with the most known members), split by kind of member",
    "distribution": "histograms of members, Shannon diversity of kinds, share of ESS members and age",
}

#: The levels of ``ptce-graph map``: the units counted and drawn, the default first.
MAP_LEVELS: tuple[Literal["region", "departement"], ...] = ("region", "departement")

#: The languages of pictures (titles, legends, axes), the default first.
PICTURE_LANGUAGES: tuple[Literal["en", "fr"], ...] = ("en", "fr")

#: A graph library the measures can run on (:mod:`ptce_graph.network.engine`).
Engine = Literal["igraph", "networkx"]
#: The engines, the default first.
ENGINES: tuple[Engine, ...] = ("igraph", "networkx")
#: The engine the measures use when none is given.
DEFAULT_ENGINE: Engine = "igraph"

#: What ``ptce-graph metrics --measure`` computes: the standard measures of each level,
#: Gould–Fernandez brokerage roles (:mod:`.brokerage`), or the BiCM-validated projection of the
#: memberships (:mod:`.bicm`).
MEASURES: dict[str, str] = {
    "standard": "the measures of the level (docs/metrics.md §4-6)",
    "brokerage": "Gould–Fernandez brokerage roles by group (per actor, or per role with --level network)",
    "bicm": "one row per pair of actors (or PTCEs with --view ptce) sharing a PTCE (a member): "
    "p-value under the bipartite configuration model, validated or not",
}
#: The measure computed when none is named.
DEFAULT_MEASURE = "standard"
#: The groupings of the brokerage roles: actor kind, ESS side, région.
GROUPINGS = ("kind", "ess", "region")
#: The grouping used when none is named.
DEFAULT_GROUPING = "kind"
#: The false discovery rate of the BiCM-validated projection when none is given.
DEFAULT_ALPHA = 0.05
