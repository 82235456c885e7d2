"""Write an empty data folder in the CSV templates, with a README, for a researcher to start from.

The folder holds one header-only CSV file per template (:data:`~ptce_graph.io.ingest.TABLES`
and ``corrections.csv``) and a ``README.md`` saying what each file is for, which columns are
required, how the cells are written, and giving one fictitious example row per file. The CSV
format has no comment syntax, so the example rows live in the README, never in the files: the
empty folder builds as it is, over the shipped data.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ptce_graph.errors import InputError
from ptce_graph.io.atomic import atomic_write
from ptce_graph.io.ingest import _REQUIRED, TABLES
from ptce_graph.io.layers import CORRECTION_COLUMNS, CORRECTIONS

__all__ = ["EXAMPLES", "PURPOSES", "README", "REQUIRED", "TEMPLATES", "readme_text", "write_templates"]

#: Every template a data folder may hold: file name -> its columns, in order.
TEMPLATES: dict[str, tuple[str, ...]] = {**TABLES, CORRECTIONS: CORRECTION_COLUMNS}

#: The columns each template requires a value in (a correction always cites its sources).
REQUIRED: dict[str, tuple[str, ...]] = {**_REQUIRED, CORRECTIONS: ("id", "table", "row", "sources")}

#: The name of the guide written beside the templates.
README = "README.md"

#: What each template is for, one line each.
PURPOSES: dict[str, str] = {
    "sources.csv": "the pages and documents you cite, one row each; every other row names its `sources` here",
    "territories.csv": "territories outside the official geography (a PNR, a pays, a bassin), "
    "referred to elsewhere as `other:{id}`",
    "ptce.csv": "the PTCE (pôles territoriaux de coopération économique), one row each",
    "actors.csv": "the organisations that take part: ESS enterprises, firms, local authorities, "
    "networks, research centres...",
    "support_schemes.csv": "support schemes and calls: national PTCE calls, labels, local support",
    "resources.csv": "documents about PTCE: guides, reports, portraits, videos",
    "memberships.csv": "an actor's participation in a PTCE with its role: belonging (`member`, "
    "`founder`, `carrying-structure`...) or working with (`partner`, `funder`, `client`...)",
    "partnerships.csv": "a tie between two actors that is not a participation in a PTCE",
    "fundings.csv": "money a funder gives a recipient (amount in plain euros, empty if unknown)",
    "supports.csv": "a support scheme delivered to a beneficiary",
    "laureates.csv": "laureates of the national PTCE calls",
    "mutualised_resources.csv": "what a PTCE shares: premises, equipment, shared employment, services",
    CORRECTIONS: "corrections and retractions of a value or a row of the shipped data (or of a "
    "folder given before this one)",
}

_NOTE = "Exemple fictif"
_SOURCE = "exemple-entretien"

#: One fictitious example row per template (the cells it fills); every one builds over the
#: shipped data, and the few shipped ids they point at (``tetris``, ``ami-2023``, a TETRIS
#: membership) are the ones a row must name to show how a folder adds to the shipped data.
EXAMPLES: dict[str, dict[str, str]] = {
    "sources.csv": {
        "id": _SOURCE,
        "url": "https://example.org/enquete/entretien-2026",
        "title": "Entretien de terrain (exemple fictif)",
        "publisher": "Enquête de terrain",
        "date": "2026-03",
        "type": "web-page",
        "note": _NOTE,
    },
    "territories.csv": {
        "id": "exemple-pays",
        "label": "Pays Exemple (exemple fictif)",
        "within": "departement:06",
        "note": _NOTE,
        "sources": _SOURCE,
    },
    "ptce.csv": {
        "id": "exemple-pole",
        "label": "Pôle des Vallées (exemple fictif)",
        "alt_labels": "PTCE des Vallées",
        "territories": "commune:06069|other:exemple-pays",
        "founded": "2020",
        "legal_form": "scic",
        "sectors": "sustainable-food|mobility",
        "cooperation_modes": "mutualisation",
        "confidence": "medium",
        "confidence_note": "Founding year from one interview only",
        "note": _NOTE,
        "sources": _SOURCE,
    },
    "actors.csv": {
        "id": "exemple-cooperative",
        "label": "Coopérative des Collines (exemple fictif)",
        "kind": "ess-enterprise",
        "ess_families": "scic",
        "based_in": "commune:06069",
        "founded": "2018",
        "homepage": "https://example.org/cooperative",
        "note": _NOTE,
        "sources": _SOURCE,
    },
    "support_schemes.csv": {
        "id": "exemple-dispositif",
        "label": "Dispositif Exemple (exemple fictif)",
        "kind": "local-support",
        "is_national_call": "no",
        "operators": "exemple-cooperative",
        "start": "2024",
        "end": "2025",
        "budget_eur": "50000",
        "description": "Fictitious local support scheme",
        "note": _NOTE,
        "sources": _SOURCE,
    },
    "resources.csv": {
        "id": "exemple-guide",
        "title": "Guide Exemple (exemple fictif)",
        "type": "guide",
        "publishers": "exemple-cooperative",
        "issued": "2025-06",
        "urls": "https://example.org/guide",
        "about": "exemple-pole",
        "description": "Fictitious guide",
        "note": _NOTE,
        "sources": _SOURCE,
    },
    "memberships.csv": {
        "id": "exemple-tetris-membre",
        "organisation": "tetris",
        "member": "exemple-cooperative",
        "role": "member",
        "start": "2021",
        "date_sources": _SOURCE,
        "confidence": "medium",
        "note": _NOTE,
        "sources": _SOURCE,
    },
    "partnerships.csv": {
        "id": "exemple-pole-tetris",
        "partners": "exemple-pole|tetris",
        "type": "event",
        "start": "2024-05-14",
        "end": "2024-05-15",
        "note": _NOTE,
        "sources": _SOURCE,
    },
    "fundings.csv": {
        "id": "exemple-financement",
        "funder": "exemple-cooperative",
        "recipient": "exemple-pole",
        "programme": "exemple-dispositif",
        "amount_eur": "10000",
        "start": "2024",
        "end": "2025",
        "note": _NOTE,
        "sources": _SOURCE,
    },
    "supports.csv": {
        "id": "exemple-accompagnement",
        "scheme": "exemple-dispositif",
        "supporter": "exemple-cooperative",
        "beneficiary": "exemple-pole",
        "start": "2024-01",
        "end": "2024-12",
        "note": _NOTE,
        "sources": _SOURCE,
    },
    "laureates.csv": {
        "id": "exemple-ami-2023-laureat",
        "call": "ami-2023",
        "laureate": "exemple-pole",
        "date": "2023-12",
        "note": _NOTE,
        "sources": _SOURCE,
    },
    "mutualised_resources.csv": {
        "id": "exemple-locaux",
        "label": "Locaux partagés Exemple (exemple fictif)",
        "type": "premises",
        "shared_by": "exemple-pole",
        "operated_by": "exemple-cooperative",
        "located_in": "commune:06069",
        "area_m2": "250",
        "start": "2022",
        "note": _NOTE,
        "sources": _SOURCE,
    },
    CORRECTIONS: {
        "id": "exemple-correction",
        "table": "memberships",
        "row": "tetris-evaleco-member",
        "column": "role",
        "old_value": "member",
        "new_value": "partner",
        "sources": _SOURCE,
        "note": "Exemple fictif : un partenaire plutôt qu'un membre",
    },
}


def _csv_lines(*records: tuple[str, ...] | list[str]) -> str:
    """``records`` as CSV text, ``\\n``-terminated, quoted only where needed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(records)
    return buffer.getvalue()


