"""Turn the CSV templates of data folders (or the sheets of workbooks) into an RDF graph with stable IRIs.

The templates are documented in ``data/README.md`` and ``docs/data-model.md``. Every row
becomes one node whose IRI is minted from the row's ``id`` (never from its position), so the
same input always gives the same IRIs. Every unusable value is reported with its file, line
and column; if any is found, :func:`load_folders` raises one :class:`InputError` listing them
all and returns nothing half-built.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import os
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, VOID, XSD

from ptce_graph._version import __version__
from ptce_graph.errors import InputError, Problem, shown
from ptce_graph.io.formats import formats
from ptce_graph.io.layers import CORRECTION_COLUMNS, CORRECTIONS, Change, apply_corrections, enrich
from ptce_graph.io.ntriples import Lit, NTriples, Term, nt_line, ox_to_term
from ptce_graph.io.rdf import read_rdf_file
from ptce_graph.io.tables import Row, Table, read_table
from ptce_graph.io.vocabulary import codes, kind_classes, membership_roles
from ptce_graph.io.workbooks import is_workbook, read_workbook
from ptce_graph.model.geo import COG_YEAR, EPCI_YEAR, GeoReference, geo_reference
from ptce_graph.model.identifiers import is_rna, is_siren, is_siret, is_slug, is_wikidata
from ptce_graph.model.namespaces import ADMS, GEO, IGEO, ORG, PG, PTCE, ROV, SCHEMA, concept

__all__ = ["DATA_LICENSE", "DEFAULT_BASE", "MAX_ROWS", "TABLES", "load_folders", "max_rows", "read_folders"]

#: The base IRI of the nodes minted from CSV rows (the ``pg:`` namespace).
DEFAULT_BASE = str(PG)

_COMMON = ("confidence", "confidence_note", "note", "sources")

#: The CSV templates: file name -> columns, in the order they are processed.
TABLES: dict[str, tuple[str, ...]] = {
    "sources.csv": ("id", "url", "title", "publisher", "date", "type", "note"),
    "territories.csv": ("id", "label", "within", "note", "sources"),
    "ptce.csv": (
        "id",
        "label",
        "alt_labels",
        "territories",
        "founded",
        "legal_form",
        "sectors",
        "cooperation_modes",
        "reported_member_kinds",
        "homepage",
        "wikidata",
    )
    + _COMMON,
    "actors.csv": (
        "id",
        "label",
        "alt_labels",
        "kind",
        "ess_families",
        "authority_level",
        "siren",
        "siret",
        "rna",
        "wikidata",
        "based_in",
        "governs",
        "founded",
        "homepage",
        "replaces",
    )
    + _COMMON,
    "support_schemes.csv": (
        "id",
        "label",
        "alt_labels",
        "kind",
        "is_national_call",
        "part_of",
        "operators",
        "start",
        "end",
        "budget_eur",
        "applications",
        "laureates",
        "description",
    )
    + _COMMON,
    "resources.csv": ("id", "title", "type", "publishers", "publisher_note", "issued", "urls", "about", "description")
    + _COMMON,
    "memberships.csv": ("id", "organisation", "member", "role", "start", "end", "date_sources") + _COMMON,
    "partnerships.csv": ("id", "partners", "type", "start", "end") + _COMMON,
    "fundings.csv": ("id", "funder", "recipient", "programme", "amount_eur", "start", "end") + _COMMON,
    "supports.csv": ("id", "scheme", "supporter", "beneficiary", "start", "end") + _COMMON,
    "laureates.csv": ("id", "call", "laureate", "date", "phase", "amount_eur") + _COMMON,
    "mutualised_resources.csv": (
        "id",
        "label",
        "type",
        "shared_by",
        "operated_by",
        "located_in",
        "area_m2",
        "start",
        "end",
    )
    + _COMMON,
}

_CORRECTION_REQUIRED = ("id", "table", "row")

#: The most rows one read takes from all its tables and folders together. The graph is held in
#: memory, about 1 KiB a triple through a build, 9 triples or more a row: past this many rows
#: ``build`` would need more than 2 GiB and a minute (measured in docs/errors.md, "Limits").
#: A file past it is refused before its rows become triples.
MAX_ROWS = 100_000
#: The environment variable that replaces :data:`MAX_ROWS`, on a machine that holds more.
MAX_ROWS_VARIABLE = "PTCE_GRAPH_MAX_ROWS"

_REQUIRED: dict[str, tuple[str, ...]] = {
    "sources.csv": ("id", "url"),
    "territories.csv": ("id", "label", "sources"),
    "ptce.csv": ("id", "label", "sources"),
    "actors.csv": ("id", "label", "kind", "sources"),
    "support_schemes.csv": ("id", "label", "kind", "sources"),
    "resources.csv": ("id", "title", "type", "sources"),
    "memberships.csv": ("id", "organisation", "member", "role", "sources"),
    "partnerships.csv": ("id", "partners", "sources"),
    "fundings.csv": ("id", "funder", "recipient", "sources"),
    "supports.csv": ("id", "scheme", "beneficiary", "sources"),
    "laureates.csv": ("id", "call", "laureate", "sources"),
    "mutualised_resources.csv": ("id", "label", "type", "sources"),
}

#: Where each table's rows live, under ``pg:``.
_IRI_PREFIX: dict[str, str] = {
    "sources.csv": "source",
    "territories.csv": "territory/other",
    "ptce.csv": "ptce",
    "actors.csv": "actor",
    "support_schemes.csv": "scheme",
    "resources.csv": "resource",
    "memberships.csv": "membership",
    "partnerships.csv": "partnership",
    "fundings.csv": "funding",
    "supports.csv": "support",
    "laureates.csv": "laureateship",
    "mutualised_resources.csv": "mutualised",
}

#: Secondary types materialised for consumers who query without inference.
_ALSO_TYPED: dict[URIRef, tuple[URIRef, ...]] = {
    PTCE.PTCE: (ORG.OrganizationalCollaboration,),
    PTCE.EuropeanCooperativeCluster: (ORG.OrganizationalCollaboration,),
    PTCE.Membership: (ORG.Membership,),
    PTCE.Funding: (SCHEMA.MonetaryGrant,),
}

DATA_LICENSE = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence/")
_COG_SOURCE = PG["source/ref-insee-cog-2026"]
_EPCI_SOURCE = PG["source/ref-dgcl-banatic-epci-2025"]
_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")
_AMOUNT = re.compile(r"^[0-9]+(?:\.[0-9]+)?\Z")
#: The most digits a number cell may hold: the decimal context keeps 28 significant digits, so a
#: longer amount would be rounded without a word (and ``int()`` refuses more than 4,300 digits).
_MAX_DIGITS = 28
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
#: RDF files a data folder may hold beside its tables (``.json`` and ``.xml`` are left alone: too
#: often something else).
_FOLDER_RDF = frozenset(e for f in formats("rdf") for e in f.extensions if e not in (".json", ".xml"))
_TERRITORY_REF = re.compile(r"^(region|departement|commune|epci|other):(\S+)$")


@dataclass(frozen=True)
class FileRead:
    """A table file as it was read: its path, the encoding and the separator found."""

    path: str
    encoding: str
    separator: str


@dataclass
class ReadReport:
    """What reading data folders did beside making triples.

    ``changes``: what later folders enriched, corrected or retracted in earlier ones
    (:mod:`ptce_graph.io.layers`); ``notices``: warnings (a value repaired, such as an INSEE code
    whose leading zero a spreadsheet dropped, or a cell that looks wrong, such as ``;`` where
    ``|`` separates values); ``files``: each table file with its encoding and separator.
    """

    changes: list[Change] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    files: list[FileRead] = field(default_factory=list)


@dataclass
class _Context:
    """State shared while one build reads its tables."""

    geo: GeoReference
    base: str
    lines: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    ids: dict[str, dict[str, Row]] = field(default_factory=dict)
    agents: dict[str, str] = field(default_factory=dict)
    agent_class: dict[str, URIRef] = field(default_factory=dict)
    communes: set[str] = field(default_factory=set)
    epcis: set[str] = field(default_factory=set)
    #: Tables a file of which was refused as a whole (encoding, size, header): their ids are unknown.
    refused: set[str] = field(default_factory=set)
    #: Whether the shipped data is among the folders read (a missing id may then not be hinted at).
    shipped: bool = False
    #: What the read does beside the triples: changes to earlier folders, notices, files read.
    report: ReadReport = field(default_factory=ReadReport)

    def iri(self, path: str) -> str:
        """The IRI of a node minted from the data (under the base IRI)."""
        return self.base + path

    def add(self, s: Term, p: Term, o: Term) -> None:
        self.lines.add(nt_line(s, p, o))


class _RowWriter:
    """Reads the cells of one row into triples; problems are recorded against the row."""

    def __init__(self, ctx: _Context, table: str, row: Row) -> None:
        self.ctx, self.table, self.row = ctx, table, row
        self.triples: list[tuple[Term, Term, Term]] = []
        self.ok = True
        self.subject = ctx.iri(f"{_IRI_PREFIX[table]}/{row.get('id')}")

    # -- bookkeeping ---------------------------------------------------------------------
    def fail(self, column: str | None, message: str) -> None:
        self.ok = False
        self.ctx.problems.append(self.row.problem(column, message))

    def add(self, p: Term, o: Term, s: Term | None = None) -> None:
        self.triples.append((self.subject if s is None else s, p, o))

    def values(self, column: str) -> list[str]:
        cell = self.row.get(column)
        if cell and ";" in cell and "|" not in cell:
            self.ctx.report.notices.append(
                self.row.problem(column, f"{shown(cell)} is read as one value: several values are separated by '|'")
            )
        return [v.strip() for v in cell.split("|") if v.strip()] if cell else []

    def required(self, column: str) -> str:
        """The cell of a column the table requires; an empty one is reported by :meth:`check_required`."""
        return self.row.get(column)

    def check_required(self) -> None:
        """Record each empty cell of a column the table requires (the ``id`` is checked on reading)."""
        for column in _REQUIRED[self.table]:
            if column != "id" and not self.row.get(column):
                self.fail(column, "required value is empty")

    # -- typed cells -----------------------------------------------------------------------
    def label(self, column: str, predicate: Term = RDFS.label, lang: str | None = "fr") -> None:
        value = self.row.get(column)
        if value:
            self.add(predicate, Lit(value, lang))

    def labels(self, column: str, predicate: Term = SKOS.altLabel) -> None:
        for value in self.values(column):
            self.add(predicate, Lit(value, "fr"))

    def date(self, column: str) -> Lit | None:
        value = self.row.get(column)
        if not value:
            return None
        match = _DATE.match(value)
        if not match:
            self.fail(column, f"{shown(value)} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
            return None
        year, month, day = match.groups()
        try:
            if day:
                dt.date(int(year), int(month), int(day))
                return Lit(value, None, XSD.date)
            if month:
                dt.date(int(year), int(month), 1)
                return Lit(value, None, XSD.gYearMonth)
        except ValueError:
            self.fail(column, f"{shown(value)} is not a calendar date")
            return None
        return Lit(value, None, XSD.gYear)

    def decimal(self, column: str) -> Lit | None:
        value = self.row.get(column).replace(" ", "").replace("\u202f", "")
        if not value:
            return None
        if not _AMOUNT.match(value):
            self.fail(
                column, f"{shown(self.row.get(column))} is not a plain decimal number (e.g. 100000 or 2500000.50)"
            )
            return None
        if len(value) - ("." in value) > _MAX_DIGITS:
            self.fail(column, f"{shown(self.row.get(column))} is too long a number (at most {_MAX_DIGITS} digits)")
            return None
        return Lit(canonical_decimal(value), None, XSD.decimal)

    def integer(self, column: str) -> Lit | None:
        value = self.row.get(column)
        if not value:
            return None
        if not (value.isascii() and value.isdigit()):
            self.fail(column, f"{shown(value)} is not a whole number")
            return None
        if len(value) > _MAX_DIGITS:
            self.fail(column, f"{shown(value)} is too long a number (at most {_MAX_DIGITS} digits)")
            return None
        return Lit(str(int(value)), None, XSD.integer)

    def code(self, column: str, scheme: str, value: str | None = None) -> str | None:
        value = self.row.get(column) if value is None else value
        if not value:
            return None
        if value not in codes(scheme):
            known = sorted(codes(scheme))
            close = difflib.get_close_matches(value.lower(), known, n=2, cutoff=0.6)
            hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
            self.fail(column, f"unknown {scheme} code {shown(value)}; {hint}known codes: {', '.join(known)}")
            return None
        return concept(scheme, value)

    def codes(self, column: str, scheme: str, predicate: Term) -> None:
        for value in self.values(column):
            iri = self.code(column, scheme, value)
            if iri is not None:
                self.add(predicate, iri)

    def url(self, value: str, column: str) -> str | None:
        if not _URL.match(value):
            self.fail(column, f"{shown(value)} is not an http(s) URL")
            return None
        return value

    def ref(self, value: str, column: str, tables: tuple[str, ...]) -> str | None:
        """The IRI of the row ``value`` in one of ``tables``."""
        for table in tables:
            if value in self.ctx.ids.get(table, {}):
                return self.ctx.iri(f"{_IRI_PREFIX[table]}/{value}")
        if self.ctx.refused.intersection(tables):  # its file's problem is reported: one line, not one a row
            self.ok = False
            return None
        names = " or ".join(t.removesuffix(".csv") for t in tables)
        self.fail(column, f"{shown(value)} is not an id of {names}{_id_hint(self.ctx, value, tables)}")
        return None

    def refs(self, column: str, tables: tuple[str, ...], predicate: Term) -> list[str]:
        found = []
        for value in self.values(column):
            iri = self.ref(value, column, tables)
            if iri is not None:
                self.add(predicate, iri)
                found.append(iri)
        return found

    def territory(self, value: str, column: str) -> str | None:
        match = _TERRITORY_REF.match(value)
        if not match:
            self.fail(
                column,
                f"{shown(value)} is not a territory reference: write region:CODE, "
                "departement:CODE, commune:INSEE, epci:SIREN or other:ID",
            )
            return None
        kind, code = match.groups()
        geo = self.ctx.geo
        known_codes: dict[str, Collection[str]] = {
            "commune": geo.communes,
            "departement": geo.departements,
            "region": geo.regions,
        }
        stripped = known_codes.get(kind)
        if stripped is not None and code not in stripped and code.isdigit() and "0" + code in stripped:
            # a spreadsheet read the code as a number and dropped its leading zero (01053 -> 1053)
            self.ctx.report.notices.append(
                self.row.problem(
                    column,
                    f"{kind}:{code} read as {kind}:0{code} (a spreadsheet dropped the leading "
                    "zero; write the code as text)",
                )
            )
            code = "0" + code
        if kind != "other" and len(code) > 9:  # no COG code nor SIREN is longer: echo it elided
            self.fail(column, f"{shown(value)} is not a territory reference: a {kind} code has at most 9 characters")
            return None
        if kind == "region" and code not in geo.regions:
            self.fail(column, f"no région {code} in the INSEE COG {COG_YEAR}")
        elif kind == "departement" and code not in geo.departements:
            self.fail(column, f"no département {code} in the INSEE COG {COG_YEAR}")
        elif kind == "commune" and code not in geo.communes:
            self.fail(column, geo.why_unknown_commune(code))
        elif kind == "epci" and code not in geo.epci:
            self.fail(column, f"no EPCI with SIREN {code} in the DGCL BANATIC list ({EPCI_YEAR})")
        elif kind == "other" and code not in self.ctx.ids.get("territories.csv", {}):
            self.fail(column, f"{shown(code)} is not an id of territories.csv")
        else:
            if kind == "commune":
                self.ctx.communes.add(code)
            elif kind == "epci":
                self.ctx.epcis.add(code)
            if kind == "other":  # a row of territories.csv, under the data's base IRI
                return self.ctx.iri(f"territory/other/{code}")
            return f"{PG}territory/{kind}/{code}"  # an official COG unit or EPCI
        return None

    def territories(self, column: str, predicate: Term) -> None:
        for value in self.values(column):
            iri = self.territory(value, column)
            if iri is not None:
                self.add(predicate, iri)

    def period(self, predicate: Term, start_col: str = "start", end_col: str = "end") -> None:
        start, end = self.date(start_col), self.date(end_col)
        date_sources = self.values("date_sources")
        if start is None and end is None:
            if date_sources:
                self.fail("date_sources", "sources of dates given, but no start or end date")
            return
        if start is not None and end is not None:
            if start.datatype != end.datatype:
                self.fail(end_col, f"start '{start.value}' and end '{end.value}' must have the same precision")
                return
            if start.value > end.value:
                self.fail(end_col, f"end '{end.value}' is before start '{start.value}'")
                return
        period = f"{self.subject}#period"
        self.add(predicate, period)
        self.add(RDF.type, DCTERMS.PeriodOfTime, period)
        if start is not None:
            self.add(DCAT.startDate, start, period)
        if end is not None:
            self.add(DCAT.endDate, end, period)
        for value in date_sources:  # the sources that state the dates, when others than the row's
            source = self.ref(value, "date_sources", ("sources.csv",))
            if source is not None:
                self.add(DCTERMS.source, source, period)

    def common(self) -> None:
        """Confidence, notes and sources, shared by every table but sources.csv."""
        level = self.code("confidence", "confidence")
        if level is not None:
            self.triples.append((self.subject, PTCE.confidence, level))
        self.label("confidence_note", PTCE.confidenceNote, lang="en")
        self.label("note", SKOS.note, lang="en")
        if not self.values("sources"):
            self.fail("sources", "every row needs at least one source id from sources.csv")
        self.refs("sources", ("sources.csv",), DCTERMS.source)

    def typed(self, cls: URIRef) -> None:
        self.add(RDF.type, cls)
        for extra in _ALSO_TYPED.get(cls, ()):
            self.add(RDF.type, extra)

    def commit(self) -> None:
        if self.ok:
            lines = self.ctx.lines
            for s, p, o in self.triples:
                lines.add(nt_line(s, p, o))


def canonical_decimal(text: str) -> str:
    """The canonical XSD lexical form of a decimal (Turtle writes decimals this way too).

    Examples
    --------
    >>> canonical_decimal("3800"), canonical_decimal("2500000.50"), canonical_decimal("0.0")
    ('3800.0', '2500000.5', '0.0')
    """
    value = format(Decimal(text).normalize(), "f")
    return value if "." in value else value + ".0"


# -- one function per table --------------------------------------------------------------
_AGENTS = ("ptce.csv", "actors.csv")


def _source(w: _RowWriter) -> None:
    w.add(RDF.type, PTCE.Source)
    url = w.url(w.required("url"), "url") if w.row.get("url") else None
    if url:
        w.add(SCHEMA.url, Lit(url, None, XSD.anyURI))
    title = w.row.get("title")
    w.add(RDFS.label, Lit(title or url or w.row.get("id")))
    if title:
        w.add(DCTERMS.title, Lit(title))
    w.label("publisher", PTCE.publisherNote, lang=None)
    date = w.date("date")
    if date is not None:
        w.add(DCTERMS.issued, date)
    kind = w.code("type", "resource-type")
    if kind is not None:
        w.add(DCTERMS.type, kind)
    w.label("note", SKOS.note, lang="en")


def _other_territory(w: _RowWriter) -> None:
    w.add(RDF.type, PTCE.OtherTerritory)
    w.label("label")
    w.territories("within", GEO.sfWithin)
    w.common()


def _ptce(w: _RowWriter) -> None:
    w.typed(PTCE.PTCE)
    w.label("label")
    w.labels("alt_labels")
    w.territories("territories", PTCE.hasTerritory)
    founded = w.date("founded")
    if founded is not None:
        w.add(SCHEMA.foundingDate, founded)
    legal = w.code("legal_form", "ess-family")
    if legal is not None:
        w.add(PTCE.legalForm, legal)
    w.codes("sectors", "sector", PTCE.sector)
    w.codes("cooperation_modes", "cooperation-mode", PTCE.cooperationMode)
    w.codes("reported_member_kinds", "actor-kind", PTCE.reportedMemberKind)
    _web_ids(w)
    w.common()


def _web_ids(w: _RowWriter) -> None:
    homepage = w.row.get("homepage")
    if homepage and w.url(homepage, "homepage"):
        w.add(FOAF.homepage, homepage)
    wikidata = w.row.get("wikidata")
    if wikidata:
        if is_wikidata(wikidata):
            w.add(PTCE.wikidata, wikidata)
        else:
            w.fail("wikidata", f"{shown(wikidata)} is not a Wikidata entity IRI (http://www.wikidata.org/entity/Q…)")


_IDENTIFIERS: dict[str, tuple[Callable[[str], bool], URIRef, str, str]] = {
    "siren": (is_siren, PTCE.siren, "9 digits with a valid Luhn check digit", "INSEE, répertoire SIRENE"),
    "siret": (is_siret, PTCE.siret, "14 digits with a valid Luhn check digit", "INSEE, répertoire SIRENE"),
    "rna": (is_rna, PTCE.rna, "W followed by 9 characters", "Répertoire national des associations"),
}


def _actor(w: _RowWriter) -> None:
    kind = w.required("kind")
    classes = kind_classes()
    if kind and kind not in classes:
        w.fail("kind", f"unknown actor kind {shown(kind)}; known kinds: {', '.join(sorted(classes))}")
    elif kind:
        w.typed(classes[kind])
        w.ctx.agent_class[w.row.get("id")] = classes[kind]
    w.label("label")
    w.labels("alt_labels")
    w.codes("ess_families", "ess-family", PTCE.essFamily)
    level = w.code("authority_level", "authority-level")
    if level is not None:
        if kind != "local-authority":
            w.fail("authority_level", "only a local-authority has an authority level")
        w.add(PTCE.authorityLevel, level)
    registered = False
    for column, (check, predicate, rule, agency) in _IDENTIFIERS.items():
        value = w.row.get(column).replace(" ", "")
        if not value:
            continue
        if not check(value):
            w.fail(column, f"{shown(w.row.get(column))} is not a valid {column.upper()}: {rule}")
            continue
        w.add(predicate, Lit(value))
        identifier = w.ctx.iri(f"identifier/{column}/{value}")
        w.add(ROV.registration, identifier)
        w.add(RDF.type, ADMS.Identifier, identifier)
        w.add(SKOS.notation, Lit(value), identifier)
        w.add(DCTERMS.type, concept("identifier-type", column), identifier)
        w.add(ADMS.schemaAgency, Lit(agency, "fr"), identifier)
        registered = registered or column in ("siren", "siret")
    if registered:
        w.add(RDF.type, ROV.RegisteredOrganization)
    _web_ids(w)
    w.territories("based_in", PTCE.basedIn)
    if w.row.get("governs") and kind != "local-authority":
        w.fail("governs", "only a local-authority governs a territory")
    w.territories("governs", DCTERMS.spatial)
    founded = w.date("founded")
    if founded is not None:
        w.add(SCHEMA.foundingDate, founded)
    for value in w.values("replaces"):  # a successor (ANCT replaced CGET): one history, two ids
        if value == w.row.get("id"):
            w.fail("replaces", "an actor cannot replace itself")
    w.refs("replaces", _AGENTS, DCTERMS.replaces)
    w.common()


def _scheme(w: _RowWriter) -> None:
    flag = w.row.get("is_national_call").lower()
    if flag not in ("", "yes", "no"):
        w.fail("is_national_call", f"{shown(flag)} must be yes or no")
    national = flag == "yes"
    w.add(RDF.type, PTCE.NationalCall if national else PTCE.SupportScheme)
    w.label("label")
    w.labels("alt_labels")
    kind = w.code("kind", "scheme-kind")
    if kind is not None:
        w.add(PTCE.schemeKind, kind)
    w.refs("part_of", ("support_schemes.csv",), DCTERMS.isPartOf)
    w.refs("operators", _AGENTS, PTCE.operator)
    w.period(DCTERMS.temporal)
    budget = w.decimal("budget_eur")
    if budget is not None:
        w.add(PTCE.budget, budget)
    for column, predicate in (("applications", PTCE.applicationCount), ("laureates", PTCE.laureateCount)):
        count = w.integer(column)
        if count is not None:
            if not national:
                w.fail(column, "only a national call (is_national_call = yes) has this figure")
            w.add(predicate, count)
    w.label("description", DCTERMS.description, lang="en")
    w.common()


def _resource(w: _RowWriter) -> None:
    w.add(RDF.type, PTCE.Resource)
    title = w.required("title")
    if title:
        w.add(DCTERMS.title, Lit(title))
        w.add(RDFS.label, Lit(title))
    kind = w.code("type", "resource-type")
    if kind is not None:
        w.add(DCTERMS.type, kind)
    w.refs("publishers", _AGENTS, DCTERMS.publisher)
    w.label("publisher_note", PTCE.publisherNote, lang=None)
    issued = w.date("issued")
    if issued is not None:
        w.add(DCTERMS.issued, issued)
    for value in w.values("urls"):
        if w.url(value, "urls"):
            w.add(SCHEMA.url, Lit(value, None, XSD.anyURI))
    w.refs("about", _AGENTS + ("support_schemes.csv", "resources.csv"), DCTERMS.subject)
    w.label("description", DCTERMS.description, lang="en")
    w.common()


def _membership(w: _RowWriter) -> None:
    """A row of memberships.csv: an actor's participation in a PTCE or cluster.

    The role decides what the row is. A belonging role (``ptce:impliesMembership true``:
    founder, carrying structure, member...) gives a ``ptce:Membership`` with ``org:hasMember``;
    a working-with role (partner, funder, client...) gives a ``ptce:ExternalRelation`` under
    ``pg:relation/``, which no membership count, view or composition sees.
    """
    role_code = w.required("role")
    role = w.code("role", "role") if role_code else None
    belonging = role_code in membership_roles()
    if role is not None and not belonging:
        w.subject = w.ctx.iri(f"relation/{w.row.get('id')}")
    organisation = w.ref(w.required("organisation"), "organisation", _AGENTS) if w.row.get("organisation") else None
    if organisation is not None:
        org_id = w.row.get("organisation")
        if (
            org_id in w.ctx.ids.get("actors.csv", {})
            and w.ctx.agent_class.get(org_id) != PTCE.EuropeanCooperativeCluster
        ):
            w.fail("organisation", f"{shown(org_id)} is neither a PTCE nor a European cooperative cluster")
    member = w.ref(w.required("member"), "member", _AGENTS) if w.row.get("member") else None
    if organisation is not None and member is not None and organisation == member:
        w.fail("member", "an organisation cannot be its own member")
    if belonging:
        w.typed(PTCE.Membership)
        if organisation is not None:
            w.add(ORG.organization, organisation)
        if member is not None:
            w.add(ORG.member, member)
            if organisation is not None:
                w.add(ORG.hasMember, member, organisation)
        if role is not None:
            w.add(ORG.role, role)
        w.period(ORG.memberDuring)
    else:
        w.add(RDF.type, PTCE.ExternalRelation)
        if organisation is not None:
            w.add(PTCE.relatedTo, organisation)
        if member is not None:
            w.add(PTCE.relatedAgent, member)
        if role is not None:
            w.add(PTCE.relationRole, role)
        w.period(DCTERMS.temporal)
    w.common()


def _partnership(w: _RowWriter) -> None:
    w.add(RDF.type, PTCE.Partnership)
    partners = w.values("partners")
    if len(partners) != 2 or partners[0] == partners[1]:
        w.fail("partners", f"a partnership needs exactly two different partner ids (a|b), got {len(set(partners))}")
    w.refs("partners", _AGENTS, PTCE.partner)
    kind = w.code("type", "partnership-type")
    if kind is not None:
        w.add(PTCE.partnershipType, kind)
    w.period(DCTERMS.temporal)
    w.common()


def _amount(w: _RowWriter) -> None:
    amount = w.decimal("amount_eur")
    if amount is not None:
        w.add(SCHEMA.amount, amount)
        w.add(SCHEMA.currency, Lit("EUR"))


def _funding(w: _RowWriter) -> None:
    w.typed(PTCE.Funding)
    for column, predicate in (("funder", SCHEMA.funder), ("recipient", PTCE.recipient)):
        value = w.required(column)
        if value:
            iri = w.ref(value, column, _AGENTS)
            if iri is not None:
                w.add(predicate, iri)
    w.refs("programme", ("support_schemes.csv",), PTCE.programme)
    _amount(w)
    w.period(DCTERMS.temporal)
    w.common()


def _support(w: _RowWriter) -> None:
    w.add(RDF.type, PTCE.Support)
    if w.required("scheme"):
        w.refs("scheme", ("support_schemes.csv",), PTCE.scheme)
    w.refs("supporter", _AGENTS, PTCE.supporter)
    if w.required("beneficiary"):
        w.refs("beneficiary", _AGENTS, PTCE.beneficiary)
    w.period(DCTERMS.temporal)
    w.common()


def _laureateship(w: _RowWriter) -> None:
    w.add(RDF.type, PTCE.Laureateship)
    call = w.required("call")
    if call:
        scheme = w.ctx.ids.get("support_schemes.csv", {}).get(call)
        if scheme is None:
            w.fail("call", f"{shown(call)} is not an id of support_schemes")
        elif scheme.get("is_national_call").lower() != "yes":
            w.fail("call", f"{shown(call)} is not a national call (is_national_call = yes)")
        else:
            w.add(PTCE.call, w.ctx.iri(f"scheme/{call}"))
    if w.required("laureate"):
        w.refs("laureate", ("ptce.csv",), PTCE.laureate)
    date = w.date("date")
    if date is not None:
        w.add(DCTERMS.date, date)
    if w.row.get("phase"):
        w.add(PTCE.phase, Lit(w.row.get("phase")))
    _amount(w)
    w.common()


def _mutualised(w: _RowWriter) -> None:
    w.add(RDF.type, PTCE.MutualisedResource)
    w.label("label")
    kind = w.code("type", "mutualised-resource-type")
    if kind is not None:
        w.add(PTCE.mutualisedResourceType, kind)
    w.refs("shared_by", ("ptce.csv",), PTCE.sharedBy)
    w.refs("operated_by", _AGENTS, PTCE.operatedBy)
    w.territories("located_in", PTCE.basedIn)
    area = w.decimal("area_m2")
    if area is not None:
        w.add(PTCE.floorArea, area)
    w.period(DCTERMS.temporal)
    w.common()


_WRITERS: dict[str, Callable[[_RowWriter], None]] = {
    "sources.csv": _source,
    "territories.csv": _other_territory,
    "ptce.csv": _ptce,
    "actors.csv": _actor,
    "support_schemes.csv": _scheme,
    "resources.csv": _resource,
    "memberships.csv": _membership,
    "partnerships.csv": _partnership,
    "fundings.csv": _funding,
    "supports.csv": _support,
    "laureates.csv": _laureateship,
    "mutualised_resources.csv": _mutualised,
}


# -- territories ------------------------------------------------------------------------
def _territory_triples(ctx: _Context) -> None:
    add, geo = ctx.add, ctx.geo
    cog_year = Lit(COG_YEAR, None, XSD.gYear)

    def unit(iri: str, cls: str, label: str, source: str, year: Lit) -> None:
        add(iri, RDF.type, cls)
        add(iri, RDFS.label, Lit(label, "fr"))
        add(iri, PTCE.cogYear, year)
        add(iri, DCTERMS.source, source)

    for code, label in geo.regions.items():
        iri = f"{PG}territory/region/{code}"
        unit(iri, PTCE.Region, label, _COG_SOURCE, cog_year)
        add(iri, IGEO.codeINSEE, Lit(code))
    for code, label in geo.departements.items():
        iri = f"{PG}territory/departement/{code}"
        unit(iri, PTCE.Departement, label, _COG_SOURCE, cog_year)
        add(iri, IGEO.codeINSEE, Lit(code))
        add(iri, GEO.sfWithin, f"{PG}territory/region/{geo.region_of_departement[code]}")
    epcis = set(ctx.epcis)
    for code in sorted(ctx.communes):
        commune = geo.communes[code]
        iri = f"{PG}territory/commune/{code}"
        unit(iri, PTCE.Commune, commune.label, _COG_SOURCE, cog_year)
        add(iri, IGEO.codeINSEE, Lit(code))
        add(iri, GEO.sfWithin, f"{PG}territory/departement/{commune.departement}")
        epci_siren = geo.epci_of_commune.get(code)
        if epci_siren is not None:
            add(iri, GEO.sfWithin, f"{PG}territory/epci/{epci_siren}")
            epcis.add(epci_siren)
    epci_year = Lit(EPCI_YEAR, None, XSD.gYear)
    for siren in sorted(epcis):
        epci = geo.epci[siren]
        iri = f"{PG}territory/epci/{siren}"
        unit(iri, PTCE.EPCI, epci.label, _EPCI_SOURCE, epci_year)
        add(iri, PTCE.siren, Lit(siren))
        add(iri, PTCE.epciNature, Lit(epci.nature))
        dep, reg = geo.epci_within(siren)
        if dep is not None:
            add(iri, GEO.sfWithin, f"{PG}territory/departement/{dep}")
        if reg is not None:
            add(iri, GEO.sfWithin, f"{PG}territory/region/{reg}")
    for iri, title, url, year in (
        (_COG_SOURCE, "Code officiel géographique (COG) 2026", "https://www.insee.fr/fr/information/2560452", "2026"),
        (
            _EPCI_SOURCE,
            "Liste des EPCI à fiscalité propre et de leurs communes membres (BANATIC, epcicom)",
            "https://www.banatic.interieur.gouv.fr",
            EPCI_YEAR,
        ),
    ):
        add(iri, RDF.type, PTCE.Source)
        add(iri, RDFS.label, Lit(title))
        add(iri, DCTERMS.title, Lit(title))
        add(iri, SCHEMA.url, Lit(url, None, XSD.anyURI))
        add(iri, DCTERMS.issued, Lit(year, None, XSD.gYear))
        add(iri, DCTERMS.type, concept("resource-type", "dataset"))
        add(iri, DCTERMS.license, DATA_LICENSE)
        add(iri, PTCE.publisherNote, Lit("INSEE; DGCL; packaged by data.gouv.fr (decoupage-administratif)"))


def _dataset_triples(ctx: _Context, *, shipped: bool) -> None:
    dataset, add = ctx.iri("dataset"), ctx.add
    add(dataset, RDF.type, DCAT.Dataset)
    add(dataset, RDF.type, VOID.Dataset)
    add(dataset, DCTERMS.title, Lit("ptce-graph : graphe des pôles territoriaux de coopération économique", "fr"))
    add(
        dataset, DCTERMS.title, Lit("ptce-graph: knowledge graph of French territorial economic cooperation hubs", "en")
    )
    add(dataset, f"{DCAT}version", Lit(__version__))
    add(dataset, VOID.vocabulary, str(PTCE._NS).rstrip("#"))
    add(dataset, VOID.vocabulary, str(ORG))
    if shipped:
        add(dataset, DCTERMS.license, DATA_LICENSE)
    add(dataset, OWL.versionInfo, Lit(__version__))


# -- entry point --------------------------------------------------------------------------
@functools.cache
def _shipped_ids(table: str) -> frozenset[str]:
    """The ids the shipped data defines in one table (read only to explain a missing id)."""
    from ptce_graph.resources import shipped_data_dir

    path = shipped_data_dir() / table
    if not path.is_file():
        return frozenset()
    with path.open(encoding="utf-8", newline="") as handle:
        return frozenset(row.get("id", "") for row in csv.DictReader(handle))


def _id_hint(ctx: _Context, value: str, tables: tuple[str, ...]) -> str:
    """What to tell about an id no folder defines: the flag that brings it, or a near id.

    Examples
    --------
    >>> from ptce_graph.model.geo import geo_reference
    >>> ctx = _Context(geo_reference(), DEFAULT_BASE)
    >>> _id_hint(ctx, "tetris", ("ptce.csv",))
    '; the shipped data defines it: add --include-shipped (or include_shipped=True)'
    """
    if not ctx.shipped and any(value in _shipped_ids(t) for t in tables):
        return "; the shipped data defines it: add --include-shipped (or include_shipped=True)"
    known = sorted({i for t in tables for i in ctx.ids.get(t, {})})
    close = difflib.get_close_matches(value, known, n=3, cutoff=0.75)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def max_rows() -> int:
    """The most rows a read takes: :data:`MAX_ROWS`, or the environment variable ``PTCE_GRAPH_MAX_ROWS``.

    Examples
    --------
    >>> max_rows() == int(os.environ.get(MAX_ROWS_VARIABLE) or MAX_ROWS)
    True
    """
    value = os.environ.get(MAX_ROWS_VARIABLE, "").strip()
    if not value:
        return MAX_ROWS
    if not (value.isascii() and value.isdigit() and len(value) <= 12 and int(value) > 0):
        raise InputError(f"{MAX_ROWS_VARIABLE}={shown(value)} is not a positive whole number of rows")
    return int(value)


def _too_many_rows(ctx: _Context, table: Table, taken: int, bound: int) -> bool:
    """Whether ``table`` takes the read past ``bound`` rows (then it is reported, and refused)."""
    count = table.overflow or len(table.rows)
    if not table.overflow and taken + count <= bound:
        return False
    where = table.rows[0].file if table.rows else str(table.path)
    rows = f"{count:,} row{'s' if count > 1 else ''}"
    before = f", after {taken:,} rows of other tables" if taken else ""
    ctx.problems.append(
        Problem(
            where,
            f"{rows}{before}: ptce-graph reads at most {bound:,} rows in all, as it holds the graph in memory "
            f"(see Limits in docs/errors.md; {MAX_ROWS_VARIABLE} sets another bound): nothing was read from this file",
        )
    )
    table.rows.clear()
    return True


def _index_ids(ctx: _Context, table: str, rows: Iterable[Row]) -> None:
    known = ctx.ids.setdefault(table, {})
    for row in rows:
        ident = row.get("id")
        if not ident:
            ctx.problems.append(row.problem("id", "required value is empty"))
        elif not is_slug(ident):
            ctx.problems.append(
                row.problem(
                    "id",
                    f"{shown(ident)} is not a valid id: lowercase letters, digits and single hyphens (e.g. pole-sud)",
                )
            )
        elif ident in known:
            first = known[ident]
            ctx.problems.append(row.problem("id", f"duplicate id '{ident}' (first at {first.file}:{first.line})"))
        elif table in _AGENTS and ident in ctx.agents:
            ctx.problems.append(row.problem("id", f"id '{ident}' is used by both ptce.csv and actors.csv"))
        else:
            known[ident] = row
            if table in _AGENTS:
                ctx.agents[ident] = ctx.iri(f"{_IRI_PREFIX[table]}/{ident}")


def read_folders(
    folders: Iterable[Path],
    *,
    shipped: bool = False,
    base: str = DEFAULT_BASE,
    progress: Callable[[str], None] | None = None,
    report: ReadReport | None = None,
) -> NTriples:
    """Read every CSV template, workbook and RDF file beside them of ``folders`` as sorted N-Triples.

    This is the fast path of :func:`load_folders`: no rdflib graph is built, so a national
    dataset of a million triples reads in seconds and a tenth of the memory.

    Parameters
    ----------
    folders
        Data folders in the templates of ``data/README.md``, or workbooks (``.xlsx``, ``.ods``)
        with one sheet per template (:mod:`~ptce_graph.io.workbooks`), each read as a folder;
        their tables are merged and their ids share one space, so a researcher's folder may
        point at shipped rows.
    shipped
        Whether the shipped dataset is among ``folders`` (its licence is then stated).
    report
        Receives what the read did beside the triples (:class:`ReadReport`): the changes later
        folders made to earlier ones, the warnings, and the encoding and separator of each file.
    base
        The IRI under which the rows' nodes are minted (default: the ``pg:`` namespace
        ``https://w3id.org/ptce-graph/id/``); the benchmark's synthetic data uses
        ``https://w3id.org/ptce-graph/synthetic/``. Official territories (régions,
        départements, communes, EPCIs) and the COG sources keep their ``pg:`` IRIs.
    progress
        Called with a short message before each stage (for long reads).

    Raises
    ------
    InputError
        Listing every unusable file, row and value (file, line, column, why).

    Examples
    --------
    >>> from ptce_graph.resources import shipped_data_dir
    >>> nt = read_folders([shipped_data_dir()], shipped=True)
    >>> f"<{PG}ptce/tetris> <{RDF.type}> <{PTCE.PTCE}> ." in nt.lines
    True
    """
    import pyoxigraph as ox

    from ptce_graph.gcpause import paused_gc

    if not base.endswith(("/", "#")):
        raise InputError(f"base IRI '{base}' must end with '/' or '#'")
    try:
        ox.NamedNode(base)
    except ValueError as exc:
        raise InputError(f"base IRI '{base}' is not a valid IRI ({exc})") from None
    with paused_gc():
        return _read(list(folders), shipped=shipped, base=base, progress=progress, report=report)


def _read(
    folders: list[Path],
    *,
    shipped: bool,
    base: str,
    progress: Callable[[str], None] | None,
    report: ReadReport | None,
) -> NTriples:
    ctx = _Context(geo_reference(), base, shipped=shipped, report=ReadReport() if report is None else report)
    bound, taken = max_rows(), 0
    rows: dict[str, list[Row]] = {name: [] for name in TABLES}
    for folder in folders:
        if folder.is_file() and is_workbook(folder):
            entries = [folder]  # a workbook given as a source is a layer of its own, like a folder
        elif not folder.is_dir():
            raise InputError.at(folder, "data folder not found" if not folder.exists() else "not a folder")
        else:
            entries = sorted(p for p in folder.iterdir() if not p.name.startswith("~$"))  # Excel's lock files
        found = False
        earlier = {name: {r.get("id"): i for i, r in enumerate(table_rows)} for name, table_rows in rows.items()}
        corrections: list[Row] = []
        for path in entries:
            tables: list[tuple[str, Table]] = []
            if path.name == CORRECTIONS:
                tables.append(
                    (
                        CORRECTIONS,
                        read_table(path, CORRECTION_COLUMNS, required=_CORRECTION_REQUIRED, max_rows=bound - taken),
                    )
                )
            elif path.suffix.lower() == ".csv":
                if path.name not in TABLES:
                    ctx.problems.append(
                        Problem(str(path), f"unknown template '{path.name}'; expected one of {', '.join(TABLES)}")
                    )
                    found = True
                    continue
                if progress is not None and path.stat().st_size > 4_000_000:
                    progress(f"reading {path}")
                table = read_table(path, TABLES[path.name], required=_REQUIRED[path.name], max_rows=bound - taken)
                tables.append((path.name, table))
            elif is_workbook(path):
                if progress is not None:
                    progress(f"reading {path}")
                book = read_workbook(
                    path,
                    {**TABLES, CORRECTIONS: CORRECTION_COLUMNS},
                    {**_REQUIRED, CORRECTIONS: _CORRECTION_REQUIRED},
                )
                ctx.problems.extend(book.problems)
                tables.extend(book.tables)
            elif path.suffix.lower() in _FOLDER_RDF:
                found = True
                try:
                    extra = read_rdf_file(path)
                except InputError as exc:
                    ctx.problems.extend(exc.problems)
                else:
                    for t in extra:
                        ctx.add(ox_to_term(t.subject), ox_to_term(t.predicate), ox_to_term(t.object))
                continue
            else:
                continue
            found = True
            for name, table in tables:
                ctx.problems.extend(table.problems)
                ctx.report.files.append(FileRead(str(table.path), table.encoding, table.separator))
                if _too_many_rows(ctx, table, taken, bound):
                    table.refused = True
                taken += len(table.rows)
                if table.refused:
                    ctx.refused.add(name)
                if name == CORRECTIONS:
                    corrections.extend(table.rows)
                    continue
                first = earlier[name]
                for row in table.rows:
                    if row.get("id") in first:  # an id of an earlier folder: this row enriches it
                        at = first[row.get("id")]
                        rows[name][at] = enrich(rows[name][at], row, ctx.problems, ctx.report.changes, table=name)
                    else:
                        rows[name].append(row)
        if not found:
            ctx.problems.append(Problem(str(folder), "no CSV template, workbook or RDF file in this folder"))
        apply_corrections(rows, corrections, ctx.problems, ctx.report.changes, lambda i, t: _id_hint(ctx, i, (t,)))
    for name in TABLES:
        _index_ids(ctx, name, rows[name])
    for name, writer in _WRITERS.items():
        if progress is not None and len(rows[name]) >= 20_000:
            progress(f"mapping {len(rows[name])} rows of {name}")
        known = ctx.ids.get(name, {})
        for row in rows[name]:
            if known.get(row.get("id")) is not row:
                continue  # bad or duplicate id: already reported
            w = _RowWriter(ctx, name, row)
            w.check_required()
            writer(w)
            w.commit()
    if ctx.problems:
        count = len(ctx.problems)
        raise InputError(
            f"{count} unusable value{'s' if count > 1 else ''} in the data; nothing was built:",
            sorted(ctx.problems, key=lambda p: (p.file, p.line or 0, p.column or "")),
        )
    _territory_triples(ctx)
    _dataset_triples(ctx, shipped=shipped)
    ctx.add(ctx.iri("dataset"), VOID.triples, Lit(str(len(ctx.lines) + 1), None, XSD.integer))
    if progress is not None and len(ctx.lines) >= 200_000:
        progress(f"sorting {len(ctx.lines)} triples")
    ctx.report.notices[:] = dict.fromkeys(ctx.report.notices)  # a cell read twice is noticed once
    return NTriples.from_lines(ctx.lines)


def load_folders(folders: Iterable[Path], *, shipped: bool = False, base: str = DEFAULT_BASE) -> Graph:
    """Read every CSV template (and the RDF files beside them) of ``folders`` into one rdflib graph.

    The same triples as :func:`read_folders` (see it for the parameters), as an rdflib graph.

    Raises
    ------
    InputError
        Listing every unusable file, row and value (file, line, column, why).

    Examples
    --------
    >>> from ptce_graph.resources import shipped_data_dir
    >>> g = load_folders([shipped_data_dir()], shipped=True)
    >>> (PG["ptce/tetris"], RDF.type, PTCE.PTCE) in g
    True
    """
    return read_folders(folders, shipped=shipped, base=base).to_graph()
