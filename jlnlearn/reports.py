"""Build every country's report: papermill runs, offline HTML pages and an index.

One task is one (country, notebook) pair. Tasks run in parallel worker
processes; a task whose inputs (notebook, parameters, data, package code) are
unchanged since its last successful build is skipped. A failing notebook does
not stop the others: its page shows the failing cell and error, the index marks
it, and the build reports it. Every file is written to a temporary name and
renamed, so an interrupted build leaves no half-written page.

Output layout::

    OUT/index.html                   countries x notebooks, status, time, sources
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
from dataclasses import asdict, dataclass
from pathlib import Path

from jlnlearn import schema
from jlnlearn.countries import Country, countries, country
from jlnlearn.data import extra_folder, load
from jlnlearn.errors import JlnlearnError

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
    """One notebook to run for one country."""

    iso3: str
    country_name: str
    notebook: Path
    key: str

    @property
    def stem(self) -> str:
        return self.notebook.stem


@dataclass(frozen=True)
class Result:
    """What happened to a task. ``status`` is built, up to date or failed."""

    iso3: str
    stem: str
    status: str
    seconds: float
    key: str
    cell: int | None = None
    error: str | None = None


# -- choosing what to build ---------------------------------------------------------------

def report_notebooks(folder: Path | None = None) -> list[Path]:
    """Notebooks in ``folder`` whose ``parameters`` cell defines ``country`` (papermill's view)."""
    import papermill

    folder = folder or NOTEBOOKS_DIR
    return [path for path in sorted(folder.glob("*.ipynb"))
            if "country" in papermill.inspect_notebook(str(path))]


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


def plan(chosen_countries: Sequence[Country], notebooks: Sequence[Path],
         extra: Path | None) -> list[Task]:
    """Every (country, notebook) task, each with the hash of its inputs."""
    shared = inputs_digest(extra)
    tasks = []
    for subject in chosen_countries:
        for notebook in notebooks:
            digest = hashlib.sha256(shared.encode())
            digest.update(notebook.read_bytes())
            digest.update(json.dumps({"country": subject.name}, sort_keys=True).encode())
            tasks.append(Task(subject.iso3, subject.name, notebook, digest.hexdigest()))
    return tasks


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


def manifest_path(out: Path, iso3: str, stem: str) -> Path:
    return out / iso3 / f".{stem}.json"


def previous_result(out: Path, task: Task) -> Result | None:
    """The recorded result of the task's last build, if its pages are still there."""
    path = manifest_path(out, task.iso3, task.stem)
    try:
        result = Result(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    pages = [out / task.iso3 / f"{task.stem}.html", out / task.iso3 / f"{task.stem}.ipynb"]
    return result if all(page.is_file() for page in pages) else None


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
                task.notebook, target, parameters={"country": task.country_name},
                kernel_name="python3", progress_bar=False, log_output=False,
                cwd=str(task.notebook.parent), shutdown_kernel="immediate",
                request_save_on_cell_execute=False, execution_timeout=CELL_TIMEOUT_SECONDS)
            return None, None
        except PapermillExecutionError as failure:
            return failure.exec_count, f"{failure.ename}: {failure.evalue}"
        except CellTimeoutError as stall:
            print(f"{task.iso3} {task.stem}: attempt {attempt} stalled: {stall}", file=sys.stderr)
            if attempt == ATTEMPTS:
                return None, f"a cell ran longer than {CELL_TIMEOUT_SECONDS} s, {ATTEMPTS} times"
    return None, None


def run_task(task: Task, out: Path) -> Result:
    """Execute the notebook for the country and write its .ipynb and .html."""
    import nbformat

    os.environ["PLOTLY_RENDERER"] = "plotly_mimetype"
    os.environ["JLNLEARN_STATIC_OUTPUT"] = "1"  # live widgets are no use without a kernel
    folder = out / task.iso3
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
    result = Result(task.iso3, task.stem, "failed" if error else "built",
                    round(time.perf_counter() - started, 2), task.key, cell, error)
    write_atomically(manifest_path(out, task.iso3, task.stem), json.dumps(asdict(result)))
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
    nav = (f'<nav><a href="../index.html">All countries</a> · '
           f'<a href="index.html">{html.escape(task.country_name)}</a></nav>\n')
    return page_shell(f"{task.country_name}: {title}", nav + banner + body, depth=1, with_plotly=True)


def error_page(task: Task, error: str) -> str:
    """The page of a notebook that could not run at all."""
    body = (f'<nav><a href="../index.html">All countries</a></nav>\n'
            f"<h1>{html.escape(task.country_name)}: {html.escape(task.stem)}</h1>\n"
            f'<p class="banner">The notebook could not be run: <code>{html.escape(error)}</code></p>')
    return page_shell(f"{task.country_name}: {task.stem}", body, depth=1)


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


def write_indexes(out: Path, chosen: Sequence[Country], notebooks: Sequence[Path],
                  results: dict[tuple[str, str], Result], build_date: str) -> None:
    """Write each country's index page and the top index over all of them."""
    stems = [n.stem for n in notebooks]
    rows = []
    for subject in chosen:
        cells = "".join(status_cell(results.get((subject.iso3, stem)), f"{subject.iso3}/{stem}.html")
                        for stem in stems)
        rows.append(f'<tr><td><a href="{subject.iso3}/index.html">{html.escape(subject.name)}</a></td>'
                    f"<td>{subject.iso3}</td>{cells}</tr>")
        links = "".join(
            f'<li><a href="{stem}.html">{html.escape(stem)}</a> '
            f"({html.escape(results[(subject.iso3, stem)].status) if (subject.iso3, stem) in results else 'not built'})</li>"
            for stem in stems)
        body = (f'<nav><a href="../index.html">All countries</a></nav>\n'
                f"<h1>{html.escape(subject.name)}</h1>\n<h2>Reports</h2>\n<ul>{links}</ul>\n"
                f"<h2>Sources</h2>\n{source_rows(country_source_ids(subject.iso3))}")
        write_atomically(out / subject.iso3 / "index.html",
                         page_shell(f"{subject.name}: reports", body, depth=1))
    header = "".join(f"<th>{html.escape(stem)}</th>" for stem in stems)
    failures = sum(r.status == "failed" for r in results.values())
    body = (f"<h1>Country reports</h1>\n<p>Built {html.escape(build_date)}: {len(chosen)} countries, "
            f"{len(stems)} notebooks, {failures} failed. The PHC Financing and Payment "
            f"collaborative's countries come first.</p>\n"
            f"<table>\n<tr><th>country</th><th>ISO3</th>{header}</tr>\n" + "\n".join(rows)
            + "\n</table>\n<h2>Datasets used</h2>\n"
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
                  progress: Callable[[Iterable, int], Iterable] | None = None) -> Build:
    """Build the reports; see the module docstring. Bad usage raises before any work."""
    started = time.perf_counter()
    out = Path(out)
    chosen = select_countries(country_spec)
    notebooks = select_notebooks(notebook_spec, report_notebooks(notebooks_dir or NOTEBOOKS_DIR))
    check_writable(out)
    remove_stale_temporaries(out)
    extra = extra_folder()
    tasks = plan(chosen, notebooks, extra)
    results: dict[tuple[str, str], Result] = {}
    todo = []
    for task in tasks:
        previous = None if force else previous_result(out, task)
        if previous is not None and previous.key == task.key and previous.status == "built":
            results[(task.iso3, task.stem)] = Result(**{**asdict(previous), "status": "up to date"})
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
                results[(result.iso3, result.stem)] = result
    build_date = datetime.date.today().isoformat()
    write_indexes(out, chosen, notebooks, results, build_date)
    ordered = [results[(t.iso3, t.stem)] for t in tasks]
    return Build(ordered, time.perf_counter() - started, out / "index.html")

