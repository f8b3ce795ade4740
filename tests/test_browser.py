"""Report pages open from file:// in headless Chromium, offline, with their charts drawn."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jlnlearn import reports

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser-build")
    build = reports.build_reports("PHL,Kosovo", "06", out, jobs=2)
    assert not build.failures, build.failures
    return out


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


def open_offline(browser, page_path: Path):
    """Open a page from file://, recording JS errors and every non-file request."""
    page = browser.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("request", lambda request: None if request.url.startswith("file://")
            else requests.append(request.url))
    page.goto(page_path.as_uri())
    page.wait_for_load_state("load")
    return page, errors, requests


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
    """Kosovo is in no WHO or UN dataset: each chart becomes a plain notice."""
    page, errors, requests = open_offline(browser, built / "XKX" / "06_country_profile.html")
    assert page.eval_on_selector_all(".js-plotly-plot", "plots => plots.length") == 0
    notices = page.eval_on_selector_all(".jlnlearn-notice", "n => n.map(x => x.textContent)")
    assert len(notices) == 5 and any("Kosovo" in text for text in notices)
    assert errors == [] and requests == []
    page.close()


def test_index_opens_offline_and_links_to_reports(built, browser):
    page, errors, requests = open_offline(browser, built / "index.html")
    links = page.eval_on_selector_all("table a", "anchors => anchors.map(a => a.href)")
    assert any(link.endswith("PHL/06_country_profile.html") for link in links)
    assert errors == [] and requests == []
    page.close()
