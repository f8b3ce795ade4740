"""Report pages open from file:// in headless Chromium, offline, with their charts drawn."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, open_offline, pages_in, read_pages, texts_opened

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def built(collection) -> Path:
    """The run's shared pages: every lesson for Philippines, Kosovo, Myanmar and Mali, and a pairing pack."""
    assert not collection.failures, collection.failures
    return collection.out


def test_profile_charts_render_offline(built, browser):
    page, errors, requests = open_offline(browser, built / "PHL" / "06_country_profile.html")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4")
    assert page.eval_on_selector_all(".js-plotly-plot", "plots => plots.length") == 4
    traces = page.eval_on_selector_all(".js-plotly-plot .scatterlayer .trace, "
                                       ".js-plotly-plot .barlayer .trace", "t => t.length")
    assert traces > 10  # the Philippines and its peers, shares by source, the pyramid's two sexes
    assert errors == [] and requests == []
    assert page.title() == "Philippines: Country profile"
    page.close()


def test_sparse_country_gives_notices_not_empty_charts(built, browser):
    """Kosovo is in no WHO or UN dataset: each chart becomes a plain notice (its mechanism is a table)."""
    page, errors, requests = open_offline(browser, built / "XKX" / "06_country_profile.html")
    assert page.eval_on_selector_all(".js-plotly-plot", "plots => plots.length") == 0
    notices = page.eval_on_selector_all(".jlnlearn-notice", "n => n.map(x => x.textContent)")
    assert len(notices) == 5 and any("Kosovo" in text for text in notices)  # 4 charts and the one gap
    assert errors == [] and requests == []
    page.close()


def test_index_opens_offline_and_links_to_reports(built, browser):
    page, errors, requests = open_offline(browser, built / "index.html")
    links = page.eval_on_selector_all("table a", "anchors => anchors.map(a => a.href)")
    assert any(link.endswith("PHL/06_country_profile.html") for link in links)
    assert errors == [] and requests == []
    page.close()


def test_quiz_reveals_its_feedback_on_click(built, browser):
    page, errors, requests = open_offline(browser, built / "MMR" / "01_ppm_journey.html", charts=False)
    feedback = page.locator("details.right", has_text="Fee-for-service")
    assert not feedback.locator("p").is_visible()
    feedback.locator("summary").click()
    assert feedback.locator("p").is_visible()
    assert "over-provision" in feedback.locator("p").inner_text()
    answer = page.locator("details", has_text="Show the answer")
    answer.locator("summary").click()
    assert "Ghana, India, Indonesia" in answer.inner_text()
    assert errors == [] and requests == []
    page.close()


@pytest.mark.parametrize("iso3", ["PHL", "MMR"])
def test_journey_lesson_renders_its_charts(built, browser, iso3):
    """Timeline, growth, products, reforms, spending scatter, UHC: Myanmar has data for all six."""
    page, errors, requests = open_offline(browser, built / iso3 / "01_ppm_journey.html")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 6")
    assert page.eval_on_selector_all(".js-plotly-plot", "plots => plots.length") == 6
    assert errors == [] and requests == []
    assert "Sources used in this lesson" in page.content()
    page.close()


def test_partner_chart_legend_shows_one_kind_and_the_slider_a_period_offline(built, browser):
    page, errors, requests = open_offline(browser, built / "MMR" / "04_partnership_timeline.html")
    page.wait_for_selector(".legend .traces")
    gantt = "document.querySelectorAll('.js-plotly-plot')[0]"
    page.locator(".js-plotly-plot").first.locator(".legend .traces", has_text="funder").dblclick()
    page.wait_for_timeout(500)
    names = page.evaluate(f"{gantt}.data.filter(t => t.visible === undefined || t.visible === true)"
                          ".map(t => t.name)")
    assert names == ["funder"]
    assert page.locator(".rangeslider-container").count() == 1  # choose a period, offline too
    assert errors == [] and requests == []
    page.close()


