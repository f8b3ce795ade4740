"""Tables a person reads: the one renderer, a notice where a table is empty, and the
readable versions of the topic modules' raw tables.

The topic modules return raw values (years as numbers, amounts with their
currency); the functions here turn them into the words and numbers a lesson
shows, with :mod:`jlnlearn.present.formats`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from jlnlearn.data.countries import CountryLike, country
from jlnlearn.i18n import N_, _, joined
from jlnlearn.lessons import covid, journey, pairing, profile
from jlnlearn.present.escape import escape_html, escape_markdown
from jlnlearn.present.formats import (
    amount,
    date_text,
    number_text,
    percent_text,
    period_text,
    shown_decimals,
    sources_text,
    uhc_index_text,
)
from jlnlearn.present.labels import readable


class Notice:
    """A short message shown where a chart or a table would be, e.g. when data are missing.

    >>> Notice("No data for Kosovo <yet>")._repr_html_()
    '<p class="jlnlearn-notice">No data for Kosovo &lt;yet&gt;</p>'
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_html_(self) -> str:
        return f'<p class="jlnlearn-notice">{escape_html(self.text)}</p>'

    def _repr_markdown_(self) -> str:
        return f"> {escape_markdown(self.text)}"

    def __repr__(self) -> str:
        return f"Notice({self.text!r})"


def fact_table(frame: pd.DataFrame, empty: str | None = None) -> object:
    """A DataFrame shown in full (no truncated text, no index), as a reader reads it.

    Headers and values are written by :func:`~jlnlearn.present.labels.readable`
    (titles from the data package, yes/no, years, thousands separators), then
    HTML-escaped.

    Parameters
    ----------
    frame
        The table to show.
    empty
        What to say instead when ``frame`` has no rows (by default, that nothing is documented yet).

    Returns
    -------
    A pandas ``Styler`` that renders the whole table, or a :class:`Notice`.

    Examples
    --------
    >>> html_text = fact_table(pd.DataFrame({"fact": ["<b>x</b>"]})).to_html()
    >>> "&lt;b&gt;x&lt;/b&gt;" in html_text and "<b>x</b>" not in html_text
    True
    >>> "&lt;i&gt;Zed&lt;/i&gt;</th>" in fact_table(pd.DataFrame({"<i>Zed</i>": [1]})).to_html()
    True
    >>> fact_table(pd.DataFrame(), empty="Nothing yet.")
    Notice('Nothing yet.')
    """
    if frame.empty:
        return Notice(_("Nothing is documented yet.") if empty is None else empty)
    return (readable(frame).style.hide(axis="index").format(escape="html", na_rep="")
            .format_index(escape="html", axis="columns"))


def mechanisms_table(query: CountryLike) -> pd.DataFrame:
    """The country's documented payment mechanisms with their years in words.

    Columns: ``level_of_care, mechanism, purchaser, scheme, status, years, detail, source_id``.

    >>> mechanisms_table("Ghana").years.tolist()
    ['2012-2017', 'as of 2019', 'since 2008']
    """
    rows = profile.payment_mechanisms(query)
    rows["years"] = [period_text(since, until, as_of) for since, until, as_of
                     in zip(rows.since_year, rows.until_year, rows.as_of_year, strict=True)]
    return rows[["level_of_care", "mechanism", "purchaser", "scheme", "status", "years", "detail", "source_id"]]


def us_dollars(amount_text: str) -> str:
    """An amount already written, in US$."""
    # TRANSLATORS: {currency} is a currency code or label ("USD", "US$"), {amount} a number.
    return _("{currency} {amount}").format(currency="US$", amount=amount_text)


#: The headline numbers of a country's brief: indicator, what it is called (translated where
#: shown), how its value is written (in the reader's language when called).
BRIEF_NUMBERS = [
    ("che_per_capita_usd", N_("health spending per person"), lambda value: us_dollars(number_text(value))),
    ("uhc_service_coverage_index", N_("UHC service coverage index"),
     lambda value: _("{index} (of 100)").format(index=uhc_index_text(value))),
    ("population", N_("population"), lambda value: _("{count} people").format(count=number_text(value))),
]
#: How a mechanism that is not a country's practice is named (translated where shown).
NOT_PRACTICE = {"pilot": N_("{mechanism} pilot"), "designed": N_("{mechanism}, designed, not confirmed in use"),
                "ended": N_("{mechanism}, ended")}


