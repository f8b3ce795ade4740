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
import re
from typing import Any

import numpy as np

#: What a spreadsheet would run as a formula when a cell starts with it.
FORMULA_STARTS = ("=", "+", "-", "@")
#: Most series named in a caption before "and N more".
NAMED_SERIES = 4


def plain(text: object) -> str:
    """Plotly text as plain text: line breaks as spaces, tags dropped, entities decoded.

    >>> plain("Capitation &lt;pilot&gt;<br><span style='x'>in Ghana</span>")
    'Capitation <pilot> in Ghana'
    """
    spaced = re.sub(r"<br\s*/?>", " ", str(text))
    return html.unescape(re.sub(r"<[^>]+>", "", spaced)).strip()


def spreadsheet_safe(value: object) -> object:
    """A text that a spreadsheet would read as a formula, kept as text; numbers as they are.

    >>> spreadsheet_safe("=HYPERLINK(1)"), spreadsheet_safe("-41.75"), spreadsheet_safe(-3)
    ("'=HYPERLINK(1)", '-41.75', -3)
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value


def title_of(figure: dict[str, Any]) -> str:
    """The chart's title in plain text (its first line), or ``chart`` when it has none."""
    title = figure.get("layout", {}).get("title")
    text = title.get("text") if isinstance(title, dict) else title
    return plain(re.split(r"<br\s*/?>", str(text))[0]) if text else "chart"


def source_of(figure: dict[str, Any]) -> str:
    """The chart's source note (an annotation that starts with "Source"), in plain text."""
    for annotation in figure.get("layout", {}).get("annotations", []) or []:
        text = plain(annotation.get("text", ""))
        if text.lower().startswith("source"):
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


def points(figure: dict[str, Any]) -> list[dict[str, object]]:
    """One record per point of every trace: its series, x, y (and z for a heatmap)."""
    records = []
    for number, trace in enumerate(figure.get("data", []), start=1):
        series = plain(trace.get("name") or f"series {number}")
        if trace.get("type") == "heatmap":
            for y, row in zip(values(trace.get("y")), values(trace.get("z")), strict=False):
                for x, z in zip(values(trace.get("x")), row, strict=False):
                    records.append({"series": series, "x": plain(x), "y": plain(y), "value": z})
            continue
        xs, ys, bases = values(trace.get("x")), values(trace.get("y")), values(trace.get("base"))
        for index in range(max(len(xs), len(ys))):
            x = xs[index] if index < len(xs) else ""
            y = ys[index] if index < len(ys) else ""
            if x is None and y is None:
                continue
            record = {"series": series, "x": plain(x) if isinstance(x, str) else x,
                      "y": plain(y) if isinstance(y, str) else y, "value": ""}
            if bases:  # a bar that starts at base: its length is x
                record["value"] = f"from {bases[index if len(bases) > 1 else 0]}"
            records.append(record)
    return records


def chart_csv(figure: dict[str, Any]) -> str:
    """The numbers behind a chart as CSV text, with its title and source on every row.

    >>> figure = {"data": [{"type": "scatter", "name": "Ghana", "x": [2020, 2021], "y": [4.1, 3.9]}],
    ...           "layout": {"title": {"text": "Health spending"},
    ...                      "annotations": [{"text": "Source: WHO GHED"}]}}
    >>> print(chart_csv(figure), end="")
    chart,series,x,y,value,source
    Health spending,Ghana,2020,4.1,,Source: WHO GHED
    Health spending,Ghana,2021,3.9,,Source: WHO GHED
    """
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=["chart", "series", "x", "y", "value", "source"],
                            lineterminator="\n")
    writer.writeheader()
    title, source = title_of(figure), source_of(figure)
    for record in points(figure):
        writer.writerow({key: spreadsheet_safe(value) for key, value in
                         {"chart": title, **record, "source": source}.items()})
    return stream.getvalue()


def chart_summary(figure: dict[str, Any]) -> str:
    """One sentence saying what a chart shows: title, series, and the years its x axis spans.

    >>> chart_summary({"data": [{"name": "Ghana", "x": [2000, 2022]}, {"name": "Kenya", "x": [2001]}],
    ...                "layout": {"title": {"text": "Health spending: Ghana"}}})
    'Chart: Health spending: Ghana. 2 series: Ghana, Kenya; 2000 to 2022.'
    """
    names = list(dict.fromkeys(plain(trace.get("name")) for trace in figure.get("data", []) if trace.get("name")))
    shown = ", ".join(names[:NAMED_SERIES]) + (f" and {len(names) - NAMED_SERIES} more"
                                               if len(names) > NAMED_SERIES else "")
    sentence = f"Chart: {title_of(figure)}."
    if names:
        sentence += f" {len(names)} series: {shown}"
    xs = [x for trace in figure.get("data", []) if trace.get("type") != "heatmap"
          for x in values(trace.get("x")) if isinstance(x, int | float) and not isinstance(x, bool)]
    if len(set(xs)) > 1 and all(float(x).is_integer() and 1900 <= x <= 2100 for x in xs):  # years
        sentence += f"; {min(xs):g} to {max(xs):g}"
    return sentence + ("." if names else "")
