"""What to build: the notebooks and countries asked for, one task each, and what is built already.

A task is one notebook run with its parameters into one folder of the output:
a (country, notebook) pair, one pairing pack (notebook 05 for two or three
countries and a topic), or one collection page (a notebook without
parameters, such as 00_start_here). A task carries everything that decides
its page: the notebook, its parameters, the language and the folder of extra
rows, and the hash of all of them with the data and the package code (its
``key``). A worker sets the task's language and extra rows for the time it
runs it (see :func:`jlnlearn.reports.run.task_settings`), never from its
own environment, so a page is the same from any worker.

Every file a build writes is vouched for by a manifest beside it that
records the :class:`Result` of making it, with the hash of its inputs: an
output whose recorded hash is unchanged is up to date (see
:mod:`jlnlearn.reports.outputs`).
"""

from __future__ import annotations

import ast
import difflib
import enum
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from jlnlearn.data import schema
from jlnlearn.data.countries import Country, countries, country
from jlnlearn.errors import UsageError, echoed
from jlnlearn.i18n import DEFAULT_LANGUAGE, N_, _
from jlnlearn.lessons.pairing import parse_pairing
from jlnlearn.lessons.pairing import topic as pairing_topic

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
PACKAGE_DIR = Path(__file__).resolve().parents[1]
#: The package's files that decide a page: code, translations, templates and the CSS and JavaScript they hold.
PACKAGE_INPUTS = {".py", ".po", ".j2", ".css", ".js"}


class Status(enum.StrEnum):
    """What happened to a task in a build."""

    BUILT = N_("built")
    UP_TO_DATE = N_("up to date")
    FAILED = N_("failed")


@dataclass(frozen=True)
class Task:
    """One notebook to run with its parameters, into ``folder`` (relative to OUT), in ``language``,
    with the extra rows of ``extra`` (a resolved folder) beside the shipped data."""

    folder: str
    label: str
    notebook: Path
    key: str
    parameters: dict[str, Any] = field(default_factory=dict, hash=False)
    language: str = DEFAULT_LANGUAGE
    extra: Path | None = None

    @property
    def stem(self) -> str:
        return self.notebook.stem

    @property
    def depth(self) -> int:
        """How far below OUT the task's pages sit."""
        return len(Path(self.folder).parts)


@dataclass(frozen=True)
class Result:
    """What happened to one job of an output (a page, a PDF...), as its manifest records it.

    ``key`` is the hash of the job's inputs; ``cell`` and ``error`` say where and why it failed.
    """

    folder: str
    stem: str
    status: Status
    seconds: float
    key: str
    cell: int | None = None
    error: str | None = None
    label: str = ""
    output: str = "page"


class Pairing(NamedTuple):
    """A pairing pack to build: two or three countries (``"GHA,KEN"`` or a list) and a topic."""

    countries: str | Sequence[str]
    topic: str


# -- choosing what to build ---------------------------------------------------------------

def notebook_parameters(folder: Path | None = None) -> dict[Path, set[str]]:
    """Each notebook in ``folder`` with the names its ``parameters`` cell assigns.

    The cell papermill injects after is the one tagged ``parameters``; its
    names are read from its Python source without importing papermill (about
    2 s), so a build with nothing to do stays quick.

    >>> names = notebook_parameters()
    >>> sorted(names[NOTEBOOKS_DIR / "05_country_pairing.ipynb"]), names[NOTEBOOKS_DIR / "00_start_here.ipynb"]
    (['countries', 'topic'], set())
    """
    return {path: parameter_names(path) for path in sorted((folder or NOTEBOOKS_DIR).glob("*.ipynb"))}


def parameter_names(notebook: Path) -> set[str]:
    """The names assigned at the top level of ``notebook``'s first cell tagged ``parameters``."""
    return set(parameter_values(notebook))


def parameter_values(notebook: Path) -> dict[str, Any]:
    """The parameters ``notebook``'s first cell tagged ``parameters`` assigns, each with its value
    where that is a literal (a number, a text, a list or dict of them), else None.

    >>> parameter_values(NOTEBOOKS_DIR / "05_country_pairing.ipynb")["topic"]
    'capitation'
    """
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            values: dict[str, Any] = {}
            for statement in ast.parse(source).body:
                targets = statement.targets if isinstance(statement, ast.Assign) else (
                    [statement.target] if isinstance(statement, ast.AnnAssign) else [])
                for target in targets:
                    if isinstance(target, ast.Name):
                        values[target.id] = literal(statement.value)
            return values
    return {}


