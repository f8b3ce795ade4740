"""The sources behind what a page shows, kept by the page itself.

A lesson's header opens a page (:func:`open_page`), which starts a fresh
:class:`Citations` object that the header keeps; the lesson functions record
the sources of the rows they return in the open page's citations (:func:`cite`),
and the footer lists them. Nothing is typed by hand: a source appears because
a row citing it was shown since the page opened, and opening a new page (the
next lesson, or the next notebook in the same process) starts from none.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

import pandas as pd

from jlnlearn.data.loading import load


class Citations:
    """The source ids one page cites, and the rows of ``sources.csv`` behind them.

    >>> page = Citations()
    >>> page.add(pd.DataFrame({"source_id": ["S01"], "more_source_ids": ["J02;J03"]}))
    >>> sorted(page.ids)
    ['J02', 'J03', 'S01']
    """

    def __init__(self) -> None:
        self.ids: set[str] = set()

    def add(self, rows: pd.DataFrame | Iterable[str]) -> None:
        """Record the sources of ``rows`` (their ``*source_id`` and ``more_source_ids``) or ids."""
        if not isinstance(rows, pd.DataFrame):
            self.ids.update(rows)
            return
        for column in [c for c in rows.columns if c.endswith("source_id")]:
            self.ids.update(str(value) for value in rows[column].dropna())
        if "more_source_ids" in rows:
            for listed in rows["more_source_ids"].dropna():
                self.ids.update(str(listed).split(";"))

    def table(self) -> pd.DataFrame:
        """The cited sources in id order: ``source_id, title, publisher, year, url``."""
        table = load("sources")
        rows = table[table.source_id.isin(self.ids)]
        return rows[["source_id", "title", "publisher", "year", "url"]].sort_values("source_id") \
            .reset_index(drop=True)


_open_page = Citations()


def open_page() -> Citations:
    """Start the citations of a new page and return them (a lesson header keeps them).

    >>> first = open_page(); cite(["J02"])
    >>> second = open_page(); sorted(first.ids), sorted(second.ids)
    (['J02'], [])
    """
    global _open_page
    _open_page = Citations()
    return _open_page


def cite(rows: pd.DataFrame | Iterable[str]) -> None:
    """Record the sources of ``rows`` (a DataFrame, or source ids) on the open page.

    >>> _ = open_page(); cite(["J02", "S01"]); sorted(used().source_id)
    ['J02', 'S01']
    """
    _open_page.add(rows)


@contextlib.contextmanager
def uncited() -> Iterator[None]:
    """Within this block, rows read only to check something (whether a fact is documented) are
    not cited: the page lists the sources of what it shows.

    >>> _ = open_page()
    >>> with uncited():
    ...     cite(["J02"])
    >>> used().empty
    True
    """
    global _open_page
    kept, _open_page = _open_page, Citations()
    try:
        yield
    finally:
        _open_page = kept


def used() -> pd.DataFrame:
    """The sources cited on the open page, in id order, with title, publisher, year, URL."""
    return _open_page.table()
