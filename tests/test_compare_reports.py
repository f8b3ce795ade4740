"""scripts/compare_reports.py: pages the same but for table ids and build times compare equal."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

SCRIPT = REPO / "scripts" / "compare_reports.py"


def run(*folders) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, folders)], capture_output=True, text=True)


def test_pages_that_differ_only_in_ids_and_times_are_the_same(tmp_path):
    before, after = tmp_path / "before", tmp_path / "after"
    for folder, table_id, seconds in [(before, "T_3f9a1", "2.7"), (after, "T_b00c2", "3.1")]:
        (folder / "GHA").mkdir(parents=True)
        (folder / "GHA" / "06.html").write_text(f'<table id="{table_id}"><td>Ghana</td></table>')
        (folder / "index.html").write_text(f"<td><small>{seconds} s</small></td>")
    result = run(before, after)
    assert result.returncode == 0
    assert result.stdout.strip() == "2 of 2 pages the same, 0 different"


def test_a_changed_or_missing_page_is_named_with_its_first_change(tmp_path):
    before, after = tmp_path / "before", tmp_path / "after"
    for folder, name in [(before, "Ghana"), (after, "Ghana, Republic of")]:
        folder.mkdir()
        (folder / "06.html").write_text(f"<h1>{name}</h1>")
    (before / "01.html").write_text("<h1>only here</h1>")
    result = run(before, after)
    assert result.returncode == 1
    assert "06.html: -<h1>Ghana</h1>" in result.stdout
    assert f"01.html: only in {before}" in result.stdout
    assert "0 of 2 pages the same, 2 different" in result.stdout
