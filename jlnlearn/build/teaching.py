"""A learner copy of the notebooks and a facilitator guide, from the cells' tags.

Cells tagged ``solution`` hold an exercise's answer; cells tagged
``facilitator`` hold notes for whoever runs the session. The learner copy
drops both (a solution becomes an empty answer cell); the facilitator guide
collects them, with each lesson's objectives and timing, into one HTML page
per notebook.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Any

from jlnlearn.build.files import write_atomically
from jlnlearn.build.html import notebook_title, page_shell
from jlnlearn.build.plan import NOTEBOOKS_DIR
from jlnlearn.present import escape_html

SOLUTION, FACILITATOR = "solution", "facilitator"
ANSWER_PLACEHOLDER = "# Your answer here"


def tags(cell: Any) -> set[str]:
    return set(cell.metadata.get("tags", []))


def learner_notebook(notebook: Any) -> Any:
    """``notebook`` without facilitator notes, each solution replaced by an empty answer cell."""
    import nbformat  # heavy (about 2 s with its validator): only when notebooks are written
    copy = nbformat.from_dict(notebook)
    cells = []
    for cell in copy.cells:
        if FACILITATOR in tags(cell):
            continue
        if SOLUTION in tags(cell):
            if cells and cells[-1].cell_type == "code" and cells[-1].source.startswith(ANSWER_PLACEHOLDER):
                continue  # the notebook already gives the learner an answer cell
            cells.append(nbformat.v4.new_code_cell(ANSWER_PLACEHOLDER))
            continue
        cells.append(cell)
    copy.cells = cells
    return copy


def write_learner_copy(out: str | os.PathLike[str], notebooks_dir: Path | None = None) -> list[Path]:
    """Write every notebook's learner copy into ``out``; returns the files written."""
    import nbformat

    target = Path(out)
    written = []
    for path in sorted((notebooks_dir or NOTEBOOKS_DIR).glob("*.ipynb")):
        notebook = learner_notebook(nbformat.read(path, as_version=4))
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


def guide_page(notebook: Any, name: str) -> str:
    """The facilitator guide page of one notebook."""
    from nbconvert.filters import markdown2html  # heavy: only when a guide is written

    title = notebook_title(notebook)
    plan = lesson_plan(notebook)
    parts = [f"<h1>{escape_html(title)}</h1>", f"<p><code>{escape_html(name)}</code></p>"]
    if plan:
        parts.append(f"<p><b>Time:</b> {plan.get('minutes', '?')} minutes · "
                     f"<b>Stream:</b> {escape_html(str(plan.get('stream', '')))}</p>")
        parts.append("<h2>Objectives</h2><ul>" + "".join(
            f"<li>{escape_html(objective)}</li>" for objective in plan.get("objectives", [])) + "</ul>")
    notes = [cell for cell in notebook.cells if FACILITATOR in tags(cell)]
    parts.append("<h2>Facilitator notes</h2>")
    parts += [markdown2html(cell.source) for cell in notes] or ["<p>None in this notebook.</p>"]
    parts.append("<h2>Exercises and solutions</h2>")
    solutions = 0
    for index, cell in enumerate(notebook.cells):
        if SOLUTION not in tags(cell):
            continue
        solutions += 1
        exercise = next((c for c in reversed(notebook.cells[:index]) if "exercise" in tags(c)), None)
        if exercise is not None:
            parts.append(markdown2html(exercise.source))
        parts.append(f"<pre><code>{escape_html(cell.source)}</code></pre>")
    if not solutions:
        parts.append("<p>None in this notebook.</p>")
    return page_shell(f"Facilitator guide: {title}", "\n".join(parts), depth=0)


def write_facilitator_guide(out: str | os.PathLike[str],
                            notebooks_dir: Path | None = None) -> list[Path]:
    """Write one guide page per notebook, and an index, into ``out``; returns the pages."""
    import nbformat

    target = Path(out)
    pages, links = [], []
    for path in sorted((notebooks_dir or NOTEBOOKS_DIR).glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        page = target / f"{path.stem}.html"
        write_atomically(page, guide_page(notebook, path.name))
        pages.append(page)
        links.append(f'<li><a href="{page.name}">{escape_html(notebook_title(notebook))}</a></li>')
    write_atomically(target / "index.html", page_shell(
        "Facilitator guide", "<h1>Facilitator guide</h1><ul>" + "".join(links) + "</ul>", depth=0))
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
    import nbformat
    import papermill  # heavy: only when the catalogue is asked for

    entries = []
    for path in sorted(Path(notebooks_dir or NOTEBOOKS_DIR).glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        plan = lesson_plan(notebook)
        if not plan:
            continue
        entries.append({"file": path.name, "title": notebook_title(notebook),
                        "minutes": plan.get("minutes"), "stream": plan.get("stream", ""),
                        "objectives": plan.get("objectives", []),
                        "parameters": list(papermill.inspect_notebook(str(path)))})
    return entries


def catalogue_markdown(notebooks_dir: str | os.PathLike[str] | None = None) -> str:
    """The catalogue as a Markdown table whose links open each notebook (in JupyterLab too).

    >>> catalogue_markdown().splitlines()[2].startswith("| [01 The Provider Payment Mechanisms journey]")
    True
    """
    lines = ["| notebook | what you will learn | time | stream | set before running |",
             "|---|---|---|---|---|"]
    for entry in catalogue(notebooks_dir):
        number = entry["file"].split("_")[0]
        goals = "<br>".join(entry["objectives"])
        settings = ", ".join(f"`{name}`" for name in entry["parameters"]) or "nothing"
        lines.append(f"| [{number} {entry['title']}]({entry['file']}) | {goals} | {entry['minutes']} min | "
                     f"{entry['stream']} | {settings} |")
    return "\n".join(lines)
