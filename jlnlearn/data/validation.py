"""Check CSV tables against the data package's schema and report every problem.

Two layers: fast checks of our own for what a spreadsheet user gets wrong
(empty file, not UTF-8, broken quoting, wrong header), then the Frictionless
Table Schema validator for types, constraints, primary and foreign keys. Every
problem is reported as ``file:row: column: what is wrong (valid: ...)``, where
row 1 is the header, so the numbers match the line a spreadsheet shows.

A folder with its own ``datapackage.json`` is checked as a complete package,
against the shipped schema (its descriptor only says where the files are, see
:mod:`jlnlearn.data.folders`). A folder without one holds extra rows (a
facilitator's own facts): each CSV in it is checked against the shipped schema
*together with* the shipped rows, so a duplicate key or an unknown country or
source is caught too. No file outside the folder is read, through a link or
a descriptor's path.
"""

from __future__ import annotations

import csv
import difflib
import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jlnlearn.data import schema
from jlnlearn.data.csvfiles import TYPE_HINTS, TableFiles, check_structure, display_path, merge_tables
from jlnlearn.data.folders import link_problem, table_paths
from jlnlearn.data.rules import (
    check_finite_numbers,
    check_list_references,
    check_maximum_when,
    check_quotes,
    check_required_when,
    described,
    out_of_range,
    table_column_values,
)
from jlnlearn.errors import NotAFolderError, Problem
from jlnlearn.i18n import _, language

#: Frictionless stops at 1,000 errors a table unless told otherwise: every problem is counted.
EVERY_ERROR = 10**9


def validate(folder: str | os.PathLike[str] | None = None) -> list[Problem]:
    """Every problem in a data folder; an empty list means the data are valid.

    ``folder`` defaults to the data shipped with jlnlearn. A folder with a
    ``datapackage.json`` is checked as a whole package against the shipped
    schema; a folder without one holds extra rows and is checked together with
    the shipped data (see :func:`validate_extra`).

    Parameters
    ----------
    folder
        A data folder: with its own ``datapackage.json``, a whole package; without, extra rows.
        Default: the data shipped with jlnlearn.

    Returns
    -------
    Every :class:`~jlnlearn.Problem` found, in file and row order; empty when the data are
    valid. Raises :class:`~jlnlearn.errors.NotAFolderError` when ``folder`` does not exist, and
    :class:`~jlnlearn.errors.DescriptorError` for a ``datapackage.json`` that cannot be read.

    Examples
    --------
    >>> validate()
    []
    """
    if folder is None:
        return validate_tables(schema.table_names())
    path = Path(folder)
    if not path.is_dir():
        raise NotAFolderError("", path)
    if (path / schema.DESCRIPTOR_NAME).is_file():
        paths, problems = table_paths(path)
        return sorted(problems + validate_tables(schema.table_names(), paths=paths))
    return validate_extra(path)


def validate_extra(path: Path) -> list[Problem]:
    """Every problem in a folder of extra rows, checked together with the shipped rows.

    Any ``datapackage.json`` in it is ignored: its CSV files are rows to add.

    >>> validate_extra(schema.PACKAGE_DATA_DIR.parent / "notebooks")[0].message
    'no table files found'
    """
    if not path.is_dir():
        raise NotAFolderError("", path)
    unknown = sorted(p.name for p in path.glob("*.csv")
                     if p.stem not in schema.table_names())
    problems = [Problem(display_path(path / name), 1, "(file)", "not a table of the data package",
                        f"one of: {', '.join(f'{t}.csv' for t in schema.table_names())}")
                for name in unknown]
    present = [t for t in schema.table_names() if (path / f"{t}.csv").is_file()]
    if not present and not unknown:
        problems.append(Problem(display_path(path), 0, "(folder)", "no table files found",
                                "CSV files named like the tables, e.g. reforms.csv"))
    needed = list(dict.fromkeys(t for name in present for t in schema.dependency_closure(name)))
    return problems + validate_tables(needed, extra=path)


