"""Graphs as sorted N-Triples lines: the fast exchange format between ingest, store and exports.

A graph of a million triples costs about 1.2 GiB and 20 s as an rdflib graph, but 0.1 GiB
and about a second as lines of N-Triples text. :class:`NTriples` holds the sorted,
duplicate-free lines of a graph: the N-Triples export is their concatenation, the embedded
Oxigraph store loads them in bulk, and the Turtle and JSON-LD writers read them back through
pyoxigraph's parser. Terms are written exactly as rdflib's ``nt`` serialiser writes them, so
the N-Triples of the shipped build keep their bytes.

The CSV reader writes its terms with :func:`nt_line` rather than building pyoxigraph terms for
pyoxigraph's serialiser: for 200 k label triples the f-strings took 3.3 s against 7.9 s (2.4x)
on the same machine in the same run; files read by :mod:`ptce_graph.io.rdf` are serialised by
pyoxigraph (:meth:`NTriples.from_triples`).

Examples
--------
>>> from rdflib import Graph, Literal, URIRef
>>> g = Graph()
>>> _ = g.add((URIRef("urn:b"), URIRef("urn:p"), Literal('say "hi"', lang="en")))
>>> _ = g.add((URIRef("urn:a"), URIRef("urn:p"), Literal("1", datatype=URIRef("urn:t"))))
>>> print(NTriples.from_graph(g).text(), end="")
<urn:a> <urn:p> "1"^^<urn:t> .
<urn:b> <urn:p> "say \\"hi\\""@en .
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ptce_graph.errors import InputError

__all__ = [
    "XSD_STRING",
    "Lit",
    "NTriples",
    "Term",
    "nt_line",
    "nt_term",
    "ox_to_term",
    "rdflib_to_term",
    "stable_blank_nodes",
]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

#: An escape that rdflib's N-Triples writer does not use (it writes tabs and controls as they are).
_OTHER_ESCAPE = re.compile(r'\\[^"\\nr]')


class Lit(NamedTuple):
    """A literal: its lexical form and either a language tag or a datatype IRI (or neither)."""

    value: str
    lang: str | None = None
    datatype: str | None = None


#: A term: an IRI (a ``str``, e.g. an rdflib ``URIRef``), a blank node (an rdflib ``BNode``) or a :class:`Lit`.
Term = str | Lit


def _quote(text: str) -> str:
    """The quoted lexical form, escaped as rdflib's N-Triples serialiser does."""
    if "\\" in text or "\n" in text or '"' in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")
    return f'"{text}"'


def nt_term(term: Term) -> str:
    """The N-Triples form of a term.

    Examples
    --------
    >>> nt_term("https://example.org/a"), nt_term(Lit("2015", datatype="http://www.w3.org/2001/XMLSchema#gYear"))
    ('<https://example.org/a>', '"2015"^^<http://www.w3.org/2001/XMLSchema#gYear>')
    >>> nt_term(Lit("x", datatype=XSD_STRING)), nt_term(Lit("Pôle", lang="fr"))
    ('"x"', '"Pôle"@fr')
    """
    kind = type(term)
    if kind is Lit:
        if term.lang:  # type: ignore[union-attr]
            return f"{_quote(term.value)}@{term.lang}"  # type: ignore[union-attr]
        if term.datatype and term.datatype != XSD_STRING:  # type: ignore[union-attr]
            return f"{_quote(term.value)}^^<{term.datatype}>"  # type: ignore[union-attr]
        return _quote(term.value)  # type: ignore[union-attr]
    if kind is BNode or (kind is not str and kind is not URIRef and isinstance(term, BNode)):
        return f"_:{term}"
    return f"<{term}>"


_PREDICATES: dict[Term, str] = {}


def nt_line(s: Term, p: Term, o: Term) -> str:
    """One N-Triples statement, without its line break."""
    predicate = _PREDICATES.get(p)
    if predicate is None:
        predicate = _PREDICATES[p] = nt_term(p)
    return f"{nt_term(s)} {predicate} {nt_term(o)} ."


