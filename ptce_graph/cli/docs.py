"""The ``docs`` command: the ontology as HTML pages (French and English) and RDF files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ptce_graph.cli._common import stderr
from ptce_graph.errors import EXIT_OK

__all__ = ["add_commands"]

_EXIT = "exit codes: 0 success; 2 usage or input error (an unwritable --out, pyLODE not installed)."


def _examples(text: str) -> int:
    """A number of examples per class: 0 to 10."""
    if not text.isdigit() or int(text) > 10:
        raise argparse.ArgumentTypeError(f"not a number of examples from 0 to 10: {text!r}")
    return int(text)


def _cmd_docs(args: argparse.Namespace) -> int:
    from ptce_graph.publish.ontology_docs import LANGUAGES, write_ontology_docs

    languages = LANGUAGES if args.lang == "both" else (args.lang,)
    docs = write_ontology_docs(
        args.out,
        languages=languages,
        per_class=args.examples,
        progress=(lambda _: None) if args.quiet else (lambda m: stderr(f"... {m}")),
    )
    stderr(f"wrote {args.out}: {docs.summary()}")
    for path in docs.files:
        print(path)
    return EXIT_OK


def add_commands(sub: Any) -> None:
    """Add ``docs`` to the sub-command parsers."""
    p = sub.add_parser(
        "docs",
        help="write the ontology's HTML documentation (French and English) and its RDF files",
        description="Write OUT/ontology.en.html and OUT/ontology.fr.html, the documentation of the "
        "ontology and its code lists made with pyLODE (every class and property with its label and "
        "definition in the page's language, every code list and concept, and for each class up to "
        "--examples instances from the shipped data), OUT/index.html linking them, and the ontology "
        "with its code lists as OUT/ontology.ttl, OUT/ontology.jsonld and OUT/ontology.rdf. These "
        "are the files the w3id.org redirects point at (docs/w3id.md). Nothing is fetched; the "
        "same ontology and data give the same bytes. Needs pyLODE: pip install 'ptce-graph[docs]'.",
        epilog="example: ptce-graph docs --out build/docs\n\n" + _EXIT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--out", metavar="DIR", type=Path, default=Path("build/docs"), help="output folder (default: build/docs)"
    )
    p.add_argument("--lang", choices=("en", "fr", "both"), default="both", help="the page languages (default: both)")
    p.add_argument(
        "--examples",
        metavar="N",
        type=_examples,
        default=2,
        help="instances of each class shown from the shipped data, the first by IRI (default: 2; 0: none)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress messages on stderr")
    p.set_defaults(func=_cmd_docs)
