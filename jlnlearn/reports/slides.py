"""A notebook's slide deck: reveal.js, offline, made from the same executed notebook as its page.

What goes on a slide is the notebook's to say, with nbconvert's cell metadata
(``slideshow.slide_type``: ``slide``, ``subslide``, ``fragment``, ``skip``,
``notes``); nbconvert's reveal templates group the cells. On top of that:

- what a page leaves out (parameters, solutions, what only works in a
  notebook) a deck leaves out too, and a facilitator cell becomes a speaker
  note (press ``s`` in the deck); a cell that shows nothing for the country
  (a question its data cannot ask) makes no slide;
- the charts are the page's, drawn by the folder's one shared plotly.js, and
  their data links point at the page's CSV files beside the deck;
- a table of more than :data:`MOST_ROWS` rows shows its first rows and says
  how many more are on the page, which it links: a slide is read from the
  back of a room.

reveal.js is vendored (``vendor/reveal``, refreshed by
``scripts/refresh_reveal_bundle.py``) and copied once into ``OUT/_static/reveal``.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

from bs4 import BeautifulSoup
from markupsafe import Markup, escape
from nbconvert import SlidesExporter

from jlnlearn.i18n import DEFAULT_LANGUAGE, _, labelled, language, ngettext, plotly_locale
from jlnlearn.names import contracted
from jlnlearn.reports.files import write_atomically
from jlnlearn.reports.pages import NOTEBOOK_LINK, REPORT_HIDDEN_TAGS, notebook_title, plotly_outputs_to_html
from jlnlearn.reports.plan import Task
from jlnlearn.reports.templates import TEMPLATES_DIR, asset, script_json

#: The most rows of a table one slide shows.
MOST_ROWS = 8
#: Cells a deck leaves out: those a page leaves out, except the facilitator's, which become speaker notes.
DECK_HIDDEN_TAGS = REPORT_HIDDEN_TAGS - {"facilitator"}
#: The vendored reveal.js files a deck loads, copied into ``OUT/_static/reveal``.
REVEAL = Path(__file__).resolve().parent / "vendor" / "reveal"
REVEAL_FILES = ("reveal.js", "reveal.css", "notes.js")


def deck_path(task: Task) -> str:
    """Where a task's deck goes, relative to OUT: beside its page.

    >>> deck_path(Task("SEN", "Senegal", Path("01_ppm_journey.ipynb"), "key"))
    'SEN/01_ppm_journey-slides.html'
    """
    return str(Path(task.folder) / f"{task.stem}-slides.html")


@functools.cache
def deck_exporter() -> SlidesExporter:
    """nbconvert's slides exporter with the decks' template (``templates/jlnlearn-slides``); made once."""
    return SlidesExporter(template_name="jlnlearn-slides", extra_template_basedirs=[str(TEMPLATES_DIR)],
                          exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                          anchor_link_text="¶")


def render_deck(notebook, task: Task) -> str:
    """The deck of an executed notebook (``notebook`` is not changed)."""
    deck = copy.deepcopy(notebook)
    deck.cells = [cell for cell in deck.cells if not DECK_HIDDEN_TAGS & set(cell.metadata.get("tags", []))
                  and (cell.cell_type != "code" or cell.get("outputs"))]  # a question the data cannot ask: no slide
    for cell in deck.cells:
        if "facilitator" in cell.metadata.get("tags", []):
            cell.metadata.setdefault("slideshow", {})["slide_type"] = "notes"
    charts = plotly_outputs_to_html(deck, task.stem)
    page = f"{task.stem}.html"
    for cell in deck.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if html is not None:
                output["data"]["text/html"] = shorten_tables("".join(html), page)
    deck.metadata.pop("widgets", None)
    locale = plotly_locale() if language() != DEFAULT_LANGUAGE else None
    title = notebook_title(deck)
    values = {"lang": language(), "title": labelled(task.label, title) if task.label else title,
              "up": "../" * task.depth, "with_plotly": bool(charts), "css": asset("slides.css"),
              "script": asset("slides.js"), "plotly_locale": script_json(locale) if locale else ""}
    body, _resources = deck_exporter().from_notebook_node(deck, resources={"jlnlearn": values})
    return contracted(NOTEBOOK_LINK.sub(lambda match: f'href="{"../" * task.depth}index.html#{match.group(1)}"', body))


def shorten_tables(html: str, page: str) -> str:
    """``html`` with every table of more than :data:`MOST_ROWS` rows cut to its first rows, followed by
    how many more the page (``page``, linked) shows; a chart's folded table of points is left whole.

    >>> rows = "".join(f"<tr><td>{n}</td></tr>" for n in range(10))
    >>> print(shorten_tables(f"<table><thead><tr><th>n</th></tr></thead><tbody>{rows}</tbody></table>", "02.html"))
    ... # doctest: +NORMALIZE_WHITESPACE +ELLIPSIS
    <table><thead><tr><th>n</th></tr></thead><tbody><tr><td>0</td></tr>...<tr><td>7</td></tr></tbody></table><p
    class="jlnlearn-more-rows">2 more rows are on <a href="02.html">the page</a>.</p>
    """
    if "<table" not in html:
        return html
    soup = BeautifulSoup(html, "html.parser")
    changed = False
    for table in soup.find_all("table"):
        if table.find_parent("details") is not None:
            continue
        body = table.find("tbody") or table
        rows = body.find_all("tr", recursive=False)
        if len(rows) <= MOST_ROWS:
            continue
        for row in rows[MOST_ROWS:]:
            row.decompose()
        more = len(rows) - MOST_ROWS
        # TRANSLATORS: {n} is a number of table rows left off a slide; {page} the link to the lesson's page.
        words = ngettext("{n} more row is on {page}.", "{n} more rows are on {page}.", more)
        link = Markup('<a href="{}">{}</a>').format(page, _("the page"))
        note = Markup('<p class="jlnlearn-more-rows">{}</p>').format(escape(words).format(n=more, page=link))
        table.insert_after(BeautifulSoup(str(note), "html.parser"))
        changed = True
    return str(soup) if changed else html


def write_reveal(out: Path) -> None:
    """The reveal.js files every deck loads, in ``OUT/_static/reveal`` (rewritten only when they change)."""
    for name in REVEAL_FILES:
        target = out / "_static" / "reveal" / name
        content = (REVEAL / name).read_bytes()
        if not target.is_file() or target.read_bytes() != content:
            write_atomically(target, content)
