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
from jlnlearn.lessons.inputs import matching, non_negative, positive, share_of_one

# -- capitation ---------------------------------------------------------------------------

def capitation_base_rate(budget: float, enrolled: float) -> float:
    """Amount per enrolled person: ``budget / enrolled`` (per period).

    Capitation pays the same amount for every enrolled person for a defined
    set of services (definition: source D01); dividing the budget by the
    people enrolled is this collection's worked method for that amount, not a
    rule a source states (the PPM manuals, source D05, cover how rates are
    set in practice).

    Parameters
    ----------
    budget
        Money for the period, in any currency.
    enrolled
        People enrolled (above 0).

    Returns
    -------
    The amount per enrolled person, in the budget's currency.

    Examples
    --------
    >>> capitation_base_rate(1_000_000, 40_000)
    25.0
    """
    return non_negative("budget", budget) / positive("enrolled population", enrolled)


def risk_adjusted_rates(budget: float, population: pd.Series, weights: pd.Series) -> pd.DataFrame:
    """Capitation rates per group: ``rate_g = base_rate x w_g``, budget-neutral.

    ``base_rate = budget / sum_g(N_g x w_g)``, so that paying every group its
    rate spends exactly the budget. Weights are each group's expected cost
    relative to the average (1 = average). The adjustment up or down by need
    is the principle the Lancet Commission on PHC financing states (source
    D04); the budget-neutral base rate is the arithmetic of keeping the budget.

    Columns: ``population, weight, rate, payment``; ``payment`` sums to ``budget``.

    Parameters
    ----------
    budget
        Money for the period.
    population
        People in each group (age band, sex...), indexed by group.
    weights
        Each group's expected cost relative to the average, with a value for every group.

    Returns
    -------
    A DataFrame indexed by group with ``population, weight, rate, payment``.

    Examples
    --------
    >>> groups = pd.Series({"0-4": 100, "5-64": 800, "65+": 100})
    >>> rates = risk_adjusted_rates(12_000, groups, pd.Series({"0-4": 1.5, "5-64": 1.0, "65+": 2.5}))
    >>> rates.rate.round(2).tolist(), float(rates.payment.sum())
    ([15.0, 10.0, 25.0], 12000.0)
    """
    non_negative("budget", budget)
    population = population.astype(float)
    if (population < 0).any() or population.sum() <= 0:
        raise PaymentInputError("population must be 0 or more in every group and above 0 in total")
    weight = matching("weights", weights, population.index, "group")
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

    Parameters
    ----------
    budget
        Money shared by all facilities.
    enrolment
        People enrolled, one row per facility, one column per group.
    weights
        Relative cost of each group (a value for every column).
    adjustment
        A multiplier per facility; 1 where omitted.
    withheld_share
        Share of each facility's payment held back until its targets are checked (0 to 1).
    performance_met
        Whether each facility met its targets; missing counts as not met. Default: all met.

    Returns
    -------
    A DataFrame indexed by facility with ``enrolled, points, gross, withheld, paid``.

    Examples
    --------
    >>> enrolment = pd.DataFrame({"young": [100, 0], "old": [0, 100]}, index=["A", "B"])
    >>> pay = facility_payments(300, enrolment, pd.Series({"young": 1.0, "old": 2.0}),
    ...                         withheld_share=0.1, performance_met=pd.Series({"A": True, "B": False}))
    >>> pay.gross.tolist(), pay.paid.tolist()
    ([100.0, 200.0], [100.0, 180.0])
    """
    non_negative("budget", budget)
    share_of_one("withheld_share", withheld_share)
    weight = matching("weights", weights, pd.Index(enrolment.columns), "group")
    if (enrolment < 0).any().any():
        raise PaymentInputError("enrolment must be 0 or more for every facility and group")
    factor = (pd.Series(1.0, index=enrolment.index) if adjustment is None
              else matching("adjustment", adjustment, enrolment.index, "facility"))
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

    Parameters
    ----------
    fees
        Fee of each service, indexed by service.
    volumes
        Services delivered, indexed by service (a fee is needed for each).

    Returns
    -------
    The total payment.

    Examples
    --------
    >>> fee_for_service(pd.Series({"visit": 5.0, "test": 2.0}), pd.Series({"visit": 10, "test": 4}))
    58.0
    """
    volume = volumes.astype(float)
    if (volume < 0).any():
        raise PaymentInputError("volumes must be 0 or more for every service")
    fee = matching("fees", fees, volume.index, "service")
    return float((fee * volume).sum())


def line_item_budget(lines: pd.Series) -> float:
    """A budget earmarked by input line: the sum of the lines (definition: source D01).

    Parameters
    ----------
    lines
        Amount of each input line (staff, medicines...).

    Returns
    -------
    The budget.

    Examples
    --------
    >>> line_item_budget(pd.Series({"staff": 700.0, "medicines": 300.0}))
    1000.0
    """
    if (lines < 0).any():
        raise PaymentInputError("every budget line must be 0 or more")
    return float(lines.sum())


