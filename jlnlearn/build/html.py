"""The HTML of a build: the page shell and its CSS, a notebook's page, the error page, the indexes.

Pages work offline from ``file://``: they load the one shared copy of
plotly.js by relative path (``depth`` says how far below OUT a page sits),
and every text from the data or a notebook is escaped by
:func:`jlnlearn.present.escape_html`.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd
import plotly.io as pio
from plotly.offline import get_plotlyjs

from jlnlearn.build.files import write_atomically
from jlnlearn.build.plan import Result, Status, Task, read_manifest, results_on_disk
from jlnlearn.data import schema
from jlnlearn.data.countries import countries, group_of
from jlnlearn.data.loading import load
from jlnlearn.data.sources import Citations
from jlnlearn.present import escape_html

PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
WIDGET_MIMETYPE = "application/vnd.jupyter.widget-view+json"
#: Cells left out of report pages: parameters, and what only facilitators should see.
REPORT_HIDDEN_TAGS = {"parameters", "injected-parameters", "solution", "facilitator"}

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
            f"<title>{escape_html(title)}</title>\n<style>{PAGE_CSS}</style>\n{script}</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")


def notebook_title(notebook) -> str:
    """The first Markdown heading of a notebook, or its file name."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#+\s+(.+)$", cell.source, re.MULTILINE)
            if match:
                return match.group(1).strip()
    return "report"


#: Where a figure's template is read from in the page, once for every figure that shares it.
SHARED_TEMPLATE = "jlnlearnTemplate"
SHARED_MARK = f"@{SHARED_TEMPLATE}@"
SHARED_TEMPLATE_JSON = re.compile(r'\{\s*"name":\s*"' + SHARED_MARK + r'"\s*\}')


def plotly_outputs_to_html(notebook) -> int:
    """Turn plotly's mimetype outputs into divs drawn by the page's shared plotly.js; how many.

    The figures of a page share one template, written once before the first
    (each figure would otherwise carry its own copy). Live widgets need a
    kernel, so their outputs are dropped: each widget in a notebook is
    followed by its static twin.
    """
    figures, shared = 0, None
    for index, cell in enumerate(notebook.cells):
        if "outputs" in cell:
            cell.outputs = [o for o in cell.outputs if WIDGET_MIMETYPE not in o.get("data", {})]
        for number, output in enumerate(cell.get("outputs", [])):
            data = output.get("data", {})
            if PLOTLY_MIMETYPE not in data:
                continue
            figure = data.pop(PLOTLY_MIMETYPE)  # plotly made it: drawn as it is, not checked again
            figure = {key: figure[key] for key in ("data", "layout", "frames") if key in figure}
            template = figure.get("layout", {}).get("template")
            first = shared is None and template is not None
            if first:
                shared = template
            if template is not None and template == shared:
                figure["layout"] = {**figure["layout"], "template": {"name": SHARED_MARK}}
            html = pio.to_html(figure, validate=False, include_plotlyjs=False, full_html=False,
                               div_id=f"figure-{index}-{number}", config={"displaylogo": False})
            html = SHARED_TEMPLATE_JSON.sub(f"window.{SHARED_TEMPLATE}", html)
            if first:
                html = f"<script>window.{SHARED_TEMPLATE} = {json.dumps(shared)};</script>\n{html}"
            data["text/html"] = html
            data.pop("text/plain", None)
            figures += 1
    return figures


@functools.cache
def page_exporter():
    """nbconvert's exporter of report pages: outputs only; made once per process (its templates compile)."""
    from nbconvert import HTMLExporter  # heavy: only in the workers that render pages

    return HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                        exclude_output_prompt=True, anchor_link_text="")


