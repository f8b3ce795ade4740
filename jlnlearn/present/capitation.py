"""Lesson 02 in words and tables: the PHC share, the capitation budget in US$ and the country's own
currency, the documented rates beside it, and the risk simulation's example facility.
"""

from __future__ import annotations

import pandas as pd

from jlnlearn.data.countries import CountryLike, country
from jlnlearn.i18n import _
from jlnlearn.lessons import money, phc, risk
from jlnlearn.names import contracting
from jlnlearn.present.escape import escape_markdown
from jlnlearn.present.formats import in_millions, number_text, percent_text
from jlnlearn.present.readings import named_in_sentence, possessive
from jlnlearn.present.tables import us_dollars


def money_text(amount_usd: float, query: CountryLike, year: int, decimals: int = 2,
               millions: bool = False) -> str:
    """An amount in US$ followed by the same in the country's currency at the exchange rate of
    ``year`` (:func:`~jlnlearn.lessons.money.local_amount`); US$ alone where no rate is known.

    >>> money_text(10.0, "Ghana", 2022), money_text(2.5e9, "Ghana", 2022, 1, millions=True)
    ('US$ 10.00 (GHS 82.72)', 'US$ 2,500.0 million (GHS 20,681.0 million)')
    """
    def written(value: float) -> str:
        if millions:
            return in_millions(value, decimals)
        return number_text(value, decimals if abs(value) < 1000 else 0)  # no cents on thousands

    usd = us_dollars(written(amount_usd))
    local = money.local_amount(amount_usd, query, year)
    if local.empty:
        return usd
    # TRANSLATORS: {usd} is an amount in US$, {local} the same in the country's currency ("GHS 82.72").
    return _("{usd} ({local})").format(usd=usd, local=_("{currency} {amount}").format(
        currency=local.currency, amount=written(float(local.amount))))


def exchange_rate_row(query: CountryLike, year: int) -> tuple[str, str, str] | None:
    """A table row stating the exchange rate :func:`money_text` used: item, value, source and year.

    >>> exchange_rate_row("Ghana", 2022)
    ('Exchange rate', 'GHS 8.27 per US$', 'World Bank, 2022')
    """
    local = money.local_amount(1.0, query, year)
    if local.empty:
        return None
    # TRANSLATORS: {currency} is a currency code ("GHS"), {rate} how many of it make one US$.
    return (_("Exchange rate"), _("{currency} {rate} per US$").format(currency=local.currency,
                                                                     rate=number_text(float(local.rate), 2)),
            f"World Bank, {int(local.rate_year)}")


def is_who_share(query: CountryLike, phc_share: float) -> bool:
    """Whether ``phc_share`` is WHO's latest PHC share for the country (the lesson's default), not a choice.

    >>> is_who_share("Ghana", phc.chosen_share("Ghana", None)), is_who_share("Ghana", 0.3)
    (True, False)
    """
    who = phc.who_phc_share(query)
    return not who.empty and abs(float(who.share) - phc_share) < 1e-9


