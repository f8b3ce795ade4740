"""Primary health care payment worked on a country's real data (notebook 02).

Turns the country's population by age and its health spending into a PHC
capitation budget and rates, and converts documented rates to US$. The
learner's choices (the PHC share of spending, the weights) are arguments,
never data: the notebook states them as assumptions.
"""

from __future__ import annotations

import pandas as pd

from jlnlearn.data.countries import CountryLike, country
from jlnlearn.data.loading import load
from jlnlearn.data.sources import cite
from jlnlearn.errors import PaymentInputError
from jlnlearn.lessons import payment, profile
from jlnlearn.lessons.inputs import non_negative, positive
from jlnlearn.lessons.money import in_us_dollars

#: Broad age bands for capitation weights, and the five-year groups each covers.
AGE_BANDS = {"0-4": (0, 4), "5-14": (5, 14), "15-44": (15, 44), "45-64": (45, 64), "65+": (65, 200)}


def population_by_band(query: CountryLike, year: int | None = None) -> pd.Series:
    """People in each age band (both sexes), from the scaled UN age-sex table.

    Empty when the country is not in the table. ``year`` defaults to the
    pyramid's year (:func:`~jlnlearn.lessons.profile.population_pyramid`).

    >>> bands = population_by_band("Ghana", 2020)
    >>> list(bands.index), int(bands.sum()) > 30_000_000
    (['0-4', '5-14', '15-44', '45-64', '65+'], True)
    """
    rows = profile.population_pyramid(query, year)
    if rows.empty:
        return pd.Series(dtype=float, name="population")
    people = (rows.male + rows.female).astype(float)
    bands = {band: float(people[rows.age_start.between(low, high)].sum())
             for band, (low, high) in AGE_BANDS.items()}
    return pd.Series(bands, name="population")


#: The share of current health spending the lesson assumes for primary care where WHO gives none.
ASSUMED_PHC_SHARE = 0.3


def who_phc_share(query: CountryLike) -> pd.Series:
    """WHO's latest primary health care (PHC) spending as a share of the country's current health
    spending: ``share`` (0 to 1), ``year``, ``per_person_usd`` and ``source_id``; empty where WHO
    gives none. WHO's PHC (first-contact care by function, with prevention, part of medicines and
    of administration) is broader than a capitated package: an upper bound for a capitation pool.

    >>> ghana = who_phc_share("Ghana")
    >>> round(ghana.share, 4), int(ghana.year), ghana.source_id
    (0.6509, 2022, 'DS-WHO-GHED-PHC')
    >>> who_phc_share("Philippines").empty
    True
    """
    latest = profile.latest_values(query, ("phc_share_che_pct", "phc_per_capita_usd")).set_index("indicator")
    if "phc_share_che_pct" not in latest.index:
        return pd.Series(dtype=object)
    share = latest.loc["phc_share_che_pct"]
    per_person = latest.loc["phc_per_capita_usd", "value"] if "phc_per_capita_usd" in latest.index else None
    return pd.Series({"share": float(share.value) / 100, "year": int(share.year), "per_person_usd": per_person,
                      "source_id": share.source_id})


def chosen_share(query: CountryLike, phc_share: float | None) -> float:
    """The PHC share a lesson works with: ``phc_share`` when the learner set one, else WHO's latest
    share for the country (:func:`who_phc_share`), else :data:`ASSUMED_PHC_SHARE`.

    >>> chosen_share("Ghana", 0.4), round(chosen_share("Ghana", None), 4), chosen_share("Philippines", None)
    (0.4, 0.6509, 0.3)
    """
    if phc_share is not None:
        return phc_share
    who = who_phc_share(query)
    return ASSUMED_PHC_SHARE if who.empty else float(who.share)


def checked_share(phc_share: float) -> float:
    """``phc_share``, if it is a share of spending (above 0, at most 1); a
    :class:`~jlnlearn.errors.PaymentInputError` naming it otherwise.

    >>> checked_share(0.3)
    0.3
    """
    if not 0 < phc_share <= 1:
        raise PaymentInputError(f"phc_share must be above 0 and at most 1, got {phc_share}", "phc_share")
    return phc_share


