"""The engines: warm pages equal fresh-kernel pages, nothing leaks between notebooks, faults fail one task."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from jlnlearn import reports
from jlnlearn.reports import Options, plan, run, shell
from jlnlearn.reports.guidelinks import with_guide_link
from jlnlearn.reports.pool import WorkerPool
from tests.conftest import REPO

FIXTURES = Path(__file__).parent / "fixtures"


def pages(folder: Path) -> dict[str, str]:
    """Every page under ``folder``, by relative path."""
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.html"))}


def compare(first: Path, second: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "scripts" / "compare_reports.py"), str(first), str(second)],
                          capture_output=True, text=True)


def test_warm_pages_equal_fresh_kernel_pages_in_any_order(tmp_path, collection, kernel_pages):
    """Every notebook (the Philippines', a pairing pack), Mali's and Kosovo's profiles: each in a fresh
    kernel, and in the warm workers that built the run's shared pages, among every other country's."""
    kernel, warm = tmp_path / "kernel", tmp_path / "warm"
    shutil.copytree(kernel_pages, kernel)  # built after the shared pages (tests/build_collection.py --kernel)
    for page in pages(kernel):
        if Path(page).name == "index.html":  # an index lists whatever its folder holds
            (kernel / page).unlink()
        else:  # the shared pages link the facilitator guide built beside them, which depends on the folder
            (warm / page).parent.mkdir(parents=True, exist_ok=True)
            (warm / page).write_text(with_guide_link((collection.out / page).read_text(encoding="utf-8"), None),
                                     encoding="utf-8")
    compared = compare(kernel, warm)
    assert compared.returncode == 0, compared.stdout
    assert "10 of 10 pages the same" in compared.stdout, compared.stdout


def probe_notebook(source: str):
    return new_notebook(cells=[new_code_cell(source)])


PROBE = """
import os, sys, warnings
import numpy as np, pandas as pd, plotly.io as pio
import jlnlearn.data.sources as sources
print(pd.get_option("display.max_rows"), np.get_printoptions()["precision"], pio.templates.default,
      os.environ.get("LEAKED"), os.getcwd(), "leak" in globals(), len(warnings.filters),
      "polluted" in pio.templates, sys.path[-1] == "/polluted", len(sources.used()))
"""

POLLUTE = """
import os, sys, warnings
import numpy as np, pandas as pd, plotly.io as pio
import jlnlearn.data.sources as sources
pd.set_option("display.max_rows", 3)
np.set_printoptions(precision=2)
pio.templates["polluted"] = pio.templates["plotly_dark"]
pio.templates.default = "polluted"
os.environ["LEAKED"] = "yes"
os.chdir("/")
sys.path.append("/polluted")
warnings.simplefilter("ignore")
sources.cite(["J02"])
leak = 1
"""


def test_nothing_a_notebook_changes_reaches_the_next(tmp_path):
    before, polluter, after = probe_notebook(PROBE), probe_notebook(POLLUTE), probe_notebook(PROBE)
    assert shell.run_notebook(before, tmp_path, 60) == (None, None)
    assert shell.run_notebook(polluter, tmp_path, 60) == (None, None)
    assert shell.run_notebook(after, tmp_path, 60) == (None, None)
    seen = [nb.cells[0].outputs[0].text for nb in (before, after)]
    assert seen[0] == seen[1]
    assert f" None {tmp_path} False " in seen[1]  # no LEAKED variable, its own folder, no leaked global


def test_outputs_are_recorded_in_order_with_their_execution_counts(tmp_path):
    notebook = new_notebook(cells=[
        new_code_cell("print('one')\nfrom IPython.display import display, Markdown\ndisplay(Markdown('**two**'))\n"
                      "print('three')"),
        new_code_cell(""),
        new_code_cell("6 * 7"),
        new_code_cell("input('who?')"),
    ])
    cell, error = shell.run_cells(notebook, tmp_path, 60)
    first, empty, answer, asks = notebook.cells
    assert [(o.output_type, o.get("text") or o.data["text/markdown"]) for o in first.outputs] == [
        ("stream", "one\n"), ("display_data", "**two**"), ("stream", "three\n")]
    assert (first.execution_count, empty.execution_count, answer.execution_count) == (1, None, 2)
    assert answer.outputs[0].output_type == "execute_result" and answer.outputs[0].data["text/plain"] == "42"
    assert (cell, error) == (3, f"StdinNotImplementedError: {shell.NO_INPUT}")
    assert asks.outputs[-1].output_type == "error"


def test_a_cell_past_its_time_limit_fails_with_its_number(tmp_path):
    notebook = new_notebook(cells=[new_code_cell("x = 1"), new_code_cell("import time\nwhile True:\n    time.sleep(0.05)")])
    assert shell.run_cells(notebook, tmp_path, 0.5) == (2, "CellTimeout: the cell ran longer than 0.5 s")


def test_a_magic_only_a_kernel_knows_runs_the_notebook_in_a_kernel(tmp_path, capsys):
    task = plan.Task("GHA", "Ghana", FIXTURES / "magic" / "01_kernel_magic.ipynb", "key", {"country": "GHA"})
    notebook, cell, error = run.WarmEngine().execute(task)
    assert (cell, error) == (None, None)
    assert "ran in a kernel for GHA" in notebook.cells[-1].outputs[0].text
    assert "run in a kernel (Line magic function `%connect_info` not found" in capsys.readouterr().err


def process_of(outcome: run.Outcome) -> int | None:
    """The worker process a fixture notebook of ``fixtures/warm`` ran in, from its executed notebook."""
    notebook = json.loads(outcome.files[run.page_path(outcome.result, ".ipynb")])
    text = "".join("".join(output.get("text", "")) for cell in notebook["cells"] for output in cell.get("outputs", []))
    return int(re.search(r"process (\d+)", text).group(1))


def warm_task(iso3: str) -> plan.Task:
    return plan.Task(iso3, iso3, FIXTURES / "warm" / "01_process.ipynb", "key", {"country": iso3})


def test_workers_are_replaced_after_a_number_of_tasks_and_after_a_failure(tmp_path):
    codes = ["GHA", "IDN", "PHL", "LAO", "VNM", "MLI"]
    with WorkerPool(1, tmp_path / "log", "warm", recycle_after=2) as pool:
        found = {o.result.folder: o for o in pool.run([warm_task(code) for code in codes], tmp_path / "log")}
    assert found["LAO"].result.error == "ValueError: deliberately broken for LAO"
    process = {code: process_of(found[code]) for code in codes}
    assert process["GHA"] == process["IDN"] != process["PHL"]  # two tasks, then a new worker
    assert process["PHL"] == process["LAO"] != process["VNM"]  # a failure: a new worker
    assert process["VNM"] == process["MLI"]


def test_a_killed_worker_fails_its_task_and_the_others_go_on(tmp_path, workers):
    found = {o.result.folder: o.result for o in workers.run([warm_task(c) for c in ["GHA", "KEN", "PHL", "IDN"]],
                                                             tmp_path / "log")}
    assert found["KEN"].error == ("the worker running it was stopped by SIGKILL (out of memory, or killed)")
    assert [found[c].status for c in ["GHA", "PHL", "IDN"]] == ["built"] * 3


def test_a_worker_past_the_task_time_limit_is_stopped(tmp_path, workers, monkeypatch):
    sleepy = plan.Task("GHA", "Ghana", FIXTURES / "slow" / "01_sleepy.ipynb", "key", {"country": "GHA"})
    monkeypatch.setattr(workers, "time_limit", 3)
    [outcome] = workers.run([sleepy], tmp_path / "log")
    assert outcome.result.error == "it ran longer than 3 s and its worker was stopped"
    assert b"ran longer than 3 s" in outcome.files["GHA/01_sleepy.html"]


def test_one_pool_serves_builds_with_different_environments(tmp_path, workers, monkeypatch):
    """A reused worker sees each build's environment (here an extra country) and writes each build's log."""
    from tests.conftest import write_test_country

    extra = tmp_path / "extra"
    extra.mkdir()
    write_test_country(extra)
    plain = reports.build_reports("GHA", "01", tmp_path / "plain", options=Options(workers=workers, notebooks_dir=FIXTURES / "warm"))
    monkeypatch.setenv("JLNLEARN_EXTRA_DATA", str(extra))
    more = reports.build_reports("ZZZ", "01", tmp_path / "more", options=Options(workers=workers, notebooks_dir=FIXTURES / "warm"))
    assert [r.status for r in plain.results + more.results] == ["built", "built"]
    assert (tmp_path / "more" / "build.log").exists() and (tmp_path / "plain" / "build.log").exists()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """A real Dask scheduler and two worker processes, each started on its own on 127.0.0.1, as a
    facilitator would with ``dask scheduler`` and ``dask worker``, in an environment that names no
    language and no extra rows: whatever the pages need must come with the tasks."""
    pytest.importorskip("distributed")
    dask = Path(sys.executable).with_name("dask")
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("JLNLEARN_LANG", "JLNLEARN_EXTRA_DATA")}
    address = f"tcp://127.0.0.1:{free_port()}"
    log = (tmp_path_factory.mktemp("dask") / "dask.log").open("w")
    started = [subprocess.Popen([str(dask), "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                                 "--no-dashboard"], env=environment, stdout=log, stderr=log)]
    started.append(subprocess.Popen([str(dask), "worker", address, "--nworkers", "2", "--nthreads", "1",
                                     "--host", "127.0.0.1", "--no-dashboard"], env=environment, stdout=log, stderr=log))
    try:
        import distributed

        with distributed.Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            process.wait(timeout=30)
        log.close()


def test_dask_builds_the_same_pages_and_survives_a_killed_worker(tmp_path, workers, dask_cluster):
    local = reports.build_reports("GHA,PHL", "01", tmp_path / "local",
                                  options=Options(workers=workers, notebooks_dir=FIXTURES / "notebooks"))
    on_dask = reports.build_reports("GHA,PHL", "01", tmp_path / "dask",
                                    options=Options(scheduler=dask_cluster, notebooks_dir=FIXTURES / "notebooks"))
    killed = reports.build_reports("GHA,KEN,PHL", "01", tmp_path / "killed",
                                   options=Options(scheduler=dask_cluster, notebooks_dir=FIXTURES / "warm"))
    assert [r.status for r in on_dask.results] == [r.status for r in local.results]
    assert compare(tmp_path / "local", tmp_path / "dask").returncode == 0
    statuses = {r.folder: (r.status, r.error or "") for r in killed.results}
    assert statuses["GHA"] == statuses["PHL"] == ("built", "")
    assert statuses["KEN"][0] == "failed" and statuses["KEN"][1].startswith("the cluster could not run it")
    assert (tmp_path / "killed" / "index.html").is_file()


def test_french_pages_from_dask_workers_that_know_no_language_are_french(tmp_path, dask_cluster):
    """The language travels with each task: a worker started without one writes the page in French."""
    from tests.test_french import english_fragments

    english = reports.build_reports("SEN", "06", tmp_path, options=Options(scheduler=dask_cluster))
    french = reports.build_reports("SEN", "06", tmp_path, lang="fr", options=Options(scheduler=dask_cluster))
    assert [r.status for r in english.results + french.results] == ["built", "built"]
    in_english = (tmp_path / "SEN" / "06_country_profile.html").read_text(encoding="utf-8")
    in_french = (tmp_path / "fr" / "SEN" / "06_country_profile.html").read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", " ", html.unescape(in_english)).split())
    shown = {fragment for fragment in english_fragments() if fragment in text}
    assert len(shown) >= 10, shown  # the English page says these (headings, the brief's rows, the footer)
    french_text = " ".join(re.sub(r"<[^>]+>", " ", html.unescape(in_french)).split())
    assert sorted(fragment for fragment in shown if fragment in french_text) == []
    assert '<html lang="fr"' in in_french and "Profil de pays" in in_french


def test_a_dask_worker_whose_inputs_differ_fails_each_page_saying_so(tmp_path):
    """A worker whose package, data or catalogues hash differently from the build's runs nothing."""
    pytest.importorskip("distributed")
    from jlnlearn.reports import cluster

    plugin = cluster.WarmWorker("warm", "the build's digest")
    plugin.engine = run.engine_named("warm")  # as after setup; it must not be used
    task = plan.Task("GHA", "Ghana", FIXTURES / "notebooks" / "01_small_chart.ipynb", "key", {"country": "GHA"},
                     language="fr")
    outcome = plugin.run(task, task.notebook.read_text(encoding="utf-8"))
    assert outcome.result.status == "failed" and outcome.result.error == cluster.MISMATCH
    assert "translation catalogues differ" in outcome.result.error
    assert b"translation catalogues differ" in outcome.files["GHA/01_small_chart.html"]


def test_an_unreachable_scheduler_is_bad_usage(tmp_path, capsys, monkeypatch):
    pytest.importorskip("distributed")
    from jlnlearn.cli import main
    from jlnlearn.reports import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 2)
    code = main(["reports", "--countries", "GHA", "--notebooks", "06", "--out", str(tmp_path),
                 "--scheduler", "tcp://127.0.0.1:9"])
    assert code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err


@pytest.mark.parametrize("engine", ["warm", "kernel"])
def test_an_output_that_fails_to_display_fails_the_page_with_its_cell(tmp_path, engine, monkeypatch):
    # IPython prints the traceback of a failing _repr_html_ and goes on: the page must not show it as content
    notebook = new_notebook(cells=[
        new_code_cell('country = "GHA"', metadata={"tags": ["parameters"]}),
        new_code_cell("class Broken:\n    def _repr_html_(self):\n        return '{name}'.format(other=1)\n"),
        new_code_cell("Broken()"),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                 "language_info": {"name": "python"}})
    path = tmp_path / "01_broken_display.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    task = plan.Task("GHA", "Ghana", path, "key", {"country": "GHA"})
    for name, value in run.Engine.ENVIRONMENT.items():  # what a run sets in its process, undone after the test
        monkeypatch.setenv(name, value)
    outcome = run.ENGINES[engine]().run(task)
    assert outcome.result.status == "failed"
    assert outcome.result.error.startswith("KeyError: 'name'")
    assert outcome.result.cell == 4  # the third cell, after the injected parameters
