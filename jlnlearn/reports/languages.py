"""The collection in several languages: English at the top of OUT, each other language in ``OUT/<lang>/``.

A build in another language is a whole reports folder of its own (its own
index, pages and copy of plotly.js, so it can be zipped and sent alone),
written from the notebooks translated by :mod:`jlnlearn.reports.translate`.
Each language's top index opens with links to the others that are built:
:func:`sync_language_links` rewrites that line after every build, so a
French build adds its link to the English index and the other way round.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

from jlnlearn.errors import UsageError
from jlnlearn.i18n import (
    DEFAULT_LANGUAGE,
    DOMAINS,
    LANGUAGES,
    LOCALE_DIR,
    catalogue_path,
    check_catalogues,
)
from jlnlearn.reports.files import write_atomically
from jlnlearn.reports.templates import render_macro

#: The line of language links at the top of each top index (written empty, filled by the sync).
LINKS = re.compile(r'<p class="languages"[^>]*>.*?</p>\n', re.DOTALL)


def root_of(out: Path, code: str) -> Path:
    """The folder a build in ``code`` writes into when asked for ``out``.

    >>> root_of(Path("build/reports"), "fr"), root_of(Path("build/reports"), "en")
    (PosixPath('build/reports/fr'), PosixPath('build/reports'))
    """
    return out if code == DEFAULT_LANGUAGE else out / code


def untranslated(code: str) -> list[str]:
    """The messages of the shipped templates (``locale/*.pot``) that language ``code`` leaves
    untranslated (or marks fuzzy), as ``domain: message``; none for English.

    >>> untranslated("en")
    []
    """
    if code == DEFAULT_LANGUAGE:
        return []
    found = []
    for domain in DOMAINS:
        with (LOCALE_DIR / f"{domain}.pot").open("rb") as handle:
            wanted = [str(m.id) for m in read_po(handle) if m.id]
        path = catalogue_path(code, domain)
        done: set[str] = set()
        if path.is_file():
            with path.open("rb") as handle:
                done = {str(m.id) for m in read_po(handle, locale=code) if m.id and m.string and not m.fuzzy}
        found += [f"{domain}: {message}" for message in wanted if message not in done]
    return found


def check_translated(code: str) -> None:
    """A :class:`UsageError` unless language ``code``'s catalogues read cleanly
    (:func:`~jlnlearn.i18n.check_catalogues`: a :class:`~jlnlearn.errors.CatalogueError` names each
    file and line) and translate every message a page can show: a page half in English, or showing a
    translator's typo or markup, would be built otherwise."""
    check_catalogues(code)
    missing = untranslated(code)
    if missing:
        shown = "; ".join(repr(message) for message in missing[:3])
        raise UsageError(
            f"--lang {code}: {len(missing)} messages are not translated yet in "
            f"jlnlearn/locale/{code}/LC_MESSAGES/ (first: {shown}). Fill their msgstr with a PO "
            f"editor or a text editor, then build again (make catalogues lists what is left)")


def built_languages(out: Path) -> list[str]:
    """The languages whose top index is in ``out`` (``out`` being the English root)."""
    return [code for code in LANGUAGES if (root_of(out, code) / "index.html").is_file()]


def links_line(out: Path, code: str, built: list[str]) -> str:
    """The language links of the index of ``code``: the other built languages, each in its own name.

    >>> links_line(Path("OUT"), "fr", ["en", "fr"])
    '<p class="languages"><a href="../index.html" hreflang="en" lang="en">English</a></p>\\n'
    """
    here = root_of(out, code)
    links = []
    for other in built:
        if other == code:
            continue
        target = root_of(out, other) / "index.html"
        href = Path(*([".."] * len(here.relative_to(out).parts)), target.relative_to(out)).as_posix()
        links.append({"href": href, "code": other, "name": LANGUAGES[other]})
    return str(render_macro("language_links", links=links))


def sync_language_links(out: Path) -> list[str]:
    """Give every language's top index under ``out`` its links to the others; returns what could not
    be written, and why."""
    built = built_languages(out)
    unwritten = []
    for code in built:
        index = root_of(out, code) / "index.html"
        try:
            text = index.read_text(encoding="utf-8")
            line = links_line(out, code, built)
            linked = LINKS.sub(lambda _match, line=line: line, text, count=1)
            if linked != text:
                write_atomically(index, linked)
        except OSError as error:
            unwritten.append(f"{index.relative_to(out)}: {error.strerror or error}")
    return unwritten
