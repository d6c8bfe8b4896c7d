"""The language the library writes in: English, or Spanish on request; site strings from gettext catalogs.

Every text a reader sees that the library writes itself (page furniture, table headings, figure
titles, axis labels, legends, alt text, check messages) goes through :func:`gettext`, imported as
``_``; the English string is the message id. The Spanish strings are a standard gettext catalog,
``cyberhistory/locale/es/LC_MESSAGES/cyberhistory.po``, edited with Babel's tools and compiled in
memory when first needed, so no compiled file is kept in git and none can go stale.

A notebook chooses its language once, with ``load(language="es")``; the site's build writes each
edition inside :func:`using`. The choice is one process-wide setting rather than an argument to
every function because a notebook's cells run one after another in one process and all of them
speak the lesson's language (a context variable would not survive from one cell to the next).
Dates and numbers follow the language's conventions through Babel's locale data (Spanish: Mexico's).
"""

from __future__ import annotations

import contextlib
import io
from functools import cache
from gettext import GNUTranslations, NullTranslations
from pathlib import Path

LANGUAGES = ("en", "es")
DOMAIN = "cyberhistory"
LOCALE_DIR = Path(__file__).with_name("locale")
#: The locale whose dates and numbers each language uses (Spanish: Mexico, the unit's reference).
FORMAT_LOCALE = {"en": "en_GB", "es": "es_MX"}
#: Each language's name in itself, for the language switch.
NATIVE_NAMES = {"en": "English", "es": "Español"}

_language = "en"


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _check(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: expected one of {', '.join(LANGUAGES)}")
    return language


def current() -> str:
    """The language the library writes in now ("en" or "es")."""
    return _language


def activate(language: str) -> None:
    """Write in ``language`` from now on (a notebook calls this through ``load(language=...)``)."""
    global _language
    _language = _check(language)


@contextlib.contextmanager
def using(language: str):
    """Write in ``language`` inside the block, then go back to the language before it."""
    global _language
    before, _language = _language, _check(language)
    try:
        yield
    finally:
        _language = before


@cache
def translations(language: str) -> NullTranslations:
    """The compiled catalog of ``language`` (English, the message ids themselves, needs none)."""
    if _check(language) == "en":
        return NullTranslations()
    from babel.messages.mofile import write_mo  # Babel only where a translation is needed
    from babel.messages.pofile import read_po

    with catalog_path(language).open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)  # a fuzzy entry is a guess: English is shown instead
    compiled.seek(0)
    return GNUTranslations(compiled)


def gettext(message: str) -> str:
    """``message`` in the current language (the English itself where no translation exists)."""
    if not message:  # gettext("") is the catalog's header, never a translation
        return message
    return translations(_language).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current language."""
    return translations(_language).ngettext(singular, plural, n)


_ = gettext


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it yet (it is translated where it is shown)."""
    return message


def month_abbr(month: int) -> str:
    """The abbreviated month name: "Oct" in English, "oct" in Spanish."""
    return _month_names(_language)[month]


@cache
def _month_names(language: str) -> dict[int, str]:
    if language == "en":
        import calendar

        return dict(enumerate(calendar.month_abbr))
    from babel.dates import get_month_names

    return dict(get_month_names("abbreviated", locale=FORMAT_LOCALE[language]))


def warm_up() -> None:
    """Read every language's catalog, month names and number format now, once.

    The build's warm kernel server calls this, so that each Spanish lesson's kernel, forked from it,
    does not parse the catalog and Babel's locale data again (about 0.1 s a lesson).
    """
    for language in LANGUAGES:
        translations(language)
        _month_names(language)
        with using(language):
            number(1000.5, 1)


def number(value: float | int, decimals: int = 0) -> str:
    """A number with the current language's separators: 10,000 (Mexico writes it as English does)."""
    if _language == "en":
        return f"{value:,.{decimals}f}"
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=FORMAT_LOCALE[_language])
