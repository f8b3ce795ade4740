"""The facts of one country's profile, as DataFrames ready to chart or show.

Every function takes a country (ISO3 code, name or alias) and returns a
DataFrame; an empty DataFrame means the data hold nothing for that country,
which the notebook says plainly.
"""

from __future__ import annotations

import re

import pandas as pd

from jlnlearn.countries import Country, countries, country
from jlnlearn.data import load
from jlnlearn.sources import cite

#: Labels of the health-spending shares by source, in stacking order.
SPENDING_SOURCES = {
    "gov_share_che_pct": "Government (domestic)",
    "private_share_che_pct": "Private (domestic)",
    "external_share_che_pct": "External (donors)",
}


def peers(query: str) -> list[Country]:
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


def peer_basis(query: str) -> str:
    """In words, what the peers of :func:`peers` share with the country."""
    subject = country(query)
    if subject.income_group:
        return f"{subject.income_group.lower()} countries"
    if subject.who_region:
        return f"countries of the WHO {subject.who_region} region"
    return "no peer group (neither income group nor WHO region documented)"


def indicator_series(query: str, indicator: str, with_peers: bool = False) -> pd.DataFrame:
    """Yearly values of ``indicator`` for the country (and its peers), with names.

    Columns: ``iso3, name, year, value, unit, source_id, is_subject``.

    >>> spending = indicator_series("Ghana", "che_per_capita_usd")
    >>> bool(spending.is_subject.all()), int(spending.year.min())
    (True, 2000)
    """
    subject = country(query)
    wanted = [subject.iso3] + ([c.iso3 for c in peers(query)] if with_peers else [])
    table = load("indicators")
    rows = table[(table.indicator == indicator) & table.iso3.isin(wanted)].copy()
    names = {c.iso3: c.name for c in countries()}
    rows["name"] = rows.iso3.map(names)
    rows["is_subject"] = rows.iso3 == subject.iso3
    columns = ["iso3", "name", "year", "value", "unit", "source_id", "is_subject"]
    cite(rows)
    return rows[columns].sort_values(["is_subject", "iso3", "year"]).reset_index(drop=True)


def spending_by_source(query: str) -> pd.DataFrame:
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


def population_pyramid(query: str, year: int | None = None) -> pd.DataFrame:
    """Population by age group and sex for ``year`` (default: latest estimate, 2025 or before).

    Columns: ``age_group, age_start, male, female, year, basis``, youngest first.
    """
    subject = country(query)
    table = load("population_age_sex")
    rows = table[table.iso3 == subject.iso3]
    if rows.empty:
        return rows.drop(columns="iso3").reset_index(drop=True)
    chosen = year if year is not None else int(rows.loc[rows.year <= 2025, "year"].max())
    rows = rows[rows.year == chosen].sort_values("age_start")
    cite(["DS-UN-WPP2019", "DS-WB-WDI"])
    return rows[["age_group", "age_start", "male", "female", "year", "basis"]].reset_index(drop=True)


def payment_mechanisms(query: str) -> pd.DataFrame:
    """The country's documented payment mechanisms, ordered by level of care.

    Columns: ``level_of_care, mechanism, purchaser, status, years, detail, source_id``.

    >>> payment_mechanisms("Philippines").mechanism.tolist()
    ['capitation', 'case-based']
    """
    subject = country(query)
    table = load("payment_mechanisms")
    rows = table[table.iso3 == subject.iso3].sort_values(["level_of_care", "mechanism"]).copy()
    rows["years"] = [period_text(since, until, as_of) for since, until, as_of
                     in zip(rows.since_year, rows.until_year, rows.as_of_year)]
    columns = ["level_of_care", "mechanism", "purchaser", "status", "years", "detail", "source_id"]
    cite(rows)
    return rows[columns].reset_index(drop=True)


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


def membership(query: str) -> pd.DataFrame:
    """The country's JLN membership and participation as sources document them.

    One row per fact: ``fact`` and ``source_id``, starting with membership.
    """
    subject = country(query)
    facts = []
    record = load("countries").set_index("iso3").loc[subject.iso3]
    if subject.membership_note:
        facts.append((subject.membership_note, record.membership_source_id))
    if subject.phc_collaborative:
        facts.append(("Member of the PHC Financing and Payment collaborative (20 countries)", "S01"))
    links = load("milestone_countries")
    events = load("jln_milestones").set_index("milestone_id")
    for link in links[links.iso3 == subject.iso3].itertuples():
        event = events.loc[link.milestone_id]
        role = "" if link.role == "involved" else f" ({link.role})"
        facts.append((f"{event.date}: {event.event}{role}", event.source_id))
    table = pd.DataFrame(facts, columns=["fact", "source_id"])
    cite(table)
    return table


def headline(query: str) -> str:
    """A Markdown heading and one line of key facts about the country (text escaped).

    >>> print(headline("Laos").splitlines()[0])
    ## Lao PDR
    """
    subject = country(query)
    facts = [subject.income_group or "income group not classified",
             f"WHO region {subject.who_region}" if subject.who_region else "no WHO region",
             "JLN founding member" if subject.founding_member
             else f"JLN {subject.membership_type or 'member'}" if subject.jln_member
             else "JLN membership not documented"]
    if subject.phc_collaborative:
        facts.append("PHC Financing and Payment collaborative")
    return f"## {escape_markdown(subject.name)}\n\n{escape_markdown(' · '.join(facts))}"


def escape_markdown(text: str) -> str:
    """Text from the data made safe to show as Markdown: HTML and markup characters escaped.

    >>> escape_markdown("<script>alert(1)</script> *bold*")
    '&lt;script&gt;alert(1)&lt;/script&gt; \\\\*bold\\\\*'
    """
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_{}\[\]#|])", r"\\\1", escaped)


def mechanism_types() -> pd.DataFrame:
    """The basic payment mechanisms: timing, definition and likely incentives, as sourced."""
    table = load("mechanism_types")
    cite(table)
    return table[["mechanism", "timing", "definition", "likely_incentives"]].astype(str)
