"""A learner's assessment (lesson 07) as a file: its layout, reading it back, and merging several.

The Excel file has three sheets (:data:`SHEETS`, named in the language it was
written in): "Read me" with the country and the learner, "Assessment" with
one row per step and the answer in column E, "Purchasing" with one row per
purchasing function, the rating (1 to 4) in column E and the reason in F.
Rows are found by the number in column A (the guide's steps, the function's
number), never by position or by words, so a file written in French reads
back like one in English, and rows may be moved. The CSV file holds the same
answers, one per line (:data:`CSV_COLUMNS`).

Every problem is reported at once, as ``file:sheet!cell: what is wrong``,
with what would be valid (:class:`~jlnlearn.errors.WorkbookError`).

>>> mine = Assessment("PHL", "Ana", {"goals": "Fewer people paying at the clinic"}, {"payment": 3})
>>> mine.rating("payment"), mine.answer("capacity")
(3, '')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from jlnlearn.data.countries import country
from jlnlearn.errors import CellProblem, JlnlearnError, WorkbookError, echoed
from jlnlearn.i18n import N_, every_spelling
from jlnlearn.lessons.assessment import FUNCTIONS, LEVELS, STEPS
from jlnlearn.lessons.workbook_reader import open_book

#: The sheets of an assessment file (named in the reader's language when written).
README_SHEET, STEPS_SHEET, FUNCTIONS_SHEET = N_("Read me"), N_("Assessment"), N_("Purchasing")
SHEETS = (README_SHEET, STEPS_SHEET, FUNCTIONS_SHEET)
#: The labels of the "Read me" rows that say whose assessment it is (column A; the value in B).
COUNTRY_LABEL, LEARNER_LABEL = "ISO3", N_("Learner")
#: The header row of the two answer sheets, and their columns.
HEADER_ROW = 3
KEY, ANSWER, REASON = "A", "E", "F"
#: The columns of the CSV file: one line per answer.
CSV_COLUMNS = ["iso3", "learner", "part", "key", "title", "answer", "rating"]
#: The file a learner's assessment is saved to (``{iso3}``, and the learner's name made safe for a file name).
FILE_NAME = "assessment-{iso3}{learner}"
#: The assessment file a report build writes beside each country's lesson 07 page, for its download link.
DOWNLOAD_NAME = "assessment-{iso3}.xlsx"
#: A file larger than this is no assessment (one holds a few kB of text).
MOST_CSV_BYTES = 2_000_000


@dataclass
class Assessment:
    """One learner's assessment of one country: an answer per step, a rating (1 to 4) and a reason
    per purchasing function; keys are those of :data:`~jlnlearn.lessons.assessment.STEPS` and
    :data:`~jlnlearn.lessons.assessment.FUNCTIONS`."""

    iso3: str
    learner: str = ""
    answers: dict[str, str] = field(default_factory=dict)
    ratings: dict[str, int | None] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    def answer(self, step: str) -> str:
        """The answer to one step ("" when not answered)."""
        return self.answers.get(step, "")

    def rating(self, function: str) -> int | None:
        """The rating of one function (``None`` when not rated)."""
        return self.ratings.get(function)

    def label(self) -> str:
        """Whose assessment it is, as a comparison's column says it: ``Ana (PHL)``, or the file's name."""
        who = self.learner or (self.path.stem if self.path else "")
        return f"{who} ({self.iso3})" if who else self.iso3

    def lines(self) -> list[dict[str, Any]]:
        """The CSV file's lines: one per step, then one per function (in the English titles)."""
        lines = [{"iso3": self.iso3, "learner": self.learner, "part": "step", "key": step.key, "title": step.title,
                  "answer": self.answer(step.key), "rating": None} for step in STEPS]
        lines += [{"iso3": self.iso3, "learner": self.learner, "part": "function", "key": function.key,
                   "title": function.title, "answer": self.reasons.get(function.key, ""),
                   "rating": self.rating(function.key)} for function in FUNCTIONS]
        return lines


