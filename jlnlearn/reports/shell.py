"""Run a notebook's cells in this process, as a fresh kernel would: the warm engine's core.

A warm worker keeps its imports and its loaded data from one notebook to the
next, but nothing one notebook does reaches the next one:

- each notebook runs in a new IPython shell (its own namespace, display
  formatters, magics and history), in the notebook's own folder;
- the process state a notebook can change is put back afterwards: environment
  variables, the working directory, ``sys.path``, warning filters, pandas and
  NumPy options, plotly's default template and renderer and the templates
  registered; the random generators start from fresh entropy, as in a new
  kernel (the page's citations are a context variable, and the engine runs
  each notebook in a context of its own).

Outputs are recorded as nbformat outputs in the order they happen (streams,
displays, the value of the last expression, errors), so the executed
notebook, and the page made from it, are those a Jupyter kernel gives.
"""

from __future__ import annotations

import atexit
import builtins
import contextlib
import contextvars
import ctypes
import io
import os
import random
import signal
import sys
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import IPython.core.completer  # noqa: F401  its warning filters are set at import, as in a kernel
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.error import StdinNotImplementedError
from IPython.core.error import UsageError as MagicError
from IPython.core.interactiveshell import InteractiveShell
from nbformat.v4 import new_output
from traitlets.config import Config

#: What a kernel says when a cell calls input(); a report build has nobody to answer.
NO_INPUT = "raw_input was called, but this frontend does not support input requests."


class CellTimeout(BaseException):
    """A cell ran past its time limit (a BaseException, so ``except Exception`` cannot hide it)."""


class NeedsKernel(Exception):
    """The notebook uses something only a real Jupyter kernel provides (an unknown magic)."""


class Recording:
    """The outputs of the notebook being run, cell by cell, as a kernel's client records them."""

    def __init__(self) -> None:
        self.outputs: list = []
        self.clear_pending = False
        self.by_display_id: dict[str, list] = {}

    def start_cell(self, outputs: list) -> None:
        self.outputs, self.clear_pending = outputs, False

    def add(self, output) -> None:
        if self.clear_pending:
            self.outputs.clear()
            self.clear_pending = False
        self.outputs.append(output)

    def stream(self, name: str, text: str) -> None:
        if not text:
            return
        last = self.outputs[-1] if self.outputs and not self.clear_pending else None
        if last is not None and last.output_type == "stream" and last.name == name:
            last.text += text
        else:
            self.add(new_output("stream", name=name, text=text))

    def display(self, data: dict, metadata: dict, transient: dict, update: bool) -> None:
        display_id = transient.get("display_id")
        if update:
            for output in self.by_display_id.get(display_id, []):
                output.data, output.metadata = data, metadata
            return
        output = new_output("display_data", data=data, metadata=metadata)
        self.add(output)
        if display_id:
            self.by_display_id.setdefault(display_id, []).append(output)

    def result(self, data: dict, metadata: dict, execution_count: int) -> None:
        self.add(new_output("execute_result", data=data, metadata=metadata, execution_count=execution_count))

    def error(self, name: str, value: str, traceback: list[str]) -> None:
        self.add(new_output("error", ename=name, evalue=value, traceback=traceback))

    def clear(self, wait: bool) -> None:
        if wait:
            self.clear_pending = True
        else:
            self.outputs.clear()


class RecordedStream(io.TextIOBase):
    """``sys.stdout`` or ``sys.stderr`` while a cell runs: what is written becomes a stream output."""

    def __init__(self, recording: Recording, name: str) -> None:
        super().__init__()
        self.recording, self.stream_name = recording, name

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.recording.stream(self.stream_name, text)
        return len(text)

    @property
    def encoding(self) -> str:
        return "utf-8"


def new_shell(recording: Recording):
    """A new IPython shell whose displays, results and errors go to ``recording``."""
    class RecordingPublisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
            recording.display(data, metadata or {}, transient or {}, update)

        def clear_output(self, wait=False):
            recording.clear(wait)

    class RecordingDisplayHook(DisplayHook):
        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            recording.result(format_dict, md_dict or {}, self.shell.execution_count)

        def finish_displayhook(self):
            pass

    class RecordingShell(InteractiveShell):
        displayhook_class = RecordingDisplayHook
        display_pub_class = RecordingPublisher

        def _showtraceback(self, etype, evalue, stb):
            recording.error(etype.__name__, str(evalue), stb)

        def show_usage_error(self, exc):
            recording.error(type(exc).__name__, str(exc), [f"UsageError: {exc}"])

        def enable_gui(self, gui=None):
            pass

    InteractiveShell.clear_instance()
    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.warn_venv = False
    config.InteractiveShell.colors = "nocolor"
    return RecordingShell.instance(config=config)


