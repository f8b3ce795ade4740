"""Build every country's report: notebooks run per country into offline HTML pages and an index.

:func:`build_reports` only sequences steps that live in the modules here:

- :mod:`~jlnlearn.reports.plan`: what to build (tasks, their input hashes) and what is built already;
- :mod:`~jlnlearn.reports.run`: engines behind one interface (warm and kernel) and their outcomes;
- :mod:`~jlnlearn.reports.shell`: the warm engine's in-process IPython shell and what it restores;
- :mod:`~jlnlearn.reports.pool`: the warm worker processes of a build on this machine;
- :mod:`~jlnlearn.reports.cluster`: the same tasks on a Dask cluster (the optional ``dask`` extra);
- :mod:`~jlnlearn.reports.html`: the page shell, a notebook's page, the error page and the indexes;
- :mod:`~jlnlearn.reports.files`: atomic writes and the clean-up of interrupted ones;
- :mod:`~jlnlearn.reports.pdf`: the pages printed to PDF by the machine's Chromium, and each country's handout;
- :mod:`~jlnlearn.reports.teaching`: the learner copy and the facilitator guide's pages;
- :mod:`~jlnlearn.reports.guide`: the guide's answers, its notebooks run by the same engine;
- :mod:`~jlnlearn.reports.guidelinks`: the links from the pages to the guide, while it is there.

A failing notebook does not stop the others: its page shows the failing cell
and error, the index marks it, and the build reports it.

Output layout::

    OUT/index.html                   countries x notebooks, pairing packs, status, time, sources
    OUT/00_start_here.html           collection pages (notebooks without parameters)
    OUT/pairings/<ISO3-ISO3-topic>/  pairing packs, laid out like a country's folder
    OUT/build.log                    what the notebooks' kernels printed
    OUT/_static/plotly.min.js        one copy of plotly.js, loaded by relative path
    OUT/<ISO3>/index.html            the country's pages and sources
    OUT/<ISO3>/<notebook>.ipynb      the executed notebook (only with ``with_notebooks``)
    OUT/<ISO3>/<notebook>.html       the page (code hidden, parameters dropped)
    OUT/guide/<notebook>.html        the facilitator guide (only with ``with_guide``, or
                                     ``jlnlearn facilitator-guide OUT``), linked from each page
    OUT/<ISO3>/<notebook>.pdf        the page printed (only with ``pdf``), as every page is
    OUT/<ISO3>/<ISO3>-handout.pdf    the country's brief and its lessons' takeaways (only with ``pdf``)
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from jlnlearn.data.loading import extra_folder
from jlnlearn.data.validation import validate_extra
from jlnlearn.errors import BuildInterrupted, DataValidationError
from jlnlearn.i18n import DEFAULT_LANGUAGE, check_language, language_set
from jlnlearn.reports.files import (
    check_writable,
    only_build_in,
    remove_stale_temporaries,
)
from jlnlearn.reports.guide import guide_failures, guide_tasks, write_guide
from jlnlearn.reports.guidelinks import GUIDE_FOLDER, sync_guide_links
from jlnlearn.reports.html import write_plotly_js
from jlnlearn.reports.index import write_indexes
from jlnlearn.reports.languages import check_translated, root_of, sync_language_links
from jlnlearn.reports.pdf import (
    Printed,
    Progress,
    find_chromium,
    paper_named,
    print_pdfs,
)
from jlnlearn.reports.plan import (
    NOTEBOOKS_DIR,
    Result,
    Status,
    Task,
    already_built,
    pairing_notebooks,
    plan_request,
)
from jlnlearn.reports.pool import WorkerPool
from jlnlearn.reports.run import DEFAULT_ENGINE, Outcome, engine_named, write_outcome
from jlnlearn.reports.translate import write_translated
from jlnlearn.settings import EXTRA_DATA_ENV

__all__ = ["Build", "Result", "Status", "build_reports"]

@dataclass
class Build:
    """The outcome of :func:`build_reports`: every task's result, the time taken, the index page."""

    results: list[Result]
    seconds: float
    index: Path
    #: What of the indexes (and the pages' links to the guide) could not be written, and why.
    unwritten: list[str] = dataclasses.field(default_factory=list)
    #: Each notebook whose run for the facilitator guide failed, with its cell and error.
    guide_failures: list[str] = dataclasses.field(default_factory=list)
    #: The PDFs, when they were asked for: printed, up to date, failed.
    printed: Printed | None = None

    @property
    def failures(self) -> list[Result]:
        return [r for r in self.results if r.status == Status.FAILED]


