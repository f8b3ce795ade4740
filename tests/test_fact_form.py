"""Recording a missing fact without Python: the form checks a row as it is typed and saves it."""

import base64
import html
import csv
import re

import pytest

from jlnlearn import widgets
from jlnlearn.data import schema
from jlnlearn.data.extra import append_row
from jlnlearn.data.validation import validate_extra
from jlnlearn.errors import DataValidationError
from jlnlearn.settings import STATIC_OUTPUT_ENV

#: A payment mechanism as a participant would type it (the texts a form's boxes hold).
TYPED = {"fact_id": "MAR-amo-example", "iso3": "MAR", "purchaser": "ANAM", "level_of_care": "primary care",
         "mechanism": "fee-for-service", "status": "in use", "since_year": "2005",
         "detail": "An example row typed in the form", "source_id": "J02",
         "quote": "=the source's own words"}


@pytest.fixture
def live(monkeypatch):
    monkeypatch.delenv(STATIC_OUTPUT_ENV, raising=False)


def controls(form):
    """The form's inputs by their label (the column title, with * where required)."""
    return {child.description.rstrip(" *"): child for child in form.children if hasattr(child, "description")
            and child.description and child.description != "Save the row"}


def fill(form, typed):
    titles = {"fact_id": "fact", "iso3": "code", "purchaser": "purchaser", "level_of_care": "level of care",
              "mechanism": "mechanism", "status": "status", "since_year": "since", "detail": "detail",
              "source_id": "source", "quote": "quote"}
    boxes = controls(form)
    for column, text in typed.items():
        boxes[titles[column]].value = text


def test_the_form_has_a_field_per_column_and_lists_for_set_values(live):
    form = widgets.fact_form("payment_mechanisms")
    boxes = controls(form)
    assert len(boxes) == 14  # data/datapackage.json: payment_mechanisms has 14 columns
    assert list(boxes["mechanism"].options)[:3] == ["", "line-item budget", "global budget"]
    assert boxes["status"].description == "status *" and boxes["purchaser"].description == "purchaser"
    save = next(child for child in form.children if getattr(child, "description", "") == "Save the row")
    assert save.disabled  # nothing filled in yet


def test_the_row_is_checked_as_it_is_typed_and_saved_to_the_participants_folder(live, tmp_path):
    form = widgets.fact_form("payment_mechanisms", folder=tmp_path / "my-data")
    status, save, result = form.children[-3:]
    fill(form, {**TYPED, "since_year": "20o5"})
    assert "since" in status.value and "Not yet" in status.value and save.disabled
    fill(form, TYPED)
    assert "This row fits the payment_mechanisms table" in status.value and not save.disabled
    save.click()
    saved = tmp_path / "my-data" / "payment_mechanisms.csv"
    assert "Saved to" in result.value and "JLNLEARN_EXTRA_DATA=" in result.value
    rows = list(csv.DictReader(saved.open(encoding="utf-8")))
    assert rows[0]["fact_id"] == "MAR-amo-example" and rows[0]["since_year"] == "2005"
    assert rows[0]["quote"] == "=the source's own words"  # kept as the source's text, read back as text
    assert validate_extra(tmp_path / "my-data") == []  # the folder builds as extra rows
    fill(form, {**TYPED, "fact_id": "MAR-amo-second"})
    save.click()
    assert [row["fact_id"] for row in csv.DictReader(saved.open(encoding="utf-8"))] == [
        "MAR-amo-example", "MAR-amo-second"]


def test_a_row_that_does_not_fit_is_not_written_and_the_file_is_left_as_it_was(tmp_path):
    row = {"fact_id": "MAR-x", "iso3": "MAR", "level_of_care": "primary care", "mechanism": "capitation",
           "status": "in use", "detail": "Fine", "source_id": "J02", "quote": "words"}
    path = append_row(tmp_path, "payment_mechanisms", row)
    before = path.read_text(encoding="utf-8")
    with pytest.raises(DataValidationError) as raised:
        append_row(tmp_path, "payment_mechanisms", {**row, "fact_id": "MAR-y", "mechanism": "bartering"})
    assert "mechanism" in str(raised.value) and "capitation" in str(raised.value)
    assert path.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["payment_mechanisms.csv"]  # no temporary left


def test_a_file_with_other_columns_is_not_appended_to(tmp_path):
    (tmp_path / "reforms.csv").write_text("iso3,date\nGHA,2020\n", encoding="utf-8")
    row = {"reform_id": "GHA-x", "iso3": "GHA", "date": "2020", "kind": "policy", "description": "A test",
           "source_id": "J02", "quote": "words"}
    with pytest.raises(DataValidationError, match="the file's columns are not the table's"):
        append_row(tmp_path, "reforms", row)
    assert (tmp_path / "reforms.csv").read_text(encoding="utf-8") == "iso3,date\nGHA,2020\n"


def test_in_a_report_the_form_says_what_it_does_in_jupyterlab(monkeypatch):
    monkeypatch.setenv(STATIC_OUTPUT_ENV, "1")
    notice = widgets.fact_form("covid_measures")
    assert notice.text.startswith("In JupyterLab this cell shows a form for one row of covid_measures")


