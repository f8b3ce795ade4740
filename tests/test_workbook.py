"""The calculators' workbook: written for a country, its formulas agree with the calculators, read back and checked."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import formulas
import openpyxl
import pandas as pd
import pytest

import jlnlearn
from jlnlearn import present
from jlnlearn.cli import main
from jlnlearn.errors import WorkbookError
from jlnlearn.lessons import phc, profile
from jlnlearn.lessons.workbook import BANDS, SHEETS, sheet_named
from jlnlearn.reports import workbook as writer
from jlnlearn.reports.plan import parameter_values

LESSON = parameter_values(writer.LESSON)


def evaluate(path: Path) -> dict[tuple[str, str], object]:
    """Every cell's value as the `formulas` package computes the workbook, by (sheet, address)."""
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    values = {}
    for key, ranges in solution.items():
        sheet, _, address = key.rpartition("!")
        if ":" not in address:
            values[(sheet.split("]")[1].rstrip("'"), address)] = ranges.value[0, 0]
    return values


def address(sheet: str, key: str) -> str:
    return sheet_named(sheet).address(key)


@pytest.fixture(scope="module", params=["Ghana", "Philippines"])
def written(request, tmp_path_factory) -> tuple[str, Path]:
    path = tmp_path_factory.mktemp("workbook") / f"{request.param}.xlsx"
    writer.write_workbook(path, request.param)
    return request.param, path


def test_the_formulas_give_the_numbers_of_the_calculators(written):
    name, path = written
    computed = evaluate(path)
    weights = LESSON["age_weights"]
    rates = phc.capitation_rates(name, phc.chosen_share(name, LESSON["phc_share"]), weights)
    for band in BANDS:
        assert computed[("CAPITATION", address("Capitation", f"rate {band}"))] == pytest.approx(rates.rate[band],
                                                                                               rel=1e-12)
    assert computed[("CAPITATION", address("Capitation", "flat_rate"))] == pytest.approx(rates.flat_rate.iloc[0])
    spending = float(profile.latest_values(name, ("che_per_capita_usd",)).value.iloc[0])
    budget = phc.chosen_share(name, LESSON["phc_share"]) * spending * phc.population_by_band(name).sum()
    assert computed[("CAPITATION", address("Capitation", "budget"))] == pytest.approx(budget, rel=1e-12)
    assert computed[("CAPITATION", address("Capitation", "paid"))] == pytest.approx(budget, rel=1e-12)
    people = profile.population_figure(name).population
    # the fee per visit is the example facility's: the flat rate spread over the visits (notebook 02)
    flat_rate = rates.flat_rate.iloc[0]
    assert LESSON["cost_per_visit"] is None
    fee = people * LESSON["visits_per_person"] * (flat_rate / LESSON["visits_per_person"])
    assert computed[("FEE-FOR-SERVICE", address("Fee-for-service", "payment"))] == pytest.approx(fee, rel=1e-12)
    assert computed[("BLEND", address("Blend", "blended"))] == pytest.approx(0.7 * budget + 0.3 * fee, rel=1e-12)
    # case-based, by hand: 40% of spending, 50 admissions per 1,000, shares 0.6/0.3/0.1, weights 0.6/1.2/3.0
    hospital = 0.4 * spending * people
    case_mix = 0.6 * 0.6 + 0.3 * 1.2 + 0.1 * 3.0
    base_rate = hospital / (case_mix * people * 50 / 1000)
    assert computed[("CASE-BASED", address("Case-based", "case_mix_index"))] == pytest.approx(case_mix)
    assert computed[("CASE-BASED", address("Case-based", "per_case C"))] == pytest.approx(3.0 * base_rate, rel=1e-12)


def test_every_formula_agrees_with_what_the_workbook_is_read_back_as(written):
    _, path = written
    computed = evaluate(path)
    results = jlnlearn.payment.from_workbook(path).results
    compared = 0
    for sheet in SHEETS:
        for row in sheet.results:
            value = computed[(sheet.name.upper(), sheet.address(row.key))]
            assert value == pytest.approx(results[sheet.name][row.key], rel=1e-9), (sheet.name, row.key)
            compared += 1
    assert compared == sum(len(sheet.results) for sheet in SHEETS) == 34


