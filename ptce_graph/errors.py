"""The exception hierarchy of ptce-graph and the exit codes the command line maps it to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "EXIT_ENDPOINT",
    "EXIT_INPUT",
    "EXIT_NOT_CONFORMANT",
    "EXIT_OK",
    "EndpointError",
    "InputError",
    "Problem",
    "PtceGraphError",
    "shown",
]

#: Everything went well.
EXIT_OK = 0
#: The data does not conform to the shapes (Violation-level results).
EXIT_NOT_CONFORMANT = 1
#: Usage or input error: a file is missing, malformed or holds unusable rows.
EXIT_INPUT = 2
#: A remote endpoint is unreachable, too slow or answered with an error.
EXIT_ENDPOINT = 3


#: How many characters of a value a message shows (half from its start, half from its end).
SHOWN_CHARACTERS = 60


def shown(value: str, *, limit: int = SHOWN_CHARACTERS) -> str:
    """``value`` quoted for a message, its middle elided (with its length) when it is long.

    A message echoes the value it is about so that the user can find it; a cell of 5,000
    digits echoed whole would make one line of the message unreadable and bury the others.
    The start and the end of a long value are kept: together they are enough to find it.

    Examples
    --------
    >>> shown("vingt")
    "'vingt'"
    >>> shown("9" * 5000, limit=8)
    "'9999…9999' (5,000 characters)"
    """
    if len(value) <= limit:
        return f"'{value}'"
    head = (limit + 1) // 2
    return f"'{value[:head]}…{value[len(value) - (limit - head) :]}' ({len(value):,} characters)"


@dataclass(frozen=True)
class Problem:
    """One unusable value: where it is and what is wrong with it.

    Examples
    --------
    >>> str(Problem("data/actors.csv", "bad SIREN '123'", line=4, column="siren"))
    "data/actors.csv:4: column 'siren': bad SIREN '123'"
    """

    file: str
    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.column:
            return f"{where}: column '{self.column}': {self.message}"
        return f"{where}: {self.message}"


class PtceGraphError(Exception):
    """Base class of every error ptce-graph raises on purpose."""

    exit_code: int = EXIT_INPUT

    def __reduce__(self) -> tuple[object, ...]:
        # rebuilt without calling __init__ (subclasses take other arguments), so that an error
        # raised in a bounded query's child process reaches the parent whole
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[PtceGraphError], args: tuple[object, ...], state: dict[str, object]) -> PtceGraphError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class InputError(PtceGraphError):
    """Input that cannot be used: a missing or malformed file, bad rows, a bad parameter.

    ``problems`` lists every unusable value found, so a user can fix them all at once.
    """

    exit_code = EXIT_INPUT

    def __init__(self, message: str, problems: list[Problem] | tuple[Problem, ...] = ()) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(message)

    def __str__(self) -> str:
        head = super().__str__()
        if not self.problems or (len(self.problems) == 1 and head == str(self.problems[0])):
            return head
        lines = [head] + [f"  {p}" for p in self.problems[:200]]
        if len(self.problems) > 200:
            lines.append(f"  ... and {len(self.problems) - 200} more")
        return "\n".join(lines)

    @classmethod
    def at(cls, path: str | Path, message: str, *, line: int | None = None, column: str | None = None) -> InputError:
        """An error about one place in one file."""
        problem = Problem(str(path), message, line=line, column=column)
        return cls(str(problem), [problem])


class EndpointError(PtceGraphError):
    """A remote SPARQL endpoint or store is down, too slow, or answered with an error."""

    exit_code = EXIT_ENDPOINT