def validate_tables(names: Sequence[str], paths: dict[str, Path] | None = None,
                    extra: Path | None = None) -> list[Problem]:
    """Problems in tables ``names``, read from ``paths`` (default: the shipped files), merged with ``extra``.

    ``names`` must include every table they refer to (see
    :func:`jlnlearn.schema.dependency_closure`). A table missing from
    ``paths`` is one that cannot be read; its problem is reported by the caller.
    """
    descriptor = schema.read_descriptor()
    workdir = Path(tempfile.mkdtemp(prefix="jlnlearn-validate-"))
    try:
        return check_merged_tables(descriptor, names, paths, extra, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def check_merged_tables(descriptor: dict[str, Any], names: Sequence[str], paths: dict[str, Path] | None,
                        extra: Path | None, workdir: Path) -> list[Problem]:
    """:func:`validate_tables`, merging each table's files into ``workdir`` before checking it.

    Each merged file is written as a stream and every check reads it as one, so
    memory does not grow with the number of rows.
    """
    resources = {r["name"]: r for r in descriptor["resources"]}
    problems: list[Problem] = []
    files: dict[str, TableFiles] = {}
    merged: dict[str, Path] = {}
    broken: set[str] = set()
    for name in names:
        columns = [field["name"] for field in schema.fields(name)]
        if paths is not None and name not in paths:
            broken.add(name)
            continue
        table = TableFiles(name, paths[name] if paths is not None else
                           schema.PACKAGE_DATA_DIR / schema.resource(name)["path"])
        candidate = extra / f"{name}.csv" if extra is not None else None
        if candidate is not None and candidate.is_file():
            outside = link_problem(candidate, extra)
            if outside is not None:
                problems.append(outside)
                broken.add(name)
                continue
            table.extra = candidate
        files[name] = table
        if not table.base.is_file():
            problems.append(Problem(display_path(table.base), 0, "(file)", "the file is missing",
                                    f"a CSV file with columns {', '.join(columns)}"))
            broken.add(name)
            continue
        parts = []
        for source in [table.base, table.extra]:
            if source is None:
                continue
            parsed, found = check_structure(source, columns)
            problems.extend(found)
            if parsed is None:
                broken.add(name)
            else:
                parts.append(parsed)
        if name not in broken:
            table.base_records = parts[0].records
            merged[name] = workdir / resources[name]["path"]
            merge_tables([part.path for part in parts], merged[name])

    checkable = [name for name in names if name not in broken]
    if checkable:
        problems.extend(run_frictionless(descriptor, checkable, files, merged, broken, workdir))
    problems.extend(check_list_references(descriptor, checkable, files, merged, broken))
    problems.extend(check_required_when(descriptor, checkable, files, merged))
    problems.extend(check_quotes(descriptor, checkable, files, merged))
    problems.extend(check_finite_numbers(descriptor, checkable, files, merged))
    problems.extend(check_maximum_when(descriptor, checkable, files, merged))
    return sorted(set(problems), key=lambda p: (p.file, p.row, p.column, p.message))


def run_frictionless(descriptor: dict[str, Any], names: Sequence[str], files: dict[str, TableFiles],
                     merged: dict[str, Path], broken: set[str], workdir: Path) -> list[Problem]:
    """Type, constraint and key problems found by Frictionless in the merged files in ``workdir``."""
    import frictionless  # imported here: only validation needs it

    resources = {r["name"]: r for r in descriptor["resources"]}
    wanted = [without_keys_into(resources[name], broken) for name in names]
    package = frictionless.Package({**descriptor, "resources": wanted}, basepath=str(workdir))
    problems: list[Problem] = []
    for name in names:
        for task in package.get_resource(name).validate(limit_errors=EVERY_ERROR).tasks:
            for error in task.errors:
                problem = to_problem(error, resources[name], files[name], merged)
                if problem is not None:
                    problems.append(problem)
    return problems


def without_keys_into(resource: dict[str, Any], broken: set[str]) -> dict[str, Any]:
    """``resource`` minus its foreign keys into ``broken`` tables (which cannot be checked)."""
    keys = resource["schema"].get("foreignKeys", [])
    kept = [key for key in keys if key["reference"]["resource"] not in broken]
    if len(kept) == len(keys):
        return resource
    return {**resource, "schema": {**resource["schema"], "foreignKeys": kept}}


def to_problem(error: Any, resource: dict[str, Any], table: TableFiles,
               merged: dict[str, Path]) -> Problem | None:
    """Turn one Frictionless error into a :class:`Problem`, or ``None`` to drop it."""
    row = getattr(error, "row_number", None) or 1
    file, file_row = table.locate(row)
    fields = {field["name"]: field for field in resource["schema"]["fields"]}
    kind = error.type
    if kind == "type-error":
        field = fields[error.field_name]
        # TRANSLATORS: {value!r} is the value typed, {kind} a type ("integer", "number", "date", "boolean").
        return Problem(file, file_row, error.field_name, _("{value!r} is not a valid {kind}").format(
            value=error.cell, kind=field["type"]), _(TYPE_HINTS.get(field["type"], field["type"])))
    if kind == "constraint-error":
        return constraint_problem(error, fields[error.field_name], file, file_row)
    if kind in ("primary-key", "unique-error"):
        if "all \"None\"" in error.note:  # already reported as a missing required value
            return None
        match = re.search(r"position (\d+)", error.note)
        columns = resource["schema"]["primaryKey"] if kind == "primary-key" else [error.field_name]
        first = table.locate(int(match.group(1))) if match else None
        # TRANSLATORS: {place} is where the key is first used ("reforms.csv:12").
        message = _("duplicate key (first used at {place})").format(place=f"{first[0]}:{first[1]}") if first \
            else _("duplicate key")
        # TRANSLATORS: {columns} are the key's columns ("iso3 + year").
        return Problem(file, file_row, ",".join(columns), message,
                       _("a value of {columns} that no other row uses").format(columns=" + ".join(columns)))
    if kind == "foreign-key":
        return foreign_key_problem(error, file, file_row, merged)
    return Problem(file, file_row, getattr(error, "field_name", None) or "(row)", error.message)


def constraint_problem(error: Any, field: dict[str, Any], file: str, row: int) -> Problem:
    """A value that breaks one of its field's constraints (required, enum, pattern...)."""
    match = re.search(r'constraint "(\w+)"', error.note)
    constraint = match.group(1) if match else ""
    constraints = field.get("constraints", {})
    name, cell = field["name"], error.cell
    hint = _(field["description"]) if field.get("description") else ""
    if constraint == "required":
        return Problem(file, row, name, _("a value is required"), hint)
    if constraint == "enum":
        choices = [str(value) for value in constraints["enum"]]
        close = difflib.get_close_matches(str(cell), choices, n=1, cutoff=0.6)
        # TRANSLATORS: {value!r} is the closest allowed value, {values} every allowed value (kept in English).
        valid = _("did you mean {value!r}? one of: {values}").format(value=close[0], values=", ".join(choices)) \
            if close else _("one of: {values}").format(values=", ".join(choices))
        # TRANSLATORS: {value!r} is the value typed, in quotes.
        return Problem(file, row, name, _("{value!r} is not an allowed value").format(value=cell), valid)
    if constraint in ("minimum", "maximum"):
        # TRANSLATORS: {limit} is a number.
        limit = (_("at least {limit}") if constraint == "minimum" else _("at most {limit}")).format(
            limit=constraints[constraint])
        return Problem(file, row, name, out_of_range(cell), limit)
    # TRANSLATORS: {value!r} is the value typed, in quotes.
    return Problem(file, row, name, _("{value!r} does not have the expected form").format(value=cell), hint)


def foreign_key_problem(error: Any, file: str, row: int, merged: dict[str, Path]) -> Problem:
    """A value that should name a row of another table but does not."""
    target, target_fields = error.reference_name, error.reference_field_names
    value = ",".join(str(cell) for cell in error.field_cells)
    known = table_column_values(merged.get(target), target_fields[0])
    close = difflib.get_close_matches(value, sorted(known), n=3, cutoff=0.5)
    # TRANSLATORS: {column} is a column's name, {file} a table's file ("sources.csv").
    hint = _("closest: {values}").format(values=", ".join(close)) if close else \
        _("a {column} listed in {file}").format(column=target_fields[0], file=f"{target}.csv")
    return Problem(file, row, ",".join(error.field_names), _("{value!r} is not a {column} in {file}").format(
        value=value, column=target_fields[0], file=f"{target}.csv"), hint)


def check_rows(table: str, rows: Sequence[dict[str, Any]]) -> list[Problem]:
    """Problems in new rows for ``table``, checked as a facilitator's extra rows would be.

    Missing columns count as empty; rows are numbered from 2 as in a CSV file
    named ``your rows``.

    Parameters
    ----------
    table
        A table of the data package.
    rows
        The new rows, one dict per row, by column name.

    Returns
    -------
    Every :class:`~jlnlearn.Problem` found; empty when the rows fit.

    Examples
    --------
    >>> row = {"reform_id": "GHA-x", "iso3": "GHA", "date": "2020", "kind": "policy",
    ...        "description": "A test", "source_id": "J02"}
    >>> [str(problem) for problem in check_rows("reforms", [row])]
    ["your rows:2: quote: a value is required (valid: the source's own words that state the fact)"]
    >>> check_rows("reforms", [{**row, "quote": "The source's own words, copied exactly"}])
    []
    """
    columns = [field["name"] for field in schema.fields(table)]
    unknown = sorted({key for row in rows for key in row} - set(columns))
    if unknown:
        return [Problem("your rows", 1, name, "unexpected column", f"columns: {', '.join(columns)}")
                for name in unknown]
    cleaned = [{name: row.get(name) for name in columns} for row in rows]
    closure = schema.dependency_closure(table)
    return list(_checked_rows(table, json.dumps(cleaned, default=str), shipped_version(closure), language()))


def shipped_version(tables: Sequence[str]) -> str:
    """Hash of the shipped files ``tables`` are checked against, and of the checking rules."""
    digest = hashlib.sha256()
    rules = [Path(__file__).with_name(name) for name in ("validation.py", "rules.py", "csvfiles.py")]
    paths = [*rules, schema.PACKAGE_DATA_DIR / schema.DESCRIPTOR_NAME]
    for path in paths + [schema.PACKAGE_DATA_DIR / f"{table}.csv" for table in tables]:
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()


@functools.lru_cache(maxsize=64)
def _checked_rows(table: str, rows_json: str, version: str, reader_language: str) -> tuple[Problem, ...]:
    """:func:`check_rows`, remembered: the same rows against the same data are checked once for each
    language the problems are written in (``reader_language``: the language they were asked in)."""
    columns = [field["name"] for field in schema.fields(table)]
    folder = Path(tempfile.mkdtemp(prefix="jlnlearn-rows-"))
    try:
        with open(folder / f"{table}.csv", "w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows({name: "" if row[name] is None else row[name] for name in columns}
                             for row in json.loads(rows_json))
        found = validate_tables(schema.dependency_closure(table), extra=folder)
        mine = display_path(folder / f"{table}.csv")
        return tuple(Problem("your rows" if p.file == mine else p.file, p.row, p.column, p.message,
                             p.valid) for p in found)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
