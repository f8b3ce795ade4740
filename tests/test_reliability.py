"""One fault never takes a build down: a page that cannot be written, a second build, Ctrl-C, SIGTERM."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from filelock import FileLock

from jlnlearn import reports
from jlnlearn.cli import main
from jlnlearn.reports import Options
from tests.conftest import REPO, header

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"


def test_a_page_that_cannot_be_written_fails_alone_and_the_index_is_written(tmp_path, workers):
    (tmp_path / "GHA").write_text("a file where Ghana's folder would go", encoding="utf-8")
    build = reports.build_reports("GHA,LAO", "01", tmp_path, options=Options(workers=workers, notebooks_dir=FIXTURES))
    statuses = {r.folder: (r.status, r.error or "") for r in build.results}
    assert statuses["LAO"] == ("built", "")
    assert statuses["GHA"][0] == "failed" and statuses["GHA"][1].startswith("its files could not be written: ")
    assert build.unwritten == ["GHA/index.html: File exists"]
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="LAO/01_small_chart.html">ok<' in index
    assert '<td class="failed"><a href="GHA/01_small_chart.html">failed</a>' in index


def test_a_second_build_into_the_same_folder_is_refused(tmp_path, capsys):
    with FileLock(tmp_path / ".jlnlearn-build.lock"):  # as a first build holds it
        code = main(["reports", "--countries", "GHA", "--notebooks", "06", "--out", str(tmp_path)])
    assert code == 2
    assert f"another jlnlearn build is writing to {tmp_path}" in capsys.readouterr().err
    assert not (tmp_path / "GHA").exists()


def processes_marked(mark: str) -> list[int]:
    """Processes whose environment carries ``mark``: a build's command, workers and kernels."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and mark.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_ctrl_c_and_sigterm_end_a_build_promptly_index_what_finished_and_leave_no_process(tmp_path):
    """Two builds at once, one stopped as by Ctrl-C, the other by SIGTERM."""
    builds = {}
    for stop in (signal.SIGINT, signal.SIGTERM):
        out, mark = tmp_path / stop.name, f"jlnlearn-test-{uuid.uuid4().hex}"
        builds[stop] = out, mark, subprocess.Popen(
            [sys.executable, "-m", "jlnlearn", "reports", "--countries", "all", "--notebooks", "06",
             "--out", str(out), "--jobs", "1"],
            cwd=REPO, env={**os.environ, "JLNLEARN_TEST_MARK": mark},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            # as from a terminal: a test run started in the background (``make test &``) ignores SIGINT,
            # and a Python started so would keep ignoring it
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline, stopped = time.monotonic() + 120, {}
    while time.monotonic() < deadline and len(stopped) < len(builds):
        for stop, (out, _, process) in builds.items():  # each stopped once its first page is written
            if stop not in stopped and list(out.glob("*/.06_country_profile.json")):
                process.send_signal(stop)
                stopped[stop] = time.monotonic()
        time.sleep(0.05)
    for stop, (out, _, process) in builds.items():
        _, errors = process.communicate(timeout=60)
        assert process.returncode == 130, errors[-2000:]
        assert time.monotonic() - stopped[stop] < 15
        assert "interrupted;" in errors and "run again to resume" in errors
        index = (out / "index.html").read_text(encoding="utf-8")
        finished = [path.parent.name for path in out.glob("*/.06_country_profile.json")]
        assert 1 <= len(finished) < 47
        for iso3 in finished:
            assert f'href="{iso3}/06_country_profile.html">ok<' in index
    time.sleep(1)
    assert [processes_marked(mark) for _, mark, _ in builds.values()] == [[], []]


def test_bad_extra_rows_stop_the_build_before_any_page_changes(tmp_path, extra_dir, monkeypatch, capsys, workers):
    out = tmp_path / "reports"
    reports.build_reports("GHA", "01", out, options=Options(workers=workers, notebooks_dir=FIXTURES))
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    (extra_dir / "reforms.csv").write_text(
        header("reforms") + "\nGHA-bad,GHA,20X4,,,policy,A reform,J02,,the source's words\n", encoding="utf-8")
    monkeypatch.setenv("JLNLEARN_EXTRA_DATA", str(extra_dir))
    code = main(["reports", "--countries", "GHA", "--notebooks", "01", "--out", str(out), "--force"])
    assert code == 1
    assert "reforms.csv:2: date:" in capsys.readouterr().err
    assert {path: path.read_bytes() for path in out.rglob("*") if path.is_file()} == before


def test_a_pairing_with_a_country_or_notebook_choice_is_bad_usage(tmp_path, capsys):
    code = main(["reports", "--pairing", "GHA,KEN", "--topic", "capitation", "--countries", "PHL",
                 "--notebooks", "06", "--out", str(tmp_path)])
    assert code == 2
    assert ("--pairing builds one pack for the countries it names: leave out --countries and --notebooks"
            in capsys.readouterr().err)
    assert list(tmp_path.iterdir()) == []


def test_a_pasted_argument_is_echoed_cut_to_a_readable_line(tmp_path, capsys):
    pasted = "Ghanaa " * 700  # 4,900 characters, 4,899 once the last space is stripped
    code = main(["reports", "--countries", pasted, "--out", str(tmp_path)])
    message = capsys.readouterr().err.strip()
    assert code == 2
    assert message.startswith("jlnlearn reports: unknown country 'Ghanaa Ghanaa ")
    assert "…' (4,899 characters)" in message and len(message) < 200


@pytest.mark.parametrize("engine", ["warm", "kernel"])
def test_when_the_build_process_dies_its_workers_and_kernels_stop_at_once(tmp_path, engine):
    out, mark, started = tmp_path / "reports", f"jlnlearn-test-{uuid.uuid4().hex}", tmp_path / "started"
    script = ("import sys; from pathlib import Path; from jlnlearn.reports import Options, build_reports; "
              "build_reports('GHA', '01', sys.argv[1], "
              "options=Options(jobs=1, notebooks_dir=Path(sys.argv[2]), engine=sys.argv[3]))")
    build = subprocess.Popen([sys.executable, "-c", script, str(out), str(FIXTURES.parent / "orphan"), engine],
                             cwd=REPO, env={**os.environ, "JLNLEARN_TEST_MARK": mark,
                                            "JLNLEARN_TEST_STARTED": str(started)},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not started.exists():
        assert build.poll() is None and time.monotonic() < deadline, "the page never started"
        time.sleep(0.05)
    # the build, multiprocessing's fork server and resource tracker, the worker and, for the kernel engine,
    # its kernel
    assert len(processes_marked(mark)) == (5 if engine == "kernel" else 4)
    build.kill()
    build.wait()
    killed = time.monotonic()
    while processes_marked(mark) and time.monotonic() - killed < 10:
        time.sleep(0.1)
    assert processes_marked(mark) == []
    assert not (out / "GHA" / "01_long_page.html").exists()


def test_a_lock_or_log_that_is_a_link_is_replaced_never_followed(tmp_path, workers):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    for name in (".jlnlearn-build.lock", "build.log"):
        (out / name).symlink_to(elsewhere / name)  # links to files that would be created through them
    build = reports.build_reports("GHA", "01", out, options=Options(workers=workers, notebooks_dir=FIXTURES))
    assert [result.status for result in build.pages] == ["built"]
    assert list(elsewhere.iterdir()) == []  # nothing written through the links
    assert not (out / ".jlnlearn-build.lock").is_symlink() and not (out / "build.log").is_symlink()


def test_a_scheduler_address_that_does_not_speak_dask_ends_with_a_message_and_exit_2(tmp_path, capsys):
    import socket
    import threading

    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def answer_as_http() -> None:  # a web server, say: Dask reads "HTTP/1.1" as a frame of 3 EiB
        with contextlib.suppress(OSError):
            while True:
                connection, _ = server.accept()
                connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n" * 4)
                time.sleep(0.5)
                connection.close()

    threading.Thread(target=answer_as_http, daemon=True).start()
    started = time.monotonic()
    try:
        code = main(["reports", "--countries", "GHA", "--notebooks", "01", "--scheduler", f"tcp://127.0.0.1:{port}",
                     "--out", str(tmp_path / "out")])
    finally:
        server.close()
    error = capsys.readouterr().err
    assert code == 2, error
    assert f"tcp://127.0.0.1:{port}" in error and "Traceback" not in error
    assert time.monotonic() - started < 60
    assert not list((tmp_path / "out").rglob("*.html"))
