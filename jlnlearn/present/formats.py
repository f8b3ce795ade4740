"""Numbers, amounts and periods as a reader writes them.

Pure functions from raw values to text; the topic modules return the values,
and tables, sentences and charts call these to show them.
"""

from __future__ import annotations

import re

import pandas as pd

from jlnlearn.i18n import _, day_month_year, month_year, ngettext, number, percent_of_100

#: How large amounts are written: the divisor and its word, largest first.
SCALES = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")]


def number_text(value: float, decimals: int = 0) -> str:
    """``value`` with ``decimals`` decimals in the reader's language (rounded by :func:`~jlnlearn.i18n.number`).

    >>> number_text(1234567.891), number_text(12.345, 2), number_text(2.675, 2)
    ('1,234,568', '12.35', '2.67')
    """
    return number(value, decimals)


def percent_text(value: float, decimals: int = 0) -> str:
    """A value already in percent (``12.3`` for 12.3%) as a percentage in the reader's language
    (rounded by :func:`~jlnlearn.i18n.percent_of_100`).

    >>> percent_text(12.35, 1), percent_text(57.6), percent_text(30.0)
    ('12.3%', '58%', '30%')
    """
    return percent_of_100(value, decimals)


def shown_decimals(value: float) -> int:
    """How many decimals ``f"{value:g}"`` shows (at most six significant digits in all).

    >>> shown_decimals(24.7), shown_decimals(6.0), shown_decimals(0.125)
    (1, 0, 3)
    """
    written = f"{value:g}"
    return 0 if "e" in written else len(written.partition(".")[2])


def short_number(value: float) -> str:
    """A number to at most six significant digits, as ``f"{value:,g}"`` writes it, in the reader's language.

    >>> short_number(24.7), short_number(6.0), short_number(1234.5), short_number(0.05)
    ('24.7', '6', '1,234.5', '0.05')
    """
    if "e" in f"{value:g}":
        return f"{value:,g}"
    return number_text(value, shown_decimals(value))


def in_millions(value: float, decimals: int = 1) -> str:
    """An amount in millions with ``decimals`` decimals: ``866.0 million``.

    >>> in_millions(865958733.7)
    '866.0 million'
    """
    return _scaled("million", round(value / 1e6, decimals), decimals)


def _scaled(word: str, value: float, decimals: int | None = None) -> str:
    """``value`` (already divided by its scale) followed by the scale's word, in the reader's
    language; with every digit up to six decimals, or exactly ``decimals``.

    >>> _scaled("billion", 1.232), _scaled("million", 560.52)
    ('1.232 billion', '560.52 million')
    """
    digits = f"{value:.6f}".rstrip("0").rstrip(".") if decimals is None else f"{value:.{decimals}f}"
    places = len(digits.partition(".")[2])
    written = number(float(digits), places)
    count = int(abs(float(digits)))
    if word == "trillion":
        # TRANSLATORS: {number} is an amount in trillions, e.g. "1.5".
        return ngettext("{number} trillion", "{number} trillion", count).format(number=written)
    if word == "billion":
        # TRANSLATORS: {number} is an amount in billions, e.g. "1.232" (French: "1,232 milliard").
        return ngettext("{number} billion", "{number} billion", count).format(number=written)
    # TRANSLATORS: {number} is an amount in millions, e.g. "560.52".
    return ngettext("{number} million", "{number} million", count).format(number=written)


