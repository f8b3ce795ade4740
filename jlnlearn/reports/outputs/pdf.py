"""Each page printed to a PDF beside it (``--pdf``), on A4 or US Letter, by the machine's Chromium.

One Chromium prints every PDF of a build, a few tabs at a time, over the
DevTools protocol (see :mod:`jlnlearn.reports.printing`). A page is printed
from a copy in a temporary folder whose ``<base>`` points at the page's own
folder, so plotly.js and the chart files load as they do for the page itself;
the copy also sets the paper. A PDF is up to date while the page it was
printed from, the paper and the package are unchanged (a content hash, as for
pages: a page rebuilt the same is not printed again). A PDF that fails is
listed with its reason; what was printed before is kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from jlnlearn.reports.outputs import Context, Job, Made, Output, Stage
from jlnlearn.reports.pages import BRIEF_PAGE
from jlnlearn.reports.plan import Status
from jlnlearn.reports.printing import PAPERS, Chromium, PrintError, find_chromium, paper_named
from jlnlearn.reports.run import Outcome
from jlnlearn.reports.templates import render

#: A PDF's first page size in points, as Chromium writes it.
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")


def brief_stem(notebooks: Sequence[Path]) -> str | None:
    """The stem of the notebook that is each country's brief, if one of ``notebooks`` is.

    >>> from jlnlearn.reports.plan import report_notebooks
    >>> brief_stem(report_notebooks())
    '06_country_profile'
    """
    for path in notebooks:
        if json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("jlnlearn", {}).get(
                "page") == BRIEF_PAGE:
            return path.stem
    return None


def paper_of(pdf: bytes) -> str | None:
    """The paper of a PDF's first page, if it is one of :data:`~jlnlearn.reports.printing.PAPERS`
    (within a millimetre).

    >>> paper_of(b"<< /Type /Page /MediaBox [0 0 594.95996 841.91998] >>"), paper_of(b"%PDF")
    ('A4', None)
    """
    found = MEDIA_BOX.search(pdf)
    if found is None:
        return None
    width, height = (float(value) * 25.4 / 72 for value in found.groups())
    return next((name for name, (w, h) in PAPERS.items() if abs(w - width) < 1 and abs(h - height) < 1), None)


def printable_page(page: Path, paper: str, after: str = "", extra_css: str = "") -> str:
    """The HTML Chromium prints for ``page``: set on ``paper``, its links kept pointing at the
    page's folder, and ``after`` (a handout's takeaways) at the end of its body.

    >>> page = Path(tempfile.mkdtemp()) / "06.html"
    >>> _ = page.write_text("<html><head>\\n<title>t</title></head><body>brief</body></html>")
    >>> text = printable_page(page, "A4")
    >>> "@page{size:210.0mm 297.0mm}" in text, f'<base href="{page.parent.as_uri()}/">' in text
    (True, True)
    """
    text = page.read_text(encoding="utf-8")
    head = render("print-head.html.j2", folder=page.parent.resolve().as_uri(), size=PAPERS[paper], css=extra_css)
    text = text.replace("<head>", head, 1)
    if after:
        before, end, rest = text.rpartition("</body>")
        text = before + str(after) + end + rest
    return text


def digest(context: Context, paper: str, pages: Sequence[Path], *more: str) -> str:
    """A PDF's digest: the pages it is printed from, the paper, the package, and ``more``."""
    found = hashlib.sha256("\0".join([context.shared, paper, *more]).encode())
    for page in pages:
        found.update(page.read_bytes())
    return found.hexdigest()


class Pdf(Output):
    """``OUT/<folder>/<notebook>.pdf`` for every page the build built or found built (not failed ones)."""

    name = "pdf"
    unit = "PDF"
    stage = Stage.AFTER
    needs = ("page",)

    def __init__(self, paper: str = "A4", at_once: int | None = None) -> None:
        self.paper = paper_named(paper)
        self.at_once = at_once or os.cpu_count() or 1
        self.browser: Chromium | PrintError | None = None

    def check(self) -> None:
        self.chromium = find_chromium()

    def jobs(self, context: Context) -> list[Job]:
        found = []
        for result in context.results_of("page"):
            if result.status != Status.FAILED:
                page = context.out / result.folder / f"{result.stem}.html"
                found.append(Job(self.name, result.folder, result.stem, result.label,
                                 (str(Path(result.folder) / f"{result.stem}.pdf"),),
                                 digest(context, self.paper, [page])))
        return found

    @contextlib.contextmanager
    def session(self, context: Context) -> Iterator[None]:
        """One Chromium for every PDF of this output; a browser that cannot start fails each PDF, saying why."""
        try:
            self.browser = Chromium(self.chromium)
        except PrintError as failure:
            self.browser = failure
        try:
            yield
        finally:
            if isinstance(self.browser, Chromium):
                self.browser.close()
            self.browser = None

    def make(self, job: Job, ran: Outcome | None, context: Context) -> Made:
        return self.printed(job, context.out / job.folder / f"{job.stem}.html")

    def printed(self, job: Job, page: Path, after: str = "", extra_css: str = "") -> Made:
        """``page`` printed (``after`` at the end of its body) into the job's PDF, or why it was not."""
        if not isinstance(self.browser, Chromium):
            return Made({}, str(self.browser or "Chromium was not started"))
        with tempfile.TemporaryDirectory(prefix="jlnlearn-print-") as scratch:
            source = Path(scratch) / "page.html"
            try:
                source.write_text(printable_page(page, self.paper, after, extra_css), encoding="utf-8")
            except OSError as error:
                return Made({}, f"its page could not be read: {error.strerror or error}")
            try:
                return Made({job.files[0]: self.browser.print_pdf(source, self.paper)})
            except PrintError as failure:
                return Made({}, str(failure))
