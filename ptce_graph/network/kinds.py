"""Actor kinds of the network views: the class of each node, its code, its label, ESS or not."""

from __future__ import annotations

from collections.abc import Iterable

from ptce_graph.model.namespaces import PTCE

__all__ = [
    "ACTOR_KINDS",
    "KINDS",
    "KIND_LABELS",
    "KIND_OF_CLASS",
    "UNKNOWN",
    "is_ess",
    "kind_of_classes",
]

#: Kind code of a node typed with the class, most specific class first. A node with several
#: of these classes gets the kind of the first one in this order (``EnterpriseGrouping``
#: before ``Enterprise``, any class before ``Organisation``). The codes are those of the
#: ``pgc:actor-kind`` scheme; a test checks them against the shipped scheme.
KIND_OF_CLASS: dict[str, str] = {
    str(PTCE.PTCE): "ptce",
    str(PTCE.EuropeanCooperativeCluster): "european-cooperative-cluster",
    str(PTCE.Person): "person",
    str(PTCE.ESSEnterprise): "ess-enterprise",
    str(PTCE.EnterpriseGrouping): "enterprise-grouping",
    str(PTCE.Enterprise): "enterprise",
    str(PTCE.LocalAuthority): "local-authority",
    str(PTCE.StateBody): "state-body",
    str(PTCE.ResearchCentre): "research-centre",
    str(PTCE.HigherEducationInstitution): "higher-education",
    str(PTCE.TrainingOrganisation): "training-organisation",
    str(PTCE.SupportNetwork): "support-network",
    str(PTCE.FinancialOrganisation): "financial-organisation",
    str(PTCE.OtherOrganisation): "other",
    str(PTCE.Organisation): "unknown",
}

#: The kind of a node typed with none of the classes above, or only ``ptce:Organisation``.
UNKNOWN = "unknown"

#: Every kind code, in the order of :data:`KIND_OF_CLASS` (the order of legends and columns).
KINDS: tuple[str, ...] = tuple(dict.fromkeys(KIND_OF_CLASS.values()))

#: The kinds a PTCE member can have (every kind but ``ptce``), in a fixed order.
ACTOR_KINDS: tuple[str, ...] = tuple(k for k in KINDS if k != "ptce")

#: English labels of the kinds, for legends and tables.
KIND_LABELS: dict[str, str] = {
    "ptce": "PTCE",
    "european-cooperative-cluster": "European cooperative cluster",
    "person": "Natural person",
    "ess-enterprise": "ESS enterprise",
    "enterprise-grouping": "Grouping of firms",
    "enterprise": "Conventional firm",
    "local-authority": "Local authority",
    "state-body": "State body",
    "research-centre": "Research centre",
    "higher-education": "Higher education",
    "training-organisation": "Training organisation",
    "support-network": "ESS support network",
    "financial-organisation": "Solidarity finance",
    "other": "Other organisation",
    "unknown": "Unknown kind",
}

_RANK = {cls: index for index, cls in enumerate(KIND_OF_CLASS)}


def kind_of_classes(classes: Iterable[str]) -> str:
    """The kind code of a node from the IRIs of its classes (most specific class wins).

    Examples
    --------
    >>> kind_of_classes([str(PTCE.Enterprise), str(PTCE.EnterpriseGrouping)])
    'enterprise-grouping'
    >>> kind_of_classes(["http://xmlns.com/foaf/0.1/Agent"])
    'unknown'
    """
    known = sorted((c for c in classes if c in _RANK), key=_RANK.__getitem__)
    return KIND_OF_CLASS[known[0]] if known else UNKNOWN


def is_ess(kind: str, ess_family: str = "") -> bool | None:
    """Whether an actor belongs to the social and solidarity economy (ESS).

    An actor is ESS when its kind is ``ess-enterprise`` or when it has at least one
    ``ptce:essFamily`` (a statutory family such as association, cooperative, mutual,
    foundation, or an ESS approval such as ESUS): by art. 1 of law 2014-856 these statuses
    make an organisation part of the ESS whatever its function (a CRESS is a support network
    and an association). It is non-ESS when its kind is known and it has no ESS family. It is
    unknown (``None``) for kind ``unknown`` without a family, and for PTCEs and European
    clusters, which are the poles themselves rather than one side of the ESS divide.

    Parameters
    ----------
    kind
        A kind code (see :data:`KINDS`).
    ess_family
        The node's ``ess_family`` attribute: family codes joined by ``|`` (may be empty).

    Examples
    --------
    >>> is_ess("ess-enterprise"), is_ess("support-network", "association"), is_ess("enterprise")
    (True, True, False)
    >>> is_ess("unknown") is None, is_ess("ptce") is None
    (True, True)
    """
    if kind in ("ptce", "european-cooperative-cluster"):
        return None
    if kind == "ess-enterprise" or ess_family:
        return True
    if kind == UNKNOWN:
        return None
    return False
