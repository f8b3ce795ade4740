"""A participant's own facts: rows typed in a form, checked, and added to their extra-data folder.

A folder of extra rows holds one CSV file per table, named like the table, in
the shipped table's column order; :envvar:`JLNLEARN_EXTRA_DATA` merges it into
every load. These functions turn what a form holds (text) into a row of the
table's types and append it to that folder, never leaving a half-written file.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jlnlearn.data import schema
from jlnlearn.data.csvfiles import display_path
from jlnlearn.data.validation import check_rows
from jlnlearn.errors import DataValidationError, Problem
from jlnlearn.i18n import _


def typed_value(field: Mapping[str, Any], text: object) -> object:
    """A form's entry for ``field`` as the table stores it: ``None`` when empty, a whole number
    for an integer field, a number for a number field, ``True``/``False`` for a boolean; what
    cannot be read stays text, so the check names it.

    >>> typed_value({"type": "integer"}, " 2012 "), typed_value({"type": "number"}, "1,5"), typed_value({"type": "string"}, "")
    (2012, '1,5', None)
    """
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    if isinstance(text, bool) or not isinstance(text, str):
        return text
    value = text.strip()
    try:
        if field.get("type") == "integer":
            return int(value)
        if field.get("type") == "number":
            return float(value)
    except ValueError:
        return value
    return value


def form_row(table: str, entries: Mapping[str, object]) -> dict[str, object]:
    """The row a form's ``entries`` (by column name) make for ``table``, empty columns left out.

    >>> form_row("reforms", {"iso3": "GHA", "date": "2020", "description": " "})
    {'iso3': 'GHA', 'date': '2020'}
    """
    fields = {field["name"]: field for field in schema.fields(table)}
    row = {}
    for name, text in entries.items():
        value = typed_value(fields.get(name, {}), text)
        if value is not None:
            row[name] = value
    return row


def csv_value(value: object) -> str:
    """How a value is written in a data CSV: booleans as ``true``/``false``, empty as nothing.

    >>> csv_value(True), csv_value(None), csv_value(2012)
    ('true', '', '2012')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


#: The longest text a form may save in one field: far above any fact (a quote is at most 25 words),
#: far below the field size the CSV reader accepts (131,072 characters).
LONGEST_FIELD = 10_000


def unsaveable(table: str, row: Mapping[str, object]) -> list[Problem]:
    """What in ``row`` a CSV file could not hold or give back: text longer than :data:`LONGEST_FIELD`,
    a character UTF-8 cannot write (a lone surrogate), a NUL character.

    >>> [problem.message for problem in unsaveable("reforms", {"description": "x" * 10_001, "quote": "a" + chr(0xDC80)})]
    ['10,001 characters, more than a field may hold', 'a character that cannot be saved (U+DC80)']
    """
    problems = []
    for column, value in row.items():
        if not isinstance(value, str):
            continue
        if len(value) > LONGEST_FIELD:
            # TRANSLATORS: {count} is a number of characters (written 10,001).
            problems.append(Problem("your row", 2, column, _("{count} characters, more than a field may hold").format(
                count=f"{len(value):,}"), _("at most {limit}").format(limit=f"{LONGEST_FIELD:,}")))
        bad = next((char for char in value if "\ud800" <= char <= "\udfff" or char == "\x00"), None)
        if bad is not None:
            # TRANSLATORS: {code} is a character's code point ("U+DC80").
            problems.append(Problem("your row", 2, column, _("a character that cannot be saved ({code})").format(
                code=f"U+{ord(bad):04X}"), _("type or paste the text again")))
    return problems


def duplicate_keys(target: Path, table: str, row: Mapping[str, object], existing: str) -> list[Problem]:
    """A problem when ``existing`` (the file's text) already has a row with ``row``'s key."""
    key = schema.resource(table)["schema"].get("primaryKey", [])
    wanted = [csv_value(row.get(name)) for name in key]
    for number, found in enumerate(csv.DictReader(io.StringIO(existing)), start=2):
        if key and [found.get(name, "") for name in key] == wanted:
            # TRANSLATORS: {key} is the row's id.
            return [Problem(display_path(target), number, ", ".join(key), _("{key} is already saved in this file").format(
                key=", ".join(wanted)), _("a new id, or edit the saved row in the file"))]
    return []


def current_umask() -> int:
    """The process's umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def append_row(folder: str | os.PathLike[str], table: str, row: Mapping[str, object]) -> Path:
    """Check ``row`` for ``table`` and add it to ``folder/<table>.csv`` (created with the table's
    header if new); returns the file. Nothing is written when the row does not fit: the
    :class:`~jlnlearn.DataValidationError` lists why. The file is replaced in one step, so
    a failure leaves it as it was.

    >>> import tempfile
    >>> row = {"reform_id": "GHA-x", "iso3": "GHA", "date": "2020", "kind": "policy",
    ...        "description": "A test", "source_id": "J02", "quote": "The source's words"}
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = append_row(folder, "reforms", row)
    ...     path.read_text(encoding="utf-8").splitlines()[1]
    "GHA-x,GHA,2020,,,policy,A test,J02,,The source's words"
    """
    problems = unsaveable(table, row) or check_rows(table, [dict(row)])
    if problems:
        raise DataValidationError(problems)
    columns = [field["name"] for field in schema.fields(table)]
    target = Path(folder) / f"{table}.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    existing = target.read_text(encoding="utf-8-sig") if target.is_file() else ""
    if existing:
        header = next(csv.reader(io.StringIO(existing)))
        if header != columns:
            raise DataValidationError([Problem(display_path(target), 1, "(header)", "the file's columns are not "
                                               "the table's", f"columns: {', '.join(columns)}")])
        if problems := duplicate_keys(target, table, row, existing):
            raise DataValidationError(problems)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if not existing:
        writer.writerow(columns)
    writer.writerow([csv_value(row.get(name)) for name in columns])
    text = existing + ("" if not existing or existing.endswith("\n") else "\n") + buffer.getvalue()
    # the file keeps its permissions; a new one gets what the user's umask gives a new file
    mode = stat.S_IMODE(target.stat().st_mode) if target.is_file() else 0o666 & ~current_umask()
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target