def render_page(notebook, task: Task, error: str | None, cell: int | None) -> str:
    """The report page of an executed notebook: outputs and text, no code, no parameters."""
    title = notebook_title(notebook)
    notebook.cells = [c for c in notebook.cells if not REPORT_HIDDEN_TAGS & set(c.metadata.get("tags", []))]
    figures = plotly_outputs_to_html(notebook)
    notebook.metadata.pop("widgets", None)  # widget state is useless without a kernel
    body, _ = page_exporter().from_notebook_node(notebook)
    banner = ""
    if error:
        where = f"code cell {cell}" if cell is not None else "a cell"
        banner = (f'<p class="banner">This page is incomplete: {where} failed with '
                  f"<code>{escape_html(error)}</code>. The output below stops there.</p>\n")
    body = NOTEBOOK_LINK.sub(lambda match: f'href="{"../" * task.depth}index.html#{match.group(1)}"', body)
    return page_shell(f"{task.label}: {title}" if task.label else title, navigation(task) + banner + body,
                      depth=task.depth, with_plotly=figures > 0)  # 4.6 MB only where a chart needs it


#: A link to a notebook of the collection, as 00_start_here writes it for JupyterLab.
NOTEBOOK_LINK = re.compile(r'href="(?:\./)?(\d\d_\w+)\.ipynb"')


def navigation(task: Task) -> str:
    """The links above a page: the index, and the country's own page for a country report."""
    top = f'<a href="{"../" * task.depth}index.html">All countries</a>'
    if task.depth == 1:
        top += f' · <a href="index.html">{escape_html(task.label)}</a>'
    return f"<nav>{top}</nav>\n"


def error_page(task: Task, error: str) -> str:
    """The page of a notebook that could not run at all."""
    body = (navigation(task) + f"<h1>{escape_html(task.label or task.stem)}: {escape_html(task.stem)}</h1>\n"
            f'<p class="banner">The notebook could not be run: <code>{escape_html(error)}</code></p>')
    return page_shell(f"{task.label or task.stem}: {task.stem}", body, depth=task.depth)


def source_rows(source_ids: Iterable[str]) -> str:
    """HTML list items for sources, in id order, with links."""
    table = load("sources").set_index("source_id")
    items = []
    for source_id in sorted(set(source_ids) & set(table.index)):
        source = table.loc[source_id]
        year = f", {source.year}" if not pd.isna(source.year) else ""
        url = str(source.url).split(" ; ")[0] if not pd.isna(source.url) else ""
        title = escape_html(str(source.title))
        linked = f'<a href="{escape_html(url)}">{title}</a>' if url else title
        items.append(f"<li>[{escape_html(source_id)}] {linked}. "
                     f"{escape_html(str(source.publisher))}{year}.</li>")
    return "<ul>\n" + "\n".join(items) + "\n</ul>"


def country_source_ids(iso3: str) -> set[str]:
    """Sources behind a country's pages: its fact rows and the datasets of the derived tables."""
    cited = Citations()
    for table in ["payment_mechanisms", "reforms", "covid_measures"]:
        rows = load(table)
        cited.add(rows[rows.iso3 == iso3])
    for resource in schema.read_descriptor()["resources"]:
        cited.add(resource.get("jlnlearn:sourceIds", []))
    cited.add(load("indicators").query("iso3 == @iso3").source_id.unique())
    return cited.ids


def status_cell(result: Result | None, href: str) -> str:
    """The index's cell for one notebook of one country: its status, linked, and its time."""
    if result is None:
        return "<td>not built</td>"
    css = "failed" if result.status == Status.FAILED else "ok"
    label = "failed" if result.status == Status.FAILED else "ok"
    return (f'<td class="{css}"><a href="{href}">{label}</a> '
            f"<small>{result.seconds:.1f} s</small></td>")