def build_reports(country_spec: str | None = None, notebook_spec: str | None = None,
                  out: str | os.PathLike[str] = "build/reports", jobs: int | None = None,
                  force: bool = False, notebooks_dir: Path | None = None,
                  progress: Progress | None = None,
                  pairing: str | Sequence[str] | None = None, topic: str | None = None,
                  engine: str = DEFAULT_ENGINE, scheduler: str | None = None,
                  workers: WorkerPool | None = None, with_notebooks: bool = False,
                  with_guide: bool = False,
                  pdf: str | None = None, lang: str = DEFAULT_LANGUAGE) -> Build:
    """Build the reports into ``out``; a task whose inputs are unchanged since its last build is skipped.

    Parameters
    ----------
    country_spec
        ``"all"`` (the default: the collaborative's countries first) or
        comma-separated ISO3 codes, names or aliases.
    notebook_spec
        ``"all"`` (the default) or comma-separated notebook names or number
        prefixes (``"06"``). Neither may be given with ``pairing``.
    out
        The output folder (created when missing).
    jobs
        Worker processes; default, the number of cores.
    force
        Rebuild even unchanged reports.
    notebooks_dir
        Where the notebooks are; default, the collection's ``notebooks/``.
    progress
        Called with the finished tasks, their number and what they are (``"notebook"``, then
        ``"PDF"``), for a progress bar; returns them again.
    pairing, topic
        Two or three countries and a topic: build that pairing pack instead.
    engine
        The registered engine that runs the notebooks: ``"warm"`` (the
        default) or ``"kernel"`` (see :mod:`jlnlearn.reports.run`).
    scheduler
        A Dask scheduler's address, or ``"local"`` for a local Dask cluster:
        run the tasks there instead of in this machine's worker processes.
    workers
        A :class:`~jlnlearn.reports.pool.WorkerPool` to run the tasks in and
        leave running (its engine is used); default, a pool for this build.
    with_notebooks
        Also write each executed ``.ipynb`` beside its page (for a facilitator
        who wants to open one; the pages do not need them).
    with_guide
        Also write the facilitator guide into ``OUT/guide/``, each exercise
        with its answer (its notebook run once with its default parameters,
        by the same workers). Whatever the option, the pages and the index
        link the guide exactly when it is in ``OUT``.
    pdf
        A paper (``"A4"`` or ``"Letter"``): once the pages are built, print each one to a PDF
        beside it and each country's handout (see :mod:`jlnlearn.reports.pdf`).
    lang
        The language of the pages (see :data:`jlnlearn.i18n.LANGUAGES`): English goes into ``out``,
        any other into ``out/<lang>/`` (see :mod:`jlnlearn.reports.languages`), from the notebooks
        translated into ``out/<lang>/.notebooks/``.

    Returns
    -------
    The :class:`Build`: results in task order, seconds, the index page.

    Raises
    ------
    UsageError, PairingError, UnknownCountryError
        For a request that cannot be built (an unknown engine, paper or language too, or ``pdf``
        with no Chromium on the machine), before any work.
    DataValidationError
        When the extra rows (``JLNLEARN_EXTRA_DATA``) break the schema, before any work.
    BuildInterrupted
        On Ctrl-C: what finished is kept and indexed, and the exception holds the :class:`Build`.
    """
    started = time.perf_counter()
    root = Path(out)
    out = root_of(root, check_language(lang))
    printing = (paper_named(pdf), find_chromium()) if pdf is not None else None  # before any work
    folder = notebooks_dir or NOTEBOOKS_DIR
    if lang != DEFAULT_LANGUAGE:
        check_translated(lang)
        check_writable(out)
        folder = write_translated(folder, lang, out / ".notebooks")
    with language_set(lang):  # the workers take the language from this process's environment
        extra = extra_folder()
        if extra is not None:  # workers and kernels run elsewhere: hand them the folder resolved here
            problems = validate_extra(extra)
            if problems:  # before any work: no page is built, replaced or marked, the index stays
                raise DataValidationError(problems)
            os.environ[EXTRA_DATA_ENV] = str(extra)
        tasks, notebooks = plan_request(folder, country_spec, notebook_spec, pairing, topic, extra)
        engine_named(engine)
        check_writable(out)
        with only_build_in(out):
            remove_stale_temporaries(out)
            results, todo = already_built(tasks, out, force, with_notebooks)
            write_plotly_js(out)
            interrupted = False
            guide_runs = guide_tasks(sorted(folder.glob("*.ipynb"))) if with_guide else []
            answered: dict[str, Outcome] = {}
            stream = outcomes(todo + guide_runs, out, jobs, engine, scheduler, progress, workers)
            try:
                for outcome in stream:
                    if outcome.result.folder == GUIDE_FOLDER:
                        answered[outcome.result.stem] = outcome
                        continue
                    result = save(out, outcome, with_notebooks)
                    results[(result.folder, result.stem)] = result
            except KeyboardInterrupt:  # Ctrl-C, or SIGTERM through the command: index what finished
                interrupted = True
            finally:
                stream.close()  # stops the workers at once if they were still busy
            unwritten = []
            if with_guide and not interrupted:
                try:
                    write_guide(out / GUIDE_FOLDER, folder, answered, in_reports=True)
                except OSError as error:
                    unwritten.append(f"{GUIDE_FOLDER}/: {error.strerror or error}")
            unwritten += sync_guide_links(out)
            try:
                unwritten += write_indexes(out, notebooks, [p.stem for p in pairing_notebooks(folder)], results,
                                           datetime.date.today().isoformat())
            except OSError as error:
                unwritten.append(f"index.html: {error.strerror or error}")
            unwritten += sync_language_links(root)
            in_order = [results[key] for t in tasks if (key := (t.folder, t.stem)) in results]
            printed = None
            if printing is not None and not interrupted:
                try:
                    printed = print_pdfs(out, in_order, notebooks, *printing, jobs, force, progress)
                except KeyboardInterrupt:
                    interrupted = True
        build = Build(in_order, time.perf_counter() - started, out / "index.html", unwritten,
                      guide_failures(answered), printed)
        if interrupted:
            raise BuildInterrupted(build)
        return build


