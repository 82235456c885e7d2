"""Checks of French identifiers: SIREN, SIRET, RNA, INSEE codes, Wikidata, and id slugs."""

from __future__ import annotations

import re

__all__ = ["SLUG_PATTERN", "is_rna", "is_siren", "is_siret", "is_slug", "is_wikidata", "luhn_ok"]

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)
_WIKIDATA = re.compile(r"^http://www\.wikidata\.org/entity/Q[1-9][0-9]*$")
_RNA = re.compile(r"^W[0-9A-Z][0-9]{8}$")
#: La Poste's establishments: SIREN 356000000, SIRET digits summing to a multiple of 5.
_LA_POSTE = "356000000"


def luhn_ok(digits: str) -> bool:
    """The Luhn check used by SIREN and SIRET numbers.

    Examples
    --------
    >>> luhn_ok("732829320"), luhn_ok("732829321")
    (True, False)
    """
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def is_siren(value: str) -> bool:
    """A SIREN: 9 digits with a valid Luhn check digit.

    Examples
    --------
    >>> is_siren("200068781"), is_siren("200068782"), is_siren("20006878")
    (True, False, False)
    """
    return len(value) == 9 and value.isascii() and value.isdigit() and luhn_ok(value)


def is_siret(value: str) -> bool:
    """A SIRET: 14 digits, Luhn-valid (La Poste's use a digit sum multiple of 5).

    Examples
    --------
    >>> is_siret("73282932000074"), is_siret("73282932000075"), is_siret("35600000000048")
    (True, False, True)
    """
    if len(value) != 14 or not (value.isascii() and value.isdigit()):
        return False
    if luhn_ok(value):
        return True
    return value.startswith(_LA_POSTE) and sum(int(c) for c in value) % 5 == 0


def is_rna(value: str) -> bool:
    """An RNA number of the French register of associations (``W`` then 9 characters).

    Examples
    --------
    >>> is_rna("W751234567"), is_rna("751234567")
    (True, False)
    """
    return bool(_RNA.fullmatch(value))


def is_wikidata(value: str) -> bool:
    """A Wikidata entity IRI.

    Examples
    --------
    >>> is_wikidata("http://www.wikidata.org/entity/Q90"), is_wikidata("Q90")
    (True, False)
    """
    return bool(_WIKIDATA.fullmatch(value))


def is_slug(value: str) -> bool:
    """A valid row id: lowercase ASCII letters and digits in groups joined by single hyphens.

    Examples
    --------
    >>> is_slug("pole-sud"), is_slug("Pôle Sud"), is_slug("a--b"), is_slug("pole-sud\\n")
    (True, False, False, False)
    """
    return bool(_SLUG.fullmatch(value))
