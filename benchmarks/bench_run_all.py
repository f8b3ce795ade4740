"""How long Run All takes in a live kernel, lesson by lesson, where JupyterLab is installed.

A learner in JupyterLab (or on Binder) opens a lesson, whose kernel is already
running, and runs all its cells. This starts a kernel for each lesson in this
environment (``make test``'s, which has JupyterLab, as Binder's has), waits for
it to be ready (not counted, as in JupyterLab), then times running every cell,
the first figure's cost included. Two ways, alternating, each run in a new kernel:

- first: the first kernel on a machine, whose data are validated for the first
  time (an empty ``JLNLEARN_CACHE_DIR``);
- later: every later kernel, which finds the data validated before.

Usage: python benchmarks/bench_run_all.py [--runs 3] [--lessons 01,02,03,04,06]
Prints the median seconds of each lesson both ways, against the 8 s a learner should wait at most.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
TARGET = 8.0


def run_all_seconds(path: Path, cache: str) -> float:
    """Seconds to run every cell of ``path`` in a kernel that has already started (with ``cache``)."""
    os.environ["JLNLEARN_CACHE_DIR"] = cache  # the kernel inherits it
    notebook = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as folder:  # where the kernel runs: a form's file would go there
        client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                                resources={"metadata": {"path": folder}})
        with client.setup_kernel():
            started = time.perf_counter()
            for index, cell in enumerate(notebook.cells):
                client.execute_cell(cell, index)
            return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lessons", default="01,02,03,04,06")
    options = parser.parse_args()
    print(f"Run All in a started kernel, median of {options.runs} runs (each in a new kernel), "
          f"target {TARGET:.0f} s:")
    with tempfile.TemporaryDirectory() as warm:
        for prefix in options.lessons.split(","):
            path = next(NOTEBOOKS.glob(f"{prefix}_*.ipynb"))
            run_all_seconds(path, warm)  # fills the later runs' cache; not counted
            first, later = [], []
            for _ in range(options.runs):
                with tempfile.TemporaryDirectory() as empty:
                    first.append(run_all_seconds(path, empty))
                later.append(run_all_seconds(path, warm))
            print(f"  {path.stem:26} first kernel {statistics.median(first):5.1f} s, "
                  f"later {statistics.median(later):5.1f} s"
                  f"{'' if max(statistics.median(first), statistics.median(later)) <= TARGET else '  OVER'}")


if __name__ == "__main__":
    main()
