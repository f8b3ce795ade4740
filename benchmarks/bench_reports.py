"""Build the same reports two ways in one run and compare.

- plain: for each country, the papermill CLI then the ``jupyter nbconvert --to
  html`` CLI, one after the other (what a facilitator would script by hand);
- ours: ``jlnlearn reports --force`` (parallel workers, one shared plotly.js);
- warm: ``jlnlearn reports`` again with nothing changed.

Also prints the page sizes (ours without the shared plotly.js, and the plain
pages) and the time per notebook against this machine's floor: a bare kernel
start, the notebook's imports and a shutdown.

Usage: python benchmarks/bench_reports.py [--countries 8] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jlnlearn

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "06_country_profile.ipynb"
BIN = Path(sys.executable).parent


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def floor_seconds(runs: int = 3) -> float:
    """Median of: start a kernel, run the notebook's imports, shut it down."""
    from jupyter_client import KernelManager

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        manager = KernelManager(kernel_name="python3")
        manager.start_kernel()
        client = manager.client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        client.execute_interactive("import jlnlearn\nfrom jlnlearn import charts\nfrom jlnlearn.lessons import profile",
                                   timeout=60)
        client.stop_channels()
        manager.shutdown_kernel(now=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def sizes(folder: Path, pattern: str) -> tuple[float, float]:
    found = [path.stat().st_size / 1024 for path in folder.glob(pattern)]
    return statistics.median(found), max(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--countries", type=int, default=8, help="how many countries (default 8)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="workers for ours")
    args = parser.parse_args()
    chosen = jlnlearn.countries()[: args.countries]
    spec = ",".join(c.iso3 for c in chosen)
    with tempfile.TemporaryDirectory() as work:
        plain_dir, ours_dir = Path(work) / "plain", Path(work) / "ours"
        plain_dir.mkdir()
        timed([str(BIN / "jlnlearn"), "reports", "--countries", chosen[0].iso3,
               "--out", str(Path(work) / "warm-up"), "--force"])  # fill caches; not counted

        start = time.perf_counter()
        for subject in chosen:
            executed = plain_dir / f"{subject.iso3}.ipynb"
            subprocess.run([str(BIN / "papermill"), str(NOTEBOOK), str(executed), "-p", "country",
                            subject.name, "--cwd", str(NOTEBOOK.parent), "--no-progress-bar"],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        plain = time.perf_counter() - start

        command = [str(BIN / "jlnlearn"), "reports", "--countries", spec, "--out", str(ours_dir),
                   "--jobs", str(args.jobs)]
        ours = timed([*command, "--force"])
        warm = timed(command)
        floor = floor_seconds()
        ours_median, ours_max = sizes(ours_dir, "*/06_country_profile.html")
        plain_median, plain_max = sizes(plain_dir, "*.html")
        shared_js = (ours_dir / "_static" / "plotly.min.js").stat().st_size / 1024 ** 2
        shutil.rmtree(plain_dir)

    n = len(chosen)
    print(f"{n} countries x 06_country_profile on {os.cpu_count()} cores, ours with {args.jobs} jobs")
    print(f"  plain (papermill CLI + nbconvert CLI, sequential): {plain:6.1f} s  ({plain / n:.2f} s/notebook)")
    print(f"  jlnlearn reports --force:                           {ours:6.1f} s  ({ours / n:.2f} s/notebook)")
    print(f"  speed-up: {plain / ours:.1f}x")
    print(f"  warm rebuild, nothing changed:                      {warm:6.2f} s")
    print(f"  floor per notebook (kernel start + imports + shutdown): {floor:.2f} s; "
          f"ours per notebook per worker: {ours * args.jobs / n:.2f} s")
    print(f"  page size, ours: median {ours_median:.0f} KB, largest {ours_max:.0f} KB "
          f"(+ one shared plotly.min.js of {shared_js:.1f} MB)")
    print(f"  page size, plain: median {plain_median:.0f} KB, largest {plain_max:.0f} KB "
          f"(and its charts are missing: nbconvert drops plotly's mimetype)")


if __name__ == "__main__":
    main()
