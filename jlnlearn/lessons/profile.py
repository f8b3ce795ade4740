"""The facts of one country's profile, as DataFrames ready to chart or show.

Every function takes a country (ISO3 code, name or alias) and returns a
DataFrame; an empty DataFrame means the data hold nothing for that country,
which the notebook says plainly.
"""

from __future__ import annotations

import pandas as pd

from jlnlearn.data.countries import Country, CountryLike, countries, country, who_region_name
from jlnlearn.data.loading import load
from jlnlearn.data.sources import cite
from jlnlearn.i18n import N_, _
from jlnlearn.names import contracted, in_sentence

#: Labels of the health-spending shares by source, in stacking order (in English: the columns of
#: :func:`spending_by_source`; translated where shown).
SPENDING_SOURCES = {
    "gov_share_che_pct": N_("Government (domestic)"),
    "private_share_che_pct": N_("Private (domestic)"),
    "external_share_che_pct": N_("External (donors)"),
}


def peers(query: CountryLike) -> list[Country]:
    """The country's peers: countries in its World Bank income group, else its WHO region.

    >>> "KEN" in [c.iso3 for c in peers("Ghana")]
    True
    """
    subject = country(query)
    if subject.income_group:
        same = [c for c in countries() if c.income_group == subject.income_group]
    else:
        same = [c for c in countries() if c.who_region and c.who_region == subject.who_region]
    return [c for c in same if c.iso3 != subject.iso3]


def peer_basis(query: CountryLike) -> str:
    """In words, what the peers of :func:`peers` share with the country (in the reader's language).

    >>> peer_basis("Ghana")
    'lower middle income countries'
    """
    subject = country(query)
    if subject.income_group:
        # TRANSLATORS: {group} is a World Bank income group in lower case ("lower middle income").
        return _("{group} countries").format(group=_(subject.income_group).lower())
    if subject.who_region:
        # TRANSLATORS: {region} is a WHO region's name, e.g. "WHO African Region".
        return _("countries of the {region}").format(region=who_region_name(subject.who_region))
    return _("no peer group (neither income group nor WHO region documented)")


def indicator_series(query: CountryLike, indicator: str, with_peers: bool = False) -> pd.DataFrame:
    """Yearly values of ``indicator`` for the country (and its peers), with names.

    Columns: ``iso3, name, year, value, unit, source_id, is_subject``.

    >>> spending = indicator_series("Ghana", "che_per_capita_usd")
    >>> bool(spending.is_subject.all()), int(spending.year.min())
    (True, 2000)
    """
    subject = country(query)
    wanted = [subject.iso3] + ([c.iso3 for c in peers(subject)] if with_peers else [])
    table = load("indicators")
    rows = table[(table.indicator == indicator) & table.iso3.isin(wanted)].copy()
    names = {c.iso3: c.name for c in countries()}
    rows["name"] = rows.iso3.map(names)
    rows["is_subject"] = rows.iso3 == subject.iso3
    columns = ["iso3", "name", "year", "value", "unit", "source_id", "is_subject"]
    cite(rows)
    return rows[columns].sort_values(["is_subject", "iso3", "year"]).reset_index(drop=True)


#: The numbers that sum up a country, in the order they are said.
HEADLINE_INDICATORS = ("che_per_capita_usd", "oop_share_che_pct", "uhc_service_coverage_index")


def latest_values(query: CountryLike, indicators: tuple[str, ...] = HEADLINE_INDICATORS) -> pd.DataFrame:
    """The country's latest value of each indicator that it has, with its year.

    Columns: ``indicator, year, value, source_id``, in the order of ``indicators``.

    >>> latest = latest_values("Ghana").set_index("indicator")
    >>> latest.index.tolist(), int(latest.loc["che_per_capita_usd", "year"]) >= 2020
    (['che_per_capita_usd', 'oop_share_che_pct', 'uhc_service_coverage_index'], True)
    >>> latest_values("Kosovo").empty
    True
    """
    subject = country(query)
    table = load("indicators")
    rows = table[(table.iso3 == subject.iso3) & table.indicator.isin(indicators) & table.value.notna()]
    latest = rows.sort_values("year").groupby("indicator", observed=True).tail(1)
    order = {name: place for place, name in enumerate(indicators)}
    latest = latest.assign(place=latest.indicator.map(order)).sort_values("place")
    cite(latest)
    return latest[["indicator", "year", "value", "source_id"]].reset_index(drop=True)