def test_inputs_are_labelled_facts_with_sources_or_the_lessons_assumptions(written):
    name, path = written
    book = openpyxl.load_workbook(path)
    capitation = book["Capitation"]
    row = sheet_named("Capitation").row_of("spending")
    spending = profile.latest_values(name, ("che_per_capita_usd",))
    assert capitation[f"C{row}"].value == pytest.approx(spending.value.iloc[0])
    assert capitation[f"B{row}"].value == "US$ per person per year"
    assert capitation[f"D{row}"].value == f"fact: DS-WHO-GHED, {int(spending.year.iloc[0])}"
    assert capitation[f"C{row}"].fill.fgColor.rgb == "00" + writer.INPUT_FILL
    share = sheet_named("Capitation").row_of("phc_share")
    assert LESSON["phc_share"] is None  # the lesson starts from WHO's share where WHO has one
    if name == "Ghana":  # WHO: PHC 65.0892% of current health spending in 2022 (ghed_phc_expenditure.csv)
        assert capitation[f"C{share}"].value == pytest.approx(0.650892)
        assert capitation[f"D{share}"].value == "fact: DS-WHO-GHED-PHC (broad definition: an upper bound), 2022"
    else:
        assert capitation[f"C{share}"].value == 0.3
        assert capitation[f"D{share}"].value == "your assumption (WHO gives no PHC share for this country)"
    weight = sheet_named("Capitation").row_of("weight 65+")
    assert (capitation[f"A{weight}"].value, capitation[f"C{weight}"].value) == ("Weight of age 65+", 2.4)
    budget = capitation[address("Capitation", "budget")]
    assert budget.data_type == "f" and budget.value == "=C4*C5*C18"
    readme = book["Read me"]
    assert readme["B3"].value == name
    sources = jlnlearn.load("sources").set_index("source_id")
    listed = {readme[f"A{r}"].value: (readme[f"B{r}"].value, readme[f"C{r}"].value) for r in range(3, readme.max_row + 1)}
    for source in ("DS-WHO-GHED", "DS-WB-WDI", "DS-UN-WPP2019"):
        title, url = listed[source]
        assert title.startswith(sources.title[source]) and url == sources.url[source]


def test_the_assumptions_come_from_the_lessons_parameters_cell(tmp_path):
    notebook = json.loads(writer.LESSON.read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if "parameters" in c["metadata"].get("tags", []))
    cell["source"] = ('country = "Philippines"\nphc_share = 0.45\nage_weights = {"0-4": 2.0, "5-14": 0.5, '
                      '"15-44": 0.7, "45-64": 1.2, "65+": 3.0}\nvisits_per_person = 2.5\ncost_per_visit = 6.0\n')
    changed = tmp_path / "02.ipynb"
    changed.write_text(json.dumps(notebook), encoding="utf-8")
    result = jlnlearn.payment.from_workbook(writer.write_workbook(tmp_path / "mine.xlsx", notebook=changed))
    assert result.country == "Philippines"
    assert result.inputs["Capitation"]["phc_share"] == 0.45 and result.inputs["Capitation"]["weight 0-4"] == 2.0
    assert result.inputs["Fee-for-service"] | {"people": 0} == {"people": 0, "visits_per_person": 2.5, "fee": 6.0}


def test_a_learner_who_changes_the_share_and_a_weight_sees_their_own_rates(tmp_path):
    path = writer.write_workbook(tmp_path / "ghana.xlsx", "Ghana")
    book = openpyxl.load_workbook(path)
    book["Capitation"][address("Capitation", "phc_share")] = 0.45
    book["Capitation"][address("Capitation", "weight 65+")] = 3.0
    book["Capitation"].insert_rows(3)  # a row of the learner's notes above the inputs: found by label
    book.save(path)
    result = jlnlearn.payment.from_workbook(path)
    weights = LESSON["age_weights"] | {"65+": 3.0}
    expected = phc.capitation_rates("Ghana", 0.45, weights)
    pd.testing.assert_series_equal(result.capitation.rate, expected.rate)
    assert result.results["Blend"]["capitation"] == pytest.approx(0.45 / 0.3 * phc.capitation_rates(
        "Ghana", 0.3, weights).payment.sum())


