"""``jlnlearn workbook``: notebook 02's calculators as an Excel workbook filled in for one country.

One sheet per calculator (:data:`~jlnlearn.lessons.workbook.SHEETS`), pre-filled
with the country's latest health spending and population, each a fact with its
source and year, and with notebook 02's assumptions, read from the notebook's
``parameters`` cell so that the workbook and the lesson cannot drift apart;
the results are live formulas. A "Read me" sheet says what the workbook is,
which cells to change and where the facts come from. Every text a spreadsheet
would take for a formula is stored as text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from jlnlearn.data.countries import Country, CountryLike, country
from jlnlearn.data.sources import Citations
from jlnlearn.errors import UsageError
from jlnlearn.i18n import N_, _, labelled
from jlnlearn.lessons import phc, profile
from jlnlearn.lessons.workbook import (
    BANDS,
    BASIS,
    BLEND_ASSUMPTIONS,
    CASE_BASED_ASSUMPTIONS,
    HEADER_ROW,
    LABEL,
    SHEETS,
    UNIT,
    VALUE,
    Row,
    Sheet,
)
from jlnlearn.lessons.workbook_reader import COUNTRY_LABEL, README_SHEET
from jlnlearn.present.escape import write_cell
from jlnlearn.reports.files import write_atomically
from jlnlearn.reports.plan import NOTEBOOKS_DIR, parameter_values

#: The notebook whose calculators and assumptions the workbook holds.
LESSON = NOTEBOOKS_DIR / "02_phc_payment_models.ipynb"
#: The assumptions the workbook takes from the lesson's parameters cell.
LESSON_ASSUMPTIONS = ("country", "phc_share", "age_weights", "visits_per_person", "cost_per_visit")
#: Fill colours: cells to change, and formulas.
INPUT_FILL, RESULT_FILL = "FFF2CC", "E7E6E6"
#: What column D says of a fact the data do not have.
MISSING = N_("not in the data: type your own figure and note its source here")
#: The widths of the columns A to D of a calculator's sheet, in characters.
WIDTHS = {LABEL: 46, UNIT: 36, VALUE: 18, BASIS: 58}


#: What the "Read me" sheet says the workbook is, which cells to change and how to read it back.
WHAT_THIS_IS = N_("Capitation with age weights, fee-for-service, case-based payment with relative weights and a "
                  "blend, each on its own sheet, started from the country's real health spending and population "
                  "and from the lesson's assumptions.")
WHAT_TO_CHANGE = N_("The yellow cells in column C of each sheet. Column D says whether a value is a fact (with its "
                    "source and year, listed below) or an assumption for you to change. The grey cells are "
                    "formulas that follow.")
READING_IT_BACK = N_("Save the file, then in notebook 02 run jlnlearn.payment.from_workbook('FILE.xlsx') with the "
                     "file's path: it checks every input, says which cell is wrong, and shows the results for "
                     "your numbers.")


@dataclass(frozen=True)
class Entry:
    """What an input cell starts with (None: left for the learner) and why: a fact's source, or an assumption."""

    value: float | None
    basis: str


def lesson_assumptions(notebook: Path = LESSON) -> dict[str, Any]:
    """Notebook 02's parameters: the default country and the assumptions the workbook starts from.

    >>> lesson_assumptions()["age_weights"]["65+"]
    2.4
    """
    if not notebook.is_file():
        raise UsageError(f"notebook 02 is not at {notebook}: the workbook takes its assumptions from it")
    values = parameter_values(notebook)
    missing = [name for name in LESSON_ASSUMPTIONS  # None is a choice for these two: the country's own figure
               if values.get(name) is None and not (name in ("phc_share", "cost_per_visit") and name in values)]
    if missing:
        raise UsageError(f"{notebook.name}: its parameters cell sets no {', '.join(missing)} as a literal "
                         f"(the workbook needs: {', '.join(LESSON_ASSUMPTIONS)})")
    unweighted = [band for band in BANDS if band not in values["age_weights"]]
    if unweighted:
        raise UsageError(f"{notebook.name}: age_weights has no weight for {', '.join(unweighted)} "
                         f"(give one for each of: {', '.join(BANDS)})")
    return values


def fact(value: float, source: str, year: int) -> Entry:
    # TRANSLATORS: column D of a calculator's sheet; {source} is a source id, {year} a year.
    return Entry(float(value), _("fact: {source}, {year}").format(source=source, year=year))


