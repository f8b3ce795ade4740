"""The executed notebook beside its page (``--with-notebooks``), for a facilitator who wants to open one.

It comes from the same run as the page, so asking for both runs each
notebook once; it is up to date while its task's key is unchanged.
"""

from __future__ import annotations

from jlnlearn.reports.outputs import Context, Job, Made, Output, Stage
from jlnlearn.reports.run import Outcome, page_path


class Notebook(Output):
    """``OUT/<folder>/<notebook>.ipynb`` for every task of the build, as its run left it."""

    name = "notebook"
    unit = "notebook"
    stage = Stage.RUN

    def jobs(self, context: Context) -> list[Job]:
        return [Job(self.name, task.folder, task.stem, task.label, (page_path(task, ".ipynb"),), task.key, task)
                for task in context.tasks]

    def make(self, job: Job, ran: Outcome | None, context: Context) -> Made:
        assert ran is not None  # made from its run
        executed = ran.files.get(job.files[0])
        if executed is None:  # the run could not start: there is no notebook to write
            return Made({}, ran.result.error or "the notebook was not run", ran.result.cell, ran.result.seconds)
        return Made({job.files[0]: executed}, ran.result.error, ran.result.cell, ran.result.seconds)
