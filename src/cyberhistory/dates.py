"""Partial ISO dates (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) and their precision.

A date known only to the month is a window over that month, never the 1st:
this module turns each partial date into the first and last day it may mean,
a midpoint for plotting, and a label that prints only what is known.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from cyberhistory.i18n import month_abbr

PRECISIONS = ("day", "month", "year")
_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class PartialDateError(ValueError):
    """A string is not a valid partial date."""


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the day, the month or the year.

    Attributes
    ----------
    earliest, latest : datetime.date
        First and last day the date may refer to.
    precision : str
        ``"day"``, ``"month"`` or ``"year"``.
    """

    earliest: dt.date
    latest: dt.date
    precision: str

    @property
    def midpoint(self) -> dt.date:
        """The middle of the window: where a month- or year-precise date plots."""
        return self.earliest + (self.latest - self.earliest) / 2

    def label(self) -> str:
        """Print only what is known: ``'5 Oct 2011'``, ``'Oct 2011'`` or ``'2011'`` (Spanish: ``'5 oct 2011'``)."""
        d = self.earliest
        if self.precision == "day":
            return f"{d.day} {month_abbr(d.month)} {d.year}"
        if self.precision == "month":
            return f"{month_abbr(d.month)} {d.year}"
        return str(d.year)

    def iso(self) -> str:
        """The partial ISO string this date was parsed from."""
        d = self.earliest
        return {"day": d.isoformat(), "month": f"{d.year:04d}-{d.month:02d}", "year": f"{d.year:04d}"}[self.precision]


def precision_of(text: str) -> str:
    """Return the precision a partial ISO string expresses.

    Raises
    ------
    PartialDateError
        If ``text`` is not shaped like ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
    """
    match = _PATTERN.match(text)
    if not match:
        raise PartialDateError(f"{text!r} is not a valid date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    return PRECISIONS[sum(g is None for g in match.groups()[1:])]


def parse(text: str) -> PartialDate:
    """Parse a partial ISO date into its window.

    Parameters
    ----------
    text : str
        ``"2011"``, ``"2011-10"`` or ``"2011-10-06"``.

    Returns
    -------
    PartialDate

    Raises
    ------
    PartialDateError
        If the string is malformed or names a day that does not exist.

    Examples
    --------
    >>> parse("2011-10").label()
    'Oct 2011'
    """
    precision = precision_of(text)
    year, month, day = (int(g) if g else None for g in _PATTERN.match(text).groups())
    try:
        if precision == "year":
            return PartialDate(dt.date(year, 1, 1), dt.date(year, 12, 31), precision)
        if precision == "month":
            last = calendar.monthrange(year, month)[1]
            return PartialDate(dt.date(year, month, 1), dt.date(year, month, last), precision)
        day_date = dt.date(year, month, day)
        return PartialDate(day_date, day_date, precision)
    except ValueError:
        raise PartialDateError(f"{text!r} is not a valid date (expected YYYY, YYYY-MM or YYYY-MM-DD)") from None
