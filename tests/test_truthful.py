"""What a page says about its country is true and a reader can use it: a pilot is never the national
way of paying, no sentence contradicts the numbers shown above it, every amount a measure states is in
the numbers table with a US$ value only where its currency is the country's, and no page tells a reader
to run cells or shows them code, file paths or internal ids (checked on every country's built pages),
and every country's French pages keep no English the collection wrote."""

from __future__ import annotations

import csv
import functools
import html
import io
import json
import re

import pytest

from jlnlearn import present
from jlnlearn.data import countries, country, load, schema
from jlnlearn.i18n import _, labelled, language_set
from jlnlearn.lessons import covid, pairing, profile
from jlnlearn.present.labels import CODED_COLUMNS
from jlnlearn.present.readings import named_in_sentence
from jlnlearn.reports.chartdata import points_table
from tests.conftest import DATA, REPO, pages_in, read_pages, reader_problems

ALL = [subject.iso3 for subject in countries()]
#: A number grouped the English way (1,000,000), which a French page writes 1 000 000. In French, 177,038 is
#: a decimal (177.038 in English), so a number counts as left in English only where the English page has it
#: in the collection's own words too.
ENGLISH_GROUPING = re.compile(r"\d{1,3}(?:,\d{3})+(?![\d,])")
#: A preposition left before a country's article, which French contracts ("de le Kenya" is "du Kenya").
UNCONTRACTED = re.compile(r"\b(?:[Dd]e|[Àà]) [Ll]es? [A-ZÉ]\w+")
#: The countries whose only documented ways of paying primary care are pilots, designs or ended schemes.
NO_NATIONAL = {"EGY", "GHA", "MMR", "PAK", "SEN", "XKX", "ZAF"}


def test_the_countries_without_a_national_mechanism_are_those_whose_rows_are_all_pilots_designs_or_ended():
    mechanisms = load("payment_mechanisms")
    primary = mechanisms[mechanisms.level_of_care.isin(["primary care", "all levels"])]
    assert set(primary.groupby("iso3").status.apply(lambda status: "in use" not in set(status))
               .loc[lambda no_use: no_use].index) == NO_NATIONAL


@pytest.mark.parametrize("iso3", ALL)
def test_a_pilot_design_or_ended_scheme_is_never_how_the_country_pays_primary_care(iso3):
    primary = profile.primary_care_mechanisms(iso3)
    brief = present.brief_table(iso3)
    paying = brief[brief.headline == "paying primary care"].value.tolist()
    reading = present.primary_care_reading(iso3)
    if iso3 in NO_NATIONAL:
        assert paying == ["no national mechanism documented"]
        assert reading.startswith(f"No source in the data documents a way {named_in_sentence(iso3)} pays for "
                                  "primary care nationally; they document only a ")
    elif primary.empty:
        assert paying == ["not documented"]
    else:
        assert len(paying) == int(primary.in_use.sum())
        assert not any(word in value for value in paying for word in (" pilot", ", ended", ", designed"))
        national = reading.split(" They also document, not as national practice: ")[0]
        assert not any(word in national for word in (" pilot", ", ended", ", designed"))
    others = brief[brief.headline == "pilots, plans, ended schemes"]
    assert len(others) == int((~primary.in_use).sum())


def test_senegals_pay_for_performance_pilot_is_named_as_a_pilot_with_the_year_it_began():
    assert present.primary_care_reading("SEN") == (
        "No source in the data documents a way Senegal pays for primary care nationally; they document only a "
        "pay-for-performance pilot, paid by Health and Nutrition Financing Project (PFSN), Ministry of Health "
        "with World Bank, begun in 2015.")  # a payer with brackets of its own is not bracketed again
    assert present.brief_table("SEN").iloc[-1].tolist() == [
        "pilots, plans, ended schemes", "pay-for-performance pilot, paid by Health and Nutrition Financing "
        "Project (PFSN), Ministry of Health with World Bank", "begun in 2015", "C-SN7"]


#: An amount in a measure's words: a currency before a number, with an optional million, billion or trillion.
AMOUNT = re.compile(r"(?:\b[A-Z]{3}|CFAF|US\$|\$|Rs|TL|RM|P|¥)\s?(\d[\d,]*(?:\.\d+)?)(?:\s(million|billion|trillion))?\b")
SCALE = {None: 1, "million": 1e6, "billion": 1e9, "trillion": 1e12}
#: Measures whose amounts are not figures of their own, and why.
NOT_FIGURES = {
    "IND-2020-emergency-funds": "the cited article's stored text gives only a rounded headline amount",
    "BWA-2020-emergency-funds": "the cited source's stored text does not state the P2 billion",
}


