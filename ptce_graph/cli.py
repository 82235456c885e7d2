"""The ``ptce-graph`` command line: thin commands over the library functions."""

from __future__ import annotations

import argparse
import sys
import urllib.parse
from collections.abc import Sequence
from pathlib import Path

from rdflib import Graph

from . import __version__
from .build import build, load, read
from .catalog import load_catalog
from .endpoint import DEFAULT_TIMEOUT, RemoteStore, push_graph
from .errors import EXIT_NOT_CONFORMANT, EXIT_OK, InputError, PtceGraphError
from .export import EXPORT_FORMATS, export_graph
from .query import run_query
from .rdfio import atomic_write
from .namespaces import bind_prefixes
from .rdfio import parse_rdf_file
from .validate import validate

__all__ = ["main", "parser"]

_EPILOG = """\
exit codes: 0 success; 1 the data does not conform (Violation-level SHACL results);
2 usage or input error (missing or malformed file, unusable rows); 3 endpoint unreachable.
"""


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def graph_from(paths: Sequence[Path]) -> Graph:
    """One graph from RDF files (``.ttl``, ``.nt``, ``.jsonld``) and data folders (CSV templates)."""
    folders = [p for p in paths if p.is_dir()]
    graph = load(folders) if folders else bind_prefixes(Graph(bind_namespaces="none"))
    for path in paths:
        if not path.is_dir():
            graph += parse_rdf_file(path)
    return graph


def _cmd_build(args: argparse.Namespace) -> int:
    result = build(args.data or None, args.out, include_shipped=args.include_shipped,
                   progress=(lambda _: None) if args.quiet else (lambda m: _stderr(f"... {m}")))
    print(result.summary())
    if not result.ok:
        print(result.report.to_text(language=args.lang))
        _stderr(f"error: {result.report.violations} violation(s): nothing was written to {args.out}. "
                "Fix the rows named above (the focus node's id is the CSV id), or run "
                "'ptce-graph validate' on your data folder to see the full report.")
        return EXIT_NOT_CONFORMANT
    if result.report.results:
        print(f"({result.report.warnings} warning(s) and {result.report.infos} info(s) are listed in "
              f"{Path(args.out) / 'validation.json'})")
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    graph = graph_from(args.files) if args.files else load()
    report = validate(graph)
    if args.format == "json":
        print(report.to_json())
    elif args.format == "turtle":
        print(report.to_turtle())
    else:
        print(report.to_text(language=args.lang))
    return EXIT_OK if report.passes(args.fail_on.capitalize()) else EXIT_NOT_CONFORMANT


def _cmd_export(args: argparse.Namespace) -> int:
    from .network import NETWORK_FORMATS, export_network

    fmt = args.format or next((name for name, suffix in NETWORK_FORMATS.items()
                               if args.out.suffix.lower() == suffix and suffix != ".csv"), None)
    graph = graph_from([args.graph]) if args.graph else load()
    if fmt in NETWORK_FORMATS:
        view = args.view or "co-membership"
        path = export_network(graph, view, fmt, args.out, as_of=args.as_of, undated=args.undated)
        _stderr(f"wrote {path} (view {view})")
        return EXIT_OK
    if args.view is not None or args.as_of is not None:
        raise InputError("--view and --as-of apply to the network formats (graphml, gexf, edges-csv)")
    path = export_graph(graph, args.out, fmt)
    _stderr(f"wrote {path} ({len(graph)} triples)")
    return EXIT_OK


