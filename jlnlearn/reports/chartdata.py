"""What a chart says without being seen: a sentence for screen readers and print, and its data as CSV.

Each figure of a page gets a caption saying what it shows (its title, its
series, the span of its x axis) and a link to the numbers behind it, written
as a CSV file beside the page: one row per point, with the chart's source.
Text in a figure is plotly's markup (``<br>``, escaped entities); both are
turned back into plain text here.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import math
import re
from typing import Any

import numpy as np
from markupsafe import Markup

from jlnlearn.charts.covid import MATRIX
from jlnlearn.charts.profile import MIRRORED
from jlnlearn.i18n import _, ngettext, number
from jlnlearn.present import cell_text
from jlnlearn.present.escape import spreadsheet_safe
from jlnlearn.reports.templates import render_macro

#: Most series named in a caption before "and N more".
NAMED_SERIES = 4
#: Most points a chart may have for its data to be listed as a table under it (a timeline's
#: events, a few bars); a larger chart links to its CSV file only.
MOST_LISTED = 60
#: The columns of a chart's data, in the CSV file and the table.
COLUMNS = ["chart", "series", "x", "y", "value", "details", "source"]


def plain(text: object) -> str:
    """Plotly text as plain text: line breaks as spaces, tags dropped, entities decoded.

    >>> plain("Capitation &lt;pilot&gt;<br><span style='x'>in Ghana</span>")
    'Capitation <pilot> in Ghana'
    """
    spaced = re.sub(r"<br\s*/?>", " ", str(text))
    return html.unescape(re.sub(r"<[^>]+>", "", spaced)).strip()


def title_of(figure: dict[str, Any]) -> str:
    """The chart's title in plain text (its first line), or ``chart`` when it has none."""
    title = figure.get("layout", {}).get("title")
    text = title.get("text") if isinstance(title, dict) else title
    return plain(re.split(r"<br\s*/?>", str(text))[0]) if text else _("chart")


def says_source(text: str) -> bool:
    """Whether ``text`` starts by naming a source, in English or in the reader's language.

    >>> says_source("Sources: WHO GHED"), says_source("Hatched: no documented end")
    (True, False)
    """
    # TRANSLATORS: the word a chart's source line starts with ("Source: WHO"), in lower case; a line
    # starting with it is copied to every row of the chart's data.
    return text.lower().startswith(("source", _("source")))


def source_of(figure: dict[str, Any]) -> str:
    """The chart's source note (the line under its title, or an annotation that starts with
    "Source"), in plain text."""
    title = figure.get("layout", {}).get("title")
    subtitle = plain((title.get("subtitle") or {}).get("text", "")) if isinstance(title, dict) else ""
    if says_source(subtitle):
        return subtitle
    for annotation in figure.get("layout", {}).get("annotations", []) or []:
        text = plain(annotation.get("text", ""))
        if says_source(text):
            return text
    return ""


def values(array: object) -> list:
    """A trace's array as a list: plotly 6 writes numbers as typed arrays (``dtype``, base-64 ``bdata``).

    >>> values({"dtype": "i1", "bdata": "AQID"}), values({"dtype": "i1", "bdata": "AQIDBA==", "shape": "2, 2"})
    ([1, 2, 3], [[1, 2], [3, 4]])
    """
    if isinstance(array, dict) and "bdata" in array:
        numbers = np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])
        if "shape" in array:  # "rows, columns"
            return numbers.reshape([int(size) for size in str(array["shape"]).split(",")]).tolist()
        return numbers.tolist()
    if array is None or isinstance(array, str | int | float):
        return [] if array is None else [array]
    return list(array)


def hover_details(value: object) -> str:
    """What a point's hover label adds (its ``customdata``), as plain text.

    >>> hover_details(["2010-02", "An &lt;act&gt;<br>passed", "J02"])
    '2010-02 · An <act> passed · J02'
    """
    parts = value if isinstance(value, list | tuple) else [value]
    return " · ".join(plain(part) for part in parts if part not in (None, ""))


