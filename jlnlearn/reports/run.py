"""Running tasks: engines behind one interface, and where they run.

An :class:`Engine` executes one task's notebook and returns it executed;
:meth:`Engine.run` does what every engine shares (the task's language and
extra rows set for the time it runs, the page, the timing, the result) and
returns an :class:`Outcome`: the result and the files made from the run, as
bytes. The build's own process writes them through its outputs (see
:mod:`jlnlearn.reports.outputs`), so a worker never writes into the output
folder, and one on another machine (see :mod:`jlnlearn.reports.cluster`) need
not see it.

Two engines are registered:

- ``warm`` (the default): the notebook's cells run in the worker's own
  process, in a fresh IPython shell (:mod:`jlnlearn.reports.shell`), with the
  imports and data the worker loaded once; papermill still injects the
  parameters. A notebook whose metadata asks for ``"jlnlearn": {"engine":
  "kernel"}``, or that uses a magic the shell does not know, runs through the
  ``kernel`` engine instead.
- ``kernel``: each notebook in a fresh Jupyter kernel, through papermill.

The worker processes that run the engines are in :mod:`jlnlearn.reports.pool`.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import nbformat
import papermill
from nbclient.exceptions import CellTimeoutError
from papermill.exceptions import PapermillExecutionError
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

from jlnlearn.data import schema
from jlnlearn.data.loading import load
from jlnlearn.errors import UsageError, echoed
from jlnlearn.reports.pages import error_page, render_page
from jlnlearn.reports.plan import Result, Status, Task
from jlnlearn.reports.shell import NeedsKernel, run_notebook
from jlnlearn.settings import EXTRA_DATA_ENV, LANG_ENV, STATIC_OUTPUT_ENV

#: Longest a single cell may run; a cell past it is treated as a stalled run.
CELL_TIMEOUT_SECONDS = 120
#: Runs of a notebook for one country before a stall counts as a failure (kernel engine).
ATTEMPTS = 2
#: How jupyter_client says a kernel died, or stayed silent, as it started; such a start is tried again.
KERNEL_START_FAILURES = ("before replying to kernel_info", "Kernel didn't respond in")
#: The engine a build uses unless told otherwise.
DEFAULT_ENGINE = "warm"
#: What every notebook of the collection imports: a warm worker imports it once.
WARM_IMPORTS = ("jlnlearn", "jlnlearn.charts", "jlnlearn.lesson", "jlnlearn.present", "jlnlearn.widgets",
                "jlnlearn.lessons.covid", "jlnlearn.lessons.journey", "jlnlearn.lessons.pairing",
                "jlnlearn.lessons.payment", "jlnlearn.lessons.phc", "jlnlearn.lessons.profile")


@dataclass(frozen=True)
class Outcome:
    """A task's result and the files it produced, by path relative to the output folder."""

    result: Result
    files: dict[str, bytes]


def error_shown(notebook: Any) -> tuple[int | None, str | None]:
    """The first code cell that ran but shows an error among its outputs (an object whose display
    failed: IPython prints the traceback and the cell goes on), as ``(execution count, "Name:
    message")``; ``(None, None)`` when none does. A page never shows a traceback as if it were content.

    >>> from nbformat.v4 import new_code_cell, new_notebook, new_output
    >>> shown = new_code_cell("table", execution_count=3, outputs=[new_output("error", ename="KeyError",
    ...                       evalue="'name'", traceback=[])])
    >>> error_shown(new_notebook(cells=[new_code_cell("x = 1"), shown]))
    (3, "KeyError: 'name' (while showing the cell's output)")
    """
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.output_type == "error":
                return cell.execution_count, f"{output.ename}: {output.evalue} (while showing the cell's output)"
    return None, None


def failed_outcome(task: Task, error: str, seconds: float = 0.0) -> Outcome:
    """The outcome of a task that could not run: an error page that says why."""
    result = Result(task.folder, task.stem, Status.FAILED, round(seconds, 2), task.key, None, error, task.label)
    return Outcome(result, {page_path(task): error_page(task, error).encode("utf-8")})


def page_path(task: Task | Result, suffix: str = ".html") -> str:
    """Where a task's page (or, with ``suffix=".ipynb"``, its executed notebook) goes, relative to OUT."""
    return str(Path(task.folder) / f"{task.stem}{suffix}")


@contextlib.contextmanager
def task_settings(task: Task) -> Iterator[None]:
    """Run the block in the task's language and with its extra rows, whatever this process had; put
    back what it had after (a worker serves the tasks of many builds, in any language).

    >>> task = Task("SEN", "Senegal", Path("01.ipynb"), "key", language="fr")
    >>> with task_settings(task):
    ...     os.environ["JLNLEARN_LANG"]
    'fr'
    >>> os.environ.get("JLNLEARN_LANG") is None
    True
    """
    wanted = {LANG_ENV: task.language, EXTRA_DATA_ENV: None if task.extra is None else str(task.extra)}
    saved = {name: os.environ.get(name) for name in wanted}

    def put(values: dict[str, str | None]) -> None:
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

    put(wanted)
    try:
        yield
    finally:
        put(saved)


