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
import re
import string
from collections.abc import Iterable, Iterator
from pathlib import Path

from babel import Locale, dates, numbers
from babel.messages import mofile, pofile

from jlnlearn.errors import CatalogueError, UsageError
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


def use_language(code: str) -> None:
    """Write in ``code`` from now on in this process: what a translated notebook's first code cell
    calls, so that its forms, charts and tables speak the notebook's language in JupyterLab too.

    >>> use_language("fr"); _("yes")
    'oui'
    >>> use_language("en"); _("yes")
    'yes'
    >>> del os.environ[LANG_ENV]  # this example leaves the process as it found it
    """
    os.environ[LANG_ENV] = check_language(code)


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


#: A PO file's line: blank, a ``#`` comment, or a quoted string, after its keyword or continuing one.
PO_LINE = re.compile(r'^\s*(?:#.*|(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"\s*)?$')
#: printf-style placeholders (``%s``, ``%(name)d``), which a translation may not add.
PRINTF = re.compile(r"%(?:\([^)]*\))?[sdifr]")
#: The name of each HTML tag in a text.
TAG = re.compile(r"<\s*/?\s*([A-Za-z][\w-]*)")
#: The target of each Markdown link in a text.
LINK = re.compile(r"\]\(\s*([^)\s]+)")


def _fields(text: str) -> set[str]:
    """The ``{name}`` placeholders of a text (``{{`` is a brace, not a placeholder).

    >>> sorted(_fields("{n} countries in {year}, {{literal}}"))
    ['n', 'year']
    """
    return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name is not None}


