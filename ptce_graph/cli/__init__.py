"""The ``ptce-graph`` command line: a parser, and one thin module per group of commands.

Every command does the same three things: parse its options, open one graph
(:func:`~ptce_graph.graph.open_graph`), hand it to one library function; :func:`main` maps
errors to the documented exit codes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ptce_graph import progress
from ptce_graph._version import __version__
from ptce_graph.cli import data, docs, network, sparql
from ptce_graph.cli._common import EPILOG, GuidingParser, stderr
from ptce_graph.errors import EXIT_OK, PtceGraphError

__all__ = ["main", "parser"]


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``ptce-graph`` (also used to render ``--help`` in the docs)."""
    top = GuidingParser(
        prog="ptce-graph",
        description="Knowledge graph of French territorial economic cooperation hubs (PTCE): "
        "build, validate, query and analyse it.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"ptce-graph {__version__}")
    top.add_argument(
        "-q",
        "--quiet",
        dest="global_quiet",
        action="store_true",
        help="no progress on stderr (progress is only drawn when stderr is a terminal)",
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    data.add_commands(sub)
    network.add_commands(sub)
    sparql.add_commands(sub)
    docs.add_commands(sub)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ptce-graph`` with ``argv`` and return the exit code (no traceback for user mistakes)."""
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    quiet = args.global_quiet or getattr(args, "quiet", False)
    try:
        with progress.bar(f"ptce-graph {args.command}", enabled=progress.wanted(quiet=quiet)):
            return int(args.func(args))
    except PtceGraphError as exc:
        stderr(f"error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        stderr("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
