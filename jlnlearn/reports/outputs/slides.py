"""The slide deck beside each page (``--slides``), for a facilitator presenting a lesson to a room.

It is made from the same run as the page (see :mod:`jlnlearn.reports.slides`),
so asking for decks runs no notebook again, and it is up to date while its
task's key (the notebook, its parameters, the language, the data and the
package, reveal.js included) is unchanged.
"""

from __future__ import annotations

import nbformat

from jlnlearn.reports.outputs import Context, Job, Made, Output, Stage
from jlnlearn.reports.run import Outcome, page_path
from jlnlearn.reports.slides import deck_path, render_deck, write_reveal


class Slides(Output):
    """``OUT/<folder>/<notebook>-slides.html`` for every task of the build, country or pairing pack."""

    name = "slides"
    unit = "deck"
    stage = Stage.RUN

    def jobs(self, context: Context) -> list[Job]:
        return [Job(self.name, task.folder, task.stem, task.label, (deck_path(task),), task.key, task)
                for task in context.tasks]

    def make(self, job: Job, ran: Outcome | None, context: Context) -> Made:
        assert ran is not None and job.task is not None  # made from its run
        executed = ran.files.get(page_path(job.task, ".ipynb"))
        if executed is None:  # the run could not start: there is nothing to present
            return Made({}, ran.result.error or "the notebook was not run", ran.result.cell)
        if ran.result.error:  # the page says which cell failed; a deck is not made from a broken run
            return Made({}, ran.result.error, ran.result.cell)
        write_reveal(context.out)
        notebook = nbformat.reads(executed.decode("utf-8"), as_version=4)
        return Made({job.files[0]: render_deck(notebook, job.task).encode("utf-8")})
