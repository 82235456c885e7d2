"""The ``metrics`` and ``plot`` commands, for the main command line to add with :func:`add_commands`.

``ptce_graph.cli`` calls ``add_commands(subparsers)`` and routes the ``graphml``, ``gexf`` and
``edges-csv`` formats of its ``export`` command to :func:`~ptce_graph.network.export_network`.
Each command is thin: it reads the graph, calls one library function and writes the result.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from collections.abc import Mapping
from typing import Any

from rdflib import Graph

from ..errors import EXIT_OK, InputError
from ..rdfio import atomic_write
from .indicators import ptce_indicators
from .metrics import (
    DEFAULT_SEED,
    actor_metrics,
    network_metrics,
    network_metrics_by_year,
)
from .periods import window
from .plot import PLOT_FORMATS, plot_network
from .rdf import metrics_to_rdf
from .table import MetricTable
from .views import DEFAULT_UNDATED, DEFAULT_VIEW, UNDATED_POLICIES, VIEWS, extract, project

__all__ = ["LEVELS", "METRICS_FORMATS", "add_commands", "compute_metrics"]

#: Levels of ``ptce-graph metrics``.
LEVELS = ("actor", "ptce", "network")
#: Output formats of ``ptce-graph metrics``: tables, or the values as RDF.
METRICS_FORMATS = ("table", "csv", "json", "ttl", "nt")

_EXIT = "exit codes: 0 success; 2 usage or input error (missing or malformed file, unusable rows)."


def _graph(args: argparse.Namespace) -> Graph:
    from ..build import load
    from ..cli import graph_from  # imported here: ptce_graph.cli imports this module

    return graph_from([args.graph]) if args.graph else load()


def compute_metrics(graph: Graph, *, view: str = DEFAULT_VIEW, level: str = "actor", as_of: str | None = None,
                    start: str | None = None, end: str | None = None, by_year: bool = False,
                    seed: int = DEFAULT_SEED, betweenness_sample: int | None = None,
                    resolution: float = 1.0, undated: str = DEFAULT_UNDATED) -> MetricTable:
    """The table ``ptce-graph metrics`` prints: one level of one view in one time window.

    ``by_year`` (network level only) gives one row per yearly snapshot, the years bounded by
    ``start`` and ``end`` when given.
    """
    if level not in LEVELS:
        raise InputError(f"unknown level '{level}'; choose one of {', '.join(LEVELS)}")
    if view not in VIEWS:
        raise InputError(f"unknown view '{view}'; choose one of {', '.join(VIEWS)}")
    data = extract(graph)
    if level == "ptce":
        if by_year:
            raise InputError("--by-year is for --level network")
        return ptce_indicators(data, as_of=as_of, start=start, end=end, undated=undated)
    if by_year:
        if level != "network":
            raise InputError("--by-year is for --level network")
        if as_of:
            raise InputError("--by-year and --as-of do not go together: bound the years with --from/--to")
        years = None
        if start or end:
            from .views import data_years

            known = data_years(data, view)
            first = int(str(start)[:4]) if start else (known[0] if known else None)
            last = int(str(end)[:4]) if end else (known[-1] if known else None)
            if first is None or last is None:
                raise InputError(f"the relations of view '{view}' carry no date: give both --from and --to")
            years = range(first, last + 1)
        return network_metrics_by_year(data, view, years=years, seed=seed, resolution=resolution,
                                       undated=undated)
    graph_view = project(data, view, window(as_of, start, end), undated=undated)
    if level == "network":
        return network_metrics(graph_view, seed=seed, resolution=resolution)
    return actor_metrics(graph_view, seed=seed, betweenness_sample=betweenness_sample, resolution=resolution)


def report_undated(meta: Mapping[str, str]) -> None:
    """Say on stderr how many undated relations a windowed result left out or assumed present."""
    if meta.get("undated_left_out", "0") != "0":
        print(f"note: {meta['undated_left_out']} relation(s) with no date left out of the time window "
              "(--undated include counts them as always present)", file=sys.stderr)
    elif meta.get("undated_assumed", "0") != "0":
        print(f"note: {meta['undated_assumed']} relation(s) with no date counted as present at every date "
              "(--undated include)", file=sys.stderr)


def _write(text: str | bytes, out: Path | None, what: str) -> None:
    if out is None:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    with atomic_write(out, "wb") as handle:
        handle.write(text.encode("utf-8") if isinstance(text, str) else text)
    print(f"wrote {out} ({what})", file=sys.stderr)


def _cmd_metrics(args: argparse.Namespace) -> int:
    table = compute_metrics(_graph(args), view=args.view, level=args.level, as_of=args.as_of, start=args.start,
                            end=args.end, by_year=args.by_year, seed=args.seed,
                            betweenness_sample=args.betweenness_sample, resolution=args.resolution,
                            undated=args.undated)
    report_undated(table.meta)
    if args.format in ("ttl", "nt"):
        from ..export import serialize

        rdf = metrics_to_rdf(table)
        _write(serialize(rdf, args.format), args.out, f"{len(rdf)} triples")
    else:
        _write(table.serialize(args.format), args.out, f"{len(table)} rows")
    return EXIT_OK


def _cmd_plot(args: argparse.Namespace) -> int:
    path = plot_network(_graph(args), args.view, args.out, as_of=args.as_of, start=args.start, end=args.end,
                        seed=args.seed, labels=args.labels, title=args.title, undated=args.undated)
    print(f"wrote {path}", file=sys.stderr)
    return EXIT_OK


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--view", choices=tuple(VIEWS), default=DEFAULT_VIEW,
                   help=f"which network (default: {DEFAULT_VIEW}): " + "; ".join(f"{k}: {v}" for k, v in VIEWS.items()))
    p.add_argument("--graph", metavar="FILE", type=Path, help="an RDF file or data folder (default: the shipped data)")
    when = p.add_argument_group("time window (default: all dates)")
    when.add_argument("--as-of", metavar="DATE", help="what was present that day (YYYY-MM-DD), or at any time "
                      "in that month (YYYY-MM) or year (YYYY)")
    when.add_argument("--from", dest="start", metavar="DATE", help="start of a period (a year counts from 1 January)")
    when.add_argument("--to", dest="end", metavar="DATE", help="end of a period (a year counts to 31 December)")
    when.add_argument("--undated", choices=UNDATED_POLICIES, default=DEFAULT_UNDATED,
                      help="with a date or period: leave out relations with no date at all (exclude, the "
                      "default) or count them as present at every date (include); the number concerned is "
                      "reported")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED,
                   help=f"seed of Louvain, sampled betweenness and the layout (default: {DEFAULT_SEED})")


def add_commands(subparsers: Any) -> None:
    """Add ``metrics`` and ``plot`` to the ``ptce-graph`` sub-command parsers.

    Parameters
    ----------
    subparsers
        What ``ArgumentParser.add_subparsers()`` returned. Each command sets ``func`` to a
        function of the parsed arguments returning the exit code.
    """
    p = subparsers.add_parser(
        "metrics", help="network measures of actors, PTCEs or whole views",
        description="Compute network measures on one view of the graph: per actor (centralities, "
        "brokerage, core, Louvain community), per PTCE (members by kind, diversity, ESS share, "
        "legal composition, territorial anchoring, shared members, age) or for the whole network "
        "(density, components, modularity, assortativity, E-I index), optionally per yearly "
        "snapshot. Every measure is defined in docs/metrics.md.",
        epilog="examples:\n  ptce-graph metrics --level ptce --format csv --out ptce-indicators.csv\n"
        "  ptce-graph metrics --view co-membership --as-of 2020 --format json\n"
        "  ptce-graph metrics --level network --by-year --from 2014 --to 2024\n"
        "  ptce-graph metrics --format ttl --out metrics.ttl   # values as RDF, with provenance\n\n" + _EXIT,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(p)
    p.add_argument("--level", choices=LEVELS, default="actor", help="one row per actor (default), PTCE or network")
    p.add_argument("--by-year", action="store_true",
                   help="network level: one row per yearly snapshot (years bounded by --from/--to)")
    p.add_argument("--betweenness-sample", metavar="K", type=int, default=None,
                   help="estimate betweenness from K random sources (for large graphs; default: exact)")
    p.add_argument("--resolution", type=float, default=1.0, help="Louvain resolution (default: 1)")
    p.add_argument("--format", choices=METRICS_FORMATS, default="table",
                   help="table (default), csv, json, or the values as RDF (ttl, nt) with their provenance")
    p.add_argument("--out", metavar="FILE", type=Path, help="write to FILE instead of stdout")
    p.set_defaults(func=_cmd_metrics)

    p = subparsers.add_parser(
        "plot", help="draw a view as PNG, SVG or an interactive HTML page",
        description="Draw one view of the graph: colour by actor kind, area by betweenness centrality, "
        "labels on the most central actors, a legend, a title with the view and the date. The "
        "layout is seeded, so the same data gives the same picture. An .html file is one "
        "self-contained page (no script from the network) with hover, search and zoom.",
        epilog="examples:\n  ptce-graph plot --out co-membership.png\n"
        "  ptce-graph plot --view ptce --as-of 2020 --out ptce-2020.svg\n"
        "  ptce-graph plot --view relations --out relations.html\n\n" + _EXIT,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(p)
    p.add_argument("--out", metavar="FILE", type=Path, required=True,
                   help=f"the picture to write ({', '.join(PLOT_FORMATS)})")
    p.add_argument("--labels", metavar="N", type=int, default=15, help="name the N most central nodes (default: 15)")
    p.add_argument("--title", help="replace the generated title")
    p.set_defaults(func=_cmd_plot)
