"""The network's journey and partnerships, and a country's place in them, as DataFrames.

Pure functions over the data package for notebooks 01 (PPM journey) and 04
(partnership timeline). Each records the sources of the rows it returns.
"""

from __future__ import annotations

import pandas as pd

from jlnlearn.data.countries import CountryLike, countries, country
from jlnlearn.data.loading import load
from jlnlearn.data.sources import cite


def partial_date(text: str) -> pd.Timestamp:
    """The first day of a date written YYYY, YYYY-MM or YYYY-MM-DD.

    >>> partial_date("2015"), partial_date("2015-07"), partial_date("2015-07-27")
    (Timestamp('2015-01-01 00:00:00'), Timestamp('2015-07-01 00:00:00'), Timestamp('2015-07-27 00:00:00'))
    """
    parts = str(text).split("-")
    year, month, day = int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, \
        int(parts[2]) if len(parts) > 2 else 1
    return pd.Timestamp(year=year, month=month, day=day)


def period_end(text: str) -> pd.Timestamp:
    """The last day of the period a date written YYYY, YYYY-MM or YYYY-MM-DD names.

    >>> period_end("2020"), period_end("2020-02"), period_end("2020-04-15")
    (Timestamp('2020-12-31 00:00:00'), Timestamp('2020-02-29 00:00:00'), Timestamp('2020-04-15 00:00:00'))
    """
    start = partial_date(text)
    precision = str(text).count("-")
    if precision == 0:
        return start + pd.offsets.YearEnd(0)
    if precision == 1:
        return start + pd.offsets.MonthEnd(0)
    return start


#: How precise a date is, from the number of dashes in it (YYYY, YYYY-MM, YYYY-MM-DD).
PRECISIONS = {0: "year", 1: "month", 2: "day"}


def with_dates(rows: pd.DataFrame, column: str = "date") -> pd.DataFrame:
    """``rows`` with the period a partial-date column names, oldest first.

    Adds ``when`` (its first day), ``end`` (its last day), ``middle`` (where a
    chart puts a date known only to the month or year), ``precision`` (year,
    month or day) and ``year``.

    >>> dated = with_dates(pd.DataFrame({"date": ["2015-07", "2012"]}))
    >>> dated.precision.tolist(), dated.middle.dt.strftime("%Y-%m-%d").tolist()
    (['year', 'month'], ['2012-07-02', '2015-07-16'])
    """
    out = rows.copy()
    out["when"] = pd.to_datetime(out[column].map(partial_date))
    out["end"] = pd.to_datetime(out[column].map(period_end))
    out["middle"] = out.when + (out.end + pd.Timedelta(days=1) - out.when) / 2
    out["middle"] = out.middle.where(out.when != out.end, out.when).dt.floor("D")
    out["precision"] = out[column].astype(str).str.count("-").map(PRECISIONS)
    out["year"] = out["when"].dt.year
    return out.sort_values("when").reset_index(drop=True)


def milestones() -> pd.DataFrame:
    """The network's dated milestones, oldest first, with ``when`` and ``year``."""
    rows = with_dates(load("jln_milestones"))
    cite(rows)
    return rows


def membership_growth() -> pd.DataFrame:
    """Member countries at each date a source gives a count (rows without a count dropped).

    >>> growth = membership_growth()
    >>> int(growth.member_countries.iloc[0]), int(growth.member_countries.iloc[-1])
    (6, 41)
    """
    rows = with_dates(load("membership_counts"))
    rows = rows[rows.member_countries.notna()].reset_index(drop=True)
    cite(rows)
    return rows


def products_by_year_and_topic() -> pd.DataFrame:
    """Knowledge products counted by year and topic (undated products are left out).

    Columns: ``year, topic, products, titles``.
    """
    products = load("knowledge_products")
    dated = products[products.year.notna()]
    cite(dated)
    counts = (dated.groupby(["year", "topic"], observed=True)
              .agg(products=("product_id", "size"), titles=("title", "; ".join))
              .reset_index())
    counts["year"] = counts["year"].astype(int)
    return counts


def undated_products() -> pd.DataFrame:
    """Knowledge products whose year no source documents, with what is known of the date."""
    products = load("knowledge_products")
    rows = products[products.year.isna()][["title", "product_type", "year_note", "source_id"]]
    cite(rows)
    return rows.reset_index(drop=True)


def country_reforms(query: CountryLike) -> pd.DataFrame:
    """The country's dated reforms, oldest first, with ``when`` and ``year``."""
    subject = country(query)
    reforms = load("reforms")
    rows = with_dates(reforms[reforms.iso3 == subject.iso3])
    cite(rows)
    return rows[["date", "when", "year", "kind", "description", "source_id"]]


