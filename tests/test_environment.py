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
    # repo2docker picks its Python with a pattern that only reads python=X.Y: python>=3.11 would
    # start from its default Python and solve everything again
    assert listed.pop("python") == "=3.12"
    assert re.search(r"^\s*-\s*python=(\d+\.\d+)\s", (REPO / "environment.yml").read_text(encoding="utf-8"),
                     re.MULTILINE).group(1) == "3.12"
    assert project["requires-python"] == ">=3.11"  # so 3.12 is one the package supports
    assert listed.pop("pip") == ""
    assert listed == wanted
    assert environment["channels"] == ["conda-forge"]


def test_the_binder_badge_opens_the_learner_copy_of_the_start_notebook():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    badge = re.search(r"\(https://mybinder\.org/v2/gh/[^)]*\)", readme).group(0)
    assert badge.endswith("?urlpath=lab/tree/learner/00_start_here.ipynb)")
    assert (REPO / "notebooks" / "00_start_here.ipynb").is_file()  # the copy is made from it by postBuild


def test_binder_installs_the_package_and_writes_the_learner_copy_in_postbuild():
    steps = (REPO / "postBuild").read_text(encoding="utf-8")
    assert "pip install --no-deps -e ." in steps and "jlnlearn learner-copy learner" in steps


def test_notebooks_are_committed_without_outputs():
    import json

    notebooks = sorted((REPO / "notebooks").glob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, path.name
