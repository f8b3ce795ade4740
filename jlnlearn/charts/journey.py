"""Figures of the network's journey and partners (notebooks 01 and 04), and a country's reforms."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from jlnlearn.charts.theme import HIGHLIGHT, PALETTE, PEER, localized, source_note
from jlnlearn.data.countries import CountryLike, country
from jlnlearn.i18n import N_, _, number
from jlnlearn.lessons import journey, profile
from jlnlearn.present import Notice, date_text, escape_html, hover_lines
from jlnlearn.present.formats import number_text
from jlnlearn.present.readings import named_in_sentence


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
    figure.update_layout(title=_("The Joint Learning Network's milestones"), showlegend=False,
                         yaxis_title=None, height=380)
    return source_note(figure, _("Sources: JLN and partner pages listed at the end of the lesson"))


def event_timeline(events: pd.DataFrame, row_column: str, text_column: str,
                   categories: bool = True, numbered: bool = False) -> go.Figure:
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
    categories
        Whether the rows are categories of the data, shown in the reader's language (a kind of
        reform), rather than names (countries).
    numbered
        Whether each event is numbered above its point, in the order of ``events`` (the numbers
        of a table beside the chart, which says what each event is).

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
    dated = dated.assign(number=[str(place) for place in range(1, len(dated) + 1)])
    # TRANSLATORS: {source} is a source id such as "J02".
    source = _("source {source}").format(source="%{customdata[2]}")
    for index, (row, rows) in enumerate(dated.groupby(row_column, observed=True, sort=False)):
        colour = PALETTE[index % len(PALETTE)]
        label = escape_html(_(str(row)) if categories else row)
        add_period_spans(figure, rows, label, colour)
        figure.add_trace(go.Scatter(
            x=rows.middle, y=[label] * len(rows), mode="markers+text" if numbered else "markers", name=label,
            text=rows.number if numbered else None, textposition="top center", textfont={"size": 13},
            cliponaxis=False,  # the numbers of the top row stand above the plot area
            marker={"size": 11, "color": colour, "line": {"width": 1, "color": "white"}},
            customdata=list(zip(rows.date.map(lambda date: date_text(date, say_precision=True)),
                                rows[text_column].map(hover_lines), rows.source_id, strict=True)),
            hovertemplate=f"%{{customdata[0]}}<br>%{{customdata[1]}}<br>{source}<extra></extra>"))
    return localized(figure)


def add_period_spans(figure: go.Figure, rows: pd.DataFrame, row_label: str, colour: str, **cell: int) -> None:
    """Draw each row that covers more than a day as a pale bar over the whole period (``when`` or
    ``start`` to ``end``): a date known only to its month or year, so no chart pretends to know its
    day, and a measure with an end date, so the chart says as long as the table does.

    ``cell`` (``row``, ``col``) places the bars in a subplot.
    """
    starts = rows["start"] if "start" in rows else rows["when"]
    spans = rows[rows.end > starts]
    starts = starts[spans.index]
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
        text=[number(count) for count in growth.member_countries], textposition="top center",
        line={"color": HIGHLIGHT, "width": 2, "dash": "dot"}, marker={"size": 9},
        customdata=list(zip(growth.date.map(date_text), growth.source_id, strict=True)),
        # TRANSLATORS: {date} is a date in words, {count} a number of countries, {source} a source id.
        hovertemplate=_("{date}: {count} member countries (source {source})").format(
            date="%{customdata[0]}", count="%{y}", source="%{customdata[1]}") + "<extra></extra>"))
    figure.update_layout(title=_("Member countries of the JLN"), yaxis_title=_("member countries"),
                         yaxis_rangemode="tozero")
    return source_note(figure, _("Counts as the sources give them; the dotted line only joins them"))


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
        figure.add_trace(go.Bar(x=rows.year, y=rows.products, name=_(str(topic)),
                                marker_color=PALETTE[index % len(PALETTE)],
                                customdata=rows.titles.map(hover_lines),
                                hovertemplate="%{x}: %{customdata}<extra></extra>"))
    figure.update_layout(title=_("JLN knowledge products by year and topic"), barmode="stack",
                         yaxis_title=_("products"), xaxis={"dtick": 1})
    return localized(figure)


def reform_timeline(query: CountryLike) -> go.Figure | Notice:
    """The country's dated reforms on a timeline, one row per kind of reform, each numbered as in
    :func:`~jlnlearn.present.tables.reforms_table`.

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
        return Notice(_("No dated reform is documented for {name} in the sources used yet.").format(
            name=named_in_sentence(subject, markdown=False)))
    figure = event_timeline(reforms.reset_index(drop=True), "kind", "description", numbered=True)
    figure.update_layout(title=_("Reforms on the road to UHC: {country}").format(country=escape_html(subject.name)),
                         showlegend=False, height=max(280, 80 * reforms.kind.nunique() + 130))
    return source_note(figure, _("Each number is a reform of the table below the chart."))


