"""Warm worker processes: each prepares its engine once, then runs one task after another.

The build's process hands a worker one task at a time over a pipe, with the
build's environment variables and log file, and gets its
:class:`~jlnlearn.reports.run.Outcome` back; it writes the files itself. So one
pool can serve several builds (the test suite shares one), each seeing its
own environment and writing its own ``build.log``.
A worker is replaced after :data:`RECYCLE_AFTER` tasks and after any task
that failed, so what a notebook may have left in its process (module state
no restore can know of) does not last. A worker that dies (``kill -9``, the
out-of-memory killer) fails the task it was running, with the reason, and the
build goes on with a new worker; one that runs a task longer than the time
limit is stopped, and its task fails. A worker whose build's process has
gone (killed, or crashed) exits at once, in the middle of a page, which no one
would write; a kernel it started follows it, as Jupyter kernels exit with
their parent.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import select
import signal
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from jlnlearn.reports.plan import Task
from jlnlearn.reports.run import WARM_IMPORTS, Outcome, engine_named, failed_outcome

#: Tasks a worker runs before it is replaced by a fresh one.
RECYCLE_AFTER = 100
#: Longest a worker may spend on one task before it is stopped (a hang no cell time limit caught).
TASK_TIME_LIMIT = 900.0
#: Workers that may die while starting before the build gives up on starting more.
MOST_FAILED_STARTS = 3
#: How a worker exits when the build's process is gone (as a process stopped by SIGTERM does).
ORPHANED_EXIT = 143
#: Imported once, by the process workers are forked from, so that a new worker starts in a blink.
PRELOAD = (*WARM_IMPORTS, "jlnlearn.reports.run")


def log_to(log: Path) -> None:
    """Send this process's (and its kernels') console chatter to ``log``, not the terminal."""
    descriptor = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    sys.stderr.flush()
    os.dup2(descriptor, 2)
    os.close(descriptor)


@contextlib.contextmanager
def build_context(environment: dict[str, str], log: Path) -> Iterator[None]:
    """Run a task with its build's environment variables and log; put the worker's own back after."""
    own = dict(os.environ)
    os.environ.clear()
    os.environ.update(environment)
    log_to(log)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(own)


def alive(pid: int) -> bool:
    """Whether process ``pid`` still exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def exit_when_gone(pid: int) -> None:
    """Exit this process at once when process ``pid`` ends, from a thread that waits for it."""
    def watch() -> None:
        try:
            descriptor = os.pidfd_open(pid)  # Linux: woken the moment it ends
        except ProcessLookupError:
            os._exit(ORPHANED_EXIT)
        except (AttributeError, OSError):  # elsewhere: look every second
            while alive(pid):
                time.sleep(1)
        else:
            select.select([descriptor], [], [])
        os._exit(ORPHANED_EXIT)

    threading.Thread(target=watch, name="jlnlearn-orphan-watch", daemon=True).start()


def worker_main(connection: Connection, log: Path, engine_name: str, environment: dict[str, str],
                build_pid: int) -> None:
    """A worker's life: prepare the engine, say so, then run tasks until told to stop or orphaned."""
    exit_when_gone(build_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds: a kernel engine shuts its kernel
    os.environ.clear()
    os.environ.update(environment)
    sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False, buffering=1)  # noqa: SIM115
    log_to(log)
    try:
        engine = engine_named(engine_name)
        engine.warm_up()
    except Exception:
        connection.send(("broken", traceback.format_exc(limit=3).strip().splitlines()[-1]))
        return
    connection.send(("ready", None))
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return  # the build has gone: take no more work
        if message is None:
            return
        task, environment, task_log = message
        with build_context(environment, task_log):
            outcome = engine.run(task)
        connection.send(("done", outcome))


@dataclass
class Worker:
    """One worker process as the build sees it."""

    process: multiprocessing.process.BaseProcess
    connection: Connection
    ready: bool = False
    task: Task | None = None
    started: float = 0.0
    done: int = 0
    stopping: bool = False


def death_reason(exitcode: int | None) -> str:
    """How a worker process ended, in words.

    >>> death_reason(-9), death_reason(1)
    ('was stopped by SIGKILL (out of memory, or killed)', 'exited with code 1')
    """
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        hint = " (out of memory, or killed)" if name == "SIGKILL" else ""
        return f"was stopped by {name}{hint}"
    return f"exited with code {exitcode}"


