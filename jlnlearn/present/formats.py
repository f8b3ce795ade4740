"""Numbers, amounts and periods as a reader writes them.

Pure functions from raw values to text; the topic modules return the values,
and tables, sentences and charts call these to show them.
"""

from __future__ import annotations

import re

import pandas as pd

#: How large amounts are written: the divisor and its word, largest first.
SCALES = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")]


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
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    for scale, word in SCALES:
        if abs(value) >= scale:
            number = f"{value / scale:,.6f}".rstrip("0").rstrip(".") + f" {word}"
            break
    text = f"{currency} {number}" if currency else number
    return f"{qualifier} {text}" if qualifier else text


def period_text(since: object, until: object, as_of: object) -> str:
    """Years of a fact in words, from whatever the source documents.

    >>> period_text(2012, 2017, None), period_text(2014, None, None), period_text(None, None, 2017)
    ('2012-2017', 'since 2014', 'as of 2017')
    """
    def known(value: object) -> bool:
        return value is not None and not pd.isna(value)

    if known(since) and known(until):
        return f"{since}-{until}"
    if known(since):
        return f"since {since}"
    if known(as_of):
        return f"as of {as_of}"
    return "year not documented"


#: A date as the sources give it: a year, a month or a day.
PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


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
        return f"{year} (the source gives the year only)" if say_precision else year
    words = f"{MONTHS[int(month) - 1]} {year}"
    if day:
        return f"{int(day)} {words}"
    return f"{words} (the source gives the month only)" if say_precision else words


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
    return f"{UHC_INDEX_TOP} or more" if value >= UHC_INDEX_TOP else f"{value:.0f}"