def test_capitation_lesson_has_its_static_twin_slider_and_no_widget_residue(built, browser):
    page, errors, requests = open_offline(browser, built / "PHL" / "02_phc_payment_models.html")
    page.wait_for_selector(".slider-container")
    explorer = "[...document.querySelectorAll('.js-plotly-plot')].find(p => p.layout.sliders)"
    shown = f"{explorer}._fullData.filter(t => t.visible === true).map(t => t.y[0])"
    # it opens on the notebook's 30%, the share of the chart above it
    assert page.evaluate(f"{explorer}.layout.sliders[0].active") == 5
    before = page.evaluate(shown)
    rail = page.locator(".slider-rail-touch-rect").first
    rail.scroll_into_view_if_needed()
    box = rail.bounding_box()
    page.mouse.click(box["x"] + box["width"] - 3, box["y"] + box["height"] / 2)  # the last step
    page.wait_for_timeout(300)
    after = page.evaluate(shown)
    assert after[0] == pytest.approx(2 * before[0])  # 60% of spending instead of 30%
    keys = page.locator(".slider-keys input")
    assert keys.get_attribute("aria-valuetext") == "60%"  # the keyboard twin follows the mouse
    keys.focus()
    for _ in range(7):
        page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(300)
    assert keys.get_attribute("aria-valuetext") == "25%"
    assert page.evaluate(f"{explorer}.layout.sliders[0].active") == 4
    assert page.evaluate(shown)[0] == pytest.approx(before[0] * 25 / 30)
    assert "PHC share of health spending" in page.locator(".slider-keys").inner_text()
    assert "VBox(" not in page.content() and "FloatSlider" not in page.content()
    assert "JupyterLab" not in page.content()  # the live sliders' cell is for the notebook only
    assert "Move the slider for the PHC share" in page.locator("body").inner_text()
    assert errors == [] and requests == []
    page.close()


def test_covid_lesson_for_a_documented_country_draws_its_charts(built, browser):
    """Timeline (four panels), rates and matrix for the Philippines; hover shows a measure's source."""
    page, errors, requests = open_offline(browser, built / "PHL" / "03_covid19_financing.html")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3")
    assert page.eval_on_selector_all(".js-plotly-plot", "plots => plots.length") == 3
    timeline = "document.querySelectorAll('.js-plotly-plot')[0]"
    names = page.evaluate(f"{timeline}.data.map(t => t.name)")
    assert {"paying providers", "downward revision", "at least one dose"} <= set(names)
    hovers = page.evaluate(f"{timeline}.data.filter(t => t.name === 'paying providers')[0].customdata")
    assert any("Circular 2020-0009" in text and "C-PH6" in text for text in hovers)
    assert page.locator("table:not(figure table) td", has_text="PHP 786,384").count() == 1  # not the chart's
    assert errors == [] and requests == []
    page.close()


def test_covid_lesson_for_a_sparse_country_says_so_and_still_teaches(built, browser):
    page, errors, requests = open_offline(browser, built / "MMR" / "03_covid19_financing.html")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 2")
    text = page.inner_text("body")
    assert "No COVID-19 financing or payment measure for Myanmar is documented" in text
    assert "No COVID-19 payment rate or cost per case is documented for Myanmar" in text
    assert page.eval_on_selector_all(".js-plotly-plot", "plots => plots.length") == 2  # epidemic, matrix
    assert "Timely national and county data" in text  # the case studies' lessons still show
    assert "Exercise: record a measure" in text and "KEN-county-flexibility" not in text  # no solution
    assert errors == [] and requests == []
    page.close()


def test_pairing_pack_renders_offline_with_its_scores(built, browser):
    page, errors, requests = open_offline(
        browser, built / "pairings" / "PHL-GHA-KEN-capitation" / "05_country_pairing.html")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4")
    plots = "[...document.querySelectorAll('.js-plotly-plot')]"
    titles = page.evaluate(f"{plots}.map(p => p.layout.title.text)")
    assert titles == ["Health spending per person", "Out-of-pocket share of health spending",
                      "Reforms on the road to UHC", "Possible resource countries: score out of 100, by part"]
    parts = page.evaluate(f"{plots}[3].data.map(t => t.name)")
    assert parts == ["experience (up to 70)", "income group (up to 10)", "region (up to 10)",
                     "spending profile (up to 10)"]
    items = page.locator("ol > li")
    first, second = items.nth(0).inner_text(), items.nth(1).inner_text()
    assert first.startswith("Thailand:") and "C-TH" in first  # with the facts behind it
    assert second.startswith("Colombia:") and "C-CO" in second  # Kenya, in the pairing, is not suggested
    assert errors == [] and requests == []
    page.close()


