"""What a build writes, format by format: each output a small plug-in behind one interface.

A build writes outputs as nbconvert writes its exporters' formats: the page of
each notebook run, the executed notebook, its PDF, a country's handout, the
facilitator guide, the learner copy. Each format is one module with one
:class:`Output` subclass, listed by name in :data:`FORMATS`;
:func:`output_named` finds one (or says which names are valid), and
:func:`produce` does what every format shares:

- the output lists its :class:`Job`\\ s, each with the files it writes and the
  digest of everything that decides them (a content hash);
- a job is up to date when the manifest beside its files records that digest
  and a success, and its files are all there: one rule for every format;
- the other jobs are made (from a notebook run by the build's workers, or from
  files already written), written atomically, then their manifest, so a file
  is never half written and an interrupted build resumes where it stopped;
- each job ends as one :class:`~jlnlearn.reports.plan.Result` naming its
  output: built, up to date, or failed with its reason, listed the same way
  for every format.

Adding a format is one module (an :class:`Output` with :meth:`~Output.jobs`
and :meth:`~Output.make`) and one line in :data:`FORMATS`.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import enum
import importlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import ClassVar

from jlnlearn.errors import UsageError, echoed
from jlnlearn.i18n import DEFAULT_LANGUAGE
from jlnlearn.reports.files import write_atomically
from jlnlearn.reports.plan import Result, Status, Task, manifest_path, read_manifest
from jlnlearn.reports.run import Outcome

#: Every format a build can write: its name, and where its :class:`Output` is (``module:class``).
FORMATS = {
    "page": "jlnlearn.reports.outputs.page:Page",
    "notebook": "jlnlearn.reports.outputs.notebook:Notebook",
    "guide": "jlnlearn.reports.outputs.guide:Guide",
    "learner": "jlnlearn.reports.outputs.learner:LearnerCopy",
    "pdf": "jlnlearn.reports.outputs.pdf:Pdf",
    "handout": "jlnlearn.reports.outputs.handout:Handout",
    "workbook": "jlnlearn.reports.outputs.workbook:CountryWorkbook",
    "slides": "jlnlearn.reports.outputs.slides:Slides",
}

#: Progress reporting: called with the jobs as they finish, their number and what they are; returns them.
Progress = Callable[[Iterable, int, str], Iterable]


class Stage(enum.IntEnum):
    """When an output is made in a build."""

    #: From the notebooks' runs, by the build's workers; before the indexes are written.
    RUN = 1
    #: From files the build has written (a PDF from its page); after the indexes.
    AFTER = 2


@dataclass(frozen=True)
class Job:
    """One thing an output writes: ``files`` (relative to OUT, the first one its main file), made
    from ``task``'s run if it has one, and the ``digest`` of everything that decides them."""

    output: str
    folder: str
    stem: str
    label: str
    files: tuple[str, ...]
    digest: str
    task: Task | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[str, str, str]:
        return self.output, self.folder, self.stem


@dataclass(frozen=True)
class Made:
    """What making a job gave: its files' contents by path, or why it failed (a failed job may still
    write files: a page that says which cell failed)."""

    files: dict[str, bytes]
    error: str | None = None
    cell: int | None = None
    seconds: float | None = None


@dataclass
class Context:
    """What the outputs of one build read: where it writes, what it runs, in which language."""

    out: Path
    #: The notebooks, in the build's language.
    notebooks_dir: Path
    #: The notebook runs asked for (one per page).
    tasks: list[Task] = field(default_factory=list)
    #: The country notebooks (each a column of the index; one of them may be the brief).
    notebooks: list[Path] = field(default_factory=list)
    language: str = DEFAULT_LANGUAGE
    extra: Path | None = None
    #: The digest of the data, extra rows and package code (:func:`~jlnlearn.reports.plan.inputs_digest`).
    shared: str = ""
    #: Runs tasks and yields their outcomes as they finish (the build's workers).
    run: Callable[[Sequence[Task]], Iterator[Outcome]] | None = None
    #: Every job planned so far, by :attr:`Job.key`, in order.
    planned: list[tuple[str, str, str]] = field(default_factory=list)
    #: The result of each job known so far (made, or up to date), by :attr:`Job.key`.
    results: dict[tuple[str, str, str], Result] = field(default_factory=dict)

    def results_of(self, output: str | None = None) -> list[Result]:
        """This build's results (of one output, or of all), in the order their jobs were planned."""
        found = (self.results[key] for key in self.planned if key in self.results)
        return [result for result in found if output is None or result.output == output]


