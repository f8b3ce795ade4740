"""Journey and partnership functions, checked against values counted by hand in data/."""

import pandas as pd

from jlnlearn import charts, present
from jlnlearn.lessons import journey
from tests.conftest import write_test_country


def test_partial_dates_start_at_the_first_day():
    assert journey.partial_date("2016-10") == pd.Timestamp("2016-10-01")


def test_milestones_are_in_date_order_from_2009():
    events = journey.milestones()
    assert events.when.is_monotonic_increasing
    assert events.iloc[0].milestone_id == "wha-side-meeting" and events.iloc[0].year == 2009
    assert len(events) == 41


def test_milestones_known_to_the_year_or_month_are_drawn_over_that_period():
    figure = charts.milestone_timeline()
    points = [trace for trace in figure.data if trace.mode == "markers"]
    where = {hover[0]: x for trace in points for x, hover in zip(trace.x, trace.customdata, strict=True)}
    # data/jln_milestones.csv: the first workshop is dated 2010-02, the Steering Group 2013
    assert where["February 2010 (the source gives the month only)"] == pd.Timestamp("2010-02-15")
    assert where["2013 (the source gives the year only)"] == pd.Timestamp("2013-07-02")
    assert where["6 November 2013"] == pd.Timestamp("2013-11-06")
    assert not any(pd.Timestamp(x).strftime("%m-%d") == "01-01" for trace in points for x in trace.x)
    bars = [(start, end) for trace in figure.data if trace.hoverinfo == "skip"
            for start, end in zip(trace.x[::3], trace.x[1::3], strict=True)]
    assert (pd.Timestamp("2010-02-01"), pd.Timestamp("2010-03-01")) in bars
    assert (pd.Timestamp("2013-01-01"), pd.Timestamp("2014-01-01")) in bars
    assert (pd.Timestamp("2013-11-06"), pd.Timestamp("2013-11-07")) not in bars  # a day is a point


def test_dates_are_written_to_the_precision_the_source_gives():
    facts = present.fact_table(journey.country_participation("Kenya"))
    shown = facts.data if hasattr(facts, "data") else facts
    assert {"2010", "27 July 2015", "March 2017"} <= set(shown["date"])


def test_membership_grows_from_6_to_41_and_skips_the_full_member_only_count():
    growth = journey.membership_growth()
    assert growth.member_countries.tolist() == [6, 24, 27, 30, 31, 34, 37, 40, 41]


def test_products_by_year_and_topic():
    counts = journey.products_by_year_and_topic().set_index(["year", "topic"]).products
    assert counts[(2014, "costing")] == 2  # the costing manual and the Vietnam costing article
    assert counts[(2016, "network")] == 2  # JLN@5 and the Rockefeller case study
    assert counts.sum() == 8  # 12 products, 4 undated (a tool, a video, two podcasts)
    assert len(journey.undated_products()) == 4


def test_partner_periods_follow_what_is_documented():
    timeline = journey.partners_timeline().set_index("partner_id")
    mathematica = timeline.loc["mathematica-evaluation"]
    assert (mathematica.start, mathematica.finish, mathematica.dated) == (2016, 2018, "period")
    world_bank = timeline.loc["world-bank-steering"]
    assert (world_bank.start, world_bank.finish, world_bank.dated) == (2017, 2017, "seen")
    # data/partners.csv: the founding support is "2010 onward": a start, no end
    assert timeline.loc["rockefeller-founding", ["start", "dated"]].tolist() == [2010, "from"]
    # coordination is seen in 2016 (JLN@5) and in 2017 (the seventh Steering Group meeting)
    assert timeline.loc["r4d-coordination", ["start", "finish", "dated"]].tolist() == [2016, 2017, "seen"]
    assert journey.undated_partners().organisation.tolist() == ["World Bank country offices"]


def test_the_partner_chart_draws_each_role_over_the_period_its_row_states():
    figure = charts.partners_gantt()
    bars = {(trace.name, label): (int(base), int(base) + int(width) - 1)
            for trace in figure.data if trace.type == "bar"
            for label, base, width in zip(trace.y, trace.base, trace.x, strict=True)}
    # "2010 onward" runs to the chart's last year (2025, the latest milestone), hatched
    assert bars[("funder", "Rockefeller Foundation")] == (2010, 2025)
    assert bars[("evaluator", "Mathematica Policy Research")] == (2016, 2018)
    hatched = {trace.name: trace.marker.pattern.shape for trace in figure.data if trace.type == "bar"}
    assert hatched == {"funder": "/", "technical partner": "/", "evaluator": ""}
    seen = {(trace.name, label, x) for trace in figure.data if trace.type == "scatter"
            for label, x in zip(trace.y, trace.x, strict=True)}
    assert {("kind not stated", "Management Sciences for Health<br>(MSH)", 2017.5),
            ("kind not stated", "Management Sciences for Health<br>(MSH)", 2024.5)} <= seen
    # the same organisation in two roles is one row with both, not two rows
    rockefeller = [trace.name for trace in figure.data if "Rockefeller Foundation" in list(trace.y)]
    assert rockefeller == ["funder", "development partner"]
    rows = {label for trace in figure.data for label in trace.y}
    assert len(rows) == journey.partners_timeline().organisation.nunique() == 13
    # every kind of partner is in the legend, once
    legend = [trace.name for trace in figure.data if trace.showlegend]
    assert sorted(legend) == sorted(set(journey.partners_timeline().partner_type.dropna()) | {"kind not stated"})


def test_country_participation_and_steering_group():
    laos = journey.country_participation("Laos")
    # which countries took part in the 2020 country pairings is not documented, so none is listed
    assert laos[["role", "category"]].values.tolist() == [["joined", "membership"]]
    assert present.steering_group_role("Bangladesh") == \
        "Steering Group: elected in March 2017."
    assert present.steering_group_role("Mali") == "Steering Group: left in the March 2017 election."
    assert journey.country_participation("Burkina Faso").category.tolist() == ["collaborative"]


def test_spending_against_out_of_pocket_groups():
    points = journey.spending_and_out_of_pocket("Ghana").set_index("iso3")
    assert points.loc["GHA", "group"] == "subject"
    assert points.loc["KEN", "group"] == "peer" and points.loc["JPN", "group"] == "other"
    assert "XKX" not in points.index  # no WHO data for Kosovo
    assert journey.spending_and_out_of_pocket("Kosovo").group.eq("subject").sum() == 0


def test_sparse_country_has_no_reforms_and_no_error(extra_dir, monkeypatch):
    write_test_country(extra_dir)
    monkeypatch.setenv("JLNLEARN_EXTRA_DATA", str(extra_dir))
    assert journey.country_reforms("Testland").empty
