"""A learner copy of the notebooks and a facilitator guide, from the cells' tags.

Cells tagged ``solution`` hold an exercise's answer; cells tagged
``facilitator`` hold notes for whoever runs the session. The learner copy
drops both (a solution becomes an empty answer cell); the facilitator guide
collects them, with each lesson's objectives and timing, into one HTML page
per notebook, each solution followed by its answer when the notebook has been
run for it (see :mod:`jlnlearn.reports.guide`).
"""

from __future__ import annotations

import ast
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import papermill
from nbconvert.filters import markdown2html

from jlnlearn.i18n import N_, _
from jlnlearn.present import escape_html
from jlnlearn.reports.files import write_atomically
from jlnlearn.reports.html import notebook_title, page_shell
from jlnlearn.reports.plan import NOTEBOOKS_DIR
from jlnlearn.reports.translate import read_notebook

SOLUTION, FACILITATOR = "solution", "facilitator"
ANSWER_PLACEHOLDER = "# Your answer here"


def answer_placeholder() -> str:
    """The empty answer cell's comment, in the reader's language."""
    return "# " + _("Your answer here")


def tags(cell: Any) -> set[str]:
    """A cell's tags (``cell`` as nbformat reads it, or as the notebook file's JSON)."""
    return set(cell.get("metadata", {}).get("tags", []))


def learner_notebook(notebook: Any) -> Any:
    """``notebook`` without facilitator notes, each solution replaced by an empty answer cell."""
    copy = nbformat.from_dict(notebook)
    cells = []
    for cell in copy.cells:
        if FACILITATOR in tags(cell):
            continue
        if SOLUTION in tags(cell):
            if cells and cells[-1].cell_type == "code" and cells[-1].source.startswith(
                    (ANSWER_PLACEHOLDER, answer_placeholder())):
                continue  # the notebook already gives the learner an answer cell
            cells.append(nbformat.v4.new_code_cell(answer_placeholder()))
            continue
        cells.append(cell)
    copy.cells = cells
    return copy


def write_learner_copy(out: str | os.PathLike[str], notebooks_dir: Path | None = None) -> list[Path]:
    """Write every notebook's learner copy into ``out``, in the reader's language; returns the files written."""
    target = Path(out)
    written = []
    for path in sorted((notebooks_dir or NOTEBOOKS_DIR).glob("*.ipynb")):
        notebook = learner_notebook(read_notebook(path))
        write_atomically(target / path.name, nbformat.writes(notebook) + "\n")
        written.append(target / path.name)
    return written


def lesson_plan(notebook: Any) -> dict[str, Any]:
    """The arguments of the notebook's ``lesson.header(...)`` call (objectives, minutes...)."""
    for cell in notebook.cells:
        if cell.cell_type != "code" or "header(" not in cell.source:
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "header":
                return {keyword.arg: ast.literal_eval(keyword.value) for keyword in node.keywords}
    return {}


def default_parameters(notebook: Any) -> dict[str, Any]:
    """The values the notebook's ``parameters`` cell assigns (those written as literals).

    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell('country = "Ghana"  # any country', metadata={"tags": ["parameters"]})
    >>> default_parameters(nbformat.v4.new_notebook(cells=[cell]))
    {'country': 'Ghana'}
    """
    for cell in notebook.cells:
        if cell.cell_type == "code" and "parameters" in tags(cell):
            found = {}
            for statement in ast.parse(cell.source).body:
                if isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name):
                    try:
                        found[statement.targets[0].id] = ast.literal_eval(statement.value)
                    except ValueError:
                        continue
            return found
    return {}


def run_description(notebook: Any) -> str:
    """Says, in a sentence's words, what the answers were run for: the default country when there is one.

    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell('country = "Ghana"', metadata={"tags": ["parameters"]})
    >>> run_description(nbformat.v4.new_notebook(cells=[cell]))
    "for Ghana (the notebook's default <code>country</code>)"
    """
    parameters = default_parameters(notebook)
    if isinstance(parameters.get("country"), str):
        return _("for {country} (the notebook's default {parameter})").format(
            country=escape_html(parameters["country"]), parameter="<code>country</code>")
    return _("with the notebook's default parameters")


