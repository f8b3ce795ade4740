"""The Excel files beside the pages that link them for download: lesson 02's calculators and
lesson 07's assessment, each for the page's country.

A reader of a page cannot run the notebook; these files are what they can do
instead. Lesson 02's workbook (:mod:`jlnlearn.reports.workbook`) holds the
calculators for the country, pre-filled with its facts and the lesson's
assumptions, to change and keep. Lesson 07's file
(:func:`jlnlearn.present.assessment_files.assessment_xlsx`) holds the assessment's
questions and the country's documented facts, in the page's language, with
cells for the learner's answers, which ``jlnlearn compare-assessments`` reads
back. Both are written with every page build, so that a page's link always
finds its file, and are up to date while the lesson, the data, the language
and the package are unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jlnlearn.lessons.assessment_file import DOWNLOAD_NAME as ASSESSMENT_NAME
from jlnlearn.lessons.assessment_file import Assessment
from jlnlearn.lessons.workbook import DOWNLOAD_NAME as CALCULATORS_NAME
from jlnlearn.present.assessment_files import assessment_xlsx
from jlnlearn.reports.outputs import Context, Job, Made, Output, Stage
from jlnlearn.reports.plan import NOTEBOOKS_DIR, Task, task_key
from jlnlearn.reports.run import Outcome, task_settings
from jlnlearn.reports.workbook import LESSON, workbook_bytes

#: The file each lesson's page links: the notebook's stem, the file's name, and what writes it for a country.
DOWNLOADS: dict[str, tuple[str, Callable[[str], bytes]]] = {
    LESSON.stem: (CALCULATORS_NAME, workbook_bytes),
    "07_assess_payment_system": (ASSESSMENT_NAME, lambda iso3: assessment_xlsx(Assessment(iso3))),
}


class CountryWorkbook(Output):
    """``OUT/<folder>/<file>.xlsx`` for every country's lesson 02 and lesson 07 in the build (:data:`DOWNLOADS`)."""

    name = "workbook"
    unit = "workbook"
    stage = Stage.AFTER

    def jobs(self, context: Context) -> list[Job]:
        return [Job(self.name, task.folder, task.stem, task.label,
                    (str(Path(task.folder) / DOWNLOADS[task.stem][0].format(iso3=task.parameters["country"])),),
                    self.digest(context, task), task)
                for task in context.tasks if task.stem in DOWNLOADS and "country" in task.parameters]

    @staticmethod
    def digest(context: Context, task: Task) -> str:
        """What decides the file: the data, the package, the lesson, the country and the language."""
        return task_key(context.shared, NOTEBOOKS_DIR / f"{task.stem}.ipynb", {"workbook": task.parameters["country"]},
                        task.language)

    def make(self, job: Job, ran: Outcome | None, context: Context) -> Made:
        assert job.task is not None  # the lesson's task whose page links the file
        with task_settings(job.task):
            return Made({job.files[0]: DOWNLOADS[job.task.stem][1](job.task.parameters["country"])})
