"""French territories from the official reference files: INSEE COG 2026 and DGCL BANATIC EPCI.

A researcher writes ``commune:26281`` or ``epci:200068781`` in a CSV; this module resolves the
code against ``data/reference/geo/`` and gives the label, département, région and EPCI, so no
territory has to be typed by hand. Every territory keeps its INSEE code (or SIREN for an EPCI)
and the vintage of the file it comes from.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from pathlib import Path

from ptce_graph.resources import geo_reference_dir

__all__ = [
    "COG_YEAR",
    "EPCI_YEAR",
    "Commune",
    "Epci",
    "GeoReference",
    "geo_reference",
]

#: Vintage of the INSEE Code officiel géographique shipped in ``data/reference/geo``.
COG_YEAR = "2026"
#: Vintage of the DGCL BANATIC list of EPCI à fiscalité propre (``epcicom``).
EPCI_YEAR = "2025"


@dataclass(frozen=True)
class Commune:
    """A commune of the COG (``TYPECOM=COM``)."""

    code: str
    label: str
    departement: str
    region: str


@dataclass(frozen=True)
class Epci:
    """An EPCI à fiscalité propre and the INSEE codes of its member communes."""

    siren: str
    label: str
    nature: str
    communes: frozenset[str]


def _columns(path: Path, *names: str) -> Iterator[tuple[str, ...]]:
    """The named columns of each row of a reference file (plain tuples: the communes file has
    tens of thousands of rows, which dictionaries per row would make five times slower to read)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        header = next(rows)
        picked = itemgetter(*(header.index(name) for name in names))
        for row in rows:
            yield picked(row)


class GeoReference:
    """The territory reference, loaded once from ``data/reference/geo``.

    Examples
    --------
    >>> ref = geo_reference()
    >>> ref.communes["26281"].label, ref.region_of_departement["26"]
    ('Romans-sur-Isère', '84')
    >>> ref.epci["200068781"].nature
    'CA'
    >>> ref.epci_of_commune["26281"]
    '200068781'
    """

    def __init__(self, folder: Path) -> None:
        self.regions: dict[str, str] = dict(_columns(folder / "regions.csv", "REG", "LIBELLE"))  # type: ignore[arg-type]
        self.departements: dict[str, str] = {}
        self.region_of_departement: dict[str, str] = {}
        for dep, reg, label in _columns(folder / "departements.csv", "DEP", "REG", "LIBELLE"):
            self.departements[dep], self.region_of_departement[dep] = label, reg
        self.communes: dict[str, Commune] = {}
        #: arrondissements, delegated and associated communes: code -> (type, label, parent code)
        self.sub_communes: dict[str, tuple[str, str, str]] = {}
        for kind, code, dep, reg, label, parent in _columns(
            folder / "communes.csv", "TYPECOM", "COM", "DEP", "REG", "LIBELLE", "COMPARENT"
        ):
            if kind == "COM":
                self.communes[code] = Commune(code, label, dep, reg)
            else:
                self.sub_communes[code] = (kind, label, parent)
        members: dict[str, set[str]] = {}
        heads: dict[str, tuple[str, str]] = {}
        self.epci_of_commune: dict[str, str] = {}
        for siren, name, nature, insee in _columns(
            folder / "epci_communes.csv", "siren", "raison_sociale", "nature_juridique", "insee"
        ):
            heads[siren] = (name, nature)
            members.setdefault(siren, set()).add(insee)
            self.epci_of_commune[insee] = siren
        self.epci: dict[str, Epci] = {
            siren: Epci(siren, label, nature, frozenset(members[siren])) for siren, (label, nature) in heads.items()
        }
        #: former commune codes -> (date, new code, new label) from the COG's list of changes
        self.moves: dict[str, tuple[str, str, str]] = {}
        for before, after, kind_after, date, label_after in _columns(
            folder / "mouvements-communes.csv", "COM_AV", "COM_AP", "TYPECOM_AP", "DATE_EFF", "LIBELLE_AP"
        ):
            if before != after and kind_after == "COM":
                known = self.moves.get(before)
                if known is None or date > known[0]:
                    self.moves[before] = (date, after, label_after)

    def why_unknown_commune(self, code: str) -> str:
        """A helpful explanation of why ``code`` is not a current commune of the COG."""
        if code in self.sub_communes:
            kind, label, parent = self.sub_communes[code]
            kinds = {
                "ARM": "a municipal arrondissement",
                "COMD": "a delegated commune",
                "COMA": "an associated commune",
            }
            parent_label = self.communes[parent].label if parent in self.communes else parent
            return f"{code} ({label}) is {kinds.get(kind, kind)} of {parent} ({parent_label}); use commune:{parent}"
        if code in self.moves:
            date, new, label = self.moves[code]
            if new in self.communes:
                return (
                    f"{code} no longer exists in COG {COG_YEAR}: it became {new} ({label}) on {date}; use commune:{new}"
                )
        return f"no commune {code} in the INSEE COG {COG_YEAR}"

    def epci_within(self, siren: str) -> tuple[str | None, str | None]:
        """The département and région wholly containing an EPCI, or ``None`` when it spans several."""
        communes = [self.communes[c] for c in self.epci[siren].communes if c in self.communes]
        deps = {c.departement for c in communes}
        regs = {c.region for c in communes}
        return (next(iter(deps)) if len(deps) == 1 else None, next(iter(regs)) if len(regs) == 1 else None)


@cache
def geo_reference() -> GeoReference:
    """The shipped territory reference (loaded once per process)."""
    return GeoReference(geo_reference_dir())