def starting_values(subject: Country, lesson: dict[str, Any]) -> tuple[dict[str, dict[str, Entry]], list[str]]:
    """Each sheet's inputs with what they start from, and the ids of the sources of the facts."""
    spending = profile.latest_values(subject, ("che_per_capita_usd",))
    figure = profile.population_figure(subject)
    pyramid = profile.population_pyramid(subject)
    bands = phc.population_by_band(subject)
    sources = []
    missing = _(MISSING)
    per_person = Entry(None, missing)
    if not spending.empty:
        per_person = fact(spending.value.iloc[0], spending.source_id.iloc[0], int(spending.year.iloc[0]))
        sources.append(spending.source_id.iloc[0])
    people = Entry(None, missing)
    if not figure.empty:
        people = fact(figure.population, figure.source_id, int(figure.year))
        sources.append(figure.source_id)
    by_band = {band: Entry(None, missing) for band in BANDS}
    if not bands.empty:
        year = int(pyramid.year.iloc[0])
        # TRANSLATORS: where the people of an age band come from; keep the two source ids.
        shares = _("DS-UN-WPP2019 shares of the DS-WB-WDI total")
        by_band = {band: fact(bands[band], shares, year) for band in BANDS}
        sources += ["DS-UN-WPP2019", "DS-WB-WDI"]

    def assumed(value: float, name: str) -> Entry:
        # TRANSLATORS: column D of a calculator's sheet; {name} is a parameter of notebook 02 ("phc_share").
        return Entry(float(value), _("your assumption (notebook 02's {name})").format(name=name))

    phc_share = assumed(lesson["phc_share"], "phc_share") if lesson["phc_share"] is not None else None
    who = phc.who_phc_share(subject)
    if phc_share is None and not who.empty:  # notebook 02 starts from WHO's share, and so does the workbook
        # TRANSLATORS: {source} is a source id.
        bound = _("{source} (broad definition: an upper bound)").format(source=who.source_id)
        phc_share = fact(who.share, bound, int(who.year))
        sources.append(who.source_id)
    elif phc_share is None:
        phc_share = Entry(phc.ASSUMED_PHC_SHARE, _("your assumption (WHO gives no PHC share for this country)"))

    chosen = phc.chosen_share(subject, lesson["phc_share"])
    facility = phc.example_facility(subject, chosen, lesson["visits_per_person"], lesson["cost_per_visit"])
    fee = {"learner": assumed(facility.cost_per_visit, "cost_per_visit"),
           "country": Entry(float(facility.cost_per_visit), _("your assumption (notebook 02's example facility: "
                                                              "the flat capitation rate / visits per person)")),
           "illustrative": Entry(float(facility.cost_per_visit), _("your assumption (illustrative, not data)"))}
    illustrative = {key: Entry(value, _("your assumption (illustrative, not data)"))
                    for key, value in CASE_BASED_ASSUMPTIONS.items()}
    return {
        "Capitation": {"spending": per_person, "phc_share": phc_share,
                       **{f"people {band}": by_band[band] for band in BANDS},
                       **{f"weight {band}": assumed(lesson["age_weights"][band], "age_weights")
                          for band in BANDS}},
        "Fee-for-service": {"people": people,
                            "visits_per_person": assumed(lesson["visits_per_person"], "visits_per_person"),
                            "fee": fee[facility.basis]},
        "Case-based": {"spending": per_person, "people": people, **illustrative},
        "Blend": {key: Entry(value, _("your assumption (the blend of notebook 02's risk simulation)"))
                  for key, value in BLEND_ASSUMPTIONS.items()},
    }, list(dict.fromkeys(sources))


def number_format(row: Row) -> str:
    """How a row's value is shown: shares in %, counts whole, money with cents, weights to 2 decimals."""
    if row.unit.startswith("share"):
        return "0.0%"
    if row.unit.startswith(("people", "visits per year", "cases")):
        return "#,##0"
    if row.unit.startswith("US$"):
        return "#,##0.00"
    return "0.00#"


