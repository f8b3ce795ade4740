"""What a Binder learner does: open 00 and follow a link, open notebook 02, run all cells, move a slider."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, REPO

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
TOKEN = "jlnlearn-test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def jupyterlab(python: str | os.PathLike[str], root: Path, state: Path) -> Iterator[str]:
    """A JupyterLab server run by ``python`` on localhost, serving ``root``; yields its URL."""
    # Render every cell (JupyterLab 4 leaves cells far off screen out of the page by default).
    tracker = state / "settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}', encoding="utf-8")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(state / "config"),
           "JUPYTER_RUNTIME_DIR": str(state / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(state / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces")}
    port = free_port()
    server = subprocess.Popen(
        [str(python), "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--ServerApp.token={TOKEN}", f"--ServerApp.root_dir={root}", "--allow-root",
         "--LabApp.extension_manager=readonly"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("JupyterLab did not start within 90 s")
            time.sleep(0.5)
    try:
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on localhost serving a copy of the notebooks, stopped afterwards."""
    root = tmp_path_factory.mktemp("lab")
    for notebook in (REPO / "notebooks").glob("*.ipynb"):
        shutil.copy(notebook, root)
    with jupyterlab(sys.executable, root, tmp_path_factory.mktemp("lab-state")) as url:
        yield url


@pytest.fixture
def page():
    """A fresh Chromium page with a generous timeout (JupyterLab starts kernels on demand)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(120_000)
        yield page
        browser.close()


def test_sliders_update_the_capitation_rates_live(lab, page, tmp_path):
    lab_screenshot = tmp_path / "jupyterlab.png"  # kept by pytest for a failed run
    page.goto(f"{lab}/lab/tree/02_phc_payment_models.ipynb?token={TOKEN}")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for()  # the kernel is connected
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    summary = page.locator(".widget-html-content", has_text="Same rate for everybody")
    try:
        summary.wait_for()
    except Exception:
        page.screenshot(path=str(lab_screenshot), full_page=True)
        raise
    before = summary.inner_text()
    readout = page.locator(".widget-slider .widget-readout").first
    shares = [float(readout.inner_text().rstrip("%"))]  # Ghana starts at WHO's 65%
    handle = page.locator(".widget-slider .noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "before => [...document.querySelectorAll('.widget-html-content')]"
        ".some(e => e.innerText.includes('Same rate for everybody') && e.innerText !== before)",
        arg=before)
    after = summary.inner_text()
    assert after != before
    shares.append(float(readout.inner_text().rstrip("%")))
    # One step up the PHC share slider (5 points) raises the flat rate in proportion to the share.
    assert shares[1] == shares[0] + 5
    flat = [float(text.split("US$ ")[1].split(";")[0]) for text in (before, after)]
    assert flat[1] == pytest.approx(flat[0] * shares[1] / shares[0], rel=0.01)


def test_start_here_links_open_the_notebooks_in_jupyterlab(lab, page):
    page.goto(f"{lab}/lab/tree/00_start_here.ipynb?token={TOKEN}")
    link = page.locator(".jp-RenderedMarkdown a", has_text="03 How countries financed")
    link.click()
    tab = page.locator(".lm-TabBar-tabLabel", has_text="03_covid19_financing.ipynb")
    tab.wait_for()
    heading = page.locator(".jp-RenderedMarkdown h1", has_text="How countries financed and paid")
    heading.wait_for(state="visible")  # the linked notebook is open and shown
    assert tab.locator("xpath=ancestor::li").get_attribute("class").count("lm-mod-current") == 1
