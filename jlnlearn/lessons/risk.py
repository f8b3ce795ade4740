"""Who bears the risk of uncertain demand under each way of paying a facility (notebook 02).

A seeded NumPy simulation of many facility-years, each with its own demand,
paid by fee-for-service, capitation, a blend and capitation with a
performance withhold; and a summary of what the purchaser spends and what
the provider keeps under each.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jlnlearn.errors import PaymentInputError
from jlnlearn.i18n import N_
from jlnlearn.lessons.inputs import non_negative, positive, share_of_one

#: The ways of paying the simulation compares, in the order tables and charts show them
#: (in English: the simulation's keys; translated where shown).
MECHANISMS_SIMULATED = (N_("fee-for-service"), N_("capitation"), N_("blended"), N_("capitation with withhold"))


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

    Parameters
    ----------
    enrolled
        People enrolled at the facility (1 or more).
    visits_per_person
        Expected visits per person per year.
    cost_per_visit
        What a visit costs the facility.
    fee_per_visit
        What fee-for-service pays per visit.
    capitation_rate
        What capitation pays per enrolled person per year.
    capitation_share
        Share of the blend paid by capitation (0 to 1).
    demand_spread
        Coefficient of variation of the use rate between facility-years.
    withheld_share
        Share of capitation withheld when targets are missed (0 to 1).
    performance_probability
        Chance that a facility-year meets its targets (0 to 1).
    facility_years
        How many facility-years to simulate.
    seed
        Seed of the random generator.

    Returns
    -------
    A DataFrame with one row per facility-year (columns above).

    Examples
    --------
    >>> sim = simulate_risk(1000, 2.0, 5.0, 5.0, 10.0, facility_years=2000, seed=1)
    >>> float(sim["spending_capitation"].std()), bool(sim["spending_fee-for-service"].std() > 0)
    (0.0, True)
    """
    if enrolled < 1 or facility_years < 1:
        raise PaymentInputError("enrolled and facility_years must be 1 or more")
    positive("visits_per_person", visits_per_person)
    non_negative("cost_per_visit", cost_per_visit)
    non_negative("fee_per_visit", fee_per_visit)
    non_negative("capitation_rate", capitation_rate)
    share_of_one("capitation_share", capitation_share)
    positive("demand_spread", demand_spread)
    share_of_one("withheld_share", withheld_share)
    share_of_one("performance_probability", performance_probability)
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

    Parameters
    ----------
    simulation
        The result of :func:`simulate_risk`.

    Returns
    -------
    A DataFrame indexed by mechanism with ``spending_mean, spending_sd, margin_mean, margin_sd,
    loss_probability``.

    Examples
    --------
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
