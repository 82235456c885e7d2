"""Dates of relations as closed intervals of days, and the time windows views are cut with.

Rules (documented in ``docs/metrics.md``):

* a start written as a year (``xsd:gYear``) counts from 1 January of that year, as a month
  (``xsd:gYearMonth``) from the first day of the month; an end written as a year counts to
  31 December, as a month to the last day of the month; ``xsd:date`` values are used as they are;
* a relation with no start has been there forever, with no end is still there: a membership
  with no dates is always present, one with a start only is present from that start on;
* a relation is in a window when its interval and the window share at least one day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ptce_graph.errors import InputError

__all__ = ["Interval", "TimeWindow", "parse_bound", "window"]

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*|Z|[+-]\d{2}:\d{2})?$")


def parse_bound(text: str | dt.date, *, side: str, what: str = "date") -> dt.date:
    """The first (``side="start"``) or last (``side="end"``) day a date value stands for.

    Parameters
    ----------
    text
        ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a time or time zone after the day is ignored),
        or a :class:`datetime.date`.
    side
        ``"start"`` or ``"end"``.
    what
        What the value is, for the error message.

    Raises
    ------
    InputError
        When ``text`` is not such a date.

    Examples
    --------
    >>> parse_bound("2016", side="start"), parse_bound("2016", side="end")
    (datetime.date(2016, 1, 1), datetime.date(2016, 12, 31))
    >>> parse_bound("2024-02", side="end")
    datetime.date(2024, 2, 29)
    """
    if isinstance(text, dt.date):
        return text
    match = _DATE.match(str(text).strip())
    if not match:
        raise InputError(f"{what}: '{text}' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        if day is not None:
            return dt.date(year, month or 1, day)
        if month is not None:
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, 1 if side == "start" else last)
        return dt.date(year, 1, 1) if side == "start" else dt.date(year, 12, 31)
    except ValueError:
        raise InputError(f"{what}: '{text}' is not a calendar date") from None


@dataclass(frozen=True, order=True)
class Interval:
    """A closed interval of days; ``None`` is an open (unknown, unbounded) end.

    Examples
    --------
    >>> a = Interval.parse("2016", "2019")
    >>> a
    Interval(start=datetime.date(2016, 1, 1), end=datetime.date(2019, 12, 31))
    >>> a.overlaps(Interval.parse("2019-06", None)), a.overlaps(Interval.parse("2020", None))
    (True, False)
    >>> a.intersection(Interval.parse("2019-06", None)).iso()
    '2019-06-01/2019-12-31'
    >>> Interval(None, None).iso()
    '../..'
    """

    start: dt.date | None = None
    end: dt.date | None = None

    @classmethod
    def parse(cls, start: str | dt.date | None, end: str | dt.date | None, *, what: str = "period") -> Interval:
        """The interval from a start and an end value, either of which may be missing."""
        first = None if start in (None, "") else parse_bound(start, side="start", what=what)
        last = None if end in (None, "") else parse_bound(end, side="end", what=what)
        if first is not None and last is not None and first > last:
            raise InputError(f"{what}: end {last} is before start {first}")
        return cls(first, last)

    def overlaps(self, other: Interval) -> bool:
        """Whether the two intervals share at least one day."""
        return self.intersection(other) is not None

    def intersection(self, other: Interval) -> Interval | None:
        """The days both intervals share, or ``None``."""
        a, b = self.start, other.start
        start = a if b is None else b if a is None or b > a else a
        c, d = self.end, other.end
        end = c if d is None else d if c is None or d < c else c
        if start is not None and end is not None and start > end:
            return None
        if start is a and end is c:
            return self
        if start is b and end is d:
            return other
        return Interval(start, end)

    def iso(self) -> str:
        """ISO 8601-2 interval text, ``..`` for an open end (``2016-01-01/..``)."""
        return f"{self.start.isoformat() if self.start else '..'}/{self.end.isoformat() if self.end else '..'}"

    @property
    def bounded(self) -> bool:
        """Whether at least one end is known."""
        return self.start is not None or self.end is not None


@dataclass(frozen=True)
class TimeWindow:
    """The days a view covers, and how the user wrote them (used in titles and IRIs).

    Examples
    --------
    >>> window(as_of="2018").interval
    Interval(start=datetime.date(2018, 1, 1), end=datetime.date(2018, 12, 31))
    >>> window(as_of="2018").label, window(start="2015", end="2020").label
    ('2018', '2015..2020')
    >>> window() is None
    True
    """

    interval: Interval
    label: str
    kind: str  # "as-of" or "period"

    @property
    def slug(self) -> str:
        """The label in a form usable in an IRI path segment (``2015--2020``)."""
        return self.label.replace("..", "--")

    def describe(self) -> str:
        """Words for a title: ``as of 2018`` or ``2015..2020``."""
        return f"as of {self.label}" if self.kind == "as-of" else self.label


def window(
    as_of: str | dt.date | None = None, start: str | dt.date | None = None, end: str | dt.date | None = None
) -> TimeWindow | None:
    """The time window of a view: as of a date, over a period, or ``None`` for all time.

    Parameters
    ----------
    as_of
        A day (``2018-06-30``), or a month or a year meaning every day of it: a view as of
        ``2018`` holds what was present at any time in 2018 (the yearly snapshot of 2018).
    start, end
        A period (either end may be left open); not together with ``as_of``.

    Raises
    ------
    InputError
        When both ``as_of`` and a period are given, or a value is not a date.
    """
    if as_of not in (None, "") and (start not in (None, "") or end not in (None, "")):
        raise InputError("give either --as-of or a period (--from/--to), not both")
    if as_of not in (None, ""):
        assert as_of is not None
        interval = Interval(
            parse_bound(as_of, side="start", what="as-of date"), parse_bound(as_of, side="end", what="as-of date")
        )
        text = as_of.isoformat() if isinstance(as_of, dt.date) else str(as_of).strip()
        return TimeWindow(interval, text, "as-of")
    if start in (None, "") and end in (None, ""):
        return None
    interval = Interval.parse(start, end, what="period")
    label = (
        f"{'' if start in (None, '') else (start.isoformat() if isinstance(start, dt.date) else str(start).strip())}"
        f"..{'' if end in (None, '') else (end.isoformat() if isinstance(end, dt.date) else str(end).strip())}"
    )
    return TimeWindow(interval, label, "period")
