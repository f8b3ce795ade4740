"""A filled-in calculators' workbook read back: every input found, checked, and the results computed again.

Each input is found by its label in column A, so rows may be moved; its
value must be a number the input's rule accepts (:data:`~jlnlearn.lessons.workbook.RULES`).
Every problem is reported at once, each as ``file:sheet!cell: what is wrong``
with what would be valid. The results come from
:mod:`jlnlearn.lessons.payment` on the inputs, never from the values Excel
saved for the formulas.
"""

from __future__ import annotations

import math
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jlnlearn.errors import CellProblem, PaymentInputError, WorkbookError, echoed
from jlnlearn.i18n import N_, every_spelling
from jlnlearn.lessons.workbook import (
    BANDS,
    CASE_GROUPS,
    LABEL,
    RULES,
    SHEETS,
    VALUE,
    Inputs,
    Row,
    Sheet,
    results_for,
    sheet_named,
)

#: The most a workbook may unpack to: a calculators' workbook unpacks to about 50 kB, so a file past
#: this is not one (and parsing it could take minutes and gigabytes).
MOST_UNPACKED_BYTES = 20_000_000
#: The sheet that says what the workbook is, and the label of its row naming the country.
README_SHEET = N_("Read me")
COUNTRY_LABEL = N_("Country")


@dataclass(frozen=True)
class WorkbookResult:
    """What a workbook's inputs give: every result, the capitation rates and the case payments.

    ``inputs`` and ``results`` are by sheet, then by the layout's keys;
    ``capitation`` has one row per age band (``population, weight, rate,
    payment, flat_rate``), ``case_based`` one per case group (``cases,
    relative_weight, payment_per_case, payment``).
    """

    path: Path
    country: str
    inputs: Inputs
    results: Inputs
    capitation: pd.DataFrame
    case_based: pd.DataFrame

    def summary(self) -> pd.DataFrame:
        """Every result as the workbook shows it: ``calculator, result, value, unit``."""
        return pd.DataFrame([(sheet.name, row.label, self.results[sheet.name][row.key], row.unit)
                             for sheet in SHEETS for row in sheet.results],
                            columns=["calculator", "result", "value", "unit"])


def from_workbook(path: str | Path) -> WorkbookResult:
    """Read the inputs of a workbook written by ``jlnlearn workbook``, check them, compute the results.

    Parameters
    ----------
    path
        The ``.xlsx`` file, as the learner saved it.

    Returns
    -------
    A :class:`WorkbookResult`, computed with :mod:`jlnlearn.lessons.payment`.

    Raises
    ------
    WorkbookError
        Listing every problem: a missing or renamed sheet, an input row not
        found, a value that is not a number or is out of range, shares that do
        not add up to 1.

    Examples
    --------
    >>> from_workbook("no-such-file.xlsx")
    Traceback (most recent call last):
    ...
    jlnlearn.errors.WorkbookError: 1 problem in the workbook:
      no-such-file.xlsx: no such file (write one with: jlnlearn workbook no-such-file.xlsx)
    """
    path = Path(path)
    book = open_book(path)
    try:
        problems: list[CellProblem] = []
        inputs: Inputs = {}
        for sheet in SHEETS:
            title = sheet_title(book, sheet.name)
            if title is None:
                problems.append(CellProblem(str(path), "", "", f"no sheet named {sheet.name!r} (sheets found: "
                                            f"{', '.join(map(repr, book.sheetnames))}; keep the names as written)"))
                continue
            given, found = read_inputs(path, book[title], sheet)
            problems += found
            if not found:
                inputs[sheet.name] = given
                problems += combined_problems(path, book[title], sheet, given)
        if problems:
            raise WorkbookError(problems)
        results, rates, cases = computed(path, book, inputs)
        return WorkbookResult(path, country_named(book), inputs, results, rates, cases)
    finally:
        book.close()


def computed(path: Path, book: Any, inputs: Inputs) -> tuple[Inputs, pd.DataFrame, pd.DataFrame]:
    """The results of checked inputs; numbers so large that a calculator overflows are problems that
    name the sheet's input cells, never an infinite result or a traceback."""

    def too_large(sheet: str, what: str) -> CellProblem:
        labels = label_rows(book[sheet_title(book, sheet)])
        rows = [found[0] for row in sheet_named(sheet).inputs if (found := row_numbers(labels, row))]
        cells = f"{VALUE}{min(rows)}:{VALUE}{max(rows)}" if rows else ""
        return CellProblem(str(path), sheet, cells, f"{what}: numbers this large cannot be computed (use amounts "
                                                    "and counts of a real health system)")

    with np.errstate(over="ignore", invalid="ignore"):
        try:
            results, rates, cases = results_for(inputs)
        except PaymentInputError as error:
            sheet = next((name for name, given in inputs.items() if error.parameter in given), SHEETS[0].name)
            raise WorkbookError([too_large(sheet, f"the calculation overflows ({error})")]) from None
    labels = {(sheet.name, row.key): row.label for sheet in SHEETS for row in sheet.results}
    problems = [too_large(sheet, f"{labels[sheet, key]} comes out as {value!r}")
                for sheet, values in results.items() for key, value in values.items() if not math.isfinite(value)]
    if problems:
        raise WorkbookError(problems)
    return results, rates, cases


def sheet_title(book: Any, name: str) -> str | None:
    """The title ``book`` gives the sheet called ``name`` in English: in whichever language it was written."""
    spellings = every_spelling(name)
    return next((title for title in book.sheetnames if title.strip() in spellings), None)


def row_numbers(labels: dict[str, list[int]], row: Row) -> list[int]:
    """The rows labelled as ``row`` is, in any language."""
    return sorted(number for spelled in row.spellings() for number in labels.get(spelled, []))