def safe_name(learner: str) -> str:
    """A learner's name as part of a file name: ``-ana-lopez`` (letters and digits only), "" for none.

    >>> safe_name("Ana López / MoH"), safe_name("")
    ('-ana-lópez-moh', '')
    """
    words = "".join(letter if letter.isalnum() else " " for letter in learner.lower()).split()
    return "-" + "-".join(words)[:40] if words else ""


def unquoted(text: str) -> str:
    """A CSV cell's text without the quote that kept a spreadsheet from reading it as a formula.

    >>> unquoted("'=half of it"), unquoted("'tis")
    ('=half of it', "'tis")
    """
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@") and text[1:2] else text


def rating_problem(value: object) -> str | None:
    """What is wrong with a rating cell, or ``None`` when it is empty or a level from 1 to 4.

    >>> rating_problem(3), rating_problem(None), rating_problem(5)
    (None, None, 'a rating is a whole number from 1 (passive) to 4 (strategic), or empty (got 5)')
    """
    if value is None or (isinstance(value, str) and not value.strip()) or (
            isinstance(value, float) and math.isnan(value)):
        return None
    number = value
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    if isinstance(number, int | float) and not isinstance(number, bool) and number in LEVELS:
        return None
    shown = echoed(value) if isinstance(value, str) else repr(value)
    return f"a rating is a whole number from 1 ({LEVELS[1]}) to 4 ({LEVELS[4]}), or empty (got {shown})"


def as_rating(value: object) -> int | None:
    """A rating cell that :func:`rating_problem` accepts, as a number or ``None``."""
    if value is None or (isinstance(value, str) and not value.strip()) or (
            isinstance(value, float) and math.isnan(value)):
        return None
    return int(float(value))


def read_assessment(path: str | Path) -> Assessment:
    """Read back an assessment saved as ``.xlsx`` (in any language the collection has) or ``.csv``.

    Raises
    ------
    WorkbookError
        Listing every problem: no such file, a sheet or a row not found, a rating that is not a level
        from 1 to 4, a country that is not in the data.

    Examples
    --------
    >>> read_assessment("nowhere.xlsx")
    Traceback (most recent call last):
    ...
    jlnlearn.errors.WorkbookError: 1 problem in the workbook:
      nowhere.xlsx: no such file (save one from lesson 07's form, or download one beside its page)
    """
    path = Path(path)
    if not path.is_file():
        raise WorkbookError([CellProblem(str(path), "", "", "no such file (save one from lesson 07's form, "
                                                           "or download one beside its page)")])
    if path.suffix.lower() == ".csv":
        return read_csv(path)
    if path.suffix.lower() != ".xlsx":
        raise WorkbookError([CellProblem(str(path), "", "", "an assessment is an .xlsx or a .csv file "
                                                           f"(got {path.suffix or 'no extension'})")])
    return read_xlsx(path)


def sheet_in(book: Any, name: str) -> str | None:
    """The name ``book`` gives the sheet ``name`` (in whichever language it was written)."""
    return next((title for title in book.sheetnames if title.strip() in every_spelling(name)), None)


def key_rows(worksheet: Any) -> dict[str, list[int]]:
    """The rows of each value in column A, as text (``1-3``, ``2``, ``ISO3``...)."""
    rows: dict[str, list[int]] = {}
    for (cell,) in worksheet.iter_rows(min_col=1, max_col=1):
        if cell.value is not None:
            whole = isinstance(cell.value, float) and cell.value.is_integer()
            text = str(int(cell.value)) if whole else str(cell.value)
            rows.setdefault(text.strip(), []).append(cell.row)
    return rows