def test_every_bad_input_is_reported_at_once_with_its_cell(tmp_path):
    path = writer.write_workbook(tmp_path / "bad.xlsx", "Ghana")
    book = openpyxl.load_workbook(path)
    book["Capitation"]["C4"] = "abc"
    book["Capitation"]["C5"] = 1.5
    book["Capitation"]["C6"] = -3
    book["Capitation"]["C13"] = None
    book["Case-based"]["C8"] = 0.5
    book["Blend"]["C4"] = 0.5
    book["Fee-for-service"]["C6"] = "=C4*2"
    book.save(path)
    with pytest.raises(WorkbookError) as raised:
        jlnlearn.payment.from_workbook(path)
    file = str(path)
    assert [str(problem) for problem in raised.value.problems] == [
        f"{file}:Capitation!C4: Health spending per person must be a number of 0 or more (got 'abc')",
        (f"{file}:Capitation!C5: Share of health spending for primary health care must be a share from 0 to 1, "
         "e.g. 0.3 or 30% (got 1.5)"),
        f"{file}:Capitation!C6: People aged 0-4 must be a number of 0 or more (got -3)",
        f"{file}:Capitation!C13: Weight of age 15-44 must be a number of 0 or more (got an empty cell)",
        (f"{file}:Fee-for-service!C6: Fee per visit must be a number of 0 or more (got the formula '=C4*2' with "
         "no saved value: save the file in Excel or type a number)"),
        f"{file}:Case-based!C8:C10: shares of admissions must add up to 1 (got 0.9)",
        f"{file}:Blend!C4:C5: the shares must add up to 1 (got 0.8)",
    ]
    assert isinstance(raised.value, jlnlearn.JlnlearnError) and str(raised.value).startswith("7 problems")


def test_a_sheet_renamed_or_removed_and_a_label_changed_are_named(tmp_path):
    path = writer.write_workbook(tmp_path / "moved.xlsx", "Ghana")
    book = openpyxl.load_workbook(path)
    book["Fee-for-service"].title = "FFS"
    del book["Blend"]
    book["Capitation"]["A7"] = "People 5 to 14"
    book["Case-based"]["A20"] = "Relative weight of case group C"  # a second row with that label
    book.save(path)
    with pytest.raises(WorkbookError) as raised:
        jlnlearn.payment.from_workbook(path)
    file = str(path)
    assert [str(problem) for problem in raised.value.problems] == [
        (f"{file}:Capitation!A:A: no row labelled 'People aged 5-14' (keep one row for each input, with its label "
         "as written)"),
        (f"{file}: no sheet named 'Fee-for-service' (sheets found: 'Read me', 'Capitation', 'FFS', 'Case-based'; "
         "keep the names as written)"),
        (f"{file}:Case-based!A20: a second row labelled 'Relative weight of case group C' (keep one row for each "
         "input, with its label as written)"),
        (f"{file}: no sheet named 'Blend' (sheets found: 'Read me', 'Capitation', 'FFS', 'Case-based'; keep the "
         "names as written)"),
    ]


def test_weights_of_zero_for_everybody_and_no_people_are_refused(tmp_path):
    path = writer.write_workbook(tmp_path / "zero.xlsx", "Ghana")
    book = openpyxl.load_workbook(path)
    for band in BANDS:
        book["Capitation"][address("Capitation", f"weight {band}")] = 0
    for group in "ABC":
        book["Case-based"][address("Case-based", f"weight {group}")] = 0
    book["Fee-for-service"][address("Fee-for-service", "people")] = 0
    book.save(path)
    with pytest.raises(WorkbookError) as raised:
        jlnlearn.payment.from_workbook(path)
    assert [str(problem).split(": ", 1)[1] for problem in raised.value.problems] == [
        "every age band with people has a weight of 0 (give at least one of them a weight above 0)",
        "People covered must be a number above 0 (got 0)",
        "every case group with admissions has a relative weight of 0 (give at least one of them a weight above 0)",
    ]
    assert [problem.cell for problem in raised.value.problems] == ["C11:C15", "C4", "C11:C13"]


def test_a_file_that_is_not_there_or_not_a_workbook_says_so(tmp_path):
    (tmp_path / "notes.xlsx").write_text("a, b, c", encoding="utf-8")
    with pytest.raises(WorkbookError, match=r"notes.xlsx: not an Excel workbook that can be read"):
        jlnlearn.payment.from_workbook(tmp_path / "notes.xlsx")
    with pytest.raises(WorkbookError, match=r"gone.xlsx: no such file \(write one with: jlnlearn workbook"):
        jlnlearn.payment.from_workbook(tmp_path / "gone.xlsx")


