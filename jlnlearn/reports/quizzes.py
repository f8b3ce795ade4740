"""What the facilitator guide says of each lesson's quizzes and slides, read from the notebook itself.

- :func:`lesson_quizzes`: every quiz of a lesson in its order; a fixed one
  (``lesson.single``, ``multiple``, ``number``) as the :class:`~jlnlearn.lesson.Quiz`
  it makes, a country's (``questions.<name>(country, ...)``) by the question it asks;
- :func:`country_answers`: a country's quiz answered for each country of the
  build, formatted for a person (the answer, and why);
- :func:`slide_plan`: the slides of the lesson's deck, numbered as the deck
  numbers them, each with what it shows;
- :func:`discussion_prompts`: the questions the lesson's footer gives the room.

Nothing is run: the quiz calls hold literals, which are read, and a country's
quiz is asked of :mod:`jlnlearn.questions` directly.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jlnlearn import lesson, questions
from jlnlearn.i18n import _, joined, labelled
from jlnlearn.lesson import Quiz
from jlnlearn.present.formats import short_number
from jlnlearn.reports.pages import HEADING, tags
from jlnlearn.reports.slides import DECK_HIDDEN_TAGS

#: The calls of :mod:`jlnlearn.lesson` that make a fixed quiz.
FIXED = ("single", "multiple", "number")


@dataclass(frozen=True)
class LessonQuiz:
    """One quiz of a lesson: ``fixed`` the same for every country, or ``asks`` (a function of
    :mod:`jlnlearn.questions`) called with the country and the notebook's parameters ``arguments``."""

    fixed: Quiz | None = None
    asks: str = ""
    arguments: tuple[str, ...] = ()
    #: The number of its slide in the lesson's deck.
    slide: int = 0


def call_of(source: str) -> ast.Call | None:
    """The call a cell consists of (``module.function(...)``), or ``None``."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return None
    if len(body) == 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Call):
        return body[0].value
    return None


def called(call: ast.Call) -> tuple[str, str]:
    """``(module, function)`` of a call written ``module.function(...)``, else empty strings."""
    if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name):
        return call.func.value.id, call.func.attr
    return "", ""


def lesson_quizzes(notebook: Any) -> list[LessonQuiz]:
    """Every quiz of ``notebook``, in order, each with its slide's number.

    >>> import nbformat
    >>> cells = [nbformat.v4.new_markdown_cell("# A lesson"),
    ...          nbformat.v4.new_code_cell('lesson.single("Which?", {"A": "Yes.", "B": "No."}, answer="A")'),
    ...          nbformat.v4.new_code_cell("questions.capitation_question(country, phc_share)")]
    >>> found = lesson_quizzes(nbformat.v4.new_notebook(cells=cells))
    >>> found[0].fixed.correct, found[1].asks, found[1].arguments
    (['A'], 'capitation_question', ('phc_share',))
    """
    numbers = slide_numbers(notebook)
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or DECK_HIDDEN_TAGS & tags(cell):
            continue
        call = call_of(cell.source)
        if call is None:
            continue
        module, function = called(call)
        if module == "lesson" and function in FIXED:
            arguments = [ast.literal_eval(argument) for argument in call.args]
            keywords = {keyword.arg: ast.literal_eval(keyword.value) for keyword in call.keywords}
            found.append(LessonQuiz(fixed=getattr(lesson, function)(*arguments, **keywords),
                                    slide=numbers.get(index, 0)))
        elif module == "questions":
            names = tuple(argument.id for argument in call.args[1:] if isinstance(argument, ast.Name))
            found.append(LessonQuiz(asks=function, arguments=names, slide=numbers.get(index, 0)))
    return found


def answer_text(quiz: Quiz) -> str:
    """A quiz's right answer, as a person reads it.

    >>> answer_text(lesson.number("How much?", 62.5, tolerance=0.5, unit="US$ per person"))
    '62.5 ± 0.5 US$ per person'
    >>> answer_text(lesson.multiple("Which?", {"A": "", "B": "", "C": ""}, ["A", "C"]))
    'A; C'
    """
    if quiz.number is not None:
        around = f" ± {short_number(quiz.tolerance)}" if quiz.tolerance else ""
        return " ".join(filter(None, [f"{short_number(quiz.number)}{around}", quiz.unit]))
    return joined(quiz.correct)


def why(quiz: Quiz) -> str:
    """Why the answer is right: the quiz's explanation, or the feedback of its right options."""
    if quiz.explanation:
        return quiz.explanation
    return " ".join(quiz.options.get(option, "") for option in quiz.correct).strip()