def read_xlsx(path: Path) -> Assessment:
    """An assessment's ``.xlsx`` file, every problem listed by sheet and cell."""
    book = open_book(path)
    try:
        problems: list[CellProblem] = []
        found = {name: sheet_in(book, name) for name in SHEETS}
        for name, title in found.items():
            if title is None:
                problems.append(CellProblem(str(path), "", "", (
                    f"no sheet named {name!r} (sheets found: {', '.join(map(repr, book.sheetnames))}; keep the "
                    "sheets of the file lesson 07 wrote)")))
        if problems:
            raise WorkbookError(problems)
        iso3, learner = readme_values(path, book[found[README_SHEET]], problems)

        def cell_of(title: str, key: str, column: str, what: str) -> tuple[str, Any]:
            rows = key_rows(book[title]).get(key, [])
            if len(rows) != 1:
                problems.append(CellProblem(str(path), title, f"{KEY}:{KEY}", (
                    f"{'a second row' if rows else 'no row'} numbered {key!r} for {what} (keep one row for each, "
                    "with its number in column A as written)")))
                return "", None
            address = f"{column}{rows[0]}"
            return address, book[title][address].value

        answers = {}
        for step in STEPS:
            _address, value = cell_of(found[STEPS_SHEET], step.guide_steps, ANSWER, f"step {step.guide_steps}")
            answers[step.key] = "" if value is None else str(value).strip()
        ratings, reasons = {}, {}
        for number, function in enumerate(FUNCTIONS, start=1):
            address, value = cell_of(found[FUNCTIONS_SHEET], str(number), ANSWER, function.title)
            if address and (problem := rating_problem(value)):
                problems.append(CellProblem(str(path), found[FUNCTIONS_SHEET], address,
                                            f"{function.title}: {problem}"))
            elif address:
                ratings[function.key] = as_rating(value)
            _reason_address, reason = cell_of(found[FUNCTIONS_SHEET], str(number), REASON, function.title)
            reasons[function.key] = "" if reason is None else str(reason).strip()
        if problems:
            raise WorkbookError(dedupe(problems))
        return Assessment(iso3, learner, answers, ratings, reasons, path)
    finally:
        book.close()


def dedupe(problems: Sequence[CellProblem]) -> list[CellProblem]:
    """Each problem once, in the order found (a missing row is found for two of its cells)."""
    return list(dict.fromkeys(problems))


def readme_values(path: Path, worksheet: Any, problems: list[CellProblem]) -> tuple[str, str]:
    """The country code and the learner's name on the "Read me" sheet."""
    rows = key_rows(worksheet)
    iso3 = ""
    if not rows.get(COUNTRY_LABEL):
        problems.append(CellProblem(str(path), worksheet.title, f"{KEY}:{KEY}", (
            f"no row labelled {COUNTRY_LABEL!r} (it says which country the assessment is about)")))
    else:
        address = f"B{rows[COUNTRY_LABEL][0]}"
        iso3 = known_country(str(worksheet[address].value or ""), path, worksheet.title, address, problems)
    learner_rows = [row for label in every_spelling(LEARNER_LABEL) for row in rows.get(label, [])]
    learner = worksheet[f"B{learner_rows[0]}"].value if learner_rows else None
    return iso3, "" if learner is None else str(learner).strip()


def known_country(code: str, path: Path, sheet: str, cell: str, problems: list[CellProblem]) -> str:
    """``code`` as an ISO3 code of a country in the data, or a problem saying what it holds."""
    try:
        return country(code.strip()).iso3
    except JlnlearnError:
        problems.append(CellProblem(str(path), sheet, cell, (
            f"{echoed(code) if code else 'an empty cell'} is not the ISO3 code of a country in the data "
            "(for example PHL)")))
        return ""


