"""Country pairings (notebook 05): requests checked, resource countries scored by hand-checked rules."""

from __future__ import annotations

import math
import re

import nbformat
import pandas as pd
import pytest

from jlnlearn import cli, present, reports
from jlnlearn.errors import UnknownCountryError
from jlnlearn.lessons import pairing
from jlnlearn.reports import Options, Pairing, teaching
from tests.conftest import REPO


@pytest.mark.parametrize("spec, message", [
    ("GHA", "a pairing needs 2 or 3 countries, got 1: 'GHA'"),
    ("GHA,KEN,PHL,NGA", "a pairing needs 2 or 3 countries, got 4: 'GHA, KEN, PHL, NGA'"),
    ("Laos, LAO", "a pairing needs different countries: Lao PDR is given twice"),
])
def test_a_pairing_is_two_or_three_different_countries(spec, message):
    with pytest.raises(pairing.PairingError, match=re.escape(message)):
        pairing.parse_pairing(spec)


def test_an_unknown_country_or_topic_says_what_is_valid():
    with pytest.raises(UnknownCountryError, match="Ghanna"):
        pairing.parse_pairing("Ghanna,KEN")
    with pytest.raises(pairing.PairingError) as raised:
        pairing.topic("drgs")
    assert "valid topics: capitation, case-based, performance, global-budget, insurance" in str(raised.value)


def test_experience_points_follow_the_status_of_each_documented_mechanism():
    """From payment_mechanisms.csv: Kenya's NHIF pays capitation in use (two rows, one purchaser:
    one experience), Ghana's NHIA one that ended, Lao PDR's NHIB two levels designed and the lower
    level in use since 2016 (one purchaser: one experience, in use), China one pilot, Lebanon one designed."""
    experience = pairing.topic_experience("capitation").set_index("iso3")
    points = experience.points
    assert points[["KEN", "GHA", "LAO", "CHN", "LBN"]].tolist() == [1.0, 0.75, 1.0, 0.5, 0.25]
    assert experience.loc["KEN", "facts"] == [
        "capitation for primary care (in use, National Hospital Insurance Fund; C-KE8; C-KE9)"]
    assert "MLI" not in points.index
    insurance = pairing.topic_experience("insurance").set_index("iso3")
    assert any("Social Health Insurance Act 2023" in fact for fact in insurance.loc["KEN", "facts"])


def profiles(**rows):
    frame = pd.DataFrame(rows.values(), index=list(rows)).rename_axis("iso3").reset_index()
    return frame


def test_score_parts_by_hand():
    """AAA: 1 point (35 of 70), same income as both (10), same region as one of two (5),
    spending ten times the others' (0) and out-of-pocket 25 points off (0.5): 10 * 0.25 = 2.5."""
    experience = pd.DataFrame({"iso3": ["AAA", "BBB"], "points": [1.0, 3.0],
                               "facts": [["fact a"], ["fact b"]]})
    table = profiles(AAA={"income_group": "Low", "who_region": "AFR", "che_per_capita_usd": 1000.0, "oop_share": 55.0},
                     BBB={"income_group": "Low", "who_region": "AFR", "che_per_capita_usd": 100.0, "oop_share": 30.0},
                     CCC={"income_group": "Low", "who_region": "EUR", "che_per_capita_usd": 100.0, "oop_share": 30.0})
    scored = pairing.score_candidates(experience, table, ["BBB", "CCC"]).set_index("iso3")
    assert scored.loc["AAA", ["experience", "income group", "region", "spending profile", "score"]].tolist() == \
        [35.0, 10.0, 5.0, 2.5, 52.5]
    # BBB is in the pairing: scored against CCC only, and its 3 points are capped at the full 70.
    assert scored.loc["BBB", ["experience", "income group", "region", "spending profile"]].tolist() == \
        [70.0, 10.0, 0.0, 10.0]
    assert bool(scored.loc["BBB", "in_pairing"]) and not bool(scored.loc["AAA", "in_pairing"])
    assert scored.index.tolist() == ["BBB", "AAA"]  # best first
    assert scored.loc["AAA", "reasons"][1] == "income group Low: same as BBB, CCC"


def test_missing_profile_data_earns_nothing_and_says_so():
    experience = pd.DataFrame({"iso3": ["AAA"], "points": [2.0], "facts": [["fact"]]})
    table = profiles(AAA={"income_group": None, "who_region": "AFR", "che_per_capita_usd": math.nan, "oop_share": math.nan},
                     BBB={"income_group": "Low", "who_region": "AFR", "che_per_capita_usd": 80.0, "oop_share": 30.0})
    scored = pairing.score_candidates(experience, table, ["BBB"])
    row = scored.iloc[0]
    # income group and spending cannot be judged: not 0 points, left out of the score, named as not known;
    # 70 (experience) + 10 (region) of the 80 points that could be judged = 100.
    assert math.isnan(row["income group"]) and math.isnan(row["spending profile"])
    assert row.score == 100.0 and row.not_known == ["income group", "spending profile"]
    assert row.reasons[1:] == ["income group: not known", "WHO African Region: same as BBB",
                               "spending profile: no comparable data"]


