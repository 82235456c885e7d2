"""Push the graph to a real SPARQL server on loopback; every canned query gives the same rows there."""

from __future__ import annotations

from pathlib import Path

import pytest
from servers import oxigraph_server

from ptce_graph.cli import main
from ptce_graph.query.catalog import load_catalog
from ptce_graph.query.endpoint import RemoteStore
from ptce_graph.query.run import run_query
from ptce_graph.store import LocalStore

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory):
    with oxigraph_server(tmp_path_factory.mktemp("ox")) as base:
        yield base


def _cell(value) -> str:
    # GROUP_CONCAT order is engine-defined: compare the concatenated parts as sets
    text = "" if value is None else str(value)
    return " | ".join(sorted(text.split(" | "))) if " | " in text else text


def _rows(result) -> list[tuple[str, ...]]:
    return [tuple(_cell(v) for v in row) for row in result.rows]


def test_push_then_every_canned_query_gives_the_same_rows(oxigraph: str, shipped_graph, capsys) -> None:
    # the data in the default graph, the ontology and code lists beside it: as in the embedded store
    assert main(["push", "--store", f"{oxigraph}/store"]) == 0
    assert "count checked" in capsys.readouterr().out
    remote = RemoteStore(f"{oxigraph}/query")
    local = LocalStore(shipped_graph)
    checked = 0
    for query in load_catalog().values():
        params = {p.name: p.default for p in query.params if p.default is not None}
        for p in query.params:
            if p.required and p.name not in params:
                params[p.name] = _example(p)
        mine = run_query(query, params, store=local)
        theirs = run_query(query, params, store=remote)
        if mine.graph is not None:
            from rdflib.compare import isomorphic

            assert isomorphic(mine.graph, theirs.graph), query.id
        else:
            assert mine.columns == theirs.columns, query.id
            assert _rows(mine) == _rows(theirs), query.id
        checked += 1
    assert checked == len(load_catalog()) >= 15


def _example(param) -> str:
    examples = {"iri": "pg:ptce/tetris", "integer": "2014", "year": "2014", "string": "PTCE",
                "date": "2020-01-01", "decimal": "1", "boolean": "true"}
    if param.type == "iri" and "call" in param.name:
        return "pg:scheme/aap-2013"
    if param.type == "iri" and "territory" in param.name:
        return "pg:territory/region/52"
    return examples[param.type]


def test_push_to_a_store_that_is_down_exits_3(tmp_path: Path, capsys) -> None:
    from standins import free_port

    assert main(["push", "--store", f"http://127.0.0.1:{free_port()}/store", "--timeout", "2"]) == 3
    assert "cannot reach endpoint" in capsys.readouterr().err


def test_push_of_a_file_or_folder_counts_what_the_store_holds(oxigraph: str, tmp_path: Path, capsys,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """``push --graph FILE.nt`` loads the file in bulk (no rdflib graph, so no 256 MiB parse limit),
    ``--graph FOLDER`` reads CSV templates; the store then holds exactly what was sent."""
    from conftest import MINI, write_folder

    from ptce_graph.publish.build import read

    folder = write_folder(tmp_path / "data", MINI)
    data = read([folder])
    nt = tmp_path / "mini.nt"
    nt.write_bytes(data.data())
    iri = "https://example.org/pushed"
    assert main(["push", "--store", f"{oxigraph}/store", "--graph", str(nt), "--graph-iri", iri,
                 "--no-ontology"]) == 0
    assert f"pushed {len(data)} triples to graph <{iri}>" in capsys.readouterr().out
    assert main(["push", "--store", f"{oxigraph}/store", "--graph", str(folder), "--graph-iri", iri,
                 "--with-ontology"]) == 0
    ontology = len(LocalStore(with_ontology=True))  # the ontology and code lists, pushed beside the data
    assert f"pushed {len(data) + ontology} triples" in capsys.readouterr().out
    assert main(["push", "--store", f"{oxigraph}/store", "--graph", str(folder), "--graph-iri", iri]) == 0
    assert f"pushed {len(data)} triples" in capsys.readouterr().out, "a folder's graph is what it holds"
