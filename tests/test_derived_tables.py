"""The derived tables reproduce from the raw public datasets and match them."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys

import pandas as pd
import pytest

import jlnlearn
from tests.conftest import DATA, REPO

DERIVED = ["indicators", "population_age_sex", "covid_weekly", "covid_vaccination"]


def read_raw(path):
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def test_script_rebuilds_the_committed_tables_byte_for_byte(raw_dir, tmp_path):
    shutil.copy(DATA / "countries.csv", tmp_path / "countries.csv")
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "derive_tables.py"), "--raw-dir", str(raw_dir),
         "--out", str(tmp_path)], capture_output=True, text=True, check=True)
    assert "indicators.csv:" in result.stdout
    for table in DERIVED:
        assert filecmp.cmp(tmp_path / f"{table}.csv", DATA / f"{table}.csv", shallow=False), table


def test_script_without_raw_files_exits_2_and_says_which(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "derive_tables.py"), "--raw-dir", str(tmp_path)],
        capture_output=True, text=True)
    assert result.returncode == 2
    assert "raw file for --ghed not found" in result.stderr


def test_health_spending_matches_the_ghed_file(raw_dir):
    ghed = read_raw(raw_dir / "who-ghed/ghed_health_financing_2000_2022.csv")
    raw = ghed[(ghed.iso3 == "GHA") & (ghed.year == 2020)
               & (ghed.indicator_code == "GHED_OOPSCHE_SHA2011")].value.item()
    ours = jlnlearn.load("indicators").query(
        "iso3 == 'GHA' and year == 2020 and indicator == 'oop_share_che_pct'").value.item()
    assert ours == pytest.approx(raw, abs=5e-5)


def test_spending_shares_by_source_add_up_to_100():
    """Government + domestic private + external shares are the whole of current spending."""
    table = jlnlearn.load("indicators")
    shares = table[table.indicator.isin(["gov_share_che_pct", "private_share_che_pct",
                                         "external_share_che_pct"])]
    totals = shares.pivot_table(index=["iso3", "year"], columns="indicator", values="value",
                                observed=True).dropna().sum(axis=1)
    assert len(totals) > 500
    assert totals.between(99.0, 101.0).mean() > 0.99


def test_uhc_index_is_the_periodic_who_series():
    """The README of the raw data gives Ethiopia 2021 as 35.1 in this series (29 in the other)."""
    uhc = jlnlearn.load("indicators").query("indicator == 'uhc_service_coverage_index'")
    assert uhc.query("iso3 == 'ETH' and year == 2021").value.item() == pytest.approx(35.1, abs=0.05)
    assert set(uhc.year) == {2000, 2005, 2010, 2015, 2017, 2019, 2021}
    assert uhc.value.max() <= 80  # WHO reports the top band as "80 or more"


def test_population_adds_up_to_the_world_bank_total(raw_dir):
    wdi = read_raw(raw_dir / "world-bank-wdi/wdi_selected_indicators_2000_latest.csv")
    total = wdi[(wdi.iso3 == "PHL") & (wdi.year == 2020)
                & (wdi.indicator_code == "SP.POP.TOTL")].value.item()
    pyramid = jlnlearn.load("population_age_sex").query("iso3 == 'PHL' and year == 2020")
    assert len(pyramid) == 21
    # 42 counts rounded to whole persons: within 21 persons of the total.
    assert abs(int(pyramid.male.sum() + pyramid.female.sum()) - total) <= 21


def test_population_keeps_the_un_age_sex_shares(raw_dir):
    wpp = read_raw(raw_dir / "un-wpp2019/wpp2019_population_by_age5_sex_jln_2000_2050.csv")
    raw = wpp[(wpp.iso3 == "KEN") & (wpp.year == 2015)]
    raw_share = raw.pop_female_thousands.iloc[0] / (
        raw.pop_male_thousands.sum() + raw.pop_female_thousands.sum())
    ours = jlnlearn.load("population_age_sex").query("iso3 == 'KEN' and year == 2015")
    assert ours.female.iloc[0] / (ours.male.sum() + ours.female.sum()) == \
        pytest.approx(raw_share, rel=1e-6)
    assert (ours.basis == "scaled to World Bank total").all()


def test_projection_years_say_how_they_were_scaled():
    pyramid = jlnlearn.load("population_age_sex")
    assert set(pyramid.loc[pyramid.year == 2030, "basis"]) == {
        "projection scaled by 2025 World Bank ratio"}


def test_weekly_covid_counts_are_kept_as_reported(raw_dir):
    raw = read_raw(raw_dir / "who-covid19/who_covid19_weekly_cases_deaths_jln.csv")
    raw = raw[raw.iso3 == "PHL"]
    ours = jlnlearn.load("covid_weekly").query("iso3 == 'PHL'")
    assert len(ours) == len(raw)
    assert int(ours.new_cases.sum()) == int(raw.New_cases.sum())
    weekly = jlnlearn.load("covid_weekly")
    # Downward revisions (negative weekly counts) are kept, not silently zeroed.
    assert (weekly.new_cases < 0).sum() == (
        read_raw(raw_dir / "who-covid19/who_covid19_weekly_cases_deaths_jln.csv")
        .query("iso3 in @weekly.iso3.unique()").New_cases < 0).sum()