def mechanism_text(row: Any) -> str:
    """One documented way of paying, in words: the mechanism (a pilot, design or ended scheme named
    as such) and who pays with it. ``row`` is a row of :func:`jlnlearn.lessons.profile.payment_mechanisms`.

    A payer whose name holds brackets of its own is not bracketed again:

    >>> mechanism_text(profile.primary_care_mechanisms("Philippines").iloc[0])
    'capitation (PhilHealth)'
    >>> mechanism_text(profile.primary_care_mechanisms("Senegal").iloc[0])
    'pay-for-performance pilot, paid by Health and Nutrition Financing Project (PFSN), Ministry of Health with World Bank'
    """
    payer = next((str(name) for name in (row.purchaser, row.scheme) if pd.notna(name)), "")
    mechanism = _(str(row.mechanism))
    if row.status in NOT_PRACTICE:
        mechanism = _(NOT_PRACTICE[row.status]).format(mechanism=mechanism)
    if not payer:
        return mechanism
    if "(" in payer:
        # TRANSLATORS: {mechanism} is a payment mechanism, {payer} who pays with it (a name that holds brackets).
        return _("{mechanism}, paid by {payer}").format(mechanism=mechanism, payer=payer)
    # TRANSLATORS: {mechanism} is a payment mechanism, {payer} who pays with it.
    return _("{mechanism} ({payer})").format(mechanism=mechanism, payer=payer)


def mechanism_years(row: Any) -> str:
    """When a documented way of paying applied: ``since 2012``, ``2012-2017``, ``as of 2024``; a pilot or
    scheme that is not in use and has no end year ``begun in 2015`` (never ``since``, which says it goes on).

    >>> mechanism_years(profile.primary_care_mechanisms("Senegal").iloc[0])
    'begun in 2015'
    """
    if row.status != profile.IN_USE and pd.notna(row.since_year) and pd.isna(row.until_year):
        return _("begun in {year}").format(year=int(row.since_year))
    return period_text(row.since_year, row.until_year, row.as_of_year)


def ways_of_paying(rows: pd.DataFrame) -> str:
    """Documented ways of paying in a sentence, each mechanism and payer named once with all its
    years (two sources may document the same one at different times). ``rows`` are rows of
    :func:`jlnlearn.lessons.profile.payment_mechanisms`.

    >>> ways_of_paying(profile.primary_care_mechanisms("Kenya"))
    'capitation (National Hospital Insurance Fund), since 2012, as of 2015; fee-for-service (National Hospital Insurance Fund), since 2021'
    """
    years: dict[str, list[str]] = {}
    for row in rows.itertuples():
        years.setdefault(mechanism_text(row), []).append(mechanism_years(row))
    # TRANSLATORS: {mechanism} is a payment mechanism with who pays with it, {years} since when.
    return joined(_("{mechanism}, {years}").format(mechanism=mechanism, years=", ".join(dict.fromkeys(found)))
                  for mechanism, found in years.items())


def who_pays_row(query: CountryLike) -> tuple[str, str, str, str]:
    """The brief's line on who pays, all of it, in one year: ``headline, value, year, source``.

    >>> who_pays_row("Senegal")
    ('who pays', 'government 22%, out of pocket 49%, other private 8%, external 21%', '2022', 'DS-WHO-GHED')
    """
    shares = profile.who_pays_all(query)
    if shares.empty:
        return _("who pays"), _("no data"), "", ""
    # TRANSLATORS: each {…} is a percentage of current health spending; together they add up to 100%.
    text = _("government {government}, out of pocket {oop}, other private {other}, external {external}").format(
        government=percent_text(shares.government), oop=percent_text(shares.out_of_pocket),
        other=percent_text(shares.other_private), external=percent_text(shares.external))
    return _("who pays"), text, str(int(shares.year)), "DS-WHO-GHED"


