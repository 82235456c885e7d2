"""What the commands share: the exit-code epilog, messages on stderr, graph options, outputs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ptce_graph.errors import InputError
from ptce_graph.io.cells import printable

if TYPE_CHECKING:
    from ptce_graph.graph import PtceGraph

__all__ = [
    "EPILOG",
    "GuidingParser",
    "add_graph_options",
    "add_include_shipped",
    "check_out",
    "mebibytes",
    "open_from_args",
    "seconds",
    "stage_messages",
    "stderr",
    "write_output",
]

EPILOG = """\
exit codes: 0 success; 1 the data does not conform (Violation-level SHACL results);
2 usage or input error (missing or malformed file, unusable rows); 3 endpoint unreachable.
"""


class GuidingParser(argparse.ArgumentParser):
    """An argument parser whose "invalid choice" errors name the closest choices.

    Sub-command parsers are made of the same class, so a mistyped command, ``--view``,
    ``--format`` or any other choice gets a did-you-mean (:func:`~ptce_graph.suggest.did_you_mean`).

    Examples
    --------
    >>> p = GuidingParser(prog="demo", exit_on_error=False)
    >>> _ = p.add_argument("--view", choices=["membership", "co-membership"])
    >>> p.parse_args(["--view", "membershp"])
    Traceback (most recent call last):
    ...
    argparse.ArgumentError: argument --view: invalid choice: 'membershp'; did you mean membership? \
(choose from 'membership', 'co-membership')
    """

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        """Parse like argparse; an unknown option is reported by its command with the closest options."""
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            from ptce_graph.suggest import did_you_mean

            command = self._command_parser(parsed)
            options = [o for action in command._actions for o in action.option_strings if o.startswith("--")]
            unknown = [extra.split("=", 1)[0] for extra in extras if extra.startswith("--")]
            hints = {name: did_you_mean(name, options).removeprefix("; ") for name in unknown}
            hints = {name: hint for name, hint in hints.items() if hint}
            if len(hints) == 1:
                note = f" ({next(iter(hints.values()))})"
            else:
                note = f" ({'; '.join(f'{name}: {hint}' for name, hint in hints.items())})" if hints else ""
            command.error(f"unrecognized arguments: {' '.join(extras)}{note}")
        return parsed

    def _command_parser(self, parsed: argparse.Namespace) -> argparse.ArgumentParser:
        """The parser of the sub-command that was chosen (this parser when there is none)."""
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                chosen = action.choices.get(getattr(parsed, action.dest or "", None) or "")
                if isinstance(chosen, GuidingParser):
                    return chosen._command_parser(parsed)
        return self

    def _check_value(self, action: argparse.Action, value: object) -> None:
        if action.choices is not None and value not in action.choices and isinstance(value, str):
            from ptce_graph.suggest import did_you_mean

            choices = [str(c) for c in action.choices]
            listed = ", ".join(repr(c) for c in choices)
            raise argparse.ArgumentError(
                action, f"invalid choice: {value!r}{did_you_mean(value, choices)} (choose from {listed})"
            )
        super()._check_value(action, value)


def stderr(message: str) -> None:
    """Print a message for the user on stderr (results go to stdout).

    Control characters from file names and cells are shown escaped, never acted on by the
    terminal (see :func:`~ptce_graph.io.cells.printable`).
    """
    from ptce_graph.progress import write

    write(printable(message, keep_lines=True))  # above the progress bar, when one is drawn


def stage_messages(*, quiet: bool) -> Callable[[str], None]:
    """Where a long job's stage messages go: the progress bar when one is drawn, else a
    ``... message`` line on stderr (for logs), or nowhere with ``--quiet``."""
    from ptce_graph import progress

    if progress.drawing():
        return progress.announce
    return (lambda _: None) if quiet else (lambda m: stderr(f"... {m}"))


def add_include_shipped(p: argparse.ArgumentParser) -> None:
    """``--include-shipped``, the same flag and text in every command that reads data."""
    p.add_argument(
        "--include-shipped",
        action="store_true",
        help="also read the shipped data (your rows may then point at shipped ids)",
    )


def add_graph_options(p: argparse.ArgumentParser, *, what: str = "to read", ontology_default: str) -> None:
    """``--graph``, ``--data``, ``--include-shipped`` and the ontology options, the same in every command."""
    p.add_argument(
        "--data",
        metavar="DIR",
        type=Path,
        action="append",
        default=[],
        help="a data folder in the CSV templates or a workbook (.xlsx, .ods) with a sheet per template "
        "(repeatable; read with --graph folders and files)",
    )
    add_include_shipped(p)
    p.add_argument(
        "--graph",
        metavar="PATH",
        type=Path,
        action="append",
        default=[],
        help=f"an RDF file (.ttl, .nt, .nq, .trig, .jsonld, .rdf), a data folder or a workbook {what} "
        "(repeatable; default: the shipped data)",
    )
    onto = p.add_mutually_exclusive_group()
    onto.add_argument(
        "--with-ontology",
        dest="ontology",
        action="store_true",
        default=None,
        help="add the ontology and its code lists to the graph",
    )
    onto.add_argument(
        "--no-ontology", dest="ontology", action="store_false", help=f"leave them out (default: {ontology_default})"
    )


def open_from_args(args: argparse.Namespace, *, with_ontology: bool | None = None) -> PtceGraph:
    """The graph a command's ``--graph`` and ontology options name (the shipped base by default)."""
    from ptce_graph.graph import open_graph
    from ptce_graph.progress import announce

    chosen = args.ontology if args.ontology is not None else with_ontology
    return open_graph(
        *args.data, *args.graph, include_shipped=args.include_shipped, with_ontology=chosen, progress=announce
    )


