"""The w3id.org redirect rules (docs/w3id/ptce-graph/.htaccess): they parse, cover every path
and media type, and send each request where the ``docs`` command writes the file.

The rules are run by a small model of Apache's mod_rewrite (conditions joined by AND unless
flagged [OR], ``!`` negates, [NC] ignores case, the first matching rule with [L] wins), enough
for the directives the file uses; a directive outside that set fails the test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from ptce_graph.io.rdf import CONTEXT_IRI
from ptce_graph.publish.ontology_docs import CONTEXT_FILE, LANGUAGES, RDF_DOCUMENTS, RDF_FORMATS

ROOT = Path(__file__).resolve().parents[2]
HTACCESS = ROOT / "docs" / "w3id" / "ptce-graph" / ".htaccess"
TARGET = "https://TARGET-HOST/ptce-graph/"
HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"  # what browsers send
MEDIA = {
    "text/turtle": ".ttl",
    "application/ld+json": ".jsonld",
    "application/rdf+xml": ".rdf",
    "application/n-triples": ".nt",
}


@dataclass(frozen=True)
class Cond:
    variable: str
    pattern: str
    flags: frozenset[str]


@dataclass(frozen=True)
class Rule:
    conds: tuple[Cond, ...]
    pattern: str
    target: str
    flags: frozenset[str]


def _flags(text: str | None) -> frozenset[str]:
    return frozenset(f.strip() for f in (text or "").strip("[]").split(",") if f.strip())


def rules() -> list[Rule]:
    parsed: list[Rule] = []
    conds: list[Cond] = []
    for number, line in enumerate(HTACCESS.read_text(encoding="utf-8").splitlines(), 1):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0] in ("Options", "RewriteEngine"):
            continue
        if words[0] == "RewriteCond" and len(words) in (3, 4):
            conds.append(Cond(words[1], words[2], _flags(words[3] if len(words) == 4 else None)))
        elif words[0] == "RewriteRule" and len(words) == 4:
            re.compile(words[1])
            parsed.append(Rule(tuple(conds), words[1], words[2], _flags(words[3])))
            conds = []
        else:
            raise AssertionError(f"{HTACCESS}:{number}: a directive this test does not model: {line}")
    assert conds == [], "conditions after the last rule"
    return parsed


def _holds(cond: Cond, headers: dict[str, str]) -> bool:
    names = {"%{HTTP_ACCEPT}": "Accept", "%{HTTP:Accept-Language}": "Accept-Language",
             "%{HTTP_USER_AGENT}": "User-Agent"}
    value = headers.get(names[cond.variable], "")
    negate, pattern = cond.pattern.startswith("!"), cond.pattern.lstrip("!")
    found = re.search(pattern, value, re.I if "NC" in cond.flags else 0) is not None
    return found != negate


def _conds_hold(conds: tuple[Cond, ...], headers: dict[str, str]) -> bool:
    group: list[bool] = []
    for cond in conds:
        group.append(_holds(cond, headers))
        if "OR" not in cond.flags:
            if not any(group):
                return False
            group = []
    return not group or any(group)


def resolve(path: str, accept: str = HTML, language: str = "en-GB,en;q=0.8") -> tuple[str, int]:
    """Where ``https://w3id.org/ptce-graph/{path}`` redirects, and with which status."""
    headers = {"Accept": accept, "Accept-Language": language, "User-Agent": "test"}
    for rule in rules():
        match = re.search(rule.pattern, path)
        if match and _conds_hold(rule.conds, headers):
            assert "L" in rule.flags
            target = match.expand(re.sub(r"\$(\d)", r"\\\1", rule.target))  # Apache's $1 is Python's \1
            (status,) = [int(f[2:]) for f in rule.flags if f.startswith("R=")]
            if "#" in target:
                assert "NE" in rule.flags, "without NE Apache escapes the # of the anchor"
            return target, status
    raise AssertionError(f"no rule for {path!r}")