def _params(pairs: Sequence[str]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--param expects KEY=VALUE, got '{pair}'")
        params.setdefault(key.strip(), []).append(value)
    return params


def _cmd_query(args: argparse.Namespace) -> int:
    if args.list:
        for query in load_catalog().values():
            params = ", ".join(
                f"{p.name}:{p.type}{'[]' if p.multiple else ''}{'' if p.required else '?'}" for p in query.params)
            print(f"{query.id:<28} {query.summary}" + (f"  ({params})" if params else ""))
        return EXIT_OK
    sources = [x for x in (args.name, args.sparql, args.file) if x is not None]
    if len(sources) != 1:
        raise InputError("give exactly one of: a query NAME, --sparql 'SELECT ...' or --file query.rq "
                         "(or --list)")
    if args.file is not None:
        try:
            text = args.file.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError.at(args.file, f"cannot read query file: {exc.strerror or exc}") from exc
    else:
        text = args.sparql if args.sparql is not None else args.name
    store = RemoteStore(args.endpoint, timeout=args.timeout) if args.endpoint else None
    graph = graph_from([args.graph]) if args.graph else None
    params = _params(args.param)
    result = run_query(text, params or None, graph=graph, store=store)
    output = result.serialize(args.format)
    if args.out:
        with atomic_write(args.out, "w") as handle:
            handle.write(output if output.endswith("\n") else output + "\n")
        _stderr(f"wrote {args.out} ({len(result)} {'rows' if result.triples is None else 'triples'})")
    else:
        print(output, end="" if output.endswith("\n") else "\n")
    return EXIT_OK


def _cmd_push(args: argparse.Namespace) -> int:
    from .store import LocalStore

    with_ontology = not args.no_ontology
    if args.graph is not None and not args.graph.is_dir():
        store = LocalStore.from_files([args.graph], with_ontology=with_ontology)  # N-Triples/Turtle in bulk
    else:
        store = LocalStore(read([args.graph] if args.graph else None), with_ontology=with_ontology)
    count = push_graph(store, args.store, args.graph_iri, timeout=args.timeout)
    target = f"graph <{args.graph_iri}>" if args.graph_iri else "the default graph"
    print(f"pushed {count} triples to {target} of {args.store} (count checked)")
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from .server import serve
    from .vocabulary import ontology_graph

    graph = graph_from([args.graph]) if args.graph else load()
    payload = graph.serialize(format="nt", encoding="utf-8") + ontology_graph().serialize(format="nt", encoding="utf-8")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        _stderr(f"warning: listening on {args.host}: the endpoint is reachable from other machines")
    serve(payload, host=args.host, port=args.port, workers=args.workers, timeout=args.timeout,
          cors_origin=args.cors, allowed_hosts=args.allow_host,
          on_ready=lambda url: _stderr(f"serving {len(graph)} triples read-only at {url} "
                                       f"(try the canned queries at {url[:-len('sparql')]}); Ctrl-C stops"))
    return EXIT_OK


def _port(text: str) -> int:
    """A TCP port number, refused (not wrapped) when out of range."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is out of range (1-65535)")
    return port


def _origin(text: str) -> str:
    """A web origin (scheme://host[:port]) as browsers send it in the Origin header."""
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/") \
            or parts.query or parts.fragment or "*" in text:
        raise argparse.ArgumentTypeError(f"not a web origin (scheme://host[:port]): {text!r}")
    return f"{parts.scheme}://{parts.netloc}".lower()


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``ptce-graph`` (also used to render ``--help`` in the docs)."""
    top = argparse.ArgumentParser(
        prog="ptce-graph",
        description="Knowledge graph of French territorial economic cooperation hubs (PTCE): "
                    "build, validate, query and analyse it.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--version", action="version", version=f"ptce-graph {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build", help="load the data, validate it, write the exports and a summary",
                       description="Load the CSV templates (the shipped data unless --data is given), "
                       "validate them against the SHACL shapes, and write OUT/ptce.ttl, OUT/ptce.jsonld, "
                       "OUT/ptce.nt (sorted), OUT/validation.json and OUT/summary.json. Nothing is "
                       "written when Violation-level results exist.",
                       epilog="example: ptce-graph build --data my-data --include-shipped --out build\n\n"
                       + _EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", metavar="DIR", type=Path, action="append",
                   help="a data folder in the CSV templates (repeatable); default: the shipped data")
    p.add_argument("--include-shipped", action="store_true",
                   help="also load the shipped data when --data is given")
    p.add_argument("--out", metavar="DIR", type=Path, default=Path("build"),
                   help="output folder (default: build)")
    p.add_argument("--lang", choices=("en", "fr"), default="en", help="language of validation messages")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress messages on stderr")
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("validate", help="validate RDF files or data folders against the shapes",
                       description="Validate RDF files (.ttl, .nt, .jsonld) and/or data folders "
                       "(CSV templates) against the SHACL shapes, with the ontology as background. "
                       "Without FILE, validates the shipped data.",
                       epilog="example: ptce-graph validate build/ptce.ttl --format json\n\n" + _EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", metavar="FILE", type=Path, nargs="*", help="RDF files or data folders")
    p.add_argument("--format", choices=("text", "json", "turtle"), default="text",
                   help="report format (default: text)")
    p.add_argument("--fail-on", choices=("violation", "warning", "info"), default="violation",
                   help="lowest severity that makes the exit code 1 (default: violation)")
    p.add_argument("--lang", choices=("en", "fr"), default="en", help="language of messages (text format)")
    p.set_defaults(func=_cmd_validate)

    from .network import NETWORK_FORMATS, VIEWS
    from .network.cli import add_commands
    from .network.views import DEFAULT_UNDATED, UNDATED_POLICIES

    p = sub.add_parser("export", help="write the graph (Turtle, JSON-LD, N-Triples) or a network view "
                       "(GraphML, GEXF, edge list)",
                       description="Write the graph (the shipped data built in process, or --graph) "
                       "to one file, sorted and atomically: as RDF (ttl, jsonld, nt), or as a network "
                       "view for Gephi and other tools (graphml, gexf with start/end for the timeline, "
                       "edges-csv), with the actor-level metrics as node attributes.",
                       epilog="examples:\n  ptce-graph export --format jsonld --out ptce.jsonld\n"
                       "  ptce-graph export --format gexf --view co-membership --out co-membership.gexf\n\n"
                       + _EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--format", choices=tuple(EXPORT_FORMATS) + tuple(NETWORK_FORMATS), default=None,
                   help="output format (default: from the --out extension)")
    p.add_argument("--view", choices=VIEWS, default=None,
                   help="network view for graphml, gexf, edges-csv (default: co-membership)")
    p.add_argument("--as-of", metavar="DATE", help="network formats: the view as of this date (YYYY[-MM[-DD]])")
    p.add_argument("--undated", choices=UNDATED_POLICIES, default=DEFAULT_UNDATED,
                   help="network formats with --as-of: leave out relations with no date (exclude, the default) "
                        "or count them as always present (include)")
    p.add_argument("--graph", metavar="FILE", type=Path, help="an RDF file or data folder to export")
    p.add_argument("--out", metavar="FILE", type=Path, required=True, help="the file to write")
    p.set_defaults(func=_cmd_export)

    add_commands(sub)

    p = sub.add_parser("query", help="run a canned or ad-hoc SPARQL query, locally or on an endpoint",
                       description="Run a canned query (see --list) with bound parameters, or your own "
                       "SPARQL (--sparql or --file), on the shipped data built in process, on --graph, "
                       "or on a remote SPARQL 1.1 --endpoint. Parameter values are bound as RDF terms, "
                       "never pasted into the query text. HTTP basic auth for endpoints comes from "
                       "PTCE_GRAPH_ENDPOINT_USER and PTCE_GRAPH_ENDPOINT_PASSWORD.",
                       epilog="examples:\n  ptce-graph query --list\n"
                       "  ptce-graph query ptce_members --param ptce=pg:ptce/tetris --format csv\n"
                       "  ptce-graph query --sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?p a ptce:PTCE }'\n\n"
                       + _EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("name", metavar="NAME", nargs="?", help="id of a canned query")
    p.add_argument("--list", action="store_true", help="list the canned queries and their parameters")
    p.add_argument("--sparql", metavar="QUERY", help="an ad-hoc SPARQL query")
    p.add_argument("--file", metavar="FILE", type=Path, help="a file holding a SPARQL query")
    p.add_argument("--param", metavar="KEY=VALUE", action="append", default=[],
                   help="a parameter value (repeatable; repeat a key, or use commas, for list parameters)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--graph", metavar="FILE", type=Path, help="an RDF file or data folder to query")
    where.add_argument("--endpoint", metavar="URL", help="a remote SPARQL 1.1 query endpoint")
    p.add_argument("--timeout", metavar="SECONDS", type=float, default=DEFAULT_TIMEOUT,
                   help=f"endpoint timeout (default: {DEFAULT_TIMEOUT:g})")
    p.add_argument("--format", choices=("table", "csv", "tsv", "json", "ttl", "nt", "jsonld"), default="table",
                   help="result format (default: table; CONSTRUCT/DESCRIBE give Turtle unless nt or jsonld)")
    p.add_argument("--out", metavar="FILE", type=Path, help="write the result to FILE instead of stdout")
    p.set_defaults(func=_cmd_query)

    p = sub.add_parser("push", help="upload the graph to a remote store (Graph Store Protocol)",
                       description="Replace one graph of a remote store with the built graph through the "
                       "SPARQL 1.1 Graph Store HTTP Protocol (PUT), then read it back and check the "
                       "triple count. The ontology and code lists are pushed with the data. Store URLs: Oxigraph http://HOST:7878/store; Apache Jena Fuseki "
                       "http://HOST:3030/DATASET/data; Virtuoso http://HOST:8890/sparql-graph-crud-auth "
                       "(with PTCE_GRAPH_ENDPOINT_USER/PASSWORD).",
                       epilog="example: ptce-graph push --store http://127.0.0.1:7878/store "
                       "--graph-iri https://w3id.org/ptce-graph/id/dataset\n\n" + _EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--store", metavar="URL", required=True, help="Graph Store Protocol endpoint")
    p.add_argument("--graph-iri", metavar="IRI", help="the named graph to replace (default: the default graph)")
    p.add_argument("--graph", metavar="FILE", type=Path, help="an RDF file or data folder to push "
                   "(default: the shipped data)")
    p.add_argument("--no-ontology", action="store_true",
                   help="push the data alone; by default the ontology and code lists go with it, so that "
                   "the canned queries give the same answers there as locally")
    p.add_argument("--timeout", metavar="SECONDS", type=float, default=DEFAULT_TIMEOUT,
                   help=f"timeout of each request (default: {DEFAULT_TIMEOUT:g})")
    p.set_defaults(func=_cmd_push)

    p = sub.add_parser("serve", help="serve the graph as a read-only SPARQL endpoint",
                       description="Serve the graph (the shipped data unless --graph) as a read-only "
                       "SPARQL 1.1 Protocol endpoint at /sparql (GET and POST, JSON, XML, CSV, TSV results; "
                       "Turtle, N-Triples, JSON-LD, RDF/XML graphs), with a page to try the canned queries at /. "
                       "Updates, SERVICE and FROM are refused (checked on the parsed query); a query past "
                       "--timeout is stopped. Answers carry no CORS header unless --cors names the one web "
                       "origin allowed to read them, and a request whose Host header does not name this "
                       "server is refused (a defence against DNS rebinding).",
                       epilog="example: ptce-graph serve --port 7878\n\n" + _EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--graph", metavar="FILE", type=Path, help="an RDF file or data folder to serve")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=_port, default=7878, help="port, 1-65535 (default: 7878)")
    p.add_argument("--timeout", metavar="SECONDS", type=float, default=10.0,
                   help="time limit of one query (default: 10)")
    p.add_argument("--workers", type=int, default=2, help="queries run at once (default: 2)")
    p.add_argument("--cors", metavar="ORIGIN", type=_origin,
                   help="the one web origin whose pages may read answers, e.g. https://example.org "
                        "(default: none)")
    p.add_argument("--allow-host", metavar="NAME", action="append", default=[],
                   help="another Host header value to answer, e.g. sparql.example.org (repeatable; "
                        "for a reverse proxy)")
    p.set_defaults(func=_cmd_serve)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ptce-graph`` with ``argv`` and return the exit code (no traceback for user mistakes)."""
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except PtceGraphError as exc:
        _stderr(f"error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        _stderr("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
