"""The facilitator guide with each exercise's answer: its solution cell run, the way the build runs notebooks.

Every notebook with a cell tagged ``solution`` is run once, with its default
parameters, by the build's own engine in its worker processes
(:mod:`jlnlearn.reports.pool`), as a task of the build (:func:`guide_tasks`), so
the cell time limit, the engines and a worker's death are handled as for a
page. What each solution cell then shows becomes its :class:`Answer`: its
outputs as the report pages render them (a chart as the sentence that says
what it shows), or, when it did not run, why.

Built into a reports folder (``jlnlearn reports --with-guide``, or
``jlnlearn facilitator-guide OUT`` on a folder ``jlnlearn reports`` built), the
guide goes into ``OUT/guide/``, and the folder's lesson pages and index then
link it (:mod:`jlnlearn.reports.guidelinks`).
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from jlnlearn.i18n import DEFAULT_LANGUAGE, check_language, language_set
from jlnlearn.reports.chartdata import chart_summary
from jlnlearn.reports.files import check_writable, only_build_in
from jlnlearn.reports.guidelinks import (
    GUIDE_FOLDER,
    is_reports_folder,
    sync_guide_links,
)
from jlnlearn.reports.html import PLOTLY_MIMETYPE, WIDGET_MIMETYPE, page_exporter
from jlnlearn.reports.index import write_indexes
from jlnlearn.reports.languages import check_translated, root_of
from jlnlearn.reports.plan import (
    NOTEBOOKS_DIR,
    Task,
    pairing_notebooks,
    report_notebooks,
)
from jlnlearn.reports.pool import WorkerPool
from jlnlearn.reports.run import DEFAULT_ENGINE, Outcome, engine_named, page_path
from jlnlearn.reports.teaching import SOLUTION, Answer, tags, write_facilitator_guide
from jlnlearn.reports.translate import write_translated


def has_solution(notebook: Path) -> bool:
    """Whether the notebook file has a cell tagged ``solution`` (read as JSON: nbformat costs 2 s to import)."""
    return any(SOLUTION in tags(cell) for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"])


def guide_tasks(notebooks: Sequence[Path]) -> list[Task]:
    """One task per notebook with a solution: run with its default parameters, for the guide.

    >>> from jlnlearn.reports.plan import NOTEBOOKS_DIR
    >>> [task.stem for task in guide_tasks(sorted(NOTEBOOKS_DIR.glob("*.ipynb")))]
    ['01_ppm_journey', '02_phc_payment_models', '03_covid19_financing', '04_partnership_timeline']
    """
    return [Task(GUIDE_FOLDER, "facilitator guide", path, "") for path in notebooks if has_solution(path)]


def run_for_guide(tasks: Sequence[Task], log: Path, engine: str = DEFAULT_ENGINE, jobs: int | None = None,
                  workers: WorkerPool | None = None) -> dict[str, Outcome]:
    """Run the guide's tasks in ``workers``, or in a pool of ``engine`` workers of their own; each
    outcome by notebook stem."""
    if not tasks:
        return {}
    count = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    with contextlib.nullcontext(workers) if workers else WorkerPool(count, log, engine) as pool:
        return {outcome.result.stem: outcome for outcome in pool.run(tasks, log)}


def outputs_html(outputs: Sequence[Any], cell_id: str) -> str:
    """A cell's outputs as report pages show them; a chart as its one-sentence summary, an error left out.

    ``cell_id`` makes the id nbconvert gives the output's block unique in the page.
    """
    shown = []
    for output in outputs:
        if output.get("output_type") == "error":
            continue
        output = nbformat.from_dict(output)
        if "data" in output:
            data = {kind: value for kind, value in output.data.items() if kind != WIDGET_MIMETYPE}
            if PLOTLY_MIMETYPE in data:
                data = {"text/plain": chart_summary(data[PLOTLY_MIMETYPE])}
            if not data:
                continue
            output.data = data
        shown.append(output)
    if not shown:
        return "<p>It shows no output.</p>"
    cell = nbformat.v4.new_code_cell("", outputs=shown)
    cell.id = cell_id
    body, _resources = page_exporter().from_notebook_node(nbformat.v4.new_notebook(cells=[cell]))
    return body


def answers(outcome: Outcome | None, stem: str) -> list[Answer]:
    """Each solution's answer, in the notebook's order, from the outcome of its guide task.

    A solution that failed says so with its cell and error; one the run did
    not reach says which cell failed before it.
    """
    if outcome is None:
        return []
    result = outcome.result
    executed = outcome.files.get(page_path(result, ".ipynb"))
    if executed is None:  # the notebook could not even start
        return [Answer(problem=f"the notebook could not be run: {result.error}")]
    notebook = nbformat.reads(executed.decode("utf-8"), as_version=4)
    found = []
    for number, cell in enumerate((c for c in notebook.cells if SOLUTION in tags(c)), start=1):
        if result.error and cell.execution_count is not None and cell.execution_count == result.cell:
            found.append(Answer(problem=f"this solution (code cell {result.cell}) failed: {result.error}"))
        elif cell.execution_count is None:
            where = f"code cell {result.cell}" if result.cell is not None else "the run"
            found.append(Answer(problem=f"it was not run: {where} failed before it: {result.error}"
                                if result.error else "it was not run"))
        else:
            found.append(Answer(outputs_html(cell.outputs, f"{stem}-answer-{number}")))
    return found


def guide_failures(outcomes: Mapping[str, Outcome]) -> list[str]:
    """Each notebook whose guide run failed, as ``<notebook> (code cell N): <error>``.

    >>> from jlnlearn.reports.plan import Result, Status
    >>> failed = Result("guide", "02_phc", Status.FAILED, 1.0, "", 12, "NameError: name 'x' is not defined")
    >>> guide_failures({"02_phc": Outcome(failed, {})})
    ["02_phc (code cell 12): NameError: name 'x' is not defined"]
    """
    found = []
    for stem, outcome in outcomes.items():
        result = outcome.result
        if result.error:
            where = f"code cell {result.cell}" if result.cell is not None else "before any cell"
            found.append(f"{stem} ({where}): {result.error}")
    return found


def write_guide(target: Path, notebooks_dir: Path, outcomes: Mapping[str, Outcome],
                in_reports: bool) -> list[Path]:
    """Write the guide into ``target`` with the answers the outcomes of its tasks hold; returns its pages."""
    found = {stem: answers(outcome, stem) for stem, outcome in outcomes.items()}
    return write_facilitator_guide(target, notebooks_dir, found, in_reports)


def link_reports(reports: Path, notebooks_dir: Path) -> list[str]:
    """Make a reports folder's pages and index link its guide as it now is; returns what could not be written."""
    unwritten = sync_guide_links(reports)
    try:
        unwritten += write_indexes(reports, report_notebooks(notebooks_dir),
                                   [path.stem for path in pairing_notebooks(notebooks_dir)], {},
                                   datetime.date.today().isoformat())
    except OSError as error:
        unwritten.append(f"index.html: {error.strerror or error}")
    return unwritten


