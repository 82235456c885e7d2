"""Metric tables: rows of plain Python values, printed as text, CSV, JSON or a workbook, or as a DataFrame."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ptce_graph._version import __version__
from ptce_graph.errors import InputError
from ptce_graph.io.cells import printable, safe_cell
from ptce_graph.io.spreadsheet import Sheet, about_sheet, excel_csv, xlsx_bytes

__all__ = ["DECIMALS", "TABLE_FORMATS", "MetricTable"]

#: Text formats a table can be written in (:meth:`MetricTable.to_xlsx` writes a workbook).
TABLE_FORMATS = ("table", "csv", "csv-excel", "json")

Value = str | int | float | bool | None


#: Floats are rounded to this many decimal places: the digits beyond are floating-point noise
#: that would differ between machines (0.6000000000000001 becomes 0.6).
DECIMALS = 12


def _clean(value: Any) -> Value:
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return round(value, DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
    return value


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


@dataclass(frozen=True)
class MetricTable:
    """One row per node, PTCE, network or snapshot, with fixed columns.

    Missing values are ``None`` (NaN and infinities are turned into ``None``): an empty cell in
    CSV, ``null`` in JSON, ``<NA>`` in a DataFrame. Floats are rounded to :data:`DECIMALS`
    decimal places. ``meta`` records what was computed: the
    view, the level, the time window and the parameters.

    Examples
    --------
    >>> t = MetricTable(("node", "degree"), [{"node": "urn:a", "degree": 2}], {"level": "actor"})
    >>> print(t.to_csv(), end="")
    node,degree
    urn:a,2
    >>> t.column("degree")
    [2]
    """

    columns: tuple[str, ...]
    rows: list[dict[str, Value]]
    meta: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for row in self.rows:
            missing = set(self.columns) - set(row)
            if missing:
                raise ValueError(f"row lacks columns {sorted(missing)}")
            for key in self.columns:
                row[key] = _clean(row[key])

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Value]]:
        return iter(self.rows)

    def column(self, name: str) -> list[Value]:
        """Every value of one column."""
        if name not in self.columns:
            raise InputError(f"no column '{name}'; columns: {', '.join(self.columns)}")
        return [row[name] for row in self.rows]

    def by(self, key: str) -> dict[Value, dict[str, Value]]:
        """The rows indexed by the value of column ``key`` (e.g. ``table.by("node")[iri]``)."""
        return {row[key]: row for row in self.rows}

    def to_records(self) -> list[dict[str, Value]]:
        """The rows as a list of dicts (copies), columns in order."""
        return [{c: row[c] for c in self.columns} for row in self.rows]

    def to_dataframe(self) -> Any:
        """A pandas DataFrame with one dtype per column, whatever the view, window or data (needs pandas).

        IRIs and labels are ``string``, actor kinds and views ``category`` (every code a
        category), counts ``Int64``, measures ``Float64``, yes/no columns ``boolean``, dates
        ``datetime64[ns]``; missing values are ``<NA>`` (``NaT`` for dates). The type of every
        column is in :mod:`ptce_graph.network.dtypes` and docs/metrics.md (§7). ``attrs``
        holds :attr:`meta`.

        Examples
        --------
        >>> t = MetricTable(("node", "kind", "degree", "betweenness"), [{"node": "urn:a", "kind": "person",
        ...     "degree": 2, "betweenness": 0.0}])
        >>> t.to_dataframe().dtypes.astype(str).tolist()
        ['string', 'category', 'Int64', 'Float64']
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise InputError("to_dataframe() needs pandas: pip install pandas") from exc
        from ptce_graph.network.dtypes import series

        frame = pd.DataFrame({name: series(name, self.column(name)) for name in self.columns}, columns=self.columns)
        frame.attrs.update(dict(self.meta))
        return frame

    def to_csv(self) -> str:
        """CSV text: a header row, then one line per row (floats in full precision)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow([safe_cell(_text(row[c])) for c in self.columns])
        return buffer.getvalue()

    def to_excel_csv(self) -> str:
        """CSV as Excel reads it in French settings: byte-order mark, ``;``, CRLF, decimal commas
        (:func:`~ptce_graph.io.spreadsheet.excel_csv`).

        Examples
        --------
        >>> MetricTable(("node", "share"), [{"node": "urn:a", "share": 0.25}]).to_excel_csv()
        '\\ufeffnode;share\\r\\nurn:a;0,25\\r\\n'
        """
        return excel_csv(self.columns, ([row[c] for c in self.columns] for row in self.rows))

    def to_xlsx(self, *, about: Mapping[str, str] | None = None) -> bytes:
        """An ``.xlsx`` workbook: a ``metrics`` sheet of typed cells (numbers as numbers, yes/no
        as logical values, texts as text, never formulas) and an ``about`` sheet of :attr:`meta`
        and ``about`` (the command line adds the graph it loaded)
        (:func:`~ptce_graph.io.spreadsheet.xlsx_bytes`). The same table gives the same bytes.

        Examples
        --------
        >>> import io, openpyxl
        >>> book = openpyxl.load_workbook(io.BytesIO(MetricTable(("node", "degree"), [{"node": "urn:a", "degree": 2}],
        ...     {"view": "ptce"}).to_xlsx()))
        >>> list(book["metrics"].values), list(book["about"].values)[1]
        ([('node', 'degree'), ('urn:a', 2)], ('view', 'ptce'))
        """
        rows = [[row[c] for c in self.columns] for row in self.rows]
        items = {**self.meta, "rows": str(len(self.rows)), **(about or {}), "software": f"ptce-graph {__version__}"}
        return xlsx_bytes([Sheet("metrics", self.columns, rows), about_sheet(items)])

    def to_json(self) -> str:
        """JSON text: ``{"meta": {...}, "columns": [...], "rows": [{...}, ...]}``."""
        return (
            json.dumps(
                {"meta": dict(self.meta), "columns": list(self.columns), "rows": self.to_records()},
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )

    def to_text(self, *, digits: int = 4, width: int = 40) -> str:
        """An aligned text table for the terminal (floats rounded, long cells cut)."""

        def cell(value: Value) -> str:
            if isinstance(value, float):
                return f"{value:.{digits}f}"
            text = printable(_text(value))
            return text if len(text) <= width else text[: width - 1] + "…"

        cells = [[cell(row[c]) for c in self.columns] for row in self.rows]
        widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(self.columns)]

        def line(values: list[str]) -> str:
            return "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()

        out = [line(list(self.columns)), line(["-" * w for w in widths])] + [line(r) for r in cells]
        out.append(f"({len(self.rows)} row{'s' if len(self.rows) != 1 else ''})")
        return "\n".join(out) + "\n"

    def serialize(self, fmt: str = "table") -> str:
        """The table as ``table``, ``csv``, ``csv-excel`` or ``json`` text."""
        if fmt == "table":
            return self.to_text()
        if fmt == "csv":
            return self.to_csv()
        if fmt == "csv-excel":
            return self.to_excel_csv()
        if fmt == "json":
            return self.to_json()
        raise InputError(f"unknown table format '{fmt}'; choose one of {', '.join(TABLE_FORMATS)}")

    @classmethod
    def concat(cls, tables: Sequence[MetricTable], meta: Mapping[str, str] | None = None) -> MetricTable:
        """One table from several with the same columns (e.g. yearly snapshots)."""
        if not tables:
            raise InputError("no table to concatenate")
        columns = tables[0].columns
        rows = [dict(row) for t in tables for row in t.rows]
        return cls(columns, rows, dict(meta if meta is not None else tables[0].meta))
