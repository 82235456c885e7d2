"""The canned SPARQL queries of ``queries/``: one ``.rq`` file each, with a ``#+`` YAML header.

A header looks like this (the file name, without ``.rq``, is the query id)::

    #+ summary: Members of a given PTCE
    #+ description: >
    #+   One row per membership ...
    #+ tags: [membership]
    #+ params:
    #+   - name: ptce
    #+     type: iri
    #+     required: true
    #+     doc: the PTCE, e.g. pg:ptce/tetris
    #+ returns: [member, memberLabel, kind, role, start, end]

Parameter types: ``iri``, ``string``, ``integer``, ``decimal``, ``date``, ``year``,
``boolean``; ``multiple: true`` makes a list (bound as a multi-row ``VALUES`` block).
An ``iri`` parameter names an entity: ``class`` (a CURIE or a list of them) says of which
class (or subclass) it must be in the graph queried; without it, any subject of the graph.
A malformed header is an error, never silently empty metadata.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ptce_graph.errors import InputError
from ptce_graph.model.namespaces import PREFIXES
from ptce_graph.query.text import query_form
from ptce_graph.resources import queries_dir
from ptce_graph.suggest import did_you_mean

__all__ = ["PARAM_TYPES", "CannedQuery", "Param", "get_query", "load_catalog", "parse_canned_query"]

PARAM_TYPES = ("iri", "string", "integer", "decimal", "date", "year", "boolean")
_HEADER_KEYS = {"summary", "description", "tags", "params", "returns"}
_PARAM_KEYS = {"name", "type", "required", "default", "doc", "multiple", "class"}

#: libyaml's safe loader where PyYAML was built with it (ten times faster than the pure-Python one)
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Param:
    """One declared parameter of a canned query."""

    name: str
    type: str
    required: bool = False
    default: Any = None
    doc: str = ""
    multiple: bool = False
    #: For an ``iri`` parameter, the classes (CURIEs) an entity it names may have; () for any.
    classes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The declaration as JSON values (``class`` as a list of CURIEs, for ``iri`` parameters)."""
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "required": self.required,
            "multiple": self.multiple,
            "default": self.default,
            "doc": self.doc,
        }
        if self.type == "iri":
            out["class"] = list(self.classes)
        return out


@dataclass(frozen=True)
class CannedQuery:
    """A canned query: its id, metadata and SPARQL text."""

    id: str
    path: Path
    summary: str
    description: str
    tags: tuple[str, ...]
    params: tuple[Param, ...]
    returns: tuple[str, ...]
    text: str
    form: str

    def param(self, name: str) -> Param:
        """The declared parameter called ``name``."""
        for param in self.params:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.params) or "none"
        hint = did_you_mean(name, [p.name for p in self.params])
        raise InputError(f"query '{self.id}' has no parameter '{name}'{hint} (parameters: {known})")

    def to_json(self) -> dict[str, Any]:
        """The query's metadata as JSON values, for ``query --list --format json``.

        Examples
        --------
        >>> entry = get_query("ptce_members").to_json()
        >>> entry["id"], entry["params"][0]["name"], entry["params"][0]["class"], entry["returns"][:2]
        ('ptce_members', 'ptce', ['ptce:PTCE', 'ptce:EuropeanCooperativeCluster'], ['membership', 'member'])
        """
        return {
            "id": self.id,
            "summary": self.summary,
            "description": self.description,
            "tags": list(self.tags),
            "form": self.form,
            "params": [param.to_json() for param in self.params],
            "returns": list(self.returns),
        }


def parse_canned_query(path: Path) -> CannedQuery:
    """Read one ``.rq`` file and its header.

    Raises
    ------
    InputError
        When the header is not valid YAML, lacks a summary, or declares a parameter badly.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError.at(path, f"cannot read query: {exc.strerror or exc}") from exc
    header_lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            header_lines.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif line.strip() and not line.startswith("#"):
            break
    try:
        header = yaml.load("\n".join(header_lines), Loader=_SAFE_LOADER) if header_lines else None
    except yaml.YAMLError as exc:
        raise InputError.at(path, f"malformed '#+' YAML header: {' '.join(str(exc).split())}") from exc
    if not isinstance(header, dict) or not header.get("summary"):
        raise InputError.at(path, "the '#+' header must be a YAML mapping with at least 'summary'")
    unknown = set(header) - _HEADER_KEYS
    if unknown:
        raise InputError.at(path, f"unknown header key(s) {sorted(unknown)}; known: {sorted(_HEADER_KEYS)}")
    params = []
    for raw in header.get("params") or []:
        if not isinstance(raw, dict) or "name" not in raw or set(raw) - _PARAM_KEYS:
            raise InputError.at(path, f"bad parameter declaration {raw!r}: keys are {sorted(_PARAM_KEYS)}")
        if raw.get("type", "string") not in PARAM_TYPES:
            raise InputError.at(
                path, f"parameter '{raw['name']}' has unknown type {raw.get('type')!r}; types: {', '.join(PARAM_TYPES)}"
            )
        classes = raw.get("class") or []
        classes = [classes] if isinstance(classes, str) else classes
        if not isinstance(classes, list) or not all(isinstance(c, str) and _is_curie(c) for c in classes):
            raise InputError.at(path, f"parameter '{raw['name']}': 'class' must be a CURIE or a list of CURIEs")
        if classes and raw.get("type") != "iri":
            raise InputError.at(path, f"parameter '{raw['name']}': only an iri parameter has a 'class'")
        params.append(
            Param(
                name=str(raw["name"]),
                type=str(raw.get("type", "string")),
                required=bool(raw.get("required", False)),
                default=raw.get("default"),
                doc=str(raw.get("doc", "")),
                multiple=bool(raw.get("multiple", False)),
                classes=tuple(classes),
            )
        )
    returns = header.get("returns") or []
    if not isinstance(returns, list):
        raise InputError.at(path, "'returns' must be a list of column names")
    return CannedQuery(
        id=path.stem,
        path=path,
        summary=" ".join(str(header["summary"]).split()),
        description=str(header.get("description") or "").strip(),
        tags=tuple(str(t) for t in header.get("tags") or ()),
        params=tuple(params),
        returns=tuple(str(r) for r in returns),
        text=text,
        form=query_form(text),
    )


def _is_curie(text: str) -> bool:
    prefix, sep, local = text.partition(":")
    return bool(sep and local) and prefix in PREFIXES


@cache
def _catalog(folder: Path) -> dict[str, CannedQuery]:
    return {path.stem: parse_canned_query(path) for path in sorted(folder.glob("*.rq"))}


def load_catalog(folder: Path | None = None) -> dict[str, CannedQuery]:
    """Every canned query of ``folder`` (default: the shipped ``queries/``), by id."""
    return dict(_catalog(folder or queries_dir()))


def get_query(name: str) -> CannedQuery:
    """The canned query ``name``; the error lists the known ids."""
    catalog = load_catalog()
    try:
        return catalog[name]
    except KeyError:
        raise InputError(
            f"no canned query '{name}'{did_you_mean(name, catalog)} "
            f"(run 'ptce-graph query --list'; known: {', '.join(catalog)})"
        ) from None