def test_every_amount_a_measures_words_state_is_a_figure_of_that_measure():
    measures, figures = load("covid_measures"), load("covid_figures")
    missing = []
    for measure in measures.itertuples():
        if measure.measure_id in NOT_FIGURES:
            continue
        values = figures[figures.measure_id == measure.measure_id].value.astype(float).tolist()
        for number, scale in AMOUNT.findall(measure.description):
            amount = float(number.replace(",", "")) * SCALE[scale or None]
            if amount >= 1900 and not scale and amount <= 2100:
                continue  # a year
            if not any(abs(value - amount) <= 0.01 * amount for value in values):
                missing.append(f"{measure.measure_id}: {number} {scale}")
    assert missing == []


@pytest.mark.parametrize("iso3", ALL)
def test_no_sentence_says_no_number_is_documented_under_measures_that_state_amounts(iso3):
    measures = present.measures_table(iso3)
    if present.figures_table(iso3).empty:
        assert not any(AMOUNT.search(text) for text in measures.measure), iso3


def test_amounts_in_another_currency_than_the_countrys_are_never_converted_with_its_rate():
    moldova = present.figures_table("MDA").set_index("figure")
    euros = moldova.loc["Total mandatory health insurance funding for 2020"]
    assert euros.number == "EUR 432 million"
    assert euros["in US$"] == "not converted: EUR is not the currency of Moldova's exchange rate"
    zambia = present.figures_table("ZMB").set_index("figure")
    dmmu = zambia.loc[zambia.index.str.startswith("Budget set aside under the DMMU")].iloc[0]
    assert dmmu.number == "ZMW 659 million"  # 659,000,000 / 18.34 ZMW per US$ = 35.9 million
    assert dmmu["in US$"] == "US$ 35.9 million (2020 rate, 18.34 ZMW per US$)"
    for iso3 in ALL:
        rows = present.figures_table(iso3)
        converted = rows[rows["in US$"].str.contains(" rate, ")]
        for number, usd in zip(converted.number, converted["in US$"], strict=True):
            assert f" {country(iso3).currency} per US$)" in usd, (iso3, number, usd)


def test_a_figure_names_its_measure_in_words_not_by_its_id():
    table = present.figures_table("PHL")
    assert not table.measure.str.contains(r"^[A-Z]{3}-").any()
    assert "payment change, 15 April 2020" in set(table.measure)


# -- every country's built pages, as a reader sees them ------------------------------------------


@pytest.fixture(scope="module")
def built(collection):
    return collection.out


@pytest.fixture(scope="module")
def lessons(built) -> list:
    """Every country's English lessons 01 to 04, whose French twins sit under ``fr/``."""
    return pages_in(built, "[A-Z][A-Z][A-Z]/0[1-4]_*.html")


@pytest.fixture(scope="module")
def read(built, lessons, browser) -> dict:
    """Each country's English pages and each pairing pack as a reader sees it, read once for this module."""
    return read_pages(browser, pages_in(built, "[A-Z][A-Z][A-Z]/0*.html") + pages_in(built, "pairings/*/*.html"))


def test_no_page_of_any_country_tells_a_reader_to_run_code_or_shows_code_paths_or_ids(built, lessons, read):
    assert len(lessons) == 4 * len(ALL) and set(lessons) < set(read)
    assert "Not documented for Tunisia" in read[built / "TUN" / "01_ppm_journey.html"]  # the text is read
    found = {str(path.relative_to(built)): reader_problems(text) for path, text in read.items()}
    assert {page: problems for page, problems in found.items() if problems} == {}


# -- every country's French pages beside their English twins ---------------------------------------


def letters(text: str) -> str:
    """``text`` in lower case without spaces or punctuation: a fact reads the same however a page lays it out
    (a source's title, publisher and year as one list item, a chart label wrapped at a hyphen)."""
    return re.sub(r"\W+", "", text.lower())


