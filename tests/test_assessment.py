"""Lesson 07: the payment system's map, the assessment form saved as Excel and CSV, read back and compared."""

from __future__ import annotations

import base64
import re

import openpyxl
import pytest

import jlnlearn
from jlnlearn import widgets
from jlnlearn.cli import main
from jlnlearn.errors import WorkbookError
from jlnlearn.i18n import language_set
from jlnlearn.lessons import assessment
from jlnlearn.lessons.assessment_file import merge_assessments, read_assessment
from jlnlearn.present import assessment as shown
from jlnlearn.present.assessment_files import assessment_xlsx
from jlnlearn.settings import STATIC_OUTPUT_ENV

LESSON = "07_assess_payment_system"


@pytest.fixture
def live(monkeypatch):
    monkeypatch.delenv(STATIC_OUTPUT_ENV, raising=False)


def quietly_made(country, folder):
    """The form for ``country`` saving into ``folder`` (outside a kernel, its chart is printed: pytest keeps it)."""
    return widgets.assessment_form(country, folder=folder)


def test_the_map_shows_every_documented_mechanism_and_each_level_no_source_covers():
    mechanisms = jlnlearn.load("payment_mechanisms")
    for iso3 in ("PHL", "GHA", "ZMB"):
        documented = mechanisms[mechanisms.iso3 == iso3]
        table = shown.map_table(iso3)
        found = table[table.mechanism != "not documented"]
        assert sorted(zip(found.level_of_care, found.mechanism, found.source_id, strict=True)) == sorted(
            zip(documented.level_of_care.astype(str), documented.mechanism.astype(str), documented.source_id,
                strict=True))
    zambia = shown.map_table("ZMB")
    assert zambia[zambia.mechanism == "not documented"].level_of_care.tolist() == [
        "outpatient specialist", "inpatient/hospital"]
    assert assessment.undocumented_levels("Tunisia") == ["primary care", "outpatient specialist",
                                                         "inpatient/hospital"]


def test_a_sparse_country_is_told_what_is_missing_and_where_to_look():
    text = shown.gaps_reading("ZMB")
    assert text.startswith("**What the sources do not document for Zambia:** how these levels of care are paid: "
                           "outpatient specialist and inpatient/hospital, payment rates")
    assert "health insurer's and the health ministry's own pages" in text
    chart = jlnlearn.charts.payment_system_map("ZMB")
    assert [annotation.text for annotation in chart.layout.annotations] == ["not documented", "not documented"]


def test_each_step_is_prefilled_with_the_countrys_facts_and_their_sources():
    current = shown.step_evidence("PHL", assessment.STEPS[1])
    assert current.source_id.tolist() == ["C-PH3", "C-PH4", "C-PH12"]
    assert current.value.tolist()[2] == "1,700 PHP per patient seen per year"
    goals = shown.step_evidence("ZMB", assessment.STEPS[0]).set_index("fact")
    assert goals.loc["health spending per person", "source_id"] == "DS-WHO-GHED"
    assert shown.function_evidence("ZMB", "contracting")[0].endswith("[C-ZM3]")
    assert shown.function_evidence("ZMB", "benefits") == []


def fill(form, learner, answers, ratings, reasons):
    form.learner.value = learner
    for key, text in answers.items():
        form.answers[key].value = text
    for key, rating in ratings.items():
        form.ratings[key].value = rating
    for key, text in reasons.items():
        form.reasons[key].value = text


