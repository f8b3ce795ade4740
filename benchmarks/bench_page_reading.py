"""How fast the tests read every page's text in Chromium: each shown in place of the last, against opening each.

The tests that check what every page says (no code, no ids, no English left on a
French page) read each page's text as a reader sees it, its folded parts unfolded,
with scripts off. Two ways are timed on the same pages, alternating, in one browser:

- opened:   the plain way, ``tests.conftest.texts_opened``: ``tab.goto`` the page's file, then read
            ``document.body.innerText``;
- in place: ``tests.conftest.read_pages``, which parses each page's HTML and shows it in
            place of the last in one tab (no navigation), then reads the same text.

Both must give the same text for every page; the script stops if they do not.

Usage: python benchmarks/bench_page_reading.py [--reports build/reports] [--pages 60] [--runs 3]
(after ``make reports``; Debian's chromium). Prints the median milliseconds a page and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.conftest import CHROMIUM, pages_in, read_pages, texts_opened  # noqa: E402  (after the repository is importable)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=Path, default=REPO / "build" / "reports")
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    paths = pages_in(options.reports, "[A-Z][A-Z][A-Z]/0*.html")[:options.pages]
    if not paths:
        sys.exit(f"no pages in {options.reports}: run make reports first")
    times: dict[str, list[float]] = {"opened": [], "in place": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        texts_opened(browser, paths[:3])  # the browser's first pages; not counted
        for _ in range(options.runs):
            for name, reader in (("opened", texts_opened), ("in place", read_pages)):
                start = time.perf_counter()
                texts = reader(browser, paths)
                times[name].append((time.perf_counter() - start) / len(paths))
                if name == "opened":
                    expected = texts
                elif texts != expected:
                    sys.exit(f"the two ways read different text: {[p.name for p in paths if texts[p] != expected[p]][:3]}")
        browser.close()
    opened = statistics.median(times["opened"])
    print(f"Reading {len(paths)} pages' text in Chromium, median of {options.runs} runs (same text both ways):")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:8}  {median * 1000:6.1f} ms a page  (min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f})"
              f"  {opened / median:4.1f}x faster than opened")


if __name__ == "__main__":
    main()
