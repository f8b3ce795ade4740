"""Figures of PHC payment (notebook 02): capitation rates on real data and who bears the risk."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from jlnlearn.charts.theme import HIGHLIGHT, PALETTE, PEER
from jlnlearn.data.countries import CountryLike, country
from jlnlearn.lessons import phc
from jlnlearn.lessons.risk import MECHANISMS_SIMULATED
from jlnlearn.present import Notice, escape_html


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
        return Notice(f"Capitation on real data: {subject.name} lacks population by age or "
                      "health spending in the data.")
    figure = go.Figure([
        go.Bar(x=rates.index, y=rates.flat_rate, name="same rate for everybody", marker_color=PEER,
               hovertemplate="%{x}: US$ %{y:.2f}<extra></extra>"),
        go.Bar(x=rates.index, y=rates.rate, name="adjusted by age weight", marker_color=HIGHLIGHT,
               hovertemplate="%{x}: US$ %{y:.2f}<extra></extra>"),
    ])
    figure.update_layout(title=f"Capitation per person per year, {phc_share:.0%} of health spending "
                               f"to PHC: {escape_html(subject.name)}", barmode="group",
                         yaxis_title="US$ per person per year", xaxis_title="age band")
    return figure


def capitation_explorer(query: CountryLike, weights: dict[str, float],
                        shares: tuple[float, ...] = (0.1, 0.2, 0.3, 0.4, 0.5)) -> go.Figure | Notice:
    """Capitation rates with a slider over PHC shares: works in a report without a kernel.

    Parameters
    ----------
    query
        The country: a code, name, alias or :class:`~jlnlearn.Country`.
    weights
        The relative cost of each age band.
    shares
        The PHC shares the slider offers.

    Returns
    -------
    A grouped bar chart with a slider step per share, or a :class:`~jlnlearn.present.Notice`.

    Examples
    --------
    >>> weights = {"0-4": 1.6, "5-14": 0.6, "15-44": 0.8, "45-64": 1.3, "65+": 2.4}
    >>> len(capitation_explorer("Ghana", weights).layout.sliders[0].steps)
    5
    """
    subject = country(query)
    scenarios = phc.rate_scenarios(subject, list(shares), weights)
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
    figure.update_layout(title=f"Capitation per person per year: {escape_html(subject.name)}", barmode="group",
                         yaxis={"title": "US$ per person per year", "range": [0, top]},
                         sliders=[{"steps": steps, "currentvalue": {"prefix": "PHC share of health spending: "},
                                   "pad": {"t": 40}}])
    return figure


def risk_distributions(simulation: pd.DataFrame) -> go.Figure:
    """The provider's margin and the purchaser's spending under each mechanism, as histograms.

    Parameters
    ----------
    simulation
        The result of :func:`jlnlearn.lessons.risk.simulate_risk`.

    Returns
    -------
    Histograms per mechanism, with a menu for the margin or the spending.

    Examples
    --------
    >>> from jlnlearn.lessons.risk import simulate_risk
    >>> len(risk_distributions(simulate_risk(1000, 2.0, 5.0, 5.0, 10.0, facility_years=2000)).data)
    8
    """
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
