"""The only module that knows where the ontology, shapes, queries and shipped data live.

In a source checkout or an editable install they are the top-level folders of the
repository; in an installed wheel they are packaged under ``ptce_graph/_data``.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

__all__ = [
    "alignments_file",
    "changelog_file",
    "dcat_ap_shapes_file",
    "essglobal_shapes_file",
    "essglobal_vocabulary_files",
    "frame_names",
    "frames_dir",
    "france_geometry_file",
    "geo_reference_dir",
    "jsonld_context_file",
    "murmurations_schemas_dir",
    "ontology_files",
    "page_asset",
    "queries_dir",
    "root",
    "shape_files",
    "shipped_data_dir",
]

_FOLDERS = ("ontology", "shapes", "queries", "data")


@cache
def root() -> Path:
    """The folder holding ``ontology/``, ``shapes/``, ``queries/`` and ``data/``.

    Examples
    --------
    >>> (root() / "ontology" / "ptce.ttl").is_file()
    True
    """
    packaged = Path(str(files("ptce_graph"))) / "_data"
    if all((packaged / name).is_dir() for name in _FOLDERS):
        return packaged
    checkout = Path(__file__).resolve().parent.parent
    if all((checkout / name).is_dir() for name in _FOLDERS):
        return checkout
    raise RuntimeError(  # a broken installation, not a user mistake
        f"ptce-graph cannot find its data folders {_FOLDERS} in {packaged} or {checkout}; reinstall the package"
    )


def ontology_files() -> list[Path]:
    """The ontology and its concept schemes, sorted (``ontology/**/*.ttl``).

    The alignment module is left out: it maps to other vocabularies and is not needed to
    validate or query the data.
    """
    folder = root() / "ontology"
    return sorted(p for p in folder.rglob("*.ttl") if p.name != "alignments.ttl")


def alignments_file() -> Path:
    """The alignment module (mappings to other vocabularies), published beside the ontology.

    Examples
    --------
    >>> alignments_file().name
    'alignments.ttl'
    """
    return root() / "ontology" / "alignments.ttl"


def shape_files() -> list[Path]:
    """Every SHACL shapes file, sorted (``shapes/*.ttl``)."""
    return sorted((root() / "shapes").glob("*.ttl"))


def queries_dir() -> Path:
    """The folder of canned SPARQL queries."""
    return root() / "queries"


def shipped_data_dir() -> Path:
    """The curated dataset shipped with ptce-graph."""
    return root() / "data"


def geo_reference_dir() -> Path:
    """The official INSEE COG 2026 and BANATIC EPCI files the build resolves codes against."""
    return root() / "data" / "reference" / "geo"


def jsonld_context_file() -> Path:
    """The curated JSON-LD context shipped with the package."""
    return Path(str(files("ptce_graph"))) / "context.jsonld"


def dcat_ap_shapes_file(*, recommended: bool = False) -> Path:
    """The DCAT-AP 3.0.1 SHACL shapes, vendored unchanged (see ``ptce_graph/_vendor/dcat_ap/README.md``):
    the release's shapes, or with ``recommended`` those of its recommended properties.

    Examples
    --------
    >>> dcat_ap_shapes_file().name, dcat_ap_shapes_file(recommended=True).name
    ('dcat-ap-SHACL.ttl', 'shapes_recommended.ttl')
    """
    name = "shapes_recommended.ttl" if recommended else "dcat-ap-SHACL.ttl"
    return Path(str(files("ptce_graph"))) / "_vendor" / "dcat_ap" / name


def france_geometry_file(name: str) -> Path:
    """A file of the vendored map of France (see ``ptce_graph/_vendor/france_geojson/README.md``):
    ``regions.geojson``, ``departements.geojson`` or ``communes.csv``.

    Examples
    --------
    >>> france_geometry_file("regions.geojson").is_file()
    True
    """
    return Path(str(files("ptce_graph"))) / "_vendor" / "france_geojson" / name


def changelog_file() -> Path:
    """``CHANGELOG.md``: the release date of each version (it may be absent from an install)."""
    return root() / "CHANGELOG.md"


def frames_dir() -> Path:
    """The JSON-LD frames shipped with the package (``ptce_graph/frames/*.jsonld``)."""
    return Path(str(files("ptce_graph"))) / "frames"


def frame_names() -> tuple[str, ...]:
    """The JSON-LD frames shipped with the package (``ptce_graph/frames/NAME.jsonld``), sorted.

    Examples
    --------
    >>> frame_names()
    ('ptce',)
    """
    return tuple(sorted(p.stem for p in frames_dir().glob("*.jsonld")))


def essglobal_vocabulary_files() -> list[Path]:
    """The ESSGLOBAL vocabulary and its SKOS code lists, vendored unchanged, sorted (see
    ``ptce_graph/_vendor/essglobal/README.md``).

    Examples
    --------
    >>> [p.name for p in essglobal_vocabulary_files()][:3]
    ['activities-ica.ttl', 'activities-modified.ttl', 'activities.ttl']
    """
    return sorted((Path(str(files("ptce_graph"))) / "_vendor" / "essglobal").glob("*.ttl"))


def essglobal_shapes_file() -> Path:
    """The SHACL shapes an ESSGLOBAL export is checked against (written from the vocabulary's
    domains, ranges and code lists).

    Examples
    --------
    >>> essglobal_shapes_file().is_file()
    True
    """
    return Path(str(files("ptce_graph"))) / "publish" / "essglobal-shapes.ttl"


def page_asset(name: str) -> Path:
    """A script or style sheet written inline into the project's HTML pages (``ptce_graph/_pages/``).

    Examples
    --------
    >>> page_asset("network.js").is_file()
    True
    """
    return Path(str(files("ptce_graph"))) / "_pages" / name


def murmurations_schemas_dir() -> Path:
    """The Murmurations schemas and fields, vendored unchanged (see ``ptce_graph/_vendor/murmurations/README.md``).

    Examples
    --------
    >>> (murmurations_schemas_dir() / "schemas" / "organizations_schema-v1.0.0.json").is_file()
    True
    """
    return Path(str(files("ptce_graph"))) / "_vendor" / "murmurations"
