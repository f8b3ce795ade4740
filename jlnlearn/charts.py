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

from jlnlearn import profile
from jlnlearn.countries import country

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
