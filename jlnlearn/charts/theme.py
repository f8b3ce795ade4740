"""The one look every figure shares: colours, the plotly template, and the source line.

Colours come from the Okabe-Ito palette, which stays distinguishable for
colour-blind readers; the subject country is drawn in a strong colour and its
peers in grey. Importing this module registers the ``jlnlearn`` template (plotly's
``plotly_white`` with these colours and fonts) as plotly's default.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from jlnlearn.i18n import percent, plotly_separators
from jlnlearn.present import escape_html

#: Okabe-Ito colours (colour-blind safe), in the order charts use them.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
HIGHLIGHT = PALETTE[0]
PEER = "#BBBBBB"
TEMPLATE_NAME = "jlnlearn"

OUR_LOOK = go.layout.Template(layout=go.Layout(
    font={"family": "Arial, Helvetica, sans-serif", "size": 13, "color": "#222222"},
    colorway=PALETTE,
    paper_bgcolor="white",
    plot_bgcolor="white",
    xaxis={"showgrid": False, "linecolor": "#888888", "ticks": "outside"},
    yaxis={"gridcolor": "#E5E5E5", "zeroline": False},
    margin={"l": 60, "r": 20, "t": 60, "b": 50},
    hoverlabel={"font": {"size": 12}},
    legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0},  # below all, on any width
))
#: The trace types our charts draw, and the parts of a layout they use: the rest of
#: plotly_white (maps, 3D scenes, polar and ternary axes, 20 other trace types) would
#: travel in every figure, most of its size, for nothing.
TRACE_TYPES = ("bar", "scatter")
LAYOUT_PARTS = ("annotationdefaults", "autotypenumbers", "coloraxis", "colorscale", "colorway", "font",
                "hoverlabel", "hovermode", "legend", "margin", "paper_bgcolor", "plot_bgcolor",
                "shapedefaults", "title", "xaxis", "yaxis")


def slim_template(template: go.layout.Template) -> go.layout.Template:
    """``template`` cut to :data:`TRACE_TYPES` and :data:`LAYOUT_PARTS`.

    >>> sorted(slim_template(pio.templates["plotly_white"]).data.to_plotly_json())
    ['bar', 'scatter']
    """
    whole = template.to_plotly_json()
    return go.layout.Template(
        data={kind: traces for kind, traces in whole.get("data", {}).items() if kind in TRACE_TYPES},
        layout={part: value for part, value in whole.get("layout", {}).items() if part in LAYOUT_PARTS})


# Registered merged, once: a default of "plotly_white+jlnlearn" would merge the two in every new figure.
pio.templates[TEMPLATE_NAME] = slim_template(pio.templates.merge_templates(pio.templates["plotly_white"], OUR_LOOK))
pio.templates.default = TEMPLATE_NAME


def localized(figure: go.Figure) -> go.Figure:
    """``figure`` with the reader's decimal and thousands separators (plotly's ``layout.separators``),
    which its d3 formats (``%{y:,.0f}``) and number axes follow. Every chart function returns its
    figure through this (or :func:`source_note`, which calls it).

    >>> localized(go.Figure()).layout.separators
    '.,'
    """
    figure.update_layout(separators=plotly_separators())
    return figure


def percent_suffix() -> str:
    """What follows a number to make it a percentage in the reader's language (an axis's ``ticksuffix``).

    >>> percent_suffix()
    '%'
    """
    return percent(0, 0).removeprefix("0")


def source_note(figure: go.Figure, text: str) -> go.Figure:
    """``figure`` with ``text`` (escaped) as the line under its title, where its source is said,
    and :func:`localized`.

    Under the title, not under the plot: a legend below the plot wraps onto more
    lines on a narrow screen and would cover a note placed there.

    >>> figure = source_note(go.Figure(layout={"title": "Spending"}), "Source: WHO <GHED>")
    >>> figure.layout.title.subtitle.text
    'Source: WHO &lt;GHED&gt;'
    """
    figure.update_layout(title_subtitle={"text": escape_html(text), "font": {"size": 11, "color": "#555555"}},
                         margin_t=max(figure.layout.margin.t or 0, 80))
    return localized(figure)
