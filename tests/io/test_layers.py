"""A researcher's folders over the shipped base: enrich, correct, retract, and be told what to do."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ptce_graph.cli import main
from ptce_graph.errors import InputError
from ptce_graph.graph import open_graph
from ptce_graph.query.run import run_query

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "own-data"
PG = "https://w3id.org/ptce-graph/id/"


@pytest.fixture(scope="module")
def layered():
    return open_graph(EXAMPLE, include_shipped=True, with_ontology=False)


def _objects(graph, subject: str, predicate: str) -> set[str]:
    rows = run_query(f"SELECT ?o WHERE {{ <{subject}> <{predicate}> ?o }}", graph=graph).rows
    return {str(row[0]) for row in rows}


def test_the_worked_example_enriches_corrects_and_retracts(layered) -> None:
    dct_source = "http://purl.org/dc/terms/source"
    new = f"{PG}membership/exemple-tetris-membre"
    assert _objects(layered, new, "http://www.w3.org/ns/org#member") == {f"{PG}actor/exemple-cooperative"}
    assert _objects(layered, new, dct_source) == {f"{PG}source/exemple-entretien"}
    # the corrected role makes a working-with relation, citing the researcher's source beside the shipped ones
    assert not _objects(layered, f"{PG}membership/tetris-evaleco-member", "http://www.w3.org/ns/org#role")
    relation = f"{PG}relation/tetris-evaleco-member"
    assert _objects(layered, relation, "https://w3id.org/ptce-graph/ontology#relationRole") == {
        "https://w3id.org/ptce-graph/concept/role/partner"}
    assert f"{PG}source/exemple-entretien" in _objects(layered, relation, dct_source)
    # the retracted membership is gone, the shipped one beside it is not
    assert not _objects(layered, f"{PG}membership/tetris-tedee-member", "http://www.w3.org/ns/org#member")
    assert _objects(layered, f"{PG}membership/tetris-ca-pays-de-grasse-associate", "http://www.w3.org/ns/org#member")
    kinds = [(c.kind, c.table, c.row, c.column) for c in layered.changes]
    assert kinds == [
        ("enrichment", "ptce.csv", "tetris", "founded"),
        ("enrichment", "ptce.csv", "tetris", "sources"),
        ("correction", "memberships.csv", "tetris-evaleco-member", "role"),
        ("retraction", "memberships.csv", "tetris-tedee-member", ""),
    ]


def test_the_build_summary_lists_the_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--data", str(EXAMPLE), "--include-shipped", "--out", str(tmp_path), "-q"]) == 0
    out = capsys.readouterr().out
    assert "changes to earlier folders: 4" in out and "retraction  memberships.csv:tetris-tedee-member" in out
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    correction = next(c for c in summary["changes"] if c["kind"] == "correction")
    assert correction == {"kind": "correction", "table": "memberships.csv", "row": "tetris-evaleco-member",
                          "column": "role", "before": "member", "after": "partner",
                          "where": f"{EXAMPLE / 'corrections.csv'}:2", "sources": ["exemple-entretien"]}


def test_the_folder_alone_names_the_flag(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["build", "--data", str(EXAMPLE), "--out", str(tmp_path), "-q"]) == 2
    err = capsys.readouterr().err
    assert "no row 'tetris-tedee-member' in memberships.csv" in err and "add --include-shipped" in err


@pytest.mark.parametrize("command", ["query", "export", "metrics", "validate"])
def test_every_command_takes_the_same_data_options(command: str, layered, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data", str(EXAMPLE), "--include-shipped", "--no-ontology"]
    args = {
        "query": ["query", "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv", *data],
        "export": ["export", "--out", str(tmp_path / "out.nt"), *data],
        "metrics": ["metrics", "--level", "network", "--format", "csv", *data],
        "validate": ["validate", str(EXAMPLE), "--include-shipped"],
    }[command]
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert f"loaded {len(layered)} triples" in err
    if command == "query":
        assert out.splitlines()[1] == str(len(layered))
    if command == "export":
        assert (tmp_path / "out.nt").read_bytes() == layered.data()


def _folder(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copy(EXAMPLE / "sources.csv", folder / "sources.csv")
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def test_a_single_value_is_changed_only_by_a_correction(tmp_path: Path) -> None:
    header = (EXAMPLE / "ptce.csv").read_text(encoding="utf-8").splitlines()[0]
    folder = _folder(tmp_path, ptce=f"{header}\ntetris,Un autre nom,,,,,,,,,,,,,exemple-entretien\n")
    with pytest.raises(InputError, match=r"'Un autre nom' would replace 'TETRIS'.*corrections\.csv"):
        open_graph(folder, include_shipped=True)


@pytest.mark.parametrize("row, message", [
    ("c1,memberships,tetris-evaleco-member,role,founder,partner,exemple-entretien,",
     "tetris-evaleco-member.role holds 'member', not 'founder'"),
    ("c1,memberships,tetris-evaleco-member,role,member,partner,,", "cites the source that states the new value"),
    ("c1,membres,tetris-evaleco-member,role,member,partner,exemple-entretien,", "unknown table 'membres'"),
    ("c1,memberships,tetris-evaleco-member,colour,,bleu,exemple-entretien,", "'colour' is not a column"),
])
def test_a_correction_that_does_not_fit_is_refused(row: str, message: str, tmp_path: Path) -> None:
    header = (EXAMPLE / "corrections.csv").read_text(encoding="utf-8").splitlines()[0]
    folder = _folder(tmp_path, corrections=f"{header}\n{row}\n")
    with pytest.raises(InputError) as caught:
        open_graph(folder, include_shipped=True)
    assert any(message in str(p) for p in caught.value.problems), caught.value.problems


def test_unknown_codes_and_ids_get_a_suggestion(tmp_path: Path) -> None:
    header = (EXAMPLE / "memberships.csv").read_text(encoding="utf-8").splitlines()[0]
    folder = _folder(tmp_path, memberships=f"{header}\nm1,tetriss,tedee,membre,,,,,,,exemple-entretien\n")
    with pytest.raises(InputError) as caught:
        open_graph(folder, include_shipped=True)
    messages = " ".join(str(p) for p in caught.value.problems)
    assert "did you mean 'member'?" in messages and "did you mean 'tetris'?" in messages


def test_the_docs_page_commands_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """docs/own-data.md: its console commands give the outcomes it shows."""
    import re
    import shlex

    page = (EXAMPLE.parents[1] / "own-data.md").read_text(encoding="utf-8")
    commands = re.findall(r"```console\n(.*?)```", page, flags=re.S)[0].strip().splitlines()
    shutil.copytree(EXAMPLE, tmp_path / "own-data")
    monkeypatch.chdir(tmp_path)
    codes = [main(shlex.split(line)[1:]) for line in commands]
    out, err = capsys.readouterr()
    assert codes == [0, 0, 2]
    shown = re.findall(r"```text\n(.*?)```", page, flags=re.S)
    for line in shown[0].strip().splitlines():
        if "..." not in line:
            assert line in out, line
    assert "exemple-cooperative" in out and "tetris-tedee-member,https" not in out
    assert shown[1].strip().splitlines()[1] in err


def test_clashes_spreadsheet_codes_and_separators_are_reported(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A PTCE under a new id, a source already shipped under another id, a stripped INSEE code,
    ';' in a multi-valued cell: the build goes through and says each."""
    ptce_header = (EXAMPLE / "ptce.csv").read_text(encoding="utf-8").splitlines()[0]
    actors_header = (EXAMPLE / "actors.csv").read_text(encoding="utf-8").splitlines()[0]
    folder = _folder(
        tmp_path,
        sources=(EXAMPLE / "sources.csv").read_text(encoding="utf-8")
        + "ma-fiche-rtes,https://studylibfr.com/doc/3714648/la-scic-tetris,Fiche RTES,RTES,2017,portrait,\n",
        ptce=f"{ptce_header}\ntetris-bis,Tetris,,commune:06069,,,,,,https://scic-tetris.org/,,,,,exemple-entretien\n",
        actors=f"{actors_header}\nexemple-bourg,Coopérative du Bourg (exemple fictif),Bourg; Le Bourg,"
        "ess-enterprise,,,,,,,commune:1053,,,,,,,,exemple-entretien\n",
    )
    out = tmp_path / "build"
    assert main(["build", "--data", str(folder), "--include-shipped", "--out", str(out), "-q"]) == 0
    printed = capsys.readouterr().out
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    pairs = {(d["first"].rsplit("/", 1)[-1], d["second"].rsplit("/", 1)[-1], d["reason"])
             for d in summary["likely_duplicates"]}
    assert ("tetris", "tetris-bis", "website") in pairs
    assert ("ma-fiche-rtes", "src-rtes-fiche-tetris", "url") in pairs
    notices = " ".join(summary["notices"])
    assert "commune:1053 read as commune:01053" in notices
    assert "'Bourg; Le Bourg' is read as one value" in notices
    assert "notices: 2" in printed
    read = {Path(f["path"]).name: (f["encoding"], f["separator"]) for f in summary["files_read"]
            if str(folder) in f["path"]}
    assert read["actors.csv"] == ("utf-8", ",")
    graph = open_graph(folder, include_shipped=True)
    based = _objects(graph, f"{PG}actor/exemple-bourg", "https://w3id.org/ptce-graph/ontology#basedIn")
    assert based == {f"{PG}territory/commune/01053"}


