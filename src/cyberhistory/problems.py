"""A problem found in the data, located by file, row and column."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data.

    Attributes
    ----------
    file : str
        Path of the file as the user should see it (``data/events.csv``).
    line : int | None
        Line number in the file (the header is line 1), or ``None`` for the whole file.
    column : str | None
        Column name, or ``None`` when the problem is not about one column.
    message : str
        What is wrong and what was expected.
    """

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


class DataError(Exception):
    """The data failed validation; ``problems`` lists everything found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:50])
        more = f"\n... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the data:\n{shown}{more}")
