"""A learner's own workbook, shown in notebook 02: its results, or what to do to get them.

>>> workbook_results("not-written-yet.xlsx")
Notice('No workbook at not-written-yet.xlsx yet: write one with `jlnlearn workbook not-written-yet.xlsx --country COUNTRY`, change its yellow cells in Excel, save it, and run this cell again.')
"""

from __future__ import annotations

from pathlib import Path

from jlnlearn.errors import WorkbookError
from jlnlearn.i18n import _
from jlnlearn.lessons.workbook_reader import from_workbook
from jlnlearn.present.formats import number_text, percent_text
from jlnlearn.present.labels import cell_text
from jlnlearn.present.tables import Notice, fact_table


def workbook_results(path: str | Path) -> object:
    """The results of every calculator for the inputs of the workbook at ``path``, as a table.

    Parameters
    ----------
    path
        A workbook written by ``jlnlearn workbook`` and filled in by the learner.

    Returns
    -------
    A table (``calculator, result, value, unit``) computed by
    :func:`~jlnlearn.payment.from_workbook`; or a :class:`Notice` that says how
    to write the workbook when there is none, or lists every problem in its inputs.
    """
    if not Path(path).is_file():
        # TRANSLATORS: {path} is a file name; keep the command between backquotes as it is.
        return Notice(_("No workbook at {path} yet: write one with `jlnlearn workbook {path} --country COUNTRY`, "
                        "change its yellow cells in Excel, save it, and run this cell again.").format(path=path))
    try:
        result = from_workbook(path)
    except WorkbookError as error:
        # TRANSLATORS: {problems} lists what is wrong in the workbook, separated by ";".
        return Notice(_("Your workbook needs changes before it can be read: {problems}.").format(
            problems="; ".join(str(problem) for problem in error.problems)))
    table = result.summary()
    table["value"] = [shown(value, unit) for value, unit in zip(table.value, table.unit, strict=True)]
    return fact_table(table)


def shown(value: float, unit: str) -> str:
    """A result as the table shows it: shares in %, amounts per person, visit or case to the cent.

    >>> shown(0.3, "share"), shown(24.69633, "US$ per person per year"), shown(865958733.7, "US$ per year")
    ('30.0%', '24.70', '865,958,734')
    """
    if unit.startswith("share"):
        return percent_text(value * 100, 1)
    if unit.startswith("US$ per") and unit != "US$ per year":
        return number_text(value, 2)
    return str(cell_text(value, "value"))