def rdflib_to_term(node: Node) -> Term:
    """The :data:`Term` of an rdflib node."""
    if isinstance(node, Literal):
        return Lit(str(node), node.language, str(node.datatype) if node.datatype is not None else None)
    if isinstance(node, (URIRef, BNode)):
        return node
    raise TypeError(f"unsupported RDF term {node!r}")


def ox_to_term(node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Term:
    """The :data:`Term` of a pyoxigraph term (a triple term, RDF 1.2, raises :class:`TypeError`)."""
    if isinstance(node, ox.NamedNode):
        return node.value
    if isinstance(node, ox.Literal):
        return Lit(node.value, node.language, None if node.language else node.datatype.value)
    if isinstance(node, ox.BlankNode):
        return BNode(node.value)
    raise TypeError(f"unsupported RDF term {node!r}")


def stable_blank_nodes(triples: Iterable[ox.Triple] | Iterable[ox.Quad]) -> list[ox.Triple]:
    """``triples`` with each blank node named after what it says and what points at it.

    A parser names the blank nodes of a file afresh on every run (``[ ]``, lists): written out
    as they come, the same file would give other bytes each time. Here a blank node's name is a
    hash of its outgoing triples (nested blank nodes by their own names) and of the triples that
    point at it, so the same graph gets the same names. Blank nodes alike in both are
    interchangeable; they are numbered in turn.

    Examples
    --------
    >>> a = ox.Triple(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.BlankNode())
    >>> b = ox.Triple(a.object, ox.NamedNode("urn:q"), ox.Literal("x"))
    >>> first, second = stable_blank_nodes([a, b]), stable_blank_nodes([b, a])
    >>> sorted(map(str, first)) == sorted(map(str, second))
    True
    """
    import hashlib

    listed = [ox.Triple(t.subject, t.predicate, t.object) for t in triples]
    blank = ox.BlankNode
    outgoing: dict[ox.BlankNode, list[ox.Triple]] = {}
    incoming: dict[ox.BlankNode, list[ox.Triple]] = {}
    for t in listed:
        if type(t.subject) is blank:
            outgoing.setdefault(t.subject, []).append(t)
        if type(t.object) is blank:
            incoming.setdefault(t.object, []).append(t)
    if not outgoing and not incoming:
        return listed
    content: dict[ox.BlankNode, str] = {}

    def describe(node: ox.BlankNode, seen: frozenset[ox.BlankNode]) -> str:
        if node in content:
            return content[node]
        if node in seen:  # a cycle: named by its place, not by itself
            return "cycle"
        inner = seen | {node}
        parts = sorted(
            f"{t.predicate} {describe(t.object, inner) if type(t.object) is blank else t.object}"
            for t in outgoing.get(node, [])
        )
        content[node] = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return content[node]

    nodes = sorted(set(outgoing) | set(incoming), key=lambda n: describe(n, frozenset()))
    signature = {
        node: hashlib.sha256(
            (
                describe(node, frozenset())
                + "\n"
                + "\n".join(
                    sorted(
                        f"{describe(t.subject, frozenset()) if type(t.subject) is blank else t.subject} {t.predicate}"
                        for t in incoming.get(node, [])
                    )
                )
            ).encode()
        ).hexdigest()[:32]
        for node in nodes
    }
    names: dict[ox.BlankNode, ox.BlankNode] = {}
    taken: dict[str, int] = {}
    for node in sorted(nodes, key=lambda n: signature[n]):
        count = taken.get(signature[node], 0)
        taken[signature[node]] = count + 1
        names[node] = blank(f"b{signature[node]}{count or ''}")
    return [
        ox.Triple(
            names.get(t.subject, t.subject) if type(t.subject) is blank else t.subject,
            t.predicate,
            names.get(t.object, t.object) if type(t.object) is blank else t.object,
        )
        for t in listed
    ]


@dataclass(frozen=True)
class NTriples:
    """The sorted, duplicate-free N-Triples lines of a graph (no line breaks inside).

    Build it with :meth:`from_lines`, :meth:`from_graph` or :meth:`from_bytes`; read it with
    :meth:`data` (bytes), :meth:`triples` (pyoxigraph triples, in order) or :meth:`to_graph`.
    """

    lines: tuple[str, ...]

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> NTriples:
        """Sort and deduplicate lines of N-Triples (each one statement without its line break)."""
        return cls(tuple(sorted(set(lines))))

    @classmethod
    def from_graph(cls, graph: Graph) -> NTriples:
        """The lines of an rdflib graph."""
        return cls.from_lines(nt_line(rdflib_to_term(s), rdflib_to_term(p), rdflib_to_term(o)) for s, p, o in graph)

    @classmethod
    def from_bytes(cls, data: bytes, *, where: str = "<N-Triples>") -> NTriples:
        """Parse N-Triples bytes (with pyoxigraph, so invalid IRIs are refused) and normalise them."""
        try:
            return cls.from_lines(
                nt_line(ox_to_term(t.subject), ox_to_term(t.predicate), ox_to_term(t.object))
                for t in ox.parse(data, ox.RdfFormat.N_TRIPLES)
            )
        except SyntaxError as exc:
            raise InputError.at(where, f"invalid N-Triples: {exc}") from exc

    @classmethod
    def from_oxigraph(cls, data: bytes) -> NTriples:
        r"""Normalise N-Triples written by pyoxigraph's serialiser (Rust, fast) to these lines.

        pyoxigraph escapes a tab or a control character in a literal (``\t``, ``\u0007``)
        where rdflib keeps it as it is; the few lines holding such an escape are rewritten from
        their parsed terms, the others are kept as they are.

        Examples
        --------
        >>> t = ox.Triple(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("a\tb"))
        >>> NTriples.from_oxigraph(ox.serialize([t], format=ox.RdfFormat.N_TRIPLES)).lines
        ('<urn:a> <urn:p> "a\tb" .',)
        """
        lines = data.decode("utf-8").split("\n")  # not splitlines(): U+2028 may be in a literal
        if lines and not lines[-1]:
            lines.pop()
        for index, line in enumerate(lines):
            if "\\" in line and _OTHER_ESCAPE.search(line):
                t = next(iter(ox.parse(line.encode("utf-8"), ox.RdfFormat.N_TRIPLES)))
                lines[index] = nt_line(ox_to_term(t.subject), ox_to_term(t.predicate), ox_to_term(t.object))
        return cls.from_lines(lines)

    @classmethod
    def from_triples(cls, triples: Iterable[ox.Triple] | Iterable[ox.Quad]) -> NTriples:
        """The lines of pyoxigraph triples, or quads of the default graph (serialised by
        pyoxigraph, then normalised)."""
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        assert data is not None  # without an output, serialize returns the bytes
        return cls.from_oxigraph(data)

    def __len__(self) -> int:
        return len(self.lines)

    def __iter__(self) -> Iterator[str]:
        return iter(self.lines)

    def data(self) -> bytes:
        """The N-Triples document: one statement per line, sorted, UTF-8."""
        return ("\n".join(self.lines) + "\n").encode("utf-8") if self.lines else b""

    def text(self) -> str:
        """The N-Triples document as text."""
        return self.data().decode("utf-8")

    def triples(self) -> Iterator[ox.Triple]:
        """The triples, in the order of the lines, parsed by pyoxigraph.

        Raises
        ------
        InputError
            If a line is not valid N-Triples (for example an IRI with a space in it).
        """
        try:
            yield from ox.parse(self.data(), ox.RdfFormat.N_TRIPLES)
        except SyntaxError as exc:
            raise InputError(f"the graph is not valid RDF: {exc}") from exc

    def to_graph(self) -> Graph:
        """An rdflib graph with these triples (``xsd:string`` literals become plain literals)."""
        from ptce_graph.io.rdf import ox_to_rdflib
        from ptce_graph.model.namespaces import bind_prefixes

        graph = bind_prefixes(Graph(bind_namespaces="none"))
        add = graph.add
        for t in self.triples():
            add((ox_to_rdflib(t.subject), ox_to_rdflib(t.predicate), ox_to_rdflib(t.object)))
        return graph