def spending_by_source(query: CountryLike) -> pd.DataFrame:
    """Shares of current health spending by source, one row per year.

    Columns: ``year`` and one per source (government, private, external), in %.
    Years missing any share are left out, so each row adds up to about 100.
    """
    subject = country(query)
    table = load("indicators")
    rows = table[(table.iso3 == subject.iso3) & table.indicator.isin(SPENDING_SOURCES)]
    wide = rows.pivot_table(index="year", columns="indicator", values="value", observed=True)
    if wide.empty or not set(SPENDING_SOURCES) <= set(wide.columns):
        return pd.DataFrame(columns=["year", *SPENDING_SOURCES.values()])
    cite(rows)
    wide = wide[list(SPENDING_SOURCES)].dropna().rename(columns=SPENDING_SOURCES)
    return wide.reset_index().rename_axis(columns=None)


def out_of_pocket_part(query: CountryLike) -> pd.Series:
    """How much of the country's domestic private health spending is paid out of pocket, latest year.

    Fields: ``year``, ``private_share`` and ``oop_share`` (each % of current
    health spending) and ``oop_of_private`` (% of domestic private spending).
    Empty when WHO's data lack either share in every year.

    >>> split = out_of_pocket_part("Ghana")
    >>> int(split.year), bool(0 < split.oop_of_private <= 100)
    (2022, True)
    """
    subject = country(query)
    table = load("indicators")
    rows = table[(table.iso3 == subject.iso3) & table.indicator.isin(["private_share_che_pct", "oop_share_che_pct"])]
    wide = rows.pivot_table(index="year", columns="indicator", values="value", observed=True).dropna()
    if wide.empty or not {"private_share_che_pct", "oop_share_che_pct"} <= set(wide.columns) \
            or (wide.private_share_che_pct <= 0).all():
        return pd.Series(dtype=float)
    wide = wide[wide.private_share_che_pct > 0]
    year = int(wide.index.max())
    cite(rows[rows.year == year])
    private, oop = float(wide.loc[year, "private_share_che_pct"]), float(wide.loc[year, "oop_share_che_pct"])
    return pd.Series({"year": year, "private_share": private, "oop_share": oop, "oop_of_private": 100 * oop / private})


def who_pays_all(query: CountryLike) -> pd.Series:
    """Who paid the country's current health spending in its latest year with every share: ``year``,
    and the ``government``, ``out_of_pocket``, ``other_private`` (domestic private beyond out of pocket:
    insurance, firms, non-profits) and ``external`` shares, in % (they add up to about 100); empty
    when WHO's data lack one of them in every year.

    >>> senegal = who_pays_all("Senegal")  # 22.0 + 48.8 + (56.7 - 48.8) + 21.2
    >>> int(senegal.year), round(senegal.drop("year").sum())
    (2022, 100)
    """
    shares = spending_by_source(query)
    split = out_of_pocket_part(query)
    if shares.empty or split.empty:
        return pd.Series(dtype=float)
    year = int(split.year)
    row = shares[shares.year == year]
    if row.empty:
        return pd.Series(dtype=float)
    row = row.iloc[0]
    government = float(row[SPENDING_SOURCES["gov_share_che_pct"]])
    external = float(row[SPENDING_SOURCES["external_share_che_pct"]])
    return pd.Series({"year": year, "government": government, "out_of_pocket": split.oop_share,
                      "other_private": max(split.private_share - split.oop_share, 0.0), "external": external})


def population_figure(query: CountryLike) -> pd.Series:
    """The country's one population figure, used by every page that shows or uses a population.

    The World Bank's latest total: ``year, population, source_id``; empty when
    the World Bank gives none. The age pyramid is drawn for the same year (its
    UN age-sex shares are scaled to this total), and the PHC budget multiplies
    spending per person by this number.

    >>> figure = population_figure("Ghana")
    >>> int(figure.year), figure.source_id, bool(figure.population > 30_000_000)
    (2025, 'DS-WB-WDI', True)
    """
    latest = latest_values(query, ("population",))
    if latest.empty:
        return pd.Series(dtype=object)
    row = latest.iloc[0]
    return pd.Series({"year": int(row.year), "population": float(row.value), "source_id": row.source_id})


