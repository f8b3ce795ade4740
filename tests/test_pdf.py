"""`jlnlearn reports --pdf`: every page printed beside its HTML, a handout per country, the brief on one page."""

from __future__ import annotations

import ast
import concurrent.futures
import contextlib
import io
import json
import os
import re
import shutil
import stat
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from jlnlearn import reports
from jlnlearn.cli import main
from jlnlearn.present import brief_table, country_takeaway
from jlnlearn.reports import Options
from jlnlearn.reports.outputs.handout import Handout
from jlnlearn.reports.outputs.pdf import Pdf, paper_of
from jlnlearn.reports.printing import Chromium, PrintError
from tests.conftest import CHROMIUM, REPO

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
#: Page sizes in points, as Chromium writes them (a CSS pixel is 0.75 point).
A4, LETTER = (595, 842), (612, 792)


def run(*arguments: str) -> tuple[int, str]:
    """``jlnlearn reports`` with ``arguments``: its exit code and what it printed."""
    with contextlib.redirect_stdout(io.StringIO()) as said:
        code = main(["reports", *arguments])
    return code, said.getvalue()


def pages_of(pdf: Path) -> list[str]:
    """Each page's text, with its runs of white space made one space."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages]


def size_of(pdf: Path) -> tuple[int, int]:
    box = PdfReader(pdf).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def takeaways_of(notebook: Path) -> list[str]:
    """The general takeaways a notebook passes to ``lesson.footer`` (its text literals; the one about the
    country is computed), read from the cell that calls it."""
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and "lesson.footer(" in source:
            call = next(node for node in ast.walk(ast.parse(source))
                        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "footer")
            given = call.args[0] if call.args else next(k.value for k in call.keywords if k.arg == "takeaways")
            return [item.value for item in given.elts if isinstance(item, ast.Constant)]
    raise AssertionError(f"no lesson.footer call in {notebook.name}")


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> tuple[Path, int, str, float]:
    """Lesson 01 and the brief for the Philippines and Kosovo (little data), built and printed on A4."""
    out = tmp_path_factory.mktemp("pdf")
    started = time.perf_counter()
    code, said = run("--countries", "PHL,XKX", "--notebooks", "01,06", "--out", str(out), "--pdf", "--jobs", "2")
    return out, code, said, time.perf_counter() - started


@needs_chromium
def test_each_page_is_printed_beside_its_html_and_each_country_gets_a_handout(printed):
    out, code, said, _ = printed
    assert code == 0, said
    assert re.search(r"^4 PDFs in [\d.]+ s: 4 built, 0 up to date, 0 failed$", said, re.MULTILINE), said
    assert re.search(r"^2 handouts in [\d.]+ s: 2 built, 0 up to date, 0 failed$", said, re.MULTILINE), said
    for iso3, name in [("PHL", "Philippines"), ("XKX", "Kosovo")]:
        brief, lesson, handout = (out / iso3 / f"{stem}.pdf" for stem in
                                  ("06_country_profile", "01_ppm_journey", f"{iso3}-handout"))
        assert [size_of(pdf) for pdf in (brief, lesson, handout)] == [A4] * 3
        assert len(pages_of(brief)) == 1
        lesson_pages = pages_of(lesson)
        assert len(lesson_pages) > 1 and lesson_pages[0].startswith("The Provider Payment Mechanisms journey")
        first, second = pages_of(handout)  # the brief, then the takeaways on a page of their own
        assert first == pages_of(brief)[0]
        assert second.startswith(f"Key takeaways of the lessons: {name} 01 The Provider Payment Mechanisms journey")
    assert sorted(path.name for path in out.glob("**/*.pdf")) == sorted(
        [f"{stem}.pdf" for stem in ("01_ppm_journey", "06_country_profile") for _ in (0, 1)]
        + ["PHL-handout.pdf", "XKX-handout.pdf"])
    assert not list(out.glob("**/.*.tmp"))


@needs_chromium
@pytest.mark.parametrize("iso3", ["PHL", "XKX"])
def test_the_handout_gives_the_briefs_numbers_with_their_years_and_the_lessons_takeaways(printed, iso3):
    out = printed[0]
    brief, takeaways = pages_of(out / iso3 / f"{iso3}-handout.pdf")
    for row in brief_table(iso3).itertuples(index=False):  # as the box shows it: headline, value, year, source
        assert " ".join(part for part in row if part) in brief, row
    assert "Sources of this brief" in brief and "Key takeaways" not in brief
    for takeaway in takeaways_of(REPO / "notebooks" / "01_ppm_journey.ipynb"):
        assert " ".join(takeaway.split()) in takeaways
    assert " ".join(country_takeaway(iso3, "01").split()) in " ".join(takeaways.split())  # about this country
    assert "health spending per person" not in takeaways


@needs_chromium
def test_the_philippines_brief_says_what_it_costs_per_person_and_when(printed):
    """Written by hand from data/indicators.csv: US$ 182.93 per person in 2022, an index of 58.2 in 2021."""
    brief = pages_of(printed[0] / "PHL" / "06_country_profile.pdf")[0]
    assert "health spending per person US$ 183 2022 DS-WHO-GHED" in brief
    assert "UHC service coverage index 58 (of 100) 2021" in brief


@needs_chromium
def test_a_second_run_prints_only_the_pdfs_whose_pages_changed(printed):
    out = printed[0]
    arguments = ("--countries", "PHL,XKX", "--notebooks", "01,06", "--out", str(out), "--pdf")
    before = {path: path.stat().st_mtime_ns for path in out.glob("**/*.pdf")}
    code, said = run(*arguments)
    assert code == 0 and "4 PDFs in" in said and ": 0 built, 4 up to date, 0 failed" in said, said
    assert "2 handouts in" in said and ": 0 built, 2 up to date, 0 failed" in said, said
    assert {path: path.stat().st_mtime_ns for path in out.glob("**/*.pdf")} == before
    lesson = out / "PHL" / "01_ppm_journey.html"
    later = time.time() + 5
    os.utime(lesson, (later, later))  # rewritten the same (a build that changed nothing on it): not printed again
    code, said = run(*arguments)
    assert code == 0 and ": 0 built, 4 up to date, 0 failed" in said, said
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("</body>", "<p>A new line.</p></body>"),
                      encoding="utf-8")  # a page whose content changed
    code, said = run(*arguments)
    assert code == 0 and ": 1 built, 3 up to date, 0 failed" in said and ": 1 built, 1 up to date, 0 failed" in said
    changed = sorted(path.name for path in out.glob("**/*.pdf") if path.stat().st_mtime_ns != before[path])
    assert changed == ["01_ppm_journey.pdf", "PHL-handout.pdf"]  # the handout holds the lesson's takeaways
    assert "A new line." in pages_of(out / "PHL" / "01_ppm_journey.pdf")[-1]


@needs_chromium
def test_the_longest_briefs_print_on_one_page_of_either_paper(tmp_path, workers, collection):
    """The countries with the most rows in their box, or the longest, and Mali; each paper in turn.

    Their pages come from the run's shared pages, so only the printing is done here."""
    countries = ["THA", "MLI", "UGA", "TZA", "PER", "VNM"]
    shutil.copytree(collection.out / "_static", tmp_path / "_static")
    for iso3 in countries:
        shutil.copytree(collection.out / iso3, tmp_path / iso3)
    for paper, size in [("Letter", LETTER), ("A4", A4)]:
        build = reports.build_reports(",".join(countries), "06", tmp_path, outputs=[Pdf(paper), Handout(paper)],
                                      options=Options(workers=workers))
        assert not build.failures and [result.status for result in build.pages] == ["up to date"] * len(countries)
        printed = [result for result in build.results if result.output in ("pdf", "handout")]
        assert [result.status for result in printed] == ["built"] * 2 * len(countries)  # a paper of its own
        for iso3 in countries:
            brief = tmp_path / iso3 / "06_country_profile.pdf"
            assert (len(pages_of(brief)), size_of(brief)) == (1, size), (iso3, paper)
            assert len(pages_of(tmp_path / iso3 / f"{iso3}-handout.pdf")) == 2