def read_csv(path: Path) -> Assessment:
    """An assessment's CSV file (:data:`CSV_COLUMNS`), every problem listed by line."""
    if path.stat().st_size > MOST_CSV_BYTES:
        raise WorkbookError([CellProblem(str(path), "", "", "far larger than an assessment (a few kB): save a "
                                                           "fresh one from lesson 07's form")])
    try:
        lines = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError) as error:
        raise WorkbookError([CellProblem(str(path), "", "", f"not a CSV file that can be read ({error})")]) from None
    missing = [column for column in CSV_COLUMNS if column not in lines.columns]
    if missing:
        raise WorkbookError([CellProblem(str(path), "", "", (
            f"no column {', '.join(map(repr, missing))} (an assessment's CSV has the columns "
            f"{', '.join(CSV_COLUMNS)})"))])
    problems: list[CellProblem] = []
    iso3s = set(lines.iso3.str.strip())
    iso3 = ""
    if len(iso3s) != 1:
        found = ", ".join(sorted(iso3s)) or "none"
        problems.append(CellProblem(str(path), "", "", f"one country per file (found {found})"))
    else:
        code = iso3s.pop()
        try:
            iso3 = country(code).iso3
        except JlnlearnError:
            given = echoed(code) if code else "an empty cell"
            problems.append(CellProblem(str(path), "", "", f"column iso3: {given} is not the ISO3 code of a country "
                                                           "in the data (for example PHL)"))
    answers, ratings, reasons = {}, {}, {}
    steps, functions = {step.key for step in STEPS}, {function.key for function in FUNCTIONS}
    for number, line in enumerate(lines.itertuples(), start=2):
        if line.part == "step" and line.key in steps:
            answers[line.key] = unquoted(line.answer.strip())
        elif line.part == "function" and line.key in functions:
            if problem := rating_problem(line.rating):
                problems.append(CellProblem(str(path), "", "", f"line {number}, column rating: {problem}"))
            else:
                ratings[line.key] = as_rating(line.rating)
            reasons[line.key] = unquoted(line.answer.strip())
        else:
            problems.append(CellProblem(str(path), "", "", (
                f"line {number}: {echoed(line.part)} {echoed(line.key)} is no part of an assessment (valid: step "
                f"{', '.join(sorted(steps))}; function {', '.join(sorted(functions))})")))
    if problems:
        raise WorkbookError(problems)
    learner = next((unquoted(name.strip()) for name in lines.learner if name.strip()), "")
    return Assessment(iso3, learner, answers, ratings, reasons, path)


@dataclass(frozen=True)
class Comparison:
    """Several assessments side by side: ``answers`` (one row per step and function, one column
    per learner) and ``ratings`` (one row per function, one column per learner, numbers 1 to 4)."""

    answers: pd.DataFrame
    ratings: pd.DataFrame


def merge_assessments(paths: Sequence[str | Path]) -> Comparison:
    """Read several learners' files (``.xlsx`` or ``.csv``) and put them side by side.

    Every file is read before anything is said, so one error lists the problems of all of them.
    Two columns with the same learner and country get the file's name added.

    >>> merge_assessments([])
    Traceback (most recent call last):
    ...
    jlnlearn.errors.WorkbookError: 1 problem in the workbook:
      (no files): give the assessments to compare, at least one
    """
    if not paths:
        raise WorkbookError([CellProblem("(no files)", "", "", "give the assessments to compare, at least one")])
    read: list[Assessment] = []
    problems: list[CellProblem] = []
    for path in paths:
        try:
            read.append(read_assessment(path))
        except WorkbookError as error:
            problems += error.problems
    if problems:
        raise WorkbookError(problems)
    return side_by_side(read)


def side_by_side(assessments: Sequence[Assessment]) -> Comparison:
    """Assessments already read, put side by side (see :func:`merge_assessments`)."""
    labels = [assessment.label() for assessment in assessments]
    labels = [f"{label} [{assessment.path.name}]" if labels.count(label) > 1 and assessment.path else label
              for label, assessment in zip(labels, assessments, strict=True)]
    answers = pd.DataFrame({"part": ["step"] * len(STEPS) + ["function"] * len(FUNCTIONS),
                            "key": [step.key for step in STEPS] + [function.key for function in FUNCTIONS],
                            "title": [step.title for step in STEPS] + [function.title for function in FUNCTIONS]})
    ratings = pd.DataFrame({"key": [function.key for function in FUNCTIONS],
                            "title": [function.title for function in FUNCTIONS]})
    for label, assessment in zip(labels, assessments, strict=True):
        answers[label] = ([assessment.answer(step.key) for step in STEPS]
                          + [assessment.reasons.get(function.key, "") for function in FUNCTIONS])
        ratings[label] = pd.array([assessment.rating(function.key) for function in FUNCTIONS], dtype="Int64")
    return Comparison(answers, ratings)