def translation_problems(english: str, translated: str, offered: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """What a translation brings that its English text does not have, and a page must not show: a
    placeholder the code will not fill (the English text's, or those its translator's note
    ``offered``), braces that do not pair, HTML tags, a link elsewhere.

    >>> translation_problems("All countries in {year}", "Tous les pays en {annee} <script>")
    ['placeholder {annee} is not in the English text (it has {year})', 'markup <script> that the English text does not have']
    >>> translation_problems("{possessive} budget", "le budget de {name}", {"name"}), translation_problems("{n} country", "{n} pays")
    ([], [])
    """
    found = []
    try:
        added = _fields(translated) - _fields(english) - set(offered)
    except ValueError:
        found.append("braces that do not pair: write a literal brace as {{ or }}")
        added = set()
    if added:
        has = ", ".join(f"{{{name}}}" for name in sorted(_fields(english) | set(offered))) or "none"
        found.append(f"placeholder {', '.join(f'{{{name}}}' for name in sorted(added))} is not in the English text "
                     f"(it has {has})")
    for kind, pattern, shown in (("placeholder", PRINTF, "{}"), ("markup", TAG, "<{}>"), ("a link to", LINK, "{}")):
        if extra := sorted(set(pattern.findall(translated)) - set(pattern.findall(english))):
            found.append(f"{kind} {', '.join(shown.format(item) for item in extra)} that the English text does not have")
    return found


def catalogue_problems(path: Path, code: str) -> tuple[pofile.Catalog | None, list[str]]:
    """Read a PO file strictly: its catalogue (None when it cannot be parsed) and every problem found,
    as ``file:line: what``: bytes that are not UTF-8, a line that is not PO, a translation that adds a
    placeholder, markup or a link (:func:`translation_problems`). An entry marked fuzzy is only a
    suggestion waiting for review (no page uses it), so it is not held to the English yet."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        return None, [f"{path}:{line}: byte 0x{raw[error.start]:02x} is not UTF-8: save the file as UTF-8"]
    problems = [f"{path}:{number}: not a line of a PO file (a keyword and a quoted string, a quoted string, "
                f"or a # comment): {line.strip()[:60]!r}"
                for number, line in enumerate(text.splitlines(), start=1) if not PO_LINE.match(line)]
    if problems:
        return None, problems
    try:
        catalog = pofile.read_po(io.BytesIO(raw), locale=code, abort_invalid=True)
    except pofile.PoFileError as error:
        return None, [f"{path}:{getattr(error, 'lineno', '?')}: {error}"]
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        english = " ".join(message.id) if isinstance(message.id, tuple) else message.id
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        offered = set(re.findall(r"\{(\w+)\}", " ".join(message.auto_comments)))  # "{name} the name alone"
        problems += [f"{path}:{message.lineno}: {problem}" for form in forms if form
                     for problem in translation_problems(english, form, offered)]
    return catalog, problems


def check_catalogues(code: str) -> None:
    """Raise :class:`~jlnlearn.errors.CatalogueError` listing every problem of language ``code``'s
    catalogues (:func:`catalogue_problems`); nothing for English or a language without files."""
    problems = []
    for domain in DOMAINS:
        path = catalogue_path(code, domain)
        if code != DEFAULT_LANGUAGE and path.is_file():
            problems += catalogue_problems(path, code)[1]
    if problems:
        raise CatalogueError(problems)


@functools.cache
def translations(code: str, domain: str = "jlnlearn") -> gettext.NullTranslations:
    """The catalogue of ``domain`` in ``code``, compiled from its PO file (fuzzy entries left out).

    English, or a language without the file, translates nothing. A catalogue with a problem
    (:func:`catalogue_problems`) raises :class:`~jlnlearn.errors.CatalogueError` instead of showing it.
    """
    path = catalogue_path(code, domain)
    if code == DEFAULT_LANGUAGE or not path.is_file():
        return gettext.NullTranslations()
    catalog, problems = catalogue_problems(path, code)
    if problems or catalog is None:
        raise CatalogueError(problems)
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


def joined(items: Iterable[str]) -> str:
    """Items of a list in a sentence, separated the reader's way: ``a; b``, in French ``a ; b``.

    >>> joined(["2012-2017", "since 2019"])
    '2012-2017; since 2019'
    """
    # TRANSLATORS: how two items of a list are separated ("; " in English; French puts a space before it).
    return _("; ").join(items)


def labelled(label: str, text: str) -> str:
    """``text`` after its label, separated the reader's way: ``Senegal: a title``, in French
    ``Sénégal : un titre`` (a no-break space before the colon).

    >>> labelled("Senegal", "Paying for primary care")
    'Senegal: Paying for primary care'
    >>> with language_set("fr"):
    ...     labelled("Sénégal", "Payer les soins")
    'Sénégal\xa0: Payer les soins'
    """
    # TRANSLATORS: what separates a label from what it labels (": " in English; French puts a no-break
    # space before the colon).
    return label + _(": ") + text


def every_spelling(message: str) -> set[str]:
    """``message`` in English and in every language that has a catalogue, for reading back a file
    a learner saved in any of them.

    >>> sorted(every_spelling("yes"))
    ['oui', 'sim', 'sí', 'yes']
    """
    spellings = {message}
    for code in LANGUAGES:
        if code != DEFAULT_LANGUAGE and catalogue_path(code).is_file():
            spellings.add(translations(code).gettext(message))
    return spellings


def _locale() -> Locale:
    return Locale.parse(language())


def number(value: float, decimals: int = 0) -> str:
    """``value`` with the language's thousands and decimal separators and ``decimals`` decimals.

    Every number a reader sees is rounded here, once, as Python rounds the float
    (``f"{value:,.2f}"``): Babel alone would round the decimal it reads, so 12.345
    would give 12.34 there and 12.35 here.

    >>> number(1234567.891), number(2.5, 2), number(1234.5, 1), number(12.345, 2), number(2.675, 2)
    ('1,234,568', '2.50', '1,234.5', '12.35', '2.67')
    """
    rounded = round(float(value), decimals)
    return _with_decimals(_locale().decimal_formats[None].pattern, decimals).apply(rounded, _locale())


def percent(share: float, decimals: int = 1) -> str:
    """A share of one as a percentage, the language's way (``12.3%``, ``12,3 %``).

    >>> percent(0.0312), percent(0.5, 0)
    ('3.1%', '50%')
    """
    return percent_of_100(share * 100, decimals)


def percent_of_100(value: float, decimals: int = 1) -> str:
    """A value already in percent (``12.3`` for 12.3%) as a percentage, the language's way, rounded as
    :func:`number` rounds (``f"{value:.1f}%"``).

    >>> percent_of_100(12.35, 1), percent_of_100(57.6, 0), percent_of_100(30.0, 0)
    ('12.3%', '58%', '30%')
    """
    rounded = round(float(value), decimals)
    return _with_decimals(_locale().percent_formats[None].pattern, decimals).apply(rounded / 100, _locale())


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