def save(out: Path, outcome: Outcome, with_notebooks: bool) -> Result:
    """Write an outcome's files (its notebook only ``with_notebooks``); a page that cannot be
    written is a failure of its own, saying why."""
    if not with_notebooks:
        outcome = dataclasses.replace(outcome, files={path: content for path, content in outcome.files.items()
                                                      if not path.endswith(".ipynb")})
    try:
        return write_outcome(out, outcome)
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        return dataclasses.replace(outcome.result, status=Status.FAILED, cell=None,
                                   error=f"its files could not be written: {error.strerror or error}{where}")


def outcomes(tasks: Sequence[Task], out: Path, jobs: int | None, engine: str, scheduler: str | None,
             progress: Progress | None, workers: WorkerPool | None) -> Iterator[Outcome]:
    """The tasks' outcomes as they finish, from this machine's workers or a Dask cluster.

    What the workers and their kernels print goes to ``OUT/build.log``.
    """
    if not tasks:
        return
    count = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    log = out.resolve() / "build.log"
    if scheduler:
        from jlnlearn.reports import cluster  # needs the optional extra distributed

        found = cluster.run_on_cluster(tasks, scheduler, engine, count)
        yield from progress(found, len(tasks), "notebook") if progress else found
        return
    with contextlib.nullcontext(workers) if workers else WorkerPool(count, log, engine) as pool:
        found = pool.run(tasks, log)
        yield from progress(found, len(tasks), "notebook") if progress else found
