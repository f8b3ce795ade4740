"""Country lookup by ISO3 code, name or alias."""

import pytest

import jlnlearn


def test_laos_resolves_with_its_documented_membership():
    laos = jlnlearn.country("Laos")
    assert (laos.iso3, laos.name, laos.who_region) == ("LAO", "Lao PDR", "WPR")
    assert laos.income_group == "Lower middle income"
    assert laos.membership == "associate" and laos.joined_year == 2018
    assert laos.phc_collaborative and not laos.founding_member


@pytest.mark.parametrize("query", ["South Korea", "Korea, Rep.", "KOR", "kor", "republic of korea"])
def test_korea_resolves_from_every_name(query):
    assert jlnlearn.country(query).iso3 == "KOR"


def test_every_code_name_and_alias_resolves_to_its_own_country():
    for country in jlnlearn.countries():
        for label in (country.iso3, country.name, *country.aliases):
            assert jlnlearn.country(label) == country, label


def test_undocumented_facts_are_none_not_guesses():
    ethiopia = jlnlearn.country("Ethiopia")
    assert ethiopia.income_group is None  # the FY2026 classification gives none
    assert ethiopia.joined_year is None and ethiopia.member_by_year == 2016
    myanmar = jlnlearn.country("Myanmar")
    assert myanmar.membership == "not documented"
    assert jlnlearn.country("Kosovo").who_region is None


def test_founding_members_are_the_six_of_2010():
    founders = {c.iso3 for c in jlnlearn.countries() if c.founding_member}
    assert founders == {"GHA", "IND", "IDN", "PHL", "THA", "VNM"}


def test_unknown_country_lists_closest_matches():
    with pytest.raises(jlnlearn.UnknownCountryError) as caught:
        jlnlearn.country("Ghanna")
    assert caught.value.suggestions[0] == "Ghana (GHA)"
    assert "Ghana (GHA)" in str(caught.value)


def test_nonsense_country_says_where_to_look():
    with pytest.raises(jlnlearn.UnknownCountryError, match="jlnlearn.countries"):
        jlnlearn.country("zzzzqqq")
