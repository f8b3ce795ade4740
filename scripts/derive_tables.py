"""Derive the compact data tables in ``data/`` from the raw public datasets.

The raw files are large and are not kept in this repository; this script reads
them from wherever they are and writes small CSV tables for the countries in
``data/countries.csv``. Run it again when a publisher releases new data, then
run ``jlnlearn validate`` and the tests.

Usage (every raw path can also be given on its own, see ``--help``)::

    python scripts/derive_tables.py --raw-dir ../shared/data-sources --out data

Tables written: ``indicators.csv``, ``population_age_sex.csv``,
``covid_weekly.csv`` and ``covid_vaccination.csv``. Files are written to a
temporary name and renamed, so an interrupted run leaves the old tables intact.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import pandas as pd

#: Where each raw file sits inside the shared ``data-sources`` folder.
RAW_LAYOUT = {
    "ghed": "who-ghed/ghed_health_financing_2000_2022.csv",
    "ghed_phc": "who-ghed/ghed_phc_expenditure.csv",
    "uhc": "owid/uhc_service_coverage_index_2000_2021_who2025.csv",
    "che_ppp": "owid/che_per_capita_ppp_current_intl_2000_2024.csv",
    "wdi": "world-bank-wdi/wdi_selected_indicators_2000_latest.csv",
    "sdg": "un-sdg-database/sdg_3_8_financial_protection_uhc_2020snapshot.csv",
    "wpp": "un-wpp2019/wpp2019_population_by_age5_sex_jln_2000_2050.csv",
    "covid": "who-covid19/who_covid19_weekly_cases_deaths_jln.csv",
    "vaccination": "who-covid19/who_covid19_vaccination_uptake_monthly_2021_2023_jln.csv",
}

# indicator name -> (raw code, unit, source_id)
GHED_INDICATORS = {
    "che_per_capita_usd": ("GHED_CHE_pc_US_SHA2011", "current US$ per person"),
    "che_gdp_pct": ("GHED_CHEGDP_SHA2011", "% of GDP"),
    "gov_share_che_pct": ("GHED_GGHE-DCHE_SHA2011", "% of current health expenditure"),
    "private_share_che_pct": ("GHED_PVT-DCHE_SHA2011", "% of current health expenditure"),
    "oop_share_che_pct": ("GHED_OOPSCHE_SHA2011", "% of current health expenditure"),
    "external_share_che_pct": ("GHED_EXTCHE_SHA2011", "% of current health expenditure"),
    "gov_health_share_gge_pct": ("GHED_GGHE-DGGE_SHA2011", "% of general government expenditure"),
}
#: WHO's primary health care (PHC) spending, from the same GHED release; the share of current health spending
#: is derived from it there (100 x PHC per person / health spending per person, both in US$ of the same year).
GHED_PHC_INDICATORS = {
    "phc_per_capita_usd": ("GHED_PHC_pc_US_SHA2011", "current US$ per person"),
    "phc_share_che_pct": ("DERIVED_PHC_CHE_SHA2011", "% of current health expenditure"),
    "gov_share_phc_pct": ("GHED_PHC_GGHE-D_PHC_SHA2011", "% of primary health care expenditure"),
}
WDI_INDICATORS = {
    "population": ("SP.POP.TOTL", "persons"),
    "gdp_per_capita_usd": ("NY.GDP.PCAP.CD", "current US$ per person"),
    "gdp_per_capita_ppp": ("NY.GDP.PCAP.PP.CD", "current international $ (PPP) per person"),
    "exchange_rate_lcu_per_usd": ("PA.NUS.FCRF", "local currency units per US$ (period average)"),
}
SDG_INDICATORS = {
    "catastrophic_oop_10_pct": ("SH_XPD_EARN10", "% of population"),
    "catastrophic_oop_25_pct": ("SH_XPD_EARN25", "% of population"),
}
POPULATION_YEARS = list(range(2000, 2031, 5))


def read_raw(path: Path, **kwargs) -> pd.DataFrame:
    """Read a raw CSV without turning Namibia's code "NA" into a missing value."""
    return pd.read_csv(path, keep_default_na=False, na_values=[""], **kwargs)


