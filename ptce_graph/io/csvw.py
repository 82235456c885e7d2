"""W3C CSV on the Web (CSVW) metadata for the CSV templates, generated from their definition in code.

The templates' columns (:data:`~ptce_graph.io.templates.TEMPLATES`), the columns that need a
value (:data:`~ptce_graph.io.templates.REQUIRED`), the multi-valued columns
(:data:`~ptce_graph.io.layers.MULTI_VALUED`), the IRIs minted for rows and the code lists of the
ontology are read from the code that ingests the tables; this module adds what each column means,
which table its ids point at and which ontology property it gives when the mapping is direct. The
result is a CSVW table group (https://www.w3.org/TR/tabular-metadata/) that ``csvwvalidate`` of the
PyPI package ``csvw`` checks a folder against: datatypes, required cells, primary keys and foreign
keys. ``data/csv-metadata.json`` is this metadata for the shipped tables, and ``ptce-graph init``
writes it into a new folder.

What CSVW cannot say is said in each table's ``rdfs:comment``: a reference to ``ptce.csv`` *or*
``actors.csv`` has no foreign key (a CSVW foreign key names one table), a territory reference
(``commune:26281``) is checked for its form only, and the checks that need the code (Luhn digits,
a start before its end, a calendar date) are left to ``ptce-graph build``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import URIRef
from rdflib.namespace import DCTERMS, FOAF, RDFS, SKOS

from ptce_graph.io.atomic import atomic_write
from ptce_graph.io.ingest import _AGENTS, _IRI_PREFIX, _TERRITORY_REF, _URL, DATA_LICENSE, TABLES
from ptce_graph.io.layers import CORRECTIONS, MULTI_VALUED
from ptce_graph.io.templates import PURPOSES, REQUIRED, TEMPLATES
from ptce_graph.io.vocabulary import codes
from ptce_graph.model.identifiers import SLUG_PATTERN
from ptce_graph.model.namespaces import PG, PGC, PTCE, SCHEMA

__all__ = ["COLUMNS", "METADATA", "REGENERATE", "Column", "metadata", "metadata_text", "write_metadata"]

#: The file name of the metadata: the name CSVW looks for beside a table (§5.3 of the syntax spec).
METADATA = "csv-metadata.json"
#: The command that rewrites the shipped ``data/csv-metadata.json`` from the code.
REGENERATE = "python -m ptce_graph.io.csvw data/csv-metadata.json"

_SEPARATOR = "|"
#: What a date cell holds: a year, a month or a day (xsd:gYear, xsd:gYearMonth or xsd:date);
#: CSVW has no union of datatypes, so it is a string of that form.
_DATE = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
#: SIREN, SIRET and RNA as the reader takes them: the spaces between characters are dropped.
_DIGITS = r"^[0-9]( *[0-9]){{{n}}}$"
_RNA = r"^W *[0-9A-Z]( *[0-9]){8}$"
_WIKIDATA = r"^http://www\.wikidata\.org/entity/Q[1-9][0-9]*$"


@dataclass(frozen=True)
class Column:
    """What one column of a template holds, beyond its name.

    ``kind`` names the form of a cell (:data:`_KINDS`); ``targets`` the tables whose ids a
    reference points at; ``scheme`` the code list of a code; ``property`` the ontology property
    the cell gives the row's entity when that mapping is direct (the same value, or the IRI of the
    id or code it names), with ``lang`` the language tag the reader gives the text.
    """

    description: str
    kind: str = "text"
    targets: tuple[str, ...] = ()
    scheme: str | None = None
    property: URIRef | None = None
    lang: str | None = None


def _text(description: str, prop: URIRef | None = None, lang: str | None = None) -> Column:
    return Column(description, "text", property=prop, lang=lang)


def _ref(description: str, *targets: str, prop: URIRef | None = None) -> Column:
    return Column(description, "ref", targets=targets, property=prop)


def _code(description: str, scheme: str, prop: URIRef | None = None) -> Column:
    return Column(description, "code", scheme=scheme, property=prop)


_SCHEMES = ("support_schemes.csv",)
_ANY = (*_AGENTS, "support_schemes.csv", "resources.csv")

#: The columns every table of entities or relations shares (as the reader maps them).
_SHARED: dict[str, Column] = {
    "id": Column("The row's id: lowercase ASCII letters, digits and single hyphens, unique in the table.", "id"),
    "label": _text("The name, in French.", RDFS.label, "fr"),
    "alt_labels": _text("Other names, separated by '|'.", SKOS.altLabel, "fr"),
    "start": Column("The start date: YYYY, YYYY-MM or YYYY-MM-DD (the same precision as the end).", "date"),
    "end": Column("The end date: YYYY, YYYY-MM or YYYY-MM-DD (the same precision as the start).", "date"),
    "date_sources": _ref("Ids of sources.csv stating the dates, when others than those in sources.", "sources.csv"),
    "confidence": _code("How sure the row is: high, medium or low.", "confidence", PTCE.confidence),
    "confidence_note": _text("What is inferred, disputed or unconfirmed (English).", PTCE.confidenceNote, "en"),
    "note": _text("A short curator note (English).", SKOS.note, "en"),
    "sources": _ref(
        "Ids of sources.csv, separated by '|': the pages that state this row's fact.",
        "sources.csv",
        prop=DCTERMS.source,
    ),
    "homepage": Column("The organisation's website (http or https URL).", "url", property=FOAF.homepage),
    "wikidata": Column(
        "The Wikidata entity IRI (http://www.wikidata.org/entity/Q…).", "wikidata", property=PTCE.wikidata
    ),
    "founded": Column("The founding date: YYYY, YYYY-MM or YYYY-MM-DD.", "date", property=SCHEMA.foundingDate),
    "description": _text("A short description (English).", DCTERMS.description, "en"),
    "amount_eur": Column("The amount in plain euros (2500000 or 2500000.50).", "decimal", property=SCHEMA.amount),
}

#: What each column of each template holds: the table's own columns, then the shared ones.
COLUMNS: dict[str, dict[str, Column]] = {
    "sources.csv": {
        "url": Column("The page or document's URL (http or https).", "url", property=SCHEMA.url),
        "title": _text("The page's own title.", DCTERMS.title),
        "publisher": _text("The organisation that publishes the page, as printed.", PTCE.publisherNote),
        "date": Column("The page's date: YYYY, YYYY-MM or YYYY-MM-DD.", "date", property=DCTERMS.issued),
        "type": _code("The kind of document (resource-type code).", "resource-type", DCTERMS.type),
        "note": _text("A short note on the page (English).", SKOS.note, "en"),
    },
    "territories.csv": {
        "within": Column("Territories this one lies within, separated by '|'.", "territory"),
    },
    "ptce.csv": {
        "territories": Column("The PTCE's territories, separated by '|'.", "territory"),
        "legal_form": _code("The legal form of the PTCE itself (ess-family code).", "ess-family", PTCE.legalForm),
        "sectors": _code("Activity sectors (sector codes), separated by '|'.", "sector", PTCE.sector),
        "cooperation_modes": _code(
            "Modes of cooperation (cooperation-mode codes), separated by '|'.", "cooperation-mode", PTCE.cooperationMode
        ),
        "reported_member_kinds": _code(
            "Kinds of members a source reports without naming them (actor-kind codes).",
            "actor-kind",
            PTCE.reportedMemberKind,
        ),
    },
    "actors.csv": {
        "kind": _code("What the actor is (actor-kind code); it gives the actor's class.", "actor-kind"),
        "ess_families": _code("Statutory families and approvals (ess-family codes).", "ess-family", PTCE.essFamily),
        "authority_level": _code(
            "A local authority's level (authority-level code).", "authority-level", PTCE.authorityLevel
        ),
        "siren": Column("The SIREN: 9 digits with a valid Luhn check digit.", "siren", property=PTCE.siren),
        "siret": Column("The SIRET: 14 digits with a valid Luhn check digit.", "siret", property=PTCE.siret),
        "rna": Column("The RNA number of an association: W followed by 9 characters.", "rna", property=PTCE.rna),
        "based_in": Column("Where the actor is located (a commune when known).", "territory"),
        "governs": Column("The territory a local authority governs.", "territory"),
        "replaces": _ref("Ids of the organisations whose missions this one took over.", *_AGENTS),
    },
    "support_schemes.csv": {
        "kind": _code("The kind of scheme (scheme-kind code).", "scheme-kind", PTCE.schemeKind),
        "is_national_call": Column("yes for a national PTCE call (AAP or AMI), else no.", "yesno"),
        "part_of": _ref("Ids of the schemes this one is part of.", *_SCHEMES, prop=DCTERMS.isPartOf),
        "operators": _ref("Ids of the PTCE or actors that run the scheme.", *_AGENTS),
        "budget_eur": Column("The budget in plain euros.", "decimal", property=PTCE.budget),
        "applications": Column(
            "A national call's published number of applications.", "integer", property=PTCE.applicationCount
        ),
        "laureates": Column("A national call's published number of laureates.", "integer", property=PTCE.laureateCount),
    },
    "resources.csv": {
        "title": _text("The document's title.", DCTERMS.title),
        "type": _code("The kind of document (resource-type code).", "resource-type", DCTERMS.type),
        "publishers": _ref("Ids of the PTCE or actors that publish it.", *_AGENTS),
        "publisher_note": _text("The publisher as printed, when not all are actors.", PTCE.publisherNote),
        "issued": Column("The publication date: YYYY, YYYY-MM or YYYY-MM-DD.", "date", property=DCTERMS.issued),
        "urls": Column("Where to read it (http or https URLs), separated by '|'.", "url", property=SCHEMA.url),
        "about": _ref("Ids of the PTCE, actors, schemes or resources it is about.", *_ANY),
    },
    "memberships.csv": {
        "organisation": _ref("The id of the PTCE (or European cooperative cluster).", *_AGENTS),
        "member": _ref("The id of the actor (or PTCE) that takes part.", *_AGENTS),
        "role": _code(
            "The role (role code): a belonging role gives a membership, a working-with role a relation.", "role"
        ),
    },
    "partnerships.csv": {
        "partners": _ref("The ids of the two partners, separated by '|'.", *_AGENTS),
        "type": _code("The kind of tie (partnership-type code).", "partnership-type", PTCE.partnershipType),
    },
    "fundings.csv": {
        "funder": _ref("The id of the PTCE or actor that gives the money.", *_AGENTS),
        "recipient": _ref("The id of the PTCE or actor that receives it.", *_AGENTS),
        "programme": _ref("Ids of the support schemes the money comes through.", *_SCHEMES, prop=PTCE.programme),
    },
    "supports.csv": {
        "scheme": _ref("Ids of the support schemes delivered.", *_SCHEMES, prop=PTCE.scheme),
        "supporter": _ref("Ids of the PTCE or actors that deliver it.", *_AGENTS),
        "beneficiary": _ref("Ids of the PTCE or actors that benefit from it.", *_AGENTS),
    },
    "laureates.csv": {
        "call": _ref(
            "The id of the national call (a support scheme with is_national_call yes).", *_SCHEMES, prop=PTCE.call
        ),
        "laureate": _ref("The ids of the PTCE retained.", "ptce.csv", prop=PTCE.laureate),
        "date": Column("The announcement date: YYYY, YYYY-MM or YYYY-MM-DD.", "date", property=DCTERMS.date),
        "phase": _text("The phase of the call (e.g. phase 1).", PTCE.phase),
    },
    "mutualised_resources.csv": {
        "type": _code(
            "What is shared (mutualised-resource-type code).", "mutualised-resource-type", PTCE.mutualisedResourceType
        ),
        "shared_by": _ref("Ids of the PTCE that share it.", "ptce.csv", prop=PTCE.sharedBy),
        "operated_by": _ref("Ids of the PTCE or actors that run it.", *_AGENTS),
        "located_in": Column("Where it is.", "territory"),
        "area_m2": Column("The floor area in square metres.", "decimal", property=PTCE.floorArea),
    },
    CORRECTIONS: {
        "id": Column("The correction's id: lowercase ASCII letters, digits and single hyphens.", "id"),
        "table": Column("The table of the row corrected (ptce or ptce.csv...).", "table"),
        "row": Column("The id of the row corrected, in that table.", "id"),
        "column": _text("The column corrected; empty retracts the whole row."),
        "old_value": _text("The value the row holds now."),
        "new_value": _text("The value wanted; empty retracts old_value."),
        "sources": _ref("Ids of sources.csv that state the correction, separated by '|'.", "sources.csv"),
        "note": _text("Why (any language)."),
    },
}

#: What CSVW cannot check or state, by table (beside what :func:`_table_notes` finds).
_NOTES: dict[str, tuple[str, ...]] = {
    "memberships.csv": (
        "No aboutUrl: a belonging role (member, founder...) makes the row a ptce:Membership "
        "(https://w3id.org/ptce-graph/id/membership/{id}) with org:organization, org:member and org:role, "
        "a working-with role (partner, funder...) a ptce:ExternalRelation "
        "(https://w3id.org/ptce-graph/id/relation/{id}) with ptce:relatedTo, ptce:relatedAgent and "
        "ptce:relationRole; which one depends on the role's code, not on a column.",
    ),
    "partnerships.csv": ("partners holds exactly two different ids (checked by ptce-graph build).",),
    "laureates.csv": ("call names a scheme whose is_national_call is yes (checked by ptce-graph build).",),
    CORRECTIONS: (
        "A correction is not an entity: no aboutUrl. row names an id of the table named in table, "
        "which a CSVW foreign key cannot follow, and it may name a row of the shipped data.",
    ),
}


def _format(pattern: str) -> str:
    """A regex ``format`` anchored at both ends (csvw anchors it at the start only)."""
    return pattern if pattern.startswith("^") else f"^{pattern}$"


def _datatype(column: Column) -> dict[str, Any] | str:
    kind = column.kind
    if kind in ("id", "ref"):
        return {"base": "string", "format": SLUG_PATTERN}
    if kind == "text":
        return "string"
    if kind == "date":
        return {"base": "string", "format": _DATE}
    if kind == "decimal":
        return {"base": "decimal", "format": {"groupChar": " ", "decimalChar": "."}, "minimum": 0}
    if kind == "integer":
        return {"base": "integer", "minimum": 0}
    if kind == "url":
        return {"base": "anyURI", "format": _URL.pattern.removesuffix("\\Z").removesuffix("$") + "$"}
    if kind == "wikidata":
        return {"base": "anyURI", "format": _WIKIDATA}
    if kind in ("siren", "siret"):
        return {"base": "string", "format": _DIGITS.format(n=8 if kind == "siren" else 13)}
    if kind == "rna":
        return {"base": "string", "format": _RNA}
    if kind == "territory":
        return {"base": "string", "format": _TERRITORY_REF.pattern}
    if kind == "yesno":
        return {"base": "string", "format": "^([Yy][Ee][Ss]|[Nn][Oo])$"}
    if kind == "code":
        assert column.scheme is not None
        return {
            "base": "string",
            "format": _format("(" + "|".join(re.escape(c) for c in sorted(codes(column.scheme))) + ")"),
        }
    if kind == "table":
        names = "|".join(re.escape(name.removesuffix(".csv")) for name in TEMPLATES if name != CORRECTIONS)
        return {"base": "string", "format": f"^({names})(\\.csv)?$"}
    raise ValueError(f"unknown column kind {kind!r}")


def _spec(table: str, name: str) -> Column:
    spec = COLUMNS.get(table, {}).get(name) or _SHARED.get(name)
    if spec is None:
        raise ValueError(f"{table}: no CSVW description of column {name!r}; add it to ptce_graph.io.csvw.COLUMNS")
    return spec


def _value_url(table: str, name: str, column: Column) -> str | None:
    """The IRI a cell names, as a URI template: an id's row, a code's concept, a URL as it is."""
    if column.kind == "ref" and len(column.targets) == 1:
        return f"{PG}{_IRI_PREFIX[column.targets[0]]}/{{{name}}}"
    if column.kind == "code" and column.scheme is not None:
        return f"{PGC}{column.scheme}/{{{name}}}"
    if column.kind in ("url", "wikidata") and column.property in (FOAF.homepage, PTCE.wikidata):
        return f"{{+{name}}}"
    return None


def _column(table: str, name: str) -> dict[str, Any]:
    spec = _spec(table, name)
    out: dict[str, Any] = {"name": name, "titles": name, "dc:description": spec.description}
    out["datatype"] = _datatype(spec)
    if name in REQUIRED[table]:
        out["required"] = True
    if name in MULTI_VALUED:
        out["separator"] = _SEPARATOR
    if spec.lang is not None:
        out["lang"] = spec.lang
    if spec.property is not None:
        out["propertyUrl"] = str(spec.property)
        value_url = _value_url(table, name, spec)
        if value_url is not None:
            out["valueUrl"] = value_url
    return out


def _table_notes(table: str) -> list[str]:
    """What CSVW does not check in ``table``: references to two tables, territories, the code's checks."""
    notes = list(_NOTES.get(table, ()))
    either = sorted(n for n in TEMPLATES[table] if len(_spec(table, n).targets) > 1)
    if either:
        notes.append(
            f"{', '.join(either)}: ids of {' or '.join(sorted({t for n in either for t in _spec(table, n).targets}))}; "
            "a CSVW foreign key names one table, so these references are checked by ptce-graph build only."
        )
    places = [n for n in TEMPLATES[table] if _spec(table, n).kind == "territory"]
    if places:
        notes.append(
            f"{', '.join(places)}: region:CODE, departement:CODE, commune:INSEE, epci:SIREN or other:ID "
            "(an id of territories.csv); CSVW checks the form, ptce-graph build checks the code against "
            "the INSEE COG and the DGCL EPCI list of data/reference/geo and other:ID against territories.csv."
        )
    dated = [n for n in TEMPLATES[table] if _spec(table, n).kind == "date"]
    if dated:
        notes.append(
            f"{', '.join(dated)}: a year, a month or a day (xsd:gYear, xsd:gYearMonth, xsd:date), a string of "
            "that form since CSVW has no union of datatypes; ptce-graph build checks the calendar "
            "(no 30 February) and that a start and its end share one precision, the start first."
        )
    if {"siren", "siret"} & set(TEMPLATES[table]):
        notes.append("siren, siret: the Luhn check digit is checked by ptce-graph build.")
    return notes


