"""Check Murmurations profiles against the vendored Murmurations JSON Schemas, offline.

The Murmurations index validates a profile first against its default schema, then against each
schema the profile names in ``linked_schemas``; :func:`profile_errors` does the same with the
copies in ``ptce_graph/_vendor/murmurations`` (the default schema ``default-v2.1.0`` and
``organizations_schema-v1.0.0``, with every field file they refer to). Their ``$ref`` are
relative file names (``../fields/name.json``): they are resolved among the vendored files and
nowhere else, so a check never reaches the network. As JSON Schema draft-07 says, the keywords
beside a ``$ref`` are ignored.

Examples
--------
>>> profile_errors({"linked_schemas": ["organizations_schema-v1.0.0"], "name": "Pôle Sud"})
()
>>> profile_errors({"linked_schemas": ["organizations_schema-v1.0.0"]})
("organizations_schema-v1.0.0: (profile): 'name' is a required property",)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from ptce_graph.errors import shown
from ptce_graph.resources import murmurations_schemas_dir

__all__ = ["DEFAULT_SCHEMA", "ORGANIZATIONS_SCHEMA", "profile_errors", "schema", "vendored_schemas"]

#: The schema the index checks every profile against first.
DEFAULT_SCHEMA = "default-v2.1.0"
#: The schema of groups, projects and organisations, the one ptce-graph's profiles link.
ORGANIZATIONS_SCHEMA = "organizations_schema-v1.0.0"

#: The longest message of jsonschema's shown as it is (they quote the failing value whole).
_SHOWN = 160


def vendored_schemas() -> tuple[str, ...]:
    """The names of the vendored schemas, sorted.

    Examples
    --------
    >>> vendored_schemas()
    ('default-v2.1.0', 'organizations_schema-v1.0.0')
    """
    return tuple(sorted(p.stem for p in (murmurations_schemas_dir() / "schemas").glob("*.json")))


def _resolved(node: Any, base: Path, root: Path) -> Any:
    """``node`` with each ``$ref`` replaced by the vendored file it names, recursively."""
    if isinstance(node, list):
        return [_resolved(item, base, root) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        target = (base.parent / ref).resolve()
        if root not in target.parents or not target.is_file():
            # the vendored copy is incomplete: a packaging fault, not the user's input
            raise RuntimeError(f"{base.name}: $ref '{ref}' is not a vendored file under {root}; reinstall ptce-graph")
        return _resolved(json.loads(target.read_text(encoding="utf-8")), target, root)
    return {key: _resolved(value, base, root) for key, value in node.items()}


@cache
def schema(name: str) -> Mapping[str, Any]:
    """The vendored schema ``name`` with its field files in place of its ``$ref``.

    Examples
    --------
    >>> schema("organizations_schema-v1.0.0")["properties"]["name"]["maxLength"]
    200
    """
    root = murmurations_schemas_dir().resolve()
    path = root / "schemas" / f"{name}.json"
    if not path.is_file():
        raise KeyError(name)
    resolved: Mapping[str, Any] = _resolved(json.loads(path.read_text(encoding="utf-8")), path, root)
    return resolved


@cache
def _validator(name: str) -> Any:
    from jsonschema import Draft7Validator

    return Draft7Validator(schema(name))


def _where(path: Any) -> str:
    parts = [str(p) for p in path]
    return "/" + "/".join(parts) if parts else "(profile)"


def profile_errors(profile: Mapping[str, Any]) -> tuple[str, ...]:
    """Why ``profile`` would be refused by the index: one message per failure, in a stable order.

    The profile is checked against the default schema, then against each schema of its
    ``linked_schemas``; a linked schema that is not vendored is a failure too. Each message
    names the schema and the place in the profile (``/relationships/0/object_url``).

    Examples
    --------
    >>> for message in profile_errors({"linked_schemas": ["organizations_schema-v1.0.0"], "name": "x",
    ...                                "primary_url": "example.org"}):
    ...     print(message)
    default-v2.1.0: /primary_url: 'example.org' does not match '^https?://.*'
    organizations_schema-v1.0.0: /primary_url: 'example.org' does not match '^https?://.*'
    >>> print(*profile_errors({"linked_schemas": ["karte_von_morgen-v1.0.0"], "name": "x"}))
    karte_von_morgen-v1.0.0: this schema is not vendored in ptce-graph (it has default-v2.1.0, \
organizations_schema-v1.0.0)
    """
    messages: list[str] = []
    linked = profile.get("linked_schemas")
    names = [DEFAULT_SCHEMA] + sorted({s for s in linked if isinstance(s, str)} if isinstance(linked, list) else set())
    for name in names:
        if name not in vendored_schemas():
            messages.append(
                f"{name}: this schema is not vendored in ptce-graph (it has {', '.join(vendored_schemas())})"
            )
            continue
        found = []
        for error in _validator(name).iter_errors(profile):
            text = error.message
            if len(text) > _SHOWN:  # the message quotes the value: name the rule and elide the value
                value = error.instance if isinstance(error.instance, str) else json.dumps(error.instance)
                text = f"the value {shown(value)} fails {error.validator} {json.dumps(error.validator_value)}"
            found.append(f"{name}: {_where(error.absolute_path)}: {text}")
        messages.extend(sorted(found))
    return tuple(messages)
