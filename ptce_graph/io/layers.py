"""Data folders stacked in order: a later folder enriches, corrects or retracts an earlier one's rows.

The shipped data is the first layer when it is read (``--include-shipped``); a researcher's
folders come after it, in the order given. Before any row becomes triples:

* a row whose id an earlier folder already defines **enriches** that row: its empty cells are
  filled, its multi-valued cells (``a|b``) gain the new values, and a single-valued cell that
  would change is refused (a correction says so explicitly);
* each row of ``corrections.csv`` **corrects** one cell of an earlier row (``old_value`` ->
  ``new_value``), **retracts** one value (``new_value`` empty) or a whole row (``column`` empty);
  the correction's sources are added to the row's ``sources``, so the corrected fact cites the
  researcher's source beside the earlier ones.

Every enrichment, correction and retraction is a :class:`Change`, listed by the build.

Examples
--------
>>> from ptce_graph.io.tables import Row
>>> old = Row("data/ptce.csv", 3, {"id": "pole", "label": "Pôle", "sectors": "food", "founded": ""})
>>> new = Row("mine/ptce.csv", 2, {"id": "pole", "sectors": "mobility", "founded": "2014"})
>>> problems, changes = [], []
>>> merged = enrich(old, new, problems, changes)
>>> merged.cells["sectors"], merged.cells["founded"], problems
('food|mobility', '2014', [])
>>> [c.kind for c in changes]
['enrichment', 'enrichment']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ptce_graph.errors import Problem, shown
from ptce_graph.io.tables import Row

__all__ = ["CORRECTIONS", "CORRECTION_COLUMNS", "MULTI_VALUED", "Change", "apply_corrections", "enrich"]

#: The template of corrections and retractions.
CORRECTIONS = "corrections.csv"
#: Its columns: which row of which table, which cell, the value there and the value wanted.
CORRECTION_COLUMNS = ("id", "table", "row", "column", "old_value", "new_value", "sources", "note")
#: Columns that hold several values separated by ``|``.
MULTI_VALUED = frozenset(
    {
        "about", "alt_labels", "based_in", "beneficiary", "cooperation_modes", "date_sources", "ess_families",
        "governs", "laureate", "located_in", "operated_by", "operators", "part_of", "partners", "programme",
        "publishers", "replaces", "reported_member_kinds", "scheme", "sectors", "shared_by", "sources",
        "supporter", "territories", "urls", "within",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Change:
    """One enrichment, correction or retraction of an earlier row, for the build summary."""

    kind: str  # "enrichment", "correction" or "retraction"
    table: str
    row: str
    column: str
    before: str
    after: str
    where: str
    sources: tuple[str, ...] = ()

    def __str__(self) -> str:
        cell = f"{self.table}:{self.row}" + (f".{self.column}" if self.column else "")
        cited = f" [{', '.join(self.sources)}]" if self.sources else ""
        return f"{self.kind:<11} {cell}: {self.before!r} -> {self.after!r} ({self.where}){cited}"


def _values(cell: str) -> list[str]:
    return [v.strip() for v in cell.split("|") if v.strip()]


def enrich(
    earlier: Row, later: Row, problems: list[Problem], changes: list[Change], *, table: str | None = None
) -> Row:
    """``earlier`` with the cells of ``later`` (same id, a later folder) added; conflicts are problems.

    ``table`` is the template's name (``ptce.csv``); by default, the name of ``earlier``'s file.
    """
    cells = dict(earlier.cells)
    table = table or earlier.file.rsplit("/", 1)[-1]
    for column, value in later.cells.items():
        if column == "id" or not value:
            continue
        current = cells.get(column, "")
        if column in MULTI_VALUED:
            added = [v for v in _values(value) if v not in _values(current)]
            if added:
                cells[column] = "|".join([*_values(current), *added])
        elif not current:
            cells[column] = value
        elif current != value:
            problems.append(
                later.problem(
                    column,
                    f"{shown(value)} would replace {shown(current)} of {shown(earlier.get('id'))} "
                    f"({earlier.file}:{earlier.line}); "
                    "to change a value of an earlier folder, write a row in corrections.csv",
                )
            )
            continue
        else:
            continue
        changes.append(
            Change("enrichment", table, earlier.get("id"), column, current, cells[column], f"{later.file}:{later.line}")
        )
    return replace(earlier, cells=cells)


def apply_corrections(
    rows: dict[str, list[Row]],
    corrections: list[Row],
    problems: list[Problem],
    changes: list[Change],
    hint: Callable[[str, str], str] = lambda ident, table: "",
) -> None:
    """Apply the rows of ``corrections.csv`` to ``rows`` (by table name), in order, in place.

    ``hint(id, table)`` adds to the message about a row no folder holds (the ingest names the
    ``--include-shipped`` flag when the shipped data holds it).
    """
    for correction in corrections:
        table = correction.get("table")
        table = table if table.endswith(".csv") else f"{table}.csv"
        if table not in rows or table == CORRECTIONS:
            names = ", ".join(t.removesuffix(".csv") for t in rows if t != CORRECTIONS)
            unknown = shown(correction.get("table"))
            problems.append(correction.problem("table", f"unknown table {unknown}; one of {names}"))
            continue
        ident, column = correction.get("row"), correction.get("column")
        index = next((i for i, r in enumerate(rows[table]) if r.get("id") == ident), None)
        if index is None:
            problems.append(
                correction.problem("row", f"no row {shown(ident)} in {table} to correct{hint(ident, table)}")
            )
            continue
        target = rows[table][index]
        sources = tuple(_values(correction.get("sources")))
        where = f"{correction.file}:{correction.line}"
        if not sources:
            problems.append(correction.problem("sources", "a correction cites the source that states the new value"))
            continue
        if not column:
            del rows[table][index]
            folder_and_file = "/".join(target.file.replace("\\", "/").split("/")[-2:])  # no machine path
            changes.append(Change("retraction", table, ident, "", f"the row at {folder_and_file}:{target.line}", "",
                                  where, sources))  # fmt: skip
            continue
        if column not in target.cells or column == "id":
            problems.append(
                correction.problem("column", f"{shown(column)} is not a column of {table} that can be corrected")
            )
            continue
        old, new = correction.get("old_value"), correction.get("new_value")
        cell = target.get(column)
        if column in MULTI_VALUED:
            values = _values(cell)
            if old and old not in values:
                problems.append(correction.problem("old_value", f"{shown(old)} is not among the values of "
                                                   f"{ident}.{column}: {shown(cell)}"))  # fmt: skip
                continue
            values = [v for v in values if v != old] + ([new] if new and new not in values else [])
            after = "|".join(values)
        elif cell != old:
            problems.append(correction.problem("old_value", f"{ident}.{column} holds {shown(cell)}, not {shown(old)}"))
            continue
        else:
            after = new
        cells = dict(target.cells)
        cells[column] = after
        if "sources" in cells and column != "sources":
            cells["sources"] = "|".join(
                [*_values(cells["sources"]), *(s for s in sources if s not in cells["sources"])]
            )
        rows[table][index] = replace(target, cells=cells)
        kind = "retraction" if not new else "correction"
        changes.append(Change(kind, table, ident, column, cell, after, where, sources))