def amount(value: float, currency: str | None, qualifier: str | None = None,
           significant: int | None = None) -> str:
    """An amount as a reader would write it, with the source's qualifier.

    Amounts of a million or more are written in millions, billions or
    trillions, keeping every digit the source gave; ``significant`` rounds a
    computed amount (such as a conversion) to that many significant digits.

    Parameters
    ----------
    value
        The amount.
    currency
        The label written before it (``"PHP"``, ``"US$"``), or ``None`` for a count.
    qualifier
        The source's own word for how exact it is (``"about"``, ``"up to"``).
    significant
        Round to this many significant digits first.

    Returns
    -------
    The amount as text.

    Examples
    --------
    >>> amount(1.232e9, "CNY"), amount(8000, "USD", "about")
    ('CNY 1.232 billion', 'about USD 8,000')
    >>> amount(560.52e6, "USD", "more than"), amount(604544969, "US$", significant=3)
    ('more than USD 560.52 million', 'US$ 605 million')
    """
    if significant is not None and value:
        value = float(f"{value:.{significant}g}")
    text = number(value, 0) if float(value).is_integer() else number(value, 2)
    for scale, word in SCALES:
        if abs(value) >= scale:
            text = _scaled(word, value / scale)
            break
    if currency:
        # TRANSLATORS: {currency} is a currency code or label ("USD", "US$"), {amount} a number.
        text = _("{currency} {amount}").format(currency=currency, amount=text)
    if qualifier:
        # TRANSLATORS: {qualifier} is how exact an amount is ("about", "up to"), {amount} the amount.
        text = _("{qualifier} {amount}").format(qualifier=_(qualifier), amount=text)
    return text


def period_text(since: object, until: object, as_of: object) -> str:
    """Years of a fact in words, from whatever the source documents.

    >>> period_text(2012, 2017, None), period_text(2014, None, None), period_text(None, None, 2017)
    ('2012-2017', 'since 2014', 'as of 2017')
    >>> period_text(None, 2023, 2022)  # a scheme's end is known, not its first year of use
    'until 2023'
    """
    def known(value: object) -> bool:
        return value is not None and not pd.isna(value)

    if known(since) and known(until):
        return f"{since}-{until}"
    if known(since):
        return _("since {year}").format(year=since)
    if known(until):
        return _("until {year}").format(year=until)
    if known(as_of):
        return _("as of {year}").format(year=as_of)
    return _("year not documented")


#: A date as the sources give it: a year, a month or a day.
PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?")


def date_text(text: object, say_precision: bool = False) -> str:
    """A date written YYYY, YYYY-MM or YYYY-MM-DD in words, to the precision the source gives;
    with ``say_precision``, a year or month alone says that the source gives no more.

    >>> date_text("2015"), date_text("2015-07"), date_text("2015-07-04"), date_text("early 2016")
    ('2015', 'July 2015', '4 July 2015', 'early 2016')
    >>> date_text("2015-07", say_precision=True), date_text("2015-07-04", say_precision=True)
    ('July 2015 (the source gives the month only)', '4 July 2015')
    """
    found = PARTIAL_DATE.fullmatch(str(text))
    if not found:
        return str(text)
    year, month, day = found.groups()
    if month is None:
        # TRANSLATORS: {date} is a year, e.g. "2015".
        return _("{date} (the source gives the year only)").format(date=year) if say_precision else year
    if day:
        return day_month_year(int(year), int(month), int(day))
    words = month_year(int(year), int(month))
    # TRANSLATORS: {date} is a month and year, e.g. "July 2015".
    return _("{date} (the source gives the month only)").format(date=words) if say_precision else words


def sources_text(source_id: str, more_source_ids: object) -> str:
    """A row's sources as one text: the main id, then the others (stored ``;``-separated).

    >>> sources_text("C-PH6", "C-PH7;S01"), sources_text("C-KE5", None)
    ('C-PH6; C-PH7; S01', 'C-KE5')
    """
    return source_id + (f"; {str(more_source_ids).replace(';', '; ')}" if pd.notna(more_source_ids) else "")


#: The top of WHO's UHC service coverage index as WHO reports it: a band, not a value.
UHC_INDEX_TOP = 80


def uhc_index_text(value: float) -> str:
    """A UHC service coverage index as WHO reports it (its top band is "80 or more", stored as 80).

    >>> uhc_index_text(57.6), uhc_index_text(80.0)
    ('58', '80 or more')
    """
    # TRANSLATORS: {top} is the top of WHO's index, 80: WHO reports values above it as "80 or more".
    return _("{top} or more").format(top=UHC_INDEX_TOP) if value >= UHC_INDEX_TOP else number(value, 0)