def test_start_here_links_lead_to_each_notebooks_reports(built, browser):
    page, errors, requests = open_offline(browser, built / "00_start_here.html")
    page.locator("a", has_text="03 How countries financed").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/index.html#03_covid19_financing")
    assert page.locator('th[id="03_covid19_financing"]').is_visible()
    assert page.locator('a[href="MLI/03_covid19_financing.html"]').count() == 1
    assert page.locator('a[href="pairings/PHL-GHA-KEN-capitation/05_country_pairing.html"]').count() == 1
    assert errors == [] and requests == []
    page.close()


def raw_names() -> set[str]:
    """What must never head a column or fill a cell: every data column name with an underscore,
    every computed column's name, and pandas' booleans."""
    from jlnlearn.data import schema
    from jlnlearn.present.labels import COMPUTED

    names = {field["name"] for table in schema.table_names() for field in schema.fields(table)}
    return {name for name in names | set(COMPUTED) if "_" in name} | {"True", "False", "<NA>", "nan"}


def test_no_raw_column_name_or_boolean_in_any_table_of_the_four_full_countries(built, browser):
    raw = raw_names()
    pages = pages_in(built, "*.html") + pages_in(built, "pairings/*/*.html")
    pages += [page for iso3 in ("PHL", "XKX", "MMR", "MLI") for page in pages_in(built / iso3, "*.html")]
    found, cells = {}, 0
    read = "() => [...document.querySelectorAll('table th, table td')].map(cell => cell.innerText.trim())"
    for path, texts in read_pages(browser, pages, read).items():  # the tables are HTML: no chart is drawn
        cells += len(texts)
        if bad := sorted({text for text in texts if text in raw}):
            found[str(path.relative_to(built))] = bad
    assert found == {}
    assert cells > 1000  # the tables were there to read


def test_reading_a_page_in_place_gives_the_text_it_gives_opened(built, browser):
    """The tests that read every page's text show each in one tab in place of the last (``read_pages``):
    for every kind of page, that text is the text the page gives when opened from its file."""
    pages = [built / "index.html", built / "00_start_here.html", *pages_in(built / "PHL", "*.html"),
             *pages_in(built, "pairings/*/*.html"), built / "guide" / "index.html", built / "fr" / "SEN" / "index.html",
             *pages_in(built / "fr" / "SEN", "0*.html")]
    in_place, opened = read_pages(browser, pages), texts_opened(browser, pages)
    assert {path: text for path, text in in_place.items() if text != opened[path]} == {}
    assert len(pages) > 15 and "Philippines" in in_place[built / "PHL" / "01_ppm_journey.html"]


def test_no_raw_column_name_heads_a_table_on_any_lesson_page(built):
    """Every lesson page of every country, read as HTML (a browser would take minutes for them all)."""
    from html.parser import HTMLParser

    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.inside, self.texts = False, []

        def handle_starttag(self, tag, attrs):
            if tag in ("th", "td"):
                self.inside, self.texts = True, [*self.texts, ""]

        def handle_endtag(self, tag):
            if tag in ("th", "td"):
                self.inside = False

        def handle_data(self, data):
            if self.inside:
                self.texts[-1] += data

    raw, found, pages = raw_names(), {}, pages_in(built, "[A-Z][A-Z][A-Z]/0[1-4]_*.html")
    for path in pages:
        cells = Cells()
        cells.feed(path.read_text(encoding="utf-8"))
        if bad := sorted({text.strip() for text in cells.texts} & raw):
            found[str(path.relative_to(built))] = bad
    assert len(pages) == 47 * 4
    assert found == {}


def test_a_pages_charts_share_one_template_and_keep_its_look(built, browser):
    path = built / "PHL" / "06_country_profile.html"
    text = path.read_text(encoding="utf-8")
    assert text.count("window.jlnlearnTemplate = ") == 1 and text.count('"colorway"') == 1
    page, errors, _ = open_offline(browser, path)
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4")
    looks = page.evaluate("[...document.querySelectorAll('.js-plotly-plot')]"
                          ".map(chart => [chart._fullLayout.colorway[0], chart._fullLayout.font.family])")
    assert looks == [["#0072B2", "Arial, Helvetica, sans-serif"]] * 4
    assert errors == []
    page.close()


