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
from jlnlearn.i18n import N_, _
from jlnlearn.lessons import covid, pairing, phc, profile, risk
from jlnlearn.present.escape import escape_html, escape_markdown
from jlnlearn.present.formats import (
    amount,
    date_text,
    in_millions,
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


def _us_dollars(amount_text: str) -> str:
    """An amount already written, in US$."""
    # TRANSLATORS: {currency} is a currency code or label ("USD", "US$"), {amount} a number.
    return _("{currency} {amount}").format(currency="US$", amount=amount_text)


#: The headline numbers of a country's brief: indicator, what it is called (translated where
#: shown), how its value is written (in the reader's language when called).
BRIEF_NUMBERS = [
    ("che_per_capita_usd", N_("health spending per person"), lambda value: _us_dollars(number_text(value))),
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

    >>> senegal = profile.primary_care_mechanisms("Senegal").iloc[0]
    >>> mechanism_text(senegal)
    'pay-for-performance pilot (Health and Nutrition Financing Project (PFSN), Ministry of Health with World Bank)'
    """
    payer = next((str(name) for name in (row.purchaser, row.scheme) if pd.notna(name)), "")
    mechanism = _(str(row.mechanism))
    if row.status in NOT_PRACTICE:
        mechanism = _(NOT_PRACTICE[row.status]).format(mechanism=mechanism)
    # TRANSLATORS: {mechanism} is a payment mechanism, {payer} who pays with it.
    return _("{mechanism} ({payer})").format(mechanism=mechanism, payer=payer) if payer else mechanism


def mechanism_years(row: Any) -> str:
    """When a documented way of paying applied: ``since 2012``, ``2012-2017``, ``as of 2024``; a pilot or
    scheme that is not in use and has no end year ``begun in 2015`` (never ``since``, which says it goes on).

    >>> mechanism_years(profile.primary_care_mechanisms("Senegal").iloc[0])
    'begun in 2015'
    """
    if row.status != profile.IN_USE and pd.notna(row.since_year) and pd.isna(row.until_year):
        return _("begun in {year}").format(year=int(row.since_year))
    return period_text(row.since_year, row.until_year, row.as_of_year)


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
    >>> brief_table("Kosovo").value.tolist()[:3], brief_table("Morocco").value.tolist()[-1]
    (['no data', 'no data', 'no data'], 'not documented')
    >>> brief_table("Senegal").iloc[-2:, :3].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['paying primary care', 'no national mechanism documented', ''],
     ['pilots, plans, ended schemes', 'pay-for-performance pilot (Health and Nutrition Financing Project (PFSN),
       Ministry of Health with World Bank)', 'begun in 2015']]
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


def is_who_share(query: CountryLike, phc_share: float) -> bool:
    """Whether ``phc_share`` is WHO's latest PHC share for the country (the lesson's default), not a choice.

    >>> is_who_share("Ghana", phc.chosen_share("Ghana", None)), is_who_share("Ghana", 0.3)
    (True, False)
    """
    who = phc.who_phc_share(query)
    return not who.empty and abs(float(who.share) - phc_share) < 1e-9


def share_note(query: CountryLike, phc_share: float) -> str:
    """Where the PHC share comes from, for the budget's table: WHO and its year, or the learner.

    >>> share_note("Ghana", phc.chosen_share("Ghana", None)), share_note("Philippines", 0.3)
    ('WHO GHED, 2022 (broad definition: an upper bound)', 'an assumption, not data')
    """
    if is_who_share(query, phc_share):
        # TRANSLATORS: {year} is the year of WHO's figure.
        return _("WHO GHED, {year} (broad definition: an upper bound)").format(
            year=int(phc.who_phc_share(query).year))
    return _("an assumption, not data")


def budget_table(query: CountryLike, phc_share: float) -> pd.DataFrame:
    """The PHC budget's derivation as readable rows: ``item, value, note``.

    >>> budget_table("Ghana", 0.3).item.tolist()[-1]
    'PHC budget'
    """
    budget = phc.phc_budget(query, phc_share)
    if budget.empty:
        return pd.DataFrame(columns=["item", "value", "note"])
    spending_year, population_year = int(budget.spending_year), int(budget.population_year)
    product = (_("product of the two") if spending_year == population_year
               # TRANSLATORS: {spending_year} and {population_year} are years; "x" means "multiplied by".
               else _("{spending_year} spending per person x {population_year} population").format(
                   spending_year=spending_year, population_year=population_year))
    return pd.DataFrame([
        (_("Health spending per person"), _us_dollars(number_text(budget["che_per_capita_usd"], 2)),
         f"WHO GHED, {spending_year}"),
        (_("Population"), number_text(budget["population"]), f"World Bank, {population_year}"),
        (_("Current health spending"), _us_dollars(in_millions(budget["total_spending"])), product),
        (_("Share for primary health care"), percent_text(phc_share * 100), share_note(query, phc_share)),
        (_("PHC budget"), _us_dollars(in_millions(budget["budget"])), _("share x spending")),
    ], columns=["item", "value", "note"])


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


#: How close to fee-for-service's average a mechanism's average must be to "pay the same".
SAME_ON_AVERAGE = 0.005


def risk_table(simulation: pd.DataFrame) -> pd.DataFrame:
    """The risk simulation's summary, one row per mechanism, with what it pays on average
    next to fee-for-service and why.

    Columns: ``mechanism``, the :func:`~jlnlearn.lessons.risk.risk_summary` columns and
    ``on average``. A withhold's shortfall is read from the simulation itself: the
    share of the capitation kept back, and how often.

    >>> from jlnlearn.lessons.risk import simulate_risk
    >>> table = risk_table(simulate_risk(1000, 2.0, 5.0, 5.0, 10.0, facility_years=20_000))
    >>> print(table["on average"].iloc[1])
    pays the same as fee-for-service: the rate is set at expected visits x cost per visit
    >>> print(table["on average"].iloc[3])
    pays 2.0% less than capitation: 10% of it is held back in the 20% of years that miss their targets
    """
    summary = risk.risk_summary(simulation)
    reference = float(summary.loc["fee-for-service", "spending_mean"])
    capitation = simulation["spending_capitation"]
    held_back = 1 - simulation["spending_capitation with withhold"] / capitation.where(capitation > 0)
    missed = held_back > 0
    reasons = {"fee-for-service": _("the reference: the fee per visit is set at its cost"),
               "capitation": _("the rate is set at expected visits x cost per visit"),
               "blended": _("a mix of the two above")}
    words = []
    for mechanism, row in summary.iterrows():
        gap = float(row.spending_mean) / reference - 1 if reference else 0.0
        if mechanism == "fee-for-service":
            words.append(reasons[mechanism])
        elif mechanism == "capitation with withhold" and missed.any():
            kept = 1 - float(row.spending_mean) / float(summary.loc["capitation", "spending_mean"])
            # TRANSLATORS: {less} is how much less it pays, {held} the share of the capitation held back,
            # {years} the share of years that miss their targets (all percentages).
            words.append(_("pays {less} less than capitation: {held} of it is held back in the {years} of years "
                           "that miss their targets").format(
                less=percent_text(kept * 100, 1), held=percent_text(float(held_back[missed].max()) * 100),
                years=percent_text(float(missed.mean()) * 100)))
        elif abs(gap) <= SAME_ON_AVERAGE:
            # TRANSLATORS: {reason} says why ("the rate is set at expected visits x cost per visit").
            words.append(_("pays the same as fee-for-service: {reason}").format(
                reason=reasons.get(str(mechanism), _("by design"))))
        elif gap > 0:
            # TRANSLATORS: {gap} is a percentage.
            words.append(_("pays {gap} more than fee-for-service").format(gap=percent_text(gap * 100, 1)))
        else:
            # TRANSLATORS: {gap} is a percentage.
            words.append(_("pays {gap} less than fee-for-service").format(gap=percent_text(-gap * 100, 1)))
    return summary.rename_axis("mechanism").reset_index().assign(**{"on average": words})

