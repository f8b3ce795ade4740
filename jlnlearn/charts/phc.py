"""Figures of PHC payment (notebook 02): capitation rates on real data and who bears the risk."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from jlnlearn.charts.theme import HIGHLIGHT, PALETTE, PEER, localized, source_note
from jlnlearn.data.countries import CountryLike, country
from jlnlearn.i18n import N_, _, ngettext, number, percent
from jlnlearn.lessons import phc
from jlnlearn.lessons.risk import MECHANISMS_SIMULATED
from jlnlearn.present import Notice, escape_html
from jlnlearn.present.readings import named_in_sentence

#: Each bar's rate written above it, so the numbers read without hovering (and in print).
RATE_LABELS = {"texttemplate": "%{y:,.2f}", "textposition": "outside", "cliponaxis": False}


def capitation_rates(query: CountryLike, phc_share: float, weights: dict[str, float]) -> go.Figure | Notice:
    """Capitation per person by age band: the same for all, and adjusted by the weights.

    Parameters
    ----------
    query
        The country: a code, name, alias or :class:`~jlnlearn.Country`.
    phc_share
        The share of health spending assumed to pay for PHC (above 0, at most 1).
    weights
        The relative cost of each age band (``0-4, 5-14, 15-44, 45-64, 65+``).

    Returns
    -------
    A grouped bar chart (flat and adjusted rate), or a :class:`~jlnlearn.present.Notice`.

    Examples
    --------
    >>> weights = {"0-4": 1.6, "5-14": 0.6, "15-44": 0.8, "45-64": 1.3, "65+": 2.4}
    >>> [trace.name for trace in capitation_rates("Ghana", 0.3, weights).data]
    ['same rate for everybody', 'adjusted by age weight']
    """
    subject = country(query)
    rates = phc.capitation_rates(subject, phc_share, weights)
    if rates.empty:
        return Notice(_("Capitation on real data: {name} lacks population by age or "
                        "health spending in the data.").format(name=named_in_sentence(subject, markdown=False)))
    # TRANSLATORS: {band} is an age band ("15-44"), {amount} an amount in US dollars.
    hover = _("{band}: US$ {amount}").format(band="%{x}", amount="%{y:.2f}") + "<extra></extra>"
    figure = go.Figure([
        go.Bar(x=rates.index, y=rates.flat_rate, name=_("same rate for everybody"), marker_color=PEER,
               hovertemplate=hover, **RATE_LABELS),
        go.Bar(x=rates.index, y=rates.rate, name=_("adjusted by age weight"), marker_color=HIGHLIGHT,
               hovertemplate=hover, **RATE_LABELS),
    ])
    # TRANSLATORS: {share} is a percentage, {country} a country's name.
    title = _("Capitation per person per year, {share} of health spending to PHC: {country}").format(
        share=percent(phc_share, 0), country=escape_html(subject.name))
    figure.update_layout(title=title, barmode="group",
                         yaxis_title=_("US$ per person per year"), xaxis_title=_("age band"))
    return localized(figure)


#: The PHC shares the report's slider offers: 5% to 60% in steps of 5 points.
EXPLORER_SHARES = tuple(round(0.05 * step, 2) for step in range(1, 13))


def capitation_explorer(query: CountryLike, weights: dict[str, float], phc_share: float = 0.3,
                        shares: tuple[float, ...] = EXPLORER_SHARES) -> go.Figure | Notice:
    """Capitation rates with a slider over PHC shares: works in a report without a kernel.

    The slider starts at ``phc_share`` (added to ``shares`` if it is not one of
    them), so it opens on the share the page's tables use; the axis is fixed at the
    country's highest rate over all the shares, so moving the slider shows the
    rates grow rather than the axis change.

    Parameters
    ----------
    query
        The country: a code, name, alias or :class:`~jlnlearn.Country`.
    weights
        The relative cost of each age band.
    phc_share
        The share the slider starts at (the notebook's assumption).
    shares
        The PHC shares the slider offers.

    Returns
    -------
    A grouped bar chart with a slider step per share, or a :class:`~jlnlearn.present.Notice`.

    Examples
    --------
    >>> weights = {"0-4": 1.6, "5-14": 0.6, "15-44": 0.8, "45-64": 1.3, "65+": 2.4}
    >>> slider = capitation_explorer("Ghana", weights, 0.33).layout.sliders[0]
    >>> len(slider.steps), slider.steps[slider.active].label
    (13, '33%')
    """
    subject = country(query)
    offered = tuple(sorted({*shares, phc_share}))
    scenarios = phc.rate_scenarios(subject, list(offered), weights)
    if scenarios.empty:
        return Notice(_("Capitation explorer: no population by age or health spending for {name}.").format(
            name=named_in_sentence(subject, markdown=False)))
    start = offered.index(phc_share)
    figure = go.Figure()
    # TRANSLATORS: {share} is a percentage, {band} an age band ("15-44"), {series} "same rate for
    # everybody" or "adjusted by age weight", {amount} an amount in US dollars.
    hover = _("{share} to PHC, age {band}, {series}: US$ {amount}")
    for place, share in enumerate(offered):
        rows = scenarios[scenarios.phc_share == share]
        shown = place == start
        for name, column, colour in ((_("same rate for everybody"), "flat_rate", PEER),
                                     (_("adjusted by age weight"), "rate", HIGHLIGHT)):
            figure.add_trace(go.Bar(
                x=rows.band, y=rows[column], name=name, marker_color=colour, visible=shown, **RATE_LABELS,
                hovertemplate=hover.format(share=percent(share, 0), band="%{x}", series=name, amount="%{y:,.2f}")
                + "<extra></extra>"))
    steps = [{"label": percent(share, 0), "method": "update",
              "args": [{"visible": [i // 2 == n for i in range(2 * len(offered))]}]}
             for n, share in enumerate(offered)]
    top = float(scenarios[["rate", "flat_rate"]].max().max()) * 1.2  # room for the labels above the bars
    figure.update_layout(title=_("Capitation per person per year: {country}").format(country=escape_html(subject.name)),
                         barmode="group", yaxis={"title": _("US$ per person per year"), "range": [0, top]},
                         xaxis_title=_("age band"),
                         showlegend=False,  # a legend under the plot would meet the slider on a phone
                         sliders=[{"steps": steps, "active": start, "pad": {"t": 50},
                                   # TRANSLATORS: written before the share the slider is at ("30%").
                                   "currentvalue": {"prefix": _("PHC share of health spending:") + " "}}])
    return source_note(figure, _("Grey: the same rate for everybody · blue: adjusted by age weight"))


#: The two sides of each payment: what the purchaser pays, what the provider keeps.
RISK_VIEWS = (("spending", N_("purchaser's spending (US$)")), ("margin", N_("provider's margin (US$)")))
#: A spread this small next to the column's range is drawn as one fixed value, a line.
FIXED_SHARE = 0.01


def risk_distributions(simulation: pd.DataFrame) -> go.Figure:
    """Who bears the risk, one row per mechanism: the purchaser's spending and the provider's
    margin over the simulated facility-years, on shared axes per column.

    A side that does not vary (the purchaser's spending under capitation) is a
    line at its one value, so the lesson's point shows at a glance: under
    capitation the purchaser's bill is fixed and the provider's margin
    spreads; under fee-for-service it is the other way round.

    Parameters
    ----------
    simulation
        The result of :func:`jlnlearn.lessons.risk.simulate_risk`.

    Returns
    -------
    A grid of histograms, four rows (mechanisms) by two columns (spending, margin).

    Examples
    --------
    >>> from jlnlearn.lessons.risk import simulate_risk
    >>> figure = risk_distributions(simulate_risk(1000, 2.0, 5.0, 5.0, 10.0, facility_years=2000))
    >>> len(figure.data), [trace.name for trace in figure.data if trace.type == "scatter"]  # the fixed sides
    (8, ['capitation', 'fee-for-service'])
    """
    figure = make_subplots(rows=len(MECHANISMS_SIMULATED), cols=len(RISK_VIEWS), shared_xaxes="columns",
                           horizontal_spacing=0.1, vertical_spacing=0.06,
                           column_titles=[_(title) for _view, title in RISK_VIEWS],
                           row_titles=[_(mechanism) for mechanism in MECHANISMS_SIMULATED])
    # TRANSLATORS: {mechanism} is a payment mechanism, {amount} an amount in US dollars.
    fixed_hover = _("{mechanism}: the same {amount} every facility-year")
    # TRANSLATORS: {mechanism} is a payment mechanism, {amount} an amount in US dollars, {share} a percentage.
    spread_hover = _("{mechanism}: about {amount} in {share} of facility-years")
    for column, (view, title) in enumerate(RISK_VIEWS, start=1):
        columns = [simulation[f"{view}_{mechanism}"].to_numpy() for mechanism in MECHANISMS_SIMULATED]
        low, high = min(float(v.min()) for v in columns), max(float(v.max()) for v in columns)
        width = max(high - low, 1.0)
        for row, (mechanism, values) in enumerate(zip(MECHANISMS_SIMULATED, columns, strict=True), start=1):
            colour = PALETTE[row - 1]
            name = _(mechanism)
            if float(values.max() - values.min()) <= FIXED_SHARE * width:
                fixed = float(values.mean())
                figure.add_trace(go.Scatter(
                    x=[fixed, fixed], y=[0, 1], mode="lines", line={"color": colour, "width": 4},
                    name=name, showlegend=False,
                    hovertemplate=fixed_hover.format(mechanism=name, amount=number(fixed)) + "<extra></extra>"),
                    row=row, col=column)
                continue
            counts, edges = np.histogram(values, bins=40, range=(low, high))
            figure.add_trace(go.Bar(
                x=(edges[:-1] + edges[1:]) / 2, y=counts / counts.sum(), width=edges[1] - edges[0],
                name=name, marker_color=colour, showlegend=False,
                hovertemplate=spread_hover.format(mechanism=name, amount="%{x:,.0f}", share="%{y:.0%}")
                + "<extra></extra>"),
                row=row, col=column)
        figure.update_xaxes(title_text=_(title), row=len(MECHANISMS_SIMULATED), col=column)
    figure.add_vline(x=0, line={"color": "#555555", "dash": "dot", "width": 1}, col=2, row="all")
    figure.update_yaxes(tickformat=".0%", rangemode="tozero")
    # TRANSLATORS: {n} is a number of simulated facility-years.
    title = ngettext("Who bears the risk: {n} simulated facility-year", "Who bears the risk: {n} simulated facility-years",
                     len(simulation)).format(n=number(len(simulation)))
    figure.update_layout(title=title, height=620, bargap=0, showlegend=False)
    return localized(figure)
