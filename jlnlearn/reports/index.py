"""The indexes of a build: the top page a person starts from, and each country's page.

The top index lists the notebooks by their titles and the countries in their
groups (the PHC collaborative first), each with its headline numbers and
their years, and a filter box that finds a country by its name, code or any
alias as one types (plain JavaScript in the page, so it works offline).
Build status stays in the table, in small type. When the facilitator guide
is in the folder (``OUT/guide/``), the top index links it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from jlnlearn.data import schema
from jlnlearn.data.countries import GROUPS, Country, countries, group_of, normalise
from jlnlearn.data.loading import load
from jlnlearn.data.sources import Citations
from jlnlearn.i18n import _, ngettext, number
from jlnlearn.present import escape_html
from jlnlearn.present.sentences import headline_numbers
from jlnlearn.reports.files import write_atomically
from jlnlearn.reports.guidelinks import GUIDE_FOLDER
from jlnlearn.reports.html import first_heading, page_shell
from jlnlearn.reports.languages import EMPTY_LINKS
from jlnlearn.reports.plan import Result, Status, read_manifest, results_on_disk

#: The filter box: hides the rows whose names do not hold what is typed (case and accents ignored),
#: and a group's heading when none of its countries is shown.
FILTER_SCRIPT = """
<script>
(function () {
  const box = document.getElementById('country-filter');
  const fold = text => text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ').trim();
  box.addEventListener('input', () => {
    const wanted = fold(box.value);
    let heading = null, any = false, shown = 0;
    const finish = () => { if (heading) heading.hidden = !any; };
    for (const row of document.querySelectorAll('#countries tr[data-names], #countries tr.group')) {
      if (row.classList.contains('group')) { finish(); heading = row; any = false; continue; }
      const match = !wanted || row.dataset.names.includes(wanted);
      row.hidden = !match; any = any || match; shown += match;
    }
    finish();
    const words = box.dataset;
    document.getElementById('filter-count').textContent =
      wanted ? (shown === 1 ? words.one : words.many).replace('{n}', shown) : '';
  });
})();
</script>
"""


def notebook_titles(notebooks: Sequence[Path]) -> dict[str, str]:
    """Each notebook's title, its first Markdown heading, by file stem (the stem where it has none).

    >>> from jlnlearn.reports.plan import NOTEBOOKS_DIR
    >>> notebook_titles([NOTEBOOKS_DIR / "06_country_profile.ipynb"])
    {'06_country_profile': '06 Country profile'}
    """
    titles = {}
    for path in notebooks:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        title = first_heading("".join(cell["source"]) for cell in cells
                              if cell.get("cell_type") == "markdown") or path.stem
        number = re.match(r"\d+", path.stem)
        titles[path.stem] = f"{number.group()} {title}" if number and title != path.stem else title
    return titles


def search_names(subject: Country) -> str:
    """What the filter box matches for a country: its name, code and aliases, folded."""
    return " | ".join(normalise(name) for name in (subject.name, subject.iso3, *subject.aliases))


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


#: Countries are listed by group (the collaborative first), then alphabetically.
GROUP_ORDER = {group: place for place, group in enumerate(GROUPS)}


def status_cell(result: Result | None, href: str) -> str:
    """The index's cell for one notebook of one country: its status, linked, and its time."""
    if result is None:
        return "<td>" + escape_html(_('not built')) + "</td>"
    css = "failed" if result.status == Status.FAILED else "ok"
    label = _("failed") if result.status == Status.FAILED else _("ok")
    return (f'<td class="{css}"><a href="{href}">{escape_html(label)}</a> '
            f"<small>{number(result.seconds, 1)} s</small></td>")