def data_text() -> str:
    """Every cell of the data package, in :func:`letters`: the facts whose words a page keeps in the
    source's language (details, quotes, schemes, sources' titles, names as the data write them)."""
    cells = [cell for path in sorted(DATA.glob("*.csv"))
             for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))) for cell in row]
    return letters(" ".join(cells))


def phrases(text: str) -> set[str]:
    """The page's lines, table cells and list items (``;`` and ``·`` separate items; a source list's
    ``[id]`` left out) of four words or more."""
    parts = (" ".join(re.sub(r"^\s*\[[\w-]+\]", "", part).split()) for part in re.split(r"[\n\t;·]", text))
    return {part for part in parts if len(part.split()) >= 4}


def english_words() -> dict[str, str]:
    """Each category the data set in words (mechanism, level of care, status, kind of measure...) and each
    country's name, with its French, where French writes it differently ("pilot": "pilote", "South
    Africa": "Afrique du Sud")."""
    words = {value for table in schema.table_names() for field in schema.fields(table)
             if f"{table}.{field['name']}" not in CODED_COLUMNS
             for value in field.get("constraints", {}).get("enum", []) if isinstance(value, str)}
    with language_set("fr"):
        named = {subject.english_name: subject.name for subject in countries()}
        return {**{word: _(word) for word in words}, **named}


def test_the_start_page_asks_a_reader_of_the_pages_to_run_nothing(built):
    """The pages are read, not run: the start page keeps the notebooks, the countries and where to run
    the notebooks, but not how to set a parameters cell and run all cells, which only JupyterLab has."""
    page = (built / "00_start_here.html").read_text(encoding="utf-8")
    assert "Run All Cells" not in page and "<em>parameters</em> cell" not in page
    assert "The countries in the data, with how many facts are documented for each" in page
    notebook = json.loads((REPO / "notebooks" / "00_start_here.ipynb").read_text(encoding="utf-8"))
    running = [cell for cell in notebook["cells"] if "Run All Cells" in "".join(cell["source"])]
    assert [cell["metadata"].get("tags") for cell in running] == [["notebook-only"]]  # still said in JupyterLab


def test_every_countrys_french_lessons_keep_no_english_the_collection_wrote(built, lessons, read, browser):
    """What the English page says in the collection's words (a line, a cell, an item of four words or more
    that is not a fact's own words from the data) is absent from the French page; the page's title names
    the country in French, no cell, line or item is a category or a country's name left in English, and
    no number the collection wrote is grouped the English way, and no country's article is left
    uncontracted after a preposition."""
    french = read_pages(browser, [built / "fr" / path.relative_to(built) for path in lessons])
    facts = data_text()
    from_data = functools.cache(lambda phrase: letters(phrase) in facts)  # sources' titles recur country to country
    english = {word for word, translated in english_words().items() if translated != word}
    assert {"pilot", "in use", "primary care", "line-item budget", "South Africa", "Senegal"} <= english
    left, titles, words, grouped, uncontracted = {}, {}, {}, {}, {}
    for path in lessons:
        page = built / "fr" / path.relative_to(built)
        text = " ".join(french[page].split())
        left[page] = sorted(phrase for phrase in phrases(read[path]) if phrase in text and not from_data(phrase))
        with language_set("fr"):
            name = country(path.parent.name).name
            title = labelled(name, "")  # "Sénégal : ", a no-break space before the colon
        if f"<title>{html.escape(title, quote=False)}" not in page.read_text(encoding="utf-8"):
            titles[page] = name
        words[page] = sorted({" ".join(item.split()) for item in re.split(r"[\n\t;·]", french[page])} & english)
        in_english = {number for phrase in phrases(read[path]) if ENGLISH_GROUPING.search(phrase)
                      and not from_data(phrase) for number in ENGLISH_GROUPING.findall(phrase)}
        uncontracted[page] = UNCONTRACTED.findall(french[page])
        grouped[page] = sorted(phrase for phrase in phrases(french[page])
                               if in_english.intersection(ENGLISH_GROUPING.findall(phrase)) and not from_data(phrase))
    assert len(french) == 4 * len(ALL)
    assert "Non documenté pour la Tunisie" in french[built / "fr" / "TUN" / "01_ppm_journey.html"]
    assert {str(page.relative_to(built)): found[:3] for page, found in left.items() if found} == {}
    assert titles == {}
    assert {str(page.relative_to(built)): found for page, found in words.items() if found} == {}
    assert {str(page.relative_to(built)): found[:3] for page, found in grouped.items() if found} == {}
    assert {str(page.relative_to(built)): found for page, found in uncontracted.items() if found} == {}


