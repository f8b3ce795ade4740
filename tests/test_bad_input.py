"""Bad data give precise errors (file, row, column, what would be valid) and no table."""

from __future__ import annotations

from pathlib import Path

import pytest

import jlnlearn
from jlnlearn.cli import main
from tests.conftest import header

REFORM = "GHA-test-reform,GHA,2020,,,policy,A test reform,J02,,the source's own words"
MECHANISM = "GHA-test,GHA,NHIA,,primary care,capitation,in use,2012,,,A test row,C-GH1,,the source's own words"


def write(folder: Path, table: str, rows: list[str], encoding: str = "utf-8") -> Path:
    path = folder / f"{table}.csv"
    path.write_bytes(("\n".join([header(table), *rows]) + "\n").encode(encoding))
    return path


def only_problem(folder: Path) -> jlnlearn.Problem:
    problems = jlnlearn.validate(folder)
    assert len(problems) == 1, problems
    return problems[0]


def assert_load_refuses(folder: Path, table: str, expected: str) -> None:
    with pytest.raises(jlnlearn.DataValidationError) as caught:
        jlnlearn.load(table, extra=folder)
    assert expected in str(caught.value)


def test_good_extra_rows_are_merged_after_the_shipped_rows(extra_dir):
    write(extra_dir, "reforms", [REFORM])
    assert jlnlearn.validate(extra_dir) == []
    shipped = jlnlearn.load("reforms")
    merged = jlnlearn.load("reforms", extra=extra_dir)
    assert len(merged) == len(shipped) + 1
    assert merged.iloc[-1].reform_id == "GHA-test-reform"
    assert merged.iloc[-1].kind == "policy"


def test_extra_rows_can_come_from_the_environment(extra_dir, monkeypatch):
    write(extra_dir, "reforms", [REFORM])
    monkeypatch.setenv("JLNLEARN_EXTRA_DATA", str(extra_dir))
    assert "GHA-test-reform" in set(jlnlearn.load("reforms").reform_id)


def test_editing_an_extra_file_is_seen_by_the_next_load(extra_dir):
    path = write(extra_dir, "reforms", [REFORM])
    assert len(jlnlearn.load("reforms", extra=extra_dir)) == len(jlnlearn.load("reforms")) + 1
    path.write_text(header("reforms") + "\n" + REFORM + "\n"
                    + REFORM.replace("GHA-test-reform", "GHA-second") + "\n", encoding="utf-8")
    assert len(jlnlearn.load("reforms", extra=extra_dir)) == len(jlnlearn.load("reforms")) + 2


def test_malformed_csv_names_the_row(extra_dir):
    write(extra_dir, "reforms", [REFORM, 'GHA-x,GHA,2020,,,policy,"unclosed quote,J02,'])
    problem = only_problem(extra_dir)
    assert (problem.file.endswith("my-data/reforms.csv"), problem.row, problem.column) == \
        (True, 3, "(row)")
    assert "malformed CSV" in problem.message
    assert_load_refuses(extra_dir, "reforms", "reforms.csv:3: (row): malformed CSV")


def test_row_with_too_many_values(extra_dir):
    write(extra_dir, "reforms", [REFORM + ",surplus"])
    problem = only_problem(extra_dir)
    assert (problem.row, problem.message) == (2, "11 values for 10 columns")


def test_wrong_type_names_row_column_and_valid_form(extra_dir):
    write(extra_dir, "payment_mechanisms", [MECHANISM.replace(",2012,", ",20x12,")])
    problem = only_problem(extra_dir)
    assert (problem.row, problem.column) == (2, "since_year")
    assert problem.message == "'20x12' is not a valid integer"
    assert problem.valid == "a whole number, e.g. 2015"
    assert_load_refuses(extra_dir, "payment_mechanisms", "payment_mechanisms.csv:2: since_year:")


def test_value_outside_enum_suggests_the_closest(extra_dir):
    write(extra_dir, "payment_mechanisms", [MECHANISM, MECHANISM.replace("GHA-test,", "GHA-t2,")
                                            .replace(",capitation,", ",Capitation,")])
    problem = only_problem(extra_dir)
    assert (problem.row, problem.column) == (3, "mechanism")
    assert problem.message == "'Capitation' is not an allowed value"
    assert problem.valid.startswith("did you mean 'capitation'? one of: line-item budget,")
    assert str(problem).endswith(
        "my-data/payment_mechanisms.csv:3: mechanism: 'Capitation' is not an allowed value "
        "(valid: did you mean 'capitation'? one of: line-item budget, global budget, capitation, "
        "fee-for-service, case-based, per diem, pay-for-performance, blended)")


