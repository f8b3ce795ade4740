"""Plotly figures with one theme, and plain notices where data are missing.

Colours come from the Okabe-Ito palette, which stays distinguishable for
colour-blind readers; the subject country is drawn in a strong colour and its
peers in grey. Each chart function returns a :class:`plotly.graph_objects.Figure`,
or a :class:`Notice` that says what is missing, never an empty chart.
"""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from jlnlearn import money, profile
from jlnlearn.countries import countries, country

#: Okabe-Ito colours (colour-blind safe), in the order charts use them.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
HIGHLIGHT = PALETTE[0]
PEER = "#BBBBBB"
TEMPLATE_NAME = "jlnlearn"

pio.templates[TEMPLATE_NAME] = go.layout.Template(layout=go.Layout(
    font={"family": "Arial, Helvetica, sans-serif", "size": 13, "color": "#222222"},
    colorway=PALETTE,
    paper_bgcolor="white",
    plot_bgcolor="white",
    xaxis={"showgrid": False, "linecolor": "#888888", "ticks": "outside"},
    yaxis={"gridcolor": "#E5E5E5", "zeroline": False},
    margin={"l": 60, "r": 20, "t": 60, "b": 50},
    hoverlabel={"font": {"size": 12}},
    legend={"orientation": "h", "y": -0.18},
))
pio.templates.default = f"plotly_white+{TEMPLATE_NAME}"


