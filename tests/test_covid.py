"""COVID-19 financing and payment (notebook 03): values checked by hand against the CSVs and raw WHO file."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd
import plotly.graph_objects as go
import pytest

from jlnlearn import charts, present
from jlnlearn.lessons import covid, money
from jlnlearn.present import tables
from tests.conftest import write_test_country


def test_every_category_is_classified_and_unknown_ones_are_refused():
    levers = covid.classify(pd.DataFrame({"category": list(covid.LEVERS)})).lever.astype(str)
    assert levers.tolist() == ["raising money", "raising money", "paying providers", "paying providers",
                               "covering patients", "covering patients", "who pays", "lessons"]
    with pytest.raises(ValueError, match="unknown measure categories \\['vaccination'\\]; valid: "):
        covid.classify(pd.DataFrame({"category": ["vaccination"]}))


def test_partial_dates_become_periods():
    periods = covid.with_periods(pd.DataFrame({"date": ["2020", "2020-02", "2021-03-09"]}))
    assert periods.start.dt.strftime("%Y-%m-%d").tolist() == ["2020-01-01", "2020-02-01", "2021-03-09"]
    assert periods.end.dt.strftime("%Y-%m-%d").tolist() == ["2020-12-31", "2020-02-29", "2021-03-09"]
    assert periods.precision.tolist() == ["year", "month", "day"]


def test_country_measures_are_dated_classified_and_exclude_lessons_by_default():
    kenya = covid.country_measures("Kenya")
    assert kenya.measure_id.tolist() == ["KEN-nhif-enhanced-schemes", "KEN-partial-subsidy", "KEN-reallocation"]
    assert set(kenya.lever.astype(str)) == {"covering patients", "who pays", "raising money"}
    with_lessons = covid.country_measures("Kenya", lessons=True)
    assert with_lessons.measure_id.iloc[-1] == "KEN-lesson-data"
    assert covid.country_measures("Ghana").empty


def test_weekly_counts_keep_gaps_and_mark_revisions():
    """Raw WHO rows: PHL 2023-08-20 has New_cases -65079; MLI 2020-01-05 has an empty New_cases."""
    philippines = covid.weekly_epidemic("PHL").set_index("date")
    revision = philippines.loc["2023-08-20"]
    assert revision.new_cases == -65079 and revision.cumulative_cases == 4108552
    assert revision.cases_shown == 0 and revision.case_revision == -65079
    assert philippines.loc["2020-04-12", "cases_shown"] == 1334
    assert math.isnan(philippines.loc["2020-04-12", "case_revision"])
    mali = covid.weekly_epidemic("MLI").set_index("date").loc["2020-01-05"]
    assert not mali.reported and math.isnan(mali.cases_shown)  # no report is not zero cases
    assert covid.weekly_epidemic("ZAF").empty  # not in WHO's file as derived


def test_measures_are_aligned_to_the_first_weekly_report_after_them():
    """PHL's first case is in the report of 2020-02-02; the report of 2020-04-12 is 10 weeks later
    with 4,428 cases and 247 deaths so far. The Bayanihan Act (March 2020) aligns to 2020-03-01."""
    aligned = covid.align_to_epidemic(covid.country_measures("PHL"), covid.weekly_epidemic("PHL"))
    aligned = aligned.set_index("measure_id")
    funds = aligned.loc["PHL-initial-funds"]
    assert funds.report == pd.Timestamp("2020-04-12")
    assert (funds.cumulative_cases, funds.cumulative_deaths, funds.weeks_after_first_case) == (4428, 247, 10)
    act = aligned.loc["PHL-bayanihan-act"]
    assert (act.report, act.cumulative_cases, act.weeks_after_first_case) == (pd.Timestamp("2020-03-01"), 3, 4)
    assert math.isnan(aligned.loc["PHL-home-isolation", "cumulative_cases"])  # dated 2021 only


def test_korea_paid_before_much_of_its_epidemic():
    """KOR's first case is reported 2020-01-19; 29 Jan 2020 falls in the report of 2020-02-02 (15 cases)."""
    aligned = covid.align_to_epidemic(covid.country_measures("KOR"), covid.weekly_epidemic("KOR"))
    pays = aligned.set_index("measure_id").loc["KOR-government-pays"]
    assert (pays.cumulative_cases, pays.weeks_after_first_case) == (15, 2)