def test_missing_required_field(extra_dir):
    write(extra_dir, "reforms", [REFORM.replace("A test reform", "")])
    problem = only_problem(extra_dir)
    assert (problem.row, problem.column, problem.message) == (2, "description", "a value is required")


def test_duplicate_key_points_at_the_first_use(extra_dir):
    write(extra_dir, "reforms", [REFORM.replace("GHA-test-reform", "GHA-nhis-act")])
    problem = only_problem(extra_dir)
    assert (problem.row, problem.column) == (2, "reform_id")
    assert problem.message.startswith("duplicate key (first used at data/reforms.csv:")


def test_duplicate_key_within_one_file(extra_dir):
    write(extra_dir, "reforms", [REFORM, REFORM])
    problem = only_problem(extra_dir)
    assert problem.row == 3
    assert "my-data/reforms.csv:2)" in problem.message


def test_unknown_source_id(extra_dir):
    write(extra_dir, "reforms", [REFORM.replace(",J02,", ",J99,")])
    problem = only_problem(extra_dir)
    assert (problem.row, problem.column) == (2, "source_id")
    assert problem.message == "'J99' is not a source_id in sources.csv"
    assert_load_refuses(extra_dir, "reforms", "reforms.csv:2: source_id: 'J99' is not a source_id")


def test_unknown_source_in_a_source_list(extra_dir):
    write(extra_dir, "reforms", [REFORM.replace(",J02,,", ",J02,S01;S99,")])
    problem = only_problem(extra_dir)
    assert (problem.row, problem.column) == (2, "more_source_ids")
    assert problem.message == "'S99' is not a source_id in sources.csv"


def test_new_source_in_extra_sources_makes_the_citation_valid(extra_dir):
    write(extra_dir, "sources", ["C-GH99,country,A ministry circular,Ministry of Health Ghana,2024,,,,,"])
    write(extra_dir, "reforms", [REFORM.replace(",J02,", ",C-GH99,")])
    assert jlnlearn.validate(extra_dir) == []


def test_unknown_country_code_suggests_the_closest(extra_dir):
    write(extra_dir, "reforms", [REFORM.replace(",GHA,", ",GHX,")])
    problem = only_problem(extra_dir)
    assert (problem.row, problem.column) == (2, "iso3")
    assert problem.message == "'GHX' is not a iso3 in countries.csv"
    assert "GHA" in problem.valid


def test_empty_file(extra_dir):
    (extra_dir / "reforms.csv").write_text("", encoding="utf-8")
    problem = only_problem(extra_dir)
    assert (problem.row, problem.column, problem.message) == (1, "(file)", "the file is empty")
    assert problem.valid.startswith("a header row: reform_id,")


def test_wrong_encoding_names_the_line(extra_dir):
    write(extra_dir, "reforms", [REFORM, REFORM.replace("GHA-test-reform", "GHA-2")
                                 .replace("A test reform", "Réforme")], encoding="latin-1")
    problem = only_problem(extra_dir)
    assert (problem.row, problem.column) == (3, "(file)")
    assert problem.message == "byte 0xe9 is not UTF-8 text"
    assert "UTF-8" in problem.valid


def test_wrong_header_names_the_column(extra_dir):
    (extra_dir / "reforms.csv").write_text(
        header("reforms").replace("description", "descripton") + "\n" + REFORM + "\n",
        encoding="utf-8")
    problems = jlnlearn.validate(extra_dir)
    assert [(p.row, p.column, p.message) for p in problems] == [
        (1, "description", "column is missing from the header"),
        (1, "descripton", "unexpected column"),
    ]
    assert problems[1].valid.startswith("did you mean 'description'?")


def test_unknown_file_in_extra_folder(extra_dir):
    (extra_dir / "reform.csv").write_text("a\n1\n", encoding="utf-8")
    problem = only_problem(extra_dir)
    assert problem.message == "not a table of the data package"


def test_every_problem_is_reported_not_just_the_first(extra_dir):
    write(extra_dir, "reforms", [REFORM.replace(",GHA,", ",GHX,"),
                                 REFORM.replace("GHA-test-reform", "GHA-2").replace("policy", "law!")])
    write(extra_dir, "covid_measures", [
        "GHA-m,GHA,2020-13,,,payment change,A measure,J02,,the source's own words"])
    problems = jlnlearn.validate(extra_dir)
    located = {(Path(p.file).name, p.row, p.column) for p in problems}
    assert located == {("reforms.csv", 2, "iso3"), ("reforms.csv", 3, "kind"),
                       ("covid_measures.csv", 2, "date")}


