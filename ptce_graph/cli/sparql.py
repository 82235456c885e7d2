"""The ``query``, ``push`` and ``serve`` commands: options -> the graph -> one job -> output."""

from __future__ import annotations

import argparse
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ptce_graph.cli._common import (
    EPILOG,
    add_graph_options,
    check_out,
    mebibytes,
    open_from_args,
    seconds,
    stderr,
    write_output,
)
from ptce_graph.errors import EXIT_OK, InputError
from ptce_graph.io.formats import format_names

__all__ = ["add_commands"]


def _params(pairs: Sequence[str]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--param expects KEY=VALUE, got '{pair}'")
        params.setdefault(key.strip(), []).append(value)
    return params


def _list_catalog(fmt: str) -> int:
    import json

    from ptce_graph.query.catalog import load_catalog

    if fmt == "json":
        print(json.dumps([query.to_json() for query in load_catalog().values()], ensure_ascii=False, indent=2))
        return EXIT_OK
    if fmt != "table":
        raise InputError(f"--list writes a table, or JSON with --format json (not --format {fmt})")
    for query in load_catalog().values():
        signature = ", ".join(
            f"{p.name}:{p.type}{'[]' if p.multiple else ''}{'' if p.required else '?'}" for p in query.params
        )
        print(f"{query.id:<28} {query.summary}" + (f"  ({signature})" if signature else ""))
    return EXIT_OK


def _checked(args: argparse.Namespace, text: str, params: dict[str, list[str]], store: Any) -> tuple[Any, Any, Any]:
    """The query and parameters to run, once entities, bare ids and prefixes are checked on ``store``.

    A canned query's entity parameters must name entities of the graph queried; an ad-hoc
    query that is only an IRI, a CURIE or a bare id describes that entity; one that uses a
    collection prefix (``pg-ptce:``) gets it declared.
    """
    from ptce_graph.query.catalog import get_query
    from ptce_graph.query.entities import check_entity_params, describe_entity
    from ptce_graph.query.prefixes import collection_prefixes_used

    if args.name is not None:
        query = get_query(args.name)
        if params and not args.no_check:
            return query, store, check_entity_params(query, params, store)
        return query, store, params
    if args.sparql is not None:
        described = describe_entity(store, text)
        if described is not None:
            return described, store, params
    extra = collection_prefixes_used(text, store)
    if extra:
        store = store.with_prefixes(extra)
    return text, store, params


def _cmd_query(args: argparse.Namespace) -> int:
    from ptce_graph.query.bounded import QUERY_MEMORY
    from ptce_graph.query.guard import RefusedQuery
    from ptce_graph.query.prefixes import slash_hint
    from ptce_graph.query.run import run_query

    if args.list:
        return _list_catalog(args.format)
    check_out(args.format, args.out)
    sources = [x for x in (args.name, args.sparql, args.file) if x is not None]
    if len(sources) != 1:
        raise InputError("give exactly one of: a query NAME, --sparql 'SELECT ...' or --file query.rq (or --list)")
    if args.endpoint and (args.graph or args.ontology is not None):
        raise InputError(
            "--endpoint queries the endpoint's data: --graph and --with-ontology/--no-ontology are for local queries"
        )
    if args.file is not None:
        try:
            text = args.file.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError.at(args.file, f"cannot read query file: {exc.strerror or exc}") from exc
    else:
        text = args.sparql if args.sparql is not None else args.name
    if args.endpoint and args.max_memory is not None:
        raise InputError("--max-memory bounds local queries: an endpoint's memory is its own")
    params = _params(args.param)
    if args.name is not None:  # a mistyped name or parameter is said before the graph is read
        from ptce_graph.query.catalog import get_query

        canned = get_query(args.name)
        for name in params:
            canned.param(name)
    try:
        if args.endpoint:
            from ptce_graph.query.endpoint import RemoteStore  # its HTTP client only when asked for

            store: Any = RemoteStore(args.endpoint, timeout=args.timeout, max_bytes=args.max_result)
            query, store, bound = _checked(args, text, params, store)
            result = run_query(query, bound or None, store=store)
        else:
            graph = open_from_args(args)
            if args.layer:
                from ptce_graph.publish.export import layer_store

                store = layer_store(graph, args.layer)
            else:
                store = graph.store
            query, store, bound = _checked(args, text, params, store)
            result = run_query(
                query,
                bound or None,
                store=store,
                timeout=args.timeout,
                max_memory=args.max_memory or QUERY_MEMORY,
                max_result=args.max_result,
            )
            stderr(graph.describe())
    except RefusedQuery as exc:
        hint = slash_hint(text) if exc.reason == "syntax" else ""
        if not hint:
            raise
        raise RefusedQuery(exc.reason, f"{exc}{hint}") from exc
    what = f"{len(result)} {'rows' if result.triples is None else 'triples'}"
    if args.format == "xlsx":
        source = f"endpoint {args.endpoint}" if args.endpoint else graph.describe()
        write_output(result.to_xlsx(about={"source": source}), args.out, what, binary=True)
        return EXIT_OK
    write_output(result.serialize(args.format), args.out, what)
    return EXIT_OK


def _cmd_push(args: argparse.Namespace) -> int:
    from ptce_graph.query.endpoint import push_graph

    graph = open_from_args(args)
    count = push_graph(graph.store, args.store, args.graph_iri, timeout=args.timeout)
    stderr(graph.describe())
    target = f"graph <{args.graph_iri}>" if args.graph_iri else "the default graph"
    print(f"pushed {count} triples to {target} of {args.store} (count checked)")
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from ptce_graph.serve.server import serve

    graph = open_from_args(args)
    payload = graph.data()
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        stderr(f"warning: listening on {args.host}: the endpoint is reachable from other machines")
    serve(
        payload,
        host=args.host,
        port=args.port,
        workers=args.workers,
        timeout=args.timeout,
        cors_origin=args.cors,
        allowed_hosts=args.allow_host,
        on_ready=lambda url: stderr(
            f"serving {len(graph)} triples read-only at {url} "
            f"(try the canned queries at {url[: -len('sparql')]}); Ctrl-C stops"
        ),
    )
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
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or "*" in text
    ):
        raise argparse.ArgumentTypeError(f"not a web origin (scheme://host[:port]): {text!r}")
    return f"{parts.scheme}://{parts.netloc}".lower()


