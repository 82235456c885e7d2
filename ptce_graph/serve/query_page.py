"""The endpoint's query page: a text area, the canned queries as examples, a results table."""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Mapping

from ptce_graph.io.pages import asset_text, fill, script_json
from ptce_graph.query.catalog import CannedQuery

__all__ = ["PAGE_POLICY", "query_page"]

_DEFAULT = "SELECT ?ptce ?label WHERE {\n  ?ptce a ptce:PTCE ; rdfs:label ?label\n} ORDER BY ?label"

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ptce-graph SPARQL endpoint</title>
<style>{{style}}</style></head><body>
<h1>ptce-graph {{version}}: read-only SPARQL endpoint</h1>
<p>SPARQL 1.1 Protocol at <code>/sparql</code> (GET or POST); the usual prefixes (<code>ptce:</code>,
<code>rdfs:</code>, <code>org:</code>, <code>dct:</code>...) are known. Each canned query also runs at
<code>/canned/ID?param=value</code>, its parameter values bound as RDF terms.</p>
<form id="own">
<label for="example">Example</label>
<select id="example"><option value="">your own query</option>{{options}}</select>
<p id="about"></p>
<div id="params"></div>
<textarea id="query" name="query" spellcheck="false" aria-label="SPARQL query">{{default}}</textarea>
<p class="hint">An example runs with its parameters, bound by the endpoint; once you edit its text,
Run sends your text as it is.</p>
<button id="run">Run</button> <span id="status" aria-live="polite"></span>
</form>
<h2>Results</h2><div id="results"></div>
<script type="application/json" id="catalogue">{{catalogue}}</script>
<script>{{script}}</script></body></html>
"""


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _body(text: str) -> str:
    r"""A canned query without its ``#+`` header (the page shows the description apart).

    Examples
    --------
    >>> _body("#+ summary: x\n#+ tags: []\nSELECT * WHERE { ?s ?p ?o }\n")
    'SELECT * WHERE { ?s ?p ?o }\n'
    """
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#+"))


def query_page(catalog: Mapping[str, CannedQuery], version: str) -> str:
    """The page at the endpoint's root.

    Examples
    --------
    >>> from ptce_graph.query.catalog import load_catalog
    >>> page = query_page(load_catalog(), "1.0")
    >>> '<option value="ptce_members">' in page and "<script src" not in page
    True
    """
    esc = html.escape
    options = "".join(
        f'<option value="{esc(q.id)}">{esc(q.id)}: {esc(q.summary)}</option>'
        for q in sorted(catalog.values(), key=lambda q: q.id)
    )
    catalogue = {
        q.id: {
            "summary": q.summary,
            "description": q.description,
            "text": _body(q.text),
            "params": [
                {
                    "name": p.name,
                    "type": p.type,
                    "required": p.required,
                    "default": "" if p.default is None else str(p.default),
                    "doc": p.doc,
                    "multiple": p.multiple,
                }
                for p in q.params
            ],
        }
        for q in catalog.values()
    }
    return fill(
        _PAGE,
        {
            "version": esc(version),
            "options": options,
            "default": esc(_DEFAULT),
            "style": asset_text("query.css"),
            "script": asset_text("query.js"),
            "catalogue": script_json(catalogue),
        },
    )


#: The page may run its own script and style, talk to this endpoint only, and never be framed.
PAGE_POLICY = (
    f"default-src 'none'; script-src {_hash(asset_text('query.js'))}; "
    f"style-src {_hash(asset_text('query.css'))}; connect-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
