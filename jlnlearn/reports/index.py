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
from markupsafe import Markup

from jlnlearn.data import schema
from jlnlearn.data.countries import GROUPS, Country, countries, group_of, normalise
from jlnlearn.data.loading import load
from jlnlearn.data.sources import Citations
from jlnlearn.i18n import _, ngettext
from jlnlearn.present import escape_html
from jlnlearn.present.sentences import headline_numbers
from jlnlearn.reports.files import write_atomically
from jlnlearn.reports.guidelinks import GUIDE_FOLDER
from jlnlearn.reports.pages import first_heading, page_shell
from jlnlearn.reports.plan import Result, Status, page_manifests, read_manifest, results_on_disk
from jlnlearn.reports.templates import render, translated


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
    return " | ".join(normalise(name) for name in dict.fromkeys((subject.name, subject.english_name, subject.iso3,
                                                                  *subject.aliases)))


def source_rows(source_ids: Iterable[str]) -> list[dict[str, object]]:
    """The rows of ``sources.csv`` for ``source_ids``, in id order, as a source list shows them:
    ``source_id, title, url`` (the first address, or empty), ``publisher, year`` (or empty)."""
    table = load("sources").set_index("source_id")
    rows = []
    for source_id in sorted(set(source_ids) & set(table.index)):
        source = table.loc[source_id]
        rows.append({"source_id": source_id, "title": str(source.title), "publisher": str(source.publisher),
                     "url": str(source.url).split(" ; ")[0] if not pd.isna(source.url) else "",
                     "year": "" if pd.isna(source.year) else source.year})
    return rows


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


def guide_link(out: Path) -> Markup | None:
    """The top index's link to the facilitator guide, when the guide is in ``out``.

    >>> import tempfile
    >>> guide_link(Path(tempfile.mkdtemp())) is None
    True
    """
    if not (out / GUIDE_FOLDER / "index.html").is_file():
        return None
    return Markup('<a href="{}/index.html">{}</a>').format(GUIDE_FOLDER, Markup(escape_html(_("Facilitator guide"))))


def deck_of(decks: set[str], folder: str, stem: str) -> str | None:
    """The path of a page's slide deck, relative to OUT, when one was built beside it.

    >>> deck_of({"PHL/01_ppm_journey-slides.html"}, "PHL", "01_ppm_journey"), deck_of(set(), "PHL", "01")
    ('PHL/01_ppm_journey-slides.html', None)
    """
    path = f"{folder}/{stem}-slides.html"
    return path if path in decks else None


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
    rows: list[dict[str, object]] = []
    shown: list[Result] = []
    decks = {path.relative_to(out).as_posix() for path in out.glob("*/*-slides.html")}
    decks |= {path.relative_to(out).as_posix() for path in out.glob("pairings/*/*-slides.html")}
    decks |= {path.name for path in out.glob("*-slides.html")}  # the collection pages' decks
    group = None
    ordered = sorted(countries(), key=lambda c: (GROUP_ORDER[group_of(c)], normalise(c.name)))
    for subject in ordered:
        built = results_on_disk(out, subject.iso3, stems, results)
        if not built:
            continue
        if group_of(subject) != group:
            group = group_of(subject)
            rows.append({"group": group})
        shown += built.values()
        numbers = headline_numbers(subject)
        rows.append({"group": None, "names": search_names(subject), "iso3": subject.iso3, "name": subject.name,
                     "numbers": numbers, "cells": [{"result": built.get(stem), "href": f"{subject.iso3}/{stem}.html",
                                                    "deck": deck_of(decks, subject.iso3, stem)} for stem in stems]})
        lessons = [{"stem": stem, "title": titles[stem], "status": built[stem].status,
                    "deck": deck_of(decks, subject.iso3, stem)} for stem in stems if stem in built]
        body = render("country.html.j2", name=subject.name, iso3=subject.iso3, numbers=numbers, lessons=lessons,
                      sources_cited=source_rows(country_source_ids(subject.iso3)))
        try:
            write_atomically(out / subject.iso3 / "index.html",
                             page_shell(_("{country}: reports").format(country=subject.name), body, depth=1))
        except OSError as error:
            unwritten.append(f"{subject.iso3}/index.html: {error.strerror or error}")
    pages = [result for path in page_manifests(out, ".*.json") if (result := read_manifest(path))]
    packs = [result for path in page_manifests(out, "pairings/*/.*.json") if (result := read_manifest(path))]
    shown += pages + packs
    failures = sum(r.status == Status.FAILED for r in shown)
    country_count = sum(row["group"] is None for row in rows)
    counts = translated("Built {date}: {countries}, {notebooks}, {packs}, {failed}.", date=build_date,
                        countries=ngettext("{n} country", "{n} countries", country_count).format(n=country_count),
                        notebooks=ngettext("{n} notebook", "{n} notebooks", len(stems)).format(n=len(stems)),
                        packs=ngettext("{n} pairing pack", "{n} pairing packs", len(packs)).format(n=len(packs)),
                        failed=ngettext("{n} failed", "{n} failed", failures).format(n=failures))
    datasets = source_rows(s for r in schema.read_descriptor()["resources"] for s in r.get("jlnlearn:sourceIds", []))
    body = render("index.html.j2", guide=guide_link(out), collection=pages, decks=decks, counts=counts, rows=rows,
                  columns=[{"stem": stem, "title": titles[stem]} for stem in stems], pairing_stems=pairing_stems,
                  packs=[{"result": pack, "deck": deck_of(decks, pack.folder, pack.stem)} for pack in packs],
                  datasets=datasets)
    write_atomically(out / "index.html", page_shell(_("Country reports"), body, depth=0))
    return unwritten