def test_the_index_finds_a_country_by_any_name_and_reads_as_a_table_of_lessons(built, browser):
    page, errors, requests = open_offline(browser, built / "index.html")
    headers = page.eval_on_selector_all("#countries tr:first-child th", "cells => cells.map(c => c.innerText)")
    assert headers[:3] == ["country", "ISO3", "latest numbers (year)"]
    assert "01 The Provider Payment Mechanisms journey" in headers and "06_country_profile" not in headers
    shown = "#countries tr[data-names]:not([hidden]) td:first-child"
    everyone = page.eval_on_selector_all(shown, "cells => cells.map(c => c.innerText)")
    assert len(everyone) == 47
    for query in ("Laos", "Lao PDR", "lao", "LAO"):
        page.fill("#country-filter", query)
        assert page.eval_on_selector_all(shown, "cells => cells.map(c => c.innerText)") == ["Lao PDR"], query
        assert page.inner_text("#filter-count") == "1 country shown"
    for query in ("Türk", "turkey"):  # accents ignored, and the old name is an alias
        page.fill("#country-filter", query)
        assert page.eval_on_selector_all(shown, "cells => cells.map(c => c.innerText)") == ["Türkiye"], query
    page.fill("#country-filter", "")
    assert page.eval_on_selector_all(shown, "cells => cells.map(c => c.innerText)") == everyone
    philippines = page.locator("#countries tr", has_text="Philippines").locator("td.numbers").inner_text()
    assert philippines.startswith("US$ ") and "(2022)" in philippines and "UHC service coverage index" in philippines
    assert errors == [] and requests == []
    page.close()


def printed_pages(page, paper: str) -> list[str]:
    """The text of each page of ``page`` printed to PDF on ``paper``."""
    from pypdf import PdfReader

    return [printed.extract_text() for printed in PdfReader(io.BytesIO(page.pdf(format=paper))).pages]


def print_preview(browser, path: Path, width: int):
    """A page opened offline in print media at ``width``, after its charts were redrawn for it."""
    page, errors, _ = open_offline(browser, path)
    page.wait_for_function("[...document.querySelectorAll('.js-plotly-plot')]"
                           ".every(chart => chart.querySelector('.main-svg'))")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": width, "height": 1000})
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_timeout(300)
    return page, errors


@pytest.mark.parametrize(("paper", "printable_width"), [("A4", 688), ("Letter", 714)])  # page less 14 mm margins
def test_a_lesson_prints_without_navigation_and_with_charts_sized_to_the_paper(built, browser, paper,
                                                                               printable_width):
    page, errors = print_preview(browser, built / "PHL" / "02_phc_payment_models.html", printable_width)
    assert page.evaluate("getComputedStyle(document.querySelector('nav')).display") == "none"
    widths = page.evaluate("[...document.querySelectorAll('.js-plotly-plot')]"
                           ".map(chart => chart.getBoundingClientRect().width)")
    assert len(widths) == 3 and all(width <= printable_width for width in widths)  # pyramid, rates, risk
    # what only works on screen is left out: folded tables, chart sliders, the number quiz's answer, the hint
    screen_only = "details.chart-points, details.answer, .slider-container, .celltag_screen-only"
    hidden = page.evaluate(f"[...document.querySelectorAll('{screen_only}')].map(e => getComputedStyle(e).display)")
    assert hidden and set(hidden) == {"none"}
    options = page.evaluate("[...document.querySelectorAll('.jlnlearn-quiz details.right, .jlnlearn-quiz details.wrong')]"
                            ".map(e => e.getBoundingClientRect().height)")
    assert options and all(height > 0 for height in options)  # a quiz prints its options, to tick
    text = " ".join(printed_pages(page, paper))
    assert "Download the calculators" not in text and "Show the answer" not in text
    assert 2 <= len(printed_pages(page, paper)) <= 8
    assert errors == []
    page.close()


#: Each paper and the printable width of a brief on it: the paper less the brief's 11 mm margins.
BRIEF_PAPERS = [("A4", 710), ("Letter", 733)]


