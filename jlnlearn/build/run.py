"""Running tasks: engines behind one interface, and the pool of worker processes.

An :class:`Engine` executes one task's notebook into a file; its
:meth:`Engine.run` does the bookkeeping every engine shares (a temporary
file, the page, the manifest, the timing), so a new engine implements only
:meth:`Engine.execute_notebook` and registers itself with :func:`register`.
Today's engine, ``kernel``, runs each notebook in a fresh Jupyter kernel
through papermill.
"""

from __future__ import annotations

import concurrent.futures
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import ClassVar

from jlnlearn.build.files import temporary_beside, write_atomically
from jlnlearn.build.html import error_page, render_page
from jlnlearn.build.plan import Result, Status, Task, manifest_path
from jlnlearn.errors import UsageError
from jlnlearn.settings import STATIC_OUTPUT_ENV

#: Longest a single cell may run; a cell past it is treated as a stalled run.
CELL_TIMEOUT_SECONDS = 120
#: Runs of a notebook for one country before a stall counts as a failure.
ATTEMPTS = 2
#: How jupyter_client says a kernel died before it answered; such a start is tried again.
KERNEL_START_FAILURE = "before replying to kernel_info"
#: The engine a build uses unless told otherwise.
DEFAULT_ENGINE = "kernel"

#: Progress reporting: called with the finished futures and their number, returns them again.
Progress = Callable[[Iterable, int], Iterable]


class Engine:
    """How a task's notebook is executed; subclasses implement :meth:`execute_notebook`."""

    #: The name a build asks for this engine by.
    name: ClassVar[str]

    def execute_notebook(self, task: Task, target: str) -> tuple[int | None, str | None]:
        """Run the task's notebook into ``target``; return the failing cell and error, if any."""
        raise NotImplementedError

    def run(self, task: Task, out: Path) -> Result:
        """Execute the task and write its ``.ipynb``, its page and its manifest under ``out``."""
        import nbformat  # heavy (it validates with jsonschema): only in the worker that renders

        os.environ["PLOTLY_RENDERER"] = "plotly_mimetype"
        os.environ[STATIC_OUTPUT_ENV] = "1"  # live widgets are no use without a kernel
        folder = out / task.folder
        temporary = temporary_beside(folder, task.stem)
        started = time.perf_counter()
        cell, error = None, None
        try:
            cell, error = self.execute_notebook(task, temporary)
            notebook = nbformat.read(temporary, as_version=4)
            page = render_page(notebook, task, error, cell)
            os.chmod(temporary, 0o644)
            os.replace(temporary, folder / f"{task.stem}.ipynb")
        except Exception as failure:  # the notebook could not even start or be read
            Path(temporary).unlink(missing_ok=True)
            error = error or f"{type(failure).__name__}: {failure}"
            page = error_page(task, error)
        write_atomically(folder / f"{task.stem}.html", page)
        result = Result(task.folder, task.stem, Status.FAILED if error else Status.BUILT,
                        round(time.perf_counter() - started, 2), task.key, cell, error, task.label)
        write_atomically(manifest_path(out, task.folder, task.stem), json.dumps(asdict(result)))
        return result


ENGINES: dict[str, type[Engine]] = {}


def register(engine: type[Engine]) -> type[Engine]:
    """Make ``engine`` available to builds under its ``name`` (use as a class decorator)."""
    ENGINES[engine.name] = engine
    return engine


def engine_named(name: str) -> Engine:
    """The registered engine called ``name``.

    Raises
    ------
    UsageError
        For a name no engine is registered under, listing the valid ones.

    Examples
    --------
    >>> engine_named("kernel").name
    'kernel'
    """
    if name not in ENGINES:
        raise UsageError(f"unknown engine {name!r} (valid: {', '.join(ENGINES)})")
    return ENGINES[name]()


@register
class KernelEngine(Engine):
    """Each notebook in a fresh Jupyter kernel, through papermill.

    A cell that runs longer than :data:`CELL_TIMEOUT_SECONDS` (seen here when a
    kernel reply goes missing: the kernel idles while the client waits for
    ever) stops the run; such a stall, like a kernel that dies as it starts,
    is retried once before it counts.
    """

    name = "kernel"

    def execute_notebook(self, task: Task, target: str) -> tuple[int | None, str | None]:
        import papermill  # heavy: imported by the workers that run notebooks, not by the CLI
        from nbclient.exceptions import CellTimeoutError
        from papermill.exceptions import PapermillExecutionError

        for attempt in range(1, ATTEMPTS + 1):
            try:
                papermill.execute_notebook(
                    task.notebook, target, parameters=task.parameters,
                    kernel_name="python3", progress_bar=False, log_output=False,
                    cwd=str(task.notebook.parent), shutdown_kernel="immediate",
                    request_save_on_cell_execute=False, execution_timeout=CELL_TIMEOUT_SECONDS)
                return None, None
            except PapermillExecutionError as failure:
                return failure.exec_count, f"{failure.ename}: {failure.evalue}"
            except CellTimeoutError as stall:
                print(f"{task.folder or '.'} {task.stem}: attempt {attempt} stalled: {stall}", file=sys.stderr)
                if attempt == ATTEMPTS:
                    return None, f"a cell ran longer than {CELL_TIMEOUT_SECONDS} s, {ATTEMPTS} times"
            except RuntimeError as failure:  # a kernel that dies as it starts, as under load
                if KERNEL_START_FAILURE not in str(failure):
                    raise
                print(f"{task.folder or '.'} {task.stem}: attempt {attempt}: {failure}", file=sys.stderr)
                if attempt == ATTEMPTS:
                    return None, f"the kernel did not start, {ATTEMPTS} times: {failure}"
        return None, None


def run_task(task: Task, out: Path, engine: str = DEFAULT_ENGINE) -> Result:
    """Run one task with the named engine (in a worker process)."""
    return engine_named(engine).run(task, out)


def quiet_worker(log: Path) -> None:
    """Send a worker's (and its kernels') console chatter to the build log, not the terminal."""
    descriptor = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(descriptor, 2)
    os.close(descriptor)


def run_tasks(tasks: Sequence[Task], out: Path, jobs: int | None, engine: str = DEFAULT_ENGINE,
              progress: Progress | None = None) -> list[Result]:
    """Run ``tasks`` in parallel worker processes; their results, in the order they finish.

    What the workers and their kernels print goes to ``OUT/build.log``.
    """
    if not tasks:
        return []
    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    log = out.resolve() / "build.log"
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                                initializer=quiet_worker, initargs=(log,)) as pool:
        futures = [pool.submit(run_task, task, out.resolve(), engine) for task in tasks]
        done = concurrent.futures.as_completed(futures)
        return [future.result() for future in (progress(done, len(futures)) if progress else done)]