def test_layers_are_written_as_named_graphs(layered, tmp_path: Path) -> None:
    """export --by-layer: shipped and own facts in their named graphs; a query can keep to one."""
    import pyoxigraph as ox

    from ptce_graph.publish.export import LAYER_GRAPHS

    out = tmp_path / "layered.nq"
    assert main(["export", "--data", str(EXAMPLE), "--include-shipped", "--by-layer", "--out", str(out)]) == 0
    store = ox.Store()
    store.load(path=str(out), format=ox.RdfFormat.N_QUADS)
    own = [str(row[0].value) for row in store.query(
        f"SELECT ?m WHERE {{ GRAPH <{LAYER_GRAPHS['own']}> {{ ?m a <http://www.w3.org/ns/org#Membership> }} }}")]
    assert own == [f"{PG}membership/exemple-tetris-membre"]
    shipped_members = list(store.query(
        f"SELECT ?m WHERE {{ GRAPH <{LAYER_GRAPHS['shipped']}> {{ ?m a <http://www.w3.org/ns/org#Membership> }} }}"))
    assert len(shipped_members) > 200 and f"{PG}membership/tetris-tedee-member" not in {
        str(r[0].value) for r in shipped_members}, "a retracted fact is in no layer"
    assert open_graph(out).ntriples == layered.ntriples, "read back, the layers merge into the same graph"
    assert main(["export", "--by-layer", "--out", str(tmp_path / "x.ttl")]) == 2


