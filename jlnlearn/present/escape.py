"""The one place text is made safe for HTML, Markdown, plotly hover labels and spreadsheets.

Every string that comes from the data passes through one of these before it
reaches a page, so a name or a note can never turn into markup.
"""

from __future__ import annotations

import html
import re
import textwrap
from typing import Any


def escape_html(text: object) -> str:
    """``text`` as HTML text: ``&``, ``<``, ``>`` and both quotes escaped.

    >>> escape_html('<b title="x">Côte & co</b>')
    '&lt;b title=&quot;x&quot;&gt;Côte &amp; co&lt;/b&gt;'
    """
    return html.escape(str(text))


#: What a Markdown renderer would turn into a link by itself (GitHub-flavoured autolinks),
#: and the character reference that keeps it text.
AUTOLINKS = {"://": "&#58;//", "www.": "www&#46;", "@": "&#64;"}


def escape_markdown(text: str) -> str:
    """Text from the data made safe to show as Markdown: HTML, markup and autolinks escaped.

    It reads the same once rendered; only a link or an element cannot come of it.

    >>> escape_markdown("<script>alert(1)</script> *bold*")
    '&lt;script&gt;alert(1)&lt;/script&gt; \\\\*bold\\\\*'
    >>> escape_markdown("see https://example.org")
    'see https&#58;//example.org'
    """
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = re.sub(r"([\\`*_{}\[\]#|$])", r"\\\1", escaped)
    for start, kept in AUTOLINKS.items():
        escaped = escaped.replace(start, kept)
    return escaped


def hover_lines(text: object, width: int = 60) -> str:
    """Text broken into lines of at most ``width`` characters for a hover label, each escaped.

    >>> hover_lines("Capitation <pilot> in the Ashanti Region", width=20)
    'Capitation &lt;pilot&gt;<br>in the Ashanti<br>Region'
    """
    return "<br>".join(escape_html(line) for line in textwrap.wrap(str(text), width))


#: What a spreadsheet would run as a formula when a cell starts with it.
FORMULA_STARTS = ("=", "+", "-", "@")


def starts_like_formula(value: object) -> bool:
    """Whether ``value`` is a text that a spreadsheet would take for a formula.

    >>> starts_like_formula("=HYPERLINK(1)"), starts_like_formula("@SUM(A1)"), starts_like_formula("Ghana")
    (True, True, False)
    """
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def write_cell(worksheet: Any, address: str, value: object, bold: bool = False, wrap: bool = False) -> None:
    """Write a spreadsheet cell (openpyxl); text a spreadsheet would take for a formula stays text.

    >>> from openpyxl import Workbook
    >>> sheet = Workbook().active
    >>> write_cell(sheet, "A1", "=HYPERLINK(1)")
    >>> sheet["A1"].value, sheet["A1"].data_type, sheet["A1"].quotePrefix
    ('=HYPERLINK(1)', 's', True)
    """
    from openpyxl.styles import Alignment, Font

    cell = worksheet[address]
    cell.value = value
    if starts_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def spreadsheet_safe(value: object) -> object:
    """A text that a spreadsheet would read as a formula, kept as text for a CSV file; numbers as they are.

    >>> spreadsheet_safe("=HYPERLINK(1)"), spreadsheet_safe("-41.75"), spreadsheet_safe(-3)
    ("'=HYPERLINK(1)", '-41.75', -3)
    """
    if not starts_like_formula(value):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value
