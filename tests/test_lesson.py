"""Lesson toolkit: header, quizzes, sources footer, learner copy and facilitator guide."""

from __future__ import annotations

import re
import subprocess
import sys

import nbformat
import pytest

import jlnlearn
from jlnlearn import lesson
from jlnlearn.cli import main
from jlnlearn.data import sources
from jlnlearn.lessons import profile
from jlnlearn.reports import Options
from jlnlearn.reports.outputs.learner import learner_copy
from tests.conftest import REPO


def test_header_shows_time_stream_objectives_and_checks_them():
    html_text = lesson.header(["Explain capitation"], 45, "strategic purchasing", ["01"])._repr_html_()
    assert "45 minutes" in html_text and "strategic purchasing" in html_text
    assert "<li>Explain capitation</li>" in html_text
    with pytest.raises(ValueError, match="stream 'finance' is not one of"):
        lesson.header(["x"], 10, "finance")
    with pytest.raises(ValueError, match="at least one learning objective"):
        lesson.header([], 10, "service delivery")


def test_single_choice_quiz_gives_feedback_on_every_option():
    quiz = lesson.single("Which?", {"A": "because a", "B <b>": "because b"}, "A")
    assert quiz.is_correct("A") and not quiz.is_correct("B <b>")
    page = quiz._repr_html_()
    assert page.count("<details") == 2
    assert "<summary>B &lt;b&gt;</summary><p><b>Not right.</b> because b</p>" in page
    assert '<details class="right"><summary>A</summary><p><b>Right.</b> because a</p>' in page


def test_multiple_choice_needs_exactly_the_right_set():
    quiz = lesson.multiple("Which?", {"A": "", "B": "", "C": ""}, ["A", "C"])
    assert quiz.is_correct(["C", "A"]) and not quiz.is_correct(["A"])
    assert "More than one answer is right" in quiz._repr_html_()


def test_number_quiz_respects_the_tolerance():
    quiz = lesson.number("Rate per person?", 50.0, tolerance=0.5, unit="US$")
    assert quiz.is_correct(50.5) and not quiz.is_correct(50.6)
    assert quiz.check(49.6).startswith("Correct.")
    assert "50 ± 0.5 US$" in quiz._repr_html_()


def test_bad_quizzes_are_refused_with_clear_errors():
    with pytest.raises(ValueError, match="must be among the options"):
        lesson.single("Q?", {"A": "", "B": ""}, "C")
    with pytest.raises(ValueError, match="at least two options"):
        lesson.single("Q?", {"A": ""}, "A")
    with pytest.raises(ValueError, match="tolerance must not be negative"):
        lesson.number("Q?", 1, tolerance=-1)


def test_footer_lists_the_sources_of_what_was_shown():
    lesson.header(["x"], 5, "service delivery")  # starts a new lesson
    profile.payment_mechanisms("Philippines")
    page = lesson.footer(["a takeaway"], ["a prompt"])._repr_html_()
    assert re.search(r"\[C-PH3\] <a href=\"https://[^\"]+\">Capitation rate for PhilHealth", page)
    assert "[C-PH4]" in page
    assert "[C-GH1]" not in page  # Ghana's rows were never shown
    lesson.header(["x"], 5, "service delivery")
    assert sources.used().empty


NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def test_learner_copy_has_no_solutions_or_notes_and_keeps_an_answer_cell(tmp_path):
    assert main(["learner-copy", str(tmp_path)]) == 0
    for original in NOTEBOOKS:
        copy = nbformat.read(tmp_path / original.name, as_version=4)
        for cell in copy.cells:
            assert not {"solution", "facilitator"} & set(cell.metadata.get("tags", []))
        source = nbformat.read(original, as_version=4)
        if any("solution" in c.metadata.get("tags", []) for c in source.cells):
            assert any(c.source.startswith("# Your answer here") for c in copy.cells)
        assert len(copy.cells) < len(source.cells) or not any(
            {"solution", "facilitator"} & set(c.metadata.get("tags", [])) for c in source.cells)


def test_learner_copies_still_run(tmp_path):
    assert [result.status for result in learner_copy(tmp_path / "copy")] == ["built"] * 8
    runs = [subprocess.Popen(  # both at once: each is mostly a kernel starting
        [sys.executable, "-m", "papermill", str(tmp_path / "copy" / name), str(tmp_path / name),
         "-p", "country", "Myanmar", "--cwd", str(REPO / "notebooks"), "--no-progress-bar"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for name in ["01_ppm_journey.ipynb", "04_partnership_timeline.ipynb"]]
    for run in runs:
        _, errors = run.communicate(timeout=600)
        assert run.returncode == 0, errors[-2000:]


def test_facilitator_guide_has_objectives_timing_notes_and_solutions(tmp_path):
    assert main(["facilitator-guide", str(tmp_path)]) == 0
    page = (tmp_path / "01_ppm_journey.html").read_text(encoding="utf-8")
    assert "<title>Facilitator guide: The Provider Payment Mechanisms journey</title>" in page
    assert "<b>Time:</b> 45 minutes" in page and "strategic purchasing" in page
    assert "Trace how the JLN&#x27;s provider payment work grew since 2010" in page
    assert "Plan 10 minutes for the mechanisms" in page
    assert "jlnlearn.check_rows(&quot;payment_mechanisms&quot;, rows)" in page
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{path.stem}.html"' in index for path in NOTEBOOKS)


def test_report_pages_leave_out_solutions_and_facilitator_notes(tmp_path, workers):
    build = jlnlearn.build_reports("GHA", "01", tmp_path, options=Options(workers=workers))
    assert not build.failures
    page = (tmp_path / "GHA" / "01_ppm_journey.html").read_text(encoding="utf-8")
    assert "Facilitator note" not in page and "GHA-example" not in page
    assert "Exercise: record a payment mechanism" in page


def test_solution_cells_are_self_contained():
    """Dropping a solution must not break later cells: no later cell reads a name it assigns."""
    import ast

    for path in NOTEBOOKS:
        cells = nbformat.read(path, as_version=4).cells
        for index, cell in enumerate(cells):
            if "solution" not in cell.metadata.get("tags", []):
                continue
            assigned = {node.id for node in ast.walk(ast.parse(cell.source))
                        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
            read_later = {node.id for later in cells[index + 1:] if later.cell_type == "code"
                          for node in ast.walk(ast.parse(later.source))
                          if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
            assert not assigned & read_later, (path.name, assigned & read_later)
