"""Keep track of the sources behind what a notebook shows, to list them at its end.

Topic functions call :func:`cite` on the rows they return; a lesson's footer
calls :func:`used` to list those sources. Nothing is typed by hand: a source
appears because a row citing it was shown.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from jlnlearn.data import load

_cited: set[str] = set()


def cite(rows: pd.DataFrame | Iterable[str]) -> None:
    """Record the sources of ``rows`` (their ``source_id`` and ``more_source_ids``) or of ids.

    >>> reset(); cite(["J02", "S01"]); sorted(used().source_id)
    ['J02', 'S01']
    """
    if isinstance(rows, pd.DataFrame):
        ids: set[str] = set()
        for column in [c for c in rows.columns if c.endswith("source_id")]:
            ids.update(str(value) for value in rows[column].dropna())
        if "more_source_ids" in rows:
            for listed in rows["more_source_ids"].dropna():
                ids.update(str(listed).split(";"))
        _cited.update(ids)
    else:
        _cited.update(rows)


def used() -> pd.DataFrame:
    """The sources cited so far in this process, in id order, with title, publisher, year, URL."""
    table = load("sources")
    rows = table[table.source_id.isin(_cited)]
    return rows[["source_id", "title", "publisher", "year", "url"]].sort_values("source_id") \
        .reset_index(drop=True)


def reset() -> None:
    """Forget the sources cited so far (a new lesson starts)."""
    _cited.clear()
