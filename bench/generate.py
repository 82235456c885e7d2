"""Synthetic national-scale data in the project's own CSV templates, for the benchmark only.

Every row is invented: ids start with ``synth-``, labels say « synthétique », URLs point at
``https://example.org/synthetic/``, and the benchmark builds the folders with the base IRI
:data:`SYNTHETIC_BASE` (``https://w3id.org/ptce-graph/synthetic/``), so synthetic nodes can
never be mistaken for, or mixed with, the curated data of ``data/``. Only the territories are
real: communes and EPCIs are drawn from the shipped INSEE COG 2026 / BANATIC files.

The shapes are those a national observatory would see:

* PTCE sizes are skewed (Pareto): most PTCEs have a dozen known members, a few have hundreds;
* actors have a Pareto "activity", so hubs are members of many PTCEs, and 85 % of a PTCE's
  members come from its own région;
* memberships are dated over 2008-2025 (some open-ended, some renewed with a second period);
* ESS enterprises and firms carry valid SIREN and SIRET numbers (Luhn), associations an RNA;
* partnerships link actors that share a PTCE (10 % across PTCEs), fundings go from local
  authorities and State bodies to PTCEs and actors, national calls have laureates.

The same ``seed`` and size always give byte-identical files.

Examples
--------
>>> import tempfile, pathlib
>>> folder = generate(pathlib.Path(tempfile.mkdtemp()), ptces=3, seed=1)
>>> sorted(p.name for p in folder.iterdir())[:3]
['actors.csv', 'fundings.csv', 'laureates.csv']
"""

from __future__ import annotations

import argparse
import bisect
import csv
import io
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SIZES", "SYNTHETIC_BASE", "Size", "generate", "siren_with_check", "siret_with_check", "size_folder"]

#: Base IRI of every synthetic node (the curated data lives under ``https://w3id.org/ptce-graph/id/``).
SYNTHETIC_BASE = "https://w3id.org/ptce-graph/synthetic/"


@dataclass(frozen=True)
class Size:
    """A benchmark size: how many PTCEs, and roughly how many triples that makes."""

    name: str
    ptces: int
    triples: str


#: The sizes of the benchmark (actors = 10 per PTCE).
SIZES: dict[str, Size] = {
    "S": Size("S", 10, "about 10 k triples"),
    "M": Size("M", 100, "about 100 k triples"),
    "L": Size("L", 1000, "about 1 M triples"),
    "XL": Size("XL", 5000, "about 5 M triples"),
}

_ACTORS_PER_PTCE = 10
_YEARS = (2008, 2025)

_KINDS = (  # (actor-kind code, share)
    ("ess-enterprise", 0.50), ("enterprise", 0.22), ("enterprise-grouping", 0.01),
    ("local-authority", 0.10), ("research-centre", 0.03), ("higher-education", 0.02),
    ("training-organisation", 0.03), ("support-network", 0.03), ("financial-organisation", 0.01),
    ("state-body", 0.02), ("other", 0.02), ("unknown", 0.01),
)
_ESS_FAMILIES = ("association", "scop", "scic", "cae", "mutual", "foundation", "ess-commercial-company",
                 "agricultural-cooperative", "insertion-enterprise", "insertion-worksite", "esus",
                 "adapted-enterprise", "regie-de-territoire", "employers-group")
_LEGAL_FORMS = ("association", "scic", "scop", "cooperative", "ess-commercial-company")
_SECTORS = ("circular-economy", "insertion-employment", "sustainable-food", "culture-creative-industries",
            "digital", "mobility", "energy-renovation", "energy", "personal-services", "third-places",
            "solidarity-tourism", "training", "ess-incubation", "industrial-ecology", "construction",
            "logistics-transport", "green-spaces", "popular-education", "local-currency", "health")
_MODES = ("mutualisation", "cooperation", "partnership")
_ROLES = ("member", "member", "member", "member", "associate", "partner", "partner", "funder", "supporter",
          "client", "founder")
_PARTNERSHIP_TYPES = ("commercial", "institutional", "research", "event", "other")
_RESOURCE_TYPES = ("portrait", "guide", "report", "article", "video", "map", "evaluation")
_MUTUALISED = ("premises", "shared-employment", "equipment", "shared-services", "incubator")
_NOUNS = ("Coopérative", "Atelier", "Réseau", "Maison", "Fabrique", "Collectif", "Régie", "Entreprise",
          "Association", "Pôle", "Laboratoire", "Ressourcerie", "Société", "Groupement", "Agence")
