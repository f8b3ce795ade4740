"""Print the same pages to PDF two ways in one run, and print the figures.

- plain: one ``chromium --headless --print-to-pdf`` process per page, two at a
  time (what the build did before, and what a facilitator would script);
- ours: one Chromium for all the pages, two tabs at a time, over the DevTools
  protocol (:mod:`jlnlearn.reports.printing`).

Both print the same printable copies (each page set on A4, its links pointing
at its folder) of every page of the countries asked for, built first with
``jlnlearn reports``. Each way is timed ``--runs`` times, alternating; the
medians and their ratio are printed.

Usage: python benchmarks/bench_pdf.py [--countries PHL,KEN] [--runs 3]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jlnlearn.reports.outputs.pdf import printable_page
from jlnlearn.reports.printing import SWITCHES, Chromium, find_chromium, window_width

BIN = Path(sys.executable).parent
AT_ONCE = 2


def copies(out: Path, scratch: Path) -> list[Path]:
    """A printable copy of every page of every country built in ``out``."""
    found = []
    for number, page in enumerate(sorted(out.glob("[A-Z][A-Z][A-Z]/0*.html"))):
        copy = scratch / f"{number:03d}.html"
        copy.write_text(printable_page(page, "A4"), encoding="utf-8")
        found.append(copy)
    return found


def plain(chromium: str, pages: list[Path], scratch: Path) -> float:
    """One Chromium process per page, two at a time; the seconds taken."""
    plain_switches = [switch for switch in SWITCHES if switch != "--remote-debugging-pipe"]

    def one(page: Path) -> None:
        with tempfile.TemporaryDirectory(dir=scratch) as profile:
            subprocess.run([chromium, *plain_switches, f"--user-data-dir={profile}", "--no-pdf-header-footer",
                            f"--window-size={window_width('A4')},1000", f"--print-to-pdf={page.with_suffix('.pdf')}",
                            page.as_uri()], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(AT_ONCE) as pool:
        list(pool.map(one, pages))
    return time.perf_counter() - started


def ours(chromium: str, pages: list[Path]) -> float:
    """One Chromium for every page, two tabs at a time; the seconds taken (its start included)."""
    started = time.perf_counter()
    browser = Chromium(chromium)
    try:
        with concurrent.futures.ThreadPoolExecutor(AT_ONCE) as pool:
            for page, pdf in zip(pages, pool.map(lambda page: browser.print_pdf(page, "A4"), pages), strict=True):
                page.with_suffix(".ours.pdf").write_bytes(pdf)
    finally:
        browser.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--countries", default="PHL,KEN")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    chromium = find_chromium()
    with tempfile.TemporaryDirectory(prefix="jlnlearn-bench-pdf-") as folder:
        out, scratch = Path(folder) / "reports", Path(folder) / "scratch"
        scratch.mkdir()
        subprocess.run([str(BIN / "jlnlearn"), "reports", "--countries", args.countries, "--out", str(out)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pages = copies(out, scratch)
        times: dict[str, list[float]] = {"plain": [], "ours": []}
        for _ in range(args.runs):
            times["plain"].append(plain(chromium, pages, scratch))
            times["ours"].append(ours(chromium, pages))
    count = len(pages)
    print(f"{count} pages of {args.countries} printed to PDF on A4, {AT_ONCE} at a time, {args.runs} runs each")
    for name, label in [("plain", "one Chromium per PDF"), ("ours", "one Chromium, a tab per PDF")]:
        median = statistics.median(times[name])
        print(f"  {label:28} median {median:6.1f} s, {median / count:.2f} s a PDF "
              f"(runs: {', '.join(f'{t:.1f}' for t in times[name])})")
    print(f"  ours is {statistics.median(times['plain']) / statistics.median(times['ours']):.1f}x faster")


if __name__ == "__main__":
    main()