def test_matrix_counts_measures_by_category_not_lessons():
    matrix = covid.measure_matrix().set_index("iso3")
    assert len(matrix) == 20
    assert matrix.loc["KEN", covid.MEASURE_CATEGORIES].tolist() == [0, 1, 0, 0, 1, 0, 1]
    assert matrix.loc["PHL", covid.MEASURE_CATEGORIES].tolist() == [1, 0, 8, 0, 1, 1, 0]
    assert matrix.loc["BGD", covid.MEASURE_CATEGORIES].sum() == 0  # Bangladesh has a lesson only
    assert matrix.loc["CHN", covid.MEASURE_CATEGORIES].sum() == 6


def test_case_studies_list_the_six_countries_and_their_lessons():
    studies = covid.case_studies().set_index("iso3")
    assert studies.index.tolist() == ["BGD", "CHN", "KEN", "NGA", "PHL", "KOR"]
    assert studies.loc["KEN", "lesson"].startswith("Timely national and county data")
    assert studies.loc["NGA", "lesson"] == "" and studies.loc["NGA", "measures"] == 2
    assert studies.loc["PHL", "measures"] == 11


def test_amounts_are_converted_at_their_years_rate():
    """PHP 786,384 / 49.6241 PHP per US$ (World Bank, 2020) = US$ 15,846.82;
    KRW 160,000 / 1,180.2658 = US$ 135.56."""
    philippines = covid.figures("PHL").set_index("figure_id")
    critical = philippines.loc["PHL-case-rate-critical"]
    assert critical.amount_usd == pytest.approx(15846.82, abs=0.01)
    assert (critical.exchange_rate, critical.exchange_rate_year) == (49.6241, 2020)
    assert philippines.loc["PHL-testing-later-lowest", "amount_usd"] == pytest.approx(901 / 49.6241, abs=0.01)
    undated = pd.DataFrame({"amount": [901], "currency": ["PHP"], "year": [None]})
    assert money.in_us_dollars(undated, "PHL").amount_usd.isna().all()  # no year, no rate: never guessed
    korea = present.figures_table("KOR").set_index("figure")
    assert korea.loc["Cost of a COVID-19 test", "in US$"] == "about US$ 136 (2020 rate, 1,180.27 KRW per US$)"
    assert korea.loc["Share of COVID-19 costs paid by National Health Insurance", "number"] == "80%"
    indonesia = present.figures_table("IDN").set_index("figure")
    assert indonesia.loc["Advance payments to hospitals by May 2020", "in US$"] == "(stated in US$)"
    assert indonesia.loc["Budgeted for COVID-19 hospital claims", "number"] == "IDR 21 trillion"
    assert indonesia.loc["Budgeted for COVID-19 hospital claims", "in US$"].startswith("US$ 1.44 billion")
    later = present.figures_table("PHL").set_index("figure").loc["Testing package, later lowest rate", "in US$"]
    assert later == "US$ 18 (2020 rate, 49.62 PHP per US$)"
    undated = SimpleNamespace(currency="PHP", iso3="PHL", year=float("nan"), amount_usd=float("nan"))
    assert tables._usd_text(undated, None) == "not converted: no source dates this amount"


def test_a_year_without_a_rate_uses_the_latest_earlier_rate():
    rows = pd.DataFrame({"amount": [57.5051, 10.0], "currency": ["PHP", "PHP"], "year": [2030, 1900]})
    converted = money.in_us_dollars(rows, "PHL")
    assert converted.exchange_rate_year.tolist()[0] == 2025 and converted.amount_usd.tolist()[0] == 1.0
    assert math.isnan(converted.amount_usd.tolist()[1])  # before the first rate: not guessed


def test_summary_says_what_is_documented_or_plainly_that_nothing_is():
    assert present.covid_summary("Philippines") == (
        "11 measures are documented for the Philippines: raising money (1), paying providers (8), covering patients (2).")
    assert "No COVID-19 financing or payment measure for Ghana is documented" in present.covid_summary("GHA")


def test_timeline_marks_measures_and_revisions_with_their_sources():
    figure = charts.covid_timeline("PHL")
    assert isinstance(figure, go.Figure)
    by_name = {trace.name: trace for trace in figure.data if trace.name}
    revisions = [t for t in figure.data if t.name == "downward revision"]
    assert any(-65079 in list(t.customdata) for t in revisions)
    paying = by_name["paying providers"]
    hovers = " ".join(paying.customdata)
    assert "C-PH6" in hovers and "4 measures, 15 April 2020" in hovers
    assert "first WHO report after it (19 Apr 2020): 6,087 cases" in hovers
    titles = [annotation.text for annotation in figure.layout.annotations]
    assert titles == ["weekly cases", "weekly deaths", "vaccinated, % of population", "documented measures"]