_ADJECTIVES = ("solidaire", "des Deux Rives", "du Val", "d'Économie Circulaire", "Numérique", "Verte",
               "de l'Œuvre Commune", "des Savoirs", "du Littoral", "Alimentaire", "des Métiers", "Culturelle")


def size_folder(root: Path, size: str) -> Path:
    """The CSV folder of one size under ``root`` (``bench/out`` by default)."""
    return root / size / "data"


def _luhn_digit(body: str) -> str:
    """The check digit that makes ``body + digit`` pass the Luhn test."""
    total = 0
    for position, char in enumerate(reversed(body), start=1):
        value = int(char) * (2 if position % 2 == 1 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def siren_with_check(body: str) -> str:
    """A SIREN from its first 8 digits.

    Examples
    --------
    >>> siren_with_check("73282932")
    '732829320'
    """
    return body + _luhn_digit(body)


def siret_with_check(siren: str, nic: str) -> str:
    """A SIRET from a SIREN and the first 4 digits of the establishment number.

    Examples
    --------
    >>> siret_with_check("732829320", "0007")
    '73282932000074'
    """
    body = siren + nic
    return body + _luhn_digit(body)


class _Writer:
    """One CSV table, written with the csv module (quoting as spreadsheets do)."""

    def __init__(self, columns: Sequence[str]) -> None:
        self.columns = tuple(columns)
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\n")
        self.writer.writerow(self.columns)
        self.count = 0

    def row(self, **cells: object) -> None:
        unknown = set(cells) - set(self.columns)
        if unknown:
            raise KeyError(f"unknown columns {sorted(unknown)}")
        self.writer.writerow(["" if cells.get(c) is None else str(cells[c]) for c in self.columns])
        self.count += 1


def _columns() -> dict[str, tuple[str, ...]]:
    from ptce_graph.io.ingest import TABLES

    return TABLES


class _Picker:
    """Weighted choice without replacement helpers over a fixed population (bisect on cumulated weights)."""

    def __init__(self, items: Sequence[str], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))

    def pick(self, rng: random.Random) -> str:
        x = rng.random() * self.cumulative[-1]
        return self.items[bisect.bisect_right(self.cumulative, x)]


def _date(rng: random.Random, year: int, precise: bool) -> str:
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if precise else str(year)


def _period(rng: random.Random, first: int, *, open_share: float = 0.45) -> tuple[str, str]:
    """A start and (maybe) an end of the same precision, the start not after the end."""
    precise = rng.random() < 0.4
    start_year = rng.randint(first, _YEARS[1] - 1)
    start = _date(rng, start_year, precise)
    if rng.random() < open_share:
        return start, ""
    end_year = rng.randint(start_year, _YEARS[1])
    end = _date(rng, end_year, precise)
    if end < start:
        start, end = end, start
    return start, end


