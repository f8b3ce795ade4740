"""A notebook's page: its outputs in the page frame, charts drawn by the shared plotly.js, and the error page.

Pages work offline from ``file://``: they load the one shared copy of
plotly.js by relative path (``depth`` says how far below OUT a page sits).
Their markup comes from the templates (:mod:`jlnlearn.reports.templates`),
which escape every text from the data or a notebook. In print, a cell tagged
``screen-only`` is left out and one tagged ``print-only`` is shown (it is
hidden on screen); a brief (:data:`BRIEF_PAGE`) prints compact, on one page.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import plotly.io as pio
from markupsafe import Markup
from nbconvert import HTMLExporter
from plotly.offline import get_plotlyjs, get_plotlyjs_version

from jlnlearn.i18n import DEFAULT_LANGUAGE, _, labelled, language, plotly_locale
from jlnlearn.names import contracted
from jlnlearn.present import escape_html
from jlnlearn.reports.chartdata import chart_csv, chart_summary, points_table
from jlnlearn.reports.files import write_atomically
from jlnlearn.reports.plan import Task
from jlnlearn.reports.templates import render, render_macro

PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
WIDGET_MIMETYPE = "application/vnd.jupyter.widget-view+json"
#: Cells left out of report pages: parameters, what only facilitators should see, and what only works in a
#: notebook (running cells, Python calls, forms that save files: ``notebook-only``).
REPORT_HIDDEN_TAGS = {"parameters", "injected-parameters", "solution", "facilitator", "notebook-only"}

#: The notebook metadata (``"jlnlearn": {"page": "brief"}``) of a country's one-page brief, which
#: prints on one page of A4 or US Letter (``templates/brief.css``; what it shows in print is set by its
#: cells' tags, ``screen-only`` and ``print-only``).
BRIEF_PAGE = "brief"


def tags(cell: Any) -> set[str]:
    """A cell's tags (``cell`` as nbformat reads it, or as the notebook file's JSON)."""
    return set(cell.get("metadata", {}).get("tags", []))


def page_shell(title: str, body: str, depth: int, with_plotly: bool = False, kind: str = "") -> str:
    """A complete offline HTML page (``templates/page.html.j2``); ``depth`` is how far below OUT the
    page sits, ``kind`` its body's class (:data:`BRIEF_PAGE` for a brief), ``body`` its markup.

    >>> '<body class="brief">' in page_shell("A brief", "<p>hi</p>\\n", depth=1, kind=BRIEF_PAGE)
    True
    """
    return render("page.html.j2", lang=language(), title=title, body=Markup(body), up="../" * depth,
                  with_plotly=with_plotly, kind=kind,
                  plotly_locale=plotly_locale() if language() != DEFAULT_LANGUAGE else None)


#: A Markdown heading line.
HEADING = re.compile(r"^#+\s+(.+)$", re.MULTILINE)


def first_heading(markdown_sources: Iterable[str]) -> str | None:
    """The text of the first heading in some Markdown cells' sources, or ``None``.

    >>> first_heading(["Some text", "## Country profile\\nmore"])
    'Country profile'
    """
    return next((match.group(1).strip() for source in markdown_sources if (match := HEADING.search(source))),
                None)


def notebook_title(notebook) -> str:
    """The first Markdown heading of a notebook, or ``report``."""
    return first_heading(cell.source for cell in notebook.cells if cell.cell_type == "markdown") or "report"


#: Where a figure's template is read from in the page, once for every figure that shares it.
SHARED_TEMPLATE = "jlnlearnTemplate"
SHARED_MARK = f"@{SHARED_TEMPLATE}@"
SHARED_TEMPLATE_JSON = re.compile(r'\{\s*"name":\s*"' + SHARED_MARK + r'"\s*\}')


def plotly_outputs_to_html(notebook, stem: str) -> dict[str, str]:
    """Turn plotly's mimetype outputs into divs drawn by the page's shared plotly.js.

    Each chart is captioned with what it shows and links to its data, a CSV
    file named ``<stem>-chart-<n>.csv`` beside the page; returns those files'
    text by name. The figures of a page share one template, written once
    before the first (each figure would otherwise carry its own copy). Live
    widgets need a kernel, so their outputs are dropped: each widget in a
    notebook is followed by its static twin.
    """
    downloads: dict[str, str] = {}
    shared = None
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
                               div_id=f"figure-{index}-{number}", config=figure_config())
            html = SHARED_TEMPLATE_JSON.sub(f"window.{SHARED_TEMPLATE}", html)
            if first:
                html = f"<script>window.{SHARED_TEMPLATE} = {json.dumps(shared)};</script>\n{html}"
            name = f"{stem}-chart-{len(downloads) + 1}.csv"
            downloads[name] = chart_csv(figure)
            data["text/html"] = str(render_macro("figure", summary=chart_summary(figure), chart=Markup(html),
                                                 csv=name, table=points_table(figure)))
            data.pop("text/plain", None)
    return downloads


@functools.cache
def page_exporter():
    """nbconvert's exporter of report pages: outputs only; made once per process (its templates compile)."""
    return HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                        exclude_output_prompt=True, anchor_link_text="¶")