def test_the_country_brief_prints_on_one_page_its_box_two_charts_and_sources(built, browser):
    """In print the brief keeps its box of numbers, two charts and their sources, on one page of either paper."""
    for iso3, charts in [("PHL", 2), ("MLI", 2), ("MMR", 2), ("XKX", 0)]:
        page, errors = print_preview(browser, built / iso3 / "06_country_profile.html", BRIEF_PAPERS[0][1])
        for paper, printable_width in BRIEF_PAPERS:  # one page load, printed on each paper in turn
            page.set_viewport_size({"width": printable_width, "height": 1000})
            page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
            page.wait_for_timeout(300)
            shown = page.evaluate("[...document.querySelectorAll('.js-plotly-plot')].filter(chart => "
                                  "chart.offsetParent).map(chart => chart.getBoundingClientRect().height)")
            assert shown == [240] * charts, (iso3, paper)  # the spending and who-pays charts, at their print height
            pages = printed_pages(page, paper)
            assert len(pages) == 1, (iso3, paper)
            assert "health spending per person" in pages[0] and "Sources of this brief" in pages[0]
            assert "By the end you will be able to" not in pages[0] and "Who is covered" not in pages[0]
            page.emulate_media(media="screen")
            page.evaluate("window.dispatchEvent(new Event('afterprint'))")
            page.wait_for_timeout(300)
            assert page.is_visible("text=Who is covered") and not page.is_visible("text=Sources of this brief")
            heights = page.evaluate("[...document.querySelectorAll('.js-plotly-plot')]"
                                    ".map(chart => chart.getBoundingClientRect().height)")
            assert heights == [450] * (2 * charts), (iso3, paper)  # back to the screen's size
            page.emulate_media(media="print")
        assert errors == []
        page.close()


def test_a_copy_made_only_to_be_printed_keeps_its_print_layout_after_printing(built, browser, tmp_path):
    """The copy ``--pdf`` prints (:func:`printable_page`) is never shown again: after printing, its charts stay
    at their print height instead of being drawn back at the screen's (the page itself goes back: above)."""
    from jlnlearn.reports.outputs.pdf import printable_page

    copy = tmp_path / "06_country_profile.html"
    copy.write_text(printable_page(built / "PHL" / "06_country_profile.html", "A4"), encoding="utf-8")
    page, errors = print_preview(browser, copy, BRIEF_PAPERS[0][1])
    heights = "[...document.querySelectorAll('.js-plotly-plot')].filter(chart => chart.offsetParent)" \
              ".map(chart => chart.getBoundingClientRect().height)"
    assert page.evaluate(heights) == [240, 240]  # the spending and who-pays charts, at their print height
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.wait_for_timeout(300)
    assert page.evaluate(heights) == [240, 240]
    assert errors == []
    page.close()

def test_every_chart_says_what_it_shows_and_links_to_its_data(built):
    """Read as HTML: each chart a page draws (a ``Plotly.newPlot`` call) sits in a figure that says what
    it shows and links its data, a CSV file beside the page. The browser tests above see them drawn."""
    import csv
    from html.parser import HTMLParser

    class Figures(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.figures: list[dict[str, object]] = []

        def handle_starttag(self, tag, attrs):
            attributes = dict(attrs)
            if tag == "figure" and attributes.get("class") == "chart":
                self.figures.append({"label": attributes.get("aria-label"), "csv": None, "charts": 0})
            elif tag == "a" and str(attributes.get("href")).endswith(".csv") and "download" in attributes and self.figures:
                self.figures[-1]["csv"] = attributes.get("href")
            elif tag == "div" and str(attributes.get("id", "")).startswith("figure-") and self.figures:
                self.figures[-1]["charts"] += 1

    charts = 0
    pages = [page for iso3 in ("PHL", "MLI") for page in pages_in(built / iso3, "0*.html")]
    pages += pages_in(built, "pairings/*/*.html")
    for path in pages:
        text = path.read_text(encoding="utf-8")
        figures = Figures()
        figures.feed(text)
        assert text.count("Plotly.newPlot(") == len(figures.figures) == sum(f["charts"] for f in figures.figures)
        for figure in figures.figures:
            assert figure["label"] and str(figure["label"]).startswith("Chart: "), (path.name, figure)
            href = figure["csv"]
            assert href and (path.parent / href).is_file(), (path.name, href)
            with open(path.parent / href, encoding="utf-8-sig", newline="") as stream:
                rows = list(csv.DictReader(stream))
            assert rows and list(rows[0]) == ["chart", "series", "x", "y", "value", "details", "source"], href
        charts += len(figures.figures)
    assert charts >= 40


#: The WCAG 2.1 rules of levels A and AA, as axe-core tags them.
#: axe-core's options: WCAG 2.1's A and AA rules, reporting only the violations (every one, with every node),
#: which takes about half the time of also detailing what passed.
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
              "resultTypes": ["violations"]}