def spending_and_out_of_pocket(query: CountryLike) -> pd.DataFrame:
    """Each country's latest year with both health spending per person (PPP) and out-of-pocket share.

    Columns: ``iso3, name, year, che_per_capita_ppp, oop_share_che_pct, group``,
    where group is ``subject``, ``peer`` (same income group) or ``other``.
    """
    subject = country(query)
    table = load("indicators")
    wanted = table[table.indicator.isin(["che_per_capita_ppp", "oop_share_che_pct"])]
    wide = wanted.pivot_table(index=["iso3", "year"], columns="indicator", values="value",
                              observed=True).dropna().reset_index()
    if wide.empty:
        return pd.DataFrame(columns=["iso3", "name", "year", "che_per_capita_ppp",
                                     "oop_share_che_pct", "group"])
    latest = wide.sort_values("year").groupby("iso3").tail(1)
    known = {c.iso3: c for c in countries()}
    latest["name"] = latest.iso3.map({iso3: c.name for iso3, c in known.items()})  # in the reader's language
    income = latest.iso3.map({iso3: c.income_group for iso3, c in known.items()})
    latest["group"] = "other"
    if subject.income_group:
        latest.loc[income == subject.income_group, "group"] = "peer"
    latest.loc[latest.iso3 == subject.iso3, "group"] = "subject"
    cite(wanted[wanted.iso3.isin(latest.iso3)])
    columns = ["iso3", "name", "year", "che_per_capita_ppp", "oop_share_che_pct", "group"]
    return latest[columns].sort_values("iso3").reset_index(drop=True).rename_axis(columns=None)


def partners_timeline() -> pd.DataFrame:
    """Partners' dated roles, each with how the sources date it (``dated``):

    - ``period``: a documented first and last year (``start`` to ``finish``);
    - ``from``: a documented first year and no end: the role runs on from ``start``
      (``finish`` is the last year a source shows it);
    - ``seen``: no start or end, only the years sources show it: ``start`` and,
      if a later source shows it again, ``finish``.

    Roles with no year at all are left out (see :func:`undated_partners`).
    Columns: ``partner_id, organisation, partner_type, role, start, finish,
    dated, end_documented, period_note, source_id``.

    >>> timeline = partners_timeline().set_index("partner_id")
    >>> founding = timeline.loc["rockefeller-founding"]
    >>> int(founding.start), founding.dated
    (2010, 'from')
    """
    partners = load("partners")
    rows = partners[partners.start_year.notna() | partners.seen_year.notna()].copy()
    rows["start"] = rows.start_year.fillna(rows.seen_year).astype(int)
    rows["end_documented"] = rows.end_year.notna()
    last_seen = rows[["start_year", "seen_year", "last_seen_year"]].max(axis=1)
    rows["finish"] = rows.end_year.fillna(last_seen).astype(int)
    rows["dated"] = "seen"
    rows.loc[rows.start_year.notna(), "dated"] = "from"
    rows.loc[rows.start_year.notna() & rows.end_documented, "dated"] = "period"
    cite(rows)
    columns = ["partner_id", "organisation", "partner_type", "role", "start", "finish", "dated",
               "end_documented", "period_note", "source_id"]
    return rows[columns].sort_values(["start", "organisation"]).reset_index(drop=True)


def undated_partners() -> pd.DataFrame:
    """Partner roles that no source dates."""
    partners = load("partners")
    rows = partners[partners.start_year.isna() & partners.seen_year.isna()]
    cite(rows)
    return rows[["organisation", "partner_type", "role", "source_id"]].reset_index(drop=True)


def country_participation(query: CountryLike) -> pd.DataFrame:
    """Milestones the country took part in, hosted, joined or left, oldest first.

    Columns: ``date, role, category, event, source_id``.
    """
    subject = country(query)
    links = load("milestone_countries")
    links = links[links.iso3 == subject.iso3]
    events = milestones()
    rows = events.merge(links[["milestone_id", "role"]], on="milestone_id")
    cite(rows)
    return rows[["date", "role", "category", "event", "source_id"]]


def steering_group_history(query: CountryLike) -> list[str]:
    """The country's documented Steering Group events: ``founding`` (among its first country
    members, 2013) and its roles in the March 2017 election (``joined``, ``stayed``, ``left``).

    >>> steering_group_history("Kenya")
    ['founding', 'left']
    """
    subject = country(query)
    links = load("milestone_countries")
    mine = links[links.iso3 == subject.iso3]
    events = ["founding"] if "steering-group-formed" in set(mine.milestone_id) else []
    events += [str(role) for role in mine[mine.milestone_id == "steering-group-election"].role]
    if events:
        cite(["J21"])
    return events
