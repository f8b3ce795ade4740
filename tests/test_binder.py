"""The Binder path as far as this machine can take it: environment.yml's packages installed with pip
into a fresh environment, postBuild run (``binder_python``: ``tests/prepare_binder.py``, started with the
run), JupyterLab started there at the badge's urlpath."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from tests.conftest import REPO
from tests.test_jupyterlab import CHROMIUM, TOKEN, jupyterlab

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")


def test_the_binder_badge_opens_the_start_notebook_and_it_runs(binder_python, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    imported = subprocess.run([binder_python, "-c", "import jlnlearn, plotly; print(jlnlearn.__file__, plotly.__version__)"],
                              capture_output=True, text=True, check=True).stdout.split()
    assert imported[0].startswith(str(REPO / "jlnlearn"))  # postBuild installed the checkout itself
    assert tuple(int(part) for part in imported[1].split(".")[:2]) >= (6, 1)
    # postBuild wrote the learner copy into the repository, as Binder's image holds it
    learner = REPO / "learner"
    copies = sorted(learner.glob("*.ipynb"))
    assert [path.name for path in copies] == sorted(path.name for path in (REPO / "notebooks").glob("*.ipynb"))
    for path in copies:  # no solution or facilitator note in any of them
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        assert not [cell for cell in cells if {"solution", "facilitator"} & set(cell["metadata"].get("tags", []))]
    root = tmp_path_factory.mktemp("binder-repo")
    shutil.copytree(learner, root / "learner")
    badge = re.search(r"mybinder\.org/v2/gh/[^)?]*\?urlpath=([^)]*)\)",
                      (REPO / "README.md").read_text(encoding="utf-8")).group(1)
    with jupyterlab(binder_python, root, tmp_path_factory.mktemp("binder-state")) as url, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(120_000)
        page.goto(f"{url}/{badge}?token={TOKEN}")
        page.locator(".jp-RenderedMarkdown h1", has_text="Start here").wait_for(state="visible")
        page.get_by_text("Python 3 (ipykernel) | Idle").wait_for()
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        page.locator(".jp-OutputArea-output table", has_text="capitation").wait_for()  # the pairing topics
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0
        # the lesson with a coded exercise: its answer cell is there to fill, its solution is not
        page.goto(f"{url}/lab/tree/learner/02_phc_payment_models.ipynb?token={TOKEN}")
        page.locator(".jp-RenderedMarkdown h2", has_text="Exercise").wait_for(state="visible")
        assert "capitation_base_rate(2_400_000" not in page.content()
        assert "Facilitator note" not in page.content()  # in neither tab: the start notebook stays open
        browser.close()
