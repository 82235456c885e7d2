"""Run canned or ad-hoc SPARQL on the embedded store or a remote endpoint, with bound parameters.

User values are never pasted into query text: each is parsed into an RDF term of the
parameter's declared type (an IRI is checked, a literal is escaped by the RDF library) and the
terms are joined in through a ``VALUES`` block at the top of the query's ``WHERE`` group.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import IO, Any, cast

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ptce_graph._version import __version__
from ptce_graph.errors import InputError
from ptce_graph.gcpause import paused_gc
from ptce_graph.graph import PtceGraph, as_graph
from ptce_graph.io.cells import printable, safe_cell
from ptce_graph.io.ntriples import NTriples
from ptce_graph.io.spreadsheet import CellValue, Sheet, about_sheet, excel_csv, xlsx_bytes
from ptce_graph.model.namespaces import PREFIXES, curie
from ptce_graph.query.bounded import Bounds, CappedOutput, run_bounded
from ptce_graph.query.catalog import CannedQuery, Param, get_query
from ptce_graph.query.guard import check_query, load_grammar
from ptce_graph.query.text import insert_after_where
from ptce_graph.store import LocalStore, SparqlStore, rdflib_rows

__all__ = ["QueryResult", "bind_parameters", "render_query", "run_query", "term_to_text"]

ParamValues = Mapping[str, "str | int | float | Sequence[str] | Node"]
_CURIE = re.compile(r"^([A-Za-z][\w-]*):(.*)$")


#: The longest parameter value accepted (characters).
MAX_PARAM_CHARS = 2000
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab and line breaks are text
_ASCII_INTEGER = re.compile(r"[+-]?[0-9]{1,40}")
_ASCII_DECIMAL = re.compile(r"[+-]?(?:[0-9]{1,40}(?:\.[0-9]{0,40})?|\.[0-9]{1,40})")
_ASCII_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ASCII_YEAR = re.compile(r"[0-9]{4}")


def _clean_text(value: str, name: str) -> str:
    """A parameter value as text: stripped, NFC, without control characters, of bounded length."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"parameter '{name}': the value is not valid text (bytes that are not UTF-8)") from None
    text = unicodedata.normalize("NFC", value.strip())
    if len(text) > MAX_PARAM_CHARS:
        raise InputError(f"parameter '{name}': the value is {len(text)} characters long (at most {MAX_PARAM_CHARS})")
    control = _CONTROL.search(text)
    if control:
        raise InputError(f"parameter '{name}': the value holds the control character U+{ord(control.group()):04X}")
    return text


def _parse_iri(text: str, name: str, *, expand: bool = True) -> URIRef:
    match = _CURIE.match(text)
    if expand and match and match.group(1) in PREFIXES and not text.startswith(("http:", "https:", "urn:")):
        text = PREFIXES[match.group(1)] + match.group(2)
    try:
        ox.NamedNode(text)
    except (ValueError, TypeError) as exc:
        raise InputError(f"parameter '{name}': '{text}' is not a valid IRI ({exc})") from None
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text):
        raise InputError(f"parameter '{name}': '{text}' is not an absolute IRI (e.g. pg:ptce/tetris)")
    return URIRef(text)


def _term_value(param: Param, value: Node) -> Node:
    """An RDF term given as a value (Python API): checked like text, strings normalised to NFC."""
    if isinstance(value, URIRef):
        return _parse_iri(_clean_text(str(value), param.name), param.name, expand=False)
    if isinstance(value, Literal):
        if value.datatype is None or value.datatype == XSD.string:
            text = _clean_text(str(value), param.name)
            return Literal(text, lang=value.language) if value.language else Literal(text)
        return value
    raise InputError(f"parameter '{param.name}': a {type(value).__name__} cannot be bound (give an IRI or a literal)")


