"""One population figure and year per country on every page that shows one; a budget takes the population
of the year of its spending."""

import csv

import pytest

from jlnlearn import country
from jlnlearn.lessons import pairing, phc, profile
from jlnlearn.present import capitation, tables
from tests.conftest import DATA

#: Every country's code, read from the shipped file as the tests are collected (loading the data there would
#: validate them in every test process before any test runs).
EVERY_ISO3 = [row["iso3"] for row in csv.DictReader((DATA / "countries.csv").read_text(encoding="utf-8").splitlines())]


def test_ghana_budget_multiplies_the_latest_spending_by_the_population_of_the_same_year_by_hand():
    # data/indicators.csv: GHA 2022 che_per_capita_usd 82.3211; GHA 2022 population 33,149,152
    budget = capitation.budget_table("Ghana", 0.5).set_index("item")
    # in cedis at the World Bank's 2022 rate (8.2724 GHS per US$): 82.3211 x 8.2724 = 680.99
    assert budget.loc["Health spending per person"].tolist() == ["US$ 82.32 (GHS 680.99)", "WHO GHED, 2022"]
    assert budget.loc["Population"].tolist() == ["33,149,152", "World Bank, 2022"]
    # 82.3211 x 33,149,152 = 2,728,874,657 -> 2,728.9 million (GHS 22,574.3 million); half of it 1,364.4 million
    assert budget.loc["Current health spending"].tolist() == ["US$ 2,728.9 million (GHS 22,574.3 million)",
                                                              "product of the two"]
    assert budget.loc["PHC budget", "value"] == "US$ 1,364.4 million (GHS 11,287.2 million)"


def test_the_flat_capitation_rate_is_the_share_of_spending_per_person():
    rates = phc.capitation_rates("Ghana", 0.5, {"0-4": 1, "5-14": 1, "15-44": 1, "45-64": 1, "65+": 1})
    assert rates.flat_rate.iloc[0] == pytest.approx(0.5 * 82.3211)
    assert rates.rate.tolist() == pytest.approx([0.5 * 82.3211] * 5)


@pytest.mark.parametrize("iso3", EVERY_ISO3)
def test_every_page_shows_the_same_population_and_year(iso3):
    subject = country(iso3)
    figure = profile.population_figure(subject)
    assert not figure.empty  # every country has a World Bank population
    written = f"{figure.population:,.0f} people"
    brief = tables.brief_table(subject).set_index("headline").loc["population"]
    assert (brief.value, brief.year) == (written, str(figure.year))
    other = "GHA" if subject.iso3 != "GHA" else "KEN"
    side = pairing.latest_indicators([subject, other]).set_index(["indicator", "iso3"])
    side = side.loc[("population", subject.iso3)]
    assert (side.value, int(side.year)) == (figure.population, figure.year)
    budget = phc.phc_budget(subject, 0.3)  # one year's: the population of the year of the spending
    if not budget.empty:
        populations = profile.indicator_series(subject, "population").set_index("year").value
        assert budget.population_year == budget.spending_year
        assert budget.population == populations[budget.spending_year]
    pyramid = profile.population_pyramid(subject)
    if not pyramid.empty:
        assert int(pyramid.year.iloc[0]) == figure.year
        # the UN age-sex shares are scaled to the same World Bank total (rounded per group)
        assert float((pyramid.male + pyramid.female).sum()) == pytest.approx(figure.population, abs=50)

