"""The risk simulator vectorised with NumPy against the same simulation as a Python loop.

Both draw gamma-distributed use rates and Poisson visits for each facility-year
and compute three mechanisms' spending and margins. Prints the median of
several runs of each and the ratio.

Usage: python benchmarks/bench_simulator.py [--facility-years 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import numpy as np

from jlnlearn.lessons.risk import simulate_risk

ARGS = {"enrolled": 5000, "visits_per_person": 3.0, "cost_per_visit": 4.0, "fee_per_visit": 4.0,
        "capitation_rate": 12.0, "capitation_share": 0.7, "demand_spread": 0.25}


def python_loop(facility_years: int) -> list[tuple[float, ...]]:
    """The plain way: one facility-year at a time with the standard library."""
    rng = random.Random(0)
    shape = 1 / ARGS["demand_spread"] ** 2
    rows = []
    for _ in range(facility_years):
        rate = rng.gammavariate(shape, ARGS["visits_per_person"] / shape)
        visits = float(np.random.poisson(rate * ARGS["enrolled"]))
        cost = visits * ARGS["cost_per_visit"]
        fee = ARGS["fee_per_visit"] * visits
        capitation = ARGS["capitation_rate"] * ARGS["enrolled"]
        blended = ARGS["capitation_share"] * capitation + (1 - ARGS["capitation_share"]) * fee
        rows.append((visits, cost, fee, fee - cost, capitation, capitation - cost, blended,
                     blended - cost))
    return rows


def median_seconds(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facility-years", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    n = args.facility_years
    ours = median_seconds(lambda: simulate_risk(**ARGS, facility_years=n), args.runs)
    plain = median_seconds(lambda: python_loop(n), max(1, args.runs // 2))
    print(f"{n:,} simulated facility-years, median of runs:")
    print(f"  jlnlearn.lessons.risk.simulate_risk (NumPy): {ours * 1000:8.1f} ms")
    print(f"  Python loop:                            {plain * 1000:8.1f} ms")
    print(f"  ratio: {plain / ours:.0f}x")


if __name__ == "__main__":
    main()
