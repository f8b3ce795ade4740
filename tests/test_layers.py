"""The package's layers point one way: each module imports only from its own layer or those before it.

The layers, first to last: errors, settings and the language (i18n, names); data; lessons (with the payment facade); present;
charts; widgets and lesson; reports; cli. ``jlnlearn/__init__.py`` is the
public facade over all of them and is not a layer (it imports the report
build only when ``jlnlearn.build_reports`` is first asked for). Relative
imports (``from ..reports import x``) are resolved and checked like the others.

Imports inside functions are kept for a few heavy third-party dependencies
(``DEFERRED``) that ``import jlnlearn`` in a kernel or ``jlnlearn validate``
must not pay for, outside the report layer. The report layer imports nbformat,
nbconvert and papermill at its modules' tops; the command line imports that
layer inside the commands that build (``LOADED_ON_DEMAND``), so
``jlnlearn validate`` stays light.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "jlnlearn"
LAYERS = [{"errors", "settings", "i18n", "names"}, {"data"}, {"lessons", "payment"}, {"present"}, {"charts"},
          {"widgets", "lesson", "questions"}, {"reports"}, {"cli", "__main__"}]
#: Third-party imports that may wait inside a function: the report engine's (about 2 s each to
#: import) and frictionless, which a load whose validation is remembered never needs; Dask's
#: distributed, an optional extra that only a build on a cluster imports; openpyxl, which only
#: writing or reading a calculators' workbook needs.
HEAVY = {"papermill", "nbclient", "nbconvert", "nbformat", "frictionless", "distributed", "openpyxl"}
#: Also deferred: the in-process IPython shell of the warm engine, which only its workers create.
DEFERRED = HEAVY | {"IPython", "traitlets"}
#: jlnlearn modules that may be imported inside a function: they import an optional extra.
OPTIONAL = {"jlnlearn.reports.cluster"}
#: Layers a module may import inside its functions only: the command line loads the report build
#: (nbformat, nbconvert and papermill at its top) in the commands that build, not to validate.
LOADED_ON_DEMAND = {"jlnlearn.cli": "jlnlearn.reports"}
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


def absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The absolute name of what ``from ... import`` takes from, in ``module`` (``..x`` resolved).

    >>> absolute(ast.parse("from ..reports import files").body[0], "jlnlearn.lessons.covid", False)
    'jlnlearn.reports'
    """
    if not node.level:
        return node.module or ""
    parts = module.split(".") if is_package else module.split(".")[:-1]
    parts = parts[:len(parts) - node.level + 1]
    return ".".join(parts + ([node.module] if node.module else []))


def imported_modules(node: ast.Import | ast.ImportFrom, module: str = "jlnlearn", is_package: bool = False) -> list[str]:
    """The modules an import statement takes something from (``from a import b``: ``a.b`` if a module, else ``a``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = absolute(node, module, is_package)
    found = [f"{base}.{alias.name}" if is_module(f"{base}.{alias.name}") else base for alias in node.names]
    return list(dict.fromkeys(found))


def on_demand(module: str, name: str) -> bool:
    """Whether ``module`` may import ``name`` inside a function (see :data:`LOADED_ON_DEMAND`)."""
    layer = LOADED_ON_DEMAND.get(module)
    return layer is not None and (name == layer or name.startswith(layer + "."))


def problems_in(source: str, module: str, is_package: bool = False) -> list[str]:
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
        names = imported_modules(node, module, is_package)
        ours = [name for name in names if name.split(".")[0] == "jlnlearn"]
        if id(node) in nested:
            hidden = [name for name in ours if name not in OPTIONAL and not on_demand(module, name)]
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
    """Every module of the package but the facade, by dotted name, with its file."""
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
                       "jlnlearn.reports.run") == []
    assert problems_in("def f():\n    from jlnlearn.reports import cluster\n", "jlnlearn.reports", True) == []


def test_the_checker_resolves_relative_imports():
    assert problems_in("from ..reports import files\n", "jlnlearn.lessons.covid") == [
        "jlnlearn.lessons.covid:1: imports jlnlearn.reports.files, a later layer"]
    assert problems_in("from . import readings\n", "jlnlearn.present", True) == []
    assert problems_in("from .. import lesson\n", "jlnlearn.present.tables") == [
        "jlnlearn.present.tables:1: imports jlnlearn.lesson, a later layer"]


def test_the_command_line_loads_the_report_layer_only_when_a_command_builds():
    assert problems_in("def f():\n    from jlnlearn.reports import build_reports\n", "jlnlearn.cli") == []
    assert problems_in("def f():\n    from jlnlearn.data import load\n", "jlnlearn.cli") == [
        "jlnlearn.cli:2: imports jlnlearn.data inside a function"]
    assert problems_in("def f():\n    from jlnlearn.reports import run\n", "jlnlearn.present") == [
        "jlnlearn.present:2: imports jlnlearn.reports.run inside a function",
        "jlnlearn.present:2: imports jlnlearn.reports.run, a later layer"]


@pytest.mark.parametrize(("module", "path"), package_modules(), ids=lambda item: str(item))
def test_imports_point_to_earlier_layers_only(module, path):
    assert problems_in(path.read_text(encoding="utf-8"), module, path.name == "__init__.py") == []


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
