"""Slide decks: every lesson's deck, and a pairing pack's, works offline in Chromium, slide by slide."""

from __future__ import annotations

from pathlib import Path

import pytest

from jlnlearn.reports.slides import MOST_ROWS

#: Each deck's slides are walked in the page itself: next slide, a moment for its charts to be redrawn at
#: the slide's size, then what a person in the room would see: every chart's size, and the speaker notes.
WALK = """async () => {
  const seen = [];
  Reveal.slide(0, 0);
  for (let step = 0; step < 200; step++) {
    await new Promise(done => setTimeout(done, 60));
    const slide = Reveal.getCurrentSlide();
    const charts = [...slide.querySelectorAll('.js-plotly-plot')].map(chart => {
      const box = chart.querySelector('.main-svg');
      return box ? [box.getBoundingClientRect().width, box.getBoundingClientRect().height] : [0, 0];
    });
    seen.push({charts, notes: slide.querySelectorAll('aside.notes').length, text: slide.innerText.length});
    if (Reveal.isLastSlide()) break;
    Reveal.next();
  }
  return {seen, total: Reveal.getTotalSlides(), notes: document.querySelectorAll('aside.notes').length};
}"""


def walk_deck(context, deck: Path) -> dict:
    """Open ``deck`` with every request that leaves its folder's tree refused, walk every slide, and
    return what was seen, with the requests refused and the page's errors."""
    tab = context.new_page()
    refused, errors = [], []

    def only_files(route):
        if route.request.url.startswith(("file://", "data:")):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    tab.route("**/*", only_files)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.goto(deck.as_uri())
    tab.wait_for_function("window.Reveal && Reveal.isReady()")
    walked = tab.evaluate(WALK)
    tab.close()
    return {**walked, "refused": refused, "errors": errors}


@pytest.fixture(scope="module")
def decks(collection) -> list[Path]:
    folder = collection.out
    found = sorted(folder.glob("0*-slides.html")) + sorted(folder.glob("PHL/*-slides.html"))
    return found + sorted(folder.glob("SEN/*-slides.html")) + sorted(folder.glob("pairings/*/*-slides.html"))


def test_every_deck_opens_offline_draws_every_chart_and_has_its_speaker_notes(decks, browser):
    names = [deck.name for deck in decks]
    assert names.count("01_ppm_journey-slides.html") == 2 and "00_start_here-slides.html" in names
    assert "05_country_pairing-slides.html" in names
    assert len(decks) == 1 + 2 * 6 + 1  # the start page; the six lessons of each country; a pack
    context = browser.new_context(viewport={"width": 1280, "height": 720})  # one for every deck: each opens sooner
    for deck in decks:
        walked = walk_deck(context, deck)
        assert walked["refused"] == [] and walked["errors"] == [], (deck, walked["refused"], walked["errors"])
        assert len(walked["seen"]) == walked["total"] > 3, deck  # every slide was shown
        for number, slide in enumerate(walked["seen"], start=1):
            assert slide["text"] > 0, (deck, number)  # no empty slide
            assert all(width > 600 and height > 250 for width, height in slide["charts"]), (deck, number, slide)
        lesson = deck.stem.split("_")[0] in {"01", "02", "03", "04", "05", "07"}
        assert (walked["notes"] > 0) == lesson, deck  # a lesson's facilitator notes are its speaker notes
    context.close()


def test_a_deck_shows_what_the_page_shows_less_what_a_room_cannot_read(collection):
    deck = (collection.out / "PHL" / "03_covid19_financing-slides.html").read_text(encoding="utf-8")
    page = (collection.out / "PHL" / "03_covid19_financing.html").read_text(encoding="utf-8")
    assert "PHP 786,384" in deck and "PHP 786,384" in page  # the country's own numbers
    assert "rows are on <a href=\"03_covid19_financing.html\">the page</a>" in deck  # a long table is cut
    assert "<tr>" in deck and MOST_ROWS == 8
    for hidden in ("fact_form", "Your answer here", "measure_id"):  # no code, no form, no solution
        assert hidden not in deck
    assert "Facilitator note" in deck and "Facilitator note" not in page  # as a speaker note only
    assert 'src="../_static/reveal/reveal.js"' in deck and (collection.out / "_static/reveal/reveal.js").is_file()


