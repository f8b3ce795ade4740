"""Every exception jlnlearn raises on purpose, under one root, and the :class:`Problem` they report.

Catch :class:`JlnlearnError` to handle them all. Each class keeps what went
wrong as attributes (the query, the valid choices, the problems found), so a
caller can act on them without parsing the message; each message says what
would be valid.

>>> try:
...     raise UnknownTableError("reform", ["reforms"])
... except JlnlearnError as error:
...     print(error, "|", error.valid)
unknown table 'reform' (valid: reforms) | ['reforms']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a data file, located by file, row and column.

    >>> print(Problem("data/reforms.csv", 7, "iso3", '"GHX" is not in countries.csv', "e.g. GHA"))
    data/reforms.csv:7: iso3: "GHX" is not in countries.csv (valid: e.g. GHA)
    """

    file: str
    row: int
    column: str
    message: str
    valid: str = ""

    def __str__(self) -> str:
        hint = f" (valid: {self.valid})" if self.valid else ""
        return f"{self.file}:{self.row}: {self.column}: {self.message}{hint}"


#: The longest a value given by a user is echoed in a message.
ECHO_LIMIT = 60


def echoed(value: object, limit: int = ECHO_LIMIT) -> str:
    """``value`` quoted for a message, cut to ``limit`` characters with its full length said.

    An argument pasted by mistake (a whole file, a long list) stays readable
    in the one line that reports it.

    >>> echoed("GHX")
    "'GHX'"
    >>> echoed("x" * 500, limit=10)
    "'xxxxxxxxxx…' (500 characters)"
    """
    text = str(value)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit] + '…'!r} ({len(text):,} characters)"


class JlnlearnError(Exception):
    """Base class of every error jlnlearn raises on purpose."""


class DataValidationError(JlnlearnError, ValueError):
    """Data that does not match the schema; ``problems`` lists every one found.

    The message shows the first :attr:`SHOWN` problems and says how many there
    are in all, so a file with a fault on every row stays readable.

    >>> many = [Problem("my-data/reforms.csv", row, "date", "not a date") for row in range(2, 52)]
    >>> print(str(DataValidationError(many)).splitlines()[-1])
      and 30 more: 50 problems in all (list every one with: jlnlearn validate FOLDER)
    """

    SHOWN = 20

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        lines = [f"  {problem}" for problem in self.problems[:self.SHOWN]]
        if count > self.SHOWN:
            lines.append(f"  and {count - self.SHOWN:,} more: {count:,} problems in all "
                         "(list every one with: jlnlearn validate FOLDER)")
        super().__init__(f"{count:,} problem{'s' if count != 1 else ''} in the data:\n" + "\n".join(lines))


class NotAFolderError(JlnlearnError, NotADirectoryError):
    """A data folder that does not exist; ``setting`` says where the path came from, if anywhere."""

    def __init__(self, setting: str, path: object) -> None:
        self.setting = setting
        self.path = path
        super().__init__(f"{setting + ': ' if setting else ''}not a folder: {path}")


class UnknownCountryError(JlnlearnError, LookupError):
    """A country name or code that is not in the data; ``suggestions`` holds the closest."""

    def __init__(self, query: str, suggestions: Sequence[str]) -> None:
        self.query = query
        self.suggestions = list(suggestions)
        hint = (f"closest matches: {', '.join(self.suggestions)}" if self.suggestions
                else "see jlnlearn.countries() for the list")
        super().__init__(f"unknown country {echoed(query)} ({hint})")


class UnknownTableError(JlnlearnError, LookupError):
    """A table name that the data package does not describe."""

    def __init__(self, name: str, valid: Sequence[str]) -> None:
        self.name = name
        self.valid = list(valid)
        super().__init__(f"unknown table {echoed(name)} (valid: {', '.join(self.valid)})")


class UnknownCategoryError(JlnlearnError, ValueError):
    """COVID-19 measure categories that no lever is defined for."""

    def __init__(self, categories: Sequence[str], valid: Sequence[str]) -> None:
        self.categories = sorted(categories)
        self.valid = list(valid)
        super().__init__(f"unknown measure categories {self.categories}; valid: {self.valid}")


class PaymentInputError(JlnlearnError, ValueError):
    """A payment parameter outside what the formula accepts; ``parameter`` names it."""

    def __init__(self, message: str, parameter: str | None = None) -> None:
        self.parameter = parameter
        super().__init__(message)


@dataclass(frozen=True)
class CellProblem:
    """One thing wrong in a workbook, located by file, sheet and cell (or range).

    >>> print(CellProblem("mine.xlsx", "Capitation", "C7", "budget must be a number of 0 or more (got 'abc')"))
    mine.xlsx:Capitation!C7: budget must be a number of 0 or more (got 'abc')
    >>> print(CellProblem("mine.xlsx", "", "", "not an Excel workbook"))
    mine.xlsx: not an Excel workbook
    """

    file: str
    sheet: str
    cell: str
    message: str

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        return f"{self.file}:{where}: {self.message}" if where else f"{self.file}: {self.message}"


class WorkbookError(JlnlearnError, ValueError):
    """A calculators' workbook that cannot be read back; ``problems`` lists every one found."""

    def __init__(self, problems: Sequence[CellProblem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the workbook:\n{lines}")


class PairingError(JlnlearnError, ValueError):
    """A pairing that cannot be prepared: wrong number of countries, a repeat, an unknown topic."""


class LessonError(JlnlearnError, ValueError):
    """A lesson header or quiz written with an impossible value (no objective, a wrong answer key)."""


class BuildInterrupted(JlnlearnError):
    """A report build stopped by Ctrl-C or SIGTERM; ``build`` holds what finished (and is indexed)."""

    def __init__(self, build: object) -> None:
        super().__init__("interrupted")
        self.build = build


class UsageError(JlnlearnError, ValueError):
    """A report request that cannot be built: unknown country or notebook, unwritable folder."""


class CatalogueError(UsageError):
    """Translation catalogues that cannot be used; ``problems`` lists each as ``file:line: what``."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems[:20])
        more = f"\n  ... and {count - 20} more" if count > 20 else ""
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the translation catalogues "
                         f"(fix them with a PO editor or a text editor):\n{lines}{more}")


class DescriptorError(JlnlearnError, ValueError):
    """A folder's ``datapackage.json`` that cannot be read as a data package; ``path`` names it."""

    def __init__(self, path: object, what: str, valid: str) -> None:
        self.path = path
        self.valid = valid
        super().__init__(f"{path}: {what} (valid: {valid})")
