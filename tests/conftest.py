"""Shared fixtures: paths to the shipped data and the raw public datasets."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
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
#: The rows :func:`data_copy` keeps of a longer table (one of the numeric time series).
SERIES_CUT = 1000
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
    """A writable copy of the whole shipped data package, every table and its schema, with each time series
    of over :data:`SERIES_CUT` rows (weekly COVID-19 counts and vaccinations, indicators, population by age
    and sex) cut to its first rows:
    a test of a problem in a whole package then validates it in about a third of the time, and its expected
    problems show the rest of the copy is valid."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    for path in target.glob("*.csv"):
        with open(path, encoding="utf-8", newline="") as stream:
            lines = list(itertools.islice(stream, SERIES_CUT + 2))
        if len(lines) > SERIES_CUT + 1:
            path.write_text("".join(lines[:SERIES_CUT + 1]), encoding="utf-8", newline="")
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
        header("countries") + "\nZZZ,Testland,,AFR,Low income,DS-WB-CLASS,not documented,false,,,,,false,XTS\n",
        encoding="utf-8")


def header(table: str) -> str:
    """The header row a CSV file of ``table`` must have."""
    return ",".join(field["name"] for field in schema.fields(table))


def is_xdist_worker(config: pytest.Config) -> bool:
    """Whether this process is one of the run's pytest-xdist workers (``make test`` runs several)."""
    return hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    """Validations are remembered in one folder for the whole run, never in the user's cache.

    Set in the environment before any test, so kernels, workers and commands
    the tests start use it too. A remembered validation vouches only for the
    exact content it was made for (see :func:`jlnlearn.data.loading.content_version`),
    so tests can share it: changed or bad data are always checked again. With
    several xdist workers, the process that starts them sets it, and they
    inherit it, with the run's id (``--testrunuid``), which names the folder of
    the background work they share.
    """
    if is_xdist_worker(config):
        return
    os.environ["JLNLEARN_CACHE_DIR"] = tempfile.mkdtemp(prefix="jlnlearn-test-cache-")
    if getattr(config.option, "testrunuid", None) is None:
        config.option.testrunuid = uuid.uuid4().hex


def pytest_unconfigure(config: pytest.Config) -> None:
    if is_xdist_worker(config):
        return
    for work in BACKGROUND.values():
        work.stop(run_folder(config))
    shutil.rmtree(run_folder(config), ignore_errors=True)
    shutil.rmtree(os.environ.pop("JLNLEARN_CACHE_DIR", ""), ignore_errors=True)


def run_folder(config: pytest.Config) -> Path:
    """The folder of this run's background work, the same for every xdist worker of the run."""
    uid = config.workerinput["testrunuid"] if is_xdist_worker(config) else config.option.testrunuid
    return Path(tempfile.gettempdir()) / f"jlnlearn-tests-{uid}"


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
        """Lessons 01 to 04 for every country (their pages; the build also writes lesson 02's workbooks)."""
        return [result for result in self.builds[0] if result.output == "page"]

    @property
    def failures(self) -> list[Result]:
        return [result for build in self.builds for result in build if result.status == "failed"]