def phc_budget(query: CountryLike, phc_share: float) -> pd.Series:
    """A PHC budget from real data: ``phc_share x health spending per person x population``.

    Spending per person is WHO GHED's latest (US$), and the population the World
    Bank's for the same year, so the budget is one year's (the country's latest
    population, :func:`~jlnlearn.lessons.profile.population_figure`, only where
    the World Bank has none for that year; both years are given). Empty when
    either is missing. Fields: ``spending_year, che_per_capita_usd,
    population_year, population, total_spending, phc_share, budget``.

    >>> budget = phc_budget("Ghana", 0.5)
    >>> int(budget.spending_year), int(budget.population_year), bool(budget.budget == 0.5 * budget.total_spending)
    (2022, 2022, True)
    """
    subject = country(query)
    checked_share(phc_share)
    spending = profile.latest_values(subject, ("che_per_capita_usd",))
    if spending.empty:
        return pd.Series(dtype=float)
    year = int(spending.year.iloc[0])
    populations = profile.indicator_series(subject, "population")
    same_year = populations[populations.year == year]
    if same_year.empty:
        people = profile.population_figure(subject)
        if people.empty:
            return pd.Series(dtype=float)
        population_year, population = int(people.year), float(people.population)
    else:
        population_year, population = year, float(same_year.value.iloc[0])
    per_person = float(spending.value.iloc[0])
    total = per_person * population
    return pd.Series({"spending_year": year, "che_per_capita_usd": per_person, "population_year": population_year,
                      "population": population, "total_spending": total, "phc_share": phc_share,
                      "budget": phc_share * total})


def capitation_rates(query: CountryLike, phc_share: float, weights: dict[str, float]) -> pd.DataFrame:
    """Risk-adjusted capitation rates per age band for the country (US$ per person per year).

    The budget pools ``phc_share`` of the latest health spending per person for
    everybody in the age table: ``phc_share x che_per_capita_usd x population``,
    so the flat rate is ``phc_share x che_per_capita_usd``. Columns:
    ``population, weight, rate, payment, flat_rate``. Empty when population or
    spending is missing.

    >>> rates = capitation_rates("Ghana", 0.5, {"0-4": 1.5, "5-14": 0.8, "15-44": 1.0, "45-64": 1.3, "65+": 2.0})
    >>> bool(round(rates.payment.sum() / rates.population.sum(), 2) == round(rates.flat_rate.iloc[0], 2))
    True
    """
    subject = country(query)
    return rates_for_share(phc_budget(subject, phc_share), population_by_band(subject), phc_share, weights)


def rates_for_share(spending: pd.Series, people: pd.Series, phc_share: float,
                    weights: dict[str, float]) -> pd.DataFrame:
    """:func:`capitation_rates` from a country's :func:`phc_budget` and :func:`population_by_band`,
    already looked up (the budget's own share is not used: ``phc_share`` is)."""
    if spending.empty or people.empty:
        return pd.DataFrame(columns=["population", "weight", "rate", "payment", "flat_rate"])
    budget = phc_share * spending["che_per_capita_usd"] * people.sum()
    rates = payment.risk_adjusted_rates(budget, people, pd.Series(weights, dtype=float))
    rates["flat_rate"] = payment.capitation_base_rate(budget, people.sum())
    return rates


