"""The facilitator guide: each exercise's answer, run by the build's engine, and the links to the guide."""

from __future__ import annotations

import csv
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import nbformat

from jlnlearn.cli import main
from jlnlearn.reports import Options, build_reports
from jlnlearn.reports import workers as workers_module
from jlnlearn.reports.guide import build_guide
from tests.conftest import DATA

LESSON_LINK = "Facilitator guide for this lesson"


class Page(HTMLParser):
    """The ids and the links (address and text) of an HTML page."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[list[str]] = []
        self.open_link: list[str] | None = None
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a":
            self.open_link = [attributes.get("href", ""), ""]
            self.links.append(self.open_link)

    def handle_data(self, data):
        if self.open_link is not None:
            self.open_link[1] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self.open_link = None

    def hrefs(self, text: str) -> list[str]:
        return [href for href, shown in self.links if shown.strip() == text]


def exercise(page: Path, number: int) -> str:
    """The HTML of one exercise's section of a guide page."""
    found = re.search(rf'<section id="exercise-{number}">(.*?)</section>', page.read_text(encoding="utf-8"),
                      re.DOTALL)
    assert found, f"no exercise {number} in {page.name}"
    return found.group(1)


def answer(page: Path, number: int) -> str:
    """The text the guide shows as one exercise's answer."""
    after = exercise(page, number).split("<h3>Answer</h3>", 1)[1]
    return re.search(r"<pre>(.*?)</pre>", after, re.DOTALL).group(1)


def resolves(page: Path, href: str) -> bool:
    """Whether a relative link from ``page`` leads to a file and, if it names one, to an existing anchor."""
    target, _, anchor = href.partition("#")
    path = page.parent / target
    return path.is_file() and (not anchor or anchor in Page(path).ids)


def ghana_collaboratives() -> int:
    """Notebook 04's answer for Ghana, counted from the CSV files: collaboratives Ghana took part in."""
    with open(DATA / "jln_milestones.csv", encoding="utf-8") as stream:
        category = {row["milestone_id"]: row["category"] for row in csv.DictReader(stream)}
    with open(DATA / "milestone_countries.csv", encoding="utf-8") as stream:
        return sum(1 for row in csv.DictReader(stream)
                   if row["iso3"] == "GHA" and category[row["milestone_id"]] == "collaborative")


def test_the_guide_shows_what_each_solution_gives_for_the_default_country(tmp_path, workers):
    guide = build_guide(tmp_path, options=Options(workers=workers))
    assert guide.failures == [] and guide.reports is None and guide.folder == tmp_path
    capitation = tmp_path / "02_phc_payment_models.html"
    assert answer(capitation, 1) == "30"  # US$ 2,400,000 / 80,000 people = 30 a person a year
    participation = tmp_path / "04_partnership_timeline.html"
    assert ghana_collaboratives() > 0
    assert answer(participation, 1) == str(ghana_collaboratives())
    assert "run for Ghana (the notebook&#x27;s default <code>country</code>)" in exercise(participation, 1)
    assert answer(tmp_path / "01_ppm_journey.html", 1) == (  # the row fits: no problem listed, said in words
        "Nothing: an empty result (for a check, it means no problem was found).")
    assert "run for Philippines" in exercise(tmp_path / "03_covid19_financing.html", 1)
    index = Page(tmp_path / "index.html")
    exercises = [href for href, text in index.links if text.startswith("exercise")]
    assert "02_phc_payment_models.html#exercise-1" in exercises
    assert all(resolves(tmp_path / "index.html", href) for href in exercises)
    assert not (tmp_path / "guide").exists()  # an ordinary folder holds the guide itself


def test_reports_with_guide_link_each_lesson_page_to_its_section(tmp_path, workers):
    build = build_reports("GHA", "02,04", tmp_path, outputs=["guide"], options=Options(workers=workers))
    assert not build.failures and build.unwritten == []
    assert [(r.output, r.stem) for r in build.results if r.output == "guide"][-1] == ("guide", "index")
    for stem in ["02_phc_payment_models", "04_partnership_timeline"]:
        page = tmp_path / "GHA" / f"{stem}.html"
        [href] = Page(page).hrefs(LESSON_LINK)
        assert href == f"../guide/{stem}.html#{stem}"  # relative: the folder can be moved
        assert resolves(page, href)
    [href] = Page(tmp_path / "index.html").hrefs("Facilitator guide")
    assert href == "guide/index.html" and resolves(tmp_path / "index.html", href)
    assert answer(tmp_path / "guide" / "02_phc_payment_models.html", 1) == "30"
    guide_page = tmp_path / "guide" / "04_partnership_timeline.html"
    assert Page(guide_page).hrefs("All countries") == ["../index.html"]
    assert resolves(guide_page, "../index.html")


def test_the_links_follow_the_guide_whether_it_comes_after_the_pages_or_goes(tmp_path, workers):
    build_reports("GHA", "02", tmp_path, options=Options(workers=workers))
    page, index = tmp_path / "GHA" / "02_phc_payment_models.html", tmp_path / "index.html"
    assert Page(page).hrefs(LESSON_LINK) == [] and Page(index).hrefs("Facilitator guide") == []
    assert "guide-link" not in page.read_text(encoding="utf-8")

    guide = build_guide(tmp_path, options=Options(workers=workers))  # into the reports folder: OUT/guide
    assert guide.folder == tmp_path / "guide" and guide.reports == tmp_path and guide.unwritten == []
    [href] = Page(page).hrefs(LESSON_LINK)
    assert resolves(page, href) and Page(index).hrefs("Facilitator guide") == ["guide/index.html"]
    assert Page(index).hrefs("Ghana") == ["GHA/index.html"]  # the refreshed index still lists the pages

    shutil.rmtree(tmp_path / "guide")  # before the folder is sent to participants
    again = build_reports("GHA", "02", tmp_path, options=Options(workers=workers))
    assert [(result.output, result.status) for result in again.results] == [("page", "up to date"),
                                                                             ("workbook", "up to date")]
    assert Page(page).hrefs(LESSON_LINK) == [] and Page(index).hrefs("Facilitator guide") == []


def broken_answers(folder: Path) -> Path:
    """A notebook whose first solution fails, so its second is never reached."""
    cells = [nbformat.v4.new_code_cell('country = "Ghana"', metadata={"tags": ["parameters"]}),
             nbformat.v4.new_markdown_cell("# Broken answers"),
             nbformat.v4.new_markdown_cell("## Exercise: divide", metadata={"tags": ["exercise"]}),
             nbformat.v4.new_code_cell("1 / 0", metadata={"tags": ["solution"]}),
             nbformat.v4.new_markdown_cell("## Exercise: add", metadata={"tags": ["exercise"]}),
             nbformat.v4.new_code_cell("2 + 2", metadata={"tags": ["solution"]})]
    folder.mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=cells), folder / "01_broken_answers.ipynb")
    return folder


def test_a_failing_solution_is_named_in_the_guide_and_fails_the_command(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(workers_module, "NOTEBOOKS_DIR", broken_answers(tmp_path / "notebooks"))
    out = tmp_path / "guide"
    assert main(["facilitator-guide", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "FAILED guide ./01_broken_answers (code cell 2): ZeroDivisionError: division by zero" in printed
    page = out / "01_broken_answers.html"
    assert ("No answer: this solution (code cell 2) failed: ZeroDivisionError: division by zero"
            in exercise(page, 1))
    assert ("No answer: it was not run: code cell 2 failed before it: ZeroDivisionError: division by zero"
            in exercise(page, 2))
    assert "<code>2 + 2</code>" in exercise(page, 2)  # the solution itself is still shown
