"""Figures of the network's journey and partners (notebooks 01 and 04), and a country's reforms."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from jlnlearn.charts.theme import HIGHLIGHT, PALETTE, PEER, source_note
from jlnlearn.data.countries import CountryLike, country
from jlnlearn.lessons import journey, profile
from jlnlearn.present import Notice, date_text, escape_html, hover_lines


def milestone_timeline() -> go.Figure:
    """The network's milestones on a timeline, one row per category; hover shows the event.

    Returns
    -------
    A timeline of the network's milestones, one row per category.

    Examples
    --------
    >>> milestone_timeline().layout.title.text
    "The Joint Learning Network's milestones"
    """
    figure = event_timeline(journey.milestones(), "category", "event")
    figure.update_layout(title="The Joint Learning Network's milestones", showlegend=False,
                         yaxis_title=None, height=380)
    return source_note(figure, "Sources: JLN and partner pages listed at the end of the lesson")


def event_timeline(events: pd.DataFrame, row_column: str, text_column: str) -> go.Figure:
    """Dated events (``date``, ``source_id``) as points, one row per ``row_column``; a date known
    only to its month or year is drawn over that whole period. Hovering shows the date, the
    ``text_column`` and the source.

    Parameters
    ----------
    events
        Dated events with ``date`` (YYYY, YYYY-MM or YYYY-MM-DD, as the source gives it) and
        ``source_id``, optionally already read by :func:`~jlnlearn.lessons.journey.with_dates`.
    row_column
        The column whose values are the timeline's rows.
    text_column
        The column shown on hover (escaped).

    Returns
    -------
    A timeline, one trace per row.

    Examples
    --------
    >>> events = pd.DataFrame({"date": ["2010-02"], "kind": ["law"], "event": ["An <act>"],
    ...                        "source_id": ["J02"]})
    >>> timeline = event_timeline(events, "kind", "event")
    >>> timeline.data[1].customdata
    (['February 2010 (the source gives the month only)', 'An &lt;act&gt;', 'J02'],)
    >>> timeline.data[0].x  # the month, drawn as a bar from its first day to its last
    (Timestamp('2010-02-01 00:00:00'), Timestamp('2010-03-01 00:00:00'), None)
    """
    figure = go.Figure()
    dated = events if "middle" in events else journey.with_dates(events)
    for index, (row, rows) in enumerate(dated.groupby(row_column, observed=True, sort=False)):
        colour = PALETTE[index % len(PALETTE)]
        add_period_spans(figure, rows, escape_html(row), colour)
        figure.add_trace(go.Scatter(
            x=rows.middle, y=[escape_html(row)] * len(rows), mode="markers", name=escape_html(row),
            marker={"size": 11, "color": colour, "line": {"width": 1, "color": "white"}},
            customdata=list(zip(rows.date.map(lambda date: date_text(date, say_precision=True)),
                                rows[text_column].map(hover_lines), rows.source_id, strict=True)),
            hovertemplate="%{customdata[0]}<br>%{customdata[1]}<br>source %{customdata[2]}<extra></extra>"))
    return figure


def add_period_spans(figure: go.Figure, rows: pd.DataFrame, row_label: str, colour: str, **cell: int) -> None:
    """Draw each date known only to its month or year (``precision``) as a pale bar over the
    whole period (``when`` or ``start`` to ``end``), so no chart pretends to know its day.

    ``cell`` (``row``, ``col``) places the bars in a subplot.
    """
    spans = rows[rows.precision != "day"]
    starts = spans["start"] if "start" in spans else spans["when"]
    if spans.empty:
        return
    xs: list[object] = []
    for start, end in sorted(set(zip(starts, spans.end, strict=True))):
        xs += [start, end + pd.Timedelta(days=1), None]
    figure.add_trace(go.Scatter(x=xs, y=[row_label, row_label, None] * (len(xs) // 3), mode="lines",
                                showlegend=False, hoverinfo="skip", line={"color": colour, "width": 8},
                                opacity=0.35), **cell)


def membership_growth() -> go.Figure:
    """Member countries at each date a source gives a count.

    Returns
    -------
    A line chart of member countries, each count with its source on hover.

    Examples
    --------
    >>> list(membership_growth().data[0].y[:3])
    [np.int64(6), np.int64(24), np.int64(27)]
    """
    growth = journey.membership_growth()
    figure = go.Figure(go.Scatter(
        x=growth.middle, y=growth.member_countries, mode="lines+markers+text",
        text=growth.member_countries.astype(str), textposition="top center",
        line={"color": HIGHLIGHT, "width": 2, "dash": "dot"}, marker={"size": 9},
        customdata=list(zip(growth.date.map(date_text), growth.source_id, strict=True)),
        hovertemplate="%{customdata[0]}: %{y} member countries (source %{customdata[1]})<extra></extra>"))
    figure.update_layout(title="Member countries of the JLN", yaxis_title="member countries",
                         yaxis_rangemode="tozero")
    return source_note(figure, "Counts as the sources give them; the dotted line only joins them")


def knowledge_products() -> go.Figure:
    """Knowledge products by year, stacked by topic (dated products only).

    Returns
    -------
    A bar chart of dated products by year, stacked by topic.

    Examples
    --------
    >>> knowledge_products().layout.barmode
    'stack'
    """
    counts = journey.products_by_year_and_topic()
    figure = go.Figure()
    for index, (topic, rows) in enumerate(counts.groupby("topic", observed=True)):
        figure.add_trace(go.Bar(x=rows.year, y=rows.products, name=str(topic),
                                marker_color=PALETTE[index % len(PALETTE)],
                                customdata=rows.titles.map(hover_lines),
                                hovertemplate="%{x}: %{customdata}<extra></extra>"))
    figure.update_layout(title="JLN knowledge products by year and topic", barmode="stack",
                         yaxis_title="products", xaxis={"dtick": 1})
    return figure


def reform_timeline(query: CountryLike) -> go.Figure | Notice:
    """The country's dated reforms on a timeline, one row per kind of reform.

    Parameters
    ----------
    query
        The country: a code, name, alias or :class:`~jlnlearn.Country`.

    Returns
    -------
    A timeline, or a :class:`~jlnlearn.present.Notice` when no dated reform is documented.

    Examples
    --------
    >>> reform_timeline("Ghana").layout.title.text
    'Reforms on the road to UHC: Ghana'
    """
    subject = country(query)
    reforms = journey.country_reforms(subject)
    if reforms.empty:
        return Notice(f"No dated reform is documented for {subject.name} in the sources used yet.")
    figure = event_timeline(reforms, "kind", "description")
    figure.update_layout(title=f"Reforms on the road to UHC: {escape_html(subject.name)}", showlegend=False,
                         height=max(260, 70 * reforms.kind.nunique() + 120))
    return figure


def spending_against_out_of_pocket(query: CountryLike) -> go.Figure | Notice:
    """Every country's health spending per person against its out-of-pocket share, latest year.

    Parameters
    ----------
    query
        The country: a code, name, alias or :class:`~jlnlearn.Country`.

    Returns
    -------
    A scatter chart: other countries, the income group's, and the country.

    Examples
    --------
    >>> [trace.name for trace in spending_against_out_of_pocket("Ghana").data]
    ['other countries', 'lower middle income countries', 'Ghana']
    """
    subject = country(query)
    points = journey.spending_and_out_of_pocket(subject)
    if points.empty:
        return Notice("No country has both health spending and out-of-pocket data.")
    styles = {"other": ("other countries", PEER, 8), "peer": (profile.peer_basis(subject), PALETTE[1], 10),
              "subject": (escape_html(subject.name), HIGHLIGHT, 16)}
    figure = go.Figure()
    for group, (label, colour, size) in styles.items():
        rows = points[points.group == group]
        if rows.empty:
            continue
        figure.add_trace(go.Scatter(
            x=rows.che_per_capita_ppp, y=rows.oop_share_che_pct, mode="markers", name=label,
            marker={"color": colour, "size": size, "line": {"width": 1, "color": "white"}},
            customdata=list(zip(rows.name.map(escape_html), rows.year)),
            hovertemplate="%{customdata[0]} (%{customdata[1]}): %{x:,.0f} int$ per person, "
                          "%{y:.0f}% out of pocket<extra></extra>"))
    figure.update_layout(title="Health spending per person and the share paid out of pocket",
                         xaxis_title="current health spending per person, int$ PPP (log scale)",
                         xaxis_type="log", yaxis_title="out-of-pocket, % of health spending")
    note = "" if (points.group == "subject").any() else f" ({subject.name}: no data)"
    return source_note(figure, "Sources: WHO GHED, World Bank WDI; latest year with both values" + note)


#: How a partner whose kind no source states is labelled.
KIND_NOT_STATED = "kind not stated"


def partners_gantt() -> go.Figure:
    """Partners' roles over time as bars: a menu shows one kind of partner, a slider a period.

    Returns
    -------
    A bar chart of partners' periods, with a menu by kind and a range slider.

    Examples
    --------
    >>> partners_gantt().layout.title.text
    'Partners of the JLN over time'
    """
    rows = journey.partners_timeline()
    kinds = rows.partner_type.astype(object).fillna(KIND_NOT_STATED).astype(str)
    types = list(dict.fromkeys(kinds))
    figure = go.Figure()
    for index, kind in enumerate(types):
        part = rows[kinds == kind]
        ends = ["" if documented else " (end not documented)" for documented in part.end_documented]
        figure.add_trace(go.Bar(
            y=part.organisation.map(escape_html) + " (" + kind + ")", x=part.finish - part.start + 1,
            base=part.start, orientation="h", name=kind, marker_color=PALETTE[index % len(PALETTE)],
            customdata=list(zip(part.role.map(hover_lines), part.period_note.fillna("").map(escape_html), ends,
                                part.source_id.map(escape_html))),
            hovertemplate="%{customdata[0]}<br>period: %{customdata[1]}%{customdata[2]}"
                          "<br>source %{customdata[3]}<extra></extra>"))
    buttons = [{"label": "all partners", "method": "update",
                "args": [{"visible": [True] * len(types)}]}]
    buttons += [{"label": kind, "method": "update",
                 "args": [{"visible": [other == kind for other in types]}]} for kind in types]
    figure.update_layout(
        title="Partners of the JLN over time", barmode="overlay", height=120 + 28 * len(rows),
        xaxis={"title": "year (drag the handles below to choose a period)", "dtick": 2,
               "rangeslider": {"visible": True, "thickness": 0.06}},
        yaxis={"autorange": "reversed", "title": None},
        updatemenus=[{"buttons": buttons, "direction": "down", "x": 1, "xanchor": "right",
                      "y": 1.12, "yanchor": "bottom"}])
    return figure
