"""Lesson 07's files as a reader gets them: a learner's assessment as Excel (in the reader's language,
with the questions and the documented facts beside the answers) and as CSV, and several assessments
side by side, for a facilitator.

:func:`~jlnlearn.lessons.assessment_file.read_assessment` reads the first two back, in any language.
"""

from __future__ import annotations

import io

import pandas as pd

from jlnlearn.data.countries import country
from jlnlearn.data.sources import Citations
from jlnlearn.i18n import _, labelled
from jlnlearn.lessons import assessment
from jlnlearn.lessons.assessment import FUNCTIONS, LEVEL_MEANINGS, LEVELS, STEPS
from jlnlearn.lessons.assessment_file import (
    ANSWER,
    COUNTRY_LABEL,
    CSV_COLUMNS,
    FUNCTIONS_SHEET,
    HEADER_ROW,
    KEY,
    LEARNER_LABEL,
    README_SHEET,
    REASON,
    STEPS_SHEET,
    Assessment,
    Comparison,
)
from jlnlearn.present.assessment import function_evidence, step_evidence
from jlnlearn.present.escape import spreadsheet_safe, starts_like_formula, write_cell

#: The fill of the cells a learner writes in (as in the calculators' workbook).
INPUT_FILL = "FFF2CC"


def assessment_xlsx(answers: Assessment) -> bytes:
    """A learner's assessment as the bytes of an ``.xlsx`` file in the reader's language: the questions,
    the facts the sources document (with their ids and a list of the sources) and the learner's answers,
    in yellow cells to go on writing in.

    >>> content = assessment_xlsx(Assessment("ZMB", "Ana", {"goals": "Access"}, {"payment": 2}))
    >>> content[:2]  # a zip archive, as every .xlsx file is
    b'PK'
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    subject = country(answers.iso3)
    fill = PatternFill("solid", fgColor=INPUT_FILL)
    book = Workbook()
    readme = book.active
    readme.title = _(README_SHEET)
    cited = Citations()
    steps = book.create_sheet(_(STEPS_SHEET))
    write_cell(steps, "A1", _("{name}: assessing the payment system").format(name=subject.name), bold=True)
    steps["A1"].font = Font(bold=True, size=14)
    write_cell(steps, "A2", _("Write in the yellow cells. Keep the numbers in column A: they say which step is which."))
    for column, heading in zip("ABCDE", (_("steps"), _("part"), _("questions"), _("what the sources document"),
                                          _("your answer")), strict=True):
        write_cell(steps, f"{column}{HEADER_ROW}", heading, bold=True)
    for number, step in enumerate(STEPS, start=HEADER_ROW + 1):
        facts = step_evidence(subject, step)
        cited.add(facts)
        write_cell(steps, f"{KEY}{number}", step.guide_steps)
        write_cell(steps, f"B{number}", _(step.title), bold=True, wrap=True)
        questions = "\n".join(f"{place}. {_(question)}" for place, question in enumerate(step.questions, start=1))
        write_cell(steps, f"C{number}", questions, wrap=True)
        documented = "\n".join(labelled(row.fact, f"{row.value}{f' ({row.when})' if row.when else ''} "
                                                  f"[{row.source_id}]") for row in facts.itertuples())
        write_cell(steps, f"D{number}", documented or _("nothing documented"), wrap=True)
        write_cell(steps, f"{ANSWER}{number}", answers.answer(step.key), wrap=True)
        steps[f"{ANSWER}{number}"].fill = fill
    for column, width in zip("ABCDE", (8, 24, 50, 60, 60), strict=True):
        steps.column_dimensions[column].width = width

    functions = book.create_sheet(_(FUNCTIONS_SHEET))
    write_cell(functions, "A1", _("The four purchasing functions: {name}").format(name=subject.name), bold=True)
    functions["A1"].font = Font(bold=True, size=14)
    rate = _("Rate each function from 1 ({low}) to 4 ({high}) in column E, and say why in column F.")
    write_cell(functions, "A2", rate.format(low=_(LEVELS[1]), high=_(LEVELS[4])))
    for column, heading in zip("ABCDEF", ("", _("function"), _("question"), _("what the sources document"),
                                           _("your rating"), _("why")), strict=True):
        write_cell(functions, f"{column}{HEADER_ROW}", heading, bold=True)
    ratings = DataValidation(type="whole", operator="between", formula1="1", formula2="4", allow_blank=True,
                             showErrorMessage=True, error=_("A rating is a whole number from 1 to 4."))
    functions.add_data_validation(ratings)
    for place, function in enumerate(FUNCTIONS, start=1):
        number = HEADER_ROW + place
        write_cell(functions, f"{KEY}{number}", place)
        write_cell(functions, f"B{number}", _(function.title), bold=True, wrap=True)
        write_cell(functions, f"C{number}", f"{_(function.question)}\n({_(function.meaning)})", wrap=True)
        evidence = "\n".join(function_evidence(subject, function.key)) or _("nothing documented")
        write_cell(functions, f"D{number}", evidence, wrap=True)
        write_cell(functions, f"{ANSWER}{number}", answers.rating(function.key))
        write_cell(functions, f"{REASON}{number}", answers.reasons.get(function.key, ""), wrap=True)
        for column in (ANSWER, REASON):
            functions[f"{column}{number}"].fill = fill
        ratings.add(f"{ANSWER}{number}")
    scale_row = HEADER_ROW + len(FUNCTIONS) + 2
    write_cell(functions, f"B{scale_row}", _("The ratings"), bold=True)
    for number in LEVELS:
        write_cell(functions, f"B{scale_row + number}", f"{number} {_(LEVELS[number])}")
        write_cell(functions, f"C{scale_row + number}", _(LEVEL_MEANINGS[number]), wrap=True)
    for column, width in zip("ABCDEF", (4, 26, 50, 60, 12, 50), strict=True):
        functions.column_dimensions[column].width = width

    cited.add([assessment.GUIDE_SOURCE, assessment.FRAMEWORK_SOURCE])
    write_cell(readme, "A1", _("Assessing a country's provider payment system (lesson 07)"))
    readme["A1"].font = Font(bold=True, size=14)
    lines = [(_("Country"), subject.name), (COUNTRY_LABEL, subject.iso3), (_(LEARNER_LABEL), answers.learner),
             (_("What this is"), _("Your assessment of the country's payment system, in the steps of the JLN guide "
                                   "to assessing provider payment systems [J26], and your rating of the four "
                                   "purchasing functions of SPARC's framework [D06].")),
             (_("Reading it back"), _("jlnlearn reads this file back and compares several: keep the sheets and "
                                      "the numbers in column A, and write in the yellow cells.")),
             ("", ""), (_("Sources"), "")]
    for number, (label, text) in enumerate(lines, start=3):
        write_cell(readme, f"A{number}", label, bold=label == _("Sources"))
        write_cell(readme, f"B{number}", text, wrap=True)
    readme[f"B{3 + 2}"].fill = fill
    first = 3 + len(lines)
    for number, source in enumerate(cited.table().itertuples(), start=first):
        write_cell(readme, f"A{number}", str(source.source_id))
        write_cell(readme, f"B{number}", f"{source.title} ({source.publisher}, {source.year})", wrap=True)
        write_cell(readme, f"C{number}", "" if pd.isna(source.url) else str(source.url))
    for column, width in zip("ABC", (18, 100, 50), strict=True):
        readme.column_dimensions[column].width = width
    content = io.BytesIO()
    book.save(content)
    return content.getvalue()


def assessment_csv(answers: Assessment) -> bytes:
    """A learner's assessment as CSV (UTF-8 with a byte-order mark, so Excel opens accents right):
    one line per step and function (:data:`~jlnlearn.lessons.assessment_file.CSV_COLUMNS`).

    >>> print(assessment_csv(Assessment("ZMB", "Ana", {"goals": "Access"}, {"payment": 2})).decode("utf-8-sig"))
    ... # doctest: +ELLIPSIS
    iso3,learner,part,key,title,answer,rating
    ZMB,Ana,step,goals,Goals and what payment should achieve,Access,
    ...
    ZMB,Ana,function,payment,provider payment,,2
    ...
    """
    lines = pd.DataFrame(answers.lines(), columns=CSV_COLUMNS)
    lines["rating"] = lines.rating.astype("Int64")
    lines[["learner", "answer"]] = lines[["learner", "answer"]].map(spreadsheet_safe)
    return lines.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def comparison_xlsx(comparison: Comparison) -> bytes:
    """Several assessments side by side as an ``.xlsx`` file: a sheet of answers (one row per step and
    function) and a sheet of ratings (with each level's name), one column per learner.

    >>> from jlnlearn.lessons.assessment_file import side_by_side
    >>> comparison_xlsx(side_by_side([Assessment("ZMB", "Ana", {}, {"payment": 2})]))[:2]
    b'PK'
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    answers = book.active
    answers.title = _("Answers")
    ratings = book.create_sheet(_("Ratings"))
    for sheet, table in ((answers, comparison_table(comparison.answers)), (ratings, ratings_table(comparison.ratings))):
        sheet.append([str(column) for column in table.columns])
        for row in table.itertuples(index=False):
            sheet.append([None if pd.isna(value) else value for value in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 32 if column[0].column == 1 else 48
            for cell in column[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if starts_like_formula(cell.value):
                    cell.data_type, cell.quotePrefix = "s", True
    content = io.BytesIO()
    book.save(content)
    return content.getvalue()


def comparison_csv(comparison: Comparison) -> bytes:
    """Several assessments side by side as CSV: the answers' rows, then one row of ratings per function.

    >>> from jlnlearn.lessons.assessment_file import side_by_side
    >>> print(comparison_csv(side_by_side([Assessment("ZMB", "Ana", {}, {"payment": 2})])).decode("utf-8-sig"))
    ... # doctest: +ELLIPSIS
    part,Ana (ZMB)
    ...
    rating: provider payment,2 first steps
    ...
    """
    answers = comparison_table(comparison.answers)
    ratings = ratings_table(comparison.ratings)
    ratings[answers.columns[0]] = [_("rating: {function}").format(function=title) for title in ratings.iloc[:, 0]]
    table = pd.concat([answers, ratings[answers.columns]], ignore_index=True).map(spreadsheet_safe)
    return table.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def ratings_table(ratings: pd.DataFrame) -> pd.DataFrame:
    """A comparison's ratings written out (``2 first steps``), titles in the reader's language."""
    shown = pd.DataFrame({_("part"): [_(title) for title in ratings.title]})
    for column in ratings.columns[2:]:
        shown[column] = [f"{int(value)} {_(LEVELS[int(value)])}" if pd.notna(value) else ""
                         for value in ratings[column]]
    return shown


def comparison_table(answers: pd.DataFrame) -> pd.DataFrame:
    """A comparison's answers (:class:`~jlnlearn.lessons.assessment_file.Comparison`) with titles in the
    reader's language and without the keys."""
    shown = answers.drop(columns=["part", "key"]).copy()
    shown["title"] = [_(title) for title in shown.title]
    return shown.rename(columns={"title": _("part")})