def _table(table: str) -> dict[str, Any]:
    columns = TEMPLATES[table]
    out: dict[str, Any] = {
        "url": table,
        "dc:title": table.removesuffix(".csv"),
        "dc:description": PURPOSES[table],
    }
    notes = _table_notes(table)
    if notes:
        out["rdfs:comment"] = notes
    schema: dict[str, Any] = {"columns": [_column(table, name) for name in columns], "primaryKey": "id"}
    if table in _IRI_PREFIX and table != "memberships.csv":
        schema["aboutUrl"] = f"{PG}{_IRI_PREFIX[table]}/{{id}}"
    keys = []
    for name in columns:
        spec = _spec(table, name)
        if spec.kind == "ref" and len(spec.targets) == 1:
            keys.append({"columnReference": name, "reference": {"resource": spec.targets[0], "columnReference": "id"}})
    if keys:
        schema["foreignKeys"] = keys
    out["tableSchema"] = schema
    return out


def metadata(*, tables: tuple[str, ...] | None = None, shipped: bool = False) -> dict[str, Any]:
    """The CSVW table group describing ``tables`` (default: every template, corrections.csv included).

    Parameters
    ----------
    tables
        The template file names to describe, each a table of the group; a table a foreign key
        points at must be among them.
    shipped
        Whether the metadata describes the shipped data (its licence is then stated).

    Examples
    --------
    >>> group = metadata()
    >>> [t["url"] for t in group["tables"]][-1]
    'corrections.csv'
    >>> ptce = group["tables"][2]["tableSchema"]
    >>> ptce["aboutUrl"]
    'https://w3id.org/ptce-graph/id/ptce/{id}'
    >>> [c for c in ptce["columns"] if c["name"] == "sources"][0]["separator"]
    '|'
    """
    names = tuple(TEMPLATES) if tables is None else tables
    for name in names:
        if name not in TEMPLATES:
            raise ValueError(f"unknown template {name!r}")
    group: dict[str, Any] = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "dc:title": "ptce-graph CSV templates" + (": the shipped dataset" if shipped else ""),
        "dc:description": "Tables of French PTCE (pôles territoriaux de coopération économique), their actors, "
        "relations and sources, in the templates of ptce-graph (docs/data-model.md). Generated from the "
        f"templates' definition in the ptce_graph package ({REGENERATE}).",
        "dialect": {"delimiter": ",", "encoding": "utf-8", "header": True, "skipBlankRows": True, "trim": True},
        "rdfs:comment": [
            "Columns are written in the order given here, as ptce-graph init writes them; ptce-graph itself "
            "also reads other orders, ';' or tab separators and Windows-1252, which this description does not cover.",
            "A folder read alone must hold every id it references; a folder built over the shipped data "
            "(--include-shipped) may point at shipped ids, which csvwvalidate of that folder reports as missing.",
            "Validate with: csvwvalidate csv-metadata.json (the PyPI package csvw). It matches the columns "
            "by position when a header differs from the one described, so keep the order written here.",
        ],
        "tables": [_table(name) for name in names],
    }
    if shipped:
        group["dc:license"] = {"@id": str(DATA_LICENSE)}
    for table in group["tables"]:
        for key in table["tableSchema"].get("foreignKeys", []):
            if key["reference"]["resource"] not in names:
                raise ValueError(f"{table['url']} refers to {key['reference']['resource']}, which is not described")
    return group


