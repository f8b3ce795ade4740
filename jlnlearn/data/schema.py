"""Read ``data/datapackage.json``: the one place the tables' schema is written."""

from __future__ import annotations

import difflib
import json
from functools import cache
from pathlib import Path
from typing import Any

from jlnlearn.errors import UnknownTableError

#: The folder holding the data package that ships with jlnlearn.
PACKAGE_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DESCRIPTOR_NAME = "datapackage.json"


def read_descriptor() -> dict[str, Any]:
    """The parsed shipped ``datapackage.json`` (read again only when it changes).

    It is the one schema every data folder is checked against, whatever
    descriptor the folder carries.
    """
    path = PACKAGE_DATA_DIR / DESCRIPTOR_NAME
    return _parse_descriptor(path, path.stat().st_mtime_ns)


@cache
def _parse_descriptor(path: Path, mtime_ns: int) -> dict[str, Any]:
    with open(path, encoding="utf-8") as stream:
        return json.load(stream)


def table_names() -> list[str]:
    """Names of the tables the data package describes, in its order.

    >>> "payment_mechanisms" in table_names()
    True
    """
    return [resource["name"] for resource in read_descriptor()["resources"]]


def resource(name: str) -> dict[str, Any]:
    """The descriptor of table ``name``; an unknown name lists the valid ones."""
    for candidate in read_descriptor()["resources"]:
        if candidate["name"] == name:
            return candidate
    names = table_names()
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    raise UnknownTableError(name, close or names)


def fields(name: str) -> list[dict[str, Any]]:
    """The field descriptors of table ``name``."""
    return resource(name)["schema"]["fields"]


def references_of(descriptor: dict[str, Any]) -> list[str]:
    """Tables a resource descriptor refers to: foreign keys and ``jlnlearn:references`` lists."""
    table_schema = descriptor["schema"]
    targets = [key["reference"]["resource"] for key in table_schema.get("foreignKeys", [])]
    targets += [field["jlnlearn:references"]["resource"] for field in table_schema["fields"]
                if "jlnlearn:references" in field]
    return list(dict.fromkeys(t for t in targets if t and t != descriptor["name"]))


def referenced_tables(name: str) -> list[str]:
    """Tables that table ``name`` refers to."""
    return references_of(resource(name))


def dependency_closure(name: str) -> list[str]:
    """``name`` and every table it depends on, dependencies first."""
    ordered: list[str] = []

    def visit(table: str) -> None:
        if table in ordered:
            return
        for target in referenced_tables(table):
            visit(target)
        ordered.append(table)

    visit(name)
    return ordered
