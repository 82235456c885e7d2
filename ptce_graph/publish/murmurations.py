"""Murmurations profiles: one JSON document per organisation, checked against the published schemas.

In the Murmurations protocol an organisation (or a third party such as ptce-graph) publishes a
profile, a JSON document at a URL of its own, and registers that URL with the index
(``POST /v2/nodes`` with ``{"profile_url": …}``); maps and directories then read the index and
fetch the profiles. So the export is a folder of files, one ``<id>.json`` per organisation
(the id of its row in ``ptce.csv`` or ``actors.csv``), to be put on a web server and
registered one URL each.

Each profile links ``organizations_schema-v1.0.0`` and is checked, before anything is written,
against it and against the index's default schema (:mod:`ptce_graph.check.murmurations`).
Its fields:

``name``
    the organisation's label;
``primary_url``
    its homepage, when it has one no other exported organisation shares; else its ptce-graph
    IRI (a page about it, the same IRI as ``unique_id``);
``unique_id``, ``urls``
    the IRI; ``urls`` also holds the homepage and the Wikidata entity when known;
``tags``
    the French labels of the SKOS concepts that classify it (actor kind, sectors, ESS family
    and legal form, cooperation modes; "Pôle territorial de coopération économique (PTCE)" for a PTCE);
``starts_at``
    the founding date as a Unix timestamp, 1 January (or the 1st of the month) when only the
    year (or month) is known, as the field's documentation asks;
``locality``, ``region``, ``country_iso_3166``
    its commune and région when one alone is known (fields of the default schema), ``FR``
    when it has a French place;
``geolocation``
    ``lat`` and ``lon`` of its commune's representative point on the vendored map
    (:func:`~.places.commune_point`, 3 decimals) when its commune alone is known: where the
    commune is, not the organisation's own location, which the field asks for and the graph
    does not hold;
``relationships``
    what it says of other exported organisations (see :mod:`.directory`): ``predicate_url``
    the IRI of the role (``…/concept/role/founder``) or of the partnership type,
    ``object_url`` the other organisation's ``primary_url``.

No email, telephone or address: the graph holds none; no coordinates but the commune's point.
Natural persons have no profile.

Examples
--------
>>> profiles = murmurations_profiles()
>>> p = profiles["pole-sud"]
>>> p["linked_schemas"], p["name"], p["locality"], p["starts_at"]
(['organizations_schema-v1.0.0'], 'Pôle Sud (Groupe Archer)', 'Romans-sur-Isère', 1167609600)
>>> p["geolocation"]  # the point of the commune of Romans-sur-Isère
{'lat': 45.055, 'lon': 5.038}
>>> from ptce_graph.check.murmurations import profile_errors
>>> profile_errors(p)
()
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph

from ptce_graph.check.murmurations import ORGANIZATIONS_SCHEMA, profile_errors
from ptce_graph.errors import InputError, Problem
from ptce_graph.graph import PtceGraph
from ptce_graph.io.atomic import atomic_folder
from ptce_graph.io.serialize import json_document
from ptce_graph.publish.directory import Directory, Organisation, directory
from ptce_graph.publish.places import commune_point

__all__ = ["MurmurationsExport", "murmurations_profiles", "primary_urls", "profile_bytes", "write_murmurations"]


def _timestamp(date: str) -> int | None:
    """A founding date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) as a Unix timestamp (UTC).

    Examples
    --------
    >>> _timestamp("2007"), _timestamp("2010-10"), _timestamp("2013-02-19")
    (1167609600, 1285891200, 1361232000)
    """
    parts = date.split("-")
    try:
        day = dt.datetime(
            int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1, tzinfo=dt.UTC
        )
    except (ValueError, IndexError):
        return None
    return int(day.timestamp())


def primary_urls(found: Directory) -> dict[str, str]:
    """Each organisation's ``primary_url``: its homepage unless another organisation has it too,
    else its IRI."""
    shared = Counter(org.homepage for org in found.organisations if org.homepage)
    return {
        org.iri: org.homepage if org.homepage and shared[org.homepage] == 1 else org.iri for org in found.organisations
    }


def _profile(org: Organisation, found: Directory, urls: dict[str, str]) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "linked_schemas": [ORGANIZATIONS_SCHEMA],
        "name": org.name,
        "primary_url": urls[org.iri],
        "unique_id": org.iri,
    }
    links = [("homepage", org.homepage), ("ptce-graph", org.iri), ("wikidata", org.wikidata)]
    profile["urls"] = [{"name": name, "url": url} for name, url in links if url]
    tags = sorted({found.labels[c] for c in org.concepts if c in found.labels})
    if tags:
        profile["tags"] = tags
    started = _timestamp(org.founded) if org.founded else None
    if started is not None:
        profile["starts_at"] = started
    if org.locality:
        profile["locality"] = org.locality
    if org.region:
        profile["region"] = org.region
    point = commune_point(org.commune)
    if point is not None:
        profile["geolocation"] = {"lat": point.latitude, "lon": point.longitude}
    if org.locality or org.departement or org.region:
        profile["country_iso_3166"] = "FR"
    relationships = [
        {"predicate_url": r.predicate, "object_url": urls[r.object]} for r in found.relationships_of(org.iri)
    ]
    if relationships:
        profile["relationships"] = relationships
    return profile


def murmurations_profiles(source: PtceGraph | Graph | None = None) -> dict[str, dict[str, Any]]:
    """The profile of each organisation of a graph (default: the shipped data), by id, sorted."""
    found = directory(source)
    urls = primary_urls(found)
    return {org.slug: _profile(org, found, urls) for org in found.organisations}


def profile_bytes(profile: dict[str, Any]) -> bytes:
    """A profile as written: UTF-8 JSON, keys sorted, two-space indent, final newline."""
    return json_document(profile, sort_keys=True)


@dataclass(frozen=True)
class MurmurationsExport:
    """What :func:`write_murmurations` wrote: the folder, the profiles, their relationships, and
    how many have a ``geolocation`` (the point of their commune)."""

    path: Path
    profiles: int
    relationships: int
    with_point: int = 0

    def summary(self) -> str:
        """One line for the terminal.

        Examples
        --------
        >>> done = MurmurationsExport(Path("build/murmurations"), 442, 396, 97)
        >>> print(done.summary())  # doctest: +NORMALIZE_WHITESPACE
        wrote build/murmurations: 442 Murmurations profiles (organizations_schema-v1.0.0, all valid),
        396 relationships, 97 with the point of their commune
        """
        return (
            f"wrote {self.path}: {self.profiles} Murmurations profiles ({ORGANIZATIONS_SCHEMA}, all valid), "
            f"{self.relationships} relationships, {self.with_point} with the point of their commune"
        )


def _check_folder(path: Path) -> None:
    """Refuse a folder holding anything but Murmurations profiles: it is replaced whole."""
    if not path.is_dir():
        return
    for entry in sorted(path.iterdir()):
        profile = None
        if entry.suffix == ".json" and entry.is_file() and not entry.is_symlink():
            try:
                profile = json.loads(entry.read_bytes())
            except (ValueError, OSError):
                profile = None
        if not isinstance(profile, dict) or "linked_schemas" not in profile:
            raise InputError.at(
                path,
                f"holds '{entry.name}', which is not a Murmurations profile: the folder of profiles is "
                "replaced whole; give a folder of its own (e.g. --out build/murmurations)",
            )


def write_murmurations(source: PtceGraph | Graph | None, path: Path) -> MurmurationsExport:
    """Write one profile per organisation into the folder ``path``, replacing its previous profiles.

    Every profile is checked against the vendored schemas first; when one fails, nothing is
    written and the error lists each failure. The folder is replaced as a whole (a profile of
    an organisation no longer in the graph disappears), so it must hold profiles only.

    Raises
    ------
    InputError
        A profile fails the schemas (a name longer than 200 characters, a homepage that is
        not an http(s) URL...), or ``path`` holds other files.
    """
    profiles = murmurations_profiles(source)
    files = {slug: f"{slug}.json" for slug in profiles}
    problems = [
        Problem(files[slug], message) for slug, profile in profiles.items() for message in profile_errors(profile)
    ]
    if problems:
        raise InputError(
            f"{len({p.file for p in problems})} Murmurations profile(s) would be refused by the index; "
            "nothing was written",
            problems,
        )
    _check_folder(path)
    with atomic_folder(path, carry=False) as folder:
        for slug, profile in profiles.items():
            (folder / f"{slug}.json").write_bytes(profile_bytes(profile))
    return MurmurationsExport(
        path,
        len(profiles),
        sum(len(p.get("relationships", ())) for p in profiles.values()),
        sum(1 for p in profiles.values() if "geolocation" in p),
    )
