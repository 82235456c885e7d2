"""The interactive network page: one self-contained HTML file (inline SVG, style and script; nothing fetched).

The page draws a view (the same layout as the pictures) and filters it in the browser: a search
by name, the actor kinds, the région, the roles of the ties (the ``membership`` and
``relations`` views, whose edges carry them) and a year. A year shows the yearly snapshot of
the view (:func:`~ptce_graph.network.views.snapshots`): what was present at any time in that
year; ties with no date at all are left out unless "include undated" is ticked, then they
count as present every year (the ``--undated`` policies of the command line). Clicking a PTCE
shows its card: label, territory, members, homepage, and the sources of the facts about it.
The page is in English or French: its texts are :data:`~ptce_graph.network.words.PAGE_WORDS`,
written into the page for its script, kinds and roles are labelled by
:mod:`~ptce_graph.network.words`.

Everything the filters need is computed here, in Python, and written into the page as JSON, so
the page shows what :func:`~ptce_graph.network.views.project` gives for the same choices.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import networkx as nx
from rdflib import Literal, URIRef

from ptce_graph.io.pages import asset_text, fill, script_json
from ptce_graph.network.kinds import KINDS
from ptce_graph.network.periods import window
from ptce_graph.network.plot import _EDGE_COLOURS, _edge_style, _edge_width, _Scene
from ptce_graph.network.views import NetworkData, Relation, data_years, snapshots
from ptce_graph.network.words import check_lang, kind_label, page_words, role_label
from ptce_graph.query.catalog import get_query
from ptce_graph.query.run import render_query
from ptce_graph.store import SparqlStore

__all__ = ["Q_PTCE_FACTS", "network_page", "page_model"]

#: The territory labels and homepage of every PTCE (the card's facts besides its sources).
Q_PTCE_FACTS = """
SELECT ?ptce ?territory ?territoryLabel ?homepage WHERE {
  ?ptce a ptce:PTCE .
  OPTIONAL { ?ptce ptce:hasTerritory ?territory . OPTIONAL { ?territory rdfs:label ?territoryLabel } }
  OPTIONAL { ?ptce foaf:homepage ?homepage }
}"""

#: Views whose edges carry roles: a membership's roles, or a direct relation's type.
_ROLE_VIEWS = ("membership", "relations")
_POLICIES = ("exclude", "include")


def _ranges(years: Iterable[int]) -> list[list[int]]:
    """Years as sorted ``[first, last]`` runs (the page's compact form).

    Examples
    --------
    >>> _ranges([2007, 2001, 2002, 2003])
    [[2001, 2003], [2007, 2007]]
    """
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and runs[-1][1] == year - 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return runs


def _active(relation: Relation, years: list[int]) -> dict[str, list[list[int]]]:
    """The years a relation was present in, when undated relations are left out or included."""
    found = []
    for year in years:
        span = window(as_of=str(year))
        if span is not None and relation.interval.intersection(span.interval) is not None:
            found.append(year)
    undated = relation.interval.start is None and relation.interval.end is None
    return {"exclude": [] if undated else _ranges(found), "include": _ranges(found)}


def _facets(
    graph: nx.Graph,
    view: str,
    u: str,
    v: str,
    pairs: dict[frozenset[str], list[Relation]] | None,
    years: list[int],
) -> list[dict[str, Any]]:
    """What one drawn tie stands for: its memberships or relations, each with roles and years."""
    if pairs is not None and view in _ROLE_VIEWS:
        facets = []
        for r in pairs.get(frozenset((u, v)), []):
            roles = (list(r.role) or [""]) if view == "membership" else [r.type]
            facet: dict[str, Any] = {"roles": roles}
            if years:
                facet["years"] = _active(r, years)
            facets.append(facet)
        return facets
    if view in _ROLE_VIEWS:  # a view alone: the roles its edges carry, no years
        attrs: list[dict[str, Any]] = []
        for a, b in ((u, v), (v, u)):
            held = graph.get_edge_data(a, b)
            if held:
                attrs += list(held.values()) if graph.is_multigraph() else [held]
            if not graph.is_directed():
                break
        if view == "membership":
            return [{"roles": str(x.get("role", "")).split("|")} for x in attrs] or [{"roles": [""]}]
        return [{"roles": [str(x.get("relation_type", ""))]} for x in attrs] or [{"roles": [""]}]
    return [{}]


def _cards(ptces: list[str], data: NetworkData | None, store: SparqlStore | None) -> dict[str, dict[str, Any]]:
    """Each PTCE's card: territory, members (all dates), homepage and the sources of its facts."""
    cards: dict[str, dict[str, Any]] = {p: {} for p in ptces}
    if data is not None:
        members: dict[str, set[str]] = defaultdict(set)
        for m in data.ptce_memberships():
            members[m.target].add(m.source)
        for p in ptces:
            cards[p]["members"] = len(members.get(p, ()))
    if store is None:
        return cards
    territories: dict[str, dict[str, list[Literal]]] = defaultdict(lambda: defaultdict(list))
    homepages: dict[str, set[str]] = defaultdict(set)
    for ptce, territory, label, homepage in store.select(Q_PTCE_FACTS)[1]:
        key = str(ptce)
        if key not in cards:
            continue
        if territory is not None:
            labels = territories[key][str(territory)]
            if isinstance(label, Literal):
                labels.append(label)
        if homepage is not None:
            homepages[key].add(str(homepage))
    sources_query = get_query("entity_sources").text
    for p in ptces:
        names = []
        for iri, labels in sorted(territories.get(p, {}).items()):
            ranked = sorted(labels, key=lambda lit: ({"fr": 0, None: 1}.get(lit.language, 2), str(lit)))
            names.append(str(ranked[0]) if ranked else iri.rsplit("/", 1)[-1])
        cards[p]["territory"] = sorted(set(names))
        cards[p]["homepage"] = sorted(homepages.get(p, ()))
        sources: dict[str, dict[str, str]] = {}
        for _statement, _type, source, title, url in store.select(render_query(sources_query, {"entity": [URIRef(p)]}))[
            1
        ]:
            entry = sources.setdefault(str(source), {"iri": str(source), "title": "", "url": ""})
            entry["title"] = entry["title"] or (str(title) if title is not None else "")
            entry["url"] = entry["url"] or (str(url) if url is not None else "")
        cards[p]["sources"] = sorted(sources.values(), key=lambda s: (s["title"].lower(), s["iri"]))
    return cards


def page_model(
    scene: _Scene,
    graph: nx.Graph,
    *,
    view: str,
    data: NetworkData | None = None,
    store: SparqlStore | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    """What the page's script filters: nodes, ties with their roles and years, cards.

    Parameters
    ----------
    scene
        The drawing (positions, nodes and edges as drawn).
    graph
        The view it was drawn from (node kinds and régions; roles of the edges).
    view
        The view's name.
    data
        The data the view was projected from: gives the year filter (each node's and tie's
        years, as :func:`~ptce_graph.network.views.snapshots` computes them), the exact roles of
        merged ties and the members of each PTCE. Without it the page has no year filter.
    store
        Where the data was read: gives the PTCE cards their territory, homepage and sources.
    lang
        ``"en"`` or ``"fr"``: the labels of kinds, roles and details, and the ``words`` the
        script shows (:func:`~ptce_graph.network.words.page_words`).

    Examples
    --------
    >>> from ptce_graph.network import example_graph, to_networkx
    >>> from ptce_graph.network.plot import _scene
    >>> from ptce_graph.network.views import extract, project
    >>> data = extract(example_graph())
    >>> g = project(data, "membership")
    >>> model = page_model(_scene(g, "membership", "all dates", seed=1, labels=3, title=None), g,
    ...                    view="membership", data=data)
    >>> len(model["nodes"]) == g.number_of_nodes(), model["years"][:1]
    (True, [2014])
    """
    words = page_words(lang)
    years = data_years(data, view) if data is not None else []
    node_years: dict[str, dict[str, list[int]]] = defaultdict(lambda: {p: [] for p in _POLICIES})
    edge_years: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(lambda: {p: [] for p in _POLICIES})
    if data is not None and years:
        for policy in _POLICIES:
            for year, shot in snapshots(data, view, years=years, undated=policy).items():
                for n in shot.nodes:
                    node_years[str(n)][policy].append(year)
                for a, b in {(min(a, b), max(a, b)) for a, b in shot.edges()}:
                    edge_years[(str(a), str(b))][policy].append(year)
    nodes: dict[str, dict[str, Any]] = {}
    region_names: dict[str, str] = {}
    for n in scene.nodes:
        attrs = graph.nodes[n["node"]]
        codes = [c for c in str(attrs.get("region", "")).split("|") if c]
        labels = str(attrs.get("region_label", "")).split("|")
        for code, label in zip(codes, labels + [""] * len(codes)):
            region_names.setdefault(code, label or code)
        entry: dict[str, Any] = {
            "label": n["label"],
            "kind": n["kind"],
            "regions": codes,
            "details": {
                words["detail.iri"]: n["node"],
                words["detail.kind"]: kind_label(n["kind"], lang),
                words["detail.region"]: ", ".join(region_names[c] for c in codes),
                words["detail.ties"]: n["degree"],
                scene.size_by: round(n["metric"], 6),
                words["detail.community"]: n["community"],
            },
        }
        if years:
            entry["years"] = {p: _ranges(node_years[n["node"]][p]) for p in _POLICIES}
        nodes[n["node"]] = entry
    pairs: dict[frozenset[str], list[Relation]] | None = None
    if data is not None and view in _ROLE_VIEWS:
        pairs = defaultdict(list)
        for r in data.ptce_memberships() if view == "membership" else data.relations:
            pairs[frozenset((r.source, r.target))].append(r)
    edges = []
    for e in scene.edges:
        facets = _facets(graph, view, e["u"], e["v"], pairs, years)
        if years and view not in _ROLE_VIEWS:
            facets = [
                {"years": {p: _ranges(y) for p, y in edge_years[(min(e["u"], e["v"]), max(e["u"], e["v"]))].items()}}
            ]
        edges.append({"u": e["u"], "v": e["v"], "facets": facets})
    ptces = sorted(n for n, d in nodes.items() if d["kind"] == "ptce")
    for ptce, card in _cards(ptces, data, store).items():
        nodes[ptce]["card"] = card
    roles = sorted({r for e in edges for f in e["facets"] for r in f.get("roles", ())}) if view in _ROLE_VIEWS else []
    undated = 0
    if data is not None:
        pool = data.relations if view == "relations" else data.ptce_memberships()
        drawn = set(nodes)
        undated = sum(
            1
            for r in pool
            if r.interval.start is None and r.interval.end is None and r.source in drawn and r.target in drawn
        )
    kinds = [k for k in KINDS if any(d["kind"] == k for d in nodes.values())]
    kinds += sorted({d["kind"] for d in nodes.values()} - set(kinds))
    return {
        "view": view,
        "nodes": nodes,
        "edges": edges,
        "kinds": [[k, kind_label(k, lang)] for k in kinds],
        "roles": roles,
        "role_labels": [role_label(r, lang) if r else words["no role"] for r in roles],
        "regions": sorted(region_names.items(), key=lambda item: (item[1].lower(), item[0])),
        "years": years,
        "undated": undated,
        "lang": check_lang(lang),
        "words": words,
    }


def _svg(scene: _Scene, lang: str = "en") -> tuple[str, str, str, str]:
    """The drawing: viewBox, edges, nodes and labels as SVG elements."""
    esc = html.escape
    pos = {n: (x, -y) for n, (x, y) in scene.pos.items()}  # SVG's y axis points down
    if pos:
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        viewbox = f"{min(xs) - 1:.3f} {min(ys) - 1:.3f} {max(xs) - min(xs) + 2:.3f} {max(ys) - min(ys) + 2:.3f}"
    else:
        viewbox = "0 0 1 1"
    widest = max((e["weight"] for e in scene.edges), default=1) or 1
    alpha, _ = _edge_style(scene)
    edges = "\n".join(
        f'<line x1="{pos[e["u"]][0]:.4f}" y1="{pos[e["u"]][1]:.4f}" x2="{pos[e["v"]][0]:.4f}" '
        f'y2="{pos[e["v"]][1]:.4f}" stroke="{_EDGE_COLOURS.get(e["type"], "#8c8c8c")}" stroke-opacity="{alpha:.3f}" '
        f'stroke-width="{0.03 * _edge_width(e["weight"], widest):.4f}" data-e="{i}" data-u="{esc(e["u"])}" '
        f'data-v="{esc(e["v"])}"/>'
        for i, e in enumerate(scene.edges)
    )
    groups = {g.key: g for g in scene.groups}
    shapes = []
    for n in sorted(scene.nodes, key=lambda n: (n["size"], n["node"])):
        x, y = pos[n["node"]]
        r = 0.1 + 0.3 * n["size"]
        group = groups[n["group"]]
        tip = f"<title>{esc(n['label'])} ({esc(kind_label(n['kind'], lang))})</title>"
        if group.square:
            shapes.append(
                f'<rect x="{x - r:.4f}" y="{y - r:.4f}" width="{2 * r:.4f}" height="{2 * r:.4f}" '
                f'fill="{group.colour}" data-node="{esc(n["node"])}">{tip}</rect>'
            )
        else:
            shapes.append(
                f'<circle cx="{x:.4f}" cy="{y:.4f}" r="{r:.4f}" fill="{group.colour}" '
                f'data-node="{esc(n["node"])}">{tip}</circle>'
            )
    labels = "\n".join(
        f'<text x="{pos[n["node"]][0]:.4f}" y="{pos[n["node"]][1] - 0.18 - 0.3 * n["size"]:.4f}" '
        f'text-anchor="middle" data-node="{esc(n["node"])}">{esc(n["label"][:40])}</text>'
        for n in scene.nodes
        if n["labelled"]
    )
    return viewbox, edges, "\n".join(shapes), labels


def _controls(model: dict[str, Any]) -> str:
    """The filters of the side panel, in the words of the model's language."""
    esc = html.escape
    words = model["words"]
    parts = [
        f'<label class="block">{esc(words["search"])} <input id="find" type="search" '
        f'placeholder="{esc(words["search.placeholder"])}"></label>',
        f'<fieldset id="f-kind"><legend>{esc(words["kinds"])}</legend>'
        + "".join(
            f'<label><input type="checkbox" name="kinds" value="{esc(k)}" checked> {esc(label)}</label>'
            for k, label in model["kinds"]
        )
        + "</fieldset>",
    ]
    if model["roles"]:
        what = words["roles.membership"] if model["view"] == "membership" else words["roles.relations"]
        parts.append(
            f'<fieldset id="f-role"><legend>{esc(what)}</legend>'
            + "".join(
                f'<label><input type="checkbox" name="roles" value="{esc(r)}" checked> {esc(label)}</label>'
                for r, label in zip(model["roles"], model["role_labels"], strict=True)
            )
            + "</fieldset>"
        )
    parts.append(
        f'<label class="block">{esc(words["region"])} <select id="region">'
        f'<option value="">{esc(words["all regions"])}</option>'
        + "".join(f'<option value="{esc(code)}">{esc(name)}</option>' for code, name in model["regions"])
        + "</select></label>"
    )
    if model["years"]:
        parts.append(
            f'<label class="block">{esc(words["year"])} <select id="year">'
            f'<option value="">{esc(words["all dates"])}</option>'
            + "".join(f'<option value="{y}">{y}</option>' for y in model["years"])
            + "</select></label>"
            f'<label><input type="checkbox" id="undated"> {esc(words["undated"].format(n=model["undated"]))}</label>'
        )
    parts.append(
        f'<button id="reset" type="button">{esc(words["show all"])}</button><p id="shown" aria-live="polite"></p>'
    )
    return "\n".join(parts)


_PAGE = """<!DOCTYPE html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<title>{{title}}</title>
<style>
{{style}}</style>
</head>
<body>
<h1>{{title}}</h1>
<p class="sub">{{subtitle}}. {{help}}</p>
<div id="wrap">
<svg id="net" viewBox="{{viewbox}}" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{{title}}">
<g id="edges">
{{edges}}
</g>
<g id="nodes">
{{nodes}}
</g>
<g id="labels">
{{labels}}
</g>
</svg>
<aside>
{{controls}}
<div id="info">{{click}}</div>
<h2>{{legend_head}}</h2>
<ul id="legend">
{{legend}}
</ul>
<p>{{area}}</p>
</aside>
</div>
<script type="application/json" id="data">{{data}}</script>
<script>
{{script}}</script>
</body>
</html>
"""


def network_page(
    scene: _Scene,
    graph: nx.Graph | None = None,
    *,
    view: str = "",
    data: NetworkData | None = None,
    store: SparqlStore | None = None,
    lang: str = "en",
) -> bytes:
    """The page of a drawn view, as UTF-8 bytes: SVG, filters and cards, nothing to fetch.

    Parameters
    ----------
    scene
        The drawing.
    graph, view, data, store
        See :func:`page_model`; without ``graph`` the page has the search and the kind filter.
    lang
        ``"en"`` or ``"fr"``: the language of the page's own text (the scene's title, subtitle
        and legend are drawn in it by :func:`~ptce_graph.network.plot.plot_graph`).

    Examples
    --------
    >>> from ptce_graph.network import example_graph
    >>> from ptce_graph.network.plot import _scene
    >>> from ptce_graph.network.views import extract, project
    >>> data = extract(example_graph())
    >>> g = project(data, "relations")
    >>> page = network_page(_scene(g, "relations", "all dates", seed=1, labels=3, title=None), g,
    ...                     view="relations", data=data).decode()
    >>> page.count("<circle") + page.count("<rect") == g.number_of_nodes(), "http" in page.split("<svg")[0]
    (True, False)
    >>> fr = network_page(_scene(g, "relations", "all dates", seed=1, labels=3, title=None, lang="fr"), g,
    ...                   view="relations", data=data, lang="fr").decode()
    >>> '<html lang="fr">' in fr, "Type d'acteur" in fr, "Actor kind" in fr
    (True, True, False)
    """
    esc = html.escape
    model = page_model(
        scene, graph if graph is not None else _bare(scene), view=view, data=data, store=store, lang=lang
    )
    words = model["words"]
    viewbox, edges, nodes, labels = _svg(scene, lang)
    legend = "\n".join(f'<li><span style="background:{g.colour}"></span>{esc(g.label)}</li>' for g in scene.groups)
    legend += "".join(
        f'\n<li><span style="background:{_EDGE_COLOURS.get(t, "#9a9a9a")};height:.2rem"></span>'
        f"{esc(role_label(t, lang))}</li>"
        for t in scene.edge_types
    )
    values = {
        "title": esc(scene.title),
        "subtitle": esc(scene.subtitle),
        "viewbox": viewbox,
        "edges": edges,
        "nodes": nodes,
        "labels": labels,
        "controls": _controls(model),
        "legend": legend,
        "lang": model["lang"],
        "help": esc(words["help"]),
        "click": esc(words["click"]),
        "legend_head": esc(words["legend"]),
        "area": esc(words["area"].format(size_by=scene.size_by)),
        "style": asset_text("network.css"),
        "script": asset_text("network.js"),
        "data": script_json(model),
    }
    return fill(_PAGE, values).encode("utf-8")


def _bare(scene: _Scene) -> nx.Graph:
    """A graph of the scene's nodes and kinds, for a page drawn without its view graph."""
    graph = nx.Graph()
    for n in scene.nodes:
        graph.add_node(n["node"], kind=n["kind"], label=n["label"])
    graph.add_edges_from((e["u"], e["v"]) for e in scene.edges)
    return graph