class Notice:
    """A short message shown where a chart would be, e.g. when data are missing.

    >>> Notice("No data for Kosovo <yet>")._repr_html_()
    '<p class="jlnlearn-notice">No data for Kosovo &lt;yet&gt;</p>'
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_html_(self) -> str:
        return f'<p class="jlnlearn-notice">{html.escape(self.text)}</p>'

    def _repr_markdown_(self) -> str:
        return f"> {self.text}"

    def __repr__(self) -> str:
        return f"Notice({self.text!r})"


def _source_note(figure: go.Figure, text: str) -> go.Figure:
    figure.add_annotation(text=html.escape(text), xref="paper", yref="paper", x=0, y=-0.32,
                          showarrow=False, font={"size": 11, "color": "#555555"}, xanchor="left")
    return figure


def trend_against_peers(query: str, indicator: str, title: str, y_title: str,
                        source: str) -> go.Figure | Notice:
    """An indicator over time: the country in colour, each peer as a grey line."""
    subject = country(query)
    series = profile.indicator_series(query, indicator, with_peers=True)
    if not series.is_subject.any():
        return Notice(f"{title}: no data for {subject.name} in {source}.")
    figure = go.Figure()
    for (iso3, name), rows in series.groupby(["iso3", "name"], sort=False):
        is_subject = iso3 == subject.iso3
        figure.add_trace(go.Scatter(
            x=rows.year, y=rows.value, name=name, mode="lines+markers" if is_subject else "lines",
            line={"color": HIGHLIGHT if is_subject else PEER, "width": 3 if is_subject else 1},
            showlegend=is_subject, legendgroup="subject" if is_subject else "peers",
            hovertemplate=f"{html.escape(name)} %{{x}}: %{{y:,.1f}}<extra></extra>"))
    figure.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=f"peers: {profile.peer_basis(query)}",
                                line={"color": PEER}))
    figure.update_layout(title=f"{title}: {subject.name}", yaxis_title=y_title, xaxis_title=None)
    return _source_note(figure, f"Source: {source}")


def health_spending(query: str) -> go.Figure | Notice:
    """Current health spending per person (PPP) over time, against peers."""
    return trend_against_peers(query, "che_per_capita_ppp", "Health spending per person",
                               "current international $ (PPP)",
                               "WHO Global Health Expenditure Database via World Bank WDI")


def uhc_coverage(query: str) -> go.Figure | Notice:
    """The UHC service coverage index over time, against peers."""
    return trend_against_peers(query, "uhc_service_coverage_index", "UHC service coverage index",
                               "index (0-100; WHO reports 80 or more as 80)",
                               "WHO Global Health Observatory (2025)")


def spending_sources(query: str) -> go.Figure | Notice:
    """Stacked shares of health spending by source (government, private, external)."""
    subject = country(query)
    shares = profile.spending_by_source(query)
    if shares.empty:
        return Notice(f"Sources of health spending: no WHO data for {subject.name}.")
    figure = go.Figure()
    for index, column in enumerate(profile.SPENDING_SOURCES.values()):
        figure.add_trace(go.Scatter(
            x=shares.year, y=shares[column], name=column, stackgroup="share", mode="lines",
            line={"width": 0.5, "color": PALETTE[index]},
            hovertemplate=f"{column} %{{x}}: %{{y:.1f}}%<extra></extra>"))
    oop = profile.indicator_series(query, "oop_share_che_pct")
    if not oop.empty:
        figure.add_trace(go.Scatter(x=oop.year, y=oop.value, name="of which out-of-pocket",
                                    mode="lines", line={"color": "#000000", "dash": "dash"}))
    figure.update_layout(title=f"Who pays for health care: {subject.name}",
                         yaxis_title="% of current health spending", yaxis_range=[0, 100])
    return _source_note(figure, "Source: WHO Global Health Expenditure Database")


def symmetric_ticks(largest: float, per_side: int = 2) -> list[float]:
    """Round tick positions from ``-largest`` to ``largest``, for a two-sided bar chart.

    >>> symmetric_ticks(2_340_000)
    [-2000000.0, -1000000.0, 0.0, 1000000.0, 2000000.0]
    """
    if largest <= 0:
        return [0.0]
    raw = largest / per_side
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (5, 2, 1) if m * magnitude <= raw)
    count = int(largest // step)
    return [float(i * step) for i in range(-count, count + 1)]


def population_pyramid(query: str, year: int | None = None) -> go.Figure | Notice:
    """Population by five-year age group and sex, men to the left."""
    subject = country(query)
    pyramid = profile.population_pyramid(query, year)
    if pyramid.empty:
        return Notice(f"Population by age and sex: not available for {subject.name} "
                      "in UN World Population Prospects 2019.")
    chosen = int(pyramid.year.iloc[0])
    ticks = symmetric_ticks(float(max(pyramid.male.max(), pyramid.female.max())))
    figure = go.Figure([
        go.Bar(y=pyramid.age_group.astype(str), x=-pyramid.male, name="Men", orientation="h",
               marker_color=PALETTE[0], customdata=pyramid.male,
               hovertemplate="Men %{y}: %{customdata:,}<extra></extra>"),
        go.Bar(y=pyramid.age_group.astype(str), x=pyramid.female, name="Women", orientation="h",
               marker_color=PALETTE[1], hovertemplate="Women %{y}: %{x:,}<extra></extra>"),
    ])
    figure.update_layout(title=f"Population by age and sex, {chosen}: {subject.name}",
                         barmode="overlay", bargap=0.05, xaxis_title="persons",
                         yaxis_title="age group",
                         xaxis={"tickvals": ticks, "ticktext": [f"{abs(t):,.0f}" for t in ticks]})
    return _source_note(figure, "Source: UN WPP 2019 age-sex shares scaled to the World Bank total")


def fact_table(frame: pd.DataFrame, empty: str = "Nothing is documented yet.") -> object:
    """A DataFrame shown in full (no truncated text, no index), its text HTML-escaped.

    An empty frame gives a :class:`Notice` with ``empty`` instead.

    >>> html_text = fact_table(pd.DataFrame({"fact": ["<b>x</b>"]})).to_html()
    >>> "&lt;b&gt;x&lt;/b&gt;" in html_text and "<b>x</b>" not in html_text
    True
    """
    if frame.empty:
        return Notice(empty)
    return frame.style.hide(axis="index").format(escape="html", na_rep="", precision=2)


def milestone_timeline() -> go.Figure:
    """The network's milestones on a timeline, one row per category; hover shows the event."""
    from jlnlearn import journey

    figure = event_timeline(journey.milestones(), "category", "event")
    figure.update_layout(title="The Joint Learning Network's milestones", showlegend=False,
                         yaxis_title=None, height=380)
    return _source_note(figure, "Sources: JLN and partner pages listed at the end of the lesson")