@contracting
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

    >>> budget_table("Ghana", 0.3).item.tolist()[-2:]
    ['PHC budget', 'Exchange rate']
    """
    budget = phc.phc_budget(query, phc_share)
    if budget.empty:
        return pd.DataFrame(columns=["item", "value", "note"])
    spending_year, population_year = int(budget.spending_year), int(budget.population_year)
    product = (_("product of the two") if spending_year == population_year
               # TRANSLATORS: {spending_year} and {population_year} are years; "x" means "multiplied by".
               else _("{spending_year} spending per person x {population_year} population").format(
                   spending_year=spending_year, population_year=population_year))
    year = spending_year
    rows = [
        (_("Health spending per person"), money_text(budget["che_per_capita_usd"], query, year),
         f"WHO GHED, {spending_year}"),
        (_("Population"), number_text(budget["population"]), f"World Bank, {population_year}"),
        (_("Current health spending"), money_text(budget["total_spending"], query, year, 1, millions=True), product),
        (_("Share for primary health care"), percent_text(phc_share * 100), share_note(query, phc_share)),
        (_("PHC budget"), money_text(budget["budget"], query, year, 1, millions=True), _("share x spending")),
    ]
    rate = exchange_rate_row(query, year)
    return pd.DataFrame(rows + ([rate] if rate else []), columns=["item", "value", "note"])


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


@contracting
def phc_share_reading(query: CountryLike, phc_share: float) -> str:
    """Where the lesson's PHC share comes from: WHO's figure for the country, with its year and what
    WHO counts as primary care, or the lesson's assumption where WHO gives none (or the learner's own).

    >>> phc_share_reading("Ghana", phc.chosen_share("Ghana", None))  # doctest: +ELLIPSIS
    "WHO puts primary health care at 65% of Ghana's current health spending in 2022 (US$ 53.58 per ..."
    >>> phc_share_reading("Philippines", 0.3)  # doctest: +ELLIPSIS
    "WHO's spending data give no primary health care figure for the Philippines: this lesson assumes 30%..."
    """
    subject = country(query)
    who = phc.who_phc_share(subject)
    name = named_in_sentence(subject)
    if who.empty:
        # TRANSLATORS: {name} is a country's name, {share} a percentage.
        return _("WHO's spending data give no primary health care figure for {name}: this lesson assumes "
                 "{share}, an assumption to discuss, not data.").format(name=name, share=percent_text(phc_share * 100))
    # TRANSLATORS: {possessive} is the country's name with "'s" ("Ghana's"), {name} the name alone; {share} a
    # percentage, {amount} an amount in US$ per person, {year} a year.
    said = _("WHO puts primary health care at {share} of {possessive} current health spending in {year} "
             "(US$ {amount} per person). WHO counts first-contact care, prevention and part of medicines and "
             "administration, more than a capitation package pays for: read it as an upper bound.").format(
        share=percent_text(float(who.share) * 100), possessive=possessive(name), name=name, year=int(who.year),
        amount=number_text(float(who.per_person_usd), 2))
    if is_who_share(subject, phc_share):
        return said
    # TRANSLATORS: {share} is a percentage.
    return said + " " + _("The figures below use {share}, your own assumption.").format(
        share=percent_text(phc_share * 100))


@contracting
def capitation_reading(query: CountryLike, phc_share: float) -> str:
    """What the lesson's PHC share means for the country: its budget and the flat rate per person.

    >>> capitation_reading("Ghana", 0.3)  # doctest: +ELLIPSIS
    'With 30% of its health spending for primary care, Ghana would have US$ 818.7 million (GHS 6,772.3 million)...'
    """
    subject = country(query)
    budget = phc.phc_budget(subject, phc_share)
    name = named_in_sentence(subject)
    if budget.empty:
        # TRANSLATORS: {possessive} is the country's name with "'s" ("Ghana's"); {name} is the name alone.
        return _("The data lack {possessive} health spending or population, so its budget cannot be "
                 "worked out.").format(possessive=possessive(name), name=name)
    rate = phc_share * float(budget.che_per_capita_usd)
    year = int(budget.spending_year)
    # TRANSLATORS: {share} is a percentage, {budget}, {rate} and {spending} amounts in US$ each followed by
    # the same in the country's currency, {people} a number of people; the others are years.
    return _("With {share} of its health spending for primary care, {name} would have {budget} a year: "
             "{rate} per person for {people} people ({population_year}), from spending of {spending} per "
             "person in {spending_year}.").format(
        share=percent_text(phc_share * 100), name=name,
        budget=money_text(float(budget.budget), subject, year, 1, millions=True),
        rate=money_text(rate, subject, year), people=number_text(float(budget.population)),
        population_year=int(budget.population_year),
        spending=money_text(float(budget.che_per_capita_usd), subject, year), spending_year=year) + \
        documented_rates_beside(subject, rate, year)


@contracting
def documented_rates_beside(query: CountryLike, phc_per_person: float, year: int) -> str:
    """Each documented capitation rate (per person per year, with a US$ value) set beside the PHC
    spending per person the lesson computes: what share of it the rate is. Empty where none is documented.

    >>> print(documented_rates_beside("Philippines", 60.0, 2022).strip())  # doctest: +ELLIPSIS
    Documented beside it: PhilHealth Konsulta, ...: PHP 1,700 per patient seen per year (2024), US$ 29.67 at that year's exchange rate, 49% of ...
    """
    rates = phc.documented_rates(query)
    rates = rates[rates.unit.str.startswith("per ") & rates.unit.str.endswith(" per year") & rates.amount_usd.notna()]
    if rates.empty or phc_per_person <= 0:
        return ""
    lines = []
    for rate in rates.itertuples():
        # TRANSLATORS: {scheme} is a scheme's name, {description} what the rate pays for, {amount} an amount in
        # its currency ("PHP 1,700"), {unit} what it is paid for, as the source says ("per patient seen per year"),
        # {year} and {spending_year} years, {usd} the amount in US$, {share} a percentage, {phc} an amount in US$.
        lines.append(_("{scheme}, {description}: {amount} {unit} ({year}), US$ {usd} at that year's "
                       "exchange rate, {share} of the primary care spending per person computed above (US$ {phc}, "
                       "{spending_year}).").format(
            scheme=escape_markdown(rate.scheme), description=escape_markdown(rate.description),
            unit=escape_markdown(_(rate.unit)), amount=f"{rate.currency} {number_text(rate.amount)}",
            year=int(rate.year), usd=number_text(rate.amount_usd, 2),
            share=percent_text(rate.amount_usd / phc_per_person * 100), phc=number_text(phc_per_person, 2),
            spending_year=year))
    # TRANSLATORS: introduces the documented rates of the country's schemes, set beside the computed rate.
    heading = _("Documented beside it:")
    if len(lines) == 1:
        return f"\n\n{heading} {lines[0]}"
    return f"\n\n{heading}\n\n" + "\n".join(f"- {line}" for line in lines)


@contracting
def facility_reading(query: CountryLike, facility: pd.Series) -> str:
    """What the risk simulation's example facility is (:func:`~jlnlearn.lessons.phc.example_facility`): the
    country's own flat rate, the learner's cost per visit, or an illustrative facility, said as such.

    >>> facility_reading("Ghana", phc.example_facility("Ghana", 0.5, 3.0))  # doctest: +ELLIPSIS
    "The example facility has 10,000 enrolled people and Ghana's flat rate from above, US$ 41.16 (GHS 340.50) ..."
    """
    subject = country(query)
    name = named_in_sentence(subject)
    words = {"enrolled": number_text(float(facility.enrolled)), "possessive": possessive(name), "name": name,
             "visits": number_text(float(facility.visits_per_person), 1)}
    if facility.basis == "country":
        year = int(facility.year)
        # TRANSLATORS: {enrolled} is a number of people, {possessive} the country's name with "'s" ("Ghana's"),
        # {name} the name alone, {rate} and {cost} amounts in US$ each followed by the same in the country's
        # currency, {year} a year, {visits} a number of visits.
        return _("The example facility has {enrolled} enrolled people and {possessive} flat rate from above, "
                 "{rate} per person a year ({year}). At {visits} visits per person a year (an assumption), a "
                 "visit costs it {cost}.").format(
            rate=money_text(float(facility.capitation_rate), subject, year), year=year,
            cost=money_text(float(facility.cost_per_visit), subject, year), **words)
    if facility.basis == "learner":
        # TRANSLATORS: {enrolled} is a number of people, {cost} and {rate} amounts in US$, {visits} a number.
        return _("The example facility has {enrolled} enrolled people, {visits} visits per person a year and your "
                 "own cost per visit, US$ {cost}: capitation pays it US$ {rate} per person a year.").format(
            cost=number_text(float(facility.cost_per_visit), 2), rate=number_text(float(facility.capitation_rate), 2),
            **words)
    # TRANSLATORS: {possessive} is the country's name with "'s" ("Ghana's"), {name} the name alone;
    # {enrolled} a number of people, {cost} and {rate} amounts in US$, {visits} a number.
    return _("The data lack {possessive} health spending, so this is an illustrative facility, not one scaled "
             "to {name}: {enrolled} enrolled people, {visits} visits per person a year at US$ {cost} each, "
             "paid US$ {rate} per person a year by capitation.").format(
        cost=number_text(float(facility.cost_per_visit), 2), rate=number_text(float(facility.capitation_rate), 2),
        **words)
