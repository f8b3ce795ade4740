"""Reading a data folder's CSV files as a spreadsheet user writes them.

Our own checks of what such a user gets wrong (an empty file, a file not in
UTF-8, broken quoting, a wrong header) run before the schema's, with messages
that say how to fix it in a spreadsheet; :class:`TableFiles` maps a row of the
shipped rows merged with a facilitator's extra rows back to its file and line.
"""

from __future__ import annotations

import csv
import difflib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jlnlearn.errors import Problem
from jlnlearn.i18n import N_

#: What a valid value of each Table Schema type looks like, for messages.
TYPE_HINTS = {
    "integer": N_("a whole number, e.g. 2015"),
    "number": N_("a number such as 12.5, without thousands separators or units"),
    "date": N_("a date written YYYY-MM-DD, e.g. 2020-04-15"),
    "boolean": N_("true or false"),
    "string": N_("text"),
}
UTF8_HINT = "save the file as UTF-8 (in Excel: 'CSV UTF-8')"
QUOTING_HINT = "wrap a value that contains a comma in double quotes, and close every quote"
SEMICOLON_HINT = ("save it with commas between values: in Excel 'CSV UTF-8 (Comma delimited)', in "
                  "LibreOffice tick 'Edit filter settings' and choose ',' as the field delimiter")
EMPTY_ROW_HINT = "delete the row in the spreadsheet, or the line in a text editor"


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when it is below it; a link keeps its own name."""
    here = Path.cwd()
    for candidate, base in ((Path(os.path.abspath(path)), here), (path.resolve(), here.resolve())):
        if candidate.is_relative_to(base):
            return str(candidate.relative_to(base))
    return str(path)


#: How much of a file is read at a time: files are streamed, never held whole.
CHUNK_BYTES = 1 << 20


@dataclass
class CsvTable:
    """A CSV file that passed the structural checks, with its record count."""

    path: Path
    records: int


def check_structure(path: Path, columns: Sequence[str]) -> tuple[CsvTable | None, list[Problem]]:
    """Check that ``path`` is non-empty UTF-8 CSV whose header is ``columns``.

    The file is read as a stream, so a file of millions of rows needs no more
    memory than a small one. Returns the table (``None`` when the file cannot be
    read as a table) and the problems found. Row numbers count the header as row 1.
    """
    name = display_path(path)
    expected = ", ".join(columns)
    if is_blank(path):
        return None, [Problem(name, 1, "(file)", "the file is empty", f"a header row: {expected}")]
    undecodable = first_undecodable_byte(path)
    if undecodable is not None:
        line, byte = undecodable
        return None, [Problem(name, line, "(file)", f"byte 0x{byte:02x} is not UTF-8 text", UTF8_HINT)]

    problems: list[Problem] = []
    with open(path, encoding="utf-8-sig", newline="") as stream:
        if semicolon_separated(stream.readline().rstrip("\r\n"), columns):
            return None, [Problem(name, 1, "(file)", "the values are separated by semicolons, not commas "
                                  "(as spreadsheets set to a language that writes 1,5 save them)",
                                  SEMICOLON_HINT)]
        stream.seek(0)
        reader = csv.reader(stream, strict=True)
        records = 0
        try:
            header = next(reader)
            for row in reader:
                records += 1
                if not any(cell.strip() for cell in row):
                    what = "the row is empty" + (", only commas (left by a spreadsheet)" if row else "")
                    problems.append(Problem(name, reader.line_num, "(row)", what, EMPTY_ROW_HINT))
                elif len(row) != len(header):
                    problems.append(Problem(
                        name, reader.line_num, "(row)",
                        f"{len(row)} values for {len(header)} columns", QUOTING_HINT))
        except csv.Error as error:
            problems.append(Problem(name, reader.line_num, "(row)", f"malformed CSV: {error}",
                                    QUOTING_HINT))
            return None, problems
    problems.extend(check_header(name, header, columns))
    return (None if problems else CsvTable(path, records)), problems


def is_blank(path: Path) -> bool:
    """Whether ``path`` holds nothing but white space, read a chunk at a time."""
    with open(path, "rb") as stream:
        return all(not chunk.strip() for chunk in iter(lambda: stream.read(CHUNK_BYTES), b""))


def first_undecodable_byte(path: Path) -> tuple[int, int] | None:
    """Line number and value of the first byte of ``path`` that is not UTF-8, or ``None``.

    Lines are decoded one by one: a UTF-8 character never holds the byte of a
    line break, so no character is split.
    """
    with open(path, "rb") as stream:
        for number, raw in enumerate(stream, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as error:
                return number, raw[error.start]
    return None


def merge_tables(sources: Sequence[Path], target: Path) -> None:
    """Write ``target``: the first CSV file whole, then the data rows of the others.

    Every source passed :func:`check_structure`, so its header is one line. A
    byte-order mark is dropped and every file ends with a line break.
    """
    with open(target, "w", encoding="utf-8", newline="") as out:
        for index, source in enumerate(sources):
            with open(source, encoding="utf-8-sig", newline="") as stream:
                if index:
                    stream.readline()
                last = ""
                for chunk in iter(lambda: stream.read(CHUNK_BYTES), ""):
                    out.write(chunk)
                    last = chunk
                if last and not last.endswith("\n"):
                    out.write("\n")


def semicolon_separated(first_line: str, columns: Sequence[str]) -> bool:
    """Whether a header line uses semicolons where the columns need commas.

    >>> semicolon_separated("reform_id;iso3;date", ["reform_id", "iso3", "date"])
    True
    >>> semicolon_separated("reform_id,iso3,date", ["reform_id", "iso3", "date"])
    False
    """
    gaps = len(columns) - 1
    return gaps > 0 and first_line.count(";") >= gaps > first_line.count(",")


def check_header(name: str, header: Sequence[str], columns: Sequence[str]) -> list[Problem]:
    """Problems with a header row that should list exactly ``columns`` in order."""
    if list(header) == list(columns):
        return []
    expected = ", ".join(columns)
    problems = [Problem(name, 1, column, "column is missing from the header", f"columns: {expected}")
                for column in columns if column not in header]
    for column in header:
        if column not in columns:
            close = difflib.get_close_matches(column, columns, n=1)
            valid = f"did you mean {close[0]!r}? columns: {expected}" if close else f"columns: {expected}"
            problems.append(Problem(name, 1, column or "(empty)", "unexpected column", valid))
    if not problems:
        problems.append(Problem(name, 1, "(header)", "columns are in a different order",
                                f"columns: {expected}"))
    return problems


@dataclass
class TableFiles:
    """Where one table's rows come from: the shipped file and, maybe, an extra one."""

    name: str
    base: Path
    extra: Path | None = None
    base_records: int = 0

    def locate(self, merged_row: int) -> tuple[str, int]:
        """File and row of a row number in the merged table (header is row 1)."""
        if self.extra is not None and merged_row > self.base_records + 1:
            return self.shown(self.extra), merged_row - self.base_records
        return self.shown(self.base), merged_row

    def shown(self, path: Path) -> str:
        """:func:`display_path` of one of this table's files, worked out once per file."""
        names = self.__dict__.setdefault("_shown", {})
        if path not in names:
            names[path] = display_path(path)
        return names[path]
