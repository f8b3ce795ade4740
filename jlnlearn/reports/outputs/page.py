"""The page: each notebook run as offline HTML (code hidden, parameters dropped), with its charts' data.

A worker renders the page from the executed notebook (see
:mod:`jlnlearn.reports.pages`); this output writes it, with the CSV file of
each chart beside it. A page is up to date while its task's key (the
notebook, its parameters, the language, the data and the package) is the one
its manifest records. A run that fails still writes its page, which says
which cell failed and why.
"""

from __future__ import annotations

from jlnlearn.reports.outputs import Context, Job, Made, Output, Stage
from jlnlearn.reports.run import Outcome, page_path


class Page(Output):
    """``OUT/<folder>/<notebook>.html`` and ``<notebook>-chart-<n>.csv`` for every task of the build."""

    name = "page"
    unit = "page"
    stage = Stage.RUN

    def jobs(self, context: Context) -> list[Job]:
        return [Job(self.name, task.folder, task.stem, task.label, (page_path(task),), task.key, task)
                for task in context.tasks]

    def make(self, job: Job, ran: Outcome | None, context: Context) -> Made:
        assert ran is not None  # a page is always made from its run
        files = {path: content for path, content in ran.files.items() if not path.endswith(".ipynb")}
        return Made(files, ran.result.error, ran.result.cell, ran.result.seconds)
