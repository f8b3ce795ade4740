"""The facilitator guide: one page per notebook (plan, notes, each exercise's solution and answer), and an index.

Each notebook with a solution is run once, with its default parameters, by the
build's own workers, and what each solution cell shows becomes its answer (see
:mod:`jlnlearn.reports.guide`). A guide page is up to date while its run's key
(the notebook, the language, the data and the package) is unchanged, so a
second build runs nothing for it. A notebook whose run fails still gets its
page, each exercise saying why it has no answer, and the page is listed as
failed.
"""

from __future__ import annotations

import ast
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nbformat

from jlnlearn.data.countries import country
from jlnlearn.i18n import _, number
from jlnlearn.reports.chartdata import chart_summary
from jlnlearn.reports.guidelinks import GUIDE_FOLDER
from jlnlearn.reports.outputs import Context, Job, Made, Output, Stage
from jlnlearn.reports.pages import PLOTLY_MIMETYPE, WIDGET_MIMETYPE, page_exporter, tags
from jlnlearn.reports.plan import new_task, task_key
from jlnlearn.reports.run import Outcome, page_path
from jlnlearn.reports.teaching import SOLUTION, Answer, guide_index_page, guide_page, run_description
from jlnlearn.reports.translate import read_notebook

#: What a guide run is called where a run is named (its error page, the log).
LABEL = "facilitator guide"


def has_solution(notebook: Path) -> bool:
    """Whether the notebook file has a cell tagged ``solution`` (read as JSON: nbformat costs 2 s to import)."""
    return any(SOLUTION in tags(cell) for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"])


def readable(text: str) -> str:
    """A solution's plain output as a person reads it: a number with the language's separators, an empty
    result said in words; any other output as it is.

    >>> readable("30.0"), readable("1234"), readable("[]"), readable("'a text'")
    ('30', '1,234', 'Nothing: an empty result (for a check, it means no problem was found).', "'a text'")
    """
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text
    if isinstance(value, bool) or not isinstance(value, int | float | list | tuple | dict | set):
        return text
    if isinstance(value, int | float):
        return number(value, 0 if float(value).is_integer() else 2)
    if not value:
        return _("Nothing: an empty result (for a check, it means no problem was found).")
    return text


def outputs_html(outputs: Sequence[Any], cell_id: str) -> str:
    """A cell's outputs as report pages show them; a chart as its one-sentence summary, an error left out,
    a plain number or an empty result in words (:func:`readable`).

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
            elif set(data) == {"text/plain"}:
                data = {"text/plain": readable(data["text/plain"])}
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
    for index, cell in enumerate((c for c in notebook.cells if SOLUTION in tags(c)), start=1):
        if result.error and cell.execution_count is not None and cell.execution_count == result.cell:
            found.append(Answer(problem=f"this solution (code cell {result.cell}) failed: {result.error}"))
        elif cell.execution_count is None:
            where = f"code cell {result.cell}" if result.cell is not None else "the run"
            found.append(Answer(problem=f"it was not run: {where} failed before it: {result.error}"
                                if result.error else "it was not run"))
        else:
            found.append(Answer(outputs_html(cell.outputs, f"{stem}-answer-{index}")))
    return found


def countries_of(context: Context) -> list[str]:
    """The countries of the build's country pages, in the build's order: the guide answers each one's
    quizzes (a pairing pack's countries are not asked them)."""
    return list(dict.fromkeys(country(task.parameters["country"]).name for task in context.tasks
                              if "country" in task.parameters))


class Guide(Output):
    """``OUT/guide/<notebook>.html`` for every notebook, and ``OUT/guide/index.html``.

    ``folder``: where under OUT the guide goes; ``in_reports``: the guide sits in
    a reports folder, whose index its pages link.
    """

    name = "guide"
    unit = "guide page"
    stage = Stage.RUN

    def __init__(self, folder: str = GUIDE_FOLDER, in_reports: bool = True) -> None:
        self.folder, self.in_reports = folder, in_reports

    def file(self, stem: str) -> str:
        return str(Path(self.folder) / f"{stem}.html")

    def jobs(self, context: Context) -> list[Job]:
        found = []
        for path in sorted(context.notebooks_dir.glob("*.ipynb")):
            task = (new_task(self.folder, LABEL, path, {}, context.language, context.extra, context.shared)
                    if has_solution(path) else None)
            key = task.key if task is not None else task_key(context.shared, path, {}, context.language)
            found.append(Job(self.name, self.folder, path.stem, LABEL, (self.file(path.stem),),
                             self.digest(key, *countries_of(context)), task))
        whole = self.digest(*(job.digest for job in found))
        return [*found, Job(self.name, self.folder, "index", LABEL, (self.file("index"),), whole)]

    def digest(self, *parts: str) -> str:
        """A page's digest: what it is made from, and whether it links the reports' index."""
        return hashlib.sha256("\0".join([*parts, str(self.in_reports)]).encode()).hexdigest()

    def make(self, job: Job, ran: Outcome | None, context: Context) -> Made:
        notebooks = sorted(context.notebooks_dir.glob("*.ipynb"))
        if job.stem == "index":
            page = guide_index_page([(path.name, read_notebook(path)) for path in notebooks], self.in_reports)
            return Made({job.files[0]: page.encode("utf-8")})
        path = context.notebooks_dir / f"{job.stem}.ipynb"
        notebook = read_notebook(path)
        found = answers(ran, job.stem) if ran is not None else []
        page = guide_page(notebook, path.name, found, run_description(notebook), self.in_reports,
                          countries_of(context))
        error, cell = (ran.result.error, ran.result.cell) if ran is not None else (None, None)
        return Made({job.files[0]: page.encode("utf-8")}, error, cell, ran.result.seconds if ran else None)