def _example_row(name: str) -> list[str]:
    cells = EXAMPLES[name]
    return [cells.get(column, "") for column in TEMPLATES[name]]


def readme_text(folder_name: str = "my-data") -> str:
    """The ``README.md`` written beside the templates of a folder called ``folder_name``.

    Examples
    --------
    >>> text = readme_text("terrain")
    >>> "ptce-graph build --data terrain --include-shipped --out build" in text
    True
    """
    files = "\n".join(
        f"| `{name}` | {PURPOSES[name]} | {', '.join(f'`{c}`' for c in REQUIRED[name])} |" for name in TEMPLATES
    )
    examples = "\n\n".join(
        f"`{name}` (exemple fictif)\n\n```csv\n{_csv_lines(TEMPLATES[name], _example_row(name))}```"
        for name in TEMPLATES
    )
    return f"""\
# {folder_name}: your data in the ptce-graph templates

This folder holds one CSV file per template, each with its header row and no data. Fill in the
files you need; a file left with its header only (or deleted) adds nothing. Build your folder
over the shipped data, from the folder that holds `{folder_name}`:

```console
ptce-graph build --data {folder_name} --include-shipped --out build
ptce-graph validate {folder_name} --include-shipped
```

## The files

| file | what it is for | required columns |
|---|---|---|
{files}

## How the cells are written

- **Format.** UTF-8 CSV, comma-separated (`;` and tab are accepted too), first row = the header
  as written here. Columns may come in any order and one you never fill may be left out, but
  the required ones stay and no other column may be added. An empty cell means "unknown". A
  cell holding a comma is quoted (`"a, b"`), as any spreadsheet does.
- **Ids.** Every row has an `id` of lowercase ASCII letters, digits and single hyphens
  (`pole-sud`, `groupe-archer`), unique in its file and chosen once (never a row number).
  `ptce.csv` and `actors.csv` share one id space. Columns such as `organisation`, `member`,
  `partners`, `funder`, `recipient`, `scheme`, `call`, `publishers` and `about` hold ids of
  other rows: of your files, or of the shipped data with `--include-shipped`.
- **Several values** in one cell are separated by `|` (`sustainable-food|mobility`); columns
  such as `alt_labels`, `territories`, `sectors`, `partners` and `sources` take several.
- **Dates** are `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; a `start` and an `end` share one
  precision. Amounts are plain euros (`2500000`).
- **Territories** are `commune:{{INSEE}}`, `epci:{{SIREN}}`, `departement:{{code}}`,
  `region:{{code}}`, or `other:{{id}}` for a row of `territories.csv`.
- **Codes** (`kind`, `role`, `type`, `sectors`, `legal_form`, `confidence`...) come from the
  code lists of the ontology; an unknown code is reported with the known codes.
- **Sources.** Every row (but those of `sources.csv`) cites in `sources` at least one id of
  `sources.csv`, yours or a shipped one: the page or document that states the row's fact.
- **`--include-shipped`** stacks your folder over the shipped data: your rows may point at
  shipped ids (`tetris`, `ami-2023`), and a row with a shipped id adds to that entity (empty
  cells filled, `|` cells extended, sources added). Without the flag your folder is read alone,
  and an id only the shipped data defines stops the build with a message naming the flag.
- **Corrections.** To change or remove a shipped value, or retract a shipped row, write a row
  of `corrections.csv` (`table`, `row` = the id, `column`, `old_value`, `new_value`, `sources`;
  `new_value` empty retracts the value, `column` empty retracts the row). The rules and a
  worked example are in `docs/own-data.md` of ptce-graph.
- **`csv-metadata.json`** describes these files in the W3C CSV on the Web vocabulary (CSVW):
  each column's datatype, the required cells, the ids and the references between files. Any
  CSVW tool reads it; `csvwvalidate csv-metadata.json` (PyPI package `csvw`) checks the files
  whose columns are in the order written here. It checks less than `ptce-graph validate` (codes
  of the official geography, references to `ptce.csv` or `actors.csv`) and, for a folder that
  points at shipped ids, reports those ids as missing.

## One example row per file

Each snippet below is the file's header and one **fictitious** row (exemple fictif): paste the
second line under the header of the file to try it. Together they build over the shipped data;
the correction changes a shipped row (a TETRIS membership), so remove the example rows before
you enter real data.

{examples}
"""


