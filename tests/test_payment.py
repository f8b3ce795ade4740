"""Payment calculators against hand computation, budget neutrality and bad parameters."""

import numpy as np
import pandas as pd
import pytest

from jlnlearn.errors import PaymentInputError
from jlnlearn.lessons import payment, risk


def test_capitation_rate_by_hand():
    # 2.4 million for 80,000 enrolled people: 30 per person.
    assert payment.capitation_base_rate(2_400_000, 80_000) == 30.0


def test_risk_adjustment_is_budget_neutral_and_proportional():
    population = pd.Series({"child": 2_000, "adult": 6_000, "older": 2_000})
    weights = pd.Series({"child": 1.2, "adult": 0.8, "older": 2.0})
    rates = payment.risk_adjusted_rates(1_000_000, population, weights)
    # By hand: weighted population 2,400 + 4,800 + 4,000 = 11,200; base 1,000,000 / 11,200.
    base = 1_000_000 / 11_200
    assert rates.rate.tolist() == pytest.approx([1.2 * base, 0.8 * base, 2.0 * base])
    assert rates.payment.sum() == pytest.approx(1_000_000)
    assert rates.loc["older", "rate"] / rates.loc["adult", "rate"] == pytest.approx(2.5)


def test_facility_capitation_with_adjustment_and_withhold():
    enrolment = pd.DataFrame({"child": [500, 100], "adult": [500, 900]}, index=["urban", "remote"])
    weights = pd.Series({"child": 2.0, "adult": 1.0})
    result = payment.facility_payments(
        11_000, enrolment, weights, adjustment=pd.Series({"urban": 1.0, "remote": 1.1}),
        withheld_share=0.10, performance_met=pd.Series({"urban": True, "remote": False}))
    # Points by hand: urban 1,500; remote 1.1 x 1,100 = 1,210; total 2,710.
    assert result.points.tolist() == pytest.approx([1_500, 1_210])
    assert result.gross.sum() == pytest.approx(11_000)
    assert result.loc["remote", "paid"] == pytest.approx(0.9 * 11_000 * 1_210 / 2_710)
    assert result.loc["urban", "paid"] == pytest.approx(11_000 * 1_500 / 2_710)


def test_fee_for_service_and_budgets_by_hand():
    assert payment.fee_for_service(pd.Series({"visit": 3.0, "delivery": 40.0}),
                                   pd.Series({"visit": 200, "delivery": 5})) == 800.0
    assert payment.per_diem(25, 4) == 100.0
    assert payment.line_item_budget(pd.Series({"staff": 60.0, "drugs": 40.0})) == 100.0
    assert payment.global_budget(900, months=3).sum() == 900


def test_case_based_payment_by_hand():
    costs = pd.Series([400.0, 600.0, 1_500.0, 2_500.0])
    groups = pd.Series(["normal delivery", "normal delivery", "caesarean", "caesarean"])
    weights = payment.relative_weights(costs, groups)
    # Mean of all cases 1,250: normal 500/1,250 = 0.4, caesarean 2,000/1,250 = 1.6.
    assert weights.to_dict() == pytest.approx({"caesarean": 1.6, "normal delivery": 0.4})
    cases = pd.Series({"normal delivery": 300, "caesarean": 100})
    assert payment.case_mix_index(cases, weights) == pytest.approx((300 * 0.4 + 100 * 1.6) / 400)
    base = payment.case_base_rate(280_000, cases, weights)
    assert base == pytest.approx(1_000)  # 280,000 / (120 + 160)
    assert (payment.case_payments(base, weights) * cases.reindex(weights.index)).sum() == \
        pytest.approx(280_000)


def test_performance_bonus_and_blend_by_hand():
    bonus = payment.performance_bonus(1_000, pd.Series({"A": 0.8, "B": 0.2, "C": 0.5}), threshold=0.5)
    assert bonus.to_dict() == pytest.approx({"A": 1_000 * 0.8 / 1.3, "B": 0.0, "C": 1_000 * 0.5 / 1.3})
    assert payment.blended_payment(pd.Series({"cap": 0.5, "ffs": 0.5}),
                                   pd.Series({"cap": 100.0, "ffs": 300.0})) == 200.0