def test_two_learners_fill_the_form_save_read_back_and_are_compared(live, tmp_path):
    ana = quietly_made("Philippines", tmp_path / "mine")
    fill(ana, "Ana López", {"goals": "Fewer people paying at the clinic", "options": "=Blend capitation"},
         {"payment": 3, "monitoring": 2}, {"payment": "Konsulta pays a fixed sum per person"})
    saved = ana.store()
    assert [path.name for path in saved] == ["assessment-PHL-ana-lópez.xlsx", "assessment-PHL-ana-lópez.csv"]
    assert "Saved: " in ana.result.value and "data:" not in ana.result.value  # a download only on Binder
    for path in saved:
        back = read_assessment(path)
        assert (back.iso3, back.learner) == ("PHL", "Ana López")
        assert back.answers["goals"] == "Fewer people paying at the clinic"
        assert back.answers["options"] == "=Blend capitation"  # kept as text, given back as typed
        assert back.ratings == {"benefits": None, "contracting": None, "payment": 3, "monitoring": 2}
        assert back.reasons["payment"] == "Konsulta pays a fixed sum per person"
    ben = quietly_made("ZMB", tmp_path / "mine")
    fill(ben, "Ben", {"capacity": "Districts hold the budget lines"}, {"payment": 1, "benefits": 2}, {})
    ben.store()
    comparison = merge_assessments(sorted((tmp_path / "mine").glob("*.xlsx")))
    assert comparison.ratings.columns.tolist() == ["key", "title", "Ana López (PHL)", "Ben (ZMB)"]
    assert comparison.ratings["Ana López (PHL)"].fillna(0).tolist() == [0, 0, 3, 2]
    assert comparison.ratings["Ben (ZMB)"].fillna(0).tolist() == [2, 0, 1, 0]
    answers = comparison.answers.set_index("key")
    assert answers.loc["capacity", "Ben (ZMB)"] == "Districts hold the budget lines"
    assert answers.loc["goals", "Ana López (PHL)"] == "Fewer people paying at the clinic"
    chart = jlnlearn.charts.purchasing_ratings(comparison.ratings)
    assert [(trace.name, list(trace.x)) for trace in chart.data] == [
        ("Ana López (PHL)", [None, None, 3, 2]), ("Ben (ZMB)", [2, None, 1, None])]


def test_the_ratings_chart_follows_the_form(live, tmp_path):
    form = quietly_made("GHA", tmp_path)
    assert form.figure.text.startswith("No function is rated yet")
    form.ratings["contracting"].value = 4
    assert list(form.figure.data[0].x) == [None, 4, None, None]
    assert form.figure.data[0].customdata[1] == "strategic"


def test_a_file_written_in_french_and_edited_in_excel_reads_back(tmp_path):
    from jlnlearn.lessons.assessment_file import Assessment

    with language_set("fr"):
        content = assessment_xlsx(Assessment("SEN", "Awa", {"goals": "Accès"}, {"benefits": 1}))
    path = tmp_path / "awa.xlsx"
    path.write_bytes(content)
    book = openpyxl.load_workbook(path)
    assert "Purchasing" not in book.sheetnames and "Assessment" not in book.sheetnames  # the sheets are French
    steps, functions = book.worksheets[1], book.worksheets[2]
    steps.insert_rows(2, 3)  # a learner adds rows at the top: rows are found by their number in column A
    row = next(cell.row for cell in steps["A"] if cell.value == "10")
    steps[f"E{row}"] = "Les districts gèrent leurs budgets"
    rating_row = next(cell.row for cell in functions["A"] if cell.value == 3)
    functions[f"E{rating_row}"] = 2
    book.save(path)
    back = read_assessment(path)
    assert (back.iso3, back.learner, back.answers["goals"]) == ("SEN", "Awa", "Accès")
    assert back.answers["capacity"] == "Les districts gèrent leurs budgets"
    assert back.ratings == {"benefits": 1, "contracting": None, "payment": 2, "monitoring": None}


def test_every_problem_of_every_file_is_listed_by_file_sheet_and_cell(tmp_path):
    from jlnlearn.lessons.assessment_file import Assessment

    path = tmp_path / "broken.xlsx"
    path.write_bytes(assessment_xlsx(Assessment("PHL")))
    book = openpyxl.load_workbook(path)
    book["Purchasing"]["E4"] = "high"
    book["Purchasing"]["E6"] = 7
    book["Assessment"]["A6"] = None  # the row of step 9 loses its number
    book.save(path)
    csv_path = tmp_path / "broken.csv"
    csv_path.write_text("iso3,learner,part,key,title,answer,rating\nXYZ,Ben,function,payment,,,5\n"
                        "XYZ,Ben,step,tea,,,\n", encoding="utf-8")
    with pytest.raises(WorkbookError) as raised:
        merge_assessments([path, csv_path, tmp_path / "missing.xlsx"])
    said = [str(problem) for problem in raised.value.problems]
    assert said == [
        f"{path}:Assessment!A:A: no row numbered '9' for step 9 (keep one row for each, with its number in column A "
        "as written)",
        f"{path}:Purchasing!E4: benefits specification: a rating is a whole number from 1 (passive) to 4 (strategic), "
        "or empty (got 'high')",
        f"{path}:Purchasing!E6: provider payment: a rating is a whole number from 1 (passive) to 4 (strategic), or "
        "empty (got 7)",
        f"{csv_path}: column iso3: 'XYZ' is not the ISO3 code of a country in the data (for example PHL)",
        f"{csv_path}: line 2, column rating: a rating is a whole number from 1 (passive) to 4 (strategic), or empty "
        "(got '5')",
        f"{csv_path}: line 3: 'step' 'tea' is no part of an assessment (valid: step against_goals, capacity, current, "
        "goals, options; function benefits, contracting, monitoring, payment)",
        f"{tmp_path / 'missing.xlsx'}: no such file (save one from lesson 07's form, or download one beside its page)",
    ]


