"""The stages the benchmark times, for the fast pipeline and for the naive baseline.

Run as a worker by :mod:`bench.runner`: ``python -m bench.stages --mode fast|naive --size S
[--start N]``. The worker runs the stages in order from ``--start`` and writes one JSON line
per event on stdout (``start`` and ``done`` of each stage, ``end`` with the peak memory), so
that the runner can stop a stage that runs past its bound and start a new worker at the next
stage. What a later stage needs (the graph, the store, the views) is made by the stage that
produces it, timed; after a restart it is remade untimed.

The two modes do the same work on the same data:

============  =====================================================  ================================================
stage         fast (the package)                                      naive (ptce-graph at fec0978, rdflib/pyshacl)
============  =====================================================  ================================================
read          CSV to sorted N-Triples (``ptce_graph.publish.build.read``)     CSV to an rdflib graph, one ``Graph.add`` each
validate      shapes compiled to SPARQL on Oxigraph                  pyshacl (defaults, the ontology as ``ont_graph``)
export.*      streaming writers of sorted N-Triples                  rdflib's serialisers
load          ``ptce.nt`` into the embedded Oxigraph store            ``ptce.nt`` into rdflib's memory store
query.*       canned query on the Oxigraph store                     the same query text on rdflib's SPARQL engine
views.extract the views' SPARQL on Oxigraph                           the same SPARQL on rdflib
view.*        projection to NetworkX (same code)                     projection to NetworkX (same code)
metrics.*     engine="igraph" (the default)                          engine="networkx"
============  =====================================================  ================================================
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

__all__ = ["STAGES", "stage_names", "query_params", "main"]

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


# -- state shared by the stages of one worker --------------------------------------------------------
@dataclass
class State:
    """What the stages of one worker produce and use."""

    mode: str
    size: str
    repeat: int
    data_folder: Path
    work: Path
    params: dict[str, dict[str, str]]
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


def _fast_read(s: State) -> dict[str, Any]:
    from ptce_graph.publish.build import read

    nt = read([s.data_folder], base=SYNTHETIC_BASE, progress=_log)
    s.cache["nt"] = nt
    return {"triples": len(nt)}


def _naive_read(s: State) -> dict[str, Any]:
    from bench.naive.ingest import load_folders

    graph = load_folders([s.data_folder])
    s.cache["naive_graph"] = graph
    return {"triples": len(graph)}


def _nt(s: State) -> Any:
    from ptce_graph.publish.build import read

    return s.get("nt", lambda: read([s.data_folder], base=SYNTHETIC_BASE))


def _naive_built(s: State) -> Any:
    from bench.naive.ingest import load_folders

    return s.get("naive_graph", lambda: load_folders([s.data_folder]))


def _fast_validate(s: State) -> dict[str, Any]:
    from ptce_graph.check.validate import validate

    report = validate(_nt(s))
    return {"violations": report.violations, "warnings": report.warnings, "infos": report.infos,
            "engine": report.engine}


def _naive_validate(s: State) -> dict[str, Any]:
    from ptce_graph.check.validate import validate

    report = validate(_naive_built(s), engine="pyshacl")
    return {"violations": report.violations, "warnings": report.warnings, "infos": report.infos,
            "engine": report.engine}


def _export(fmt: str) -> tuple[Callable[[State], dict[str, Any]], Callable[[State], dict[str, Any]]]:
    def fast(s: State) -> dict[str, Any]:
        from ptce_graph.publish.export import export_graph

        path = export_graph(_nt(s), s.work / f"ptce.{fmt}", fmt)
        return {"bytes": path.stat().st_size}

    def naive(s: State) -> dict[str, Any]:
        from bench.naive.export import export_graph

        path = export_graph(_naive_built(s), s.work / f"ptce.{fmt}", fmt)
        return {"bytes": path.stat().st_size}

    return fast, naive


def _fast_load(s: State) -> dict[str, Any]:
    from ptce_graph.graph import open_graph

    store = open_graph(s.nt_file, with_ontology=True).store
    s.cache["store"] = store
    return {"triples": len(store)}


def _naive_load(s: State) -> dict[str, Any]:
    from rdflib import Graph

    graph = Graph()
    graph.parse(s.nt_file, format="nt")
    s.cache["graph"] = graph
    return {"triples": len(graph)}


def _floor_load(s: State) -> dict[str, Any]:
    """pyoxigraph's parser alone on the same file: the floor of any load."""
    import pyoxigraph as ox

    count = sum(1 for _ in ox.parse(path=str(s.nt_file), format=ox.RdfFormat.N_TRIPLES))
    return {"triples": count}


def _store(s: State) -> Any:
    if s.mode == "fast":
        from ptce_graph.graph import open_graph

        return s.get("store", lambda: open_graph(s.nt_file, with_ontology=True).store)
    return s.get("rdflib_store", lambda: _naive_store(s))


def _naive_store(s: State) -> Any:
    from bench.naive.store import RdflibStore
    from ptce_graph.model.vocabulary import ontology_graph

    def parse() -> Any:
        from rdflib import Graph

        graph = Graph()
        graph.parse(s.nt_file, format="nt")
        return graph

    graph = s.get("graph", parse)
    graph += ontology_graph()  # the embedded store holds the ontology too
    return RdflibStore(graph)


