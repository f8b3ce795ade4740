"""Build every country's report: papermill runs, offline HTML pages and an index.

One task is one (country, notebook) pair, one pairing pack (notebook 05 for
two or three countries and a topic), or one collection page (a notebook
without parameters, such as 00_start_here). Tasks run in parallel worker
processes; a task whose inputs (notebook, parameters, data, package code) are
unchanged since its last successful build is skipped. A failing notebook does
not stop the others: its page shows the failing cell and error, the index marks
it, and the build reports it. Every file is written to a temporary name and
renamed, so an interrupted build leaves no half-written page.

Output layout::

    OUT/index.html                   countries x notebooks, pairing packs, status, time, sources
    OUT/00_start_here.html           collection pages (notebooks without parameters)
    OUT/pairings/<ISO3-ISO3-topic>/  pairing packs, laid out like a country's folder
    OUT/build.log                    what the notebooks' kernels printed
    OUT/_static/plotly.min.js        one copy of plotly.js, loaded by relative path
    OUT/<ISO3>/index.html            the country's pages and sources
    OUT/<ISO3>/<notebook>.ipynb      the executed notebook
    OUT/<ISO3>/<notebook>.html       the page (code hidden, parameters dropped)
"""

from __future__ import annotations

import concurrent.futures
import datetime
import difflib
import hashlib
import html
import json
import multiprocessing
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from jlnlearn import schema
from jlnlearn.countries import Country, countries, country
from jlnlearn.data import extra_folder, load
from jlnlearn.errors import JlnlearnError
from jlnlearn.pairing import parse_pairing
from jlnlearn.pairing import topic as pairing_topic

NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"
PACKAGE_DIR = Path(__file__).resolve().parent
#: Longest a single cell may run; a cell past it is treated as a stalled run.
CELL_TIMEOUT_SECONDS = 120
#: Runs of a notebook for one country before a stall counts as a failure.
ATTEMPTS = 2
PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
WIDGET_MIMETYPE = "application/vnd.jupyter.widget-view+json"
#: Cells left out of report pages: parameters, and what only facilitators should see.
REPORT_HIDDEN_TAGS = {"parameters", "injected-parameters", "solution", "facilitator"}


class UsageError(JlnlearnError, ValueError):
    """A request that cannot be built: unknown country or notebook, unwritable folder."""


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
    """What happened to a task. ``status`` is built, up to date or failed."""

    folder: str
    stem: str
    status: str
    seconds: float
    key: str
    cell: int | None = None
    error: str | None = None
    label: str = ""


# -- choosing what to build ---------------------------------------------------------------

def notebook_parameters(folder: Path | None = None) -> dict[Path, set[str]]:
    """Each notebook in ``folder`` with the names its ``parameters`` cell defines (papermill's view)."""
    import papermill

    return {path: set(papermill.inspect_notebook(str(path)))
            for path in sorted((folder or NOTEBOOKS_DIR).glob("*.ipynb"))}


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
            raise UsageError(f"unknown notebook {query!r} (valid: {', '.join(close or names)})")
        chosen.extend(m for m in matches if m not in chosen)
    return chosen


def inputs_digest(extra: Path | None) -> str:
    """Hash of what every report depends on: the data, extra rows and the package code."""
    digest = hashlib.sha256()
    paths = sorted(schema.PACKAGE_DATA_DIR.glob("*.csv")) + [
        schema.PACKAGE_DATA_DIR / schema.DESCRIPTOR_NAME]
    paths += sorted(PACKAGE_DIR.glob("*.py"))
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
            parameters = {"country": subject.name}
            tasks.append(Task(subject.iso3, subject.name, notebook,
                              task_key(shared, notebook, parameters), parameters))
    return tasks


def plan_pairing(chosen: Sequence[Country], topic: str, notebook: Path, extra: Path | None) -> Task:
    """The task that builds one pairing pack into ``pairings/<ISO3-ISO3[-ISO3]-topic>``."""
    codes = [subject.iso3 for subject in chosen]
    parameters = {"countries": codes, "topic": topic}
    names = [subject.name for subject in chosen]
    label = f"{', '.join(names[:-1])} and {names[-1]}: {topic}"
    return Task(f"pairings/{'-'.join(codes)}-{topic}", label, notebook,
                task_key(inputs_digest(extra), notebook, parameters), parameters)