def long_rows(frame: pd.DataFrame, indicator: str, unit: str, source_id: str) -> pd.DataFrame:
    """Shape ``iso3, year, value`` rows into the long indicators layout."""
    out = frame[["iso3", "year", "value"]].dropna(subset=["value"]).copy()
    out["indicator"], out["unit"], out["source_id"] = indicator, unit, source_id
    return out


def derive_indicators(paths: dict[str, Path], iso3: list[str]) -> pd.DataFrame:
    """Health financing, coverage, population and economy indicators, long format."""
    parts = []
    ghed = read_raw(paths["ghed"])
    ghed = ghed[(ghed.spatial_type == "COUNTRY") & ghed.iso3.isin(iso3)]
    for name, (code, unit) in GHED_INDICATORS.items():
        parts.append(long_rows(ghed[ghed.indicator_code == code], name, unit, "DS-WHO-GHED"))

    ghed_phc = read_raw(paths["ghed_phc"])
    ghed_phc = ghed_phc[ghed_phc.iso3.isin(iso3)]
    for name, (code, unit) in GHED_PHC_INDICATORS.items():
        parts.append(long_rows(ghed_phc[ghed_phc.indicator_code == code], name, unit, "DS-WHO-GHED-PHC"))

    che_ppp = read_raw(paths["che_ppp"]).set_axis(["entity", "iso3", "year", "value"], axis=1)
    parts.append(long_rows(che_ppp[che_ppp.iso3.isin(iso3)], "che_per_capita_ppp",
                           "current international $ (PPP) per person", "DS-OWID-CHE-PPP"))

    uhc = read_raw(paths["uhc"]).set_axis(["entity", "iso3", "year", "value"], axis=1)
    parts.append(long_rows(uhc[uhc.iso3.isin(iso3)], "uhc_service_coverage_index",
                           "index, 0 to 100", "DS-OWID-UHC"))

    wdi = read_raw(paths["wdi"])
    wdi = wdi[wdi.iso3.isin(iso3)]
    for name, (code, unit) in WDI_INDICATORS.items():
        parts.append(long_rows(wdi[wdi.indicator_code == code], name, unit, "DS-WB-WDI"))

    sdg = read_raw(paths["sdg"])
    sdg = sdg[sdg.iso3.isin(iso3)]
    for name, (code, unit) in SDG_INDICATORS.items():
        parts.append(long_rows(sdg[sdg.series_code == code], name, unit, "DS-UNSD-SDG"))

    table = pd.concat(parts, ignore_index=True)
    table["year"] = table["year"].astype(int)
    is_population = table.indicator == "population"
    table["value"] = table["value"].astype(float).round(4)
    table["value"] = table["value"].astype(object)
    table.loc[is_population, "value"] = table.loc[is_population, "value"].astype(int)
    columns = ["iso3", "year", "indicator", "value", "unit", "source_id"]
    return table[columns].sort_values(["iso3", "indicator", "year"]).reset_index(drop=True)


def derive_population(paths: dict[str, Path], iso3: list[str]) -> pd.DataFrame:
    """Population by 5-year age group and sex, scaled to the World Bank total.

    UN WPP 2019 gives the age-sex shares; each year's counts are multiplied so
    that they add up to the World Bank population total for that year. For
    years after the latest World Bank total (projections), the ratio of that
    latest year is used, and the ``basis`` column says so.
    """
    wpp = read_raw(paths["wpp"])
    wpp = wpp[wpp.iso3.isin(iso3) & wpp.year.isin(POPULATION_YEARS)].copy()
    wdi = read_raw(paths["wdi"])
    totals = (wdi[(wdi.indicator_code == "SP.POP.TOTL") & wdi.iso3.isin(iso3)]
              .set_index(["iso3", "year"])["value"])
    wpp_totals = (wpp.groupby(["iso3", "year"])[["pop_male_thousands", "pop_female_thousands"]]
                  .sum().sum(axis=1) * 1000)

    factors = {}
    for (code, year), wpp_total in wpp_totals.items():
        if (code, year) in totals.index:
            factors[(code, year)] = (totals[(code, year)] / wpp_total, "scaled to World Bank total")
            continue
        earlier = [y for c, y in wpp_totals.index if c == code and y < year and (c, y) in totals.index]
        if earlier:
            latest = max(earlier)
            ratio = totals[(code, latest)] / wpp_totals[(code, latest)]
            factors[(code, year)] = (ratio, f"projection scaled by {latest} World Bank ratio")
    rows = []
    for record in wpp.itertuples(index=False):
        key = (record.iso3, record.year)
        if key not in factors:
            continue
        factor, basis = factors[key]
        rows.append({
            "iso3": record.iso3, "year": record.year, "age_group": record.age_group,
            "age_start": record.age_start,
            "male": round(record.pop_male_thousands * 1000 * factor),
            "female": round(record.pop_female_thousands * 1000 * factor),
            "basis": basis,
        })
    return (pd.DataFrame(rows).sort_values(["iso3", "year", "age_start"])
            .reset_index(drop=True))


