"""PTCE-level indicators no general network tool gives: composition, diversity, anchoring, law.

One row per PTCE of the data, whatever its number of known members. Members are the actors
(not PTCEs) with a membership in the PTCE that is present in the time window (see
:mod:`.periods`); each actor counts once even with several memberships.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable

from rdflib import Graph

from ptce_graph.gcpause import gc_paused
from ptce_graph.graph import PtceGraph
from ptce_graph.network.kinds import ACTOR_KINDS, UNKNOWN, is_ess
from ptce_graph.network.periods import Interval, TimeWindow, parse_bound, window
from ptce_graph.network.table import MetricTable
from ptce_graph.network.views import (
    DEFAULT_UNDATED,
    WORKING_WITH_ROLES,
    NetworkData,
    as_network_data,
    project,
    undated_meta,
)
from ptce_graph.store import SparqlStore

__all__ = ["PTCE_COLUMNS", "blau_index", "law_composition", "ptce_indicators", "shannon_diversity"]

_KIND_COLUMNS = tuple(f"members_{k.replace('-', '_')}" for k in ACTOR_KINDS)

#: Columns of :func:`ptce_indicators`.
PTCE_COLUMNS = (
    ("ptce", "label", "founded", "age", "members")
    + _KIND_COLUMNS
    + (
        "members_known_kind",
        "shannon_diversity",
        "blau_index",
        "ess_share",
        "meets_law_composition",
        "law_missing",
        "located_members",
        "local_share",
        "shared_ptces",
        "has_local_authority",
        "has_research",
        "has_training",
    )
)

_FIRM = {"enterprise", "enterprise-grouping"}
#: Kinds that are not "another person" of art. 9: ESS enterprises, firms, and unknown kinds.
_NOT_OTHER = _FIRM | {"ess-enterprise", UNKNOWN}
_RESEARCH = {"research-centre", "higher-education"}
_TRAINING = {"training-organisation", "higher-education"}


def shannon_diversity(counts: Iterable[int]) -> float | None:
    """Shannon entropy H = −Σ p_k ln p_k of a distribution given by counts (natural log).

    0 for a single category; ln K for K equally represented categories; ``None`` when empty.

    References
    ----------
    .. [1] C. E. Shannon, "A mathematical theory of communication", Bell System Technical
       Journal 27(3) (1948) 379-423, https://doi.org/10.1002/j.1538-7305.1948.tb01338.x

    Examples
    --------
    >>> round(shannon_diversity([1, 1, 1]), 6), shannon_diversity([4]), shannon_diversity([])
    (1.098612, 0.0, None)
    """
    values = [c for c in counts if c > 0]
    total = sum(values)
    if total == 0:
        return None
    return -sum((c / total) * math.log(c / total) for c in values) + 0.0


def blau_index(counts: Iterable[int]) -> float | None:
    """Blau's index of heterogeneity 1 − Σ p_k² (the chance two members drawn at random,
    with replacement, are of different kinds); ``None`` when empty.

    References
    ----------
    .. [1] P. M. Blau, *Inequality and Heterogeneity: A Primitive Theory of Social
       Structure*, Free Press, New York, 1977.

    Examples
    --------
    >>> blau_index([2, 1]), blau_index([5]), blau_index([])
    (0.4444444444444444, 0.0, None)
    """
    values = [c for c in counts if c > 0]
    total = sum(values)
    if total == 0:
        return None
    return 1.0 - sum((c / total) ** 2 for c in values)


def law_composition(member_kinds: Iterable[str], related_kinds: Iterable[str] = ()) -> list[str]:
    """What a PTCE's known actors lack to meet art. 9 of law 2014-856 (empty when they meet it).

    The law groups ESS enterprises « qui s'associent à des entreprises, en lien avec » local
    authorities, research centres, higher education, training bodies or any other person. The
    rule, the same as the legal SHACL profile and the ``ptce_composition`` query (a test checks
    that the three agree):

    * ``ess``: no member of kind ``ess-enterprise``;
    * ``enterprise``: no member of kind ``enterprise`` or ``enterprise-grouping``;
    * ``other``: no member nor related actor (a ``ptce:ExternalRelation``: partner, funder,
      client...) of another known kind. The kind decides, not the statutory family: a CRESS (a
      support network, though an association) is another person of art. 9. Unknown kinds count
      for nothing.

    Parameters
    ----------
    member_kinds
        The kind code of each member.
    related_kinds
        The kind code of each actor that works with the PTCE without belonging to it.

    Examples
    --------
    >>> law_composition(["ess-enterprise", "enterprise", "local-authority"])
    []
    >>> law_composition(["ess-enterprise", "enterprise"], related_kinds=["research-centre"])
    []
    >>> law_composition(["ess-enterprise", "unknown"], related_kinds=["enterprise"])
    ['enterprise', 'other']
    """
    members = set(member_kinds)
    missing = []
    if "ess-enterprise" not in members:
        missing.append("ess")
    if not members & _FIRM:
        missing.append("enterprise")
    if not (members | set(related_kinds)) - _NOT_OTHER:
        missing.append("other")
    return missing


def _age(founded: str | None, reference: dt.date) -> int | None:
    if not founded:
        return None
    start = parse_bound(founded, side="start", what="founding date")
    return reference.year - start.year if start <= reference else None


@gc_paused
def ptce_indicators(
    source: PtceGraph | Graph | SparqlStore | NetworkData,
    *,
    as_of: str | dt.date | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    reference_date: dt.date | None = None,
    undated: str = DEFAULT_UNDATED,
) -> MetricTable:
    """One row per PTCE: members by kind, diversity, ESS share, law, anchoring, links, age.

    Parameters
    ----------
    source
        An rdflib graph, a store, or data read by :func:`~ptce_graph.network.views.extract`.
    as_of, start, end
        The time window (see :func:`~ptce_graph.network.to_networkx`); all time by default.
    reference_date
        The day ages are counted to; by default the last day of the window, or today.
    undated
        In a window, ``"exclude"`` (default) or ``"include"`` memberships and relations with
        no date (see :func:`~ptce_graph.network.views.project`).

    Returns
    -------
    MetricTable
        Columns :data:`PTCE_COLUMNS`, rows sorted by PTCE IRI:

        * ``members``: distinct member actors; ``members_<kind>``: how many of each kind;
          ``members_known_kind``: members whose kind is not ``unknown``;
        * ``shannon_diversity`` and ``blau_index`` of the kinds of the members of known kind
          (:func:`shannon_diversity`, :func:`blau_index`), empty with no such member;
        * ``ess_share``: ESS members / members whose ESS side is known (see
          :func:`~ptce_graph.network.kinds.is_ess`);
        * ``meets_law_composition`` and ``law_missing`` (:func:`law_composition`: members,
          and the actors that work with the PTCE for the "other person" of art. 9);
        * ``located_members``: members with a known département; ``local_share``: those in
          one of the PTCE's own départements / located members (a PTCE whose territory is a
          région counts each of its départements as its own), empty when the PTCE's territory
          or every member's place is unknown;
        * ``shared_ptces``: other PTCEs with which the PTCE shares a member at the same time;
        * ``has_local_authority``, ``has_research`` (research centre or higher education),
          ``has_training`` (training body or higher education): among the members and the
          counterparts of the PTCE's direct relations (partnership, funding, support);
        * ``founded`` (as written) and ``age`` in calendar years at the reference date.

    Examples
    --------
    >>> from ptce_graph.network import example_graph
    >>> t = ptce_indicators(example_graph(), reference_date=dt.date(2024, 1, 1))
    >>> row = t.by("ptce")["https://w3id.org/ptce-graph/id/ptce/pole-deux"]
    >>> row["members"], round(row["blau_index"], 4), round(row["local_share"], 4), row["law_missing"]
    (3, 0.4444, 0.6667, 'enterprise')
    """
    data = as_network_data(source)
    time: TimeWindow | None = window(as_of, start, end)
    span: Interval | None = time.interval if time else None
    reference = reference_date or (span.end if span is not None and span.end is not None else dt.date.today())
    membership = project(data, "membership", time, undated=undated)
    ptce_view = project(data, "ptce", time, undated=undated)
    relations = project(data, "relations", time, undated=undated)
    rows = []
    for ptce in data.ptces():
        info = data.node(ptce)
        members = sorted(n for n in membership.neighbors(ptce)) if ptce in membership else []
        kinds = [(data.node(m).kind, is_ess(data.node(m).kind, "|".join(data.node(m).ess_family))) for m in members]
        counts = Counter(k for k, _ in kinds)
        known = [k for k, _ in kinds if k != UNKNOWN]
        known_counts = Counter(known)
        sides = [e for _, e in kinds if e is not None]
        related = (
            [
                data.node(u).kind
                for u, _, edge in relations.in_edges(ptce, data=True)
                if edge.get("relation_type") in WORKING_WITH_ROLES
            ]
            if ptce in relations
            else []
        )
        missing = law_composition([k for k, _ in kinds], related)
        own = data.ptce_departements.get(ptce, frozenset())
        located = [m for m in members if data.node(m).departements]
        local = [m for m in located if own & {c for c, _ in data.node(m).departements}]
        counterparts = set(members)
        if ptce in relations:
            counterparts.update(relations.predecessors(ptce))
            counterparts.update(relations.successors(ptce))
        around = {data.node(n).kind for n in counterparts}
        row = {
            "ptce": ptce,
            "label": info.label,
            "founded": info.founded,
            "age": _age(info.founded, reference),
            "members": len(members),
            **{col: counts.get(kind, 0) for col, kind in zip(_KIND_COLUMNS, ACTOR_KINDS)},
            "members_known_kind": len(known),
            "shannon_diversity": shannon_diversity(known_counts.values()),
            "blau_index": blau_index(known_counts.values()),
            "ess_share": (sum(sides) / len(sides)) if sides else None,
            "meets_law_composition": not missing,
            "law_missing": "|".join(missing),
            "located_members": len(located),
            "local_share": (len(local) / len(located)) if own and located else None,
            "shared_ptces": ptce_view.degree(ptce) if ptce in ptce_view else 0,
            "has_local_authority": "local-authority" in around,
            "has_research": bool(around & _RESEARCH),
            "has_training": bool(around & _TRAINING),
        }
        rows.append(row)
    meta = {
        "level": "ptce",
        "view": "membership",
        "window": time.label if time else "all",
        "reference_date": reference.isoformat(),
    }
    meta.update(undated_meta(membership))
    return MetricTable(PTCE_COLUMNS, rows, meta)
