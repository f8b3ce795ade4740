"""The ``jlnlearn`` command line.

The report build (:mod:`jlnlearn.reports`, with nbformat, nbconvert and
papermill) is imported by the commands that build, so ``jlnlearn validate``
and ``jlnlearn countries`` start quickly.

Exit codes: 0 success; 1 problems found in the data, or pages that failed; 2 bad
usage, before any work; 130 stopped by Ctrl-C or SIGTERM (what finished is kept).
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

from jlnlearn.data import schema
from jlnlearn.data.countries import GROUPS, Country, countries, group_of
from jlnlearn.data.csvfiles import display_path
from jlnlearn.data.loading import fact_counts
from jlnlearn.data.validation import validate
from jlnlearn.errors import BuildInterrupted, DataValidationError, JlnlearnError, UsageError
from jlnlearn.i18n import DEFAULT_LANGUAGE, LANGUAGES, language_set
from jlnlearn.lessons.assessment_file import merge_assessments
from jlnlearn.lessons.pairing import TOPICS
from jlnlearn.present.assessment_files import comparison_csv, comparison_xlsx

if TYPE_CHECKING:
    from jlnlearn.reports.plan import Result

#: The engine a build uses unless told otherwise (the report layer checks the name given).
DEFAULT_ENGINE = "warm"


def count_records(path: Path) -> int:
    """Data rows in a CSV file (its header excluded)."""
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return max(sum(1 for _ in csv.reader(stream)) - 1, 0)


def run_validate(folder: Path | None) -> int:
    """Validate ``folder`` (default: the shipped data) and print the outcome."""
    target = folder if folder is not None else schema.PACKAGE_DATA_DIR
    if not target.is_dir():
        print(f"jlnlearn validate: not a folder: {target}", file=sys.stderr)
        return 2
    problems = validate(folder)
    if problems:
        for problem in problems:
            print(problem)
        count = len(problems)
        print(f"{count} problem{'s' if count != 1 else ''} in {display_path(target)}", file=sys.stderr)
        return 1
    tables = {path.stem: count_records(path) for path in sorted(target.glob("*.csv"))
              if path.stem in schema.table_names()}
    own = (target / schema.DESCRIPTOR_NAME).is_file()
    rows = sum(tables.values())
    what = "tables" if own else "tables of extra rows, checked with the shipped data"
    print(f"{display_path(target)}: valid: {len(tables)} {what}, {rows:,} rows")
    return 0


def membership_label(country: Country) -> str:
    """Short description of a country's documented JLN membership."""
    if country.founding_member:
        return "founding"
    return country.membership


def run_countries(extra: Path | None) -> int:
    """Print each country, by group, with its membership and how many facts are documented."""
    counts = fact_counts(extra).set_index("iso3")
    print(f"{'ISO3':4}  {'country':14}  {'region':6}  {'income group':19}  {'JLN member':14}  "
          f"{'payment':>7}  {'of PHC':>6}  {'rates':>5}  {'reforms':>7}  {'COVID-19':>8}")
    everyone = countries(extra)
    for group in GROUPS:
        members = [country for country in everyone if group_of(country) == group]
        if members:
            print(f"-- {group}")
        for country in members:
            row = counts.loc[country.iso3]
            print(f"{country.iso3:4}  {country.name[:14]:14}  {country.who_region or '-':6}  "
                  f"{country.income_group or '-':19}  {membership_label(country):14}  "
                  f"{row.payment_mechanisms:7d}  {row.phc_mechanisms:6d}  {row.payment_rates:5d}  "
                  f"{row.reforms:7d}  {row.covid_measures:8d}")
    with_phc = int((counts.phc_mechanisms > 0).sum())
    print(f"{len(counts)} countries, {int(counts.phc_collaborative.sum())} in the collaborative, "
          f"{with_phc} with a documented PHC payment mechanism; documented: "
          f"{counts.payment_mechanisms.sum()} payment mechanisms, {counts.payment_rates.sum()} rates, "
          f"{counts.reforms.sum()} reforms, {counts.covid_measures.sum()} COVID-19 measures")
    return 0


