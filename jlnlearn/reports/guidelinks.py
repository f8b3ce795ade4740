"""Links between a reports folder and the facilitator guide built into it.

The guide of a reports folder lives in ``OUT/guide/`` (one page per notebook,
with an index). A lesson page links to its notebook's guide page, and the top
index to the guide, only while that guide page is there: :func:`sync_guide_links`
adds or removes each page's link to match what is on disk, so the guide can be
built before the pages, after them, or deleted, and the folder never holds a
link to nothing. Links are relative, so the folder still works offline and
when moved.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from jlnlearn.i18n import LANGUAGES
from jlnlearn.reports.files import write_atomically
from jlnlearn.reports.templates import render_macro

#: Where the guide of a reports folder goes, relative to the folder.
GUIDE_FOLDER = "guide"
#: A lesson page's link to the guide, as :func:`with_guide_link` writes it at the end of the page's navigation.
GUIDE_LINK = re.compile(r' · <a class="guide-link" href="[^"<>]*">[^<]*</a>(?=</nav>)')
#: Written by every report build at its start: how a reports folder is told from any other.
REPORTS_MARK = Path("_static") / "plotly.min.js"


def is_reports_folder(folder: Path) -> bool:
    """Whether ``jlnlearn reports`` has built into ``folder``.

    >>> import tempfile
    >>> is_reports_folder(Path(tempfile.mkdtemp()))
    False
    """
    return (folder / REPORTS_MARK).is_file()


def guide_href(depth: int, stem: str) -> str:
    """The relative link from a page ``depth`` folders below OUT to its notebook's section of the guide.

    A notebook's guide page holds its section, whose anchor is the notebook's file stem.

    >>> guide_href(1, "02_phc_payment_models")
    '../guide/02_phc_payment_models.html#02_phc_payment_models'
    """
    return f"{'../' * depth}{GUIDE_FOLDER}/{stem}.html#{stem}"


def with_guide_link(page: str, href: str | None) -> str:
    """``page`` with its guide link at the end of its navigation pointing to ``href``, or none for ``None``.

    >>> page = '<nav><a href="../index.html">All countries</a></nav><h1>Lesson</h1>'
    >>> linked = with_guide_link(page, "../guide/x.html#x")
    >>> linked
    '<nav><a href="../index.html">All countries</a> · <a class="guide-link" href="../guide/x.html#x">Facilitator guide for this lesson</a></nav><h1>Lesson</h1>'
    >>> with_guide_link(linked, "../guide/x.html#x") == linked, with_guide_link(linked, None) == page
    (True, True)
    """
    page = GUIDE_LINK.sub("", page, count=1)
    if href is None:
        return page
    return page.replace("</nav>", str(render_macro("lesson_guide_link", href=href)) + "</nav>", 1)


def built_pages(out: Path) -> Iterator[tuple[Path, str, int]]:
    """Every page a report build recorded in ``out``: its path, notebook stem and depth below ``out``.

    Read from the manifests beside the pages (collection pages, country
    folders, pairing packs); another language's folder inside ``out`` is a reports folder of its own.
    """
    for depth, pattern in enumerate([".*.json", "*/.*.json", "pairings/*/.*.json"]):
        for manifest in sorted(out.glob(pattern)):
            if depth == 1 and manifest.parent.name in LANGUAGES:
                continue
            page = manifest.with_name(f"{manifest.stem[1:]}.html")
            if page.is_file():
                yield page, manifest.stem[1:], depth


def sync_guide_links(out: Path) -> list[str]:
    """Give each built page in ``out`` a link to its guide page if that exists, and take it away if not.

    Only pages whose link changes are rewritten (atomically). Returns what
    could not be written, and why, as ``"<path>: <reason>"``.
    """
    unwritten = []
    for page, stem, depth in built_pages(out):
        wanted = guide_href(depth, stem) if (out / GUIDE_FOLDER / f"{stem}.html").is_file() else None
        try:
            text = page.read_text(encoding="utf-8")
            linked = with_guide_link(text, wanted)
            if linked != text:
                write_atomically(page, linked)
        except OSError as error:
            unwritten.append(f"{page.relative_to(out)}: {error.strerror or error}")
    return unwritten