def test_a_sparse_countrys_covid_page_never_contradicts_its_measures_table(built):
    text = (built / "SEN" / "03_covid19_financing.html").read_text(encoding="utf-8")
    assert "No number about these measures is documented" not in text
    assert "XOF 64 billion" in text and "US$ 111 million (2020 rate, 575.59 XOF per US$)" in text


def test_a_pairing_pack_says_what_each_role_means_and_never_shows_zero_for_nothing_documented():
    facts = pairing.participation("GHA,KEN").fact
    assert facts.str.endswith("(hosted by Ghana)").sum() == 3 and facts.str.endswith("(Kenya left)").sum() == 1
    assert not facts.str.contains(r"\((?:host|stayed|left|joined)\)").any()
    table = present.readable(covid.measure_matrix(["GHA", "KEN"]).drop(columns="iso3")).set_index("country")
    assert set(table.loc["Ghana"]) == {"not documented"}  # Ghana: no measure in the sources used, not zero
    assert table.loc["Kenya", "budget reallocation"] == "1" and table.loc["Kenya", "payment change"] == "not documented"


def test_a_charts_years_read_as_years_in_its_table():
    table = points_table({"data": [{"name": "Ghana", "x": [2000, 2001], "y": [10.45, 12.15]}]})
    assert "<td>2000</td>" in table and "2,000" not in table and "<th>year</th>" in table


def test_no_chart_csv_of_any_country_writes_nan_a_timestamp_or_negative_people(built):
    files = sorted(built.glob("[A-Z][A-Z][A-Z]/*.csv"))
    assert len(files) > 10 * len(ALL)
    pyramids = 0
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        assert not re.search(r"(?:^|,)nan(?:,|$)", text, re.MULTILINE), path  # a gap is an empty cell
        assert not re.search(r"\d{4}-\d\d-\d\dT\d", text), path  # a date is YYYY-MM-DD
        rows = list(csv.DictReader(io.StringIO(text)))
        if rows and rows[0]["chart"].startswith("Population by age and sex"):
            pyramids += 1
            assert all(float(row["x"]) > 0 for row in rows), path  # men too: counts of people
    assert pyramids >= len(ALL) - 3  # every country the UN age table has (not Kosovo, Lebanon, Bahrain...)


def test_the_brief_says_who_pays_all_of_it_in_one_year():
    # indicators.csv, SEN 2022: government 22.0, out of pocket 48.8 of private 56.7, external 21.2
    shares = profile.who_pays_all("SEN")
    assert int(shares.year) == 2022 and round(float(shares.drop("year").sum())) == 100
    assert present.brief_table("SEN").set_index("headline").loc["who pays", "value"] == (
        "government 22%, out of pocket 49%, other private 8%, external 21%")
    for iso3 in ALL:  # every country WHO covers: the four parts add up to all its spending
        shares = profile.who_pays_all(iso3)
        if not shares.empty:
            assert float(shares.drop("year").sum()) == pytest.approx(100, abs=1.5), iso3


def test_each_lessons_takeaways_open_with_one_about_the_country_so_the_handouts_differ(built):
    found = {}
    for iso3 in ("PHL", "SEN", "ZMB"):
        for notebook in ("01", "02", "03", "04"):
            page = pages_in(built / iso3, f"{notebook}_*.html")[0].read_text(encoding="utf-8")
            takeaways = html.unescape(re.search(r'<ul class="jlnlearn-takeaways"><li>(.*?)</li>', page).group(1))
            assert takeaways == present.country_takeaway(iso3, notebook), (iso3, notebook)
            found[iso3, notebook] = takeaways
    assert found["PHL", "01"].startswith("The Philippines pays primary care by capitation (PhilHealth)")
    assert found["SEN", "01"].startswith("Senegal: no national way of paying primary care is documented")
    # ghed_phc_expenditure.csv, Zambia 2016: 78.52347% of current health spending, US$ 43.49833 per person
    assert found["ZMB", "02"] == ("Zambia: WHO puts primary health care at 79% of current health spending in 2016, "
                                  "US$ 43.50 per person: the most a capitation pool could draw on.")
    assert len({text for (_, notebook), text in found.items() if notebook == "03"}) == 3