def render_page(notebook, task: Task, error: str | None, cell: int | None) -> tuple[str, dict[str, str]]:
    """The report page of an executed notebook (outputs and text, no code, no parameters), and
    the CSV files of its charts' data, by name in the page's folder."""
    title = notebook_title(notebook)
    kind = BRIEF_PAGE if notebook.metadata.get("jlnlearn", {}).get("page") == BRIEF_PAGE else ""
    notebook.cells = [c for c in notebook.cells if not REPORT_HIDDEN_TAGS & set(c.metadata.get("tags", []))]
    downloads = plotly_outputs_to_html(notebook, task.stem)
    notebook.metadata.pop("widgets", None)  # widget state is useless without a kernel
    body, _resources = page_exporter().from_notebook_node(notebook)
    body = contracted(NOTEBOOK_LINK.sub(lambda match: f'href="{"../" * task.depth}index.html#{match.group(1)}"', body))
    where = _("code cell {number}").format(number=cell) if cell is not None else _("a cell")
    body = render("lesson.html.j2", navigation=navigation(task), error=error and code(error), where=where,
                  body=Markup(body))
    page = page_shell(labelled(task.label, title) if task.label else title, body,
                      depth=task.depth, with_plotly=bool(downloads), kind=kind)  # 4.6 MB only where a chart needs it
    return page, downloads


def code(text: str) -> Markup:
    """``text`` as code in a sentence."""
    return Markup("<code>{}</code>").format(Markup(escape_html(text)))


#: A link to a notebook of the collection, as 00_start_here writes it for JupyterLab.
NOTEBOOK_LINK = re.compile(r'href="(?:\./)?(\d\d_\w+)\.ipynb"')


def navigation(task: Task) -> Markup:
    """The links above a page: the index, and the country's own page for a country report; on a
    translated page, the notice that facts keep their sources' English."""
    return render_macro("navigation", up="../" * task.depth, label=task.label, depth=task.depth,
                        translated=language() != DEFAULT_LANGUAGE)


def figure_config() -> dict[str, object]:
    """plotly's options for a page's figures: no logo, and the reader's language for dates."""
    config: dict[str, object] = {"displaylogo": False}
    if language() != DEFAULT_LANGUAGE:
        config["locale"] = language()
    return config


def error_page(task: Task, error: str) -> str:
    """The page of a notebook that could not run at all."""
    body = render("error.html.j2", navigation=navigation(task), heading=task.label or task.stem, stem=task.stem,
                  error=code(error))
    return page_shell(labelled(task.label or task.stem, task.stem), body, depth=task.depth)


#: plotly's own partial "basic" bundle (bar, scatter and pie traces: the charts use no other, see
#: :data:`jlnlearn.charts.theme.TRACE_TYPES`), a quarter of the full plotly.js; refreshed from its npm
#: package by ``scripts/refresh_plotly_bundle.py``.
PARTIAL_BUNDLE = Path(__file__).resolve().parent / "vendor" / "plotly-basic.min.js"


def plotly_script() -> bytes:
    """The plotly.js every page loads: the partial bundle when it is the plotly.js version (major and
    minor) the installed ``plotly`` writes figures for, else the full plotly.js that ``plotly`` carries.

    >>> plotly_script()[:60].decode().splitlines()[1]
    '* plotly.js (basic - minified) v4.1.1'
    """
    bundled = PARTIAL_BUNDLE.read_bytes()
    found = re.search(rb"plotly\.js \(basic - minified\) v(\d+\.\d+)\.", bundled[:200])
    if found and found.group(1).decode() == ".".join(get_plotlyjs_version().split(".")[:2]):
        return bundled
    return get_plotlyjs().encode("utf-8")


def write_plotly_js(out: Path) -> None:
    """One shared copy of plotly.js for every page (rewritten only when it changes)."""
    target = out / "_static" / "plotly.min.js"
    script = plotly_script()
    if not target.is_file() or target.read_bytes() != script:
        write_atomically(target, script)