def test_kenya_is_the_natural_resource_country_for_ghana_on_capitation():
    """Kenya: 1 point, its NHIF's capitation counted once (35), lower middle income like Ghana (10),
    AFR (10), and spending of US$ 90.4 against 82.3 per person and 24.2% against 25.0% out of
    pocket: (1 - ln(90.4/82.3)/ln 10 + 1 - 0.8/50) / 2 = 0.972, so 9.7 of 10. Total 64.7."""
    scored = pairing.score_candidates(pairing.topic_experience("capitation"), pairing.spending_profiles(),
                                      ["GHA", "KEN"]).set_index("iso3")
    assert scored.loc["KEN", "score"] == pytest.approx(64.7, abs=0.1)  # scored against Ghana alone
    assert "capitation for primary care (in use, National Hospital Insurance Fund" in scored.loc["KEN", "reasons"][0]
    # but a country of the pairing is never suggested as its resource country
    suggestions = pairing.suggest_resource_countries("capitation", "GHA,KEN").set_index("iso3")
    assert "KEN" not in suggestions.index and "GHA" not in suggestions.index
    # depth of experience first: Thailand (capitation in two schemes, 2 points) above Tanzania (1 point)
    assert suggestions.index.tolist()[:3] == ["THA", "COL", "TZA"] and suggestions.loc["THA", "country"] == "Thailand"
    # Ethiopia's income group is not classified: judged on the other 90 points, (35 + 10 + spending) / 90.
    ethiopia = pairing.suggest_resource_countries("capitation", "GHA,KEN", limit=10).set_index("iso3").loc["ETH"]
    assert ethiopia.not_known == ["income group"]
    assert ethiopia.score == pytest.approx(100 * (35 + 10 + ethiopia["spending profile"]) / 90, abs=0.1)


def test_side_by_side_tables():
    levels = pairing.mechanisms_by_level("PHL,GHA").set_index("level of care")
    assert levels.loc["primary care"].tolist() == ["capitation (in use; C-PH3)", "capitation (ended; C-GH1)"]
    assert levels.loc["inpatient/hospital", "Philippines"] == "case-based (in use; C-PH4)"
    indicators = present.indicators_table("GHA,XKX").set_index("indicator")
    assert indicators.loc["health spending per person, US$", "Kosovo"] == "no data"
    assert indicators.loc["population", "Kosovo"].endswith("(2025)")
    assert present.pairing_headline(["PHL", "GHA", "KEN"], "case-based") == \
        "## Philippines, Ghana and Kenya: case-based hospital payment (DRGs)"
    questions = pairing.learning_questions("capitation")
    assert list(questions.columns) == ["question", "what the resource country did", "what we will try",
                                       "who, by when"]
    assert (questions.iloc[:, 1:] == "").all().all()


def test_pairing_pack_builds_into_the_same_folder_and_index(tmp_path, workers):
    reports.build_reports("GHA", "06", tmp_path, options=Options(workers=workers))
    build = reports.build_reports(out=tmp_path, pairing=Pairing("PHL,GHA,KEN", "capitation"), options=Options(workers=workers))
    assert [(r.folder, r.status) for r in build.results] == [("pairings/PHL-GHA-KEN-capitation", "built")]
    page = (tmp_path / "pairings" / "PHL-GHA-KEN-capitation" / "05_country_pairing.html").read_text("utf-8")
    assert "<title>Philippines, Ghana and Kenya: capitation: Preparing a country pairing</title>" in page
    assert "Philippines, Ghana and Kenya: capitation for primary care" in page
    assert '<script src="../../_static/plotly.min.js"></script>' in page
    assert "Who could be the resource country?" in page and "C-KE8" in page
    index = (tmp_path / "index.html").read_text("utf-8")
    assert 'href="GHA/06_country_profile.html">ok<' in index  # the earlier build is still listed
    assert 'href="pairings/PHL-GHA-KEN-capitation/05_country_pairing.html">Philippines, Ghana and Kenya' in index
    again = reports.build_reports(out=tmp_path, pairing=Pairing("PHL,GHA,KEN", "Capitation"), options=Options(workers=workers))
    assert again.results[0].status == "up to date"


@pytest.mark.parametrize("arguments, message", [
    (["--pairing", "GHA", "--topic", "capitation"], "a pairing needs 2 or 3 countries, got 1: 'GHA'"),
    (["--pairing", "GHA,Ghana", "--topic", "capitation"], "Ghana is given twice"),
    (["--pairing", "GHA,KEN", "--topic", "drg"], "valid topics: capitation, case-based, performance"),
    (["--pairing", "GHA,KEN"], "needs both --pairing (2 or 3 countries) and --topic"),
])
def test_bad_pairing_requests_exit_2_and_write_nothing(tmp_path, capsys, arguments, message):
    out = tmp_path / "never"
    assert cli.main(["reports", *arguments, "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_start_here_lists_every_notebook_as_the_notebooks_describe_themselves():
    start = nbformat.read(REPO / "notebooks" / "00_start_here.ipynb", as_version=4)
    text = "\n".join(cell.source for cell in start.cells if cell.cell_type == "markdown")
    table = text.split("<!-- catalogue: start -->")[1].split("<!-- catalogue: end -->")[0].strip()
    assert table == teaching.catalogue_markdown(), "00's table is stale: paste teaching.catalogue_markdown()"
    linked = set(re.findall(r"\]\((\d\d_\w+\.ipynb)\)", text))
    others = {path.name for path in (REPO / "notebooks").glob("*.ipynb")} - {"00_start_here.ipynb"}
    assert linked == others


def test_start_here_page_links_resolve_in_the_html_build(tmp_path, workers):
    build = reports.build_reports("GHA", "00", tmp_path, options=Options(workers=workers))
    assert [(r.folder, r.stem, r.status) for r in build.results] == [("", "00_start_here", "built")]
    page = (tmp_path / "00_start_here.html").read_text("utf-8")
    assert ".ipynb" not in re.sub(r"<code>.*?</code>", "", page)
    index = (tmp_path / "index.html").read_text("utf-8")
    targets = re.findall(r'href="(index\.html)#(\d\d_\w+)"', page)
    assert len({anchor for _, anchor in targets}) == 7
    for _, anchor in targets:
        assert f'id="{anchor}"' in index, anchor
    assert 'href="00_start_here.html"' in index
