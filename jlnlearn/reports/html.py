"""The HTML of a build: the page shell and its CSS, a notebook's page, the error page.

Pages work offline from ``file://``: they load the one shared copy of
plotly.js by relative path (``depth`` says how far below OUT a page sits),
and every text from the data or a notebook is escaped by
:func:`jlnlearn.present.escape_html`. In print, a cell tagged ``screen-only``
is left out and one tagged ``print-only`` is shown (it is hidden on screen);
a brief (:data:`BRIEF_PAGE`) prints compact, on one page.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from pathlib import Path

import plotly.io as pio
from nbconvert import HTMLExporter
from plotly.offline import get_plotlyjs

from jlnlearn.i18n import DEFAULT_LANGUAGE, _, language, plotly_locale
from jlnlearn.present import escape_html
from jlnlearn.reports.chartdata import chart_csv, chart_summary, points_table
from jlnlearn.reports.files import write_atomically
from jlnlearn.reports.plan import Task

PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
WIDGET_MIMETYPE = "application/vnd.jupyter.widget-view+json"
#: Cells left out of report pages: parameters, and what only facilitators should see.
REPORT_HIDDEN_TAGS = {"parameters", "injected-parameters", "solution", "facilitator"}

#: The notebook metadata (``"jlnlearn": {"page": "brief"}``) of a country's one-page brief.
BRIEF_PAGE = "brief"
#: A brief prints on one page, A4 or US Letter: what it shows in print is set by its cells' tags
#: (``screen-only``, ``print-only``); this makes it compact. ``--print-height`` is read before printing.
BRIEF_CSS = """
.brief .js-plotly-plot{--print-height:240px}
@media print{
@page{margin:11mm}
body.brief{font-size:9pt;line-height:1.3}
.brief h1{font-size:15pt;margin:0} .brief h2{font-size:11pt;margin:.45rem 0 .15rem} .brief p{margin:.2rem 0}
.brief table{font-size:8.5pt;margin:.25rem 0} .brief th,.brief td{padding:.08rem .35rem}
.brief :is(td,th):is(:first-child,:last-child){white-space:nowrap}
.brief figure.chart{margin:.15rem 0} .brief figure.chart figcaption{display:none}
.brief .jlnlearn-sources{font-size:7.5pt;line-height:1.25} .brief .jlnlearn-sources h2{font-size:9pt}
.brief .jlnlearn-sources ul{margin:0;padding:0} .brief .jlnlearn-sources li{display:inline}
.brief .jlnlearn-sources li+li::before{content:' · '}
}
"""
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
td.numbers{font-size:.85rem;min-width:12rem} td small,li small{color:#666}
figure.chart{margin:1rem 0} figure.chart figcaption{font-size:.85rem;color:#555}
.anchor-link{margin-left:.4rem;text-decoration:none;color:#767676;visibility:hidden}
:is(h1,h2,h3,h4):hover>.anchor-link,.anchor-link:focus{visibility:visible}
.output_html,.table-box{overflow-x:auto} .celltag_print-only{display:none}
.slider-keys{display:block;font-size:.85rem;color:#555} .slider-keys input{vertical-align:middle;width:12rem}
@media print{
@page{margin:14mm}
body{max-width:none;margin:0;padding:0;font-size:10.5pt}
nav,.anchor-link,.modebar-container,.updatemenu-container,.rangeslider-container,#country-filter,.slider-keys,
label[for=country-filter]{display:none!important}
a{color:inherit;text-decoration:none}
h1,h2,h3{break-after:avoid} tr,li,.jlnlearn-notice,.plotly-graph-div{break-inside:avoid}
.output_html{overflow:visible} table{font-size:9pt} thead{display:table-header-group}
.celltag_screen-only{display:none!important} .celltag_print-only{display:block!important}
}
"""
#: The CSS a page of each kind adds to :data:`PAGE_CSS`.
KIND_CSS = {BRIEF_PAGE: BRIEF_CSS}
#: Charts are drawn for the screen's width; before printing, they are redrawn for the paper's, and
#: a chart whose CSS sets ``--print-height`` takes that height until printing is over.
PRINT_RESIZE = """<script>
(function () {
  const charts = () => document.querySelectorAll('.js-plotly-plot');
  const printHeight = chart => parseFloat(getComputedStyle(chart).getPropertyValue('--print-height'));
  window.addEventListener('beforeprint', () => charts().forEach(chart => {
    if (printHeight(chart) && !chart.dataset.screenHeight) {
      chart.dataset.screenHeight = chart._fullLayout.height;
      Plotly.relayout(chart, {height: printHeight(chart)});
    }
    Plotly.Plots.resize(chart);
  }));
  window.addEventListener('afterprint', () => charts().forEach(chart => {
    if (chart.dataset.screenHeight) {
      Plotly.relayout(chart, {height: Number(chart.dataset.screenHeight)});
      delete chart.dataset.screenHeight;
    }
    Plotly.Plots.resize(chart);
  }));
})();
</script>
"""
#: A chart's slider takes no keyboard input: each gets a labelled range input under it that
#: does what the slider's steps do, and follows the slider when the mouse moves it.
KEYBOARD_SLIDERS = """<script>
window.addEventListener('load', () => document.querySelectorAll('.js-plotly-plot').forEach(chart => {
  ((chart.layout || {}).sliders || []).forEach((slider, number) => {
    const steps = slider.steps || [];
    if (!steps.length) return;
    const label = document.createElement('label');
    label.className = 'slider-keys';
    const words = document.documentElement.dataset;
    const name = ((slider.currentvalue || {}).prefix || words.step).replace(/\\s*:?\\s*$/, '');
    label.textContent = `${name} ${words.arrowKeys} `;
    const input = Object.assign(document.createElement('input'),
                                {type: 'range', min: 0, max: steps.length - 1, step: 1, value: slider.active || 0});
    const say = () => input.setAttribute('aria-valuetext', steps[input.value].label);
    input.addEventListener('input', () => {
      const step = steps[input.value];
      say();
      Plotly[step.method](chart, ...step.args);
      Plotly.relayout(chart, {[`sliders[${number}].active`]: Number(input.value)});
    });
    chart.on('plotly_sliderchange', event => {
      if ((event.slider._index ?? 0) === number) { input.value = event.slider.active; say(); }
    });
    say();
    label.append(input);
    chart.after(label);
  });
}));
</script>
"""


