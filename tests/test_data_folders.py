"""A data folder is checked against the shipped schema and never leads jlnlearn outside itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import jlnlearn
from jlnlearn.cli import main
from jlnlearn.data import schema
from tests.conftest import header

REFORM = "GHA-test-reform,GHA,2020,,,policy,A test reform,J02,,the source's own words"


def descriptor(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def rewrite(folder: Path, change) -> None:
    package = descriptor(folder)
    change(package)
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")


def resource_of(package: dict, name: str) -> dict:
    return next(r for r in package["resources"] if r["name"] == name)


def test_a_folders_own_schema_cannot_loosen_the_shipped_one(data_copy, monkeypatch):
    monkeypatch.chdir(data_copy.parent)

    def loosen(package):
        for field in resource_of(package, "reforms")["schema"]["fields"]:
            field.pop("constraints", None)

    rewrite(data_copy, loosen)
    with open(data_copy / "reforms.csv", "a", encoding="utf-8") as stream:
        stream.write(REFORM.replace(",policy,", ",whatever,") + "\n")
    problems = [str(p) for p in jlnlearn.validate(data_copy)]
    rows = len((data_copy / "reforms.csv").read_text(encoding="utf-8").splitlines())
    kinds = next(f for f in schema.fields("reforms") if f["name"] == "kind")["constraints"]["enum"]
    assert problems == [f"data/reforms.csv:{rows}: kind: 'whatever' is not an allowed value "
                        f"(valid: one of: {', '.join(kinds)})"]


@pytest.mark.parametrize("path", ["../outside.csv", "/tmp/outside.csv", "sub/../../outside.csv",
                                  "https://example.org/reforms.csv"])
def test_a_resource_path_that_leaves_the_folder_is_a_problem_and_is_not_read(data_copy, monkeypatch, path):
    monkeypatch.chdir(data_copy.parent)
    (data_copy.parent / "outside.csv").write_text("not,a,reforms,table\n", encoding="utf-8")
    rewrite(data_copy, lambda package: resource_of(package, "reforms").update(path=path))
    number = [r["name"] for r in descriptor(data_copy)["resources"]].index("reforms") + 1
    problems = [str(p) for p in jlnlearn.validate(data_copy)]
    assert problems == [f"data/datapackage.json:0: resources[{number}].path: {path!r} leads outside the "
                        "folder (valid: a file name inside the folder, e.g. reforms.csv)"]


def test_a_resource_the_package_does_not_have_is_named(data_copy, monkeypatch):
    monkeypatch.chdir(data_copy.parent)
    rewrite(data_copy, lambda package: package["resources"].append(
        {"name": "reform", "path": "reform.csv", "schema": {"fields": []}}))
    problems = [str(p) for p in jlnlearn.validate(data_copy)]
    assert len(problems) == 1
    assert problems[0].startswith(f"data/datapackage.json:0: resources[{len(descriptor(data_copy)['resources'])}]"
                                  ".name: 'reform' is not a table of the data package (valid: one of: ")


@pytest.mark.parametrize(("text", "message"), [
    ('{"resources": [', "not valid JSON: Expecting value at line 1, column 16"),
    ("{}", "no list of resources"),
    ("[1, 2]", "no list of resources"),
    ('{"resources": [{"name": "reforms", "path": "reforms.csv"}]}', "resource 'reforms' has no schema"),
    ('{"resources": [{"path": "reforms.csv"}]}', "resource 1 has no name"),
])
def test_a_descriptor_that_is_not_a_data_package_is_one_line_and_exit_2(data_copy, monkeypatch, capsys,
                                                                        text, message):
    monkeypatch.chdir(data_copy.parent)
    (data_copy / "datapackage.json").write_text(text, encoding="utf-8")
    assert main(["validate", "data"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [f"jlnlearn validate: data/datapackage.json: {message} (valid: "
                                         + captured.err.split("(valid: ", 1)[1].strip()]
    assert "Traceback" not in captured.err


def test_a_link_to_a_file_outside_an_extra_folder_is_refused(extra_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    outside = tmp_path / "elsewhere.csv"
    outside.write_text(header("reforms") + "\n" + REFORM + "\n", encoding="utf-8")
    (extra_dir / "reforms.csv").symlink_to(outside)
    assert [str(p) for p in jlnlearn.validate(extra_dir)] == [
        f"my-data/reforms.csv:0: (file): the file is a link to {outside}, outside the folder "
        "(valid: a copy of the file itself in my-data)"]
    with pytest.raises(jlnlearn.DataValidationError, match="is a link to"):
        jlnlearn.load("reforms", extra=extra_dir)


def test_a_link_inside_the_folder_is_read_like_a_file(extra_dir):
    (extra_dir / "kept").mkdir()
    (extra_dir / "kept" / "reforms.csv").write_text(header("reforms") + "\n" + REFORM + "\n", encoding="utf-8")
    (extra_dir / "reforms.csv").symlink_to(extra_dir / "kept" / "reforms.csv")
    assert jlnlearn.validate(extra_dir) == []
    assert jlnlearn.load("reforms", extra=extra_dir).reform_id.iloc[-1] == "GHA-test-reform"


def test_a_link_out_of_a_whole_package_copy_is_refused(data_copy, monkeypatch):
    monkeypatch.chdir(data_copy.parent)
    target = data_copy.parent / "kept-reforms.csv"
    (data_copy / "reforms.csv").rename(target)
    (data_copy / "reforms.csv").symlink_to(target)
    problems = [str(p) for p in jlnlearn.validate(data_copy)]
    assert problems == [f"data/reforms.csv:0: (file): the file is a link to {target}, outside the folder "
                        "(valid: a copy of the file itself in data)"]


def test_a_semicolon_separated_file_says_so_and_how_to_save_it_with_commas(extra_dir):
    (extra_dir / "reforms.csv").write_text(header("reforms").replace(",", ";") + "\n"
                                           + REFORM.replace(",", ";") + "\n", encoding="utf-8")
    problems = jlnlearn.validate(extra_dir)
    assert [(p.row, p.column) for p in problems] == [(1, "(file)")]
    assert problems[0].message.startswith("the values are separated by semicolons, not commas")
    assert "'CSV UTF-8 (Comma delimited)'" in problems[0].valid


def test_rows_a_spreadsheet_left_as_commas_are_named_by_their_line(extra_dir):
    two_lines = REFORM.replace("A test reform", '"A reform whose description\nruns over two lines"')
    (extra_dir / "reforms.csv").write_text(
        "\n".join([header("reforms"), two_lines, ",,,,,,,,,", REFORM.replace("test-reform", "second"),
                   ",,,", ""]), encoding="utf-8")
    # line 1 header, lines 2-3 the first row, line 4 commas, line 5 a row, line 6 fewer commas
    assert [(p.row, p.message) for p in jlnlearn.validate(extra_dir)] == [
        (4, "the row is empty, only commas (left by a spreadsheet)"),
        (6, "the row is empty, only commas (left by a spreadsheet)")]


def test_every_problem_is_counted_and_a_long_list_says_how_many_in_all(extra_dir):
    rows = [REFORM.replace("GHA-test-reform", f"GHA-row-{n}").replace(",2020,", ",20X4,") for n in range(1200)]
    (extra_dir / "reforms.csv").write_text("\n".join([header("reforms"), *rows, ""]), encoding="utf-8")
    problems = jlnlearn.validate(extra_dir)
    assert len(problems) == 1200 and {p.column for p in problems} == {"date"}
    with pytest.raises(jlnlearn.DataValidationError) as caught:
        jlnlearn.load("reforms", extra=extra_dir)
    lines = str(caught.value).splitlines()
    assert lines[0] == "1,200 problems in the data:"
    assert len(lines) == 1 + 20 + 1
    assert lines[-1] == "  and 1,180 more: 1,200 problems in all (list every one with: jlnlearn validate FOLDER)"
    assert len(caught.value.problems) == 1200


def test_a_large_file_is_read_as_a_stream_and_its_problems_keep_their_lines(extra_dir):
    """20,000 rows with a byte-order mark and no final line break: the merged table keeps every row,
    and a problem deep in the file, and a byte that is not UTF-8 in a second file, name their own lines."""
    rows = [REFORM.replace("GHA-test-reform", f"GHA-row-{n}") for n in range(20_000)]
    rows[11_999] = rows[11_999].replace(",policy,", ",polcy,")  # line 12,001 of the file
    (extra_dir / "reforms.csv").write_text("\ufeff" + "\n".join([header("reforms"), *rows]), encoding="utf-8")
    (extra_dir / "covid_measures.csv").write_bytes(
        (header("covid_measures") + "\n").encode() + b"KEN-x,KEN,2020-04-01,,,emergency funds,caf\xe9,J02,,q\n")
    problems = jlnlearn.validate(extra_dir)
    assert [(Path(p.file).name, p.row, p.column, p.message) for p in problems] == [
        ("covid_measures.csv", 2, "(file)", "byte 0xe9 is not UTF-8 text"),
        ("reforms.csv", 12_001, "kind", "'polcy' is not an allowed value")]
    assert len(jlnlearn.load("reforms", extra=_fixed(extra_dir))) == len(jlnlearn.load("reforms")) + 20_000


def _fixed(folder: Path) -> Path:
    """``folder`` with the misspelt kind corrected and the file that is not UTF-8 removed."""
    path = folder / "reforms.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace(",polcy,", ",policy,"), encoding="utf-8")
    (folder / "covid_measures.csv").unlink()
    return folder