@dataclass(frozen=True)
class Answer:
    """What one solution cell gave when its notebook ran: its outputs as HTML, or why it has none."""

    html: str = ""
    #: Why the solution has no answer (it failed, or was not reached), or ``None``.
    problem: str | None = None


def answer_html(answer: Answer | None, ran_for: str) -> str:
    """The guide's block for one solution's answer; nothing when the notebook was not run.

    >>> answer_html(Answer("<pre>30.0</pre>"), "for Ghana").splitlines()
    ['<h3>Answer</h3><p>What the solution gives when run for Ghana:</p>', '<pre>30.0</pre>']
    >>> answer_html(Answer(problem="it failed: NameError: x"), "for Ghana")
    '<h3>Answer</h3><p class="banner">No answer: it failed: NameError: x</p>'
    """
    if answer is None:
        return ""
    heading = "<h3>" + escape_html(_('Answer')) + "</h3>"
    if answer.problem is not None:
        return heading + '<p class="banner">' + escape_html(_("No answer: {problem}").format(
            problem=answer.problem)) + "</p>"
    return heading + "<p>" + _("What the solution gives when run {ran_for}:").format(ran_for=ran_for) + \
        f"</p>\n{answer.html}"


def guide_page(notebook: Any, name: str, answers: Sequence[Answer] | None = None,
               ran_for: str = "", in_reports: bool = False) -> str:
    """The facilitator guide page of one notebook: plan, notes, and each exercise with its solution.

    With ``answers`` (one per solution, from running the notebook), each
    solution is followed by what it gives, run ``ran_for``. The page's
    content is one section whose anchor is the notebook's file stem, each
    exercise a section anchored ``exercise-<n>``; ``in_reports``: the guide
    sits in a reports folder, whose index the page links.
    """
    stem = Path(name).stem
    title = notebook_title(notebook)
    plan = lesson_plan(notebook)
    parts = [f'<article id="{escape_html(stem)}">', f"<h1>{escape_html(title)}</h1>",
             f"<p><code>{escape_html(name)}</code></p>"]
    if plan:
        minutes = _("{n} minutes").format(n=plan.get("minutes", "?"))
        parts.append("<p><b>" + escape_html(_('Time:')) + f"</b> {escape_html(minutes)} · "
                     f"<b>" + escape_html(_('Stream:')) + f"</b> {escape_html(_(str(plan.get('stream', ''))))}</p>")
        parts.append('<h2 id="objectives">' + escape_html(_("Objectives")) + '</h2><ul>' + "".join(
            f"<li>{escape_html(objective)}</li>" for objective in plan.get("objectives", [])) + "</ul>")
    notes = [cell for cell in notebook.cells if FACILITATOR in tags(cell)]
    none = "<p>" + escape_html(_('None in this notebook.')) + "</p>"
    parts.append('<h2 id="notes">' + escape_html(_("Facilitator notes")) + '</h2>')
    parts += [markdown2html(cell.source) for cell in notes] or [none]
    parts.append('<h2 id="exercises">' + escape_html(_("Exercises, solutions and answers")) + '</h2>')
    solutions = [index for index, cell in enumerate(notebook.cells) if SOLUTION in tags(cell)]
    for number, index in enumerate(solutions, start=1):
        exercise = next((c for c in reversed(notebook.cells[:index]) if "exercise" in tags(c)), None)
        parts.append(f'<section id="exercise-{number}">')
        if exercise is not None:
            parts.append(markdown2html(exercise.source))
        parts.append("<h3>" + escape_html(_('Solution')) + f"</h3>"
                     f"<pre><code>{escape_html(notebook.cells[index].source)}</code></pre>")
        if answers is not None:
            parts.append(answer_html(answers[number - 1] if number <= len(answers) else None, ran_for))
        parts.append("</section>")
    if not solutions:
        parts.append(none)
    parts.append("</article>")
    return page_shell(_("Facilitator guide: {title}").format(title=title),
                      guide_navigation(in_reports) + "\n".join(parts), depth=0)


