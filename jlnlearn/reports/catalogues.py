"""Keep the translation catalogues in step with the English text: ``make catalogues``.

Two templates are extracted with Babel: ``jlnlearn.pot`` (every ``_()``,
``N_()`` and ``ngettext()`` of the package's modules and of the report
layer's Jinja templates, the column titles of
``data/datapackage.json`` and the categories its columns take) and
``notebooks.pot`` (the notebooks' paragraphs and prose literals, see
:mod:`jlnlearn.reports.translate`). Each language's PO files are then updated
from them: new entries arrive empty, entries whose English is gone are
dropped, translations already made are kept, and a translation whose English
changed is kept but marked for review (gettext's ``fuzzy`` flag), which no
build passes off as current. ``python -m jlnlearn.reports.catalogues`` does
both and lists, for each language, the messages it lacks or must review.
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import nbformat
import pandas as pd
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

from jlnlearn.data import schema
from jlnlearn.errors import CatalogueError
from jlnlearn.i18n import DEFAULT_LANGUAGE, LANGUAGES, LOCALE_DIR, catalogue_path, catalogue_problems, check_catalogues
from jlnlearn.present.labels import CODED_COLUMNS, OWN_WORDS
from jlnlearn.reports.files import write_atomically
from jlnlearn.reports.plan import NOTEBOOKS_DIR, PACKAGE_DIR
from jlnlearn.reports.translate import notebook_messages

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "translated": None}
#: Where the package's words are: its Python modules, and the report layer's Jinja templates.
METHODS = [("**.py", "python"), ("reports/templates/**.j2", "jinja2.ext:babel_extract")]
#: The templates are read as :func:`jlnlearn.reports.templates.environment` reads them.
TEMPLATE_OPTIONS = {"reports/templates/**.j2": {"trim_blocks": "true", "lstrip_blocks": "true"}}


def package_template() -> Catalog:
    """The package's messages: marked strings, column titles and descriptions (the fact form's hints),
    and categories."""
    template = Catalog(project="jlnlearn", domain="jlnlearn")
    for filename, line, message, comments, _context in extract_from_dir(
            PACKAGE_DIR, method_map=METHODS, options_map=TEMPLATE_OPTIONS, keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",)):
        template.add(message, locations=[(f"jlnlearn/{filename}", line)], auto_comments=comments)
    descriptor = schema.PACKAGE_DATA_DIR / schema.DESCRIPTOR_NAME
    for name, rows in OWN_WORDS.items():
        table, column = name.split(".")
        data = load_csv(schema.PACKAGE_DATA_DIR / f"{table}.csv")
        chosen = data if rows is None else data[data[rows[0]] == rows[1]]
        for text in chosen[column].dropna():
            template.add(text, locations=[(f"data/{table}.csv:{column}", 0)],
                         auto_comments=["the collection's own words in the data (a definition, a summary)"])
    for resource in json.loads(descriptor.read_text(encoding="utf-8"))["resources"]:
        for field in resource["schema"]["fields"]:
            where = [(f"data/datapackage.json:{resource['name']}.{field['name']}", 0)]
            if field.get("title"):
                template.add(field["title"], locations=where, auto_comments=["column title"])
            if field.get("description"):
                template.add(field["description"], locations=where,
                             auto_comments=["what a column holds, the hint in the fact form's empty box"])
            if f"{resource['name']}.{field['name']}" not in CODED_COLUMNS:
                for value in field.get("constraints", {}).get("enum", []):
                    if isinstance(value, str):
                        template.add(value, locations=where, auto_comments=["a category in the data"])
    return template


def load_csv(path: Path) -> pd.DataFrame:
    """A data file as text, as written (the catalogue holds the words, not typed values)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False).replace("", None)


def notebooks_template(folder: Path = NOTEBOOKS_DIR) -> Catalog:
    """The notebooks' paragraphs and prose literals, each located by notebook and cell."""
    template = Catalog(project="jlnlearn", domain="notebooks")
    for path in sorted(folder.glob("*.ipynb")):
        notebook = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        for message, cell in notebook_messages(notebook):
            template.add(message, locations=[(f"notebooks/{path.name}", cell)])
    return template