def guide_paragraph(out: Path) -> str:
    """The top index's link to the facilitator guide, when the guide is in ``out`` (else nothing).

    >>> import tempfile
    >>> guide_paragraph(Path(tempfile.mkdtemp()))
    ''
    """
    if not (out / GUIDE_FOLDER / "index.html").is_file():
        return ""
    link = f'<a href="{GUIDE_FOLDER}/index.html">' + escape_html(_("Facilitator guide")) + '</a>'
    return ('<p class="guide-link">' + escape_html(_(
        "{guide}: each lesson's objectives, timing and notes, and each exercise's solution with its answer."
    )).format(guide=link) + "</p>\n")


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
    titles = notebook_titles(notebooks)
    rows, shown = [], []
    group = None
    ordered = sorted(countries(), key=lambda c: (GROUP_ORDER[group_of(c)], normalise(c.name)))
    for subject in ordered:
        built = results_on_disk(out, subject.iso3, stems, results)
        if not built:
            continue
        if group_of(subject) != group:
            group = group_of(subject)
            rows.append(f'<tr class="group"><th colspan="{3 + len(stems)}">{escape_html(_(group))}</th></tr>')
        shown += built.values()
        numbers = escape_html(headline_numbers(subject))
        cells = "".join(status_cell(built.get(stem), f"{subject.iso3}/{stem}.html") for stem in stems)
        rows.append(f'<tr data-names="{escape_html(search_names(subject))}">'
                    f'<td><a href="{subject.iso3}/index.html">{escape_html(subject.name)}</a></td>'
                    f'<td>{subject.iso3}</td><td class="numbers">{numbers}</td>{cells}</tr>')
        links = "".join(
            f'<li><a href="{stem}.html">{escape_html(titles[stem])}</a> '
            f'<small>({escape_html(_(built[stem].status))})</small></li>'
            for stem in stems if stem in built)
        body = ('<nav><a href="../index.html">' + escape_html(_("All countries")) + f'</a></nav>\n'
                f"<h1>{escape_html(subject.name)}</h1>\n<p>{numbers}</p>\n"
                f"<h2>" + escape_html(_('Lessons')) + f"</h2>\n<ul>{links}</ul>\n"
                f"<h2>" + escape_html(_('Sources')) + f"</h2>\n{source_rows(country_source_ids(subject.iso3))}")
        try:
            write_atomically(out / subject.iso3 / "index.html",
                             page_shell(_("{country}: reports").format(country=subject.name), body, depth=1))
        except OSError as error:
            unwritten.append(f"{subject.iso3}/index.html: {error.strerror or error}")
    pages = [result for path in sorted(out.glob(".*.json")) if (result := read_manifest(path))]
    packs = [result for path in sorted(out.glob("pairings/*/.*.json")) if (result := read_manifest(path))]
    shown += pages + packs
    start = "".join(f'<li id="{escape_html(r.stem)}"><a href="{escape_html(r.stem)}.html">'
                    f"{escape_html(r.stem)}</a> ({escape_html(_(r.status))})</li>" for r in pages)
    pack_items = "".join(
        f'<li><a href="{escape_html(r.folder)}/{escape_html(r.stem)}.html">{escape_html(r.label)}</a> '
        f'<span class="{"failed" if r.status == Status.FAILED else "ok"}">{escape_html(_(r.status))}</span></li>'
        for r in packs) or ("<li>" + escape_html(_("None yet: {command}")).format(
            command="<code>jlnlearn reports --pairing GHA,KEN --topic capitation</code>") + "</li>")
    anchors = "".join(f'<span id="{escape_html(stem)}"></span>' for stem in pairing_stems)
    header = "".join(f'<th id="{escape_html(stem)}">{escape_html(titles[stem])}</th>' for stem in stems)
    failures = sum(r.status == Status.FAILED for r in shown)
    country_count = sum(not row.startswith('<tr class="group"') for row in rows)
    counts = _("Built {date}: {countries}, {notebooks}, {packs}, {failed}.").format(
        date=escape_html(build_date),
        countries=ngettext("{n} country", "{n} countries", country_count).format(n=country_count),
        notebooks=ngettext("{n} notebook", "{n} notebooks", len(stems)).format(n=len(stems)),
        packs=ngettext("{n} pairing pack", "{n} pairing packs", len(packs)).format(n=len(packs)),
        failed=ngettext("{n} failed", "{n} failed", failures).format(n=failures))
    order = _("The PHC Financing and Payment collaborative's countries come first, then the other "
              "documented JLN members, then the countries whose membership no source used documents.")
    filter_words = (' data-one="' + escape_html(_("{n} country shown")) + '"'
                    ' data-many="' + escape_html(_("{n} countries shown")) + '"')
    body = (f"{EMPTY_LINKS}<h1>" + escape_html(_('Country reports')) + "</h1>\n" + guide_paragraph(out)
            + (f"<ul>{start}</ul>\n" if start else "")
            + f"<p>{counts} {escape_html(order)}</p>\n"
            + '<p><label for="country-filter">' + escape_html(_("Find a country")) + '</label> '
            '<input type="search" id="country-filter" placeholder="' + escape_html(_("name, code or alias")) + f'" '
            f'autocomplete="off"{filter_words}> '
            '<span id="filter-count" aria-live="polite"></span></p>\n'
            f'<table id="countries">\n<tr><th>' + escape_html(_("country")) + '</th><th>ISO3</th>'
            '<th>' + escape_html(_("latest numbers (year)")) + f'</th>{header}</tr>\n'
            + "\n".join(rows)
            + "\n</table>\n<h2 id=\"pairing-packs\">" + escape_html(_('Pairing packs')) + f"</h2>{anchors}\n"
            f"<ul>{pack_items}</ul>\n"
            + "<h2>" + escape_html(_('Datasets used')) + "</h2>\n"
            + source_rows(s for r in schema.read_descriptor()["resources"]
                          for s in r.get("jlnlearn:sourceIds", []))
            + "\n<p>" + escape_html(_("Each country's page lists the sources of its facts.")) + "</p>"
            + FILTER_SCRIPT)
    write_atomically(out / "index.html", page_shell(_("Country reports"), body, depth=0))
    return unwritten
