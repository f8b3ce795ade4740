"""The calculators' Excel workbook beside each country's lesson 02 page, which links it for download.

A reader of the page cannot run the notebook; the workbook
(:mod:`jlnlearn.reports.workbook`) is what they can do instead: lesson 02's
calculators for their country, pre-filled with its facts and the lesson's
assumptions, to change and keep. It is written with every page build, so
that the page's link always finds its file, and is up to date while the
lesson, the data and the package are unchanged.
"""

from __future__ import annotations

from pathlib import Path

from jlnlearn.lessons.workbook import DOWNLOAD_NAME
from jlnlearn.reports.outputs import Context, Job, Made, Output, Stage
from jlnlearn.reports.plan import task_key
from jlnlearn.reports.run import Outcome
from jlnlearn.reports.workbook import LESSON, workbook_bytes


class CountryWorkbook(Output):
    """``OUT/<folder>/payment-calculators-<ISO3>.xlsx`` for every country's lesson 02 in the build."""

    name = "workbook"
    unit = "workbook"
    stage = Stage.AFTER

    def jobs(self, context: Context) -> list[Job]:
        return [Job(self.name, task.folder, task.stem, task.label,
                    (str(Path(task.folder) / DOWNLOAD_NAME.format(iso3=task.parameters["country"])),),
                    task_key(context.shared, LESSON, {"workbook": task.parameters["country"]}), task)
                for task in context.tasks if task.stem == LESSON.stem and "country" in task.parameters]

    def make(self, job: Job, ran: Outcome | None, context: Context) -> Made:
        assert job.task is not None  # the lesson 02 task whose page links the workbook
        return Made({job.files[0]: workbook_bytes(job.task.parameters["country"])})
