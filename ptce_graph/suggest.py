"""Did-you-mean: the known names closest to a mistyped one, for every error that names a choice."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["did_you_mean", "suggest"]

#: How alike a known name must be to be offered (difflib's ratio, 0 to 1).
CUTOFF = 0.6
#: Names further than this below the best match are not offered: one clear match stays alone.
CLOSE_TO_BEST = 0.1


def suggest(word: str, choices: Iterable[str], *, n: int = 3, cutoff: float = CUTOFF) -> list[str]:
    """The known ``choices`` closest to ``word``, best first (case is ignored when comparing).

    Names are ranked by :class:`difflib.SequenceMatcher` ratio (ties by name); those well
    below the best one (:data:`CLOSE_TO_BEST`) are left out.

    Parameters
    ----------
    word
        What the user typed.
    choices
        The names that exist (repeated names count once).
    n
        Most names returned.
    cutoff
        Least similarity (:class:`difflib.SequenceMatcher` ratio) of a name returned.

    Examples
    --------
    >>> suggest("ptce_member", ["ptce_members", "ptce_card", "fundings"])
    ['ptce_members']
    >>> suggest("PTCE_CARD", ["ptce_members", "ptce_card"])
    ['ptce_card']
    >>> suggest("zzz", ["ptce_members"])
    []
    """
    by_folded: dict[str, str] = {}
    for choice in choices:
        by_folded.setdefault(choice.casefold(), choice)
    folded = word.casefold()
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(folded)
    scored = []
    for key in by_folded:
        matcher.set_seq1(key)
        if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
            score = matcher.ratio()
            if score >= cutoff:
                scored.append((-score, key))
    scored.sort()  # best first, ties by name: the same answer every time
    if not scored:
        return []
    best = -scored[0][0]
    return [by_folded[key] for score, key in scored[:n] if -score >= best - CLOSE_TO_BEST]


def did_you_mean(word: str, choices: Iterable[str], *, n: int = 3, cutoff: float = CUTOFF) -> str:
    """``"; did you mean X?"`` (or ``"X or Y"``) to end an error message, or ``""`` when nothing is close.

    Examples
    --------
    >>> "no canned query 'ptce_member'" + did_you_mean("ptce_member", ["ptce_members", "fundings"])
    "no canned query 'ptce_member'; did you mean ptce_members?"
    >>> did_you_mean("ptce", ["ptce_a", "ptce_b", "other"])
    '; did you mean ptce_a or ptce_b?'
    >>> did_you_mean("zzz", ["ptce"])
    ''
    """
    close = suggest(word, choices, n=n, cutoff=cutoff)
    if not close:
        return ""
    listed = close[0] if len(close) == 1 else ", ".join(close[:-1]) + " or " + close[-1]
    return f"; did you mean {listed}?"