def _parse_value(param: Param, value: Any) -> Node:
    if isinstance(value, (URIRef, Literal, BNode)):
        return _term_value(param, value)
    text = _clean_text(str(value), param.name)
    kind = param.type
    try:
        if kind == "iri":
            return _parse_iri(text, param.name)
        if kind == "integer":
            if not _ASCII_INTEGER.fullmatch(text):
                raise ValueError(text)
            return Literal(int(text), datatype=XSD.integer)
        if kind == "decimal":
            if not _ASCII_DECIMAL.fullmatch(text):
                raise ValueError(text)
            return Literal(Decimal(text), datatype=XSD.decimal)
        if kind == "date":
            if not _ASCII_DATE.fullmatch(text):
                raise ValueError(text)
            return Literal(dt.date.fromisoformat(text).isoformat(), datatype=XSD.date)
        if kind == "year":
            if not _ASCII_YEAR.fullmatch(text):
                raise ValueError(text)
            return Literal(text, datatype=XSD.gYear)
        if kind == "boolean":
            if text.lower() not in ("true", "false", "yes", "no", "1", "0"):
                raise ValueError(text)
            return Literal(text.lower() in ("true", "yes", "1"), datatype=XSD.boolean)
    except (ValueError, InvalidOperation):
        raise InputError(f"parameter '{param.name}': '{text[:100]}' is not a valid {kind}") from None
    return Literal(text)


def bind_parameters(query: CannedQuery, values: ParamValues | None = None) -> dict[str, list[Node]]:
    """Typed RDF terms for each parameter: given values, else defaults; required ones checked.

    Examples
    --------
    >>> from ptce_graph.query.catalog import get_query
    >>> q = get_query("ptce_members")
    >>> bind_parameters(q, {"ptce": "pg:ptce/tetris"})["ptce"]
    [rdflib.term.URIRef('https://w3id.org/ptce-graph/id/ptce/tetris')]
    """
    values = dict(values or {})
    for name in values:
        query.param(name)  # unknown parameter names are an error
    bound: dict[str, list[Node]] = {}
    for param in query.params:
        raw = values.get(param.name, param.default)
        if raw is None or raw == "" or raw == []:
            if param.required:
                raise InputError(f"query '{query.id}' needs parameter '{param.name}' ({param.doc})")
            continue
        items = list(raw) if isinstance(raw, (list, tuple)) else [raw]
        if param.multiple:
            items = [part for item in items for part in (str(item).split(",") if isinstance(item, str) else [item])]
        # a value of only spaces is no value: it must not turn into a match-everything ""
        items = [item for item in items if not isinstance(item, str) or item.strip()]
        if not items:
            if param.required:
                raise InputError(f"query '{query.id}' needs parameter '{param.name}' ({param.doc})")
            continue
        if len(items) > 1 and not param.multiple:
            raise InputError(f"parameter '{param.name}' takes one value, got {len(items)}")
        bound[param.name] = [_parse_value(param, item) for item in items]
    return bound


def render_query(text: str, bindings: Mapping[str, Sequence[Node]]) -> str:
    """The query with one ``VALUES`` block per parameter at the top of its WHERE group.

    Examples
    --------
    >>> print(render_query("SELECT ?x WHERE { ?x ?p ?n }", {"n": [Literal('a"} DROP ALL #')]}))
    SELECT ?x WHERE {
      VALUES ?n { "a\\"} DROP ALL #" }
     ?x ?p ?n }
    """
    blocks = [
        f"VALUES ?{name} {{ {' '.join(term.n3() for term in terms)} }}" for name, terms in bindings.items() if terms
    ]
    return insert_after_where(text, "\n  ".join(blocks)) if blocks else text


_OX_TERMS = (ox.NamedNode, ox.BlankNode, ox.Literal)