def test_broken_table_in_a_whole_package_copy(data_copy, monkeypatch):
    monkeypatch.chdir(data_copy.parent)
    text = (data_copy / "countries.csv").read_text(encoding="utf-8")
    (data_copy / "countries.csv").write_text(text.replace("LAO,Lao PDR", "LAO,Lao PDR,extra"),
                                             encoding="utf-8")
    problems = jlnlearn.validate(data_copy)
    assert [str(p) for p in problems] == [
        "data/countries.csv:10: (row): 15 values for 14 columns (valid: wrap a value that "
        "contains a comma in double quotes, and close every quote)"]


def test_cli_reports_problems_with_exit_code_1(extra_dir, capsys):
    write(extra_dir, "reforms", [REFORM.replace(",J02,", ",J99,")])
    assert main(["validate", str(extra_dir)]) == 1
    captured = capsys.readouterr()
    assert "reforms.csv:2: source_id: 'J99' is not a source_id in sources.csv" in captured.out
    assert "1 problem in" in captured.err


def test_cli_refuses_bad_usage_with_exit_code_2(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "missing")]) == 2
    assert "not a folder" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        main(["frobnicate"])
    assert caught.value.code == 2


def test_missing_extra_folder_is_a_clear_error(tmp_path):
    with pytest.raises(NotADirectoryError, match="extra: not a folder"):
        jlnlearn.load("reforms", extra=tmp_path / "nope")


BAD_CASES = {
    "malformed CSV": ("reforms", [REFORM, 'GHA-x,GHA,2020,,,policy,"unclosed,J02,']),
    "wrong type": ("payment_mechanisms", [MECHANISM.replace(",2012,", ",20x12,")]),
    "outside enum": ("payment_mechanisms", [MECHANISM.replace(",capitation,", ",Capitation,")]),
    "missing required": ("reforms", [REFORM.replace("A test reform", "")]),
    "duplicate key": ("reforms", [REFORM.replace("GHA-test-reform", "GHA-nhis-act")]),
    "unknown source": ("reforms", [REFORM.replace(",J02,", ",J99,")]),
    "unknown country": ("reforms", [REFORM.replace(",GHA,", ",GHX,")]),
    "empty file": ("reforms", None),
}


@pytest.mark.parametrize("case", BAD_CASES)
def test_load_returns_no_table_from_bad_data(extra_dir, case):
    table, rows = BAD_CASES[case]
    if rows is None:
        (extra_dir / f"{table}.csv").write_text("", encoding="utf-8")
    else:
        write(extra_dir, table, rows)
    with pytest.raises(jlnlearn.DataValidationError) as caught:
        jlnlearn.load(table, extra=extra_dir)
    problem = caught.value.problems[0]
    assert problem.file.endswith(f"my-data/{table}.csv") and problem.row >= 1 and problem.column
    assert str(problem) in str(caught.value)


def test_data_that_turns_bad_after_a_good_load_is_caught(extra_dir):
    write(extra_dir, "reforms", [REFORM])
    jlnlearn.load("reforms", extra=extra_dir)
    write(extra_dir, "reforms", [REFORM.replace(",J02,", ",J99,")])  # same size, same second
    with pytest.raises(jlnlearn.DataValidationError, match="'J99' is not a source_id"):
        jlnlearn.load("reforms", extra=extra_dir)


def test_an_amount_without_its_currency_is_refused(extra_dir):
    """covid_figures: a figure whose unit is 'currency' must say which currency."""
    write(extra_dir, "covid_figures", [
        "PHL-test-amount,PHL-case-rate-mild,A test amount,,12,currency,,per case,2020,C-PH6,,the words",
        "PHL-test-share,PHL-case-rate-mild,A test share,,12,percent,,share,2020,C-PH6,,the words"])
    problem = only_problem(extra_dir)
    assert (Path(problem.file).name, problem.row, problem.column) == ("covid_figures.csv", 2, "currency")
    assert str(problem).endswith("currency: required when unit is 'currency' "
                                 "(valid: ISO 4217 code of an amount of money (empty for percentages and counts))")
    rows = [{"figure_id": "PHL-x", "measure_id": "PHL-case-rate-mild", "label": "x", "value": 1,
             "unit": "currency", "basis": "per case", "source_id": "C-PH6", "quote": "the words"}]
    assert [p.column for p in jlnlearn.check_rows("covid_figures", rows)] == ["currency"]


