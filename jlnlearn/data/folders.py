"""What a data folder may hold: its own descriptor, read safely, and files that stay inside it.

A folder with a ``datapackage.json`` is a whole copy of the data package. Its
descriptor is read only for where each table's file is; the tables are
checked against the shipped schema. Neither a descriptor nor a file that is
a link can lead jlnlearn to read outside the folder.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

from jlnlearn.data import schema
from jlnlearn.data.csvfiles import display_path
from jlnlearn.errors import DescriptorError, Problem, echoed

INSIDE_HINT = "a file name inside the folder, e.g. reforms.csv"
DESCRIPTOR_HINT = 'a data package like jlnlearn\'s data/datapackage.json: {"resources": [...]}'


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path``, with every link followed, is in ``folder``.

    >>> inside(Path("data/reforms.csv"), Path("data")), inside(Path("data/../setup.py"), Path("data"))
    (True, False)
    """
    return path.resolve().is_relative_to(folder.resolve())


def link_problem(path: Path, folder: Path) -> Problem | None:
    """A problem when ``path`` is a link to a place outside ``folder``; ``None`` otherwise."""
    if inside(path, folder):
        return None
    return Problem(display_path(path), 0, "(file)",
                   f"the file is a link to {path.resolve()}, outside the folder",
                   f"a copy of the file itself in {display_path(folder)}")


def read_own_descriptor(folder: Path) -> list[dict[str, Any]]:
    """The resources of ``folder``'s ``datapackage.json``, each with a name, a path and a schema.

    Raises
    ------
    DescriptorError
        In one line, for a file that is not JSON, not a package with
        resources, or that has a resource without its name, path or schema.
    """
    path = folder / schema.DESCRIPTOR_NAME
    where = display_path(path)
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as error:
        raise DescriptorError(where, f"byte {error.start} is not UTF-8 text", "a file saved as UTF-8") from None
    except json.JSONDecodeError as error:
        raise DescriptorError(where, f"not valid JSON: {error.msg} at line {error.lineno}, column "
                                     f"{error.colno}", DESCRIPTOR_HINT) from None
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list) or not resources:
        raise DescriptorError(where, "no list of resources", DESCRIPTOR_HINT)
    for number, resource in enumerate(resources):
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            raise DescriptorError(where, f"resource {number + 1} has no name", DESCRIPTOR_HINT)
        if not isinstance(resource.get("schema"), dict | str):
            raise DescriptorError(where, f"resource {echoed(resource['name'])} has no schema",
                                  "each resource's schema, as in data/datapackage.json")
    return resources


def table_paths(folder: Path) -> tuple[dict[str, Path], list[Problem]]:
    """Where a whole-package ``folder`` keeps each table, and what is wrong with its descriptor.

    A table its descriptor does not list is looked for under the shipped file
    name. A path that leads outside the folder (``..``, an absolute path, a
    URL, a link) is a problem, and that table is left unread.

    >>> paths, problems = table_paths(schema.PACKAGE_DATA_DIR)
    >>> paths["reforms"].name, problems
    ('reforms.csv', [])
    """
    where = display_path(folder / schema.DESCRIPTOR_NAME)
    shipped = schema.table_names()
    paths = {name: folder / schema.resource(name)["path"] for name in shipped}
    problems: list[Problem] = []
    for number, resource in enumerate(read_own_descriptor(folder), start=1):
        name, given = resource["name"], resource.get("path")
        column = f"resources[{number}].path"
        if name not in shipped:
            problems.append(Problem(where, 0, f"resources[{number}].name",
                                    f"{echoed(name)} is not a table of the data package",
                                    f"one of: {', '.join(shipped)}"))
            continue
        if not isinstance(given, str) or not given.strip():
            problems.append(Problem(where, 0, column, "a resource needs the path of its one file", INSIDE_HINT))
        elif "://" in given or PurePosixPath(given).is_absolute() or ".." in PurePosixPath(given).parts:
            problems.append(Problem(where, 0, column, f"{echoed(given)} leads outside the folder", INSIDE_HINT))
        else:
            paths[name] = folder / given
            continue
        del paths[name]
    for name, path in list(paths.items()):
        if path.exists() and (problem := link_problem(path, folder)) is not None:
            problems.append(problem)
            del paths[name]
    return paths, problems
