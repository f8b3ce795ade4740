"""The content the lessons stand on: every country the data cover, one vocabulary, quotes."""

from __future__ import annotations

import re

import jlnlearn
from jlnlearn.data import schema
from jlnlearn.lessons import pairing

LEVELS = ["primary care", "outpatient specialist", "inpatient/hospital", "all levels", "not specified"]


def test_every_country_the_derived_tables_cover_is_in_countries():
    codes = {c.iso3 for c in jlnlearn.countries()}
    assert len(codes) == 47
    assert set(jlnlearn.load("indicators").iso3) == codes  # Kosovo through the World Bank rows only


def test_membership_is_documented_or_says_it_is_not():
    memberships = {c.iso3: c.membership for c in jlnlearn.countries()}
    assert set(memberships.values()) == {"member", "associate", "not documented"}
    assert memberships["KHM"] == "member" and memberships["SDN"] == "associate"
    assert memberships["CHL"] == "not documented"  # no source used says Chile is a member
    for subject in jlnlearn.countries():
        if subject.membership != "not documented":
            assert jlnlearn.load("countries").set_index("iso3").loc[subject.iso3, "membership_source_id"]


def test_derived_tables_name_the_countries_they_lack():
    covered = {c.iso3: c.name for c in jlnlearn.countries()}
    for table in ["population_age_sex", "covid_weekly", "covid_vaccination"]:
        missing = sorted(set(covered) - set(jlnlearn.load(table).iso3))
        description = schema.resource(table)["description"]
        assert missing, table
        for iso3 in missing:
            assert covered[iso3] in description, f"{table} lacks {covered[iso3]} but does not say so"


def test_at_least_35_countries_have_a_documented_phc_payment_mechanism():
    counts = jlnlearn.fact_counts()
    assert (counts.phc_mechanisms > 0).sum() >= 35


def test_one_vocabulary_for_the_level_of_care():
    field = next(f for f in schema.fields("payment_mechanisms") if f["name"] == "level_of_care")
    assert field["constraints"]["enum"] == LEVELS
    for old in ["'hospital care'", "'inpatient'", "'outpatient'"]:
        assert old in field["description"], f"the mapping from {old} is documented"
    assert set(jlnlearn.load("payment_mechanisms").level_of_care.astype(str)) <= set(LEVELS)


def test_a_pairing_compares_like_with_like():
    """Kenya's NHIF outpatient capitation and the Philippines' Konsulta are both primary care now,
    and the Philippines' case rates sit with the other hospital payment, not in a row of their own."""
    table = pairing.mechanisms_by_level("PHL,KEN").set_index("level of care")
    assert "capitation" in table.loc["primary care", "Philippines"]
    assert "capitation" in table.loc["primary care", "Kenya"]
    assert table.loc["inpatient/hospital", "Philippines"] == "case-based (in use; C-PH4)"
    assert not {"outpatient", "inpatient", "hospital care"} & set(table.index)


def test_rows_added_after_the_first_wave_carry_a_short_quote():
    for table, key in [("payment_mechanisms", "fact_id"), ("reforms", "reform_id"),
                       ("covid_measures", "measure_id")]:
        field = next(f for f in schema.fields(table) if f["name"] == "quote")
        first_wave = set(field["jlnlearn:requiredExceptFor"]["values"])
        rows = jlnlearn.load(table)
        new = rows[~rows[key].isin(first_wave)]
        assert len(new) > 0
        assert new.quote.notna().all()
        assert (new.quote.str.split().str.len() <= 25).all()


def test_one_source_id_per_page():
    sources = jlnlearn.load("sources")
    urls = sources.url.dropna()
    urls = urls[urls != ""]
    repeated = urls[urls.duplicated(keep=False)]
    # the JLN events listing is where one post was read, and WHO's COVID-19 data page publishes both
    # its weekly counts and its vaccination file; every other address is one source
    assert set(repeated) <= {"https://jointlearningnetwork.org/category/events/", "https://covid19.who.int/data"}
    assert not {"J01", "J08", "J10", "J15"} & set(sources.source_id)
    mirrors = re.compile(r"scribd|slideshare|docslib|vdocuments|pdfslide|fdocuments|php-proxy")
    dataset_urls = sources[sources.kind == "dataset"].url.dropna()
    assert not any(mirrors.search(url) for url in dataset_urls)


#: Sites that host copies of other publishers' documents: where a source was read, never its address.
DOCUMENT_SHARING = re.compile(r"scribd|slideshare|docslib|vdocuments?\.|pdfslide|fdocuments|php-proxy|issuu|yumpu"
                              r"|1library|dokumen\.pub|studocu|coursehero|pdfcoffee|docplayer|5y1\.org", re.IGNORECASE)


def test_every_source_is_addressed_at_its_publisher_or_says_why_not():
    sources = jlnlearn.load("sources")
    shared = sources[sources.url.fillna("").str.contains(DOCUMENT_SHARING)]
    assert shared.source_id.tolist() == []  # a copy read on such a site is named in notes, as where it was read
    cited = set()
    for table in ("payment_mechanisms", "payment_rates", "reforms", "covid_measures", "covid_figures"):
        rows = jlnlearn.load(table)
        cited |= set(rows.source_id) | {part for ids in rows.more_source_ids.dropna() for part in ids.split(";")}
    unaddressed = sources[sources.source_id.isin(cited) & sources.url.isna()]
    assert unaddressed.notes.notna().all(), unaddressed.source_id[unaddressed.notes.isna()].tolist()
    assert len(cited) > 250  # every fact table's sources were read
