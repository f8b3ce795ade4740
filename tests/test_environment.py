"""environment.yml (Binder) lists the same dependencies as pyproject.toml."""

import re
import tomllib

import yaml

from tests.conftest import REPO


def requirement(text: str) -> tuple[str, str]:
    name, spec = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", text).groups()
    return re.sub(r"[-_.]+", "-", name).lower(), spec.replace(" ", "")


def test_environment_matches_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = dict(map(requirement, project["dependencies"] + project["optional-dependencies"]["lab"]))
    environment = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    listed = dict(map(requirement, [d for d in environment["dependencies"] if isinstance(d, str)]))
    assert listed.pop("python") == ">=3.11"
    assert listed.pop("pip") == ""
    assert listed == wanted
    assert environment["channels"] == ["conda-forge"]


def test_binder_installs_the_package_in_postbuild():
    assert "pip install --no-deps -e ." in (REPO / "postBuild").read_text(encoding="utf-8")


def test_notebooks_are_committed_without_outputs():
    import json

    notebooks = sorted((REPO / "notebooks").glob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, path.name
