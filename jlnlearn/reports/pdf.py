"""The PDFs of a build: each page printed beside its HTML, and a handout for each country.

The pages are printed by the Chromium already on the machine, run headless
once per PDF (:func:`find_chromium` says which one), never through a browser
driver. A country's handout is its brief (the notebook whose metadata says
``"jlnlearn": {"page": "brief"}``) followed by the key takeaways of each of
its lessons, as their pages show them.

A page is printed from a copy in a temporary folder whose ``<base>`` points at
the page's own folder, so plotly.js and the chart files load as they do for
the page itself; the copy also sets the paper, and the window is as wide as
the paper's printable width, so the charts are drawn for it. Every PDF is
written under a temporary name and renamed into place; a PDF newer than the
pages it is printed from, on the same paper, is not printed again.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jlnlearn.errors import UsageError
from jlnlearn.i18n import _
from jlnlearn.lesson import TAKEAWAYS_CLASS
from jlnlearn.present import escape_html
from jlnlearn.reports.files import write_atomically
from jlnlearn.reports.html import BRIEF_PAGE
from jlnlearn.reports.index import notebook_titles
from jlnlearn.reports.plan import Result, Status, results_on_disk
from jlnlearn.settings import CHROMIUM_ENV

#: Looked for on PATH, in this order, when ``JLNLEARN_CHROMIUM`` is not set.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
#: Paper sizes, width and height in millimetres, by the name ``--paper`` takes.
PAPERS = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
#: The margin the pages' print CSS gives every side of the paper, in millimetres.
MARGIN_MM = 14
#: The longest one page may take to print before it is reported failed.
PRINT_SECONDS = 120
#: What a handout adds to its brief's style: the takeaways start on a page of their own.
HANDOUT_CSS = ".handout-takeaways{break-before:page;font-size:10.5pt;line-height:1.4}"
#: A lesson page's list of takeaways, as :func:`jlnlearn.lesson.footer` writes it.
TAKEAWAYS = re.compile(f'<ul class="{TAKEAWAYS_CLASS}">(.*?)</ul>', re.DOTALL)
#: A PDF's first page size in points, as Chromium writes it.
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")

#: Progress reporting: called with the prints as they finish, their number and what they are.
Progress = Callable[[Iterable, int, str], Iterable]


def find_chromium() -> str:
    """The Chromium that prints the PDFs: ``$JLNLEARN_CHROMIUM``, else the first of
    :data:`CHROMIUM_NAMES` on PATH.

    Raises
    ------
    UsageError
        In one line, naming the option and how to get a Chromium, when there is none.
    """
    given = os.environ.get(CHROMIUM_ENV)
    if given:
        found = shutil.which(given)
        if found is None:
            raise UsageError(f"--pdf: {CHROMIUM_ENV}={given!r} is not an executable file: set it to "
                             "Chromium's path, or unset it to use chromium from PATH")
        return found
    for name in CHROMIUM_NAMES:
        if found := shutil.which(name):
            return found
    raise UsageError(f"--pdf prints the pages with Chromium, and none was found ({', '.join(CHROMIUM_NAMES)} "
                     f"on PATH): install it (apt-get install chromium) or set {CHROMIUM_ENV} to its path")


def paper_named(name: str) -> str:
    """The paper ``name`` stands for, in any case.

    >>> paper_named("letter")
    'Letter'

    Raises
    ------
    UsageError
        For a paper that is not one of :data:`PAPERS`.
    """
    for paper in PAPERS:
        if paper.lower() == name.strip().lower():
            return paper
    raise UsageError(f"unknown paper {name!r} (valid: {', '.join(PAPERS)})")


@dataclass(frozen=True)
class Print:
    """One PDF to print: ``pages[0]`` is the page printed; a handout adds its lessons' takeaways."""

    target: Path
    pages: tuple[Path, ...]
    #: The country's name, for a handout; empty for a page.
    handout_of: str = ""
    #: The lessons' titles by page stem, for a handout.
    titles: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass
class Printed:
    """What :func:`print_pdfs` did: the PDFs printed, those up to date, and what failed, and why."""

    printed: list[Path] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


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