def test_the_command_compares_files_or_says_every_problem_and_writes_nothing(live, tmp_path, capsys):
    form = quietly_made("PHL", tmp_path)
    fill(form, "Ana", {"goals": "Access"}, {"payment": 3}, {})
    first, second = form.store()
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    out = tmp_path / "comparison.xlsx"
    assert main(["compare-assessments", str(first), str(bad), "--out", str(out)]) == 2
    said = capsys.readouterr().err
    assert f"{bad}: not an Excel workbook that can be read" in said and not out.exists()
    assert main(["compare-assessments", str(first), str(second), "--out", str(out)]) == 0
    assert "2 assessments side by side" in capsys.readouterr().out
    book = openpyxl.load_workbook(out)
    ratings = [[cell.value for cell in row] for row in book["Ratings"].iter_rows()]
    assert ratings[0] == ["part", "Ana (PHL) [assessment-PHL-ana.xlsx]", "Ana (PHL) [assessment-PHL-ana.csv]"]
    assert ratings[3] == ["provider payment", "3 partly strategic", "3 partly strategic"]
    assert main(["compare-assessments", str(first), "--out", str(tmp_path / "comparison.txt")]) == 2
    assert "write the comparison to an .xlsx or a .csv file" in capsys.readouterr().err


def test_on_binder_both_files_are_offered_as_downloads(live, tmp_path, monkeypatch):
    monkeypatch.setenv("BINDER_LAUNCH_HOST", "https://mybinder.org/")
    form = quietly_made("GHA", tmp_path)
    saved = form.store()
    links = re.findall(r'download="([^"]+)" href="data:([^;]+)[^,]*,([^"]+)"', form.result.value)
    assert [(name, media) for name, media, _ in links] == [
        ("assessment-GHA.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("assessment-GHA.csv", "text/csv")]
    assert [base64.b64decode(content) for _, _, content in links] == [path.read_bytes() for path in saved]


def test_in_a_report_the_form_is_a_printable_worksheet_with_space_to_write(monkeypatch):
    monkeypatch.setenv(STATIC_OUTPUT_ENV, "1")
    sheet = widgets.assessment_form("ZMB")._repr_html_()
    assert sheet.count('class="jlnlearn-write"') == len(assessment.STEPS) + len(assessment.FUNCTIONS)
    for step in assessment.STEPS:
        assert all(question.replace("'", "&#x27;") in sheet for question in step.questions)
    assert "line-item budget" in sheet and "[C-ZM1]" in sheet


def test_the_built_pages_cover_the_rich_country_and_say_what_the_sparse_one_lacks(collection):
    philippines = (collection.out / "PHL" / f"{LESSON}.html").read_text(encoding="utf-8")
    for mechanism, source in (("capitation", "C-PH3"), ("case-based", "C-PH4")):
        assert mechanism in philippines and source in philippines
    assert "Save as Excel and CSV" not in philippines and "run the next cell" not in philippines
    zambia = (collection.out / "ZMB" / f"{LESSON}.html").read_text(encoding="utf-8")
    assert "What the sources do not document for Zambia:" in zambia
    assert 'href="assessment-ZMB.xlsx">Download the assessment for Zambia as an Excel file</a>' in zambia
    downloaded = read_assessment(collection.out / "ZMB" / "assessment-ZMB.xlsx")
    assert downloaded.iso3 == "ZMB" and not any(downloaded.answers.values())
