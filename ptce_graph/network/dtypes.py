"""Column types of the metric tables: what each column holds, and its pandas dtype.

A metric table's DataFrame (:meth:`~ptce_graph.network.table.MetricTable.to_dataframe`) has the
same dtype in a column whatever the view, the time window or the data, empty tables included,
so that code written on one table runs on another:

==============  =========================================  ===============================
type            dtype                                      columns (examples)
==============  =========================================  ===============================
``iri``         ``string``                                 ``node``, ``ptce``
``text``        ``string``                                 ``label``, ``window``, ``law_missing``
``kind``        ``category`` (every kind, in legend order)  ``kind``
``view``        ``category`` (every view)                   ``view``
``count``       ``Int64`` (nullable integer)                ``degree``, ``members``, ``year``
``measure``     ``Float64`` (nullable float)                ``betweenness``, ``ess_share``
``flag``        ``boolean`` (nullable)                      ``meets_law_composition``
``date``        ``datetime64[ns]``                          ``founded``
==============  =========================================  ===============================

Missing values are ``<NA>`` (``NaT`` for dates). A partial date (``2017``, ``2010-10``) becomes
the first day of its year or month; the CSV, JSON and ``.xlsx`` outputs keep it as written.
The categories of ``kind`` and ``view`` are all the codes (:data:`~ptce_graph.network.kinds.KINDS`,
:data:`~ptce_graph.network.choices.VIEWS`), present in the data or not. A column this module
does not list (a measure added later) is ``Float64`` when its values are numbers (or all
missing), ``string`` otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ptce_graph.network.choices import VIEWS
from ptce_graph.network.kinds import ACTOR_KINDS, KINDS

__all__ = ["COLUMN_TYPES", "DTYPES", "column_type", "series"]

#: The pandas dtype of each column type (categories are filled in by :func:`series`).
DTYPES: dict[str, str] = {
    "iri": "string",
    "text": "string",
    "kind": "category",
    "view": "category",
    "count": "Int64",
    "measure": "Float64",
    "flag": "boolean",
    "date": "datetime64[ns]",
}

#: The type of every column of the actor, PTCE and network tables (docs/metrics.md, §7).
COLUMN_TYPES: dict[str, str] = {
    # actor level
    "node": "iri",
    "label": "text",
    "kind": "kind",
    "degree": "count",
    "weighted_degree": "measure",  # a sum of weights, whole in the shipped views but not in general
    "betweenness": "measure",
    "closeness": "measure",
    "eigenvector": "measure",
    "clustering": "measure",
    "constraint": "measure",
    "effective_size": "measure",
    "core_number": "count",
    "community": "count",
    # PTCE level
    "ptce": "iri",
    "founded": "date",
    "age": "count",
    "members": "count",
    **{f"members_{kind.replace('-', '_')}": "count" for kind in ACTOR_KINDS},
    "members_known_kind": "count",
    "shannon_diversity": "measure",
    "blau_index": "measure",
    "ess_share": "measure",
    "meets_law_composition": "flag",
    "law_missing": "text",
    "located_members": "count",
    "local_share": "measure",
    "shared_ptces": "count",
    "has_local_authority": "flag",
    "has_research": "flag",
    "has_training": "flag",
    # network level
    "year": "count",
    "view": "view",
    "window": "text",
    "nodes": "count",
    "edges": "count",
    "density": "measure",
    "components": "count",
    "largest_component_share": "measure",
    "average_clustering": "measure",
    "communities": "count",
    "modularity": "measure",
    "kind_assortativity": "measure",
    "ei_index": "measure",
    "ess_external_ties": "count",
    "ess_internal_ties": "count",
    # brokerage roles (one row per actor, and a summary per role)
    "group": "text",
    **{role: "count" for role in ("coordinator", "itinerant", "representative", "gatekeeper", "liaison", "total")},
    **{
        f"{role}_z": "measure"
        for role in ("coordinator", "itinerant", "representative", "gatekeeper", "liaison", "total")
    },
    "role": "text",
    "code": "text",
    "observed": "count",
    "expected": "measure",
    "sd": "measure",
    "z": "measure",
    # BiCM pairs
    "node_a": "iri",
    "node_b": "iri",
    "label_a": "text",
    "label_b": "text",
    "kind_a": "kind",
    "kind_b": "kind",
    "shared": "count",
    "p_value": "measure",
    "validated": "flag",
}


def column_type(name: str, values: Sequence[Any] = ()) -> str:
    """The type of column ``name``: as listed, else ``measure`` for numbers and ``text`` otherwise.

    Examples
    --------
    >>> column_type("degree"), column_type("new_measure", [0.5, None]), column_type("note", ["a"])
    ('count', 'measure', 'text')
    """
    if name in COLUMN_TYPES:
        return COLUMN_TYPES[name]
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values if v is not None)
    return "measure" if numbers else "text"


def series(name: str, values: Sequence[Any]) -> Any:
    """The pandas Series of column ``name`` holding ``values``, of the column's dtype (needs pandas).

    Examples
    --------
    >>> series("founded", ["2017", "2010-10", None]).tolist()
    [Timestamp('2017-01-01 00:00:00'), Timestamp('2010-10-01 00:00:00'), NaT]
    >>> str(series("kind", []).dtype), str(series("degree", [2, None]).dtype)
    ('category', 'Int64')
    """
    import pandas as pd

    kind = column_type(name, values)
    if kind == "date":
        dates = pd.to_datetime(pd.Series(list(values), dtype="string"), format="ISO8601")
        return dates.astype("datetime64[ns]").rename(name)
    if kind in ("kind", "view"):
        categories = list(KINDS) if kind == "kind" else list(VIEWS)
        # a code from elsewhere (a graph made by hand) is kept, after the known ones, not lost
        categories += sorted({str(v) for v in values if v is not None} - set(categories))
        return pd.Series(pd.Categorical(list(values), categories=categories), name=name)
    return pd.Series(list(values), dtype=DTYPES[kind], name=name)
