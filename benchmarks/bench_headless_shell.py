"""Chromium's headless shell against the full browser, on the same pages: CPU time and wall time a page.

Debian packages Chromium twice: ``chromium`` (the whole browser, which runs headless
with ``--headless``) and ``chromium-headless-shell`` (a build made only to run without
a screen). The browser tests and ``--pdf`` use the shell when it is installed. Two
kinds of work are timed with each, alternating, in one run:

- open:  each lesson page opened from its file in one browser context, until every
         chart on it is drawn (what most browser tests do first);
- print: each country brief printed to an A4 PDF by :class:`jlnlearn.reports.printing.Chromium`
         (what ``jlnlearn reports --pdf`` does), one tab at a time.

The CPU time counts every process the work starts (the browser and its helpers,
read from ``/proc`` ten times a second), since a test run on two cores is bound by
CPU rather than by waiting; the wall time is the work's own.

Usage: python benchmarks/bench_headless_shell.py [--reports build/reports] [--pages 12] [--runs 3]
(after ``make reports``; needs both of Debian's packages: apt-get install chromium chromium-headless-shell).
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import sync_playwright

from jlnlearn.reports.printing import Chromium

REPO = Path(__file__).resolve().parents[1]
TICK = os.sysconf("SC_CLK_TCK")
#: The JavaScript a page is waited on with: every chart on it drawn.
CHARTS_DRAWN = "[...document.querySelectorAll('.js-plotly-plot')].every(chart => chart.querySelector('.main-svg'))"


def descendants_cpu() -> dict[tuple[int, str], float]:
    """The CPU seconds so far of every process below this one, by (pid, start time)."""
    found: dict[int, tuple[int, str, float]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                fields = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            found[int(name)] = (int(fields[1]), fields[19], (int(fields[11]) + int(fields[12])) / TICK)
    children: dict[int, list[int]] = {}
    for pid, (parent, _, _) in found.items():
        children.setdefault(parent, []).append(pid)
    below, stack = {}, list(children.get(os.getpid(), []))
    while stack:
        pid = stack.pop()
        _, started, seconds = found[pid]
        below[(pid, started)] = seconds
        stack.extend(children.get(pid, []))
    return below


def measured(work: Callable[[], None]) -> tuple[float, float]:
    """``work()``'s wall seconds and the CPU seconds of this process and every process it started."""
    seen: dict[tuple[int, str], float] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            seen.update(descendants_cpu())

    before = os.times()
    sampler = threading.Thread(target=sample, daemon=True)
    start = time.perf_counter()
    sampler.start()
    work()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    after = os.times()
    own = (after.user - before.user) + (after.system - before.system)
    return wall, own + sum(seen.values())


def open_pages(executable: str, pages: list[Path]) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context()
        for path in pages:
            tab = context.new_page()
            tab.goto(path.as_uri())
            tab.wait_for_function(CHARTS_DRAWN)
            tab.close()
        browser.close()


def print_pages(executable: str, pages: list[Path]) -> None:
    browser = Chromium(executable)
    try:
        for path in pages:
            browser.print_pdf(path, "A4")
    finally:
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=Path, default=REPO / "build" / "reports")
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    browsers = {"full browser": shutil.which("chromium"), "headless shell": shutil.which("chromium-headless-shell")}
    if None in browsers.values():
        sys.exit("needs both chromium and chromium-headless-shell on PATH (apt-get install chromium "
                 "chromium-headless-shell)")
    lessons = sorted(p for p in options.reports.glob("[A-Z][A-Z][A-Z]/0[1-4]_*.html")
                     if not p.name.endswith("-slides.html"))[:options.pages]
    briefs = sorted(options.reports.glob("[A-Z][A-Z][A-Z]/06_country_profile.html"))[:options.pages]
    if not lessons or not briefs:
        sys.exit(f"no lesson pages or briefs in {options.reports}: run make reports first")
    works = {"open": (open_pages, lessons), "print": (print_pages, briefs)}
    figures: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for _ in range(options.runs):
        for work, (run, pages) in works.items():
            for name, executable in browsers.items():
                wall, cpu = measured(functools.partial(run, executable, pages))
                figures.setdefault((work, name), []).append((wall / len(pages), cpu / len(pages)))
    print(f"Seconds a page, medians of {options.runs} runs ({len(lessons)} lesson pages opened until their charts "
          f"are drawn; {len(briefs)} briefs printed to PDF):")
    for work in works:
        full, shell = (figures[(work, name)] for name in browsers)
        for name, values in zip(browsers, (full, shell), strict=True):
            print(f"  {work:5}  {name:14}  CPU {statistics.median(v[1] for v in values):5.2f} s"
                  f"   wall {statistics.median(v[0] for v in values):5.2f} s")
        print(f"  {work:5}  the shell takes {statistics.median(v[1] for v in shell) / statistics.median(v[1] for v in full):.2f}x "
              f"the CPU and {statistics.median(v[0] for v in shell) / statistics.median(v[0] for v in full):.2f}x the wall time")


if __name__ == "__main__":
    main()
