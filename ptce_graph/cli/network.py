"""The ``metrics``, ``plot`` and ``map`` commands: options -> the graph -> one network job -> output."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ptce_graph.cli._common import add_graph_options, check_out, open_from_args, stderr, write_output
from ptce_graph.errors import EXIT_OK
from ptce_graph.network.choices import (
    CHARTS,
    DEFAULT_ALPHA,
    DEFAULT_ENGINE,
    DEFAULT_GROUPING,
    DEFAULT_MEASURE,
    DEFAULT_SEED,
    DEFAULT_UNDATED,
    DEFAULT_VIEW,
    ENGINES,
    GROUPINGS,
    LEVELS,
    MAP_LEVELS,
    MEASURES,
    PICTURE_LANGUAGES,
    PLOT_FORMATS,
    UNDATED_POLICIES,
    VIEWS,
)

__all__ = ["METRICS_FORMATS", "add_commands", "report_undated"]

#: Output formats of ``ptce-graph metrics``: tables, a workbook, or the values as RDF.
METRICS_FORMATS = ("table", "csv", "csv-excel", "json", "xlsx", "ttl", "nt")

_EXIT = "exit codes: 0 success; 2 usage or input error (missing or malformed file, unusable rows)."


def report_undated(meta: Mapping[str, str]) -> None:
    """Say on stderr how many undated relations a windowed result left out or assumed present."""
    if meta.get("undated_left_out", "0") != "0":
        stderr(
            f"note: {meta['undated_left_out']} relation(s) with no date left out of the time window "
            "(--undated include counts them as always present)"
        )
    elif meta.get("undated_assumed", "0") != "0":
        stderr(
            f"note: {meta['undated_assumed']} relation(s) with no date counted as present at every date "
            "(--undated include)"
        )


def _cmd_metrics(args: argparse.Namespace) -> int:
    from ptce_graph.network.compute import compute_metrics
    from ptce_graph.network.rdf import metrics_to_rdf

    check_out(args.format, args.out)
    graph = open_from_args(args)
    table = compute_metrics(
        graph,
        view=args.view,
        level=args.level,
        as_of=args.as_of,
        start=args.start,
        end=args.end,
        by_year=args.by_year,
        seed=args.seed,
        betweenness_sample=args.betweenness_sample,
        resolution=args.resolution,
        undated=args.undated,
        engine=args.engine,
        measure=args.measure,
        group=args.group,
        alpha=args.alpha,
    )
    stderr(graph.describe())
    report_undated(table.meta)
    if args.format in ("ttl", "nt"):
        from ptce_graph.publish.export import serialize

        rdf = metrics_to_rdf(table)
        write_output(serialize(rdf, args.format), args.out, f"{len(rdf)} triples")
    elif args.format == "xlsx":
        write_output(table.to_xlsx(about={"source": graph.describe()}), args.out, f"{len(table)} rows", binary=True)
    else:
        write_output(table.serialize(args.format), args.out, f"{len(table)} rows")
    return EXIT_OK


def _cmd_plot(args: argparse.Namespace) -> int:
    from ptce_graph.network.plot import plot_network

    if args.chart != "network":
        from ptce_graph.publish.charts import draw_chart

        graph = open_from_args(args)
        drawn = draw_chart(
            graph,
            args.out,
            chart=args.chart,
            lang=args.lang,
            top=args.top,
            as_of=args.as_of,
            start=args.start,
            end=args.end,
            undated=args.undated,
        )
        stderr(graph.describe())
        stderr(f"wrote {drawn.path} ({args.chart} of {len(drawn.ptces)} PTCEs)")
        return EXIT_OK
    graph = open_from_args(args)
    path = plot_network(
        graph,
        args.view,
        args.out,
        as_of=args.as_of,
        start=args.start,
        end=args.end,
        seed=args.seed,
        labels=args.labels,
        title=args.title,
        undated=args.undated,
        lang=args.lang,
    )
    stderr(graph.describe())
    stderr(f"wrote {path}")
    return EXIT_OK


def _cmd_map(args: argparse.Namespace) -> int:
    from ptce_graph.publish.maps import draw_map

    graph = open_from_args(args)
    drawn = draw_map(graph, args.out, level=args.by, lang=args.lang, points=not args.no_points, title=args.title)
    stderr(graph.describe())
    stderr(
        f"wrote {drawn.path}: {drawn.placed} of {drawn.total} PTCEs placed by {drawn.level} "
        f"in {len(drawn.counts)} units, {len(drawn.points)} commune points"
    )
    return EXIT_OK


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--view",
        choices=tuple(VIEWS),
        default=DEFAULT_VIEW,
        help=f"which network (default: {DEFAULT_VIEW}): " + "; ".join(f"{k}: {v}" for k, v in VIEWS.items()),
    )
    add_graph_options(p, ontology_default="with the shipped data only")
    when = p.add_argument_group("time window (default: all dates)")
    when.add_argument(
        "--as-of",
        metavar="DATE",
        help="what was present that day (YYYY-MM-DD), or at any time in that month (YYYY-MM) or year (YYYY)",
    )
    when.add_argument("--from", dest="start", metavar="DATE", help="start of a period (a year counts from 1 January)")
    when.add_argument("--to", dest="end", metavar="DATE", help="end of a period (a year counts to 31 December)")
    when.add_argument(
        "--undated",
        choices=UNDATED_POLICIES,
        default=DEFAULT_UNDATED,
        help="with a date or period: leave out relations with no date at all (exclude, the "
        "default) or count them as present at every date (include); the number concerned is "
        "reported",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=f"seed of Louvain, sampled betweenness and the layout (default: {DEFAULT_SEED})",
    )


def add_commands(subparsers: Any) -> None:
    """Add ``metrics``, ``plot`` and ``map`` to the ``ptce-graph`` sub-command parsers.

    Parameters
    ----------
    subparsers
        What ``ArgumentParser.add_subparsers()`` returned. Each command sets ``func`` to a
        function of the parsed arguments returning the exit code.
    """
    p = subparsers.add_parser(
        "metrics",
        help="network measures of actors, PTCEs or whole views",
        description="Compute network measures on one view of the graph: per actor (centralities, "
        "brokerage, core, Louvain community), per PTCE (members by kind, diversity, ESS share, "
        "legal composition, territorial anchoring, shared members, age) or for the whole network "
        "(density, components, modularity, assortativity, E-I index), optionally per yearly "
        "snapshot. Every measure is defined in docs/metrics.md.",
        epilog="examples:\n  ptce-graph metrics --level ptce --format csv --out build/ptce-indicators.csv\n"
        "  ptce-graph metrics --view relations --format xlsx --out build/actors.xlsx\n"
        "  ptce-graph metrics --view co-membership --as-of 2020 --format json\n"
        "  ptce-graph metrics --level network --by-year --from 2014 --to 2024\n"
        "  ptce-graph metrics --format ttl --out build/metrics.ttl   # values as RDF, with provenance\n"
        "  ptce-graph metrics --view relations --measure brokerage --group ess\n"
        "  ptce-graph metrics --measure bicm --alpha 0.05 --format csv\n\n" + _EXIT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(p)
    p.add_argument("--level", choices=LEVELS, default="actor", help="one row per actor (default), PTCE or network")
    p.add_argument(
        "--by-year",
        action="store_true",
        help="network level: one row per yearly snapshot (years bounded by --from/--to)",
    )
    p.add_argument(
        "--betweenness-sample",
        metavar="K",
        type=int,
        default=None,
        help="estimate betweenness from K random sources (for large graphs; default: exact)",
    )
    p.add_argument("--resolution", type=float, default=1.0, help="Louvain resolution (default: 1)")
    p.add_argument(
        "--engine",
        choices=ENGINES,
        default=DEFAULT_ENGINE,
        help="graph library for the measures: igraph (default, fast on large graphs) or networkx "
        "(the reference); the values agree, and the table's metadata name the engine",
    )
    p.add_argument(
        "--measure",
        choices=tuple(MEASURES),
        default=DEFAULT_MEASURE,
        help=f"what to compute (default: {DEFAULT_MEASURE}): " + "; ".join(f"{k}: {v}" for k, v in MEASURES.items()),
    )
    p.add_argument(
        "--group",
        choices=GROUPINGS,
        default=DEFAULT_GROUPING,
        help=f"--measure brokerage: the groups of the roles (default: {DEFAULT_GROUPING}): actor kind, "
        "ESS side (ess, non-ess, unknown) or région",
    )
    p.add_argument(
        "--alpha",
        type=float,
        default=DEFAULT_ALPHA,
        help=f"--measure bicm: false discovery rate of the validated pairs (default: {DEFAULT_ALPHA})",
    )
    p.add_argument(
        "--format",
        choices=METRICS_FORMATS,
        default="table",
        help="table (default), csv, json, or the values as RDF (ttl, nt) with their provenance; "
        "xlsx: a workbook of typed cells with the parameters in an 'about' sheet (needs --out); "
        "csv-excel: CSV for Excel in French settings (UTF-8 with BOM, ';', decimal comma)",
    )
    p.add_argument("--out", metavar="FILE", type=Path, help="write to FILE instead of stdout")
    p.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress bar on stderr (it is drawn only when stderr is a terminal)",
    )
    p.set_defaults(func=_cmd_metrics)

    p = subparsers.add_parser(
        "plot",
        help="draw a view (PNG, SVG, PDF or an interactive HTML page) or a chart of the PTCE indicators",
        description="Draw one view of the graph: colour and marker shape by actor kind (Okabe-Ito "
        "colours, safe for colour-blind readers), area by betweenness centrality, labels on the "
        "most central actors, a legend of the kinds and one of the relation types or membership "
        "roles (line styles), a title with the view and the date, in English or French (--lang). "
        "The layout is seeded, so the same data gives the same picture. An .html file is one "
        "self-contained page (no script from the network) with hover, search and zoom, its "
        "filters and cards in the language of --lang too. "
        "With --chart, draw the PTCE indicators instead: composition (a bar per PTCE, its "
        "members by kind) or distribution (histograms of members, diversity, ESS share, age).",
        epilog="examples:\n  ptce-graph plot --out build/co-membership.png\n"
        "  ptce-graph plot --view ptce --as-of 2020 --out build/ptce-2020.svg\n"
        "  ptce-graph plot --view relations --lang fr --out build/relations.pdf\n"
        "  ptce-graph plot --view relations --out build/relations.html\n"
        "  ptce-graph plot --chart composition --top 20 --out build/composition.svg\n"
        "  ptce-graph plot --chart distribution --lang fr --out build/distribution.png\n\n" + _EXIT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(p)
    p.add_argument(
        "--out", metavar="FILE", type=Path, required=True, help=f"the picture to write ({', '.join(PLOT_FORMATS)})"
    )
    p.add_argument("--labels", metavar="N", type=int, default=15, help="name the N most central nodes (default: 15)")
    p.add_argument("--title", help="replace the generated title")
    p.add_argument(
        "--lang",
        choices=PICTURE_LANGUAGES,
        default="en",
        help="language of titles, legends and axes, and of the whole .html page (default: en)",
    )
    p.add_argument(
        "--chart",
        choices=("network", *CHARTS),
        default="network",
        help="what to draw: network (the --view, default), or a chart of the PTCE indicators: "
        + "; ".join(f"{k}: {v}" for k, v in CHARTS.items())
        + " (charts: .png, .svg or .pdf; --view, --labels and --title apply to the network)",
    )
    p.add_argument(
        "--top",
        metavar="N",
        type=int,
        default=30,
        help="composition chart: the N PTCEs with most members (default: 30)",
    )
    p.set_defaults(func=_cmd_plot)

    p = subparsers.add_parser(
        "map",
        help="map the PTCEs by région or département (PNG, SVG, PDF), offline",
        description="Draw a map of France shaded by the number of PTCEs in each région or "
        "département (--by), with a point for each PTCE whose territory is a commune, the "
        "overseas départements-régions in insets, a legend, and a note of how many PTCEs are "
        "placed. A PTCE whose territory lies in several régions counts in each; by département, a "
        "PTCE whose territory is a whole région is not counted. The boundaries ship with "
        "ptce-graph (IGN ADMIN EXPRESS, simplified): nothing is downloaded.",
        epilog="examples:\n  ptce-graph map --out build/ptce-regions.svg\n"
        "  ptce-graph map --by departement --lang fr --out build/ptce-departements.png\n\n" + _EXIT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_graph_options(p, ontology_default="with the shipped data only")
    p.add_argument("--by", choices=MAP_LEVELS, default="region", help="count by région (default) or département")
    p.add_argument("--out", metavar="FILE", type=Path, required=True, help="the picture to write (.png, .svg, .pdf)")
    p.add_argument(
        "--lang", choices=PICTURE_LANGUAGES, default="en", help="language of the title and legend (default: en)"
    )
    p.add_argument("--no-points", action="store_true", help="no point for the PTCEs whose commune is known")
    p.add_argument("--title", help="replace the generated title")
    p.set_defaults(func=_cmd_map)