def run_reports(args: argparse.Namespace) -> int:
    """Build the reports with a progress bar; print a summary of each output and every failure."""
    from jlnlearn.reports import Options, Pairing, Status, build_reports
    from jlnlearn.reports.guidelinks import GUIDE_FOLDER
    from jlnlearn.reports.outputs.handout import Handout
    from jlnlearn.reports.outputs.pdf import Pdf

    if args.jobs is not None and args.jobs < 1:
        print("jlnlearn reports: --jobs must be 1 or more", file=sys.stderr)
        return 2
    if args.paper is not None and not args.pdf:
        print("jlnlearn reports: --paper chooses the paper of the PDFs: add --pdf", file=sys.stderr)
        return 2
    if (args.pairing is None) != (args.topic is None):
        print("jlnlearn reports: a pairing pack needs both --pairing (2 or 3 countries) and --topic", file=sys.stderr)
        return 2
    outputs: list[object] = (["notebook"] * args.with_notebooks + ["guide"] * args.with_guide
                             + ["slides"] * args.slides)
    if args.pdf:
        paper = args.paper or "A4"
        outputs += [Pdf(paper, args.jobs), Handout(paper, args.jobs)]
    options = Options(args.jobs, args.engine, args.scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS"),
                      force=args.force)
    pairing = Pairing(args.pairing, args.topic) if args.pairing is not None else None
    previous = signal.signal(signal.SIGTERM, stop_like_ctrl_c)
    try:
        build = build_reports(args.countries, args.notebooks, args.out, outputs, lang=args.lang, pairing=pairing,
                              options=options, progress=progress_bar)
    except BuildInterrupted as stop:
        built = sum(r.status == Status.BUILT for r in stop.build.pages)
        print(f"jlnlearn reports: interrupted; {built} pages built before it, kept and listed in "
              f"{stop.build.index.resolve()}; run again to resume", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    print_results(build.results, build.timings)
    for problem in build.unwritten:
        print(f"FAILED to write {problem}")
    if args.with_guide:
        print(f"Facilitator guide: {(build.index.parent / GUIDE_FOLDER / 'index.html').resolve()}")
    print(f"Open {build.index.resolve()}")
    return 1 if build.failures or build.unwritten else 0


def progress_bar(done: Iterable, total: int, unit: str) -> Iterable:
    """A progress bar over what a build makes, counted in its ``unit`` ("notebook", "PDF")."""
    return tqdm(done, total=total, unit=unit, desc=f"{unit}s")


def print_results(results: Sequence[Result], timings: dict[str, float] | None) -> None:
    """With ``timings``, one line per output (how many built, up to date, failed, and how long); then
    each failure, one line each: ``FAILED <output> <folder>/<name> (code cell N): <error>``."""
    from jlnlearn.reports import Status
    from jlnlearn.reports.outputs import output_named

    for name in dict.fromkeys(result.output for result in results) if timings is not None else ():
        mine = [result for result in results if result.output == name]
        counts = {status: sum(result.status == status for result in mine) for status in Status}
        unit = output_named(name).unit + ("s" if len(mine) != 1 else "")
        print(f"{len(mine)} {unit} in {timings.get(name, 0.0):.1f} s: {counts[Status.BUILT]} "
              f"built, {counts[Status.UP_TO_DATE]} up to date, {counts[Status.FAILED]} failed")
    for failure in (result for result in results if result.status == Status.FAILED):
        where = f" (code cell {failure.cell})" if failure.cell is not None else ""
        print(f"FAILED {failure.output} {failure.folder or '.'}/{failure.stem}{where}: {failure.error}")


def stop_like_ctrl_c(signum: int, frame: object) -> None:
    """SIGTERM stops a build as Ctrl-C does: what finished is kept and indexed."""
    raise KeyboardInterrupt


def run_learner_copy(out: Path, lang: str) -> int:
    """Write the learner copy and say where."""
    from jlnlearn.reports.outputs.learner import learner_copy

    results = learner_copy(out, lang)
    print(f"{len(results)} notebooks written to {display_path(out)}")
    return 0


def run_records(files: list[Path], out: Path) -> int:
    """Merge the course records and say where the summary is."""
    from jlnlearn.reports.records import write_summary

    count = write_summary(files, out)
    print(f"{count} rows from {len(files)} records written to {display_path(out)}")
    return 0


def run_compare_assessments(files: list[Path], out: Path, lang: str) -> int:
    """Read learners' assessments back, write them side by side, and say what the file holds."""
    from jlnlearn.reports.files import write_atomically

    if out.suffix.lower() not in (".xlsx", ".csv"):
        raise UsageError(f"--out {out}: write the comparison to an .xlsx or a .csv file")
    comparison = merge_assessments(files)
    with language_set(lang):
        content = comparison_xlsx(comparison) if out.suffix.lower() == ".xlsx" else comparison_csv(comparison)
    write_atomically(out, content)
    learners = comparison.ratings.columns[2:]
    print(f"{len(learners)} assessments side by side in {display_path(out)}: {', '.join(learners)}")
    return 0


def run_workbook(out: Path, query: str | None) -> int:
    """Write the calculators' workbook and say what to do with it."""
    from jlnlearn.reports.workbook import write_workbook

    written = write_workbook(out, query)
    print(f"Wrote {display_path(written)}: change its yellow cells in Excel, save it, and read it back "
          f"in notebook 02 with jlnlearn.payment.from_workbook({str(written)!r})")
    return 0


def run_guide(out: Path, engine: str, lang: str) -> int:
    """Write the facilitator guide with its answers; say where, which pages link it, and what failed."""
    from jlnlearn.reports import Options
    from jlnlearn.reports.guide import build_guide

    guide = build_guide(out, lang, Options(engine=engine))
    print(f"{len(guide.results)} guide pages written to {display_path(guide.folder)}")
    if guide.reports is not None:
        print(f"The lesson pages and the index of {display_path(guide.reports)} link the guide")
    print_results(guide.results, None)
    for problem in guide.unwritten:
        print(f"FAILED to link the guide from {problem}")
    return 1 if guide.failures or guide.unwritten else 0


def add_language(command: argparse.ArgumentParser, what: str) -> None:
    """The ``--lang`` option of a command that writes what learners read."""
    command.add_argument("--lang", choices=list(LANGUAGES), default=DEFAULT_LANGUAGE,
                         help=f"{what}: " + ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())
                              + f" (default: {DEFAULT_LANGUAGE})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jlnlearn", description="Learning workbooks on how countries pay health providers.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "validate", help="check a data folder against the schema",
        description="Check a data folder against data/datapackage.json. A folder with its own "
                    "datapackage.json is checked as a whole; a folder of extra rows is checked "
                    "together with the shipped data. Prints every problem as "
                    "'file:row: column: problem (valid: ...)'.")
    check.add_argument("folder", nargs="?", type=Path, help="data folder (default: the shipped data)")
    reports = commands.add_parser(
        "reports", help="build every country's report as offline HTML",
        description="Run each notebook that has a 'country' parameter for each country, and each "
                    "notebook without parameters once, and write offline HTML pages with an index. "
                    "With --pairing and --topic, build one pairing pack instead. Unchanged reports "
                    "are skipped.")
    reports.add_argument("--countries",
                         help="'all' (default) or comma-separated ISO3 codes, names or aliases")
    reports.add_argument("--notebooks",
                         help="'all' (default) or comma-separated names or numbers, e.g. 06")
    reports.add_argument("--out", type=Path, default=Path("build/reports"), help="output folder")
    reports.add_argument("--jobs", type=int, default=None,
                         help="worker processes (default: the number of cores)")
    reports.add_argument("--force", action="store_true", help="rebuild even unchanged reports")
    reports.add_argument("--pdf", action="store_true",
                         help="also print each page to a PDF beside it, and a handout per country "
                              "(its brief and its lessons' takeaways), with the machine's Chromium "
                              "(or $JLNLEARN_CHROMIUM)")
    reports.add_argument("--paper", help="the PDFs' paper: A4 (default) or Letter")
    reports.add_argument("--with-notebooks", action="store_true",
                         help="also write each executed .ipynb beside its page (the pages do not need them)")
    reports.add_argument("--slides", action="store_true",
                         help="also write each page's slide deck beside it (<notebook>-slides.html: "
                              "reveal.js, offline; press s for the speaker notes)")
    reports.add_argument("--with-guide", action="store_true",
                         help="also build the facilitator guide, with each exercise's answer, into OUT/guide; "
                              "each lesson page and the index then link it")
    reports.add_argument("--pairing", metavar="COUNTRIES",
                         help="build a pairing pack for 2 or 3 comma-separated countries, e.g. GHA,KEN")
    reports.add_argument("--topic", help="the pairing's topic: " + ", ".join(TOPICS))
    reports.add_argument("--engine", default=DEFAULT_ENGINE,
                         help="how notebooks run: 'warm' (default: in warm worker processes) or "
                              "'kernel' (each in a fresh Jupyter kernel, through papermill)")
    reports.add_argument("--scheduler", metavar="ADDRESS",
                         help="run on a Dask cluster: its scheduler's address, or 'local' for a local "
                              "cluster (default: $DASK_SCHEDULER_ADDRESS, else this machine's workers; "
                              "needs pip install 'jlnlearn[dask]')")
    add_language(reports, "the pages' language; English goes into OUT, another language into OUT/LANG, "
                          "and each language's index links the others")
    learner = commands.add_parser("learner-copy", help="write the notebooks without solutions "
                                  "or facilitator notes")
    learner.add_argument("out", type=Path, help="folder to write the copies into")
    add_language(learner, "the copies' language")
    guide = commands.add_parser(
        "facilitator-guide", help="write one HTML page per notebook with objectives, timings, "
        "facilitator notes, solutions and their answers",
        description="Run each notebook that has solutions once, with its default parameters, and write "
                    "one guide page per notebook: objectives, timing, facilitator notes, and each "
                    "exercise's solution with the answer it gives. Into a folder 'jlnlearn reports' "
                    "built, the guide goes into OUT/guide and the lesson pages and index link it.")
    guide.add_argument("out", type=Path, help="folder to write the guide into, or a reports folder")
    guide.add_argument("--engine", default=DEFAULT_ENGINE,
                       help="how the notebooks run (as for jlnlearn reports)")
    add_language(guide, "the guide's language; into a reports folder, a guide in another language goes "
                        "into OUT/LANG/guide beside that language's pages")
    workbook = commands.add_parser(
        "workbook", help="write notebook 02's calculators as an Excel workbook for a country",
        description="Write an .xlsx workbook with one sheet per calculator of notebook 02 (capitation "
                    "with age weights, fee-for-service, case-based, blend), filled in with the country's "
                    "health spending and population and the lesson's assumptions, the results as formulas. "
                    "Read it back with jlnlearn.payment.from_workbook(PATH).")
    workbook.add_argument("out", type=Path, help="the .xlsx file to write")
    workbook.add_argument("--country", help="ISO3 code, name or alias (default: notebook 02's country)")
    records = commands.add_parser(
        "records", help="merge learners' course records into one summary",
        description="Merge the course records learners download from their country's index page (one CSV "
                    "each: lesson, country, date, answered, right, total) into one CSV with the file each "
                    "row came from.")
    records.add_argument("action", choices=["merge"], help="what to do with the records")
    records.add_argument("files", nargs="+", type=Path, help="the records (CSV files)")
    records.add_argument("--out", type=Path, required=True, help="the summary CSV to write")
    compare = commands.add_parser(
        "compare-assessments", help="put learners' lesson 07 assessments side by side",
        description="Read back the assessments learners saved from lesson 07 (.xlsx or .csv, in any language "
                    "the collection has) and write them side by side: each step's answers and each purchasing "
                    "function's rating and reason, one column per learner. Every problem in every file is "
                    "listed by file, sheet and cell, and nothing is written until all files read.")
    compare.add_argument("files", nargs="+", type=Path, help="the learners' assessment files")
    compare.add_argument("--out", type=Path, required=True, help="the comparison to write (.xlsx or .csv)")
    add_language(compare, "the language of the comparison's headings")
    listing = commands.add_parser("countries", help="list the countries and their documented facts")
    listing.add_argument("--extra", type=Path, help="folder of extra rows to include")
    return parser


def run(args: argparse.Namespace) -> int:
    """Carry out the parsed command; its exit code."""
    if args.command == "validate":
        return run_validate(args.folder)
    if args.command == "reports":
        return run_reports(args)
    if args.command == "workbook":
        return run_workbook(args.out, args.country)
    if args.command == "learner-copy":
        return run_learner_copy(args.out, args.lang)
    if args.command == "facilitator-guide":
        return run_guide(args.out, args.engine, args.lang)
    if args.command == "records":
        return run_records(args.files, args.out)
    if args.command == "compare-assessments":
        return run_compare_assessments(args.files, args.out, args.lang)
    return run_countries(args.extra)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = run(args)
        sys.stdout.flush()  # a closed pipe shows up here, where it can be handled
        return code
    except DataValidationError as error:
        print(error, file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away, as with `jlnlearn countries | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0
    except KeyboardInterrupt:
        print(f"jlnlearn {args.command}: interrupted; finished pages are kept, run again to resume",
              file=sys.stderr)
        return 130
    except JlnlearnError as error:
        print(f"jlnlearn {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