def rate_scenarios(query: CountryLike, shares: list[float], weights: dict[str, float]) -> pd.DataFrame:
    """Capitation rates per band for several PHC shares (for a chart with a slider); the country's
    spending and population are looked up once for all of them.

    Columns: ``phc_share, band, rate, flat_rate``.

    >>> weights = {"0-4": 1.5, "5-14": 0.8, "15-44": 1.0, "45-64": 1.3, "65+": 2.0}
    >>> scenarios = rate_scenarios("Ghana", [0.2, 0.4], weights).set_index(["phc_share", "band"])
    >>> bool(scenarios.loc[(0.4, "65+"), "rate"] == 2 * scenarios.loc[(0.2, "65+"), "rate"])
    True
    """
    subject = country(query)
    spending = phc_budget(subject, checked_share(shares[0])) if shares else pd.Series(dtype=float)
    people = population_by_band(subject)
    frames = [rates_for_share(spending, people, checked_share(share), weights).assign(phc_share=share)
              for share in shares]
    if not frames or frames[0].empty:
        return pd.DataFrame(columns=["phc_share", "band", "rate", "flat_rate"])
    scenarios = pd.concat([frame.rename_axis("band").reset_index() for frame in frames], ignore_index=True)
    return scenarios[["phc_share", "band", "rate", "flat_rate"]]


def documented_rates(query: CountryLike) -> pd.DataFrame:
    """The country's documented payment rates in local currency and US$.

    US$ uses the World Bank official exchange rate (period average) of the
    rate's year, or the latest earlier year available; ``exchange_rate_year``
    says which. Columns: ``scheme, description, amount, currency, unit, year,
    amount_usd, exchange_rate, exchange_rate_year, source_id``.

    >>> rates = documented_rates("Philippines")
    >>> rates.amount.tolist(), rates.exchange_rate_year.tolist()
    ([1700.0], [2024])
    """
    subject = country(query)
    rates = load("payment_rates")
    rates = rates[rates.iso3 == subject.iso3]
    columns = ["scheme", "description", "amount", "currency", "unit", "year", "amount_usd",
               "exchange_rate", "exchange_rate_year", "source_id"]
    if rates.empty:
        return pd.DataFrame(columns=columns)
    rates = in_us_dollars(rates, subject)
    rates["exchange_rate_year"] = rates.exchange_rate_year.astype("Int64")
    cite(rates)
    return rates[columns].reset_index(drop=True)


#: People enrolled at the risk simulation's example facility.
EXAMPLE_ENROLLED = 10_000
#: What a visit costs the example facility where the country's health spending is not in the data (US$).
ILLUSTRATIVE_COST_PER_VISIT = 4.0


def example_facility(query: CountryLike, phc_share: float, visits_per_person: float,
                     cost_per_visit: float | None = None) -> pd.Series:
    """The facility whose risks the lesson simulates, scaled to the country (US$).

    With ``cost_per_visit`` left at None, it is paid the country's flat capitation rate
    (``phc_share x`` health spending per person, :func:`phc_budget`) and a visit costs that rate
    divided by ``visits_per_person``, so that fee-for-service and capitation pay the same on
    average; ``basis`` is ``"country"`` and ``year`` the spending's year. A ``cost_per_visit`` the
    learner gives sets the rate instead (``"learner"``). Where the spending is not in the data, the
    facility is illustrative (``"illustrative"``, :data:`ILLUSTRATIVE_COST_PER_VISIT`).
    Fields: ``enrolled, visits_per_person, cost_per_visit, capitation_rate, basis, year``.

    >>> ghana = example_facility("Ghana", 0.5, 3.0)
    >>> ghana.basis, round(ghana.capitation_rate, 2), round(ghana.cost_per_visit, 2), int(ghana.year)
    ('country', 41.16, 13.72, 2022)
    >>> example_facility("Ghana", 0.5, 3.0, cost_per_visit=4.0).capitation_rate
    12.0
    """
    positive("visits_per_person", visits_per_person)
    basis, year = "learner", None
    if cost_per_visit is not None:
        non_negative("cost_per_visit", cost_per_visit)
    elif (budget := phc_budget(query, phc_share)).empty:
        basis, cost_per_visit = "illustrative", ILLUSTRATIVE_COST_PER_VISIT
    else:
        basis, year = "country", int(budget.spending_year)
        cost_per_visit = phc_share * float(budget.che_per_capita_usd) / visits_per_person
    return pd.Series({"enrolled": EXAMPLE_ENROLLED, "visits_per_person": visits_per_person,
                      "cost_per_visit": cost_per_visit, "capitation_rate": visits_per_person * cost_per_visit,
                      "basis": basis, "year": year})
