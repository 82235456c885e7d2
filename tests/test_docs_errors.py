"""``docs/errors.md`` is kept true by the code: its index of messages is generated from the
package's source, and every message its tables quote is one the code (or a library it names)
can print.

The index is read from the source's syntax tree: every message given to ``InputError``,
``EndpointError`` (and their subclasses), ``InputError.at``, ``Problem`` and the readers'
``fail``/``problem`` helpers, with ``…`` where a value is filled in. When a message changes,
regenerate the index with ``PTCE_GRAPH_UPDATE_DOCS=1 python -m pytest tests/test_docs_errors.py``
and read the diff.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ptce_graph"
DOC = ROOT / "docs" / "errors.md"
BEGIN = "<!-- generated: every message, by module (tests/test_docs_errors.py) -->"
END = "<!-- end of generated index -->"

#: Calls whose text argument is a message a user can read, and the exit code it leads to.
RAISERS = {"InputError": 2, "RefusedQuery": 2, "Unsupported": 2, "NetworkRefused": 2, "EndpointError": 3}
HELPERS = {"at", "fail", "problem", "Problem"}  # report an input problem: exit 2
HOLE = "…"


def _text(node: ast.expr) -> str | None:
    """The literal text of a message expression, with ``…`` for each value filled in."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else HOLE for v in node.values)  # type: ignore[misc]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        if left is not None or right is not None:
            return (left if left is not None else HOLE) + (right if right is not None else HOLE)
    return None