def generate(out: Path, *, ptces: int, seed: int = 2026) -> Path:
    """Write a synthetic data folder with ``ptces`` PTCEs (and ten times as many actors) to ``out``.

    Parameters
    ----------
    out
        The folder to write (created; existing CSV files are overwritten).
    ptces
        Number of PTCEs; the other tables scale with it (see :data:`SIZES`).
    seed
        The random seed: the same seed and size give byte-identical files.

    Returns
    -------
    Path
        ``out``.
    """
    from ptce_graph.model.geo import geo_reference

    rng = random.Random(seed)
    geo = geo_reference()
    tables = {name: _Writer(columns) for name, columns in _columns().items()}
    out.mkdir(parents=True, exist_ok=True)

    # -- territories: real communes, grouped by région; the PTCE seats are communes in an EPCI
    communes_by_region: dict[str, list[str]] = {}
    for code in sorted(geo.communes):
        commune = geo.communes[code]
        if commune.region in ("01", "02", "03", "04", "06") and rng.random() < 0.5:
            continue  # fewer overseas seats, as in reality
        communes_by_region.setdefault(commune.region, []).append(code)
    regions = sorted(communes_by_region)
    region_weight = [len(communes_by_region[r]) ** 0.5 for r in regions]
    region_picker = _Picker(regions, region_weight)
    seats = {r: [c for c in communes_by_region[r] if c in geo.epci_of_commune] or communes_by_region[r]
             for r in regions}

    # -- sources: one per PTCE and a few national ones
    sources = tables["sources.csv"]
    n_sources = max(5, ptces)
    for i in range(n_sources):
        sources.row(id=f"synth-src-{i:05d}", url=f"https://example.org/synthetic/source/{i}",
                    title=f"Source synthétique n° {i}", publisher="Générateur de données synthétiques",
                    date=str(rng.randint(2012, 2025)), type=rng.choice(("web-page", "report", "article", "dataset")),
                    note="Synthetic benchmark row: not real data.")

    def source_of(group: int) -> str:
        return f"synth-src-{group % n_sources:05d}"

    # -- other territories (a few PNR-like areas)
    territories = tables["territories.csv"]
    others = []
    for i in range(max(1, ptces // 20)):
        dep = rng.choice(sorted(geo.departements))
        ident = f"synth-territory-{i:04d}"
        others.append(ident)
        territories.row(id=ident, label=f"Territoire de projet synthétique {i}", within=f"departement:{dep}",
                        note="Synthetic.", sources=source_of(i))

    # -- support schemes: national calls and programmes
    schemes = tables["support_schemes.csv"]
    calls = []
    for year in (2013, 2015, 2021, 2023, 2025):
        ident = f"synth-call-{year}"
        calls.append((ident, year))
        schemes.row(id=ident, label=f"Appel national synthétique {year}", kind="call-for-projects",
                    is_national_call="yes", start=f"{year}-03", end=f"{year}-12", budget_eur=str(1_000_000 + year),
                    applications=str(50 + ptces // 5), laureates=str(max(1, ptces // 10)),
                    description="Synthetic national call.", confidence="high", sources=source_of(year))
    programmes = [f"synth-programme-{i}" for i in range(6)]
    for i, ident in enumerate(programmes):
        schemes.row(id=ident, label=f"Programme régional synthétique {i}", kind="regional-call",
                    is_national_call="no", start=str(2012 + i), budget_eur=str(250_000 * (i + 1)),
                    sources=source_of(i))
    schemes.row(id="synth-dla", label="Dispositif d'accompagnement synthétique", kind="local-support",
                is_national_call="no", sources=source_of(0))

    # -- actors, with a Pareto activity (hubs) and a home région
    actors = tables["actors.csv"]
    n_actors = ptces * _ACTORS_PER_PTCE
    kind_picker = _Picker([k for k, _ in _KINDS], [w for _, w in _KINDS])
    actor_ids: list[str] = []
    actor_kind: dict[str, str] = {}
    actor_region: dict[str, str] = {}
    activity: dict[str, float] = {}
    sirens: set[str] = set()
    for i in range(n_actors):
        ident = f"synth-actor-{i:06d}"
        kind = kind_picker.pick(rng)
        region = region_picker.pick(rng)
        commune = rng.choice(communes_by_region[region])
        cells: dict[str, object] = {
            "id": ident, "kind": kind, "based_in": f"commune:{commune}",
            "label": f"{rng.choice(_NOUNS)} {rng.choice(_ADJECTIVES)} {i}",
            "founded": str(rng.randint(1950, 2022)) if rng.random() < 0.8 else None,
            "confidence": rng.choice(("high", "high", "medium", "low")),
            "sources": source_of(i) + (f"|{source_of(i + 7)}" if rng.random() < 0.3 else ""),
        }
        if rng.random() < 0.15:
            cells["alt_labels"] = f"Ex-{cells['label']}"
        if kind == "ess-enterprise":
            families = rng.sample(_ESS_FAMILIES, rng.choice((1, 1, 1, 2)))
            cells["ess_families"] = "|".join(families)
            if "association" in families and rng.random() < 0.7:
                cells["rna"] = f"W{rng.randint(100000000, 999999999)}"
        if kind in ("ess-enterprise", "enterprise", "enterprise-grouping") and rng.random() < 0.85:
            while True:
                siren = siren_with_check(f"{rng.randint(10_000_000, 99_999_999)}")
                if siren not in sirens and not siren.startswith("356000000"):
                    sirens.add(siren)
                    break
            cells["siren"] = siren
            if rng.random() < 0.7:
                cells["siret"] = siret_with_check(siren, f"{rng.randint(1, 999):04d}")
        if kind == "local-authority":
            level = rng.choice(("commune", "commune", "epci", "departement", "region"))
            cells["authority_level"] = level
            if level == "commune":
                cells["governs"] = f"commune:{commune}"
            elif level == "epci" and commune in geo.epci_of_commune:
                cells["governs"] = f"epci:{geo.epci_of_commune[commune]}"
            elif level == "departement":
                cells["governs"] = f"departement:{geo.communes[commune].departement}"
            elif level == "region":
                cells["governs"] = f"region:{region}"
        if rng.random() < 0.2:
            cells["homepage"] = f"https://example.org/synthetic/actor/{i}"
        actors.row(**cells)
        actor_ids.append(ident)
        actor_kind[ident] = kind
        actor_region[ident] = region
        activity[ident] = rng.paretovariate(1.2)
    by_region: dict[str, list[str]] = {}
    for ident in actor_ids:
        by_region.setdefault(actor_region[ident], []).append(ident)
    pickers = {r: _Picker(ids, [activity[i] for i in ids]) for r, ids in by_region.items()}
    everyone = _Picker(actor_ids, [activity[i] for i in actor_ids])
    funders = [a for a in actor_ids if actor_kind[a] in ("local-authority", "state-body")] or actor_ids[:1]

    # -- PTCEs, with skewed sizes, and their memberships
    ptce_rows = tables["ptce.csv"]
    memberships = tables["memberships.csv"]
    ptce_ids: list[str] = []
    members_of: dict[str, list[str]] = {}
    ptce_region: dict[str, str] = {}
    m_count = 0
    for p in range(ptces):
        ident = f"synth-ptce-{p:05d}"
        region = region_picker.pick(rng)
        while region not in pickers:
            region = region_picker.pick(rng)
        seat = rng.choice(seats[region])
        territories_cell = [f"commune:{seat}"]
        if seat in geo.epci_of_commune:
            territories_cell.append(f"epci:{geo.epci_of_commune[seat]}")
        if others and rng.random() < 0.05:
            territories_cell.append(f"other:{rng.choice(others)}")
        founded = rng.randint(2005, 2023)
        ptce_rows.row(
            id=ident, label=f"PTCE synthétique {p} — {geo.communes[seat].label}",
            alt_labels=f"Pôle synthétique {p}" if rng.random() < 0.3 else None,
            territories="|".join(territories_cell), founded=str(founded) if rng.random() < 0.9 else None,
            legal_form=rng.choice(_LEGAL_FORMS) if rng.random() < 0.6 else None,
            sectors="|".join(rng.sample(_SECTORS, rng.randint(1, 3))),
            cooperation_modes="|".join(rng.sample(_MODES, rng.randint(1, 3))) if rng.random() < 0.95 else None,
            homepage=f"https://example.org/synthetic/ptce/{p}" if rng.random() < 0.5 else None,
            confidence="high", sources=source_of(p))
        ptce_ids.append(ident)
        ptce_region[ident] = region
        size = min(int(10 * rng.paretovariate(1.8)) + 4, n_actors // 2, 150)
        chosen: list[str] = []
        seen: set[str] = set()
        while len(chosen) < size:
            picker = pickers[region] if rng.random() < 0.85 else everyone
            actor = picker.pick(rng)
            if actor not in seen:
                seen.add(actor)
                chosen.append(actor)
        members_of[ident] = chosen
        for position, actor in enumerate(chosen):
            role = "carrying-structure" if position == 0 else rng.choice(_ROLES)
            periods = rng.choice((1, 1, 1, 1, 1, 1, 2, 2, 2, 3))
            first = max(founded, _YEARS[0])
            for _ in range(periods):
                start, end = _period(rng, first)
                memberships.row(id=f"synth-m-{m_count:07d}", organisation=ident, member=actor, role=role,
                                start=start if rng.random() < 0.93 else None, end=end or None,
                                confidence="high" if rng.random() < 0.8 else "medium",
                                sources=source_of(p))
                m_count += 1
                role = rng.choice(_ROLES)
                first = min(int(end[:4]) if end else _YEARS[1] - 1, _YEARS[1] - 1)

    # -- partnerships: mostly between co-members, 10 % across PTCEs
    partnerships = tables["partnerships.csv"]
    n_partnerships = int(n_actors * 2.5)
    pairs: set[tuple[str, str]] = set()
    for i in range(n_partnerships):
        if rng.random() < 0.9:
            group = members_of[rng.choice(ptce_ids)]
            if len(group) < 2:
                continue
            a, b = rng.sample(group, 2)
        else:
            a, b = everyone.pick(rng), everyone.pick(rng)
        if a == b:
            continue
        pair = (min(a, b), max(a, b))
        if pair in pairs:
            continue
        pairs.add(pair)
        start, end = _period(rng, _YEARS[0], open_share=0.6)
        partnerships.row(id=f"synth-partnership-{i:07d}", partners=f"{pair[0]}|{pair[1]}",
                         type=rng.choice(_PARTNERSHIP_TYPES), start=start if rng.random() < 0.8 else None,
                         end=end or None, sources=source_of(i))

    # -- fundings, supports, laureates, resources, mutualised resources
    fundings = tables["fundings.csv"]
    for i in range(ptces * 3):
        recipient = rng.choice(ptce_ids) if rng.random() < 0.6 else everyone.pick(rng)
        funder = rng.choice(funders)
        if funder == recipient:
            continue
        start, end = _period(rng, 2010, open_share=0.3)
        fundings.row(id=f"synth-funding-{i:06d}", funder=funder, recipient=recipient,
                     programme=rng.choice(programmes) if rng.random() < 0.5 else None,
                     amount_eur=str(rng.randint(5, 500) * 1000), start=start, end=end or None,
                     sources=source_of(i))
    supports = tables["supports.csv"]
    for i in range(ptces * 2):
        beneficiary = everyone.pick(rng)
        supporter = rng.choice(ptce_ids)
        start, end = _period(rng, 2015, open_share=0.5)
        supports.row(id=f"synth-support-{i:06d}", scheme="synth-dla", supporter=supporter,
                     beneficiary=beneficiary, start=start, end=end or None, sources=source_of(i))
    laureates = tables["laureates.csv"]
    for call, year in calls:
        for p in rng.sample(ptce_ids, max(1, ptces // 10)):
            laureates.row(id=f"{call}-{p}", call=call, laureate=p, date=f"{year + 1}-01-{rng.randint(10, 28)}",
                          phase=rng.choice(("", "phase 1", "phase 2")) or None,
                          amount_eur=str(rng.randint(20, 290) * 1000), sources=source_of(year))
    resources = tables["resources.csv"]
    for i in range(max(3, ptces // 4)):
        about = "|".join(rng.sample(ptce_ids, min(len(ptce_ids), rng.randint(1, 3))))
        resources.row(id=f"synth-resource-{i:05d}", title=f"Document synthétique {i}",
                      type=rng.choice(_RESOURCE_TYPES), publishers=rng.choice(actor_ids),
                      issued=str(rng.randint(2012, 2025)), urls=f"https://example.org/synthetic/resource/{i}",
                      about=about, description="Synthetic resource.", sources=source_of(i))
    mutualised = tables["mutualised_resources.csv"]
    for i, p in enumerate(ptce_ids):
        for j in range(rng.choice((0, 0, 1, 1, 2))):
            start, end = _period(rng, 2008, open_share=0.8)
            mutualised.row(id=f"synth-mutualised-{i:05d}-{j}", label=f"Ressource partagée synthétique {i}-{j}",
                           type=rng.choice(_MUTUALISED), shared_by=p, operated_by=members_of[p][0],
                           located_in=f"commune:{rng.choice(communes_by_region[ptce_region[p]])}",
                           area_m2=str(rng.randint(50, 5000)) if rng.random() < 0.5 else None,
                           start=start, end=end or None, sources=source_of(i))

    for name, table in tables.items():
        (out / name).write_text(table.buffer.getvalue(), encoding="utf-8")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bench.generate --size M [--seed N] [--out DIR]``."""
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    args = parser.parse_args(argv)
    folder = generate(size_folder(args.out, args.size), ptces=SIZES[args.size].ptces, seed=args.seed)
    print(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
