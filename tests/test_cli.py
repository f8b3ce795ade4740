"""The jlnlearn command as a user runs it."""

import csv
import subprocess
import sys

from jlnlearn.cli import main
from tests.conftest import DATA, REPO


def run(*args):
    return subprocess.run([sys.executable, "-m", "jlnlearn", *args], capture_output=True,
                          text=True, cwd=REPO)


def test_validate_prints_one_summary_line():
    rows = 0
    for path in DATA.glob("*.csv"):
        with open(path, encoding="utf-8", newline="") as stream:
            rows += len(list(csv.reader(stream))) - 1
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"data: valid: {len(list(DATA.glob('*.csv')))} tables, {rows:,} rows\n"


def test_countries_lists_every_country_with_fact_counts(capsys):
    assert main(["countries"]) == 0
    out = capsys.readouterr().out
    assert "LAO   Lao PDR" in out
    assert "47 countries, 20 in the collaborative" in out
    assert out.index("-- other documented JLN members") < out.index("THA   Thailand") \
        < out.index("-- JLN membership not documented") < out.index("CHL   Chile")
    philippines = next(line for line in out.splitlines() if line.startswith("PHL"))
    # payment mechanisms, of which PHC, rates, reforms, COVID-19 measures: counted in the CSVs
    assert philippines.split()[-5:] == ["2", "1", "1", "6", "11"]


def test_no_command_is_bad_usage():
    result = run()
    assert result.returncode == 2
    assert "usage: jlnlearn" in result.stderr


def test_output_cut_short_by_a_pipe_is_not_an_error():
    """`jlnlearn countries | head -1`: the reader stops early; no traceback, exit 0."""
    listing = subprocess.Popen([sys.executable, "-m", "jlnlearn", "countries"], cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = listing.stdout.readline()
    listing.stdout.close()  # what head does after its line
    _, errors = listing.communicate(timeout=60)
    assert first.startswith(b"ISO3")
    assert errors == b"" and listing.returncode == 0
