"""A translator's file is input: a broken line, bytes that are not UTF-8, a placeholder the code will not
fill or markup the English text does not have are reported with file and line, and no page is built. A
changed English text keeps its translations for review, and no build passes them off as current."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from jlnlearn import i18n
from jlnlearn.cli import main
from jlnlearn.errors import CatalogueError
from jlnlearn.reports import catalogues, languages


@pytest.fixture
def locale(tmp_path, monkeypatch) -> Path:
    """A copy of the shipped catalogues that the package reads instead of its own."""
    folder = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, folder)
    for module in (i18n, languages, catalogues):
        monkeypatch.setattr(module, "LOCALE_DIR", folder)
    i18n.translations.cache_clear()
    yield folder
    i18n.translations.cache_clear()


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` once in a catalogue; the line number it was on."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_the_shipped_catalogues_read_cleanly():
    for code in ("fr", "es", "pt"):
        for domain in i18n.DOMAINS:
            assert i18n.catalogue_problems(i18n.catalogue_path(code, domain), code)[1] == [], (code, domain)


def test_a_broken_line_stops_a_french_build_before_any_page_with_file_and_line(locale, tmp_path, capsys):
    po = locale / "fr" / "LC_MESSAGES" / "jlnlearn.po"
    line = edit(po, 'msgstr "Tous les pays"\n', 'msgstr "Tous les pays" garbage "unterminated\n')
    out = tmp_path / "out"
    assert main(["reports", "--lang", "fr", "--countries", "GHA", "--notebooks", "01", "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert f"{po}:{line}: not a line of a PO file" in error and "garbage" in error
    assert not list(out.rglob("*.html"))  # nothing built, nothing half written


def test_bytes_that_are_not_utf8_are_named_by_line_and_byte(locale):
    po = locale / "fr" / "LC_MESSAGES" / "jlnlearn.po"
    raw = po.read_bytes()
    at = raw.index(b'msgstr "Tous les pays"')
    po.write_bytes(raw[:at] + b'msgstr "Tous les pays \xf3"' + raw[at + len(b'msgstr "Tous les pays"'):])
    line = raw[:at].count(b"\n") + 1
    assert i18n.catalogue_problems(po, "fr") == (None, [f"{po}:{line}: byte 0xf3 is not UTF-8: save the file as UTF-8"])
    with pytest.raises(CatalogueError, match="not UTF-8"):
        i18n.translations("fr")


def test_a_script_in_a_translated_paragraph_never_reaches_a_page(locale):
    po = locale / "fr" / "LC_MESSAGES" / "notebooks.po"
    edit(po, """msgstr "## Les modes de paiement et les incitations qu'ils créent\"""",
         """msgstr "## Les modes de paiement <script>alert(1)</script> et [ici](javascript:alert(1))\"""")
    problems = i18n.catalogue_problems(po, "fr")[1]
    assert [problem.split(": ", 1)[1] for problem in problems] == [
        "markup <script> that the English text does not have",
        "a link to javascript:alert(1 that the English text does not have"]
    with pytest.raises(CatalogueError):
        languages.check_translated("fr")


def test_a_placeholder_the_code_does_not_fill_is_refused_one_it_offers_is_not(locale):
    po = locale / "fr" / "LC_MESSAGES" / "jlnlearn.po"
    text = po.read_text(encoding="utf-8")
    offered = 'msgstr "Télécharger les calculateurs pour {name} dans un classeur Excel"'
    assert offered in text and i18n.catalogue_problems(po, "fr")[1] == []  # {name}: in the English text
    line = edit(po, offered, 'msgstr "Télécharger les calculateurs pour {pays} dans un classeur Excel"')
    assert i18n.catalogue_problems(po, "fr")[1] == [
        f"{po}:{line - 1}: placeholder {{pays}} is not in the English text (it has {{name}})"]


def test_make_catalogues_leaves_a_broken_file_as_it_is_and_says_where(locale, capsys):
    po = locale / "fr" / "LC_MESSAGES" / "jlnlearn.po"
    line = edit(po, 'msgstr "Tous les pays"\n', 'msgstr "Tous les pays" garbage "unterminated\n')
    broken = po.read_bytes()
    assert catalogues.main() == 1
    assert f"{po}:{line}: not a line of a PO file" in capsys.readouterr().err
    assert po.read_bytes() == broken  # not rewritten over the mistake


def test_a_changed_english_text_is_kept_for_review_in_every_language_and_refused_until_reviewed(locale, capsys):
    current = catalogues.templates()
    package = current["jlnlearn"]
    before = package["All countries"]
    package.delete("All countries")
    package.add("All the countries", locations=before.locations)  # the English of one message changes
    lacking = catalogues.update_catalogues(current)
    for code in ("fr", "es", "pt"):
        assert lacking[code] == {"jlnlearn": ["(review) All the countries"], "notebooks": []}
        assert languages.untranslated(code) == ["jlnlearn: All the countries"]  # a build refuses the language
    po = locale / "fr" / "LC_MESSAGES" / "jlnlearn.po"
    with po.open("rb") as handle:
        french = read_po(handle, locale="fr")
    assert french["All the countries"].string == "Tous les pays" and french["All the countries"].fuzzy
    french["All the countries"].flags.discard("fuzzy")  # a reviewer keeps the translation
    with po.open("wb") as handle:
        write_po(handle, french, width=0)
    assert languages.untranslated("fr") == [] and languages.untranslated("es") == ["jlnlearn: All the countries"]