def points(figure: dict[str, Any]) -> list[dict[str, object]]:
    """One record per point of every trace: its series, x, y (a grid cell's count as its value) and hover details.

    A trace drawn without hover text (a period's pale bar behind its point) repeats points
    already listed, so it is left out.
    """
    records = []
    for place, trace in enumerate(figure.get("data", []), start=1):
        if trace.get("hoverinfo") == "skip":
            continue
        series = plain(trace.get("name") or _("series {n}").format(n=place))
        xs, ys, bases = values(trace.get("x")), values(trace.get("y")), values(trace.get("base"))
        if trace.get("meta") == MIRRORED:  # men of a pyramid: drawn to the left, counted positive
            xs = [abs(x) if isinstance(x, int | float) else x for x in xs]
        extra = values(trace.get("customdata"))
        cells = values((trace.get("marker") or {}).get("color")) if trace.get("meta") == MATRIX else []
        for index in range(max(len(xs), len(ys))):
            x = xs[index] if index < len(xs) else ""
            y = ys[index] if index < len(ys) else ""
            if x is None and y is None:
                continue
            record = {"series": series, "x": plain(x) if isinstance(x, str) else x,
                      "y": plain(y) if isinstance(y, str) else y, "value": cells[index] if cells else ""}
            if bases and isinstance(x, int | float):  # a bar from base, x long: the years it covers
                start = bases[index if len(bases) > 1 else 0]
                # TRANSLATORS: {start} and {end} are years, the first and last a bar covers.
                record["x"] = _("{start} to {end}").format(start=f"{start:g}", end=f"{start + x - 1:g}")
            record["details"] = hover_details(extra[index]) if index < len(extra) else ""
            records.append(record)
    return records


def chart_csv(figure: dict[str, Any]) -> str:
    """The numbers behind a chart as CSV text, with its title and source on every row.

    >>> figure = {"data": [{"type": "scatter", "name": "Ghana", "x": [2020, 2021], "y": [4.1, 3.9]}],
    ...           "layout": {"title": {"text": "Health spending", "subtitle": {"text": "Source: WHO GHED"}}}}
    >>> print(chart_csv(figure), end="")
    chart,series,x,y,value,details,source
    Health spending,Ghana,2020,4.1,,,Source: WHO GHED
    Health spending,Ghana,2021,3.9,,,Source: WHO GHED
    """
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    title, source = title_of(figure), source_of(figure)
    for record in points(figure):
        writer.writerow({key: spreadsheet_safe(csv_value(value)) for key, value in
                         {"chart": title, **record, "source": source}.items()})
    return stream.getvalue()


