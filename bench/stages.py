"""The stages the benchmark times, for the fast pipeline and for the naive baseline.

Run as a worker by :mod:`bench.runner`: ``python -m bench.stages --mode fast|naive --size S
[--start N]``. The worker runs the stages in order from ``--start`` and writes one JSON line
per event on stdout (``start`` and ``done`` of each stage, ``end`` with the peak memory), so
that the runner can stop a stage that runs past its bound and start a new worker at the next
stage. What a later stage needs (the graph, the store, the views) is made by the stage that
produces it, timed; after a restart it is remade untimed.

The two modes do the same work on the same data. The naive mode is ptce-graph itself at
commit fec0978, before its fast path (``bench/baseline.py`` takes it from git history; the
runner starts the naive worker with it first on the path, so ``ptce_graph`` there is the old
package). The canned queries' texts, with their parameters bound, are written once by the
runner with today's package (``OUT/SIZE/queries.json``) and run as they are by both modes.

=============  ================================================  ================================================
stage          fast (the package)                                naive (ptce-graph at fec0978)
=============  ================================================  ================================================
read           CSV to sorted N-Triples (``publish.build.read``)  CSV to an rdflib graph, a ``Graph.add`` each
validate       shapes compiled to SPARQL on Oxigraph             pyshacl (its shapes, ontology as ``ont_graph``)
export.*       streaming writers of sorted N-Triples             rdflib's serialisers (sorted copy)
load           ``ptce.nt`` into the embedded Oxigraph store      ``ptce.nt`` parsed by rdflib, copied to Oxigraph
query.*        canned query on the Oxigraph store                the same text, its ``run_query`` on its store
views.extract  the views' SPARQL on Oxigraph                     its views' SPARQL on its store
view.*         projection to NetworkX                            its projection to NetworkX
metrics.*      NetworkX API, heavy measures on igraph            its plain NetworkX measures
=============  ================================================  ================================================

The old reader refuses columns added since, so the naive mode reads a copy of the data folder
without them (they are empty in the synthetic data); it then builds the old model (every role
a membership), a few per cent more triples than today's. From ``load`` on, both modes read the
same ``ptce.nt`` (written by the fast mode).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.generate import SYNTHETIC_BASE, size_folder

__all__ = ["STAGES", "main", "query_params", "read_queries", "stage_names", "stages_of", "write_queries"]

ROOT = Path(__file__).resolve().parent
OUT = ROOT / "out"


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _emit(**event: Any) -> None:
    print(json.dumps(event), flush=True)


def query_params(folder: Path) -> dict[str, dict[str, str]]:
    """Values for the canned queries' required (and a few optional) parameters, from the data.

    The PTCE with the most memberships, the actor in the most memberships, the région of
    the first PTCE's seat, and the 2015 national call: chosen from the CSV, so the same data
    always gets the same parameters.
    """
    from ptce_graph.model.geo import geo_reference

    def rows(name: str) -> list[dict[str, str]]:
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    memberships = rows("memberships.csv")
    ptce = Counter(r["organisation"] for r in memberships).most_common(1)[0][0]
    actor = Counter(r["member"] for r in memberships).most_common(1)[0][0]
    seat = next(r for r in rows("ptce.csv") if r["id"] == ptce)["territories"].split("|")[0]
    region = geo_reference().communes[seat.split(":", 1)[1]].region
    base = SYNTHETIC_BASE
    iri = {"ptce": f"{base}ptce/{ptce}", "actor": f"{base}actor/{actor}",
           "region": f"https://w3id.org/ptce-graph/id/territory/region/{region}",
           "call": f"{base}scheme/synth-call-2015"}
    return {
        "ptce_members": {"ptce": iri["ptce"]},
        "ptce_card": {"ptce": iri["ptce"]},
        "call_laureates": {"call": iri["call"]},
        "ptce_in_territory": {"territory": iri["region"]},
        "entity_sources": {"entity": iri["actor"]},
    }


def queries_file(size: str) -> Path:
    """Where the runner writes the canned queries' texts, parameters bound, for both modes."""
    return OUT / size / "queries.json"