def test_rdf_files_in_a_data_folder_are_read(tmp_path: Path) -> None:
    """Beside the tables, a folder's N-Triples, Turtle or JSON-LD files join the graph."""
    folder = _folder(tmp_path)
    (folder / "extra.nt").write_text(f'<{PG}ptce/tetris> <urn:note> "vu" .\n', encoding="utf-8")
    (folder / "more.jsonld").write_text(f'{{"@id": "{PG}ptce/tetris", "urn:note": "revu"}}', encoding="utf-8")
    graph = open_graph(folder, include_shipped=True)
    assert _objects(graph, f"{PG}ptce/tetris", "urn:note") == {"vu", "revu"}


def test_a_local_query_keeps_to_one_layer(capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data", str(EXAMPLE), "--include-shipped"]
    sparql = "SELECT ?m WHERE { ?m a org:Membership } ORDER BY ?m"
    assert main(["query", "--sparql", sparql, "--format", "csv", "--layer", "own", *data]) == 0
    assert capsys.readouterr().out.split() == ["m", f"{PG}membership/exemple-tetris-membre"]
    assert main(["query", "--sparql", sparql, "--format", "csv", "--layer", "shipped", *data]) == 0
    shipped = capsys.readouterr().out.split()[1:]
    assert len(shipped) > 200 and f"{PG}membership/exemple-tetris-membre" not in shipped