@dataclass
class Background:
    """Slow work some tests need, started in a process of its own as the run starts: a script's
    ``command`` (run by this Python, from the repository) whose last argument is the folder it writes.

    The first test process that needs it starts it (with several xdist workers, the first to create
    its folder), in a session of its own, through a shell that writes the script's exit code to
    ``status`` when it ends and its errors to ``errors.txt``; every process that needs it waits for
    that file.
    """

    name: str
    command: tuple[str, ...]
    #: The background work this one starts after (so that the first is done sooner), if any.
    after: str | None = None

    def folder(self, config: pytest.Config) -> Path:
        return run_folder(config) / self.name

    def start(self, config: pytest.Config) -> None:
        folder = self.folder(config)
        try:
            folder.mkdir(parents=True)
        except FileExistsError:
            return  # another worker of the run started it
        (folder / "out").mkdir()
        environment = {name: value for name, value in os.environ.items() if name != "JLNLEARN_EXTRA_DATA"}
        before = run_folder(config) / self.after if self.after else None
        # the run's tests start what they need in BACKGROUND's order: what this one follows is there if needed
        wait = f'while [ ! -f "{before / "status"}" ]; do sleep 1; done; ' if before and before.is_dir() else ""
        arguments = " ".join(f'"{part}"' for part in self.command)
        command = (f'{wait}"$0" {arguments} "{folder / "out"}" 2> "{folder / "errors.txt"}"; '
                   f'echo $? > "{folder / "status.tmp"}" && mv "{folder / "status.tmp"}" "{folder / "status"}"')
        process = subprocess.Popen(["sh", "-c", command, sys.executable], cwd=REPO, env=environment,
                                   stdout=subprocess.DEVNULL, start_new_session=True)
        (folder / "pid").write_text(str(process.pid), encoding="utf-8")

    def finished(self, config: pytest.Config, timeout: float) -> Path:
        """Its output folder, once the script has finished well (a test fails with its errors otherwise)."""
        folder = self.folder(config)
        assert folder.is_dir(), "started only for the tests that ask for it"
        deadline = time.monotonic() + timeout
        while not (folder / "status").is_file():
            assert time.monotonic() < deadline, f"{self.name} took more than {timeout:g} s"
            time.sleep(0.5)
        errors = (folder / "errors.txt").read_text(encoding="utf-8", errors="replace")
        assert (folder / "status").read_text().strip() == "0", errors[-3000:]
        return folder / "out"

    def stop(self, root: Path) -> None:
        """Stop the script if it still runs (the run was cut short)."""
        pid_file = root / self.name / "pid"
        if pid_file.is_file() and not (pid_file.parent / "status").is_file():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(int(pid_file.read_text()), signal.SIGKILL)


#: By the fixture that waits for it: the run's shared pages (built beside the tests that need none),
#: then a few of them again in fresh kernels, and the environment Binder would make (both once the
#: shared pages are built, beside the tests that read them).
BACKGROUND = {
    "collection": Background("collection", ("tests/build_collection.py",)),
    "kernel_pages": Background("kernel-pages", ("tests/build_collection.py", "--kernel"), after="collection"),
    "binder_python": Background("binder", ("tests/prepare_binder.py",), after="collection"),
}


#: Added to the id of a test that waits for background work: xdist sends such tests one by one.
WAITS = "@shared"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Start the background work the selected tests need, and run those tests last, so that it is
    done, or nearly, when they start (with xdist, their ids end in :data:`WAITS`)."""
    if config.option.collectonly:
        return
    waiting = [item for item in items if any(fixture in getattr(item, "fixturenames", ()) for fixture in BACKGROUND)]
    for fixture, work in BACKGROUND.items():
        if any(fixture in item.fixturenames for item in waiting):
            work.start(config)
    if is_xdist_worker(config):
        for item in waiting:
            item._nodeid = f"{item.nodeid}{WAITS}"
    items[:] = [item for item in items if item not in waiting] + waiting


def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """How ``make test`` shares the tests among its xdist workers: a file at a time, so that a
    module's fixtures (a build, a browser) are made once, in the order collected; the tests that wait
    for background work, last, one by one to whichever worker is free, so that they share the end of
    the run instead of leaving one worker idle."""
    from xdist.scheduler import LoadScopeScheduling

    class FilesThenSharedWork(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return nodeid if nodeid.endswith(WAITS) else nodeid.split("::", 1)[0]

    return FilesThenSharedWork(config, log)


@pytest.fixture(scope="session")
def collection(request: pytest.FixtureRequest) -> Collection:
    """Lessons 01 to 04 for every country in English and French, 00 and 06 for four with the guide, a pairing
    pack: read by many tests."""
    out = BACKGROUND["collection"].finished(request.config, timeout=1200)
    builds = json.loads((out / "builds.json").read_text(encoding="utf-8"))
    return Collection(out, [[Result(**result) for result in build] for build in builds])


@pytest.fixture(scope="session")
def kernel_pages(request: pytest.FixtureRequest) -> Path:
    """The Philippines' pages, Mali's and Kosovo's profiles and a pairing pack, each built in a fresh kernel."""
    return BACKGROUND["kernel_pages"].finished(request.config, timeout=1200)


@pytest.fixture(scope="module")
def binder_python(request: pytest.FixtureRequest) -> Path:
    """A fresh virtual environment with environment.yml's packages and the package, as Binder makes it
    (made by ``tests/prepare_binder.py`` while the other tests run); its Python."""
    return BACKGROUND["binder_python"].finished(request.config, timeout=1500) / "venv" / "bin" / "python"