def write_templates(folder: str | Path) -> list[Path]:
    """Write the CSV templates (header rows only) and a ``README.md`` into a new ``folder``.

    Parameters
    ----------
    folder
        The folder to create; it may exist if it is empty. Each file is written atomically
        (:func:`~ptce_graph.io.atomic.atomic_write`), in UTF-8.

    Returns
    -------
    list of Path
        The files written: one CSV per template (:data:`TEMPLATES`, in order), their CSVW
        description ``csv-metadata.json`` (:mod:`~ptce_graph.io.csvw`), then the README.

    Raises
    ------
    InputError
        When ``folder`` is a file, or a folder that is not empty (nothing is overwritten).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()) / "my-data"
    >>> [p.name for p in write_templates(folder)][:3]
    ['sources.csv', 'territories.csv', 'ptce.csv']
    >>> (folder / "memberships.csv").read_text(encoding="utf-8")
    'id,organisation,member,role,start,end,date_sources,confidence,confidence_note,note,sources\\n'
    >>> write_templates(folder)
    Traceback (most recent call last):
    ...
    ptce_graph.errors.InputError: ...: the folder is not empty; choose a new or an empty folder (nothing was written)
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError.at(folder, "not a folder; choose a new or an empty folder (nothing was written)")
    if folder.is_dir() and any(folder.iterdir()):
        raise InputError.at(folder, "the folder is not empty; choose a new or an empty folder (nothing was written)")
    written: list[Path] = []
    for name, columns in TEMPLATES.items():
        path = folder / name
        with atomic_write(path, "w") as handle:
            handle.write(_csv_lines(columns))
        written.append(path)
    from ptce_graph.io.csvw import METADATA, write_metadata  # it describes TEMPLATES: imported late, no cycle

    written.append(write_metadata(folder / METADATA))
    readme = folder / README
    with atomic_write(readme, "w") as handle:
        handle.write(readme_text(folder.resolve().name or "my-data"))
    written.append(readme)
    return written
