"""How countries financed and paid for COVID-19 services, as DataFrames (notebook 03).

Measures are classified into the levers a purchaser or ministry can pull, set
against the country's epidemic as WHO reported it, and compared across the
PHC Financing and Payment collaborative. Each function records the sources of
the rows it returns.

How the weekly WHO counts are treated:

* an empty week means WHO received no report; it stays missing (a gap in
  the chart), never zero;
* a negative weekly count is a downward revision of earlier weeks. It is kept
  as reported in ``new_cases``/``new_deaths``; the ``*_shown`` columns draw
  that week at zero and the ``*_revision`` columns carry the negative value,
  so charts can mark it instead of plunging below zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jlnlearn.data.countries import CountryLike, countries, country
from jlnlearn.data.loading import load
from jlnlearn.data.sources import cite
from jlnlearn.errors import UnknownCategoryError
from jlnlearn.i18n import N_, _
from jlnlearn.lessons.journey import period_end, with_dates
from jlnlearn.lessons.money import in_us_dollars

#: The lever each category of measure pulls, in teaching order (in English; translated where shown).
LEVERS = {
    "emergency funds": N_("raising money"),
    "budget reallocation": N_("raising money"),
    "payment change": N_("paying providers"),
    "advance payment": N_("paying providers"),
    "benefit expansion": N_("covering patients"),
    "cost sharing reduced or waived": N_("covering patients"),
    "financing responsibility": N_("who pays"),
    "case study lesson": N_("lessons"),
}
LEVER_ORDER = list(dict.fromkeys(LEVERS.values()))
#: Categories that are measures (a case-study lesson is a reflection, not a measure).
MEASURE_CATEGORIES = [category for category, lever in LEVERS.items() if lever != "lessons"]
#: The knowledge product that holds the JLN's six COVID-19 case studies.
CASE_STUDY_MILESTONE = "covid-lessons-published"


#: What each category of measure means, in plain words (for the lesson's table; translated where shown).
CATEGORY_MEANINGS = {
    "emergency funds": N_("New money for the response: supplementary budgets, special funds, donations"),
    "budget reallocation": N_("Money moved from other budget lines or programmes to the response"),
    "payment change": N_("A new way or rate of paying providers: case rates, packages, fee schedules"),
    "advance payment": N_("Providers paid before their claims are checked, to keep cash flowing"),
    "benefit expansion": N_("COVID-19 services added to what insurance or the public system covers"),
    "cost sharing reduced or waived": N_("Patients pay less or nothing for COVID-19 care"),
    "financing responsibility": N_("Who pays for what: insurance fund, ministry, central or local government"),
    "case study lesson": N_("What a JLN case study drew from the country's experience"),
}


def levers() -> pd.DataFrame:
    """The categories of measure, the lever each pulls, and what it means (in the reader's language).

    >>> levers().groupby("lever", observed=True).size().tolist()
    [2, 2, 2, 1, 1]
    """
    cite(["S01"])  # the collaborative's two questions: how to finance, and how to pay for, COVID-19 care
    return classify(pd.DataFrame({"category": list(LEVERS)})).assign(
        meaning=lambda rows: rows.category.map(lambda category: _(CATEGORY_MEANINGS[category])))[
        ["lever", "category", "meaning"]]


def classify(measures: pd.DataFrame) -> pd.DataFrame:
    """``measures`` with a ``lever`` column (ordered) derived from ``category``.

    >>> rows = pd.DataFrame({"category": ["advance payment", "emergency funds"]})
    >>> classify(rows).lever.tolist()
    ['paying providers', 'raising money']
    """
    out = measures.copy()
    unknown = set(out["category"].astype(str)) - set(LEVERS)
    if unknown:
        raise UnknownCategoryError(sorted(unknown), list(LEVERS))
    out["lever"] = pd.Categorical(out["category"].astype(str).map(LEVERS),
                                  categories=LEVER_ORDER, ordered=True)
    return out


def with_periods(measures: pd.DataFrame) -> pd.DataFrame:
    """``measures`` with ``start``, ``end``, ``middle`` and ``precision`` read from the partial ``date``,
    and from ``end_date`` where a measure has one.

    A measure dated "2020" covers 2020-01-01 to 2020-12-31 (``precision``
    "year"), one dated "2020" until "2021" runs to 2021-12-31: charts draw the
    whole period rather than pretending to know the day. ``middle`` stays in
    the first period, where the measure began.

    >>> periods = with_periods(pd.DataFrame({"date": ["2020", "2020-04-15", "2023-01"],
    ...                                      "end_date": [None, None, "2023-03-31"]}))
    >>> periods.precision.tolist(), periods.end.dt.strftime("%Y-%m-%d").tolist()
    (['year', 'day', 'month'], ['2020-12-31', '2020-04-15', '2023-03-31'])
    """
    out = with_dates(measures).rename(columns={"when": "start"}).drop(columns="year")
    if "end_date" in out:
        ends = out.end_date.dropna()
        out.loc[ends.index, "end"] = pd.to_datetime(ends.map(period_end))
    return out


def country_measures(query: CountryLike, lessons: bool = False) -> pd.DataFrame:
    """The country's documented COVID-19 measures, oldest first, classified and dated.

    Case-study lessons are left out unless ``lessons`` is true.

    >>> phl = country_measures("Philippines")
    >>> len(phl), phl.lever.value_counts()["paying providers"]
    (11, np.int64(8))
    """
    subject = country(query)
    table = load("covid_measures")
    rows = table[table.iso3 == subject.iso3]
    if not lessons:
        rows = rows[rows.category != "case study lesson"]
    rows = with_periods(classify(rows)).sort_values(["start", "measure_id"]).reset_index(drop=True)
    cite(rows)
    return rows[["measure_id", "date", "end_date", "date_note", "start", "end", "middle", "precision", "lever",
                 "category", "description", "source_id", "more_source_ids"]]


def weekly_epidemic(query: CountryLike) -> pd.DataFrame:
    """The country's weekly WHO counts, with gaps and revisions made explicit.

    Columns: ``date, new_cases, new_deaths, cumulative_cases, cumulative_deaths,
    reported, weeks_covered, cases_shown, deaths_shown, case_revision, death_revision``.
    ``reported`` is false for weeks without a report. ``weeks_covered`` is how
    many weeks a report covers: 1, or more for the first report after weeks
    without one, whose counts carry that backlog (WHO's weekly count is the
    rise of the cumulative count since the previous report); missing for the
    weeks without a report and the first report. Empty for countries WHO's
    file does not cover.

    >>> week = weekly_epidemic("Philippines").set_index("date").loc["2023-08-20"]
    >>> int(week.new_cases), float(week.cases_shown), int(week.case_revision)
    (-65079, 0.0, -65079)
    >>> int(weekly_epidemic("Zambia").set_index("date").loc["2023-10-08", "weeks_covered"])  # after 10 without
    11
    """
    subject = country(query)
    table = load("covid_weekly")
    rows = table[table.iso3 == subject.iso3].sort_values("date").reset_index(drop=True)
    out = rows[["date", "new_cases", "new_deaths", "cumulative_cases", "cumulative_deaths"]].copy()
    out["reported"] = out.new_cases.notna() | out.new_deaths.notna()
    position = pd.Series(np.arange(len(out)), index=out.index, dtype=float)
    since = position.where(out.reported).ffill().shift(1)  # the previous report's position
    out["weeks_covered"] = (position - since).where(out.reported).astype("Float64")
    for counts, shown, revision in [("new_cases", "cases_shown", "case_revision"),
                                    ("new_deaths", "deaths_shown", "death_revision")]:
        values = out[counts].astype("Float64")
        out[shown] = values.clip(lower=0).astype(float)
        out[revision] = values.where(values < 0).astype(float)
    if len(out):
        cite(["DS-WHO-COVID"])
    return out


def vaccination(query: CountryLike) -> pd.DataFrame:
    """The country's monthly vaccination uptake (% of population), empty if not reported."""
    subject = country(query)
    table = load("covid_vaccination")
    rows = table[table.iso3 == subject.iso3].sort_values("date").reset_index(drop=True)
    if len(rows):
        cite(["DS-WHO-COVID-VAX"])
    return rows[["date", "one_dose_pct", "complete_primary_series_pct", "booster_pct"]]


def align_to_epidemic(measures: pd.DataFrame, weekly: pd.DataFrame) -> pd.DataFrame:
    """Each measure with where the epidemic stood at its start.

    ``report`` is the first weekly WHO report on or after the measure's start;
    ``cumulative_cases`` and ``cumulative_deaths`` are the totals in that
    report; ``weeks_after_first_case`` counts weekly reports since the first
    one with a case (negative: before it; missing: no report covers the date).
    Measures dated only by year (``precision`` "year") are not aligned: the year
    alone does not say where in the epidemic they fell.

    >>> weekly = pd.DataFrame({"date": pd.to_datetime(["2020-03-01", "2020-03-08", "2020-03-15"]),
    ...                        "cumulative_cases": [0, 3, 10], "cumulative_deaths": [0, 0, 1]})
    >>> measures = pd.DataFrame({"measure_id": ["a", "b", "c"],
    ...                          "start": pd.to_datetime(["2020-02-20", "2020-03-09", "2020-04-01"])})
    >>> align_to_epidemic(measures, weekly)[["measure_id", "cumulative_cases", "weeks_after_first_case"]]
      measure_id  cumulative_cases  weeks_after_first_case
    0          a               0.0                    -1.0
    1          b              10.0                     1.0
    2          c               NaN                     NaN
    """
    reports = weekly.sort_values("date").reset_index(drop=True)
    with_cases = reports.index[reports.cumulative_cases.fillna(0) > 0]
    first_case = with_cases[0] if len(with_cases) else None
    positions = reports.date.searchsorted(measures.start, side="left")
    covered = positions < len(reports)
    if "precision" in measures:
        covered &= (measures.precision != "year").to_numpy()
    picked = reports.reindex(np.where(covered, positions, -1))
    out = measures.copy()
    out["report"] = picked.date.to_numpy()
    out["cumulative_cases"] = picked.cumulative_cases.astype(float).to_numpy()
    out["cumulative_deaths"] = picked.cumulative_deaths.astype(float).to_numpy()
    weeks = np.where(covered, positions - (first_case if first_case is not None else np.nan), np.nan)
    out["weeks_after_first_case"] = weeks.astype(float)
    return out


def measure_matrix(members: list[str] | None = None) -> pd.DataFrame:
    """Countries by measure category: how many measures each documented.

    ``members`` (ISO3 codes) defaults to the PHC collaborative's 20 countries,
    in their usual order; the index is the country name and ``iso3`` is a
    column. Case-study lessons are not measures and are not counted.

    >>> matrix = measure_matrix(["PHL", "GHA"]).set_index("iso3")
    >>> int(matrix.loc["PHL", "payment change"]), int(matrix.loc["GHA"].drop("country").sum())
    (8, 0)
    """
    if members is None:
        members = [c.iso3 for c in countries() if c.phc_collaborative]
    subjects = [country(code) for code in members]
    table = load("covid_measures")
    rows = table[table.iso3.isin([s.iso3 for s in subjects]) & table.category.isin(MEASURE_CATEGORIES)]
    cite(rows)
    counts = pd.crosstab(rows.iso3, rows.category.astype(str))
    counts = counts.reindex(index=[s.iso3 for s in subjects], columns=MEASURE_CATEGORIES, fill_value=0)
    counts = counts.fillna(0).astype(int)
    counts.insert(0, "country", [s.name for s in subjects])
    return counts.rename_axis(index="iso3", columns=None).reset_index()


def case_studies() -> pd.DataFrame:
    """The countries of the JLN's COVID-19 case studies, with their documented lessons.

    One row per country: ``iso3, country, lesson, measures, source_id``.
    ``lesson`` is empty where the sources used here do not state one.

    >>> sorted(case_studies().iso3)
    ['BGD', 'CHN', 'KEN', 'KOR', 'NGA', 'PHL']
    """
    involved = load("milestone_countries")
    codes = involved[involved.milestone_id == CASE_STUDY_MILESTONE].iso3.tolist()
    table = load("covid_measures")
    rows = []
    for code in codes:
        own = table[table.iso3 == code]
        lessons = own[own.category == "case study lesson"]
        rows.append({"iso3": code, "country": country(code).name,
                     "lesson": "; ".join(lessons.description),
                     "measures": int(own.category.isin(MEASURE_CATEGORIES).sum()),
                     "source_id": ";".join(dict.fromkeys(lessons.source_id)) or None})
        cite(lessons)
    milestones = load("jln_milestones")
    cite(milestones[milestones.milestone_id == CASE_STUDY_MILESTONE])
    return pd.DataFrame(rows, columns=["iso3", "country", "lesson", "measures", "source_id"])


def figures(query: CountryLike) -> pd.DataFrame:
    """Every documented number about the country's measures, amounts also in US$.

    Adds ``amount_usd``, ``exchange_rate`` and ``exchange_rate_year`` (see
    :func:`jlnlearn.money.in_us_dollars`) and ``iso3``, ``category`` and ``date`` of the measure.

    >>> mild = figures("PHL").set_index("figure_id").loc["PHL-case-rate-mild"]
    >>> mild.amount_usd, int(mild.exchange_rate_year)
    (np.float64(886.61), 2020)
    """
    subject = country(query)
    measures = load("covid_measures")
    own = measures[measures.iso3 == subject.iso3][["measure_id", "iso3", "category", "date"]]
    rows = load("covid_figures").merge(own, on="measure_id", how="inner")
    amounts = rows.assign(currency=rows.currency.where(rows.unit == "currency"))
    rows = in_us_dollars(amounts, subject, amount="value")
    cite(rows)
    return rows.reset_index(drop=True)