def brief_table(query: CountryLike) -> pd.DataFrame:
    """The box at the top of a country's brief: its headline numbers and its documented way of
    paying primary care, each with its year and source (``no data`` or ``not documented`` where
    the data hold none). Only mechanisms in use are the way the country pays; its pilots, designs
    and ended schemes follow on a row of their own.

    Columns: ``headline, value, year, source``.

    >>> brief = brief_table("Philippines").set_index("headline")
    >>> brief.loc["health spending per person", "value"].startswith("US$ "), brief.loc["paying primary care", "value"]
    (True, 'capitation (PhilHealth)')
    >>> brief_table("Kosovo").value.tolist()[:3], brief_table("Tunisia").value.tolist()[-1]
    (['no data', 'no data', 'no data'], 'not documented')
    >>> brief_table("Senegal").iloc[-2:, :3].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['paying primary care', 'no national mechanism documented', ''],
     ['pilots, plans, ended schemes', 'pay-for-performance pilot, paid by Health and Nutrition Financing Project
       (PFSN), Ministry of Health with World Bank', 'begun in 2015']]
    """
    latest = profile.latest_values(query, tuple(entry[0] for entry in BRIEF_NUMBERS)).set_index("indicator")
    rows = []
    for name, label, written in BRIEF_NUMBERS:
        if name in latest.index:
            row = latest.loc[name]
            rows.append((_(label), written(row.value), str(int(row.year)), row.source_id))
        else:
            rows.append((_(label), _("no data"), "", ""))
        if name == "che_per_capita_usd":
            rows.append(who_pays_row(query))
    primary = profile.primary_care_mechanisms(query)
    for row in primary[primary.in_use].itertuples():
        rows.append((_("paying primary care"), mechanism_text(row), mechanism_years(row), row.source_id))
    if primary.empty:
        rows.append((_("paying primary care"), _("not documented"), "", ""))
    elif not primary.in_use.any():
        rows.append((_("paying primary care"), _("no national mechanism documented"), "", ""))
    for row in primary[~primary.in_use].itertuples():
        rows.append((_("pilots, plans, ended schemes"), mechanism_text(row), mechanism_years(row), row.source_id))
    return pd.DataFrame(rows, columns=["headline", "value", "year", "source"])


def reforms_table(query: CountryLike) -> pd.DataFrame:
    """The country's dated reforms, oldest first, numbered as on its timeline
    (:func:`~jlnlearn.charts.reform_timeline`): ``number, date, kind, description, source_id``.

    >>> reforms_table("Philippines").number.tolist()[:3], reforms_table("Philippines").date.iloc[0]
    ([1, 2, 3], '1995')
    """
    rows = journey.country_reforms(query).reset_index(drop=True)
    return rows.assign(number=range(1, len(rows) + 1))[["number", "date", "kind", "description", "source_id"]]


def measures_table(query: CountryLike) -> pd.DataFrame:
    """The country's COVID-19 measures as a readable table: when, lever, category, what, source.

    >>> measures_table("Kenya").columns.tolist()
    ['when', 'lever', 'category', 'measure', 'source']
    """
    rows = covid.country_measures(query)
    when = rows.date.map(date_text) + rows.date_note.map(lambda note: f" ({note})" if pd.notna(note) else "")
    # TRANSLATORS: {start} is when a measure began ("April 2020"), {end} when it ended.
    until = _("{start}, until {end}")
    when = [until.format(start=start, end=date_text(end)) if pd.notna(end) else start
            for start, end in zip(when, rows.end_date, strict=True)]
    sources = rows.source_id + rows.more_source_ids.map(
        lambda more: f"; {more.replace(';', '; ')}" if pd.notna(more) else "")
    return pd.DataFrame({"when": when, "lever": rows.lever, "category": rows.category,
                         "measure": rows.description, "source": sources})