def open_book(path: Path) -> Any:
    """The workbook with its formulas as written, or the reason it cannot be read."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not path.is_file():
        raise WorkbookError([CellProblem(str(path), "", "", f"no such file (write one with: jlnlearn workbook {path})")])
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > MOST_UNPACKED_BYTES:
            raise WorkbookError([CellProblem(str(path), "", "", (
                f"unpacks to {unpacked / 1e6:,.0f} MB, far more than a calculators' workbook (about 50 kB): "
                f"write a fresh one with: jlnlearn workbook {path.name}"))])
        return load_workbook(path, read_only=True)
    except WorkbookError:
        raise
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise WorkbookError([CellProblem(str(path), "", "", f"not an Excel workbook that can be read "
                                         f"({error}; save it as .xlsx)")]) from None


def label_rows(worksheet: Any) -> dict[str, list[int]]:
    """The rows of each text in column A, stripped."""
    rows: dict[str, list[int]] = {}
    for (cell,) in worksheet.iter_rows(min_col=1, max_col=1):
        if isinstance(cell.value, str):
            rows.setdefault(cell.value.strip(), []).append(cell.row)
    return rows


def read_inputs(path: Path, worksheet: Any, sheet: Sheet) -> tuple[dict[str, float], list[CellProblem]]:
    """Each input of ``sheet`` found by its label and checked, and the problems found."""
    labels = label_rows(worksheet)
    given: dict[str, float] = {}
    problems = []
    for row in sheet.inputs:
        rows = row_numbers(labels, row)
        if len(rows) != 1:
            where = f"{LABEL}{rows[1]}" if rows else f"{LABEL}:{LABEL}"
            what = "a second row" if rows else "no row"
            problems.append(CellProblem(str(path), sheet.name, where, f"{what} labelled {row.label!r} (keep one "
                                        "row for each input, with its label as written)"))
            continue
        cell = f"{VALUE}{rows[0]}"
        value = cached_value(path, sheet.name, cell, worksheet[cell].value)
        test, valid = RULES[row.rule]
        if not is_number(value) or not test(value):
            problems.append(CellProblem(str(path), sheet.name, cell,
                                        f"{row.label} must be {valid} (got {shown(value)})"))
        else:
            given[row.key] = float(value)
    return given, problems


def cached_value(path: Path, sheet: str, cell: str, value: object) -> object:
    """An input cell's value; for one a learner filled with a formula, the value Excel saved for it."""
    if not (isinstance(value, str) and value.startswith("=")):
        return value
    from openpyxl import load_workbook

    book = load_workbook(path, data_only=True, read_only=True)
    try:
        saved = book[sheet][cell].value
    finally:
        book.close()
    return saved if saved is not None else FormulaWithoutValue(value)


class FormulaWithoutValue(str):
    """A formula in an input cell whose value no spreadsheet program saved."""


def is_number(value: object) -> bool:
    """Whether ``value`` is a finite number (a bool, a text or an empty cell is not)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def shown(value: object) -> str:
    """A cell's value as a message quotes it."""
    if value is None:
        return "an empty cell"
    if isinstance(value, FormulaWithoutValue):
        return f"the formula {echoed(value)} with no saved value: save the file in Excel or type a number"
    return echoed(value) if isinstance(value, str) else f"{value!r}"


def combined_problems(path: Path, worksheet: Any, sheet: Sheet, given: dict[str, float]) -> list[CellProblem]:
    """What the inputs of one sheet break together: people in total, weights, shares adding up to 1."""
    labels = label_rows(worksheet)

    def cells(keys: list[str]) -> str:
        rows = sorted(row_numbers(labels, row)[0] for row in sheet.inputs if row.key in keys)
        return f"{VALUE}{rows[0]}:{VALUE}{rows[-1]}"

    def problem(keys: list[str], message: str) -> CellProblem:
        return CellProblem(str(path), sheet.name, cells(keys), message)

    found = []
    if sheet.name == "Capitation":
        people, weights = [f"people {b}" for b in BANDS], [f"weight {b}" for b in BANDS]
        if sum(given[key] for key in people) <= 0:
            found.append(problem(people, "people in the age bands must add up to more than 0"))
        elif sum(given[p] * given[w] for p, w in zip(people, weights, strict=True)) <= 0:
            found.append(problem(weights, "every age band with people has a weight of 0 (give at least one "
                                          "of them a weight above 0)"))
    elif sheet.name == "Case-based":
        shares, weights = [f"share {g}" for g in CASE_GROUPS], [f"weight {g}" for g in CASE_GROUPS]
        total = sum(given[key] for key in shares)
        if not np.isclose(total, 1.0):
            found.append(problem(shares, f"shares of admissions must add up to 1 (got {total:g})"))
        elif sum(given[s] * given[w] for s, w in zip(shares, weights, strict=True)) <= 0:
            found.append(problem(weights, "every case group with admissions has a relative weight of 0 (give at "
                                          "least one of them a weight above 0)"))
    elif sheet.name == "Blend":
        total = given["capitation_share"] + given["ffs_share"]
        if not np.isclose(total, 1.0):
            found.append(problem(["capitation_share", "ffs_share"], f"the shares must add up to 1 (got {total:g})"))
    return found


def country_named(book: Any) -> str:
    """The country the workbook was written for, as its "Read me" sheet names it ("" if it does not)."""
    title = sheet_title(book, README_SHEET)
    if title is None:
        return ""
    labels = label_rows(book[title])
    rows = [number for spelled in every_spelling(COUNTRY_LABEL) for number in labels.get(spelled, [])]
    value = book[title][f"B{rows[0]}"].value if rows else None
    return str(value) if value is not None else ""