def write_queries(size: str) -> dict[str, dict[str, Any]]:
    """Render every canned query with today's package and write them to :func:`queries_file`.

    Both workers read this file: the naive one runs the old package, whose catalogue and
    rendering are not today's.
    """
    from ptce_graph.query.catalog import get_query, load_catalog
    from ptce_graph.query.run import bind_parameters, render_query

    params = query_params(size_folder(OUT, size))
    queries = {}
    for query_id in load_catalog():
        query = get_query(query_id)
        text = render_query(query.text, bind_parameters(query, params.get(query_id)))
        queries[query_id] = {"text": text, "params": params.get(query_id, {})}
    path = queries_file(size)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(queries, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return queries


def read_queries(size: str) -> dict[str, dict[str, Any]]:
    """The rendered canned queries of :func:`write_queries` (written now if missing)."""
    path = queries_file(size)
    if not path.exists():
        return write_queries(size)
    loaded: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


# -- state shared by the stages of one worker --------------------------------------------------------
@dataclass
class State:
    """What the stages of one worker produce and use."""

    mode: str
    size: str
    repeat: int
    data_folder: Path
    work: Path
    queries: dict[str, dict[str, Any]]
    cache: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, make: Callable[[], Any]) -> Any:
        """A value made by an earlier stage, or made now (untimed) after a restart."""
        if key not in self.cache:
            _log(f"setting up {key} (untimed)")
            self.cache[key] = make()
        return self.cache[key]

    @property
    def nt_file(self) -> Path:
        return OUT / self.size / "fast" / "ptce.nt"

    @property
    def old_data(self) -> Path:
        """The data folder in the old package's columns (naive mode; see :func:`bench.baseline.old_columns`)."""
        return self.work / "data-fec0978"


# The naive functions run in a worker whose ``ptce_graph`` is the package at fec0978.
def _fast_read(s: State) -> dict[str, Any]:
    from ptce_graph.publish.build import read

    nt = read([s.data_folder], base=SYNTHETIC_BASE, progress=_log)
    s.cache["built"] = nt
    return {"triples": len(nt)}


def _naive_read(s: State) -> dict[str, Any]:
    from ptce_graph.ingest import load_folders

    graph = load_folders([s.old_data])
    s.cache["built"] = graph
    return {"triples": len(graph)}


def _built(s: State) -> Any:
    """The graph of the read stage: sorted N-Triples (fast) or an rdflib graph (naive)."""
    if s.mode == "fast":
        from ptce_graph.publish.build import read

        return s.get("built", lambda: read([s.data_folder], base=SYNTHETIC_BASE))
    from ptce_graph.ingest import load_folders

    return s.get("built", lambda: load_folders([s.old_data]))


def _validate(s: State) -> dict[str, Any]:
    from ptce_graph import validate  # the top-level name, in the old package as in today's

    report = validate(_built(s))
    return {"violations": report.violations, "warnings": report.warnings, "infos": report.infos,
            "engine": getattr(report, "engine", "pyshacl")}


def _export(fmt: str) -> Callable[[State], dict[str, Any]]:
    def run(s: State) -> dict[str, Any]:
        from ptce_graph import export_graph  # the top-level name, in the old package as in today's

        path = export_graph(_built(s), s.work / f"ptce.{fmt}", fmt)
        return {"bytes": path.stat().st_size}

    return run


def _fast_load(s: State) -> dict[str, Any]:
    from ptce_graph.graph import open_graph

    store = open_graph(s.nt_file, with_ontology=True).store  # with the ontology, as the naive store
    s.cache["store"] = store
    return {"triples": len(store)}


def _naive_load(s: State) -> dict[str, Any]:
    from ptce_graph.rdfio import parse_rdf_file

    from ptce_graph.store import LocalStore

    graph = parse_rdf_file(s.nt_file)
    s.cache["store"] = LocalStore(graph)  # with the ontology, as today's store
    return {"triples": len(graph)}


def _floor_load(s: State) -> dict[str, Any]:
    """pyoxigraph's parser alone on the same file: the floor of any load."""
    import pyoxigraph as ox

    count = sum(1 for _ in ox.parse(path=str(s.nt_file), format=ox.RdfFormat.N_TRIPLES))
    return {"triples": count}


def _store(s: State) -> Any:
    if "store" not in s.cache:  # the load stage of a killed worker: remade untimed
        _log("setting up store (untimed)")
        (_fast_load if s.mode == "fast" else _naive_load)(s)
    return s.cache["store"]