def test_every_kind_of_page_passes_axe_cores_wcag_21_a_and_aa_rules(built, browser):
    from axe_playwright_python.sync_playwright import Axe

    guide = built / "guide"
    pages = [built / "index.html", built / "00_start_here.html", built / "PHL" / "index.html",
             *pages_in(built / "PHL", "0*.html"), *pages_in(built, "pairings/*/05_*.html"),
             guide / "index.html", guide / "02_phc_payment_models.html"]
    assert len(pages) == 12
    axe, violations = Axe(), {}
    context = browser.new_context()
    for path in pages:
        page, _, _ = open_offline(context, path)
        page.wait_for_function("[...document.querySelectorAll('.js-plotly-plot')]"
                               ".every(chart => chart.querySelector('.main-svg'))")
        found = axe.run(page, options=WCAG_21_AA).response["violations"]
        if found:
            violations[path.name] = [(v["id"], [node["target"] for node in v["nodes"][:3]]) for v in found]
        page.close()
    context.close()
    assert violations == {}


def test_the_sources_under_a_lesson_are_links(built, browser):
    import jlnlearn

    addresses = jlnlearn.load("sources").set_index("source_id").url.dropna()
    page, _, _ = open_offline(browser, built / "PHL" / "01_ppm_journey.html", charts=False)
    items = page.eval_on_selector_all(
        ".jlnlearn-footer h2 + ul + h2 + ul + h2 + ul > li",
        "items => items.map(item => [item.innerText, item.querySelector('a') ? item.querySelector('a').getAttribute('href') : null])")
    assert len(items) >= 20
    for text, href in items:
        source_id = text[1:text.index("]")]
        expected = str(addresses[source_id]).split(" ; ")[0] if source_id in addresses.index else None
        assert href == expected, source_id
    page.close()


def test_every_timeline_item_is_also_listed_as_text_under_its_chart(built, browser):
    from jlnlearn.reports.chartdata import MOST_LISTED, plain

    checked = 0
    context = browser.new_context()
    for path in [built / "PHL" / "01_ppm_journey.html", built / "PHL" / "04_partnership_timeline.html",
                 built / "MLI" / "03_covid19_financing.html"]:
        page, _, _ = open_offline(context, path)
        charts = page.eval_on_selector_all(".js-plotly-plot", """plots => plots.map(plot => ({
            title: plot.layout.title ? plot.layout.title.text : '',
            items: plot.data.flatMap(trace => Array.from(trace.customdata || [], item => [].concat(item).map(String))),
            points: plot._fullData.filter(trace => trace.hoverinfo !== 'skip')  // a period's pale bar repeats its point
                .reduce((sum, trace) => sum + (trace._length || 0), 0),
            grid: plot._fullData.some(trace => trace.meta === 'jlnlearn:matrix'),
            rows: plot.closest('figure').querySelectorAll('figcaption details tr').length - 1,
            text: plot.closest('figure').querySelector('figcaption').textContent}))""")
        for chart in charts:
            if chart["points"] > MOST_LISTED or chart["grid"]:  # a grid of cells, not items
                continue
            assert chart["rows"] == chart["points"], chart["title"]
            for part in (part for item in chart["items"] for part in item):
                assert plain(part)[:40] in chart["text"], (chart["title"], part)
            checked += 1
        page.close()
    context.close()
    assert checked >= 6  # the milestones, reforms, partners, products, measures...