@pytest.mark.parametrize("missing", ["a path that is not there", "no chromium on PATH"])
def test_without_chromium_pdf_is_refused_before_anything_is_built(tmp_path, capsys, monkeypatch, missing):
    if missing == "a path that is not there":
        monkeypatch.setenv("JLNLEARN_CHROMIUM", str(tmp_path / "no-chromium"))
    else:
        monkeypatch.delenv("JLNLEARN_CHROMIUM", raising=False)
        monkeypatch.setenv("PATH", str(tmp_path))
    out = tmp_path / "reports"
    assert main(["reports", "--countries", "GHA", "--notebooks", "06", "--out", str(out), "--pdf"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith("jlnlearn reports: --pdf")
    assert "JLNLEARN_CHROMIUM" in error
    if missing == "no chromium on PATH":
        assert "install it (apt-get install chromium-headless-shell, or chromium)" in error
    assert not out.exists()


def test_paper_needs_pdf_and_is_one_of_a4_and_letter(tmp_path, capsys):
    out = tmp_path / "reports"
    assert main(["reports", "--countries", "GHA", "--out", str(out), "--paper", "Letter"]) == 2
    assert "--paper chooses the paper of the PDFs: add --pdf" in capsys.readouterr().err
    assert main(["reports", "--countries", "GHA", "--out", str(out), "--pdf", "--paper", "legal"]) == 2
    assert "unknown paper 'legal' (valid: A4, Letter)" in capsys.readouterr().err
    assert not out.exists()


def fake_chromium(folder: Path, script: str) -> Path:
    path = folder / "fake-chromium"
    path.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@needs_chromium
def test_a_failed_print_names_its_pdf_and_keeps_what_was_printed(tmp_path, monkeypatch, workers):
    out = tmp_path / "reports"
    reports.build_reports("XKX", "06", out, outputs=[Pdf("A4"), Handout("A4")], options=Options(workers=workers))
    kept = {path.name: path.read_bytes() for path in (out / "XKX").glob("*.pdf")}
    assert sorted(kept) == ["06_country_profile.pdf", "XKX-handout.pdf"]
    page = out / "XKX" / "06_country_profile.html"
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # so both PDFs are to print again
    monkeypatch.setenv("JLNLEARN_CHROMIUM", str(fake_chromium(tmp_path, "echo 'no display here' >&2; exit 3")))
    code, said = run("--countries", "XKX", "--notebooks", "06", "--out", str(out), "--pdf")
    assert code == 1
    assert "1 PDF in" in said and ": 0 built, 0 up to date, 1 failed" in said
    assert "1 handout in" in said and ": 0 built, 0 up to date, 1 failed" in said
    assert "FAILED pdf XKX/06_country_profile: Chromium exited with code 3: no display here" in said
    assert "FAILED handout XKX/XKX-handout: Chromium exited with code 3: no display here" in said
    assert {path.name: path.read_bytes() for path in (out / "XKX").glob("*.pdf")} == kept
    assert (out / "XKX" / "06_country_profile.html").is_file() and not list(out.glob("**/.*.tmp"))


def test_a_chromium_that_hangs_is_stopped_and_reported(tmp_path):
    started = time.perf_counter()
    with pytest.raises(PrintError, match="^Chromium took more than 1 s$"):
        Chromium(str(fake_chromium(tmp_path, "sleep 60 & wait")), seconds=1)
    assert time.perf_counter() - started < 10


@needs_chromium
def test_one_chromium_prints_many_pages_and_a_page_that_never_loads_fails_alone(tmp_path):
    quick, stuck = tmp_path / "quick.html", tmp_path / "stuck.html"
    quick.write_text("<html><head></head><body><p>A quick page.</p></body></html>", encoding="utf-8")
    stuck.write_text("<html><head></head><body><script>while (true) {}</script></body></html>", encoding="utf-8")
    browser = Chromium(CHROMIUM, seconds=3)
    try:
        first = browser.print_pdf(quick, "Letter")
        with pytest.raises(PrintError, match="^Chromium took more than 3 s$"):
            browser.print_pdf(stuck, "A4")
        second = browser.print_pdf(quick, "A4")  # the same browser goes on after a page that failed
        with concurrent.futures.ThreadPoolExecutor(3) as tabs:  # tabs at once: each waits for its own page
            together = list(tabs.map(lambda paper: browser.print_pdf(quick, paper), ["A4", "Letter"] * 4))
    finally:
        browser.close()
    assert [paper_of(pdf) for pdf in together] == ["A4", "Letter"] * 4
    assert first.startswith(b"%PDF-") and second.startswith(b"%PDF-")
    assert (paper_of(first), paper_of(second)) == ("Letter", "A4")  # a page without a CSS size: the paper asked for
    (tmp_path / "b.pdf").write_bytes(second)
    assert pages_of(tmp_path / "b.pdf") == ["A quick page."]