def event_timeline(events: pd.DataFrame, row_column: str, text_column: str) -> go.Figure:
    """Dated events (``when``, ``date``, ``source_id``) as points, one row per ``row_column``;
    hovering shows the date, the ``text_column`` and the source."""
    figure = go.Figure()
    for index, (row, rows) in enumerate(events.groupby(row_column, observed=True, sort=False)):
        figure.add_trace(go.Scatter(
            x=rows.when, y=[str(row)] * len(rows), mode="markers", name=str(row),
            marker={"size": 11, "color": PALETTE[index % len(PALETTE)],
                    "line": {"width": 1, "color": "white"}},
            customdata=list(zip(rows.date, rows[text_column].map(_wrap), rows.source_id, strict=True)),
            hovertemplate="%{customdata[0]}<br>%{customdata[1]}<br>source %{customdata[2]}<extra></extra>"))
    return figure


def _wrap(text: str, width: int = 60) -> str:
    """Text broken into lines for a hover label (escaped)."""
    import textwrap

    return "<br>".join(html.escape(line) for line in textwrap.wrap(str(text), width))


def membership_growth() -> go.Figure:
    """Member countries at each date a source gives a count."""
    from jlnlearn import journey

    growth = journey.membership_growth()
    figure = go.Figure(go.Scatter(
        x=growth.when, y=growth.member_countries, mode="lines+markers+text",
        text=growth.member_countries.astype(str), textposition="top center",
        line={"color": HIGHLIGHT, "width": 2, "dash": "dot"}, marker={"size": 9},
        customdata=growth.source_id,
        hovertemplate="%{x|%b %Y}: %{y} member countries (source %{customdata})<extra></extra>"))
    figure.update_layout(title="Member countries of the JLN", yaxis_title="member countries",
                         yaxis_rangemode="tozero")
    return _source_note(figure, "Counts as the sources give them; the dotted line only joins them")


def knowledge_products() -> go.Figure:
    """Knowledge products by year, stacked by topic (dated products only)."""
    from jlnlearn import journey

    counts = journey.products_by_year_and_topic()
    figure = go.Figure()
    for index, (topic, rows) in enumerate(counts.groupby("topic", observed=True)):
        figure.add_trace(go.Bar(x=rows.year, y=rows.products, name=str(topic),
                                marker_color=PALETTE[index % len(PALETTE)],
                                customdata=rows.titles.map(_wrap),
                                hovertemplate="%{x}: %{customdata}<extra></extra>"))
    figure.update_layout(title="JLN knowledge products by year and topic", barmode="stack",
                         yaxis_title="products", xaxis={"dtick": 1})
    return figure


def reform_timeline(query: str) -> go.Figure | Notice:
    """The country's dated reforms on a timeline, one row per kind of reform."""
    from jlnlearn import journey

    subject = country(query)
    reforms = journey.country_reforms(query)
    if reforms.empty:
        return Notice(f"No dated reform is documented for {subject.name} in the sources used yet.")
    figure = event_timeline(reforms, "kind", "description")
    figure.update_layout(title=f"Reforms on the road to UHC: {subject.name}", showlegend=False,
                         height=max(260, 70 * reforms.kind.nunique() + 120))
    return figure


def spending_against_out_of_pocket(query: str) -> go.Figure | Notice:
    """Every country's health spending per person against its out-of-pocket share, latest year."""
    from jlnlearn import journey

    subject = country(query)
    points = journey.spending_and_out_of_pocket(query)
    if points.empty:
        return Notice("No country has both health spending and out-of-pocket data.")
    styles = {"other": ("other countries", PEER, 8), "peer": (profile.peer_basis(query), PALETTE[1], 10),
              "subject": (subject.name, HIGHLIGHT, 16)}
    figure = go.Figure()
    for group, (label, colour, size) in styles.items():
        rows = points[points.group == group]
        if rows.empty:
            continue
        figure.add_trace(go.Scatter(
            x=rows.che_per_capita_ppp, y=rows.oop_share_che_pct, mode="markers", name=label,
            marker={"color": colour, "size": size, "line": {"width": 1, "color": "white"}},
            customdata=list(zip(rows.name, rows.year)),
            hovertemplate="%{customdata[0]} (%{customdata[1]}): %{x:,.0f} int$ per person, "
                          "%{y:.0f}% out of pocket<extra></extra>"))
    figure.update_layout(title="Health spending per person and the share paid out of pocket",
                         xaxis_title="current health spending per person, int$ PPP (log scale)",
                         xaxis_type="log", yaxis_title="out-of-pocket, % of health spending")
    note = "" if (points.group == "subject").any() else f" ({subject.name}: no data)"
    return _source_note(figure, "Sources: WHO GHED, World Bank WDI; latest year with both values" + note)


