"""Where a build's notebooks run: this machine's warm worker processes, or a Dask cluster.

:class:`Options` says how a build runs (how many workers, which engine,
which cluster, whether to rebuild what is up to date); :func:`runner` turns
them into the function the outputs' jobs are run by
(:attr:`jlnlearn.reports.outputs.Context.run`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from jlnlearn.reports.plan import NOTEBOOKS_DIR, Task
from jlnlearn.reports.pool import WorkerPool
from jlnlearn.reports.run import DEFAULT_ENGINE, Outcome, engine_named

#: Runs tasks and yields each one's outcome as it finishes.
Run = Callable[[Sequence[Task]], Iterator[Outcome]]


@dataclass(frozen=True)
class Options:
    """How a build runs, beside what it builds.

    ``jobs``: worker processes (default, the number of cores); ``engine``: the
    registered engine that runs the notebooks (``"warm"`` or ``"kernel"``,
    see :mod:`jlnlearn.reports.run`); ``scheduler``: a Dask scheduler's address,
    or ``"local"`` for a local cluster, to run there instead; ``workers``: a
    :class:`~jlnlearn.reports.pool.WorkerPool` to run in and leave running
    (its engine is used); ``force``: rebuild what is up to date;
    ``notebooks_dir``: where the notebooks are (default, the collection's).

    >>> Options(jobs=2).engine
    'warm'
    """

    jobs: int | None = None
    engine: str = DEFAULT_ENGINE
    scheduler: str | None = None
    workers: WorkerPool | None = None
    force: bool = False
    notebooks_dir: Path | None = None

    @property
    def notebooks(self) -> Path:
        return self.notebooks_dir or NOTEBOOKS_DIR

    def check(self) -> None:
        """Fail before any work for an unknown engine (a :class:`~jlnlearn.errors.UsageError` listing them)."""
        engine_named(self.engine)


@contextlib.contextmanager
def runner(options: Options, log: Path) -> Iterator[Run]:
    """The function that runs a build's tasks where ``options`` say, printing to ``log``; the
    workers it starts stop after the block (a pool given in ``options`` is left running)."""
    started: list[WorkerPool] = []

    def run(tasks: Sequence[Task]) -> Iterator[Outcome]:
        count = max(1, min(options.jobs or os.cpu_count() or 1, len(tasks)))
        if options.scheduler:
            from jlnlearn.reports import cluster  # needs the optional extra distributed

            yield from cluster.run_on_cluster(tasks, options.scheduler, options.engine, count)
            return
        pool = options.workers
        if pool is None:
            pool = WorkerPool(count, log, options.engine)
            started.append(pool)
        yield from pool.run(tasks, log)

    try:
        yield run
    finally:
        for pool in started:
            pool.close()
