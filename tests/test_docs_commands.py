"""The commands the documentation shows exist: every console example parses, and every option an
inline mention names belongs to its command (README.md has its own test that runs its examples)."""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest

from ptce_graph.cli import parser

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted([*ROOT.glob("docs/**/*.md"), ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "data" / "README.md"])
_FENCE = re.compile(r"```(?:console|bash|sh|shell)\n(.*?)```", re.S)
_INLINE = re.compile(r"`(ptce-graph [^`]+)`")
_OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z-]*)")


def _console_commands(text: str) -> list[str]:
    lines = (line.strip().removeprefix("$ ") for block in _FENCE.findall(text) for line in block.splitlines())
    return [line for line in lines if line.startswith("ptce-graph ")]


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _options(command: argparse.ArgumentParser) -> set[str]:
    return {option for action in command._actions for option in action.option_strings}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_console_examples_parse(page: Path) -> None:
    for line in _console_commands(page.read_text(encoding="utf-8")):
        errors = io.StringIO()
        try:
            with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
                parser().parse_args(shlex.split(line)[1:])
        except SystemExit as exc:
            assert exc.code == 0, f"{page.name}: {line}\n{errors.getvalue()}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_options_named_in_the_text_belong_to_their_command(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    commands, top = _subcommands(), _options(parser())
    for mention in [*_console_commands(text), *_INLINE.findall(text)]:
        words = mention.split()
        name = next((w for w in words[1:] if not w.startswith("-")), None)
        if name not in commands:
            continue  # a placeholder such as COMMAND, or an error message quoted
        known = _options(commands[name]) | top
        for option in _OPTION.findall(mention):
            assert option in known, f"{page.name}: {mention!r} names {option}, which 'ptce-graph {name}' does not take"


def test_the_checks_can_fail() -> None:
    assert _console_commands("```console\nptce-graph build --contact x\nls\n```") == ["ptce-graph build --contact x"]
    commands = _subcommands()
    assert "--contact" in _options(commands["build"]) and "--contact" not in _options(commands["export"])
    with pytest.raises(SystemExit):
        with contextlib.redirect_stderr(io.StringIO()):
            parser().parse_args(["build", "--no-such-option"])
