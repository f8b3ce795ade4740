"""``jlnlearn facilitator-guide OUT``: the facilitator guide on its own, or into a reports folder.

The guide is the ``guide`` output (:mod:`jlnlearn.reports.outputs.guide`): each
notebook with a solution is run once with its default parameters, by the
build's own engine, and each solution shows what it gives. Built into a
reports folder (this command on a folder ``jlnlearn reports`` built, or
``jlnlearn reports --with-guide``), the guide goes into ``OUT/guide/``, and the
folder's lesson pages and index then link it (:mod:`jlnlearn.reports.guidelinks`).
"""

from __future__ import annotations

import contextlib
import datetime
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jlnlearn.data.loading import extra_folder
from jlnlearn.i18n import DEFAULT_LANGUAGE, check_language, language_set
from jlnlearn.reports.files import check_writable, not_a_link, only_build_in
from jlnlearn.reports.guidelinks import GUIDE_FOLDER, is_reports_folder, sync_guide_links
from jlnlearn.reports.index import write_indexes
from jlnlearn.reports.languages import check_translated, root_of
from jlnlearn.reports.outputs import Context, Stage, produce
from jlnlearn.reports.outputs.guide import Guide
from jlnlearn.reports.plan import Result, Status, inputs_digest, pairing_notebooks, report_notebooks
from jlnlearn.reports.translate import write_translated
from jlnlearn.reports.workers import Options, runner


def link_reports(reports: Path, notebooks_dir: Path) -> list[str]:
    """Make a reports folder's pages and index link its guide as it now is; returns what could not be written."""
    unwritten = sync_guide_links(reports)
    try:
        unwritten += write_indexes(reports, report_notebooks(notebooks_dir),
                                   [path.stem for path in pairing_notebooks(notebooks_dir)], {},
                                   datetime.date.today().isoformat())
    except OSError as error:
        unwritten.append(f"index.html: {error.strerror or error}")
    return unwritten


@dataclass
class GuideBuild:
    """What :func:`build_guide` did: where the guide went, each page's result, and what could not be linked."""

    folder: Path
    results: list[Result]
    #: The reports folder whose pages now link the guide, or ``None``.
    reports: Path | None
    #: Pages of that folder that could not be given their link, and why.
    unwritten: list[str]

    @property
    def failures(self) -> list[Result]:
        return [result for result in self.results if result.status == Status.FAILED]


def guide_place(out: Path) -> tuple[Path, Path | None]:
    """Where a guide asked for in ``out`` goes, and the reports folder it belongs to, if any.

    ``out`` itself, unless ``jlnlearn reports`` built into it: then ``out/guide``.
    ``out`` named ``guide`` inside a reports folder belongs to that folder.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> guide_place(folder) == (folder, None)
    True
    """
    if is_reports_folder(out):
        return out / GUIDE_FOLDER, out
    if out.name == GUIDE_FOLDER and is_reports_folder(out.parent):
        return out, out.parent
    return out, None


def build_guide(out: str | os.PathLike[str], lang: str = DEFAULT_LANGUAGE,
                 options: Options | None = None) -> GuideBuild:
    """Run each notebook with a solution once, then write the guide with every answer.

    Into a reports folder (see :func:`guide_place`), the guide goes into its
    ``guide/`` folder, under the folder's build lock, and the folder's pages
    and index are then linked to it. What the notebooks print goes to
    ``build.log`` there (in the guide's folder otherwise). A notebook that
    fails does not stop the guide: its exercises say why they have no answer,
    and its page's result says it failed. A page whose notebook, language,
    data and package are unchanged since it was written is up to date, and
    its notebook is not run again (``options.force`` runs it). ``lang``: the
    guide's language; in a reports folder, a guide in another language goes with
    that language's pages (``OUT/<lang>/guide``).

    Raises
    ------
    UsageError
        For an unknown engine or language, a folder that cannot be written, or a reports
        folder another build is writing to, before any work.
    """
    options = options or Options()
    out = Path(out)
    check_translated(check_language(lang))
    target, reports = guide_place(root_of(out, lang) if is_reports_folder(out) else out)
    options.check()
    check_writable(target)
    root = reports or target
    guide = Guide(target.relative_to(root).as_posix() if reports is not None else "", reports is not None)
    with (only_build_in(reports) if reports is not None else contextlib.nullcontext(),
          tempfile.TemporaryDirectory(prefix="jlnlearn-guide-") as translated, language_set(lang),
          runner(options, not_a_link(root / "build.log")) as run):
        folder = write_translated(options.notebooks, lang, Path(translated))
        context = Context(root, folder, language=lang, extra=extra_folder(), run=run)
        context.shared = inputs_digest(context.extra)
        produce([guide], context, Stage.RUN, options.force)
        unwritten = link_reports(reports, folder) if reports is not None else []
    return GuideBuild(target, context.results_of(guide.name), reports, unwritten)