def literal(node: ast.expr | None) -> Any:
    """The value of a literal expression, or None for anything else."""
    try:
        return ast.literal_eval(node) if node is not None else None
    except ValueError:
        return None


def report_notebooks(folder: Path | None = None) -> list[Path]:
    """Notebooks whose ``parameters`` cell defines ``country``: one report per country."""
    return [path for path, names in notebook_parameters(folder).items() if "country" in names]


def pairing_notebooks(folder: Path | None = None) -> list[Path]:
    """Notebooks whose ``parameters`` cell defines ``countries`` and ``topic`` (pairing packs)."""
    return [path for path, names in notebook_parameters(folder).items() if {"countries", "topic"} <= names]


def collection_notebooks(folder: Path | None = None) -> list[Path]:
    """Notebooks without a ``parameters`` cell: built once per build, at the top of OUT."""
    return [path for path, names in notebook_parameters(folder).items() if not names]


def select_countries(spec: str) -> list[Country]:
    """``all`` (collaborative countries first) or comma-separated codes, names and aliases."""
    if spec.strip().lower() == "all":
        return countries()
    chosen: list[Country] = []
    for query in filter(None, (part.strip() for part in spec.split(","))):
        found = country(query)
        if found not in chosen:
            chosen.append(found)
    if not chosen:
        raise UsageError("no country given (valid: all, or ISO3 codes, names or aliases)")
    return chosen


def select_notebooks(spec: str, available: Sequence[Path]) -> list[Path]:
    """``all`` or comma-separated notebook names or number prefixes (``06``)."""
    if spec.strip().lower() == "all":
        return list(available)
    chosen: list[Path] = []
    for query in filter(None, (part.strip() for part in spec.split(","))):
        matches = [p for p in available if p.stem == query or p.stem.split("_")[0] == query]
        if not matches:
            names = [p.stem for p in available]
            close = difflib.get_close_matches(query, names, n=3, cutoff=0.4)
            raise UsageError(f"unknown notebook {echoed(query)} (valid: {', '.join(close or names)})")
        chosen.extend(m for m in matches if m not in chosen)
    return chosen


def inputs_digest(extra: Path | None) -> str:
    """Hash of what every report depends on: the data, extra rows, the package's code, translations and
    templates."""
    digest = hashlib.sha256()
    paths = sorted(schema.PACKAGE_DATA_DIR.glob("*.csv")) + [
        schema.PACKAGE_DATA_DIR / schema.DESCRIPTOR_NAME]
    paths += sorted(path for path in PACKAGE_DIR.rglob("*") if path.suffix in PACKAGE_INPUTS
                    and "__pycache__" not in path.parts)
    if extra is not None:
        paths += sorted(extra.glob("*.csv"))
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def task_key(shared: str, notebook: Path, parameters: dict[str, Any], language: str = DEFAULT_LANGUAGE) -> str:
    """Hash of a task's inputs: the shared inputs, the notebook, its parameters and the language."""
    digest = hashlib.sha256(shared.encode())
    digest.update(notebook.read_bytes())
    digest.update(json.dumps(parameters, sort_keys=True).encode())
    digest.update(language.encode())
    return digest.hexdigest()


def new_task(folder: str, label: str, notebook: Path, parameters: dict[str, Any], language: str,
             extra: Path | None, shared: str | None = None) -> Task:
    """A task with its key (``shared``: :func:`inputs_digest` of ``extra``, when already known)."""
    key = task_key(inputs_digest(extra) if shared is None else shared, notebook, parameters, language)
    return Task(folder, label, notebook, key, parameters, language, extra)


def plan(chosen_countries: Sequence[Country], notebooks: Sequence[Path], extra: Path | None,
         collection: Sequence[Path] = (), language: str = DEFAULT_LANGUAGE) -> list[Task]:
    """Every (country, notebook) task and collection page, each with the hash of its inputs."""
    shared = inputs_digest(extra)
    tasks = [new_task("", "", notebook, {}, language, extra, shared) for notebook in collection]
    for subject in chosen_countries:
        for notebook in notebooks:
            tasks.append(new_task(subject.iso3, subject.name, notebook, {"country": subject.iso3}, language,
                                  extra, shared))
    return tasks


