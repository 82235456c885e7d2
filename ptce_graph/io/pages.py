"""What the project's self-contained HTML pages share: their inlined assets, data and template."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from ptce_graph.resources import page_asset

__all__ = ["asset_text", "fill", "script_json"]

_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


@cache  # read once per process: every page and every served request inlines them
def asset_text(name: str) -> str:
    """The text of a script or style sheet of ``ptce_graph/_pages/``, to be inlined.

    Examples
    --------
    >>> "function" in asset_text("network.js")
    True
    """
    return page_asset(name).read_text(encoding="utf-8")


def script_json(value: Any) -> str:
    """``value`` as JSON to sit in a ``<script type="application/json">`` element: keys sorted,
    and ``</`` escaped so that no text in it can close the element.

    Examples
    --------
    >>> script_json({"b": "</script>", "a": "é"})
    '{"a": "é", "b": "<\\\\/script>"}'
    """
    return json.dumps(value, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


def fill(template: str, values: Mapping[str, str]) -> str:
    """Put each ``{{key}}`` of ``template`` in one pass: text put in is never read for
    placeholders again, so a script, a style sheet or JSON may hold ``{{`` as it likes.

    Examples
    --------
    >>> fill("<p>{{a}} {{b}}</p>", {"a": "{{b}}", "b": "x"})
    '<p>{{b}} x</p>'
    """
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)
