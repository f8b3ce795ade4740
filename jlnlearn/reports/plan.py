"""What to build: the notebooks and countries asked for, one task each, and what is built already.

A task is one notebook run with its parameters into one folder of the output:
a (country, notebook) pair, one pairing pack (notebook 05 for two or three
countries and a topic), or one collection page (a notebook without
parameters, such as 00_start_here). Each task carries the hash of its inputs
(the notebook, its parameters, the data and the package code); the manifest
a successful build writes beside its pages records that hash, so an
unchanged task is skipped.
"""

from __future__ import annotations

import ast
import difflib
import enum
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from jlnlearn.data import schema
from jlnlearn.data.countries import Country, countries, country
from jlnlearn.errors import UsageError, echoed
from jlnlearn.i18n import N_, _
from jlnlearn.lessons.pairing import parse_pairing
from jlnlearn.lessons.pairing import topic as pairing_topic

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
PACKAGE_DIR = Path(__file__).resolve().parents[1]


class Status(enum.StrEnum):
    """What happened to a task in a build."""

    BUILT = N_("built")
    UP_TO_DATE = N_("up to date")
    FAILED = N_("failed")


@dataclass(frozen=True)
class Task:
    """One notebook to run with its parameters, into ``folder`` (relative to OUT)."""

    folder: str
    label: str
    notebook: Path
    key: str
    parameters: dict[str, Any] = field(default_factory=dict, hash=False)

    @property
    def stem(self) -> str:
        return self.notebook.stem

    @property
    def depth(self) -> int:
        """How far below OUT the task's pages sit."""
        return len(Path(self.folder).parts)


@dataclass(frozen=True)
class Result:
    """What happened to a task, as its manifest records it."""

    folder: str
    stem: str
    status: Status
    seconds: float
    key: str
    cell: int | None = None
    error: str | None = None
    label: str = ""


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
    """Hash of what every report depends on: the data, extra rows, the package code and its translations."""
    digest = hashlib.sha256()
    paths = sorted(schema.PACKAGE_DATA_DIR.glob("*.csv")) + [
        schema.PACKAGE_DATA_DIR / schema.DESCRIPTOR_NAME]
    paths += sorted(PACKAGE_DIR.rglob("*.py")) + sorted(PACKAGE_DIR.glob("locale/*/LC_MESSAGES/*.po"))
    if extra is not None:
        paths += sorted(extra.glob("*.csv"))
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def task_key(shared: str, notebook: Path, parameters: dict[str, Any]) -> str:
    """Hash of a task's inputs: the shared inputs, the notebook and its parameters."""
    digest = hashlib.sha256(shared.encode())
    digest.update(notebook.read_bytes())
    digest.update(json.dumps(parameters, sort_keys=True).encode())
    return digest.hexdigest()


def plan(chosen_countries: Sequence[Country], notebooks: Sequence[Path],
         extra: Path | None, collection: Sequence[Path] = ()) -> list[Task]:
    """Every (country, notebook) task and collection page, each with the hash of its inputs."""
    shared = inputs_digest(extra)
    tasks = [Task("", "", notebook, task_key(shared, notebook, {})) for notebook in collection]
    for subject in chosen_countries:
        for notebook in notebooks:
            parameters = {"country": subject.iso3}
            tasks.append(Task(subject.iso3, subject.name, notebook,
                              task_key(shared, notebook, parameters), parameters))
    return tasks


def plan_pairing(chosen: Sequence[Country], topic: str, notebook: Path, extra: Path | None) -> Task:
    """The task that builds one pairing pack into ``pairings/<ISO3-ISO3[-ISO3]-topic>``."""
    codes = [subject.iso3 for subject in chosen]
    parameters = {"countries": codes, "topic": topic}
    names = [subject.name for subject in chosen]
    label = _("{countries} and {last}: {topic}").format(countries=", ".join(names[:-1]), last=names[-1],
                                                          topic=topic)
    return Task(f"pairings/{'-'.join(codes)}-{topic}", label, notebook,
                task_key(inputs_digest(extra), notebook, parameters), parameters)



# -- what is built already ---------------------------------------------------------------

def manifest_path(out: Path, folder: str, stem: str) -> Path:
    """Where the manifest of a folder's notebook is kept (a hidden file beside its page)."""
    return out / folder / f".{stem}.json"


def read_manifest(path: Path) -> Result | None:
    """The result a manifest records, or ``None`` when it is missing or unreadable."""
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
        return Result(**{**recorded, "status": Status(recorded["status"])})
    except (OSError, ValueError, TypeError, KeyError):
        return None


def previous_result(out: Path, task: Task, with_notebooks: bool = False) -> Result | None:
    """The recorded result of the task's last build, if its page (and, when wanted, its notebook)
    is still there."""
    result = read_manifest(manifest_path(out, task.folder, task.stem))
    pages = [out / task.folder / f"{task.stem}.html"]
    if with_notebooks:
        pages.append(out / task.folder / f"{task.stem}.ipynb")
    return result if result is not None and all(page.is_file() for page in pages) else None


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
                 pairing: str | Sequence[str] | None, topic: str | None,
                 extra: Path | None) -> tuple[list[Task], list[Path]]:
    """The tasks a request asks for, and the country notebooks the index has columns for.

    With ``pairing`` and ``topic``: the one pairing-pack task (its countries
    are the pairing's, so a country or notebook choice is refused). Otherwise
    every requested (country, notebook) pair and collection page; ``None``
    means all.

    Raises
    ------
    UsageError, PairingError, UnknownCountryError
        For a request that cannot be built, before any work.
    """
    available = report_notebooks(folder)
    if pairing is None and topic is None:
        collection = collection_notebooks(folder)
        wanted = select_notebooks(notebook_spec or "all", available + collection)
        chosen = select_countries(country_spec or "all")
        return plan(chosen, [n for n in wanted if n in available], extra,
                    [n for n in wanted if n in collection]), available
    if pairing is None or topic is None:
        raise UsageError("a pairing pack needs both --pairing (2 or 3 countries) and --topic")
    if country_spec is not None or notebook_spec is not None:
        given = " and ".join(f"--{name}" for name, spec in
                             [("countries", country_spec), ("notebooks", notebook_spec)] if spec is not None)
        raise UsageError(f"--pairing builds one pack for the countries it names: leave out {given}, "
                         "or build country pages without --pairing and --topic")
    chosen_pair, key = parse_pairing(pairing), topic.strip().lower()
    pairing_topic(key)
    packs = pairing_notebooks(folder)
    if not packs:
        raise UsageError(f"no pairing notebook (with countries and topic parameters) in {folder}")
    return [plan_pairing(chosen_pair, key, packs[0], extra)], available


def already_built(tasks: Sequence[Task], out: Path, force: bool,
                  with_notebooks: bool = False) -> tuple[dict[tuple[str, str], Result], list[Task]]:
    """Split ``tasks`` into those built before from the same inputs (as their results) and the rest."""
    done: dict[tuple[str, str], Result] = {}
    todo = []
    for task in tasks:
        previous = None if force else previous_result(out, task, with_notebooks)
        if previous is not None and previous.key == task.key and previous.status == Status.BUILT:
            done[(task.folder, task.stem)] = Result(**{**asdict(previous), "status": Status.UP_TO_DATE})
        else:
            todo.append(task)
    return done, todo