def csv_value(value: object) -> object:
    """A value as the chart's CSV file writes it: a gap (``None``, NaN) empty, a plotly timestamp as
    its date (``YYYY-MM-DD``), a number to at most 10 significant digits.

    >>> [csv_value(v) for v in (None, float("nan"), "2020-03-01T00:00:00.000000", 3.8029800000000002, 2020, "law")]
    ['', '', '2020-03-01', '3.80298', 2020, 'law']
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, str) and ISO_TIME.fullmatch(value):
        return value[:10]
    if isinstance(value, float):
        return format(value, ".10g")
    return value


def chart_summary(figure: dict[str, Any]) -> str:
    """One sentence saying what a chart shows: title, series, and the years its x axis spans.

    >>> chart_summary({"data": [{"name": "Ghana", "x": [2000, 2022]}, {"name": "Kenya", "x": [2001]}],
    ...                "layout": {"title": {"text": "Health spending: Ghana"}}})
    'Chart: Health spending: Ghana. 2 series: Ghana, Kenya; 2000 to 2022.'
    """
    names = list(dict.fromkeys(plain(trace.get("name")) for trace in figure.get("data", []) if trace.get("name")))
    shown = ", ".join(names[:NAMED_SERIES])
    if len(names) > NAMED_SERIES:
        more = len(names) - NAMED_SERIES
        # TRANSLATORS: {names} are the names of a chart's first series, {n} how many others it has.
        shown = ngettext("{names} and {n} more", "{names} and {n} more", more).format(names=shown, n=number(more))
    xs = [x for trace in figure.get("data", [])
          for x in values(trace.get("x")) if isinstance(x, int | float) and not isinstance(x, bool)]
    title = title_of(figure)
    if len(set(xs)) > 1 and all(float(x).is_integer() and 1900 <= x <= 2100 for x in xs):  # years
        start, end = f"{min(xs):g}", f"{max(xs):g}"
        if not names:
            # TRANSLATORS: {title} is a chart's title; {start} and {end} the first and last years it shows.
            return _("Chart: {title}, {start} to {end}.").format(title=title, start=start, end=end)
        # TRANSLATORS: {title} is a chart's title, {count} how many series it has, {names} their names,
        # {start} and {end} the first and last years it shows.
        return ngettext("Chart: {title}. {count} series: {names}; {start} to {end}.",
                        "Chart: {title}. {count} series: {names}; {start} to {end}.", len(names)).format(
            title=title, count=number(len(names)), names=shown, start=start, end=end)
    if not names:
        # TRANSLATORS: {title} is a chart's title.
        return _("Chart: {title}.").format(title=title)
    # TRANSLATORS: {title} is a chart's title, {count} how many series it has, {names} their names.
    return ngettext("Chart: {title}. {count} series: {names}.", "Chart: {title}. {count} series: {names}.",
                    len(names)).format(title=title, count=number(len(names)), names=shown)


def shown_value(value: object) -> object:
    """A value as a table shows it (numbers as :func:`~jlnlearn.present.cell_text` writes them);
    a plotly timestamp as its date.

    >>> shown_value(203.4312), shown_value(54.88029), shown_value(-5559222), shown_value("2020-03-01T00:00:00")
    ('203', '54.88', '-5,559,222', '2020-03-01')
    """
    if isinstance(value, str) and ISO_TIME.fullmatch(value):
        return value[:10]
    return cell_text(value, "")


#: How plotly writes a date on an axis: a full timestamp, whatever the precision of the date.
ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT[\d:.]+")


def axis_titles(figure: dict[str, Any]) -> dict[str, str]:
    """Headers for a chart's table: its axes' titles where it has them.

    >>> axis_titles({"layout": {"xaxis": {"title": {"text": "year"}}}})
    {'series': 'series', 'x': 'year', 'y': 'value shown', 'value': 'value', 'details': 'details'}
    """
    layout = figure.get("layout", {})

    def title(axis: str, fallback: str) -> str:
        given = (layout.get(axis) or {}).get("title")
        text = given.get("text") if isinstance(given, dict) else given
        return plain(text) if text else fallback

    return {"series": _("series"), "x": title("xaxis", _("horizontal axis")), "y": title("yaxis", _("value shown")),
            "value": _("value"), "details": _("details")}


def points_table(figure: dict[str, Any]) -> Markup:
    """The chart's points as an HTML table folded under it (its text equivalent), or nothing for a
    chart of more than :data:`MOST_LISTED` points.

    A column that would only repeat another is left out: a timeline's row when it is the point's
    series, and the series of a chart with one unnamed series (its title says what it is).

    >>> table = points_table({"data": [{"name": "law", "x": ["2010-02"], "y": ["law"],
    ...                                 "customdata": [["2010-02", "An &lt;act&gt;", "J02"]]}]})
    >>> "<td>2010-02 · An &lt;act&gt; · J02</td>" in table, table.count("<td>law</td>")
    (True, 1)
    >>> "<td>2000</td>" in points_table({"data": [{"name": "Ghana", "x": [2000, 2001], "y": [10.45, 12.15]}]})
    True
    >>> "series" in points_table({"data": [{"x": [2010, 2016], "y": [6, 24]}]})
    False
    """
    records = points(figure)
    if not records or len(records) > MOST_LISTED:
        return Markup("")
    shown = [column for column in COLUMNS[1:-1] if any(record.get(column) not in ("", None) for record in records)]
    if "details" in shown and all(ISO_TIME.fullmatch(str(record["x"])) and str(record["x"])[:4] in str(record["details"])
                                  for record in records):
        shown.remove("x")  # a timeline's dates: its details hold each as the source gives it (2010, 2010-02)
    if "y" in shown and all(record["y"] == record["series"] for record in records):
        shown.remove("y")  # a timeline's rows: each is its points' series
    listed = [trace for trace in figure.get("data", []) if trace.get("hoverinfo") != "skip"]
    if "series" in shown and len(listed) == 1 and not listed[0].get("name"):
        shown.remove("series")  # one unnamed series ("series 1")
    labels = axis_titles(figure)
    years = all(is_year(record.get("x")) for record in records)
    if years and labels["x"] == _("horizontal axis"):
        labels["x"] = _("year")
    # TRANSLATORS: {n} is how many points (events, bars) a chart has, listed in the table this opens.
    summary = ngettext("The {n} item of this chart, as a table", "The {n} items of this chart, as a table",
                       len(records)).format(n=number(len(records)))
    return render_macro("points_table", summary=summary, headers=[labels.get(column, column) for column in shown],
                        rows=[[str(int(record["x"])) if column == "x" and years else shown_value(record.get(column, ""))
                               for column in shown] for record in records])


def is_year(value: object) -> bool:
    """Whether a chart's horizontal value is a year (a whole number from 1800 to 2200), written without a separator.

    >>> is_year(2000), is_year(2000.0), is_year(2000.5), is_year(35_064_272), is_year("2000")
    (True, True, False, False, False)
    """
    return isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer() \
        and 1800 <= value <= 2200
