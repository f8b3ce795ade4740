"""The data package's own rules, beyond what Frictionless checks (``jlnlearn:`` keys).

- ``jlnlearn:references``: a field holding ``;``-separated ids, each of which must exist
  in another table (the ``more_source_ids`` of fact rows);
- ``jlnlearn:requiredWhen``: a field required when another one has a value (the
  currency of an amount);
- ``jlnlearn:requiredExceptFor`` and ``jlnlearn:maxWords``: the verbatim quote every
  fact row added after the first wave carries, of at most 25 words;
- ``jlnlearn:maximumWhen``: a largest value that holds only for some rows, named by a
  regular expression on another field (a percentage, found by its unit, is at most 100);
- every ``number`` field holds a finite number: ``NaN``, ``inf``, ``Infinity`` or a
  value too large to be a number (``1e400``) cannot be a fact, though Frictionless
  reads them as numbers; every ``integer`` fits in the 64 bits a table column holds.

Each check takes the descriptor, the tables to check, where their rows come from and
the merged CSV file of each (read as a stream), and returns :class:`~jlnlearn.Problem` objects located by file and row.
"""

from __future__ import annotations

import csv
import difflib
import math
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from jlnlearn.data.csvfiles import TableFiles
from jlnlearn.errors import Problem
from jlnlearn.i18n import _


def table_column_values(path: Path | None, column: str) -> set[str]:
    """The distinct values of ``column`` in CSV file ``path`` (none when there is no file)."""
    if path is None:
        return set()
    return {record[column] for _, record in numbered_records(path)}


def fields_with_rule(descriptor: dict[str, Any], names: Iterable[str],
                     key: str) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """Each ``(table, field, rule)`` among tables ``names`` whose field carries rule ``key``."""
    resources = {r["name"]: r for r in descriptor["resources"]}
    for name in names:
        for field in resources[name]["schema"]["fields"]:
            if field.get(key):
                yield name, field, field[key]


