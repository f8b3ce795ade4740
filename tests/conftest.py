"""Shared fixtures: paths to the shipped data and the raw public datasets."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from jlnlearn.data import schema
from jlnlearn.reports import Result
from jlnlearn.reports.pool import WorkerPool

#: Fixture notebooks are run by the report tests, not collected by nbval.
collect_ignore_glob = ["fixtures/*", "build_collection.py", "prepare_binder.py"]

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
#: The raw public datasets sit beside the repository in CI (shared/data-sources).
RAW = Path(os.environ.get("JLNLEARN_RAW_DATA", REPO.parent / "shared" / "data-sources"))


@pytest.fixture
def raw_dir() -> Path:
    """The raw datasets folder; tests that compare against it skip, saying why, without it."""
    if not (RAW / "README.md").is_file():
        pytest.skip(f"raw public datasets not found at {RAW} (set JLNLEARN_RAW_DATA)")
    return RAW


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the whole shipped data package."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def extra_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder for a facilitator's extra rows, with no extra-data env var set."""
    monkeypatch.delenv("JLNLEARN_EXTRA_DATA", raising=False)
    folder = tmp_path / "my-data"
    folder.mkdir()
    return folder


def write_test_country(folder: Path) -> None:
    """An extra country with no fact and no dataset row, for the paths that say nothing is documented."""
    (folder / "countries.csv").write_text(
        header("countries") + "\nZZZ,Testland,,AFR,Low income,DS-WB-CLASS,not documented,false,,,,,false\n",
        encoding="utf-8")


def header(table: str) -> str:
    """The header row a CSV file of ``table`` must have."""
    return ",".join(field["name"] for field in schema.fields(table))


def pytest_configure(config: pytest.Config) -> None:
    """Validations are remembered in one folder for the whole run, never in the user's cache.

    Set in the environment before any test, so kernels, workers and commands
    the tests start use it too. A remembered validation vouches only for the
    exact content it was made for (see :func:`jlnlearn.data.loading.content_version`),
    so tests can share it: changed or bad data are always checked again.
    """
    os.environ["JLNLEARN_CACHE_DIR"] = tempfile.mkdtemp(prefix="jlnlearn-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ.pop("JLNLEARN_CACHE_DIR", ""), ignore_errors=True)


@pytest.fixture(scope="session")
def workers(tmp_path_factory: pytest.TempPathFactory):
    """One pool of two warm workers for every test that builds pages it only reads."""
    started_with = {name: value for name, value in os.environ.items() if name != "JLNLEARN_EXTRA_DATA"}
    with WorkerPool(2, tmp_path_factory.mktemp("workers") / "start.log", "warm", environment=started_with) as pool:
        yield pool


@dataclass
class Collection:
    """The pages built once for the run: where they are and each build's results."""

    out: Path
    builds: list[list[Result]]

    @property
    def lessons(self) -> list[Result]:
        """Lessons 01 to 04 for every country."""
        return self.builds[0]

    @property
    def failures(self) -> list[Result]:
        return [result for build in self.builds for result in build if result.status == "failed"]


@dataclass
class Background:
    """Slow work some tests need, started in a process of its own as the run starts: a script of
    ``tests/`` that writes into a temporary folder."""

    script: str
    folder: Path | None = None
    process: subprocess.Popen | None = None

    def start(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix=f"jlnlearn-{Path(self.script).stem}-"))
        environment = {name: value for name, value in os.environ.items() if name != "JLNLEARN_EXTRA_DATA"}
        self.process = subprocess.Popen([sys.executable, str(REPO / "tests" / self.script), str(self.folder)],
                                        cwd=REPO, env=environment, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True)

    def finished(self, timeout: float) -> Path:
        """The folder, once the script has finished well (a test fails with the script's errors otherwise)."""
        assert self.process is not None, "started only for the tests that ask for it"
        _, errors = self.process.communicate(timeout=timeout)
        assert self.process.returncode == 0, errors[-3000:]
        return self.folder

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


#: By the fixture that waits for it: the run's shared pages (built with one worker, beside the tests
#: that need none), and the environment Binder would make (installed while other tests run).
BACKGROUND = {"collection": Background("build_collection.py"), "binder_python": Background("prepare_binder.py")}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Start the background work the selected tests need, and run those tests last, so that it is
    done, or nearly, when they start."""
    if config.option.collectonly:
        return
    for fixture, work in BACKGROUND.items():
        waiting = [item for item in items if fixture in getattr(item, "fixturenames", ())]
        if waiting:
            items[:] = [item for item in items if item not in waiting] + waiting
            work.start()


def pytest_sessionfinish(session: pytest.Session) -> None:
    for work in BACKGROUND.values():
        work.stop()


@pytest.fixture(scope="session")
def collection() -> Collection:
    """Lessons 01 to 04 for every country, 00 and 06 for four with the guide, a pairing pack: read by many tests."""
    out = BACKGROUND["collection"].finished(timeout=1200)
    builds = json.loads((out / "builds.json").read_text(encoding="utf-8"))
    return Collection(out, [[Result(**result) for result in build] for build in builds])


@pytest.fixture(scope="module")
def binder_python() -> Path:
    """A fresh virtual environment with environment.yml's packages and the package, as Binder makes it
    (made by ``tests/prepare_binder.py`` while the other tests run); its Python."""
    return BACKGROUND["binder_python"].finished(timeout=1500) / "venv" / "bin" / "python"


#: Debian's Chromium, which the browser tests drive (.ci/run installs it).
CHROMIUM = shutil.which("chromium")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


#: What a page is given for plotly.js by a test that reads only its text: the calls the page makes, doing
#: nothing (loading the real plotly.js costs seconds a page in a headless browser).
PLOTLY_STUB = "window.Plotly = {newPlot: () => Promise.resolve(), register: () => {}};"


def open_offline(browser, page_path: Path, charts: bool = True):
    """Open a page from file://, recording JS errors and every non-file request; ``charts=False``
    gives it a stand-in for plotly.js, for a test that reads only its text and tables."""
    page = browser.new_page()
    errors: list[str] = []
    requests: list[str] = []
    if not charts:
        page.route("**/_static/plotly.min.js", lambda route: route.fulfill(
            body=PLOTLY_STUB, content_type="text/javascript"))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("request", lambda request: None if request.url.startswith("file://")
            else requests.append(request.url))
    page.goto(page_path.as_uri())
    page.wait_for_load_state("load")
    return page, errors, requests
