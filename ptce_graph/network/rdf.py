"""Metric tables written back as RDF: ``schema:PropertyValue`` nodes and a PROV-O activity.

No ``ptce:`` term is used. For each value of each measure::

    pg:metric/{view}/{window}/{measure}/{hash}  a schema:PropertyValue ;
        schema:propertyID "betweenness" ; schema:name "betweenness centrality"@en ;
        schema:value 0.6 ; schema:measurementTechnique <https://doi.org/10.2307/3033543> ;
        prov:wasGeneratedBy pg:metric/{view}/{window}/computation .
    <the node>  schema:additionalProperty  pg:metric/{view}/{window}/{measure}/{hash} .

``{hash}`` is the first 16 hex digits of the SHA-1 of the node IRI (network-level values
have none and hang on ``pg:dataset``); ``{window}`` is ``all`` or the window as written
(``2018``, ``2015--2020``); PTCE indicators use the view name ``ptce-indicators``. The
activity records when (``prov:startedAtTime``) and how (parameters as ``schema:PropertyValue``
literals) the values were computed. Same table and time, same triples.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Mapping
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from ptce_graph._version import __version__
from ptce_graph.errors import InputError
from ptce_graph.model.namespaces import PG, SCHEMA, bind_prefixes
from ptce_graph.network.table import MetricTable

__all__ = ["MEASURES", "metric_iri", "metrics_to_rdf", "started_at_default"]

#: Name and reference (a DOI, when the measure has one) of each measure.
MEASURES: dict[str, tuple[str, str | None]] = {
    "degree": ("degree", None),
    "weighted_degree": ("weighted degree (strength)", None),
    "betweenness": ("betweenness centrality", "https://doi.org/10.2307/3033543"),
    "closeness": ("closeness centrality", "https://doi.org/10.1016/0378-8733(78)90021-7"),
    "eigenvector": ("eigenvector centrality", "https://doi.org/10.1080/0022250X.1972.9989806"),
    "clustering": ("local clustering coefficient", "https://doi.org/10.1038/30918"),
    "constraint": ("Burt's constraint", "https://doi.org/10.4159/9780674029095"),
    "effective_size": ("Burt's effective size", "https://doi.org/10.4159/9780674029095"),
    "core_number": ("k-core number", "https://doi.org/10.1016/0378-8733(83)90028-X"),
    "community": ("Louvain community", "https://doi.org/10.1088/1742-5468/2008/10/P10008"),
    "modularity": ("modularity of the Louvain partition", "https://doi.org/10.1103/PhysRevE.69.026113"),
    "communities": ("number of Louvain communities", "https://doi.org/10.1088/1742-5468/2008/10/P10008"),
    "kind_assortativity": ("assortativity by actor kind", "https://doi.org/10.1103/PhysRevE.67.026126"),
    "ei_index": ("E-I index of ESS / non-ESS ties", "https://doi.org/10.2307/2786835"),
    "shannon_diversity": ("Shannon diversity of member kinds", "https://doi.org/10.1002/j.1538-7305.1948.tb01338.x"),
    "blau_index": ("Blau index of member kinds", None),
}

_IDENTITY = {"node", "label", "kind", "ptce", "view", "window", "year"}


def started_at_default() -> dt.datetime:
    """Now (UTC, to the second), or ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except ValueError:
            raise InputError(f"SOURCE_DATE_EPOCH='{epoch}' is not a number of seconds") from None
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def _segment(table: MetricTable) -> tuple[str, str]:
    view = "ptce-indicators" if table.meta.get("level") == "ptce" else str(table.meta.get("view", "view"))
    return view or "view", str(table.meta.get("window", "all")).replace("..", "--") or "all"


def metric_iri(view: str, window: str, measure: str, node: str | None = None) -> URIRef:
    """The stable IRI of one value (``node`` ``None`` for a network-level value).

    Examples
    --------
    >>> metric_iri("co-membership", "all", "betweenness", "https://w3id.org/ptce-graph/id/actor/coop-a")
    rdflib.term.URIRef('https://w3id.org/ptce-graph/id/metric/co-membership/all/betweenness/ad9b314934855c69')
    """
    path = f"metric/{view}/{window}/{measure}"
    if node is not None:
        path += "/" + hashlib.sha1(node.encode("utf-8")).hexdigest()[:16]
    return PG[path]