def _called(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def code_messages() -> list[tuple[str, int, str]]:
    """(module, exit code, message) for every message the package raises or reports, sorted."""
    found: set[tuple[str, int, str]] = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = _called(node)
            if name not in RAISERS and name not in HELPERS:
                continue
            texts = [t for t in (_text(arg) for arg in node.args[:2]) if t is not None]
            # of (where, message) pairs, the message is the longer literal
            text = max(texts, key=lambda t: len(t.replace(HOLE, "")), default=None)
            if text is None or len(text.replace(HOLE, "").strip(" :;,.()'")) < 4:
                continue  # a message made at run time from parts listed elsewhere
            message = re.sub(r"\s+", " ", text).strip()
            found.add((module, RAISERS.get(name or "", 2), message))
    return sorted(found)


def render_index() -> str:
    rows = [
        BEGIN,
        "",
        "| module | exit | message (`…`: a value filled in) |",
        "|---|---|---|",
    ]
    for module, code, message in code_messages():
        shown = message.replace("|", "\\|").replace("`", "'")
        rows.append(f"| `{module}` | {code} | `{shown}` |")
    rows += ["", END]
    return "\n".join(rows)


def test_the_index_of_messages_is_the_codes() -> None:
    doc = DOC.read_text(encoding="utf-8")
    assert BEGIN in doc and END in doc, "docs/errors.md lost its generated index"
    head, rest = doc.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    fresh = head + render_index() + tail
    if os.environ.get("PTCE_GRAPH_UPDATE_DOCS") == "1" and doc != fresh:
        DOC.write_text(fresh, encoding="utf-8")
        pytest.skip("docs/errors.md's index was rewritten: read the diff")
    assert doc == fresh, (
        "docs/errors.md's index of messages differs from the code: "
        "run PTCE_GRAPH_UPDATE_DOCS=1 python -m pytest tests/test_docs_errors.py and read the diff"
    )


def test_the_index_covers_known_messages() -> None:
    messages = {message for _, _, message in code_messages()}
    assert "… is not a whole number" in messages
    assert "not a regular file (a pipe, a device or a socket)" in messages
    assert any(m.startswith("store … accepted the upload") for m in messages)
    codes = {(module, code) for module, code, _ in code_messages()}
    assert ("io.http", 3) in codes and ("io.ingest", 2) in codes


#: What the tables quote from a library's own messages (pyoxigraph's parsers, Python's
#: http.client and ssl, a server's answer), not from this package's source.
FROM_LIBRARIES = (
    "Unexpected end of file",
    "Quads must be followed by a dot",
    "has not been declared",
    "A language code should always start with a letter",
    "Invalid IRI code point",
    "No scheme found in an absolute IRI",
    "error while parsing IRI",
    "mismatched tag",
    "Expecting value",
    "CERTIFICATE_VERIFY_FAILED",
    "Remote end closed connection without response",
    "Permission denied",  # the operating system's strerror
    "Cannot assign requested address",
    "unexpected end of data",  # Python's csv module
)


def _key(message: str) -> str:
    """The longest literal part of a code message: what any rendering of it must contain."""
    return max((part.strip(" '\":;,.()") for part in message.split(HOLE)), key=len)


def _quoted_messages(doc: str) -> list[str]:
    """The backticked messages of the tables' "message" columns (outside the generated index)."""
    body = doc.split(BEGIN, 1)[0] + doc.split(END, 1)[-1]
    quoted: list[str] = []
    column: int | None = None  # the message column of the table being read
    for line in body.splitlines():
        if not line.startswith("|"):
            column = None
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        if set("".join(cells)) <= {"-", ":", " "}:
            continue
        if column is None:  # a header row
            column = next((i for i, c in enumerate(cells) if c.lower().startswith("message")), -1)
            continue
        if 0 <= column < len(cells):
            quoted += [q.replace("\\|", "|") for q in re.findall(r"`([^`]+)`", cells[column]) if len(q) >= 16]
    return quoted


def _literals() -> list[str]:
    """Every string literal of the package, ``…`` where a value is filled in."""
    texts = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = _text(node) if isinstance(node, (ast.Constant, ast.JoinedStr)) else None
            if text and len(text.replace(HOLE, "")) >= 8:
                texts.append(re.sub(r"\s+", " ", text))
    return texts


def _filled(literal: str) -> re.Pattern[str]:
    """A pattern matching ``literal`` with any values in its holes."""
    return re.compile(".*?".join(re.escape(part) for part in literal.split(HOLE)))


def _bare(quoted: str) -> str:
    """A quoted message without its ``FILE:LINE: column 'c':`` prefix."""
    return re.sub(r"^(?:[^\s:]+\.\w+(?:#\w+)?(?::\d+)?: )?(?:column '[^']*': )?", "", quoted)


def _pieces(quoted: str) -> list[str]:
    """The fixed parts of a quoted message: what lies between elisions (``...``), example
    values in quotes, numbers and a file-and-line prefix."""
    quoted = re.sub(r"^[^\s:]+\.\w+(?:#\w+)?(?::\d+)?: ", "", quoted)
    pieces = re.split(
        r"\.\.\.|…|'[^']*'|\"[^\"]*\"(?:\^\^\w+:\w+|@[\w-]+)?|\[\w+\]|\b[\w-]+:[\w/#-]+|[()]|\b\d[\d.,]*\b|\b[A-Z]{2,}\b",
        quoted,
    )
    return [p.strip(" :;,") for p in pieces if len(p.strip(" :;,")) >= 8]


def stale(quoted: list[str]) -> list[str]:
    """The quoted messages that are no message of the code (nor a part of one, nor a library's)."""
    # short fixed parts ("is not a valid") would let any message through
    keys = {key for key in (_key(m) for _, _, m in code_messages()) if len(key) >= 20}
    literals = _literals()
    text = "\n".join(part for literal in literals for part in literal.split(HOLE))
    patterns = [_filled(lit) for lit in literals if HOLE in lit and len(lit.replace(HOLE, "").strip()) >= 8]
    return [
        q
        for q in quoted
        if not any(k in q for k in keys)
        and not all(piece in text for piece in _pieces(q))  # (a quote of example values alone passes)
        and not any(pattern.fullmatch(_bare(q)) for pattern in patterns)
        and not any(lib in q for lib in FROM_LIBRARIES)
    ]


def test_every_quoted_message_is_one_the_code_prints() -> None:
    """Each message a table quotes holds the fixed text of a message of the code, or is a part
    of one (the tables shorten), or comes from a library the row names."""
    quoted = _quoted_messages(DOC.read_text(encoding="utf-8"))
    assert len(quoted) > 60  # the tables are read: a change of their layout must not empty this test
    found = stale(quoted)
    assert not found, "docs/errors.md quotes messages no code prints:\n" + "\n".join(found)


def test_a_message_the_code_does_not_print_is_found() -> None:
    assert stale(
        [
            "actors.csv:3: column 'siren': '123' is not a valid SIREN: 9 digits with a valid Luhn check digit",
            "actors.csv:3: column 'siren': the SIREN '123' fails its check digit",
            "the store fell over: try again tomorrow",
        ]
    ) == [
        "actors.csv:3: column 'siren': the SIREN '123' fails its check digit",
        "the store fell over: try again tomorrow",
    ]