class WorkerPool:
    """Up to ``jobs`` warm worker processes running ``engine``; :meth:`run` yields outcomes as tasks finish.

    Workers start with the first tasks and stay for the next :meth:`run`
    until :meth:`close` (or the end of a ``with`` block). ``log`` receives
    what workers print while they start; they start with ``environment``
    (default: this process's, now), and run each task with its build's.
    """

    def __init__(self, jobs: int, log: Path, engine: str, recycle_after: int = RECYCLE_AFTER,
                 time_limit: float = TASK_TIME_LIMIT, environment: dict[str, str] | None = None) -> None:
        self.jobs, self.log, self.engine = jobs, log, engine
        self.environment = dict(os.environ) if environment is None else environment
        self.recycle_after, self.time_limit = recycle_after, time_limit
        # Workers fork from a clean server process that imported PRELOAD once (not from this
        # process, which may hold threads): a replacement worker costs only its data loading.
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(list(PRELOAD))
        self.workers: list[Worker] = []
        self.failed_starts = 0

    def start_worker(self) -> None:
        ours, theirs = self.context.Pipe()
        process = self.context.Process(target=worker_main, name="jlnlearn-worker", daemon=True,
                                       args=(theirs, self.log, self.engine, self.environment, os.getpid()))
        process.start()
        theirs.close()
        self.workers.append(Worker(process, ours))

    def retire(self, worker: Worker) -> None:
        """Ask a worker to exit after its task; it is joined when it has."""
        worker.stopping = True
        try:
            worker.connection.send(None)
        except OSError:
            pass

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def run(self, tasks: Sequence[Task], log: Path) -> Iterator[Outcome]:
        """Run every task with this process's environment, printing to ``log``; yield each outcome.

        A task whose worker died or overran comes back as a failure; if the
        caller stops early (Ctrl-C), every worker is stopped.
        """
        pending = deque(tasks)
        wanted = min(self.jobs, len(pending))
        environment = dict(os.environ)
        finished = False
        try:
            while pending or any(w.task for w in self.workers):
                live = [w for w in self.workers if not w.stopping]
                for _ in range(min(wanted, len(pending) + sum(1 for w in live if w.task)) - len(live)):
                    self.start_worker()
                for worker in self.workers:
                    if worker.ready and worker.task is None and not worker.stopping and pending:
                        worker.task, worker.started = pending.popleft(), time.monotonic()
                        worker.connection.send((worker.task, environment, log))
                yield from self.collect(pending)
            finished = True
        finally:
            if not finished:
                self.close(now=True)

    def collect(self, pending: deque) -> Iterator[Outcome]:
        """Wait for news from the workers; yield the outcomes it brings."""
        waiting = [w.connection for w in self.workers] + [w.process.sentinel for w in self.workers]
        wait(waiting, timeout=1.0)
        for worker in list(self.workers):
            message = None
            try:
                if worker.connection.poll():
                    message = worker.connection.recv()
            except (EOFError, OSError):
                message = None
            if message is not None:
                kind, payload = message
                if kind == "ready":
                    worker.ready = True
                elif kind == "broken":  # every worker would fail the same way: say so for each task
                    while pending:
                        yield failed_outcome(pending.popleft(), f"a worker could not start: {payload}")
                    self.retire(worker)
                else:
                    worker.task, worker.done = None, worker.done + 1
                    if payload.result.error or worker.done >= self.recycle_after:
                        self.retire(worker)
                    yield payload
                continue
            overdue = worker.task is not None and time.monotonic() - worker.started > self.time_limit
            if overdue:
                worker.process.kill()
                worker.process.join()
            if not worker.process.is_alive():
                self.workers.remove(worker)
                worker.connection.close()
                if worker.task is not None:
                    reason = (f"it ran longer than {self.time_limit:g} s and its worker was stopped" if overdue
                              else "the worker running it " + death_reason(worker.process.exitcode))
                    yield failed_outcome(worker.task, reason, time.monotonic() - worker.started)
                elif not worker.ready and not worker.stopping:
                    self.failed_starts += 1
                    if self.failed_starts >= MOST_FAILED_STARTS:
                        while pending:
                            yield failed_outcome(pending.popleft(), "the workers could not start: the last "
                                                 + death_reason(worker.process.exitcode))

    def close(self, now: bool = False) -> None:
        """Stop every worker: idle ones are asked to exit; busy ones too, or, ``now``, terminated."""
        for worker in self.workers:
            self.retire(worker)
            if now and worker.task is not None:
                worker.process.terminate()
        deadline = time.monotonic() + 5
        for worker in self.workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.connection.close()
        self.workers.clear()