def log_ticks(low: float, high: float) -> list[float]:
    """Ticks for a log axis from ``low`` to ``high`` written in full (10, 20, 50, 100...), where
    plotly's own would write "2" and "5" between the powers of ten.

    >>> log_ticks(35, 4200)
    [20, 50, 100, 200, 500, 1000, 2000, 5000]
    """
    candidates = [step * 10 ** power for power in range(-1, 8) for step in (1, 2, 5)]
    return [tick for tick in candidates if low / 2 <= tick <= high * 2]


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
        return Notice(_("No country has both health spending and out-of-pocket data."))
    styles = {"other": (_("other countries"), PEER, 8), "peer": (profile.peer_basis(subject), PALETTE[1], 10),
              "subject": (escape_html(subject.name), HIGHLIGHT, 16)}
    # TRANSLATORS: {country} is a country's name, {year} a year, {spending} an amount, {share} a number.
    hover = _("{country} ({year}): {spending} int$ per person, {share}% out of pocket").format(
        country="%{customdata[0]}", year="%{customdata[1]}", spending="%{x:,.0f}", share="%{y:.0f}")
    figure = go.Figure()
    for group, (label, colour, size) in styles.items():
        rows = points[points.group == group]
        if rows.empty:
            continue
        figure.add_trace(go.Scatter(
            x=rows.che_per_capita_ppp, y=rows.oop_share_che_pct, mode="markers", name=label,
            marker={"color": colour, "size": size, "line": {"width": 1, "color": "white"}},
            customdata=list(zip(rows.name.map(escape_html), rows.year)),
            hovertemplate=hover + "<extra></extra>"))
    ticks = log_ticks(float(points.che_per_capita_ppp.min()), float(points.che_per_capita_ppp.max()))
    figure.update_layout(title=_("Health spending per person and the share paid out of pocket"),
                         xaxis={"title": _("current health spending per person, int$ PPP (log scale)"),
                                "type": "log", "tickvals": ticks, "ticktext": [number_text(tick) for tick in ticks]},
                         yaxis_title=_("out-of-pocket, % of health spending"))
    if (points.group == "subject").any():
        note = _("Sources: WHO GHED, World Bank WDI; latest year with both values")
    else:
        note = _("Sources: WHO GHED, World Bank WDI; latest year with both values ({name}: no data)").format(
            name=subject.name)
    return source_note(figure, note)


#: How a partner whose kind no source states is labelled.
KIND_NOT_STATED = N_("kind not stated")


#: How each way a role is dated is drawn and said in the hover ({start}, {finish}: years;
#: {years}: one year, or two joined by "and").
PARTNER_MARKS = {"period": N_("from {start} to {finish}"),
                 "from": N_("from {start}; no source gives an end"),
                 "seen": N_("seen in {years}")}


