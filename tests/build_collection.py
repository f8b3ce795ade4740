"""Build the pages many tests read, in a process of its own: ``python tests/build_collection.py OUT``.

The test run starts it first (see ``collection`` in ``conftest.py``), so it builds
while the tests that need no pages run; the tests that read its pages run last. It
writes ``OUT/builds.json``: each build's results, in order.

Where ``make reports`` has built ``build/reports``, the builds start from the pages of
it they would make (see :data:`SEEDS`): each page whose manifest says it was made from the same
inputs (the same data, notebooks and package) is kept, as a build keeps any
up-to-date page, and the rest are built. The tests read pages exactly as this
code makes them either way; after ``make reports``, they wait for fewer.

``python tests/build_collection.py --kernel OUT`` builds a few of the same pages
again, each in a fresh kernel (``--engine kernel``), for the test that compares
the two engines' pages; the run starts it once the shared pages are built.
"""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import asdict
from pathlib import Path

from jlnlearn.reports import Options, Pairing, build_reports
from jlnlearn.reports.pool import WorkerPool

#: (countries, notebooks, pairing, outputs, language) of each build, in order; the first is every country's
#: lessons, the second the same in French, the third adds the facilitator guide, the fourth every notebook's
#: slide deck for three countries and the guide again, now answering their quizzes, the fifth a pairing pack
#: with its deck, the last the briefs with the longest boxes (printed by test_pdf).
BUILDS = [("all", "01,02,03,04", None, (), "en"), ("all", "01,02,03,04", None, (), "fr"),
          ("PHL,Kosovo,Myanmar,Mali", "00,06", None, ("guide",), "en"),
          ("PHL,SEN,ZMB", "all", None, ("slides", "guide"), "en"), (None, None, "PHL,GHA,KEN", ("slides",), "en"),
          ("THA,UGA,TZA,PER,VNM", "06", None, (), "en")]
#: What ``make reports`` builds (every country's lessons and brief, in English and in French, and the start
#: page), and the files of it the builds above can start from, with their manifests (``.01_ppm_journey.json``...),
#: chart tables and workbooks: each country's lessons 01 to 04 in both languages; in English, the start page, the
#: briefs (06) of the countries the builds above give one, and the assessments (07) of those they give every notebook.
REPORTS = Path(__file__).resolve().parents[1] / "build" / "reports"
EVERY_COUNTRY = "[A-Z][A-Z][A-Z]"
BRIEFS = ("PHL", "XKX", "MMR", "MLI", "SEN", "ZMB", "THA", "UGA", "TZA", "PER", "VNM")
ASSESSMENTS = ("PHL", "SEN", "ZMB")
SEEDS = (*(f"{language}{EVERY_COUNTRY}/{name}" for language in ("", "fr/")
           for name in ("0[1-4]_*", ".0[1-4]_*.json", "payment-calculators-*.xlsx")),
         "00_start_here.html", ".00_start_here.json",
         *(f"{iso3}/{name}" for iso3 in BRIEFS for name in ("06_*", ".06_*.json")),
         *(f"{iso3}/{name}" for iso3 in ASSESSMENTS for name in ("07_*", ".07_*.json", "assessment-*.xlsx")))

#: Built again in fresh kernels: every notebook (the Philippines', the pack) and two more profiles.
KERNEL_BUILDS = [("PHL", "all", None, (), "en"), ("MLI,XKX", "06", None, (), "en"),
                 (None, None, "PHL,GHA,KEN", (), "en")]


def run(builds: list[tuple[str | None, str | None, str | None, tuple[str, ...], str]], out: Path,
        engine: str) -> list[list[dict]]:
    """Each build into ``out``, all by the same two workers, which stay warm from one build to the next."""
    done = []
    with WorkerPool(2, out / "workers.log", engine) as workers:
        options = Options(jobs=2, engine=engine, workers=workers)
        for countries, notebooks, pairing, outputs, language in builds:
            if pairing:
                build = build_reports(out=out, outputs=outputs, pairing=Pairing(pairing, "capitation"),
                                      options=options)
            else:
                build = build_reports(countries, notebooks, out, outputs, lang=language, options=options)
            done.append([asdict(result) for result in build.results])
    return done


def seed(out: Path, reports: Path = REPORTS) -> int:
    """Copy into ``out`` the pages ``reports`` holds that the builds would make (see :data:`SEEDS`); how many
    files."""
    files = [path for pattern in SEEDS for path in reports.glob(pattern)]
    for path in files:
        target = out / path.relative_to(reports)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return len(files)


def main(arguments: list[str]) -> None:
    if arguments[0] == "--kernel":
        run(KERNEL_BUILDS, Path(arguments[1]), "kernel")
    else:
        out = Path(arguments[0])
        seed(out)
        (out / "builds.json").write_text(json.dumps(run(BUILDS, out, "warm")), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