# -- files --------------------------------------------------------------------------------

def write_atomically(target: Path, content: str | bytes) -> None:
    """Write to a temporary file beside ``target`` and rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content.encode("utf-8") if isinstance(content, str) else content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def manifest_path(out: Path, folder: str, stem: str) -> Path:
    return out / folder / f".{stem}.json"


def read_manifest(path: Path) -> Result | None:
    try:
        return Result(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def previous_result(out: Path, task: Task) -> Result | None:
    """The recorded result of the task's last build, if its pages are still there."""
    result = read_manifest(manifest_path(out, task.folder, task.stem))
    pages = [out / task.folder / f"{task.stem}.html", out / task.folder / f"{task.stem}.ipynb"]
    return result if result is not None and all(page.is_file() for page in pages) else None


def remove_stale_temporaries(out: Path) -> None:
    """Delete temporary files an interrupted build left behind."""
    for stale in [*out.glob("**/.*.tmp"), *out.glob("**/.*.tmp.ipynb")]:
        stale.unlink(missing_ok=True)


# -- running one task (in a worker process) -----------------------------------------------

def quiet_worker(log: Path) -> None:
    """Send a worker's (and its kernels') console chatter to the build log, not the terminal."""
    descriptor = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(descriptor, 2)
    os.close(descriptor)