def plan_prints(out: Path, results: Iterable[Result], notebooks: Sequence[Path]) -> list[Print]:
    """Every page the build built or found built, as a PDF beside it; then a handout for each of
    their countries whose brief is built, with the lessons built in its folder.

    ``notebooks`` are the country notebooks (the brief among them); failed pages are not printed.
    """
    done = [r for r in results if r.status != Status.FAILED]
    prints = [Print(out / r.folder / f"{r.stem}.pdf", (out / r.folder / f"{r.stem}.html",)) for r in done]
    brief = brief_stem(notebooks)
    titles = notebook_titles(notebooks)
    lessons = [path.stem for path in notebooks if path.stem != brief]
    for result in done:
        if result.stem != brief:
            continue
        folder = out / result.folder
        built = results_on_disk(out, result.folder, lessons, {})
        pages = [folder / f"{stem}.html" for stem in lessons
                 if stem in built and built[stem].status != Status.FAILED]
        prints.append(Print(folder / f"{result.folder}-handout.pdf", (folder / f"{brief}.html", *pages),
                            result.label, titles))
    return prints


def paper_of(pdf: bytes) -> str | None:
    """The paper of a PDF's first page, if it is one of :data:`PAPERS` (within a millimetre).

    >>> paper_of(b"<< /Type /Page /MediaBox [0 0 594.95996 841.91998] >>"), paper_of(b"%PDF")
    ('A4', None)
    """
    found = MEDIA_BOX.search(pdf)
    if found is None:
        return None
    width, height = (float(value) * 25.4 / 72 for value in found.groups())
    return next((name for name, (w, h) in PAPERS.items() if abs(w - width) < 1 and abs(h - height) < 1), None)


def up_to_date(job: Print, paper: str) -> bool:
    """Whether the job's PDF is newer than every page it is printed from, and on ``paper``."""
    try:
        printed = job.target.stat().st_mtime
        newest = max(page.stat().st_mtime for page in job.pages)
        return printed >= newest and paper_of(job.target.read_bytes()) == paper
    except OSError:
        return False


def handout_section(job: Print) -> str:
    """The takeaways of a handout's lessons, as they are on their pages, under their titles.

    >>> import tempfile
    >>> lesson = Path(tempfile.mkdtemp()) / "01_journey.html"
    >>> _ = lesson.write_text('<p>...</p><ul class="jlnlearn-takeaways"><li>Blend the incentives.</li></ul>')
    >>> print(handout_section(Print(lesson.with_name("GHA-handout.pdf"), (lesson.with_name("06.html"), lesson),
    ...                             "Ghana", {"01_journey": "01 The journey"})))
    <section class="handout-takeaways">
    <h1>Key takeaways of the lessons: Ghana</h1>
    <h2>01 The journey</h2>
    <ul class="jlnlearn-takeaways"><li>Blend the incentives.</li></ul>
    </section>
    <BLANKLINE>
    """
    parts = []
    for page in job.pages[1:]:
        found = TAKEAWAYS.search(page.read_text(encoding="utf-8"))
        if found:
            title = escape_html(job.titles.get(page.stem, page.stem))
            parts.append(f'<h2>{title}</h2>\n<ul class="{TAKEAWAYS_CLASS}">{found.group(1)}</ul>')
    name = escape_html(job.handout_of)
    if not parts:
        parts.append("<p>" + _("No lesson of {country} with takeaways is built in this folder yet: build its "
                               "lessons, then print again, to add them here.").format(country=name) + "</p>")
    heading = _("Key takeaways of the lessons: {country}").format(country=name)
    return f'<section class="handout-takeaways">\n<h1>{heading}</h1>\n' + "\n".join(parts) + "\n</section>\n"


def printable_page(job: Print, paper: str) -> str:
    """The HTML Chromium prints for ``job``: its page set on ``paper``, its links kept pointing at
    the page's folder, and a handout's takeaways after it.

    >>> import tempfile
    >>> page = Path(tempfile.mkdtemp()) / "06.html"
    >>> _ = page.write_text("<html><head>\\n<title>t</title></head><body>brief</body></html>")
    >>> text = printable_page(Print(page.with_suffix(".pdf"), (page,)), "A4")
    >>> "@page{size:210.0mm 297.0mm}" in text, f'<base href="{page.parent.as_uri()}/">' in text
    (True, True)
    """
    text = job.pages[0].read_text(encoding="utf-8")
    width, height = PAPERS[paper]
    style = f"@page{{size:{width}mm {height}mm}}" + (HANDOUT_CSS if job.handout_of else "")
    head = f'<head>\n<base href="{job.pages[0].parent.resolve().as_uri()}/">\n<style>{style}</style>'
    text = text.replace("<head>", head, 1)
    if job.handout_of:
        before, end, after = text.rpartition("</body>")
        text = before + handout_section(job) + end + after
    return text


