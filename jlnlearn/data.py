"""Load the data package's tables as validated, typed pandas DataFrames.

Each table is checked against ``data/datapackage.json`` (together with the
tables it refers to) before it is returned; bad data raise
:class:`~jlnlearn.errors.DataValidationError` listing every problem, and no
table is returned. Loads are cached per process and re-read only when a file
changes.

A facilitator can add rows from a folder laid out like ``data/`` (only the
CSV files they need, no ``datapackage.json``): pass ``extra="my-data/"`` or
set the environment variable ``JLNLEARN_EXTRA_DATA``.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from jlnlearn import schema
from jlnlearn.errors import DataValidationError
from jlnlearn.validation import validate_tables

#: Environment variable naming a folder of extra rows to merge into every load.
EXTRA_DATA_ENV = "JLNLEARN_EXTRA_DATA"

PathLike = str | os.PathLike[str]


def extra_folder(extra: PathLike | None = None) -> Path | None:
    """The extra-data folder in force: ``extra`` if given, else the environment's."""
    chosen = extra if extra is not None else os.environ.get(EXTRA_DATA_ENV) or None
    if chosen is None:
        return None
    folder = Path(chosen).expanduser().resolve()
    if not folder.is_dir():
        source = "extra" if extra is not None else EXTRA_DATA_ENV
        raise NotADirectoryError(f"{source}: not a folder: {folder}")
    return folder


def load(name: str, extra: PathLike | None = None) -> pd.DataFrame:
    """Table ``name`` as a validated DataFrame with the schema's types.

    Enumerated text columns become categoricals in the schema's order, integers
    ``Int64``, numbers ``float64``, dates ``datetime64`` and booleans
    ``boolean``; empty cells are missing values. Rows from ``extra`` (or the
    ``JLNLEARN_EXTRA_DATA`` folder) are appended after the shipped rows.

    >>> mechanisms = load("payment_mechanisms")
    >>> mechanisms.loc[mechanisms.fact_id == "PHL-konsulta-capitation", "mechanism"].item()
    'capitation'
    """
    schema.resource(name)  # unknown names fail here, with suggestions
    folder = extra_folder(extra)
    tables = schema.dependency_closure(name)
    paths = [schema.PACKAGE_DATA_DIR / schema.DESCRIPTOR_NAME]
    for table in tables:
        paths.append(schema.PACKAGE_DATA_DIR / f"{table}.csv")
        if folder is not None:
            paths.append(folder / f"{table}.csv")
    return _load_cached(name, folder, tuple(_signature(path) for path in paths)).copy()


def _signature(path: Path) -> tuple[str, int, int]:
    """What identifies a file's content cheaply: path, size and modification time."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return (str(path), -1, -1)
    return (str(path), status.st_size, status.st_mtime_ns)


@cache
def _load_cached(name: str, folder: Path | None, signatures: tuple[tuple[str, int, int], ...]
                 ) -> pd.DataFrame:
    problems = validate_tables(schema.dependency_closure(name), extra=folder)
    if problems:
        raise DataValidationError(problems)
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
    rows each fact table has for it.

    >>> counts = fact_counts().set_index("iso3")
    >>> int(counts.loc["PHL", "covid_measures"]) > 0
    True
    """
    countries = load("countries", extra)
    counts = countries[["iso3", "name", "phc_collaborative"]].copy()
    for table in ["payment_mechanisms", "reforms", "covid_measures"]:
        per_country = load(table, extra)["iso3"].value_counts()
        counts[table] = counts["iso3"].map(per_country).fillna(0).astype(int)
    order = counts["phc_collaborative"].astype(bool)
    return pd.concat([counts[order], counts[~order]], ignore_index=True)