def test_the_country_index_and_the_top_index_link_each_deck_beside_its_page(collection):
    country = (collection.out / "PHL" / "index.html").read_text(encoding="utf-8")
    assert '<a href="02_phc_payment_models-slides.html">slides</a>' in country
    top = (collection.out / "index.html").read_text(encoding="utf-8")
    assert '<a href="SEN/01_ppm_journey-slides.html">slides</a>' in top
    assert '-slides.html">slides</a></li>' in top  # the pairing pack's deck
    assert '<a href="00_start_here-slides.html">slides</a>' in top  # the start page's
    assert '<a href="GHA/01_ppm_journey-slides.html">' not in top  # no deck was built for Ghana


def test_the_guide_answers_every_quiz_of_every_lesson_and_the_country_quizzes_for_each_country(collection):
    """The guide of the build of PHL, SEN and ZMB: notebook 01 has three quizzes, 02 three, 03 four, 04
    two and 06 one, each listed with its slide; lesson 02's country quiz is answered for each country:
    the Philippines 30% (the assumed share: WHO has none) x US$ 182.93 = US$ 54.88."""
    guide = collection.out / "guide"
    for stem, count in [("01_ppm_journey", 3), ("02_phc_payment_models", 3), ("03_covid19_financing", 4),
                        ("04_partnership_timeline", 2), ("06_country_profile", 1)]:
        page = (guide / f"{stem}.html").read_text(encoding="utf-8")
        assert page.count('<section id="quiz-') == count, stem
        assert "Quiz 1, slide " in page and '<table class="slides">' in page
    capitation = (guide / "02_phc_payment_models.html").read_text(encoding="utf-8")
    assert "<td>Philippines</td><td><b>54.88 ± 0.5 US$ per person per year</b></td>" in capitation
    assert "<td>Senegal</td><td><b>" in capitation and "<td>Zambia</td><td><b>" in capitation
    assert "<td>Ghana</td>" not in capitation  # the guide answers for the build's countries only
    journey = (guide / "01_ppm_journey.html").read_text(encoding="utf-8")
    assert "<b>Fee-for-service</b> (right)" in journey  # a fixed quiz: every option, the right one marked
    assert "<b>Answer:</b> 6." in journey
    assert "<td>Zambia</td><td><b>" in journey and "<pre>[]</pre>" not in journey  # said in words


def test_a_deck_passes_axe_cores_wcag_21_a_and_aa_rules_on_its_title_chart_and_table_slides(collection, browser):
    from axe_playwright_python.sync_playwright import Axe

    from tests.test_browser import WCAG_21_AA

    tab = browser.new_page(viewport={"width": 1280, "height": 720})
    tab.goto((collection.out / "PHL" / "01_ppm_journey-slides.html").as_uri())
    tab.wait_for_function("window.Reveal && Reveal.isReady()")
    axe, violations = Axe(), {}
    for name, (across, down) in {"title": (0, 0), "chart": (2, 0), "table": (3, 1)}.items():
        tab.evaluate(f"Reveal.slide({across}, {down})")
        tab.wait_for_timeout(300)
        kinds = tab.evaluate("[...Reveal.getCurrentSlide().querySelectorAll('table, .js-plotly-plot, h1')]"
                             ".map(element => element.tagName)")
        assert kinds, name  # the slide shows what it is said to
        found = axe.run(tab, options=WCAG_21_AA).response["violations"]
        if found:
            violations[name] = [(v["id"], [node["target"] for node in v["nodes"][:3]]) for v in found]
    tab.close()
    assert violations == {}