def execute(task: Task, target: str) -> tuple[int | None, str | None]:
    """Run the notebook into ``target``; return the failing cell and error, if any.

    A cell that runs longer than :data:`CELL_TIMEOUT_SECONDS` (seen here when a
    kernel reply goes missing: the kernel idles while the client waits for
    ever) stops the run; such a stall is retried once before it counts.
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError
    from papermill.exceptions import PapermillExecutionError

    for attempt in range(1, ATTEMPTS + 1):
        try:
            papermill.execute_notebook(
                task.notebook, target, parameters=task.parameters,
                kernel_name="python3", progress_bar=False, log_output=False,
                cwd=str(task.notebook.parent), shutdown_kernel="immediate",
                request_save_on_cell_execute=False, execution_timeout=CELL_TIMEOUT_SECONDS)
            return None, None
        except PapermillExecutionError as failure:
            return failure.exec_count, f"{failure.ename}: {failure.evalue}"
        except CellTimeoutError as stall:
            print(f"{task.folder or '.'} {task.stem}: attempt {attempt} stalled: {stall}", file=sys.stderr)
            if attempt == ATTEMPTS:
                return None, f"a cell ran longer than {CELL_TIMEOUT_SECONDS} s, {ATTEMPTS} times"
    return None, None


def run_task(task: Task, out: Path) -> Result:
    """Execute the notebook for the country and write its .ipynb and .html."""
    import nbformat

    os.environ["PLOTLY_RENDERER"] = "plotly_mimetype"
    os.environ["JLNLEARN_STATIC_OUTPUT"] = "1"  # live widgets are no use without a kernel
    folder = out / task.folder
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{task.stem}.", suffix=".tmp.ipynb")
    os.close(handle)
    started = time.perf_counter()
    cell, error = None, None
    try:
        cell, error = execute(task, temporary)
        notebook = nbformat.read(temporary, as_version=4)
        page = render_page(notebook, task, error, cell)
        os.chmod(temporary, 0o644)
        os.replace(temporary, folder / f"{task.stem}.ipynb")
    except Exception as failure:  # the notebook could not even start or be read
        Path(temporary).unlink(missing_ok=True)
        error = error or f"{type(failure).__name__}: {failure}"
        page = error_page(task, error)
    write_atomically(folder / f"{task.stem}.html", page)
    result = Result(task.folder, task.stem, "failed" if error else "built",
                    round(time.perf_counter() - started, 2), task.key, cell, error, task.label)
    write_atomically(manifest_path(out, task.folder, task.stem), json.dumps(asdict(result)))
    return result


# -- HTML ---------------------------------------------------------------------------------

PAGE_CSS = """
body{font-family:Arial,Helvetica,sans-serif;max-width:60rem;margin:1.5rem auto;padding:0 1rem;
color:#222;line-height:1.45}
nav{font-size:.9rem;margin-bottom:1rem} a{color:#0060a0}
table{border-collapse:collapse;margin:.8rem 0;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3} .ok{color:#006d2c} .failed{background:#fde0dd;color:#a50f15}
.banner{background:#fde0dd;border-left:.3rem solid #a50f15;padding:.6rem 1rem}
.jlnlearn-notice{background:#f7f7f7;border-left:.3rem solid #999;padding:.5rem 1rem}
pre{white-space:pre-wrap;background:#f7f7f7;padding:.5rem}
"""


def page_shell(title: str, body: str, depth: int, with_plotly: bool = False) -> str:
    """A complete offline HTML page; ``depth`` is how far below OUT the page sits."""
    up = "../" * depth
    script = f'<script src="{up}_static/plotly.min.js"></script>\n' if with_plotly else ""
    return (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{PAGE_CSS}</style>\n{script}</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")


def notebook_title(notebook) -> str:
    """The first Markdown heading of a notebook, or its file name."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#+\s+(.+)$", cell.source, re.MULTILINE)
            if match:
                return match.group(1).strip()
    return "report"


def plotly_outputs_to_html(notebook) -> None:
    """Turn plotly's mimetype outputs into divs drawn by the page's shared plotly.js.

    Live widgets need a kernel, so their outputs are dropped: each widget in a
    notebook is followed by its static twin.
    """
    import plotly.io as pio

    for index, cell in enumerate(notebook.cells):
        if "outputs" in cell:
            cell.outputs = [o for o in cell.outputs if WIDGET_MIMETYPE not in o.get("data", {})]
        for number, output in enumerate(cell.get("outputs", [])):
            data = output.get("data", {})
            if PLOTLY_MIMETYPE in data:
                figure = pio.from_json(json.dumps(data.pop(PLOTLY_MIMETYPE)), skip_invalid=True)
                data["text/html"] = pio.to_html(
                    figure, include_plotlyjs=False, full_html=False,
                    div_id=f"figure-{index}-{number}", config={"displaylogo": False})
                data.pop("text/plain", None)


def render_page(notebook, task: Task, error: str | None, cell: int | None) -> str:
    """The report page of an executed notebook: outputs and text, no code, no parameters."""
    from nbconvert import HTMLExporter

    title = notebook_title(notebook)
    notebook.cells = [c for c in notebook.cells if not REPORT_HIDDEN_TAGS & set(c.metadata.get("tags", []))]
    plotly_outputs_to_html(notebook)
    notebook.metadata.pop("widgets", None)  # widget state is useless without a kernel
    exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, anchor_link_text="")
    body, _ = exporter.from_notebook_node(notebook)
    banner = ""
    if error:
        where = f"code cell {cell}" if cell is not None else "a cell"
        banner = (f'<p class="banner">This page is incomplete: {where} failed with '
                  f"<code>{html.escape(error)}</code>. The output below stops there.</p>\n")
    body = NOTEBOOK_LINK.sub(lambda match: f'href="{"../" * task.depth}index.html#{match.group(1)}"', body)
    return page_shell(f"{task.label}: {title}" if task.label else title, navigation(task) + banner + body,
                      depth=task.depth, with_plotly=True)


#: A link to a notebook of the collection, as 00_start_here writes it for JupyterLab.
NOTEBOOK_LINK = re.compile(r'href="(?:\./)?(\d\d_\w+)\.ipynb"')


def navigation(task: Task) -> str:
    """The links above a page: the index, and the country's own page for a country report."""
    top = f'<a href="{"../" * task.depth}index.html">All countries</a>'
    if task.depth == 1:
        top += f' · <a href="index.html">{html.escape(task.label)}</a>'
    return f"<nav>{top}</nav>\n"


def error_page(task: Task, error: str) -> str:
    """The page of a notebook that could not run at all."""
    body = (navigation(task) + f"<h1>{html.escape(task.label or task.stem)}: {html.escape(task.stem)}</h1>\n"
            f'<p class="banner">The notebook could not be run: <code>{html.escape(error)}</code></p>')
    return page_shell(f"{task.label or task.stem}: {task.stem}", body, depth=task.depth)


def source_rows(source_ids: Iterable[str]) -> str:
    """HTML list items for sources, in id order, with links."""
    table = load("sources").set_index("source_id")
    items = []
    for source_id in sorted(set(source_ids) & set(table.index)):
        source = table.loc[source_id]
        year = f", {source.year}" if not _missing(source.year) else ""
        url = str(source.url).split(" ; ")[0] if not _missing(source.url) else ""
        title = html.escape(str(source.title))
        linked = f'<a href="{html.escape(url)}">{title}</a>' if url else title
        items.append(f"<li>[{html.escape(source_id)}] {linked}. "
                     f"{html.escape(str(source.publisher))}{year}.</li>")
    return "<ul>\n" + "\n".join(items) + "\n</ul>"


def _missing(value: object) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


def country_source_ids(iso3: str) -> set[str]:
    """Sources behind a country's pages: its fact rows and the datasets of the derived tables."""
    cited: set[str] = set()
    for table in ["payment_mechanisms", "reforms", "covid_measures"]:
        rows = load(table)
        rows = rows[rows.iso3 == iso3]
        cited.update(rows.source_id.dropna())
        for ids in rows.more_source_ids.dropna():
            cited.update(ids.split(";"))
    for resource in schema.read_descriptor()["resources"]:
        cited.update(resource.get("jlnlearn:sourceIds", []))
    cited.update(load("indicators").query("iso3 == @iso3").source_id.unique())
    return cited


def status_cell(result: Result | None, href: str) -> str:
    if result is None:
        return "<td>not built</td>"
    css = "failed" if result.status == "failed" else "ok"
    label = "failed" if result.status == "failed" else "ok"
    return (f'<td class="{css}"><a href="{href}">{label}</a> '
            f"<small>{result.seconds:.1f} s</small></td>")


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


def write_indexes(out: Path, notebooks: Sequence[Path], pairing_stems: Sequence[str],
                  results: dict[tuple[str, str], Result], build_date: str) -> None:
    """Write each country's index page and the top index over everything built in ``out``.

    Pages an earlier build left (other countries, other notebooks, pairing
    packs, collection pages) stay listed: a build never hides what is there.
    """
    stems = [n.stem for n in notebooks]
    rows, shown = [], []
    for subject in countries():
        built = results_on_disk(out, subject.iso3, stems, results)
        if not built:
            continue
        shown += built.values()
        cells = "".join(status_cell(built.get(stem), f"{subject.iso3}/{stem}.html") for stem in stems)
        rows.append(f'<tr><td><a href="{subject.iso3}/index.html">{html.escape(subject.name)}</a></td>'
                    f"<td>{subject.iso3}</td>{cells}</tr>")
        links = "".join(
            f'<li><a href="{stem}.html">{html.escape(stem)}</a> ({html.escape(built[stem].status)})</li>'
            for stem in stems if stem in built)
        body = (f'<nav><a href="../index.html">All countries</a></nav>\n'
                f"<h1>{html.escape(subject.name)}</h1>\n<h2>Reports</h2>\n<ul>{links}</ul>\n"
                f"<h2>Sources</h2>\n{source_rows(country_source_ids(subject.iso3))}")
        write_atomically(out / subject.iso3 / "index.html",
                         page_shell(f"{subject.name}: reports", body, depth=1))
    pages = [result for path in sorted(out.glob(".*.json")) if (result := read_manifest(path))]
    packs = [result for path in sorted(out.glob("pairings/*/.*.json")) if (result := read_manifest(path))]
    shown += pages + packs
    start = "".join(f'<li id="{html.escape(r.stem)}"><a href="{html.escape(r.stem)}.html">'
                    f"{html.escape(r.stem)}</a> ({html.escape(r.status)})</li>" for r in pages)
    pack_items = "".join(
        f'<li><a href="{html.escape(r.folder)}/{html.escape(r.stem)}.html">{html.escape(r.label)}</a> '
        f'<span class="{"failed" if r.status == "failed" else "ok"}">{html.escape(r.status)}</span></li>'
        for r in packs) or "<li>None yet: <code>jlnlearn reports --pairing GHA,KEN --topic capitation</code></li>"
    anchors = "".join(f'<span id="{html.escape(stem)}"></span>' for stem in pairing_stems)
    header = "".join(f'<th id="{html.escape(stem)}">{html.escape(stem)}</th>' for stem in stems)
    failures = sum(r.status == "failed" for r in shown)
    body = ("<h1>Country reports</h1>\n"
            + (f"<ul>{start}</ul>\n" if start else "")
            + f"<p>Built {html.escape(build_date)}: {len(rows)} countries, "
            f"{len(stems)} notebooks, {len(packs)} pairing packs, {failures} failed. The PHC Financing "
            f"and Payment collaborative's countries come first.</p>\n"
            f"<table>\n<tr><th>country</th><th>ISO3</th>{header}</tr>\n" + "\n".join(rows)
            + f"\n</table>\n<h2 id=\"pairing-packs\">Pairing packs</h2>{anchors}\n<ul>{pack_items}</ul>\n"
            + "<h2>Datasets used</h2>\n"
            + source_rows(s for r in schema.read_descriptor()["resources"]
                          for s in r.get("jlnlearn:sourceIds", []))
            + "\n<p>Each country's page lists the sources of its facts.</p>")
    write_atomically(out / "index.html", page_shell("Country reports", body, depth=0))


def write_plotly_js(out: Path) -> None:
    """One shared copy of plotly.js for every page (rewritten only when it changes)."""
    from plotly.offline import get_plotlyjs

    target = out / "_static" / "plotly.min.js"
    script = get_plotlyjs().encode("utf-8")
    if not target.is_file() or target.read_bytes() != script:
        write_atomically(target, script)


# -- the build ----------------------------------------------------------------------------

@dataclass
class Build:
    """The outcome of :func:`build_reports`."""

    results: list[Result]
    seconds: float
    index: Path

    @property
    def failures(self) -> list[Result]:
        return [r for r in self.results if r.status == "failed"]


def check_writable(out: Path) -> None:
    """Fail before any work if ``out`` cannot be created or written."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=out, prefix=".write-check.", suffix=".tmp")
        probe.close()
    except OSError as error:
        raise UsageError(f"cannot write to the output folder {out}: {error.strerror or error}") from error


def build_reports(country_spec: str = "all", notebook_spec: str = "all",
                  out: str | os.PathLike[str] = "build/reports", jobs: int | None = None,
                  force: bool = False, notebooks_dir: Path | None = None,
                  progress: Callable[[Iterable, int], Iterable] | None = None,
                  pairing: str | Sequence[str] | None = None, topic: str | None = None) -> Build:
    """Build the reports; see the module docstring. Bad usage raises before any work.

    With ``pairing`` (two or three countries) and ``topic``, build that pairing
    pack instead of country reports, into the same folder and index.
    """
    started = time.perf_counter()
    out = Path(out)
    folder = notebooks_dir or NOTEBOOKS_DIR
    packs = pairing_notebooks(folder)
    extra = extra_folder()
    if pairing is not None or topic is not None:
        if pairing is None or topic is None:
            raise UsageError("a pairing pack needs both --pairing (2 or 3 countries) and --topic")
        chosen_pair, key = parse_pairing(pairing), topic.strip().lower()
        pairing_topic(key)
        if not packs:
            raise UsageError(f"no pairing notebook (with countries and topic parameters) in {folder}")
        check_writable(out)
        tasks = [plan_pairing(chosen_pair, key, packs[0], extra)]
        notebooks = report_notebooks(folder)
    else:
        available = report_notebooks(folder)
        collection = collection_notebooks(folder)
        wanted = select_notebooks(notebook_spec, available + collection)
        chosen = select_countries(country_spec)
        notebooks = [n for n in wanted if n in available]
        check_writable(out)
        tasks = plan(chosen, notebooks, extra, [n for n in wanted if n in collection])
        notebooks = available
    remove_stale_temporaries(out)
    results: dict[tuple[str, str], Result] = {}
    todo = []
    for task in tasks:
        previous = None if force else previous_result(out, task)
        if previous is not None and previous.key == task.key and previous.status == "built":
            results[(task.folder, task.stem)] = Result(**{**asdict(previous), "status": "up to date"})
        else:
            todo.append(task)
    write_plotly_js(out)
    if todo:
        workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        context = multiprocessing.get_context("spawn")
        log = out.resolve() / "build.log"
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context,
                                                    initializer=quiet_worker,
                                                    initargs=(log,)) as pool:
            futures = [pool.submit(run_task, task, out.resolve()) for task in todo]
            done = concurrent.futures.as_completed(futures)
            for future in (progress(done, len(futures)) if progress else done):
                result = future.result()
                results[(result.folder, result.stem)] = result
    build_date = datetime.date.today().isoformat()
    write_indexes(out, notebooks, [p.stem for p in packs], results, build_date)
    ordered = [results[(t.folder, t.stem)] for t in tasks]
    return Build(ordered, time.perf_counter() - started, out / "index.html")