#: In a chart, the boxes of what a legend must not cover, and of the legend.
LEGEND_OVERLAPS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(plot => {
  const legend = plot.querySelector('.legend');
  if (!legend) return [];
  const around = legend.getBoundingClientRect();
  return [...plot.querySelectorAll('.gtitle, .g-xtitle text, .g-ytitle text, .xtick text, .annotation-text')]
    .filter(element => {
      const box = element.getBoundingClientRect();
      return box.width && !(box.right <= around.left || box.left >= around.right
                            || box.bottom <= around.top || box.top >= around.bottom);
    }).map(element => element.getAttribute('class') + ': ' + element.textContent.slice(0, 30));
})"""


def test_on_a_phone_no_legend_covers_a_title_or_an_axis_and_the_page_does_not_scroll_sideways(built, browser):
    overlaps = {}
    for path in [built / "PHL" / "06_country_profile.html", built / "PHL" / "02_phc_payment_models.html",
                 built / "MLI" / "01_ppm_journey.html", built / "PHL" / "04_partnership_timeline.html"]:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(path.as_uri())
        page.wait_for_function("[...document.querySelectorAll('.js-plotly-plot')]"
                               ".every(chart => chart.querySelector('.main-svg'))")
        if found := [item for chart in page.evaluate(LEGEND_OVERLAPS) for item in chart]:
            overlaps[path.name] = found
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path.name
        page.close()
    assert overlaps == {}


def test_the_country_brief_opens_with_its_numbers_and_their_years(built, browser):
    page, _, _ = open_offline(browser, built / "PHL" / "06_country_profile.html", charts=False)
    box = page.locator("table", has_text="health spending per person").first
    rows = box.locator("tr").all_inner_texts()
    assert rows[0].split("\t") == ["headline", "value", "year", "source"]
    cells = {row.split("\t")[0]: row.split("\t")[1:] for row in rows[1:]}
    assert cells["health spending per person"][0].startswith("US$ ") and cells["health spending per person"][1] == "2022"
    assert cells["paying primary care"][0] == "capitation (PhilHealth)" and cells["paying primary care"][2] == "C-PH3"
    # indicators.csv, PHL 2022: government 45.0671, out of pocket 44.6349 of private 54.6222 (other 9.99),
    # external 0.3106: all of it, one year
    assert cells["who pays"] == ["government 45%, out of pocket 45%, other private 10%, external 0%", "2022",
                                 "DS-WHO-GHED"]
    sources = page.locator("h2", has_text="Sources of this page")  # listed on screen, not only in print
    assert sources.is_visible() and "[DS-WHO-GHED]" in page.locator("body").inner_text()
    page.close()


def test_a_lesson_reads_its_country_in_sentences_and_says_once_what_is_missing(built, browser):
    page, _, _ = open_offline(browser, built / "PHL" / "01_ppm_journey.html", charts=False)
    text = page.inner_text("body")
    assert "The sources document how the Philippines pays for primary care: capitation (PhilHealth), as of 2024." in text
    assert "Households in the Philippines paid" in text and "Not documented for" not in text
    assert "How do the sources say the Philippines pays its primary care providers?" in text
    page.close()
    page, _, _ = open_offline(browser, built / "XKX" / "06_country_profile.html")
    notices = page.eval_on_selector_all(".jlnlearn-notice", "n => n.map(x => x.textContent)")
    gaps = [notice for notice in notices if notice.startswith("Not documented for")]
    assert gaps == ["Not documented for Kosovo in the sources this collection uses: network events. That is a gap "
                    "in the data, not a finding about the country. If you know one, note it with its source and the "
                    "source's own words: a facilitator can add it for everyone."]
    assert len(notices) == 5  # the gap, and one for each chart whose dataset has no Kosovo
    page.close()


def test_every_chart_draws_with_the_partial_plotly_the_pages_ship(built, browser):
    """The pages load plotly's basic bundle (a quarter of the full plotly.js): every trace of every chart
    of a country's lessons, its brief and a pairing pack is of a type that bundle registers, and draws."""
    script = (built / "_static" / "plotly.min.js").read_bytes()
    assert script.startswith(b"/**\n* plotly.js (basic - minified)") and len(script) < 1_300_000
    pages = pages_in(built / "PHL", "0*.html") + pages_in(built, "pairings/*/05_*.html")
    checked = 0
    context = browser.new_context()
    for path in pages:
        page, errors, _requests = open_offline(context, path)
        found = page.evaluate("""() => ({
            registered: Object.keys(Plotly.PlotSchema.get().traces),
            used: [...document.querySelectorAll('.js-plotly-plot')].flatMap(plot => plot.data.map(t => t.type || 'scatter')),
            drawn: [...document.querySelectorAll('.js-plotly-plot')].every(plot =>
                plot._fullData && plot._fullData.length === plot.data.length && plot.querySelector('.main-svg'))})""")
        assert set(found["used"]) <= set(found["registered"]), path.name
        assert found["drawn"] and errors == [], (path.name, errors)
        checked += len(found["used"])
        page.close()
    context.close()
    assert checked > 40