def refuse_input(*args: Any, **kwargs: Any) -> str:
    """``input()`` in a report build: nobody is there to answer, as in a kernel without a front end."""
    raise StdinNotImplementedError(NO_INPUT)


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`CellTimeout` in this thread if the block runs longer than ``seconds``.

    In the main thread, an alarm signal; in another thread (a Dask worker's), a
    timer that raises the exception in this thread between two bytecodes.
    """
    if threading.current_thread() is threading.main_thread():
        def on_alarm(signum, frame):
            raise CellTimeout(seconds)

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    ident, lock, running = threading.get_ident(), threading.Lock(), [True]

    def interrupt() -> None:
        with lock:
            if running[0]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(CellTimeout))

    timer = threading.Timer(seconds, interrupt)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            running[0] = False
            timer.cancel()
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), None)  # drop one not yet raised


def pandas_options() -> dict[str, Any]:
    """Every pandas option and its value, read through ``pd.options``."""
    found: dict[str, Any] = {}

    def walk(group: Any, prefix: str) -> None:
        for name in dir(group):
            value = getattr(group, name)
            if type(value).__name__ == "DictWrapper":
                walk(value, f"{prefix}{name}.")
            else:
                found[f"{prefix}{name}"] = value

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # reading a deprecated option warns
        walk(pd.options, "")
    return found


@contextlib.contextmanager
def process_state_kept(folder: Path) -> Iterator[None]:
    """Run the block in ``folder``; afterwards, put back what a notebook can change in this process."""
    environ, cwd, path, argv = dict(os.environ), os.getcwd(), list(sys.path), list(sys.argv)
    main_module = sys.modules.get("__main__")  # an IPython shell installs its own
    streams = sys.stdout, sys.stderr, builtins.input
    options, numpy_errors, numpy_print = pandas_options(), np.geterr(), np.get_printoptions()
    template, renderer = pio.templates.default, pio.renderers.default
    templates = dict(pio.templates._templates)  # by name; not yet loaded ones as plotly's placeholder
    random.seed()
    np.random.seed()
    os.chdir(folder)
    try:
        with warnings.catch_warnings():
            yield
    finally:
        sys.stdout, sys.stderr, builtins.input = streams
        os.chdir(cwd)
        sys.path[:], sys.argv[:] = path, argv
        if main_module is not None:
            sys.modules["__main__"] = main_module
        if dict(os.environ) != environ:
            os.environ.clear()
            os.environ.update(environ)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for name, value in pandas_options().items():
                if name in options and options[name] != value:
                    pd.set_option(name, options[name])
        np.seterr(**numpy_errors)
        np.set_printoptions(**numpy_print)
        registered = pio.templates._templates
        for name in set(registered) - set(templates):
            del registered[name]
        for name, original in templates.items():  # a template loaded on first use may stay loaded
            if registered.get(name) is not original and isinstance(original, go.layout.Template):
                registered[name] = original
        if pio.templates.default != template:  # setting it validates the template: about 40 ms
            pio.templates.default = template
        if pio.renderers.default != renderer:
            pio.renderers.default = renderer


def run_cells(notebook, folder: Path, cell_timeout: float) -> tuple[int | None, str | None]:
    """Execute ``notebook``'s code cells in place, in ``folder``; stop at the first error.

    Each code cell gets its execution count and outputs as a kernel would give
    them; empty cells are not run. Returns the failing cell's execution count
    and ``"Name: message"``, or ``(None, None)``.

    Raises
    ------
    NeedsKernel
        When a cell uses a magic the in-process shell does not know.
    """
    recording = Recording()
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    with process_state_kept(folder):
        shell = new_shell(recording)
        sys.stdout, sys.stderr = RecordedStream(recording, "stdout"), RecordedStream(recording, "stderr")
        builtins.input = refuse_input
        try:
            for cell in notebook.cells:
                if cell.cell_type != "code" or not cell.source.strip():
                    continue
                recording.start_cell(cell.outputs)
                count = shell.execution_count
                cell.execution_count = count
                try:
                    with time_limit(cell_timeout):
                        outcome = shell.run_cell(cell.source, store_history=True)
                    error = outcome.error_before_exec or outcome.error_in_exec
                except CellTimeout as stall:
                    error = stall
                if isinstance(error, CellTimeout):
                    return count, f"CellTimeout: the cell ran longer than {cell_timeout:g} s"
                if isinstance(error, MagicError):
                    raise NeedsKernel(str(error))
                if error is not None:
                    return count, f"{type(error).__name__}: {error}"
            return None, None
        finally:
            atexit.unregister(shell.atexit_operations)  # else every old shell, and its namespace, stays alive
            type(shell).clear_instance()


def run_notebook(notebook, folder: Path, cell_timeout: float) -> tuple[int | None, str | None]:
    """:func:`run_cells` in a context of its own: what the notebook keeps in context variables (the
    citations of its page) starts empty and ends with it, as in a new kernel."""
    return contextvars.Context().run(run_cells, notebook, folder, cell_timeout)
