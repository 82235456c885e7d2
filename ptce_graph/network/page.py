"""The interactive network page: one self-contained HTML file (inline SVG and script, nothing fetched)."""

from __future__ import annotations

import html
import json

from ptce_graph.network.kinds import KIND_LABELS
from ptce_graph.network.plot import _EDGE_COLOURS, _edge_style, _edge_width, _Scene

__all__ = ["network_page"]


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: "DejaVu Sans", Arial, sans-serif; margin: 1rem 2rem; color: #222; }}
h1 {{ font-size: 1.3rem; margin: 0 0 .2rem; }} p.sub {{ color: #555; margin: 0 0 .6rem; font-size: .85rem; }}
#wrap {{ display: flex; gap: 1rem; }} svg {{ border: 1px solid #ddd; flex: 1; height: 78vh; cursor: grab; background: #fff; }}
aside {{ width: 18rem; font-size: .85rem; }} aside ul {{ list-style: none; padding: 0; }}
aside li span {{ display: inline-block; width: .8rem; height: .8rem; margin-right: .4rem; border: 1px solid #333; }}
circle, rect {{ stroke: #333; stroke-width: .04; }} line {{ stroke-linecap: round; }}
text {{ font-size: .34px; paint-order: stroke; stroke: #fff; stroke-width: .08px; pointer-events: none; }}
.dim {{ opacity: .12; }} #info {{ min-height: 6rem; }} input {{ width: 100%; margin-bottom: .5rem; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p class="sub">{subtitle}. Hover a node to see its ties, click it for details; scroll to zoom, drag to pan.</p>
<div id="wrap">
<svg id="net" viewBox="{viewbox}" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{title}">
<g id="edges">
{edges}
</g>
<g id="nodes">
{nodes}
</g>
<g id="labels">
{labels}
</g>
</svg>
<aside>
<input id="find" type="search" placeholder="Find an actor…" aria-label="Find an actor">
<div id="info">Click a node.</div>
<h2 style="font-size:1rem">Legend</h2>
<ul>
{legend}
</ul>
<p>Area: {size_by}.</p>
</aside>
</div>
<script type="application/json" id="data">{data}</script>
<script>
(function () {{
  const data = JSON.parse(document.getElementById("data").textContent);
  const svg = document.getElementById("net");
  const nodes = svg.querySelectorAll("[data-node]"), edges = svg.querySelectorAll("line");
  const labels = svg.querySelectorAll("text");
  const info = document.getElementById("info");
  function focus(id) {{
    const keep = new Set(id ? [id].concat(data.neighbours[id] || []) : []);
    nodes.forEach(n => n.classList.toggle("dim", !!id && !keep.has(n.dataset.node)));
    labels.forEach(t => t.classList.toggle("dim", !!id && !keep.has(t.dataset.node)));
    edges.forEach(e => e.classList.toggle("dim", !!id && e.dataset.u !== id && e.dataset.v !== id));
  }}
  function show(id) {{
    const d = data.nodes[id];
    info.textContent = "";
    const h = document.createElement("strong"); h.textContent = d.label; info.appendChild(h);
    for (const [k, v] of Object.entries(d)) {{
      if (k === "label") continue;
      const line = document.createElement("div"); line.textContent = k + ": " + v; info.appendChild(line);
    }}
  }}
  nodes.forEach(n => {{
    n.addEventListener("mouseenter", () => focus(n.dataset.node));
    n.addEventListener("mouseleave", () => focus(null));
    n.addEventListener("click", () => show(n.dataset.node));
  }});
  document.getElementById("find").addEventListener("input", ev => {{
    const q = ev.target.value.toLowerCase();
    const hit = q && Object.keys(data.nodes).find(k => data.nodes[k].label.toLowerCase().includes(q));
    focus(hit || null); if (hit) show(hit);
  }});
  let box = svg.getAttribute("viewBox").split(" ").map(Number), drag = null;
  const set = () => svg.setAttribute("viewBox", box.join(" "));
  svg.addEventListener("wheel", ev => {{
    ev.preventDefault();
    const r = svg.getBoundingClientRect(), f = ev.deltaY > 0 ? 1.15 : 1 / 1.15;
    const mx = box[0] + box[2] * (ev.clientX - r.left) / r.width, my = box[1] + box[3] * (ev.clientY - r.top) / r.height;
    box = [mx - (mx - box[0]) * f, my - (my - box[1]) * f, box[2] * f, box[3] * f]; set();
  }}, {{ passive: false }});
  svg.addEventListener("mousedown", ev => {{ drag = [ev.clientX, ev.clientY]; }});
  window.addEventListener("mouseup", () => {{ drag = null; }});
  window.addEventListener("mousemove", ev => {{
    if (!drag) return;
    const r = svg.getBoundingClientRect();
    box[0] -= (ev.clientX - drag[0]) * box[2] / r.width; box[1] -= (ev.clientY - drag[1]) * box[3] / r.height;
    drag = [ev.clientX, ev.clientY]; set();
  }});
}})();
</script>
</body>
</html>
"""


def network_page(scene: _Scene) -> bytes:
    """The page of a drawn scene, as UTF-8 bytes."""
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
        f'stroke-width="{0.03 * _edge_width(e["weight"], widest):.4f}" data-u="{esc(e["u"])}" data-v="{esc(e["v"])}"/>'
        for e in scene.edges
    )
    groups = {g.key: g for g in scene.groups}
    shapes = []
    for n in sorted(scene.nodes, key=lambda n: (n["size"], n["node"])):
        x, y = pos[n["node"]]
        r = 0.1 + 0.3 * n["size"]
        group = groups[n["group"]]
        colour = group.colour
        tip = f"<title>{esc(n['label'])} ({esc(KIND_LABELS.get(n['kind'], n['kind']))})</title>"
        if group.square:
            shapes.append(
                f'<rect x="{x - r:.4f}" y="{y - r:.4f}" width="{2 * r:.4f}" height="{2 * r:.4f}" '
                f'fill="{colour}" data-node="{esc(n["node"])}">{tip}</rect>'
            )
        else:
            shapes.append(
                f'<circle cx="{x:.4f}" cy="{y:.4f}" r="{r:.4f}" fill="{colour}" '
                f'data-node="{esc(n["node"])}">{tip}</circle>'
            )
    labels = "\n".join(
        f'<text x="{pos[n["node"]][0]:.4f}" y="{pos[n["node"]][1] - 0.18 - 0.3 * n["size"]:.4f}" '
        f'text-anchor="middle" data-node="{esc(n["node"])}">{esc(n["label"][:40])}</text>'
        for n in scene.nodes
        if n["labelled"]
    )
    legend = "\n".join(f'<li><span style="background:{g.colour}"></span>{esc(g.label)}</li>' for g in scene.groups)
    legend += "".join(
        f'\n<li><span style="background:{_EDGE_COLOURS.get(t, "#9a9a9a")};height:.2rem"></span>'
        f"{esc(t.replace('-', ' '))}</li>"
        for t in scene.edge_types
    )
    neighbours: dict[str, list[str]] = {n["node"]: [] for n in scene.nodes}
    for e in scene.edges:
        neighbours[e["u"]].append(e["v"])
        neighbours[e["v"]].append(e["u"])
    payload = {
        "nodes": {
            n["node"]: {
                "label": n["label"],
                "iri": n["node"],
                "kind": KIND_LABELS.get(n["kind"], n["kind"]),
                "degree": n["degree"],
                scene.size_by: round(n["metric"], 6),
                "community": n["community"],
            }
            for n in scene.nodes
        },
        "neighbours": {k: sorted(v) for k, v in neighbours.items()},
    }
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    page = _PAGE.format(
        title=esc(scene.title),
        subtitle=esc(scene.subtitle),
        viewbox=viewbox,
        edges=edges,
        nodes="\n".join(shapes),
        labels=labels,
        legend=legend,
        size_by=esc(scene.size_by),
        data=data,
    )
    return page.encode("utf-8")