def test_a_learners_answers_stay_add_up_on_the_index_and_merge_into_a_summary(built, browser, tmp_path):
    import csv
    import datetime

    from jlnlearn.cli import main

    context = browser.new_context(accept_downloads=True)
    lesson = context.new_page()
    errors: list[str] = []
    lesson.on("pageerror", lambda error: errors.append(str(error)))
    lesson.goto((built / "PHL" / "02_phc_payment_models.html").as_uri())
    total = lesson.locator(".jlnlearn-quiz").count()
    quiz = lesson.locator(".jlnlearn-quiz").filter(has_text="who carries the cost")
    quiz.locator("details.right summary").click()  # "The provider": right at the first try
    lesson.wait_for_timeout(100)
    lesson.reload()
    assert quiz.locator("details.right").get_attribute("open") is not None  # shown again after a reload
    assert quiz.locator("details.wrong[open]").count() == 0
    index = context.new_page()
    index.goto((built / "PHL" / "index.html").as_uri())
    assert index.locator('[data-progress="02_phc_payment_models"]').inner_text() == (
        f"your quizzes: 1 answered, 1 right, of {total}")
    assert index.locator('[data-progress="01_ppm_journey"]').inner_text() == ""  # not opened yet
    with index.expect_download() as downloaded:
        index.click("#course-record")
    mine = tmp_path / downloaded.value.suggested_filename
    downloaded.value.save_as(mine)
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    assert list(csv.DictReader(mine.open(encoding="utf-8"))) == [
        {"lesson": "02_phc_payment_models", "country": "PHL", "date": today, "answered": "1", "right": "1",
         "total": str(total)}]
    other = tmp_path / "course-record-GHA-en.csv"
    other.write_text(f"lesson,country,date,answered,right,total\n01_ppm_journey,GHA,{today},2,1,3\n", encoding="utf-8")
    assert main(["records", "merge", str(mine), str(other), "--out", str(tmp_path / "summary.csv")]) == 0
    summary = list(csv.DictReader((tmp_path / "summary.csv").open(encoding="utf-8")))
    assert [(row["record"], row["country"], row["right"]) for row in summary] == [
        (mine.name, "PHL", "1"), (other.name, "GHA", "1")]
    context.close()
    # without storage (a private window that refuses it) the page works the same, with no error
    refused = browser.new_context()
    refused.add_init_script("Object.defineProperty(window, 'localStorage', "
                            "{get() { throw new DOMException('denied', 'SecurityError'); }});")
    page = refused.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((built / "PHL" / "02_phc_payment_models.html").as_uri())
    page.locator(".jlnlearn-quiz").filter(has_text="who carries the cost").locator("details.wrong summary").first.click()
    assert page.locator(".jlnlearn-quiz details.wrong[open]").count() == 1
    refused.close()
    assert errors == []


def test_a_course_record_that_is_not_one_is_refused_with_its_line(tmp_path, capsys):
    from jlnlearn.cli import main

    bad = tmp_path / "bad.csv"
    bad.write_text("lesson,country,date,answered,right,total\n02_phc_payment_models,PHL,2026-12-07,two,1,3\n"
                   "03_covid19_financing,PHL,2026-12-07,1,2,3\n", encoding="utf-8")
    assert main(["records", "merge", str(bad), "--out", str(tmp_path / "summary.csv")]) == 2
    error = capsys.readouterr().err
    assert f"{bad}:2: answered must be a whole number (got 'two')" in error
    assert f"{bad}:3: right <= answered <= total does not hold (2, 1, 3)" in error
    assert not (tmp_path / "summary.csv").exists()
