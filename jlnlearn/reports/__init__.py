"""Build every country's report: notebooks run per country into offline HTML pages, and an index.

:func:`build_reports` only sequences steps that live in the modules here:

- :mod:`~jlnlearn.reports.plan`: what to build (tasks, with their language and
  extra rows, and the hashes of their inputs), results and manifests;
- :mod:`~jlnlearn.reports.outputs`: the formats a build writes, each a plug-in
  behind one interface (page, notebook, guide, learner copy, PDF, handout),
  and the one rule that says what is up to date;
- :mod:`~jlnlearn.reports.workers`, :mod:`~jlnlearn.reports.run`,
  :mod:`~jlnlearn.reports.shell`, :mod:`~jlnlearn.reports.pool`,
  :mod:`~jlnlearn.reports.cluster`: where and how the notebooks run (warm
  worker processes, fresh kernels, a Dask cluster);
- :mod:`~jlnlearn.reports.pages`, :mod:`~jlnlearn.reports.index`,
  :mod:`~jlnlearn.reports.templates`: the pages and indexes, from Jinja templates;
- :mod:`~jlnlearn.reports.printing`: one Chromium that prints the PDFs;
- :mod:`~jlnlearn.reports.files`, :mod:`~jlnlearn.reports.languages`,
  :mod:`~jlnlearn.reports.translate`, :mod:`~jlnlearn.reports.guidelinks`:
  atomic writes and the folder lock, other languages, the links to the guide.

A failing notebook does not stop the others: its page shows the failing cell
and error, the index marks it, and the build reports it.

Output layout::

    OUT/index.html                   countries x notebooks, pairing packs, status, time, sources
    OUT/00_start_here.html           collection pages (notebooks without parameters)
    OUT/pairings/<ISO3-ISO3-topic>/  pairing packs, laid out like a country's folder
    OUT/build.log                    what the notebooks' kernels printed
    OUT/_static/plotly.min.js        one copy of plotly.js (its partial basic bundle), loaded by relative path
    OUT/<ISO3>/index.html            the country's pages and sources
    OUT/<ISO3>/<notebook>.html       the page (code hidden, parameters dropped)
    OUT/<ISO3>/<notebook>.ipynb      the executed notebook (output ``notebook``)
    OUT/guide/<notebook>.html        the facilitator guide (output ``guide``, or
                                     ``jlnlearn facilitator-guide OUT``), linked from each page
    OUT/learner/<notebook>.ipynb     the learner copy (output ``learner``)
    OUT/<ISO3>/<notebook>.pdf        the page printed (output ``pdf``), as every page is
    OUT/<ISO3>/<ISO3>-handout.pdf    the country's brief and its lessons' takeaways (output ``handout``)
    OUT/<lang>/...                   the same in another language
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jlnlearn.data.loading import extra_folder
from jlnlearn.data.validation import validate_extra
from jlnlearn.errors import BuildInterrupted, DataValidationError
from jlnlearn.i18n import DEFAULT_LANGUAGE, check_language, language_set
from jlnlearn.reports.files import check_writable, not_a_link, only_build_in, remove_stale_temporaries
from jlnlearn.reports.guidelinks import sync_guide_links
from jlnlearn.reports.index import write_indexes
from jlnlearn.reports.languages import check_translated, root_of, sync_language_links
from jlnlearn.reports.outputs import Context, Output, Progress, Stage, outputs_wanted, produce
from jlnlearn.reports.pages import write_plotly_js
from jlnlearn.reports.plan import Pairing, Result, Status, inputs_digest, pairing_notebooks, plan_request
from jlnlearn.reports.translate import write_translated
from jlnlearn.reports.workers import Options, runner

__all__ = ["Build", "Options", "Pairing", "Result", "Status", "build_reports"]


@dataclass
class Build:
    """The outcome of :func:`build_reports`: every job's result, the time taken, the index page."""

    #: Each job's result, output by output, each output's in the order its jobs were planned.
    results: list[Result]
    seconds: float
    index: Path
    #: What of the indexes (and the pages' links to the guide) could not be written, and why.
    unwritten: list[str] = dataclasses.field(default_factory=list)
    #: The seconds each output's stage took, by output (the runs' time for the outputs made from them).
    timings: dict[str, float] = dataclasses.field(default_factory=dict)

    @property
    def pages(self) -> list[Result]:
        """The pages' results, in task order."""
        return [result for result in self.results if result.output == "page"]

    @property
    def failures(self) -> list[Result]:
        return [result for result in self.results if result.status == Status.FAILED]


