"""Build every country's report: notebooks run per country into offline HTML pages and an index.

:func:`build_reports` only sequences steps that live in the modules here:

- :mod:`~jlnlearn.build.plan`: what to build (tasks, their input hashes) and what is built already;
- :mod:`~jlnlearn.build.run`: engines behind one interface, and the pool of workers;
- :mod:`~jlnlearn.build.html`: the page shell, a notebook's page, the error page and the indexes;
- :mod:`~jlnlearn.build.files`: atomic writes and the clean-up of interrupted ones;
- :mod:`~jlnlearn.build.teaching`: the learner copy and the facilitator guide.

A failing notebook does not stop the others: its page shows the failing cell
and error, the index marks it, and the build reports it.

Output layout::

    OUT/index.html                   countries x notebooks, pairing packs, status, time, sources
    OUT/00_start_here.html           collection pages (notebooks without parameters)
    OUT/pairings/<ISO3-ISO3-topic>/  pairing packs, laid out like a country's folder
    OUT/build.log                    what the notebooks' kernels printed
    OUT/_static/plotly.min.js        one copy of plotly.js, loaded by relative path
    OUT/<ISO3>/index.html            the country's pages and sources
    OUT/<ISO3>/<notebook>.ipynb      the executed notebook
    OUT/<ISO3>/<notebook>.html       the page (code hidden, parameters dropped)
"""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jlnlearn.build.files import check_writable, remove_stale_temporaries
from jlnlearn.build.html import write_indexes, write_plotly_js
from jlnlearn.build.plan import (
    NOTEBOOKS_DIR,
    Result,
    Status,
    already_built,
    pairing_notebooks,
    plan_request,
)
from jlnlearn.build.run import DEFAULT_ENGINE, Progress, engine_named, run_tasks
from jlnlearn.data.loading import extra_folder
from jlnlearn.settings import EXTRA_DATA_ENV

__all__ = ["Build", "Result", "Status", "build_reports"]


@dataclass
class Build:
    """The outcome of :func:`build_reports`: every task's result, the time taken, the index page."""

    results: list[Result]
    seconds: float
    index: Path

    @property
    def failures(self) -> list[Result]:
        return [r for r in self.results if r.status == Status.FAILED]


def build_reports(country_spec: str = "all", notebook_spec: str = "all",
                  out: str | os.PathLike[str] = "build/reports", jobs: int | None = None,
                  force: bool = False, notebooks_dir: Path | None = None,
                  progress: Progress | None = None,
                  pairing: str | Sequence[str] | None = None, topic: str | None = None,
                  engine: str = DEFAULT_ENGINE) -> Build:
    """Build the reports into ``out``; a task whose inputs are unchanged since its last build is skipped.

    Parameters
    ----------
    country_spec
        ``"all"`` (the collaborative's countries first) or comma-separated
        ISO3 codes, names or aliases.
    notebook_spec
        ``"all"`` or comma-separated notebook names or number prefixes (``"06"``).
    out
        The output folder (created when missing).
    jobs
        Worker processes; default, the number of cores.
    force
        Rebuild even unchanged reports.
    notebooks_dir
        Where the notebooks are; default, the collection's ``notebooks/``.
    progress
        Called with the finished tasks and their number, for a progress bar.
    pairing, topic
        Two or three countries and a topic: build that pairing pack instead.
    engine
        The registered engine that runs the notebooks (see :mod:`jlnlearn.build.run`).

    Returns
    -------
    The :class:`Build`: results in task order, seconds, the index page.

    Raises
    ------
    UsageError, PairingError, UnknownCountryError
        For a request that cannot be built (an unknown engine too), before any work.
    """
    started = time.perf_counter()
    out = Path(out)
    folder = notebooks_dir or NOTEBOOKS_DIR
    extra = extra_folder()
    if extra is not None:  # workers and kernels run elsewhere: hand them the folder resolved here
        os.environ[EXTRA_DATA_ENV] = str(extra)
    tasks, notebooks = plan_request(folder, country_spec, notebook_spec, pairing, topic, extra)
    engine_named(engine)
    check_writable(out)
    remove_stale_temporaries(out)
    results, todo = already_built(tasks, out, force)
    write_plotly_js(out)
    results.update({(r.folder, r.stem): r for r in run_tasks(todo, out, jobs, engine, progress)})
    write_indexes(out, notebooks, [p.stem for p in pairing_notebooks(folder)], results,
                  datetime.date.today().isoformat())
    return Build([results[(t.folder, t.stem)] for t in tasks], time.perf_counter() - started,
                 out / "index.html")