def _literal(value: object) -> Literal:
    if isinstance(value, bool):
        return Literal(value, datatype=XSD.boolean)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, float):  # xsd:decimal keeps every digit in Turtle (xsd:double is cut)
        return Literal(Decimal(repr(value)), datatype=XSD.decimal)
    return Literal(str(value))


def metrics_to_rdf(
    table: MetricTable, *, started_at: dt.datetime | None = None, parameters: Mapping[str, str] | None = None
) -> Graph:
    """A separate graph holding the table's values and the activity that computed them.

    Parameters
    ----------
    table
        From :func:`~ptce_graph.network.actor_metrics`, :func:`~ptce_graph.network.network_metrics`,
        :func:`~ptce_graph.network.network_metrics_by_year` or
        :func:`~ptce_graph.network.ptce_indicators`.
    started_at
        When the computation started (default: :func:`started_at_default`).
    parameters
        Extra parameters to record, beside the table's ``meta``.

    Examples
    --------
    >>> from ptce_graph.network import actor_metrics, example_graph, to_networkx
    >>> g = metrics_to_rdf(actor_metrics(to_networkx(example_graph())),
    ...                    started_at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    >>> iri = metric_iri("co-membership", "all", "betweenness", "https://w3id.org/ptce-graph/id/actor/coop-a")
    >>> g.value(iri, SCHEMA.value)
    rdflib.term.Literal('0.6', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    """
    if table.meta.get("measure") in ("brokerage", "bicm"):
        # rows per role or per pair have no node to hang a value on, nor an IRI of their own
        raise InputError(f"the {table.meta['measure']} results are tables only: choose --format table, csv or json")
    graph = bind_prefixes(Graph(bind_namespaces="none"))
    view, window = _segment(table)
    level = str(table.meta.get("level", ""))
    activity = PG[f"metric/{view}/{window}/computation"]
    when = started_at or started_at_default()
    graph.add((activity, RDF.type, PROV.Activity))
    graph.add(
        (
            activity,
            RDFS.label,
            Literal(
                f"ptce-graph network metrics: {level} level, view {view}, window {table.meta.get('window', 'all')}",
                lang="en",
            ),
        )
    )
    graph.add((activity, PROV.startedAtTime, Literal(when.isoformat(), datatype=XSD.dateTime)))
    graph.add((activity, PROV.used, PG["dataset"]))
    params = {
        "software": f"ptce-graph {__version__}",
        **{str(k): str(v) for k, v in table.meta.items()},
        **{str(k): str(v) for k, v in (parameters or {}).items()},
    }
    for param, text in sorted(params.items()):
        holder = PG[f"metric/{view}/{window}/computation/parameter/{param}"]
        graph.add((activity, SCHEMA.additionalProperty, holder))
        graph.add((holder, RDF.type, SCHEMA.PropertyValue))
        graph.add((holder, SCHEMA.propertyID, Literal(param)))
        graph.add((holder, SCHEMA.value, Literal(text)))
    key = next((c for c in ("node", "ptce") if c in table.columns), None)
    for row in table:
        subject_window = window
        if "year" in table.columns and row.get("year") is not None:
            subject_window = str(row["year"])
        subject = URIRef(str(row[key])) if key else PG["dataset"]
        for measure in table.columns:
            value = row[measure]
            if measure in _IDENTITY or measure == key or value is None or value == "":
                continue
            iri = metric_iri(view, subject_window, measure, str(row[key]) if key else None)
            graph.add((subject, SCHEMA.additionalProperty, iri))
            graph.add((iri, RDF.type, SCHEMA.PropertyValue))
            graph.add((iri, SCHEMA.propertyID, Literal(measure)))
            name, technique = MEASURES.get(measure, (measure.replace("_", " "), None))
            graph.add((iri, SCHEMA.name, Literal(name, lang="en")))
            graph.add((iri, SCHEMA.value, _literal(value)))
            if technique:
                graph.add((iri, SCHEMA.measurementTechnique, URIRef(technique)))
            graph.add((iri, PROV.wasGeneratedBy, activity))
    return graph
