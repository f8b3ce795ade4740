"""Text from the data is never markup: a new country whose every text field is HTML, on every page.

The rows are made from the schema: each free-text field of each table holds the
same piece of markup (HTML, a script, a link, Markdown), so a field added to the
schema later is covered too. The pages built from them are opened in Chromium,
and the DOM and every chart's data are searched for anything the markup made.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from jlnlearn import reports
from jlnlearn.data import schema
from jlnlearn.data.validation import validate
from jlnlearn.reports import Options, Pairing
from tests.conftest import CHROMIUM, open_offline

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")

#: HTML with an element, attributes, an image whose error handler runs, a script and a link,
#: then Markdown that would make a link and an image. "Zed" marks where it was shown.
MARKUP = ('<b class="jlnpwn" data-jlnpwn="1">Zed</b><img src="jlnpwn.png" onerror="window.jlnpwn=1">'
          '<script>window.jlnpwn=2</script><a href="https://jlnpwn.example/">x</a> '
          '[m](https://jlnpwn.example/md) ![i](jlnpwn-md.png)')
ISO3, SOURCE = "ZZZ", "C-ZZ1"
SKIPPED = {"mechanism_types"}  # keyed by an enum whose every value is used: no row can be added


def value_for(table: str, field: dict, references: dict[str, str]) -> str:
    """A valid value of ``field`` for the markup country: markup wherever free text is allowed."""
    name, kind = field["name"], field["type"]
    constraints = field.get("constraints", {})
    if name in references:
        return {"countries": ISO3, "sources": SOURCE}.get(references[name], MARKUP)
    if "enum" in constraints:
        return str(constraints["enum"][0])
    if name == "iso3":
        return ISO3
    if name == "source_id":
        return SOURCE
    if name == "currency":
        return "USD"
    if "pattern" in constraints:
        return "2021-03" if "date" in name else ""
    if kind == "integer":
        return "2020" if constraints.get("maximum", 2100) >= 2020 else str(constraints.get("minimum", 0))
    return {"number": "10", "boolean": "false", "date": "2020-03-01"}.get(
        kind, f"{MARKUP} {name}" if name in ("name", "title") else MARKUP)


def write_markup_folder(folder: Path) -> Path:
    """Extra rows adding the markup country to every table that can take a row."""
    folder.mkdir(parents=True, exist_ok=True)
    for table in schema.table_names():
        if table in SKIPPED:
            continue
        resource = schema.resource(table)
        references = {key["fields"][0]: key["reference"]["resource"]
                      for key in resource["schema"].get("foreignKeys", [])}
        fields = resource["schema"]["fields"]
        row = {field["name"]: value_for(table, field, references) for field in fields}
        if table == "sources":
            row.update(kind="country", url="https://example.org/zzz")
        with open(folder / f"{table}.csv", "w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=[f["name"] for f in fields], lineterminator="\n")
            writer.writeheader()
            writer.writerow(row)
    return folder


#: Run in each page: anything the markup made, and how many times it was shown as text.
FIND_MARKUP = """() => {
  const found = [];
  document.querySelectorAll('.jlnpwn, [data-jlnpwn], [src*="jlnpwn"], [href^="https://jlnpwn"], [*|href^="https://jlnpwn"]')
    .forEach(element => found.push('element ' + element.outerHTML.slice(0, 160)));
  if (window.jlnpwn !== undefined) found.push('a script from the data ran: ' + window.jlnpwn);
  let shown = 0;
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (texts.nextNode()) {
    const node = texts.currentNode, text = node.nodeValue, parent = node.parentNode.nodeName;
    if (!text.includes('Zed') || parent === 'SCRIPT' || parent === 'STYLE') continue;
    if (text.includes('>Zed<')) shown += 1;
    else found.push('markup drawn in <' + parent + '>: ' + text.slice(0, 120));
  }
  document.querySelectorAll('.js-plotly-plot').forEach((chart, number) => {
    const seen = new Set();
    const visit = (value, path) => {
      if (typeof value === 'string') {
        if (value.includes('Zed') && value.includes('<b class')) found.push(`chart ${number} ${path}: raw markup`);
      } else if (Array.isArray(value)) {
        value.forEach((item, index) => visit(item, `${path}[${index}]`));
      } else if (value && typeof value === 'object' && !seen.has(value)) {
        seen.add(value);
        Object.keys(value).filter(key => !key.startsWith('_')).forEach(key => visit(value[key], `${path}.${key}`));
      }
    };
    visit(chart.data, 'data');
    visit(chart.layout, 'layout');
  });
  return {found, shown};
}"""


@pytest.fixture(scope="module")
def markup_pages(tmp_path_factory, workers) -> Path:
    """Every page that shows the markup country: its lessons and index, the collection's index
    and start page, and a pairing pack with Ghana."""
    root = tmp_path_factory.mktemp("markup")
    folder = write_markup_folder(root / "extra")
    assert validate(folder) == []  # the markup is data the schema accepts
    out = root / "reports"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JLNLEARN_EXTRA_DATA", str(folder))
        builds = [reports.build_reports(countries=ISO3, out=out, options=Options(workers=workers)),
                  reports.build_reports(out=out, pairing=Pairing(f"{ISO3},GHA", "capitation"), options=Options(workers=workers))]
    assert [failure for build in builds for failure in build.failures] == []
    return out


def test_no_text_from_the_data_becomes_markup_on_any_page(markup_pages, browser):
    pages = sorted(path for path in markup_pages.rglob("*.html") if path.parent.name != "_static")
    assert len(pages) == 10  # 00, index, ZZZ's six lessons and its index, the pairing pack
    findings, shown = {}, {}
    context = browser.new_context()
    for path in pages:
        page, errors, requests = open_offline(context, path)
        page.wait_for_function("[...document.querySelectorAll('.js-plotly-plot')]"
                               ".every(chart => chart.querySelector('.main-svg'))")
        result = page.evaluate(FIND_MARKUP)
        name = str(path.relative_to(markup_pages))
        findings[name] = sorted(set(result["found"])) + errors + requests
        shown[name] = result["shown"]
        page.close()
    context.close()
    assert findings == {name: [] for name in findings}
    assert all(count >= 1 for count in shown.values()), shown  # the markup reached every page, as text
