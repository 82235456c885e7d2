"""The ``init``, ``build``, ``validate`` and ``export`` commands: options -> the graph -> one job -> output."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ptce_graph.check.engines import DEFAULT_ENGINE as DEFAULT_VALIDATION_ENGINE
from ptce_graph.check.engines import ENGINES as VALIDATION_ENGINES
from ptce_graph.cli._common import (
    EPILOG,
    add_graph_options,
    add_include_shipped,
    open_from_args,
    stage_messages,
    stderr,
)
from ptce_graph.errors import EXIT_NOT_CONFORMANT, EXIT_OK, InputError
from ptce_graph.io.formats import format_names, format_of_path
from ptce_graph.network.choices import DEFAULT_UNDATED, UNDATED_POLICIES, VIEWS
from ptce_graph.resources import frame_names

__all__ = ["add_commands"]


def _cmd_init(args: argparse.Namespace) -> int:
    from ptce_graph.io.templates import write_templates

    written = write_templates(args.folder)
    tables = sum(path.suffix == ".csv" for path in written)
    others = " and ".join(path.name for path in written if path.suffix != ".csv")
    stderr(f"wrote {args.folder}: {tables} CSV templates (header rows only), {others}")
    stderr(
        f"next: fill in the files you need, then ptce-graph build --data {args.folder} --include-shipped --out build"
    )
    return EXIT_OK


def _cmd_build(args: argparse.Namespace) -> int:
    from ptce_graph.progress import clear
    from ptce_graph.publish.build import build
    from ptce_graph.publish.catalogue import ContactPoint

    if args.contact_name is not None and args.contact is None:
        raise InputError("--contact-name names the --contact address: give --contact too")
    contact = None if args.contact is None else ContactPoint.of(args.contact, args.contact_name)
    result = build(
        args.data or None,
        args.out,
        include_shipped=args.include_shipped,
        progress=stage_messages(quiet=args.quiet),
        base_url=args.base_url,
        contact=contact,
    )
    clear()  # the progress bar, off the terminal stdout may share
    print(result.summary())
    if not result.ok:
        print(result.report.to_text(language=args.lang))
        stderr(
            f"error: {result.report.violations} violation(s): nothing was written to {args.out}. "
            "Fix the rows named above (the focus node's id is the CSV id), or run "
            "'ptce-graph validate' on your data folder to see the full report."
        )
        return EXIT_NOT_CONFORMANT
    if result.report.results:
        print(
            f"({result.report.warnings} warning(s) and {result.report.infos} info(s) are listed in "
            f"{Path(args.out) / 'validation.json'})"
        )
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from ptce_graph.check.validate import validate
    from ptce_graph.graph import open_graph
    from ptce_graph.progress import announce, clear

    # the ontology is the validation's background (see validate), not part of the data validated
    graph = open_graph(*args.files, include_shipped=args.include_shipped, with_ontology=False, progress=announce)
    announce(f"validating {len(graph)} triples ({args.engine})")
    report = validate(graph, engine=args.engine)
    stderr(graph.describe())
    clear()  # the progress bar, off the terminal stdout may share
    if args.format == "json":
        print(report.to_json())
    elif args.format == "turtle":
        print(report.to_turtle())
    else:
        print(report.to_text(language=args.lang))
    return EXIT_OK if report.passes(args.fail_on.capitalize()) else EXIT_NOT_CONFORMANT


def _cmd_export(args: argparse.Namespace) -> int:
    from ptce_graph.network.export import export_network
    from ptce_graph.publish.export import export

    network = format_of_path(args.out, "network")
    fmt = args.format or (network.name if network is not None and network.name != "edges-csv" else None)
    if fmt is None and format_of_path(args.out, "geo") is not None:
        fmt = "geojson"
    graph = open_from_args(args, with_ontology=False)
    if fmt == "geojson":
        from ptce_graph.publish.geojson import write_geojson

        if args.view is not None or args.as_of is not None or args.frame is not None or args.by_layer:
            raise InputError("--view, --as-of, --frame and --by-layer do not apply to geojson")
        path, count = write_geojson(graph, args.out)
        stderr(graph.describe())
        stderr(f"wrote {path}: {count} located PTCEs and actors (points of their communes)")
        return EXIT_OK
    if fmt in format_names("network"):
        view = args.view or "co-membership"
        path = export_network(graph, view, fmt, args.out, as_of=args.as_of, undated=args.undated)
        stderr(graph.describe())
        stderr(f"wrote {path} (view {view})")
        return EXIT_OK
    if args.view is not None or args.as_of is not None:
        raise InputError("--view and --as-of apply to the network formats (graphml, gexf, edges-csv)")
    if fmt in format_names("profile"):
        from ptce_graph.publish.export import export_profiles

        if args.frame is not None:
            raise InputError(f"--frame applies to the framed format (jsonld-framed), not {fmt}")
        if args.by_layer:
            raise InputError(f"--by-layer does not apply to {fmt}: it writes organisations, not named graphs")
        written = export_profiles(graph, args.out, fmt)
        stderr(graph.describe())
        stderr(written.summary())
        return EXIT_OK
    if args.frame is not None and args.by_layer:
        raise InputError("--frame and --by-layer do not go together: a framed document has no named graphs")
    if args.by_layer:
        from ptce_graph.publish.export import export_layers

        path = export_layers(graph, args.out, fmt)
        stderr(graph.describe())
        stderr(f"wrote {path} ({len(graph)} triples, each layer a named graph)")
        return EXIT_OK
    done = export(graph, args.out, fmt, frame=args.frame)
    stderr(graph.describe())
    stderr(done.summary())
    return EXIT_OK


def add_commands(sub: Any) -> None:
    """Add ``init``, ``build``, ``validate`` and ``export`` to the sub-command parsers."""
    p = sub.add_parser(
        "init",
        help="start a data folder: the CSV templates (header rows only) and a README",
        description="Create FOLDER with one CSV file per template (sources, territories, ptce, "
        "actors, ... and corrections.csv), each holding its header row only, their W3C CSVW "
        "description csv-metadata.json (datatypes, required cells, keys; for csvwvalidate), and a README.md "
        "saying what each file is for, which columns are required and how cells are written, "
        "with one fictitious example row per file. The folder builds as it is. A FOLDER that "
        "exists and is not empty is refused (exit 2); nothing is overwritten.",
        epilog="example: ptce-graph init fieldwork\n"
        "  then: ptce-graph build --data fieldwork --include-shipped --out build\n\n" + EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("folder", metavar="FOLDER", type=Path, help="the folder to create (new, or empty)")
    p.set_defaults(func=_cmd_init)

    p = sub.add_parser(
        "build",
        help="load the data, validate it, write the exports and a summary",
        description="Load the CSV templates (the shipped data unless --data is given), "
        "validate them against the SHACL shapes, and write OUT/ptce.ttl, OUT/ptce.jsonld, "
        "OUT/ptce.nt (sorted), OUT/validation.json, OUT/summary.json and OUT/catalog.ttl (their "
        "DCAT and VoID catalogue: sizes, SHA-256 checksums, download URLs, statistics). Nothing is "
        "written when Violation-level results exist. The files are written into a new folder "
        "beside OUT, which then replaces OUT in one step (OUT always holds one whole build); "
        "other files in OUT are kept.",
        epilog="example: ptce-graph build --data my-data --include-shipped --out build\n\n" + EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--data",
        metavar="DIR",
        type=Path,
        action="append",
        help="a data folder in the CSV templates or a workbook (.xlsx, .ods) with a sheet per template "
        "(repeatable); default: the shipped data",
    )
    add_include_shipped(p)
    p.add_argument("--out", metavar="DIR", type=Path, default=Path("build"), help="output folder (default: build)")
    p.add_argument(
        "--base-url",
        metavar="URL",
        help="where the files will be published: catalog.ttl gives each file the download URL URL/NAME "
        "(default: https://w3id.org/ptce-graph/dataset/VERSION/)",
    )
    p.add_argument(
        "--contact",
        metavar="URI",
        help="whom to write to about the published files, stated in catalog.ttl as the dataset's "
        "dcat:contactPoint: a mailto: address or a web page such as an issue tracker (default: none)",
    )
    p.add_argument("--contact-name", metavar="NAME", help="the name of that contact (vcard:fn)")
    p.add_argument("--lang", choices=("en", "fr"), default="en", help="language of validation messages")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress messages on stderr")
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser(
        "validate",
        help="validate RDF files or data folders against the shapes",
        description="Validate RDF files (.ttl, .nt, .jsonld) and/or data folders "
        "(CSV templates) against the SHACL shapes, with the ontology as background. "
        "Without FILE, validates the shipped data.",
        epilog="example: ptce-graph validate build/ptce.ttl --format json\n\n" + EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("files", metavar="FILE", type=Path, nargs="*", help="RDF files or data folders")
    add_include_shipped(p)
    p.add_argument("--format", choices=("text", "json", "turtle"), default="text", help="report format (default: text)")
    p.add_argument(
        "--fail-on",
        choices=("violation", "warning", "info"),
        default="violation",
        help="lowest severity that makes the exit code 1 (default: violation)",
    )
    p.add_argument("--lang", choices=("en", "fr"), default="en", help="language of messages (text format)")
    p.add_argument(
        "--engine",
        choices=VALIDATION_ENGINES,
        default=DEFAULT_VALIDATION_ENGINE,
        help="validation engine: oxigraph (default; the shapes compiled to SPARQL, seconds for a "
        "million triples) or pyshacl (the reference SHACL engine, much slower, handles every "
        "SHACL feature); the report names the engine used",
    )
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser(
        "export",
        help="write the graph (Turtle, JSON-LD, N-Triples, ...), framed JSON-LD or a network view",
        description="Write the graph (the shipped data built in process, or --graph) "
        "to one file, sorted and atomically: as RDF (ttl, jsonld, nt, nq, trig, rdfxml; nq and "
        "trig put the data and the ontology in two named graphs), as framed JSON-LD "
        "(jsonld-framed: one document per PTCE with its memberships, members, dates and sources "
        "nested), or as a network view for Gephi and other tools (graphml, gexf with start/end "
        "for the timeline, edges-csv), with the actor-level metrics as node attributes, as "
        "GeoJSON (geojson: a point for each PTCE and actor whose commune is known), or in "
        "another community's vocabulary (essglobal: the PTCEs and ESS enterprises as ESSGLOBAL "
        "initiatives, checked against the vocabulary and its code lists). The "
        "message on stderr says how many triples the file holds and whether the ontology is "
        "among them. For other SSE tools: murmurations writes a folder of Murmurations profiles "
        "(one JSON file per organisation, checked against the Murmurations organizations schema), "
        "gogocarto a file of GoGoCarto elements (the JSON a GoGoCarto map imports).",
        epilog="examples:\n  ptce-graph export --format jsonld --out ptce.jsonld\n"
        "  ptce-graph export --format jsonld-framed --frame ptce --out ptces.jsonld\n"
        "  ptce-graph export --with-ontology --out ptce.trig\n"
        "  ptce-graph export --format gexf --view co-membership --out co-membership.gexf\n"
        "  ptce-graph export --format essglobal --out ess-initiatives.ttl\n"
        "  ptce-graph export --format murmurations --out murmurations\n"
        "  ptce-graph export --format gogocarto --out gogocarto.json\n"
        "  ptce-graph export --format geojson --out ptce.geojson   # PTCEs and actors whose commune is known\n\n"
        + EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--format",
        choices=format_names("rdf")
        + format_names("framed")
        + format_names("network")
        + format_names("profile")
        + format_names("geo"),
        default=None,
        help="output format (default: from the --out extension)",
    )
    p.add_argument(
        "--view", choices=VIEWS, default=None, help="network view for graphml, gexf, edges-csv (default: co-membership)"
    )
    p.add_argument("--as-of", metavar="DATE", help="network formats: the view as of this date (YYYY[-MM[-DD]])")
    p.add_argument(
        "--undated",
        choices=UNDATED_POLICIES,
        default=DEFAULT_UNDATED,
        help="network formats with --as-of: leave out relations with no date (exclude, the default) "
        "or count them as always present (include)",
    )
    add_graph_options(p, what="to export", ontology_default="the data alone")
    p.add_argument(
        "--by-layer",
        action="store_true",
        help="nq or trig: put the ontology, the shipped data and your own facts in three named graphs",
    )
    p.add_argument(
        "--frame",
        choices=frame_names(),
        default=None,
        help="jsonld-framed: the shipped frame to use (default: ptce, a document per PTCE)",
    )
    p.add_argument(
        "--out", metavar="FILE", type=Path, required=True, help="the file to write (murmurations: the folder)"
    )
    p.set_defaults(func=_cmd_export)