def build_reports(countries: str | None = None, notebooks: str | None = None,
                  out: str | os.PathLike[str] = "build/reports", outputs: Sequence[str | Output] = ("page",), *,
                  lang: str = DEFAULT_LANGUAGE, pairing: Pairing | None = None, options: Options | None = None,
                  progress: Progress | None = None) -> Build:
    """Build the reports into ``out``; what is up to date since its last build is not made again.

    Parameters
    ----------
    countries
        ``"all"`` (the default: the collaborative's countries first) or
        comma-separated ISO3 codes, names or aliases.
    notebooks
        ``"all"`` (the default) or comma-separated notebook names or number
        prefixes (``"06"``). Neither may be given with ``pairing``.
    out
        The output folder (created when missing).
    outputs
        What to write besides the pages, by name or as configured outputs (see
        :data:`jlnlearn.reports.outputs.FORMATS`): ``"notebook"`` (each executed
        ``.ipynb``), ``"guide"`` (the facilitator guide in ``OUT/guide/``; the
        pages and the index link the guide exactly when it is there),
        ``"learner"``, ``Pdf(paper)`` and ``Handout(paper)`` (printed once the
        pages are built and indexed). The pages are always built, and with them
        each country's lesson 02 workbook, which its page links for download.
    lang
        The language of the pages (see :data:`jlnlearn.i18n.LANGUAGES`): English goes into ``out``,
        any other into ``out/<lang>/`` (see :mod:`jlnlearn.reports.languages`), from the notebooks
        translated into ``out/<lang>/.notebooks/``. Every task carries it to its worker.
    pairing
        Two or three countries and a topic: build that pairing pack instead.
    options
        How the build runs: workers, engine, Dask cluster, ``force``, the notebooks' folder.
    progress
        Called with the finished jobs, their number and what they are (``"notebook"``, then
        ``"PDF"``...), for a progress bar; returns them again.

    Returns
    -------
    The :class:`Build`: results, seconds, the index page.

    Raises
    ------
    UsageError, PairingError, UnknownCountryError
        For a request that cannot be built (an unknown engine, output, paper or language too, or a
        PDF with no Chromium on the machine), before any work.
    DataValidationError
        When the extra rows (``JLNLEARN_EXTRA_DATA``) break the schema, before any work.
    BuildInterrupted
        On Ctrl-C: what finished is kept and indexed, and the exception holds the :class:`Build`.
    """
    started = time.perf_counter()
    options = options or Options()
    root = Path(out)
    out = root_of(root, check_language(lang))
    chosen = outputs_wanted(["page", "workbook", *outputs])  # lesson 02's page links its workbook
    for output in chosen:
        output.check()  # before any work: a PDF needs a Chromium
    options.check()
    folder = options.notebooks
    if lang != DEFAULT_LANGUAGE:
        check_translated(lang)
        check_writable(out)
        folder = write_translated(folder, lang, out / ".notebooks")
    extra = extra_folder()
    if extra is not None and (problems := validate_extra(extra)):
        raise DataValidationError(problems)  # before any work: no page is built, replaced or marked
    with language_set(lang):  # what this process writes itself: the indexes, the guide
        tasks, notebooks = plan_request(folder, countries, notebooks, pairing, extra, lang)
        check_writable(out)
        with only_build_in(out), runner(options, not_a_link(out.resolve() / "build.log")) as run:
            remove_stale_temporaries(out)
            write_plotly_js(out)
            context = Context(out, folder, tasks, notebooks, lang, extra, inputs_digest(extra), run)
            timings: dict[str, float] = {}
            interrupted = False
            try:
                timed_stage(chosen, context, Stage.RUN, options.force, progress, timings)
            except KeyboardInterrupt:  # Ctrl-C, or SIGTERM through the command: index what finished
                interrupted = True
            unwritten = index_folder(root, out, notebooks, folder, context)
            if not interrupted:
                try:
                    timed_stage(chosen, context, Stage.AFTER, options.force, progress, timings)
                except KeyboardInterrupt:
                    interrupted = True
    build = Build(context.results_of(), time.perf_counter() - started, out / "index.html", unwritten, timings)
    if interrupted:
        raise BuildInterrupted(build)
    return build


def timed_stage(outputs: Sequence[Output], context: Context, stage: Stage, force: bool,
                progress: Progress | None, timings: dict[str, float]) -> None:
    """Produce one stage's outputs and record the seconds each took: the outputs made from runs share
    the runs' time; the later ones are made one after the other."""
    mine = [output for output in outputs if output.stage == stage]
    batches = [mine] if stage == Stage.RUN else [[output] for output in mine]
    for batch in batches:
        started = time.perf_counter()
        try:
            produce(batch, context, stage, force, progress)
        finally:
            timings.update({output.name: time.perf_counter() - started for output in batch})


def index_folder(root: Path, out: Path, notebooks: Sequence[Path], folder: Path, context: Context) -> list[str]:
    """Link the pages to the guide as it is, write the indexes and the language links; what could not be
    written, and why."""
    unwritten = sync_guide_links(out)
    fresh = {(result.folder, result.stem): result for result in context.results_of("page")}
    try:
        unwritten += write_indexes(out, notebooks, [p.stem for p in pairing_notebooks(folder)], fresh,
                                   datetime.date.today().isoformat())
    except OSError as error:
        unwritten.append(f"index.html: {error.strerror or error}")
    return unwritten + sync_language_links(root)