def add_commands(sub: Any) -> None:
    """Add ``query``, ``push`` and ``serve`` to the sub-command parsers."""
    from ptce_graph.io.http import DEFAULT_TIMEOUT
    from ptce_graph.query.bounded import MIB, QUERY_MEMORY, QUERY_RESULT

    p = sub.add_parser(
        "query",
        help="run a canned or ad-hoc SPARQL query, locally or on an endpoint",
        description="Run a canned query (see --list) with bound parameters, or your own "
        "SPARQL (--sparql or --file), on the shipped data built in process (with the "
        "ontology), on --graph (exactly what the files hold, unless --with-ontology), or on a "
        "remote SPARQL 1.1 --endpoint. Parameter values are bound as RDF terms, "
        "never pasted into the query text. An entity parameter must name an entity of the "
        "expected class in the graph queried (on --endpoint, a bound ASK asks the endpoint; "
        "--no-check skips it), else the query stops with the closest ones. Ad-hoc queries may "
        "use the project's prefixes (pg:, ptce:, skos:...) and collection prefixes (pg-ptce:, "
        "pgc-role:) without declaring them; --sparql with only an IRI, CURIE or bare id "
        "describes that entity. HTTP basic auth for endpoints comes from "
        "PTCE_GRAPH_ENDPOINT_USER and PTCE_GRAPH_ENDPOINT_PASSWORD.",
        epilog="examples:\n  ptce-graph query --list\n"
        "  ptce-graph query ptce_members --param ptce=pg:ptce/tetris --format csv\n"
        "  ptce-graph query ptce_overview --format xlsx --out build/ptce-overview.xlsx\n"
        "  ptce-graph query --sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?p a ptce:PTCE }'\n"
        "  ptce-graph query --sparql 'SELECT ?p ?o WHERE { pg-ptce:tetris ?p ?o }'\n"
        "  ptce-graph query --sparql pg:ptce/tetris   # describes the entity\n"
        "  ptce-graph query --list --format json\n\n" + EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("name", metavar="NAME", nargs="?", help="id of a canned query")
    p.add_argument(
        "--list",
        action="store_true",
        help="list the canned queries and their parameters (--format json: every field, for programs)",
    )
    p.add_argument("--sparql", metavar="QUERY", help="an ad-hoc SPARQL query")
    p.add_argument("--file", metavar="FILE", type=Path, help="a file holding a SPARQL query")
    p.add_argument(
        "--param",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        help="a parameter value (repeatable; repeat a key, or use commas, for list parameters); an entity "
        "is an IRI, a CURIE (pg:ptce/tetris) or its bare id (tetris), checked to be in the graph queried",
    )
    p.add_argument(
        "--no-check",
        action="store_true",
        help="do not check that entity parameters name entities of the graph queried (one query less)",
    )
    add_graph_options(p, what="to query", ontology_default="with the shipped data only")
    p.add_argument(
        "--layer",
        choices=("shipped", "own", "ontology"),
        help="keep the query to one layer: the shipped data, your own facts (--data, --graph), or the ontology",
    )
    p.add_argument("--endpoint", metavar="URL", help="a remote SPARQL 1.1 query endpoint (instead of --graph)")
    p.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=seconds,
        default=DEFAULT_TIMEOUT,
        help="time limit of the query: a local one is stopped past it, an endpoint's answer "
        f"(retries included) awaited until then (default: {DEFAULT_TIMEOUT:g})",
    )
    p.add_argument(
        "--max-memory",
        metavar="MIB",
        type=mebibytes,
        help="memory a local query may take beyond the loaded graph; past it the query is stopped "
        f"(default: {QUERY_MEMORY // MIB})",
    )
    p.add_argument(
        "--max-result",
        metavar="MIB",
        type=mebibytes,
        default=QUERY_RESULT,
        help="the largest answer, local (as SPARQL TSV results or N-Triples) or from --endpoint "
        f"(default: {QUERY_RESULT // MIB})",
    )
    p.add_argument(
        "--format",
        choices=("table", "csv", "csv-excel", "tsv", "json", "xlsx") + format_names("rdf"),
        default="table",
        help="result format (default: table; CONSTRUCT/DESCRIBE give Turtle unless nt or jsonld); "
        "xlsx: a workbook of typed cells, with the query in an 'about' sheet (needs --out); "
        "csv-excel: CSV for Excel in French settings (UTF-8 with BOM, ';', decimal comma)",
    )
    p.add_argument("--out", metavar="FILE", type=Path, help="write the result to FILE instead of stdout")
    p.set_defaults(func=_cmd_query)

    p = sub.add_parser(
        "push",
        help="upload the graph to a remote store (Graph Store Protocol)",
        description="Replace one graph of a remote store with the built graph through the "
        "SPARQL 1.1 Graph Store HTTP Protocol (PUT), then read it back and check the "
        "triple count. The ontology and code lists go with the shipped data (--with-ontology "
        "adds them to your own files). Store URLs: Oxigraph http://HOST:7878/store; Apache Jena Fuseki "
        "http://HOST:3030/DATASET/data; Virtuoso http://HOST:8890/sparql-graph-crud-auth "
        "(with PTCE_GRAPH_ENDPOINT_USER/PASSWORD).",
        epilog="example: ptce-graph push --store http://127.0.0.1:7878/store "
        "--graph-iri https://w3id.org/ptce-graph/id/dataset\n\n" + EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--store", metavar="URL", required=True, help="Graph Store Protocol endpoint")
    p.add_argument("--graph-iri", metavar="IRI", help="the named graph to replace (default: the default graph)")
    add_graph_options(p, what="to push", ontology_default="with the shipped data only")
    p.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=seconds,
        default=DEFAULT_TIMEOUT,
        help=f"timeout of each request (default: {DEFAULT_TIMEOUT:g})",
    )
    p.set_defaults(func=_cmd_push)

    p = sub.add_parser(
        "serve",
        help="serve the graph as a read-only SPARQL endpoint",
        description="Serve the graph (the shipped data unless --graph) as a read-only "
        "SPARQL 1.1 Protocol endpoint at /sparql (GET and POST, JSON, XML, CSV, TSV results; "
        "Turtle, N-Triples, JSON-LD, RDF/XML graphs), with a page to try the canned queries at /. "
        "The paths of the project's IRIs (/id/..., /concept/..., /ontology, /shapes, /alignments) "
        "answer by content negotiation: Turtle, JSON-LD, N-Triples or RDF/XML by Accept, else an "
        "HTML page (French if Accept-Language prefers it). "
        "Updates, SERVICE and FROM are refused (checked on the parsed query); a query past "
        "--timeout is stopped. Answers carry no CORS header unless --cors names the one web "
        "origin allowed to read them, and a request whose Host header does not name this "
        "server is refused (a defence against DNS rebinding).",
        epilog="example: ptce-graph serve --port 7878\n\n" + EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_graph_options(p, what="to serve", ontology_default="with the shipped data only")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=_port, default=7878, help="port, 1-65535 (default: 7878)")
    p.add_argument(
        "--timeout", metavar="SECONDS", type=seconds, default=10.0, help="time limit of one query (default: 10)"
    )
    p.add_argument(
        "--workers",
        type=int,
        default=8,
        help="most queries run at once (default: 8); 2 worker processes start at once, more when all are busy",
    )
    p.add_argument(
        "--cors",
        metavar="ORIGIN",
        type=_origin,
        help="the one web origin whose pages may read answers, e.g. https://example.org (default: none)",
    )
    p.add_argument(
        "--allow-host",
        metavar="NAME",
        action="append",
        default=[],
        help="another Host header value to answer, e.g. sparql.example.org (repeatable; for a reverse proxy)",
    )
    p.set_defaults(func=_cmd_serve)
