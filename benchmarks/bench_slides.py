"""What slide decks add to a build: the same 8 countries' lessons built with and without ``--slides``.

Each run builds from nothing into a fresh folder, as a facilitator's first
build before a session would, alternating the two ways so that a busy machine
slows both alike. The decks come from the same notebook runs as the pages, so
their cost is turning each executed notebook into a deck and writing it.

Usage: python benchmarks/bench_slides.py [--runs 3] [--countries PHL,SEN,GHA,KEN,MLI,ZMB,IDN,VNM]
Prints the median seconds of each way and what the decks add, in seconds and per cent.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMAND = Path(sys.executable).parent / "jlnlearn"


def timed_build(countries: str, slides: bool) -> float:
    """Seconds of one build of ``countries``' lessons from nothing (with their decks if ``slides``)."""
    with tempfile.TemporaryDirectory() as out:
        command = [str(COMMAND), "reports", "--countries", countries, "--notebooks", "01,02,03,04,06",
                   "--out", out] + ["--slides"] * slides
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        seconds = time.perf_counter() - started
        if slides:
            assert len(list(Path(out).glob("*/*-slides.html"))) == 5 * len(countries.split(","))
        return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--countries", default="PHL,SEN,GHA,KEN,MLI,ZMB,IDN,VNM")
    options = parser.parse_args()
    timed_build(options.countries, False)  # warms the machine's caches; not counted
    times: dict[str, list[float]] = {"pages": [], "pages and decks": []}
    for _ in range(options.runs):
        times["pages"].append(timed_build(options.countries, False))
        times["pages and decks"].append(timed_build(options.countries, True))
    pages, both = statistics.median(times["pages"]), statistics.median(times["pages and decks"])
    count = 5 * len(options.countries.split(","))
    print(f"{count} pages of {options.countries}, from nothing, median of {options.runs} runs:")
    for name, values in times.items():
        print(f"  {name:16} {statistics.median(values):6.1f} s  (min {min(values):.1f}, max {max(values):.1f})")
    print(f"  the decks add   {both - pages:6.1f} s, {100 * (both - pages) / pages:.0f}% "
          f"({(both - pages) / count:.2f} s a deck)")


if __name__ == "__main__":
    main()
