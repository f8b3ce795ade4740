"""The language a reader sees: gettext catalogues, and numbers and dates the way that language writes them.

The package's own words are marked ``_("...")`` (or ``N_("...")`` where a
module keeps them in a constant, translated where they are shown) and live
in ``jlnlearn/locale/<lang>/LC_MESSAGES/jlnlearn.po``; the notebooks' words
are in ``notebooks.po`` beside it (see :mod:`jlnlearn.reports.translate`). The
catalogues are plain PO files a translator edits with any PO editor (Poedit,
Weblate) or a text editor; they are compiled in memory the first time a
language is used, so there is nothing to compile by hand. ``make catalogues``
refreshes them after the English text changes.

The language is read from the ``JLNLEARN_LANG`` environment variable each
time (English when it is unset), so one kernel or build worker can serve
pages in several languages: a report build's task carries its language, and
the worker sets it for the time it runs the task (see
:func:`jlnlearn.reports.run.task_settings`); :func:`language_set` does the
same for a block of code.

>>> with language_set("fr"):
...     _("yes"), number(1234.5, 1), percent(0.123), month_year(2015, 7)
('oui', '1\\u202f234,5', '12,3\\xa0%', 'juillet 2015')
>>> _("yes"), number(1234.5, 1), percent(0.123), month_year(2015, 7)
('yes', '1,234.5', '12.3%', 'July 2015')
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import gettext
import io
import os
from collections.abc import Iterator
from pathlib import Path

from babel import Locale, dates, numbers
from babel.messages import mofile, pofile

from jlnlearn.errors import UsageError
from jlnlearn.settings import LANG_ENV

#: The languages a collection can be built in, each with its own name for itself.
LANGUAGES = {"en": "English", "fr": "Français", "es": "Español", "pt": "Português"}
DEFAULT_LANGUAGE = "en"
#: Where the catalogues are: ``<lang>/LC_MESSAGES/<domain>.po``.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: The package's words, and the notebooks' words.
DOMAINS = ("jlnlearn", "notebooks")


def language() -> str:
    """The language pages are written in now (``JLNLEARN_LANG``, English by default).

    >>> language()
    'en'
    """
    return os.environ.get(LANG_ENV) or DEFAULT_LANGUAGE


def check_language(code: str) -> str:
    """``code`` if it names a language of :data:`LANGUAGES`, else a :class:`UsageError` listing them.

    >>> check_language("fr")
    'fr'
    """
    if code not in LANGUAGES:
        raise UsageError(f"unknown language {code!r} (valid: {', '.join(LANGUAGES)})")
    return code


@contextlib.contextmanager
def language_set(code: str) -> Iterator[None]:
    """Write in ``code`` inside the block, then go back to the language before."""
    before = os.environ.get(LANG_ENV)
    os.environ[LANG_ENV] = check_language(code)
    try:
        yield
    finally:
        if before is None:
            del os.environ[LANG_ENV]
        else:
            os.environ[LANG_ENV] = before


def catalogue_path(code: str, domain: str = "jlnlearn") -> Path:
    """The PO file of ``domain`` in language ``code``."""
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{domain}.po"


@functools.cache
def translations(code: str, domain: str = "jlnlearn") -> gettext.NullTranslations:
    """The catalogue of ``domain`` in ``code``, compiled from its PO file (fuzzy entries left out).

    English, or a language without the file, translates nothing.
    """
    path = catalogue_path(code, domain)
    if code == DEFAULT_LANGUAGE or not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalog = pofile.read_po(handle, locale=code)
    compiled = io.BytesIO()
    mofile.write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _(message: str) -> str:
    """``message`` in the reader's language (itself where the catalogue has no translation)."""
    code = language()
    return message if code == DEFAULT_LANGUAGE else translations(code).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message for ``count`` things, in the reader's language.

    >>> ngettext("{n} country", "{n} countries", 2).format(n=2)
    '2 countries'
    """
    code = language()
    if code == DEFAULT_LANGUAGE:
        return singular if count == 1 else plural
    return translations(code).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it yet (it is kept in a constant)."""
    return message


def _locale() -> Locale:
    return Locale.parse(language())


def number(value: float, decimals: int = 0) -> str:
    """``value`` with the language's thousands and decimal separators and ``decimals`` decimals.

    >>> number(1234567.891), number(2.5, 2), number(1234.5, 1)
    ('1,234,568', '2.50', '1,234.5')
    """
    return _with_decimals(_locale().decimal_formats[None].pattern, decimals).apply(value, _locale())


def percent(share: float, decimals: int = 1) -> str:
    """A share of one as a percentage, the language's way (``12.3%``, ``12,3 %``).

    >>> percent(0.0312), percent(0.5, 0)
    ('3.1%', '50%')
    """
    return _with_decimals(_locale().percent_formats[None].pattern, decimals).apply(share, _locale())


def _with_decimals(pattern: str, decimals: int) -> numbers.NumberPattern:
    """The language's own number pattern, with exactly ``decimals`` decimals."""
    parsed = numbers.parse_pattern(pattern)
    parsed.frac_prec = (decimals, decimals)
    return parsed


def month_name(month: int) -> str:
    """The name of month ``month`` (1 to 12) as it is written inside a date.

    >>> month_name(3)
    'March'
    """
    return dates.format_date(datetime.date(2000, month, 1), "MMMM", locale=_locale())


def month_year(year: int, month: int) -> str:
    """A month of a year in words (``July 2015``, ``juillet 2015``)."""
    return f"{month_name(month)} {year}"


def day_month_year(year: int, month: int, day: int) -> str:
    """A day in words (``4 July 2015``, ``4 juillet 2015``).

    >>> day_month_year(2015, 7, 4)
    '4 July 2015'
    """
    return f"{day} {month_name(month)} {year}"


def plotly_separators() -> str:
    """The decimal and thousands separators plotly should use (its ``layout.separators``).

    >>> plotly_separators()
    '.,'
    >>> with language_set("fr"):
    ...     plotly_separators()
    ',\\u202f'
    """
    symbols = numbers.get_decimal_symbol(_locale()), numbers.get_group_symbol(_locale())
    return "".join(symbols)


def plotly_locale() -> dict[str, object]:
    """plotly.js's locale for the reader's language (``Plotly.register`` it): month and day names
    on date axes, and the separators.

    >>> with language_set("fr"):
    ...     plotly_locale()["format"]["months"][:2]
    ['janvier', 'février']
    """
    where = _locale()
    months = [dates.get_month_names("wide", locale=where)[m] for m in range(1, 13)]
    short = [dates.get_month_names("abbreviated", locale=where)[m] for m in range(1, 13)]
    days = [dates.get_day_names("wide", locale=where)[(d - 1) % 7] for d in range(7)]  # from Sunday
    short_days = [dates.get_day_names("abbreviated", locale=where)[(d - 1) % 7] for d in range(7)]
    return {"moduleType": "locale", "name": language(), "dictionary": {},
            "format": {"days": days, "shortDays": short_days, "months": months, "shortMonths": short,
                       "decimal": numbers.get_decimal_symbol(where), "thousands": numbers.get_group_symbol(where),
                       "date": "%d/%m/%Y"}}