def population_pyramid(query: CountryLike, year: int | None = None) -> pd.DataFrame:
    """Population by age group and sex for ``year``.

    The default year is that of :func:`population_figure` (or the latest age
    table year before it), so the pyramid adds up to the population the other
    pages show. Columns: ``age_group, age_start, male, female, year, basis``,
    youngest first.
    """
    subject = country(query)
    table = load("population_age_sex")
    rows = table[table.iso3 == subject.iso3]
    if rows.empty:
        return rows.drop(columns="iso3").reset_index(drop=True)
    if year is None:
        figure = population_figure(subject)
        latest = int(figure.year) if not figure.empty else 2025
        year = int(rows.loc[rows.year <= latest, "year"].max())
    rows = rows[rows.year == year].sort_values("age_start")
    cite(["DS-UN-WPP2019", "DS-WB-WDI"])
    return rows[["age_group", "age_start", "male", "female", "year", "basis"]].reset_index(drop=True)


def payment_mechanisms(query: CountryLike) -> pd.DataFrame:
    """The country's documented payment mechanisms, ordered by level of care.

    Columns: ``level_of_care, mechanism, purchaser, scheme, status, since_year,
    until_year, as_of_year, detail, source_id``.

    >>> payment_mechanisms("Philippines").mechanism.tolist()
    ['capitation', 'case-based']
    """
    subject = country(query)
    table = load("payment_mechanisms")
    rows = table[table.iso3 == subject.iso3].sort_values(["level_of_care", "mechanism"])
    columns = ["level_of_care", "mechanism", "purchaser", "scheme", "status", "since_year", "until_year",
               "as_of_year", "detail", "source_id"]
    cite(rows)
    return rows[columns].reset_index(drop=True)


#: Levels of care whose payment mechanisms pay primary care.
PRIMARY_LEVELS = ("primary care", "all levels")
#: The status of a mechanism a country uses as its practice (the others are pilots, designs and ended schemes).
IN_USE = "in use"


def primary_care_mechanisms(query: CountryLike) -> pd.DataFrame:
    """How the sources say the country pays primary care: the mechanisms in use first, then its
    pilots, designs and ended schemes, which are never its national practice.

    The columns of :func:`payment_mechanisms`, and ``in_use`` (``True`` for the status ``in use``).

    >>> senegal = primary_care_mechanisms("Senegal")
    >>> senegal[["mechanism", "status", "in_use"]].values.tolist()
    [['pay-for-performance', 'pilot', False]]
    >>> primary_care_mechanisms("Peru").status.tolist()
    ['in use', 'pilot']
    """
    mechanisms = payment_mechanisms(query)
    primary = mechanisms[mechanisms.level_of_care.isin(PRIMARY_LEVELS)]
    primary = primary.assign(in_use=primary.status == IN_USE)
    return primary.sort_values("in_use", ascending=False, kind="stable").reset_index(drop=True)


#: What a country's role in a network event says, in words (translated where shown).
ROLE_WORDS = {"host": N_("hosted by {name}"), "joined": N_("{name} joined"), "stayed": N_("{name} kept its seat"),
              "left": N_("{name} left")}


def membership(query: CountryLike) -> pd.DataFrame:
    """The country's JLN membership and participation as sources document them.

    One row per fact: ``date`` (as the source gives it; empty for membership
    itself), ``fact`` and ``source_id``, starting with membership.

    >>> membership("Kenya").date.tolist()[:4]
    ['', '', '2010', '2013']
    """
    subject = country(query)
    facts = []
    record = load("countries").set_index("iso3").loc[subject.iso3]
    if subject.membership_note:
        facts.append(("", subject.membership_note, record.membership_source_id))
    if subject.phc_collaborative:
        facts.append(("", _("Member of the PHC Financing and Payment collaborative (20 countries)"), "S01"))
    links = load("milestone_countries")
    events = load("jln_milestones").set_index("milestone_id")
    for link in links[links.iso3 == subject.iso3].itertuples():
        event = events.loc[link.milestone_id]
        said = in_sentence(subject.iso3, subject.name)
        role = ""
        if link.role != "involved":  # "hosted by Ghana", French "départ du Kenya"
            role = f" ({contracted(_(ROLE_WORDS[str(link.role)]).format(name=said))})"
        facts.append((event.date, f"{event.event}{role}", event.source_id))
    table = pd.DataFrame(facts, columns=["date", "fact", "source_id"])
    cite(table)
    return table


def mechanism_types() -> pd.DataFrame:
    """The basic payment mechanisms: timing, definition and likely incentives, as sourced."""
    table = load("mechanism_types")
    cite(table)
    return table[["mechanism", "timing", "definition", "likely_incentives"]].astype(str)