def figures_table(query: CountryLike) -> pd.DataFrame:
    """The country's documented numbers about its COVID-19 measures: what, number, US$, source.

    ``in US$`` says which year's exchange rate was used, or why there is none.
    Conversions are rounded to whole dollars, and amounts of a million or more
    to three significant digits: they illustrate one year's rate, not exact sums.

    >>> mild = figures_table("PHL").set_index("figure").loc["Case rate, mild COVID-19 pneumonia"]
    >>> mild["in US$"], mild["measure"]
    ('US$ 887 (2020 rate, 49.62 PHP per US$)', 'payment change, 15 April 2020')
    >>> figures_table("MDA").loc[1, "in US$"]  # euros, not Moldovan lei
    "not converted: EUR is not the currency of Moldova's exchange rate"
    """
    rows = covid.figures(query)
    out = []
    for row in rows.itertuples():
        qualifier = row.qualifier if pd.notna(row.qualifier) else None
        if row.unit == "percent":
            share = percent_text(row.value, shown_decimals(row.value))
            # TRANSLATORS: {qualifier} is how exact an amount is ("about", "up to"), {amount} the amount.
            number = _("{qualifier} {amount}").format(qualifier=_(qualifier), amount=share) if qualifier else share
            usd = ""
        elif row.unit == "count":
            number, usd = amount(row.value, None, qualifier), ""
        else:
            number = amount(row.value, row.currency, qualifier)
            usd = _usd_text(row, qualifier)
        # TRANSLATORS: {category} is a kind of COVID-19 measure ("emergency funds"), {date} when it was taken.
        measure = _("{category}, {date}").format(category=_(str(row.category)), date=date_text(row.date))
        out.append({"figure": row.label, "number": number, "in US$": usd, "basis": row.basis,
                    "measure": measure, "source": sources_text(row.source_id, row.more_source_ids)})
    return pd.DataFrame(out, columns=["figure", "number", "in US$", "basis", "measure", "source"])


def _usd_text(row: Any, qualifier: str | None) -> str:
    """The US$ column of :func:`figures_table` for one amount."""
    if row.currency == "USD":
        return _("(stated in US$)")
    if row.currency != country(row.iso3).currency:
        # TRANSLATORS: {currency} is a currency's code ("EUR"); {name} is a country's name.
        return _("not converted: {currency} is not the currency of {name}'s exchange rate").format(
            currency=row.currency, name=country(row.iso3).name)
    if pd.isna(row.year):
        return _("not converted: no source dates this amount")
    if pd.isna(row.amount_usd):
        return _("not converted: no exchange rate for that year")
    usd = amount(row.amount_usd if row.amount_usd >= 1e6 else round(row.amount_usd), "US$",
                 qualifier, significant=3 if row.amount_usd >= 1e6 else None)
    # TRANSLATORS: {amount} is an amount in US$, {year} the year of the exchange rate, {rate} the rate
    # and {currency} the local currency's code ("US$ 887 (2020 rate, 49.62 PHP per US$)").
    return _("{amount} ({year} rate, {rate} {currency} per US$)").format(
        amount=usd, year=int(row.exchange_rate_year), rate=number_text(row.exchange_rate, 2), currency=row.currency)


#: How the indicators of a pairing pack are named on the page (translated where shown).
INDICATOR_LABELS = {"che_per_capita_usd": N_("health spending per person, US$"),
                    "che_gdp_pct": N_("health spending, % of GDP"),
                    "gov_share_che_pct": N_("government share of health spending, %"),
                    "oop_share_che_pct": N_("out-of-pocket share of health spending, %"),
                    "external_share_che_pct": N_("external share of health spending, %"),
                    "uhc_service_coverage_index": N_("UHC service coverage index"),
                    "population": N_("population")}


def indicators_table(countries: Sequence[CountryLike] | str) -> pd.DataFrame:
    """A pairing's latest financing indicators side by side: one row per indicator, one column
    per country, each cell the value and its year, or ``no data``.

    >>> indicators_table("GHA,XKX").set_index("indicator").loc["health spending, % of GDP", "Kosovo"]
    'no data'
    """
    latest = pairing.latest_indicators(countries)
    out = pd.DataFrame({"indicator": [_(INDICATOR_LABELS[name]) for name in pairing.SIDE_BY_SIDE]})
    for name, rows in latest.groupby("country", sort=False):
        out[name] = [_value_and_year(row.value, row.year) for row in rows.itertuples()]
    return out


def _value_and_year(value: float, year: object) -> str:
    """``1,234 (2021)`` for values of 100 or more, ``12.3 (2021)`` below, ``no data`` when missing."""
    if pd.isna(value):
        return _("no data")
    written = number_text(value, 0) if value >= 100 else number_text(value, 1)
    return f"{written} ({int(year)})"