def term_to_text(term: Node | ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    """The plain text of a term for CSV and tables: an IRI, a literal's lexical form, or ''.

    Takes rdflib or pyoxigraph terms (results are written without converting them).

    Examples
    --------
    >>> term_to_text(ox.NamedNode("urn:a")), term_to_text(Literal("x", lang="fr")), term_to_text(None)
    ('urn:a', 'x', '')
    """
    if term is None:
        return ""
    return term.value if isinstance(term, _OX_TERMS) else str(term)


def _short(term: Node | ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    if isinstance(term, (URIRef, ox.NamedNode)):
        return curie(term_to_text(term))
    return term_to_text(term)


def _json_term(term: Node | ox.NamedNode | ox.BlankNode | ox.Literal) -> dict[str, str]:
    if isinstance(term, (URIRef, ox.NamedNode)):
        return {"type": "uri", "value": term_to_text(term)}
    if isinstance(term, (BNode, ox.BlankNode)):
        return {"type": "bnode", "value": term_to_text(term)}
    out = {"type": "literal", "value": term_to_text(term)}
    if isinstance(term, ox.Literal):
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != str(XSD.string):
            out["datatype"] = term.datatype.value
        return out
    assert isinstance(term, Literal)
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None and term.datatype != XSD.string:
        out["datatype"] = str(term.datatype)
    return out


_INTEGER_TYPES = {
    XSD.integer,
    XSD.int,
    XSD.long,
    XSD.short,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
    XSD.unsignedInt,
}


def _bound(value: Node | None) -> URIRef | BNode | Literal | None:
    """A SELECT value as the term it is: the rows, typed with rdflib's wider ``Node``, hold IRIs,
    blank nodes and literals."""
    if value is None or isinstance(value, (URIRef, BNode, Literal)):
        return value
    raise TypeError(f"unexpected value in a SELECT row: {value!r}")


_NUMBER_TYPES = _INTEGER_TYPES | {XSD.decimal, XSD.double, XSD.float}
_TYPED_CELLS = _NUMBER_TYPES | {XSD.boolean, XSD.date, XSD.dateTime}
_YEAR = re.compile(r"-?[0-9]{4}")


def _cell(term: Node | None) -> CellValue:
    """A term as a spreadsheet value: numbers, logical values, dates and ``xsd:gYear`` years
    typed; an ill-typed or non-finite literal, one with a language, an IRI, as its text."""
    if term is None:
        return None
    if not isinstance(term, Literal):
        return str(term)
    datatype = term.datatype
    if datatype == XSD.gYear and _YEAR.fullmatch(str(term)):
        return int(str(term))
    if datatype in _TYPED_CELLS and not term.ill_typed:
        value = term.toPython()
        if isinstance(value, float) and not math.isfinite(value):
            return str(term)  # "NaN", "INF" as written: a spreadsheet number cannot be either
        if isinstance(value, (bool, int, float, Decimal, dt.date)):
            return value
    return str(term)


@dataclass(frozen=True)
class QueryResult:
    """Rows of a SELECT (terms), the triples of a CONSTRUCT/DESCRIBE, or the answer of an ASK.

    A SELECT result holds the terms as the store gave them (``solutions``: pyoxigraph terms
    from the embedded store, rdflib terms from a remote one); ``rows`` are the rdflib terms,
    converted on first use. A CONSTRUCT or DESCRIBE result holds its triples as sorted
    N-Triples lines (``triples``); ``graph`` is the rdflib graph of them, built on first use.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> result = QueryResult("SELECT", ("x",), ((ox.Literal("7", datatype=ox.NamedNode(str(XSD.integer))),),))
    >>> result.rows[0][0].toPython(), result.records()
    (7, [{'x': 7}])
    """

    form: str
    columns: tuple[str, ...] = ()
    solutions: tuple[tuple[Any, ...], ...] = field(default=(), repr=False)
    triples: NTriples | None = field(default=None, repr=False)
    boolean: bool | None = None
    #: The canned query's id ("" for ad-hoc SPARQL), the text that ran (parameters bound in
    #: ``VALUES`` blocks) and the parameters, as name and values in N3: what the result's
    #: spreadsheet says it comes from.
    query_id: str = ""
    sparql: str = field(default="", repr=False)
    parameters: tuple[tuple[str, str], ...] = ()

    @cached_property
    def rows(self) -> tuple[tuple[Node | None, ...], ...]:
        """The rows of a SELECT result as rdflib terms (``None`` where a variable is unbound)."""
        return rdflib_rows(self.solutions)

    @cached_property
    def graph(self) -> Graph | None:
        """The rdflib graph of a CONSTRUCT or DESCRIBE result (``None`` for other forms)."""
        return None if self.triples is None else self.triples.to_graph()

    def __len__(self) -> int:
        return len(self.solutions) if self.triples is None else len(self.triples)

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts of Python values (``int``, ``Decimal``, ``date``, ``str``; IRIs as str)."""
        return [{c: _python(v) for c, v in zip(self.columns, row)} for row in self.rows]

    def cells(self) -> list[tuple[CellValue, ...]]:
        """The rows of a SELECT result as spreadsheet values.

        Integers give ``int``, ``xsd:decimal`` ``Decimal``, ``xsd:double`` and ``xsd:float``
        ``float``, ``xsd:boolean`` ``bool``, ``xsd:date`` ``date``, ``xsd:dateTime``
        ``datetime``, ``xsd:gYear`` the year as ``int``; every other term (IRIs, literals with
        a language, ``xsd:gYearMonth``, ill-typed literals) its text, as in CSV.

        Examples
        --------
        >>> result = run_query("SELECT ?y ?n WHERE { VALUES (?y ?n) { ('2014'^^xsd:gYear 1.50) } }")
        >>> result.cells()
        [(2014, Decimal('1.5'))]
        """
        return [tuple(_cell(_bound(value)) for value in row) for row in self.rows]

    def about(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """What the result is and where it comes from, as the ``about`` sheet of :meth:`to_xlsx` shows it.

        ``extra`` adds fields (the command line adds the graph it loaded, or the endpoint).
        """
        items = {"query": self.query_id or "(ad-hoc SPARQL)"}
        items.update({f"parameter {name}": values for name, values in self.parameters})
        items["rows"] = str(len(self))
        items.update(extra or {})
        items["software"] = f"ptce-graph {__version__}"
        if self.sparql:
            items["SPARQL"] = self.sparql
        return items

    def to_xlsx(self, *, about: Mapping[str, str] | None = None) -> bytes:
        """A SELECT result as an ``.xlsx`` workbook: a ``results`` sheet of typed cells
        (:meth:`cells`, written by :func:`~ptce_graph.io.spreadsheet.xlsx_bytes`), and an
        ``about`` sheet (:meth:`about`, with ``about`` added). The same result gives the same bytes.

        Raises
        ------
        InputError
            For an ASK, CONSTRUCT or DESCRIBE result, or one past Excel's limits.

        Examples
        --------
        >>> import io, openpyxl
        >>> data = run_query("SELECT ?n WHERE { VALUES ?n { 1 2 } }").to_xlsx()
        >>> [row for row in openpyxl.load_workbook(io.BytesIO(data))["results"].values]
        [('n',), (1,), (2,)]
        """
        if self.form != "SELECT":
            raise InputError(f"--format xlsx is for SELECT queries: {self.form} gives no table")
        sheets = [Sheet("results", self.columns, self.cells()), about_sheet(self.about(about))]
        return xlsx_bytes(sheets)

    def column(self, name: str) -> list[Node | None]:
        """All values of one column."""
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def to_dataframe(self) -> Any:
        """A pandas DataFrame typed from the RDF datatypes (needs pandas).

        Integers become nullable ``Int64``, decimals and doubles ``float64``, ``xsd:date``
        ``datetime64``, ``xsd:gYear`` a nullable ``Int64`` year, everything else ``string``.
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise InputError("to_dataframe() needs pandas: pip install pandas") from exc
        data: dict[str, Any] = {}
        for index, name in enumerate(self.columns):
            values = [_bound(row[index]) for row in self.rows]
            types = {v.datatype for v in values if isinstance(v, Literal) and v.datatype is not None}
            if types and types <= _INTEGER_TYPES:
                data[name] = pd.array([None if v is None else int(v) for v in values], dtype="Int64")
            elif types and types <= {XSD.decimal, XSD.double, XSD.float}:
                data[name] = pd.array([None if v is None else float(v) for v in values], dtype="Float64")
            elif types == {XSD.date}:
                data[name] = pd.to_datetime([None if v is None else str(v) for v in values])
            elif types == {XSD.gYear}:
                data[name] = pd.array([None if v is None else int(str(v)[:4]) for v in values], dtype="Int64")
            elif types == {XSD.boolean}:
                data[name] = pd.array([None if v is None else bool(v.toPython()) for v in values], dtype="boolean")
            else:
                data[name] = pd.array([None if v is None else str(v) for v in values], dtype="string")
        return pd.DataFrame(data, columns=list(self.columns))

    def serialize(self, fmt: str = "table") -> str:
        """The result as ``table``, ``csv``, ``csv-excel``, ``tsv`` or ``json`` (SPARQL 1.1 JSON
        results); CONSTRUCT and DESCRIBE results as ``ttl``, ``nt`` or ``jsonld``.

        ``csv-excel`` is CSV as Excel reads it in French settings (byte-order mark, ``;``,
        decimal commas: :func:`~ptce_graph.io.spreadsheet.excel_csv`) of the typed
        :meth:`cells`."""
        if self.triples is not None:
            from ptce_graph.io.serialize import serialize_lines

            graph_format = {"table": "ttl", "turtle": "ttl", "json": "jsonld"}.get(fmt, fmt)
            return serialize_lines(self.triples, graph_format).decode("utf-8")
        if self.boolean is not None:
            return json.dumps({"head": {}, "boolean": self.boolean}) if fmt == "json" else str(self.boolean).lower()
        if fmt == "csv-excel":
            return excel_csv(self.columns, self.cells())
        if fmt in ("csv", "tsv"):
            buffer = io.StringIO()
            writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
            writer.writerow(self.columns)
            for row in self.solutions:
                writer.writerow(
                    [safe_cell(term_to_text(v).replace("\t", " ") if fmt == "tsv" else term_to_text(v)) for v in row]
                )
            return buffer.getvalue()
        if fmt == "json":
            return json.dumps(
                {
                    "head": {"vars": list(self.columns)},
                    "results": {
                        "bindings": [
                            {c: _json_term(v) for c, v in zip(self.columns, row) if v is not None}
                            for row in self.solutions
                        ]
                    },
                },
                ensure_ascii=False,
                indent=2,
            )
        if fmt == "table":
            cells = [[printable(_short(v)) for v in row] for row in self.solutions]
            widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(self.columns)]
            widths = [min(w, 60) for w in widths]
            line = lambda values: "  ".join(v[:60].ljust(w) for v, w in zip(values, widths)).rstrip()  # noqa: E731
            out = [line(self.columns), line(["-" * w for w in widths])]
            out += [line(r) for r in cells]
            out.append(f"({len(self.solutions)} row{'s' if len(self.solutions) != 1 else ''})")
            return "\n".join(out)
        raise InputError(f"unknown result format '{fmt}'; choose table, csv, csv-excel, tsv or json")


def _python(term: Node | None) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        if term.datatype == XSD.gYear:
            return int(str(term)[:4])
        value = term.toPython()
        return value if not isinstance(value, Literal) else str(value)
    return str(term)


def run_query(
    query: str | CannedQuery,
    params: ParamValues | None = None,
    *,
    graph: PtceGraph | Graph | None = None,
    store: SparqlStore | None = None,
    timeout: float | None = None,
    max_memory: int | None = None,
    max_result: int | None = None,
) -> QueryResult:
    """Run a canned query (by id or object) or an ad-hoc SPARQL string.

    Parameters
    ----------
    query
        A canned query id (``"ptce_members"``), a :class:`CannedQuery`, or SPARQL text.
    params
        Parameter values (canned queries only): strings as on the command line, lists for
        ``multiple`` parameters, or rdflib terms.
    graph, store
        Where to run: a graph (:class:`~ptce_graph.graph.PtceGraph`, or an rdflib graph, run on
        the embedded store), a store (embedded or remote), or neither for the shipped base
        (:func:`~ptce_graph.graph.open_graph`, with the ontology).
    timeout, max_memory, max_result
        Bounds of a query on the embedded store, each unbounded when ``None`` (the default; the
        command line sets 30 s, 2048 MiB and 256 MiB): the seconds it may run, the bytes of
        memory it may take beyond the loaded graph, and the bytes of its answer (as SPARQL TSV
        results, N-Triples for a graph). With any of them the query runs in a forked child
        process (:mod:`~ptce_graph.query.bounded`), killed at the time limit; past a bound,
        :class:`~ptce_graph.query.bounded.QueryBoundError` (an :class:`InputError`). A remote
        store has its own ``timeout`` and ``max_bytes``.

    Examples
    --------
    >>> result = run_query("ptce_members", {"ptce": "pg:ptce/tetris"})
    >>> "role" in result.columns and len(result) > 0
    True
    >>> run_query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", timeout=0.5)
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ptce_graph.query.bounded.QueryBoundError: the query ran past the 0.5 s time limit and was stopped ...
    """
    bounds = Bounds(timeout, max_memory, max_result)
    if isinstance(query, str) and re.fullmatch(r"[A-Za-z0-9_]+", query.strip()):
        query = get_query(query.strip())
    local = store is None or isinstance(store, LocalStore)
    if bounds and not local:
        raise InputError(
            "timeout, max_memory and max_result bound queries on the embedded store; "
            "a remote store has its own timeout and max_bytes"
        )
    form: str | None
    parameters: tuple[tuple[str, str], ...] = ()
    if isinstance(query, CannedQuery):
        bound = bind_parameters(query, params)
        parameters = tuple((name, " ".join(term.n3() for term in terms)) for name, terms in bound.items())
        text = render_query(query.text, bound)
        form = query.form  # our own text, with user values bound as RDF terms: nothing to refuse
    else:
        if params:
            raise InputError("parameters are for canned queries; write values into your own SPARQL")
        text = query
        # a bounded query is checked in its child: parsing is work a hostile text can make long
        form = None if bounds else check_query(text, local=local)
    if store is None:
        store = as_graph(graph).store
    if bounds:
        assert isinstance(store, LocalStore)
        result = _run_bounded(store, text, form, bounds)
    else:
        assert form is not None  # checked above when unbounded
        result = _run_unbounded(store, text, form)
    query_id = query.id if isinstance(query, CannedQuery) else ""
    return replace(result, query_id=query_id, sparql=text, parameters=parameters)


def _run_unbounded(store: SparqlStore, text: str, form: str) -> QueryResult:
    """Run ``text``, a query of ``form``, in this process."""
    if form == "SELECT":
        columns, solutions = store.solutions(text) if isinstance(store, LocalStore) else store.select(text)
        return QueryResult(form, tuple(columns), tuple(solutions))
    if form == "ASK":
        return QueryResult(form, boolean=store.ask(text))
    if isinstance(store, LocalStore):
        return QueryResult(form, triples=store.construct(text))
    return QueryResult(form, triples=NTriples.from_graph(store.graph_query(text)))


def _answer(store: LocalStore, text: str, form: str | None, output: CappedOutput) -> str:
    """Run ``text`` and write its answer to ``output``; its form. Runs in the bounded child."""
    if form is None:
        form = check_query(text, local=True)
    answer = store.query(text)
    sink = cast(IO[bytes], output)
    if isinstance(answer, ox.QuerySolutions):
        answer.serialize(sink, format=ox.QueryResultsFormat.TSV)
        return "SELECT"
    if isinstance(answer, ox.QueryBoolean):
        output.write(b"true" if answer else b"false")
        return "ASK"
    answer.serialize(sink, format=ox.RdfFormat.N_TRIPLES)
    return form


def _run_bounded(store: LocalStore, text: str, form: str | None, bounds: Bounds) -> QueryResult:
    """Run a query in a child process under ``bounds``; the answer crosses back as bytes."""
    if form is None:
        load_grammar()
    kind, data = run_bounded(functools.partial(_answer, store, text, form), bounds)
    if kind == "SELECT":
        # TSV results keep every term exactly (blank node ids too), and pyoxigraph reads them
        # back faster than it iterates solutions
        parsed = ox.parse_query_results(data, ox.QueryResultsFormat.TSV)
        assert isinstance(parsed, ox.QuerySolutions)
        with paused_gc():
            solutions = tuple(tuple(solution) for solution in parsed)
        return QueryResult(kind, tuple(v.value for v in parsed.variables), solutions)
    if kind == "ASK":
        return QueryResult(kind, boolean=data == b"true")
    return QueryResult(kind, triples=NTriples.from_oxigraph(data))
