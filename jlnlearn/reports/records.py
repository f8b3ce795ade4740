"""Learners' course records, merged into one table for a facilitator (``jlnlearn records merge``).

A learner downloads their record from their country's index page: one row per
lesson they answered quizzes on (``lesson, country, date, answered, right,
total``), written by the page from what their browser kept. Merged, each row
keeps the file it came from, so a facilitator sees who did what.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from pathlib import Path

from jlnlearn.errors import UsageError, echoed
from jlnlearn.reports.files import write_atomically

#: The columns of a course record, as the index page writes it.
COLUMNS = ["lesson", "country", "date", "answered", "right", "total"]
#: The counts, whole numbers of quizzes.
COUNTS = ("answered", "right", "total")


def read_record(path: Path) -> tuple[list[dict[str, str]], list[str]]:
    """A record's rows and every problem found in it (``file:line: what``)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return [], [f"{path}: cannot be read ({getattr(error, 'strerror', None) or error})"]
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != COLUMNS:
        return [], [f"{path}:1: the columns are {', '.join(reader.fieldnames or [])}; a course record has "
                    f"{', '.join(COLUMNS)} (download it again from your country's index page)"]
    rows, problems = [], []
    for line, row in enumerate(reader, start=2):
        wrong = [column for column in COUNTS if not (row[column] or "").isdigit()]
        problems += [f"{path}:{line}: {column} must be a whole number (got {echoed(row[column])})" for column in wrong]
        if not wrong and not int(row["right"]) <= int(row["answered"]) <= int(row["total"]):
            problems.append(f"{path}:{line}: right <= answered <= total does not hold "
                            f"({row['right']}, {row['answered']}, {row['total']})")
        rows.append(row)
    return rows, problems


def merge_records(paths: Sequence[str | os.PathLike[str]]) -> list[dict[str, str]]:
    """Every row of every record, each with the ``record`` (file name) it came from.

    Raises
    ------
    UsageError
        Listing every problem of every file (none is merged then).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "amina.csv").write_text("lesson,country,date,answered,right,total\\n"
    ...                                       "02_phc_payment_models,PHL,2026-12-07,3,2,3\\n")
    >>> merge_records([folder / "amina.csv"])[0]["record"]
    'amina.csv'
    """
    merged, problems = [], []
    for path in map(Path, paths):
        rows, found = read_record(path)
        problems += found
        merged += [{"record": path.name, **row} for row in rows]
    if problems:
        raise UsageError("the records cannot be merged:\n" + "\n".join(f"  {problem}" for problem in problems))
    return merged


def write_summary(paths: Sequence[str | os.PathLike[str]], out: Path) -> int:
    """Merge the records into ``out`` (CSV, written atomically); the number of rows."""
    rows = merge_records(paths)
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=["record", *COLUMNS], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    try:
        write_atomically(out, stream.getvalue().encode("utf-8"))
    except OSError as error:
        raise UsageError(f"cannot write {out}: {error.strerror or error}") from error
    return len(rows)
