// The endpoint page's script: canned examples, running a query, the results table.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const catalogue = JSON.parse($("catalogue").textContent);
  const JSON_RESULTS = "application/sparql-results+json";
  // a CONSTRUCT or DESCRIBE answers in Turtle, shown as text
  const ACCEPT = JSON_RESULTS + ", text/turtle;q=0.9, */*;q=0.1";
  let chosen = null;  // the example whose text is in the text area, unedited

  function cell(tag, text) {
    const el = document.createElement(tag);
    el.textContent = text;
    return el;
  }

  function table(r) {
    const out = $("results");
    out.textContent = "";
    if (typeof r.boolean === "boolean") {
      out.appendChild(cell("p", "ASK: " + r.boolean));
      $("status").textContent = "done";
      return;
    }
    const vars = r.head.vars, rows = r.results.bindings;
    const t = document.createElement("table");
    t.id = "table";
    const head = document.createElement("tr");
    for (const v of vars) head.appendChild(cell("th", v));
    t.appendChild(head);
    for (const b of rows) {
      const tr = document.createElement("tr");
      for (const v of vars) tr.appendChild(cell("td", b[v] ? b[v].value : ""));
      t.appendChild(tr);
    }
    out.appendChild(t);
    const count = cell("p", rows.length + (rows.length === 1 ? " row" : " rows"));
    count.id = "count";
    count.dataset.rows = String(rows.length);
    out.appendChild(count);
    $("status").textContent = "done";
  }

  async function go(url, options) {
    $("status").textContent = "running…";
    $("results").textContent = "";
    let res, text;
    try {
      res = await fetch(url, options);
      text = await res.text();
    } catch (e) {
      $("status").textContent = "the endpoint did not answer";
      return;
    }
    if (res.ok && (res.headers.get("Content-Type") || "").startsWith(JSON_RESULTS)) {
      table(JSON.parse(text));
      return;
    }
    $("status").textContent = res.ok ? "done" : "refused (" + res.status + ")";
    const pre = cell("pre", text);
    if (!res.ok) pre.className = "error";
    $("results").appendChild(pre);
  }

  function pick(id) {
    const q = catalogue[id];
    const params = $("params");
    params.textContent = "";
    $("about").textContent = q ? q.description : "";
    chosen = q ? id : null;
    if (!q) return;
    $("query").value = q.text;
    for (const p of q.params) {
      const label = cell("label", p.name + (p.required ? " (required) " : " "));
      const input = document.createElement("input");
      input.name = p.name;
      input.value = p.default;
      input.placeholder = p.type + (p.multiple ? ", comma-separated" : "");
      input.required = p.required;
      input.dataset.param = "1";
      label.appendChild(input);
      label.appendChild(cell("small", " " + p.doc));
      params.appendChild(label);
    }
  }

  $("example").addEventListener("change", (ev) => pick(ev.target.value));
  $("query").addEventListener("input", () => {
    if (chosen && $("query").value !== catalogue[chosen].text) {
      chosen = null;
      $("params").textContent = "";
      $("about").textContent = "Your own query (edited from an example): its parameters are no longer bound.";
    }
  });
  $("own").addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (chosen) {
      const p = new URLSearchParams();
      for (const input of $("params").querySelectorAll("input[data-param]")) {
        if (input.value) p.append(input.name, input.value);
      }
      go("canned/" + encodeURIComponent(chosen) + "?" + p, { headers: { Accept: ACCEPT } });
    } else {
      go("sparql", {
        method: "POST",
        headers: { Accept: ACCEPT, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ query: $("query").value }),
      });
    }
  });
})();