def test_a_country_without_spending_or_population_leaves_those_cells_for_the_learner(tmp_path):
    assert profile.latest_values("Kosovo", ("che_per_capita_usd",)).empty
    path = writer.write_workbook(tmp_path / "kosovo.xlsx", "Kosovo")
    capitation = openpyxl.load_workbook(path)["Capitation"]
    row = sheet_named("Capitation").row_of("spending")
    assert capitation[f"C{row}"].value is None and capitation[f"D{row}"].value == writer.MISSING
    with pytest.raises(WorkbookError, match=r"Capitation!C4: Health spending per person must be a number of 0 or "
                                            r"more \(got an empty cell\)"):
        jlnlearn.payment.from_workbook(path)


FORMULA_LIKE = ["=HYPERLINK(\"http://example.org\",\"click\")", "+1+2", "-3", "@SUM(A1:A2)"]


def test_text_that_starts_like_a_formula_is_stored_as_text(tmp_path, monkeypatch):
    sources = pd.DataFrame({"source_id": FORMULA_LIKE, "title": FORMULA_LIKE, "publisher": ["p"] * 4,
                            "year": [2020] * 4, "url": FORMULA_LIKE})
    monkeypatch.setattr(writer, "source_rows", lambda ids: sources)
    path = writer.write_workbook(tmp_path / "injected.xlsx", "Ghana")
    readme = openpyxl.load_workbook(path)["Read me"]
    cells = [cell for row in readme.iter_rows() for cell in row if cell.value in FORMULA_LIKE]
    assert sorted(cell.value for cell in cells) == sorted(FORMULA_LIKE * 2)  # each as an id and as a URL
    assert {cell.data_type for cell in cells} == {"s"} and all(cell.quotePrefix for cell in cells)
    with zipfile.ZipFile(path) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()  # no formula on the Read me sheet
    assert evaluate(path)[("READ ME", cells[0].coordinate)] == cells[0].value


def test_the_command_writes_the_lessons_country_and_refuses_bad_names(tmp_path, capsys):
    assert main(["workbook", str(tmp_path / "mine.xlsx")]) == 0
    assert openpyxl.load_workbook(tmp_path / "mine.xlsx")["Read me"]["B3"].value == LESSON["country"] == "Ghana"
    assert "jlnlearn.payment.from_workbook(" in capsys.readouterr().out
    assert main(["workbook", str(tmp_path / "mine.xls")]) == 2
    assert "the workbook's name must end in .xlsx (got 'mine.xls'; e.g. mine.xlsx)" in capsys.readouterr().err
    assert main(["workbook", str(tmp_path / "other.xlsx"), "--country", "Narnia"]) == 2
    assert "unknown country 'Narnia'" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.xlsx"]  # nothing else, nothing half written


def test_the_notebook_shows_the_results_of_a_workbook_or_what_to_do(tmp_path):
    missing = present.workbook_results(tmp_path / "mine.xlsx")
    assert "write one with `jlnlearn workbook" in missing.text
    path = writer.write_workbook(tmp_path / "mine.xlsx", "Philippines")
    shown = present.workbook_results(path).data
    rates = phc.capitation_rates("Philippines", phc.chosen_share("Philippines", LESSON["phc_share"]),
                                 LESSON["age_weights"])
    assert shown.set_index("result").loc["Rate for age 65+", "value"] == f"{rates.rate['65+']:,.2f}"
    book = openpyxl.load_workbook(path)
    book["Blend"]["C4"] = 0.9
    book.save(path)
    assert "Blend!C4:C5: the shares must add up to 1 (got 1.2)" in present.workbook_results(path).text


def test_each_countrys_lesson_02_page_links_its_own_workbook_which_reads_back(collection):
    pages = sorted(collection.out.glob("[A-Z][A-Z][A-Z]/02_phc_payment_models.html"))
    assert len(pages) == len(jlnlearn.countries())
    for page in pages:
        links = [re.search(r'href="([^"]+)"', tag).group(1)  # the page writes <a download="" href="...">
                 for tag in re.findall(r"<a\b[^>]*>", page.read_text(encoding="utf-8"))
                 if " download" in tag and ".xlsx" in tag]
        assert links == [f"payment-calculators-{page.parent.name}.xlsx"], page
        assert (page.parent / links[0]).is_file(), page
    # the Philippines' download is the Philippines' calculators, with the page's flat rate (30% assumed)
    result = jlnlearn.payment.from_workbook(collection.out / "PHL" / "payment-calculators-PHL.xlsx")
    rates = phc.capitation_rates("PHL", phc.chosen_share("PHL", LESSON["phc_share"]), LESSON["age_weights"])
    assert result.country == "Philippines"
    assert result.results["Capitation"]["flat_rate"] == pytest.approx(rates.flat_rate.iloc[0])