def test_saving_the_same_row_twice_keeps_one_and_the_folder_stays_valid(live, tmp_path):
    form = widgets.fact_form("payment_mechanisms", folder=tmp_path / "my-data")
    _status, save, result = form.children[-3:]
    fill(form, TYPED)
    save.click()
    assert save.disabled  # a second click in the page does nothing
    save.click()  # and one that gets through anyway is refused by the key
    assert "Not saved" in result.value and "MAR-amo-example is already saved in this file" in result.value
    saved = tmp_path / "my-data" / "payment_mechanisms.csv"
    assert len(list(csv.DictReader(saved.open(encoding="utf-8")))) == 1
    assert validate_extra(tmp_path / "my-data") == []


@pytest.mark.parametrize(("detail", "said"), [
    ("x" * 2_000_000, "2,000,000 characters, more than a field may hold (at most 10,000)"),
    ("before" + chr(0xD800) + "after", "a character that cannot be saved (U+D800)"),
    ("a\x00b", "a character that cannot be saved (U+0000)"),
])
def test_text_a_csv_could_not_hold_or_give_back_is_refused_as_it_is_typed(live, tmp_path, detail, said):
    form = widgets.fact_form("payment_mechanisms", folder=tmp_path / "my-data")
    status, save, _result = form.children[-3:]
    fill(form, {**TYPED, "detail": detail})
    assert save.disabled and said in status.value.replace("&#x27;", "'")
    with pytest.raises(DataValidationError, match="detail"):
        append_row(tmp_path / "my-data", "payment_mechanisms", {**TYPED, "detail": detail, "since_year": 2005})
    assert not (tmp_path / "my-data" / "payment_mechanisms.csv").exists()


def test_a_folder_that_cannot_be_written_is_said_in_the_form(live, tmp_path):
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    form = widgets.fact_form("payment_mechanisms", folder=tmp_path / "a-file" / "my-data")
    _status, save, result = form.children[-3:]
    fill(form, TYPED)
    save.click()  # no traceback in the Jupyter log: the reason, in the form
    assert "Not saved" in result.value and "cannot be written" in result.value and "a-file" in result.value


def test_saving_keeps_the_files_permissions(tmp_path):
    row = {"fact_id": "MAR-x", "iso3": "MAR", "level_of_care": "primary care", "mechanism": "capitation",
           "status": "in use", "detail": "Fine", "source_id": "J02", "quote": "words"}
    path = append_row(tmp_path, "payment_mechanisms", row)
    path.chmod(0o644)
    append_row(tmp_path, "payment_mechanisms", {**row, "fact_id": "MAR-y"})
    assert path.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("binder", [True, False])
def test_on_binder_the_saved_rows_are_offered_as_a_download_and_the_learner_told_why(live, tmp_path, monkeypatch,
                                                                                   binder):
    for name in widgets.BINDER_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    if binder:
        monkeypatch.setenv("BINDER_REPO_URL", "https://github.com/example/jlnlearn")
    form = widgets.fact_form("payment_mechanisms", folder=tmp_path / "my-data")
    result = form.children[-1]
    fill(form, TYPED)
    form.children[-2].click()
    saved = (tmp_path / "my-data" / "payment_mechanisms.csv").read_bytes()
    link = re.search(r'<a download="payment_mechanisms.csv" href="data:text/csv;charset=utf-8;base64,([^"]+)">',
                     result.value)
    assert (link is not None) == binder
    assert ("deleted when you leave it" in result.value) == binder
    if binder:
        assert base64.b64decode(link.group(1)) == saved  # the whole file, as saved
        assert b"MAR-amo-example" in saved


def test_in_french_the_form_hints_what_each_box_holds_in_french_and_keeps_the_values_in_english(live, tmp_path):
    from jlnlearn.i18n import language_set

    with language_set("fr"):
        form = widgets.fact_form("payment_mechanisms", folder=tmp_path / "my-data")
        boxes = controls(form)
        assert boxes["acheteur"].placeholder == ("Organisation qui paie les prestataires (assureur, ministère, caisse)"
                                                 "\u202f; vide si la source ne la nomme pas")
        assert ("soins primaires", "primary care") in boxes["niveau de soins"].options  # shown French, saved English


def test_the_capitation_slider_reads_its_share_out_the_readers_way(live):
    from jlnlearn.i18n import language_set

    weights = {"0-4": 1.6, "5-14": 0.6, "15-44": 0.8, "45-64": 1.3, "65+": 2.4}
    for code, shown in (("en", "65%"), ("fr", "65\u00a0%")):
        with language_set(code):
            share = widgets.capitation_controls("Ghana", weights, 0.6509).children[0].children[0]
        assert share.value == 0.6509 and share.label == shown  # WHO's share for Ghana, as it is
        share.value = 0.7
        assert share.label == ("70%" if code == "en" else "70\u00a0%")


def test_in_french_a_row_that_does_not_fit_is_explained_in_french(live, tmp_path):
    from jlnlearn.i18n import language_set

    with language_set("fr"):
        form = widgets.fact_form("payment_mechanisms", folder=tmp_path / "my-data")
        boxes = dict(zip((column["name"] for column in schema.fields("payment_mechanisms")), form.children[1:]))
        for column, text in {**TYPED, "since_year": "twenty", "source_id": "J2"}.items():
            boxes[column].value = text
        status = html.unescape(form.children[-3].value)
    # the column as the form labels it, the problem and what would be valid, in French; the values as typed
    assert "depuis\u00a0: 'twenty' n'est pas un integer valide (un nombre entier, par ex. 2015)" in status, status
    assert "source\u00a0: 'J2' n'est pas un source_id dans sources.csv" in status, status
