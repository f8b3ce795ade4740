"""A handout per country (``--pdf``): its brief on the first page, then the key takeaways of its lessons.

The brief is the notebook whose metadata says ``"jlnlearn": {"page": "brief"}``;
the takeaways are taken from the lesson pages built in the country's folder,
as they show them. A handout is printed by the same Chromium as the PDFs
(:mod:`jlnlearn.reports.outputs.pdf`) and is up to date while the pages it is
printed from, the paper and the package are unchanged.
"""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup

from jlnlearn.lesson import TAKEAWAYS_CLASS
from jlnlearn.reports.index import notebook_titles
from jlnlearn.reports.outputs import Context, Job, Made
from jlnlearn.reports.outputs.pdf import Pdf, brief_stem, digest
from jlnlearn.reports.plan import Status, results_on_disk
from jlnlearn.reports.run import Outcome
from jlnlearn.reports.templates import asset, render_macro

#: A lesson page's list of takeaways, as :func:`jlnlearn.lesson.footer` writes it.
TAKEAWAYS = re.compile(f'<ul class="{TAKEAWAYS_CLASS}">(.*?)</ul>', re.DOTALL)


def handout_section(country: str, lessons: list[Path], titles: dict[str, str]) -> Markup:
    """The takeaways of a handout's lessons, as they are on their pages, under their titles.

    >>> import tempfile
    >>> lesson = Path(tempfile.mkdtemp()) / "01_journey.html"
    >>> _ = lesson.write_text('<p>...</p><ul class="jlnlearn-takeaways"><li>Blend the incentives.</li></ul>')
    >>> print(handout_section("Ghana", [lesson], {"01_journey": "01 The journey"}))
    <section class="handout-takeaways">
    <h1>Key takeaways of the lessons: Ghana</h1>
    <h2>01 The journey</h2>
    <ul class="jlnlearn-takeaways"><li>Blend the incentives.</li></ul>
    </section>
    <BLANKLINE>
    """
    found = []
    for page in lessons:
        listed = TAKEAWAYS.search(page.read_text(encoding="utf-8"))
        if listed:
            found.append({"title": titles.get(page.stem, page.stem), "takeaways": Markup(listed.group(1))})
    return render_macro("handout_takeaways", country=country, lessons=found)


class Handout(Pdf):
    """``OUT/<ISO3>/<ISO3>-handout.pdf`` for every country whose brief the build built or found built."""

    name = "handout"
    unit = "handout"

    def jobs(self, context: Context) -> list[Job]:
        brief = brief_stem(context.notebooks)
        lessons = [path.stem for path in context.notebooks if path.stem != brief]
        found = []
        for result in context.results_of("page"):
            if result.stem != brief or result.status == Status.FAILED:
                continue
            pages = [context.out / result.folder / f"{stem}.html" for stem in self.lessons(context, result.folder,
                                                                                            [brief, *lessons])]
            found.append(Job(self.name, result.folder, f"{result.folder}-handout", result.label,
                             (str(Path(result.folder) / f"{result.folder}-handout.pdf"),),
                             digest(context, self.paper, pages, result.label)))
        return found

    @staticmethod
    def lessons(context: Context, folder: str, stems: list[str]) -> list[str]:
        """The pages of ``stems`` built (and not failed) in ``folder``, in order."""
        built = results_on_disk(context.out, folder, stems, {})
        return [stem for stem in stems if stem in built and built[stem].status != Status.FAILED]

    def make(self, job: Job, ran: Outcome | None, context: Context) -> Made:
        brief = brief_stem(context.notebooks)
        stems = self.lessons(context, job.folder, [path.stem for path in context.notebooks if path.stem != brief])
        folder = context.out / job.folder
        section = handout_section(job.label, [folder / f"{stem}.html" for stem in stems],
                                  notebook_titles(context.notebooks))
        return self.printed(job, folder / f"{brief}.html", section, asset("handout.css"))