def write_indexes(out: Path, notebooks: Sequence[Path], pairing_stems: Sequence[str],
                  results: dict[tuple[str, str], Result], build_date: str) -> list[str]:
    """Write each country's index page and the top index over everything built in ``out``.

    Pages an earlier build left (other countries, other notebooks, pairing
    packs, collection pages) stay listed: a build never hides what is there.
    A country index that cannot be written is skipped; returns what could not
    be written, and why. The top index is written last; if it cannot be,
    :class:`OSError` is raised.
    """
    unwritten = []
    stems = [n.stem for n in notebooks]
    rows, shown = [], []
    group = None
    for subject in countries():
        built = results_on_disk(out, subject.iso3, stems, results)
        if not built:
            continue
        if group_of(subject) != group:
            group = group_of(subject)
            rows.append(f'<tr class="group"><th colspan="{2 + len(stems)}">{escape_html(group)}</th></tr>')
        shown += built.values()
        cells = "".join(status_cell(built.get(stem), f"{subject.iso3}/{stem}.html") for stem in stems)
        rows.append(f'<tr><td><a href="{subject.iso3}/index.html">{escape_html(subject.name)}</a></td>'
                    f"<td>{subject.iso3}</td>{cells}</tr>")
        links = "".join(
            f'<li><a href="{stem}.html">{escape_html(stem)}</a> ({escape_html(built[stem].status)})</li>'
            for stem in stems if stem in built)
        body = (f'<nav><a href="../index.html">All countries</a></nav>\n'
                f"<h1>{escape_html(subject.name)}</h1>\n<h2>Reports</h2>\n<ul>{links}</ul>\n"
                f"<h2>Sources</h2>\n{source_rows(country_source_ids(subject.iso3))}")
        try:
            write_atomically(out / subject.iso3 / "index.html",
                             page_shell(f"{subject.name}: reports", body, depth=1))
        except OSError as error:
            unwritten.append(f"{subject.iso3}/index.html: {error.strerror or error}")
    pages = [result for path in sorted(out.glob(".*.json")) if (result := read_manifest(path))]
    packs = [result for path in sorted(out.glob("pairings/*/.*.json")) if (result := read_manifest(path))]
    shown += pages + packs
    start = "".join(f'<li id="{escape_html(r.stem)}"><a href="{escape_html(r.stem)}.html">'
                    f"{escape_html(r.stem)}</a> ({escape_html(r.status)})</li>" for r in pages)
    pack_items = "".join(
        f'<li><a href="{escape_html(r.folder)}/{escape_html(r.stem)}.html">{escape_html(r.label)}</a> '
        f'<span class="{"failed" if r.status == Status.FAILED else "ok"}">{escape_html(r.status)}</span></li>'
        for r in packs) or "<li>None yet: <code>jlnlearn reports --pairing GHA,KEN --topic capitation</code></li>"
    anchors = "".join(f'<span id="{escape_html(stem)}"></span>' for stem in pairing_stems)
    header = "".join(f'<th id="{escape_html(stem)}">{escape_html(stem)}</th>' for stem in stems)
    failures = sum(r.status == Status.FAILED for r in shown)
    country_count = sum(not row.startswith('<tr class="group"') for row in rows)
    body = ("<h1>Country reports</h1>\n"
            + (f"<ul>{start}</ul>\n" if start else "")
            + f"<p>Built {escape_html(build_date)}: {country_count} countries, "
            f"{len(stems)} notebooks, {len(packs)} pairing packs, {failures} failed. The PHC Financing "
            f"and Payment collaborative's countries come first, then the other documented JLN members, "
            f"then the countries whose membership no source used documents.</p>\n"
            f"<table>\n<tr><th>country</th><th>ISO3</th>{header}</tr>\n" + "\n".join(rows)
            + f"\n</table>\n<h2 id=\"pairing-packs\">Pairing packs</h2>{anchors}\n<ul>{pack_items}</ul>\n"
            + "<h2>Datasets used</h2>\n"
            + source_rows(s for r in schema.read_descriptor()["resources"]
                          for s in r.get("jlnlearn:sourceIds", []))
            + "\n<p>Each country's page lists the sources of its facts.</p>")
    write_atomically(out / "index.html", page_shell("Country reports", body, depth=0))
    return unwritten


def write_plotly_js(out: Path) -> None:
    """One shared copy of plotly.js for every page (rewritten only when it changes)."""
    target = out / "_static" / "plotly.min.js"
    script = get_plotlyjs().encode("utf-8")
    if not target.is_file() or target.read_bytes() != script:
        write_atomically(target, script)
