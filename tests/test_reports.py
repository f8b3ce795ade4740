"""jlnlearn reports: builds, skips, isolates failures, escapes data and writes atomically."""

from __future__ import annotations

import json
import re
from pathlib import Path

import papermill
import pytest

from jlnlearn import reports
from jlnlearn.cli import main
from jlnlearn.reports import Options, files, plan, pool, run
from tests.build_collection import ASSESSMENTS, BRIEFS, BUILDS, seed
from tests.conftest import REPO, header, pages_in

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"


@pytest.fixture(scope="module")
def fixture_build(workers, tmp_path_factory):
    """Two fixture notebooks (one broken) for two countries."""
    out = tmp_path_factory.mktemp("fixture-build")
    build = reports.build_reports("GHA,Lao PDR", "all", out, outputs=["notebook"], options=Options(workers=workers, notebooks_dir=FIXTURES))
    return out, build


def test_only_notebooks_with_a_country_parameter_are_reports():
    assert [p.name for p in plan.report_notebooks(FIXTURES)] == [
        "01_small_chart.ipynb", "02_broken.ipynb"]
    assert "06_country_profile" in [p.stem for p in plan.report_notebooks()]


def test_build_writes_pages_notebooks_and_indexes(fixture_build):
    out, build = fixture_build
    assert (out / "index.html").is_file() and (out / "_static" / "plotly.min.js").is_file()
    for iso3 in ("GHA", "LAO"):
        assert (out / iso3 / "index.html").is_file()
        assert (out / iso3 / "01_small_chart.ipynb").is_file()
    page = (out / "LAO" / "01_small_chart.html").read_text(encoding="utf-8")
    assert "<title>Lao PDR: Small chart</title>" in page
    assert "Report for Lao PDR" in page
    assert '<script src="../_static/plotly.min.js"></script>' in page
    assert "Plotly.newPlot" in page and 'id="figure-' in page
    assert "import jlnlearn" not in page  # code hidden
    assert "Injected" not in page and 'country = "Lao PDR"' not in page  # parameters dropped
    assert not re.search(r'src="https?://', page)  # nothing from the network
    executed = json.loads((out / "LAO" / "01_small_chart.ipynb").read_text(encoding="utf-8"))
    injected = [c for c in executed["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert "".join(injected[0]["source"]).strip().endswith('country = "LAO"')  # the build passes the ISO3 code


def test_the_executed_notebooks_are_written_only_when_asked_for(tmp_path, workers):
    """A slow connection downloads the pages, not the notebooks beside them (42% of a build's size)."""
    reports.build_reports("GHA", "01", tmp_path, options=Options(workers=workers, notebooks_dir=FIXTURES))
    assert sorted(path.name for path in (tmp_path / "GHA").iterdir()) == [
        ".01_small_chart.json", "01_small_chart-chart-1.csv", "01_small_chart.html", "index.html"]
    again = reports.build_reports("GHA", "01", tmp_path, options=Options(workers=workers, notebooks_dir=FIXTURES))
    assert [r.status for r in again.results] == ["up to date"]
    asked = reports.build_reports("GHA", "01", tmp_path, outputs=["notebook"],
                                  options=Options(workers=workers, notebooks_dir=FIXTURES))
    # the missing notebook is made, not assumed; the page it comes with stays as it was
    assert [(r.output, r.status) for r in asked.results] == [("page", "up to date"), ("notebook", "built")]
    assert (tmp_path / "GHA" / "01_small_chart.ipynb").is_file()
    assert ".01_small_chart.notebook.json" in {path.name for path in (tmp_path / "GHA").iterdir()}


def test_a_page_without_a_chart_does_not_load_plotly(fixture_build):
    out, _ = fixture_build
    chartless = (out / "03_no_parameters.html").read_text(encoding="utf-8")
    assert "plotly.min.js" not in chartless and "Plotly.newPlot" not in chartless
    assert "plotly.min.js" in (out / "GHA" / "01_small_chart.html").read_text(encoding="utf-8")


def test_index_links_every_page_with_status(fixture_build):
    out, _ = fixture_build
    index = (out / "index.html").read_text(encoding="utf-8")
    for href in re.findall(r'href="([^"#]+)"', index):
        if not href.startswith("http"):
            assert (out / href).is_file(), href
    assert 'href="GHA/01_small_chart.html">ok<' in index
    assert '<td class="failed"><a href="LAO/02_broken.html">failed</a>' in index


def test_a_broken_notebook_fails_alone_and_says_where(fixture_build):
    out, build = fixture_build
    statuses = {(r.folder, r.stem): r.status for r in build.results}
    assert statuses == {("GHA", "01_small_chart"): "built", ("GHA", "02_broken"): "failed",
                        ("LAO", "01_small_chart"): "built", ("LAO", "02_broken"): "failed",
                        ("", "03_no_parameters"): "built"}  # a collection page, built once
    failure = next(r for r in build.failures if r.folder == "LAO")
    assert failure.cell == 4  # its execution count, In [4] in the executed notebook
    assert failure.error == "ValueError: deliberately broken for Lao PDR"
    page = (out / "LAO" / "02_broken.html").read_text(encoding="utf-8")
    assert "code cell 4 failed" in page and "deliberately broken for Lao PDR" in page
    assert "first cell runs" in page


def test_warm_rebuild_runs_nothing_and_force_reruns(tmp_path, monkeypatch, workers):
    reports.build_reports("GHA", "01", tmp_path, options=Options(workers=workers, notebooks_dir=FIXTURES))
    page = tmp_path / "GHA" / "01_small_chart.html"
    first = page.read_bytes()

    def refuse(*args, **kwargs):
        raise AssertionError("a task ran although nothing changed")

    monkeypatch.setattr(pool.WorkerPool, "run", refuse)
    warm = reports.build_reports("GHA", "01", tmp_path, options=Options(workers=workers, notebooks_dir=FIXTURES))
    assert [r.status for r in warm.results] == ["up to date"]
    monkeypatch.undo()
    forced = reports.build_reports("GHA", "01", tmp_path, options=Options(workers=workers, force=True, notebooks_dir=FIXTURES))
    assert [r.status for r in forced.results] == ["built"]
    assert page.read_bytes() == first  # same inputs, same HTML


def test_changed_data_reruns_what_depends_on_it(tmp_path, extra_dir, monkeypatch, workers):
    reports.build_reports("GHA", "01", tmp_path, options=Options(workers=workers, notebooks_dir=FIXTURES))
    (extra_dir / "reforms.csv").write_text(
        header("reforms") + "\nGHA-new,GHA,2024,,,policy,A new reform,J02,,the source's words\n", encoding="utf-8")
    monkeypatch.setenv("JLNLEARN_EXTRA_DATA", str(extra_dir))
    again = reports.build_reports("GHA", "01", tmp_path, options=Options(workers=workers, notebooks_dir=FIXTURES))
    assert [r.status for r in again.results] == ["built"]


def test_a_relative_extra_data_folder_works_as_the_readme_shows_it(tmp_path, extra_dir, monkeypatch, workers):
    """JLNLEARN_EXTRA_DATA=my-data/ is resolved where the command runs, not in the kernels' folder."""
    (extra_dir / "reforms.csv").write_text(
        header("reforms") + "\nGHA-new,GHA,2024,,,policy,A new reform,J02,,the source's words\n", encoding="utf-8")
    monkeypatch.chdir(extra_dir.parent)
    monkeypatch.setenv("JLNLEARN_EXTRA_DATA", f"{extra_dir.name}/")
    build = reports.build_reports("GHA", "01", tmp_path / "out", options=Options(workers=workers, notebooks_dir=FIXTURES))
    assert [(r.status, r.error) for r in build.results] == [("built", None)]


def test_text_from_data_is_escaped_in_the_page(tmp_path, extra_dir, monkeypatch, workers):
    (extra_dir / "payment_mechanisms.csv").write_text(
        header("payment_mechanisms") + "\nGHA-x,GHA,NHIA,,primary care,capitation,in use,2020,,,"
        "<script>alert('owned')</script>,C-GH1,,the source's words\n", encoding="utf-8")
    monkeypatch.setenv("JLNLEARN_EXTRA_DATA", str(extra_dir))
    build = reports.build_reports("GHA", "06", tmp_path, options=Options(workers=workers))
    assert [r.status for r in build.results] == ["built"], build.results
    page = (tmp_path / "GHA" / "06_country_profile.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#x27;owned&#x27;)&lt;/script&gt;" in page or \
        "&lt;script&gt;alert('owned')&lt;/script&gt;" in page
    assert "<script>alert('owned')</script>" not in page


def test_cli_exit_codes_and_failure_listing(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(reports.workers, "NOTEBOOKS_DIR", FIXTURES)
    code = main(["reports", "--countries", "GHA", "--notebooks", "02", "--out", str(tmp_path),
                 "--jobs", "1"])
    out = capsys.readouterr().out
    assert code == 1
    assert "1 page in " in out and ": 0 built, 0 up to date, 1 failed" in out
    assert "FAILED page GHA/02_broken (code cell 4): ValueError: deliberately broken for Ghana" in out


def test_unknown_country_is_bad_usage_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "reports"
    assert main(["reports", "--countries", "GHA,Ghanna X", "--out", str(out)]) == 2
    assert "unknown country 'Ghanna X'" in capsys.readouterr().err
    assert not out.exists()


def test_unknown_notebook_is_bad_usage_with_valid_names(tmp_path, capsys):
    assert main(["reports", "--notebooks", "99", "--out", str(tmp_path / "r")]) == 2
    assert "unknown notebook '99' (valid: " in capsys.readouterr().err


def test_unwritable_output_folder_is_bad_usage(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert main(["reports", "--countries", "GHA", "--out", str(blocker / "reports")]) == 2
    assert "cannot write to the output folder" in capsys.readouterr().err


def test_interrupted_build_leaves_no_partial_files(tmp_path, workers):
    """A killed build leaves temporaries only; the next run removes them, and only them, and resumes."""
    country_dir = tmp_path / "GHA"
    country_dir.mkdir()
    (country_dir / ".01_small_chart.ipynb.x9_y8z7w.tmp").write_text("{half", encoding="utf-8")
    (country_dir / ".01_small_chart.html.abcd1234.tmp").write_text("<ht", encoding="utf-8")
    for users in (tmp_path / ".my-notes.tmp", country_dir / ".draft.tmp", country_dir / "notes.tmp"):
        users.write_text("the user's own file", encoding="utf-8")
    reports.build_reports("GHA", "01", tmp_path, options=Options(workers=workers, notebooks_dir=FIXTURES))
    assert sorted(path.name for path in tmp_path.glob("**/*.tmp")) == [".draft.tmp", ".my-notes.tmp", "notes.tmp"]
    assert (country_dir / "01_small_chart.html").is_file()


def test_write_atomically_keeps_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "page.html"
    target.write_text("old page", encoding="utf-8")

    with pytest.raises(TypeError):
        files.write_atomically(target, 12345)  # not text or bytes: fails mid-write
    assert target.read_text(encoding="utf-8") == "old page"
    assert list(tmp_path.iterdir()) == [target]


def test_killed_build_leaves_only_complete_pages_and_resumes(tmp_path, workers):
    """Kill a real build midway: every page left is whole, and the next run finishes the rest."""
    import os
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "reports"
    command = [sys.executable, "-m", "jlnlearn", "reports", "--countries", "GHA,KEN,PHL,IDN",
               "--notebooks", "06", "--out", str(out), "--jobs", "1"]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while not list(out.glob("*/.06_country_profile.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    pages = list(out.glob("*/06_country_profile.html"))
    finished = list(out.glob("*/.06_country_profile.json"))  # written last, after both files
    assert 1 <= len(finished) <= len(pages) < 4
    for page in pages:
        assert page.read_text(encoding="utf-8").rstrip().endswith("</html>")
    resumed = reports.build_reports("GHA,KEN,PHL,IDN", "06", out, options=Options(workers=workers))
    statuses = [r.status for r in resumed.results]
    assert statuses.count("up to date") == len(finished) and "failed" not in statuses
    assert not list(out.glob("**/.*.tmp*"))


def test_lessons_build_for_every_country(collection):
    """01 to 04 run top to bottom for all 47 countries, sparse ones included (in the warm engine): built
    by this run, or up to date (built without error by ``make reports`` from the same inputs)."""
    assert len(collection.lessons) == 4 * 47
    assert {(r.status, r.error) for r in collection.lessons} <= {("built", None), ("up to date", None)}


def test_the_shared_pages_start_from_pages_a_reports_folder_holds_that_their_builds_make(collection, tmp_path):
    copied = seed(tmp_path, collection.out)
    pages = {path.relative_to(tmp_path).as_posix() for path in pages_in(tmp_path, "**/*.html")}
    lessons = {page for page in pages if page.count("/") == 1 and page.split("/")[1][:2] in {"01", "02", "03", "04"}}
    assert len(lessons) == 4 * 47 and "PHL/02_phc_payment_models.html" in lessons
    assert len(pages_in(tmp_path / "fr", "*/*.html")) == 4 * 47  # and the same in French
    assert pages - lessons - {f"fr/{page}" for page in lessons} == {
        "00_start_here.html", *(f"{iso3}/06_country_profile.html" for iso3 in BRIEFS),
        *(f"{iso3}/07_assess_payment_system.html" for iso3 in ASSESSMENTS)}
    made = {"/".join(part for part in ("" if language == "en" else language, result.folder, f"{result.stem}.html") if part)
            for build, (*_, language) in zip(collection.builds, BUILDS, strict=True) for result in build
            if result.output == "page"}
    assert pages <= made, sorted(pages - made)[:5]  # nothing the builds would not make themselves
    assert (tmp_path / "PHL" / ".02_phc_payment_models.json").is_file()
    assert (tmp_path / "PHL" / "payment-calculators-PHL.xlsx").is_file() and (tmp_path / "ZMB" / "assessment-ZMB.xlsx").is_file()
    assert copied == sum(1 for path in tmp_path.rglob("*") if path.is_file())


def test_a_stalled_cell_is_retried_then_reported(monkeypatch, capsys, tmp_path):
    """A cell past the time limit (as when a kernel reply goes missing) stops the run, twice."""
    monkeypatch.setattr(run, "CELL_TIMEOUT_SECONDS", 1)
    notebook = Path(__file__).parent / "fixtures" / "slow" / "01_sleepy.ipynb"
    task = plan.Task("GHA", "Ghana", notebook, "key", {"country": "Ghana"})
    cell, error = run.KernelEngine().execute_notebook(task, str(tmp_path / "out.ipynb"))
    assert (cell, error) == (None, "a cell ran longer than 1 s, 2 times")
    assert capsys.readouterr().err.count("stalled") == 2


@pytest.mark.parametrize("failure", ["Kernel died before replying to kernel_info",
                                     "Kernel didn't respond in 60 seconds"])
def test_a_kernel_that_dies_or_stays_silent_as_it_starts_is_tried_again(monkeypatch, capsys, tmp_path, failure):
    """Both seen under load, each failing one page of a build."""
    calls = []

    def dies_once(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise RuntimeError(failure)

    monkeypatch.setattr(papermill, "execute_notebook", dies_once)
    task = plan.Task("GHA", "Ghana", FIXTURES / "01_small_chart.ipynb", "key", {"country": "GHA"})
    assert run.KernelEngine().execute_notebook(task, str(tmp_path / "out.ipynb")) == (None, None)
    assert len(calls) == 2 and f"attempt 1: {failure}" in capsys.readouterr().err



def test_pages_load_the_partial_plotly_unless_the_installed_plotly_writes_for_another_version(monkeypatch):
    from jlnlearn.reports import pages

    assert pages.plotly_script().startswith(b"/**\n* plotly.js (basic - minified) v4.1.")
    monkeypatch.setattr(pages, "get_plotlyjs_version", lambda: "5.0.0")  # plotly upgraded, bundle not refreshed
    full = pages.plotly_script()
    assert full.startswith(b"/**\n* plotly.js v") and len(full) > 4_000_000  # every chart still draws