def write_sheet(worksheet: Any, sheet: Sheet, entries: dict[str, Entry], subject: Country) -> None:
    """One calculator's sheet: a title, the inputs with unit and basis, the results as formulas."""
    write_cell(worksheet, "A1", labelled(_(sheet.title), subject.name))
    worksheet["A1"].font = Font(bold=True, size=14)
    write_cell(worksheet, "A2", _("Change the yellow cells; the grey ones are formulas that follow them. "
                                "Keep the labels in column A as they are: they say which input is which."))
    for column, heading in zip((LABEL, UNIT, VALUE, BASIS),
                               (_("input"), _("unit"), _("value"), _("fact (source, year) or your assumption")),
                               strict=True):
        write_cell(worksheet, f"{column}{HEADER_ROW}", heading, bold=True)
    for row in sheet.inputs:
        number = sheet.row_of(row.key)
        write_cell(worksheet, f"{LABEL}{number}", row.shown())
        write_cell(worksheet, f"{UNIT}{number}", _(row.unit))
        write_cell(worksheet, f"{BASIS}{number}", entries[row.key].basis)
        cell = worksheet[f"{VALUE}{number}"]
        cell.value = entries[row.key].value
        cell.fill = PatternFill("solid", fgColor=INPUT_FILL)
        cell.number_format = number_format(row)
    for column, heading in ((LABEL, _("result")), (UNIT, _("unit")), (VALUE, _("value"))):
        write_cell(worksheet, f"{column}{sheet.results_header_row}", heading, bold=True)
    for row in sheet.results:
        number = sheet.row_of(row.key)
        write_cell(worksheet, f"{LABEL}{number}", row.shown())
        write_cell(worksheet, f"{UNIT}{number}", _(row.unit))
        cell = worksheet[f"{VALUE}{number}"]
        cell.value = sheet.formula(row)  # the layout's own formula, never text from the data
        cell.fill = PatternFill("solid", fgColor=RESULT_FILL)
        cell.number_format = number_format(row)
    for column, width in WIDTHS.items():
        worksheet.column_dimensions[column].width = width


def write_readme(worksheet: Any, subject: Country, sources: pd.DataFrame) -> None:
    """The first sheet: what the workbook is, which cells to change, how to read it back, the sources."""
    write_cell(worksheet, "A1", _("Paying for primary health care: the calculators of notebook 02"))
    worksheet["A1"].font = Font(bold=True, size=14)
    headings = (_("Sheets"), _("Sources"))
    lines = [
        (_(COUNTRY_LABEL), subject.name),
        (_("What this is"), _(WHAT_THIS_IS)),
        (_("What to change"), _(WHAT_TO_CHANGE)),
        (_("Reading it back"), _(READING_IT_BACK)),
        ("", ""),
        (headings[0], ""),
        *[(_(sheet.name), _(sheet.title)) for sheet in SHEETS],
        ("", ""),
        (headings[1], ""),
    ]
    for number, (label, text) in enumerate(lines, start=3):
        write_cell(worksheet, f"A{number}", label, bold=label in headings)
        write_cell(worksheet, f"B{number}", text)
    first = 3 + len(lines)
    for number, source in enumerate(sources.itertuples(), start=first):
        write_cell(worksheet, f"A{number}", str(source.source_id))
        write_cell(worksheet, f"B{number}", f"{source.title} ({source.publisher}, {source.year})")
        write_cell(worksheet, f"C{number}", str(source.url))
    worksheet.column_dimensions["A"].width = 22
    worksheet.column_dimensions["B"].width = 110
    worksheet.column_dimensions["C"].width = 60


def source_rows(ids: list[str]) -> pd.DataFrame:
    """The rows of ``sources.csv`` for ``ids``: ``source_id, title, publisher, year, url``."""
    citations = Citations()
    citations.add(ids)
    return citations.table()


def workbook_bytes(query: CountryLike | None = None, notebook: Path = LESSON) -> bytes:
    """The calculators' workbook for a country (by default the lesson's) as the bytes of an ``.xlsx`` file.

    >>> workbook_bytes("Ghana")[:2]  # a zip archive, as every .xlsx file is
    b'PK'
    """
    lesson = lesson_assumptions(notebook)
    subject = country(query if query is not None else lesson["country"])
    entries, sources = starting_values(subject, lesson)
    book = Workbook()
    book.active.title = _(README_SHEET)
    write_readme(book.active, subject, source_rows(sources))
    for sheet in SHEETS:
        write_sheet(book.create_sheet(_(sheet.name)), sheet, entries[sheet.name], subject)
    content = io.BytesIO()
    book.save(content)
    return content.getvalue()


def write_workbook(out: Path, query: CountryLike | None = None, notebook: Path = LESSON) -> Path:
    """Write the calculators' workbook for a country to ``out`` (an ``.xlsx`` file), atomically.

    Parameters
    ----------
    out
        The file to write; it must end in ``.xlsx``.
    query
        The country (code, name or alias); by default the lesson's.
    notebook
        The lesson whose parameters give the assumptions.

    Returns
    -------
    The path written.

    Raises
    ------
    UsageError
        When ``out`` does not end in ``.xlsx`` or cannot be written.
    UnknownCountryError
        When the country is not in the data.
    """
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"the workbook's name must end in .xlsx (got {out.name!r}; e.g. {out.stem or 'mine'}.xlsx)")
    content = workbook_bytes(query, notebook)
    try:
        write_atomically(out, content)
    except OSError as error:
        raise UsageError(f"cannot write {out}: {error.strerror or error}") from error
    return out
