"""The package's layers point one way: each module imports only from its own layer or those before it.

The layers, first to last: errors and settings; data; lessons (with the payment facade); present;
charts; widgets and lesson; build; cli. ``jlnlearn/__init__.py`` is the
public facade over all of them and is not a layer. Imports inside functions
are kept for a few heavy third-party dependencies (``DEFERRED``), which
``import jlnlearn`` in a kernel or ``jlnlearn validate`` must not pay for.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "jlnlearn"
LAYERS = [{"errors", "settings", "i18n"}, {"data"}, {"lessons", "payment"}, {"present"}, {"charts"},
          {"widgets", "lesson", "questions"}, {"build"}, {"cli", "__main__"}]
#: Third-party imports that may wait inside a function: the report engine's (about 2 s each to
#: import) and frictionless, which a load whose validation is remembered never needs; Dask's
#: distributed, an optional extra that only a build on a cluster imports; openpyxl, which only
#: writing or reading a calculators' workbook needs.
HEAVY = {"papermill", "nbclient", "nbconvert", "nbformat", "frictionless", "distributed", "openpyxl"}
#: Also deferred: the in-process IPython shell of the warm engine, which only its workers create.
DEFERRED = HEAVY | {"IPython", "traitlets"}
#: jlnlearn modules that may be imported inside a function: they import an optional extra.
OPTIONAL = {"jlnlearn.build.cluster"}
#: About the longest a module may grow (docstrings included) before it is split by job.
MOST_LINES = 450


def layer_of(module: str) -> int:
    """The layer of ``jlnlearn.<part>...`` by its first part."""
    part = module.split(".")[1]
    for index, members in enumerate(LAYERS):
        if part in members:
            return index
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


def is_module(dotted: str) -> bool:
    """Whether ``dotted`` names a module or package of jlnlearn (rather than a name inside one)."""
    path = PACKAGE.parent.joinpath(*dotted.split("."))
    return path.is_dir() or path.with_suffix(".py").is_file()


def imported_modules(node: ast.Import | ast.ImportFrom) -> list[str]:
    """The modules an import statement takes something from (``from a import b``: ``a.b`` if a module, else ``a``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    found = [f"{base}.{alias.name}" if is_module(f"{base}.{alias.name}") else base for alias in node.names]
    return list(dict.fromkeys(found))


def problems_in(source: str, module: str) -> list[str]:
    """What breaks the rules in one module's source: wrong-way imports and hidden imports."""
    found = []
    tree = ast.parse(source)
    nested = {id(node) for function in ast.walk(tree)
              if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
              for node in ast.walk(function) if isinstance(node, ast.Import | ast.ImportFrom)}
    own = layer_of(module)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        names = imported_modules(node)
        ours = [name for name in names if name.split(".")[0] == "jlnlearn"]
        if id(node) in nested:
            hidden = [name for name in ours if name not in OPTIONAL]
            if hidden:
                found.append(f"{module}:{node.lineno}: imports {hidden[0]} inside a function")
            elif not ours and names[0].split(".")[0] not in DEFERRED:
                found.append(f"{module}:{node.lineno}: imports {names[0]} inside a function")
        for name in ours:
            if name == "jlnlearn":
                found.append(f"{module}:{node.lineno}: imports the jlnlearn facade")
            elif name.count(".") >= 1 and layer_of(name) > own:
                found.append(f"{module}:{node.lineno}: imports {name}, a later layer")
    return found


def package_modules() -> list[tuple[str, Path]]:
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts == ("jlnlearn", "__init__"):
            continue  # the facade re-exports from every layer
        modules.append((".".join(p for p in parts if p != "__init__"), path))
    return modules


def test_the_checker_catches_a_wrong_way_import_and_a_hidden_one():
    assert problems_in("from jlnlearn.present import escape_html\n", "jlnlearn.lessons.covid") == [
        "jlnlearn.lessons.covid:1: imports jlnlearn.present, a later layer"]
    assert problems_in("from jlnlearn import load\n", "jlnlearn.charts.theme") == [
        "jlnlearn.charts.theme:1: imports the jlnlearn facade"]
    assert problems_in("def f():\n    from jlnlearn.lessons import journey\n", "jlnlearn.charts.journey")[0] == \
        "jlnlearn.charts.journey:2: imports jlnlearn.lessons.journey inside a function"
    assert problems_in("def f():\n    import pandas\n", "jlnlearn.charts.theme") == [
        "jlnlearn.charts.theme:2: imports pandas inside a function"]
    assert problems_in("from jlnlearn.data import load\ndef f():\n    import papermill\n",
                       "jlnlearn.build.run") == []
    assert problems_in("def f():\n    from jlnlearn.build import cluster\n", "jlnlearn.build") == []


@pytest.mark.parametrize(("module", "path"), package_modules(), ids=lambda item: str(item))
def test_imports_point_to_earlier_layers_only(module, path):
    assert problems_in(path.read_text(encoding="utf-8"), module) == []


@pytest.mark.parametrize(("module", "path"), package_modules(), ids=lambda item: str(item))
def test_modules_stay_small(module, path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MOST_LINES, f"{module} has {lines} lines: split it by job"


def test_importing_jlnlearn_loads_no_report_engine():
    """A kernel's `import jlnlearn` (and `jlnlearn validate`) must not pay for papermill or nbformat."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, jlnlearn, jlnlearn.cli, jlnlearn.charts, jlnlearn.present; "
                               "print(sorted(m for m in sys.modules if m.split('.')[0] in "
                               f"{sorted(HEAVY)!r} or m == 'IPython.core.interactiveshell'))"],
        capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"
