"""A problem found in the data, located by file, row and column."""

from __future__ import annotations

from dataclasses import dataclass
from functools import total_ordering


@total_ordering
@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data.

    Problems sort by file, line and column, whole-file problems (``line`` ``None``) before
    the rows and whole-row problems (``column`` ``None``) before the cells.

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

    def sort_key(self) -> tuple:
        """The key problems sort by; ``None`` sorts first and never meets an int or a str."""
        return (
            self.file,
            self.line is not None,
            self.line or 0,
            self.column is not None,
            self.column or "",
            self.message,
        )

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return self.sort_key() < other.sort_key()

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