def metadata_text(*, tables: tuple[str, ...] | None = None, shipped: bool = False) -> str:
    """:func:`metadata` as the JSON text written to disk (indented, UTF-8, a final newline).

    Examples
    --------
    >>> metadata_text(tables=("sources.csv",)).startswith('{\\n  "@context"')
    True
    """
    return json.dumps(metadata(tables=tables, shipped=shipped), indent=2, ensure_ascii=False) + "\n"


def write_metadata(path: str | Path, *, tables: tuple[str, ...] | None = None, shipped: bool = False) -> Path:
    """Write :func:`metadata_text` to ``path`` atomically; return the path.

    Examples
    --------
    >>> import tempfile
    >>> path = write_metadata(Path(tempfile.mkdtemp()) / METADATA)
    >>> json.loads(path.read_text(encoding="utf-8"))["tables"][0]["url"]
    'sources.csv'
    """
    path = Path(path)
    with atomic_write(path, "w") as handle:
        handle.write(metadata_text(tables=tables, shipped=shipped))
    return path


def _main(argv: list[str] | None = None) -> int:
    """Rewrite the shipped tables' metadata: ``python -m ptce_graph.io.csvw data/csv-metadata.json``."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(f"usage: {REGENERATE}", file=sys.stderr)
        return 2
    write_metadata(args[0], tables=tuple(TABLES), shipped=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