def _positive(text: str, unit: str) -> float:
    """A positive, finite number of ``unit`` (below 1e9), or an argparse usage error."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (0 < value < 1e9):  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"not a positive, finite number of {unit}: {text!r}")
    return value


def seconds(text: str) -> float:
    """A duration in seconds for ``--timeout``: a positive, finite number.

    Examples
    --------
    >>> seconds("2.5")
    2.5
    >>> seconds("inf")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: not a positive, finite number of seconds: 'inf'
    """
    return _positive(text, "seconds")


def mebibytes(text: str) -> int:
    """A size in MiB for ``--max-memory`` and ``--max-result``: a positive, finite number; in bytes.

    Examples
    --------
    >>> mebibytes("1.5")
    1572864
    >>> mebibytes("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: not a positive, finite number of MiB: '0'
    """
    return max(1, round(_positive(text, "MiB") * 1024 * 1024))


def check_out(fmt: str, out: Path | None) -> None:
    """Refuse, before any work, a binary ``--format`` (a workbook) without ``--out``.

    Examples
    --------
    >>> check_out("xlsx", None)
    Traceback (most recent call last):
    ...
    ptce_graph.errors.InputError: --format xlsx writes a binary file: give --out FILE.xlsx
    """
    if fmt == "xlsx" and out is None:
        raise InputError(f"--format {fmt} writes a binary file: give --out FILE.{fmt}")


def write_output(data: str | bytes, out: Path | None, what: str, *, binary: bool = False) -> None:
    """Write to ``out`` atomically (saying so on stderr), or to stdout.

    ``binary`` data (a workbook) is written as it is, and only to a file (:func:`check_out`).
    """
    if binary:
        check_out("xlsx", out)
        assert out is not None
        from ptce_graph.io.atomic import atomic_write

        with atomic_write(out, "wb") as handle:
            handle.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        stderr(f"wrote {out} ({what})")
        return
    if out is None:
        from ptce_graph.progress import clear

        clear()  # the progress bar, off the terminal stdout may share
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    from ptce_graph.io.atomic import atomic_write

    payload = data.encode("utf-8") if isinstance(data, str) else data
    if not payload.endswith(b"\n"):
        payload += b"\n"
    with atomic_write(out, "wb") as handle:
        handle.write(payload)
    stderr(f"wrote {out} ({what})")