def _query(query_id: str) -> tuple[Callable[[State], dict[str, Any]], Callable[[State], dict[str, Any]]]:
    def rendered(s: State) -> str:
        from ptce_graph.query.catalog import get_query
        from ptce_graph.query.run import bind_parameters, render_query

        query = get_query(query_id)
        return render_query(query.text, bind_parameters(query, s.params.get(query_id)))

    def fast(s: State) -> dict[str, Any]:
        import pyoxigraph as ox

        from ptce_graph.model.namespaces import PREFIXES
        from ptce_graph.query.run import run_query

        store = _store(s)
        text = rendered(s)
        runs, floors, conversions, rows = [], [], [], 0
        begun = time.perf_counter()
        for attempt in range(s.repeat + 1):  # the first run warms up; slow queries run fewer times
            started = time.perf_counter()
            result = run_query(query_id, s.params.get(query_id), store=store)
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
        store = _store(s)
        text = rendered(s)
        started = time.perf_counter()
        from ptce_graph.model.namespaces import PREFIXES

        result = store.graph.query(text, initNs=PREFIXES)
        rows = len(list(result))
        return {"rows": rows, "median": time.perf_counter() - started}

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


def _actor_metrics(name: str, engine: str) -> Callable[[State], dict[str, Any]]:
    def run(s: State) -> dict[str, Any]:
        from ptce_graph.network import actor_metrics

        table = actor_metrics(_graph_of(s, name), engine=engine)  # type: ignore[arg-type]
        return {"rows": len(table), "engine": table.meta["engine"], "engine_versions": table.meta["engine_versions"]}

    return run


def _network_metrics(name: str, engine: str) -> Callable[[State], dict[str, Any]]:
    def run(s: State) -> dict[str, Any]:
        from ptce_graph.network import network_metrics

        table = network_metrics(_graph_of(s, name), engine=engine)  # type: ignore[arg-type]
        row = table.rows[0]
        return {"communities": row["communities"], "modularity": row["modularity"], "engine": table.meta["engine"]}

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


def _stages() -> list[Stage]:
    from ptce_graph.query.catalog import load_catalog

    def built(s: State) -> Any:
        return _nt(s) if s.mode == "fast" else _naive_built(s)

    stages = [Stage("read", "build", _fast_read, _naive_read),
              Stage("validate", "build", _fast_validate, _naive_validate, built)]
    for fmt in ("ttl", "jsonld", "nt"):
        fast, naive = _export(fmt)
        stages.append(Stage(f"export.{fmt}", "build", fast, naive, built))
    stages.append(Stage("load", "load", _fast_load, _naive_load))
    for query_id in load_catalog():
        fast, naive = _query(query_id)
        stages.append(Stage(f"query.{query_id}", "query", fast, naive, _store))
    stages.append(Stage("views.extract", "views", _extract, _extract, _store))
    for name in VIEWS:
        stages.append(Stage(f"view.{name}", "views", _view(name), _view(name), _data))
    # the fast pipeline measures with the default engine (igraph), the baseline with plain NetworkX
    for name in VIEWS:
        stages.append(Stage(f"metrics.actor.{name}", "metrics", _actor_metrics(name, "igraph"),
                            _actor_metrics(name, "networkx"), lambda s, n=name: _graph_of(s, n)))
    for name in VIEWS:
        stages.append(Stage(f"metrics.network.{name}", "metrics", _network_metrics(name, "igraph"),
                            _network_metrics(name, "networkx"), lambda s, n=name: _graph_of(s, n)))
    stages.append(Stage("metrics.ptce", "metrics", _ptce_indicators, _ptce_indicators, _data))
    return stages


STAGES: list[Stage] = []


def stage_names() -> list[str]:
    """The names of the stages, in the order they run."""
    return [stage.name for stage in _all()]


def _all() -> list[Stage]:
    if not STAGES:
        STAGES.extend(_stages())
    return STAGES


def _warm_imports(mode: str) -> None:
    """Import every module the stages use before any clock starts (imports are not timed)."""
    import importlib

    modules = ["ptce_graph.publish.build", "ptce_graph.check.validate", "ptce_graph.publish.export", "ptce_graph.query.run",
               "ptce_graph.store", "ptce_graph.network", "ptce_graph.network.engine", "rdflib.plugins.sparql"]
    if mode == "naive":
        modules += ["bench.naive.ingest", "bench.naive.export", "bench.naive.store", "pyshacl",
                    "rdflib.plugins.serializers.turtle", "rdflib.plugins.serializers.jsonld"]
    for module in modules:
        importlib.import_module(module)
    from ptce_graph.model.vocabulary import ontology_graph, ontology_ntriples

    ontology_graph()  # parsed once per process, by either pipeline
    ontology_ntriples()


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
    state = State(args.mode, args.size, args.repeat, folder, work, query_params(folder))
    if args.mode == "floor":
        started = time.perf_counter()
        info = _floor_load(state)
        _emit(event="done", stage="load", index=0, seconds=time.perf_counter() - started, info=info)
        _emit(event="end", peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        return 0
    _warm_imports(args.mode)
    stages = _all()
    for index in range(args.start, len(stages)):
        stage = stages[index]
        stage.prepare(state)
        _emit(event="start", stage=stage.name, index=index)
        _log(f"{args.mode} {stage.name}")
        function = stage.fast if args.mode == "fast" else stage.naive
        started = time.perf_counter()
        try:
            info = function(state)
        except RecursionError as exc:  # rdflib's property paths on large components
            _emit(event="failed", stage=stage.name, index=index, seconds=time.perf_counter() - started,
                  error=f"RecursionError: {exc}"[:200])
            continue
        _emit(event="done", stage=stage.name, index=index, seconds=time.perf_counter() - started, info=info)
    _emit(event="end", peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
