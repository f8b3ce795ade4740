"""Build the same reports three ways in one run, then the whole collection, and print the figures.

- plain: for each page, the papermill CLI then the ``jupyter nbconvert --to html``
  CLI, one after the other (what a facilitator would script by hand);
- kernel: ``jlnlearn reports --engine kernel`` (a fresh kernel per notebook, in workers);
- warm: ``jlnlearn reports`` (the default: warm workers, a fresh IPython shell per notebook).

Then: a rebuild with nothing changed, one country's lessons, every country's
pages with the peak memory of the whole build (the command and all its workers),
how the time grows with the number of countries (a straight-line fit: the fixed
part and the part per country) and what that gives for every country of the WHO
health-expenditure data, in two languages, on one machine and on a cluster.

Usage: python benchmarks/bench_reports.py [--sample 2] [--jobs N] [--skip-plain]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import jlnlearn

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
BIN = Path(sys.executable).parent
#: Countries in the WHO Global Health Expenditure Database, and languages the collection is planned in.
WHO_COUNTRIES, LANGUAGES = 190, 2


def tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants, in MB (read from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry.name))
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total / 1024 ** 2


def run(command: list[str]) -> tuple[float, float]:
    """Wall seconds of ``command`` and the peak memory of its process tree (sampled every 0.1 s)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = [0.0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], tree_rss_mb(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    if process.wait() != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    sampler.join()
    return time.perf_counter() - start, peak[0]


def reports(*options: str) -> list[str]:
    return [str(BIN / "jlnlearn"), "reports", *options]


def plain_way(codes: list[str], notebooks: list[Path], work: Path) -> float:
    """Seconds for papermill then nbconvert, each from its command line, page after page."""
    start = time.perf_counter()
    for code in codes:
        for notebook in notebooks:
            executed = work / f"{code}-{notebook.name}"
            for command in ([str(BIN / "papermill"), str(notebook), str(executed), "-p", "country", code,
                             "--cwd", str(NOTEBOOKS), "--no-progress-bar"],
                            [str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)]):
                subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def fit_line(points: list[tuple[int, float]]) -> tuple[float, float]:
    """Least-squares ``seconds = fixed + per_country * countries``."""
    xs, ys = zip(*points, strict=True)
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sum((x - mean_x) ** 2 for x in xs)
    return mean_y - slope * mean_x, slope


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=2, help="countries for the three-way comparison (default 2)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="workers (default: the cores)")
    parser.add_argument("--skip-plain", action="store_true", help="leave out the slow plain way")
    args = parser.parse_args()
    everyone = jlnlearn.countries()
    sample = [c.iso3 for c in everyone[: args.sample]]
    lessons = jlnlearn.reports.plan.report_notebooks()
    jobs = ["--jobs", str(args.jobs)]
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        run(reports("--countries", sample[0], "--out", str(work / "warm-up"), *jobs))  # caches; not counted
        pages = len(sample) * len(lessons)
        spec = ",".join(sample)
        plain = None if args.skip_plain else plain_way(sample, lessons, work)
        kernel, _ = run(reports("--countries", spec, "--notebooks", "01,02,03,04,06", "--engine", "kernel",
                                "--out", str(work / "kernel"), *jobs))
        warm, _ = run(reports("--countries", spec, "--notebooks", "01,02,03,04,06", "--out", str(work / "warm"),
                              *jobs))
        rebuild = statistics.median(run(reports("--countries", spec, "--notebooks", "01,02,03,04,06",
                                                "--out", str(work / "warm"), *jobs))[0] for _ in range(5))
        one = statistics.median(run(reports("--countries", "PHL", "--out", str(work / f"one-{i}"), *jobs))[0]
                                for i in range(3))
        eight, _ = run(reports("--countries", ",".join(c.iso3 for c in everyone[:8]), "--out", str(work / "eight"),
                               *jobs))
        full, peak = run(reports("--out", str(work / "full"), *jobs))
        full_pages = sum(1 for _ in (work / "full").glob("**/*.html")) - len(everyone) - 1  # less the indexes

    print(f"{len(sample)} countries x {len(lessons)} lessons = {pages} pages on {os.cpu_count()} cores, "
          f"{args.jobs} workers (medians where repeated)")
    if plain is not None:
        print(f"  plain (papermill CLI + nbconvert CLI):  {plain:6.1f} s  {plain / pages:5.2f} s/page")
    print(f"  jlnlearn reports --engine kernel:       {kernel:6.1f} s  {kernel / pages:5.2f} s/page")
    print(f"  jlnlearn reports (warm engine):         {warm:6.1f} s  {warm / pages:5.2f} s/page")
    if plain is not None:
        print(f"  warm vs plain: {plain / warm:.1f}x faster; ", end="")
    print(f"warm vs kernel engine: {kernel / warm:.1f}x faster")
    print(f"  rebuild with nothing changed (the whole command): {rebuild:.2f} s")
    print(f"  one country's lessons (PHL, {len(lessons)} pages + start page): {one:.2f} s")
    print(f"every country: {len(everyone)} countries, {full_pages} pages in {full:.1f} s "
          f"({full / full_pages:.2f} s/page); peak memory of the build and its workers {peak / 1024:.2f} GB")
    fixed, per_country = fit_line([(1, one), (8, eight), (len(everyone), full)])
    print(f"  growth: {fixed:.1f} s fixed + {per_country:.2f} s per country (fit on 1, 8 and {len(everyone)})")
    countries = WHO_COUNTRIES * LANGUAGES
    print(f"  every WHO country ({WHO_COUNTRIES}) x 6 notebooks x {LANGUAGES} languages, this machine: "
          f"about {(fixed + per_country * countries) / 60:.1f} min")
    for workers in (8, 32):
        cluster = fixed + per_country * countries * args.jobs / workers
        print(f"  the same on a cluster of {workers} single-threaded workers like these cores: "
              f"about {cluster / 60:.1f} min")


if __name__ == "__main__":
    main()
