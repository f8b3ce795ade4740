"""Shared fixtures: paths to the shipped data and the raw public datasets."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from jlnlearn.build.pool import WorkerPool
from jlnlearn.data import schema

#: Fixture notebooks are run by the report tests, not collected by nbval.
collect_ignore_glob = ["fixtures/*"]

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


@pytest.fixture(autouse=True)
def fresh_validation_cache(tmp_path_factory: pytest.TempPathFactory,
                           monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test remembers validations in its own folder, never the user's cache."""
    folder = tmp_path_factory.mktemp("validated")
    monkeypatch.setenv("JLNLEARN_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def workers(tmp_path_factory: pytest.TempPathFactory):
    """One pool of two warm workers for every test that builds pages it only reads."""
    with WorkerPool(2, tmp_path_factory.mktemp("workers") / "start.log", "warm") as pool:
        yield pool