def page_shell(title: str, body: str, depth: int, with_plotly: bool = False, kind: str = "") -> str:
    """A complete offline HTML page; ``depth`` is how far below OUT the page sits, ``kind`` its
    body's class (:data:`BRIEF_PAGE` for a brief).

    >>> '<body class="brief">' in page_shell("A brief", "<p>hi</p>", depth=1, kind=BRIEF_PAGE)
    True
    """
    up = "../" * depth
    script = (f'<script src="{up}_static/plotly.min.js"></script>\n{plotly_locale_script()}'
              f"{PRINT_RESIZE}{KEYBOARD_SLIDERS}" if with_plotly else "")
    opening = f'<body class="{escape_html(kind)}">' if kind else "<body>"
    words = (' data-step="' + escape_html(_("Step:")) + '"'
             ' data-arrow-keys="' + escape_html(_("(arrow keys)")) + '"')
    return (f"<!DOCTYPE html>\n<html lang=\"{language()}\"{words}>\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape_html(title)}</title>\n<style>{PAGE_CSS}{KIND_CSS.get(kind, '')}</style>\n"
            f"{script}</head>\n{opening}\n{body}\n</body>\n</html>\n")


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
            summary = escape_html(chart_summary(figure))
            link = escape_html(_("The data behind this chart (CSV)"))
            data["text/html"] = (f'<figure class="chart" aria-label="{summary}">{html}<figcaption>{summary} '
                                 f'<a href="{name}" download>{link}</a>'
                                 f"{points_table(figure)}</figcaption></figure>")
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
    banner = ""
    if error:
        where = _("code cell {number}").format(number=cell) if cell is not None else _("a cell")
        banner = ('<p class="banner">' + _("This page is incomplete: {where} failed with {error}. The output "
                                           "below stops there.").format(
            where=where, error=f"<code>{escape_html(error)}</code>") + "</p>\n")
    body = NOTEBOOK_LINK.sub(lambda match: f'href="{"../" * task.depth}index.html#{match.group(1)}"', body)
    page = page_shell(f"{task.label}: {title}" if task.label else title, navigation(task) + banner + body,
                      depth=task.depth, with_plotly=bool(downloads), kind=kind)  # 4.6 MB only where a chart needs it
    return page, downloads


#: A link to a notebook of the collection, as 00_start_here writes it for JupyterLab.
NOTEBOOK_LINK = re.compile(r'href="(?:\./)?(\d\d_\w+)\.ipynb"')


def navigation(task: Task) -> str:
    """The links above a page: the index, and the country's own page for a country report."""
    top = f'<a href="{"../" * task.depth}index.html">' + escape_html(_("All countries")) + '</a>'
    if task.depth == 1:
        top += f' · <a href="index.html">{escape_html(task.label)}</a>'
    return f"<nav>{top}</nav>\n{translation_notice()}"


def translation_notice() -> str:
    """Said once on each page of a translated build: the facts keep the words of their sources."""
    if language() == DEFAULT_LANGUAGE:
        return ""
    return ('<p class="jlnlearn-notice translation">' + escape_html(_(
        "Facts from the data keep the wording of their sources, in English; the headers, categories "
        "and text around them are translated.")) + "</p>\n")


def figure_config() -> dict[str, object]:
    """plotly's options for a page's figures: no logo, and the reader's language for dates."""
    config: dict[str, object] = {"displaylogo": False}
    if language() != DEFAULT_LANGUAGE:
        config["locale"] = language()
    return config


def plotly_locale_script() -> str:
    """Registers the reader's month and day names and separators with plotly (nothing in English)."""
    if language() == DEFAULT_LANGUAGE:
        return ""
    return f"<script>Plotly.register({json.dumps(plotly_locale())});</script>\n"


def error_page(task: Task, error: str) -> str:
    """The page of a notebook that could not run at all."""
    body = (navigation(task) + f"<h1>{escape_html(task.label or task.stem)}: {escape_html(task.stem)}</h1>\n"
            '<p class="banner">' + _("The notebook could not be run: {error}").format(
                error=f"<code>{escape_html(error)}</code>") + "</p>")
    return page_shell(f"{task.label or task.stem}: {task.stem}", body, depth=task.depth)


def write_plotly_js(out: Path) -> None:
    """One shared copy of plotly.js for every page (rewritten only when it changes)."""
    target = out / "_static" / "plotly.min.js"
    script = get_plotlyjs().encode("utf-8")
    if not target.is_file() or target.read_bytes() != script:
        write_atomically(target, script)
