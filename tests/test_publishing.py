"""What a reuser reads first: the licences (code and data) and how to cite, kept in step with
the package's metadata and the dataset's own description."""

from __future__ import annotations

import importlib.metadata
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from ptce_graph._version import __version__

ROOT = Path(__file__).resolve().parents[1]
ETALAB = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_code_and_the_data_each_have_their_licence_file() -> None:
    code = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert code.startswith("MIT License") and "ptce-graph contributors" in code
    data = (ROOT / "data" / "LICENCE.md").read_text(encoding="utf-8")
    # both official texts, French and English, follow the preamble
    assert "# LICENCE OUVERTE 2.0/OPEN LICENCE 2.0" in data and "# OPEN LICENCE 2.0/LICENCE OUVERTE 2.0" in data
    assert "La présente licence est régie par le droit français." in data
    assert "This licence is governed by French law." in data


#: The package's licence expression (PEP 639): the code, the data, then the vendored files' own licences.
LICENCE_EXPRESSION = "MIT AND etalab-2.0 AND CC-BY-4.0 AND CC-BY-3.0 AND GPL-3.0-only"
#: The files that state those licences.
LICENCE_FILES = {
    "LICENSE",
    "data/LICENCE.md",
    "ptce_graph/_vendor/dcat_ap/README.md",
    "ptce_graph/_vendor/essglobal/README.md",
    "ptce_graph/_vendor/france_geojson/README.md",
    "ptce_graph/_vendor/murmurations/LICENSE",
}


def test_pyproject_declares_both_licences_pep_639() -> None:
    project = _pyproject()["project"]
    assert project["license"] == LICENCE_EXPRESSION
    assert all((ROOT / name).is_file() for name in project["license-files"])
    assert set(project["license-files"]) == LICENCE_FILES
    assert "CC-BY 4.0" in (ROOT / "ptce_graph/_vendor/dcat_ap/README.md").read_text(encoding="utf-8")
    assert "license" not in " ".join(project.get("classifiers", [])).lower()  # PEP 639: no licence classifiers


def test_the_installed_metadata_carries_the_licence_expression() -> None:
    metadata = importlib.metadata.metadata("ptce-graph")
    assert metadata["License-Expression"] == LICENCE_EXPRESSION
    assert set(metadata.get_all("License-File") or []) == LICENCE_FILES


def test_the_dataset_states_the_data_licence(shipped_graph) -> None:
    from rdflib import URIRef
    from rdflib.namespace import DCTERMS

    dataset = URIRef("https://w3id.org/ptce-graph/id/dataset")
    assert set(shipped_graph.objects(dataset, DCTERMS.license)) == {URIRef(ETALAB)}


def _citation() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_file_is_valid_cff() -> None:
    cffconvert = shutil.which("cffconvert", path=str(Path(sys.executable).parent)) or shutil.which("cffconvert")
    if cffconvert is None:
        pytest.fail("cffconvert is not installed: it is in the test extra (pip install -e '.[test]')")
    run = subprocess.run([cffconvert, "--validate", "-i", str(ROOT / "CITATION.cff")], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "valid" in run.stdout


def test_a_broken_citation_file_is_refused(tmp_path: Path) -> None:
    cffconvert = shutil.which("cffconvert", path=str(Path(sys.executable).parent)) or shutil.which("cffconvert")
    assert cffconvert is not None
    broken = tmp_path / "CITATION.cff"
    broken.write_text(
        (ROOT / "CITATION.cff").read_text(encoding="utf-8").replace("cff-version: 1.2.0", "cff-version: 9")
    )
    run = subprocess.run([cffconvert, "--validate", "-i", str(broken)], capture_output=True, text=True)
    assert run.returncode != 0


def test_citation_agrees_with_the_package() -> None:
    citation = _citation()
    assert citation["version"] == __version__
    # the dataset and code cited; the vendored DCAT-AP shapes and Murmurations schemas keep their own licences
    vendored = {"CC-BY-4.0", "CC-BY-3.0", "GPL-3.0-only"}
    assert set(citation["license"]) == set(_pyproject()["project"]["license"].split(" AND ")) - vendored
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"version {__version__}" in readme.split("## Publish and cite", 1)[1].split("\n## ", 1)[0]