def window_width(paper: str) -> int:
    """The window's width in CSS pixels that gives a page's content the paper's printable width
    (the screen style pads the body by 1rem each side).

    >>> window_width("A4"), window_width("Letter")
    (720, 742)
    """
    return round((PAPERS[paper][0] - 2 * MARGIN_MM) / 25.4 * 96) + 32


class Printer:
    """Runs Chromium headless, one process per PDF, and stops every one still running on :meth:`stop`."""

    def __init__(self, chromium: str, paper: str, seconds: float = PRINT_SECONDS) -> None:
        self.chromium, self.paper, self.seconds = chromium, paper, seconds
        self.running: set[subprocess.Popen] = set()
        self.lock = threading.Lock()

    def print(self, job: Print, out: Path) -> str | None:
        """Print ``job`` into its PDF; ``None``, or what failed, naming the PDF."""
        name = job.target.relative_to(out).as_posix() if job.target.is_relative_to(out) else str(job.target)
        with tempfile.TemporaryDirectory(prefix="jlnlearn-print-") as scratch:
            source, pdf = Path(scratch) / "page.html", Path(scratch) / "page.pdf"
            try:
                source.write_text(printable_page(job, self.paper), encoding="utf-8")
            except OSError as error:
                return f"{name}: its page could not be read: {error.strerror or error}"
            command = [self.chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                       "--disable-extensions", "--disable-sync", "--disable-background-networking",
                       "--disable-component-update", f"--user-data-dir={Path(scratch) / 'profile'}",
                       f"--window-size={window_width(self.paper)},1000", "--no-pdf-header-footer",
                       f"--print-to-pdf={pdf}", source.as_uri()]
            failed = self.run(command)
            if failed is None and not (pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-"):
                failed = "Chromium wrote no PDF"
            if failed is not None:
                return f"{name}: {failed}"
            try:
                write_atomically(job.target, pdf.read_bytes())
            except OSError as error:
                return f"{name}: could not be written: {error.strerror or error}"
        return None

    def run(self, command: list[str]) -> str | None:
        """Run one Chromium in a session of its own (its helpers stop with it); ``None`` or why it failed."""
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                   errors="replace", start_new_session=True)
        with self.lock:
            self.running.add(process)
        try:
            _, errors = process.communicate(timeout=self.seconds)
        except subprocess.TimeoutExpired:
            self.kill(process)
            return f"Chromium took more than {self.seconds:.0f} s"
        finally:
            with self.lock:
                self.running.discard(process)
        if process.returncode != 0:
            last = next((line for line in reversed(errors.splitlines()) if line.strip()), "no message")
            return f"Chromium exited with code {process.returncode}: {last.strip()}"
        return None

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()

    def stop(self) -> None:
        """Stop every Chromium still printing."""
        with self.lock:
            running = list(self.running)
        for process in running:
            self.kill(process)


def print_pdfs(out: Path, results: Iterable[Result], notebooks: Sequence[Path], paper: str,
               chromium: str, jobs: int | None = None, force: bool = False,
               progress: Progress | None = None) -> Printed:
    """Print the build's pages and handouts to PDF, ``jobs`` at a time (default: the number of cores).

    A PDF that fails is listed with its reason and the others are printed;
    nothing already written is removed. On Ctrl-C, the Chromiums still
    printing are stopped and :class:`KeyboardInterrupt` is raised again.
    """
    started = time.perf_counter()
    done = Printed()
    todo = []
    for job in plan_prints(out, results, notebooks):
        if not force and up_to_date(job, paper):
            done.up_to_date.append(job.target)
        else:
            todo.append(job)
    if not todo:
        done.seconds = time.perf_counter() - started
        return done
    printer = Printer(chromium, paper)
    pool = concurrent.futures.ThreadPoolExecutor(max(1, min(jobs or os.cpu_count() or 1, len(todo))))
    try:
        futures = {pool.submit(printer.print, job, out): job for job in todo}
        finished = concurrent.futures.as_completed(futures)
        for future in progress(finished, len(todo), "PDF") if progress else finished:
            failed = future.result()
            if failed is None:
                done.printed.append(futures[future].target)
            else:
                done.failures.append(failed)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        printer.stop()
        raise
    pool.shutdown()
    order = {job.target: place for place, job in enumerate(todo)}
    done.printed.sort(key=order.__getitem__)
    done.seconds = time.perf_counter() - started
    return done