def test_the_same_rows_are_checked_once(monkeypatch):
    """A lesson's exercise checks the same example rows on every page: the answer is remembered."""
    from jlnlearn.data import validation

    row = {"reform_id": "GHA-once", "iso3": "GHA", "date": "2020", "kind": "policy",
           "description": "A test", "source_id": "J02", "quote": "The source's own words"}
    assert jlnlearn.check_rows("reforms", [row]) == []

    def refuse(*args, **kwargs):
        raise AssertionError("checked again")

    monkeypatch.setattr(validation, "validate_tables", refuse)
    assert jlnlearn.check_rows("reforms", [dict(row)]) == []
    with pytest.raises(AssertionError, match="checked again"):  # other rows are checked
        jlnlearn.check_rows("reforms", [{**row, "reform_id": "GHA-twice"}])


@pytest.mark.parametrize("value", ["NaN", "nan", "inf", "-Infinity", "1e400"])
def test_a_number_that_cannot_be_a_fact_is_refused(value):
    """Frictionless reads these as numbers; validate refuses them, naming the row and column."""
    row = {"rate_id": "GHA-rate-test", "iso3": "GHA", "scheme": "NHIS", "description": "A test rate",
           "amount": value, "currency": "GHS", "unit": "per person per year", "year": 2020,
           "source_id": "C-GH1", "quote": "The source's own words"}
    found = [(p.row, p.column, p.message) for p in jlnlearn.check_rows("payment_rates", [row])]
    assert (2, "amount", f"{value!r} is not a finite number") in found
    assert {column for _, column, _ in found} == {"amount"}  # (a negative one is also below the minimum)


@pytest.mark.parametrize(("unit", "value", "expected"), [
    ("% of GDP", "120", ("'120' is out of range", "at most 100 when unit is '% of GDP'")),
    ("index, 0 to 100", "100.5", ("'100.5' is out of range", "at most 100 when unit is 'index, 0 to 100'")),
    ("persons", "-5", ("'-5' is out of range", "at least 0")),
    ("% of current health expenditure", "-0.1", ("'-0.1' is out of range", "at least 0")),
])
def test_a_share_above_100_or_a_negative_count_is_refused(unit, value, expected):
    row = {"iso3": "GHA", "year": 1990, "indicator": "che_gdp_pct", "value": value, "unit": unit,
           "source_id": "DS-WHO-GHED"}
    assert [(p.row, p.column, p.message, p.valid) for p in jlnlearn.check_rows("indicators", [row])] == [
        (2, "value", *expected)]


def test_the_largest_value_of_a_share_is_still_allowed_and_other_units_have_no_ceiling():
    rows = [{"iso3": "GHA", "year": 1990, "indicator": "che_gdp_pct", "value": "100", "unit": "% of GDP",
             "source_id": "DS-WHO-GHED"},
            {"iso3": "GHA", "year": 1990, "indicator": "population", "value": "3.5e7", "unit": "persons",
             "source_id": "DS-WHO-GHED"}]
    assert jlnlearn.check_rows("indicators", rows) == []


@pytest.mark.parametrize(("table", "row", "column"), [
    ("covid_vaccination", {"iso3": "GHA", "date": "2019-01-06", "one_dose_pct": "101"}, "one_dose_pct"),
    ("covid_figures", {"figure_id": "GHA-share-test", "measure_id": "GHA-covid-fund", "label": "A share",
                       "value": "130", "unit": "percent", "basis": "share", "source_id": "J02",
                       "quote": "The source's own words"}, "value"),
])
def test_a_covid_percentage_above_100_is_refused(table, row, column):
    found = [(p.row, p.column, p.message) for p in jlnlearn.check_rows(table, [row])]
    assert (2, column, f"{row[column]!r} is out of range") in found



def test_a_whole_number_too_large_for_a_table_is_refused_before_load(extra_dir):
    (extra_dir / "covid_weekly.csv").write_text(
        header("covid_weekly") + "\nGHA,2019-01-06,99999999999999999999999,0,,\n", encoding="utf-8")
    assert [(p.row, p.column, p.message) for p in jlnlearn.validate(extra_dir)] == [
        (2, "new_cases", "'99999999999999999999999' is too large a whole number")]
    assert_load_refuses(extra_dir, "covid_weekly", "covid_weekly.csv:2: new_cases: ")
