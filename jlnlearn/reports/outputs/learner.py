"""The learner copy: every notebook without its solutions or facilitator notes, in the build's language.

Each solution becomes an empty answer cell (see
:func:`jlnlearn.reports.teaching.learner_notebook`). A copy is up to date while
its notebook, the language and the package are unchanged. ``jlnlearn
learner-copy OUT`` writes it into OUT; a reports build asked for it puts it in
``OUT/learner/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat

from jlnlearn.i18n import DEFAULT_LANGUAGE, check_language, language_set
from jlnlearn.reports.files import check_writable
from jlnlearn.reports.languages import check_translated
from jlnlearn.reports.outputs import Context, Job, Made, Output, Stage, produce
from jlnlearn.reports.plan import NOTEBOOKS_DIR, Result, inputs_digest, task_key
from jlnlearn.reports.run import Outcome
from jlnlearn.reports.teaching import learner_notebook
from jlnlearn.reports.translate import read_notebook

#: Where a reports build puts the learner copy.
LEARNER_FOLDER = "learner"


class LearnerCopy(Output):
    """``OUT/<folder>/<notebook>.ipynb`` for every notebook."""

    name = "learner"
    unit = "learner notebook"
    stage = Stage.AFTER

    def __init__(self, folder: str = LEARNER_FOLDER) -> None:
        self.folder = folder

    def jobs(self, context: Context) -> list[Job]:
        return [Job(self.name, self.folder, path.stem, "", (str(Path(self.folder) / path.name),),
                    task_key(context.shared, path, {"copy": self.name}, context.language))
                for path in sorted(context.notebooks_dir.glob("*.ipynb"))]

    def make(self, job: Job, ran: Outcome | None, context: Context) -> Made:
        notebook = learner_notebook(read_notebook(context.notebooks_dir / f"{job.stem}.ipynb"))
        return Made({job.files[0]: (nbformat.writes(notebook) + "\n").encode("utf-8")})


def learner_copy(out: str | os.PathLike[str], lang: str = DEFAULT_LANGUAGE,
                 notebooks_dir: Path | None = None) -> list[Result]:
    """Write the learner copy of every notebook straight into ``out``, in language ``lang``; each
    notebook's result (a copy whose notebook is unchanged is up to date).

    Raises
    ------
    UsageError
        For a language not fully translated, or a folder that cannot be written, before any work.
    """
    out = Path(out)
    check_translated(check_language(lang))
    check_writable(out)
    output = LearnerCopy("")
    with language_set(lang):
        context = Context(out, notebooks_dir or NOTEBOOKS_DIR, language=lang, shared=inputs_digest(None))
        produce([output], context, Stage.AFTER)
    return context.results_of(output.name)
