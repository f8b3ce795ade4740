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
collect_ignore_glob = ["fixtures/*", "build_collection.py"]

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


#: The run's shared pages, building in a process of their own from the start of the run.
_collection: dict[str, object] = {}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """If some tests read the shared pages, start building them now and run those tests last.

    The pages build in a process of their own, with one worker, beside the
    tests that need no pages; by the time their readers run, they are built.
    """
    readers = [item for item in items if "collection" in getattr(item, "fixturenames", ())]
    if not readers or config.option.collectonly:
        return
    items[:] = [item for item in items if item not in readers] + readers
    out = Path(tempfile.mkdtemp(prefix="jlnlearn-collection-"))
    environment = {name: value for name, value in os.environ.items() if name != "JLNLEARN_EXTRA_DATA"}
    _collection["out"] = out
    _collection["process"] = subprocess.Popen(
        [sys.executable, str(REPO / "tests" / "build_collection.py"), str(out)], cwd=REPO, env=environment,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def pytest_sessionfinish(session: pytest.Session) -> None:
    process = _collection.get("process")
    if process is not None and process.poll() is None:
        process.kill()
        process.wait()
    if "out" in _collection:
        shutil.rmtree(_collection["out"], ignore_errors=True)


@pytest.fixture(scope="session")
def collection() -> Collection:
    """Lessons 01 to 04 for every country, 00 and 06 for four, a pairing pack: read by many tests."""
    process = _collection["process"]
    _, errors = process.communicate(timeout=1200)
    assert process.returncode == 0, errors[-3000:]
    out = _collection["out"]
    builds = json.loads((out / "builds.json").read_text(encoding="utf-8"))
    return Collection(out, [[Result(**result) for result in build] for build in builds])


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


def open_offline(browser, page_path: Path):
    """Open a page from file://, recording JS errors and every non-file request."""
    page = browser.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("request", lambda request: None if request.url.startswith("file://")
            else requests.append(request.url))
    page.goto(page_path.as_uri())
    page.wait_for_load_state("load")
    return page, errors, requests