class Engine:
    """How a task's notebook is executed; subclasses implement :meth:`execute`."""

    #: The name a build asks for this engine by.
    name: ClassVar[str]

    #: Set for every notebook a build runs: figures as data for the page, widgets as their static twins.
    ENVIRONMENT: ClassVar[dict[str, str]] = {"PLOTLY_RENDERER": "plotly_mimetype", STATIC_OUTPUT_ENV: "1"}

    def warm_up(self) -> None:
        """Prepare a worker process before its first task (an engine may import what it needs)."""
        os.environ.update(self.ENVIRONMENT)

    def execute(self, task: Task) -> tuple[object, int | None, str | None]:
        """Run the task's notebook; return it executed, and the failing cell and error, if any."""
        raise NotImplementedError

    def run(self, task: Task) -> Outcome:
        """Execute the task, in its language and with its extra rows; its page, its executed notebook
        and its result."""
        started = time.perf_counter()
        os.environ.update(self.ENVIRONMENT)
        try:
            with task_settings(task):
                notebook, cell, error = self.execute(task)
                if error is None:
                    cell, error = error_shown(notebook)
                executed = nbformat.writes(notebook)
                # the page is made from the notebook as written, as a reader of the .ipynb would see it
                page, downloads = render_page(nbformat.reads(executed, as_version=4), task, error, cell)
        except Exception as failure:  # the notebook could not even start or be read
            return failed_outcome(task, f"{type(failure).__name__}: {failure}", time.perf_counter() - started)
        result = Result(task.folder, task.stem, Status.FAILED if error else Status.BUILT,
                        round(time.perf_counter() - started, 2), task.key, cell, error, task.label)
        # UTF-8 with a byte-order mark, so that a spreadsheet reads accents right
        files = {str(Path(task.folder) / name): text.encode("utf-8-sig") for name, text in downloads.items()}
        return Outcome(result, {**files, page_path(task, ".ipynb"): executed.encode("utf-8"),
                                page_path(task): page.encode("utf-8")})


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
        raise UsageError(f"unknown engine {echoed(name)} (valid: {', '.join(ENGINES)})")
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

    def execute(self, task: Task) -> tuple[object, int | None, str | None]:
        with tempfile.TemporaryDirectory(prefix="jlnlearn-") as scratch:
            target = str(Path(scratch) / task.notebook.name)
            cell, error = self.execute_notebook(task, target)
            return nbformat.read(target, as_version=4), cell, error

    def execute_notebook(self, task: Task, target: str) -> tuple[int | None, str | None]:
        """Run the task's notebook through papermill into ``target``; the failing cell and error, if any."""
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
                if not any(sign in str(failure) for sign in KERNEL_START_FAILURES):
                    raise
                print(f"{task.folder or '.'} {task.stem}: attempt {attempt}: {failure}", file=sys.stderr)
                if attempt == ATTEMPTS:
                    return None, f"the kernel did not start, {ATTEMPTS} times: {failure}"
        return None, None


@register
class WarmEngine(Engine):
    """Each notebook in this process, in a fresh IPython shell, with the worker's imports and data kept.

    The parameters are injected by papermill, as for the kernel engine, so the
    executed notebook is the same papermill notebook. A cell that runs longer
    than :data:`CELL_TIMEOUT_SECONDS` fails the task with its cell number.
    """

    name = "warm"

    def warm_up(self) -> None:
        super().warm_up()
        for module in WARM_IMPORTS:
            importlib.import_module(module)
        for table in schema.table_names():
            load(table)  # validated once, then kept by the loader's cache

    def execute(self, task: Task) -> tuple[object, int | None, str | None]:
        notebook = load_notebook_node(str(task.notebook))  # papermill's reading: tags and metadata filled in
        if notebook.metadata.get("jlnlearn", {}).get("engine") == "kernel":
            return KernelEngine().execute(task)
        if task.parameters:
            notebook = parameterize_notebook(notebook, task.parameters)
        notebook.metadata.setdefault("papermill", {}).update(
            input_path=str(task.notebook), output_path=None)
        try:
            cell, error = run_notebook(notebook, task.notebook.parent, CELL_TIMEOUT_SECONDS)
        except NeedsKernel as reason:
            print(f"{task.folder or '.'} {task.stem}: run in a kernel ({reason})", file=sys.stderr)
            return KernelEngine().execute(task)
        return notebook, cell, error
