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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import papermill
from markupsafe import Markup
from nbconvert.filters import markdown2html

from jlnlearn.i18n import N_, _
from jlnlearn.reports.pages import notebook_title, page_shell, tags
from jlnlearn.reports.plan import NOTEBOOKS_DIR
from jlnlearn.reports.quizzes import answer_text, country_answers, discussion_prompts, lesson_quizzes, slide_plan, why
from jlnlearn.reports.templates import render, shown, translated
from jlnlearn.reports.translate import read_notebook

SOLUTION, FACILITATOR = "solution", "facilitator"
ANSWER_PLACEHOLDER = "# Your answer here"


def answer_placeholder() -> str:
    """The empty answer cell's comment, in the reader's language."""
    return "# " + _("Your answer here")


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


def run_description(notebook: Any) -> Markup:
    """Says, in a sentence's words, what the answers were run for: the default country when there is one.

    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell('country = "Ghana"', metadata={"tags": ["parameters"]})
    >>> str(run_description(nbformat.v4.new_notebook(cells=[cell])))
    'for Ghana (the notebook&#x27;s default <code>country</code>)'
    """
    parameters = default_parameters(notebook)
    if isinstance(parameters.get("country"), str):
        return translated("for {country} (the notebook's default {parameter})", country=parameters["country"],
                          parameter=Markup("<code>country</code>"))
    return shown(_("with the notebook's default parameters"))


@dataclass(frozen=True)
class Answer:
    """What one solution cell gave when its notebook ran: its outputs as HTML, or why it has none."""

    html: str = ""
    #: Why the solution has no answer (it failed, or was not reached), or ``None``.
    problem: str | None = None


def guide_page(notebook: Any, name: str, answers: Sequence[Answer] | None = None,
               ran_for: str = "", in_reports: bool = False, countries: Sequence[str] = ()) -> str:
    """The facilitator guide page of one notebook: the session plan (timing, the deck's slides, the
    questions to ask), notes, every quiz with its answer, and each exercise with its solution.

    A quiz about the country is answered for each of ``countries`` (the
    build's; without any, the notebook's default country).

    With ``answers`` (one per solution, from running the notebook), each
    solution is followed by what it gives, run ``ran_for`` (or, for a
    solution without its answer, why). The page's content is one section
    whose anchor is the notebook's file stem, each exercise a section
    anchored ``exercise-<n>``; ``in_reports``: the guide sits in a reports
    folder, whose index the page links.

    >>> import nbformat
    >>> cells = [nbformat.v4.new_markdown_cell("# Payments"),
    ...          nbformat.v4.new_code_cell("x = 30", metadata={"tags": ["solution"]})]
    >>> page = guide_page(nbformat.v4.new_notebook(cells=cells), "01_pay.ipynb",
    ...                   [Answer(problem="it failed: NameError: x")], "for Ghana")
    >>> '<section id="exercise-1">' in page, '<p class="banner">No answer: it failed: NameError: x</p>' in page
    (True, True)
    """
    title = notebook_title(notebook)
    exercises = []
    solutions = [index for index, cell in enumerate(notebook.cells) if SOLUTION in tags(cell)]
    for number, index in enumerate(solutions, start=1):
        exercise = next((c for c in reversed(notebook.cells[:index]) if "exercise" in tags(c)), None)
        exercises.append({"text": None if exercise is None else Markup(markdown2html(exercise.source)),
                          "solution": notebook.cells[index].source,
                          "answer": answers[number - 1] if answers is not None and number <= len(answers) else None})
    for exercise in exercises:
        if exercise["answer"] is not None:
            exercise["answer"] = {"problem": exercise["answer"].problem, "html": Markup(exercise["answer"].html)}
    notes = [Markup(markdown2html(cell.source)) for cell in notebook.cells if FACILITATOR in tags(cell)]
    defaults = default_parameters(notebook)
    asked = list(countries) or ([defaults["country"]] if isinstance(defaults.get("country"), str) else [])
    quizzes = [{"slide": item.slide, "fixed": item.fixed, "answer": answer_text(item.fixed) if item.fixed else "",
                "why": why(item.fixed) if item.fixed else "",
                "countries": [] if item.fixed else country_answers(item, asked, defaults)}
               for item in lesson_quizzes(notebook)]
    body = render("guide.html.j2", stem=Path(name).stem, name=name, title=title, plan=lesson_plan(notebook),
                  notes=notes, exercises=exercises, ran_for=Markup(ran_for), in_reports=in_reports,
                  slides=slide_plan(notebook), quizzes=quizzes, prompts=discussion_prompts(notebook))
    return page_shell(_("Facilitator guide: {title}").format(title=title), body, depth=0)


def guide_index_page(notebooks: Sequence[tuple[str, Any]], in_reports: bool = False) -> str:
    """The guide's index: each notebook (its file name and content) by title, with a link to each of
    its exercises; ``in_reports``: the guide sits in a reports folder, whose index it links."""
    entries = [{"stem": Path(name).stem, "title": notebook_title(notebook),
                "exercises": sum(SOLUTION in tags(cell) for cell in notebook.cells)} for name, notebook in notebooks]
    body = render("guide-index.html.j2", entries=entries, in_reports=in_reports)
    return page_shell(_("Facilitator guide"), body, depth=0)


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