def templates() -> dict[str, Catalog]:
    return {"jlnlearn": package_template(), "notebooks": notebooks_template()}


def po_text(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, ignore_obsolete=True, include_previous=False)
    return buffer.getvalue()


#: Header lines that change on every extraction: a file that differs only there is left as it is.
DATE_LINES = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): .*\n', re.MULTILINE)


def write_if_changed(path: Path, text: bytes) -> None:
    """Write a catalogue only when more than its dates changed (no churn in version control)."""
    if not path.is_file() or DATE_LINES.sub(b"", path.read_bytes()) != DATE_LINES.sub(b"", text):
        write_atomically(path, text)


def read_catalogue(code: str, domain: str) -> Catalog:
    """A language's catalogue as it is (an empty one where the file is missing). A file that cannot be
    read as PO raises :class:`~jlnlearn.errors.CatalogueError`: rewriting it would bury the mistake."""
    path = catalogue_path(code, domain)
    if not path.is_file():
        return Catalog(locale=code, domain=domain, project="jlnlearn")
    catalog, problems = catalogue_problems(path, code)
    if catalog is None:
        raise CatalogueError(problems)
    return catalog


def update_catalogues(current: dict[str, Catalog] | None = None) -> dict[str, dict[str, list[str]]]:
    """Write the templates (by default :func:`templates`) and bring every language's PO files up to
    date; return, by language and domain, the messages each lacks or must review."""
    lacking: dict[str, dict[str, list[str]]] = {}
    for domain, template in (templates() if current is None else current).items():
        write_if_changed(LOCALE_DIR / f"{domain}.pot", po_text(template))
        for code in LANGUAGES:
            if code == DEFAULT_LANGUAGE:
                continue
            catalog = read_catalogue(code, domain)
            catalog.update(template)  # a changed English text keeps its translation, flagged fuzzy
            path = catalogue_path(code, domain)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_if_changed(path, po_text(catalog))
            lacking.setdefault(code, {})[domain] = untranslated(catalog)
    return lacking


def untranslated(catalog: Catalog) -> list[str]:
    """The messages of ``catalog`` with no translation, or one marked fuzzy (to review), the latter as
    ``(review) message``."""
    found = []
    for message in catalog:
        if not message.id:
            continue
        text = str(message.id[0] if isinstance(message.id, tuple) else message.id)
        if message.fuzzy and message.string:
            found.append(f"(review) {text}")
        elif not message.string or (isinstance(message.string, tuple) and not all(message.string)):
            found.append(text)
    return found


#: How many of a language's missing messages ``make catalogues`` lists by name (the rest it counts).
LISTED = 10


def missing(code: str) -> list[str]:
    """Each English message of the current text that language ``code`` does not translate,
    as ``domain: message`` (an empty list: every word a reader sees is translated)."""
    found = []
    for domain, template in templates().items():
        done = {str(m.id) for m in read_catalogue(code, domain) if m.id and m.string and not m.fuzzy}
        found += [f"{domain}: {m.id}" for m in template if m.id and str(m.id) not in done]
    return found


def main() -> int:
    """Refresh the catalogues, say what each language lacks, and check each as a build reads it:
    exit 1 with every problem (file, line, what) when a catalogue could not be used."""
    try:
        lacking = update_catalogues()
    except CatalogueError as error:  # a file that is not PO is left as it is, to be fixed
        print(error, file=sys.stderr)
        return 1
    status = 0
    for code, domains in lacking.items():
        parts = ", ".join(f"{domain} {len(messages)}" for domain, messages in domains.items())
        print(f"{code} ({LANGUAGES[code]}): untranslated {parts}")
        for domain, messages in domains.items():
            for message in messages[:LISTED]:
                print(f"  {domain}: {message[:100]}")
            if len(messages) > LISTED:
                print(f"  {domain}: ... and {len(messages) - LISTED} more")
        try:
            check_catalogues(code)
        except CatalogueError as error:
            print(error, file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