def numbered_records(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """The records of CSV file ``path``, each with its row number (the header is row 1), streamed."""
    with open(path, encoding="utf-8", newline="") as stream:
        yield from enumerate(csv.DictReader(stream), start=2)


def check_list_references(descriptor: dict[str, Any], names: Iterable[str],
                          files: dict[str, TableFiles], merged: dict[str, Path],
                          broken: set[str]) -> list[Problem]:
    """Check fields whose value is a list of keys of another table (``jlnlearn:references``)."""
    problems: list[Problem] = []
    for name, field, reference in fields_with_rule(descriptor, names, "jlnlearn:references"):
        if reference["resource"] in broken:
            continue
        known = table_column_values(merged.get(reference["resource"]), reference["field"])
        for number, record in numbered_records(merged[name]):
            for key in filter(None, (record.get(field["name"]) or "").split(reference["separator"])):
                if key.strip() not in known:
                    file, row = files[name].locate(number)
                    close = difflib.get_close_matches(key, sorted(known), n=3, cutoff=0.5)
                    # TRANSLATORS: {values} are the closest ids found; {file} a table's file ("sources.csv").
                    hint = _("closest: {values}").format(values=", ".join(close)) if close else \
                        _("ids listed in {file}").format(file=f"{reference['resource']}.csv")
                    # TRANSLATORS: {value} is what was typed, {column} a column's name, {file} a table's file.
                    message = _("{value!r} is not a {column} in {file}").format(
                        value=key, column=reference["field"], file=f"{reference['resource']}.csv")
                    problems.append(Problem(file, row, field["name"], message, hint))
    return problems


def described(field: dict[str, Any]) -> str:
    """What a field holds, from its description, in the reader's language: the hint for a missing value.

    >>> described({"name": "currency"}), described({"name": "x", "description": "Year of the number"})
    ('a value', 'Year of the number')
    """
    return _(field["description"]) if field.get("description") else _("a value")


def out_of_range(value: object) -> str:
    """The message for ``value`` beyond a column's limits, in the reader's language.

    >>> out_of_range("120")
    "'120' is out of range"
    """
    # TRANSLATORS: {value!r} is the value typed, in quotes.
    return _("{value!r} is out of range").format(value=value)


def check_required_when(descriptor: dict[str, Any], names: Iterable[str],
                        files: dict[str, TableFiles], merged: dict[str, Path]) -> list[Problem]:
    """Check fields required only when another field has a value (``jlnlearn:requiredWhen``),
    such as the currency of a figure whose unit is ``currency``."""
    problems: list[Problem] = []
    for name, field, rule in fields_with_rule(descriptor, names, "jlnlearn:requiredWhen"):
        for number, record in numbered_records(merged[name]):
            if record.get(rule["field"]) == rule["equals"] and not (record.get(field["name"]) or "").strip():
                file, row = files[name].locate(number)
                # TRANSLATORS: {column} is a column's name, {value} the value it holds ('currency').
                problems.append(Problem(file, row, field["name"], _("required when {column} is {value!r}").format(
                    column=rule["field"], value=rule["equals"]), described(field)))
    return problems


def check_maximum_when(descriptor: dict[str, Any], names: Iterable[str],
                       files: dict[str, TableFiles], merged: dict[str, Path]) -> list[Problem]:
    """Check fields whose largest value depends on another field (``jlnlearn:maximumWhen``)."""
    problems: list[Problem] = []
    for name, field, rule in fields_with_rule(descriptor, names, "jlnlearn:maximumWhen"):
        for number, record in numbered_records(merged[name]):
            condition = record.get(rule["field"]) or ""
            if not re.search(rule["matches"], condition):
                continue
            try:
                value = float(record.get(field["name"]) or "nan")
            except ValueError:
                continue  # not a number at all: Frictionless reports it
            if value > rule["maximum"]:
                file, row = files[name].locate(number)
                # TRANSLATORS: {limit} is a number, {column} a column's name, {value} the value it holds.
                hint = _("at most {limit} when {column} is {value!r}").format(
                    limit=rule["maximum"], column=rule["field"], value=condition)
                problems.append(Problem(file, row, field["name"], out_of_range(record[field["name"]]), hint))
    return problems


#: The range of a whole number that a table column can hold (64 bits).
LARGEST_INTEGER = 2**63 - 1


def check_finite_numbers(descriptor: dict[str, Any], names: Iterable[str],
                         files: dict[str, TableFiles], merged: dict[str, Path]) -> list[Problem]:
    """Check that every ``number`` is finite and every ``integer`` fits in 64 bits."""
    problems: list[Problem] = []
    resources = {r["name"]: r for r in descriptor["resources"]}
    for name in names:
        kinds = {field["name"]: field["type"] for field in resources[name]["schema"]["fields"]
                 if field["type"] in ("number", "integer")}
        if not kinds:
            continue
        for number, record in numbered_records(merged[name]):
            for column, kind in kinds.items():
                text = (record.get(column) or "").strip()
                try:
                    fits = not text or (math.isfinite(float(text)) if kind == "number"
                                        else abs(int(text)) <= LARGEST_INTEGER)
                except ValueError:
                    continue  # not a number at all: Frictionless reports it
                if not fits:
                    file, row = files[name].locate(number)
                    problems.append(Problem(file, row, column, *(
                        (_("{value!r} is not a finite number").format(value=text),
                         _("a number such as 12.5, or an empty cell where it is not known")) if kind == "number"
                        else (_("{value!r} is too large a whole number").format(value=text[:30]),
                              _("at most {limit}").format(limit=f"{LARGEST_INTEGER:,}")))))
    return problems


def check_quotes(descriptor: dict[str, Any], names: Iterable[str],
                 files: dict[str, TableFiles], merged: dict[str, Path]) -> list[Problem]:
    """Check quote fields: required except for the rows listed (``jlnlearn:requiredExceptFor``)
    and at most ``jlnlearn:maxWords`` words."""
    problems: list[Problem] = []
    resources = {r["name"]: r for r in descriptor["resources"]}
    for name in names:
        for field in resources[name]["schema"]["fields"]:
            exempt, most = field.get("jlnlearn:requiredExceptFor"), field.get("jlnlearn:maxWords")
            if not exempt and not most:
                continue
            listed = set(exempt["values"]) if exempt else set()
            for number, record in numbered_records(merged[name]):
                text = (record.get(field["name"]) or "").strip()
                if exempt and not text and record.get(exempt["field"]) not in listed:
                    problems.append(Problem(*files[name].locate(number), field["name"], _("a value is required"),
                                            _("the source's own words that state the fact")))
                elif most and len(text.split()) > most:
                    # TRANSLATORS: {count} and {most} are numbers of words.
                    problems.append(Problem(*files[name].locate(number), field["name"],
                                            _("{count} words is more than {most}").format(
                                                count=len(text.split()), most=most),
                                            _("at most {most} words of the source").format(most=most)))
    return problems