class Output:
    """A format a build can write; a subclass names itself and says what it writes and how.

    Subclasses set :attr:`name`, :attr:`unit` and :attr:`stage` and implement
    :meth:`jobs` and :meth:`make`; one that needs a resource for all its jobs
    (a browser) opens it in :meth:`session`.
    """

    #: The name a build asks for it by, and its manifests' suffix.
    name: ClassVar[str]
    #: What one job makes, for progress bars and summaries ("page", "PDF").
    unit: ClassVar[str]
    #: When it is made.
    stage: ClassVar[Stage] = Stage.AFTER
    #: Other outputs it is made from: a build that asks for this one builds those too.
    needs: ClassVar[tuple[str, ...]] = ()
    #: How many of its jobs are made at once (threads; :data:`Stage.AFTER` only).
    at_once: int = 1

    def check(self) -> None:
        """Fail before any work (a :class:`UsageError`) if this output cannot be made here."""

    def jobs(self, context: Context) -> list[Job]:
        """Everything this output would write for the build, each with the digest of its inputs."""
        raise NotImplementedError

    def make(self, job: Job, ran: Outcome | None, context: Context) -> Made:
        """Make one job: from ``ran``, the outcome of its task, when it has one."""
        raise NotImplementedError

    @contextlib.contextmanager
    def session(self, context: Context) -> Iterator[None]:
        """Hold what :meth:`make` needs for all of this build's jobs (nothing by default)."""
        yield


def output_named(name: str) -> Output:
    """A new output of the format called ``name``, with its default options.

    Raises
    ------
    UsageError
        For a name no format has, listing the valid ones.

    Examples
    --------
    >>> output_named("pdf").name, output_named("guide").unit
    ('pdf', 'guide page')
    >>> output_named("slide")
    Traceback (most recent call last):
    ...
    jlnlearn.errors.UsageError: unknown output 'slide' (valid: page, notebook, guide, learner, pdf, handout, workbook, slides)
    """
    if name not in FORMATS:
        raise UsageError(f"unknown output {echoed(name)} (valid: {', '.join(FORMATS)})")
    module, _, attribute = FORMATS[name].partition(":")
    return getattr(importlib.import_module(module), attribute)()


def outputs_wanted(wanted: Iterable[str | Output]) -> list[Output]:
    """The outputs asked for (by name or as configured objects), with those they need, each once,
    in the order of :data:`FORMATS`.

    >>> [output.name for output in outputs_wanted(["handout"])]
    ['page', 'handout']
    """
    chosen: dict[str, Output] = {}
    pending = [output_named(item) if isinstance(item, str) else item for item in wanted]
    while pending:
        output = pending.pop(0)
        if output.name not in chosen:
            chosen[output.name] = output
            pending += [output_named(name) for name in output.needs if name not in chosen]
    order = list(FORMATS)
    return sorted(chosen.values(), key=lambda output: order.index(output.name) if output.name in order else len(order))


def recorded(out: Path, job: Job) -> Result | None:
    """The job's result as its manifest records it, if that says it was made from the same inputs
    and its files are all there: then the job is up to date."""
    found = read_manifest(manifest_path(out, job.folder, job.stem, job.output))
    if (found is None or found.key != job.digest or found.status == Status.FAILED
            or not all((out / path).is_file() for path in job.files)):
        return None
    return dataclasses.replace(found, status=Status.UP_TO_DATE)


