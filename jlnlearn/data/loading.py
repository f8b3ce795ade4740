"""Load the data package's tables as validated, typed pandas DataFrames.

Each table is checked against ``data/datapackage.json`` (together with the
tables it refers to) before it is returned; bad data raise
:class:`~jlnlearn.errors.DataValidationError` listing every problem, and no
table is returned. Loads are cached per process and re-read only when a file
changes (by content).

A facilitator can add rows from a folder laid out like ``data/`` (only the
CSV files they need, no ``datapackage.json``): pass ``extra="my-data/"`` or
set the environment variable ``JLNLEARN_EXTRA_DATA``.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from jlnlearn.data import schema
from jlnlearn.data.folders import inside
from jlnlearn.data.validation import shipped_version, validate_tables
from jlnlearn.errors import DataValidationError, NotAFolderError
from jlnlearn.settings import CACHE_DIR_ENV, EXTRA_DATA_ENV

PathLike = str | os.PathLike[str]


def extra_folder(extra: PathLike | None = None) -> Path | None:
    """The extra-data folder in force: ``extra`` if given, else the environment's.

    Parameters
    ----------
    extra
        A folder of extra rows; ``None`` reads ``JLNLEARN_EXTRA_DATA``.

    Returns
    -------
    The folder as an absolute path, or ``None`` when there is none.

    Raises
    ------
    NotAFolderError
        When the folder does not exist.

    Examples
    --------
    >>> extra_folder(".") == Path.cwd()
    True
    """
    chosen = extra if extra is not None else os.environ.get(EXTRA_DATA_ENV) or None
    if chosen is None:
        return None
    folder = Path(chosen).expanduser().resolve()
    if not folder.is_dir():
        raise NotAFolderError("extra" if extra is not None else EXTRA_DATA_ENV, folder)
    return folder


def load(name: str, extra: PathLike | None = None) -> pd.DataFrame:
    """Table ``name`` as a validated DataFrame with the schema's types.

    Enumerated text columns become categoricals in the schema's order, integers
    ``Int64``, numbers ``float64``, dates ``datetime64`` and booleans
    ``boolean``; empty cells are missing values.

    Parameters
    ----------
    name
        A table of the data package (see :func:`~jlnlearn.table_names`).
    extra
        A folder of extra rows, appended after the shipped rows; ``None``
        reads ``JLNLEARN_EXTRA_DATA``.

    Returns
    -------
    A copy of the cached table, safe to change.

    Raises
    ------
    UnknownTableError
        For a name the package does not describe (with the closest names).
    DataValidationError
        When the table, or a table it refers to, breaks the schema.

    Examples
    --------
    >>> mechanisms = load("payment_mechanisms")
    >>> mechanisms.loc[mechanisms.fact_id == "PHL-konsulta-capitation", "mechanism"].item()
    'capitation'
    """
    schema.resource(name)  # unknown names fail here, with suggestions
    folder = extra_folder(extra)
    key = _content_key(schema.dependency_closure(name), folder)
    return _load_cached(name, folder, key).copy()


def content_version(name: str, extra: PathLike | None = None) -> str:
    """A text that changes whenever table ``name``, a table it refers to, or its extra rows change.

    For caches of what is computed from a table (see :func:`jlnlearn.country`).

    >>> content_version("countries") == content_version("countries")
    True
    """
    folder = extra_folder(extra)
    return f"{folder}:{_content_key(schema.dependency_closure(name), folder)}"


def cache_dir() -> Path:
    """Where jlnlearn remembers data it has already validated."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "jlnlearn"


def _content_key(tables: list[str], folder: Path | None) -> str:
    """Hash of everything a validation result depends on: rules, schema, shipped and extra rows."""
    digest = hashlib.sha256(shipped_version(tables).encode())
    for table in tables:
        path = folder / f"{table}.csv" if folder is not None else None
        if path is not None and path.is_file():  # a link out of the folder is refused, whatever it holds
            digest.update(path.read_bytes() if inside(path, folder) else b"outside")
        else:
            digest.update(b"-")
    return digest.hexdigest()


def _validate_once(tables: list[str], folder: Path | None, key: str) -> None:
    """Validate ``tables``, unless the same content passed before on this machine.

    Only successes are remembered (as empty marker files named by content
    hash), so bad data are always checked and reported. An unwritable cache
    folder just means validating every time.
    """
    marker = cache_dir() / "validated" / key
    if marker.is_file():
        return
    problems = validate_tables(tables, extra=folder)
    if problems:
        raise DataValidationError(problems)
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass


@cache
def _load_cached(name: str, folder: Path | None, key: str) -> pd.DataFrame:
    """Validated, typed table; ``key`` (the content hash) makes changed files load anew."""
    _validate_once(schema.dependency_closure(name), folder, key)
    frames = [_read_typed(schema.PACKAGE_DATA_DIR / f"{name}.csv", name)]
    if folder is not None and (folder / f"{name}.csv").is_file():
        frames.append(_read_typed(folder / f"{name}.csv", name))
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def _read_typed(path: Path, name: str) -> pd.DataFrame:
    """Read a CSV that passed validation, giving each column its schema type."""
    fields = schema.fields(name)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""],
                        encoding="utf-8-sig")
    for field in fields:
        frame[field["name"]] = _typed_column(frame[field["name"]], field)
    return frame


def _typed_column(column: pd.Series, field: dict[str, Any]) -> pd.Series:
    kind = field["type"]
    enum = field.get("constraints", {}).get("enum")
    if kind == "integer":
        return pd.to_numeric(column).astype("Int64")
    if kind == "number":
        return pd.to_numeric(column).astype("float64")
    if kind == "date":
        return pd.to_datetime(column, format="%Y-%m-%d")
    if kind == "boolean":
        return column.map({"true": True, "false": False}).astype("boolean")
    if enum:
        return pd.Categorical(column, categories=enum)
    return column.astype("string")


def fact_counts(extra: PathLike | None = None) -> pd.DataFrame:
    """Documented payment, reform and COVID-19 facts per country.

    One row per country (collaborative countries first), with the number of
    rows each fact table has for it, and ``phc_mechanisms``, beside the payment
    mechanisms it counts among: how many of them pay primary care (``primary
    care`` or ``all levels``).

    >>> counts = fact_counts().set_index("iso3")
    >>> int(counts.loc["PHL", "covid_measures"]) > 0, int(counts.loc["PHL", "phc_mechanisms"])
    (True, 1)
    >>> counts.columns[2:4].tolist()
    ['payment_mechanisms', 'phc_mechanisms']
    """
    countries = load("countries", extra)
    counts = countries[["iso3", "name", "phc_collaborative"]].copy()
    facts = {table: load(table, extra) for table in ["payment_mechanisms", "payment_rates", "reforms",
                                                     "covid_measures"]}
    for table, rows in facts.items():
        counts[table] = counts["iso3"].map(rows["iso3"].value_counts()).fillna(0).astype(int)
    mechanisms = facts["payment_mechanisms"]
    primary = mechanisms[mechanisms.level_of_care.isin(["primary care", "all levels"])].iso3.value_counts()
    counts.insert(counts.columns.get_loc("payment_mechanisms") + 1, "phc_mechanisms",
                  counts["iso3"].map(primary).fillna(0).astype(int))
    order = counts["phc_collaborative"].astype(bool)
    return pd.concat([counts[order], counts[~order]], ignore_index=True)