def _query(query_id: str) -> tuple[Callable[[State], dict[str, Any]], Callable[[State], dict[str, Any]]]:
    def fast(s: State) -> dict[str, Any]:
        import pyoxigraph as ox

        from ptce_graph.model.namespaces import PREFIXES
        from ptce_graph.query.run import run_query

        store = _store(s)
        text, params = s.queries[query_id]["text"], s.queries[query_id]["params"] or None
        runs, floors, conversions, rows = [], [], [], 0
        begun = time.perf_counter()
        for attempt in range(s.repeat + 1):  # the first run warms up; slow queries run fewer times
            started = time.perf_counter()
            result = run_query(query_id, params, store=store)
            rows = len(result)
            runs.append(time.perf_counter() - started)
            started = time.perf_counter()
            _ = result.rows if result.triples is None else result.graph  # rdflib terms, made on first use
            conversions.append(time.perf_counter() - started)
            started = time.perf_counter()
            result = store.store.query(text, prefixes=PREFIXES)
            if isinstance(result, ox.QuerySolutions):
                for solution in result:
                    tuple(solution)  # every value read, none converted
            elif isinstance(result, ox.QueryTriples):
                for _ in result:
                    pass
            floors.append(time.perf_counter() - started)
            if attempt >= 1 and time.perf_counter() - begun > 20:
                break
        return {"rows": rows, "median": statistics.median(runs[1:]), "floor": statistics.median(floors[1:]),
                "to_rdflib": statistics.median(conversions[1:]), "runs": len(runs) - 1}

    def naive(s: State) -> dict[str, Any]:
        from ptce_graph.query import run_query

        store = _store(s)
        started = time.perf_counter()
        result = run_query(s.queries[query_id]["text"], store=store)
        return {"rows": len(result), "median": time.perf_counter() - started}

    return fast, naive


def _extract(s: State) -> dict[str, Any]:
    from ptce_graph.network import extract

    data = extract(_store(s))
    s.cache["data"] = data
    return {"nodes": len(data.nodes), "memberships": len(data.memberships), "relations": len(data.relations)}


def _data(s: State) -> Any:
    from ptce_graph.network import extract

    return s.get("data", lambda: extract(_store(s)))


VIEWS = ("membership", "co-membership", "relations", "ptce")


def _view(name: str) -> Callable[[State], dict[str, Any]]:
    def run(s: State) -> dict[str, Any]:
        from ptce_graph.network import project

        graph = project(_data(s), name)
        s.cache[f"view:{name}"] = graph
        return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}

    return run


def _graph_of(s: State, name: str) -> Any:
    from ptce_graph.network import project

    return s.get(f"view:{name}", lambda: project(_data(s), name))


def _actor_metrics(name: str) -> Callable[[State], dict[str, Any]]:
    def run(s: State) -> dict[str, Any]:
        from ptce_graph.network import actor_metrics

        table = actor_metrics(_graph_of(s, name))
        return {"rows": len(table), "engine": table.meta.get("engine") or table.meta.get("accelerator", "")}

    return run


def _network_metrics(name: str) -> Callable[[State], dict[str, Any]]:
    def run(s: State) -> dict[str, Any]:
        from ptce_graph.network import network_metrics

        row = network_metrics(_graph_of(s, name)).rows[0]
        return {"communities": row["communities"], "modularity": row["modularity"]}

    return run


def _ptce_indicators(s: State) -> dict[str, Any]:
    from ptce_graph.network import ptce_indicators

    return {"rows": len(ptce_indicators(_data(s)))}


def _nothing(s: State) -> None:
    return None


@dataclass(frozen=True)
class Stage:
    """One timed stage: its name, its group, its fast and naive functions, and what it needs.

    ``prepare`` makes (untimed) what the stage uses but an earlier stage of a killed worker
    would have made: it runs before the stage's clock starts.
    """

    name: str
    group: str
    fast: Callable[[State], dict[str, Any]]
    naive: Callable[[State], dict[str, Any]]
    prepare: Callable[[State], Any] = _nothing