def save(out: Path, job: Job, made: Made) -> Result:
    """Write a made job's files, each atomically, then its manifest (last, so it vouches for them);
    files that cannot be written make it a failure of its own, saying why."""
    result = Result(job.folder, job.stem, Status.FAILED if made.error else Status.BUILT,
                    round(made.seconds or 0.0, 2), job.digest, made.cell, made.error, job.label, job.output)
    try:
        for relative, content in made.files.items():
            write_atomically(out / relative, content)
        write_atomically(manifest_path(out, job.folder, job.stem, job.output), json.dumps(asdict(result)))
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        result = dataclasses.replace(result, status=Status.FAILED, cell=None,
                                     error=f"its files could not be written: {error.strerror or error}{where}")
    return result


def produce(outputs: Sequence[Output], context: Context, stage: Stage, force: bool = False,
            progress: Progress | None = None) -> None:
    """Make every job of the ``stage``'s outputs that is not up to date (``force``: every job), and
    record each job's result in ``context.results`` as it is known.

    Runs come from ``context.run`` (one progress bar for them all); the jobs of
    a later stage are made output by output, :attr:`Output.at_once` at a time.
    On Ctrl-C, what was made is kept and recorded, and :class:`KeyboardInterrupt` is raised again.
    """
    stale = []
    for output in outputs:
        if output.stage != stage:
            continue
        for job in output.jobs(context):
            context.planned.append(job.key)
            found = None if force else recorded(context.out, job)
            if found is None:
                stale.append((output, job))
            else:
                context.results[job.key] = found
    made = made_from_runs(stale, context, progress) if stage == Stage.RUN else made_after(stale, context, progress)
    for job, done in made:
        context.results[job.key] = save(context.out, job, done)


def timed(make: Callable[[Job, Outcome | None, Context], Made], job: Job, ran: Outcome | None,
          context: Context) -> Made:
    """``make(job, ran, context)``, its time recorded unless the run's is; an exception as a failure."""
    started = time.perf_counter()
    try:
        made = make(job, ran, context)
    except Exception as failure:  # one job's failure is reported, the others go on
        return Made({}, f"{type(failure).__name__}: {failure}", None, time.perf_counter() - started)
    return made if made.seconds is not None else dataclasses.replace(made, seconds=time.perf_counter() - started)


def made_from_runs(stale: Sequence[tuple[Output, Job]], context: Context,
                   progress: Progress | None) -> Iterator[tuple[Job, Made]]:
    """Run the tasks the stale jobs are made from (each once), then make each job from its outcome."""
    tasks = list({(job.task.folder, job.task.stem): job.task for _, job in stale if job.task is not None}.values())
    if tasks:
        if context.run is None:
            raise RuntimeError("these outputs need notebook runs, and the build gave no way to run them")
        found = context.run(tasks)
        for outcome in progress(found, len(tasks), "notebook") if progress else found:
            where = (outcome.result.folder, outcome.result.stem)
            for output, job in stale:
                if job.task is not None and (job.task.folder, job.task.stem) == where:
                    yield job, timed(output.make, job, outcome, context)
    for output, job in stale:
        if job.task is None:
            yield job, timed(output.make, job, None, context)


def made_after(stale: Sequence[tuple[Output, Job]], context: Context,
               progress: Progress | None) -> Iterator[tuple[Job, Made]]:
    """Make the stale jobs output by output, each output's :attr:`~Output.at_once` at a time."""
    for output in dict.fromkeys(output for output, _ in stale):
        jobs = [job for owner, job in stale if owner is output]
        with output.session(context):
            pool = concurrent.futures.ThreadPoolExecutor(max(1, min(output.at_once, len(jobs))))
            try:
                futures = {pool.submit(timed, output.make, job, None, context): job for job in jobs}
                finished = concurrent.futures.as_completed(futures)
                for future in progress(finished, len(jobs), output.unit) if progress else finished:
                    yield futures[future], future.result()
            finally:
                pool.shutdown(wait=False, cancel_futures=True)