def test_a_measure_known_only_to_its_year_is_drawn_over_that_year_not_on_1_january():
    # data/covid_measures.csv: KEN-nhif-enhanced-schemes and KEN-partial-subsidy are dated "2020"
    figure = charts.covid_timeline("KEN")
    points = [trace for trace in figure.data if trace.legendgroup == "measures" and "who pays" in trace.name]
    assert len(points) == 1
    hovers = dict(zip(points[0].x, points[0].customdata, strict=True))
    assert "1 measure, 2020 (the source gives the year only)" in hovers[pd.Timestamp("2020-07-02")]
    assert pd.Timestamp("2020-01-01") not in hovers
    bars = [trace for trace in figure.data if trace.hoverinfo == "skip" and trace.y[0] == "who pays"]
    assert (pd.Timestamp("2020-01-01"), pd.Timestamp("2021-01-01")) in zip(bars[0].x[::3], bars[0].x[1::3])


def test_a_measure_with_an_end_date_is_drawn_and_said_until_then_as_its_table_says():
    # data/covid_measures.csv: KEN-reallocation is dated "2020" until "2021"; CHN-grassroots-outpatient
    # (covering patients) "2023-01" until "2023-03-31", CHN-lists-widened (covering patients) "2020-01"
    figure = charts.covid_timeline("KEN")
    bars = [trace for trace in figure.data if trace.hoverinfo == "skip" and trace.y[0] == "raising money"]
    assert list(zip(bars[0].x[::3], bars[0].x[1::3])) == [(pd.Timestamp("2020-01-01"), pd.Timestamp("2022-01-01"))]
    points = [trace for trace in figure.data if trace.legendgroup == "measures" and trace.name == "raising money"]
    assert "budget reallocation (2020, until 2021): Funds reallocated" in points[0].customdata[0]
    assert present.measures_table("KEN").set_index("category").loc["budget reallocation", "when"] == "2020, until 2021"
    china = charts.covid_timeline("CHN")
    bars = [trace for trace in china.data if trace.hoverinfo == "skip" and trace.y[0] == "covering patients"]
    spans = set(zip(bars[0].x[::3], bars[0].x[1::3]))
    assert spans == {(pd.Timestamp("2020-01-01"), pd.Timestamp("2020-02-01")),
                     (pd.Timestamp("2023-01-01"), pd.Timestamp("2023-04-01"))}


def test_timeline_for_a_sparse_country_shows_the_epidemic_and_says_what_is_missing():
    figure = charts.covid_timeline("Ghana")
    titles = [annotation.text for annotation in figure.layout.annotations]
    assert titles == ["weekly cases", "weekly deaths", "vaccinated, % of population"]
    assert "No financing or payment measure is documented for Ghana" in figure.layout.title.text
    mali = charts.covid_timeline("Mali")
    assert "booster" not in {trace.name for trace in mali.data}  # WHO has no booster data for Mali


def test_a_country_with_no_counts_and_no_measures_gets_a_notice(extra_dir, monkeypatch):
    write_test_country(extra_dir)
    monkeypatch.setenv("JLNLEARN_EXTRA_DATA", str(extra_dir))
    notice = charts.covid_timeline("Testland")
    assert isinstance(notice, charts.Notice) and "Testland" in notice.text


def test_matrix_chart_highlights_the_country_and_adds_it_if_outside_the_collaborative():
    figure = charts.measure_matrix("India")
    rows = list(dict.fromkeys(figure.data[0].y))  # a row of cells per country, one per category
    assert rows[0] == "<b>India ◀</b>" and len(rows) == 21
    shape = figure.layout.shapes[0]
    assert (shape.y0, shape.y1) == (-0.5, 0.5)
    philippines = charts.measure_matrix("PHL")
    assert list(dict.fromkeys(philippines.data[0].y)).index("<b>Philippines ◀</b>") == 18


def test_payment_rate_chart_shows_local_currency_and_us_dollars():
    figure = charts.covid_payment_rates("PHL")
    bars = figure.data[0]
    assert bars.text[0] == "PHP 43,997 (US$ 887)"
    assert len(bars.x) == 12  # every rate has its year, so every one is converted
    assert "PHP 901 (US$ 18)" in bars.text  # 901 / 49.6241 PHP per US$ (2020)
    assert isinstance(charts.covid_payment_rates("Mali"), charts.Notice)


def test_a_country_revising_only_deaths_gets_its_mark_and_legend():
    """China's WHO file has one negative weekly death count and no negative case count."""
    figure = charts.covid_timeline("CHN")
    revisions = [trace for trace in figure.data if trace.name == "downward revision"]
    assert len(revisions) == 1 and revisions[0].showlegend is True
    assert revisions[0].customdata[0] < 0