def partners_gantt() -> go.Figure:
    """Partners' roles over time as bars: a menu shows one kind of partner, a slider a period."""
    from jlnlearn import journey

    rows = journey.partners_timeline()
    types = list(dict.fromkeys(rows.partner_type.astype(str)))
    figure = go.Figure()
    for index, kind in enumerate(types):
        part = rows[rows.partner_type.astype(str) == kind]
        ends = ["" if documented else " (end not documented)" for documented in part.end_documented]
        figure.add_trace(go.Bar(
            y=part.organisation + " (" + part.partner_type.astype(str) + ")", x=part.finish - part.start + 1,
            base=part.start, orientation="h", name=kind, marker_color=PALETTE[index % len(PALETTE)],
            customdata=list(zip(part.role.map(_wrap), part.period_note.fillna(""), ends, part.source_id)),
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


def capitation_rates(query: str, phc_share: float, weights: dict[str, float]) -> go.Figure | Notice:
    """Capitation per person by age band: the same for all, and adjusted by the weights."""
    from jlnlearn import phc

    subject = country(query)
    rates = phc.capitation_rates(query, phc_share, weights)
    if rates.empty:
        return Notice(f"Capitation on real data: {subject.name} lacks population by age or "
                      "health spending in the data.")
    figure = go.Figure([
        go.Bar(x=rates.index, y=rates.flat_rate, name="same rate for everybody", marker_color=PEER,
               hovertemplate="%{x}: US$ %{y:.2f}<extra></extra>"),
        go.Bar(x=rates.index, y=rates.rate, name="adjusted by age weight", marker_color=HIGHLIGHT,
               hovertemplate="%{x}: US$ %{y:.2f}<extra></extra>"),
    ])
    figure.update_layout(title=f"Capitation per person per year, {phc_share:.0%} of health spending "
                               f"to PHC: {subject.name}", barmode="group",
                         yaxis_title="US$ per person per year", xaxis_title="age band")
    return figure


def capitation_explorer(query: str, weights: dict[str, float],
                        shares: tuple[float, ...] = (0.1, 0.2, 0.3, 0.4, 0.5)) -> go.Figure | Notice:
    """Capitation rates with a slider over PHC shares: works in a report without a kernel."""
    from jlnlearn import phc

    subject = country(query)
    scenarios = phc.rate_scenarios(query, list(shares), weights)
    if scenarios.empty:
        return Notice(f"Capitation explorer: no population by age or health spending for {subject.name}.")
    figure = go.Figure()
    for share in shares:
        rows = scenarios[scenarios.phc_share == share]
        first = share == shares[0]
        figure.add_trace(go.Bar(x=rows.band, y=rows.flat_rate, name="same rate for everybody",
                                marker_color=PEER, visible=first))
        figure.add_trace(go.Bar(x=rows.band, y=rows.rate, name="adjusted by age weight",
                                marker_color=HIGHLIGHT, visible=first))
    steps = [{"label": f"{share:.0%}", "method": "update",
              "args": [{"visible": [i // 2 == n for i in range(2 * len(shares))]}]}
             for n, share in enumerate(shares)]
    top = float(scenarios[["rate", "flat_rate"]].max().max()) * 1.1
    figure.update_layout(title=f"Capitation per person per year: {subject.name}", barmode="group",
                         yaxis={"title": "US$ per person per year", "range": [0, top]},
                         sliders=[{"steps": steps, "currentvalue": {"prefix": "PHC share of health spending: "},
                                   "pad": {"t": 40}}])
    return figure


def risk_distributions(simulation: pd.DataFrame) -> go.Figure:
    """The provider's margin and the purchaser's spending under each mechanism, as histograms."""
    import numpy as np

    from jlnlearn.payment import MECHANISMS_SIMULATED

    figure = go.Figure()
    views = ["margin", "spending"]
    for view in views:
        for index, mechanism in enumerate(MECHANISMS_SIMULATED):
            values = simulation[f"{view}_{mechanism}"].to_numpy()
            low, high = float(values.min()), float(values.max())
            if high - low < 1e-9:
                low, high = low - 1, high + 1
            counts, edges = np.histogram(values, bins=40, range=(low, high))
            figure.add_trace(go.Bar(
                x=(edges[:-1] + edges[1:]) / 2, y=counts / counts.sum(), width=edges[1] - edges[0],
                name=mechanism, marker_color=PALETTE[index], opacity=0.65, visible=view == "margin",
                hovertemplate=f"{mechanism}: %{{x:,.0f}}<extra></extra>"))
    buttons = [{"label": label, "method": "update",
                "args": [{"visible": [v == view for v in views for _ in MECHANISMS_SIMULATED]},
                         {"xaxis": {"title": title}}]}
               for view, label, title in [("margin", "provider's margin", "payment minus cost"),
                                          ("spending", "purchaser's spending", "payment")]]
    figure.update_layout(title=f"Who bears the risk: {len(simulation):,} simulated facility-years",
                         barmode="overlay", yaxis_title="share of facility-years",
                         xaxis_title="payment minus cost",
                         updatemenus=[{"buttons": buttons, "x": 1, "xanchor": "right", "y": 1.12,
                                       "yanchor": "bottom"}])
    return figure


#: One colour per lever of COVID-19 measures, the same in every chart.
LEVER_COLOURS = dict(zip(["raising money", "paying providers", "covering patients", "who pays", "lessons"],
                         [PALETTE[1], PALETTE[0], PALETTE[2], PALETTE[3], PALETTE[7]], strict=True))
REVISION = PALETTE[5]


def covid_timeline(query: str) -> go.Figure | Notice:
    """The country's epidemic (weekly cases, deaths, vaccination) and its measures on one timeline.

    Weeks without a WHO report are gaps, not zeros; a negative weekly count (a
    downward revision) is drawn at zero and marked with a cross whose hover
    gives the value as reported. A measure dated only by month or year spans
    that whole period. Hovering over a measure shows it, its source and where
    the epidemic stood at the first weekly report after it.
    """
    from plotly.subplots import make_subplots

    from jlnlearn import covid

    subject = country(query)
    weekly = covid.weekly_epidemic(query)
    doses = covid.vaccination(query)
    measures = covid.align_to_epidemic(covid.country_measures(query), weekly)
    if weekly.empty and measures.empty:
        return Notice(f"WHO's weekly COVID-19 file has no counts for {subject.name}, and no financing "
                      "or payment measure is documented for it in the sources used.")
    panels = []
    if not weekly.empty:
        panels += [("cases", "weekly cases", 0.3), ("deaths", "weekly deaths", 0.2)]
    if not doses.empty:
        panels.append(("doses", "vaccinated, % of population", 0.2))
    if not measures.empty:
        panels.append(("measures", "documented measures", 0.08 + 0.06 * measures.lever.nunique()))
    figure = make_subplots(rows=len(panels), cols=1, shared_xaxes=True, vertical_spacing=0.05,
                           row_heights=[height for *_, height in panels],
                           subplot_titles=[title for _, title, _ in panels])
    rows = {name: index + 1 for index, (name, *_) in enumerate(panels)}
    if "cases" in rows:
        _weekly_panel(figure, weekly, "cases", "case", rows["cases"])
        _weekly_panel(figure, weekly, "deaths", "death", rows["deaths"])
    if "doses" in rows:
        for index, (column, label) in enumerate([("one_dose_pct", "at least one dose"),
                                                 ("complete_primary_series_pct", "complete primary series"),
                                                 ("booster_pct", "booster")]):
            if doses[column].isna().all():
                continue
            figure.add_trace(go.Scatter(
                x=doses.date, y=doses[column], mode="lines", name=label, legendgroup="doses",
                line={"color": PALETTE[4 + index] if index < 2 else PALETTE[7], "width": 2},
                hovertemplate=f"%{{x|%b %Y}}: %{{y:.1f}}% {label}<extra></extra>"), row=rows["doses"], col=1)
        figure.update_yaxes(rangemode="tozero", ticksuffix="%", row=rows["doses"], col=1)
    if "measures" in rows:
        _measures_panel(figure, measures, rows["measures"])
    notes = ["WHO weekly counts as reported; a gap is a week with no report. "
             "x: a negative weekly count (a downward revision), drawn at zero.",
             "A number in a dot: measures on the same date. Double-click the chart for 2024 onwards."]
    if weekly.empty:
        notes[0] = f"WHO's weekly file has no counts for {subject.name}."
    if measures.empty:
        notes[1] = f"No financing or payment measure is documented for {subject.name} in the sources used."
    subtitle = "<br>".join(f"<span style='font-size:11px;color:#555555'>{html.escape(note)}</span>"
                           for note in notes)
    figure.update_layout(
        title={"text": f"COVID-19 in {html.escape(subject.name)}: the epidemic and the documented "
                       f"measures<br>{subtitle}", "yref": "container", "y": 1, "yanchor": "top",
               "pad": {"t": 20}},
        height=220 + 170 * len(panels), hovermode="closest", legend={"y": -0.12}, margin={"t": 130})
    figure.update_xaxes(range=["2019-12-01", "2024-01-31"])
    return figure


def _weekly_panel(figure: go.Figure, weekly: pd.DataFrame, kind: str, singular: str, row: int) -> None:
    figure.add_trace(go.Scatter(
        x=weekly.date, y=weekly[f"{kind}_shown"], mode="lines", name=f"weekly {kind}", showlegend=False,
        connectgaps=False, line={"color": PALETTE[0] if kind == "cases" else PALETTE[7], "width": 1.5},
        hovertemplate=f"week reported %{{x|%d %b %Y}}: %{{y:,.0f}} {kind}<extra></extra>"), row=row, col=1)
    revisions = weekly[weekly[f"{singular}_revision"].notna()]
    if not revisions.empty:
        figure.add_trace(go.Scatter(
            x=revisions.date, y=[0] * len(revisions), mode="markers", name="downward revision",
            legendgroup="revision", showlegend=bool(kind == "cases" or weekly.case_revision.isna().all()),
            marker={"symbol": "x", "size": 10, "color": REVISION},
            customdata=revisions[f"{singular}_revision"],
            hovertemplate=f"week reported %{{x|%d %b %Y}}: %{{customdata:,.0f}} {kind} as reported "
                          "(a downward revision of earlier weeks)<extra></extra>"), row=row, col=1)
    figure.update_yaxes(rangemode="tozero", row=row, col=1)


def _measure_hover(group: pd.DataFrame) -> str:
    """One hover text for the measures of a lever that share a date."""
    first = group.iloc[0]
    when = first.date if first.precision == "day" else f"{first.date}: the source gives the {first.precision} only"
    lines = [f"<b>{len(group)} measure{'s' if len(group) > 1 else ''}, {html.escape(when)}</b>"]
    for measure in group.itertuples():
        sources = measure.source_id + (f", {measure.more_source_ids}" if pd.notna(measure.more_source_ids) else "")
        note = f" ({measure.date_note})" if pd.notna(measure.date_note) else ""
        lines.append(f"{html.escape(str(measure.category))}{html.escape(note)}: "
                     f"{_wrap(measure.description)} [{html.escape(sources)}]")
    if pd.notna(first.cumulative_cases):
        lines.append(f"first WHO report after it ({first.report:%d %b %Y}): "
                     f"{first.cumulative_cases:,.0f} cases, {first.cumulative_deaths:,.0f} deaths so far")
    return "<br>".join(lines)


def _measures_panel(figure: go.Figure, measures: pd.DataFrame, row: int) -> None:
    for lever, rows in measures.groupby("lever", observed=True, sort=True):
        colour = LEVER_COLOURS[str(lever)]
        spans = rows[rows.precision != "day"].drop_duplicates(["start", "end"])
        if not spans.empty:
            xs, ys = [], []
            for span in spans.itertuples():
                xs += [span.start, span.end, None]
                ys += [str(lever)] * 2 + [None]
            figure.add_trace(go.Scatter(x=xs, y=ys, mode="lines", showlegend=False, hoverinfo="skip",
                                        line={"color": colour, "width": 8}, opacity=0.35), row=row, col=1)
        groups = [group for _, group in rows.groupby(["start", "precision"], sort=True)]
        figure.add_trace(go.Scatter(
            x=[group.start.iloc[0] for group in groups], y=[str(lever)] * len(groups),
            mode="markers+text", name=str(lever), legendgroup="measures",
            text=[str(len(group)) if len(group) > 1 else "" for group in groups],
            textfont={"color": "white", "size": 10},
            marker={"size": [12 if len(group) == 1 else 18 for group in groups], "color": colour, "opacity": 1,
                    "line": {"width": 1, "color": "white"}},
            customdata=[_measure_hover(group) for group in groups],
            hovertemplate="%{customdata}<extra></extra>"), row=row, col=1)
    figure.update_yaxes(categoryorder="array", autorange="reversed", row=row, col=1,
                        categoryarray=[lever for lever in LEVER_COLOURS if lever in set(measures.lever.astype(str))])


def measure_matrix(query: str) -> go.Figure:
    """Who did what: the collaborative's countries by category of measure, the country highlighted.

    A country outside the collaborative is added on top so it is always on the chart.
    """
    from jlnlearn import covid

    subject = country(query)
    members = [c.iso3 for c in countries() if c.phc_collaborative]
    if subject.iso3 not in members:
        members.insert(0, subject.iso3)
    matrix = covid.measure_matrix(members)
    counts = matrix[covid.MEASURE_CATEGORIES]
    labels = [f"<b>{html.escape(name)} ◀</b>" if code == subject.iso3 else html.escape(name)
              for code, name in zip(matrix.iso3, matrix.country, strict=True)]
    figure = go.Figure(go.Heatmap(
        z=counts.to_numpy(), x=[_wrap(category, 16) for category in covid.MEASURE_CATEGORIES], y=labels,
        text=counts.where(counts > 0, "").astype(str).to_numpy(), texttemplate="%{text}",
        colorscale=[[0, "#FFFFFF"], [0.001, "#DCEAF5"], [1, HIGHLIGHT]], showscale=False, xgap=2, ygap=2,
        hovertemplate="%{y}: %{z} documented measure(s), %{x}<extra></extra>"))
    position = matrix.index[matrix.iso3 == subject.iso3][0]
    figure.add_shape(type="rect", xref="paper", x0=0, x1=1, yref="y", y0=position - 0.5, y1=position + 0.5,
                     line={"color": PALETTE[5], "width": 2})
    note = "An empty row means the sources used document nothing, not that the country did nothing."
    figure.update_layout(title=f"Who did what: documented COVID-19 measures by category<br>"
                               f"<span style='font-size:11px;color:#555555'>{note}</span>",
                         height=160 + 26 * len(matrix), yaxis={"autorange": "reversed"},
                         xaxis={"side": "top"}, margin={"t": 160, "b": 20})
    return figure


def covid_payment_rates(query: str) -> go.Figure | Notice:
    """Documented per-case, per-patient and per-test amounts in US$ (hover: local currency)."""
    from jlnlearn import covid

    subject = country(query)
    rows = covid.figures(query)
    rows = rows[(rows.unit == "currency") & rows.basis.isin(["per case", "per patient", "per test"])
                & rows.amount_usd.notna()]
    if rows.empty:
        return Notice(f"No COVID-19 payment rate or cost per case is documented for {subject.name} "
                      "in the sources used.")
    qualifiers = rows.qualifier.astype(object).fillna("").astype(str)
    local = [money.describe_amount(value, currency, qualifier or None)
             for value, currency, qualifier in zip(rows.value, rows.currency, qualifiers, strict=True)]
    rate_years = rows.exchange_rate_year.map(lambda year: "stated in US$" if pd.isna(year)
                                             else f"at the {int(year)} exchange rate")
    figure = go.Figure(go.Bar(
        y=rows.label.map(lambda text: _wrap(text, 40)), x=rows.amount_usd, orientation="h",
        marker_color=[LEVER_COLOURS["paying providers"]] * len(rows),
        text=[text if currency == "USD" else f"{text} (US$ {usd:,.0f})"
              for text, currency, usd in zip(local, rows.currency, rows.amount_usd, strict=True)],
        textposition="auto",
        customdata=list(zip(local, rows.basis, rate_years, rows.source_id, strict=True)),
        hovertemplate="%{customdata[0]} %{customdata[1]} (%{customdata[2]})<br>source %{customdata[3]}"
                      "<extra></extra>"))
    figure.update_layout(title=f"Documented COVID-19 payment rates and costs per case: {subject.name}",
                         xaxis_title="US$ (hover for the local currency)", yaxis={"autorange": "reversed"},
                         height=160 + 42 * len(rows), margin={"l": 280})
    return figure


def pairing_trends(codes: list[str], indicator: str, title: str, y_title: str) -> go.Figure | Notice:
    """One line per pairing country for an indicator over the years."""
    chosen = [country(code) for code in codes]
    rows = pd.concat([profile.indicator_series(c.iso3, indicator) for c in chosen], ignore_index=True)
    rows = rows[rows.value.notna()]
    if rows.empty:
        return Notice(f"{title}: no data for {', '.join(c.name for c in chosen)}.")
    figure = go.Figure()
    for index, subject in enumerate(chosen):
        own = rows[rows.iso3 == subject.iso3]
        if own.empty:
            continue
        figure.add_trace(go.Scatter(x=own.year, y=own.value, mode="lines+markers", name=subject.name,
                                    line={"color": PALETTE[index], "width": 2}, marker={"size": 5},
                                    hovertemplate=f"{html.escape(subject.name)} %{{x}}: %{{y:,.1f}}<extra></extra>"))
    figure.update_layout(title=title, yaxis_title=y_title, yaxis_rangemode="tozero")
    missing = [c.name for c in chosen if c.iso3 not in set(rows.iso3)]
    note = f" ({', '.join(missing)}: no data)" if missing else ""
    return _source_note(figure, f"Source: {', '.join(sorted(set(rows.source_id)))}{note}")


def pairing_reforms(codes: list[str]) -> go.Figure | Notice:
    """The pairing countries' dated reforms on one timeline, one row per country."""
    from jlnlearn import pairing

    events = pairing.reforms(codes)
    if events.empty:
        return Notice("No dated reform is documented for these countries in the sources used yet.")
    figure = event_timeline(events, "country", "description")
    figure.update_layout(title="Reforms on the road to UHC", showlegend=False,
                         height=max(260, 80 * events.country.nunique() + 120))
    return figure


def resource_scores(suggestions: pd.DataFrame) -> go.Figure | Notice:
    """Each suggested resource country's score as stacked parts, so the ranking explains itself."""
    from jlnlearn import pairing

    if suggestions.empty:
        return Notice("No country has documented experience of this topic in the sources used yet.")
    labels = [f"{name} (in the pairing)" if inside else name
              for name, inside in zip(suggestions.country, suggestions.in_pairing, strict=True)]
    figure = go.Figure()
    for index, part in enumerate(pairing.WEIGHTS):
        figure.add_trace(go.Bar(
            y=labels, x=suggestions[part], name=f"{part} (up to {pairing.WEIGHTS[part]:g})", orientation="h",
            marker_color=PALETTE[index],
            hovertemplate=f"%{{y}}: %{{x:.1f}} points for {part}<extra></extra>"))
    figure.update_layout(title="Possible resource countries: score out of 100, by part", barmode="stack",
                         xaxis={"title": "points", "range": [0, 100]}, yaxis={"autorange": "reversed"},
                         height=200 + 45 * len(suggestions), legend={"traceorder": "normal"})
    return figure
