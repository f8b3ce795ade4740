"""How validating a big folder of extra rows scales: seconds and peak memory.

A facilitator's extra folder can hold a very large table (an export from a
national system). ``jlnlearn validate FOLDER`` should take time in proportion
to its rows and keep memory flat. Two ways are timed, each in a fresh process,
on the same generated ``reforms.csv`` (about 200 bytes a row, every row valid,
checked together with the shipped rows):

- plain:    Frictionless's own validator on that file alone (types,
            constraints, the primary key; no foreign keys, no rules of ours);
- jlnlearn: ``jlnlearn validate FOLDER`` (all of that, plus foreign keys into
            the shipped countries and sources, quotes, list references).

Usage: python benchmarks/bench_validate_large.py [--rows 100000 1000000]
Prints seconds and peak resident memory (MB) of each, per size.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"

#: Runs ``code`` and prints seconds and peak memory of this process, in MB.
MEASURED = """
import resource, sys, time
start = time.perf_counter()
{code}
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{{time.perf_counter() - start:.1f}} {{peak:.0f}} {{problems}}")
"""
JLNLEARN = ("from jlnlearn.data.validation import validate\n"
            "problems = len(validate({folder!r}))")
PLAIN = ("import frictionless, json\n"
         "descriptor = json.load(open({descriptor!r}))\n"
         "table = next(r for r in descriptor['resources'] if r['name'] == 'reforms')\n"
         "schema = {{k: v for k, v in table['schema'].items() if k != 'foreignKeys'}}\n"
         "report = frictionless.Resource(path='reforms.csv', basepath={folder!r}, schema=frictionless.Schema.from_descriptor(schema))"
         ".validate(limit_errors=10**9)\n"
         "problems = len(report.flatten(['type']))")


def write_reforms(path: Path, rows: int) -> None:
    """``rows`` valid reform rows citing a shipped country and source, with a quote."""
    with open(DATA / "reforms.csv", encoding="utf-8", newline="") as stream:
        template = next(csv.DictReader(stream))
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(template), lineterminator="\n")
        writer.writeheader()
        for number in range(rows):
            writer.writerow({**template, "reform_id": f"{template['iso3']}-extra-{number}",
                             "description": f"Reform number {number} of a national export, "
                                            "written as a facilitator's system would write it",
                             "quote": "The source's own words for this reform, copied exactly "
                                      "as it printed them, no more than a line"})


def measured(code: str) -> tuple[float, float, int]:
    out = subprocess.run([sys.executable, "-c", MEASURED.format(code=code)],
                         capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    sizes = parser.parse_args().rows
    print(f"{'rows':>10}  {'MB on disk':>10}  {'way':8}  {'seconds':>8}  {'peak MB':>8}  problems")
    for rows in sizes:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "reforms.csv"
            write_reforms(path, rows)
            size = path.stat().st_size / 1e6
            ways = {"plain": PLAIN.format(descriptor=str(DATA / "datapackage.json"), folder=folder),
                    "jlnlearn": JLNLEARN.format(folder=folder)}
            for way, code in ways.items():
                seconds, peak, problems = measured(code)
                print(f"{rows:>10,}  {size:>10.0f}  {way:8}  {seconds:>8.1f}  {peak:>8.0f}  {problems}",
                      flush=True)


if __name__ == "__main__":
    main()