@dataclass
class GuideBuild:
    """What :func:`build_guide` did: where the guide went, its pages, and what went wrong."""

    folder: Path
    pages: list[Path]
    #: Each notebook whose run for the answers failed (see :func:`guide_failures`).
    failures: list[str]
    #: The reports folder whose pages now link the guide, or ``None``.
    reports: Path | None
    #: Pages of that folder that could not be given their link, and why.
    unwritten: list[str]


def guide_place(out: Path) -> tuple[Path, Path | None]:
    """Where a guide asked for in ``out`` goes, and the reports folder it belongs to, if any.

    ``out`` itself, unless ``jlnlearn reports`` built into it: then ``out/guide``.
    ``out`` named ``guide`` inside a reports folder belongs to that folder.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> guide_place(folder) == (folder, None)
    True
    """
    if is_reports_folder(out):
        return out / GUIDE_FOLDER, out
    if out.name == GUIDE_FOLDER and is_reports_folder(out.parent):
        return out, out.parent
    return out, None


def build_guide(out: str | os.PathLike[str], notebooks_dir: Path | None = None,
                engine: str = DEFAULT_ENGINE, jobs: int | None = None,
                workers: WorkerPool | None = None, lang: str = DEFAULT_LANGUAGE) -> GuideBuild:
    """Run each notebook with a solution once, then write the guide with every answer.

    Into a reports folder (see :func:`guide_place`), the guide goes into its
    ``guide/`` folder, under the folder's build lock, and the folder's pages
    and index are then linked to it. What the notebooks print goes to
    ``build.log`` there (in the guide's folder otherwise). A notebook that
    fails does not stop the guide: its exercises say why they have no answer,
    and :attr:`GuideBuild.failures` lists it. ``workers``: a pool to run the
    notebooks in and leave running (its engine is used). ``lang``: the guide's language; in a
    reports folder, a guide in another language goes with that language's pages (``OUT/<lang>/guide``).

    Raises
    ------
    UsageError
        For an unknown engine or language, a folder that cannot be written, or a reports
        folder another build is writing to, before any work.
    """
    out = Path(out)
    check_translated(check_language(lang))
    target, reports = guide_place(root_of(out, check_language(lang)) if is_reports_folder(out) else out)
    engine_named(engine)
    check_writable(target)
    with (only_build_in(reports) if reports is not None else contextlib.nullcontext(),
          tempfile.TemporaryDirectory(prefix="jlnlearn-guide-") as translated, language_set(lang)):
        folder = write_translated(notebooks_dir or NOTEBOOKS_DIR, lang, Path(translated))
        tasks = guide_tasks(sorted(folder.glob("*.ipynb")))
        outcomes = run_for_guide(tasks, (reports or target) / "build.log", engine, jobs, workers)
        pages = write_guide(target, folder, outcomes, reports is not None)
        unwritten = link_reports(reports, folder) if reports is not None else []
    return GuideBuild(target, pages, guide_failures(outcomes), reports, unwritten)