def global_budget(amount: float, months: int = 12) -> pd.Series:
    """A fixed sum for a period, not tied to inputs, paid in equal instalments (source D01).

    Parameters
    ----------
    amount
        The fixed sum for the period.
    months
        Instalments it is paid in (1 or more).

    Returns
    -------
    A Series of instalments, numbered from 1.

    Examples
    --------
    >>> global_budget(1200, months=4).tolist()
    [300.0, 300.0, 300.0, 300.0]
    """
    non_negative("amount", amount)
    if months < 1:
        raise PaymentInputError(f"months must be 1 or more, got {months}")
    return pd.Series(amount / months, index=range(1, months + 1), name="instalment")


def per_diem(rate: float, days: float) -> float:
    """Payment for an inpatient stay: ``rate x days`` (definition: source D01).

    Parameters
    ----------
    rate
        Payment per day of stay.
    days
        Days of stay.

    Returns
    -------
    The payment for the stay.

    Examples
    --------
    >>> per_diem(40, 3.5)
    140.0
    """
    return non_negative("per diem rate", rate) * non_negative("days", days)


# -- case-based payment ---------------------------------------------------------------------

def relative_weights(cost_per_case: pd.Series, group: pd.Series) -> pd.Series:
    """DRG relative weights: ``RW_k = mean cost in group k / mean cost of all cases`` (source D03).

    Parameters
    ----------
    cost_per_case
        Cost of each case.
    group
        The case group (DRG) of each case, aligned with ``cost_per_case``.

    Returns
    -------
    A Series of relative weights indexed by group.

    Examples
    --------
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

    Parameters
    ----------
    cases
        Discharges in each group.
    weights
        Relative weight of each group.

    Returns
    -------
    The case-mix index (1 for an average mix).

    Examples
    --------
    >>> case_mix_index(pd.Series({"a": 30, "b": 10}), pd.Series({"a": 0.8, "b": 2.0}))
    1.1
    """
    count = cases.astype(float)
    if (count < 0).any() or count.sum() <= 0:
        raise PaymentInputError("cases must be 0 or more per group and above 0 in total")
    weight = matching("weights", weights, count.index, "group")
    return round(float((count * weight).sum() / count.sum()), 10)


def case_base_rate(budget: float, expected_cases: pd.Series, weights: pd.Series) -> float:
    """Base rate that spends the budget on the expected case mix: ``budget / sum_k(cases_k x RW_k)``.

    Payment per case is then ``base_rate x RW_k`` (source D03); the base rate
    from a budget is the arithmetic of keeping that budget.

    Parameters
    ----------
    budget
        Money for the expected cases.
    expected_cases
        Expected discharges in each group.
    weights
        Relative weight of each group.

    Returns
    -------
    The base rate: the payment for a case of relative weight 1.

    Examples
    --------
    >>> case_base_rate(44_000, pd.Series({"a": 30, "b": 10}), pd.Series({"a": 0.8, "b": 2.0}))
    1000.0
    """
    non_negative("budget", budget)
    cmi = case_mix_index(expected_cases, weights)
    return budget / (cmi * float(expected_cases.sum()))


def case_payments(base_rate: float, weights: pd.Series) -> pd.Series:
    """Payment per case in each group: ``base_rate x RW_k`` (source D03).

    Parameters
    ----------
    base_rate
        Payment for a case of relative weight 1.
    weights
        Relative weight of each group.

    Returns
    -------
    A Series of the payment per case in each group.

    Examples
    --------
    >>> case_payments(1000, pd.Series({"a": 0.8, "b": 2.0})).tolist()
    [800.0, 2000.0]
    """
    non_negative("base rate", base_rate)
    if (weights < 0).any():
        raise PaymentInputError("relative weights must be 0 or more")
    return (base_rate * weights.astype(float)).rename("payment_per_case")


# -- performance and blends -------------------------------------------------------------------

def performance_bonus(pool: float, scores: pd.Series, threshold: float = 0.0) -> pd.Series:
    """Share a bonus pool in proportion to scores at or above ``threshold`` (scores from 0 to 1).

    Parameters
    ----------
    pool
        Money for bonuses.
    scores
        Each facility's score, from 0 to 1.
    threshold
        Lowest score that earns a share.

    Returns
    -------
    A Series of each facility's bonus; all 0 when no score reaches the threshold.

    Examples
    --------
    >>> performance_bonus(900, pd.Series({"A": 0.9, "B": 0.45, "C": 0.2}), threshold=0.4).tolist()
    [600.0, 300.0, 0.0]
    """
    non_negative("pool", pool)
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

    Parameters
    ----------
    shares
        Share of each mechanism in the blend, adding up to 1.
    payments
        What each mechanism alone would pay (a value for each share).

    Returns
    -------
    The blended payment.

    Examples
    --------
    >>> blended_payment(pd.Series({"capitation": 0.7, "fee-for-service": 0.3}),
    ...                 pd.Series({"capitation": 1000.0, "fee-for-service": 1400.0}))
    1120.0
    """
    share = shares.astype(float)
    if (share < 0).any() or not np.isclose(share.sum(), 1.0):
        raise PaymentInputError(f"blend shares must be 0 or more and add up to 1, got {share.sum():g}")
    return float((share * matching("payments", payments, share.index, "mechanism")).sum())