@pytest.mark.parametrize("call, message", [
    (lambda: payment.capitation_base_rate(-1, 10), "budget must be a number of 0 or more"),
    (lambda: payment.capitation_base_rate(10, 0), "enrolled population must be a number above 0"),
    (lambda: payment.risk_adjusted_rates(10, pd.Series({"a": 5, "b": 5}), pd.Series({"a": 1.0})),
     "weights has no value for group b"),
    (lambda: payment.blended_payment(pd.Series({"a": 0.5, "b": 0.4}), pd.Series({"a": 1, "b": 1})),
     "blend shares must be 0 or more and add up to 1, got 0.9"),
    (lambda: payment.facility_payments(10, pd.DataFrame({"a": [1]}), pd.Series({"a": 1.0}),
                                       withheld_share=1.5), "withheld_share must be a share"),
    (lambda: payment.fee_for_service(pd.Series({"visit": 1.0}), pd.Series({"test": 2})),
     "fees has no value for service test"),
    (lambda: risk.simulate_risk(100, 2, 1, 1, 2, capitation_share=-0.1),
     "capitation_share must be a share"),
])
def test_bad_parameters_raise_clear_errors(call, message):
    with pytest.raises(PaymentInputError, match=message):
        call()


def test_simulator_moves_volume_risk_from_purchaser_to_provider():
    sim = risk.simulate_risk(enrolled=2_000, visits_per_person=3.0, cost_per_visit=4.0,
                                fee_per_visit=4.0, capitation_rate=12.0, capitation_share=0.5,
                                demand_spread=0.3, facility_years=50_000, seed=7)
    summary = risk.risk_summary(sim)
    # Fee equal to cost: under fee-for-service the purchaser carries all the variation...
    assert summary.loc["fee-for-service", "margin_sd"] == pytest.approx(0.0)
    assert summary.loc["fee-for-service", "spending_sd"] > 0
    # ...under capitation the provider does, and a half blend splits it in half.
    assert summary.loc["capitation", "spending_sd"] == 0.0
    assert summary.loc["capitation", "margin_sd"] == pytest.approx(
        summary.loc["fee-for-service", "spending_sd"])
    assert summary.loc["blended", "margin_sd"] == pytest.approx(
        0.5 * summary.loc["capitation", "margin_sd"])
    # Expected spending is the same when the rate prices the expected use (3 visits x 4).
    assert summary.spending_mean.tolist()[:3] == pytest.approx([24_000] * 3, rel=0.01)
    # A 10% withhold missed in about 20% of facility-years saves about 2%.
    assert summary.loc["capitation with withhold", "spending_mean"] == pytest.approx(24_000 * 0.98, rel=0.005)


def test_simulator_is_seeded():
    first = risk.simulate_risk(100, 2, 1, 1, 2, facility_years=1_000, seed=3)
    again = risk.simulate_risk(100, 2, 1, 1, 2, facility_years=1_000, seed=3)
    assert np.array_equal(first.to_numpy(), again.to_numpy())


def test_the_risk_table_says_which_ways_pay_the_same_and_why_the_withhold_pays_less():
    from jlnlearn import present
    simulation = risk.simulate_risk(10_000, 3.0, 4.0, 4.0, 12.0, facility_years=50_000, seed=3)
    table = present.risk_table(simulation).set_index("mechanism")
    # the rates are set to pay 3 visits x US$ 4 = US$ 12 per person: 120,000 a year on average
    assert table.loc["capitation", "spending_mean"] == 120_000
    assert table.loc["fee-for-service", "spending_mean"] == pytest.approx(120_000, rel=0.005)
    for same in ("capitation", "blended"):
        assert table.loc[same, "on average"].startswith("pays the same as fee-for-service")
    # 10% held back in about 20% of the years: about 2% less than capitation
    withhold = table.loc["capitation with withhold"]
    missed = float((simulation["spending_capitation with withhold"] < 120_000).mean())
    assert withhold.spending_mean == pytest.approx(120_000 * (1 - 0.1 * missed))
    assert withhold["on average"] == (f"pays {0.1 * missed:.1%} less than capitation: 10% of it is held back "
                                      f"in the {missed:.0%} of years that miss their targets")
    assert 0.19 < missed < 0.21
