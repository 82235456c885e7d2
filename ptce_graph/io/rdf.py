"""Read RDF files strictly and safely (no network, positions in errors) and write files atomically.

Every RDF format is parsed by pyoxigraph, which rejects invalid IRIs, bad language tags and
malformed syntax with a line and column, and never fetches anything. What the parsers
accept but ptce-graph refuses is checked here, each with the file and the line:

- ill-typed literals (``"vingt"^^xsd:gYear``, ``"douze"^^xsd:integer``, ``"2020-13-45"^^xsd:date``);
- relative IRIs (there is no base to resolve them against) and RDF 1.2 terms rdflib cannot hold;
- in JSON-LD: remote ``@context`` (and ``@import``, scoped contexts), and nodes, types or
  properties the JSON-LD algorithm would silently drop (an ``@id`` with a space, a key the
  context does not define);
- in RDF/XML: ``<!ENTITY>`` declarations and external DTDs (file reads, entity expansion);
- a single term over 16 MiB, a file with no triple;
- nesting deeper than :data:`MAX_NESTING` levels (blank nodes, collections, triple terms, JSON
  objects and arrays, XML elements), found by a linear scan before any parser builds a tree: the
  RDF/XML parser slows down with the square of the depth and deeply nested triple terms crash
  pyoxigraph.

There is no size limit on a file but memory.

String literals are normalised to Unicode NFC. See ``docs/errors.md`` for every message.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import stat
import unicodedata
import warnings
import xml.parsers.expat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import accumulate
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ptce_graph.errors import InputError, Problem
from ptce_graph.gcpause import paused_gc
from ptce_graph.io.formats import Format, format_names, rdf_format, rdf_format_of_path
from ptce_graph.io.offline import no_network

__all__ = [
    "MAX_NESTING",
    "literal_problem",
    "ox_to_rdflib",
    "ox_to_rdflib_loud",
    "parse_rdf_file",
    "parse_rdf_text",
    "quiet_rdflib",
    "read_rdf_file",
    "read_rdf_text",
    "to_rdflib_graph",
]

#: How many problems of one file are listed before giving up on it.
_MAX_PROBLEMS = 50

CONTEXT_IRI = "https://w3id.org/ptce-graph/context.jsonld"
#: JSON-LD resolves relative IRIs against the document's address, which a file read from
#: disk does not have: pyoxigraph would drop such nodes silently, so they are resolved
#: against this reserved name (RFC 2606 ``.invalid``) and reported.
_RELATIVE_BASE = "https://relative-iri.invalid/"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')
_QUOTED = re.compile(r"'([^']{1,300})'")
_rdflib_term_log = logging.getLogger("rdflib.term")

#: How many levels blank nodes ``[ ]``, collections ``( )``, graphs ``{ }``, triple terms
#: ``<< >>``, JSON objects and arrays, or XML elements may nest. Real data nests a few levels
#: (the shipped ontology and shapes: 2; the JSON-LD export of the shipped data: 5; OWL and SHACL
#: files a few dozen at worst);
#: past some thousands, parsers turn slow (RDF/XML: 8 s at 50,000 levels, 39 s at 100,000) or
#: crash (pyoxigraph on 100,000 nested triple terms), so a file nesting deeper is refused first.
MAX_NESTING = 256


# -- literals ------------------------------------------------------------------------------
_TZ = r"(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_YEAR = r"-?(?:[1-9][0-9]{3,}|0[0-9]{3})"
_DATE = rf"({_YEAR})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_TIME = r"(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?|24:00:00(?:\.0+)?)"
_DECIMAL = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
_LEXICAL: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern)
    for name, pattern in {
        "integer": r"[+-]?[0-9]+",
        "decimal": _DECIMAL,
        "double": rf"{_DECIMAL}(?:[eE][+-]?[0-9]+)?|[+-]?INF|NaN",
        "boolean": r"true|false|1|0",
        "date": _DATE + _TZ,
        "dateTime": rf"{_DATE}T{_TIME}{_TZ}",
        "dateTimeStamp": rf"{_DATE}T{_TIME}(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))",
        "time": _TIME + _TZ,
        "gYear": _YEAR + _TZ,
        "gYearMonth": rf"{_YEAR}-(?:0[1-9]|1[0-2]){_TZ}",
        "gMonthDay": rf"--(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]){_TZ}",
        "gMonth": rf"--(?:0[1-9]|1[0-2]){_TZ}",
        "gDay": rf"---(?:0[1-9]|[12][0-9]|3[01]){_TZ}",
    }.items()
}
_LEXICAL["float"] = _LEXICAL["double"]
#: Integer types and their bounds (None: unbounded on that side).
_INTEGERS: dict[str, tuple[int | None, int | None]] = {
    "integer": (None, None),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-128, 127),
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255),
}
_EXAMPLES = {
    "integer": "42",
    "decimal": "2500000.50",
    "double": "1.5E3",
    "float": "1.5E3",
    "boolean": "true",
    "date": "2020-03-31",
    "dateTime": "2020-03-31T12:00:00",
    "dateTimeStamp": "2020-03-31T12:00:00Z",
    "time": "12:00:00",
    "gYear": "2020",
    "gYearMonth": "2020-03",
    "gMonthDay": "--03-31",
    "gMonth": "--03",
    "gDay": "---31",
}


def literal_problem(lexical: str, datatype: str) -> str | None:
    """Why ``lexical`` is not a valid form of the XSD ``datatype`` IRI, or ``None`` when it is.

    Covers the numeric, boolean, date and time types; other datatypes are left to rdflib's
    own check (``Literal.ill_typed``).

    Examples
    --------
    >>> XSD = "http://www.w3.org/2001/XMLSchema#"
    >>> literal_problem("vingt", XSD + "gYear")
    "not a valid xsd:gYear (e.g. '2020')"
    >>> literal_problem("2020-02-30", XSD + "date")
    'not a calendar date'
    >>> literal_problem("300", XSD + "byte")
    'out of the range of xsd:byte'
    >>> literal_problem("2020", XSD + "gYear") is None
    True
    """
    if not datatype.startswith(_XSD):
        return None
    name = datatype[len(_XSD) :]
    if name in _INTEGERS:
        if not _LEXICAL["integer"].fullmatch(lexical):
            return f"not a valid xsd:{name} (e.g. '42')"
        if len(lexical) > 4000:
            return f"an xsd:{name} of {len(lexical)} digits"
        low, high = _INTEGERS[name]
        value = int(lexical)
        if (low is not None and value < low) or (high is not None and value > high):
            return f"out of the range of xsd:{name}"
        return None
    pattern = _LEXICAL.get(name)
    if pattern is None:
        return None
    match = pattern.fullmatch(lexical)
    if not match:
        return f"not a valid xsd:{name} (e.g. '{_EXAMPLES[name]}')"
    if name in ("date", "dateTime", "dateTimeStamp"):
        year, month, day = match.group(1), int(match.group(2)), int(match.group(3))
        leap_year = 2000 if year.lstrip("-").isdigit() and _is_leap(int(year)) else 2001
        try:
            dt.date(leap_year, month, day)
        except ValueError:
            return "not a calendar date"
    elif name == "gMonthDay":
        try:
            dt.date(2000, int(match.group(1)), int(match.group(2)))
        except ValueError:
            return "not a calendar day"
    return None


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


@contextmanager
def quiet_rdflib() -> Iterator[None]:
    """rdflib logs a traceback (and warns) when it builds an ill-typed literal: keep stderr clean."""
    was = _rdflib_term_log.disabled
    _rdflib_term_log.disabled = True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        _rdflib_term_log.disabled = was


def ox_to_rdflib(term: Any) -> Node:
    """Convert a pyoxigraph term to the equal rdflib term.

    Raises
    ------
    InputError
        For RDF 1.2 terms rdflib cannot hold (triple terms, literals with a base direction).

    Examples
    --------
    >>> ox_to_rdflib(ox.Literal("2020", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")))
    rdflib.term.Literal('2020', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYear'))
    """
    if isinstance(term, ox.Literal) and not term.language:  # a typed literal: rdflib may warn
        with quiet_rdflib():
            return ox_to_rdflib_loud(term)
    return ox_to_rdflib_loud(term)


def ox_to_rdflib_loud(term: Any) -> Node:
    """:func:`ox_to_rdflib` without silencing rdflib: for loops that run inside one
    :func:`quiet_rdflib` block (entering it costs more than converting a term)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal) and term.direction is None:
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        raise InputError(
            f'the literal "{term.value[:80]}"@{term.language}--{term.direction} has a base '
            "direction (RDF 1.2), which ptce-graph does not support"
        )
    if isinstance(term, ox.Triple):
        raise InputError(f"triple terms (RDF 1.2, <<( ... )>>) are not supported: {term}")
    raise InputError(f"unsupported RDF term {term!r}")


# -- positions ----------------------------------------------------------------------------
def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _locate(text: str, *needles: str) -> int | None:
    """The line of the first needle found in ``text`` (``None`` when none is)."""
    for needle in needles:
        if needle:
            index = text.find(needle)
            if index >= 0:
                return _line_of(text, index)
    return None


# -- nesting depth ----------------------------------------------------------------------------
#: In Turtle, TriG, N-Triples and N-Quads: what may hold brackets without nesting anything
#: (strings, IRIs, comments, escaped characters of local names). Loops are unrolled
#: (``[^"\\]*`` runs inside the regex engine), so a 16 MiB literal is skipped quickly.
_TURTLE_SKIP = (
    r'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""'
    r"|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"
    r'|"[^"\\\n\r]*(?:\\.[^"\\\n\r]*)*"'
    r"|'[^'\\\n\r]*(?:\\.[^'\\\n\r]*)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*"
    r"|\\."
)
_JSON_SKIP = r'"[^"\\]*(?:\\.[^"\\]*)*"'


class _Nesting:
    """A bracket-depth scan of one syntax: linear, and without building any tree."""

    def __init__(self, skip: str, opening: str, closing: str, what: str) -> None:
        self.skip = re.compile(skip, re.DOTALL)
        brackets = re.escape(opening + closing)
        self.not_bracket = re.compile(f"[^{brackets}]+")
        pairs = "<<|>>|" if "<" in opening else ""  # a triple term's << and >> are one level each
        self.token = re.compile(f"(?:{skip})|(?P<bracket>{pairs}[{brackets}])", re.DOTALL)
        self.opening, self.what = opening, what
        self.delta = {**dict.fromkeys(opening, 1), **dict.fromkeys(closing, -1)}

    def check(self, text: str, where: str, limit: int) -> None:
        # the fast path, in the regex engine and C loops: strings, IRIs and comments removed,
        # then the brackets alone
        brackets = self.not_bracket.sub("", self.skip.sub("", text)).replace("<<", "<").replace(">>", ">")
        if sum(brackets.count(c) for c in self.opening) <= limit:
            return
        depths = list(accumulate(map(self.delta.__getitem__, brackets)))
        if max(depths) <= limit and min(depths) >= 0:
            return
        # deeper than the limit, or a closing bracket with nothing open (a syntax error the
        # parser will name, unless a string was misread): scan again, token by token, for the line
        depth = 0
        for match in self.token.finditer(text):
            bracket = match.group("bracket")
            if bracket is None:
                continue
            depth = max(depth + self.delta[bracket[0]], 0)
            if depth > limit:
                raise InputError.at(
                    where,
                    f"nesting deeper than {limit} levels ({self.what}): ptce-graph refuses such files, "
                    "on which parsers slow down or crash; give the nested nodes names or flatten them",
                    line=_line_of(text, match.start()),
                )


_TURTLE_NESTING = _Nesting(
    _TURTLE_SKIP,
    "[({<",
    "])}>",
    "blank nodes [ ], collections ( ), graphs { } or triple terms << >> inside one another",
)
_JSON_NESTING = _Nesting(_JSON_SKIP, "[{", "]}", "JSON objects and arrays inside one another")


#: The longest literal read, in characters: pyoxigraph's Turtle-family parsers stop at 16 MiB per
#: term; RDF/XML and JSON-LD would take a 100 MB literal (and hold it several times over).
MAX_LITERAL_CHARS = 16 * 1024 * 1024


def _check_nesting(text: str, fmt: Format, where: str, limit: int = MAX_NESTING) -> None:
    """Refuse ``text`` when its brackets nest deeper than ``limit`` (RDF/XML: see :func:`_check_xml`)."""
    if fmt.name in ("nt", "nq"):
        if "<<" in text:  # N-Triples and N-Quads nest only triple terms
            _TURTLE_NESTING.check(text, where, limit)
    elif fmt.name in ("ttl", "trig"):
        _TURTLE_NESTING.check(text, where, limit)
    elif fmt.name == "jsonld":
        _JSON_NESTING.check(text, where, limit)


# -- JSON-LD ------------------------------------------------------------------------------
def _local_context() -> dict[str, Any]:
    from ptce_graph.resources import jsonld_context_file

    loaded: dict[str, Any] = json.loads(jsonld_context_file().read_text(encoding="utf-8"))["@context"]
    return loaded


class _JsonLdCheck:
    """Walks a JSON-LD document: inlines our context, refuses remote ones, finds what would drop."""

    def __init__(self, text: str, where: str) -> None:
        self.text, self.where = text, where
        self.problems: list[Problem] = []
        self.messages: set[str] = set()
        self.terms: set[str] = set()
        self.id_keys, self.type_keys = {"@id"}, {"@type"}
        #: Keys whose value is a map (language, index, id or type map): its keys are no properties.
        self.map_keys: set[str] = set()
        self.vocab = False

    def problem(self, message: str, needle: str | None = None, *, prefix: bool = False) -> None:
        """Record a problem once, on the line where ``needle`` is written (``prefix``: where a
        string starting with it is)."""
        if len(self.problems) >= _MAX_PROBLEMS or message in self.messages:
            return  # the same key in many nodes is one problem; past 50, the file is clearly wrong
        self.messages.add(message)
        line = None
        if needle:
            written = [json.dumps(needle, ensure_ascii=False), json.dumps(needle)]
            line = _locate(self.text, *(w[:-1] for w in written) if prefix else written)
        self.problems.append(Problem(self.where, message, line=line))

    def huge(self, value: str) -> None:
        """Refuse a string past :data:`MAX_LITERAL_CHARS` before it is copied into the parser."""
        # pyoxigraph's JSON-LD parser would hold such a string many times over (> 500 MiB for 17 MB)
        message = f"invalid JSON-LD: a single term (literal or IRI) is longer than 16 MiB ({len(value):,} characters)"
        self.problem(message, value[:64], prefix=True)

    # contexts ---------------------------------------------------------------------------
    def context(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.context(item) for item in value]
        if isinstance(value, str):
            if value == CONTEXT_IRI:
                local = _local_context()
                self.terms.update(k for k in local if not k.startswith("@"))
                return local
            self.problem(
                f"remote JSON-LD @context '{value}' refused: ptce-graph never fetches anything "
                "while reading a file; put the context inline",
                value,
            )
            self.vocab = True  # its terms are unknown: do not report them as undefined
            return {}
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problem(f"invalid JSON-LD @context (a {type(value).__name__}; expected an object, a string or null)")
            return {}
        result: dict[str, Any] = {}
        for key, item in value.items():
            if key == "@import":
                self.problem(
                    f"JSON-LD @import of '{item}' refused: ptce-graph never fetches anything while "
                    "reading a file; put the context inline",
                    item if isinstance(item, str) else None,
                )
                self.vocab = True
                continue
            if key == "@vocab" and item is not None:
                self.vocab = True
            if not key.startswith("@"):
                self.terms.add(key)
                target = item.get("@id") if isinstance(item, dict) else item
                if target == "@id":
                    self.id_keys.add(key)
                elif target == "@type":
                    self.type_keys.add(key)
                container = item.get("@container") if isinstance(item, dict) else None
                containers = container if isinstance(container, list) else [container]
                if {"@language", "@index", "@id", "@type"} & set(containers):
                    self.map_keys.add(key)
                if isinstance(item, dict) and "@context" in item:
                    item = {**item, "@context": self.context(item["@context"])}
            result[key] = item
        return result

    # nodes ------------------------------------------------------------------------------
    def iri_value(self, value: Any, what: str) -> None:
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and _IRI_FORBIDDEN.search(item) and not item.startswith("@"):
                self.problem(
                    f"{what} '{item[:200]}' is not a valid IRI (it holds a space or one of "
                    '<>"{}|^`\\): JSON-LD would silently drop it',
                    item,
                )

    def node(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.node(item) for item in value]
        if not isinstance(value, dict):
            if isinstance(value, str) and len(value) > MAX_LITERAL_CHARS:
                self.huge(value)
            return value
        result: dict[str, Any] = {}
        if "@context" in value:
            result["@context"] = self.context(value["@context"])
        for key, item in value.items():
            if key == "@context":
                continue
            if key in self.id_keys:
                self.iri_value(item, "@id")
            elif key in self.type_keys and "@value" not in value:
                self.iri_value(item, "@type")
            elif key == "@value":
                result[key] = self.node(item) if isinstance(item, str) else item
                continue
            elif key in self.map_keys and isinstance(item, dict):
                result[key] = {k: self.node(v) for k, v in item.items()}
                continue
            elif not key.startswith("@"):
                if _IRI_FORBIDDEN.search(key):
                    self.problem(f"property '{key[:200]}' is not a valid IRI: JSON-LD would silently drop it", key)
                elif ":" not in key and key not in self.terms and not self.vocab:
                    self.problem(
                        f"property '{key[:200]}' is not defined by the @context (and there is no "
                        "@vocab): JSON-LD would silently drop its values",
                        key,
                    )
            result[key] = self.node(item)
        return result


def _prepare_jsonld(text: str, where: str) -> bytes:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError.at(where, f"invalid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from exc
    except RecursionError as exc:
        raise InputError.at(where, "invalid JSON-LD: nested too deeply") from exc
    check = _JsonLdCheck(text, where)
    try:
        prepared = check.node(document)
    except RecursionError as exc:
        raise InputError.at(where, "invalid JSON-LD: nested too deeply") from exc
    if check.problems:
        _raise(where, "JSON-LD", check.problems)
    try:
        return json.dumps(prepared, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate such as "\ud800" is valid JSON but no text
        lone = exc.object[exc.start : exc.end]
        raise InputError.at(
            where, f"invalid JSON-LD: a string holds a lone surrogate ({lone!a}), which is no Unicode character"
        ) from None


# -- RDF/XML --------------------------------------------------------------------------------
class _XmlRefused(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def _check_xml(text: str, where: str, limit: int = MAX_NESTING) -> None:
    """Refuse DTD entities, external DTDs and elements nested deeper than ``limit`` before any
    RDF/XML parser sees the document (expat streams: it builds no tree and needs no recursion)."""
    parser = xml.parsers.expat.ParserCreate(encoding="UTF-8")
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth = 0

    def start(*_: Any) -> None:
        nonlocal depth
        depth += 1
        if depth > limit:
            raise _XmlRefused(
                f"nesting deeper than {limit} levels (XML elements inside one another): ptce-graph "
                "refuses such files, on which parsers slow down or crash; give the nested nodes "
                "names (rdf:about, rdf:nodeID) or flatten them",
                parser.CurrentLineNumber,
            )

    def end(*_: Any) -> None:
        nonlocal depth
        depth -= 1

    def doctype(name: str, system_id: str | None, public_id: str | None, _internal: int) -> None:
        if system_id or public_id:
            raise _XmlRefused(
                f"RDF/XML with an external DTD ('{system_id or public_id}') refused: "
                "ptce-graph never fetches anything while reading a file",
                parser.CurrentLineNumber,
            )

    def entity(name: str, *_: Any) -> None:
        raise _XmlRefused(
            f"RDF/XML with entity declarations (<!ENTITY {name} ...>) refused: entities can "
            "read local files or expand without bound; write the values out",
            parser.CurrentLineNumber,
        )

    def external(*_: Any) -> int:
        raise _XmlRefused("RDF/XML with an external entity reference refused", parser.CurrentLineNumber)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(text.encode("utf-8"), True)
    except _XmlRefused as exc:
        raise InputError.at(where, str(exc), line=exc.line) from None
    except xml.parsers.expat.ExpatError as exc:
        message = xml.parsers.expat.ErrorString(exc.code)
        raise InputError.at(where, f"invalid RDF/XML: {message} (column {exc.offset + 1})", line=exc.lineno) from None


# -- parsing --------------------------------------------------------------------------------
def _raise(where: str, name: str, problems: list[Problem]) -> None:
    problems = list(dict.fromkeys(problems))  # a bad term used twice is one problem
    if len(problems) == 1:
        raise InputError(str(problems[0]), problems)
    more = " (the first ones)" if len(problems) >= _MAX_PROBLEMS else ""
    raise InputError(f"{where}: {len(problems)} problems in this {name} file{more}:", problems)


def _syntax_error(exc: SyntaxError, where: str, label: str, text: str) -> InputError:
    message = " ".join(str(exc.msg if exc.msg else exc).split())
    line = exc.lineno
    if line is None:
        quoted = _QUOTED.search(message)
        line = _locate(text, f'"{quoted.group(1)}"', quoted.group(1)) if quoted else None
    message = re.sub(
        r"^Parser error (?:at|between) line \d+ (?:column \d+|between columns \d+ and \d+)"
        r"(?: and line \d+ column \d+)?: ",
        "",
        message,
    )
    message = re.sub(r" \(line \d+\)$", "", message)
    column = f" (column {exc.offset})" if exc.offset and exc.lineno else ""
    return InputError.at(where, f"invalid {label}: {message[:300]}{column}", line=line)


_NAMED, _LITERAL, _DEFAULT = ox.NamedNode, ox.Literal, ox.DefaultGraph
#: XSD datatypes :func:`literal_problem` checks itself; others are left to rdflib's check.
_CHECKED_HERE = frozenset(f"{_XSD}{name}" for name in (*_LEXICAL, *_INTEGERS))
_XSD_STRING = f"{_XSD}string"


class _Checker:
    """The checks the parsers do not make, on pyoxigraph triples, without building rdflib terms.

    Terms come back as they are (the common case) or replaced: string literals normalised to
    NFC, blank nodes renamed with ``blank_prefix`` so that several files can be merged.
    """

    def __init__(self, text: str, fmt: Format, where: str, blank_prefix: str | None) -> None:
        self.text, self.fmt, self.where = text, fmt, where
        self.problems: list[Problem] = []
        self.blank_prefix = blank_prefix
        self.relative = fmt.name == "jsonld"  # only JSON-LD is parsed against the reserved base
        self.named = fmt.name in ("nq", "trig")  # formats with named graphs, merged into one
        self.plain = not self.relative and blank_prefix is None
        self._ill_typed: dict[tuple[str, str], str | None] = {}

    def problem(self, message: str, value: str) -> None:
        needle = json.dumps(value, ensure_ascii=False)
        line = (
            _locate(self.text, needle, json.dumps(value), value)
            if self.fmt.name == "jsonld"
            else _locate(self.text, needle, f"'{value}'", f"<{value}>", f'"{value}', value)
        )
        self.problems.append(Problem(self.where, message, line=line))

    def quad(self, quad: ox.Quad) -> ox.Quad | None:
        """The quad checked, in the default graph (``None`` when a term is refused)."""
        s, o = quad.subject, quad.object
        o2: Any = o
        checked = False
        if type(o) is _LITERAL:  # each literal is checked once (a refused one is one problem)
            o2, checked = self.literal(o), True
            if o2 is None:
                return None
        if (
            self.plain
            and type(s) is _NAMED
            and o2 is o
            and (checked or type(o) is _NAMED)
            and (not self.named or type(quad.graph_name) is _DEFAULT)
        ):
            return quad  # the common case, kept short: IRIs need no check outside JSON-LD
        p = quad.predicate
        s2, p2 = self.term(s), self.term(p)
        if not checked:
            o2 = self.term(o)
        if s2 is None or p2 is None or o2 is None:
            return None
        if s2 is s and p2 is p and o2 is o and type(quad.graph_name) is _DEFAULT:
            return quad
        return ox.Quad(s2, p2, o2)

    def term(self, term: Any) -> Any:
        kind = type(term)
        if kind is ox.NamedNode:
            if self.relative and term.value.startswith(_RELATIVE_BASE):
                relative = term.value[len(_RELATIVE_BASE) :]
                self.problem(
                    f"relative IRI '{relative}': there is no base to resolve it against; "
                    "write an absolute IRI (or set @base)",
                    relative,
                )
                return None
            return term
        if kind is ox.Literal:
            return self.literal(term)
        if kind is ox.BlankNode:
            return term if self.blank_prefix is None else ox.BlankNode(f"{self.blank_prefix}{term.value}")
        if kind is ox.Triple:
            self.problems.append(
                Problem(
                    self.where,
                    "triple terms (RDF 1.2, <<( ... )>> or reifiers) are not supported",
                    line=_locate(self.text, "<<", "{|", "rdf:reifies"),
                )
            )
            return None
        self.problems.append(Problem(self.where, f"unsupported RDF term {term!r}"))
        return None

    def literal(self, term: ox.Literal) -> ox.Literal | None:
        value = term.value
        if len(value) > MAX_LITERAL_CHARS:
            # Turtle's parser refuses such a term on its own (its buffer): the same bound in every format
            self.problem(
                f"a single term (literal or IRI) is longer than 16 MiB ({len(value):,} characters)", value[:64]
            )
            return None
        if term.direction is not None:
            self.problem(
                f'the literal "{value[:80]}" has a base direction ({term.direction}), an RDF 1.2 '
                "feature ptce-graph does not support",
                value,
            )
            return None
        language = term.language
        if language:
            return term if unicodedata.is_normalized("NFC", value) else ox.Literal(_nfc(value), language=language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return term if unicodedata.is_normalized("NFC", value) else ox.Literal(_nfc(value))
        why = self.ill_typed(value, datatype)
        if why is not None:
            self.problem(f'ill-typed literal "{value[:80]}"^^{_short(datatype)}: {why}', value)
            return None
        return term

    def ill_typed(self, value: str, datatype: str) -> str | None:
        key = (value, datatype)
        if key in self._ill_typed:
            return self._ill_typed[key]
        why = literal_problem(value, datatype)
        if why is None and datatype.startswith(_XSD) and datatype not in _CHECKED_HERE:
            with quiet_rdflib():
                if Literal(value, datatype=URIRef(datatype)).ill_typed:
                    why = f"not a valid {_short(datatype)}"
        if len(self._ill_typed) < 100_000:
            self._ill_typed[key] = why
        return why


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _short(datatype: str) -> str:
    return "xsd:" + datatype[len(_XSD) :] if datatype.startswith(_XSD) else f"<{datatype}>"


def read_rdf_text(
    text: str, fmt: str | Format, *, where: str = "<string>", blank_prefix: str | None = None
) -> list[ox.Quad]:
    """Parse and check RDF text; its triples as pyoxigraph quads, all in the default graph.

    Named graphs (N-Quads, TriG) are merged into the default graph: their union.

    This is the one RDF reader of ptce-graph: every command and :func:`~ptce_graph.graph.open_graph`
    read files through it, so every command refuses the same file the same way.

    Parameters
    ----------
    text
        The document.
    fmt
        A format name of :data:`~ptce_graph.io.formats.FORMATS` (``ttl``, ``nt``, ``nq``, ``trig``,
        ``jsonld``, ``rdfxml``) or the :class:`~ptce_graph.io.formats.Format` itself.
    where
        The file name or URL to name in error messages.
    blank_prefix
        Renames every blank node ``_:x`` to ``_:{blank_prefix}x`` (to merge files whose blank
        node labels would otherwise meet).

    Raises
    ------
    InputError
        Listing every problem found (up to 50), each with ``where`` and, when known, the line.

    Examples
    --------
    >>> [str(t) for t in read_rdf_text('<urn:a> <urn:b> "c" .', "nt")]
    ['<urn:a> <urn:b> "c"']
    >>> read_rdf_text('<urn:a> <urn:b> .', "ttl", where="x.ttl")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ptce_graph.errors.InputError: x.ttl:1: invalid Turtle: ...
    >>> read_rdf_text('<urn:a> <urn:b> "vingt"^^<http://www.w3.org/2001/XMLSchema#gYear> .', "nt",
    ...               where="y.nt")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ptce_graph.errors.InputError: y.nt:1: ill-typed literal "vingt"^^xsd:gYear: not a valid xsd:gYear ...
    """
    if not isinstance(fmt, Format):
        try:
            fmt = rdf_format(fmt)
        except InputError:
            raise InputError.at(
                where, f"unknown RDF format '{fmt}'; expected one of {', '.join(format_names('rdf'))}"
            ) from None
    with no_network():
        base = None
        _check_nesting(text, fmt, where)
        if fmt.name == "jsonld":
            data = _prepare_jsonld(text, where)
            base = _RELATIVE_BASE
        else:
            if fmt.name == "rdfxml":
                _check_xml(text, where)
            data = text.encode("utf-8")
        checker = _Checker(text, fmt, where, blank_prefix)
        triples: list[ox.Quad] = []
        append, check = triples.append, checker.quad
        try:
            with paused_gc():
                for quad in ox.parse(data, fmt.oxigraph, base_iri=base):  # type: ignore[arg-type]
                    triple = check(quad)
                    if triple is not None:
                        append(triple)
                    elif len(checker.problems) >= _MAX_PROBLEMS:
                        break
        except SyntaxError as exc:
            raise _syntax_error(exc, where, fmt.label, text) from None
        except MemoryError as exc:
            raise InputError.at(
                where, f"invalid {fmt.label}: a single term (literal or IRI) is longer than 16 MiB ({exc})"
            ) from None
        except (ValueError, OSError) as exc:
            raise InputError.at(where, f"invalid {fmt.label}: {' '.join(str(exc).split())[:300]}") from exc
    if checker.problems:
        _raise(where, fmt.label, checker.problems)
    return triples


def read_rdf_file(path: Path, fmt: str | Format | None = None, *, blank_prefix: str | None = None) -> list[ox.Quad]:
    """Read one RDF file (format from its extension unless given), checked, without network access.

    There is no size limit but memory: the file is read whole (its text is needed to name the
    line of a problem), then parsed. A file holding no triple (empty, or only prefixes and
    comments) is refused: it is most often a truncated download or the wrong file.

    Examples
    --------
    >>> from ptce_graph.resources import root
    >>> len(read_rdf_file(root() / "ontology" / "schemes" / "role.ttl")) > 50
    True
    """
    path = Path(path)
    fmt = rdf_format_of_path(path) if fmt is None else fmt
    try:
        if path.exists() and not path.is_dir() and not stat.S_ISREG(path.stat().st_mode):
            # a FIFO would hang the read, a device such as /dev/zero never end it
            raise InputError.at(path, "not a regular file (a pipe, a device or a socket)")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError.at(path, "file not found") from None
    except IsADirectoryError:
        raise InputError.at(path, "is a folder, not an RDF file") from None
    except OSError as exc:
        raise InputError.at(path, f"cannot read file: {exc.strerror or exc}") from exc
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError.at(path, "UTF-16 text: RDF files must be UTF-8 (save the file as UTF-8)", line=1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError.at(
            path, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}): RDF files must be UTF-8", line=line
        ) from exc
    del raw
    if "\x00" in text:
        raise InputError.at(
            path, "binary content (NUL byte): not an RDF text file", line=_line_of(text, text.index("\x00"))
        )
    triples = read_rdf_text(text, fmt, where=str(path), blank_prefix=blank_prefix)
    if not triples:
        raise InputError.at(path, "no RDF triple in this file (it is empty or holds only prefixes and comments)")
    return triples


def to_rdflib_graph(triples: Iterable[ox.Triple | ox.Quad]) -> Graph:
    """An rdflib graph of pyoxigraph triples or quads (for the public edge of the API)."""
    graph = Graph(bind_namespaces="none")
    add = graph.add
    with paused_gc(), quiet_rdflib():
        for t in triples:
            add((ox_to_rdflib_loud(t.subject), ox_to_rdflib_loud(t.predicate), ox_to_rdflib_loud(t.object)))
    return graph


def parse_rdf_text(text: str, fmt: str, *, where: str = "<string>") -> Graph:
    """:func:`read_rdf_text` into a new rdflib graph.

    Examples
    --------
    >>> len(parse_rdf_text('<urn:a> <urn:b> "c" .', "nt"))
    1
    """
    return to_rdflib_graph(read_rdf_text(text, fmt, where=where))


def parse_rdf_file(path: Path, fmt: str | None = None) -> Graph:
    """:func:`read_rdf_file` into a new rdflib graph."""
    return to_rdflib_graph(read_rdf_file(path, fmt))
