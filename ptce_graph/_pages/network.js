// The network page's script: filters, search, cards, zoom. Its data is the JSON block
// "data" written by ptce_graph/network/page.py; it fetches nothing. Every text it shows is
// data: a node's facts, or a phrase of data.words (PAGE_WORDS in ptce_graph/network/words.py,
// in the page's language) read through say().
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("data").textContent);
  // The phrase "key" of data.words, its {name} fields filled from values.
  const say = (key, values = {}) =>
    data.words[key].replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
  const $ = (id) => document.getElementById(id);
  const svg = $("net");
  const nodeEls = Array.from(svg.querySelectorAll("#nodes [data-node]"));
  const edgeEls = Array.from(svg.querySelectorAll("#edges line"));
  const labelEls = Array.from(svg.querySelectorAll("#labels text"));
  const info = $("info");
  // Case and accents do not matter to the search: "economie" finds "Économie".
  const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const during = (runs, year) => runs.some(([a, b]) => a <= year && year <= b);
  const ticked = (name) =>
    new Set(Array.from(document.querySelectorAll("input[name=" + name + "]:checked"), (i) => i.value));
  const neighbours = {};
  for (const id of Object.keys(data.nodes)) neighbours[id] = new Set();
  for (const e of data.edges) { neighbours[e.u].add(e.v); neighbours[e.v].add(e.u); }
  let shownNodes = new Set(Object.keys(data.nodes));

  function choices() {
    const year = $("year") && $("year").value !== "" ? Number($("year").value) : null;
    return {
      text: fold($("find").value.trim()),
      kinds: ticked("kinds"),
      roles: data.roles.length ? ticked("roles") : null,
      region: $("region").value,
      year: year,
      policy: $("undated") && $("undated").checked ? "include" : "exclude",
    };
  }

  // A tie is kept when one of the memberships or relations it stands for has a chosen role
  // and, with a year, was present that year.
  function facetKept(f, c) {
    if (c.roles && !(f.roles || []).some((r) => c.roles.has(r))) return false;
    if (c.year !== null && f.years) return during(f.years[c.policy], c.year);
    return true;
  }

  function apply() {
    const c = choices();
    const someRoles = c.roles !== null && c.roles.size < data.roles.length;
    const tieKept = data.edges.map((e) => e.facets.some((f) => facetKept(f, c)));
    const touched = new Set();
    data.edges.forEach((e, i) => { if (tieKept[i]) { touched.add(e.u); touched.add(e.v); } });
    const keep = new Set();
    for (const [id, n] of Object.entries(data.nodes)) {
      if (!c.kinds.has(n.kind)) continue;
      if (c.region && !n.regions.includes(c.region)) continue;
      if (c.text && !fold(n.label).includes(c.text)) continue;
      if (c.year !== null && n.years && !during(n.years[c.policy], c.year)) continue;
      if (someRoles && !touched.has(id)) continue;  // a role filter keeps the nodes its ties join
      keep.add(id);
    }
    shownNodes = keep;
    nodeEls.forEach((el) => el.classList.toggle("hide", !keep.has(el.dataset.node)));
    labelEls.forEach((el) => el.classList.toggle("hide", !keep.has(el.dataset.node)));
    let ties = 0;
    edgeEls.forEach((el) => {
      const i = Number(el.dataset.e), e = data.edges[i];
      const on = tieKept[i] && keep.has(e.u) && keep.has(e.v);
      if (on) ties += 1;
      el.classList.toggle("hide", !on);
    });
    const total = Object.keys(data.nodes).length;
    $("shown").textContent = say("shown", { nodes: keep.size, total: total, ties: ties, all: data.edges.length });
    $("shown").dataset.nodes = String(keep.size);
    $("shown").dataset.ties = String(ties);
  }

  function focus(id) {
    const near = new Set(id ? [id].concat(Array.from(neighbours[id] || [])) : []);
    nodeEls.forEach((n) => n.classList.toggle("dim", !!id && !near.has(n.dataset.node)));
    labelEls.forEach((t) => t.classList.toggle("dim", !!id && !near.has(t.dataset.node)));
    edgeEls.forEach((e) => e.classList.toggle("dim", !!id && e.dataset.u !== id && e.dataset.v !== id));
  }

  function line(parent, label, value) {
    const div = document.createElement("div");
    const b = document.createElement("b");
    b.textContent = label + say("colon");
    div.appendChild(b);
    if (value instanceof Node) div.appendChild(value); else div.appendChild(document.createTextNode(String(value)));
    parent.appendChild(div);
    return div;
  }

  function link(url, text) {
    const a = document.createElement("a");
    a.href = url; a.textContent = text || url; a.target = "_blank"; a.rel = "noopener noreferrer";
    return a;
  }

  function show(id) {
    const n = data.nodes[id];
    nodeEls.forEach((el) => el.classList.toggle("picked", el.dataset.node === id));
    info.textContent = "";
    info.dataset.node = id;
    const h = document.createElement("h3");
    h.textContent = n.label;
    info.appendChild(h);
    const card = n.card;
    if (card) {
      info.classList.add("card");
      if (card.territory && card.territory.length) line(info, say("card.territory"), card.territory.join(", "));
      if (card.members !== undefined) line(info, say("card.members"), card.members);
      for (const url of card.homepage || []) line(info, say("card.homepage"), link(url));
      if (card.sources) {
        const head = document.createElement("b");
        head.textContent = say("card.sources", { n: card.sources.length });
        info.appendChild(head);
        const list = document.createElement("ol");
        list.id = "sources";
        for (const s of card.sources) {
          const li = document.createElement("li");
          if (s.url) li.appendChild(link(s.url, s.title || s.url));
          else li.textContent = s.title || s.iri;
          list.appendChild(li);
        }
        info.appendChild(list);
      }
    } else {
      info.classList.remove("card");
    }
    for (const [k, v] of Object.entries(n.details)) {
      if (v !== null && v !== "") line(info, k, v);
    }
  }

  nodeEls.forEach((el) => {
    el.addEventListener("mouseenter", () => focus(el.dataset.node));
    el.addEventListener("mouseleave", () => focus(null));
    el.addEventListener("click", () => show(el.dataset.node));
  });
  for (const el of document.querySelectorAll("aside input, aside select")) {
    el.addEventListener(el.type === "search" ? "input" : "change", apply);
  }
  $("find").addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && shownNodes.size === 1) show(Array.from(shownNodes)[0]);
  });
  $("reset").addEventListener("click", () => {
    $("find").value = "";
    for (const el of document.querySelectorAll("aside input[type=checkbox]")) el.checked = el.id !== "undated";
    $("region").value = "";
    if ($("year")) $("year").value = "";
    apply();
  });

  let box = svg.getAttribute("viewBox").split(" ").map(Number), drag = null;
  const set = () => svg.setAttribute("viewBox", box.join(" "));
  svg.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const r = svg.getBoundingClientRect(), f = ev.deltaY > 0 ? 1.15 : 1 / 1.15;
    const mx = box[0] + box[2] * (ev.clientX - r.left) / r.width;
    const my = box[1] + box[3] * (ev.clientY - r.top) / r.height;
    box = [mx - (mx - box[0]) * f, my - (my - box[1]) * f, box[2] * f, box[3] * f];
    set();
  }, { passive: false });
  svg.addEventListener("mousedown", (ev) => { drag = [ev.clientX, ev.clientY]; });
  window.addEventListener("mouseup", () => { drag = null; });
  window.addEventListener("mousemove", (ev) => {
    if (!drag) return;
    const r = svg.getBoundingClientRect();
    box[0] -= (ev.clientX - drag[0]) * box[2] / r.width;
    box[1] -= (ev.clientY - drag[1]) * box[3] / r.height;
    drag = [ev.clientX, ev.clientY];
    set();
  });
  apply();
})();
