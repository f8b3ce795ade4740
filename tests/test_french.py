"""The collection in French: catalogues complete and current, notebooks translated, pages read in French."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from jlnlearn import i18n, lesson, present
from jlnlearn.cli import main
from jlnlearn.data.loading import load
from jlnlearn.i18n import LOCALE_DIR, catalogue_path, language_set, number, percent
from jlnlearn.lessons import profile
from jlnlearn.present import capitation, escape_html
from jlnlearn.reports import Options, build_reports
from jlnlearn.reports import languages as language_layer
from jlnlearn.reports.catalogues import missing, templates
from jlnlearn.reports.languages import untranslated
from jlnlearn.reports.translate import package_keys, translated_code, translated_notebook
from jlnlearn.settings import STATIC_OUTPUT_ENV
from tests.conftest import CHROMIUM, REPO, open_offline, pages_in, read_pages, reader_problems

NARROW_SPACE, NO_BREAK_SPACE = "\u202f", "\u00a0"


def french_catalogue(domain: str) -> dict[str, str]:
    with catalogue_path("fr", domain).open("rb") as handle:
        return {str(m.id): m.string for m in read_po(handle, locale="fr") if m.id and isinstance(m.id, str)}


# -- the catalogues ------------------------------------------------------------------------


def test_the_shipped_templates_hold_every_message_of_the_current_text():
    """Someone who changes English text without `make catalogues` is told here."""
    for domain, template in templates().items():
        with (LOCALE_DIR / f"{domain}.pot").open("rb") as handle:
            shipped = {m.id for m in read_po(handle) if m.id}
        current = {m.id for m in template if m.id}
        assert current - shipped == set(), f"run make catalogues: {domain}.pot lacks these"
        assert shipped - current == set(), f"run make catalogues: {domain}.pot holds text that is gone"


def test_french_translates_every_message():
    left = missing("fr")
    assert left == [], f"{len(left)} messages without French, first: {left[:5]}"
    assert untranslated("fr") == []


@pytest.mark.parametrize("code", ["es", "pt"])
def test_spanish_and_portuguese_translate_every_message(code):
    for domain in ("jlnlearn", "notebooks"):
        assert catalogue_path(code, domain).is_file()
    left = missing(code)
    assert left == [], f"{len(left)} messages without a translation in {code}, first: {left[:5]}"
    assert untranslated(code) == []


def test_a_language_with_untranslated_text_is_refused_before_any_work(tmp_path, capsys, monkeypatch):
    copied = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, copied)
    for module in (i18n, language_layer):
        monkeypatch.setattr(module, "LOCALE_DIR", copied)
    po = copied / "es" / "LC_MESSAGES" / "jlnlearn.po"
    text = po.read_text(encoding="utf-8")
    assert text.count('msgstr "Todos los países"') == 1
    po.write_text(text.replace('msgstr "Todos los países"', 'msgstr ""'), encoding="utf-8")  # a message not yet translated
    i18n.translations.cache_clear()
    assert untranslated("es") == ["jlnlearn: All countries"]
    code = main(["reports", "--lang", "es", "--countries", "MLI", "--out", str(tmp_path / "out")])
    i18n.translations.cache_clear()
    error = capsys.readouterr().err
    assert code == 2
    assert "jlnlearn/locale/es/LC_MESSAGES/" in error and "not translated" in error
    assert not (tmp_path / "out").exists()


def test_an_unknown_language_is_refused_with_the_valid_ones(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["reports", "--lang", "de", "--out", str(tmp_path)])
    assert stop.value.code == 2
    assert "fr" in capsys.readouterr().err


# -- numbers and dates ------------------------------------------------------------------------


def test_french_numbers_and_dates_follow_french_conventions():
    from jlnlearn.present.formats import date_text

    with language_set("fr"):
        assert number(1234567.891) == f"1{NARROW_SPACE}234{NARROW_SPACE}568"
        assert number(1234.5, 1) == f"1{NARROW_SPACE}234,5"
        assert percent(0.123) == f"12,3{NO_BREAK_SPACE}%"
        assert date_text("2015-07-04") == "4 juillet 2015"
        assert date_text("2016-02") == "février 2016"
    assert number(1234.5, 1) == "1,234.5" and date_text("2016-02") == "February 2016"


# -- the notebooks' text -------------------------------------------------------------------------


def test_prose_literals_are_swapped_and_keys_and_code_kept():
    code = ('lesson.header(objectives=["Say why it matters"], stream="strategic purchasing")\n'
            'x = "key"  # a comment with words\n'
            "label = 'Côte d\\'Ivoire, twice'\n")
    swapped = translated_code(code, {"Say why it matters": 'Dire "pourquoi"',
                                     "strategic purchasing": "achat",
                                     "Côte d'Ivoire, twice": "Côte d'Ivoire, deux fois"}.get, package_keys())
    tree = ast.parse(swapped)
    values = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    assert 'Dire "pourquoi"' in values
    assert "strategic purchasing" in values  # a stream is a key the package reads
    assert "Côte d'Ivoire, deux fois" in values and "key" in values
    assert "# a comment with words" in swapped


def test_a_translated_notebook_keeps_its_solutions_and_parameters():
    notebook = json.loads((REPO / "notebooks" / "01_ppm_journey.ipynb").read_text(encoding="utf-8"))
    french = translated_notebook(notebook, "fr")
    kept = [cell for cell in notebook["cells"] if {"solution", "parameters"} & set(cell["metadata"].get("tags", []))]
    assert kept and all(cell in french["cells"] for cell in kept)
    headings = french_catalogue("notebooks")
    assert french["cells"][0]["source"].startswith(headings["# The Provider Payment Mechanisms journey"])
    assert french["metadata"]["language_code"] == "fr"


def test_learner_copy_in_french(tmp_path):
    assert main(["learner-copy", str(tmp_path), "--lang", "fr"]) == 0
    notebook = json.loads((tmp_path / "02_phc_payment_models.ipynb").read_text(encoding="utf-8"))
    text = "".join("".join(cell["source"]) for cell in notebook["cells"])
    assert french_catalogue("notebooks")["# Paying for primary health care"] in text
    assert "# Paying for primary health care\n" not in text
    assert not any("solution" in cell["metadata"].get("tags", []) for cell in notebook["cells"])
    tags = [cell["metadata"].get("tags", []) for cell in notebook["cells"]]
    place = tags.index(["language"])
    assert "parameters" in tags[place - 1]  # right after the cell a learner sets, before any output
    # run in a kernel that knows no language, the cell makes what the notebook's forms write French
    environment = {name: value for name, value in os.environ.items() if name != i18n.LANG_ENV}
    shown = subprocess.run([sys.executable, "-c", "".join(notebook["cells"][place]["source"])
                            + "\nfrom jlnlearn.widgets import fact_form\nprint(fact_form('reforms').children[-2].description)"],
                           env=environment, capture_output=True, text=True, check=True).stdout
    assert shown.strip() == french_catalogue("jlnlearn")["Save the row"]


# -- the French pages ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def languages(tmp_path_factory, workers):
    """English 00 and French lessons for Mali and Senegal, with the French guide, in one folder."""
    out = tmp_path_factory.mktemp("languages")
    english = build_reports("MLI,SEN", "00", out, options=Options(workers=workers))
    french = build_reports("MLI,SEN", "all", out, outputs=["guide", "slides"], lang="fr",
                           options=Options(workers=workers))
    assert not english.failures and not french.failures, french.failures
    assert not french.unwritten, french.unwritten
    return out


def test_the_french_collection_has_its_own_folder_and_each_index_links_the_other(languages):
    english = (languages / "index.html").read_text(encoding="utf-8")
    french = (languages / "fr" / "index.html").read_text(encoding="utf-8")
    assert '<a href="fr/index.html" hreflang="fr" lang="fr">Français</a>' in english
    assert '<a href="../index.html" hreflang="en" lang="en">English</a>' in french
    assert (languages / "fr" / "MLI" / "03_covid19_financing.html").is_file()
    assert (languages / "fr" / "_static" / "plotly.min.js").is_file()  # the folder can be sent alone
    assert not (languages / "MLI" / "03_covid19_financing.html").exists()


def test_every_french_page_is_marked_french_and_says_once_that_facts_keep_their_wording(languages):
    pages = pages_in(languages / "fr", "[A-Z][A-Z][A-Z]/0*.html") + [languages / "fr" / "00_start_here.html"]
    assert len(pages) == 13  # 00, and the six lessons of each country
    notice = french_catalogue("jlnlearn")["Facts from the data keep the wording of their sources, in English; "
                                          "the headers, categories and text around them are translated."]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert '<html lang="fr"' in text, page
        assert text.count(escape_html(notice)) == 1, page


def test_the_french_guide_sits_beside_the_french_pages(languages):
    guide = (languages / "fr" / "guide" / "01_ppm_journey.html").read_text(encoding="utf-8")
    words = french_catalogue("jlnlearn")
    assert "Notes pour le facilitateur" in guide and words["Exercises, solutions and answers"] in guide
    lesson = (languages / "fr" / "MLI" / "01_ppm_journey.html").read_text(encoding="utf-8")
    assert 'href="../guide/01_ppm_journey.html#01_ppm_journey"' in lesson
    assert words["Facilitator guide for this lesson"] in lesson


def english_fragments() -> set[str]:
    """Runs of four or more English words from every message of the package's catalogue, and every
    notebook heading, that French translates differently (code, link targets and tags left out: they
    stay as they are in every language). The notebooks' other paragraphs may name a publication or
    quote a source, whose words the page then also shows as a fact."""
    found = set()
    for domain in ("jlnlearn", "notebooks"):
        for english, french in french_catalogue(domain).items():
            if not french or french == english or (domain == "notebooks" and not english.startswith("#")):
                continue
            prose = re.sub(r"`[^`]*`|\]\([^)]*\)|<[^>]*>", " ", english)  # code, link targets, tags
            for part in re.split(r"\{[^}]*\}|[*_#\[\]()|:;.,!?\"]|\n", prose):
                if len(part.split()) >= 4:
                    found.add(" ".join(part.split()))
    return found


#: The page's text without its lists of sources, whose titles are their publishers' own words.
WORDS_OUTSIDE_SOURCE_LISTS = """() => {
  document.querySelectorAll('.jlnlearn-cited').forEach(node => node.remove());
  return document.body.innerText;
}"""
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")


@needs_chromium
def test_no_english_text_of_the_catalogues_is_left_on_the_french_pages(languages, browser):
    fragments = english_fragments()
    assert len(fragments) > 150
    pages = [languages / "fr" / "index.html", languages / "fr" / "00_start_here.html"]
    pages += pages_in(languages / "fr" / "MLI", "0*.html") + [languages / "fr" / "SEN" / "06_country_profile.html"]
    context = browser.new_context()
    for path in pages:
        page, errors, requests = open_offline(context, path)
        text = " ".join(page.evaluate(WORDS_OUTSIDE_SOURCE_LISTS).split())
        left = sorted(fragment for fragment in fragments if fragment in text)
        assert left == [], f"{path.relative_to(languages)}: {left[:5]}"
        assert errors == [] and requests == []
        page.close()
    context.close()


@needs_chromium
def test_french_pages_write_numbers_the_french_way(languages, browser):
    people = load("indicators").query("iso3 == 'MLI' and indicator == 'population'").sort_values("year").value.iloc[-1]
    page, errors, _ = open_offline(browser, languages / "fr" / "MLI" / "06_country_profile.html")
    text = page.inner_text("body")
    assert f"{round(people):,}".replace(",", NARROW_SPACE) in text  # the brief's population: 25 198 821
    assert re.search(r"\d,\d\u00a0%", text)  # a share: "12,3 %"
    assert not re.search(r"\b\d{1,3},\d{3},\d{3}\b", text)  # no English thousands separators
    separators = page.evaluate("document.querySelector('.js-plotly-plot')._fullLayout.separators")
    assert separators == ",\u202f"
    assert errors == []
    page.close()


def test_no_message_is_marked_inside_an_f_string():
    """Babel does not look inside f-strings on Python 3.11: a message there would never be translated."""
    found = []
    for path in sorted((REPO / "jlnlearn").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                found += [f"{path.name}:{call.lineno}" for call in ast.walk(node)
                          if isinstance(call, ast.Call) and getattr(call.func, "id", "") in {"_", "N_", "ngettext"}
                          and call.args and isinstance(call.args[0], ast.Constant)]
    assert found == []


def test_no_french_lesson_tells_a_reader_to_run_code_or_shows_code_paths_or_codes(languages, browser):
    pages = pages_in(languages / "fr", "[A-Z][A-Z][A-Z]/0*.html")
    assert len(pages) == 12
    texts = read_pages(browser, pages)
    found = {str(path.relative_to(languages)): reader_problems(text) for path, text in texts.items()}
    assert {page: problems for page, problems in found.items() if problems} == {}
    senegal = texts[languages / "fr" / "SEN" / "06_country_profile.html"]
    assert "aucun mécanisme national documenté" in senegal and "Région africaine de l'OMS" in senegal


def test_the_collections_own_words_in_the_data_read_in_the_readers_language():
    from jlnlearn.lessons import covid, profile
    from jlnlearn.present.labels import readable

    with language_set("fr"):
        mechanisms = readable(profile.mechanism_types())
        studies = readable(covid.case_studies()).set_index("code")
    assert mechanisms.iloc[5, 1:].tolist() == [  # per diem
        "rétrospectif", "Un montant fixe par journée d'hospitalisation",
        "Séjours plus longs\u202f; coût par jour plus bas\u202f; sélection des patients les moins coûteux"]
    assert studies.loc["CHN"].iloc[1] == "Détection précoce des infections et recherche des contacts"
    with language_set("es"):
        assert readable(profile.mechanism_types()).iloc[2, 2] == (
            "Un pago fijo por adelantado por cada persona inscrita y por cada período, para un conjunto definido "
            "de servicios")


def test_french_pages_name_the_country_in_french_with_the_article_french_needs(languages):
    from bs4 import BeautifulSoup

    ungrammatical = re.compile(r"\b(?:[Pp]our|[Pp]ar|[Dd]e|[Cc]omment|à|À) (?:Sénégal|Mali)\b"
                               r"|\b(?:de|à) (?:[Ll]e|[Ll]es) (?:Sénégal|Mali)\b")
    for iso3, name, with_article in (("SEN", "Sénégal", "le Sénégal"), ("MLI", "Mali", "le Mali")):
        pages = pages_in(languages / "fr" / iso3, "0*.html")
        texts = {page.name: BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" ")
                 for page in pages}
        assert all(f"<title>{name}\u00a0: " in page.read_text(encoding="utf-8") for page in pages), iso3
        assert {page: found.group(0) for page, text in texts.items() if (found := ungrammatical.search(text))} == {}
        assert with_article in texts["06_country_profile.html"] or with_article in texts["01_ppm_journey.html"]
    assert "Mali" in texts["02_phc_payment_models.html"] and "du Mali" in texts["02_phc_payment_models.html"]


def test_in_a_french_kernel_the_text_itself_contracts_a_countrys_article(monkeypatch):
    """In JupyterLab no page contracts the text afterwards (as a report page does): the readings a
    notebook shows, a lesson's takeaways and download link, and a country's membership facts say "du
    Kenya", "des Philippines" themselves. Each of these read "de le Kenya" before."""
    monkeypatch.setenv(STATIC_OUTPUT_ENV, "1")  # the download link is shown where the workbook is written
    with language_set("fr"):
        shown = {
            "reading": present.primary_care_reading("KEN"),
            "share": capitation.phc_share_reading("SEN", 0.3),
            "footer": lesson.footer([present.country_takeaway("PHL", "04")], [])._repr_html_(),
            "download": lesson.workbook_download("SEN")._repr_html_(),
            "membership": " ".join(profile.membership("KEN").fact),
        }
    uncontracted = re.compile(r"\b(?:[Dd]e|[Àà]) [Ll]es? [A-ZÉ]\w+")
    assert {kind: uncontracted.findall(text) for kind, text in shown.items() if uncontracted.search(text)} == {}
    assert "soins primaires du Kenya" in shown["reading"] and "de santé du Sénégal" in shown["share"]
    assert "Participation des Philippines" in shown["footer"] and "chiffres du Sénégal" in shown["download"]
    assert "(départ du Kenya)" in shown["membership"]