def test_inputs_so_large_that_a_calculator_overflows_are_problems_naming_the_cells(tmp_path):
    path = writer.write_workbook(tmp_path / "huge.xlsx", "Ghana")
    book = openpyxl.load_workbook(path)
    capitation, fees = sheet_named("Capitation"), sheet_named("Fee-for-service")
    for band in BANDS:  # each a finite number, their sum is not
        book["Capitation"][capitation.address(f"people {band}")] = 1e308
    book.save(path)
    with pytest.raises(WorkbookError) as raised:
        jlnlearn.payment.from_workbook(path)
    assert [str(problem) for problem in raised.value.problems] == [
        f"{path}:Capitation!C4:C15: the calculation overflows (budget must be a number of 0 or more, got inf): "
        "numbers this large cannot be computed (use amounts and counts of a real health system)"]
    notice = present.workbook_results(path)  # the notebook's cell shows a notice, never a traceback
    assert isinstance(notice, present.Notice) and "Capitation!C4:C15" in notice.text

    path = writer.write_workbook(tmp_path / "fees.xlsx", "Ghana")
    book = openpyxl.load_workbook(path)
    for row in fees.inputs:  # 1e200 people x 1e200 visits x 1e200 a visit
        book["Fee-for-service"][fees.address(row.key)] = 1e200
    book.save(path)
    with pytest.raises(WorkbookError) as raised:
        jlnlearn.payment.from_workbook(path)
    assert {problem.cell for problem in raised.value.problems if problem.sheet == "Fee-for-service"} == {"C4:C6"}
    assert "Paid for all visits comes out as inf" in str(raised.value)


def test_a_workbook_that_unpacks_to_far_more_than_a_calculator_holds_is_refused_unread(tmp_path):
    written = writer.write_workbook(tmp_path / "real.xlsx", "Ghana")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for member in source.infolist():  # one sheet padded with 30 MB of one letter: a small file
            data = source.read(member.filename)
            if member.filename.endswith("sheet2.xml"):
                data = data.replace(b"</sheetData>", b'<row r="9999"><c r="Z9999" t="inlineStr"><is><t>'
                                    + b"x" * 30_000_000 + b"</t></is></c></row></sheetData>")
            out.writestr(member, data)
    assert bomb.stat().st_size < 200_000
    with pytest.raises(WorkbookError) as raised:
        jlnlearn.payment.from_workbook(bomb)
    assert str(raised.value.problems[0]) == (
        f"{bomb}: unpacks to 30 MB, far more than a calculators' workbook (about 50 kB): write a fresh one with: "
        "jlnlearn workbook bomb.xlsx")


@pytest.mark.parametrize("lang", ["fr", "es", "pt"])
def test_a_workbook_in_another_language_computes_the_same_and_reads_back(tmp_path, lang):
    from jlnlearn.i18n import language_set

    english, translated = tmp_path / "en.xlsx", tmp_path / f"{lang}.xlsx"
    writer.write_workbook(english, "Senegal")
    with language_set(lang):
        writer.write_workbook(translated, "Senegal")
    book = openpyxl.load_workbook(translated)
    english_names = ("Capitation", "Fee-for-service", "Case-based", "Blend", "Read me")
    assert [name for name in book.sheetnames if name in english_names] in ([], ["Capitation"])  # named in the language
    first = book.worksheets[1]
    assert first["A4"].value != "Health spending per person"  # and so are the labels
    in_english, in_language = evaluate(english), evaluate(translated)
    sums = sorted(value for value in in_english.values() if isinstance(value, float))
    assert sorted(value for value in in_language.values() if isinstance(value, float)) == pytest.approx(sums)
    back = jlnlearn.payment.from_workbook(translated)  # read back whatever language it was written in
    assert back.results == jlnlearn.payment.from_workbook(english).results
    with language_set(lang):
        assert back.country == jlnlearn.country("SEN").name == {"fr": "Sénégal", "es": "Senegal", "pt": "Senegal"}[lang]
