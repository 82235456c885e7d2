"""A command line that guides: did-you-mean, entity parameters checked, ids and CURIEs in --sparql,
a machine-readable catalogue, and progress on a terminal only."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from ptce_graph.cli import main
from ptce_graph.errors import InputError
from ptce_graph.graph import open_graph
from ptce_graph.io.http import MockTransport, Request, Response
from ptce_graph.query.catalog import get_query, load_catalog
from ptce_graph.query.endpoint import RemoteStore
from ptce_graph.query.entities import check_entity_params

TETRIS = "https://w3id.org/ptce-graph/id/ptce/tetris"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# did-you-mean ------------------------------------------------------------------------------


def test_a_mistyped_query_name_gets_the_closest_ones(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "query", "ptce_member")
    assert code == 2 and out == ""
    assert "no canned query 'ptce_member'; did you mean ptce_members?" in err
    assert "loaded" not in err  # said before the graph is read


def test_a_mistyped_parameter_name_gets_the_closest_one(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "query", "ptce_members", "--param", "ptc=pg:ptce/tetris")
    assert code == 2
    assert "query 'ptce_members' has no parameter 'ptc'; did you mean ptce?" in err


def test_a_mistyped_choice_or_command_gets_the_closest_one(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "metrics", "--view", "membershp")
    assert code == 2 and "invalid choice: 'membershp'; did you mean membership?" in err
    code, _, err = run(capsys, "metrix")
    assert code == 2 and "invalid choice: 'metrix'; did you mean metrics?" in err


def test_a_mistyped_option_gets_the_closest_options_of_its_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "metrics", "--vew", "relations")
    assert code == 2 and out == ""
    assert err.splitlines()[-1] == (
        "ptce-graph metrics: error: unrecognized arguments: --vew relations (did you mean --view?)"
    )
    code, _, err = run(capsys, "query", "ptce_members", "--parm=ptce=tetris", "--formt", "csv")
    assert code == 2
    assert err.splitlines()[-1] == (
        "ptce-graph query: error: unrecognized arguments: --parm=ptce=tetris --formt csv "
        "(--parm: did you mean --param?; --formt: did you mean --format?)"
    )
    code, _, err = run(capsys, "build", "--zzz")
    assert code == 2 and err.splitlines()[-1] == "ptce-graph build: error: unrecognized arguments: --zzz"


# entity parameters -------------------------------------------------------------------------


def test_an_unknown_entity_stops_with_exit_2_and_the_closest_entity(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "query", "ptce_members", "--param", "ptce=pg:ptce/tetrisx")
    assert code == 2 and out == ""
    assert (
        "error: parameter ptce=pg:ptce/tetrisx: no PTCE or EuropeanCooperativeCluster with this IRI "
        "in the graph; did you mean pg:ptce/tetris?"
    ) in err


def test_an_entity_of_another_class_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    # pg:territory/region/52 exists, but it is no PTCE: the query would give 0 rows
    code, _, err = run(capsys, "query", "ptce_card", "--param", "ptce=pg:territory/region/52")
    assert code == 2 and "no PTCE with this IRI in the graph" in err


def test_no_check_gives_the_old_empty_answer(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "ptce_members", "--param", "ptce=pg:ptce/tetrisx", "--no-check")
    assert code == 0 and "(0 rows)" in out


def test_a_bare_id_names_the_one_entity_of_the_class(capsys: pytest.CaptureFixture[str]) -> None:
    code, by_id, _ = run(capsys, "query", "ptce_members", "--param", "ptce=tetris", "--format", "csv")
    assert code == 0
    code, by_curie, _ = run(capsys, "query", "ptce_members", "--param", "ptce=pg:ptce/tetris", "--format", "csv")
    assert code == 0 and by_id == by_curie and by_id.count("\n") > 5
    # a list parameter: two bare ids of régions
    code, out, _ = run(capsys, "query", "ptce_by_region", "--param", "region=52,53", "--format", "csv")
    assert code == 0
    regions = {line.split(",")[0] for line in out.splitlines()[1:]}
    assert regions == {
        "https://w3id.org/ptce-graph/id/territory/region/52",
        "https://w3id.org/ptce-graph/id/territory/region/53",
    }


def test_an_ambiguous_bare_id_lists_the_entities(capsys: pytest.CaptureFixture[str]) -> None:
    store = open_graph().store
    _, rows = store.select(
        "SELECT ?t WHERE { ?t a ?c . FILTER(STRENDS(STR(?t), '/territory/region/52') "
        "|| STRENDS(STR(?t), '/territory/departement/52')) }"
    )
    assert len({str(r[0]) for r in rows}) == 2  # région 52 and département 52 (Haute-Marne) are both there
    code, _, err = run(capsys, "query", "ptce_in_territory", "--param", "territory=52")
    assert code == 2
    assert "parameter territory=52: 2 entities have this id" in err
    assert "pg:territory/departement/52" in err and "pg:territory/region/52" in err and "give one of them" in err
    code, _, _ = run(capsys, "query", "ptce_in_territory", "--param", "territory=region/52")
    assert code == 0


def test_a_value_with_no_entity_of_the_class_in_the_graph_is_accepted_when_it_occurs(tmp_path: Path) -> None:
    # a graph of one's own, without the code lists: roles are used but typed nowhere
    own = tmp_path / "own.nt"
    own.write_text(
        f"<{TETRIS}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/ptce-graph/ontology#PTCE> .\n"
        "<urn:r> <https://w3id.org/ptce-graph/ontology#relatedTo> <" + TETRIS + "> .\n"
        "<urn:r> <https://w3id.org/ptce-graph/ontology#relationRole> <https://w3id.org/ptce-graph/concept/role/funder> .\n",
        encoding="utf-8",
    )
    store = open_graph(own).store
    query = get_query("ptce_relations")
    checked = check_entity_params(query, {"role": ["pgc:role/funder"]}, store)
    assert checked == {"role": [URIRef("https://w3id.org/ptce-graph/concept/role/funder")]}
    with pytest.raises(InputError, match="no Concept with this IRI"):
        check_entity_params(query, {"role": ["pgc:role/funderx"]}, store)


def _endpoint(store: ox.Store, seen: list[str]) -> MockTransport:
    """An endpoint played by an Oxigraph store; the queries it receives are kept in ``seen``."""

    def answer(request: Request) -> Response:
        form = urllib.parse.parse_qs((request.body or b"").decode("utf-8"))
        query = form["query"][0]
        seen.append(query)
        result = store.query(query)
        if isinstance(result, ox.QueryBoolean):
            return Response(
                200,
                {"Content-Type": "application/sparql-results+json"},
                json.dumps({"head": {}, "boolean": bool(result)}).encode(),
            )
        assert isinstance(result, ox.QuerySolutions)
        body = result.serialize(format=ox.QueryResultsFormat.JSON)
        return Response(200, {"Content-Type": "application/sparql-results+json"}, body)

    return MockTransport(answer)


def test_on_an_endpoint_the_check_is_a_bound_query_there() -> None:
    seen: list[str] = []
    remote = RemoteStore("http://127.0.0.1:9/query", transport=_endpoint(open_graph().store.store, seen))
    query = get_query("ptce_members")
    assert check_entity_params(query, {"ptce": ["pg:ptce/tetris"]}, remote) == {"ptce": [URIRef(TETRIS)]}
    assert any(f"VALUES ?entity {{ <{TETRIS}> }}" in text for text in seen)  # bound as a term
    with pytest.raises(InputError, match="did you mean pg:ptce/tetris"):
        check_entity_params(query, {"ptce": ["pg:ptce/tetrisx"]}, remote)


def test_a_hostile_value_is_never_pasted(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "query", "ptce_members", "--param", "ptce=pg:ptce/x> } ?s ?p ?o { <urn:a")
    assert code == 2 and "is not a valid IRI" in err


# ad-hoc SPARQL --------------------------------------------------------------------------------


def test_sparql_with_only_a_curie_or_a_bare_id_describes_the_entity(capsys: pytest.CaptureFixture[str]) -> None:
    code, by_curie, _ = run(capsys, "query", "--sparql", "pg:ptce/tetris", "--format", "nt")
    assert code == 0 and f"<{TETRIS}> <http://www.w3.org/2000/01/rdf-schema#label>" in by_curie
    code, by_id, _ = run(capsys, "query", "--sparql", "tetris", "--format", "nt")
    assert code == 0 and by_id == by_curie
    code, by_iri, _ = run(capsys, "query", "--sparql", f"<{TETRIS}>", "--format", "nt")
    assert code == 0 and by_iri == by_curie


def test_sparql_with_an_unknown_id_suggests_the_closest(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "query", "--sparql", "pg:ptce/tetrisx")
    assert code == 2 and out == ""
    assert "--sparql pg:ptce/tetrisx: no entity with this IRI in the graph; did you mean pg:ptce/tetris?" in err


def test_collection_prefixes_are_declared(capsys: pytest.CaptureFixture[str]) -> None:
    query = "SELECT ?label WHERE { pg-ptce:tetris rdfs:label ?label . FILTER(LANG(?label) = 'fr') }"
    code, out, _ = run(capsys, "query", "--sparql", query, "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "label" and len(out.splitlines()) == 2
    code, _, err = run(capsys, "query", "--sparql", "ASK { pg-ptc:tetris ?p ?o }")
    assert code == 2 and "the prefix pg-ptc: that it does not declare" in err and "did you mean pg-ptce?" in err


def test_a_slash_in_a_curie_gets_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "query", "--sparql", "SELECT * WHERE { pg:ptce/tetris ?p ?o }")
    assert code == 2
    assert f"write pg-ptce:tetris, or <{TETRIS}>" in err


# the catalogue as JSON -------------------------------------------------------------------------


def test_list_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "--list", "--format", "json")
    assert code == 0
    entries = json.loads(out)
    catalog = load_catalog()
    assert [e["id"] for e in entries] == sorted(catalog)
    members = next(e for e in entries if e["id"] == "ptce_members")
    assert members["params"] == [
        {
            "name": "ptce",
            "type": "iri",
            "required": True,
            "multiple": False,
            "default": None,
            "doc": "the PTCE, e.g. pg:ptce/tetris",
            "class": ["ptce:PTCE", "ptce:EuropeanCooperativeCluster"],
        }
    ]
    assert members["returns"] == list(catalog["ptce_members"].returns) and members["form"] == "SELECT"
    assert set(members) == {"id", "summary", "description", "tags", "form", "params", "returns"}
    code, _, err = run(capsys, "query", "--list", "--format", "csv")
    assert code == 2 and "--list writes a table, or JSON with --format json" in err


# progress --------------------------------------------------------------------------------------


def _on_a_terminal(*argv: str) -> tuple[int, str]:
    """Run ptce-graph with stdout and stderr on a pseudo-terminal (100 columns); what it showed."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
        os.execvp(sys.executable, [sys.executable, "-m", "ptce_graph", *argv])
    shown = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), shown.decode("utf-8", "replace")


def test_progress_is_drawn_on_a_terminal_only(tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    argv = ("metrics", "--view", "co-membership", "--format", "csv", "--out", str(out))
    code, shown = _on_a_terminal(*argv)
    assert code == 0
    assert "\rptce-graph metrics: betweenness (step" in shown and "communities (Louvain)" in shown
    assert f"wrote {out}" in shown
    code, quiet = _on_a_terminal("-q", *argv)
    assert code == 0 and "step" not in quiet and "\r" not in quiet.replace("\r\n", "\n")
    code, quiet = _on_a_terminal(*argv, "--quiet")
    assert code == 0 and "step" not in quiet
    piped = subprocess.run([sys.executable, "-m", "ptce_graph", *argv], capture_output=True, text=True, check=True)
    assert "step" not in piped.stderr and "\r" not in piped.stderr and f"wrote {out}" in piped.stderr