def partners_gantt() -> go.Figure:
    """Partners' roles over time, one row per organisation, coloured by kind of partner.

    A role with a documented period is a bar over it; a role with a documented
    start and no end is a hatched bar running to the chart's last year; a role
    only seen in sources is a diamond in each year it is seen. The legend shows
    or hides a kind of partner, the slider under the axis a period.

    Returns
    -------
    A timeline of the partners' roles.

    Examples
    --------
    >>> figure = partners_gantt()
    >>> figure.layout.title.text
    'Partners of the JLN over time'
    >>> founding = next(t for t in figure.data if t.name == "funder" and t.type == "bar")
    >>> int(founding.base[0]), int(founding.x[0])  # 2010 onward: from 2010 to the chart's last year, 2025
    (2010, 16)
    """
    rows = journey.partners_timeline()
    rows["kind"] = rows.partner_type.astype(object).fillna(KIND_NOT_STATED).astype(str)
    rows["label"] = rows.organisation.map(lambda name: hover_lines(name, 30))
    last_year = max(int(rows.finish.max()), int(journey.milestones().year.max()))
    kinds = list(dict.fromkeys(rows.kind))
    figure = go.Figure()
    for index, kind in enumerate(kinds):
        colour = PALETTE[index % len(PALETTE)]
        part = rows[rows.kind == kind]
        for dated, group in part.groupby("dated", sort=False):
            figure.add_trace(_partner_trace(group, str(dated), kind, colour, last_year,
                                            first=not figure.data or figure.data[-1].legendgroup != kind))
    organisations = list(dict.fromkeys(rows.label))
    figure.update_layout(
        title=_("Partners of the JLN over time"), barmode="overlay", height=300 + 46 * len(organisations),
        xaxis={"title": _("year"), "dtick": 2, "tickformat": "d", "range": [rows.start.min() - 0.5, last_year + 1.5],
               "rangeslider": {"visible": True, "thickness": 0.05}},
        yaxis={"autorange": "reversed", "title": None, "categoryorder": "array", "categoryarray": organisations,
               "automargin": True},
        legend_title_text=_("kind of partner:"))
    return source_note(figure, _("Hatched: no documented end · diamond: a year a source shows it"))


def _partner_trace(rows: pd.DataFrame, dated: str, kind: str, colour: str, last_year: int,
                   first: bool) -> go.Bar | go.Scatter:
    """One kind of partner's roles dated the same way, drawn as :data:`PARTNER_MARKS` says."""
    ends = rows.finish.where(rows.dated != "from", last_year)
    # TRANSLATORS: {start} and {finish} are two years in which a source shows a partner.
    both = _("{start} and {finish}")
    years = [f"{start}" if start == finish else both.format(start=start, finish=finish)
             for start, finish in zip(rows.start, rows.finish, strict=True)]
    period = [_(PARTNER_MARKS[dated]).format(start=start, finish=finish, years=seen)
              for start, finish, seen in zip(rows.start, rows.finish, years, strict=True)]
    customdata = list(zip(rows.organisation.map(escape_html), rows.role.map(hover_lines), period,
                          rows.period_note.fillna("").map(escape_html), rows.source_id.map(escape_html),
                          strict=True))
    # TRANSLATORS: {period} is when a partner held a role ("from 2010 to 2015"), {note} what the source says of it.
    period_line = _("{period} (source: {note})").format(period="%{customdata[2]}", note="%{customdata[3]}")
    source_line = _("source {source}").format(source="%{customdata[4]}")
    hover = f"<b>%{{customdata[0]}}</b><br>%{{customdata[1]}}<br>{period_line}<br>{source_line}<extra></extra>"
    shared = {"name": _(kind), "legendgroup": kind, "showlegend": first, "customdata": customdata,
              "hovertemplate": hover}
    if dated == "seen":
        xs, ys, data = [], [], []
        for label, start, finish, extra in zip(rows.label, rows.start, rows.finish, customdata, strict=True):
            for year in dict.fromkeys([start, finish]):
                xs.append(year + 0.5)
                ys.append(label)
                data.append(extra)
        return go.Scatter(x=xs, y=ys, mode="markers", **{**shared, "customdata": data},
                          marker={"symbol": "diamond", "size": 13, "color": colour,
                                  "line": {"width": 1, "color": "white"}})
    pattern = {"shape": "/", "fgcolor": "white", "size": 6} if dated == "from" else {"shape": ""}
    return go.Bar(y=rows.label, x=ends - rows.start + 1, base=rows.start, orientation="h", width=0.6,
                  marker={"color": colour, "pattern": pattern}, **shared)
