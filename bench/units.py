"""How the benchmark writes a duration."""

from __future__ import annotations

import math

__all__ = ["duration"]


def duration(seconds: float | None) -> str:
    """A duration for the report: seconds, ms, µs or ns, with three significant digits below a second.

    Examples
    --------
    >>> [duration(x) for x in (None, 0.0, 4.2e-7, 9.996e-7, 3.5e-6, 0.000641, 0.1097, 1.5, 58.784)]
    ['–', '0 s', '420 ns', '1.00 µs', '3.50 µs', '641 µs', '110 ms', '1.50 s', '58.78 s']
    """
    if seconds is None:
        return "–"
    if seconds <= 0:
        return "0 s"
    rounded = float(f"{seconds:.3g}")  # rounded first, so that 999.6 µs reads 1.00 ms
    if rounded >= 1:
        return f"{seconds:.2f} s"
    for unit, scale in (("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if rounded >= scale or unit == "ns":
            value = rounded / scale
            return f"{value:.{max(0, 2 - math.floor(math.log10(value) + 1e-9))}f} {unit}"
    raise AssertionError("unreachable")
