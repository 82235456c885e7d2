"""The least a program can do to answer a canned query on a file: pyoxigraph alone.

``python -m bench.oxiquery FILE.nt queries/ID.rq [--param NAME=IRI ...] --out ROWS.csv`` loads
the N-Triples file into a fresh ``pyoxigraph.Store``, binds each parameter as a ``VALUES`` block
at the top of the query's WHERE group (as the package binds them), runs the text with no
prefixes but the query's own ``PREFIX`` lines, and writes the rows as CSV. ``bench/run`` times it,
in a fresh interpreter, against ``ptce-graph query ID --graph FILE`` (see ``bench/commands.py``).
"""

from __future__ import annotations

import argparse
import csv
import re

import pyoxigraph as ox


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.oxiquery")
    parser.add_argument("graph", help="an N-Triples file")
    parser.add_argument("query", help="a SPARQL file")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=IRI")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    store = ox.Store()
    store.bulk_load(path=args.graph, format=ox.RdfFormat.N_TRIPLES)
    with open(args.query, encoding="utf-8") as handle:
        text = handle.read()
    values = [f"VALUES ?{name} {{ <{iri}> }}" for name, iri in (p.split("=", 1) for p in args.param)]
    if values:
        text = re.sub(r"WHERE\s*\{", lambda m: m.group(0) + "\n  " + "\n  ".join(values) + "\n", text, count=1)
    result = store.query(text)
    with open(args.out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if isinstance(result, ox.QuerySolutions):
            writer.writerow([variable.value for variable in result.variables])
            writer.writerows(["" if term is None else term.value for term in solution] for solution in result)
        elif isinstance(result, ox.QueryTriples):  # CONSTRUCT or DESCRIBE: one row a triple
            writer.writerows([t.subject.value, t.predicate.value, str(t.object)] for t in result)
        else:  # ASK
            writer.writerow([str(bool(result)).lower()])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