def test_every_path_has_a_rule_for_each_rdf_media_type_and_one_for_html() -> None:
    parsed = rules()
    for path in ("^ontology$", "^concept/", "^shapes$", "^id/"):
        mine = [r for r in parsed if r.pattern.startswith(path)]
        accepted = {c.pattern.replace("\\", "") for r in mine for c in r.conds if c.variable == "%{HTTP_ACCEPT}"}
        assert set(MEDIA) <= accepted, (path, accepted)
        assert any(not r.conds for r in mine), f"{path}: no rule for other clients (HTML)"
    # a 303 for what the IRIs name; a plain redirect for the context, which is a document itself
    assert all(r.flags >= ({"R=302", "L"} if r.pattern == r"^context\.jsonld$" else {"R=303", "L"}) for r in parsed)


def test_the_json_ld_context_redirects_to_the_file_the_docs_command_writes() -> None:
    for accept in (HTML, "application/ld+json", "application/json", "*/*"):
        assert resolve("context.jsonld", accept) == (f"{TARGET}{CONTEXT_FILE}", 302)
    assert CONTEXT_IRI == "https://w3id.org/ptce-graph/" + CONTEXT_FILE


@pytest.mark.parametrize("media", sorted(MEDIA))
def test_rdf_clients_get_the_files_the_docs_command_writes(media: str) -> None:
    ext = MEDIA[media]
    assert resolve("ontology", media) == (f"{TARGET}ontology{ext}", 303)
    assert resolve("ontology", f"{media},text/html;q=0.5") == (f"{TARGET}ontology{ext}", 303)
    assert resolve("concept/role/founder", media)[0] == f"{TARGET}ontology{ext}"
    assert resolve("concept/role", media)[0] == f"{TARGET}ontology{ext}"
    assert resolve("shapes", media)[0] == f"{TARGET}shapes{ext}"
    assert resolve("alignments", media)[0] == f"{TARGET}alignments{ext}"
    assert resolve("ontology/0.1.0", media)[0] == f"{TARGET}0.1.0/ontology{ext}"
    assert resolve("id/ptce/tetris", media)[0] == f"{TARGET}data/ptce{ext}"


def test_browsers_get_the_page_in_their_language() -> None:
    assert resolve("ontology") == (f"{TARGET}ontology.en.html", 303)
    assert resolve("ontology", language="fr-FR,fr;q=0.9,en;q=0.8")[0] == f"{TARGET}ontology.fr.html"
    assert resolve("ontology", language="FR")[0] == f"{TARGET}ontology.fr.html"
    assert resolve("ontology", accept="*/*")[0] == f"{TARGET}ontology.en.html"
    assert resolve("ontology/0.1.0", language="fr")[0] == f"{TARGET}0.1.0/ontology.fr.html"
    assert resolve("concept/role/founder", language="fr")[0] == f"{TARGET}ontology.fr.html#concept/role/founder"
    assert resolve("concept/ess-family")[0] == f"{TARGET}ontology.en.html#concept/ess-family"
    assert resolve("shapes")[0] == TARGET
    assert resolve("")[0] == TARGET
    assert resolve("id/ptce/tetris")[0] == f"{TARGET}id/ptce/tetris"


def test_the_targets_are_files_the_docs_command_writes() -> None:
    written = {f"ontology.{lang}.html" for lang in LANGUAGES} | {CONTEXT_FILE}
    written |= {stem + ext for stem in RDF_DOCUMENTS for ext in RDF_FORMATS.values()}
    named = set()
    for rule in rules():
        assert rule.target.startswith(TARGET), rule.target
        rest = rule.target[len(TARGET) :].split("#")[0]
        if rest and not rest.startswith(("$1/", "data/", "id/")):
            named.add(rest)
        elif rest.startswith("$1/"):
            named.add(rest[3:])  # a version's folder holds the same files
    assert named <= written and {f"ontology{e}" for e in RDF_FORMATS.values()} <= named


def test_the_file_names_its_placeholders_and_its_contact() -> None:
    text = HTACCESS.read_text(encoding="utf-8")
    assert "PLACEHOLDER" in text and "## Contact" in text
    readme = (HTACCESS.parent / "README.md").read_text(encoding="utf-8")
    assert "## Contact" in readme and "TARGET-HOST" in readme
    guide = (ROOT / "docs" / "w3id.md").read_text(encoding="utf-8")
    assert "github.com/perma-id/w3id.org" in guide and "ptce-graph docs" in guide
