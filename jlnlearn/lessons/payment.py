"""Provider payment calculators: capitation, fee-for-service, case-based and the rest.

Pure functions on numbers, pandas Series (indexed by group, service or
facility) and DataFrames. Each formula is written in its docstring with the
source it follows; where a source only defines the term, the formula is the
arithmetic that keeps the stated budget (budget neutrality), and says so.
Bad parameters raise :class:`PaymentInputError` naming the parameter and what
would be valid.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jlnlearn.errors import PaymentInputError


def _non_negative(name: str, value: float) -> float:
    if not np.isfinite(value) or value < 0:
        raise PaymentInputError(f"{name} must be a number of 0 or more, got {value!r}", name)
    return float(value)


def _positive(name: str, value: float) -> float:
    if not np.isfinite(value) or value <= 0:
        raise PaymentInputError(f"{name} must be a number above 0, got {value!r}", name)
    return float(value)


def _share(name: str, value: float) -> float:
    if not 0 <= value <= 1:
        raise PaymentInputError(f"{name} must be a share between 0 and 1, got {value!r}", name)
    return float(value)


def _matching(name: str, values: pd.Series, index: pd.Index, what: str) -> pd.Series:
    """``values`` for every label of ``index``, or an error listing the missing ones."""
    missing = [label for label in index if label not in values.index]
    if missing:
        raise PaymentInputError(f"{name} has no value for {what} {', '.join(map(str, missing))} "
                                f"(give one for each of: {', '.join(map(str, index))})", name)
    chosen = values.reindex(index).astype(float)
    if (chosen < 0).any() or chosen.isna().any():
        raise PaymentInputError(f"{name} must be 0 or more for every {what}", name)
    return chosen


# -- capitation ---------------------------------------------------------------------------

def capitation_base_rate(budget: float, enrolled: float) -> float:
    """Amount per enrolled person: ``budget / enrolled`` (per period).

    The standard capitation rate (Langenbrunner, Cashin and O'Dougherty 2009,
    source D05): the same amount for every enrolled person for a defined set of
    services (definition: source D01).

    >>> capitation_base_rate(1_000_000, 40_000)
    25.0
    """
    return _non_negative("budget", budget) / _positive("enrolled population", enrolled)


def risk_adjusted_rates(budget: float, population: pd.Series, weights: pd.Series) -> pd.DataFrame:
    """Capitation rates per group: ``rate_g = base_rate x w_g``, budget-neutral.

    ``base_rate = budget / sum_g(N_g x w_g)``, so that paying every group its
    rate spends exactly the budget. Weights are each group's expected cost
    relative to the average (1 = average). The adjustment up or down by need
    is the principle the Lancet Commission on PHC financing states (source
    D04); the budget-neutral base rate is the arithmetic of keeping the budget.

    Columns: ``population, weight, rate, payment``; ``payment`` sums to ``budget``.

    >>> groups = pd.Series({"0-4": 100, "5-64": 800, "65+": 100})
    >>> rates = risk_adjusted_rates(12_000, groups, pd.Series({"0-4": 1.5, "5-64": 1.0, "65+": 2.5}))
    >>> rates.rate.round(2).tolist(), float(rates.payment.sum())
    ([15.0, 10.0, 25.0], 12000.0)
    """
    _non_negative("budget", budget)
    population = population.astype(float)
    if (population < 0).any() or population.sum() <= 0:
        raise PaymentInputError("population must be 0 or more in every group and above 0 in total")
    weight = _matching("weights", weights, population.index, "group")
    weighted = float((population * weight).sum())
    if weighted <= 0:
        raise PaymentInputError("weights are 0 for every group with people: nothing to share")
    base = budget / weighted
    table = pd.DataFrame({"population": population, "weight": weight, "rate": base * weight})
    table["payment"] = table.population * table.rate
    return table


def facility_payments(budget: float, enrolment: pd.DataFrame, weights: pd.Series,
                      adjustment: pd.Series | None = None, withheld_share: float = 0.0,
                      performance_met: pd.Series | None = None) -> pd.DataFrame:
    """Capitation per facility from its age-sex mix, adjustments and a performance withhold.

    ``enrolment``: one row per facility, one column per group (people enrolled).
    ``adjustment``: a multiplier per facility (remote area, facility level...),
    1 where omitted. Then, budget-neutral over all facilities:

    - ``points_f = adjustment_f x sum_g(N_fg x w_g)``;
    - ``gross_f = budget x points_f / sum(points)``;
    - ``withheld_f = withheld_share x gross_f``, paid back where performance is met.

    Indonesia's facility-adjusted capitation, with up to 10% deducted when
    targets are missed, is the documented example (source C-ID1).

    Columns: ``enrolled, points, gross, withheld, paid``.

    >>> enrolment = pd.DataFrame({"young": [100, 0], "old": [0, 100]}, index=["A", "B"])
    >>> pay = facility_payments(300, enrolment, pd.Series({"young": 1.0, "old": 2.0}),
    ...                         withheld_share=0.1, performance_met=pd.Series({"A": True, "B": False}))
    >>> pay.gross.tolist(), pay.paid.tolist()
    ([100.0, 200.0], [100.0, 180.0])
    """
    _non_negative("budget", budget)
    _share("withheld_share", withheld_share)
    weight = _matching("weights", weights, pd.Index(enrolment.columns), "group")
    if (enrolment < 0).any().any():
        raise PaymentInputError("enrolment must be 0 or more for every facility and group")
    factor = (pd.Series(1.0, index=enrolment.index) if adjustment is None
              else _matching("adjustment", adjustment, enrolment.index, "facility"))
    points = factor * (enrolment.astype(float) * weight).sum(axis=1)
    if points.sum() <= 0:
        raise PaymentInputError("no facility has enrolled people with a weight above 0")
    gross = budget * points / points.sum()
    met = (pd.Series(True, index=enrolment.index) if performance_met is None
           else performance_met.reindex(enrolment.index).fillna(False).astype(bool))
    withheld = withheld_share * gross
    return pd.DataFrame({"enrolled": enrolment.sum(axis=1).astype(float), "points": points,
                         "gross": gross, "withheld": withheld,
                         "paid": gross - withheld.where(~met, 0.0)})


# -- fee-for-service, budgets, per diem -----------------------------------------------------

def fee_for_service(fees: pd.Series, volumes: pd.Series) -> float:
    """Payment for services delivered: ``sum_s(fee_s x volume_s)`` (definition: source D01).

    >>> fee_for_service(pd.Series({"visit": 5.0, "test": 2.0}), pd.Series({"visit": 10, "test": 4}))
    58.0
    """
    volume = volumes.astype(float)
    if (volume < 0).any():
        raise PaymentInputError("volumes must be 0 or more for every service")
    fee = _matching("fees", fees, volume.index, "service")
    return float((fee * volume).sum())


def line_item_budget(lines: pd.Series) -> float:
    """A budget earmarked by input line: the sum of the lines (definition: source D01).

    >>> line_item_budget(pd.Series({"staff": 700.0, "medicines": 300.0}))
    1000.0
    """
    if (lines < 0).any():
        raise PaymentInputError("every budget line must be 0 or more")
    return float(lines.sum())


def global_budget(amount: float, months: int = 12) -> pd.Series:
    """A fixed sum for a period, not tied to inputs, paid in equal instalments (source D01).

    >>> global_budget(1200, months=4).tolist()
    [300.0, 300.0, 300.0, 300.0]
    """
    _non_negative("amount", amount)
    if months < 1:
        raise PaymentInputError(f"months must be 1 or more, got {months}")
    return pd.Series(amount / months, index=range(1, months + 1), name="instalment")


def per_diem(rate: float, days: float) -> float:
    """Payment for an inpatient stay: ``rate x days`` (definition: source D01).

    >>> per_diem(40, 3.5)
    140.0
    """
    return _non_negative("per diem rate", rate) * _non_negative("days", days)


# -- case-based payment ---------------------------------------------------------------------

def relative_weights(cost_per_case: pd.Series, group: pd.Series) -> pd.Series:
    """DRG relative weights: ``RW_k = mean cost in group k / mean cost of all cases`` (source D03).

    >>> relative_weights(pd.Series([100.0, 300.0, 200.0, 200.0]), pd.Series(["a", "a", "b", "b"]))
    group
    a    1.0
    b    1.0
    Name: relative_weight, dtype: float64
    """
    cost = cost_per_case.astype(float)
    if len(cost) == 0 or (cost < 0).any() or cost.mean() <= 0:
        raise PaymentInputError("cost_per_case needs at least one case, all costs 0 or more")
    means = cost.groupby(group.rename("group").values).mean()
    means.index.name = "group"
    return (means / cost.mean()).rename("relative_weight")


def case_mix_index(cases: pd.Series, weights: pd.Series) -> float:
    """``CMI = sum(RW of all discharges) / number of discharges`` (source D02).

    >>> case_mix_index(pd.Series({"a": 30, "b": 10}), pd.Series({"a": 0.8, "b": 2.0}))
    1.1
    """
    count = cases.astype(float)
    if (count < 0).any() or count.sum() <= 0:
        raise PaymentInputError("cases must be 0 or more per group and above 0 in total")
    weight = _matching("weights", weights, count.index, "group")
    return round(float((count * weight).sum() / count.sum()), 10)


def case_base_rate(budget: float, expected_cases: pd.Series, weights: pd.Series) -> float:
    """Base rate that spends the budget on the expected case mix: ``budget / sum_k(cases_k x RW_k)``.

    Payment per case is then ``base_rate x RW_k`` (source D03); the base rate
    from a budget is the arithmetic of keeping that budget.

    >>> case_base_rate(44_000, pd.Series({"a": 30, "b": 10}), pd.Series({"a": 0.8, "b": 2.0}))
    1000.0
    """
    _non_negative("budget", budget)
    cmi = case_mix_index(expected_cases, weights)
    return budget / (cmi * float(expected_cases.sum()))


def case_payments(base_rate: float, weights: pd.Series) -> pd.Series:
    """Payment per case in each group: ``base_rate x RW_k`` (source D03).

    >>> case_payments(1000, pd.Series({"a": 0.8, "b": 2.0})).tolist()
    [800.0, 2000.0]
    """
    _non_negative("base rate", base_rate)
    if (weights < 0).any():
        raise PaymentInputError("relative weights must be 0 or more")
    return (base_rate * weights.astype(float)).rename("payment_per_case")


# -- performance and blends -------------------------------------------------------------------

def performance_bonus(pool: float, scores: pd.Series, threshold: float = 0.0) -> pd.Series:
    """Share a bonus pool in proportion to scores at or above ``threshold`` (scores from 0 to 1).

    >>> performance_bonus(900, pd.Series({"A": 0.9, "B": 0.45, "C": 0.2}), threshold=0.4).tolist()
    [600.0, 300.0, 0.0]
    """
    _non_negative("pool", pool)
    if ((scores < 0) | (scores > 1)).any():
        raise PaymentInputError("scores must be between 0 and 1")
    eligible = scores.where(scores >= threshold, 0.0).astype(float)
    if eligible.sum() == 0:
        return eligible.rename("bonus")
    return (pool * eligible / eligible.sum()).rename("bonus")


def blended_payment(shares: pd.Series, payments: pd.Series) -> float:
    """A blend of mechanisms: ``sum_m(share_m x payment_m)``, shares adding up to 1.

    Each ``payments`` value is what the provider would get if that mechanism
    paid for everything (source D01: combined so that incentives offset).

    >>> blended_payment(pd.Series({"capitation": 0.7, "fee-for-service": 0.3}),
    ...                 pd.Series({"capitation": 1000.0, "fee-for-service": 1400.0}))
    1120.0
    """
    share = shares.astype(float)
    if (share < 0).any() or not np.isclose(share.sum(), 1.0):
        raise PaymentInputError(f"blend shares must be 0 or more and add up to 1, got {share.sum():g}")
    return float((share * _matching("payments", payments, share.index, "mechanism")).sum())


# -- who bears the risk ---------------------------------------------------------------------

MECHANISMS_SIMULATED = ("fee-for-service", "capitation", "blended", "capitation with withhold")


def simulate_risk(enrolled: int, visits_per_person: float, cost_per_visit: float,
                  fee_per_visit: float, capitation_rate: float, capitation_share: float = 0.7,
                  demand_spread: float = 0.25, withheld_share: float = 0.1,
                  performance_probability: float = 0.8, facility_years: int = 100_000,
                  seed: int = 0) -> pd.DataFrame:
    """Simulate facility-years with uncertain demand under three ways of paying.

    Each facility-year draws its use rate from a gamma distribution with mean
    ``visits_per_person`` and coefficient of variation ``demand_spread``, then
    its visits from a Poisson distribution for ``enrolled`` people; the
    provider's cost is ``visits x cost_per_visit``. Payments:

    - fee-for-service: ``fee_per_visit x visits`` (more visits, more pay);
    - capitation: ``capitation_rate x enrolled`` (fixed whatever the visits);
    - blended: ``capitation_share`` of the capitation plus the rest of fee-for-service;
    - capitation with withhold: capitation less ``withheld_share`` in the
      facility-years (drawn with ``1 - performance_probability``) that miss
      their targets, as in Indonesia's performance-based capitation (source C-ID1).

    Returns one row per facility-year: ``visits, cost`` and, for each
    mechanism, the purchaser's ``spending_<m>`` and the provider's
    ``margin_<m>`` (payment minus cost). Vectorised with NumPy and seeded, so
    the same arguments give the same numbers.

    >>> sim = simulate_risk(1000, 2.0, 5.0, 5.0, 10.0, facility_years=2000, seed=1)
    >>> float(sim["spending_capitation"].std()), bool(sim["spending_fee-for-service"].std() > 0)
    (0.0, True)
    """
    if enrolled < 1 or facility_years < 1:
        raise PaymentInputError("enrolled and facility_years must be 1 or more")
    _positive("visits_per_person", visits_per_person)
    _non_negative("cost_per_visit", cost_per_visit)
    _non_negative("fee_per_visit", fee_per_visit)
    _non_negative("capitation_rate", capitation_rate)
    _share("capitation_share", capitation_share)
    _positive("demand_spread", demand_spread)
    _share("withheld_share", withheld_share)
    _share("performance_probability", performance_probability)
    rng = np.random.default_rng(seed)
    shape = 1.0 / demand_spread ** 2
    use_rate = rng.gamma(shape, visits_per_person / shape, size=facility_years)
    visits = rng.poisson(use_rate * enrolled).astype(float)
    cost = visits * cost_per_visit
    fee_income = fee_per_visit * visits
    capitation = np.full(facility_years, capitation_rate * enrolled)
    missed = rng.random(facility_years) >= performance_probability
    spending = {
        "fee-for-service": fee_income,
        "capitation": capitation,
        "blended": capitation_share * capitation + (1 - capitation_share) * fee_income,
        "capitation with withhold": capitation * (1 - withheld_share * missed),
    }
    columns: dict[str, np.ndarray] = {"visits": visits, "cost": cost}
    for mechanism, paid in spending.items():
        columns[f"spending_{mechanism}"] = paid
        columns[f"margin_{mechanism}"] = paid - cost
    return pd.DataFrame(columns)


def risk_summary(simulation: pd.DataFrame) -> pd.DataFrame:
    """Per mechanism: mean and spread of the purchaser's spending, the provider's margin, and
    how often the provider loses money.

    >>> sim = simulate_risk(1000, 2.0, 5.0, 5.0, 10.0, facility_years=5000, seed=2)
    >>> summary = risk_summary(sim)
    >>> float(summary.loc["capitation", "spending_sd"]), float(summary.loc["fee-for-service", "margin_sd"])
    (0.0, 0.0)
    """
    rows = {}
    for mechanism in MECHANISMS_SIMULATED:
        spending, margin = simulation[f"spending_{mechanism}"], simulation[f"margin_{mechanism}"]
        rows[mechanism] = {"spending_mean": spending.mean(), "spending_sd": spending.std(ddof=0),
                           "margin_mean": margin.mean(), "margin_sd": margin.std(ddof=0),
                           "loss_probability": float((margin < 0).mean())}
    return pd.DataFrame.from_dict(rows, orient="index")