def derive_covid_weekly(paths: dict[str, Path], iso3: list[str]) -> pd.DataFrame:
    """Weekly COVID-19 cases and deaths as WHO reports them (gaps stay empty)."""
    covid = read_raw(paths["covid"])
    covid = covid[covid.iso3.isin(iso3)]
    table = covid.rename(columns={
        "Date_reported": "date", "New_cases": "new_cases", "New_deaths": "new_deaths",
        "Cumulative_cases": "cumulative_cases", "Cumulative_deaths": "cumulative_deaths",
    })[["iso3", "date", "new_cases", "new_deaths", "cumulative_cases", "cumulative_deaths"]]
    for column in ["new_cases", "new_deaths", "cumulative_cases", "cumulative_deaths"]:
        table[column] = table[column].astype("Int64")
    return table.sort_values(["iso3", "date"]).reset_index(drop=True)


def derive_covid_vaccination(paths: dict[str, Path], iso3: list[str]) -> pd.DataFrame:
    """Monthly COVID-19 vaccination uptake as WHO reports it."""
    vax = read_raw(paths["vaccination"], encoding="utf-8-sig")
    vax = vax[vax.COUNTRY.isin(iso3)]
    table = vax.rename(columns={
        "COUNTRY": "iso3", "DATE": "date",
        "COVID_VACCINE_COV_TOT_A1D": "one_dose_pct",
        "COVID_VACCINE_COV_TOT_CPS": "complete_primary_series_pct",
        "COVID_VACCINE_COV_TOT_BOOST": "booster_pct",
        "COVID_VACCINE_ADM_TOT_DOSES": "total_doses",
    })[["iso3", "date", "one_dose_pct", "complete_primary_series_pct", "booster_pct",
        "total_doses"]]
    table["total_doses"] = table["total_doses"].round().astype("Int64")
    return table.sort_values(["iso3", "date"]).reset_index(drop=True)


def write_atomically(table: pd.DataFrame, target: Path) -> None:
    """Write ``table`` as CSV to a temporary file beside ``target``, then rename it."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            table.to_csv(stream, index=False, lineterminator="\n")
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


DERIVATIONS = {
    "indicators": derive_indicators,
    "population_age_sex": derive_population,
    "covid_weekly": derive_covid_weekly,
    "covid_vaccination": derive_covid_vaccination,
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw-dir", type=Path,
                        help="folder laid out like ../shared/data-sources (fills every path below)")
    for key, relative in RAW_LAYOUT.items():
        parser.add_argument(f"--{key.replace('_', '-')}", type=Path, dest=key,
                            help=f"raw file (default: RAW_DIR/{relative})")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "data",
                        help="data folder holding countries.csv; tables are written here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    paths: dict[str, Path] = {}
    for key, relative in RAW_LAYOUT.items():
        given = getattr(args, key) or (args.raw_dir / relative if args.raw_dir else None)
        if given is None or not given.is_file():
            print(f"derive_tables: raw file for --{key.replace('_', '-')} not found: {given} "
                  f"(give --raw-dir or the file's path)", file=sys.stderr)
            return 2
        paths[key] = given
    iso3 = read_raw(args.out / "countries.csv")["iso3"].tolist()
    for name, derive in DERIVATIONS.items():
        table = derive(paths, iso3)
        write_atomically(table, args.out / f"{name}.csv")
        print(f"{name}.csv: {len(table):,} rows, {table['iso3'].nunique()} countries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
