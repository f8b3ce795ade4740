"""The markup of the build's own pages: Jinja templates, with the CSS and JavaScript they hold in files.

The templates in ``jlnlearn/reports/templates/`` lay out the page frame, the
indexes, the facilitator guide, the print copy and the small parts a page is
made of (a chart's figure, a status cell: the macros of ``parts.html.j2``);
Python modules only hand them values. Every value a template shows is escaped
by :func:`jlnlearn.present.escape_html`, the collection's one escaping
function, unless it is already markup (a ``Markup`` value, or the HTML
nbconvert wrote); CSS and JavaScript are files beside the templates, put in
the page by :func:`asset`, so every page still works offline on its own.

In a template, ``_("...")`` is the message in the reader's language (see
:mod:`jlnlearn.i18n`), and ``_("... {name} ...", name=value)`` puts values
in it, each escaped unless it is markup; ``make catalogues`` extracts both
from the templates.

>>> print(render_macro("status_cell", result=None, href="GHA/01.html"))
<td>not built</td>
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from jlnlearn.i18n import _ as translate
from jlnlearn.i18n import ngettext, number
from jlnlearn.present import escape_html

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def shown(value: Any) -> Markup:
    """What a template shows for ``value``: markup as it is, anything else escaped as text."""
    return value if hasattr(value, "__html__") else Markup(escape_html(value))


def translated(message: str, **values: Any) -> str | Markup:
    """``message`` in the reader's language; with ``values``, as markup with each value put in
    (escaped unless it is markup itself).

    >>> translated("{guide}: each", guide=Markup("<a>x</a>"))
    Markup('<a>x</a>: each')
    >>> translated("Built {date}", date="<2026>")
    Markup('Built &lt;2026&gt;')
    """
    text = translate(message)
    if not values:
        return text
    return shown(text).format(**{name: shown(value) for name, value in values.items()})


@functools.cache
def asset(name: str) -> Markup:
    """The text of a CSS or JavaScript file of the templates' folder, to put in a page as it is."""
    return Markup((TEMPLATES_DIR / name).read_text(encoding="utf-8"))


def script_json(value: Any) -> Markup:
    """``value`` as JSON to put inside a ``<script>`` element (a closing tag in it cannot end the script).

    >>> script_json({"a": "</script>"})
    Markup('{"a": "<\\\\/script>"}')
    """
    return Markup(json.dumps(value).replace("</", "<\\/"))


@functools.cache
def environment() -> jinja2.Environment:
    """The templates' environment: autoescaping on, through :func:`shown`; made once per process."""
    found = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True, finalize=shown,
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                               undefined=jinja2.StrictUndefined)
    found.globals.update(_=translated, ngettext=ngettext, number=number, asset=asset, script_json=script_json)
    return found


def render(template: str, **values: Any) -> str:
    """The template named ``template`` filled with ``values``."""
    return environment().get_template(template).render(**values)


def render_macro(macro: str, **values: Any) -> Markup:
    """One of the small parts of ``parts.html.j2`` (the macro named ``macro``) filled with ``values``."""
    return Markup(getattr(environment().get_template("parts.html.j2").module, macro)(**values))
