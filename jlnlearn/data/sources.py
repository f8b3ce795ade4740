"""The sources behind what a page shows, kept by the page itself.

A lesson's header opens a page (:func:`open_page`), which starts a fresh
:class:`Citations` object that the header keeps; the lesson functions record
the sources of the rows they return in the open page's citations (:func:`cite`),
and the footer lists them. Nothing is typed by hand: a source appears because
a row citing it was shown since the page opened, and opening a new page (the
next lesson) starts from none.

The open page is a context variable: it belongs to the run of one notebook
(a kernel's, or the report build's, which runs each notebook in a context of
its own), so nothing one page cites can reach another, and no build has to
reset it.
"""

from __future__ import annotations

import contextlib
import contextvars
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


#: The citations of the page being shown, in this run of a notebook.
_open_page: contextvars.ContextVar[Citations] = contextvars.ContextVar("jlnlearn_open_page")


def open_page() -> Citations:
    """Start the citations of a new page and return them (a lesson header keeps them).

    >>> first = open_page(); cite(["J02"])
    >>> second = open_page(); sorted(first.ids), sorted(second.ids)
    (['J02'], [])
    """
    page = Citations()
    _open_page.set(page)
    return page


def open_citations() -> Citations:
    """The open page's citations; a page is opened if none is (a notebook without a header)."""
    try:
        return _open_page.get()
    except LookupError:
        return open_page()


def cite(rows: pd.DataFrame | Iterable[str]) -> None:
    """Record the sources of ``rows`` (a DataFrame, or source ids) on the open page.

    >>> _ = open_page(); cite(["J02", "S01"]); sorted(used().source_id)
    ['J02', 'S01']
    """
    open_citations().add(rows)


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
    token = _open_page.set(Citations())
    try:
        yield
    finally:
        _open_page.reset(token)


def used() -> pd.DataFrame:
    """The sources cited on the open page, in id order, with title, publisher, year, URL."""
    return open_citations().table()
