"""The eras of hacktivism used across the notebooks, the stats, the timelines and the site's exports."""

from __future__ import annotations

from cyberhistory.i18n import N_, gettext

#: (first year, last year, name) of each era, in order.
ERAS = (
    (1989, 2007, N_("Early hacktivism")),
    (2008, 2012, N_("Anonymous and LulzSec")),
    (2013, 2021, N_("Personas and leaks")),
    (2022, 2025, N_("War and state personas")),
)


def era_names() -> list[str]:
    """The eras' names in order, in the current language (``load(language="es")`` gives Spanish)."""
    return [gettext(name) for _first, _last, name in ERAS]


def era_of(year: int) -> str:
    """Name of the era a year falls in, in the current language (years before the first era count in
    it; the last era runs on).

    Examples
    --------
    >>> era_of(2011)
    'Anonymous and LulzSec'
    """
    for first, last, name in ERAS:
        if first <= year <= last:
            return gettext(name)
    return gettext(ERAS[0][2] if year < ERAS[0][0] else ERAS[-1][2])
