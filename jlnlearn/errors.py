"""The exceptions jlnlearn raises, one family so callers can catch them together."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jlnlearn.validation import Problem


class JlnlearnError(Exception):
    """Base class of every error jlnlearn raises on purpose."""


class DataValidationError(JlnlearnError, ValueError):
    """Data that does not match the schema; ``problems`` lists every one found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the data:\n{lines}")


class UnknownCountryError(JlnlearnError, LookupError):
    """A country name or code that is not in the data; ``suggestions`` holds the closest."""

    def __init__(self, query: str, suggestions: Sequence[str]) -> None:
        self.query = query
        self.suggestions = list(suggestions)
        hint = (f"closest matches: {', '.join(self.suggestions)}" if self.suggestions
                else "see jlnlearn.countries() for the list")
        super().__init__(f"unknown country {query!r} ({hint})")


class UnknownTableError(JlnlearnError, LookupError):
    """A table name that the data package does not describe."""

    def __init__(self, name: str, valid: Sequence[str]) -> None:
        self.name = name
        self.valid = list(valid)
        super().__init__(f"unknown table {name!r} (valid: {', '.join(self.valid)})")
