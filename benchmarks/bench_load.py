"""How long a fresh kernel takes to get its tables: jlnlearn.load against plain pandas.

Each notebook run by papermill starts a new Python process, so what matters is
the cost of a cold process. Three ways are timed, alternating, as whole
processes (interpreter start included):

- plain:     pandas.read_csv of the CSV files, no checks, no types;
- validated: jlnlearn.load with an empty validation cache (full check);
- cached:    jlnlearn.load when the same content passed validation before.

Usage: python benchmarks/bench_load.py [--runs 7]
Prints the median seconds of each and the ratios to plain.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
TABLES = ["countries", "indicators", "population_age_sex", "payment_mechanisms"]

PLAIN = ("import pandas as pd\n"
         + "".join(f"pd.read_csv({str(DATA / f'{t}.csv')!r})\n" for t in TABLES))
JLNLEARN = "import jlnlearn\n" + "".join(f"jlnlearn.load({t!r})\n" for t in TABLES)


def timed(code: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    times: dict[str, list[float]] = {"plain": [], "validated": [], "cached": []}
    with tempfile.TemporaryDirectory() as warm_cache:
        warm = {**os.environ, "JLNLEARN_CACHE_DIR": warm_cache}
        timed(JLNLEARN, warm)  # fills the warm cache; not counted
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as empty_cache:
                cold = {**os.environ, "JLNLEARN_CACHE_DIR": empty_cache}
                times["plain"].append(timed(PLAIN, os.environ.copy()))
                times["validated"].append(timed(JLNLEARN, cold))
                times["cached"].append(timed(JLNLEARN, warm))
    plain = statistics.median(times["plain"])
    print(f"Loading {', '.join(TABLES)} in a fresh process, median of {runs} runs:")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:9}  {median:6.3f} s  (min {min(values):.3f}, max {max(values):.3f})"
              f"  {median / plain:5.2f}x plain")


if __name__ == "__main__":
    main()