def _stages(size: str) -> list[Stage]:
    stages = [Stage("read", "build", _fast_read, _naive_read),
              Stage("validate", "build", _validate, _validate, _built)]
    for fmt in ("ttl", "jsonld", "nt"):
        stages.append(Stage(f"export.{fmt}", "build", _export(fmt), _export(fmt), _built))
    stages.append(Stage("load", "load", _fast_load, _naive_load))
    for query_id in read_queries(size):
        fast, naive = _query(query_id)
        stages.append(Stage(f"query.{query_id}", "query", fast, naive, _store))
    stages.append(Stage("views.extract", "views", _extract, _extract, _store))
    for name in VIEWS:
        stages.append(Stage(f"view.{name}", "views", _view(name), _view(name), _data))
    for name in VIEWS:
        stages.append(Stage(f"metrics.actor.{name}", "metrics", _actor_metrics(name), _actor_metrics(name),
                            lambda s, n=name: _graph_of(s, n)))
    for name in VIEWS:
        stages.append(Stage(f"metrics.network.{name}", "metrics", _network_metrics(name), _network_metrics(name),
                            lambda s, n=name: _graph_of(s, n)))
    stages.append(Stage("metrics.ptce", "metrics", _ptce_indicators, _ptce_indicators, _data))
    return stages


STAGES: dict[str, list[Stage]] = {}


def stage_names(size: str) -> list[str]:
    """The names of the stages, in the order they run (the queries are those of :func:`read_queries`)."""
    return [stage.name for stage in stages_of(size)]


def stages_of(size: str) -> list[Stage]:
    """The stages of one size (one stage per canned query of :func:`read_queries`)."""
    if size not in STAGES:
        STAGES[size] = _stages(size)
    return STAGES[size]


def _warm_imports(mode: str) -> None:
    """Import every module the stages use before any clock starts (imports are not timed)."""
    import importlib

    if mode == "fast":
        modules = ["ptce_graph.check.validate", "ptce_graph.publish.export", "ptce_graph.query.run",
                   "ptce_graph.store", "ptce_graph.graph", "ptce_graph.network", "ptce_graph.publish.build",
                   "ptce_graph.network.engine", "ptce_graph.network.metrics", "ptce_graph.network.views"]
    else:
        modules = ["ptce_graph.validate", "ptce_graph.export", "ptce_graph.query", "ptce_graph.store",
                   "ptce_graph.network", "rdflib.plugins.sparql", "ptce_graph.ingest", "ptce_graph.rdfio",
                   "pyshacl", "rdflib.plugins.serializers.turtle", "rdflib.plugins.serializers.jsonld"]
    for module in modules:
        importlib.import_module(module)
    vocabulary = importlib.import_module("ptce_graph.io.vocabulary" if mode == "fast" else "ptce_graph.vocabulary")
    vocabulary.ontology_graph()  # parsed once per process, by either pipeline
    if mode == "fast":
        vocabulary.ontology_ntriples()


def _baseline_check(state: State) -> None:
    """In the naive worker: make sure ``ptce_graph`` is the old package, and give it data it reads."""
    from ptce_graph.ingest import TABLES

    import ptce_graph
    from bench.baseline import COMMIT, old_columns

    folder = os.environ.get("BENCH_BASELINE", "")
    origin = Path(ptce_graph.__file__).resolve()
    if not folder or Path(folder).resolve() not in origin.parents:
        raise SystemExit(f"the naive worker must import ptce-graph at {COMMIT} from $BENCH_BASELINE "
                         f"({folder or 'not set'}), not {origin}")
    old_columns(state.data_folder, state.old_data, TABLES)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stages")
    parser.add_argument("--mode", choices=("fast", "naive", "floor"), required=True)
    parser.add_argument("--size", required=True)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    folder = size_folder(OUT, args.size)
    work = OUT / args.size / args.mode
    work.mkdir(parents=True, exist_ok=True)
    state = State(args.mode, args.size, args.repeat, folder, work, {})
    if args.mode == "floor":
        started = time.perf_counter()
        info = _floor_load(state)
        _emit(event="done", stage="load", index=0, seconds=time.perf_counter() - started, info=info)
        _emit(event="end", peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        return 0
    if args.mode == "naive":
        _baseline_check(state)
    state.queries = read_queries(args.size)
    _warm_imports(args.mode)
    stages = stages_of(args.size)
    for index in range(args.start, len(stages)):
        stage = stages[index]
        stage.prepare(state)
        _emit(event="start", stage=stage.name, index=index)
        _log(f"{args.mode} {stage.name}")
        function = stage.fast if args.mode == "fast" else stage.naive
        started = time.perf_counter()
        try:
            info = function(state)
        except RecursionError as exc:  # rdflib's recursive evaluation on large components
            _emit(event="failed", stage=stage.name, index=index, seconds=time.perf_counter() - started,
                  error=f"RecursionError: {exc}"[:200])
            continue
        _emit(event="done", stage=stage.name, index=index, seconds=time.perf_counter() - started, info=info)
    _emit(event="end", peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