#: What a reader of a report page can do nothing with, by what it is: instructions to run a notebook,
#: code, file paths, the data's internal ids and codes, missing values written as ``nan``, a traceback.
NOT_FOR_READERS = {
    "an instruction to run cells": re.compile(r"JupyterLab|\b(?:re-?)?run (?:all|this|the next) cells?\b|\bnext "
                                              r"cell\b|\bthis cell\b|cellule suivante|exécutez", re.IGNORECASE),
    "a backtick": re.compile(r"`"),
    "the package or a Python call": re.compile(r"\bjlnlearn\b|\b[a-z_]+\.[a-z_]+\("),
    "a file path": re.compile(r"\bmy-data/|\bdata/\w+\.csv\b|\.ipynb\b|\.xlsx\b"),
    "a data row's id": re.compile(r"\b[A-Z]{3}-(?:[a-z0-9]+-)+[a-z0-9]+\b"),
    "a WHO region's code": re.compile(r"\bWHO region [A-Z]{2,4}\b|\brégion OMS [A-Z]{2,4}\b"),
    "a missing value written nan": re.compile(r"\bnan\b"),
    "a traceback": re.compile(r"\bTraceback\b"),
}


def pages_in(folder: Path, pattern: str) -> list[Path]:
    """The report pages in ``folder`` whose paths match ``pattern``, in order: the slide decks built beside
    some of them (``<notebook>-slides.html``) are not pages."""
    return sorted(path for path in folder.glob(pattern) if not path.name.endswith("-slides.html"))


#: Run in a tab with scripts off: the page's HTML, parsed apart (so its scripts stay inert), takes the place
#: of the tab's document with its own inline styles, its folded parts unfolded; then ``{read}`` runs on it.
SHOW_AND_READ = """html => {{
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  document.documentElement.replaceWith(document.adoptNode(parsed.documentElement));
  document.querySelectorAll('details').forEach(details => details.open = true);
  return ({read})();
}}"""
#: What :func:`read_pages` reads by default: the page's text as a reader sees it.
BODY_TEXT = "() => document.body.innerText"


def read_pages(browser, paths: list[Path], read: str = BODY_TEXT) -> dict:
    """``read`` (a JavaScript function of no argument) run on each page as a reader sees it, with its folded
    parts unfolded: its text by default.

    The pages are shown one after another in one tab with scripts off, each in place of the last, instead
    of being opened one by one (:func:`texts_opened`): no chart is drawn and no navigation made, so a page
    takes about 0.07 s instead of 0.14 s opened (``benchmarks/bench_page_reading.py``) or seconds drawn.
    Chromium lays each out with the page's own styles, all inline (a page linking a stylesheet is refused:
    it would not be applied in time). ``test_reading_a_page_in_place_gives_the_text_it_gives_opened``
    checks the two ways agree.
    """
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(paths[0].as_uri(), wait_until="domcontentloaded")
    script, found = SHOW_AND_READ.format(read=read), {}
    for path in paths:
        html = path.read_text(encoding="utf-8")
        assert 'rel="stylesheet"' not in html, f"{path} links a stylesheet: open it instead"
        found[path] = tab.evaluate(script, html)
    context.close()
    return found


def texts_opened(browser, paths: list[Path]) -> dict[Path, str]:
    """Each page's text as a reader sees it, its folded parts unfolded, each page opened from its file in
    turn, scripts off: the plain way :func:`read_pages` is checked and measured against."""
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    texts = {}
    for path in paths:
        tab.goto(path.as_uri(), wait_until="domcontentloaded")
        texts[path] = tab.evaluate("() => { document.querySelectorAll('details').forEach(d => d.open = true);"
                                   " return document.body.innerText; }")
    context.close()
    return texts


def reader_problems(text: str) -> list[str]:
    """Each thing in a page's text (as a reader sees it) that :data:`NOT_FOR_READERS` names, with its context."""
    return [f"{kind}: ...{text[max(0, found.start() - 40):found.end() + 40]}..."
            for kind, pattern in NOT_FOR_READERS.items() for found in pattern.finditer(text)]


#: The Chromium the browser tests drive (.ci/run installs both from Debian): its headless shell, which opens a
#: page with charts for about half the CPU time of the full browser (``benchmarks/bench_headless_shell.py``),
#: else the full browser.
CHROMIUM = shutil.which("chromium-headless-shell") or shutil.which("chromium")


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
    gives it a stand-in for plotly.js, for a test that reads only its text and tables.

    ``browser`` may be one of its contexts instead: a test that opens several pages and clicks nothing
    opens them in one context, each about 0.5 s sooner than in a context of its own.
    """
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