def plan_pairing(chosen: Sequence[Country], topic: str, notebook: Path, extra: Path | None,
                 language: str = DEFAULT_LANGUAGE) -> Task:
    """The task that builds one pairing pack into ``pairings/<ISO3-ISO3[-ISO3]-topic>``."""
    codes = [subject.iso3 for subject in chosen]
    names = [subject.name for subject in chosen]
    label = _("{countries} and {last}: {topic}").format(countries=", ".join(names[:-1]), last=names[-1],
                                                          topic=topic)
    return new_task(f"pairings/{'-'.join(codes)}-{topic}", label, notebook, {"countries": codes, "topic": topic},
                    language, extra)



# -- what is built already ---------------------------------------------------------------

def manifest_path(out: Path, folder: str, stem: str, output: str = "page") -> Path:
    """Where the manifest of one output's file is kept: a hidden file beside it, ``.<stem>.json``
    for a page and ``.<stem>.<output>.json`` for any other output.

    >>> manifest_path(Path("OUT"), "GHA", "06_country_profile", "pdf").as_posix()
    'OUT/GHA/.06_country_profile.pdf.json'
    """
    suffix = "" if output == "page" else f".{output}"
    return out / folder / f".{stem}{suffix}.json"


#: The name of a page's manifest (another output's has a second dot: ``.06_country_profile.pdf.json``).
PAGE_MANIFEST = re.compile(r"\.[^.]+\.json")


def page_manifests(out: Path, pattern: str) -> list[Path]:
    """The page manifests in ``out`` whose path matches the glob ``pattern`` (``*/.*.json``), sorted."""
    return sorted(path for path in out.glob(pattern) if PAGE_MANIFEST.fullmatch(path.name))


def read_manifest(path: Path) -> Result | None:
    """The result a manifest records, or ``None`` when it is missing or unreadable."""
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
        return Result(**{**recorded, "status": Status(recorded["status"])})
    except (OSError, ValueError, TypeError, KeyError):
        return None


def results_on_disk(out: Path, folder: str, stems: Iterable[str],
                    fresh: dict[tuple[str, str], Result]) -> dict[str, Result]:
    """A folder's results by notebook: from this build, else as recorded by an earlier one."""
    found = {}
    for stem in stems:
        result = fresh.get((folder, stem))
        if result is None and (out / folder / f"{stem}.html").is_file():
            result = read_manifest(manifest_path(out, folder, stem))
        if result is not None:
            found[stem] = result
    return found


def plan_request(folder: Path, country_spec: str | None, notebook_spec: str | None,
                 pairing: Pairing | None, extra: Path | None,
                 language: str = DEFAULT_LANGUAGE) -> tuple[list[Task], list[Path]]:
    """The tasks a request asks for, and the country notebooks the index has columns for.

    With a ``pairing``: the one pairing-pack task (its countries are the
    pairing's, so a country or notebook choice is refused). Otherwise every
    requested (country, notebook) pair and collection page; ``None`` means all.

    Raises
    ------
    UsageError, PairingError, UnknownCountryError
        For a request that cannot be built, before any work.
    """
    available = report_notebooks(folder)
    if pairing is None:
        collection = collection_notebooks(folder)
        wanted = select_notebooks(notebook_spec or "all", available + collection)
        chosen = select_countries(country_spec or "all")
        return plan(chosen, [n for n in wanted if n in available], extra,
                    [n for n in wanted if n in collection], language), available
    if not pairing.countries or not pairing.topic:
        raise UsageError("a pairing pack needs both --pairing (2 or 3 countries) and --topic")
    if country_spec is not None or notebook_spec is not None:
        given = " and ".join(f"--{name}" for name, spec in
                             [("countries", country_spec), ("notebooks", notebook_spec)] if spec is not None)
        raise UsageError(f"--pairing builds one pack for the countries it names: leave out {given}, "
                         "or build country pages without --pairing and --topic")
    chosen_pair, key = parse_pairing(pairing.countries), pairing.topic.strip().lower()
    pairing_topic(key)
    packs = pairing_notebooks(folder)
    if not packs:
        raise UsageError(f"no pairing notebook (with countries and topic parameters) in {folder}")
    return [plan_pairing(chosen_pair, key, packs[0], extra, language)], available