def country_answers(item: LessonQuiz, countries: Sequence[str], parameters: dict[str, Any]) -> list[dict[str, str]]:
    """``item``'s question and answer for each country, or why the country gets none.

    ``parameters``: the notebook's defaults, for the question's other arguments.

    >>> rows = country_answers(LessonQuiz(asks="primary_care_question"), ["Thailand", "Tunisia"], {})
    >>> rows[0]["answer"], rows[1]["answer"]
    ('capitation', 'no question')
    """
    rows = []
    for name in countries:
        quiz = getattr(questions, item.asks)(name, *(parameters[argument] for argument in item.arguments))
        if quiz is None:
            rows.append({"country": name, "question": "", "answer": _("no question"),
                         "why": _("the data hold no fact to ask about for this country, so the page asks none")})
        else:
            rows.append({"country": name, "question": quiz.question, "answer": answer_text(quiz), "why": why(quiz)})
    return rows


def slide_type(cell: Any) -> str:
    """A cell's ``slideshow.slide_type``: ``-`` when it has none."""
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-") or "-"


def slide_numbers(notebook: Any) -> dict[int, int]:
    """The deck's slide number of each cell a deck shows, by the cell's index (counted as the deck counts:
    the first shown cell starts slide 1, each ``slide`` or ``subslide`` the next)."""
    numbers, number = {}, 0
    for index, cell in enumerate(notebook.cells):
        if DECK_HIDDEN_TAGS & tags(cell) or slide_type(cell) in ("skip", "notes"):
            continue
        if number == 0 or slide_type(cell) in ("slide", "subslide"):
            number += 1
        numbers[index] = number
    return numbers


def slide_plan(notebook: Any) -> list[dict[str, Any]]:
    """Each slide of the lesson's deck: its number and what it shows, in words.

    >>> import nbformat
    >>> cells = [nbformat.v4.new_markdown_cell("# Paying for care"),
    ...          nbformat.v4.new_markdown_cell("## Who pays", metadata={"slideshow": {"slide_type": "slide"}}),
    ...          nbformat.v4.new_code_cell("charts.population_pyramid(country)",
    ...                                    metadata={"slideshow": {"slide_type": "subslide"}})]
    >>> [(slide["number"], slide["shows"]) for slide in slide_plan(nbformat.v4.new_notebook(cells=cells))]
    [(1, 'Paying for care'), (2, 'Who pays'), (3, 'Who pays: chart')]
    """
    plan: list[dict[str, Any]] = []
    section = ""
    numbers = slide_numbers(notebook)
    for index, cell in enumerate(notebook.cells):
        if index not in numbers:
            continue
        heading = HEADING.search(cell.source) if cell.cell_type == "markdown" else None
        if heading:
            section = heading.group(1).strip()
        if plan and plan[-1]["number"] == numbers[index]:
            continue
        plan.append({"number": numbers[index], "shows": section_label(cell, section, heading is not None)})
    return plan


def section_label(cell: Any, section: str, is_heading: bool) -> str:
    """What a slide that starts with ``cell`` shows, in a few words."""
    if is_heading:
        return section
    call = call_of(cell.source) if cell.cell_type == "code" else None
    module, function = called(call) if call is not None else ("", "")
    if module == "questions" or function in FIXED:
        kind = _("a question for the room")
    elif function == "footer":
        kind = _("takeaways and discussion")
    elif module in ("charts", "widgets"):
        kind = _("chart")
    elif "fact_table" in cell.source:
        kind = _("table")
    else:
        words = cell.source.split()
        kind = " ".join(words[:8]) + (" ..." if len(words) > 8 else "")
    return labelled(section, kind) if section and module != "questions" and function not in FIXED + ("footer",) \
        else kind


def discussion_prompts(notebook: Any) -> list[str]:
    """The prompts of the lesson's ``lesson.footer(...)`` call, for discussion in the webinar."""
    for cell in notebook.cells:
        call = call_of(cell.source) if cell.cell_type == "code" else None
        if call is not None and called(call) == ("lesson", "footer"):
            for keyword in call.keywords:
                if keyword.arg == "prompts":
                    return list(ast.literal_eval(keyword.value))
    return []