def guide_navigation(in_reports: bool) -> str:
    """The links above a guide page: the guide's index, and the reports' index when beside them."""
    reports = ' · <a href="../index.html">' + escape_html(_("All countries")) + '</a>' if in_reports else ""
    return '<nav><a href="index.html">' + escape_html(_("Facilitator guide")) + f'</a>{reports}</nav>\n'


def write_facilitator_guide(out: str | os.PathLike[str], notebooks_dir: Path | None = None,
                            answers: Mapping[str, Sequence[Answer]] | None = None,
                            in_reports: bool = False) -> list[Path]:
    """Write one guide page per notebook, and an index, into ``out``, in the reader's language;
    returns the pages.

    ``answers`` gives, by notebook stem, each solution's answer from a run
    with the notebook's default parameters (see :func:`guide_page`).
    """
    target = Path(out)
    pages, links = [], []
    for path in sorted((notebooks_dir or NOTEBOOKS_DIR).glob("*.ipynb")):
        notebook = read_notebook(path)
        page = target / f"{path.stem}.html"
        found = None if answers is None else answers.get(path.stem, [])
        write_atomically(page, guide_page(notebook, path.name, found, run_description(notebook), in_reports))
        pages.append(page)
        count = sum(SOLUTION in tags(cell) for cell in notebook.cells)
        exercises = ", ".join(f'<a href="{page.name}#exercise-{n}">'
                              + escape_html(_("exercise {n}").format(n=n)) + "</a>" for n in range(1, count + 1))
        links.append(f'<li><a href="{page.name}">'
                     f"{escape_html(notebook_title(notebook))}</a>{': ' + exercises if exercises else ''}</li>")
    body = '<nav><a href="../index.html">' + escape_html(_("All countries")) + '</a></nav>\n' if in_reports else ""
    heading = escape_html(_("Facilitator guide"))
    write_atomically(target / "index.html", page_shell(
        _("Facilitator guide"), body + f"<h1>{heading}</h1><ul>" + "".join(links) + "</ul>", depth=0))
    return pages


def catalogue(notebooks_dir: str | os.PathLike[str] | None = None) -> list[dict[str, Any]]:
    """Each lesson notebook's file, title, time, stream, objectives and parameters, in file order.

    Read from the notebooks themselves (their first heading, their
    ``lesson.header(...)`` call and papermill's view of their parameters), so
    the map of the collection cannot drift from the lessons. Notebooks without
    a header (such as the map itself) are left out.

    >>> [entry["file"] for entry in catalogue()][:2]
    ['01_ppm_journey.ipynb', '02_phc_payment_models.ipynb']
    """
    entries = []
    for path in sorted(Path(notebooks_dir or NOTEBOOKS_DIR).glob("*.ipynb")):
        notebook = read_notebook(path)
        plan = lesson_plan(notebook)
        if not plan:
            continue
        entries.append({"file": path.name, "title": notebook_title(notebook),
                        "minutes": plan.get("minutes"), "stream": plan.get("stream", ""),
                        "objectives": plan.get("objectives", []),
                        "parameters": list(papermill.inspect_notebook(str(path)))})
    return entries


#: The columns of the collection's map.
CATALOGUE_HEADERS = (N_("notebook"), N_("what you will learn"), N_("time"), N_("stream"), N_("set before running"))


def catalogue_markdown(notebooks_dir: str | os.PathLike[str] | None = None) -> str:
    """The catalogue as a Markdown table whose links open each notebook (in JupyterLab too).

    >>> catalogue_markdown().splitlines()[2].startswith("| [01 The Provider Payment Mechanisms journey]")
    True
    """
    lines = ["| " + " | ".join(_(header) for header in CATALOGUE_HEADERS) + " |", "|---|---|---|---|---|"]
    for entry in catalogue(notebooks_dir):
        number = entry["file"].split("_")[0]
        goals = "<br>".join(entry["objectives"])
        settings = ", ".join(f"`{name}`" for name in entry["parameters"]) or _("nothing")
        minutes = _("{n} min").format(n=entry["minutes"])
        lines.append(f"| [{number} {entry['title']}]({entry['file']}) | {goals} | {minutes} | "
                     f"{_(entry['stream'])} | {settings} |")
    return "\n".join(lines)
