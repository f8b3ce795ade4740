"""Figures of lesson 07: the map of a country's payment system, and learners' purchasing ratings."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from jlnlearn.charts.theme import PALETTE, PEER, localized, source_note
from jlnlearn.data.countries import CountryLike, country
from jlnlearn.i18n import _
from jlnlearn.lessons import assessment
from jlnlearn.lessons.assessment import FUNCTIONS, LEVELS
from jlnlearn.present import Notice, escape_html, hover_lines
from jlnlearn.present.readings import named_in_sentence
from jlnlearn.present.tables import mechanism_years

#: The colour of each status on the map: in use strong, a pilot or design lighter, an ended scheme grey.
STATUS_COLOURS = {"in use": PALETTE[0], "pilot": PALETTE[1], "designed": PALETTE[3], "ended": PEER}
#: How much of a long payer's name the map's axis shows (the whole name is in the point's hover).
SHORT_NAME = 39
#: The longest line of a mechanism's label under its square (longer ones wrap, to stay within the column).
MECHANISM_WIDTH = 18


def short_name(name: str) -> str:
    """A payer's name cut to :data:`SHORT_NAME` characters for an axis label.

    >>> short_name("PhilHealth"), short_name("Ministry of Health (central government) budget allocations")
    ('PhilHealth', 'Ministry of Health (central government)…')
    """
    return name if len(name) <= SHORT_NAME else name[:SHORT_NAME].rstrip() + "…"


def payment_system_map(query: CountryLike) -> go.Figure | Notice:
    """Who pays which level of care, and how: one row per payer, one column per level of care, each
    documented mechanism a square coloured by its status; a level of care no source documents is
    marked as such.

    >>> figure = payment_system_map("Philippines")
    >>> [trace.name for trace in figure.data], list(figure.layout.xaxis.categoryarray)
    (['in use'], ['primary care', 'outpatient specialist', 'inpatient/hospital', 'all levels'])
    >>> payment_system_map("Tunisia").text  # doctest: +ELLIPSIS
    'No source in the data documents how Tunisia pays providers...'
    """
    subject = country(query)
    rows = assessment.payment_system_map(subject)
    if rows.empty:
        # TRANSLATORS: {name} is a country's name.
        return Notice(_("No source in the data documents how {name} pays providers: the map is yours to draw "
                        "in the assessment below.").format(name=named_in_sentence(subject, markdown=False)))
    levels = assessment.levels_of_care()
    payers = list(dict.fromkeys(rows.payer))
    labels = {payer: escape_html(short_name(payer)) for payer in payers}  # axis labels are markup to plotly
    figure = go.Figure()
    rows = rows.assign(level=rows.level_of_care.astype(str), years=[mechanism_years(row) for row in rows.itertuples()],
                       rank=rows.status.map({status: place for place, status in enumerate(STATUS_COLOURS)}))
    cells = []
    for (payer, level), group in rows.sort_values("rank", kind="stable").groupby(["payer", "level"], sort=False):
        lines = [hover_lines(_(str(row.mechanism)) + ("" if row.status == "in use" else f" ({_(str(row.status))})"),
                             width=MECHANISM_WIDTH) for row in group.itertuples()]
        hover = [hover_lines(f"{_(str(row.mechanism))}, {_(str(row.status))}"
                             f"{f' ({row.years})' if row.years else ''} [{row.source_id}]")
                 for row in group.itertuples()]
        cells.append((payer, level, str(group.status.iloc[0]), "<br>".join(lines),
                      escape_html(payer) + "<br>" + "<br>".join(hover)))
    cells_table = pd.DataFrame(cells, columns=["payer", "level", "status", "text", "hover"])
    for status, colour in STATUS_COLOURS.items():
        chosen = cells_table[cells_table.status == status]
        if chosen.empty:
            continue
        figure.add_trace(go.Scatter(
            x=chosen.level.map(_), y=chosen.payer.map(labels), mode="markers+text", name=escape_html(_(status)),
            text=chosen.text, textposition="bottom center", marker={"symbol": "square", "size": 16, "color": colour},
            customdata=chosen.hover, hovertemplate="%{customdata}<extra></extra>"))
    for level in assessment.undocumented_levels(subject):
        figure.add_annotation(x=_(level), y=0.5, yref="paper", showarrow=False, textangle=-90,
                              text=escape_html(_("not documented")), font={"color": "#595959", "size": 12})
    figure.update_layout(
        title=escape_html(_("Who pays for which care, and how")),
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": [_(level) for level in levels],
               "range": [-0.5, len(levels) - 0.5], "side": "top"},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": [labels[p] for p in reversed(payers)],
               "range": [-0.7, len(payers) - 0.3], "showgrid": False},
        height=200 + 90 * len(payers), margin={"l": 20, "t": 130}, showlegend=True)
    figure.update_yaxes(automargin=True)
    sources = ", ".join(dict.fromkeys(rows.source_id))
    return source_note(figure, _("Source: {source}").format(source=sources))


def purchasing_ratings(ratings: pd.DataFrame) -> go.Figure | Notice:
    """Learners' ratings of the four purchasing functions, one bar per learner and function, on the
    scale from 1 (passive) to 4 (strategic).

    ``ratings`` has ``key, title`` and one column of ratings per learner, as
    :class:`~jlnlearn.lessons.assessment_file.Comparison` gives it.

    >>> table = pd.DataFrame({"key": ["payment"], "title": ["provider payment"], "Ana (PHL)": [3]})
    >>> figure = purchasing_ratings(table)
    >>> [trace.name for trace in figure.data], list(figure.data[0].x)
    (['Ana (PHL)'], [3])
    """
    learners = [column for column in ratings.columns if column not in ("key", "title")]
    rated = ratings[learners].notna().any(axis=None) if learners else False
    if not rated:
        return Notice(_("No function is rated yet: choose a rating for each and the chart appears."))
    titles = {function.key: _(function.title) for function in FUNCTIONS}
    figure = go.Figure()
    for place, learner in enumerate(learners):
        values = ratings[learner]
        figure.add_trace(go.Bar(
            y=[titles.get(key, key) for key in ratings.key], x=[None if pd.isna(v) else int(v) for v in values],
            orientation="h", name=escape_html(learner), marker_color=PALETTE[place % len(PALETTE)],
            customdata=[escape_html(_(LEVELS[int(v)])) if pd.notna(v) else "" for v in values],
            hovertemplate=f"{escape_html(learner)}: %{{x}} %{{customdata}}<extra></extra>"))
    figure.update_layout(
        title=escape_html(_("How strategic is purchasing? Your ratings")), barmode="group",
        xaxis={"range": [0, 4.2], "tickvals": list(LEVELS), "ticktext": [f"{n} {escape_html(_(LEVELS[n]))}"
                                                                         for n in LEVELS], "showgrid": True},
        yaxis={"autorange": "reversed", "automargin": True}, height=180 + 40 * len(FUNCTIONS) * max(1, len(learners)),
        showlegend=len(learners) > 1)
    return localized(figure)
