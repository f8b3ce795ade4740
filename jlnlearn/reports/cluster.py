"""The same tasks on a Dask cluster: ``jlnlearn reports --scheduler ADDRESS`` (or ``local``).

Needs the optional extra: ``pip install 'jlnlearn[dask]'``. Every Dask worker
keeps one warm engine in a worker plugin (:class:`WarmWorker`), so it imports
the lessons and loads the data once. A task travels with its notebook's text
(a worker on another machine need not see this one's files) and comes back as
an :class:`~jlnlearn.reports.run.Outcome`, its page and notebook as bytes, which
the build's process writes. A worker that dies mid-task is replaced by the
cluster and the task tried again on another; a task that still cannot run is
reported failed, and the build goes on.

Workers must have the same jlnlearn and data as the build: a worker whose data
or code differ fails its tasks with a message saying so. A worker runs one
task at a time whatever its thread count (the notebooks change process-wide
state), so start workers with ``--nthreads 1`` and as many as there are cores.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
import tempfile
import threading
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import distributed

from jlnlearn.errors import UsageError
from jlnlearn.reports.plan import Task, inputs_digest
from jlnlearn.reports.run import Engine, Outcome, engine_named, failed_outcome

PLUGIN_NAME = "jlnlearn-warm-engine"
#: Imported by jsonschema's optional format checkers (with JupyterLab installed) at about 2 s, for
#: the ``iri`` format, which nothing a build validates uses: workers skip it, and jsonschema then
#: simply has no ``iri`` checker.
UNUSED_SLOW_IMPORTS = ("rfc3987_syntax",)
#: Seconds to wait for a scheduler to answer before the build gives up.
CONNECT_TIMEOUT = 30
#: Times the cluster may rerun a task whose worker died before it counts as failed.
RETRIES = 1


#: What a worker whose inputs differ from the build's says on each page it fails.
MISMATCH = ("this Dask worker's jlnlearn code, data, extra rows or translation catalogues differ from the "
            "build's: install the same jlnlearn, with the same data and extra rows, on every worker")


class WarmWorker(distributed.WorkerPlugin):
    """A Dask worker's warm engine, prepared once when the worker joins.

    ``digest`` is the build's :func:`~jlnlearn.reports.plan.inputs_digest`: each
    task runs only if the worker's own package, data, catalogues and the task's
    extra rows hash the same. The language and extra rows come with each task
    (see :func:`jlnlearn.reports.run.task_settings`), never from the worker's
    environment.
    """

    def __init__(self, engine: str, digest: str) -> None:
        self.engine_name, self.digest = engine, digest
        self.engine: Engine | None = None
        self.lock: threading.Lock | None = None
        self.digests: dict[Path | None, str] = {}

    def setup(self, worker: distributed.Worker) -> None:
        self.lock = threading.Lock()
        for name in UNUSED_SLOW_IMPORTS:
            sys.modules.setdefault(name, None)
        self.engine = engine_named(self.engine_name)
        self.engine.warm_up()

    def same_inputs(self, task: Task) -> bool:
        """Whether this worker's package, data and catalogues, with the task's extra rows, are the build's."""
        if task.extra not in self.digests:
            self.digests[task.extra] = inputs_digest(task.extra)
        return self.digests[task.extra] == self.digest

    def run(self, task: Task, notebook_text: str) -> Outcome:
        """Run one task on this worker, from the notebook's text if its file is not here as sent."""
        if self.engine is None:
            return failed_outcome(task, "the worker's engine is not ready")
        if not self.same_inputs(task):
            return failed_outcome(task, MISMATCH)
        with self.lock, tempfile.TemporaryDirectory(prefix="jlnlearn-") as scratch:
            here = task.notebook.is_file() and task.notebook.read_text(encoding="utf-8") == notebook_text
            if not here:
                copy = Path(scratch) / task.notebook.name
                copy.write_text(notebook_text, encoding="utf-8")
                task = dataclasses.replace(task, notebook=copy)
            return self.engine.run(task)


def run_on_worker(task: Task, notebook_text: str) -> Outcome:
    """The function a Dask worker runs for one task: its warm plugin does the work."""
    return distributed.get_worker().plugins[PLUGIN_NAME].run(task, notebook_text)


def run_on_cluster(tasks: Sequence[Task], scheduler: str, engine: str, workers: int) -> Iterator[Outcome]:
    """Connect to ``scheduler`` (``"local"``: start a local cluster of ``workers``) and run the tasks there.

    Raises
    ------
    UsageError
        When the scheduler cannot be reached, before any task is sent.
    """
    cluster = None
    if scheduler == "local":
        cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                           dashboard_address=None, silence_logs=logging.ERROR)
    try:
        client = distributed.Client(cluster or scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as error:
        if cluster is not None:
            cluster.close()
        raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from error
    except Exception as error:  # noqa: BLE001 - something answered, but not Dask's protocol (any error may come)
        raise UsageError(f"{scheduler} answered, but not as a Dask scheduler ({type(error).__name__}: {error}); "
                         "give the address `dask scheduler` prints (tcp://HOST:8786 by default)") from error
    return outcomes_from(client, cluster, tasks, engine)


def outcomes_from(client: distributed.Client, cluster: distributed.LocalCluster | None,
                  tasks: Sequence[Task], engine: str) -> Iterator[Outcome]:
    """Send every task, yield each outcome as it arrives, then let go of the cluster."""
    try:
        extras = {task.extra for task in tasks}
        client.register_plugin(WarmWorker(engine, inputs_digest(extras.pop() if extras else None)), name=PLUGIN_NAME)
        futures = {client.submit(run_on_worker, task, task.notebook.read_text(encoding="utf-8"),
                                 key=f"{task.folder or 'collection'}-{task.stem}-{uuid.uuid4().hex}",
                                 pure=False, retries=RETRIES): task for task in tasks}
        for future in distributed.as_completed(futures):
            try:
                yield future.result()
            except Exception as error:  # a worker died each time, or the cluster went away
                yield failed_outcome(futures[future], f"the cluster could not run it: {type(error).__name__}: {error}")
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
